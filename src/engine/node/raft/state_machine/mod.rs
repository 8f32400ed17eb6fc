//! The replicated key/value state with revisions and an audit trail, plus durable snapshots.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use openraft::storage::{RaftStateMachine, Snapshot, SnapshotMeta};
use openraft::{
    ErrorSubject, ErrorVerb, LogId, OptionalSend, RaftSnapshotBuilder, StorageError,
    StoredMembership,
};
use redb::{Database, ReadableDatabase, ReadableTable, WriteTransaction};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::engine::node::raft::{
    blocking, decode, encode, DbContext, MeshNode, Response, StoreError, TypeConfig, AUDIT, KV,
    SM_META,
};
use crate::engine::snapshot::payload::{put_chunk, AuditRecord, KvEntry, PayloadMeta, SnapshotDoc};

mod data;
mod offline;
mod sums;

pub use data::store_cost;
use data::State;
use offline::legacy_state;
pub(crate) use offline::peek;

type Entry = openraft::Entry<TypeConfig>;
type Membership = StoredMembership<u64, MeshNode>;
type Meta = SnapshotMeta<u64, MeshNode>;

const LAST_APPLIED: &str = "last_applied";
const LAST_MEMBERSHIP: &str = "last_membership";
/// Metas of the snapshot files kept on disk, oldest first; the last one is current.
const SNAPSHOTS: &str = "snapshots";
/// Snapshot id -> SHA-256 (hex) of its file, checked when the file is loaded, so a file
/// damaged on disk is found instead of loaded.
const SNAPSHOT_SUMS: &str = "snapshot_sums";
/// Audit records kept: the newest this many, at least. Without a bound the trail, and every
/// snapshot with it, would grow with each write forever.
pub const AUDIT_KEEP: usize = 100_000;
/// Records allowed past [`AUDIT_KEEP`] before the oldest are dropped, so the trim runs once
/// per this many writes instead of on every one. The trim depends only on the record count,
/// so every node, and every snapshot taken at the same log id, keeps the same records.
const AUDIT_SLACK: usize = AUDIT_KEEP / 4;

/// The newest snapshot file, opened for streaming (see [`StateMachine::open_latest`]).
pub struct LatestFile {
    pub meta: Meta,
    pub payload_meta: PayloadMeta,
    /// Bytes of the payload (the whole file).
    pub len: u64,
    /// SHA-256 of the payload, hex.
    pub sha256: String,
    pub file: File,
}

/// A snapshot kept on a node: its raft meta and the size of its payload file.
#[derive(Debug, Clone)]
pub struct StoredSnapshot {
    pub meta: Meta,
    pub bytes: u64,
}

/// The raft state machine. Cheap to clone: the node keeps a clone for reads while openraft owns
/// another. The data is in memory (reads take a shared lock, applies a short exclusive one);
/// what makes it durable is the newest snapshot file plus the raft log after it.
#[derive(Clone)]
pub struct StateMachine {
    inner: Arc<Inner>,
}

struct Inner {
    db: Arc<Database>,
    snap_dir: PathBuf,
    keep: usize,
    state: RwLock<State>,
    /// (snapshot id, payload SHA-256 in hex) of the newest snapshot this process built or
    /// hashed, so a save need not read the file twice.
    digest: Mutex<Option<(String, String)>>,
    /// Log index of the newest snapshot on disk, for callers waiting on a build.
    newest: tokio::sync::watch::Sender<Option<u64>>,
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
    use crate::engine::util::fsutil::{AtomicFile, PRIVATE_MODE};
    // The store's data is the mesh's control plane: readable by the node's user only.
    let write = || {
        let tmp = dir.join(format!("{name}.tmp"));
        let mut file = AtomicFile::with_temp(&dir.join(name), tmp, PRIVATE_MODE)?;
        file.write_all(bytes)?;
        file.commit()
    };
    write().map_err(|e| StoreError::Io {
        path: e.path.clone(),
        source: e.source,
    })
}

