//! Load generation for `x0t bench`: many concurrent clients writing through the admin API,
//! with per-write latency, so throughput and tail latency come from one run.

pub mod mesh;
pub mod rag;
pub mod tcp;
pub mod workload;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::engine::util::stats::percentile_ms;

use crate::engine::client::Client;

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
    #[serde(rename = "p999Ms")]
    pub p999_ms: f64,
    pub max_ms: f64,
}

/// What the machine allows one client, measured beside the load: the state disk's
/// `fdatasync` after a small write, and one mTLS round trip over loopback. A write at one
/// client needs at least the client's round trip, the leader's round trip to a follower and
/// the follower's sync (the leader syncs meanwhile).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Floor {
    pub fdatasync_p50_ms: f64,
    pub fdatasync_p99_ms: f64,
    pub round_trip_p50_ms: f64,
    pub round_trip_p99_ms: f64,
    /// 1000 / (2 round trips + one sync), from the medians.
    pub one_client_writes_per_second: f64,
}

/// `samples` timings of a 256-byte write and `fdatasync` at the front of a preallocated
/// file in `dir` (removed afterwards).
pub fn fdatasync_latency(dir: &std::path::Path, samples: usize) -> std::io::Result<Vec<Duration>> {
    use std::os::unix::fs::FileExt;
    let path = dir.join("fdatasync.probe");
    let file = std::fs::File::create(&path)?;
    file.set_len(((samples + 1) * 256) as u64)?;
    file.sync_all()?;
    let mut out = Vec::with_capacity(samples);
    for i in 0..samples {
        let t = Instant::now();
        file.write_all_at(&[b'x'; 256], (i * 256) as u64)?;
        file.sync_data()?;
        out.push(t.elapsed());
    }
    drop(file);
    std::fs::remove_file(&path)?;
    out.sort();
    Ok(out)
}

/// `samples` timings of a cheap admin call to `node` (its data-plane links) over the
/// client's open mTLS channel.
pub async fn round_trips(client: &Client, node: &str, samples: usize) -> Vec<Duration> {
    let _ = client.mesh_links(Some(node)).await;
    let mut out = Vec::with_capacity(samples);
    for _ in 0..samples {
        let t = Instant::now();
        if client.mesh_links(Some(node)).await.is_ok() {
            out.push(t.elapsed());
        }
    }
    out.sort();
    out
}

impl Floor {
    pub fn from(fsync: &[Duration], rtt: &[Duration]) -> Floor {
        let (f, r) = (percentile_ms(fsync, 0.50), percentile_ms(rtt, 0.50));
        Floor {
            fdatasync_p50_ms: f,
            fdatasync_p99_ms: percentile_ms(fsync, 0.99),
            round_trip_p50_ms: r,
            round_trip_p99_ms: percentile_ms(rtt, 0.99),
            one_client_writes_per_second: 1000.0 / (2.0 * r + f).max(1e-6),
        }
    }
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
    LoadResult {
        clients,
        writes: all.len() as u64,
        errors: errors.load(Ordering::Relaxed),
        duration_seconds: elapsed,
        writes_per_second: all.len() as f64 / elapsed,
        p50_ms: percentile_ms(&all, 0.50),
        p99_ms: percentile_ms(&all, 0.99),
        p999_ms: percentile_ms(&all, 0.999),
        max_ms: all.last().map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0),
    }
}

/// The outcome of a fill.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FillResult {
    pub schema_version: u32,
    pub keys: u64,
    pub value_bytes: usize,
    pub seconds: f64,
    pub writes_per_second: f64,
}

/// Writes `keys` keys `PREFIX000000…` of `value_size` bytes from `clients` concurrent
/// writers; every write is retried until acknowledged, so the mesh holds exactly `keys` keys
/// under the prefix when it returns.
pub async fn fill(
    client: Arc<Client>,
    prefix: &str,
    keys: u64,
    value_size: usize,
    clients: usize,
) -> Result<FillResult, crate::engine::client::ClientError> {
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients.max(1))
        .map(|_| {
            let (client, next, prefix) = (client.clone(), next.clone(), prefix.to_string());
            tokio::spawn(async move {
                let value = vec![b'v'; value_size];
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= keys {
                        return Ok::<(), crate::engine::client::ClientError>(());
                    }
                    client
                        .put(&format!("{prefix}{i:06}"), value.clone())
                        .await?;
                }
            })
        })
        .collect();
    for t in tasks {
        match t.await {
            Ok(r) => r?,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    Ok(FillResult {
        schema_version: 1,
        keys,
        value_bytes: value_size,
        seconds,
        writes_per_second: keys as f64 / seconds,
    })
}
