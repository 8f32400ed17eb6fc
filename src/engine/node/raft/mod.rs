//! Raft type configuration and durable storage for the control plane, backed by one redb file.

mod log_store;
pub mod network;
pub mod service;
mod state_machine;
mod wal;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use openraft::{AnyError, ErrorSubject, ErrorVerb, StorageError, StorageIOError};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use crate::engine::snapshot::restore::{DataError, Existing};

pub use crate::engine::snapshot::payload::{
    bytes_b64, AuditAction, AuditRecord, KvEntry, MeshNode, PayloadMeta, SnapshotDoc,
};
pub use log_store::LogStore;
pub use state_machine::{store_cost, LatestFile, StateMachine, StoredSnapshot, AUDIT_KEEP};

openraft::declare_raft_types!(
    /// The openraft type configuration of an x0t mesh node.
    pub TypeConfig:
        D = Request,
        R = Response,
        NodeId = u64,
        Node = MeshNode,
        Entry = openraft::Entry<TypeConfig>,
        SnapshotData = Cursor<Vec<u8>>,
        AsyncRuntime = openraft::TokioRuntime,
);

use crate::engine::identity::roster::Roster;

pub use crate::engine::snapshot::payload::{
    MeshProtocol, PROTOCOL_KEY, RESERVED_PREFIX, REVOKED_PREFIX, ROSTER_KEY, UNRECORDED_PROTOCOL,
};

/// Checks a value for a reserved key against the trust domain `td` and the roster held:
/// a deny-list entry must name its own identity, of this trust domain; the roster must be
/// sound and newer than `held`; the protocol record must name one this x0t speaks. Writes,
/// snapshot installs and nodes applying the store all hold reserved keys to this.
pub fn check_reserved(
    key: &str,
    value: &[u8],
    td: &str,
    held: Option<&Roster>,
) -> Result<(), String> {
    if let Some(id) = key.strip_prefix(REVOKED_PREFIX) {
        let v: serde_json::Value = serde_json::from_slice(value)
            .map_err(|e| format!("deny-list entry {key}: not JSON: {e}"))?;
        if v["spiffeId"].as_str() != Some(id) || !id.starts_with(&format!("spiffe://{td}/")) {
            return Err(format!(
                "deny-list entry {key} must name {id}, an identity of trust domain {td}"
            ));
        }
        return Ok(());
    }
    if key == PROTOCOL_KEY {
        return read_protocol(value).map(|_| ());
    }
    if key != ROSTER_KEY {
        return Err(format!("{key} is not a key x0t uses"));
    }
    let new: Roster = serde_json::from_slice(value).map_err(|e| format!("roster refused: {e}"))?;
    new.check_shape()
        .map_err(|e| format!("roster refused: {e}"))?;
    if let Some(old) = held {
        new.succeeds(old)
            .map_err(|e| format!("roster refused: {e}"))?;
    }
    Ok(())
}

/// Reads a protocol record: one this x0t speaks, or an error that says to upgrade.
pub fn read_protocol(value: &[u8]) -> Result<u32, String> {
    use crate::engine::transport::{PROTOCOL_MIN, PROTOCOL_VERSION};
    let p: MeshProtocol = serde_json::from_slice(value)
        .map_err(|e| format!("protocol record {PROTOCOL_KEY} refused: {e}"))?;
    if p.version > PROTOCOL_VERSION {
        return Err(format!(
            "the mesh speaks protocol {}, this x0t speaks {PROTOCOL_MIN}-{PROTOCOL_VERSION}; upgrade x0t",
            p.version
        ));
    }
    if p.version < UNRECORDED_PROTOCOL {
        return Err(format!(
            "protocol record {PROTOCOL_KEY} names {}, older than any mesh records",
            p.version
        ));
    }
    Ok(p.version)
}

/// The raft handle of an x0t node.
pub type Raft = openraft::Raft<TypeConfig>;

