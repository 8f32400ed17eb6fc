//! `x0t rag index`: build or refresh the retrieval index.

use std::path::PathBuf;

use clap::Args;

use super::super::{Ctx, EXIT_OK};
use crate::engine::rag;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Index the built-in runbooks, `rag.sources` and PATHS (markdown and text; directories
/// are walked). Files whose content is unchanged keep their embeddings; binary, non-UTF-8
/// and oversized files are skipped with a warning.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Extra files or directories to index this time
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Throw the existing index away and embed everything again
    #[arg(long)]
    pub rebuild: bool,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &IndexArgs) -> Result<i32, CliError> {
    let cfg = super::config(ui, ctx)?;
    let embedder = super::embedder(ui)?;
    let mut progress = super::progress(ui);
    let report = rag::index(&cfg, &args.paths, args.rebuild, &embedder, &mut progress)
        .map_err(EngineError::from)?;
    for w in &report.warnings {
        ui.warn(w);
    }
    if ui.is_json() {
        ui.json(&report)?;
        return Ok(EXIT_OK);
    }
    let what = if report.changed {
        format!(
            "indexed {} files, {} chunks ({} embedded, {} reused)",
            report.files, report.chunks, report.embedded, report.reused
        )
    } else {
        format!(
            "index up to date: {} files, {} chunks",
            report.files, report.chunks
        )
    };
    ui.line(&format!(
        "{what} with {} in {} ms -> {}",
        report.embedder.id,
        report.took.as_millis(),
        report.index.display()
    ))?;
    for f in &report.changed_files {
        ui.detail(&format!("  embedded {f}"));
    }
    for f in &report.removed_files {
        ui.detail(&format!("  removed  {f}"));
    }
    Ok(EXIT_OK)
}
