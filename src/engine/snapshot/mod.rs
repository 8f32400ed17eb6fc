//! Snapshot files: a signed header, the state-machine payload, and an ML-DSA signature by the
//! node that made it, so a file proves its own integrity and origin. Layout (docs/formats.md):
//!
//! ```text
//! magic "X0TSNAP\n" | u32 BE header length | header (JSON) | payload | u32 BE signature length | signature
//! ```
//!
//! The signature covers magic, length and header; the header carries the payload's length and
//! SHA-256, so it covers the payload too.

pub mod payload;
pub mod restore;
pub mod seal;
pub mod transfer;

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::engine::identity::roster::Roster;
use crate::engine::pqc::{self, DsaAlgorithm, PqcError};
use crate::engine::snapshot::payload::{MeshNode, PayloadMeta, SnapshotDoc};
use crate::engine::util::fsutil::sha256_hex;

pub const MAGIC: &[u8; 8] = b"X0TSNAP\n";

/// Hex SHA-256 of a payload (aws-lc's assembly: payloads run to hundreds of megabytes).
/// The newest file format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Headers are small (membership of a few hundred nodes at most); anything larger is not ours.
const MAX_HEADER: usize = 1 << 20;
const MAX_SIGNATURE: usize = 1 << 16;

/// Why a snapshot file was refused.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("not an x0t snapshot file (bad magic)")]
    Magic,
    #[error("truncated: {what} needs {need} bytes, {have} left")]
    Truncated {
        what: &'static str,
        need: usize,
        have: usize,
    },
    #[error("{0} bytes after the signature")]
    Trailing(usize),
    #[error("unsupported snapshot format version {found}; this build reads up to {supported}")]
    Version { found: u32, supported: u32 },
    #[error("header is not valid: {0}")]
    Header(String),
    #[error("payload is altered: SHA-256 {found}, header says {expected}")]
    Altered { expected: String, found: String },
    #[error("payload is not valid: {0}")]
    Payload(String),
    #[error("snapshot is of mesh {file}, the roster is of mesh {roster}")]
    WrongMesh { file: String, roster: String },
    #[error("signer {0} is not a node of the roster")]
    UnknownSigner(String),
    #[error("signer {node} has no key {key} in the roster (current or retired)")]
    UnknownKey { node: String, key: String },
    #[error("signature by {node} does not verify")]
    BadSignature { node: String },
    #[error("signer {node} is revoked: the snapshot's own deny list names it")]
    RevokedSigner { node: String },
    #[error("signer {node} is revoked: the mesh's live deny list names it")]
    RevokedSignerLive { node: String },
    #[error(transparent)]
    Pqc(#[from] PqcError),
}

impl SnapshotError {
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Self::Truncated { .. } | Self::Altered { .. } | Self::Trailing(_) => {
                Some("the file was damaged in transit or on disk; save it again from a node")
            }
            Self::Version { .. } => Some("use the x0t release that wrote it, or a newer one"),
            Self::WrongMesh { .. } => Some("point --state-dir or --context at that mesh"),
            Self::UnknownSigner(_) | Self::UnknownKey { .. } => Some(
                "apply the manifest that includes the signer, or check where the file came from",
            ),
            Self::RevokedSigner { .. } | Self::RevokedSignerLive { .. } => Some(
                "take the snapshot from a node that is not revoked: `x0t snapshot save --node N`",
            ),
            _ => None,
        }
    }
}

/// Raft membership as a snapshot header shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MembershipInfo {
    pub voters: Vec<String>,
    pub learners: Vec<String>,
}

/// Everything about a snapshot except its payload; signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    pub format_version: u32,
    pub mesh: String,
    pub trust_domain: String,
    /// The node that made and signed the file.
    pub node: String,
    pub raft_id: u64,
    /// Raft log id of the last entry the payload includes.
    pub index: u64,
    pub term: u64,
    pub membership: MembershipInfo,
    pub created_at: String,
    pub payload_length: u64,
    pub payload_sha256: String,
    pub signature_algorithm: String,
    /// Fingerprint of the signer's ML-DSA public key.
    pub signer_key: String,
}

/// A parsed file: structurally sound, not yet verified.
#[derive(Debug)]
pub struct SnapshotFile<'a> {
    pub header: Header,
    signed: &'a [u8],
    pub payload: &'a [u8],
    signature: &'a [u8],
}

