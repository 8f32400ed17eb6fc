//! `x0t bench raft`: durable writes/s and latency on a local 3-node mesh, and failover time.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;

use crate::cli::parse_duration;
use crate::commands::connect::runtime;
use crate::commands::{Ctx, EXIT_OK};
use crate::engine::bench::{self, LoadResult};
use crate::engine::bundle::OperatorBundle;
use crate::engine::client::Client;
use crate::engine::local::{self, LocalMesh};
use crate::engine::manifest;
use crate::engine::plan::apply::{self, ApplyOptions};
use crate::engine::state::StateDir;
use crate::engine::{plan, util::timefmt};
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Start a throwaway 3-node mesh on 127.0.0.1, drive it with concurrent writers, then kill
/// its leader repeatedly to time failover. Prints writes/s and p50/p99/p99.9/max latency
/// per level, and the floor measured beside them: the state disk's fdatasync latency and a
/// loopback mTLS round trip.
#[derive(Debug, Args)]
pub struct RaftArgs {
    /// Concurrent writers per level
    #[arg(long, value_delimiter = ',', default_value = "1,16,256")]
    pub clients: Vec<usize>,

    /// How long each level runs
    #[arg(long, value_parser = parse_duration, default_value = "10s", value_name = "DURATION")]
    pub duration: Duration,

    /// Size of each written value in bytes
    #[arg(long, default_value_t = 256)]
    pub value_size: usize,

    /// Leader kills to time (0 skips the failover measurement)
    #[arg(long, default_value_t = 5)]
    pub failover_rounds: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    schema_version: u32,
    nodes: usize,
    value_bytes: usize,
    floor: bench::Floor,
    levels: Vec<LoadResult>,
    failover_ms: Vec<f64>,
    failover_median_ms: Option<f64>,
}

pub(super) fn free_port() -> Result<u16, CliError> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| CliError::io("pick a free port", e))?;
    Ok(l.local_addr()
        .map_err(|e| CliError::io("pick a free port", e))?
        .port())
}

pub fn run(ui: &mut Ui, _ctx: &Ctx, args: &RaftArgs) -> Result<i32, CliError> {
    let tmp = std::env::temp_dir().join(format!("x0t-bench-{}", std::process::id()));
    let result = bench(ui, args, &tmp);
    let _ = std::fs::remove_dir_all(&tmp);
    let report = result?;
    if ui.is_json() {
        ui.json(&report)?;
    } else {
        let mut out = format!(
            "x0t bench raft: 3 voters on 127.0.0.1, {}-byte values, durable (fsync) writes\n\n",
            report.value_bytes
        );
        let f = &report.floor;
        out.push_str(&format!(
            "floor: fdatasync p50 {:.3} ms (p99 {:.3}), mTLS round trip p50 {:.3} ms (p99 {:.3}): at most {:.0} writes/s for one client\n\n",
            f.fdatasync_p50_ms, f.fdatasync_p99_ms, f.round_trip_p50_ms, f.round_trip_p99_ms, f.one_client_writes_per_second
        ));
        out.push_str(&format!(
            "{:>8} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9} {:>7}\n",
            "CLIENTS", "WRITES", "WRITES/S", "P50 ms", "P99 ms", "P99.9 ms", "MAX ms", "ERRORS"
        ));
        for l in &report.levels {
            out.push_str(&format!(
                "{:>8} {:>10} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>7}\n",
                l.clients,
                l.writes,
                l.writes_per_second,
                l.p50_ms,
                l.p99_ms,
                l.p999_ms,
                l.max_ms,
                l.errors
            ));
        }
        if let Some(m) = report.failover_median_ms {
            let samples: Vec<String> = report
                .failover_ms
                .iter()
                .map(|f| format!("{f:.0}"))
                .collect();
            out.push_str(&format!("\nfailover (kill -9 leader -> new leader): median {m:.0} ms over {} rounds ({} ms)\n", samples.len(), samples.join(", ")));
        }
        ui.data(&out)?;
    }
    Ok(EXIT_OK)
}

