//! Post-quantum keys through liboqs: ML-KEM and ML-DSA key pairs, their on-disk format,
//! fingerprints, and what the linked liboqs offers.
//!
//! Key file format (docs/formats.md): PEM-style armour around the raw liboqs key bytes,
//! with headers that name the algorithm so a key can never be read as another:
//!
//! ```text
//! -----BEGIN X0T PQC SECRET KEY-----
//! Algorithm: ML-DSA-65
//! Created: 2026-11-26T18:00:00Z
//! Public-Key-SHA256: 9f2c…
//!
//! <base64 of the key bytes, 64 columns>
//! -----END X0T PQC SECRET KEY-----
//! ```

use crate::engine::util::Secret;
use std::fmt;
use std::sync::Once;

use base64::Engine as _;
use time::OffsetDateTime;

use crate::engine::util::timefmt;

static INIT: Once = Once::new();

fn init() {
    INIT.call_once(oqs::init);
}

/// What to do about a key file that does not decode.
pub const KEY_FILE_HINT: &str =
    "`x0t plan` shows the key as to be replaced; `x0t apply` regenerates it";

/// A key-encapsulation algorithm this x0t can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KemAlgorithm {
    MlKem512,
    MlKem768,
    MlKem1024,
}

/// A signature algorithm this x0t can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DsaAlgorithm {
    MlDsa44,
    MlDsa65,
    MlDsa87,
}

impl KemAlgorithm {
    pub const ALL: [KemAlgorithm; 3] = [Self::MlKem512, Self::MlKem768, Self::MlKem1024];

    pub fn name(self) -> &'static str {
        match self {
            Self::MlKem512 => "ML-KEM-512",
            Self::MlKem768 => "ML-KEM-768",
            Self::MlKem1024 => "ML-KEM-1024",
        }
    }

    fn oqs(self) -> oqs::kem::Algorithm {
        match self {
            Self::MlKem512 => oqs::kem::Algorithm::MlKem512,
            Self::MlKem768 => oqs::kem::Algorithm::MlKem768,
            Self::MlKem1024 => oqs::kem::Algorithm::MlKem1024,
        }
    }

    /// The algorithm with this name, if the linked liboqs enables it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == name && a.oqs().is_enabled())
    }

    pub fn enabled_names() -> Vec<&'static str> {
        Self::ALL
            .into_iter()
            .filter(|a| a.oqs().is_enabled())
            .map(Self::name)
            .collect()
    }

    fn kem(self) -> Result<oqs::kem::Kem, PqcError> {
        init();
        oqs::kem::Kem::new(self.oqs()).map_err(|e| PqcError::Liboqs(e.to_string()))
    }

    /// (public key, secret key) lengths in bytes.
    pub fn key_lengths(self) -> Result<(usize, usize), PqcError> {
        let kem = self.kem()?;
        Ok((kem.length_public_key(), kem.length_secret_key()))
    }
}

impl DsaAlgorithm {
    pub const ALL: [DsaAlgorithm; 3] = [Self::MlDsa44, Self::MlDsa65, Self::MlDsa87];

    pub fn name(self) -> &'static str {
        match self {
            Self::MlDsa44 => "ML-DSA-44",
            Self::MlDsa65 => "ML-DSA-65",
            Self::MlDsa87 => "ML-DSA-87",
        }
    }

    fn oqs(self) -> oqs::sig::Algorithm {
        match self {
            Self::MlDsa44 => oqs::sig::Algorithm::MlDsa44,
            Self::MlDsa65 => oqs::sig::Algorithm::MlDsa65,
            Self::MlDsa87 => oqs::sig::Algorithm::MlDsa87,
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == name && a.oqs().is_enabled())
    }

    pub fn enabled_names() -> Vec<&'static str> {
        Self::ALL
            .into_iter()
            .filter(|a| a.oqs().is_enabled())
            .map(Self::name)
            .collect()
    }

    fn sig(self) -> Result<oqs::sig::Sig, PqcError> {
        init();
        oqs::sig::Sig::new(self.oqs()).map_err(|e| PqcError::Liboqs(e.to_string()))
    }

    pub fn key_lengths(self) -> Result<(usize, usize), PqcError> {
        let sig = self.sig()?;
        Ok((sig.length_public_key(), sig.length_secret_key()))
    }
}

/// Either kind of algorithm, as named in a key file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Kem(KemAlgorithm),
    Dsa(DsaAlgorithm),
}

