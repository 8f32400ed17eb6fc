//! The replicated key/value state with revisions and an audit trail, plus durable snapshots.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use openraft::storage::{RaftStateMachine, Snapshot, SnapshotMeta};
use openraft::{
    EntryPayload, ErrorSubject, ErrorVerb, LogId, OptionalSend, RaftSnapshotBuilder, StorageError,
    StoredMembership,
};
use redb::{Database, Durability, ReadableDatabase, ReadableTable, Table, WriteTransaction};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{
    blocking, bytes_b64, decode, encode, DbContext, MeshNode, Request, Response, StoreError,
    TypeConfig, AUDIT, KV, SM_META,
};

type Entry = openraft::Entry<TypeConfig>;
type Membership = StoredMembership<u64, MeshNode>;
type Meta = SnapshotMeta<u64, MeshNode>;

const LAST_APPLIED: &str = "last_applied";
const LAST_MEMBERSHIP: &str = "last_membership";
/// Metas of the snapshot files kept on disk, oldest first; the last one is current.
const SNAPSHOTS: &str = "snapshots";
const SNAPSHOT_FORMAT: u32 = 3;

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

    pub(crate) fn from_bytes(b: &[u8]) -> Result<KvEntry, StoreError> {
        if b.len() < 25 || b[0] != 1 {
            return Err(StoreError::Malformed { what: "kv entry" });
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditAction {
    Put,
    Delete,
}

/// Who changed which key, and when; one per applied `Put` or `Delete`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Log index of the command.
    pub index: u64,
    /// Position of the command within its entry (0 unless the entry is a batch).
    #[serde(default)]
    pub op: u32,
    pub actor: String,
    pub action: AuditAction,
    pub key: String,
    pub at: String,
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
    records: &'a [u8],
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

fn put_chunk(out: &mut Vec<u8>, b: &[u8]) {
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
    pub fn kv(&self) -> Result<Vec<(String, KvEntry)>, StoreError> {
        (self.kv_raw())
            .map(|(k, v)| Ok((k.to_string(), KvEntry::from_bytes(v)?)))
            .collect()
    }
}

/// Builds a payload straight from the store's tables, in one read transaction: the meta
/// (with the tables' lengths) first, then every record appended once.
fn encode_payload(
    meta: PayloadMeta,
    kv: &impl ReadableTable<&'static str, &'static [u8]>,
    audit: &impl ReadableTable<(u64, u32), &'static [u8]>,
) -> Result<(PayloadMeta, Vec<u8>), StoreError> {
    let meta = PayloadMeta {
        keys: kv.len().ctx("count kv")?,
        audit_records: audit.len().ctx("count audit")?,
        ..meta
    };
    let mut out = Vec::new();
    put_chunk(&mut out, &encode("snapshot meta", &meta)?);
    for item in kv.iter().ctx("scan kv")? {
        let (k, v) = item.ctx("scan kv")?;
        put_chunk(&mut out, k.value().as_bytes());
        put_chunk(&mut out, v.value());
    }
    for item in audit.iter().ctx("scan audit")? {
        let (k, v) = item.ctx("scan audit")?;
        let (index, op) = k.value();
        out.extend_from_slice(&index.to_be_bytes());
        out.extend_from_slice(&op.to_be_bytes());
        put_chunk(&mut out, v.value());
    }
    Ok((meta, out))
}

/// A snapshot kept on a node: its raft meta and the size of its payload file.
#[derive(Debug, Clone)]
pub struct StoredSnapshot {
    pub meta: Meta,
    pub bytes: u64,
}

/// The raft state machine. Cheap to clone: the node keeps a clone for reads while openraft owns
/// another; reads see the last committed apply and never block it.
#[derive(Clone)]
pub struct StateMachine {
    inner: Arc<Inner>,
}

struct Inner {
    db: Arc<Database>,
    snap_dir: PathBuf,
    keep: usize,
    /// Held across "write file, record meta, prune" so a concurrent build and install cannot
    /// delete each other's new file before it is recorded.
    files: Mutex<()>,
}

fn get_json<'k, K, T>(
    table: &impl ReadableTable<K, &'static [u8]>,
    key: impl Borrow<K::SelfType<'k>>,
    what: &'static str,
) -> Result<Option<T>, StoreError>
where
    K: redb::Key + 'static,
    T: DeserializeOwned,
{
    let value = table.get(key).ctx("read table")?;
    value.map(|v| decode(what, v.value())).transpose()
}

fn sm_err(verb: ErrorVerb) -> impl FnOnce(StoreError) -> StorageError<u64> {
    move |e| e.into_raft(ErrorSubject::StateMachine, verb)
}

fn snap_err(verb: ErrorVerb) -> impl FnOnce(StoreError) -> StorageError<u64> {
    move |e| e.into_raft(ErrorSubject::Snapshot(None), verb)
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// File name for a snapshot id; ids arrive from the leader, so never let one escape the directory.
fn file_name(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.snap")
}

/// Writes `bytes` so that `dir/name` is either absent, old, or complete, even across a crash.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let (tmp, path) = (dir.join(format!("{name}.tmp")), dir.join(name));
    // The store's data is the mesh's control plane: readable by the node's user only.
    let mut file = {
        use std::os::unix::fs::OpenOptionsExt;
        fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(crate::engine::fsutil::PRIVATE_MODE)
            .open(&tmp)
            .map_err(io_err(&tmp))?
    };
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io_err(&tmp))?;
    fs::rename(&tmp, &path).map_err(io_err(&path))?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

impl StateMachine {
    pub(crate) fn new(
        db: Arc<Database>,
        snap_dir: PathBuf,
        keep: usize,
    ) -> Result<Self, StoreError> {
        fs::create_dir_all(&snap_dir).map_err(io_err(&snap_dir))?;
        let sm = Self {
            inner: Arc::new(Inner {
                db,
                snap_dir,
                keep,
                files: Mutex::new(()),
            }),
        };
        // A crash can leave a half-written temp file or a file whose meta never committed.
        let metas = sm.inner.snapshot_metas()?;
        sm.inner.prune(&metas, true);
        Ok(sm)
    }

    /// The snapshots kept on disk, oldest first; the last one is what laggards receive.
    pub fn snapshots(&self) -> Result<Vec<StoredSnapshot>, StoreError> {
        let metas = self.inner.snapshot_metas()?;
        Ok(metas
            .into_iter()
            .map(|meta| {
                let path = self.inner.snap_dir.join(file_name(&meta.snapshot_id));
                let bytes = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                StoredSnapshot { meta, bytes }
            })
            .collect())
    }

    /// The newest snapshot and its payload.
    pub fn latest(&self) -> Result<Option<(Meta, Vec<u8>)>, StoreError> {
        Ok(self
            .inner
            .current()?
            .map(|s| (s.meta, s.snapshot.into_inner())))
    }

    /// Offline restore: replaces the whole state with `doc` under `membership`. No snapshot
    /// file is written: on first start openraft finds the log purged and no snapshot, and
    /// builds one from this state before serving.
    pub(crate) fn restore(
        &self,
        doc: SnapshotDoc<'_>,
        membership: openraft::Membership<u64, MeshNode>,
    ) -> Result<LogId<u64>, StoreError> {
        let last = doc
            .meta
            .last_applied
            .ok_or_else(|| StoreError::BadSnapshot {
                id: "restore".into(),
                reason: "it holds no applied entry".into(),
            })?;
        let membership = Membership::new(Some(last), membership);
        let txn = self.inner.db.begin_write().ctx("begin restore")?;
        write_state(&txn, &doc, Some(last), &membership)?;
        put_json(&txn, SNAPSHOTS, &Vec::<Meta>::new())?;
        txn.commit().ctx("commit restore")?;
        Ok(last)
    }

    /// The current value of `key`.
    pub fn get(&self, key: &str) -> Result<Option<KvEntry>, StoreError> {
        let txn = self.inner.db.begin_read().ctx("begin read")?;
        let kv = txn.open_table(KV).ctx("open kv table")?;
        let value = kv.get(key).ctx("read kv")?;
        value.map(|v| KvEntry::from_bytes(v.value())).transpose()
    }

    /// All keys starting with `prefix`, in key order.
    pub fn list(&self, prefix: &str) -> Result<Vec<(String, KvEntry)>, StoreError> {
        let txn = self.inner.db.begin_read().ctx("begin read")?;
        let kv = txn.open_table(KV).ctx("open kv table")?;
        let mut out = Vec::new();
        for item in kv.range::<&str>(prefix..).ctx("scan kv")? {
            let (k, v) = item.ctx("scan kv")?;
            if !k.value().starts_with(prefix) {
                break;
            }
            out.push((k.value().to_string(), KvEntry::from_bytes(v.value())?));
        }
        Ok(out)
    }

    /// Audit records at log index `index` and later, oldest first.
    pub fn audit_since(&self, index: u64) -> Result<Vec<AuditRecord>, StoreError> {
        let txn = self.inner.db.begin_read().ctx("begin read")?;
        let audit = txn.open_table(AUDIT).ctx("open audit table")?;
        let iter = audit.range((index, 0)..).ctx("scan audit")?;
        iter.map(|item| decode("audit record", item.ctx("scan audit")?.1.value()))
            .collect()
    }

    fn applied(&self) -> Result<(Option<LogId<u64>>, Membership), StoreError> {
        let txn = self.inner.db.begin_read().ctx("begin read")?;
        let meta = txn.open_table(SM_META).ctx("open sm_meta table")?;
        let applied = get_json(&meta, LAST_APPLIED, "last applied")?;
        Ok((
            applied,
            get_json(&meta, LAST_MEMBERSHIP, "last membership")?.unwrap_or_default(),
        ))
    }
}

fn apply_request(
    kv: &mut Table<&str, &[u8]>,
    audit: &mut Table<(u64, u32), &[u8]>,
    index: u64,
    request: Request,
    existed: &mut Vec<bool>,
) -> Result<(), StoreError> {
    let (key, actor, at, action, was) = match request {
        Request::Put {
            key,
            value,
            actor,
            at,
        } => {
            let prev = (kv.get(key.as_str()).ctx("read kv")?)
                .map(|v| KvEntry::from_bytes(v.value()))
                .transpose()?;
            let entry = KvEntry {
                value,
                create_revision: prev.as_ref().map_or(index, |p| p.create_revision),
                mod_revision: index,
                version: prev.as_ref().map_or(1, |p| p.version + 1),
            };
            kv.insert(key.as_str(), entry.to_bytes().as_slice())
                .ctx("write kv")?;
            (key, actor, at, AuditAction::Put, prev.is_some())
        }
        Request::Delete { key, actor, at } => {
            let existed = kv.remove(key.as_str()).ctx("delete kv")?.is_some();
            (key, actor, at, AuditAction::Delete, existed)
        }
        Request::Batch { ops } => {
            for op in ops {
                apply_request(kv, audit, index, op, existed)?;
            }
            return Ok(());
        }
    };
    let op = u32::try_from(existed.len()).unwrap_or(u32::MAX);
    let record = AuditRecord {
        index,
        op,
        actor,
        action,
        key,
        at,
    };
    audit
        .insert((index, op), encode("audit record", &record)?.as_slice())
        .ctx("write audit")?;
    existed.push(was);
    Ok(())
}

/// Replaces the key-value state and audit trail with a payload's, as of `applied`.
fn write_state(
    txn: &WriteTransaction,
    doc: &SnapshotDoc<'_>,
    applied: Option<LogId<u64>>,
    membership: &Membership,
) -> Result<(), StoreError> {
    txn.delete_table(KV).ctx("clear kv")?;
    txn.delete_table(AUDIT).ctx("clear audit")?;
    let mut kv = txn.open_table(KV).ctx("open kv table")?;
    for (key, value) in doc.kv_raw() {
        kv.insert(key, value).ctx("write kv")?;
    }
    let mut audit = txn.open_table(AUDIT).ctx("open audit table")?;
    for (key, value) in doc.audit_raw() {
        audit.insert(key, value).ctx("write audit")?;
    }
    put_json(txn, LAST_APPLIED, &applied)?;
    put_json(txn, LAST_MEMBERSHIP, membership)?;
    Ok(())
}

fn put_json<T: Serialize>(
    txn: &WriteTransaction,
    key: &'static str,
    value: &T,
) -> Result<(), StoreError> {
    let bytes = encode(key, value)?;
    txn.open_table(SM_META)
        .ctx("open sm_meta table")?
        .insert(key, bytes.as_slice())
        .ctx("write sm_meta")?;
    Ok(())
}

impl Inner {
    fn snapshot_metas(&self) -> Result<Vec<Meta>, StoreError> {
        let txn = self.db.begin_read().ctx("begin read")?;
        let meta = txn.open_table(SM_META).ctx("open sm_meta table")?;
        Ok(get_json(&meta, SNAPSHOTS, "snapshot list")?.unwrap_or_default())
    }

    fn current(&self) -> Result<Option<Snapshot<TypeConfig>>, StoreError> {
        // Under the lock, so a concurrent build cannot prune the file between lookup and read.
        let _files = self
            .files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(meta) = self.snapshot_metas()?.pop() else {
            return Ok(None);
        };
        let path = self.snap_dir.join(file_name(&meta.snapshot_id));
        let bytes = fs::read(&path).map_err(io_err(&path))?;
        Ok(Some(Snapshot {
            meta,
            snapshot: Box::new(Cursor::new(bytes)),
        }))
    }

    fn apply(&self, entries: Vec<Entry>) -> Result<Vec<Response>, StoreError> {
        let mut txn = self.db.begin_write().ctx("begin apply")?;
        // Not synced here: the entries are already durable in the log (the same database
        // file), so a crash can only lose applies that the log replays on restart, and the
        // next durable commit — any log append — makes this one durable too. Snapshots force
        // a durable commit first (see `build`), so the log is never purged past what is on
        // disk. This halves the fsyncs of every write.
        txn.set_durability(Durability::None)
            .ctx("set apply durability")?;
        let mut out = Vec::with_capacity(entries.len());
        {
            let mut kv = txn.open_table(KV).ctx("open kv table")?;
            let mut audit = txn.open_table(AUDIT).ctx("open audit table")?;
            let (mut applied, mut membership) = (None, None);
            for entry in entries {
                let index = entry.log_id.index;
                let mut existed = Vec::new();
                match entry.payload {
                    EntryPayload::Blank => {}
                    EntryPayload::Membership(m) => {
                        membership = Some(Membership::new(Some(entry.log_id), m));
                    }
                    EntryPayload::Normal(request) => {
                        apply_request(&mut kv, &mut audit, index, request, &mut existed)?
                    }
                }
                out.push(Response {
                    revision: index,
                    existed,
                });
                applied = Some(entry.log_id);
            }
            if let Some(applied) = applied {
                put_json(&txn, LAST_APPLIED, &applied)?;
            }
            if let Some(membership) = membership {
                put_json(&txn, LAST_MEMBERSHIP, &membership)?;
            }
        }
        txn.commit().ctx("commit apply")?;
        Ok(out)
    }

    fn build(&self) -> Result<Snapshot<TypeConfig>, StoreError> {
        let started = std::time::Instant::now();
        // Make every apply so far durable before the snapshot lets the log be purged.
        let mut sync = self.db.begin_write().ctx("begin sync")?;
        sync.set_durability(Durability::Immediate)
            .ctx("set sync durability")?;
        sync.commit().ctx("sync applied state")?;
        // One read transaction gives a consistent view while applies carry on.
        let (payload_meta, bytes) = {
            let txn = self.db.begin_read().ctx("begin read")?;
            let meta = txn.open_table(SM_META).ctx("open sm_meta table")?;
            let kv = txn.open_table(KV).ctx("open kv table")?;
            let audit = txn.open_table(AUDIT).ctx("open audit table")?;
            let meta = PayloadMeta {
                format: SNAPSHOT_FORMAT,
                last_applied: get_json(&meta, LAST_APPLIED, "last applied")?,
                membership: get_json(&meta, LAST_MEMBERSHIP, "last membership")?
                    .unwrap_or_default(),
                keys: 0,
                audit_records: 0,
            };
            encode_payload(meta, &kv, &audit)?
        };
        // The state at a log id is fixed, so an id derived from it names identical content.
        let snapshot_id = match payload_meta.last_applied {
            Some(l) => format!("{}-{}-{}", l.leader_id.term, l.leader_id.node_id, l.index),
            None => "empty".to_string(),
        };
        let meta = Meta {
            last_log_id: payload_meta.last_applied,
            last_membership: payload_meta.membership,
            snapshot_id,
        };
        self.store(&meta, &bytes, None)?;
        tracing::info!(
            snapshot = %meta.snapshot_id,
            bytes = bytes.len(),
            ms = started.elapsed().as_millis() as u64,
            "raft snapshot built"
        );
        Ok(Snapshot {
            meta,
            snapshot: Box::new(Cursor::new(bytes)),
        })
    }

    fn install(&self, meta: &Meta, bytes: &[u8]) -> Result<(), StoreError> {
        let bad = |reason: String| StoreError::BadSnapshot {
            id: meta.snapshot_id.clone(),
            reason,
        };
        let doc = SnapshotDoc::decode(bytes).map_err(bad)?;
        if doc.meta.last_applied != meta.last_log_id || doc.meta.membership != meta.last_membership
        {
            return Err(bad("content does not match its meta".to_string()));
        }
        let last = doc.meta.last_applied.map_or(0, |l| l.index);
        if doc.audit_raw().any(|((index, _), _)| index > last) {
            return Err(bad("revision beyond its last applied log id".to_string()));
        }
        self.store(meta, bytes, Some(doc))
    }

    /// Writes the snapshot file, then records it (and with `state`, replaces the whole state
    /// machine) in one transaction, then drops files beyond the retention count.
    fn store(
        &self,
        meta: &Meta,
        bytes: &[u8],
        state: Option<SnapshotDoc<'_>>,
    ) -> Result<(), StoreError> {
        let _files = self
            .files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        write_atomic(&self.snap_dir, &file_name(&meta.snapshot_id), bytes)?;
        let txn = self.db.begin_write().ctx("begin snapshot commit")?;
        if let Some(doc) = state {
            write_state(&txn, &doc, doc.meta.last_applied, &doc.meta.membership)?;
        }
        let mut metas: Vec<Meta> = {
            let table = txn.open_table(SM_META).ctx("open sm_meta table")?;
            get_json(&table, SNAPSHOTS, "snapshot list")?.unwrap_or_default()
        };
        metas.retain(|m| m.snapshot_id != meta.snapshot_id);
        metas.push(meta.clone());
        // Ordered by log id so a slow build finishing after a newer install never becomes current.
        metas.sort_by_key(|m| m.last_log_id);
        metas.drain(..metas.len().saturating_sub(self.keep));
        put_json(&txn, SNAPSHOTS, &metas)?;
        txn.commit().ctx("commit snapshot")?;
        self.prune(&metas, false);
        Ok(())
    }

    /// Deletes snapshot files not in `keep` (and, at startup, temp files). Failures are only
    /// logged: a stray file costs disk space, not correctness.
    fn prune(&self, keep: &[Meta], temp_too: bool) {
        let keep: HashSet<String> = keep.iter().map(|m| file_name(&m.snapshot_id)).collect();
        let dir = match fs::read_dir(&self.snap_dir) {
            Ok(dir) => dir,
            Err(e) => {
                return tracing::warn!(dir = %self.snap_dir.display(), error = %e, "cannot list snapshots")
            }
        };
        for entry in dir.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stale = (name.ends_with(".snap") && !keep.contains(&name))
                || (temp_too && name.ends_with(".tmp"));
            if stale {
                if let Err(e) = fs::remove_file(entry.path()) {
                    tracing::warn!(file = %entry.path().display(), error = %e, "cannot delete old snapshot");
                }
            }
        }
    }
}

