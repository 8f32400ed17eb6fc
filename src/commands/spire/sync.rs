//! `x0t spire sync`: make a running SPIRE server's registration entries match the manifest.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use crate::cli::parse_duration;
use crate::commands::{Ctx, EXIT_OK};
use crate::engine::spire::{self, SpireCli, SyncChanges};
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Upsert the manifest's registration entries (a node alias per node, one entry per
/// workload) into a running SPIRE server through `spire-server`: reads `entry show`, then
/// creates, updates and deletes entries in x0t's namespaces (`/node/`, `/workload/`);
/// other entries are left alone. Node aliases change before the workloads under them, so
/// no workload entry is left without its node. Each command gets --timeout and is tried
/// up to 3 times while the server cannot be reached or does not answer. An entry the
/// server refuses is named and the sync exits 1; the rest stay applied, and the next sync
/// changes only what still differs. With --join-token NODE it also mints a join token for
/// that node's SPIRE agent.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The spire-server binary (a path, or a name on PATH)
    #[arg(long, value_name = "PATH", default_value = "spire-server")]
    pub server_bin: String,

    /// The SPIRE server's API socket, if not SPIRE's default
    #[arg(long, value_name = "PATH")]
    pub socket: Option<PathBuf>,

    /// Show what would change, change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Also mint a join token for this node's agent
    #[arg(long, value_name = "NODE")]
    pub join_token: Option<String>,

    /// Lifetime of the join token
    #[arg(long, value_parser = parse_duration, default_value = "10m", value_name = "DURATION")]
    pub token_ttl: Duration,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Synced {
    schema_version: u32,
    dry_run: bool,
    plan: SyncChanges,
    #[serde(skip_serializing_if = "Option::is_none")]
    join_token: Option<String>,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &SyncArgs) -> Result<i32, CliError> {
    let loaded = ctx.load_manifest(ui)?;
    let m = &loaded.manifest;
    if let Some(n) = &args.join_token {
        if m.node(n).is_none() {
            return Err(CliError::new(format!(
                "no node named `{n}` in the manifest"
            )));
        }
    }
    let cli = SpireCli::find(&args.server_bin, args.socket.clone(), ctx.global.timeout)
        .map_err(EngineError::from)?;
    let actual = cli.show().map_err(EngineError::from)?;
    let mut plan = spire::sync_changes(&m.spec.trust_domain, &spire::entries(m), &actual);
    if !args.dry_run {
        let outcome = cli
            .apply(&m.spec.trust_domain, &actual, &plan)
            .map_err(EngineError::from)?;
        if !outcome.refused.is_empty() {
            for l in outcome.applied.lines() {
                ui.line(&l)?;
            }
            return Err(EngineError::from(spire::SpireCliError::Entries(outcome.refused)).into());
        }
        plan = outcome.applied;
    }
    let token = match (&args.join_token, args.dry_run) {
        (Some(n), false) => Some(
            cli.join_token(&m.node_spiffe_id(n), args.token_ttl.as_secs())
                .map_err(EngineError::from)?
                .0,
        ),
        _ => None,
    };
    if ui.is_json() {
        ui.json(&Synced {
            schema_version: 1,
            dry_run: args.dry_run,
            plan,
            join_token: token,
        })?;
        return Ok(EXIT_OK);
    }
    for l in plan.lines() {
        ui.line(&l)?;
    }
    let verb = if args.dry_run {
        "would change"
    } else {
        "changed"
    };
    ui.status(&format!(
        "SPIRE entries: {verb} {} created, {} updated, {} deleted; {} unmanaged left alone",
        plan.create.len(),
        plan.update.len(),
        plan.delete.len(),
        plan.unmanaged
    ));
    if let Some(t) = token {
        ui.line(&format!("join token: {t}"))?;
    }
    Ok(EXIT_OK)
}
