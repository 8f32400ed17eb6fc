//! The state machine's data in memory: keys with revisions and the audit trail, how a log
//! entry changes them, and how they become a snapshot payload and back.

use std::collections::BTreeMap;
use std::sync::Arc;

use openraft::{EntryPayload, LogId};

use crate::engine::node::raft::{encode, Request, Response, StoreError};
use crate::engine::snapshot::payload::{
    put_chunk, AuditAction, AuditRecord, KvEntry, PayloadMeta, SnapshotDoc, SNAPSHOT_FORMAT,
};

use super::*;

type AuditRow = ((u64, u32), Arc<[u8]>);

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
}

impl State {
    pub(super) fn from_doc(doc: &SnapshotDoc<'_>) -> State {
        State {
            kv: (doc.kv_raw())
                .map(|(k, v)| (k.to_string(), Arc::from(v)))
                .collect(),
            audit: doc.audit_raw().map(|(k, v)| (k, Arc::from(v))).collect(),
            applied: doc.meta.last_applied,
            membership: doc.meta.membership.clone(),
        }
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
                let was = self.kv.insert(key.clone(), stored).is_some();
                (key, actor, at, AuditAction::Put, was, String::new())
            }
            Request::Delete { key, actor, at } => {
                let was = self.kv.remove(&key).is_some();
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
