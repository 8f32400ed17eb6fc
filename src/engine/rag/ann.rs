//! The vector side: an hnsw_rs graph over unit vectors with a dot-product distance that
//! uses AVX2/FMA when the CPU has it, plus exact brute-force search to measure recall.

use std::path::Path;

use hnsw_rs::prelude::{AnnT, Distance, Hnsw, HnswIo};

/// HNSW parameters (`rag.hnsw` in the manifest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HnswParams {
    pub m: usize,
    pub ef_construction: usize,
    pub ef_search: usize,
}

/// `1 - a·b` for unit vectors, clamped at 0: the cosine distance without the two norms.
/// (anndists' own dot distance asserts on rounding just above 1 and would panic.)
#[derive(Debug, Default, Clone, Copy)]
pub struct UnitDot;

impl Distance<f32> for UnitDot {
    fn eval(&self, a: &[f32], b: &[f32]) -> f32 {
        (1.0 - dot(a, b)).max(0.0)
    }
}

/// The dot product of two equal-length slices.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports the feature the function is compiled for.
            return unsafe { dot_avx512(a, b) };
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports the features the function is compiled for.
            return unsafe { dot_avx2(a, b) };
        }
    }
    dot_portable(a, b)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn dot_avx512(a: &[f32], b: &[f32]) -> f32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [_mm512_setzero_ps(); 2];
    let mut i = 0;
    while i + 32 <= n {
        for (k, slot) in acc.iter_mut().enumerate() {
            let x = _mm512_loadu_ps(pa.add(i + 16 * k));
            let y = _mm512_loadu_ps(pb.add(i + 16 * k));
            *slot = _mm512_fmadd_ps(x, y, *slot);
        }
        i += 32;
    }
    if i + 16 <= n {
        acc[0] = _mm512_fmadd_ps(
            _mm512_loadu_ps(pa.add(i)),
            _mm512_loadu_ps(pb.add(i)),
            acc[0],
        );
        i += 16;
    }
    let mut sum = _mm512_reduce_add_ps(_mm512_add_ps(acc[0], acc[1]));
    while i < n {
        sum += *pa.add(i) * *pb.add(i);
        i += 1;
    }
    sum
}

fn dot_portable(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn dot_avx2(a: &[f32], b: &[f32]) -> f32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [_mm256_setzero_ps(); 4];
    let mut i = 0;
    while i + 32 <= n {
        for (k, slot) in acc.iter_mut().enumerate() {
            let x = _mm256_loadu_ps(pa.add(i + 8 * k));
            let y = _mm256_loadu_ps(pb.add(i + 8 * k));
            *slot = _mm256_fmadd_ps(x, y, *slot);
        }
        i += 32;
    }
    while i + 8 <= n {
        acc[0] = _mm256_fmadd_ps(
            _mm256_loadu_ps(pa.add(i)),
            _mm256_loadu_ps(pb.add(i)),
            acc[0],
        );
        i += 8;
    }
    let sum = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
    let mut lanes = [0f32; 8];
    _mm256_storeu_ps(lanes.as_mut_ptr(), sum);
    let mut total: f32 = lanes.iter().sum();
    while i < n {
        total += *pa.add(i) * *pb.add(i);
        i += 1;
    }
    total
}

/// An HNSW graph whose point ids are chunk ids. hnsw_rs builds, dumps and loads it; queries
/// walk a read-only copy of the same graph in a flat layout (see [`Flat`]).
pub struct Graph {
    hnsw: Hnsw<'static, f32, UnitDot>,
    flat: Flat,
}

/// The graph hnsw_rs built, frozen for queries: the vectors in one contiguous array, the
/// base layer's neighbour lists in one array indexed by offsets, the few upper-layer lists
/// in maps. hnsw_rs keeps each point behind an `Arc` with a lock around its neighbour lists
/// and allocates per search; this layout needs neither, and a search reuses its scratch.
struct Flat {
    dim: usize,
    vectors: Vec<f32>,
    /// Base-layer neighbours of point `i`: `base[offsets[i]..offsets[i + 1]]`.
    offsets: Vec<u32>,
    base: Vec<u32>,
    /// `upper[l - 1]`: neighbours on layer `l` of the points that reach it.
    upper: Vec<std::collections::HashMap<u32, Vec<u32>>>,
    /// A point on the top layer, where every search starts.
    entry: Option<u32>,
}

