//! `keys show`: what PQC keys (and, for a node, JWT signing keys) an identity holds, read
//! from the state directory.

use serde::Serialize;
use time::OffsetDateTime;

use crate::engine::identity::jwt;
use crate::engine::identity::roster::Roster;
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
    /// `kem`, `dsa`, or `jwt` (a node's JWT-SVID signing key).
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
    /// The JWT key's id (`kid`), as tokens and the JWKS name it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
}

/// A replaced JWT key that still verifies the tokens it signed, until `valid_until`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetiredJwtKey {
    pub key_id: String,
    #[serde(with = "timefmt::rfc3339_serde")]
    pub valid_until: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeysReport {
    pub schema_version: u32,
    pub owner: Owner,
    pub keys: Vec<KeyInfo>,
    /// For a node: its retired JWT keys the roster still publishes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub retired_jwt_keys: Vec<RetiredJwtKey>,
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
            key_id: None,
        });
    }
    let mut retired_jwt_keys = Vec::new();
    if let Owner::Node(node) = who {
        if let Some(k) = jwt_key(m, dir, node)? {
            keys.push(k);
        }
        let roster: Option<Roster> = fsutil::read(&dir.path(layout::ROSTER))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        let now = timefmt::now();
        if let Some(n) = roster
            .as_ref()
            .and_then(|r| r.nodes.iter().find(|n| &n.name == node))
        {
            retired_jwt_keys = (n.retired_jwt.iter())
                .filter_map(|k| Some((k, k.valid_until?)))
                .filter(|(_, t)| *t > now)
                .map(|(k, t)| RetiredJwtKey {
                    key_id: k.kid.clone(),
                    valid_until: t,
                })
                .collect();
        }
    }
    Ok(KeysReport {
        schema_version: 1,
        owner: who.clone(),
        keys,
        retired_jwt_keys,
    })
}

/// A node's JWT signing key, if it has one (a state directory applied before JWT-SVIDs
/// has none).
fn jwt_key(m: &Manifest, dir: &StateDir, node: &str) -> Result<Option<KeyInfo>, KeysError> {
    let (secret, public) = (layout::jwt_key(node), layout::jwt_pub(node));
    let bytes = match fsutil::read(&dir.path(&public)) {
        Ok(b) => b,
        Err(e) if e.source.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let unusable = |message: String| KeysError::KeyFile {
        path: dir.path(&public),
        source: PqcError::Format(message),
    };
    let file = jwt::decode_public(&bytes).map_err(|e| unusable(e.to_string()))?;
    let sk = jwt::JwtSigner::from_pem(&fsutil::read_to_string(&dir.path(&secret))?)
        .map_err(|e| unusable(format!("{secret}: {e}")))?;
    if sk.key.kid != file.key.kid {
        return Err(unusable(format!("does not belong to {secret}")));
    }
    Ok(Some(KeyInfo {
        purpose: "jwt",
        algorithm: file.algorithm,
        public_key_sha256: fsutil::sha256_hex(&file.key.point().unwrap_or_default()),
        public_key_bytes: 65,
        created: file.created,
        rotate_after: file.created + m.spec.pqc.rotate_every.0,
        secret_key_mode: fsutil::mode_of(&dir.path(&secret))
            .map(|m| format!("{m:04o}"))
            .unwrap_or_default(),
        secret_key_path: dir.path(&secret).display().to_string(),
        key_id: Some(file.key.kid),
    }))
}