/// Applies the manifest `text` into a state directory under `tmp`.
pub(super) fn provision(tmp: &Path, text: &str) -> Result<StateDir, CliError> {
    let loaded = manifest::parse(text, &tmp.join("bench.yaml")).map_err(EngineError::from)?;
    let dir = StateDir::new(tmp.join(".x0t"));
    let p = plan::plan(&loaded.manifest, &dir, timefmt::now())?;
    apply::apply(
        &loaded.manifest,
        &dir,
        &p,
        ApplyOptions::default(),
        &|_, _| {},
    )?;
    Ok(dir)
}

fn bench(ui: &Ui, args: &RaftArgs, tmp: &Path) -> Result<Report, CliError> {
    std::fs::create_dir_all(tmp).map_err(|e| CliError::io("create the benchmark directory", e))?;
    let mut text = String::from("apiVersion: x0tta6bl4.io/v1alpha1\nkind: Mesh\nmetadata: { name: bench }\nspec:\n  trustDomain: bench.x0tta6bl4.mesh\n  telemetry: { prometheus: false, otel: none }\n  nodes:\n");
    for i in 1..=3 {
        text.push_str(&format!(
            "    - {{ name: n{i}, listen: 127.0.0.1:{} }}\n",
            free_port()?
        ));
    }
    let dir = provision(tmp, &text)?;
    let exe = std::env::current_exe().map_err(|e| CliError::io("find the x0t executable", e))?;
    let mut mesh = LocalMesh::new(exe, &dir).env("RUST_LOG", "error");
    for n in ["n1", "n2", "n3"] {
        mesh.spawn(n, &[]).map_err(EngineError::from)?;
    }
    let rt = runtime()?;
    rt.block_on(async {
        let op = OperatorBundle::from_state(&dir, "admin").map_err(EngineError::from)?;
        let client = Arc::new(Client::new(op, Duration::from_secs(5)).map_err(EngineError::from)?);
        // A failover round that kills the leader before a restarted node has caught up
        // would time a different failure: each round starts from a healthy mesh.
        let within = Duration::from_secs(30);
        let leader = local::wait_healthy(&client, within)
            .await
            .map_err(EngineError::from)?;
        let fsync = bench::fdatasync_latency(&dir.root, 1000)
            .map_err(|e| CliError::io("time fdatasync in the benchmark directory", e))?;
        let rtt = bench::round_trips(&client, &leader, 1000).await;
        let floor = bench::Floor::from(&fsync, &rtt);
        let mut levels = Vec::new();
        for &c in &args.clients {
            ui.status(&format!(
                "level: {c} clients for {}",
                humantime::format_duration(args.duration)
            ));
            levels.push(bench::write_load(client.clone(), c, args.duration, args.value_size).await);
        }
        let mut failover = Vec::new();
        for round in 0..args.failover_rounds {
            let leader = local::wait_healthy(&client, within)
                .await
                .map_err(EngineError::from)?;
            if mesh.node(&leader).is_err() {
                break;
            }
            let survivors: Vec<String> =
                mesh.names().into_iter().filter(|n| *n != leader).collect();
            let watch = client.only(&survivors);
            // Connect to the survivors before the kill, so that the clock times the election.
            let _ = watch.status().await;
            let t = Instant::now();
            mesh.kill9(&leader).map_err(EngineError::from)?;
            // Poll the survivors until one of them leads.
            loop {
                let s = watch.status().await;
                if s.leader.as_deref().is_some_and(|l| l != leader)
                    && s.nodes
                        .iter()
                        .filter(|n| n.reachable && n.raft_state.as_deref() == Some("Leader"))
                        .count()
                        == 1
                {
                    break;
                }
                if t.elapsed() > within {
                    return Err(CliError::new("no new leader within 30s"));
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            failover.push(t.elapsed().as_secs_f64() * 1000.0);
            ui.status(&format!(
                "failover round {}: {:.0} ms",
                round + 1,
                failover.last().unwrap()
            ));
            mesh.spawn(&leader, &[]).map_err(EngineError::from)?;
        }
        drop(mesh);
        let mut sorted = failover.clone();
        sorted.sort_by(f64::total_cmp);
        Ok(Report {
            schema_version: 1,
            nodes: 3,
            value_bytes: args.value_size,
            floor,
            levels,
            failover_median_ms: sorted.get(sorted.len() / 2).copied(),
            failover_ms: failover,
        })
    })
}
