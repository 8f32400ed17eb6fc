//! The raft log store: entries in the write-ahead log (`wal`), the vote and the purge point
//! in the shared redb file.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::ops::{Bound, RangeBounds};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use openraft::storage::{LogFlushed, LogState, RaftLogStorage};
use openraft::{ErrorSubject, ErrorVerb, LogId, OptionalSend, RaftLogReader, StorageError, Vote};
use redb::{Database, Durability, ReadableDatabase};

use crate::engine::node::raft::wal::{self, Wal};
use crate::engine::node::raft::{
    blocking, decode, encode, DbContext, StoreError, TypeConfig, META,
};

type Entry = openraft::Entry<TypeConfig>;

const VOTE: &str = "vote";
const LAST_PURGED: &str = "last_purged";

/// The last log id purged from the log in `db`: entries up to it are gone.
pub(super) fn last_purged(db: &Database) -> Result<Option<LogId<u64>>, StoreError> {
    let txn = db.begin_read().ctx("begin read")?;
    let meta = txn.open_table(META).ctx("open meta table")?;
    (meta.get(LAST_PURGED).ctx("read last purged")?)
        .map(|v| decode(LAST_PURGED, v.value()))
        .transpose()
}

/// Entries handed to the writer and not yet committed: readable before they are durable, so
/// replication can send them while the local fsync runs.
type Pending = Arc<Mutex<BTreeMap<u64, Entry>>>;

enum Job {
    Append {
        rows: Vec<(LogId<u64>, Vec<u8>)>,
        callback: LogFlushed<TypeConfig>,
    },
    /// Answered once every job before it is done, purges included.
    Barrier(tokio::sync::oneshot::Sender<()>),
    /// Forget entries up to and including this one (whole segments are deleted).
    Purge(LogId<u64>),
    /// Remove entries from this index on, durably.
    Truncate(u64, tokio::sync::oneshot::Sender<Result<(), String>>),
    /// Empty the log (an offline restore).
    Reset(mpsc::Sender<Result<(), String>>),
}

/// Raft log storage. Cheap to clone; clones share the database, the log, the writer thread
/// and the sync counter.
///
/// `append` returns at once: a dedicated writer thread writes appends to the log, several at
/// a time when they queue up (one write and one fdatasync for all), and only then fires
/// their flush callbacks, which is when raft counts this node's copy. Until then the entries
/// are served from memory, so the leader replicates while its own sync runs.
#[derive(Clone)]
pub struct LogStore {
    db: Arc<Database>,
    log: wal::Shared,
    syncs: Arc<AtomicU64>,
    pending: Pending,
    writer: Arc<Writer>,
    /// The newest purge asked for: reads hide entries up to it while the writer is still
    /// deleting them.
    purged: Arc<Mutex<Option<LogId<u64>>>>,
}

