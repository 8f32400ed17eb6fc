//! `x0t mesh routes`: each node's data-plane routes.

use clap::Args;

use super::super::connect::ConnectArgs;
use super::super::{Ctx, EXIT_DIFFERS, EXIT_OK};
use crate::error::{CliError, EngineError};
use crate::ui::{Style, Ui};

/// Show each node's routes: destination, next hop, the whole path and its metric (the sum
/// over its links of cost x smoothed round trip in ms x loss penalty).
///
/// Exits 0 when every asked node answered, 2 when one did not.
#[derive(Debug, Args)]
pub struct RoutesArgs {
    /// Only this node (default: every node, relays included)
    #[arg(long, value_name = "NODE")]
    pub node: Option<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &RoutesArgs) -> Result<i32, CliError> {
    let (rt, client) = a.connect.client(ui, ctx)?;
    let routes = rt
        .block_on(client.mesh_routes(a.node.as_deref()))
        .map_err(EngineError::from)?;
    if ui.is_json() {
        ui.json(&routes)?;
    } else {
        let mut out = format!(
            "{:<10} {:<12} {:<10} {:>9}  {}\n",
            "NODE", "DESTINATION", "NEXT HOP", "METRIC", "PATH"
        );
        for n in &routes.nodes {
            if !n.reachable {
                let err = format!("unreachable: {}", n.error.as_deref().unwrap_or(""));
                out.push_str(&format!(
                    "{:<10} {}\n",
                    n.node,
                    ui.paint(Style::Remove, &err)
                ));
                continue;
            }
            for r in &n.routes {
                out.push_str(&format!(
                    "{:<10} {:<12} {:<10} {:>9.3}  {}\n",
                    n.node,
                    r.destination,
                    r.next_hop,
                    r.metric,
                    r.path.join(" > ")
                ));
            }
        }
        ui.data(&out)?;
    }
    Ok(if routes.nodes.iter().all(|n| n.reachable) {
        EXIT_OK
    } else {
        EXIT_DIFFERS
    })
}