/// Schema version of the tables below; bump it (and add a migration) when their encoding changes.
/// 1: kv values as JSON (base64 value), audit keyed by log index. 2: kv values binary
/// (`KvEntry::to_bytes`), audit keyed by (log index, op). 3: the state machine lives in
/// memory and its applied state in snapshot files; the kv and audit tables of older schemas
/// are turned into a snapshot file when the store opens, then dropped. 4: log entries may hold
/// `Request::Audit` (membership changes), which older binaries cannot read. 5: the log lives
/// in its own write-ahead log (`wal/`), no longer in the `logs` table; the vote, the purge
/// point and the snapshot list stay here.
pub const SCHEMA_VERSION: u64 = 5;
/// The schema before the log moved out: what a store of schema 1 to 4 is brought to inside
/// redb before its log moves.
const SCHEMA_LOG_IN_TABLE: u64 = 4;

/// How many snapshot files `open` keeps on disk.
pub const DEFAULT_KEEP_SNAPSHOTS: usize = 3;

/// Name of the database file inside the node's raft directory.
pub const DB_FILE: &str = "raft.redb";

// One table per concern; all values are JSON so a dump is readable with generic tools.
pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
pub(crate) const LOGS: TableDefinition<u64, &[u8]> = TableDefinition::new("logs");
pub(crate) const KV: TableDefinition<&str, &[u8]> = TableDefinition::new("kv");
/// Keyed by (log index, position of the command in its entry).
pub(crate) const AUDIT: TableDefinition<(u64, u32), &[u8]> = TableDefinition::new("audit");
pub(crate) const SM_META: TableDefinition<&str, &[u8]> = TableDefinition::new("sm_meta");

/// A replicated control-plane command; `actor` (SPIFFE ID) and `at` (RFC 3339) feed the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Request {
    Put {
        key: String,
        #[serde(with = "bytes_b64")]
        value: Vec<u8>,
        actor: String,
        at: String,
    },
    Delete {
        key: String,
        actor: String,
        at: String,
    },
    /// Puts and deletes that concurrent clients sent while the previous entry was in flight,
    /// applied in order as one entry: one log append, one replication round, one revision.
    Batch { ops: Vec<Request> },
    /// An admin call that changed raft membership: only its audit record (the change itself
    /// is raft's own membership entry, which names no actor).
    Audit {
        action: AuditAction,
        subject: String,
        detail: String,
        actor: String,
        at: String,
    },
}

/// Outcome of one applied entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// Log index of the entry that was applied (the key's mod revision after a put).
    pub revision: u64,
    /// Per command of the entry, in order, whether its key was present before it: one value
    /// for a put, delete or audit command (always `false`), one per op of a batch, none for
    /// a blank or membership entry.
    pub existed: Vec<bool>,
}

/// Errors of the raft store, each saying what it was doing.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot access {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open raft database {path}")]
    Open {
        path: PathBuf,
        #[source]
        source: redb::DatabaseError,
    },
    #[error(
        "raft database {path} has schema version {found}, this build supports up to {supported}"
    )]
    FutureSchema {
        path: PathBuf,
        found: u64,
        supported: u64,
    },
    #[error("raft database failed to {op}")]
    Db {
        op: &'static str,
        #[source]
        source: redb::Error,
    },
    #[error("cannot encode or decode {what}")]
    Codec {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("stored {what} is malformed")]
    Malformed { what: &'static str },
    #[error("raft log {path} is damaged at offset {offset}: {why}")]
    BadLog {
        path: PathBuf,
        offset: u64,
        why: String,
    },
    #[error("snapshot {id} refused: {reason}")]
    BadSnapshot { id: String, reason: String },
    #[error("storage task did not finish")]
    Task(#[source] tokio::task::JoinError),
}

impl StoreError {
    /// Wraps the error for openraft, which treats any storage error as fatal for the node.
    pub(crate) fn into_raft(
        self,
        subject: ErrorSubject<u64>,
        verb: ErrorVerb,
    ) -> StorageError<u64> {
        StorageIOError::new(subject, verb, AnyError::new(&self)).into()
    }
}

/// Attaches the operation name to any redb error.
pub(crate) trait DbContext<T> {
    fn ctx(self, op: &'static str) -> Result<T, StoreError>;
}

impl<T, E: Into<redb::Error>> DbContext<T> for Result<T, E> {
    fn ctx(self, op: &'static str) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::Db {
            op,
            source: e.into(),
        })
    }
}