impl StateMachine {
    pub(crate) fn new(
        db: Arc<Database>,
        snap_dir: PathBuf,
        keep: usize,
    ) -> Result<Self, StoreError> {
        // Snapshot files hold every key: private to the node's user, like the store.
        crate::engine::state::create_private_dir(&snap_dir).map_err(|e| StoreError::Io {
            path: e.path,
            source: e.source,
        })?;
        let sm = Self {
            inner: Arc::new(Inner {
                db,
                snap_dir,
                keep,
                state: RwLock::default(),
                digest: Mutex::default(),
                newest: tokio::sync::watch::Sender::new(None),
                files: Mutex::new(()),
            }),
        };
        // A crash can leave a half-written temp file or a file whose meta never committed.
        let metas = sm.inner.snapshot_metas()?;
        sm.inner.prune(&metas, true);
        let newest = sm.inner.usable_snapshot(metas)?;
        sm.inner.load(newest)?;
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

    /// Follows the log index of the newest snapshot on disk: it changes as soon as a built
    /// or installed file is recorded, before raft has purged the log behind it.
    pub fn watch_newest(&self) -> tokio::sync::watch::Receiver<Option<u64>> {
        self.inner.newest.subscribe()
    }

    /// The newest snapshot as a file to stream: an open handle (it still reads the file if a
    /// newer build prunes it meanwhile), the payload's length and leading meta, and its
    /// SHA-256 — kept from the build when this process made it, else read once and kept.
    pub fn open_latest(&self) -> Result<Option<LatestFile>, StoreError> {
        let (meta, mut file, path) = {
            let _files = self.inner.lock_files();
            let Some(meta) = self.inner.snapshot_metas()?.pop() else {
                return Ok(None);
            };
            let path = self.inner.snap_dir.join(file_name(&meta.snapshot_id));
            let file = File::open(&path).map_err(io_err(&path))?;
            (meta, file, path)
        };
        let len = file.metadata().map_err(io_err(&path))?.len();
        let bad = |reason: String| StoreError::BadSnapshot {
            id: meta.snapshot_id.clone(),
            reason,
        };
        let payload_meta = {
            let mut n = [0u8; 4];
            file.read_exact(&mut n).map_err(io_err(&path))?;
            let n = u32::from_be_bytes(n) as usize;
            if n as u64 > len.saturating_sub(4) {
                return Err(bad("payload meta runs past the end of the file".into()));
            }
            let mut head = vec![0u8; n];
            file.read_exact(&mut head).map_err(io_err(&path))?;
            file.seek(SeekFrom::Start(0)).map_err(io_err(&path))?;
            serde_json::from_slice::<PayloadMeta>(&head)
                .map_err(|e| bad(format!("payload meta: {e}")))?
        };
        let known = (self.inner.digest.lock().unwrap_or_else(|p| p.into_inner()))
            .as_ref()
            .filter(|(id, _)| *id == meta.snapshot_id)
            .map(|(_, sha)| sha.clone());
        let sha256 = match known {
            Some(sha) => sha,
            None => {
                let mut ctx = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
                let mut buf = vec![0u8; 1 << 20];
                loop {
                    let n = file.read(&mut buf).map_err(io_err(&path))?;
                    if n == 0 {
                        break;
                    }
                    ctx.update(&buf[..n]);
                }
                file.seek(SeekFrom::Start(0)).map_err(io_err(&path))?;
                let sha = hex::encode(ctx.finish());
                *self.inner.digest.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((meta.snapshot_id.clone(), sha.clone()));
                sha
            }
        };
        Ok(Some(LatestFile {
            meta,
            payload_meta,
            len,
            sha256,
            file,
        }))
    }

    /// Offline restore: makes `doc`, under `membership`, this store's only snapshot, which is
    /// what a node loads on start. The payload's records are written as they are; only its
    /// meta changes (the membership). This instance's in-memory state is left as it was: it
    /// is meant to be dropped and the store reopened.
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
        let payload_meta = PayloadMeta {
            membership: membership.clone(),
            ..doc.meta.clone()
        };
        let head = encode("snapshot meta", &payload_meta)?;
        let mut bytes = Vec::with_capacity(4 + head.len() + doc.records.len());
        put_chunk(&mut bytes, &head);
        bytes.extend_from_slice(doc.records);
        let meta = Meta {
            last_log_id: Some(last),
            last_membership: membership,
            snapshot_id: snapshot_id(Some(last)),
        };
        let _files = self.inner.lock_files();
        self.inner.write_and_record(&meta, &bytes, true)?;
        let sha256 = crate::engine::util::fsutil::sha256_hex(&bytes);
        self.inner.record_sum(&meta.snapshot_id, &sha256)?;
        Ok(last)
    }

