//! `bench workload`: a running Workload API measured with the `spiffe` crate's client.

use std::time::Duration;

use crate::engine::client::workload::{endpoint_uri, FetchError};

/// What `bench workload` measured against a running Workload API.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadBench {
    pub schema_version: u32,
    pub endpoint: String,
    /// Fresh connections, each timed from connect to its first SVID.
    pub connects: usize,
    pub first_svid_p50_ms: f64,
    pub first_svid_p99_ms: f64,
    pub clients: usize,
    pub seconds: f64,
    pub svids: u64,
    pub svids_per_second: f64,
    pub fetch_p50_ms: f64,
    pub fetch_p99_ms: f64,
    pub errors: u64,
}

/// Measures a Workload API with the `spiffe` crate's client: `connects` sequential fresh
/// connections timed to their first SVID, then `clients` concurrent clients fetching for
/// `duration`, each over its own connection.
pub async fn bench(
    endpoint: &str,
    connects: usize,
    clients: usize,
    duration: Duration,
) -> Result<WorkloadBench, FetchError> {
    use crate::engine::util::stats::percentile_ms;
    let endpoint = endpoint_uri(endpoint);
    let failed = |e: spiffe::WorkloadApiError| FetchError::Failed {
        endpoint: endpoint.clone(),
        message: e.to_string(),
    };
    let mut first = Vec::with_capacity(connects);
    for _ in 0..connects {
        let t = std::time::Instant::now();
        let c = spiffe::WorkloadApiClient::connect_to(&endpoint)
            .await
            .map_err(failed)?;
        c.fetch_x509_svid().await.map_err(failed)?;
        first.push(t.elapsed());
    }
    first.sort();
    let deadline = tokio::time::Instant::now() + duration;
    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let endpoint = endpoint.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0u64;
            let Ok(c) = spiffe::WorkloadApiClient::connect_to(&endpoint).await else {
                return (lat, 1);
            };
            while tokio::time::Instant::now() < deadline {
                let t = std::time::Instant::now();
                match c.fetch_x509_svid().await {
                    Ok(_) => lat.push(t.elapsed()),
                    Err(_) => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((lat, e)) = t.await {
            all.extend(lat);
            errors += e;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    all.sort();
    Ok(WorkloadBench {
        schema_version: 1,
        endpoint,
        connects,
        first_svid_p50_ms: percentile_ms(&first, 0.50),
        first_svid_p99_ms: percentile_ms(&first, 0.99),
        clients,
        seconds,
        svids: all.len() as u64,
        svids_per_second: all.len() as f64 / seconds,
        fetch_p50_ms: percentile_ms(&all, 0.50),
        fetch_p99_ms: percentile_ms(&all, 0.99),
        errors,
    })
}