impl RaftSnapshotBuilder<TypeConfig> for StateMachine {
    async fn build_snapshot(&mut self) -> Result<Snapshot<TypeConfig>, StorageError<u64>> {
        let inner = self.inner.clone();
        blocking(move || inner.build())
            .await
            .map_err(snap_err(ErrorVerb::Write))
    }
}

impl RaftStateMachine<TypeConfig> for StateMachine {
    type SnapshotBuilder = Self;

    async fn applied_state(
        &mut self,
    ) -> Result<(Option<LogId<u64>>, Membership), StorageError<u64>> {
        self.applied().map_err(sm_err(ErrorVerb::Read))
    }

    async fn apply<I>(&mut self, entries: I) -> Result<Vec<Response>, StorageError<u64>>
    where
        I: IntoIterator<Item = Entry> + OptionalSend,
        I::IntoIter: OptionalSend,
    {
        let (inner, entries) = (self.inner.clone(), entries.into_iter().collect());
        blocking(move || inner.apply(entries))
            .await
            .map_err(sm_err(ErrorVerb::Write))
    }

    async fn get_snapshot_builder(&mut self) -> Self::SnapshotBuilder {
        self.clone()
    }

    async fn begin_receiving_snapshot(
        &mut self,
    ) -> Result<Box<Cursor<Vec<u8>>>, StorageError<u64>> {
        Ok(Box::default())
    }

    async fn install_snapshot(
        &mut self,
        meta: &Meta,
        snapshot: Box<Cursor<Vec<u8>>>,
    ) -> Result<(), StorageError<u64>> {
        let (inner, meta, bytes) = (self.inner.clone(), meta.clone(), snapshot.into_inner());
        let signature = meta.signature();
        blocking(move || inner.install(&meta, &bytes))
            .await
            .map_err(|e| e.into_raft(ErrorSubject::Snapshot(Some(signature)), ErrorVerb::Write))
    }

    async fn get_current_snapshot(
        &mut self,
    ) -> Result<Option<Snapshot<TypeConfig>>, StorageError<u64>> {
        let inner = self.inner.clone();
        blocking(move || inner.current())
            .await
            .map_err(snap_err(ErrorVerb::Read))
    }
}