/// Who signs snapshot files on a node.
#[derive(Clone)]
pub struct Signer {
    pub mesh: String,
    pub trust_domain: String,
    pub node: String,
    pub raft_id: u64,
    pub algorithm: DsaAlgorithm,
    pub secret: crate::engine::util::Secret,
    pub key_fingerprint: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("node", &self.node)
            .field("key", &self.key_fingerprint)
            .finish_non_exhaustive()
    }
}

fn names(m: &openraft::Membership<u64, MeshNode>, ids: impl Iterator<Item = u64>) -> Vec<String> {
    ids.map(|id| {
        m.get_node(&id)
            .map(|n| n.name.clone())
            .unwrap_or_else(|| id.to_string())
    })
    .collect()
}

/// The header fields that come from the payload itself.
fn describe(meta: &PayloadMeta) -> (u64, u64, MembershipInfo) {
    let m = meta.membership.membership();
    let info = MembershipInfo {
        voters: names(m, m.voter_ids()),
        learners: names(m, m.learner_ids()),
    };
    let (index, term) = meta
        .last_applied
        .map_or((0, 0), |l| (l.index, l.leader_id.term));
    (index, term, info)
}

/// A signed file in three parts around the payload, which is not copied: the file is
/// `head`, the payload, `tail`.
pub struct Sealed {
    pub head: Vec<u8>,
    pub tail: Vec<u8>,
}

/// Signs a node's snapshot payload: the parts of the file around it. The payload itself need
/// not be in memory: its leading meta, its length and its SHA-256 (hex) make the header.
pub fn seal_parts(
    signer: &Signer,
    meta: &PayloadMeta,
    payload_length: u64,
    payload_sha256: String,
    created_at: String,
) -> Result<Sealed, SnapshotError> {
    let (index, term, membership) = describe(meta);
    let header = Header {
        format_version: FORMAT_VERSION,
        mesh: signer.mesh.clone(),
        trust_domain: signer.trust_domain.clone(),
        node: signer.node.clone(),
        raft_id: signer.raft_id,
        index,
        term,
        membership,
        created_at,
        payload_length,
        payload_sha256,
        signature_algorithm: signer.algorithm.name().to_string(),
        signer_key: signer.key_fingerprint.clone(),
    };
    let header = serde_json::to_vec(&header).map_err(|e| SnapshotError::Header(e.to_string()))?;
    let mut head = Vec::with_capacity(header.len() + 12);
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&(header.len() as u32).to_be_bytes());
    head.extend_from_slice(&header);
    let signature = pqc::sign(signer.algorithm, &signer.secret, &head)?;
    let mut tail = Vec::with_capacity(signature.len() + 4);
    tail.extend_from_slice(&(signature.len() as u32).to_be_bytes());
    tail.extend_from_slice(&signature);
    Ok(Sealed { head, tail })
}

/// Where the payload lies in a file, from the file's first bytes (magic, header length,
/// header), when they are all there and parse: (offset, length).
fn payload_span(prefix: &[u8]) -> Option<(usize, usize)> {
    let rest = prefix.strip_prefix(MAGIC.as_slice())?;
    let header_len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Length {
        payload_length: u64,
    }
    let h: Length = serde_json::from_slice(rest.get(4..4 + header_len)?).ok()?;
    Some((
        MAGIC.len() + 4 + header_len,
        usize::try_from(h.payload_length).ok()?,
    ))
}

/// The whole file's length, from its first bytes; lets a receiver allocate once. The
/// signature's length is not in the header: `spare` is added for it.
pub fn expected_len(prefix: &[u8], spare: usize) -> Option<usize> {
    let (at, len) = payload_span(prefix)?;
    at.checked_add(len)?.checked_add(spare)
}

/// The SHA-256 of a file's payload, taken while the file arrives piece by piece, so the
/// check after the last piece need not read the payload again.
pub struct PayloadDigest {
    start: usize,
    end: usize,
    /// File offset of the next piece.
    at: usize,
    ctx: aws_lc_rs::digest::Context,
}

