//! `x0t node run NAME`: one node in the foreground until SIGINT or SIGTERM.

use std::path::PathBuf;

use clap::Args;

use crate::commands::connect::runtime;
use crate::commands::{Ctx, EXIT_OK};
use crate::engine::bundle::NodeBundle;
use crate::engine::manifest::OtelExporter;
use crate::engine::node::run::start_node;
use crate::engine::telemetry;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Run node NAME in the foreground: Raft over post-quantum mutual TLS, the admin API, the
/// metrics port, and the SPIFFE Workload API on the node's workload socket (its
/// `SPIFFE_ENDPOINT_SOCKET=` line follows the readiness line). Human logs go to stderr (the readiness line starts with `ready `);
/// stdout carries only OpenTelemetry output. SIGINT/SIGTERM stop it gracefully.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The node to run (its name in the manifest)
    pub name: String,

    /// Run from a bundle directory written by `x0t bundle` (no manifest or state needed)
    #[arg(long, value_name = "DIR")]
    pub bundle: Option<PathBuf>,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &RunArgs) -> Result<i32, CliError> {
    // Before any key is read: a node's memory holds every secret key it has.
    if let Err(e) = crate::engine::util::harden::protect_secrets() {
        ui.warn(&format!("cannot turn off core dumps: {e}"));
    }
    // A relative `workloadSocket` is relative to the manifest's directory (the parent of
    // the default state directory), or to the bundle directory on another host.
    let (mut bundle, base) = match &args.bundle {
        Some(dir) => (
            NodeBundle::from_dir(dir).map_err(EngineError::from)?,
            dir.clone(),
        ),
        None => {
            let state = ctx.resolve_state_dir(ui)?;
            let base = crate::engine::util::fsutil::parent(&state.root).to_path_buf();
            (
                NodeBundle::from_state(&state, &args.name).map_err(EngineError::from)?,
                base,
            )
        }
    };
    if let Some(sock) = &bundle.config.workload_socket {
        bundle.workload_socket = base.join(sock);
    }
    bundle.workload_socket = std::path::absolute(&bundle.workload_socket)
        .map_err(|e| CliError::io("resolve the workload socket path", e))?;
    if bundle.config.name != args.name {
        return Err(CliError::new(format!(
            "the bundle is for node {}, not {}",
            bundle.config.name, args.name
        )));
    }
    let otel = bundle.config.telemetry.otel == OtelExporter::Stdout;
    let guard = telemetry::init_logging(&args.name, otel, ui.verbose())
        .map_err(|e| CliError::new(e.to_string()))?;
    let rt = runtime()?;
    let result = rt.block_on(async {
        let listen = bundle.config.listen.clone();
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .map_err(|e| CliError::io(&format!("listen on {listen}"), e))?;
        let metrics = match (&bundle.config.metrics, bundle.config.telemetry.prometheus) {
            (Some(addr), true) => Some(
                tokio::net::TcpListener::bind(addr)
                    .await
                    .map_err(|e| CliError::io(&format!("listen on {addr} for metrics"), e))?,
            ),
            _ => None,
        };
        start_node(bundle, listener, metrics, shutdown_signal(), |r| {
            let metrics = r
                .metrics
                .map(|m| format!(" metrics=http://{m}/metrics"))
                .unwrap_or_default();
            ui.status(&format!(
                "ready node={} addr={} spiffe_id={} raft_id={}{metrics}",
                r.node, r.addr, r.spiffe_id, r.raft_id
            ));
            if let Some(sock) = &r.workload_socket {
                ui.status(&format!("SPIFFE_ENDPOINT_SOCKET=unix://{}", sock.display()));
            }
        })
        .await
        .map_err(|e| CliError::from(EngineError::from(e)))
    });
    drop(rt);
    if let Err(e) = guard.shutdown() {
        ui.warn(&format!("telemetry shutdown: {e}"));
    }
    result?;
    ui.status("stopped");
    Ok(EXIT_OK)
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("install SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
