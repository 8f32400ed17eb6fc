//! The raft log, vote and log pointers, kept durably in the shared redb file.

use std::fmt::Debug;
use std::ops::{Bound, RangeBounds};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use openraft::storage::{LogFlushed, LogState, RaftLogStorage};
use openraft::{ErrorSubject, ErrorVerb, LogId, OptionalSend, RaftLogReader, StorageError, Vote};
use redb::{Database, Durability, ReadableDatabase, ReadableTable};

use super::{blocking, decode, encode, DbContext, StoreError, TypeConfig, LOGS, META};

type Entry = openraft::Entry<TypeConfig>;

const VOTE: &str = "vote";
const LAST_PURGED: &str = "last_purged";

/// Raft log storage. Cheap to clone; clones share the database and the sync counter.
#[derive(Clone)]
pub struct LogStore {
    db: Arc<Database>,
    syncs: Arc<AtomicU64>,
}

impl LogStore {
    pub(crate) fn new(db: Arc<Database>) -> Self {
        Self {
            db,
            syncs: Arc::default(),
        }
    }

    /// How many appends have been durably committed; bumped before the append is acknowledged,
    /// so tests can check that an acknowledged write was synced first.
    pub fn sync_count(&self) -> u64 {
        self.syncs.load(Ordering::SeqCst)
    }

    /// Offline restore: an empty log that starts right after `last` (as if purged up to it)
    /// and `vote`, in one durable transaction.
    pub(crate) fn reset_behind(&self, last: LogId<u64>, vote: Vote<u64>) -> Result<(), StoreError> {
        let (purged, vote) = (encode(LAST_PURGED, &last)?, encode(VOTE, &vote)?);
        let txn = self.db.begin_write().ctx("begin log reset")?;
        {
            let mut meta = txn.open_table(META).ctx("open meta table")?;
            meta.insert(LAST_PURGED, purged.as_slice())
                .ctx("write last purged")?;
            meta.insert(VOTE, vote.as_slice()).ctx("write vote")?;
            txn.open_table(LOGS)
                .ctx("open logs table")?
                .retain(|_, _| false)
                .ctx("clear log")?;
        }
        txn.commit().ctx("commit log reset")
    }

    fn read_meta<T: serde::de::DeserializeOwned>(
        &self,
        key: &'static str,
    ) -> Result<Option<T>, StoreError> {
        let txn = self.db.begin_read().ctx("begin read")?;
        let table = txn.open_table(META).ctx("open meta table")?;
        let value = table.get(key).ctx("read log meta")?;
        value.map(|v| decode(key, v.value())).transpose()
    }

    /// Writes one meta value in its own transaction.
    async fn write_meta<T: serde::Serialize>(
        &self,
        key: &'static str,
        value: &T,
        durability: Durability,
    ) -> Result<(), StoreError> {
        let bytes = encode(key, value)?;
        let db = self.db.clone();
        blocking(move || {
            let mut txn = db.begin_write().ctx("begin write")?;
            txn.set_durability(durability).ctx("set durability")?;
            txn.open_table(META)
                .ctx("open meta table")?
                .insert(key, bytes.as_slice())
                .ctx("write log meta")?;
            txn.commit().ctx("commit log meta")
        })
        .await
    }

    fn log_state(&self) -> Result<LogState<TypeConfig>, StoreError> {
        // One read transaction, so a purge cannot land between the two reads.
        let txn = self.db.begin_read().ctx("begin read")?;
        let meta = txn.open_table(META).ctx("open meta table")?;
        let last_purged_log_id: Option<LogId<u64>> =
            (meta.get(LAST_PURGED).ctx("read last purged")?)
                .map(|v| decode(LAST_PURGED, v.value()))
                .transpose()?;
        let logs = txn.open_table(LOGS).ctx("open logs table")?;
        let last = match logs.last().ctx("read last log entry")? {
            Some((_, v)) => Some(decode::<Entry>("log entry", v.value())?.log_id),
            None => None,
        };
        Ok(LogState {
            last_purged_log_id,
            last_log_id: last.or(last_purged_log_id),
        })
    }

    fn entries(&self, range: (Bound<u64>, Bound<u64>)) -> Result<Vec<Entry>, StoreError> {
        let txn = self.db.begin_read().ctx("begin read")?;
        let logs = txn.open_table(LOGS).ctx("open logs table")?;
        let iter = logs.range::<u64>(range).ctx("read log entries")?;
        iter.map(|item| decode("log entry", item.ctx("read log entry")?.1.value()))
            .collect()
    }
}

fn log_err(verb: ErrorVerb) -> impl FnOnce(StoreError) -> StorageError<u64> {
    move |e| e.into_raft(ErrorSubject::Logs, verb)
}

