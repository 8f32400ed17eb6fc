//! The state machine's data in memory: keys with revisions and the audit trail, how a log
//! entry changes them, and how they become a snapshot payload and back.

use std::collections::BTreeMap;
use std::sync::Arc;

use openraft::{EntryPayload, LogId};

use crate::engine::identity::roster::Roster;
use crate::engine::node::raft::{
    check_reserved, encode, Request, Response, StoreError, RESERVED_PREFIX, ROSTER_KEY,
};
use crate::engine::snapshot::payload::{
    put_chunk, AuditAction, AuditRecord, KvEntry, PayloadMeta, SnapshotDoc, SNAPSHOT_FORMAT,
};

use super::*;

type AuditRow = ((u64, u32), Arc<[u8]>);

/// What a key costs against `spec.limits.maxStoreBytes`: its name and value plus 64 bytes
/// for the revisions and the map's bookkeeping.
pub fn store_cost(key_len: usize, value_len: usize) -> u64 {
    (key_len + value_len + 64) as u64
}

/// [`store_cost`] of a stored entry (a 25-byte header before the value).
pub(super) fn stored_cost(key: &str, stored: &[u8]) -> u64 {
    store_cost(key.len(), stored.len().saturating_sub(25))
}

/// The state machine's data. It lives in memory; its durable form is the newest snapshot
/// file plus the log entries after it, which raft replays on start.
/// Values are shared (`Arc`), so a clone for a snapshot costs pointers, not bytes.
#[derive(Clone, Default)]
pub(super) struct State {
    /// Key -> stored entry (`KvEntry::to_bytes`).
    pub(super) kv: BTreeMap<String, Arc<[u8]>>,
    /// ((log index, op), stored `AuditRecord`), oldest first; the newest [`AUDIT_KEEP`] or a
    /// few more.
    pub(super) audit: Vec<AuditRow>,
    pub(super) applied: Option<LogId<u64>>,
    pub(super) membership: Membership,
    /// The sum of [`store_cost`] over `kv`.
    pub(super) bytes: u64,
}

impl State {
    pub(super) fn from_doc(doc: &SnapshotDoc<'_>) -> State {
        let kv: BTreeMap<String, Arc<[u8]>> = (doc.kv_raw())
            .map(|(k, v)| (k.to_string(), Arc::from(v)))
            .collect();
        State {
            bytes: kv.iter().map(|(k, v)| stored_cost(k, v)).sum(),
            kv,
            audit: doc.audit_raw().map(|(k, v)| (k, Arc::from(v))).collect(),
            applied: doc.meta.last_applied,
            membership: doc.meta.membership.clone(),
        }
    }

    /// Holds a snapshot's reserved keys to what a write of them must satisfy (see
    /// [`check_reserved`]): a sound roster no older than the one in this state, deny-list
    /// entries that name their own identity. A leader, or a peer posing as one, cannot roll
    /// a follower back to an old roster or slip in a malformed one this way.
    pub(super) fn check_reserved_of(&self, doc: &SnapshotDoc<'_>) -> Result<(), String> {
        let value_of = |stored: &[u8]| {
            KvEntry::from_bytes(stored)
                .map(|e| e.value)
                .map_err(|e| e.to_string())
        };
        let held: Option<Roster> = match self.kv.get(ROSTER_KEY) {
            Some(stored) => serde_json::from_slice(&value_of(stored)?).ok(),
            None => None,
        };
        let reserved: Vec<(&str, Vec<u8>)> = (doc.kv_raw())
            .filter(|(k, _)| k.starts_with(RESERVED_PREFIX))
            .map(|(k, v)| Ok((k, value_of(v)?)))
            .collect::<Result<_, String>>()?;
        let mut td = held.as_ref().map(|r| r.trust_domain.clone());
        if let Some((_, value)) = reserved.iter().find(|(k, _)| *k == ROSTER_KEY) {
            check_reserved(ROSTER_KEY, value, "", held.as_ref())?;
            td = serde_json::from_slice::<Roster>(value)
                .ok()
                .map(|r| r.trust_domain);
        }
        for (key, value) in reserved.iter().filter(|(k, _)| *k != ROSTER_KEY) {
            check_reserved(key, value, td.as_deref().unwrap_or_default(), None)?;
        }
        Ok(())
    }

