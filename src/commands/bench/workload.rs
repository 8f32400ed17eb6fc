//! `x0t bench workload`: a running node's SPIFFE Workload API under load.

use std::time::Duration;

use clap::Args;

use crate::cli::parse_duration;
use crate::commands::connect::runtime;
use crate::commands::{Ctx, EXIT_OK};
use crate::engine::bench::workload as workload_bench;
use crate::engine::client::workload::FetchError;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Time from connect to first X509-SVID over fresh connections, then SVIDs served per
/// second to concurrent clients, against a running node's workload socket (the calling
/// process must be a workload of that node).
#[derive(Debug, Args)]
pub struct WorkloadArgs {
    /// The Workload API endpoint: a socket path or `unix:///path`
    #[arg(long, value_name = "ENDPOINT", env = "SPIFFE_ENDPOINT_SOCKET")]
    pub socket: Option<String>,
    /// Fresh connections timed to their first SVID
    #[arg(long, default_value_t = 200)]
    pub connects: usize,
    /// Concurrent clients for the throughput phase
    #[arg(long, default_value_t = 100)]
    pub clients: usize,
    /// How long the throughput phase runs
    #[arg(long, value_parser = parse_duration, default_value = "5s", value_name = "DURATION")]
    pub duration: Duration,
}

pub fn run(ui: &mut Ui, _ctx: &Ctx, args: &WorkloadArgs) -> Result<i32, CliError> {
    let endpoint = args
        .socket
        .clone()
        .ok_or(EngineError::from(FetchError::NoEndpoint))?;
    let r = runtime()?
        .block_on(workload_bench::bench(
            &endpoint,
            args.connects,
            args.clients,
            args.duration,
        ))
        .map_err(EngineError::from)?;
    if ui.is_json() {
        ui.json(&r)?;
    } else {
        ui.line(&format!(
            "first SVID after connect: p50 {:.2} ms, p99 {:.2} ms ({} connections)",
            r.first_svid_p50_ms, r.first_svid_p99_ms, r.connects
        ))?;
        ui.line(&format!(
            "{} clients: {:.0} SVIDs/s over {:.1} s (fetch p50 {:.2} ms, p99 {:.2} ms), {} errors",
            r.clients, r.svids_per_second, r.seconds, r.fetch_p50_ms, r.fetch_p99_ms, r.errors
        ))?;
    }
    Ok(EXIT_OK)
}
