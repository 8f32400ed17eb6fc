//! The state-machine payload of a snapshot: the codec that raft ships and snapshot files
//! carry, and the records inside it (kv entries with revisions, audit records, the
//! membership). The node's state machine builds and installs it; snapshot files, restore and
//! `snapshot inspect` read it without a running node.

use std::fmt;

use openraft::{LogId, StoredMembership};
use serde::{Deserialize, Serialize};

type Membership = StoredMembership<u64, MeshNode>;

/// The payload format this build writes and reads.
pub const SNAPSHOT_FORMAT: u32 = 3;

/// The key under which the replicated roster lives.
pub const ROSTER_KEY: &str = "/x0t/roster";

/// The replicated deny list: one key per revoked SPIFFE ID under this prefix. Every node
/// refuses those identities and cuts their open connections once the entry is applied.
pub const REVOKED_PREFIX: &str = "/x0t/revoked/";

/// The protocol the mesh speaks, as `{"version": N}`: written by the leader once every
/// member speaks N (see `node::protocol`), never lowered. Absent: [`UNRECORDED_PROTOCOL`].
pub const PROTOCOL_KEY: &str = "/x0t/protocol";

/// The protocol of a mesh whose store holds no protocol record: every x0t that could write
/// one speaks it, and older ones never wrote one.
pub const UNRECORDED_PROTOCOL: u32 = 2;

/// The value under [`PROTOCOL_KEY`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeshProtocol {
    pub version: u32,
}

/// Keys under this prefix belong to x0t: the roster, the deny list and the protocol.
pub const RESERVED_PREFIX: &str = "/x0t/";

/// A stored record that does not decode.
#[derive(Debug, thiserror::Error)]
#[error("stored {what} is malformed")]
pub struct Malformed {
    pub what: &'static str,
}

/// A cluster member as raft knows it: named by its manifest name, reached at `addr` (host:port).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshNode {
    pub name: String,
    pub addr: String,
}

impl fmt::Display for MeshNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.name, self.addr)
    }
}

/// A stored value with etcd-style revisions (log indexes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KvEntry {
    #[serde(with = "bytes_b64")]
    pub value: Vec<u8>,
    /// Index of the put that created the key (a delete resets it).
    pub create_revision: u64,
    /// Index of the last put.
    pub mod_revision: u64,
    /// Puts since creation, starting at 1.
    pub version: u64,
}

impl KvEntry {
    /// Stored form: a format byte (1), create, mod revision and version as u64 BE, then the
    /// value's bytes as they are.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(25 + self.value.len());
        out.push(1);
        for n in [self.create_revision, self.mod_revision, self.version] {
            out.extend_from_slice(&n.to_be_bytes());
        }
        out.extend_from_slice(&self.value);
        out
    }

    pub(crate) fn from_bytes(b: &[u8]) -> Result<KvEntry, Malformed> {
        if b.len() < 25 || b[0] != 1 {
            return Err(Malformed { what: "kv entry" });
        }
        let n = |at: usize| u64::from_be_bytes(b[at..at + 8].try_into().expect("8 bytes"));
        Ok(KvEntry {
            create_revision: n(1),
            mod_revision: n(9),
            version: n(17),
            value: b[25..].to_vec(),
        })
    }
}

/// What an audited admin call did. Key actions name a key, membership actions a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AuditAction {
    Put,
    Delete,
    /// A node joined raft as a learner.
    AddLearner,
    /// A node joined raft and got a vote.
    AddVoter,
    /// A node left raft.
    RemoveMember,
    /// A member's address changed.
    MoveMember,
    /// A snapshot was taken on an operator's request (protocol 3 and later).
    Snapshot,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Put => "put",
            AuditAction::Delete => "delete",
            AuditAction::AddLearner => "addLearner",
            AuditAction::AddVoter => "addVoter",
            AuditAction::RemoveMember => "removeMember",
            AuditAction::MoveMember => "moveMember",
            AuditAction::Snapshot => "snapshot",
        }
    }
}

/// Who did what to which key or node, and when: one per applied put, delete or audit command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Log index of the command.
    pub index: u64,
    /// Position of the command within its entry (0 unless the entry is a batch).
    #[serde(default)]
    pub op: u32,
    pub actor: String,
    pub action: AuditAction,
    /// The key, or the node for membership actions.
    pub key: String,
    pub at: String,
    /// What else the call named (a member's raft id and address).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// What a snapshot payload says about itself; the first thing in it, so reading it costs
/// nothing however large the payload is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayloadMeta {
    pub format: u32,
    pub last_applied: Option<LogId<u64>>,
    pub membership: Membership,
    pub keys: u64,
    pub audit_records: u64,
}

/// The state-machine payload of a snapshot, as raft ships it and snapshot files carry it:
///
/// ```text
/// u32 BE meta length | meta (JSON, PayloadMeta)
/// keys x          (u32 key length | key | u32 value length | stored KvEntry, binary)
/// auditRecords x  (u64 index | u32 op | u32 length | stored AuditRecord, JSON)
/// ```
///
/// Records carry the store's own value bytes, so building and installing a snapshot copies
/// them instead of decoding and re-encoding every value. A `SnapshotDoc` is a checked view
/// over payload bytes; it copies nothing.
pub struct SnapshotDoc<'a> {
    pub meta: PayloadMeta,
    /// Everything after the meta: the records.
    pub(crate) records: &'a [u8],
    /// Where the audit records start within `records`.
    audit_at: usize,
}