impl PayloadDigest {
    /// Starts from the file's first bytes; `None` until they hold the whole header.
    pub fn new(prefix: &[u8]) -> Option<PayloadDigest> {
        let (start, len) = payload_span(prefix)?;
        Some(PayloadDigest {
            start,
            end: start.checked_add(len)?,
            at: 0,
            ctx: aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256),
        })
    }

    /// Feeds the next piece of the file, in order from its first byte.
    pub fn update(&mut self, piece: &[u8]) {
        let (from, to) = (self.at, self.at + piece.len());
        let (lo, hi) = (from.max(self.start), to.min(self.end));
        if lo < hi {
            self.ctx.update(&piece[lo - from..hi - from]);
        }
        self.at = to;
    }

    /// The payload's SHA-256 (hex), once every byte of it was fed.
    pub fn finish(self) -> Option<String> {
        (self.at >= self.end).then(|| hex::encode(self.ctx.finish()))
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], SnapshotError> {
        let have = self.bytes.len() - self.at;
        if n > have {
            return Err(SnapshotError::Truncated {
                what,
                need: n,
                have,
            });
        }
        let out = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(out)
    }

    fn len(&mut self, what: &'static str, max: usize) -> Result<usize, SnapshotError> {
        let b = self.take(4, what)?;
        let n = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
        if n > max {
            return Err(SnapshotError::Header(format!(
                "{what} of {n} bytes is implausible"
            )));
        }
        Ok(n)
    }
}

/// Parses a file's structure: magic, version, header, payload length, signature.
pub fn parse(bytes: &[u8]) -> Result<SnapshotFile<'_>, SnapshotError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len(), "magic").ok() != Some(MAGIC.as_slice()) {
        return Err(SnapshotError::Magic);
    }
    let header_len = r.len("header length", MAX_HEADER)?;
    let header_bytes = r.take(header_len, "header")?;
    // Read the version alone first, so a future header shape still gets the right message.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Version {
        format_version: u32,
    }
    let v: Version =
        serde_json::from_slice(header_bytes).map_err(|e| SnapshotError::Header(e.to_string()))?;
    if v.format_version != FORMAT_VERSION {
        return Err(SnapshotError::Version {
            found: v.format_version,
            supported: FORMAT_VERSION,
        });
    }
    let header: Header =
        serde_json::from_slice(header_bytes).map_err(|e| SnapshotError::Header(e.to_string()))?;
    let signed = &bytes[..r.at];
    let payload_len = usize::try_from(header.payload_length)
        .map_err(|_| SnapshotError::Header("payload length does not fit in memory".into()))?;
    let payload = r.take(payload_len, "payload")?;
    let sig_len = r.len("signature length", MAX_SIGNATURE)?;
    let signature = r.take(sig_len, "signature")?;
    let rest = bytes.len() - r.at;
    if rest != 0 {
        return Err(SnapshotError::Trailing(rest));
    }
    Ok(SnapshotFile {
        header,
        signed,
        payload,
        signature,
    })
}

/// What a successful verification established.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verified {
    pub signer: String,
    pub signer_key: String,
    /// The key is a retired one (the node rotated since): still valid for old files.
    pub retired_key: bool,
}

impl Verified {
    /// Refuses the file if the mesh's live deny list (`revoked`, SPIFFE IDs of trust domain
    /// `td`) names its signer: revoked after the snapshot was taken.
    pub fn check_live(
        &self,
        td: &str,
        revoked: &std::collections::HashSet<String>,
    ) -> Result<(), SnapshotError> {
        if revoked.contains(&format!("spiffe://{td}/node/{}", self.signer)) {
            return Err(SnapshotError::RevokedSignerLive {
                node: self.signer.clone(),
            });
        }
        Ok(())
    }
}

impl<'a> SnapshotFile<'a> {
    /// Checks the payload hash and the signature against the roster's node keys, retired
    /// keys included, and that the payload agrees with the header.
    pub fn verify(&self, roster: &Roster) -> Result<Verified, SnapshotError> {
        self.verify_hashed(roster, None)
    }