    /// The snapshot payload of this state: the meta, then every record appended once.
    pub(super) fn payload(&self) -> Result<(PayloadMeta, Vec<u8>), StoreError> {
        let meta = PayloadMeta {
            format: SNAPSHOT_FORMAT,
            last_applied: self.applied,
            membership: self.membership.clone(),
            keys: self.kv.len() as u64,
            audit_records: self.audit.len() as u64,
        };
        let head = encode("snapshot meta", &meta)?;
        let kv_bytes: usize = (self.kv.iter()).map(|(k, v)| 8 + k.len() + v.len()).sum();
        let audit_bytes: usize = self.audit.iter().map(|(_, v)| 16 + v.len()).sum();
        let mut out = Vec::with_capacity(4 + head.len() + kv_bytes + audit_bytes);
        put_chunk(&mut out, &head);
        for (k, v) in &self.kv {
            put_chunk(&mut out, k.as_bytes());
            put_chunk(&mut out, v);
        }
        for ((index, op), v) in &self.audit {
            out.extend_from_slice(&index.to_be_bytes());
            out.extend_from_slice(&op.to_be_bytes());
            put_chunk(&mut out, v);
        }
        Ok((meta, out))
    }

    /// Applies one entry's command; `existed` gets, per put or delete, whether the key was
    /// there before (`false` for an audit command).
    pub(super) fn apply_request(
        &mut self,
        index: u64,
        request: Request,
        existed: &mut Vec<bool>,
    ) -> Result<(), StoreError> {
        let (key, actor, at, action, was, detail) = match request {
            Request::Put {
                key,
                value,
                actor,
                at,
            } => {
                let prev = (self.kv.get(&key))
                    .map(|v| KvEntry::from_bytes(v).map_err(StoreError::from))
                    .transpose()?;
                let entry = KvEntry {
                    value,
                    create_revision: prev.as_ref().map_or(index, |p| p.create_revision),
                    mod_revision: index,
                    version: prev.as_ref().map_or(1, |p| p.version + 1),
                };
                let stored: Arc<[u8]> = entry.to_bytes().into();
                self.bytes += stored_cost(&key, &stored);
                let old = self.kv.insert(key.clone(), stored);
                let was = old.is_some();
                self.bytes -= old.map_or(0, |o| stored_cost(&key, &o));
                (key, actor, at, AuditAction::Put, was, String::new())
            }
            Request::Delete { key, actor, at } => {
                let old = self.kv.remove(&key);
                let was = old.is_some();
                self.bytes -= old.map_or(0, |o| stored_cost(&key, &o));
                (key, actor, at, AuditAction::Delete, was, String::new())
            }
            Request::Batch { ops } => {
                for op in ops {
                    self.apply_request(index, op, existed)?;
                }
                return Ok(());
            }
            // Only a record: the change itself went through raft on its own.
            Request::Audit {
                action,
                subject,
                detail,
                actor,
                at,
            } => (subject, actor, at, action, false, detail),
        };
        let op = u32::try_from(existed.len()).unwrap_or(u32::MAX);
        let record = AuditRecord {
            index,
            op,
            actor,
            action,
            key,
            at,
            detail,
        };
        let stored: Arc<[u8]> = encode("audit record", &record)?.into();
        self.audit.push(((index, op), stored));
        existed.push(was);
        Ok(())
    }