pub(crate) fn encode<T: Serialize>(what: &'static str, value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|source| StoreError::Codec { what, source })
}

pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    what: &'static str,
    bytes: &[u8],
) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|source| StoreError::Codec { what, source })
}

/// Runs redb work on tokio's blocking pool.
///
/// A durable commit waits for fsync (milliseconds on real disks) and `begin_write` waits for the
/// other store's write transaction, since both share one file. On a 2-core node that would stall
/// an async worker, and heartbeats with it; `block_in_place` would avoid that but panics on a
/// current-thread runtime. The thread hop costs microseconds, nothing next to an fsync.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(StoreError::Task)?
}

/// Builds a node's raft data in `dir` (new, or empty) from a snapshot payload, offline: the
/// payload under `membership` becomes the store's only snapshot file (which the node loads on
/// start), the log is empty behind the snapshot's log id, and the vote is reset to the
/// snapshot's term, uncommitted, so restored nodes elect a leader among themselves (openraft
/// refuses `initialize` on such a node, and needs none). Returns the log id the node resumes
/// from.
pub fn restore(
    dir: &Path,
    keep_snapshots: usize,
    doc: SnapshotDoc<'_>,
    membership: openraft::Membership<u64, MeshNode>,
    node_id: u64,
) -> Result<openraft::LogId<u64>, StoreError> {
    let (log, sm) = open_with(dir, keep_snapshots)?;
    let last = sm.restore(doc, membership)?;
    log.reset_behind(last, openraft::Vote::new(last.leader_id.term, node_id))?;
    Ok(last)
}

/// Reads a stopped node's raft data without writing to it; `Ok(None)` when there is none.
/// Fails with `StoreError::Open` when a running node holds the database.
pub fn peek(dir: &Path) -> Result<Option<Existing>, StoreError> {
    let path = dir.join(DB_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let open_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Open { path, source }
    };
    match redb::ReadOnlyDatabase::open(&path) {
        Ok(db) => peek_in(&db, dir),
        // A node that was killed left the file needing repair, which writes; repair a copy.
        Err(redb::DatabaseError::RepairAborted) => {
            let tmp = tempfile_dir(dir)?;
            let copy = tmp.join(DB_FILE);
            let result = std::fs::copy(&path, &copy)
                .map_err(|source| StoreError::Io {
                    path: path.clone(),
                    source,
                })
                .and_then(|_| Database::open(&copy).map_err(open_err(&path)))
                .and_then(|db| peek_in(&db, dir));
            let _ = std::fs::remove_dir_all(&tmp);
            result
        }
        Err(e) => Err(open_err(&path)(e)),
    }
}

/// A private scratch directory outside the node's data directory. Its name is random and
/// it is created exclusively (mode 0700, never an existing directory), so another local
/// user cannot prepare it, or a link in its place, in the shared temporary directory.
fn tempfile_dir(near: &Path) -> Result<PathBuf, StoreError> {
    use std::os::unix::fs::DirBuilderExt;
    let mut last = None;
    for _ in 0..8 {
        let mut suffix = [0u8; 12];
        aws_lc_rs::rand::fill(&mut suffix).map_err(|_| StoreError::Io {
            path: near.to_path_buf(),
            source: std::io::Error::other("no randomness for a temporary directory name"),
        })?;
        let tmp = std::env::temp_dir().join(format!("x0t-peek-{}", hex::encode(suffix)));
        match std::fs::DirBuilder::new().mode(0o700).create(&tmp) {
            Ok(()) => return Ok(tmp),
            Err(e) => last = Some(e),
        }
    }
    Err(StoreError::Io {
        path: near.to_path_buf(),
        source: last.unwrap_or_else(|| std::io::Error::other("no temporary directory")),
    })
}