impl Flat {
    fn freeze(hnsw: &Hnsw<'static, f32, UnitDot>) -> Flat {
        let index = hnsw.get_point_indexation();
        let n = hnsw.get_nb_point();
        let mut dim = 0;
        let mut vectors = Vec::new();
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut upper: Vec<std::collections::HashMap<u32, Vec<u32>>> = Vec::new();
        let mut entry: Option<(u8, u32)> = None;
        for point in index {
            let id = point.get_origin_id() as u32;
            let v = point.get_v();
            if dim == 0 {
                dim = v.len();
                vectors = vec![0f32; n * dim];
            }
            let at = id as usize * dim;
            vectors[at..at + dim].copy_from_slice(v);
            let level = point.get_point_id().0;
            if entry.is_none_or(|(l, _)| level > l) {
                entry = Some((level, id));
            }
            for (layer, neighbours) in point.get_neighborhood_id().into_iter().enumerate() {
                let ids: Vec<u32> = neighbours.iter().map(|nb| nb.d_id as u32).collect();
                if layer == 0 {
                    lists[id as usize] = ids;
                } else {
                    if upper.len() < layer {
                        upper.resize_with(layer, Default::default);
                    }
                    upper[layer - 1].insert(id, ids);
                }
            }
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut base = Vec::new();
        offsets.push(0);
        for l in &lists {
            base.extend_from_slice(l);
            offsets.push(base.len() as u32);
        }
        Flat {
            dim,
            vectors,
            offsets,
            base,
            upper,
            entry: entry.map(|(_, id)| id),
        }
    }

    fn vector(&self, id: u32) -> &[f32] {
        let at = id as usize * self.dim;
        &self.vectors[at..at + self.dim]
    }

    fn distance(&self, query: &[f32], id: u32) -> f32 {
        (1.0 - dot(query, self.vector(id))).max(0.0)
    }

    /// Greedy descent through the upper layers, then a beam search of width `ef` on the
    /// base layer; the `n` nearest with their distance, nearest first.
    fn search(&self, query: &[f32], n: usize, ef: usize) -> Vec<(u32, f32)> {
        let Some(mut ep) = self.entry else {
            return Vec::new();
        };
        let mut ep_dist = self.distance(query, ep);
        for layer in self.upper.iter().rev() {
            let mut moved = true;
            while moved {
                moved = false;
                for &nb in layer.get(&ep).map(Vec::as_slice).unwrap_or(&[]) {
                    let d = self.distance(query, nb);
                    if d < ep_dist {
                        (ep, ep_dist) = (nb, d);
                        moved = true;
                    }
                }
            }
        }
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            s.search(self, query, ep, ep_dist, n, ef)
        })
    }
}

/// A distance and a point id packed so that integer order is distance order (distances are
/// never negative, and the bits of non-negative floats sort like the floats).
fn pack(d: f32, id: u32) -> u64 {
    (u64::from(d.to_bits()) << 32) | u64::from(id)
}

fn unpack(k: u64) -> (u32, f32) {
    (k as u32, f32::from_bits((k >> 32) as u32))
}

/// Per-thread search state, reused across queries: a visited mark per point (a query's mark
/// is its generation number, so nothing is cleared between queries) and the two heaps.
#[derive(Default)]
struct Scratch {
    visited: Vec<u32>,
    generation: u32,
    candidates: std::collections::BinaryHeap<std::cmp::Reverse<u64>>,
    results: std::collections::BinaryHeap<u64>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Scratch {
    fn search(
        &mut self,
        g: &Flat,
        query: &[f32],
        ep: u32,
        ep_dist: f32,
        n: usize,
        ef: usize,
    ) -> Vec<(u32, f32)> {
        let points = g.offsets.len() - 1;
        if self.visited.len() != points || self.generation == u32::MAX {
            self.visited = vec![0; points];
            self.generation = 0;
        }
        self.generation += 1;
        let mark = self.generation;
        self.candidates.clear();
        self.results.clear();
        self.visited[ep as usize] = mark;
        self.candidates.push(std::cmp::Reverse(pack(ep_dist, ep)));
        self.results.push(pack(ep_dist, ep));
        while let Some(std::cmp::Reverse(c)) = self.candidates.pop() {
            let worst = *self.results.peek().expect("holds the entry point");
            if c > worst && self.results.len() >= ef {
                break;
            }
            let (id, _) = unpack(c);
            let (from, to) = (
                g.offsets[id as usize] as usize,
                g.offsets[id as usize + 1] as usize,
            );
            for &nb in &g.base[from..to] {
                let seen = &mut self.visited[nb as usize];
                if *seen == mark {
                    continue;
                }
                *seen = mark;
                let k = pack(g.distance(query, nb), nb);
                if self.results.len() < ef || k < *self.results.peek().expect("not empty") {
                    self.candidates.push(std::cmp::Reverse(k));
                    self.results.push(k);
                    if self.results.len() > ef {
                        self.results.pop();
                    }
                }
            }
        }
        let mut out: Vec<u64> = self.results.drain().collect();
        out.sort_unstable();
        out.truncate(n);
        out.into_iter().map(unpack).collect()
    }
}

impl Graph {
    /// Builds the graph from `vectors` (id = position), inserting on every core.
    pub fn build(vectors: &[Vec<f32>], p: HnswParams) -> Graph {
        let hnsw = Hnsw::new(p.m, vectors.len().max(1), 16, p.ef_construction, UnitDot);
        let data: Vec<(&Vec<f32>, usize)> = vectors.iter().zip(0..).collect();
        hnsw.parallel_insert(&data);
        let flat = Flat::freeze(&hnsw);
        Graph { hnsw, flat }
    }

