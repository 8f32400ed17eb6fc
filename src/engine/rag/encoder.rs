//! MiniLM's BERT encoder for one short sequence, in plain loops over the same weights.
//!
//! A query is a dozen word pieces. candle's matrix product packs the weight operand on every
//! call, so for a dozen rows most of a forward pass is spent copying weights rather than
//! multiplying them. Here each weight row is read once from where it lies and dotted with
//! every token while the token rows sit in L1. Long inputs and batches stay on candle.

use candle_core::{Device, Tensor};

use crate::engine::rag::ann::dot;

/// Sequences up to this many pieces ([CLS] and [SEP] included) take this path.
pub const SHORT_PIECES: usize = 64;

/// The encoder's weights, copied out of the safetensors file once.
pub struct Encoder {
    word: Vec<f32>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    norm: Norm,
    layers: Vec<Layer>,
    hidden: usize,
    heads: usize,
}

struct Layer {
    /// Query, key and value fused: one row per output, `3 * hidden` rows.
    qkv: Dense,
    attention_out: Dense,
    attention_norm: Norm,
    up: Dense,
    down: Dense,
    output_norm: Norm,
}

/// `y = x Wᵀ + b` with `W` stored as the checkpoint stores it, one row per output.
struct Dense {
    w: Vec<f32>,
    b: Vec<f32>,
    inputs: usize,
}

struct Norm {
    gamma: Vec<f32>,
    beta: Vec<f32>,
    eps: f32,
}