fn peek_in(db: &impl ReadableDatabase, dir: &Path) -> Result<Option<Existing>, StoreError> {
    state_machine::peek(db, &dir.join("snapshots"), &dir.join(wal::WAL_DIR)).map(Some)
}

/// Schema 1 to 2, inside the opening transaction: kv values from JSON to binary, audit
/// records re-keyed by (index, 0).
fn migrate_v1(txn: &redb::WriteTransaction) -> Result<(), StoreError> {
    const AUDIT_V1: TableDefinition<u64, &[u8]> = TableDefinition::new("audit");
    let kv: Vec<(String, Vec<u8>)> = {
        let table = txn.open_table(KV).ctx("open kv table")?;
        let rows = (table.iter().ctx("scan kv")?)
            .map(|item| {
                let (k, v) = item.ctx("scan kv")?;
                let entry: KvEntry = decode("kv entry (schema 1)", v.value())?;
                Ok((k.value().to_string(), entry.to_bytes()))
            })
            .collect::<Result<_, StoreError>>()?;
        rows
    };
    {
        let mut table = txn.open_table(KV).ctx("open kv table")?;
        for (k, v) in &kv {
            table.insert(k.as_str(), v.as_slice()).ctx("rewrite kv")?;
        }
    }
    let audit: Vec<(u64, Vec<u8>)> = match txn.open_table(AUDIT_V1) {
        Ok(table) => (table.iter().ctx("scan audit")?)
            .map(|item| {
                let (k, v) = item.ctx("scan audit")?;
                Ok((k.value(), v.value().to_vec()))
            })
            .collect::<Result<_, StoreError>>()?,
        Err(redb::TableError::TableDoesNotExist(_)) => Vec::new(),
        Err(e) => return Err::<(), _>(e).ctx("open schema 1 audit table"),
    };
    txn.delete_table(AUDIT_V1)
        .ctx("drop schema 1 audit table")?;
    let mut table = txn.open_table(AUDIT).ctx("create audit table")?;
    for (index, record) in &audit {
        table
            .insert((*index, 0), record.as_slice())
            .ctx("rewrite audit")?;
    }
    Ok(())
}

/// Opens (creating if absent) `dir/raft.redb` and returns the log store and state machine sharing it.
pub fn open(dir: &Path) -> Result<(LogStore, StateMachine), StoreError> {
    open_with(dir, DEFAULT_KEEP_SNAPSHOTS)
}

/// Like [`open`], keeping at most `keep_snapshots` (at least 1) snapshot files.
pub fn open_with(
    dir: &Path,
    keep_snapshots: usize,
) -> Result<(LogStore, StateMachine), StoreError> {
    open_cached(dir, keep_snapshots, DEFAULT_CACHE)
}

/// redb's default page cache, a tenth of it for dirty pages.
const DEFAULT_CACHE: usize = 1 << 30;

