//! `x0t bench mesh`: data-plane throughput and latency through a relay and over a direct
//! link, open loop, on a throwaway local mesh.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use super::raft::{free_port, provision};
use crate::cli::parse_duration;
use crate::commands::connect::runtime;
use crate::commands::{Ctx, EXIT_OK};
use crate::engine::bench::mesh::{open_loop, open_loop_samples, RateResult};
use crate::engine::bundle::OperatorBundle;
use crate::engine::client::Client;
use crate::engine::local::{self, LocalMesh};
use crate::engine::util::stats::percentile_ms;
use crate::error::{CliError, EngineError};
use crate::ui::Ui;

/// Start a throwaway mesh on 127.0.0.1 (n1, n2, n3 and a relay r1; links n1-n2, n1-r1,
/// r1-n3, and n2-n3 at cost 5 as the way around the relay), then offer messages from n1 at
/// fixed rates, open loop: to n3 through the relay, and to n2 over a direct link. Each
/// message is acknowledged once stored in the destination's durable inbox; latency runs
/// from its scheduled send time. With --kills, the relay is then killed -9 that many times
/// under load and each stall is measured, and every acknowledged message is looked for in
/// n3's inbox.
#[derive(Debug, Args)]
pub struct MeshArgs {
    /// Offered rates, messages per second
    #[arg(long, value_delimiter = ',', default_value = "1000,5000,10000")]
    pub rates: Vec<u64>,

    /// How long each rate runs
    #[arg(long, value_parser = parse_duration, default_value = "5s", value_name = "DURATION")]
    pub duration: Duration,

    /// Message size in bytes
    #[arg(long, default_value_t = 1024)]
    pub size: usize,

    /// Offer each rate this long first, uncounted (sessions, connections and buffers warm
    /// up; a stall of the first messages would otherwise decide the tail)
    #[arg(long, value_parser = parse_duration, default_value = "1s", value_name = "DURATION")]
    pub warmup: Duration,

    /// Kill the relay -9 this many times under load (restarting it in between)
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub kills: u32,

    /// The offered rate while the relay is killed, messages per second
    #[arg(long, default_value_t = 10_000, value_name = "RATE")]
    pub kill_rate: u64,

    /// Time between kills
    #[arg(long, value_parser = parse_duration, default_value = "4s", value_name = "DURATION")]
    pub kill_every: Duration,
}

/// Open-loop levels as a table: offered rate, acknowledged, latency percentiles.
pub(super) fn levels_table(levels: &[RateResult]) -> String {
    let mut out = format!(
        "{:>8} {:>10} {:>10} {:>8} {:>9} {:>9} {:>9}\n",
        "OFFERED", "ACKED", "ACKED/S", "RATIO", "P50 ms", "P99 ms", "MAX ms"
    );
    for l in levels {
        out.push_str(&format!(
            "{:>8} {:>10} {:>10.0} {:>8.3} {:>9.2} {:>9.2} {:>9.2}\n",
            l.offered,
            l.acknowledged,
            l.acknowledged_per_second,
            l.acknowledged_ratio,
            l.p50_ms,
            l.p99_ms,
            l.max_ms
        ));
    }
    out
}

/// The relay killed under load.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RerouteReport {
    offered: u64,
    kills: usize,
    /// Per kill: the longest a message waited because of it, milliseconds.
    stalls_ms: Vec<f64>,
    p50_ms: f64,
    p95_ms: f64,
    max_ms: f64,
    scheduled: u64,
    acknowledged: u64,
    /// Acknowledged messages missing from the destination's inbox.
    lost: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PathReport {
    path: Vec<String>,
    levels: Vec<RateResult>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    schema_version: u32,
    message_bytes: usize,
    relayed: PathReport,
    direct: PathReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    reroute: Option<RerouteReport>,
}