impl Encoder {
    /// Reads BERT weights (with or without the `bert.` prefix) from a safetensors buffer.
    pub fn load(
        bytes: &[u8],
        config: &candle_transformers::models::bert::Config,
    ) -> candle_core::Result<Encoder> {
        let tensors = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)?;
        let get = |name: &str| -> candle_core::Result<Vec<f32>> {
            let t: &Tensor = tensors
                .get(name)
                .or_else(|| tensors.get(&format!("bert.{name}")))
                .ok_or_else(|| candle_core::Error::Msg(format!("tensor {name} is missing")))?;
            t.flatten_all()?.to_vec1::<f32>()
        };
        let hidden = config.hidden_size;
        let eps = config.layer_norm_eps as f32;
        let norm = |prefix: &str| -> candle_core::Result<Norm> {
            Ok(Norm {
                gamma: get(&format!("{prefix}.weight"))?,
                beta: get(&format!("{prefix}.bias"))?,
                eps,
            })
        };
        let dense = |prefixes: &[String], inputs: usize| -> candle_core::Result<Dense> {
            let (mut w, mut b) = (Vec::new(), Vec::new());
            for p in prefixes {
                w.extend(get(&format!("{p}.weight"))?);
                b.extend(get(&format!("{p}.bias"))?);
            }
            if w.len() != b.len() * inputs {
                return Err(candle_core::Error::Msg(format!(
                    "{} has {} weights for {} outputs of {inputs} inputs",
                    prefixes[0],
                    w.len(),
                    b.len()
                )));
            }
            Ok(Dense { w, b, inputs })
        };
        let layers = (0..config.num_hidden_layers)
            .map(|i| {
                let p = format!("encoder.layer.{i}");
                let qkv: Vec<String> = ["query", "key", "value"]
                    .iter()
                    .map(|n| format!("{p}.attention.self.{n}"))
                    .collect();
                Ok(Layer {
                    qkv: dense(&qkv, hidden)?,
                    attention_out: dense(&[format!("{p}.attention.output.dense")], hidden)?,
                    attention_norm: norm(&format!("{p}.attention.output.LayerNorm"))?,
                    up: dense(&[format!("{p}.intermediate.dense")], hidden)?,
                    down: dense(&[format!("{p}.output.dense")], config.intermediate_size)?,
                    output_norm: norm(&format!("{p}.output.LayerNorm"))?,
                })
            })
            .collect::<candle_core::Result<Vec<Layer>>>()?;
        let heads = config.num_attention_heads;
        if heads == 0 || !hidden.is_multiple_of(heads) {
            return Err(candle_core::Error::Msg(format!(
                "hidden size {hidden} does not split into {heads} heads"
            )));
        }
        Ok(Encoder {
            word: get("embeddings.word_embeddings.weight")?,
            position: get("embeddings.position_embeddings.weight")?,
            token_type: get("embeddings.token_type_embeddings.weight")?,
            norm: norm("embeddings.LayerNorm")?,
            layers,
            hidden,
            heads,
        })
    }

    /// Mean-pooled, L2-normalised embedding of one sequence of token ids (all attended,
    /// token type 0). `None` when an id or the length is outside the model's tables.
    pub fn embed(&self, ids: &[u32]) -> Option<Vec<f32>> {
        let (h, t) = (self.hidden, ids.len());
        if t == 0 || t * h > self.position.len() {
            return None;
        }
        let mut x = vec![0f32; t * h];
        for (i, &id) in ids.iter().enumerate() {
            let word = self.word.get(id as usize * h..(id as usize + 1) * h)?;
            let pos = &self.position[i * h..(i + 1) * h];
            let row = &mut x[i * h..(i + 1) * h];
            for k in 0..h {
                row[k] = word[k] + pos[k] + self.token_type[k];
            }
            self.norm.apply(row);
        }
        let mut scratch = Scratch::default();
        for layer in &self.layers {
            self.layer(layer, &mut x, t, &mut scratch);
        }
        let mut mean = vec![0f32; h];
        for row in x.chunks_exact(h) {
            mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
        }
        crate::engine::rag::ann::normalize(&mut mean);
        Some(mean)
    }

    fn layer(&self, l: &Layer, x: &mut [f32], t: usize, s: &mut Scratch) {
        let h = self.hidden;
        let d = h / self.heads;
        let scale = 1.0 / (d as f32).sqrt();
        l.qkv.apply(x, t, &mut s.qkv, &mut s.yt);
        s.context.clear();
        s.context.resize(t * h, 0.0);
        s.scores.resize(t, 0.0);
        let row = |i: usize, part: usize, head: usize| {
            let at = i * 3 * h + part * h + head * d;
            &s.qkv[at..at + d]
        };
        for head in 0..self.heads {
            for i in 0..t {
                let q = row(i, 0, head);
                let mut max = f32::NEG_INFINITY;
                for j in 0..t {
                    let v = dot(q, row(j, 1, head)) * scale;
                    s.scores[j] = v;
                    max = max.max(v);
                }
                let mut sum = 0.0;
                for v in &mut s.scores[..t] {
                    *v = (*v - max).exp();
                    sum += *v;
                }
                let out = &mut s.context[i * h + head * d..i * h + (head + 1) * d];
                for j in 0..t {
                    let p = s.scores[j] / sum;
                    out.iter_mut()
                        .zip(row(j, 2, head))
                        .for_each(|(o, v)| *o += p * v);
                }
            }
        }
        l.attention_out.apply(&s.context, t, &mut s.out, &mut s.yt);
        residual_norm(x, &s.out, &l.attention_norm, h);
        l.up.apply(x, t, &mut s.up, &mut s.yt);
        s.up.iter_mut().for_each(|v| *v = gelu(*v));
        l.down.apply(&s.up, t, &mut s.out, &mut s.yt);
        residual_norm(x, &s.out, &l.output_norm, h);
    }
}

/// Buffers reused across the layers of one pass.
#[derive(Default)]
struct Scratch {
    qkv: Vec<f32>,
    context: Vec<f32>,
    scores: Vec<f32>,
    out: Vec<f32>,
    up: Vec<f32>,
    /// A product's output, output-major, before it is laid out token-major.
    yt: Vec<f32>,
}

/// `x = norm(x + y)`, row by row.
fn residual_norm(x: &mut [f32], y: &[f32], norm: &Norm, h: usize) {
    for (row, add) in x.chunks_exact_mut(h).zip(y.chunks_exact(h)) {
        row.iter_mut().zip(add).for_each(|(a, b)| *a += b);
        norm.apply(row);
    }
}

/// BERT's GELU, the erf form: `x/2 (1 + erf(x/√2))`.
fn gelu(v: f32) -> f32 {
    0.5 * v * (1.0 + erf(v * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf to within 1.5e-7 (Abramowitz and Stegun 7.1.26), a quarter of the cost of libm's.
fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152 + t * 1.061_405_4))));
    let y = 1.0 - poly * (-a * a).exp();
    y.copysign(x)
}

impl Norm {
    fn apply(&self, row: &mut [f32]) {
        let n = row.len() as f32;
        let mean = row.iter().sum::<f32>() / n;
        let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n;
        let inv = 1.0 / (var + self.eps).sqrt();
        for ((v, g), b) in row.iter_mut().zip(&self.gamma).zip(&self.beta) {
            *v = (*v - mean) * inv * g + b;
        }
    }
}

