//! `x0t bench rag`: a generated corpus of operator-style chunks, embedded, indexed in tantivy
//! and hnsw_rs, then queried one at a time: index build times, latency percentiles per
//! retriever with the query embedding timed apart, and HNSW recall@10 against exact search
//! for a sweep of `ef`. The vectors, queries and exact answers are written out so that
//! faiss can be measured on the very same data.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::engine::rag::ann::{self, Graph, HnswParams};
use crate::engine::rag::chunk::Chunk;
use crate::engine::rag::embed::{Embedder, DIM};
use crate::engine::rag::index::{
    decode_vectors, encode_vectors, Bm25, Index, IndexMeta, FORMAT_VERSION,
};
use crate::engine::rag::{Mode, RagError};
use crate::engine::util::fsutil;
use crate::engine::util::stats::percentile_ms;

/// What to run.
#[derive(Debug, Clone)]
pub struct BenchSpec {
    pub chunks: usize,
    pub queries: usize,
    pub hnsw: HnswParams,
    pub ef_sweep: Vec<usize>,
    /// Where vectors are cached between runs and the faiss inputs are written.
    pub dir: PathBuf,
    pub seed: u64,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Latency {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
}

impl Latency {
    fn of(mut samples: Vec<Duration>) -> Latency {
        samples.sort();
        Latency {
            p50_ms: percentile_ms(&samples, 0.50),
            p99_ms: percentile_ms(&samples, 0.99),
            mean_ms: samples.iter().map(|d| d.as_secs_f64() * 1e3).sum::<f64>()
                / samples.len().max(1) as f64,
        }
    }
}

/// One way of searching the graph, timed by the sweep.
type SearchFn<'a> = &'a dyn Fn(&[f32]) -> Vec<(u32, f32)>;

/// HNSW at one `ef`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EfPoint {
    pub ef: usize,
    pub recall_at_10: f64,
    pub latency: Latency,
    /// The same graph searched by hnsw_rs's own search, for comparison.
    pub hnsw_rs_recall_at_10: f64,
    pub hnsw_rs_latency: Latency,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RagBench {
    pub schema_version: u32,
    pub chunks: usize,
    pub queries: usize,
    pub embedder: String,
    pub threads: usize,
    pub hnsw: HnswParams,
    /// Chunks per second the embedder managed (measured on this run's sample).
    pub embed_chunks_per_second: f64,
    pub embed_sample: usize,
    /// Distinct sentences embedded to compose the chunk vectors.
    pub sentences: usize,
    /// Whether the sentence vectors came from the cache of an earlier run.
    pub vectors_cached: bool,
    /// Mean cosine between composed and whole-chunk MiniLM vectors over the sample.
    pub composed_cosine: f64,
    pub bm25_build_seconds: f64,
    pub hnsw_build_seconds: f64,
    pub query_embedding: Latency,
    pub bm25: Latency,
    pub sweep: Vec<EfPoint>,
    /// The `ef` used for the vector/hybrid rows: the smallest with recall@10 >= 0.95.
    pub ef: usize,
    pub vector: Latency,
    pub hybrid: Latency,
    /// Query embedding + hybrid retrieval, per query.
    pub end_to_end: Latency,
}

/// A deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const NOUNS: &[&str] = &[
    "node",
    "leader",
    "follower",
    "voter",
    "learner",
    "relay",
    "snapshot",
    "log",
    "entry",
    "term",
    "vote",
    "quorum",
    "partition",
    "link",
    "route",
    "certificate",
    "svid",
    "bundle",
    "key",
    "signature",
    "handshake",
    "socket",
    "disk",
    "volume",
    "database",
    "index",
    "page",
    "segment",
    "metric",
    "probe",
    "alert",
    "timeout",
    "heartbeat",
    "election",
    "membership",
    "roster",
    "operator",
    "workload",
    "manifest",
    "plan",
    "apply",
    "drift",
    "lock",
    "journal",
    "backup",
    "restore",
    "replica",
    "region",
    "zone",
    "rack",
    "switch",
    "firewall",
    "kernel",
    "memory",
    "cpu",
    "latency",
    "throughput",
    "queue",
    "buffer",
    "packet",
    "stream",
    "channel",
    "session",
    "token",
    "clock",
    "deadline",
    "lease",
    "cache",
    "compaction",
    "checksum",
];
const VERBS: &[&str] = &[
    "fails",
    "stalls",
    "restarts",
    "drops",
    "rejects",
    "accepts",
    "replicates",
    "rotates",
    "expires",
    "renews",
    "signs",
    "verifies",
    "purges",
    "truncates",
    "elects",
    "steps down",
    "reconnects",
    "times out",
    "retries",
    "recovers",
    "lags",
    "catches up",
    "flaps",
    "grows",
    "shrinks",
    "overflows",
    "blocks",
    "resumes",
    "migrates",
    "reroutes",
    "probes",
    "reports",
];
const MODIFIERS: &[&str] = &[
    "slowly",
    "again",
    "after restart",
    "under load",
    "at night",
    "during upgrade",
    "behind the firewall",
    "in region eu",
    "in region us",
    "with high latency",
    "every minute",
    "without warning",
    "on the old disk",
    "since the last apply",
    "while the leader changes",
    "after key rotation",
    "before the deadline",
    "across racks",
    "inside the namespace",
];

