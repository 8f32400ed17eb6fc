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
use crate::engine::bench::mesh::{open_loop, RateResult};
use crate::engine::bundle::OperatorBundle;
use crate::engine::client::Client;
use crate::engine::local::{self, LocalMesh};
use crate::error::{CliError, EngineError};
use crate::ui::Ui;

/// Start a throwaway mesh on 127.0.0.1 (n1, n2, n3 and a relay r1; links n1-n2, n1-r1,
/// r1-n3), then offer messages from n1 at fixed rates, open loop: to n3 through the relay,
/// and to n2 over a direct link. Each message is acknowledged once stored in the
/// destination's durable inbox; latency runs from its scheduled send time.
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
                "\n{}\n{:>8} {:>10} {:>10} {:>8} {:>9} {:>9} {:>9}\n",
                p.path.join(" > "),
                "OFFERED",
                "ACKED",
                "ACKED/S",
                "RATIO",
                "P50 ms",
                "P99 ms",
                "MAX ms"
            ));
            for l in &p.levels {
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
    text.push_str("  links:\n    - { from: n1, to: n2 }\n    - { from: n1, to: r1 }\n    - { from: r1, to: n3 }\n");
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
        Ok::<_, CliError>(Report {
            schema_version: 1,
            message_bytes: args.size,
            relayed,
            direct,
        })
    });
    drop(mesh);
    report
}
