//! `x0t bench rag`: retrieval speed and HNSW recall on a generated corpus.

use std::path::PathBuf;

use clap::Args;

use crate::commands::{Ctx, EXIT_OK};
use crate::engine::bench::rag::{self as bench, BenchSpec, Latency};
use crate::engine::rag::{Embedder, HnswParams};
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Generate CHUNKS operator-style chunks, embed them (chunk vectors are composed from
/// MiniLM sentence vectors, cached in DIR; a sample is embedded whole to measure the
/// embedder and the composition), build the BM25 and HNSW indexes, and time QUERIES queries one at a time: query
/// embedding, BM25, vector, hybrid and end to end, plus HNSW recall@10 against exact
/// search for each --ef. Writes base.f32, queries.f32 and truth.u32 to DIR so another
/// library can be measured on the same vectors.
#[derive(Debug, Args)]
pub struct RagArgs {
    /// Corpus size in chunks
    #[arg(long, default_value_t = 100_000)]
    pub chunks: usize,
    /// Queries to time
    #[arg(long, default_value_t = 1_000)]
    pub queries: usize,
    /// HNSW links per node
    #[arg(long, default_value_t = 16)]
    pub m: usize,
    /// HNSW construction breadth (the manifest's default)
    #[arg(long, default_value_t = 100)]
    pub ef_construction: usize,
    /// HNSW search breadths to sweep
    #[arg(long, value_delimiter = ',', default_value = "16,24,32,48,64,96,128")]
    pub ef: Vec<usize>,
    /// Working directory (vector cache, tantivy index, exported vectors)
    #[arg(long, value_name = "DIR", default_value = "x0t-bench-rag")]
    pub dir: PathBuf,
    /// Corpus generator seed
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

pub fn run(ui: &mut Ui, _ctx: &Ctx, args: &RagArgs) -> Result<i32, CliError> {
    if !(2..=256).contains(&args.m) || args.chunks == 0 || args.queries == 0 {
        return Err(CliError::new(
            "--m must be 2..=256 and --chunks, --queries at least 1",
        ));
    }
    let e = Embedder::load_default().map_err(EngineError::from)?;
    if e.is_fallback() {
        ui.warn("MiniLM weights not found: measuring with the fallback hashing embedder");
    }
    let spec = BenchSpec {
        chunks: args.chunks,
        queries: args.queries,
        hnsw: HnswParams {
            m: args.m,
            ef_construction: args.ef_construction,
            ef_search: args.ef.first().copied().unwrap_or(64),
        },
        ef_sweep: args.ef.clone(),
        dir: args.dir.clone(),
        seed: args.seed,
    };
    let mut last = String::new();
    let report = bench::run(&spec, &e, &mut |step, _done, total| {
        if step != last {
            ui.status(&format!("{step} ({total})"));
            last = step.to_string();
        }
    })
    .map_err(EngineError::from)?;
    if ui.is_json() {
        ui.json(&report)?;
        return Ok(EXIT_OK);
    }
    let row = |name: &str, l: &Latency| {
        format!(
            "{name:<20} p50 {:>8.3} ms  p99 {:>8.3} ms  mean {:>8.3} ms",
            l.p50_ms, l.p99_ms, l.mean_ms
        )
    };
    let mut out = vec![
        format!(
            "{} chunks, {} queries, embedder {}, {} threads",
            report.chunks, report.queries, report.embedder, report.threads
        ),
        format!(
            "embedding           {:.1} chunks/s whole; chunk vectors composed from {} sentence vectors{} (mean cosine to whole-chunk {:.3})",
            report.embed_chunks_per_second,
            report.sentences,
            if report.vectors_cached { ", cached" } else { "" },
            report.composed_cosine
        ),
        format!(
            "build               bm25 {:.1} s, hnsw {:.1} s (m {}, efConstruction {})",
            report.bm25_build_seconds,
            report.hnsw_build_seconds,
            report.hnsw.m,
            report.hnsw.ef_construction
        ),
        row("query embedding", &report.query_embedding),
    ];
    for p in &report.sweep {
        out.push(format!(
            "{}  recall@10 {:.3}",
            row(&format!("hnsw k=10 ef={}", p.ef), &p.latency),
            p.recall_at_10
        ));
        out.push(format!(
            "{}  recall@10 {:.3}",
            row(&format!("  hnsw_rs search ef={}", p.ef), &p.hnsw_rs_latency),
            p.hnsw_rs_recall_at_10
        ));
    }
    out.push(row("bm25 top-50", &report.bm25));
    out.push(row(
        &format!("vector top-50 ef={}", report.ef),
        &report.vector,
    ));
    out.push(row("hybrid (rrf)", &report.hybrid));
    out.push(row("end to end", &report.end_to_end));
    for l in out {
        ui.line(&l)?;
    }
    Ok(EXIT_OK)
}