/// A topic: a few nouns and verbs that its chunks use most, so chunks form clusters.
struct Topic {
    nouns: Vec<&'static str>,
    verbs: Vec<&'static str>,
    tag: String,
}

fn topics(rng: &mut Rng, n: usize) -> Vec<Topic> {
    (0..n)
        .map(|i| Topic {
            nouns: (0..5).map(|_| NOUNS[rng.below(NOUNS.len())]).collect(),
            verbs: (0..3).map(|_| VERBS[rng.below(VERBS.len())]).collect(),
            tag: format!("svc{i:04}"),
        })
        .collect()
}

fn sentence(rng: &mut Rng, t: &Topic) -> String {
    let noun = |rng: &mut Rng| {
        if rng.below(10) < 7 {
            t.nouns[rng.below(t.nouns.len())]
        } else {
            NOUNS[rng.below(NOUNS.len())]
        }
    };
    let verb = if rng.below(10) < 7 {
        t.verbs[rng.below(t.verbs.len())]
    } else {
        VERBS[rng.below(VERBS.len())]
    };
    format!(
        "The {} of {} n{} {} {} when the {} {}.",
        noun(rng),
        t.tag,
        rng.below(500),
        verb,
        MODIFIERS[rng.below(MODIFIERS.len())],
        noun(rng),
        VERBS[rng.below(VERBS.len())]
    )
}

/// Sentences per topic in the pool chunks are drawn from.
const POOL: usize = 12;

/// The generated corpus: chunks of three to five sentences, each sentence drawn from its
/// topic's pool (and now and then another topic's), spread over `n / 200` topics.
pub struct Corpus {
    pub chunks: Vec<Chunk>,
    /// The distinct sentences, and for each chunk the indexes of its sentences.
    pub sentences: Vec<String>,
    pub parts: Vec<Vec<usize>>,
}

pub fn corpus(n: usize, seed: u64) -> Corpus {
    let mut rng = Rng(seed);
    let ts = topics(&mut rng, (n / 200).max(1));
    let sentences: Vec<String> = ts
        .iter()
        .flat_map(|t| (0..POOL).map(|_| sentence(&mut rng, t)).collect::<Vec<_>>())
        .collect();
    let mut chunks = Vec::with_capacity(n);
    let mut parts = Vec::with_capacity(n);
    for i in 0..n {
        let t = rng.below(ts.len());
        let k = 3 + rng.below(3);
        let mut picked: Vec<usize> = Vec::with_capacity(k);
        while picked.len() < k {
            let topic = if rng.below(10) < 8 {
                t
            } else {
                rng.below(ts.len())
            };
            let s = topic * POOL + rng.below(POOL);
            if !picked.contains(&s) {
                picked.push(s);
            }
        }
        let text: Vec<&str> = picked.iter().map(|&s| sentences[s].as_str()).collect();
        chunks.push(Chunk {
            path: format!("bench/{}.md", ts[t].tag),
            line_start: i as u32 + 1,
            line_end: i as u32 + 1,
            heading: String::new(),
            text: text.join(" "),
        });
        parts.push(picked);
    }
    Corpus {
        chunks,
        sentences,
        parts,
    }
}