fn open_cached(
    dir: &Path,
    keep_snapshots: usize,
    cache_bytes: usize,
) -> Result<(LogStore, StateMachine), StoreError> {
    crate::engine::state::create_private_dir(dir).map_err(|e| StoreError::Io {
        path: e.path,
        source: e.source,
    })?;
    let path = dir.join(DB_FILE);
    let db = Database::builder()
        .set_cache_size(cache_bytes)
        .create(&path)
        .map_err(|source| StoreError::Open {
            path: path.clone(),
            source,
        })?;
    // redb creates the file with the process umask; the store is for the node's user only.
    {
        use std::os::unix::fs::PermissionsExt;
        let private = std::fs::Permissions::from_mode(crate::engine::util::fsutil::PRIVATE_MODE);
        std::fs::set_permissions(&path, private).map_err(|source| StoreError::Io {
            path: path.clone(),
            source,
        })?;
    }
    let txn = db.begin_write().ctx("begin schema check")?;
    let found = {
        let mut meta = txn.open_table(META).ctx("open meta table")?;
        let found: Option<u64> = (meta.get("schema_version").ctx("read schema version")?)
            .map(|v| decode("schema version", v.value()))
            .transpose()?;
        match found {
            Some(found) if found > SCHEMA_VERSION => {
                return Err(StoreError::FutureSchema {
                    path,
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
            Some(SCHEMA_VERSION) | Some(SCHEMA_LOG_IN_TABLE) => {}
            Some(1) => {
                migrate_v1(&txn)?;
                let v = encode("schema version", &SCHEMA_LOG_IN_TABLE)?;
                meta.insert("schema_version", v.as_slice())
                    .ctx("write schema version")?;
                tracing::info!(path = %path.display(), "raft database migrated from schema 1");
            }
            // Missing means a fresh file. 2 -> 4: the state machine turns the old kv and audit
            // tables into a snapshot file when it opens. 3 -> 4: the log may now hold audit
            // commands; nothing stored changes. Each only needs the new stamp.
            _ => {
                let v = encode("schema version", &SCHEMA_LOG_IN_TABLE)?;
                meta.insert("schema_version", v.as_slice())
                    .ctx("write schema version")?;
            }
        }
        // Create every table up front so read transactions never meet a missing one.
        txn.open_table(LOGS).ctx("create logs table")?;
        txn.open_table(SM_META).ctx("create sm_meta table")?;
        found
    };
    txn.commit().ctx("commit schema")?;
    if found != Some(SCHEMA_VERSION) {
        migrate_log(&db, dir)?;
    }
    let purged = log_store::last_purged(&db)?;
    let (wal, shared) = wal::Wal::open(&dir.join(wal::WAL_DIR), purged.map(|p| p.index))?;
    let db = Arc::new(db);
    let sm = StateMachine::new(db.clone(), dir.join("snapshots"), keep_snapshots.max(1))?;
    // redb syncs the file's contents, not its directory entry (nor that of snapshots/).
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    Ok((LogStore::new(db, wal, shared), sm))
}

/// Schema 4 to 5: the log moves from the `logs` table into the write-ahead log. The entries
/// are written to `wal.migrating`, read back and compared, and only then does that become
/// `wal` and the table get emptied, with the new schema stamp, in one transaction. Until
/// that commit the table is the copy of record: a crash anywhere before it leaves schema
/// 4 and its table, and the next open starts over (a `wal` left by such a crash is
/// dropped, not trusted).
fn migrate_log(db: &Database, dir: &Path) -> Result<(), StoreError> {
    let wal_dir = dir.join(wal::WAL_DIR);
    let staging = dir.join("wal.migrating");
    for leftover in [&staging, &wal_dir] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover).map_err(|source| StoreError::Io {
                path: leftover.clone(),
                source,
            })?;
        }
    }
    let rows: Vec<(openraft::LogId<u64>, Vec<u8>)> = {
        let txn = db.begin_read().ctx("begin read")?;
        let logs = txn.open_table(LOGS).ctx("open logs table")?;
        (logs.iter().ctx("scan log")?)
            .map(|item| {
                let (_, v) = item.ctx("scan log")?;
                let entry: openraft::Entry<TypeConfig> = decode("log entry", v.value())?;
                Ok((entry.log_id, v.value().to_vec()))
            })
            .collect::<Result<_, StoreError>>()?
    };
    if !rows.is_empty() {
        {
            let (mut w, _) = wal::Wal::open(&staging, None)?;
            for chunk in rows.chunks(1024) {
                w.append(chunk)?;
            }
        }
        let back = wal::read_offline(&staging, 0)?;
        let same = back.len() == rows.len()
            && back.iter().zip(&rows).all(|(e, (id, bytes))| {
                e.log_id == *id
                    && decode::<openraft::Entry<TypeConfig>>("log entry", bytes)
                        .is_ok_and(|d| d == *e)
            });
        // The same holes check the log gets on every open, made before the move commits:
        // a log the new store would refuse stays in the table, which x0t 0.1.0 still reads.
        let purged = log_store::last_purged(db)?.map(|p| p.index);
        let kept: Vec<u64> = (back.iter().map(|e| e.log_id.index))
            .filter(|i| purged.is_none_or(|p| *i > p))
            .collect();
        let first = purged.map_or(kept.first().copied(), |p| Some(p + 1));
        let gapless = kept
            .iter()
            .enumerate()
            .all(|(n, i)| first.is_some_and(|f| *i == f + n as u64));
        if !gapless {
            return Err(StoreError::BadLog {
                path: dir.join(DB_FILE),
                offset: 0,
                why: format!(
                    "the log table has holes after its purge point ({purged:?}); the store stays at schema 4"
                ),
            });
        }
        if !same {
            return Err(StoreError::BadLog {
                path: staging,
                offset: 0,
                why: format!(
                    "moving {} log entries out of the database: they did not read back the same",
                    rows.len()
                ),
            });
        }
        std::fs::rename(&staging, &wal_dir).map_err(|source| StoreError::Io {
            path: staging.clone(),
            source,
        })?;
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        tracing::info!(entries = rows.len(), dir = %wal_dir.display(), "raft log moved into its write-ahead log (schema 5)");
    }
    let txn = db.begin_write().ctx("begin log move")?;
    {
        txn.open_table(LOGS)
            .ctx("open logs table")?
            .retain(|_, _| false)
            .ctx("empty logs table")?;
        let v = encode("schema version", &SCHEMA_VERSION)?;
        txn.open_table(META)
            .ctx("open meta table")?
            .insert("schema_version", v.as_slice())
            .ctx("write schema version")?;
    }
    txn.commit().ctx("commit log move")
}

