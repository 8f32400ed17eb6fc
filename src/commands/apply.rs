//! `x0t apply`: converge the state directory to the manifest.

use std::time::Duration;

use clap::Args;

use super::{Ctx, EXIT_OK};
use crate::cli::parse_duration;
use crate::engine::manifest::{Loaded, Manifest};
use crate::engine::plan::apply::{ApplyOptions, ApplyReport};
use crate::engine::plan::converge::{self, LiveNote, Request};
use crate::engine::plan::{self, Address};
use crate::engine::state::StateDir;
use crate::engine::util::timefmt;
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
    let replace = replace_addresses(&loaded.manifest, &args.replace)?;
    let opts = Converge {
        replace,
        options: ApplyOptions {
            prune: args.prune,
            force: args.force,
        },
        lock_timeout: args.lock_timeout,
        approved: args.auto_approve,
    };
    let report = converge(ui, ctx, &loaded, &dir, &opts)?;
    if let Some(report) = report {
        if ui.is_json() {
            ui.json(&report)?;
        }
    }
    Ok(EXIT_OK)
}

/// How long `up` and `keys rotate`, which have no flag for it, wait for the state lock.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// `--replace` addresses, checked against the manifest.
pub fn replace_addresses(m: &Manifest, given: &[String]) -> Result<Vec<Address>, CliError> {
    given
        .iter()
        .map(|a| plan::replaceable(m, a))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::new(e).hint("`x0t plan` lists every resource address"))
}

/// What `apply`, `up` and `keys rotate` ask of a converge.
pub struct Converge {
    pub replace: Vec<Address>,
    pub options: ApplyOptions,
    pub lock_timeout: Duration,
    /// Apply without asking.
    pub approved: bool,
}

/// Tells the operator what the look at the live mesh found.
pub fn say_live_note(ui: &Ui, note: Option<LiveNote>) {
    match note {
        Some(LiveNote::NotRunning) => ui.detail(
            "no node answered: the mesh is not running, so there is no live membership to change",
        ),
        Some(LiveNote::NoLeader) => ui.warn(
            "nodes answered but none leads (an election is under way or the quorum is lost): \
             the plan shows no membership changes; run it again once `x0t status` names a leader",
        ),
        None => {}
    }
}

/// Plans and applies under the state lock, showing the plan and asking first unless
/// approved. `None` when the operator declined.
pub fn converge(
    ui: &mut Ui,
    ctx: &Ctx,
    loaded: &Loaded,
    dir: &StateDir,
    c: &Converge,
) -> Result<Option<ApplyReport>, CliError> {
    let lock = converge::lock(dir, c.lock_timeout, |holder| {
        ui.status(&format!("waiting for the state lock held by {holder}"));
    })?;
    if lock.recovered {
        ui.warn("finished an apply that was interrupted earlier");
    }
    let m = &loaded.manifest;
    let request = Request {
        now: timefmt::now(),
        replace: c.replace.clone(),
        timeout: ctx.global.timeout,
    };
    let prepared = converge::prepare(m, dir, &request)?;
    say_live_note(ui, prepared.live_note);
    let p = &prepared.plan;
    if !ui.is_json() {
        let text = super::plan::render(ui, p);
        ui.data(&text)?;
    }
    if !p.has_changes() {
        let applied = prepared.apply(m, dir, ApplyOptions::default(), &|_, _| {})?;
        return Ok(Some(applied.report));
    }
    if let Some((reachable, voters)) = prepared.quorum_loss() {
        if !c.options.force {
            return Err(CliError::new(format!(
                "refusing a membership change that leaves {reachable} of {voters} voters reachable: the mesh would lose its quorum"
            ))
            .hint("start the missing voters first, or pass --force if you accept an unavailable mesh"));
        }
    }
    if !c.approved {
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
    let applied = prepared.apply(m, dir, c.options, &|done, total| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let applied = applied?;
    for change in &applied.membership {
        ui.status(&format!("membership: {} {}", change.action, change.node));
    }
    let report = applied.report;
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