/// Questions phrased from the same topics (a different stream of the generator).
pub fn queries(n: usize, chunks: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed);
    let ts = topics(&mut rng, (chunks / 200).max(1));
    let mut q = Rng(seed ^ 0x5151_5151);
    (0..n)
        .map(|_| {
            let t = &ts[q.below(ts.len())];
            format!(
                "why does the {} of {} {} {}",
                t.nouns[q.below(t.nouns.len())],
                t.tag,
                t.verbs[q.below(t.verbs.len())],
                MODIFIERS[q.below(MODIFIERS.len())]
            )
        })
        .collect()
}

fn write_f32(path: &Path, rows: &[Vec<f32>]) -> Result<(), RagError> {
    fsutil::write_atomic(path, &encode_vectors(rows), 0o644)?;
    Ok(())
}

fn read_f32(path: &Path, rows: usize) -> Option<Vec<Vec<f32>>> {
    decode_vectors(&std::fs::read(path).ok()?, rows)
}

fn embed_all(
    e: &Embedder,
    texts: &[String],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Vec<f32>>, RagError> {
    let mut out = Vec::with_capacity(texts.len());
    for (i, batch) in texts.chunks(64).enumerate() {
        let refs: Vec<&str> = batch.iter().map(String::as_str).collect();
        out.extend(e.embed(&refs)?);
        progress((i + 1) * 64, texts.len());
    }
    Ok(out)
}

/// Runs the benchmark. `progress(step, done, total)` reports long phases.
pub fn run(
    spec: &BenchSpec,
    e: &Embedder,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<RagBench, RagError> {
    fsutil::create_dir_all(&spec.dir)?;
    let Corpus {
        chunks,
        sentences,
        parts,
    } = corpus(spec.chunks, spec.seed);
    let texts: Vec<String> = chunks.iter().map(Chunk::indexed_text).collect();

    // MiniLM embeds about 16 such chunks a second on two cores, so 100k chunks would take
    // hours: each chunk's vector is composed as the normalised mean of its sentences'
    // MiniLM vectors (what mean pooling does, minus cross-sentence attention). A sample of
    // chunks is also embedded whole, which measures the embedder's throughput and how
    // close composition comes (mean cosine, reported).
    let sample = texts.len().min(256);
    let t = Instant::now();
    let whole = embed_all(e, &texts[..sample], &mut |d, n| {
        progress("embed sample", d.min(n), n)
    })?;
    let embed_rate = sample as f64 / t.elapsed().as_secs_f64();
    let cache = spec.dir.join(format!(
        "sentences-{}-{}-{}.f32",
        spec.chunks,
        spec.seed,
        e.id().replace(['@', '/'], "-")
    ));
    let (sentence_vecs, cached) = match read_f32(&cache, sentences.len()) {
        Some(v) => (v, true),
        None => {
            let v = embed_all(e, &sentences, &mut |d, n| {
                progress("embed sentences", d.min(n), n)
            })?;
            write_f32(&cache, &v)?;
            (v, false)
        }
    };
    let vectors: Vec<Vec<f32>> = parts
        .iter()
        .map(|p| {
            let mut v = vec![0f32; DIM];
            for &s in p {
                v.iter_mut()
                    .zip(&sentence_vecs[s])
                    .for_each(|(a, b)| *a += b);
            }
            crate::engine::rag::ann::normalize(&mut v);
            v
        })
        .collect();
    let composed_cosine = whole
        .iter()
        .zip(&vectors)
        .map(|(w, c)| f64::from(ann::dot(w, c)))
        .sum::<f64>()
        / sample.max(1) as f64;

    let bm25_dir = spec.dir.join("bm25");
    let _ = std::fs::remove_dir_all(&bm25_dir);
    let t = Instant::now();
    let bm25 = Bm25::create(&bm25_dir, texts.iter().map(|s| s.as_str().into()))?;
    let bm25_build = t.elapsed().as_secs_f64();

    progress("hnsw build", 0, vectors.len());
    let t = Instant::now();
    let graph = Graph::build(&vectors, spec.hnsw);
    let hnsw_build = t.elapsed().as_secs_f64();

    // Queries: embedding timed one at a time, as `rag query` does it.
    let qtexts = queries(spec.queries, spec.chunks, spec.seed);
    let mut qvecs = Vec::with_capacity(qtexts.len());
    let mut embed_lat = Vec::with_capacity(qtexts.len());
    for (i, q) in qtexts.iter().enumerate() {
        let t = Instant::now();
        qvecs.push(e.embed(&[q.as_str()])?.remove(0));
        embed_lat.push(t.elapsed());
        progress("embed queries", i + 1, qtexts.len());
    }
    let truth: Vec<Vec<u32>> = qvecs
        .iter()
        .map(|q| {
            ann::brute_force(&vectors, q, 10)
                .into_iter()
                .map(|h| h.0)
                .collect()
        })
        .collect();
    write_f32(&spec.dir.join("base.f32"), &vectors)?;
    write_f32(&spec.dir.join("queries.f32"), &qvecs)?;
    let truth_raw: Vec<u8> = truth
        .iter()
        .flat_map(|t| t.iter().flat_map(|id| id.to_le_bytes()))
        .collect();
    fsutil::write_atomic(&spec.dir.join("truth.u32"), &truth_raw, 0o644)?;

    let mut sweep = Vec::new();
    for &ef in &spec.ef_sweep {
        let measure = |search: SearchFn| {
            let mut lat = Vec::with_capacity(qvecs.len());
            let mut found = 0usize;
            for (q, want) in qvecs.iter().zip(&truth) {
                let t = Instant::now();
                let got = search(q);
                lat.push(t.elapsed());
                found += got.iter().filter(|h| want.contains(&h.0)).count();
            }
            (found as f64 / (10 * qvecs.len()) as f64, Latency::of(lat))
        };
        let (recall, latency) = measure(&|q| graph.search(q, 10, ef));
        let (theirs_recall, theirs) = measure(&|q| graph.search_hnsw_rs(q, 10, ef));
        sweep.push(EfPoint {
            ef,
            recall_at_10: recall,
            latency,
            hnsw_rs_recall_at_10: theirs_recall,
            hnsw_rs_latency: theirs,
        });
    }
    let ef = sweep
        .iter()
        .find(|p| p.recall_at_10 >= 0.95)
        .or(sweep.last())
        .map_or(spec.hnsw.ef_search, |p| p.ef);

    let mut ix = Index::from_parts(
        chunks,
        bm25,
        graph,
        IndexMeta {
            format_version: FORMAT_VERSION,
            embedder: e.id(),
            fallback: e.is_fallback(),
            dim: DIM,
            hnsw: spec.hnsw,
            built_at: String::new(),
            files: Vec::new(),
            chunk_count: texts.len(),
            checksums: Default::default(),
        },
    );
    ix.set_ef_search(ef);
    let time = |f: &mut dyn FnMut(usize) -> Result<(), RagError>| -> Result<Latency, RagError> {
        let mut lat = Vec::with_capacity(qtexts.len());
        for i in 0..qtexts.len() {
            let t = Instant::now();
            f(i)?;
            lat.push(t.elapsed());
        }
        Ok(Latency::of(lat))
    };
    let bm25_lat = time(&mut |i| {
        ix.search(&qtexts[i], Some(&qvecs[i]), 10, Mode::Bm25)
            .map(drop)
    })?;
    let vector_lat = time(&mut |i| {
        ix.search(&qtexts[i], Some(&qvecs[i]), 10, Mode::Vector)
            .map(drop)
    })?;
    let hybrid_lat = time(&mut |i| {
        ix.search(&qtexts[i], Some(&qvecs[i]), 10, Mode::Hybrid)
            .map(drop)
    })?;
    let end_to_end = time(&mut |i| {
        let q = e.embed(&[qtexts[i].as_str()])?.remove(0);
        ix.search(&qtexts[i], Some(&q), 10, Mode::Hybrid).map(drop)
    })?;

    Ok(RagBench {
        schema_version: 1,
        chunks: texts.len(),
        queries: qtexts.len(),
        embedder: e.id(),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        hnsw: spec.hnsw,
        embed_chunks_per_second: embed_rate,
        embed_sample: sample,
        sentences: sentences.len(),
        vectors_cached: cached,
        composed_cosine,
        bm25_build_seconds: bm25_build,
        hnsw_build_seconds: hnsw_build,
        query_embedding: Latency::of(embed_lat),
        bm25: bm25_lat,
        sweep,
        ef,
        vector: vector_lat,
        hybrid: hybrid_lat,
        end_to_end,
    })
}