pub fn run(ui: &mut Ui, _ctx: &Ctx, args: &MeshArgs) -> Result<i32, CliError> {
    let tmp = std::env::temp_dir().join(format!("x0t-bench-mesh-{}", std::process::id()));
    let result = bench(ui, args, &tmp);
    let _ = std::fs::remove_dir_all(&tmp);
    let report = result?;
    if ui.is_json() {
        ui.json(&report)?;
    } else {
        let mut out = format!(
            "x0t bench mesh: {}-byte messages from n1, open loop, acknowledged once stored (fsync) at the destination\n",
            report.message_bytes
        );
        for p in [&report.relayed, &report.direct] {
            out.push_str(&format!(
                "\n{}\n{}",
                p.path.join(" > "),
                levels_table(&p.levels)
            ));
        }
        if let Some(r) = &report.reroute {
            out.push_str(&format!(
                "\nrelay r1 killed -9 {} times at {} msg/s: stall p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms; {} of {} acknowledged, {} acknowledged lost\n",
                r.kills, r.offered, r.p50_ms, r.p95_ms, r.max_ms, r.acknowledged, r.scheduled, r.lost
            ));
        }
        ui.data(&out)?;
    }
    Ok(EXIT_OK)
}

fn bench(ui: &Ui, args: &MeshArgs, tmp: &Path) -> Result<Report, CliError> {
    std::fs::create_dir_all(tmp).map_err(|e| CliError::io("create the benchmark directory", e))?;
    let mut text = String::from("apiVersion: x0tta6bl4.io/v1alpha1\nkind: Mesh\nmetadata: { name: benchmesh }\nspec:\n  trustDomain: benchmesh.x0tta6bl4.mesh\n  telemetry: { prometheus: false, otel: none }\n  healing: { probeInterval: 200ms, suspectAfter: 3 }\n  nodes:\n");
    for (name, role) in [
        ("n1", "voter"),
        ("n2", "voter"),
        ("n3", "voter"),
        ("r1", "relay"),
    ] {
        text.push_str(&format!(
            "    - {{ name: {name}, listen: 127.0.0.1:{}, role: {role} }}\n",
            free_port()?
        ));
    }
    text.push_str("  links:\n    - { from: n1, to: n2 }\n    - { from: n1, to: r1 }\n    - { from: r1, to: n3 }\n    - { from: n2, to: n3, cost: 5 }\n");
    let dir = provision(tmp, &text)?;
    let exe = std::env::current_exe().map_err(|e| CliError::io("find the x0t executable", e))?;
    let mut mesh = LocalMesh::new(exe, &dir).env("RUST_LOG", "error");
    for n in ["n1", "n2", "n3", "r1"] {
        mesh.spawn(n, &[]).map_err(EngineError::from)?;
    }
    let rt = runtime()?;
    let report = rt.block_on(async {
        let op = OperatorBundle::from_state(&dir, "admin").map_err(EngineError::from)?;
        let client = Arc::new(Client::new(op, Duration::from_secs(10)).map_err(EngineError::from)?);
        local::wait_healthy(&client, Duration::from_secs(30))
            .await
            .map_err(EngineError::from)?;
        // Wait for the route through the relay, and warm both streams up.
        for dest in ["n3", "n2"] {
            client
                .send(
                    dest,
                    b"warm-up".to_vec(),
                    Some("n1"),
                    Duration::from_secs(60),
                )
                .await
                .map_err(EngineError::from)?;
        }
        let mut paths = Vec::new();
        for (dest, path) in [("n3", vec!["n1", "r1", "n3"]), ("n2", vec!["n1", "n2"])] {
            let mut levels = Vec::new();
            for &rate in &args.rates {
                ui.status(&format!(
                    "{}: {rate} msg/s for {}",
                    path.join(">"),
                    humantime::format_duration(args.duration)
                ));
                if !args.warmup.is_zero() {
                    open_loop(client.clone(), "n1", dest, rate, args.warmup, args.size)
                        .await
                        .map_err(EngineError::from)?;
                }
                let level = open_loop(client.clone(), "n1", dest, rate, args.duration, args.size)
                    .await
                    .map_err(EngineError::from)?;
                levels.push(level);
            }
            paths.push(PathReport {
                path: path.into_iter().map(String::from).collect(),
                levels,
            });
        }
        let direct = paths.pop().expect("two paths");
        let relayed = paths.pop().expect("two paths");
        let reroute = match args.kills {
            0 => None,
            _ => Some(kill_relay(ui, args, &client, &mut mesh).await?),
        };
        Ok::<_, CliError>(Report {
            schema_version: 1,
            message_bytes: args.size,
            relayed,
            direct,
            reroute,
        })
    });
    drop(mesh);
    report
}