// Reads run inline: redb read transactions are MVCC snapshots that never wait for a writer and
// only touch cached pages or do short preads, unlike commits which go through `blocking`.
impl RaftLogReader<TypeConfig> for LogStore {
    async fn try_get_log_entries<RB: RangeBounds<u64> + Clone + Debug + OptionalSend>(
        &mut self,
        range: RB,
    ) -> Result<Vec<Entry>, StorageError<u64>> {
        let bounds = (range.start_bound().cloned(), range.end_bound().cloned());
        self.entries(bounds).map_err(log_err(ErrorVerb::Read))
    }
}

impl RaftLogStorage<TypeConfig> for LogStore {
    type LogReader = Self;

    async fn get_log_state(&mut self) -> Result<LogState<TypeConfig>, StorageError<u64>> {
        self.log_state().map_err(log_err(ErrorVerb::Read))
    }

    async fn get_log_reader(&mut self) -> Self::LogReader {
        self.clone()
    }

    async fn save_vote(&mut self, vote: &Vote<u64>) -> Result<(), StorageError<u64>> {
        // Durable before returning: a vote forgotten after a crash lets a node vote twice in a term.
        self.write_meta(VOTE, vote, Durability::Immediate)
            .await
            .map_err(|e| e.into_raft(ErrorSubject::Vote, ErrorVerb::Write))
    }

    async fn read_vote(&mut self) -> Result<Option<Vote<u64>>, StorageError<u64>> {
        self.read_meta(VOTE)
            .map_err(|e| e.into_raft(ErrorSubject::Vote, ErrorVerb::Read))
    }

    // save_committed/read_committed keep openraft's defaults (not stored): the state machine's
    // last applied id is durable, and a restarted node re-learns the commit point from the
    // leader. Storing it would cost a write transaction on every node for every commit.

    async fn append<I>(
        &mut self,
        entries: I,
        callback: LogFlushed<TypeConfig>,
    ) -> Result<(), StorageError<u64>>
    where
        I: IntoIterator<Item = Entry> + OptionalSend,
        I::IntoIter: OptionalSend,
    {
        let rows: Vec<(u64, Vec<u8>)> = entries
            .into_iter()
            .map(|e| Ok((e.log_id.index, encode("log entry", &e)?)))
            .collect::<Result<_, StoreError>>()
            .map_err(log_err(ErrorVerb::Write))?;
        let (db, syncs) = (self.db.clone(), self.syncs.clone());
        // The whole batch commits in one durable transaction, and only then is it acknowledged:
        // raft counts this node's copy towards a quorum as soon as the callback fires.
        blocking(move || {
            let txn = db.begin_write().ctx("begin append")?;
            {
                let mut logs = txn.open_table(LOGS).ctx("open logs table")?;
                for (index, bytes) in &rows {
                    logs.insert(index, bytes.as_slice())
                        .ctx("append log entry")?;
                }
            }
            let result = txn.commit().ctx("commit appended entries");
            match &result {
                Ok(()) => {
                    syncs.fetch_add(1, Ordering::SeqCst);
                    callback.log_io_completed(Ok(()));
                }
                Err(e) => callback.log_io_completed(Err(std::io::Error::other(e.to_string()))),
            }
            result
        })
        .await
        .map_err(log_err(ErrorVerb::Write))
    }

    async fn truncate(&mut self, log_id: LogId<u64>) -> Result<(), StorageError<u64>> {
        let db = self.db.clone();
        blocking(move || {
            let txn = db.begin_write().ctx("begin truncate")?;
            txn.open_table(LOGS)
                .ctx("open logs table")?
                .retain_in(log_id.index.., |_, _| false)
                .ctx("truncate log")?;
            txn.commit().ctx("commit truncate")
        })
        .await
        .map_err(log_err(ErrorVerb::Delete))
    }

    async fn purge(&mut self, log_id: LogId<u64>) -> Result<(), StorageError<u64>> {
        let (db, purged) = (
            self.db.clone(),
            encode(LAST_PURGED, &log_id).map_err(log_err(ErrorVerb::Write))?,
        );
        // The pointer and the deletion commit together so the log never looks like it has a hole.
        blocking(move || {
            let txn = db.begin_write().ctx("begin purge")?;
            txn.open_table(META)
                .ctx("open meta table")?
                .insert(LAST_PURGED, purged.as_slice())
                .ctx("write last purged")?;
            txn.open_table(LOGS)
                .ctx("open logs table")?
                .retain_in(..=log_id.index, |_, _| false)
                .ctx("purge log")?;
            txn.commit().ctx("commit purge")
        })
        .await
        .map_err(log_err(ErrorVerb::Delete))
    }
}
