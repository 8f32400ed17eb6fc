//! `x0t chaos link`: cut, degrade or delay one direction of a link.

use clap::Args;

use super::super::connect::ConnectArgs;
use super::super::{Ctx, EXIT_OK};
use crate::engine::client::{FaultView, LinkFaults};
use crate::error::{CliError, EngineError};
use crate::ui::Ui;

/// Set a fault on what FROM sends to TO, on the data plane and Raft alike: a cut link, a
/// share of requests lost, a delay with jitter; or make FROM a hostile relay of the frames
/// it passes on to TO (altered, dropped, replayed). Without a fault flag (or with --clear) the
/// link is healed. Refused unless the manifest sets spec.chaos.enabled: true.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The node whose requests are faulted
    pub from: String,
    /// The peer they go to
    pub to: String,
    /// Fail every request, as if the link were unplugged
    #[arg(long)]
    pub cut: bool,
    /// Fail this percentage of requests
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    pub loss: Option<f64>,
    /// Hold each request this long before sending it
    #[arg(long, value_name = "DURATION", value_parser = crate::cli::parse_duration)]
    pub delay: Option<std::time::Duration>,
    /// Vary the delay by up to this much either way
    #[arg(long, value_name = "DURATION", value_parser = crate::cli::parse_duration)]
    pub jitter: Option<std::time::Duration>,
    /// Alter this percentage of the data-plane frames FROM relays to TO for other nodes, as
    /// a hostile relay would (the destination refuses them; senders route around FROM)
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    pub corrupt: Option<f64>,
    /// Swallow the data-plane frames FROM relays to TO, answering nothing (probes still
    /// pass, so only senders notice)
    #[arg(long)]
    pub blackhole: bool,
    /// Pass each data-plane frame FROM relays to TO on twice (the destination stores it
    /// once and counts the duplicate)
    #[arg(long)]
    pub replay: bool,
    /// Remove the fault
    #[arg(long, conflicts_with_all = ["cut", "loss", "delay", "jitter", "corrupt", "blackhole", "replay"])]
    pub clear: bool,
    /// Also set it on TO's requests to FROM
    #[arg(long)]
    pub both: bool,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

fn percent(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("{s:?} is not a percentage"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err("a percentage is 0..=100".into())
    }
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &LinkArgs) -> Result<i32, CliError> {
    let (rt, client) = a.connect.client(ui, ctx)?;
    let fault = |peer: &str| FaultView {
        peer: peer.into(),
        cut: a.cut,
        loss: a.loss.unwrap_or(0.0) / 100.0,
        delay_seconds: a.delay.unwrap_or_default().as_secs_f64(),
        jitter_seconds: a.jitter.unwrap_or_default().as_secs_f64(),
        corrupt: a.corrupt.unwrap_or(0.0) / 100.0,
        blackhole: a.blackhole,
        replay: a.replay,
    };
    let mut directions = vec![(a.from.as_str(), a.to.as_str())];
    if a.both {
        directions.push((a.to.as_str(), a.from.as_str()));
    }
    let mut nodes = Vec::new();
    for (from, to) in directions {
        let n = rt
            .block_on(client.chaos_link(from, &fault(to)))
            .map_err(EngineError::from)?;
        nodes.push(n);
    }
    let report = LinkFaults {
        schema_version: 1,
        nodes,
    };
    if ui.is_json() {
        ui.json(&report)?;
    } else {
        let mut out = String::new();
        for n in &report.nodes {
            if n.faults.is_empty() {
                out.push_str(&format!("{}: no faults\n", n.node));
            }
            for f in &n.faults {
                let mut what = Vec::new();
                if f.cut {
                    what.push("cut".to_string());
                }
                if f.loss > 0.0 {
                    what.push(format!("{:.1}% loss", f.loss * 100.0));
                }
                if f.corrupt > 0.0 {
                    what.push(format!(
                        "{:.1}% of relayed frames altered",
                        f.corrupt * 100.0
                    ));
                }
                if f.blackhole {
                    what.push("relayed frames dropped".into());
                }
                if f.replay {
                    what.push("relayed frames replayed".into());
                }
                if f.delay_seconds > 0.0 || f.jitter_seconds > 0.0 {
                    what.push(format!(
                        "delay {:.1}ms +/- {:.1}ms",
                        f.delay_seconds * 1e3,
                        f.jitter_seconds * 1e3
                    ));
                }
                out.push_str(&format!("{} -> {}: {}\n", n.node, f.peer, what.join(", ")));
            }
        }
        ui.data(&out)?;
    }
    Ok(EXIT_OK)
}
