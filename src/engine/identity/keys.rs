//! `keys show`: what PQC keys an identity holds, read from the state directory.

use serde::Serialize;
use time::OffsetDateTime;

use crate::engine::manifest::Manifest;
use crate::engine::pqc::PqcError;
use crate::engine::pqc::{self, KeyKind};
use crate::engine::state::StateError;
use crate::engine::state::{layout, Owner, StateDir};
use crate::engine::util::fsutil;
use crate::engine::util::fsutil::FsError;
use crate::engine::util::timefmt;

/// Why keys could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Fs(#[from] FsError),
    #[error("key file {} is unusable: {source}", path.display())]
    KeyFile {
        path: std::path::PathBuf,
        #[source]
        source: PqcError,
    },
}

impl KeysError {
    /// Hints for the operator, shown after the error.
    pub fn hints(&self) -> Vec<String> {
        match self {
            KeysError::State(e) => e.hints(),
            KeysError::Fs(e) => e.hint().into_iter().collect(),
            KeysError::KeyFile { .. } => vec![crate::engine::pqc::KEY_FILE_HINT.into()],
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    /// `kem` or `dsa`.
    pub purpose: &'static str,
    pub algorithm: String,
    pub public_key_sha256: String,
    pub public_key_bytes: usize,
    #[serde(with = "timefmt::rfc3339_serde")]
    pub created: OffsetDateTime,
    #[serde(with = "timefmt::rfc3339_serde")]
    pub rotate_after: OffsetDateTime,
    pub secret_key_path: String,
    /// Permission bits of the secret key file, e.g. `0600`.
    pub secret_key_mode: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeysReport {
    pub schema_version: u32,
    pub owner: Owner,
    pub keys: Vec<KeyInfo>,
}

/// Reads `who`'s ML-KEM and ML-DSA key pairs.
pub fn show(m: &Manifest, dir: &StateDir, who: &Owner) -> Result<KeysReport, KeysError> {
    let mut keys = Vec::new();
    for (purpose, secret, public) in [
        ("kem", layout::kem_key(who), layout::kem_pub(who)),
        ("dsa", layout::dsa_key(who), layout::dsa_pub(who)),
    ] {
        let read = |rel: &str, kind| -> Result<pqc::KeyFile, KeysError> {
            let text =
                fsutil::read_to_string(&dir.path(rel)).map_err(|e| match e.source.kind() {
                    std::io::ErrorKind::NotFound => KeysError::State(StateError::NotApplied {
                        dir: dir.root.clone(),
                    }),
                    _ => KeysError::Fs(e),
                })?;
            pqc::decode(&text, kind).map_err(|e| KeysError::KeyFile {
                path: dir.path(rel),
                source: e,
            })
        };
        let sk = read(&secret, KeyKind::Secret)?;
        let pk = read(&public, KeyKind::Public)?;
        if sk.public_fingerprint != pk.public_fingerprint {
            return Err(KeysError::KeyFile {
                path: dir.path(&public),
                source: pqc::PqcError::Format(format!("does not belong to {secret}")),
            });
        }
        keys.push(KeyInfo {
            purpose,
            algorithm: pk.algorithm.name().into(),
            public_key_sha256: pk.public_fingerprint.trim_start_matches("sha256:").into(),
            public_key_bytes: pk.bytes.len(),
            created: sk.created,
            rotate_after: sk.created + m.spec.pqc.rotate_every.0,
            secret_key_mode: fsutil::mode_of(&dir.path(&secret))
                .map(|m| format!("{m:04o}"))
                .unwrap_or_default(),
            secret_key_path: dir.path(&secret).display().to_string(),
        });
    }
    Ok(KeysReport {
        schema_version: 1,
        owner: who.clone(),
        keys,
    })
}
