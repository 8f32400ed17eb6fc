#!/usr/bin/env bash
# Benchmark: retrieval over a generated corpus of CHUNKS operator-style chunks embedded with
# MiniLM (`x0t bench rag`: BM25, HNSW, hybrid, end to end, recall@10 per ef), then faiss-cpu
# IndexHNSWFlat (M=16, efConstruction=200) on the very same vectors and queries, in the same
# run. x0t builds with EFC (default 100, the manifest's default; EFC=200 builds as faiss
# does). faiss runs from a venv this script makes under target/.
set -euo pipefail
: "${X0T_BIN:?set X0T_BIN to a release x0t}"
CHUNKS=${CHUNKS:-100000}
QUERIES=${QUERIES:-1000}
EF=${EF:-16,24,32,48,64,96,128}
EFC=${EFC:-100}
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/target/bench-rag"
venv="$root/target/bench-venv"
mkdir -p "$dir"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import faiss, numpy' 2>/dev/null || "$venv/bin/pip" install -q faiss-cpu numpy

echo "== x0t bench rag: $CHUNKS chunks, $QUERIES queries ($(nproc) cores)"
"$X0T_BIN" bench rag --chunks "$CHUNKS" --queries "$QUERIES" --ef "$EF" --ef-construction "$EFC" --dir "$dir" -o json > "$dir/x0t.json"
echo "== faiss-cpu IndexHNSWFlat on the same vectors"
"$venv/bin/python" "$root/benches/rag_faiss.py" "$dir" "$EF" > "$dir/faiss.json"
"$venv/bin/python" - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
x = json.load(open(f"{d}/x0t.json")); f = json.load(open(f"{d}/faiss.json"))
print(f"x0t: embedding {x['embedChunksPerSecond']:.0f} chunks/s, bm25 build {x['bm25BuildSeconds']:.1f} s; "
      f"query embedding p50 {x['queryEmbedding']['p50Ms']:.2f} ms; bm25 top-50 p50 {x['bm25']['p50Ms']:.3f} / p99 {x['bm25']['p99Ms']:.3f} ms")
print(f"faiss {f['faiss']}: build {f['buildSeconds']:.1f} s; x0t hnsw_rs build {x['hnswBuildSeconds']:.1f} s "
      f"(ratio {x['hnswBuildSeconds'] / f['buildSeconds']:.2f}x)")
print(f"{'ef':>4} {'x0t recall':>10} {'p50':>7} {'p99':>7} | {'hnsw_rs search':>14} {'p50':>7} {'p99':>7} | {'faiss recall':>12} {'p50':>7} {'p99':>7}")
for a, b in zip(x["sweep"], f["sweep"]):
    l = a["latency"]; h = a["hnswRsLatency"]
    print(f"{a['ef']:>4} {a['recallAt10']:>10.3f} {l['p50Ms']:>7.3f} {l['p99Ms']:>7.3f} | "
          f"{a['hnswRsRecallAt10']:>14.3f} {h['p50Ms']:>7.3f} {h['p99Ms']:>7.3f} | "
          f"{b['recallAt10']:>12.3f} {b['p50Ms']:>7.3f} {b['p99Ms']:>7.3f}")
def first(sweep, get):
    return next((p for p in sweep if get(p) >= 0.95), None)
a = first(x["sweep"], lambda p: p["recallAt10"]); b = first(f["sweep"], lambda p: p["recallAt10"])
if a and b:
    print(f"at recall@10 >= 0.95: x0t ef={a['ef']} p99 {a['latency']['p99Ms']:.3f} ms vs faiss ef={b['ef']} "
          f"p99 {b['p99Ms']:.3f} ms (ratio {a['latency']['p99Ms'] / b['p99Ms']:.2f}x)")
print(f"hybrid p99 {x['hybrid']['p99Ms']:.3f} ms; end to end (with MiniLM query embedding) p99 "
      f"{x['endToEnd']['p99Ms']:.3f} ms; query embedding p99 {x['queryEmbedding']['p99Ms']:.3f} ms")
PY
