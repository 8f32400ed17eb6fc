//! `x0t bench tcp`: the data-plane benchmark's open-loop generator over plain TCP, for
//! driving another overlay with the same load.

use std::time::Duration;

use clap::Args;
use serde::Serialize;

use crate::cli::parse_duration;
use crate::commands::connect::runtime;
use crate::commands::{Ctx, EXIT_OK};
use crate::engine::bench::mesh::RateResult;
use crate::engine::bench::tcp;
use crate::error::CliError;
use crate::ui::Ui;

/// Offer 1 KiB messages over one TCP connection at fixed rates, open loop, timing each
/// from its scheduled send time to its answer (as `bench mesh` does), to a sink started
/// with --listen. Used to drive another overlay, such as a Nebula relay hop, with the same
/// load; the sink answers each message once read and stores nothing.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("side").required(true).args(["listen", "connect"])))]
pub struct TcpArgs {
    /// Answer messages on this address until stopped
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,

    /// Offer messages to the sink at this address
    #[arg(long, value_name = "ADDR")]
    pub connect: Option<String>,

    /// Offered rates, messages per second
    #[arg(long, value_delimiter = ',', default_value = "1000,5000,10000")]
    pub rates: Vec<u64>,

    /// How long each rate runs
    #[arg(long, value_parser = parse_duration, default_value = "5s", value_name = "DURATION")]
    pub duration: Duration,

    /// Offer each rate this long first, uncounted
    #[arg(long, value_parser = parse_duration, default_value = "1s", value_name = "DURATION")]
    pub warmup: Duration,

    /// Message size in bytes
    #[arg(long, default_value_t = 1024)]
    pub size: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    schema_version: u32,
    target: String,
    message_bytes: usize,
    levels: Vec<RateResult>,
}

pub fn run(ui: &mut Ui, _ctx: &Ctx, args: &TcpArgs) -> Result<i32, CliError> {
    if let Some(addr) = &args.listen {
        return runtime()?.block_on(async {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| CliError::io(&format!("listen on {addr}"), e))?;
            ui.status(&format!("bench sink listening on {addr}"));
            tcp::sink(listener)
                .await
                .map_err(|e| CliError::io("accept a connection", e))?;
            Ok(EXIT_OK)
        });
    }
    let addr = args.connect.clone().unwrap_or_default();
    let mut levels = Vec::new();
    for &rate in &args.rates {
        ui.status(&format!(
            "{addr}: {rate} msg/s for {}",
            humantime::format_duration(args.duration)
        ));
        let level = (!args.warmup.is_zero())
            .then(|| tcp::open_loop(&addr, rate, args.warmup, args.size))
            .transpose()
            .and_then(|_| tcp::open_loop(&addr, rate, args.duration, args.size));
        let samples = level.map_err(|e| CliError::io(&format!("offer messages to {addr}"), e))?;
        levels.push(samples.result(rate, args.duration));
    }
    let report = Report {
        schema_version: 1,
        target: addr,
        message_bytes: args.size,
        levels,
    };
    if ui.is_json() {
        ui.json(&report)?;
        return Ok(EXIT_OK);
    }
    let out = format!(
        "x0t bench tcp: {}-byte messages to {}, open loop, answered once read\n{}",
        report.message_bytes,
        report.target,
        super::mesh::levels_table(&report.levels)
    );
    ui.data(&out)?;
    Ok(EXIT_OK)
}
