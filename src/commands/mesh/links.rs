//! `x0t mesh links`: each node's data-plane links.

use clap::Args;

use super::super::connect::ConnectArgs;
use super::super::{Ctx, EXIT_DIFFERS, EXIT_OK};
use super::ms;
use crate::error::{CliError, EngineError};
use crate::ui::{Style, Ui};

/// Show each node's data-plane links: peer, state (up, degraded, down), smoothed round
/// trip, jitter, loss, cost and the key exchange the link negotiated.
///
/// Exits 0 when every asked node answered, 2 when one did not.
#[derive(Debug, Args)]
pub struct LinksArgs {
    /// Only this node (default: every node, relays included)
    #[arg(long, value_name = "NODE")]
    pub node: Option<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &LinksArgs) -> Result<i32, CliError> {
    let (rt, client) = a.connect.client(ui, ctx)?;
    let links = rt
        .block_on(client.mesh_links(a.node.as_deref()))
        .map_err(EngineError::from)?;
    if ui.is_json() {
        ui.json(&links)?;
    } else {
        let mut out = format!(
            "{:<10} {:<10} {:<9} {:>5} {:>10} {:>10} {:>6}  {}\n",
            "NODE", "PEER", "STATE", "COST", "RTT", "JITTER", "LOSS", "KX"
        );
        for n in &links.nodes {
            if !n.reachable {
                let err = format!("unreachable: {}", n.error.as_deref().unwrap_or(""));
                out.push_str(&format!(
                    "{:<10} {}\n",
                    n.node,
                    ui.paint(Style::Remove, &err)
                ));
                continue;
            }
            for l in &n.links {
                let state = match l.state.as_str() {
                    "up" => ui.paint(Style::Add, &l.state),
                    "degraded" => ui.paint(Style::Change, &l.state),
                    _ => ui.paint(Style::Remove, &l.state),
                };
                out.push_str(&format!(
                    "{:<10} {:<10} {:<9} {:>5} {:>10} {:>10} {:>5.1}%  {}\n",
                    n.node,
                    l.peer,
                    state,
                    l.cost,
                    l.rtt_seconds.map(ms).unwrap_or_else(|| "-".into()),
                    ms(l.jitter_seconds),
                    l.loss * 100.0,
                    l.kx_group
                ));
            }
        }
        ui.data(&out)?;
    }
    Ok(if links.nodes.iter().all(|n| n.reachable) {
        EXIT_OK
    } else {
        EXIT_DIFFERS
    })
}
