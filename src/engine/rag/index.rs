//! The on-disk index: `<root>/CURRENT` names a generation directory holding the chunks, their
//! vectors, a tantivy BM25 index and an hnsw_rs graph, plus `index.json` with the SHA-256 of
//! every file. A build writes a new generation and switches `CURRENT` atomically, so a
//! reader sees the old index or the new one, and a corrupted file is caught before use.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};
use tantivy::{doc, IndexReader, TantivyDocument};

use crate::engine::rag::ann::{Graph, HnswParams};
use crate::engine::rag::chunk::{self, Chunk};
use crate::engine::rag::corpus::Document;
use crate::engine::rag::embed::{Embedder, DIM};
use crate::engine::rag::RagError;
use crate::engine::util::fsutil::{self, sha256_hex};
use crate::engine::util::timefmt;

/// The layout version of a generation; a newer one is refused, never guessed at.
pub const FORMAT_VERSION: u32 = 1;
const CURRENT: &str = "CURRENT";
const META: &str = "index.json";
const CHUNKS: &str = "chunks.json";
const VECTORS: &str = "vectors.f32";
const GRAPH: &str = "graph";
const TANTIVY: &str = "bm25";
/// Embedding batch: long enough to amortise the forward pass, short enough for progress.
const BATCH: usize = 32;

/// What `index.json` records about a generation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexMeta {
    pub format_version: u32,
    pub embedder: String,
    pub fallback: bool,
    pub dim: usize,
    pub hnsw: HnswParams,
    pub built_at: String,
    pub files: Vec<FileEntry>,
    pub chunk_count: usize,
    /// SHA-256 of every other file of the generation, by relative path.
    pub checksums: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub chunks: usize,
}

/// Build progress, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    Embedding { done: usize, total: usize },
    Graph { points: usize },
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildOutcome {
    pub changed: bool,
    pub files: usize,
    pub chunks: usize,
    pub embedded: usize,
    pub reused: usize,
    pub removed_files: Vec<String>,
    pub changed_files: Vec<String>,
}

/// An open generation, ready to answer queries.
pub struct Index {
    pub dir: PathBuf,
    pub meta: IndexMeta,
    pub chunks: Vec<Chunk>,
    bm25: Bm25,
    graph: Graph,
}

/// A tantivy BM25 index over chunk texts, keyed by chunk id.
pub struct Bm25 {
    reader: IndexReader,
    parser: QueryParser,
}

impl Bm25 {
    /// Indexes `texts` (id = position) into a new tantivy index in `dir`.
    pub fn create<'a>(
        dir: &Path,
        texts: impl Iterator<Item = std::borrow::Cow<'a, str>>,
    ) -> Result<Bm25, RagError> {
        fsutil::create_dir_all(dir)?;
        let (schema, id, body) = schema();
        let tantivy_err = |e: tantivy::TantivyError| RagError::Search(format!("bm25 index: {e}"));
        let index = tantivy::Index::create_in_dir(dir, schema).map_err(tantivy_err)?;
        index.tokenizers().register(ANALYZER, analyzer());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let mut writer = index
            .writer_with_num_threads::<TantivyDocument>(threads, (32 << 20) * threads)
            .map_err(tantivy_err)?;
        for (i, text) in texts.enumerate() {
            writer
                .add_document(doc!(id => i as u64, body => text.as_ref()))
                .map_err(tantivy_err)?;
        }
        writer.commit().map_err(tantivy_err)?;
        writer.wait_merging_threads().map_err(tantivy_err)?;
        Bm25::open(dir).map_err(RagError::Search)
    }

    fn open(dir: &Path) -> Result<Bm25, String> {
        let index = tantivy::Index::open_in_dir(dir).map_err(|e| format!("bm25 index: {e}"))?;
        index.tokenizers().register(ANALYZER, analyzer());
        let body = index
            .schema()
            .get_field("body")
            .map_err(|e| format!("bm25 index: {e}"))?;
        let reader = index.reader().map_err(|e| format!("bm25 index: {e}"))?;
        let parser = QueryParser::for_index(&index, vec![body]);
        Ok(Bm25 { reader, parser })
    }

    /// Top `n`: (chunk id, score), best first. Query syntax errors are tolerated:
    /// operators type free text, not tantivy queries.
    pub fn search(&self, text: &str, n: usize) -> Result<Vec<(u32, f32)>, RagError> {
        let (query, _ignored) = self.parser.parse_query_lenient(text);
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&query, &TopDocs::with_limit(n.max(1)).order_by_score())
            .map_err(|e| RagError::Search(e.to_string()))?;
        let mut out = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let ids = searcher
                .segment_reader(addr.segment_ord)
                .fast_fields()
                .u64("id")
                .map_err(|e| RagError::Search(e.to_string()))?;
            if let Some(id) = ids.first(addr.doc_id) {
                out.push((id as u32, score));
            }
        }
        Ok(out)
    }
}