impl Algorithm {
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Kem(a) => a.name(),
            Algorithm::Dsa(a) => a.name(),
        }
    }

    pub fn from_name(name: &str) -> Option<Algorithm> {
        KemAlgorithm::from_name(name)
            .map(Algorithm::Kem)
            .or_else(|| DsaAlgorithm::from_name(name).map(Algorithm::Dsa))
    }

    fn key_lengths(self) -> Result<(usize, usize), PqcError> {
        match self {
            Algorithm::Kem(a) => a.key_lengths(),
            Algorithm::Dsa(a) => a.key_lengths(),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a PQC key could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum PqcError {
    #[error("liboqs failed: {0}")]
    Liboqs(String),
    #[error("{0}")]
    Format(String),
}

/// A key pair as generated, with its creation time.
pub struct KeyPair {
    pub algorithm: Algorithm,
    pub public: Vec<u8>,
    pub secret: Secret,
    pub created: OffsetDateTime,
}

impl fmt::Debug for KeyPair {
    // Never print secret key bytes, not even in debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("algorithm", &self.algorithm)
            .field("public", &fingerprint(&self.public))
            .finish_non_exhaustive()
    }
}

/// Generates a key pair with liboqs.
pub fn generate(algorithm: Algorithm, created: OffsetDateTime) -> Result<KeyPair, PqcError> {
    let (public, secret) = match algorithm {
        Algorithm::Kem(a) => {
            let (pk, sk) = a
                .kem()?
                .keypair()
                .map_err(|e| PqcError::Liboqs(e.to_string()))?;
            (pk.into_vec(), sk.into_vec())
        }
        Algorithm::Dsa(a) => {
            let (pk, sk) = a
                .sig()?
                .keypair()
                .map_err(|e| PqcError::Liboqs(e.to_string()))?;
            (pk.into_vec(), sk.into_vec())
        }
    };
    Ok(KeyPair {
        algorithm,
        public,
        secret: secret.into(),
        created,
    })
}

/// `sha256:` and the hex SHA-256 of a public key.
pub fn fingerprint(public: &[u8]) -> String {
    format!("sha256:{}", crate::engine::util::fsutil::sha256_hex(public))
}

/// Which half of a key pair a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Secret,
    Public,
}

impl KeyKind {
    fn label(self) -> &'static str {
        match self {
            KeyKind::Secret => "X0T PQC SECRET KEY",
            KeyKind::Public => "X0T PQC PUBLIC KEY",
        }
    }
}

/// A key file's contents after parsing.
#[derive(Clone)]
pub struct KeyFile {
    pub kind: KeyKind,
    pub algorithm: Algorithm,
    pub created: OffsetDateTime,
    /// Fingerprint of the pair's public key.
    pub public_fingerprint: String,
    pub bytes: Secret,
}

impl fmt::Debug for KeyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyFile")
            .field("kind", &self.kind)
            .field("algorithm", &self.algorithm)
            .field("public_fingerprint", &self.public_fingerprint)
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    /// The armoured text of the secret or public half.
    pub fn encode(&self, kind: KeyKind) -> String {
        let bytes = match kind {
            KeyKind::Secret => &self.secret,
            KeyKind::Public => &self.public,
        };
        encode(
            kind,
            self.algorithm,
            self.created,
            &fingerprint(&self.public),
            bytes,
        )
    }
}

fn encode(
    kind: KeyKind,
    alg: Algorithm,
    created: OffsetDateTime,
    fp: &str,
    bytes: &[u8],
) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = format!(
        "-----BEGIN {label}-----\nAlgorithm: {alg}\nCreated: {created}\nPublic-Key-SHA256: {fp}\n\n",
        label = kind.label(),
        created = timefmt::rfc3339(created),
        fp = fp.trim_start_matches("sha256:"),
    );
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("base64 is ascii"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {}-----\n", kind.label()));
    out
}