/// Offers `kill_rate` from n1 to n3 while the relay is killed -9 every `kill_every` (and
/// restarted a second later, once the route went back through it), then reads n3's inbox.
async fn kill_relay(
    ui: &Ui,
    args: &MeshArgs,
    client: &Arc<Client>,
    mesh: &mut LocalMesh,
) -> Result<RerouteReport, CliError> {
    let duration = args.kill_every * (args.kills + 2);
    ui.status(&format!(
        "n1>r1>n3: {} msg/s, relay killed -9 {} times",
        args.kill_rate, args.kills
    ));
    let load = tokio::spawn(open_loop_samples(
        client.clone(),
        "n1",
        "n3",
        args.kill_rate,
        duration,
        args.size,
    ));
    let mut kills = Vec::new();
    tokio::time::sleep(args.kill_every).await;
    for _ in 0..args.kills {
        wait_route_via(client, "r1").await?;
        let at = tokio::time::Instant::now();
        tokio::task::block_in_place(|| mesh.kill9("r1")).map_err(EngineError::from)?;
        kills.push(at);
        tokio::time::sleep(Duration::from_secs(1)).await;
        tokio::task::block_in_place(|| mesh.restart("r1", Duration::from_secs(20)))
            .map_err(EngineError::from)?;
        tokio::time::sleep_until(at + args.kill_every).await;
    }
    let samples = load
        .await
        .map_err(|e| CliError::new(format!("load generator failed: {e}")))?
        .map_err(EngineError::from)?;
    // Every acknowledged message must be in n3's inbox.
    let mut stored = std::collections::HashSet::new();
    loop {
        let inbox = client
            .recv("n3", None, 10_000, Duration::ZERO, false)
            .await
            .map_err(EngineError::from)?;
        if inbox.messages.is_empty() {
            break;
        }
        stored.extend(inbox.messages.into_iter().map(|m| m.message_id));
    }
    let lost = (samples.acked_ids.iter())
        .filter(|id| !stored.contains(*id))
        .count() as u64;
    let mut stalls: Vec<Duration> = kills.iter().map(|&at| samples.stall_after(at)).collect();
    let stalls_ms = stalls.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    stalls.sort();
    Ok(RerouteReport {
        offered: args.kill_rate,
        kills: kills.len(),
        stalls_ms,
        p50_ms: percentile_ms(&stalls, 0.50),
        p95_ms: percentile_ms(&stalls, 0.95),
        max_ms: stalls.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        scheduled: samples.scheduled,
        acknowledged: samples.acked.len() as u64,
        lost,
    })
}

/// Waits (up to 20 s) until n1 routes to n3 through `relay`.
async fn wait_route_via(client: &Client, relay: &str) -> Result<(), CliError> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let routes = client
            .mesh_routes(Some("n1"))
            .await
            .map_err(EngineError::from)?;
        let through = (routes.nodes.iter())
            .flat_map(|n| n.routes.iter())
            .any(|r| r.destination == "n3" && r.next_hop == relay);
        if through {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            return Err(CliError::new(format!(
                "n1 never routed to n3 through {relay} again"
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