/// The analyzer name stored in the schema; registered on every open.
const ANALYZER: &str = "x0t_en";

/// Function words that every question and most chunks contain: matching them costs long
/// posting-list scans and says nothing about which runbook answers. "no" and "not" stay:
/// "no leader" is a symptom.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "did", "do", "does",
    "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me",
    "my", "of", "on", "or", "our", "should", "so", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "to", "was", "we", "were", "what", "when", "where", "which", "who",
    "why", "will", "with", "would", "you", "your",
];

fn analyzer() -> tantivy::tokenizer::TextAnalyzer {
    use tantivy::tokenizer::{
        Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter,
        TextAnalyzer,
    };
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|w| w.to_string()),
        ))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// One text field holds the heading trail and the body: tried as a separate, boosted
/// field, the heading made BM25 worse on the question set (MRR@5 0.69 -> 0.57), since
/// every runbook's trail starts with the same words.
fn schema() -> (Schema, Field, Field) {
    let mut b = Schema::builder();
    let id = b.add_u64_field("id", FAST | STORED);
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let body = b.add_text_field("body", text);
    (b.build(), id, body)
}

fn corrupt(dir: &Path, reason: impl Into<String>) -> RagError {
    RagError::Corrupt {
        dir: dir.to_path_buf(),
        reason: reason.into(),
    }
}

