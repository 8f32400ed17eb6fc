//! `x0t rag`: index runbooks and the operator's notes, and answer questions from them.

mod index;
mod query;

use std::path::PathBuf;

use clap::Subcommand;

use super::Ctx;
use crate::engine::rag::{self, Embedder, HnswParams, Progress, RagConfig};
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Search runbooks and incident knowledge (BM25 + HNSW, fused by reciprocal rank).
#[derive(Debug, Subcommand)]
pub enum RagCommand {
    Index(index::IndexArgs),
    Query(query::QueryArgs),
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &RagCommand) -> Result<i32, CliError> {
    match cmd {
        RagCommand::Index(a) => index::run(ui, ctx, a),
        RagCommand::Query(a) => query::run(ui, ctx, a),
    }
}

/// The index to use: `<state-dir>/rag` with the manifest's `rag` settings; with no manifest
/// at hand (no `-f`, no `x0t.yaml` here, no `--state-dir`), a per-user index of the
/// built-in runbooks, so `rag query` answers anywhere.
fn config(ui: &Ui, ctx: &Ctx) -> Result<RagConfig, CliError> {
    let defaults = HnswParams::from(&crate::engine::manifest::HnswSpec::default());
    let path = ctx.manifest_path();
    if ctx.global.file.is_none() && !path.exists() {
        let root = match &ctx.global.state_dir {
            Some(d) => d.join("rag"),
            None => rag::user_index_dir().ok_or_else(|| {
                CliError::new("no manifest here and no home directory for a per-user index")
                    .hint("pass --state-dir DIR, or -f MANIFEST")
            })?,
        };
        return Ok(RagConfig {
            root,
            sources: Vec::new(),
            hnsw: defaults,
        });
    }
    let loaded = ctx.load_manifest(ui)?;
    let base = loaded
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let spec = &loaded.manifest.spec.rag;
    Ok(RagConfig {
        root: ctx.state_dir(&loaded.path).path("rag"),
        sources: spec.sources.iter().map(|s| base.join(s)).collect(),
        hnsw: HnswParams::from(&spec.hnsw),
    })
}

/// Loads the embedder and says plainly when it is the fallback.
fn embedder(ui: &Ui) -> Result<Embedder, CliError> {
    let e = Embedder::load_default().map_err(EngineError::from)?;
    if e.is_fallback() {
        let why = if std::env::var("X0T_EMBEDDER").is_ok_and(|v| v == "hash") {
            "X0T_EMBEDDER=hash is set".to_string()
        } else {
            let dir = rag::embed::model_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| "$X0T_MODEL_DIR".into());
            format!("no MiniLM weights in {dir} (`cargo xtask setup` fetches them; X0T_MODEL_DIR points elsewhere)")
        };
        ui.warn(&format!(
            "using the fallback hashing embedder ({}), which matches words, not meaning: {why}",
            e.id()
        ));
    }
    Ok(e)
}

/// A progress bar on a terminal's stderr for embedding and graph building.
fn progress(ui: &Ui) -> impl FnMut(Progress) {
    let bar = ui.stderr_is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    move |p| {
        let Some(bar) = &bar else { return };
        match p {
            Progress::Embedding { done, total } => {
                bar.set_message("embedding chunks");
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
            // The graph build reports no steps: the bar goes once embedding is done.
            Progress::Graph { .. } => bar.finish_and_clear(),
        }
    }
}