/// The writer thread's queue. Dropping the last handle closes the queue and joins the
/// thread, so the database is closed once the store is gone (it can be reopened at once).
struct Writer {
    tx: Option<mpsc::Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Writer {
    fn send(&self, job: Job) -> Result<(), StoreError> {
        (self.tx.as_ref())
            .and_then(|tx| tx.send(job).ok())
            .ok_or_else(writer_stopped)
    }
}

fn writer_stopped() -> StoreError {
    StoreError::Io {
        path: "raft log writer".into(),
        source: std::io::Error::other("the log writer stopped"),
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        drop(self.tx.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl LogStore {
    pub(crate) fn new(db: Arc<Database>, wal: Wal, log: wal::Shared) -> Self {
        let (tx, rx) = mpsc::channel();
        let (syncs, pending): (Arc<AtomicU64>, Pending) = Default::default();
        let (d, s, p) = (db.clone(), syncs.clone(), pending.clone());
        let thread = std::thread::Builder::new()
            .name("x0t-log-writer".into())
            .spawn(move || write_loop(&d, wal, &rx, &s, &p))
            .expect("spawn the log writer thread");
        Self {
            db,
            log,
            syncs,
            pending,
            writer: Arc::new(Writer {
                tx: Some(tx),
                thread: Some(thread),
            }),
            purged: Arc::default(),
        }
    }

    /// Waits until every append handed to the writer so far is committed.
    async fn barrier(&self) -> Result<(), StoreError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.writer.send(Job::Barrier(tx))?;
        rx.await.map_err(|_| writer_stopped())
    }

    /// How many appends have been durably committed; bumped before the append is acknowledged,
    /// so tests can check that an acknowledged write was synced first.
    pub fn sync_count(&self) -> u64 {
        self.syncs.load(Ordering::SeqCst)
    }

    /// Offline restore: an empty log that starts right after `last` (as if purged up to it)
    /// and `vote`. The pointer and the vote go first, in one durable transaction: from then
    /// on whatever the log still holds is behind the pointer.
    pub(crate) fn reset_behind(&self, last: LogId<u64>, vote: Vote<u64>) -> Result<(), StoreError> {
        let (purged, vote) = (encode(LAST_PURGED, &last)?, encode(VOTE, &vote)?);
        let txn = self.db.begin_write().ctx("begin log reset")?;
        {
            let mut meta = txn.open_table(META).ctx("open meta table")?;
            meta.insert(LAST_PURGED, purged.as_slice())
                .ctx("write last purged")?;
            meta.insert(VOTE, vote.as_slice()).ctx("write vote")?;
        }
        txn.commit().ctx("commit log reset")?;
        let (tx, rx) = mpsc::channel();
        self.writer.send(Job::Reset(tx))?;
        rx.recv()
            .map_err(|_| writer_stopped())?
            .map_err(|e| StoreError::Io {
                path: "raft log".into(),
                source: std::io::Error::other(e),
            })
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
        let last_purged_log_id: Option<LogId<u64>> = self.read_meta(LAST_PURGED)?;
        let last = self.log.read().unwrap_or_else(|e| e.into_inner()).last();
        Ok(LogState {
            last_purged_log_id,
            last_log_id: last.or(last_purged_log_id),
        })
    }

    fn entries(&self, range: (Bound<u64>, Bound<u64>)) -> Result<Vec<Entry>, StoreError> {
        let (mut start, end) = span(range);
        // Entries purged are gone as far as readers are concerned.
        if let Some(p) = *self.purged.lock().unwrap_or_else(|e| e.into_inner()) {
            start = start.max(p.index.saturating_add(1));
        }
        if end.is_some_and(|e| start >= e) {
            return Ok(Vec::new());
        }
        let range = (
            Bound::Included(start),
            end.map_or(Bound::Unbounded, Bound::Excluded),
        );
        wal::read(&self.log, range)
    }
}

/// An append waiting for its batch: its entries (id, JSON) and whom to tell.
type Queued = (Vec<(LogId<u64>, Vec<u8>)>, LogFlushed<TypeConfig>);

/// Writes queued jobs in order, consecutive appends together: one write and one sync for
/// all of them.
fn write_loop(
    db: &Database,
    mut wal: Wal,
    rx: &mpsc::Receiver<Job>,
    syncs: &AtomicU64,
    pending: &Mutex<BTreeMap<u64, Entry>>,
) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        jobs.extend(rx.try_iter());
        let mut appends: Vec<Queued> = Vec::new();
        let mut barriers = Vec::new();
        // Every job in the order it was issued: appends queued together share one write,
        // but never pass a purge, truncation or reset issued before them.
        for job in jobs {
            match job {
                Job::Append { rows, callback } => appends.push((rows, callback)),
                Job::Barrier(tx) => barriers.push(tx),
                Job::Purge(upto) => {
                    flush(&mut wal, std::mem::take(&mut appends), syncs, pending);
                    purge_to(db, &mut wal, upto);
                }
                Job::Truncate(since, reply) => {
                    flush(&mut wal, std::mem::take(&mut appends), syncs, pending);
                    let _ = reply.send(wal.truncate(since).map_err(|e| e.to_string()));
                }
                Job::Reset(reply) => {
                    flush(&mut wal, std::mem::take(&mut appends), syncs, pending);
                    let _ = reply.send(wal.reset().map_err(|e| e.to_string()));
                }
            }
        }
        flush(&mut wal, appends, syncs, pending);
        for tx in barriers {
            let _ = tx.send(());
        }
    }
}

/// Writes `appends` as one batch, then fires their callbacks with the outcome.
fn flush(
    wal: &mut Wal,
    appends: Vec<Queued>,
    syncs: &AtomicU64,
    pending: &Mutex<BTreeMap<u64, Entry>>,
) {
    if appends.is_empty() {
        return;
    }
    let rows: Vec<(LogId<u64>, Vec<u8>)> = (appends.iter())
        .flat_map(|(rows, _)| rows.iter().cloned())
        .collect();
    let result = wal.append(&rows);
    if result.is_ok() {
        syncs.fetch_add(1, Ordering::SeqCst);
        // Durable now: readers find them in the log. Keep an entry that was truncated and
        // appended again meanwhile (another log id at that index).
        let mut p = pending.lock().unwrap_or_else(|e| e.into_inner());
        for (id, _) in &rows {
            if p.get(&id.index).is_some_and(|e| e.log_id == *id) {
                p.remove(&id.index);
            }
        }
    }
    for (_, callback) in appends {
        callback.log_io_completed(match &result {
            Ok(()) => Ok(()),
            Err(e) => Err(std::io::Error::other(e.to_string())),
        });
    }
}

/// Moves the purge point to `upto`, durably, before any append issued after the purge is
/// written, and only then lets the log delete what it covers: a crash between the two
/// leaves files the pointer already hides, never a pointer short of deleted entries, and
/// never entries past a gap the pointer was meant to cover (after a snapshot install, the
/// entries that follow start beyond the old log's end). A pointer that cannot be stored
/// stops the log: writing on would risk exactly that gap.
fn purge_to(db: &Database, wal: &mut Wal, upto: LogId<u64>) {
    let pointer = || -> Result<(), StoreError> {
        let pointer = encode(LAST_PURGED, &upto)?;
        let txn = db.begin_write().ctx("begin purge")?;
        txn.open_table(META)
            .ctx("open meta table")?
            .insert(LAST_PURGED, pointer.as_slice())
            .ctx("write last purged")?;
        txn.commit().ctx("commit purge")
    };
    if let Err(error) = pointer() {
        tracing::error!(%error, "cannot store the raft log's purge point; the log stops");
        wal.fail(format!("storing the purge point failed: {error}"));
        return;
    }
    if let Err(error) = wal.purge(upto.index) {
        // The pointer hides the entries; their files stay until the next purge.
        tracing::error!(%error, "cannot delete purged raft log segments");
    }
}

/// The indexes of `range` as `start..end`, `end` being `None` for an unbounded range.
fn span(range: (Bound<u64>, Bound<u64>)) -> (u64, Option<u64>) {
    let start = match range.0 {
        Bound::Included(i) => i,
        Bound::Excluded(i) => i.saturating_add(1),
        Bound::Unbounded => 0,
    };
    let end = match range.1 {
        Bound::Included(i) => Some(i.saturating_add(1)),
        Bound::Excluded(i) => Some(i),
        Bound::Unbounded => None,
    };
    (start, end)
}

/// Whether `entries` (in index order, no gaps) are every index of a bounded `range`.
fn covers(entries: &[Entry], range: (Bound<u64>, Bound<u64>)) -> bool {
    let (start, Some(end)) = span(range) else {
        return false;
    };
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return start >= end;
    };
    first.log_id.index == start
        && last.log_id.index + 1 == end
        && entries.len() as u64 == end - start
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
        // Pending first: an entry committed between the two reads is then in the database.
        let overlay: Vec<Entry> = {
            let p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            p.range(bounds).map(|(_, e)| e.clone()).collect()
        };
        // Replication mostly asks for entries still in flight: when they cover the whole range
        // the database has nothing to add.
        if covers(&overlay, bounds) {
            return Ok(overlay);
        }
        let stored = self.entries(bounds).map_err(log_err(ErrorVerb::Read))?;
        if overlay.is_empty() {
            return Ok(stored);
        }
        let mut all: BTreeMap<u64, Entry> =
            stored.into_iter().map(|e| (e.log_id.index, e)).collect();
        all.extend(overlay.into_iter().map(|e| (e.log_id.index, e)));
        Ok(all.into_values().collect())
    }
}