    /// Applies a batch of log entries in order.
    pub(super) fn apply(&mut self, entries: Vec<Entry>) -> Result<Vec<Response>, StoreError> {
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            let index = entry.log_id.index;
            let mut existed = Vec::new();
            match entry.payload {
                EntryPayload::Blank => {}
                EntryPayload::Membership(m) => {
                    self.membership = Membership::new(Some(entry.log_id), m);
                }
                EntryPayload::Normal(request) => {
                    self.apply_request(index, request, &mut existed)?
                }
            }
            out.push(Response {
                revision: index,
                existed,
            });
            // Per entry, not per call: how raft splits entries into apply calls differs
            // between nodes and must not change which records survive.
            if self.audit.len() > AUDIT_KEEP + AUDIT_SLACK {
                self.audit.drain(..self.audit.len() - AUDIT_KEEP);
            }
            self.applied = Some(entry.log_id);
        }
        Ok(out)
    }

    /// Every key with its decoded entry, in key order.
    pub(super) fn kv_entries(&self) -> Result<Vec<(String, KvEntry)>, StoreError> {
        (self.kv.iter())
            .map(|(k, v)| Ok((k.clone(), KvEntry::from_bytes(v)?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(entries: &[(&str, String)]) -> State {
        let mut s = State::default();
        for (i, (key, value)) in entries.iter().enumerate() {
            let request = Request::Put {
                key: key.to_string(),
                value: value.clone().into_bytes(),
                actor: "test".into(),
                at: String::new(),
            };
            s.apply_request(i as u64 + 1, request, &mut Vec::new())
                .unwrap();
        }
        s
    }

    fn roster(serial: u64) -> String {
        let roster = crate::engine::identity::roster::test_roster(serial, &[("n1", 1, "voter")]);
        serde_json::to_string(&roster).unwrap()
    }

    /// Whether a follower holding `held` takes a snapshot of `offered`.
    fn takes(held: &State, offered: &State) -> Result<(), String> {
        let (_, bytes) = offered.payload().unwrap();
        held.check_reserved_of(&SnapshotDoc::decode(&bytes).unwrap())
    }

    #[test]
    fn a_snapshot_cannot_roll_the_roster_back_or_carry_a_malformed_deny_list() {
        let held = with(&[(ROSTER_KEY, roster(5))]);
        takes(&held, &with(&[(ROSTER_KEY, roster(5))])).unwrap();
        takes(
            &held,
            &with(&[(ROSTER_KEY, roster(6)), ("app/x", "1".into())]),
        )
        .unwrap();
        let e = takes(&held, &with(&[(ROSTER_KEY, roster(4))])).unwrap_err();
        assert!(e.contains("serial 4 is not newer than the mesh's 5"), "{e}");
        let id = "spiffe://t.mesh/node/n2";
        let entry = |named: &str| serde_json::json!({ "spiffeId": named }).to_string();
        let revoked = format!("{}{id}", crate::engine::node::raft::REVOKED_PREFIX);
        takes(
            &held,
            &with(&[(ROSTER_KEY, roster(6)), (&revoked, entry(id))]),
        )
        .unwrap();
        let e = takes(
            &held,
            &with(&[
                (ROSTER_KEY, roster(6)),
                (&revoked, entry("spiffe://t.mesh/node/n1")),
            ]),
        )
        .unwrap_err();
        assert!(e.contains("must name"), "{e}");
        let e = takes(&held, &with(&[(ROSTER_KEY, "{}".into())])).unwrap_err();
        assert!(e.contains("roster refused"), "{e}");
    }

    #[test]
    fn the_store_size_follows_puts_overwrites_and_deletes() {
        let mut s = with(&[("a", "12345".into()), ("bb", "1".into())]);
        assert_eq!(s.bytes, store_cost(1, 5) + store_cost(2, 1));
        let put = Request::Put {
            key: "a".into(),
            value: vec![0; 100],
            actor: "test".into(),
            at: String::new(),
        };
        s.apply_request(9, put, &mut Vec::new()).unwrap();
        assert_eq!(s.bytes, store_cost(1, 100) + store_cost(2, 1));
        let delete = Request::Delete {
            key: "bb".into(),
            actor: "test".into(),
            at: String::new(),
        };
        s.apply_request(10, delete, &mut Vec::new()).unwrap();
        assert_eq!(s.bytes, store_cost(1, 100));
        let (_, bytes) = s.payload().unwrap();
        let restored = State::from_doc(&SnapshotDoc::decode(&bytes).unwrap());
        assert_eq!(restored.bytes, s.bytes);
    }
}