    pub fn len(&self) -> usize {
        self.hnsw.get_nb_point()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `n` nearest ids with their cosine similarity, best first.
    pub fn search(&self, query: &[f32], n: usize, ef: usize) -> Vec<(u32, f32)> {
        if self.is_empty() || n == 0 {
            return Vec::new();
        }
        self.flat
            .search(query, n, ef.max(n))
            .into_iter()
            .map(|(id, d)| (id, 1.0 - d))
            .collect()
    }

    /// [`Graph::search`] through hnsw_rs's own search, for comparison in benchmarks.
    pub fn search_hnsw_rs(&self, query: &[f32], n: usize, ef: usize) -> Vec<(u32, f32)> {
        if self.is_empty() || n == 0 {
            return Vec::new();
        }
        self.hnsw
            .search(query, n, ef.max(n))
            .into_iter()
            .map(|nb| (nb.d_id as u32, 1.0 - nb.distance))
            .collect()
    }

    /// Writes `<dir>/<base>.hnsw.graph` and `.hnsw.data`.
    pub fn dump(&self, dir: &Path, base: &str) -> Result<(), String> {
        self.hnsw
            .file_dump(dir, base)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Reads a dump written by `dump`. The caller has checked the files' hashes first:
    /// hnsw_rs asserts (panics) on a malformed dump rather than returning an error.
    pub fn load(dir: &Path, base: &str) -> Result<Graph, String> {
        // The graph borrows its loader for the loader's lifetime; a loader is a few paths
        // and options, so it is leaked once per load to give the graph a 'static lifetime.
        let io: &'static HnswIo = Box::leak(Box::new(HnswIo::new(dir, base)));
        let hnsw = io
            .load_hnsw_with_dist::<f32, UnitDot>(UnitDot)
            .map_err(|e| e.to_string())?;
        let flat = Flat::freeze(&hnsw);
        Ok(Graph { hnsw, flat })
    }
}

/// Exact top-`n` by dot product: the ground truth for recall.
pub fn brute_force(vectors: &[Vec<f32>], query: &[f32], n: usize) -> Vec<(u32, f32)> {
    let mut all: Vec<(u32, f32)> = vectors
        .iter()
        .zip(0u32..)
        .map(|(v, i)| (i, dot(v, query)))
        .collect();
    let n = n.min(all.len());
    if n == 0 {
        return Vec::new();
    }
    all.select_nth_unstable_by(n - 1, |a, b| b.1.total_cmp(&a.1));
    all.truncate(n);
    all.sort_by(|a, b| b.1.total_cmp(&a.1));
    all
}

/// Scales `v` to unit length; a zero vector (no words at all) stays zero.
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(seed: u64, dim: usize) -> Vec<f32> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut v: Vec<f32> = (0..dim)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % 2000) as f32 / 1000.0 - 1.0
            })
            .collect();
        super::normalize(&mut v);
        v
    }

    #[test]
    fn simd_and_portable_dot_agree() {
        for dim in [1, 7, 8, 31, 32, 33, 384] {
            let (a, b) = (unit(1, dim), unit(2, dim));
            let want = dot_portable(&a, &b);
            assert!((dot(&a, &b) - want).abs() < 1e-5, "dim {dim}");
            #[cfg(target_arch = "x86_64")]
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                // SAFETY: the features were just detected.
                let got = unsafe { dot_avx2(&a, &b) };
                assert!((got - want).abs() < 1e-5, "avx2, dim {dim}");
            }
        }
    }

    #[test]
    fn graph_finds_what_brute_force_finds_and_survives_a_dump() {
        let vectors: Vec<Vec<f32>> = (0..2000).map(|i| unit(i, 48)).collect();
        let p = HnswParams {
            m: 16,
            ef_construction: 100,
            ef_search: 64,
        };
        let g = Graph::build(&vectors, p);
        let dir = tempfile::tempdir().unwrap();
        g.dump(dir.path(), "g").unwrap();
        let loaded = Graph::load(dir.path(), "g").unwrap();
        let mut hits = 0;
        for q in 0..50 {
            let query = unit(10_000 + q, 48);
            let truth: Vec<u32> = brute_force(&vectors, &query, 10)
                .iter()
                .map(|h| h.0)
                .collect();
            let got = loaded.search(&query, 10, 64);
            hits += got.iter().filter(|h| truth.contains(&h.0)).count();
        }
        assert!(hits as f64 / 500.0 > 0.9, "recall {}", hits as f64 / 500.0);
        // The flat copy walks the same graph: it finds what hnsw_rs's own search finds.
        let mut same = 0;
        for q in 0..50 {
            let query = unit(20_000 + q, 48);
            let ours: Vec<u32> = loaded.search(&query, 10, 64).iter().map(|h| h.0).collect();
            let theirs: Vec<u32> = loaded
                .search_hnsw_rs(&query, 10, 64)
                .iter()
                .map(|h| h.0)
                .collect();
            same += ours.iter().filter(|id| theirs.contains(id)).count();
        }
        assert!(
            same as f64 / 500.0 > 0.95,
            "overlap {}",
            same as f64 / 500.0
        );
        // Identical vector: similarity 1, distance clamped, no panic.
        let self_hit = loaded.search(&vectors[5], 1, 64);
        assert_eq!(self_hit[0].0, 5);
    }
}
