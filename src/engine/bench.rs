//! Load generation for `x0t bench`: many concurrent clients writing through the admin API,
//! with per-write latency, so throughput and tail latency come from one run.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::node::client::Client;

/// The outcome of one load level.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadResult {
    pub clients: usize,
    pub writes: u64,
    pub errors: u64,
    pub duration_seconds: f64,
    pub writes_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// Runs `clients` concurrent writers of `value_size`-byte values for `duration`.
pub async fn write_load(
    client: Arc<Client>,
    clients: usize,
    duration: Duration,
    value_size: usize,
) -> LoadResult {
    let errors = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let (client, errors) = (client.clone(), errors.clone());
            tokio::spawn(async move {
                let value = vec![b'x'; value_size];
                let mut latencies = Vec::new();
                let mut i = 0u64;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    match client.put(&format!("bench/{c}/{i}"), value.clone()).await {
                        Ok(_) => latencies.push(t.elapsed()),
                        Err(_) => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    i += 1;
                }
                latencies
            })
        })
        .collect();
    let mut all: Vec<Duration> = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap_or_default());
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    LoadResult {
        clients,
        writes: all.len() as u64,
        errors: errors.load(Ordering::Relaxed),
        duration_seconds: elapsed,
        writes_per_second: all.len() as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: all.last().map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0),
    }
}