impl From<crate::engine::snapshot::payload::Malformed> for StoreError {
    fn from(e: crate::engine::snapshot::payload::Malformed) -> StoreError {
        StoreError::Malformed { what: e.what }
    }
}

/// The node's raft store, as an offline restore reads and rebuilds it.
pub struct OfflineStore;

impl crate::engine::snapshot::restore::RaftData for OfflineStore {
    fn peek(&self, dir: &Path) -> Result<Option<Existing>, DataError> {
        peek(dir).map_err(|e| data_error(dir, e))
    }

    fn rebuild(
        &self,
        dir: &Path,
        keep_snapshots: usize,
        doc: SnapshotDoc<'_>,
        membership: openraft::Membership<u64, MeshNode>,
        raft_id: u64,
    ) -> Result<(), DataError> {
        // A store that cannot be opened here is not "in use": the staging directory is
        // fresh; keep the cause.
        restore(dir, keep_snapshots, doc, membership, raft_id)
            .map(|_| ())
            .map_err(|e| DataError::Other(Box::new(e)))
    }
}

fn data_error(dir: &Path, e: StoreError) -> DataError {
    match e {
        StoreError::Open { .. } => DataError::InUse {
            db: dir.join(DB_FILE),
        },
        other => DataError::Other(Box::new(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peek_scratch_directory_is_private_and_unpredictable() {
        use std::os::unix::fs::PermissionsExt;
        let near = Path::new("/nonexistent");
        let (a, b) = (tempfile_dir(near).unwrap(), tempfile_dir(near).unwrap());
        assert_ne!(a, b, "each peek gets its own name");
        for dir in [&a, &b] {
            let meta = std::fs::symlink_metadata(dir).unwrap();
            assert!(meta.is_dir());
            assert_eq!(
                meta.permissions().mode() & 0o777,
                0o700,
                "{}",
                dir.display()
            );
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            assert_eq!(name.len(), "x0t-peek-".len() + 24, "{name}");
            std::fs::remove_dir(dir).unwrap();
        }
    }
}
