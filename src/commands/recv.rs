//! `x0t recv`: read (and confirm) messages from a node's inbox.

use clap::Args;

use super::connect::ConnectArgs;
use super::{Ctx, EXIT_OK};
use crate::error::{CliError, EngineError};
use crate::ui::Ui;

/// Read messages from a node's inbox, oldest first, and remove them once read (admin
/// operators; a workload reads its own with --as-workload).
///
/// A message is removed only after it was printed; one read but not confirmed (the CLI
/// killed in between) is read again next time.
#[derive(Debug, Args)]
pub struct RecvArgs {
    /// The node whose inbox to read
    #[arg(long, value_name = "NODE")]
    pub node: String,
    /// Messages for this workload (its SPIFFE ID) instead of the node's own
    #[arg(long = "for", value_name = "SPIFFE_ID")]
    pub target: Option<String>,
    /// At most this many messages
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub max: u32,
    /// Wait this long for a first message when the inbox is empty
    #[arg(long, value_name = "DURATION", default_value = "0s", value_parser = crate::cli::parse_duration)]
    pub wait: std::time::Duration,
    /// Leave the messages in the inbox
    #[arg(long)]
    pub peek: bool,
    /// Read as the workload the Workload API at this socket identifies (its X509-SVID):
    /// its own inbox, on the node that hosts it
    #[arg(long, value_name = "SOCKET", conflicts_with = "target")]
    pub as_workload: Option<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &RecvArgs) -> Result<i32, CliError> {
    let (rt, client) = match &a.as_workload {
        Some(socket) => {
            let (rt, client, _) = a.connect.workload_client(ui, ctx, socket)?;
            (rt, client)
        }
        None => a.connect.client(ui, ctx)?,
    };
    let inbox = rt
        .block_on(client.recv(&a.node, a.target.as_deref(), a.max, a.wait, a.peek))
        .map_err(EngineError::from)?;
    if ui.is_json() {
        ui.json(&inbox)?;
    } else {
        let mut out = String::new();
        for m in &inbox.messages {
            out.push_str(&format!("{}\t{}\t{}\n", m.index, m.sender, m.data));
        }
        ui.data(&out)?;
    }
    Ok(EXIT_OK)
}
