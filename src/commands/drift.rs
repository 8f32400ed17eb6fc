//! `x0t drift`: compare the disk with what was applied.

use clap::Args;

use super::{Ctx, EXIT_DRIFT, EXIT_OK};
use crate::engine::plan::drift;
use crate::error::CliError;
use crate::ui::Ui;

/// Check that every applied file is still on disk, unchanged, with its mode.
///
/// Read-only. Exits 0 when the disk matches state.json, 3 when it does not, listing each
/// difference (deleted, modified, mode).
#[derive(Debug, Args)]
pub struct DriftArgs {}

pub fn run(ui: &mut Ui, ctx: &Ctx, _args: &DriftArgs) -> Result<i32, CliError> {
    // The manifest only locates the state directory; --state-dir alone is enough.
    let manifest = ctx.manifest_path();
    let dir = ctx.state_dir(&manifest);
    let report = drift::drift(&dir)?;
    if ui.is_json() {
        ui.json(&report)?;
    } else if report.drift.is_empty() {
        ui.line(&format!(
            "No drift: {} files in {} match state serial {}.",
            report.files_checked,
            dir.root.display(),
            report.serial
        ))?;
    } else {
        for d in &report.drift {
            ui.line(&format!("{:<24} {}  {}", d.resource, d.path, d.detail))?;
        }
        ui.line(&format!(
            "\nDrift: {} difference(s); `x0t plan` shows how apply repairs them.",
            report.drift.len()
        ))?;
    }
    Ok(if report.drift.is_empty() {
        EXIT_OK
    } else {
        EXIT_DRIFT
    })
}
