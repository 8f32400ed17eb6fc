//! RAG: the MiniLM embedder against sentence-transformers' own vectors, retrieval quality on
//! questions written apart from the runbooks, incremental indexing, and bad input.

use std::path::{Path, PathBuf};

use x0tta6bl4::engine::rag::{self, embed, Embedder, HnswParams, Index, Mode, RagConfig};

use crate::support::{golden, mask, run_in, Env};

const HASH: (&str, &str) = ("X0T_EMBEDDER", "hash");

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rag")
        .join(rel)
}

/// The real model, or a failure that says how to get it: this test never falls back.
fn minilm() -> Embedder {
    let dir = embed::model_dir().expect("a cache directory");
    Embedder::minilm(&dir).unwrap_or_else(|e| {
        panic!("MiniLM weights are required here ({e}); run `cargo xtask setup`")
    })
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}

#[test]
fn minilm_embeddings_match_sentence_transformers() {
    let reference: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("reference.json")).unwrap()).unwrap();
    let sentences = reference["sentences"].as_array().unwrap();
    assert!(sentences.len() >= 5);
    let e = minilm();
    assert!(!e.is_fallback());
    let texts: Vec<&str> = sentences
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    // One batch (padded to the longest) and one at a time must both match.
    let batch = e.embed(&texts).unwrap();
    for (s, got) in sentences.iter().zip(&batch) {
        let want: Vec<f32> = s["vector"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap() as f32)
            .collect();
        assert_eq!(got.len(), 384);
        let single = e.embed(&[s["text"].as_str().unwrap()]).unwrap().remove(0);
        // A single short text takes the plain-loop encoder, a batch candle's: they agree.
        assert!(
            cosine(got, &single) > 0.9999,
            "paths differ for {:?}",
            s["text"]
        );
        for v in [got, &single] {
            let c = cosine(v, &want);
            assert!(c >= 0.99, "cosine {c} for {:?}", s["text"]);
            assert!((v.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-4);
        }
    }
    // Different sentences are not all alike (a model that returns a constant would pass
    // the checks above only if the fixture were constant too).
    assert!(cosine(&batch[0], &batch[3]) < 0.9);
}

/// MRR@5 and hit@1 of `mode` over the question set, at the runbook level.
fn quality(ix: &Index, e: &Embedder, mode: Mode) -> (f64, f64, Vec<String>) {
    let questions: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(fixture("questions.json")).unwrap()).unwrap();
    assert!(questions.len() >= 30);
    let (mut rr, mut hit1, mut misses) = (0.0, 0.0, Vec::new());
    for q in &questions {
        let text = q["question"].as_str().unwrap();
        let want = format!("builtin:runbooks/{}", q["expect"].as_str().unwrap());
        let report = rag::query(ix, e, text, 5, mode).unwrap();
        match report.hits.iter().position(|h| h.path == want) {
            Some(i) => {
                rr += 1.0 / (i as f64 + 1.0);
                if i == 0 {
                    hit1 += 1.0;
                }
            }
            None => misses.push(text.to_string()),
        }
    }
    let n = questions.len() as f64;
    (rr / n, hit1 / n, misses)
}

#[test]
#[allow(clippy::print_stderr)] // the per-mode numbers belong in the test log
fn hybrid_retrieval_finds_the_right_runbook_better_than_either_retriever_alone() {
    let dir = tempfile::tempdir().unwrap();
    let e = minilm();
    let cfg = RagConfig {
        root: dir.path().join("rag"),
        sources: Vec::new(),
        hnsw: HnswParams {
            m: 16,
            ef_construction: 200,
            ef_search: 64,
        },
    };
    let (ix, built) = rag::open_or_build(&cfg, &e, &mut |_| {}).unwrap();
    assert!(built);
    let mut table = Vec::new();
    for mode in [Mode::Bm25, Mode::Vector, Mode::Hybrid] {
        let (mrr, hit1, misses) = quality(&ix, &e, mode);
        eprintln!(
            "{:>6}: MRR@5 {mrr:.3}  hit@1 {hit1:.3}  missed {misses:?}",
            mode.name()
        );
        table.push((mode, mrr, hit1));
    }
    let (bm25, vector, hybrid) = (table[0].1, table[1].1, table[2].1);
    assert!(hybrid >= 0.75, "hybrid MRR@5 {hybrid:.3}");
    assert!(
        hybrid > bm25 && hybrid > vector,
        "hybrid {hybrid:.3} vs bm25 {bm25:.3}, vector {vector:.3}"
    );
    // The question from the issue answers with the restore runbook first.
    let r = rag::query(&ix, &e, "how do I restore a snapshot", 5, Mode::Hybrid).unwrap();
    assert_eq!(r.hits[0].path, "builtin:runbooks/snapshot-restore.md");
}

