//! Retrieval over runbooks and the operator's own notes: BM25 (tantivy) and HNSW (hnsw_rs)
//! over MiniLM embeddings, fused by reciprocal rank.

pub mod ann;
pub mod chunk;
pub mod corpus;
pub mod embed;
mod encoder;
pub mod host;
pub mod index;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

pub use ann::HnswParams;
pub use embed::Embedder;
pub use index::{Index, Progress};

use crate::engine::manifest::HnswSpec;

/// Reciprocal rank fusion constant.
pub const RRF_K: f64 = 60.0;
/// Candidates each retriever contributes to the fusion.
pub const CANDIDATES: usize = 50;

/// Why retrieval failed.
#[derive(Debug, thiserror::Error)]
pub enum RagError {
    #[error("embedding model {}: {reason}", path.display())]
    Model { path: PathBuf, reason: String },
    #[error("embedding failed: {0}")]
    Embed(String),
    #[error(transparent)]
    Source(#[from] corpus::SourceError),
    #[error(transparent)]
    Fs(#[from] crate::engine::util::fsutil::FsError),
    #[error(transparent)]
    Lock(#[from] crate::engine::state::LockError),
    #[error("rag index {} is corrupted: {reason}", dir.display())]
    Corrupt { dir: PathBuf, reason: String },
    #[error("rag index {} has format version {found}; this x0t reads up to {supported}", dir.display())]
    FutureFormat {
        dir: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("rag index {} was built by embedder `{index}`, but this x0t embeds with `{current}`; vectors of two embedders cannot be mixed", dir.display())]
    EmbedderMismatch {
        dir: PathBuf,
        index: String,
        current: String,
    },
    #[error("search failed: {0}")]
    Search(String),
}

impl RagError {
    pub fn hints(&self) -> Vec<String> {
        match self {
            RagError::Corrupt { .. } | RagError::EmbedderMismatch { .. } => {
                vec!["run `x0t rag index --rebuild`".into()]
            }
            RagError::FutureFormat { .. } => {
                vec!["use a newer x0t, or run `x0t rag index --rebuild` to replace it".into()]
            }
            RagError::Model { .. } => vec![
                "run `cargo xtask setup` to fetch the pinned weights again, or remove the directory to use the fallback embedder".into(),
            ],
            RagError::Fs(e) => e.hint().into_iter().collect(),
            RagError::Lock(e) => e.hints(),
            _ => Vec::new(),
        }
    }
}

/// Which retrievers answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Hybrid,
    Bm25,
    Vector,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "hybrid" => Some(Mode::Hybrid),
            "bm25" => Some(Mode::Bm25),
            "vector" => Some(Mode::Vector),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Hybrid => "hybrid",
            Mode::Bm25 => "bm25",
            Mode::Vector => "vector",
        }
    }
}

/// Where an index lives and what goes into it.
#[derive(Debug, Clone)]
pub struct RagConfig {
    /// The index directory (`<state-dir>/rag`).
    pub root: PathBuf,
    /// The operator's sources (`rag.sources`, resolved), besides the built-in runbooks.
    pub sources: Vec<PathBuf>,
    pub hnsw: HnswParams,
}

impl From<&HnswSpec> for HnswParams {
    fn from(h: &HnswSpec) -> HnswParams {
        HnswParams {
            m: h.m as usize,
            ef_construction: h.ef_construction as usize,
            ef_search: h.ef_search as usize,
        }
    }
}

/// The embedder in use, as reported to the operator.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbedderInfo {
    pub id: String,
    pub fallback: bool,
}

impl EmbedderInfo {
    pub fn of(e: &Embedder) -> EmbedderInfo {
        EmbedderInfo {
            id: e.id(),
            fallback: e.is_fallback(),
        }
    }
}

/// The result of `rag index`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexReport {
    pub schema_version: u32,
    pub index: PathBuf,
    pub embedder: EmbedderInfo,
    pub changed: bool,
    pub files: usize,
    pub chunks: usize,
    pub embedded: usize,
    pub reused: usize,
    pub changed_files: Vec<String>,
    pub removed_files: Vec<String>,
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub took: Duration,
}

/// Indexes the built-in runbooks, the configured sources and `extra` paths.
pub fn index(
    cfg: &RagConfig,
    extra: &[PathBuf],
    rebuild: bool,
    embedder: &Embedder,
    progress: &mut dyn FnMut(Progress),
) -> Result<IndexReport, RagError> {
    let started = Instant::now();
    let mut warnings = Vec::new();
    let mut docs = corpus::builtin();
    let roots: Vec<PathBuf> = cfg.sources.iter().chain(extra).cloned().collect();
    docs.extend(corpus::collect(&roots, &mut warnings)?);
    let out = index::build(&cfg.root, &docs, embedder, cfg.hnsw, rebuild, progress)?;
    Ok(IndexReport {
        schema_version: 1,
        index: cfg.root.clone(),
        embedder: EmbedderInfo::of(embedder),
        changed: out.changed,
        files: out.files,
        chunks: out.chunks,
        embedded: out.embedded,
        reused: out.reused,
        changed_files: out.changed_files,
        removed_files: out.removed_files,
        warnings,
        took: started.elapsed(),
    })
}

/// One retrieved chunk.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hit {
    /// 1-based position after fusion.
    pub rank: usize,
    pub path: String,
    pub line_start: u32,
    pub line_end: u32,
    pub heading: String,
    pub text: String,
    /// BM25 score, or null when BM25 did not return this chunk.
    pub bm25_score: Option<f32>,
    /// Cosine similarity, or null when the vector search did not return this chunk.
    pub vector_score: Option<f32>,
    /// Reciprocal-rank-fusion score (sum of 1/(60 + rank) over the retrievers used).
    pub fused_score: f64,
}