impl Dense {
    /// `y[t] = W x[t] + b` for the `t` rows of `x`. The output rows are shared out among
    /// rayon's threads, each reading only its own part of `W`.
    fn apply(&self, x: &[f32], t: usize, y: &mut Vec<f32>, yt: &mut Vec<f32>) {
        use rayon::prelude::*;
        let n = self.b.len();
        yt.clear();
        yt.resize(n * t, 0.0);
        let per = n.div_ceil(rayon::current_num_threads()).next_multiple_of(4);
        yt.par_chunks_mut(per * t)
            .enumerate()
            .for_each(|(c, out)| self.rows(x, t, c * per, out));
        y.clear();
        y.resize(t * n, 0.0);
        for (o, col) in yt.chunks_exact(t).enumerate() {
            for (i, v) in col.iter().enumerate() {
                y[i * n + o] = *v;
            }
        }
    }

    /// Outputs `first..` (as many as `out` holds), written output-major: `out[o][i]`.
    fn rows(&self, x: &[f32], t: usize, first: usize, out: &mut [f32]) {
        let k = self.inputs;
        let count = out.len() / t;
        let mut o = 0;
        // Four weight rows against two token rows: eight independent sums per step.
        while o + 4 <= count {
            let at = first + o;
            let w = &self.w[at * k..(at + 4) * k];
            let mut i = 0;
            while i + 4 <= t {
                let Some(sums) = dot4x4(w, &x[i * k..(i + 4) * k], k) else {
                    break;
                };
                for (j, s) in sums.iter().enumerate() {
                    for r in 0..4 {
                        out[(o + r) * t + i + j] = s[r] + self.b[at + r];
                    }
                }
                i += 4;
            }
            while i + 2 <= t {
                let sums = dot4x2(w, &x[i * k..(i + 2) * k], k);
                for r in 0..4 {
                    out[(o + r) * t + i] = sums[0][r] + self.b[at + r];
                    out[(o + r) * t + i + 1] = sums[1][r] + self.b[at + r];
                }
                i += 2;
            }
            if i < t {
                for r in 0..4 {
                    out[(o + r) * t + i] =
                        dot(&w[r * k..(r + 1) * k], &x[i * k..(i + 1) * k]) + self.b[at + r];
                }
            }
            o += 4;
        }
        for o in o..count {
            let at = first + o;
            for i in 0..t {
                out[o * t + i] =
                    dot(&self.w[at * k..(at + 1) * k], &x[i * k..(i + 1) * k]) + self.b[at];
            }
        }
    }
}

/// Dot products of four rows of `w` with four rows of `x` (`[x row][w row]`), where the
/// CPU has AVX-512; `None` elsewhere, and the caller takes two rows at a time.
fn dot4x4(w: &[f32], x: &[f32], k: usize) -> Option<[[f32; 4]; 4]> {
    #[cfg(target_arch = "x86_64")]
    {
        if k.is_multiple_of(16) && std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has the feature; both slices hold the rows (checked below).
            assert!(w.len() >= 4 * k && x.len() >= 4 * k);
            return Some(unsafe { dot4xn_avx512::<4>(w, x, k) });
        }
    }
    let _ = (w, x, k);
    None
}

