//! `x0t mesh ping`: a traced ping over the data plane's routes.

use clap::Args;

use super::super::connect::ConnectArgs;
use super::super::{Ctx, EXIT_OK};
use super::ms;
use crate::error::{CliError, EngineError};
use crate::ui::Ui;

/// Ping NODE over the mesh data plane from another node, following the routes hop by hop:
/// prints the path each ping took and the round trip of every hop.
///
/// Exits 0 if at least one ping arrived, 1 if NODE is unreachable.
#[derive(Debug, Args)]
pub struct PingArgs {
    /// The node to reach
    pub node: String,
    /// Ping from this node [default: the first other node of the mesh]
    #[arg(long, value_name = "NODE")]
    pub from: Option<String>,
    /// How many pings, one after another
    #[arg(long, short = 'c', default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub count: u32,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &PingArgs) -> Result<i32, CliError> {
    let (rt, client) = a.connect.client(ui, ctx)?;
    let ping = rt
        .block_on(client.mesh_ping(&a.node, a.from.as_deref(), a.count))
        .map_err(EngineError::from)?;
    if ui.is_json() {
        ui.json(&ping)?;
    } else {
        let mut out = String::new();
        for (i, at) in ping.attempts.iter().enumerate() {
            if !at.ok {
                out.push_str(&format!(
                    "{}: unreachable: {}\n",
                    i + 1,
                    at.error.as_deref().unwrap_or("")
                ));
                continue;
            }
            let hops: Vec<String> = at
                .hops
                .iter()
                .map(|h| format!("{}>{} {}", h.from, h.to, ms(h.rtt_seconds)))
                .collect();
            out.push_str(&format!(
                "{}: {} in {} ({})\n",
                i + 1,
                at.path.join(" > "),
                ms(at.rtt_seconds),
                hops.join(", ")
            ));
        }
        out.push_str(&format!(
            "{} -> {}: {} sent, {} arrived\n",
            ping.from, ping.to, ping.sent, ping.received
        ));
        ui.data(&out)?;
    }
    if ping.reached() {
        Ok(EXIT_OK)
    } else {
        Err(CliError::new(format!(
            "{} cannot reach {} over the data plane",
            ping.from, ping.to
        ))
        .hint("`x0t mesh routes --node` shows what the node knows; `x0t mesh links` which links are down"))
    }
}