fn notes_env() -> Env {
    let env = Env::new(&crate::support::QUICKSTART.replace(
        "spec:\n",
        "spec:\n  rag: { sources: [notes], hnsw: { m: 12, efConstruction: 100, efSearch: 48 } }\n",
    ));
    let notes = env.root().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(
        notes.join("pager.md"),
        "# Pager rota\n\nThe zebracorn pager rotates every Tuesday.\n",
    )
    .unwrap();
    std::fs::write(
        notes.join("vendor.txt"),
        "Vendor escalation: call the quokkafish hotline after two failed restarts.\n",
    )
    .unwrap();
    env
}

#[test]
fn indexing_is_incremental_and_follows_changed_and_vanished_files() {
    let env = notes_env();
    let first = env.x0t_env(&["rag", "index", "-o", "json"], &[HASH]);
    let first = first.ok().json();
    assert_eq!(first["changed"], true);
    let chunks = first["chunks"].as_u64().unwrap();
    assert!(first["files"].as_u64().unwrap() >= 17, "{first}");
    assert_eq!(first["embedded"].as_u64().unwrap(), chunks);

    let again = env
        .x0t_env(&["rag", "index", "-o", "json"], &[HASH])
        .ok()
        .json();
    assert_eq!(again["changed"], false);
    assert_eq!(again["embedded"], 0);

    let pager = env.root().join("notes/pager.md");
    std::fs::write(
        &pager,
        "# Pager rota\n\nThe zebracorn pager now rotates on Fridays.\n",
    )
    .unwrap();
    let edited = env
        .x0t_env(&["rag", "index", "-o", "json"], &[HASH])
        .ok()
        .json();
    assert_eq!(edited["changed"], true);
    assert_eq!(edited["embedded"], 1, "{edited}");
    assert_eq!(edited["reused"].as_u64().unwrap(), chunks - 1);
    assert!(edited["changedFiles"][0]
        .as_str()
        .unwrap()
        .ends_with("notes/pager.md"));

    let q = env
        .x0t_env(
            &["rag", "query", "zebracorn pager", "-k", "1", "-o", "json"],
            &[HASH],
        )
        .ok()
        .json();
    assert!(q["hits"][0]["text"].as_str().unwrap().contains("Fridays"));

    std::fs::remove_file(env.root().join("notes/vendor.txt")).unwrap();
    let removed = env
        .x0t_env(&["rag", "index", "-o", "json"], &[HASH])
        .ok()
        .json();
    assert!(removed["removedFiles"][0]
        .as_str()
        .unwrap()
        .ends_with("notes/vendor.txt"));
    for mode in ["bm25", "vector", "hybrid"] {
        let q = env
            .x0t_env(
                &[
                    "rag",
                    "query",
                    "quokkafish hotline",
                    "--mode",
                    mode,
                    "-k",
                    "20",
                    "-o",
                    "json",
                ],
                &[HASH],
            )
            .ok()
            .json();
        let hits = q["hits"].as_array().unwrap();
        assert!(
            hits.iter()
                .all(|h| !h["path"].as_str().unwrap().contains("vendor")),
            "{mode}: a vanished file is still found"
        );
    }
    // Exactly one generation remains on disk.
    let gens = std::fs::read_dir(env.state("rag"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .count();
    assert_eq!(gens, 1);
}

#[test]
fn query_without_an_index_builds_the_builtin_one_anywhere_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // No manifest here: the per-user index under XDG_CACHE_HOME is used, and with no
    // weights there the fallback embedder answers and says so.
    let cache = dir.path().join("cache");
    let env = [
        ("XDG_CACHE_HOME", cache.to_str().unwrap()),
        ("X0T_MODEL_DIR", ""),
    ];
    let out = run_in(
        dir.path(),
        &["rag", "query", "how do I restore a snapshot", "-o", "json"],
        &env,
    );
    out.ok();
    assert!(
        out.stderr.contains("fallback hashing embedder"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("no MiniLM weights"), "{}", out.stderr);
    assert!(
        out.stderr.contains("built one from the built-in runbooks"),
        "{}",
        out.stderr
    );
    let v = out.json();
    assert_eq!(v["builtIndex"], true);
    assert_eq!(v["embedder"]["fallback"], true);
    // The fallback matches words only: the restore runbook is near the top, not always first
    // (with MiniLM it is first: see the quality test).
    let top3: Vec<&str> = v["hits"].as_array().unwrap()[..3]
        .iter()
        .map(|h| h["path"].as_str().unwrap())
        .collect();
    assert!(
        top3.contains(&"builtin:runbooks/snapshot-restore.md"),
        "{top3:?}"
    );
    assert!(cache.join("x0t/rag/CURRENT").is_file());
    let again = run_in(
        dir.path(),
        &["rag", "query", "disk full", "-o", "json"],
        &env,
    );
    assert_eq!(again.ok().json()["builtIndex"], false);
    assert!(!again.stderr.contains("built one"));
}

#[test]
fn bad_sources_are_skipped_with_a_warning_never_a_panic() {
    let env = notes_env();
    let notes = env.root().join("notes");
    std::fs::write(notes.join("blob.txt"), b"ELF\x00\x01\x02binary").unwrap();
    std::fs::write(notes.join("latin1.md"), b"caf\xe9 au lait\n").unwrap();
    let big = std::fs::File::create(notes.join("huge.md")).unwrap();
    big.set_len(100 << 20).unwrap();
    std::fs::create_dir(env.root().join("empty")).unwrap();
    let out = env.x0t_env(&["rag", "index", "empty", "-o", "json"], &[HASH]);
    let report = out.ok().json();
    for want in [
        "blob.txt: skipped: binary file",
        "latin1.md: skipped: not UTF-8",
        "huge.md: skipped: 100 MiB is over the 16 MiB limit",
        "empty: no markdown or text files to index",
    ] {
        assert!(
            out.stderr.contains(want),
            "missing {want:?} in\n{}",
            out.stderr
        );
    }
    assert_eq!(report["warnings"].as_array().unwrap().len(), 4);
    let paths = std::fs::read_to_string(env.state("rag/CURRENT")).unwrap();
    let chunks =
        std::fs::read_to_string(env.state("rag").join(paths.trim()).join("chunks.json")).unwrap();
    assert!(chunks.contains("zebracorn") && !chunks.contains("lait"));

    let missing = env.x0t_env(&["rag", "index", "no-such-dir"], &[HASH]);
    missing.code(1);
    assert!(
        missing.stderr.contains("rag source no-such-dir"),
        "{}",
        missing.stderr
    );
}

fn generation(env: &Env) -> PathBuf {
    let name = std::fs::read_to_string(env.state("rag/CURRENT")).unwrap();
    env.state("rag").join(name.trim())
}

#[test]
fn a_corrupted_index_is_refused_with_a_rebuild_hint() {
    let env = notes_env();
    env.x0t_env(&["rag", "index"], &[HASH]).ok();
    let gen = generation(&env);
    for victim in [
        "chunks.json",
        "vectors.f32",
        "graph.hnsw.graph",
        "graph.hnsw.data",
    ] {
        let path = gen.join(victim);
        let original = std::fs::read(&path).unwrap();
        let mut bytes = original.clone();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x20;
        std::fs::write(&path, &bytes).unwrap();
        let out = env.x0t_env(&["rag", "query", "pager"], &[HASH]);
        out.code(1);
        assert!(
            out.stderr.contains("is corrupted"),
            "{victim}: {}",
            out.stderr
        );
        assert!(out.stderr.contains(victim), "{victim}: {}", out.stderr);
        assert!(
            out.stderr.contains("hint: run `x0t rag index --rebuild`"),
            "{}",
            out.stderr
        );
        // An incremental index refuses to build on it too.
        env.x0t_env(&["rag", "index"], &[HASH]).code(1);
        std::fs::write(&path, &original).unwrap();
    }
    // A file of tantivy's own, truncated.
    let seg = std::fs::read_dir(gen.join("bm25"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .expect("a tantivy .idx file");
    std::fs::write(&seg, b"").unwrap();
    let out = env.x0t_env(&["rag", "query", "pager"], &[HASH]);
    out.code(1);
    assert!(out.stderr.contains("is corrupted"), "{}", out.stderr);
    // A future format is refused by name.
    let meta_path = gen.join("index.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    std::fs::write(
        &meta_path,
        meta.replace("\"formatVersion\": 1", "\"formatVersion\": 9"),
    )
    .unwrap();
    let out = env.x0t_env(&["rag", "query", "pager"], &[HASH]);
    out.code(1);
    assert!(out.stderr.contains("format version 9"), "{}", out.stderr);
    // --rebuild replaces the broken generation and the index answers again.
    env.x0t_env(&["rag", "index", "--rebuild"], &[HASH]).ok();
    let q = env.x0t_env(
        &["rag", "query", "zebracorn", "-k", "1", "-o", "json"],
        &[HASH],
    );
    assert!(q.ok().json()["hits"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with("pager.md"));
}

#[test]
fn an_index_refuses_vectors_from_another_embedder() {
    let env = notes_env();
    env.x0t_env(&["rag", "index"], &[HASH]).ok();
    // Default embedder: MiniLM from the user cache.
    let out = env.x0t(&["rag", "index"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("was built by embedder `x0t-hash-384-v1`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("all-MiniLM-L6-v2@"), "{}", out.stderr);
    assert!(out.stderr.contains("--rebuild"), "{}", out.stderr);
    env.x0t(&["rag", "query", "pager", "--mode", "vector"])
        .code(1);
    // Keyword search needs no vectors, so it still answers.
    let bm25 = env.x0t(&["rag", "query", "zebracorn", "--mode", "bm25", "-o", "json"]);
    let v = bm25.ok().json();
    assert!(v["hits"][0]["path"].as_str().unwrap().ends_with("pager.md"));
    assert!(v["hits"][0]["vectorScore"].is_null());
}

#[test]
fn rag_json_shapes_are_golden_and_documented() {
    let env = notes_env();
    env.x0t_env(&["rag", "index"], &[HASH]).ok();
    std::fs::write(
        env.root().join("notes/pager.md"),
        "# Pager rota\n\nThe zebracorn pager rotates every Friday.\n",
    )
    .unwrap();
    let index = env.x0t_env(&["rag", "index", "-o", "json"], &[HASH]);
    let query = env.x0t_env(
        &[
            "rag",
            "query",
            "zebracorn pager rota",
            "-k",
            "1",
            "-o",
            "json",
        ],
        &[HASH],
    );
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"))
        .unwrap();
    let scores = regex::Regex::new(r#"("(bm25|vector|fused)Score"): (null|[0-9.e-]+)"#).unwrap();
    let counts = regex::Regex::new(r#"("(files|chunks|reused)"): \d+"#).unwrap();
    let shapes: Vec<(&str, String)> = [("rag-index", index), ("rag-query", query)]
        .into_iter()
        .map(|(name, out)| {
            let text = mask(&out.ok().stdout, Some(env.root()));
            let text = scores.replace_all(&text, "$1: [SCORE]");
            (name, counts.replace_all(&text, "$1: [N]").into_owned())
        })
        .collect();
    for (name, text) in &shapes {
        golden(&format!("json/{name}.json"), text);
    }
    for (name, text) in &shapes {
        assert!(
            docs.contains(&format!("```json\n{text}```")),
            "docs/json.md does not show the current `{name}` shape"
        );
    }
}

#[test]
fn a_live_node_answers_from_its_own_index_through_the_admin_api() {
    let c = crate::support::cluster::Cluster::start_with_env(
        &crate::support::cluster::manifest("ragnode", 1, &[], ""),
        &["n1"],
        &[HASH],
    );
    let first = c.x0t(&[
        "rag",
        "query",
        "how do I restore a snapshot",
        "--node",
        "n1",
        "-o",
        "json",
    ]);
    let v = first.ok().json();
    assert!(
        first.stderr.contains("node n1 had no rag index yet"),
        "{}",
        first.stderr
    );
    assert!(
        first.stderr.contains("fallback hashing embedder"),
        "{}",
        first.stderr
    );
    assert_eq!(v["builtIndex"], true);
    assert_eq!(v["embedder"]["id"], "x0t-hash-384-v1");
    let paths: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 5);
    assert!(
        paths[..3].contains(&"builtin:runbooks/snapshot-restore.md"),
        "{paths:?}"
    );
    // The index lives in the node's own data directory and is reused.
    assert!(c.env.state("nodes/n1/rag/CURRENT").is_file());
    let again = c.x0t(&[
        "rag",
        "query",
        "disk is full",
        "--node",
        "n1",
        "-k",
        "2",
        "-o",
        "json",
    ]);
    let v = again.ok().json();
    assert_eq!(v["builtIndex"], false);
    assert_eq!(v["hits"].as_array().unwrap().len(), 2);
    let text = c.x0t(&[
        "rag",
        "query",
        "quorum lost",
        "--node",
        "n1",
        "--mode",
        "bm25",
    ]);
    assert!(
        text.ok().stdout.starts_with("1. builtin:runbooks/"),
        "{}",
        text.stdout
    );
    let unknown = c.x0t(&["rag", "query", "x", "--node", "n9"]);
    unknown.code(1);
    assert!(
        unknown.stderr.contains("n9 is not a node of this mesh"),
        "{}",
        unknown.stderr
    );
}
