//! `x0t apply`: converge the state directory to the manifest.

use std::time::Duration;

use clap::Args;

use super::connect::Live;
use super::{Ctx, EXIT_OK};
use crate::cli::parse_duration;
use crate::engine::apply::{self, ApplyOptions, ApplyReport};
use crate::engine::manifest::Loaded;
use crate::engine::plan;
use crate::engine::state::{self, Lock, StateDir};
use crate::engine::timefmt;
use crate::error::CliError;
use crate::ui::Ui;

/// Create, renew and rotate what the plan lists: CA, SVIDs, PQC keys, node configs, roster.
///
/// Shows the plan first and asks for confirmation on a terminal; without a terminal it
/// refuses unless --auto-approve. A second apply has nothing to do. Writes are atomic: a
/// failed or killed apply leaves the previous state or the complete new one.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Apply without asking
    #[arg(long)]
    pub auto_approve: bool,

    /// Also delete the files of nodes and operators no longer in the manifest
    #[arg(long)]
    pub prune: bool,

    /// Replace a CA that this state directory did not create
    #[arg(long)]
    pub force: bool,

    /// How long to wait for another apply holding the state lock
    #[arg(long, value_parser = parse_duration, default_value = "30s", value_name = "DURATION")]
    pub lock_timeout: Duration,

    /// Replace this resource even if it is not due (an SVID, workload CA or PQC key, e.g.
    /// node.n1.svid; `ca` starts a staged CA rollover); repeatable
    #[arg(long, value_name = "ADDRESS")]
    pub replace: Vec<String>,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &ApplyArgs) -> Result<i32, CliError> {
    let loaded = ctx.load_manifest(ui)?;
    let dir = ctx.state_dir(&loaded.path);
    let report = converge(ui, ctx, &loaded, &dir, args, args.auto_approve)?;
    if let Some(report) = report {
        if ui.is_json() {
            ui.json(&report)?;
        }
    }
    Ok(EXIT_OK)
}

/// Plans and applies under the state lock. `None` when the operator declined.
pub fn converge(
    ui: &mut Ui,
    ctx: &Ctx,
    loaded: &Loaded,
    dir: &StateDir,
    args: &ApplyArgs,
    approved: bool,
) -> Result<Option<ApplyReport>, CliError> {
    dir.create().map_err(crate::engine::EngineError::from)?;
    let _lock = Lock::acquire(&dir.root, "x0t apply", args.lock_timeout, |holder| {
        ui.status(&format!("waiting for the state lock held by {holder}"));
    })
    .map_err(|e| crate::engine::EngineError::from(state::StateError::from(e)))?;
    if state::recover(dir).map_err(crate::engine::EngineError::from)? {
        ui.warn("finished an apply that was interrupted earlier");
    }
    let replace = args
        .replace
        .iter()
        .map(|a| plan::replaceable(&loaded.manifest, a))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::new(e).hint("`x0t plan` lists every resource address"))?;
    let live = super::connect::probe(ui, ctx, loaded, dir);
    let trust = live.as_ref().and_then(|l| l.trust());
    let mut p = plan::plan_with(
        &loaded.manifest,
        dir,
        timefmt::now(),
        &replace,
        trust.as_ref(),
    )?;
    super::connect::attach_membership(live.as_ref(), loaded, &mut p);
    if !ui.is_json() {
        let text = super::plan::render(ui, &p);
        ui.data(&text)?;
    }
    if !p.has_changes() {
        return Ok(Some(apply::apply(
            &loaded.manifest,
            dir,
            &p,
            ApplyOptions::default(),
            &|_, _| {},
        )?));
    }
    if let Some(m) = &p.membership {
        if !m.keeps_quorum && !args.force {
            return Err(CliError::new(format!(
                "refusing a membership change that leaves {} of {} voters reachable: the mesh would lose its quorum",
                m.reachable_voters_after,
                m.voters_after.len()
            ))
            .hint("start the missing voters first, or pass --force if you accept an unavailable mesh"));
        }
    }
    if !approved {
        if !ui.stdin_is_terminal() {
            return Err(
                CliError::new("apply needs confirmation, and stdin is not a terminal")
                    .hint("pass --auto-approve to apply without asking"),
            );
        }
        if !ui.confirm("\nApply these actions?")? {
            ui.status("Apply cancelled.");
            return Ok(None);
        }
    }
    let bar = progress_bar(ui);
    let opts = ApplyOptions {
        prune: args.prune,
        force: args.force,
    };
    // With the mesh running, the new roster (new public keys, retired ones kept) reaches
    // every node before the new secret keys are on disk for nodes to reload.
    let published = std::cell::Cell::new(false);
    let publish =
        |roster: &crate::engine::roster::Roster| -> Result<(), crate::engine::EngineError> {
            if let (Some(Live { rt, client, .. }), Some(_)) = (&live, &p.membership) {
                rt.block_on(crate::engine::node::live::publish_roster(client, roster))
                    .map_err(crate::engine::EngineError::from)?;
                published.set(true);
            }
            Ok(())
        };
    let report = apply::apply_with(
        &loaded.manifest,
        dir,
        &p,
        opts,
        &|done, total| {
            if let Some(b) = &bar {
                b.set_length(total as u64);
                b.set_position(done as u64);
            }
        },
        &publish,
    );
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let report = report?;
    // The files are committed; now the running mesh learns the new roster and membership.
    let roster_changed = p
        .actions
        .iter()
        .any(|a| a.resource_type == crate::engine::plan::ResourceType::Roster);
    if let (Some(Live { rt, client, .. }), Some(m)) = (
        &live,
        p.membership
            .as_ref()
            .filter(|m| m.has_changes() || roster_changed),
    ) {
        let roster_bytes = dir
            .read(crate::engine::state::layout::ROSTER)
            .map_err(crate::engine::EngineError::from)?;
        let roster = serde_json::from_slice(&roster_bytes)
            .map_err(|e| CliError::new(format!("roster.json: {e}")))?;
        if !published.get() {
            rt.block_on(crate::engine::node::live::publish_roster(client, &roster))
                .map_err(crate::engine::EngineError::from)?;
        }
        rt.block_on(crate::engine::node::live::reconcile(client, &roster, m))
            .map_err(crate::engine::EngineError::from)?;
        for c in &m.changes {
            ui.status(&format!("membership: {} {}", c.action, c.node));
        }
    }
    let a = &report.applied;
    ui.status(&format!(
        "Apply complete: {} created, {} updated, {} replaced, {} deleted; {} files written (state serial {}).",
        a.create, a.update, a.replace, a.delete, report.files_written, report.serial
    ));
    if !report.skipped_deletes.is_empty() {
        ui.warn(&format!(
            "kept {} resource(s) of removed nodes/operators: {}; pass --prune to delete them",
            report.skipped_deletes.len(),
            report.skipped_deletes.join(", ")
        ));
    }
    Ok(Some(report))
}

fn progress_bar(ui: &Ui) -> Option<indicatif::ProgressBar> {
    if !ui.stderr_is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("generating {bar:30} {pos}/{len} resources")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}