/// Parses a key file, checking its armour, algorithm, and the exact key length.
pub fn decode(text: &str, expect: KeyKind) -> Result<KeyFile, PqcError> {
    let bad = |m: String| PqcError::Format(m);
    let label = expect.label();
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut lines = text.lines();
    match lines.next() {
        Some(l) if l.trim() == begin => {}
        Some(l) if l.starts_with("-----BEGIN ") => {
            return Err(bad(format!("expected a {label}, found `{}`", l.trim())))
        }
        _ => return Err(bad(format!("not a {label} file (no `{begin}` line)"))),
    }
    let mut headers = Vec::new();
    for line in lines.by_ref() {
        if line.trim().is_empty() {
            break;
        }
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| bad(format!("malformed header line `{line}`")))?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let mut b64 = String::new();
    let mut ended = false;
    for line in lines {
        if line.trim() == end {
            ended = true;
            break;
        }
        b64.push_str(line.trim());
    }
    if !ended {
        return Err(bad(format!("truncated: no `{end}` line")));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| PqcError::Format(format!("missing header `{name}`")))
    };
    let alg_name = header("Algorithm")?;
    let algorithm = Algorithm::from_name(alg_name)
        .ok_or_else(|| bad(format!("unknown or disabled algorithm `{alg_name}`")))?;
    let created = timefmt::parse_rfc3339(header("Created")?)
        .map_err(|e| bad(format!("bad `Created` header: {e}")))?;
    let fp = header("Public-Key-SHA256")?;
    if fp.len() != 64 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad(
            "bad `Public-Key-SHA256` header: expected 64 hex digits".into(),
        ));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .map_err(|e| bad(format!("key data is not base64: {e}")))?;
    let (pk_len, sk_len) = algorithm.key_lengths()?;
    let want = match expect {
        KeyKind::Secret => sk_len,
        KeyKind::Public => pk_len,
    };
    if bytes.len() != want {
        return Err(bad(format!(
            "{} key data is {} bytes, expected {want} (truncated or damaged)",
            algorithm,
            bytes.len()
        )));
    }
    let public_fingerprint = format!("sha256:{}", fp.to_ascii_lowercase());
    if expect == KeyKind::Public && fingerprint(&bytes) != public_fingerprint {
        return Err(bad(
            "public key data does not match its Public-Key-SHA256 header".into(),
        ));
    }
    Ok(KeyFile {
        kind: expect,
        algorithm,
        created,
        public_fingerprint,
        bytes: bytes.into(),
    })
}

/// Signs `msg` with an ML-DSA secret key.
pub fn sign(alg: DsaAlgorithm, secret: &[u8], msg: &[u8]) -> Result<Vec<u8>, PqcError> {
    let sig = alg.sig()?;
    let sk = sig.secret_key_from_bytes(secret).ok_or_else(|| {
        PqcError::Format(format!("{} secret key has the wrong length", alg.name()))
    })?;
    sig.sign(msg, sk)
        .map(|s| s.into_vec())
        .map_err(|e| PqcError::Liboqs(e.to_string()))
}

/// Verifies an ML-DSA signature; `Ok(false)` for a signature that does not verify.
pub fn verify(
    alg: DsaAlgorithm,
    public: &[u8],
    msg: &[u8],
    signature: &[u8],
) -> Result<bool, PqcError> {
    let sig = alg.sig()?;
    let pk = sig.public_key_from_bytes(public).ok_or_else(|| {
        PqcError::Format(format!("{} public key has the wrong length", alg.name()))
    })?;
    let Some(s) = sig.signature_from_bytes(signature) else {
        return Ok(false);
    };
    Ok(sig.verify(msg, s, pk).is_ok())
}

/// Encapsulates to an ML-KEM public key: (ciphertext, shared secret).
pub fn encapsulate(alg: KemAlgorithm, public: &[u8]) -> Result<(Vec<u8>, Vec<u8>), PqcError> {
    let kem = alg.kem()?;
    let pk = kem.public_key_from_bytes(public).ok_or_else(|| {
        PqcError::Format(format!("{} public key has the wrong length", alg.name()))
    })?;
    let (ct, ss) = kem
        .encapsulate(pk)
        .map_err(|e| PqcError::Liboqs(e.to_string()))?;
    Ok((ct.into_vec(), ss.into_vec()))
}

/// Decapsulates an ML-KEM ciphertext with the secret key.
pub fn decapsulate(
    alg: KemAlgorithm,
    secret: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, PqcError> {
    let kem = alg.kem()?;
    let sk = kem.secret_key_from_bytes(secret).ok_or_else(|| {
        PqcError::Format(format!("{} secret key has the wrong length", alg.name()))
    })?;
    let ct = kem.ciphertext_from_bytes(ciphertext).ok_or_else(|| {
        PqcError::Format(format!("{} ciphertext has the wrong length", alg.name()))
    })?;
    kem.decapsulate(sk, ct)
        .map(|s| s.into_vec())
        .map_err(|e| PqcError::Liboqs(e.to_string()))
}

/// Checks that a secret key belongs to a public key by using the pair once.
pub fn pair_matches(alg: Algorithm, public: &[u8], secret: &[u8]) -> Result<bool, PqcError> {
    match alg {
        Algorithm::Dsa(a) => {
            let msg = b"x0t key pair check";
            let s = sign(a, secret, msg)?;
            verify(a, public, msg, &s)
        }
        Algorithm::Kem(a) => {
            let (ct, ss) = encapsulate(a, public)?;
            Ok(decapsulate(a, secret, &ct)? == ss)
        }
    }
}

/// The version of the statically linked liboqs.
pub fn liboqs_version() -> String {
    init();
    // SAFETY: OQS_version returns a pointer to a static NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(oqs_sys::common::OQS_version()) }
        .to_string_lossy()
        .into_owned()
}
