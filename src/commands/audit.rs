//! `x0t audit`: the replicated record of who changed the mesh.

use clap::Args;

use super::connect::ConnectArgs;
use super::{Ctx, EXIT_OK};
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Show the audit trail: every key written or deleted and every raft member added, moved or
/// removed through the admin API, with the operator who did it and when, oldest first. Every
/// node keeps the same records, the newest 100,000 to 125,000; the read is linearizable.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only records at this revision (log index) or later
    #[arg(long, value_name = "REVISION", default_value_t = 0)]
    pub since: u64,

    /// Show at most this many, the newest ones (0: every record kept)
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub limit: u64,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &AuditArgs) -> Result<i32, CliError> {
    let (rt, client) = args.connect.client(ui, ctx)?;
    let (records, revision) = rt
        .block_on(client.audit(args.since, args.limit))
        .map_err(EngineError::from)?;
    if ui.is_json() {
        ui.json(&serde_json::json!({
            "schemaVersion": 1,
            "revision": revision,
            "records": records,
        }))?;
        return Ok(EXIT_OK);
    }
    for r in &records {
        let detail = if r.detail.is_empty() {
            String::new()
        } else {
            format!("\t{}", r.detail)
        };
        ui.line(&format!(
            "{}\t{}\t{}\t{}\t{}{detail}",
            r.index, r.at, r.actor, r.action, r.key
        ))?;
    }
    Ok(EXIT_OK)
}