    /// What the keys hold against `spec.limits.maxStoreBytes` (see [`store_cost`]).
    pub fn store_bytes(&self) -> u64 {
        self.inner.read().bytes
    }

    /// What the store holds against the quota, and what `key` costs in it (0 if absent),
    /// read together.
    pub fn usage(&self, key: &str) -> (u64, u64) {
        let state = self.inner.read();
        let cost = (state.kv.get(key)).map_or(0, |v| data::stored_cost(key, v));
        (state.bytes, cost)
    }

    /// The protocol the mesh speaks, from its record in the store; a record this x0t
    /// cannot read counts as the newest it speaks, the only one it could still follow.
    pub fn mesh_protocol(&self) -> u32 {
        match self.get(super::PROTOCOL_KEY) {
            Ok(Some(e)) => {
                super::read_protocol(&e.value).unwrap_or(crate::engine::transport::PROTOCOL_VERSION)
            }
            _ => super::UNRECORDED_PROTOCOL,
        }
    }

    /// The current value of `key`.
    pub fn get(&self, key: &str) -> Result<Option<KvEntry>, StoreError> {
        let state = self.inner.read();
        state
            .kv
            .get(key)
            .map(|v| KvEntry::from_bytes(v).map_err(StoreError::from))
            .transpose()
    }

    /// All keys starting with `prefix`, in key order.
    pub fn list(&self, prefix: &str) -> Result<Vec<(String, KvEntry)>, StoreError> {
        let state = self.inner.read();
        (state
            .kv
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded)))
        .take_while(|(k, _)| k.starts_with(prefix))
        .map(|(k, v)| Ok((k.clone(), KvEntry::from_bytes(v)?)))
        .collect()
    }

    /// Audit records at log index `index` and later, oldest first.
    pub fn audit_since(&self, index: u64) -> Result<Vec<AuditRecord>, StoreError> {
        Ok(self.audit_tail(index, usize::MAX)?.0)
    }

    /// The newest `limit` audit records at log index `index` and later, oldest first, and
    /// the last applied index they were read at.
    pub fn audit_tail(
        &self,
        index: u64,
        limit: usize,
    ) -> Result<(Vec<AuditRecord>, u64), StoreError> {
        let state = self.inner.read();
        let from = state.audit.partition_point(|((i, _), _)| *i < index);
        let from = from.max(state.audit.len().saturating_sub(limit));
        let records = (state.audit[from..].iter())
            .map(|(_, v)| decode("audit record", v))
            .collect::<Result<_, _>>()?;
        Ok((records, state.applied.map_or(0, |l| l.index)))
    }
}

/// The id of the snapshot at `applied`: the state at a log id is fixed, so the id names
/// identical content wherever it was built.
fn snapshot_id(applied: Option<LogId<u64>>) -> String {
    match applied {
        Some(l) => format!("{}-{}-{}", l.leader_id.term, l.leader_id.node_id, l.index),
        None => "empty".to_string(),
    }
}

/// The raft meta of a snapshot with this payload meta.
fn meta_of(payload: PayloadMeta) -> Meta {
    Meta {
        last_log_id: payload.last_applied,
        last_membership: payload.membership,
        snapshot_id: snapshot_id(payload.last_applied),
    }
}