impl RaftLogStorage<TypeConfig> for LogStore {
    type LogReader = Self;

    async fn get_log_state(&mut self) -> Result<LogState<TypeConfig>, StorageError<u64>> {
        self.barrier().await.map_err(log_err(ErrorVerb::Read))?;
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
        let entries: Vec<Entry> = entries.into_iter().collect();
        let rows: Vec<(LogId<u64>, Vec<u8>)> = entries
            .iter()
            .map(|e| Ok((e.log_id, encode("log entry", e)?)))
            .collect::<Result<_, StoreError>>()
            .map_err(log_err(ErrorVerb::Write))?;
        {
            let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            p.extend(entries.into_iter().map(|e| (e.log_id.index, e)));
        }
        // The writer commits durably and only then fires the callback: raft counts this
        // node's copy towards a quorum from that moment, not from this return.
        self.writer
            .send(Job::Append { rows, callback })
            .map_err(log_err(ErrorVerb::Write))
    }

    async fn truncate(&mut self, log_id: LogId<u64>) -> Result<(), StorageError<u64>> {
        self.barrier().await.map_err(log_err(ErrorVerb::Delete))?;
        (self.pending.lock().unwrap_or_else(|e| e.into_inner())).retain(|i, _| *i < log_id.index);
        let (tx, rx) = tokio::sync::oneshot::channel();
        (self.writer)
            .send(Job::Truncate(log_id.index, tx))
            .map_err(log_err(ErrorVerb::Delete))?;
        let done = rx.await.map_err(|_| writer_stopped());
        done.and_then(|r| {
            r.map_err(|e| StoreError::Io {
                path: "raft log".into(),
                source: std::io::Error::other(e),
            })
        })
        .map_err(log_err(ErrorVerb::Delete))
    }

