//! Sealed snapshot files: a signed snapshot file encrypted to one recipient's ML-KEM key.
//! ML-KEM encapsulation gives a shared secret; HKDF-SHA256 turns it into an AES-256-GCM key
//! whose associated data binds the header and the KEM ciphertext. Layout (docs/formats.md):
//!
//! ```text
//! magic "X0TSEAL\n" | u32 BE header length | header (JSON) | u32 BE KEM ciphertext length
//! | KEM ciphertext | 12-byte nonce | AES-256-GCM ciphertext and tag of the snapshot file
//! ```

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use aws_lc_rs::hkdf::{Salt, HKDF_SHA256};
use serde::{Deserialize, Serialize};

use crate::engine::pqc::{self, KemAlgorithm, PqcError};

pub const MAGIC: &[u8; 8] = b"X0TSEAL\n";
pub const FORMAT_VERSION: u32 = 1;
const AEAD: &str = "AES-256-GCM";
const KDF_INFO: &[u8] = b"x0t sealed snapshot v1";

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("sealed file is truncated ({0})")]
    Truncated(&'static str),
    #[error("sealed file header is not valid: {0}")]
    Header(String),
    #[error("unsupported sealed format version {found}; this build reads up to {supported}")]
    Version { found: u32, supported: u32 },
    #[error("sealed to {recipient} (key {expected}), but the key given is {given}")]
    WrongKey {
        recipient: String,
        expected: String,
        given: String,
    },
    #[error("cannot open the sealed file: it was altered, or the key is not the recipient's")]
    Open,
    #[error("encryption failed")]
    Crypto,
    #[error(transparent)]
    Pqc(#[from] PqcError),
}

/// Who a sealed file is for, and how it was sealed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealHeader {
    pub format_version: u32,
    /// The recipient's name (an operator or a node).
    pub recipient: String,
    /// Fingerprint of the recipient's ML-KEM public key.
    pub recipient_key: String,
    pub kem: String,
    pub aead: String,
}

/// A recipient's ML-KEM secret key and its public fingerprint.
pub struct Opener {
    pub algorithm: KemAlgorithm,
    pub secret: crate::engine::util::Secret,
    pub fingerprint: String,
}

/// Whether `bytes` is a sealed file.
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

fn aead_key(shared: &[u8], aad: &[u8]) -> Result<LessSafeKey, SealError> {
    let prk = Salt::new(HKDF_SHA256, &[]).extract(shared);
    let info = [KDF_INFO, aad];
    let okm = prk
        .expand(&info, &AES_256_GCM)
        .map_err(|_| SealError::Crypto)?;
    let mut key = [0u8; 32];
    okm.fill(&mut key).map_err(|_| SealError::Crypto)?;
    let unbound = UnboundKey::new(&AES_256_GCM, &key).map_err(|_| SealError::Crypto)?;
    Ok(LessSafeKey::new(unbound))
}

/// Encrypts `file` to the holder of `public` (an ML-KEM public key named `recipient`).
pub fn seal(
    file: &[u8],
    recipient: &str,
    algorithm: KemAlgorithm,
    public: &[u8],
) -> Result<Vec<u8>, SealError> {
    let header = SealHeader {
        format_version: FORMAT_VERSION,
        recipient: recipient.into(),
        recipient_key: pqc::fingerprint(public),
        kem: algorithm.name().into(),
        aead: AEAD.into(),
    };
    let header = serde_json::to_vec(&header).map_err(|e| SealError::Header(e.to_string()))?;
    let (ct, shared) = pqc::encapsulate(algorithm, public)?;
    let mut out = Vec::with_capacity(file.len() + header.len() + ct.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(header.len() as u32).to_be_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(&(ct.len() as u32).to_be_bytes());
    out.extend_from_slice(&ct);
    // A fresh KEM secret per file makes the key single-use; the random nonce is belt and braces.
    let mut nonce = [0u8; NONCE_LEN];
    aws_lc_rs::rand::fill(&mut nonce).map_err(|_| SealError::Crypto)?;
    let key = aead_key(&shared, &out)?;
    let aad = out.clone();
    let mut body = file.to_vec();
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::from(aad.as_slice()),
        &mut body,
    )
    .map_err(|_| SealError::Crypto)?;
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&body);
    Ok(out)
}

/// The parts of a sealed file.
pub struct Sealed<'a> {
    pub header: SealHeader,
    aad: &'a [u8],
    ciphertext: &'a [u8],
    nonce: [u8; NONCE_LEN],
    body: &'a [u8],
}

fn take<'a>(
    bytes: &'a [u8],
    at: &mut usize,
    n: usize,
    what: &'static str,
) -> Result<&'a [u8], SealError> {
    let end = at.checked_add(n).filter(|e| *e <= bytes.len());
    let end = end.ok_or(SealError::Truncated(what))?;
    let out = &bytes[*at..end];
    *at = end;
    Ok(out)
}

fn len(bytes: &[u8], at: &mut usize, what: &'static str) -> Result<usize, SealError> {
    let b = take(bytes, at, 4, what)?;
    Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// Parses a sealed file's envelope (it must start with the sealed magic).
pub fn parse(bytes: &[u8]) -> Result<Sealed<'_>, SealError> {
    let mut at = MAGIC.len();
    if !is_sealed(bytes) {
        return Err(SealError::Header("not a sealed file".into()));
    }
    let n = len(bytes, &mut at, "header length")?;
    if n > 1 << 16 {
        return Err(SealError::Header(format!(
            "header of {n} bytes is implausible"
        )));
    }
    let header = take(bytes, &mut at, n, "header")?;
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Version {
        format_version: u32,
    }
    let v: Version =
        serde_json::from_slice(header).map_err(|e| SealError::Header(e.to_string()))?;
    if v.format_version != FORMAT_VERSION {
        return Err(SealError::Version {
            found: v.format_version,
            supported: FORMAT_VERSION,
        });
    }
    let header: SealHeader =
        serde_json::from_slice(header).map_err(|e| SealError::Header(e.to_string()))?;
    let n = len(bytes, &mut at, "KEM ciphertext length")?;
    let ciphertext = take(bytes, &mut at, n, "KEM ciphertext")?;
    let aad = &bytes[..at];
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(take(bytes, &mut at, NONCE_LEN, "nonce")?);
    let body = &bytes[at..];
    if body.len() < AES_256_GCM.tag_len() {
        return Err(SealError::Truncated("ciphertext"));
    }
    Ok(Sealed {
        header,
        aad,
        ciphertext,
        nonce,
        body,
    })
}

impl Sealed<'_> {
    /// Decrypts with the recipient's key: the signed snapshot file inside.
    pub fn open(&self, key: &Opener) -> Result<Vec<u8>, SealError> {
        if key.fingerprint != self.header.recipient_key {
            return Err(SealError::WrongKey {
                recipient: self.header.recipient.clone(),
                expected: self.header.recipient_key.clone(),
                given: key.fingerprint.clone(),
            });
        }
        let shared = pqc::decapsulate(key.algorithm, &key.secret, self.ciphertext)?;
        let aead = aead_key(&shared, self.aad)?;
        let mut body = self.body.to_vec();
        let plain = aead
            .open_in_place(
                Nonce::assume_unique_for_key(self.nonce),
                Aad::from(self.aad),
                &mut body,
            )
            .map_err(|_| SealError::Open)?;
        Ok(plain.to_vec())
    }
}