/// The state a kept snapshot file holds, its SHA-256 checked against `sum` when one was
/// recorded.
fn read_state(snap_dir: &Path, meta: &Meta, sum: Option<&String>) -> Result<State, StoreError> {
    let path = snap_dir.join(file_name(&meta.snapshot_id));
    let bytes = fs::read(&path).map_err(io_err(&path))?;
    let bad = |reason: String| StoreError::BadSnapshot {
        id: meta.snapshot_id.clone(),
        reason,
    };
    if let Some(want) = sum {
        let found = crate::engine::util::fsutil::sha256_hex(&bytes);
        if &found != want {
            return Err(bad(format!(
                "{} is damaged: SHA-256 {found}, {want} when written",
                path.display()
            )));
        }
    }
    let doc = SnapshotDoc::decode(&bytes).map_err(bad)?;
    Ok(State::from_doc(&doc))
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
    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|p| p.into_inner())
    }

    fn lock_files(&self) -> std::sync::MutexGuard<'_, ()> {
        self.files.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Loads the state from the newest snapshot file. A store written before the state
    /// moved into memory (schema 2) holds it in tables instead: when those are newer, they
    /// become a snapshot file first, and then the tables go.
    fn load(&self, newest: Option<State>) -> Result<(), StoreError> {
        let mut state = newest.unwrap_or_default();
        if let Some(legacy) = legacy_state(&*self.db)? {
            if legacy.applied > state.applied {
                let (payload_meta, bytes) = legacy.payload()?;
                let meta = meta_of(payload_meta);
                let _files = self.lock_files();
                self.write_and_record(&meta, &bytes, false)?;
                state = legacy;
            }
            let txn = self.db.begin_write().ctx("begin legacy cleanup")?;
            txn.delete_table(KV).ctx("drop kv table")?;
            txn.delete_table(AUDIT).ctx("drop audit table")?;
            {
                let mut meta = txn.open_table(SM_META).ctx("open sm_meta table")?;
                meta.remove(LAST_APPLIED).ctx("drop last applied")?;
                meta.remove(LAST_MEMBERSHIP).ctx("drop last membership")?;
            }
            txn.commit().ctx("commit legacy cleanup")?;
            tracing::info!(
                applied = ?state.applied,
                "raft state moved from database tables into a snapshot file"
            );
        }
        // What was loaded is exactly the newest snapshot on disk (or nothing).
        self.newest.send_replace(state.applied.map(|l| l.index));
        *self.write() = state;
        Ok(())
    }

    fn snapshot_metas(&self) -> Result<Vec<Meta>, StoreError> {
        let txn = self.db.begin_read().ctx("begin read")?;
        let meta = txn.open_table(SM_META).ctx("open sm_meta table")?;
        Ok(get_json(&meta, SNAPSHOTS, "snapshot list")?.unwrap_or_default())
    }

    fn current(&self) -> Result<Option<Snapshot<TypeConfig>>, StoreError> {
        // Under the lock, so a concurrent build cannot prune the file between lookup and read.
        let _files = self.lock_files();
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

    fn build(&self) -> Result<Snapshot<TypeConfig>, StoreError> {
        let started = std::time::Instant::now();
        // Applies wait only while the shared values are cloned, not while they are encoded.
        let view = self.read().clone();
        let (payload_meta, bytes) = view.payload()?;
        drop(view);
        let meta = meta_of(payload_meta);
        // Hash while the file is written: a save of this snapshot then signs at once.
        let sha256 = std::thread::scope(|s| {
            let hashing = s.spawn(|| crate::engine::util::fsutil::sha256_hex(&bytes));
            let _files = self.lock_files();
            self.write_and_record(&meta, &bytes, false)?;
            Ok::<_, StoreError>(
                hashing
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            )
        })?;
        self.record_sum(&meta.snapshot_id, &sha256)?;
        *self.digest.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((meta.snapshot_id.clone(), sha256));
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
        self.read().check_reserved_of(&doc).map_err(bad)?;
        let state = State::from_doc(&doc);
        let sha256 = crate::engine::util::fsutil::sha256_hex(bytes);
        let _files = self.lock_files();
        // The file first: the state is only replaced once it can be rebuilt after a crash.
        self.write_and_record(meta, bytes, false)?;
        self.record_sum(&meta.snapshot_id, &sha256)?;
        *self.write() = state;
        Ok(())
    }

    /// Writes the snapshot file, records it among the kept ones (with `only`, as the only
    /// one), then drops files beyond the retention count. The caller holds `files`.
    fn write_and_record(&self, meta: &Meta, bytes: &[u8], only: bool) -> Result<(), StoreError> {
        write_atomic(&self.snap_dir, &file_name(&meta.snapshot_id), bytes)?;
        let txn = self.db.begin_write().ctx("begin snapshot commit")?;
        let mut metas: Vec<Meta> = if only {
            Vec::new()
        } else {
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
        let newest = metas.last().and_then(|m| m.last_log_id).map(|l| l.index);
        self.newest.send_replace(newest);
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
        let state = self.inner.read();
        Ok((state.applied, state.membership.clone()))
    }

    async fn apply<I>(&mut self, entries: I) -> Result<Vec<Response>, StorageError<u64>>
    where
        I: IntoIterator<Item = Entry> + OptionalSend,
        I::IntoIter: OptionalSend,
    {
        let entries = entries.into_iter().collect();
        self.inner
            .write()
            .apply(entries)
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
