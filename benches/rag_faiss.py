"""The faiss side of benches/rag.sh: IndexHNSWFlat (M=16, efConstruction=200, inner
product on the unit vectors x0t wrote) built on all cores, then queried one query at a time
on one thread for each efSearch, with recall@10 against the exact answers x0t computed.
Prints one JSON object."""
import json
import sys
import time

import faiss
import numpy as np

DIM = 384


def main(d: str, efs: list[int]) -> None:
    base = np.fromfile(f"{d}/base.f32", dtype="<f4").reshape(-1, DIM)
    queries = np.fromfile(f"{d}/queries.f32", dtype="<f4").reshape(-1, DIM)
    truth = np.fromfile(f"{d}/truth.u32", dtype="<u4").reshape(len(queries), 10)
    index = faiss.IndexHNSWFlat(DIM, 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 200
    t = time.perf_counter()
    index.add(base)
    build = time.perf_counter() - t
    faiss.omp_set_num_threads(1)
    sweep = []
    for ef in efs:
        index.hnsw.efSearch = ef
        lat, found = [], 0
        for i in range(len(queries)):
            q = queries[i : i + 1]
            t = time.perf_counter()
            _, ids = index.search(q, 10)
            lat.append((time.perf_counter() - t) * 1e3)
            found += len(set(ids[0].tolist()) & set(truth[i].tolist()))
        lat.sort()
        sweep.append(
            {
                "ef": ef,
                "recallAt10": found / (10 * len(queries)),
                "p50Ms": lat[len(lat) // 2],
                "p99Ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
            }
        )
    print(json.dumps({"faiss": faiss.__version__, "vectors": len(base), "buildSeconds": build, "sweep": sweep}))


if __name__ == "__main__":
    main(sys.argv[1], [int(x) for x in sys.argv[2].split(",")])
