//! `x0t send`: one message over the mesh data plane.

use std::io::Read;

use clap::Args;

use super::connect::ConnectArgs;
use super::{Ctx, EXIT_OK};
use crate::error::{CliError, EngineError};
use crate::ui::Ui;

/// Send a message over the mesh data plane to a node or to a workload on a node.
///
/// A node seals it end to end for the destination node (ML-KEM session, signed once with
/// ML-DSA; relays see only ciphertext) and routes it hop by hop. Exits 0 once the
/// destination has stored it in its inbox (`x0t recv` reads it), 1 if it was refused or not
/// acknowledged within --timeout (it may still arrive; a retry is stored once).
#[derive(Debug, Args)]
pub struct SendArgs {
    /// A node name, or a node's or workload's SPIFFE ID
    pub destination: String,
    /// The message; `-` or nothing reads stdin
    pub data: Option<String>,
    /// Send through this node [default: the first node that answers]
    #[arg(long, value_name = "NODE")]
    pub via: Option<String>,
    /// How long the message may take to arrive before the destination refuses it
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = crate::cli::parse_duration)]
    pub ttl: std::time::Duration,
    /// Send as the workload the Workload API at this socket identifies (its X509-SVID),
    /// through the node that hosts it, instead of as an operator
    #[arg(long, value_name = "SOCKET")]
    pub as_workload: Option<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &SendArgs) -> Result<i32, CliError> {
    let data = match a.data.as_deref() {
        Some(d) if d != "-" => d.as_bytes().to_vec(),
        _ => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| CliError::io("read the message from stdin", e))?;
            buf
        }
    };
    let (rt, client, via) = match &a.as_workload {
        Some(socket) => {
            let (rt, client, node) = a.connect.workload_client(ui, ctx, socket)?;
            (rt, client, Some(a.via.clone().unwrap_or(node)))
        }
        None => {
            let (rt, client) = a.connect.client(ui, ctx)?;
            (rt, client, a.via.clone())
        }
    };
    let sent = rt
        .block_on(client.send(&a.destination, data, via.as_deref(), a.ttl))
        .map_err(EngineError::from)?;
    if ui.is_json() {
        ui.json(&sent)?;
    } else {
        ui.line(&format!(
            "stored by {} for {} (message {}, seq {} via {})",
            sent.node, sent.target, sent.message_id, sent.seq, sent.via
        ))?;
    }
    Ok(EXIT_OK)
}