/// The result of `rag query`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryReport {
    pub schema_version: u32,
    pub query: String,
    pub mode: Mode,
    pub k: usize,
    pub embedder: EmbedderInfo,
    /// The index had to be built first (none existed).
    pub built_index: bool,
    pub hits: Vec<Hit>,
    #[serde(skip)]
    pub timings: Timings,
}

/// Where a query's time went.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub embed: Duration,
    pub search: Duration,
}

/// Fuses ranked lists by reciprocal rank: score(d) = sum over lists of 1 / (k + rank).
/// Ties keep the order of first appearance, so the result is deterministic.
pub fn rrf(lists: &[&[(u32, f32)]]) -> Vec<(u32, f64)> {
    let mut scores: HashMap<u32, (f64, usize)> = HashMap::new();
    let mut order = 0;
    for list in lists {
        for (rank, (id, _)) in list.iter().enumerate() {
            let e = scores.entry(*id).or_insert_with(|| {
                order += 1;
                (0.0, order)
            });
            e.0 += 1.0 / (RRF_K + rank as f64 + 1.0);
        }
    }
    let mut fused: Vec<(u32, f64, usize)> =
        scores.into_iter().map(|(id, (s, o))| (id, s, o)).collect();
    fused.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    fused.into_iter().map(|(id, s, _)| (id, s)).collect()
}

impl Index {
    /// Runs one query. `qvec` is the embedded query (needed unless `mode` is BM25).
    pub fn search(
        &self,
        text: &str,
        qvec: Option<&[f32]>,
        k: usize,
        mode: Mode,
    ) -> Result<Vec<Hit>, RagError> {
        let n = CANDIDATES.max(k);
        let bm25 = if mode == Mode::Vector {
            Vec::new()
        } else {
            self.bm25(text, n)?
        };
        let vector = match (mode, qvec) {
            (Mode::Bm25, _) | (_, None) => Vec::new(),
            (_, Some(q)) => self.vector(q, n, self.meta.hnsw.ef_search),
        };
        let fused = match mode {
            Mode::Hybrid => rrf(&[&bm25, &vector]),
            Mode::Bm25 => rrf(&[&bm25]),
            Mode::Vector => rrf(&[&vector]),
        };
        let b: HashMap<u32, f32> = bm25.iter().copied().collect();
        let v: HashMap<u32, f32> = vector.iter().copied().collect();
        Ok(fused
            .into_iter()
            .take(k)
            .enumerate()
            .filter_map(|(i, (id, score))| {
                let c = self.chunks.get(id as usize)?;
                Some(Hit {
                    rank: i + 1,
                    path: c.path.clone(),
                    line_start: c.line_start,
                    line_end: c.line_end,
                    heading: c.heading.clone(),
                    text: c.text.clone(),
                    bm25_score: b.get(&id).copied(),
                    vector_score: v.get(&id).copied(),
                    fused_score: score,
                })
            })
            .collect())
    }
}

/// Opens the index under `cfg.root`, building it from the configured sources when none
/// exists yet; the flag says whether it was built.
pub fn open_or_build(
    cfg: &RagConfig,
    embedder: &Embedder,
    progress: &mut dyn FnMut(Progress),
) -> Result<(Index, bool), RagError> {
    if let Some(ix) = Index::open(&cfg.root)? {
        return Ok((ix, false));
    }
    index(cfg, &[], false, embedder, progress)?;
    let ix = Index::open(&cfg.root)?.ok_or_else(|| RagError::Corrupt {
        dir: cfg.root.clone(),
        reason: "the index just built cannot be found".into(),
    })?;
    Ok((ix, true))
}

/// Embeds and runs one query against an open index.
pub fn query(
    ix: &Index,
    embedder: &Embedder,
    text: &str,
    k: usize,
    mode: Mode,
) -> Result<QueryReport, RagError> {
    if mode != Mode::Bm25 && ix.meta.embedder != embedder.id() {
        return Err(RagError::EmbedderMismatch {
            dir: ix.dir.clone(),
            index: ix.meta.embedder.clone(),
            current: embedder.id(),
        });
    }
    let t0 = Instant::now();
    let qvec = if mode == Mode::Bm25 {
        None
    } else {
        embedder.embed(&[text])?.pop()
    };
    let t1 = Instant::now();
    let hits = ix.search(text, qvec.as_deref(), k, mode)?;
    Ok(QueryReport {
        schema_version: 1,
        query: text.to_string(),
        mode,
        k,
        embedder: EmbedderInfo::of(embedder),
        built_index: false,
        hits,
        timings: Timings {
            embed: t1 - t0,
            search: t1.elapsed(),
        },
    })
}

/// The per-user index used when no manifest is at hand: `$XDG_CACHE_HOME/x0t/rag` or
/// `~/.cache/x0t/rag`.
pub fn user_index_dir() -> Option<PathBuf> {
    embed::cache_dir().map(|c| c.join("x0t").join("rag"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rrf_rewards_agreement_and_is_deterministic() {
        let a = [(1, 9.0), (2, 8.0), (3, 7.0)];
        let b = [(3, 0.9), (4, 0.8), (1, 0.7)];
        let f = rrf(&[&a, &b]);
        let ids: Vec<u32> = f.iter().map(|x| x.0).collect();
        assert_eq!(ids, vec![1, 3, 2, 4]);
        assert!((f[0].1 - (1.0 / 61.0 + 1.0 / 63.0)).abs() < 1e-12);
    }
}