    // Returns at once: raft waits for this call. The writer moves the stored pointer and
    // deletes the segments it covers after the appends queued before this call. Reads hide
    // the purged entries from now on.
    async fn purge(&mut self, log_id: LogId<u64>) -> Result<(), StorageError<u64>> {
        {
            let mut purged = self.purged.lock().unwrap_or_else(|e| e.into_inner());
            *purged = (*purged).max(Some(log_id));
        }
        (self.pending.lock().unwrap_or_else(|e| e.into_inner())).retain(|i, _| *i > log_id.index);
        self.writer
            .send(Job::Purge(log_id))
            .map_err(log_err(ErrorVerb::Delete))
    }
}

#[cfg(test)]
mod tests {
    use openraft::storage::RaftLogStorageExt;
    use openraft::{CommittedLeaderId, EntryPayload};

    use super::*;

    fn blank(index: u64) -> Entry {
        Entry {
            log_id: LogId::new(CommittedLeaderId::new(1, 1), index),
            payload: EntryPayload::Blank,
        }
    }

    #[tokio::test]
    async fn a_purge_is_stored_before_the_appends_issued_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let (mut log, _sm) = crate::engine::node::raft::open(dir.path()).unwrap();
        log.blocking_append((0..=10).map(blank)).await.unwrap();
        for round in 0..20u64 {
            // As after a snapshot install: a purge past the log's end, and at once the
            // entries that follow the snapshot.
            let upto = 100 * (round + 1);
            log.purge(blank(upto).log_id).await.unwrap();
            log.blocking_append((upto + 1..=upto + 5).map(blank))
                .await
                .unwrap();
            // Acknowledged appends imply a stored purge point: without it, a crash now
            // would leave a log with a hole.
            let stored: Option<LogId<u64>> = log.read_meta(LAST_PURGED).unwrap();
            assert_eq!(stored.map(|p| p.index), Some(upto), "round {round}");
        }
    }
}
