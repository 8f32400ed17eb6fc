//! `x0t rag query`: answer a question from the index.

use clap::{Args, ValueEnum};

use super::super::connect::ConnectArgs;
use super::super::{Ctx, EXIT_OK};
use crate::engine::rag::{self, Mode, QueryReport};
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::{Style, Ui};

/// Find the chunks that answer TEXT. Hybrid fuses the BM25 and vector rankings by
/// reciprocal rank (k = 60); each hit shows its source lines and both scores. Builds the
/// index first when there is none. With --node, the query runs on that live node's own
/// index through the admin API.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The question or keywords
    #[arg(value_name = "TEXT")]
    pub text: String,
    /// How many hits to return
    #[arg(short, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub k: u16,
    /// Which retrievers answer
    #[arg(long, value_enum, default_value_t = ModeArg::Hybrid)]
    pub mode: ModeArg,
    /// Ask this live node instead of the local index
    #[arg(long, value_name = "NAME")]
    pub node: Option<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// BM25 and vector search fused by reciprocal rank
    Hybrid,
    /// Keyword search only (tantivy BM25)
    Bm25,
    /// Semantic search only (MiniLM embeddings in an HNSW graph)
    Vector,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Hybrid => Mode::Hybrid,
            ModeArg::Bm25 => Mode::Bm25,
            ModeArg::Vector => Mode::Vector,
        }
    }
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &QueryArgs) -> Result<i32, CliError> {
    if let Some(node) = &args.node {
        let (rt, client) = args.connect.client(ui, ctx)?;
        let report = rt
            .block_on(client.rag_query(node, &args.text, args.k.into(), args.mode.into()))
            .map_err(EngineError::from)?;
        if report.embedder.fallback {
            ui.warn(&format!(
                "node {node} has no MiniLM weights: it answered with the fallback hashing embedder"
            ));
        }
        if report.built_index {
            ui.status(&format!(
                "node {node} had no rag index yet: it built one from the built-in runbooks"
            ));
        }
        render(ui, &report)?;
        return Ok(EXIT_OK);
    }
    let cfg = super::config(ui, ctx)?;
    let embedder = super::embedder(ui)?;
    let mut progress = super::progress(ui);
    let (ix, built) =
        rag::open_or_build(&cfg, &embedder, &mut progress).map_err(EngineError::from)?;
    if built {
        ui.status(&format!(
            "no rag index at {} yet: built one from the built-in runbooks{} ({} chunks)",
            cfg.root.display(),
            if cfg.sources.is_empty() {
                ""
            } else {
                " and rag.sources"
            },
            ix.chunks.len()
        ));
    }
    let mut report = rag::query(&ix, &embedder, &args.text, args.k.into(), args.mode.into())
        .map_err(EngineError::from)?;
    report.built_index = built;
    render(ui, &report)?;
    Ok(EXIT_OK)
}

pub fn render(ui: &mut Ui, report: &QueryReport) -> Result<(), CliError> {
    if ui.is_json() {
        return ui.json(report);
    }
    if report.hits.is_empty() {
        ui.status("no hits");
    }
    let score = |s: Option<f32>, digits: usize| {
        s.map(|v| format!("{v:.digits$}"))
            .unwrap_or_else(|| "-".into())
    };
    for h in &report.hits {
        let head = format!("{}. {}:{}-{}", h.rank, h.path, h.line_start, h.line_end);
        ui.line(&format!(
            "{}  {}\n   bm25 {}  vector {}  fused {:.4}",
            ui.paint(Style::Bold, &head),
            h.heading,
            score(h.bm25_score, 2),
            score(h.vector_score, 3),
            h.fused_score
        ))?;
        for line in h.text.lines() {
            ui.line(&format!("   | {line}"))?;
        }
        ui.line("")?;
    }
    ui.detail(&format!(
        "query embedding {:.2} ms, search {:.2} ms",
        report.timings.embed.as_secs_f64() * 1e3,
        report.timings.search.as_secs_f64() * 1e3
    ));
    Ok(())
}