    /// Like [`verify`](Self::verify), with the payload's SHA-256 already taken (by a
    /// [`PayloadDigest`] over the same bytes) instead of hashing the payload again.
    pub fn verify_hashed(
        &self,
        roster: &Roster,
        payload_sha256: Option<String>,
    ) -> Result<Verified, SnapshotError> {
        let h = &self.header;
        let found = payload_sha256.unwrap_or_else(|| sha256_hex(self.payload));
        if found != h.payload_sha256 {
            return Err(SnapshotError::Altered {
                expected: h.payload_sha256.clone(),
                found,
            });
        }
        if h.mesh != roster.mesh || h.trust_domain != roster.trust_domain {
            return Err(SnapshotError::WrongMesh {
                file: format!("{} ({})", h.mesh, h.trust_domain),
                roster: format!("{} ({})", roster.mesh, roster.trust_domain),
            });
        }
        let node = (roster.nodes.iter())
            .find(|n| n.name == h.node)
            .ok_or_else(|| SnapshotError::UnknownSigner(h.node.clone()))?;
        let current = std::iter::once((&node.dsa, false));
        let retired = node.retired_dsa.iter().map(|k| (k, true));
        let (key, retired_key) = current
            .chain(retired)
            .find(|(k, _)| k.sha256 == h.signer_key)
            .ok_or_else(|| SnapshotError::UnknownKey {
                node: h.node.clone(),
                key: h.signer_key.clone(),
            })?;
        let alg = DsaAlgorithm::from_name(&key.algorithm).ok_or_else(|| {
            SnapshotError::Header(format!("unknown signature algorithm {}", key.algorithm))
        })?;
        let public = base64::engine::general_purpose::STANDARD
            .decode(&key.key)
            .map_err(|_| {
                SnapshotError::Header(format!("roster key of {} is not base64", h.node))
            })?;
        if !pqc::verify(alg, &public, self.signed, self.signature)? {
            return Err(SnapshotError::BadSignature {
                node: h.node.clone(),
            });
        }
        // A node revoked before this snapshot was taken may not vouch for it. (The live
        // mesh's deny list may name it too; callers that can reach the mesh check that.)
        let revoked = format!(
            "{}spiffe://{}/node/{}",
            payload::REVOKED_PREFIX,
            h.trust_domain,
            h.node
        );
        if self.doc()?.kv_raw().any(|(k, _)| k == revoked) {
            return Err(SnapshotError::RevokedSigner {
                node: h.node.clone(),
            });
        }
        let (index, term, membership) = describe(&self.meta()?);
        if (index, term) != (h.index, h.term) || membership != h.membership {
            return Err(SnapshotError::Payload(
                "payload disagrees with the header about its log id or membership".into(),
            ));
        }
        Ok(Verified {
            signer: h.node.clone(),
            signer_key: h.signer_key.clone(),
            retired_key,
        })
    }

    /// The payload's own meta (log id, membership, counts), without reading the records.
    pub fn meta(&self) -> Result<PayloadMeta, SnapshotError> {
        SnapshotDoc::decode_meta(self.payload).map_err(SnapshotError::Payload)
    }