/// The generation `CURRENT` names, if any.
fn current(root: &Path) -> Result<Option<PathBuf>, RagError> {
    let path = root.join(CURRENT);
    match std::fs::read_to_string(&path) {
        Ok(name) => {
            let name = name.trim();
            if name.is_empty() || name.contains('/') || name.starts_with('.') {
                return Err(corrupt(root, format!("{CURRENT} names `{name}`")));
            }
            Ok(Some(root.join(name)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(fsutil::FsError::new("read", &path, e).into()),
    }
}

fn read_meta(dir: &Path) -> Result<IndexMeta, RagError> {
    let path = dir.join(META);
    let bytes = std::fs::read(&path).map_err(|e| corrupt(dir, format!("{META}: {e}")))?;
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Version {
        format_version: u32,
    }
    let v: Version =
        serde_json::from_slice(&bytes).map_err(|e| corrupt(dir, format!("{META}: {e}")))?;
    if v.format_version > FORMAT_VERSION {
        return Err(RagError::FutureFormat {
            dir: dir.to_path_buf(),
            found: v.format_version,
            supported: FORMAT_VERSION,
        });
    }
    serde_json::from_slice(&bytes).map_err(|e| corrupt(dir, format!("{META}: {e}")))
}

/// Every file of a generation except `index.json` and tantivy's lock files, with its hash.
fn checksums(dir: &Path) -> Result<BTreeMap<String, String>, RagError> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| fsutil::FsError::new("read", &d, e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if name == META || name.ends_with(".lock") {
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            let bytes = fsutil::read(&path)?;
            out.insert(rel, sha256_hex(&bytes));
        }
    }
    Ok(out)
}

impl Index {
    /// Opens the current generation under `root`; `None` when nothing was built yet.
    pub fn open(root: &Path) -> Result<Option<Index>, RagError> {
        let Some(dir) = current(root)? else {
            return Ok(None);
        };
        let meta = read_meta(&dir)?;
        let found = checksums(&dir)?;
        for (rel, want) in &meta.checksums {
            match found.get(rel) {
                None => return Err(corrupt(&dir, format!("{rel} is missing"))),
                Some(got) if got != want => {
                    return Err(corrupt(
                        &dir,
                        format!("{rel} does not match its recorded SHA-256"),
                    ))
                }
                Some(_) => {}
            }
        }
        let chunks: Vec<Chunk> = serde_json::from_slice(&fsutil::read(&dir.join(CHUNKS))?)
            .map_err(|e| corrupt(&dir, format!("{CHUNKS}: {e}")))?;
        if chunks.len() != meta.chunk_count {
            return Err(corrupt(&dir, "chunk count differs from index.json"));
        }
        let bm25 = Bm25::open(&dir.join(TANTIVY)).map_err(|e| corrupt(&dir, e))?;
        let graph = if chunks.is_empty() {
            Graph::build(&[], meta.hnsw)
        } else {
            Graph::load(&dir, GRAPH).map_err(|e| corrupt(&dir, format!("hnsw graph: {e}")))?
        };
        if graph.len() != chunks.len() {
            return Err(corrupt(
                &dir,
                "hnsw graph size differs from the chunk count",
            ));
        }
        Ok(Some(Index {
            dir,
            meta,
            chunks,
            bm25,
            graph,
        }))
    }

    /// BM25 top `n`: (chunk id, score), best first.
    pub fn bm25(&self, text: &str, n: usize) -> Result<Vec<(u32, f32)>, RagError> {
        self.bm25.search(text, n)
    }

    /// HNSW top `n`: (chunk id, cosine similarity), best first.
    pub fn vector(&self, query: &[f32], n: usize, ef: usize) -> Vec<(u32, f32)> {
        self.graph.search(query, n, ef)
    }

    /// An index assembled in memory (for benchmarks): the same search path as a
    /// generation opened from disk.
    pub fn from_parts(chunks: Vec<Chunk>, bm25: Bm25, graph: Graph, meta: IndexMeta) -> Index {
        Index {
            dir: PathBuf::new(),
            meta,
            chunks,
            bm25,
            graph,
        }
    }

    /// Sets the HNSW search breadth used by `search`.
    pub fn set_ef_search(&mut self, ef: usize) {
        self.meta.hnsw.ef_search = ef;
    }
}

/// `DIM`-float vectors as little-endian f32, one after another (`vectors.f32`).
pub fn encode_vectors(vectors: &[Vec<f32>]) -> Vec<u8> {
    vectors
        .iter()
        .flatten()
        .flat_map(|x| x.to_le_bytes())
        .collect()
}

/// The inverse of `encode_vectors`; `None` unless `bytes` holds exactly `rows` vectors.
pub fn decode_vectors(bytes: &[u8], rows: usize) -> Option<Vec<Vec<f32>>> {
    (bytes.len() == rows * DIM * 4).then(|| {
        bytes
            .chunks_exact(DIM * 4)
            .map(|v| {
                v.chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect()
            })
            .collect()
    })
}

/// The previous generation's chunks and vectors, for reuse by an incremental build.
struct Previous {
    meta: IndexMeta,
    chunks: Vec<Chunk>,
    vectors: Vec<Vec<f32>>,
}

fn read_previous(root: &Path) -> Result<Option<Previous>, RagError> {
    // Opening verifies every checksum; reuse only what verifies.
    let Some(index) = Index::open(root)? else {
        return Ok(None);
    };
    let vectors = decode_vectors(&fsutil::read(&index.dir.join(VECTORS))?, index.chunks.len())
        .ok_or_else(|| corrupt(&index.dir, "vectors.f32 has the wrong size"))?;
    Ok(Some(Previous {
        meta: index.meta,
        chunks: index.chunks,
        vectors,
    }))
}

/// Builds (or brings up to date) the index under `root` from `docs`.
pub fn build(
    root: &Path,
    docs: &[Document],
    embedder: &Embedder,
    hnsw: HnswParams,
    rebuild: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<BuildOutcome, RagError> {
    fsutil::create_dir_all(root)?;
    let previous = if rebuild { None } else { read_previous(root)? };
    if let Some(p) = &previous {
        if p.meta.embedder != embedder.id() {
            return Err(RagError::EmbedderMismatch {
                dir: root.to_path_buf(),
                index: p.meta.embedder.clone(),
                current: embedder.id(),
            });
        }
    }

    // Files whose content is unchanged keep their chunks and vectors:
    // (path, sha256) -> the previous generation's chunk ids.
    let mut reusable: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    if let Some(p) = &previous {
        let shas: HashMap<&str, &str> = p
            .meta
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.sha256.as_str()))
            .collect();
        for (&path, &sha) in &shas {
            reusable.insert((path, sha), Vec::new());
        }
        for (i, c) in p.chunks.iter().enumerate() {
            if let Some(ids) = shas
                .get(c.path.as_str())
                .and_then(|sha| reusable.get_mut(&(c.path.as_str(), *sha)))
            {
                ids.push(i);
            }
        }
    }
    let mut files = Vec::new();
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut vectors: Vec<Option<Vec<f32>>> = Vec::new();
    let mut changed_files = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for doc in docs {
        if !seen.insert(doc.path.as_str()) {
            continue;
        }
        let start = chunks.len();
        match (
            &previous,
            reusable.get(&(doc.path.as_str(), doc.sha256.as_str())),
        ) {
            (Some(p), Some(ids)) => {
                for &i in ids {
                    chunks.push(p.chunks[i].clone());
                    vectors.push(Some(p.vectors[i].clone()));
                }
            }
            _ => {
                changed_files.push(doc.path.clone());
                for c in chunk::chunk(doc, &|t| embedder.count_pieces(t)) {
                    chunks.push(c);
                    vectors.push(None);
                }
            }
        }
        files.push(FileEntry {
            path: doc.path.clone(),
            sha256: doc.sha256.clone(),
            chunks: chunks.len() - start,
        });
    }
    let removed_files: Vec<String> = previous
        .as_ref()
        .map(|p| {
            p.meta
                .files
                .iter()
                .filter(|f| !seen.contains(f.path.as_str()))
                .map(|f| f.path.clone())
                .collect()
        })
        .unwrap_or_default();
    let unchanged = previous.as_ref().is_some_and(|p| {
        changed_files.is_empty() && removed_files.is_empty() && p.meta.hnsw == hnsw
    });
    let reused = vectors.iter().filter(|v| v.is_some()).count();
    if unchanged {
        return Ok(BuildOutcome {
            changed: false,
            files: files.len(),
            chunks: chunks.len(),
            embedded: 0,
            reused,
            removed_files,
            changed_files,
        });
    }

    // Embed what is new, shortest first so batches pad little.
    let mut todo: Vec<usize> = (0..chunks.len())
        .filter(|&i| vectors[i].is_none())
        .collect();
    let texts: Vec<String> = chunks.iter().map(Chunk::indexed_text).collect();
    todo.sort_by_key(|&i| texts[i].len());
    let total = todo.len();
    progress(Progress::Embedding { done: 0, total });
    for (n, batch) in todo.chunks(BATCH).enumerate() {
        let input: Vec<&str> = batch.iter().map(|&i| texts[i].as_str()).collect();
        for (&i, v) in batch.iter().zip(embedder.embed(&input)?) {
            vectors[i] = Some(v);
        }
        progress(Progress::Embedding {
            done: (n * BATCH + batch.len()).min(total),
            total,
        });
    }
    let vectors: Vec<Vec<f32>> = vectors.into_iter().map(Option::unwrap_or_default).collect();

    let _lock = crate::engine::state::Lock::acquire(
        root,
        "x0t rag index",
        std::time::Duration::from_secs(60),
        |_| {},
    )?;
    let dir = next_generation(root)?;
    let result = write_generation(
        &dir, &chunks, &texts, &vectors, &files, embedder, hnsw, progress,
    )
    .and_then(|()| {
        fsutil::write_atomic(
            &root.join(CURRENT),
            dir.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .as_bytes(),
            0o644,
        )
        .map_err(RagError::from)
    });
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(e);
    }
    remove_old_generations(root, &dir);
    Ok(BuildOutcome {
        changed: true,
        files: files.len(),
        chunks: chunks.len(),
        embedded: total,
        reused,
        removed_files,
        changed_files,
    })
}