/// Dot products of four consecutive rows of `w` with two consecutive rows of `x`, each
/// row `k` long: `[x row][w row]`.
fn dot4x2(w: &[f32], x: &[f32], k: usize) -> [[f32; 4]; 2] {
    #[cfg(target_arch = "x86_64")]
    {
        if k.is_multiple_of(16) && std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has the feature; both slices hold the rows (checked below).
            assert!(w.len() >= 4 * k && x.len() >= 2 * k);
            return unsafe { dot4xn_avx512::<2>(w, x, k) };
        }
        if k.is_multiple_of(8)
            && std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has the features; both slices hold the rows (checked below).
            assert!(w.len() >= 4 * k && x.len() >= 2 * k);
            return unsafe { dot4x2_avx2(w, x, k) };
        }
    }
    let mut out = [[0f32; 4]; 2];
    for (i, row) in out.iter_mut().enumerate() {
        for (r, v) in row.iter_mut().enumerate() {
            *v = dot(&w[r * k..(r + 1) * k], &x[i * k..(i + 1) * k]);
        }
    }
    out
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn dot4xn_avx512<const N: usize>(w: &[f32], x: &[f32], k: usize) -> [[f32; 4]; N] {
    use std::arch::x86_64::*;
    let (pw, px) = (w.as_ptr(), x.as_ptr());
    // acc[r][i]: weight row r against token row i.
    let mut acc = [[_mm512_setzero_ps(); N]; 4];
    let mut c = 0;
    while c < k {
        let mut xs = [_mm512_setzero_ps(); N];
        for (i, v) in xs.iter_mut().enumerate() {
            *v = _mm512_loadu_ps(px.add(i * k + c));
        }
        for (r, row) in acc.iter_mut().enumerate() {
            let wr = _mm512_loadu_ps(pw.add(r * k + c));
            for (a, xv) in row.iter_mut().zip(&xs) {
                *a = _mm512_fmadd_ps(wr, *xv, *a);
            }
        }
        c += 16;
    }
    let mut out = [[0f32; 4]; N];
    for (r, row) in acc.iter().enumerate() {
        for (i, a) in row.iter().enumerate() {
            out[i][r] = _mm512_reduce_add_ps(*a);
        }
    }
    out
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn dot4x2_avx2(w: &[f32], x: &[f32], k: usize) -> [[f32; 4]; 2] {
    use std::arch::x86_64::*;
    let (pw, px) = (w.as_ptr(), x.as_ptr());
    // acc[r][i]: weight row r against token row i.
    let mut acc = [[_mm256_setzero_ps(); 2]; 4];
    let mut c = 0;
    while c < k {
        let x0 = _mm256_loadu_ps(px.add(c));
        let x1 = _mm256_loadu_ps(px.add(k + c));
        for (r, row) in acc.iter_mut().enumerate() {
            let wr = _mm256_loadu_ps(pw.add(r * k + c));
            row[0] = _mm256_fmadd_ps(wr, x0, row[0]);
            row[1] = _mm256_fmadd_ps(wr, x1, row[1]);
        }
        c += 8;
    }
    let mut out = [[0f32; 4]; 2];
    for (r, row) in acc.iter().enumerate() {
        for (i, &v) in row.iter().enumerate() {
            let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
            let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
            let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
            out[i][r] = _mm_cvtss_f32(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_is_within_its_bound_of_libm() {
        let worst = (-6000..=6000)
            .map(|i| i as f32 / 1000.0)
            .map(|x| (erf(x) - libm::erff(x)).abs())
            .fold(0f32, f32::max);
        assert!(worst < 5e-7, "worst error {worst}");
        assert!(erf(0.0).abs() < 1e-7);
        assert!(erf(-1.0) < 0.0 && (erf(-1.0) + erf(1.0)).abs() < 1e-7);
    }

    #[test]
    fn kernels_agree_with_plain_dot_products() {
        let k = 48;
        let w: Vec<f32> = (0..4 * k)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0)
            .collect();
        let x: Vec<f32> = (0..7 * k)
            .map(|i| ((i * 53 % 97) as f32 - 48.0) / 48.0)
            .collect();
        let plain = |r: usize, i: usize| -> f32 {
            w[r * k..(r + 1) * k]
                .iter()
                .zip(&x[i * k..(i + 1) * k])
                .map(|(a, b)| a * b)
                .sum()
        };
        let mut kernels = vec![("dispatch", dot4x2(&w, &x, k))];
        #[cfg(target_arch = "x86_64")]
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            // SAFETY: the features were just detected; w and x hold the rows.
            kernels.push(("avx2", unsafe { dot4x2_avx2(&w, &x, k) }));
        }
        for (name, sums) in kernels {
            for (i, row) in sums.iter().enumerate() {
                for (r, v) in row.iter().enumerate() {
                    assert!((v - plain(r, i)).abs() < 1e-4, "{name} [{i}][{r}]");
                }
            }
        }
        let d = Dense {
            w: w.iter().chain(&w[..k]).copied().collect(),
            b: vec![0.5; 5],
            inputs: k,
        };
        let (mut y, mut yt) = (Vec::new(), Vec::new());
        d.apply(&x, 7, &mut y, &mut yt);
        for i in 0..7 {
            for o in 0..5 {
                let want = plain(o % 4, i) + 0.5;
                assert!((y[i * 5 + o] - want).abs() < 1e-4, "dense [{i}][{o}]");
            }
        }
    }
}