    /// The decoded state-machine payload.
    pub fn doc(&self) -> Result<SnapshotDoc<'a>, SnapshotError> {
        SnapshotDoc::decode(self.payload).map_err(SnapshotError::Payload)
    }

    /// Key count and bytes per top-level key prefix (up to the first `/`).
    pub fn summary(&self) -> Result<Summary, SnapshotError> {
        let doc = self.doc()?;
        let bad =
            |e: crate::engine::snapshot::payload::Malformed| SnapshotError::Payload(e.to_string());
        let kv = doc.kv().map_err(bad)?;
        let mut prefixes: BTreeMap<String, PrefixStats> = BTreeMap::new();
        for (key, entry) in &kv {
            // The first path segment, slashes included: "app/" for "app/x", "/x0t/" for
            // "/x0t/roster", the whole key when it has no slash.
            let prefix = match key.get(1..).and_then(|rest| rest.find('/')) {
                Some(i) => &key[..=i + 1],
                None => key.as_str(),
            };
            let s = prefixes.entry(prefix.to_string()).or_default();
            s.keys += 1;
            s.bytes += (key.len() + entry.value.len()) as u64;
        }
        Ok(Summary {
            keys: kv.len() as u64,
            audit_records: doc.meta.audit_records,
            prefixes,
        })
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PrefixStats {
    pub keys: u64,
    pub bytes: u64,
}

/// What a payload holds.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub keys: u64,
    pub audit_records: u64,
    pub prefixes: BTreeMap<String, PrefixStats>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_len_reads_the_header_or_gives_up() {
        let header = br#"{"formatVersion":1,"payloadLength":1000}"#;
        let mut prefix = MAGIC.to_vec();
        prefix.extend_from_slice(&(header.len() as u32).to_be_bytes());
        prefix.extend_from_slice(header);
        assert_eq!(
            expected_len(&prefix, 10),
            Some(MAGIC.len() + 4 + header.len() + 1000 + 10)
        );
        // Cut short, not a snapshot, or a header without the length: no guess.
        assert_eq!(expected_len(&prefix[..prefix.len() - 1], 10), None);
        assert_eq!(expected_len(b"garbage", 10), None);
        let mut other = MAGIC.to_vec();
        other.extend_from_slice(&2u32.to_be_bytes());
        other.extend_from_slice(b"{}");
        assert_eq!(expected_len(&other, 10), None);
    }

    /// A file signed by node n1 whose payload holds `keys` (key, value).
    fn signed_file(keys: &[(&str, &[u8])]) -> (Vec<u8>, Roster) {
        use crate::engine::pqc::{Algorithm, KemAlgorithm};
        use crate::engine::snapshot::payload::{put_chunk, KvEntry, SNAPSHOT_FORMAT};
        let now = time::OffsetDateTime::now_utc();
        let dsa = pqc::generate(Algorithm::Dsa(DsaAlgorithm::MlDsa65), now).unwrap();
        let kem = pqc::generate(Algorithm::Kem(KemAlgorithm::MlKem768), now).unwrap();
        let meta = PayloadMeta {
            format: SNAPSHOT_FORMAT,
            last_applied: None,
            membership: Default::default(),
            keys: keys.len() as u64,
            audit_records: 0,
        };
        let mut payload = Vec::new();
        put_chunk(&mut payload, &serde_json::to_vec(&meta).unwrap());
        for (k, v) in keys {
            put_chunk(&mut payload, k.as_bytes());
            let entry = KvEntry {
                value: v.to_vec(),
                create_revision: 1,
                mod_revision: 1,
                version: 1,
            };
            put_chunk(&mut payload, &entry.to_bytes());
        }
        let signer = Signer {
            mesh: "m".into(),
            trust_domain: "t.mesh".into(),
            node: "n1".into(),
            raft_id: 1,
            algorithm: DsaAlgorithm::MlDsa65,
            secret: dsa.secret.clone(),
            key_fingerprint: pqc::fingerprint(&dsa.public),
        };
        let sha = sha256_hex(&payload);
        let parts = seal_parts(
            &signer,
            &meta,
            payload.len() as u64,
            sha,
            "2026-01-01T00:00:00Z".into(),
        )
        .unwrap();
        let mut file = parts.head;
        file.extend_from_slice(&payload);
        file.extend_from_slice(&parts.tail);
        let b64 = |k: &[u8]| base64::engine::general_purpose::STANDARD.encode(k);
        let key = |alg: &str, public: &[u8]| serde_json::json!({"algorithm": alg, "sha256": pqc::fingerprint(public), "key": b64(public)});
        let roster = serde_json::from_value(serde_json::json!({
            "schemaVersion": 1, "serial": 1, "mesh": "m", "trustDomain": "t.mesh",
            "nodes": [{"name": "n1", "raftId": 1, "role": "voter", "address": "127.0.0.1:1",
                       "spiffeId": "spiffe://t.mesh/node/n1",
                       "kem": key("ML-KEM-768", &kem.public), "dsa": key("ML-DSA-65", &dsa.public)}],
            "operators": [], "links": [],
        }))
        .unwrap();
        (file, roster)
    }

    #[test]
    fn a_signer_the_snapshots_own_deny_list_revokes_is_refused() {
        let (file, roster) = signed_file(&[("app/x", b"1")]);
        let verified = parse(&file).unwrap().verify(&roster).unwrap();
        assert_eq!(verified.signer, "n1");
        let revoked = format!("{}spiffe://t.mesh/node/n1", payload::REVOKED_PREFIX);
        let (file, roster) =
            signed_file(&[(&revoked, br#"{"spiffeId":"spiffe://t.mesh/node/n1"}"#)]);
        let e = parse(&file).unwrap().verify(&roster).unwrap_err();
        assert!(matches!(e, SnapshotError::RevokedSigner { .. }), "{e}");
        assert!(e.hint().is_some_and(|h| h.contains("--node")));
    }
}
