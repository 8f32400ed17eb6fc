//! `x0t status`: every node's view of the cluster.

use clap::Args;

use super::connect::ConnectArgs;
use super::{Ctx, EXIT_DIFFERS, EXIT_OK};
use crate::engine::util::timefmt;
use crate::error::CliError;
use crate::ui::{Style, Ui};

/// Show every node, relays included: SPIFFE ID, role, Raft state, term, log and applied
/// index, lag, data-plane links up and routes known, leader, negotiated key exchange, SVID
/// expiry, x0t version and protocols spoken, reachability; and the protocol the mesh
/// speaks.
///
/// Exits 0 when every node answers and there is a leader, 2 when degraded, 1 on error.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &StatusArgs) -> Result<i32, CliError> {
    let (rt, client) = args.connect.client(ui, ctx)?;
    let status = rt.block_on(client.status());
    if ui.is_json() {
        ui.json(&status)?;
    } else {
        let mut out = format!(
            "{:<8} {:<7} {:<10} {:>5} {:>8} {:>8} {:>5} {:>11}  {:<16} {:<8} {:<12} {}\n",
            "NODE",
            "ROLE",
            "STATE",
            "TERM",
            "LOG",
            "APPLIED",
            "LAG",
            "LINKS/ROUTES",
            "KX",
            "SVID",
            "VERSION",
            "SPIFFE ID"
        );
        for n in &status.nodes {
            if !n.reachable {
                let err = ui.paint(
                    Style::Remove,
                    &format!("unreachable: {}", n.error.as_deref().unwrap_or("")),
                );
                out.push_str(&format!("{:<8} {}\n", n.node, err));
                continue;
            }
            let svid = n
                .svid_expires_in_seconds
                .map(|s| timefmt::span(std::time::Duration::from_secs(s)))
                .unwrap_or_default();
            let num = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
            let mesh = format!(
                "{}/{}",
                n.mesh_links_up.unwrap_or(0),
                n.mesh_routes.unwrap_or(0)
            );
            let version = format!(
                "{} p{}",
                n.version.as_deref().unwrap_or("?"),
                n.protocols.map_or_else(|| "?".into(), |p| p.to_string())
            );
            out.push_str(&format!(
                "{:<8} {:<7} {:<10} {:>5} {:>8} {:>8} {:>5} {:>11}  {:<16} {:<8} {:<12} {}\n",
                n.node,
                n.role.as_deref().unwrap_or(""),
                n.raft_state.as_deref().unwrap_or("-"),
                num(n.term),
                num(n.last_log_index),
                num(n.applied_index),
                num(n.lag),
                mesh,
                n.kx_group.as_deref().unwrap_or(""),
                svid,
                version,
                n.spiffe_id.as_deref().unwrap_or("")
            ));
        }
        out.push_str(&format!(
            "\nleader: {}; voters: {}; learners: {}; protocol: {}; {}\n",
            status.leader.as_deref().unwrap_or("none"),
            status.voters.join(","),
            if status.learners.is_empty() {
                "none".to_string()
            } else {
                status.learners.join(",")
            },
            status
                .mesh_protocol
                .map_or_else(|| "?".into(), |p| p.to_string()),
            if status.healthy {
                ui.paint(Style::Add, "healthy")
            } else {
                ui.paint(Style::Remove, "DEGRADED")
            }
        ));
        let chaos: Vec<&str> = (status.nodes.iter())
            .filter(|n| n.chaos_enabled)
            .map(|n| n.node.as_str())
            .collect();
        if !chaos.is_empty() {
            let warn = format!(
                "chaos enabled on {}: link faults may be injected\n",
                chaos.join(",")
            );
            out.push_str(&ui.paint(Style::Change, &warn));
        }
        ui.data(&out)?;
    }
    Ok(if status.healthy {
        EXIT_OK
    } else {
        EXIT_DIFFERS
    })
}