fn next_generation(root: &Path) -> Result<PathBuf, RagError> {
    let highest = std::fs::read_dir(root)
        .map_err(|e| fsutil::FsError::new("read", root, e))?
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_prefix("gen-")
                .and_then(|n| n.parse::<u64>().ok())
        })
        .max()
        .unwrap_or(0);
    let dir = root.join(format!("gen-{:06}", highest + 1));
    fsutil::create_dir_all(&dir)?;
    Ok(dir)
}

fn remove_old_generations(root: &Path, keep: &Path) {
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let path = entry.path();
        if path != keep && entry.file_name().to_string_lossy().starts_with("gen-") {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn write_generation(
    dir: &Path,
    chunks: &[Chunk],
    texts: &[String],
    vectors: &[Vec<f32>],
    files: &[FileEntry],
    embedder: &Embedder,
    hnsw: HnswParams,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), RagError> {
    let json = serde_json::to_vec(chunks).map_err(|e| RagError::Search(e.to_string()))?;
    fsutil::write_unsynced(&dir.join(CHUNKS), &json, 0o644)?;
    fsutil::write_unsynced(&dir.join(VECTORS), &encode_vectors(vectors), 0o644)?;
    Bm25::create(&dir.join(TANTIVY), texts.iter().map(|t| t.as_str().into()))?;

    progress(Progress::Graph {
        points: vectors.len(),
    });
    if !vectors.is_empty() {
        Graph::build(vectors, hnsw)
            .dump(dir, GRAPH)
            .map_err(|e| RagError::Search(format!("hnsw dump: {e}")))?;
    }
    let meta = IndexMeta {
        format_version: FORMAT_VERSION,
        embedder: embedder.id(),
        fallback: embedder.is_fallback(),
        dim: DIM,
        hnsw,
        built_at: timefmt::rfc3339(timefmt::now()),
        files: files.to_vec(),
        chunk_count: chunks.len(),
        checksums: checksums(dir)?,
    };
    let json = serde_json::to_vec_pretty(&meta).map_err(|e| RagError::Search(e.to_string()))?;
    fsutil::write_unsynced(&dir.join(META), &json, 0o644)?;
    fsutil::sync_fs(dir)?;
    Ok(())
}