struct Cut<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cut<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = (self.at.checked_add(n))
            .filter(|e| *e <= self.bytes.len())
            .ok_or_else(|| format!("payload truncated at byte {}", self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, String> {
        let b = self.take(8)?;
        Ok(u64::from_be_bytes(b.try_into().expect("8 bytes")))
    }

    fn chunk(&mut self) -> Result<&'a [u8], String> {
        let n = self.u32()? as usize;
        self.take(n)
    }

    fn key(&mut self) -> Result<&'a str, String> {
        let at = self.at;
        std::str::from_utf8(self.chunk()?).map_err(|_| format!("key at byte {at} is not UTF-8"))
    }
}

pub(crate) fn put_chunk(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_be_bytes());
    out.extend_from_slice(b);
}

impl<'a> SnapshotDoc<'a> {
    /// Reads only the leading meta of a payload.
    pub fn decode_meta(bytes: &[u8]) -> Result<PayloadMeta, String> {
        Self::split(bytes).map(|(meta, _)| meta)
    }

    fn split(bytes: &[u8]) -> Result<(PayloadMeta, &[u8]), String> {
        let mut cut = Cut { bytes, at: 0 };
        let meta: PayloadMeta =
            serde_json::from_slice(cut.chunk()?).map_err(|e| format!("payload meta: {e}"))?;
        if meta.format != SNAPSHOT_FORMAT {
            return Err(format!(
                "payload format {} is not {SNAPSHOT_FORMAT}",
                meta.format
            ));
        }
        Ok((meta, &bytes[cut.at..]))
    }

    /// Checks a payload's structure (every record whole, nothing after the last) and
    /// refuses a format this build does not know.
    pub fn decode(bytes: &'a [u8]) -> Result<SnapshotDoc<'a>, String> {
        let (meta, records) = Self::split(bytes)?;
        let mut cut = Cut {
            bytes: records,
            at: 0,
        };
        for _ in 0..meta.keys {
            cut.key()?;
            cut.chunk()?;
        }
        let audit_at = cut.at;
        for _ in 0..meta.audit_records {
            cut.take(12)?;
            cut.chunk()?;
        }
        if cut.at != records.len() {
            return Err(format!(
                "{} bytes after the last record",
                records.len() - cut.at
            ));
        }
        Ok(SnapshotDoc {
            meta,
            records,
            audit_at,
        })
    }

    /// Bytes of the records.
    pub fn size(&self) -> usize {
        self.records.len()
    }

    /// (key, stored value) of every key, in key order; `decode` checked the structure.
    pub fn kv_raw(&self) -> impl Iterator<Item = (&'a str, &'a [u8])> + '_ {
        let mut cut = Cut {
            bytes: self.records,
            at: 0,
        };
        (0..self.meta.keys).map_while(move |_| Some((cut.key().ok()?, cut.chunk().ok()?)))
    }

    /// ((index, op), stored record) of every audit record, oldest first.
    pub fn audit_raw(&self) -> impl Iterator<Item = ((u64, u32), &'a [u8])> + '_ {
        let mut cut = Cut {
            bytes: self.records,
            at: self.audit_at,
        };
        (0..self.meta.audit_records)
            .map_while(move |_| Some(((cut.u64().ok()?, cut.u32().ok()?), cut.chunk().ok()?)))
    }

    /// Every key with its decoded entry, in key order.
    pub fn kv(&self) -> Result<Vec<(String, KvEntry)>, Malformed> {
        (self.kv_raw())
            .map(|(k, v)| Ok((k.to_string(), KvEntry::from_bytes(v)?)))
            .collect()
    }
}

/// Serde adapter for binary values: base64 text in human-readable formats (JSON, where a byte
/// array would cost ~4 bytes per byte), plain bytes in binary formats.
pub mod bytes_b64 {
    use serde::de::{Error, SeqAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serializer};

    use base64::Engine as _;

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&encode(bytes))
        } else {
            s.serialize_bytes(bytes)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        if d.is_human_readable() {
            let text = String::deserialize(d)?;
            decode(&text).ok_or_else(|| D::Error::custom("invalid base64 value"))
        } else {
            d.deserialize_byte_buf(BytesVisitor)
        }
    }

    struct BytesVisitor;

    impl<'de> Visitor<'de> for BytesVisitor {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("bytes")
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }

        fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }

        // Some binary formats encode bytes as a sequence of integers.
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(b) = seq.next_element()? {
                out.push(b);
            }
            Ok(out)
        }
    }

    pub fn encode(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    pub fn decode(text: &str) -> Option<Vec<u8>> {
        base64::engine::general_purpose::STANDARD.decode(text).ok()
    }

    #[cfg(test)]
    mod tests {
        use super::{decode, encode};

        #[test]
        fn round_trips_every_length_and_byte() {
            let all: Vec<u8> = (0..=255).collect();
            for len in 0..all.len() {
                let text = encode(&all[..len]);
                assert_eq!(decode(&text).as_deref(), Some(&all[..len]), "length {len}");
            }
            assert_eq!(encode(b"foobar"), "Zm9vYmFy");
            assert_eq!(encode(b"fo"), "Zm8=");
            assert_eq!(decode("Zm8"), None);
            assert_eq!(decode("Z=8="), None);
            assert_eq!(decode("Zm8*"), None);
        }
    }
}
