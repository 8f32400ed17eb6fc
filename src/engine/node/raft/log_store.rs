//! The raft log, vote and log pointers, kept durably in the shared redb file.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::ops::{Bound, RangeBounds};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use openraft::storage::{LogFlushed, LogState, RaftLogStorage};
use openraft::{ErrorSubject, ErrorVerb, LogId, OptionalSend, RaftLogReader, StorageError, Vote};
use redb::{Database, Durability, ReadableDatabase, ReadableTable};

use crate::engine::node::raft::{
    blocking, decode, encode, DbContext, StoreError, TypeConfig, LOGS, META,
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
        rows: Vec<(u64, Vec<u8>)>,
        ids: Vec<LogId<u64>>,
        callback: LogFlushed<TypeConfig>,
    },
    /// Answered once every job before it is committed, purges included.
    Barrier(tokio::sync::oneshot::Sender<()>),
    /// Delete entries up to and including this one. The writer deletes them a chunk at a
    /// time between appends, so a purge of thousands of entries never holds up a write.
    Purge(LogId<u64>),
}

/// Entries deleted per purge transaction: a few milliseconds of redb work.
const PURGE_CHUNK: u64 = 256;

/// Raft log storage. Cheap to clone; clones share the database, the writer thread and the
/// sync counter.
///
/// `append` returns at once: a dedicated writer thread commits appends durably, several at a
/// time when they queue up (one fsync for all), and only then fires their flush callbacks,
/// which is when raft counts this node's copy. Until then the entries are served from
/// memory, so the leader replicates while its own fsync runs.
#[derive(Clone)]
pub struct LogStore {
    db: Arc<Database>,
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
    pub(crate) fn new(db: Arc<Database>) -> Self {
        let (tx, rx) = mpsc::channel();
        let (syncs, pending): (Arc<AtomicU64>, Pending) = Default::default();
        let (d, s, p) = (db.clone(), syncs.clone(), pending.clone());
        let thread = std::thread::Builder::new()
            .name("x0t-log-writer".into())
            .spawn(move || write_loop(&d, &rx, &s, &p))
            .expect("spawn the log writer thread");
        Self {
            db,
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
        let (mut start, end) = span(range);
        // Entries being purged in the background are gone as far as readers are concerned.
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
        let txn = self.db.begin_read().ctx("begin read")?;
        let logs = txn.open_table(LOGS).ctx("open logs table")?;
        let iter = logs.range::<u64>(range).ctx("read log entries")?;
        iter.map(|item| decode("log entry", item.ctx("read log entry")?.1.value()))
            .collect()
    }
}

/// Commits queued appends, as many as are waiting, in one durable transaction each round.
fn write_loop(
    db: &Database,
    rx: &mpsc::Receiver<Job>,
    syncs: &AtomicU64,
    pending: &Mutex<BTreeMap<u64, Entry>>,
) {
    // Where a background purge still has to go.
    let mut purge: Option<LogId<u64>> = None;
    loop {
        let first = match purge {
            // Appends first; with none waiting, one chunk of the purge.
            Some(upto) => match rx.try_recv() {
                Ok(job) => job,
                Err(mpsc::TryRecvError::Empty) => {
                    purge = purge_chunk(db, upto);
                    continue;
                }
                Err(mpsc::TryRecvError::Disconnected) => return,
            },
            None => match rx.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
        };
        let mut jobs = vec![first];
        jobs.extend(rx.try_iter());
        let (mut appends, mut barriers) = (Vec::new(), Vec::new());
        for job in jobs {
            match job {
                Job::Append {
                    rows,
                    ids,
                    callback,
                } => appends.push((rows, ids, callback)),
                Job::Barrier(tx) => barriers.push(tx),
                Job::Purge(upto) => purge = purge.max(Some(upto)),
            }
        }
        if !appends.is_empty() {
            let commit = || -> Result<(), StoreError> {
                let txn = db.begin_write().ctx("begin append")?;
                {
                    let mut logs = txn.open_table(LOGS).ctx("open logs table")?;
                    for (index, bytes) in appends.iter().flat_map(|(rows, _, _)| rows) {
                        logs.insert(index, bytes.as_slice())
                            .ctx("append log entry")?;
                    }
                }
                txn.commit().ctx("commit appended entries")
            };
            let result = commit();
            if result.is_ok() {
                syncs.fetch_add(1, Ordering::SeqCst);
                // Durable now: readers find them in the database. Keep an entry that was
                // truncated and appended again meanwhile (another log id at that index).
                let mut p = pending.lock().unwrap_or_else(|e| e.into_inner());
                for id in appends.iter().flat_map(|(_, ids, _)| ids) {
                    if p.get(&id.index).is_some_and(|e| e.log_id == *id) {
                        p.remove(&id.index);
                    }
                }
            }
            for (_, _, callback) in appends {
                callback.log_io_completed(match &result {
                    Ok(()) => Ok(()),
                    Err(e) => Err(std::io::Error::other(e.to_string())),
                });
            }
        }
        if !barriers.is_empty() {
            while let Some(upto) = purge {
                purge = purge_chunk(db, upto);
            }
        }
        for tx in barriers {
            let _ = tx.send(());
        }
    }
}

/// Deletes the oldest entries up to `upto`, at most [`PURGE_CHUNK`] of them, and moves the
/// purge pointer to the last one deleted in the same transaction, so the log never has a
/// hole. Returns what is left to do.
fn purge_chunk(db: &Database, upto: LogId<u64>) -> Option<LogId<u64>> {
    let step = || -> Result<bool, StoreError> {
        let mut txn = db.begin_write().ctx("begin purge")?;
        // No fsync of its own: the next append's durable commit carries it. Lost in a crash,
        // a chunk only leaves the log longer; pointer and deletion still go together.
        txn.set_durability(Durability::None)
            .ctx("set purge durability")?;
        let done = {
            let mut logs = txn.open_table(LOGS).ctx("open logs table")?;
            let first = logs
                .first()
                .ctx("read first log entry")?
                .map(|(k, _)| k.value());
            // The chunk ends at `upto`, or earlier at an entry whose id becomes the pointer.
            let (end, done) = match first {
                Some(f) if f.saturating_add(PURGE_CHUNK) <= upto.index => {
                    let end = f + PURGE_CHUNK - 1;
                    let entry = logs.get(end).ctx("read log entry")?;
                    match entry {
                        Some(v) => (decode::<Entry>("log entry", v.value())?.log_id, false),
                        None => (upto, true),
                    }
                }
                _ => (upto, true),
            };
            let pointer = encode(LAST_PURGED, &end)?;
            logs.retain_in(..=end.index, |_, _| false)
                .ctx("purge log")?;
            txn.open_table(META)
                .ctx("open meta table")?
                .insert(LAST_PURGED, pointer.as_slice())
                .ctx("write last purged")?;
            done
        };
        txn.commit().ctx("commit purge")?;
        Ok(done)
    };
    match step() {
        Ok(true) => None,
        Ok(false) => Some(upto),
        Err(error) => {
            // The entries stay until the next purge; the log is only longer than it needs be.
            tracing::error!(%error, "cannot purge the raft log");
            None
        }
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
        let rows: Vec<(u64, Vec<u8>)> = entries
            .iter()
            .map(|e| Ok((e.log_id.index, encode("log entry", e)?)))
            .collect::<Result<_, StoreError>>()
            .map_err(log_err(ErrorVerb::Write))?;
        let ids = entries.iter().map(|e| e.log_id).collect();
        {
            let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            p.extend(entries.into_iter().map(|e| (e.log_id.index, e)));
        }
        // The writer commits durably and only then fires the callback: raft counts this
        // node's copy towards a quorum from that moment, not from this return.
        self.writer
            .send(Job::Append {
                rows,
                ids,
                callback,
            })
            .map_err(log_err(ErrorVerb::Write))
    }

    async fn truncate(&mut self, log_id: LogId<u64>) -> Result<(), StorageError<u64>> {
        self.barrier().await.map_err(log_err(ErrorVerb::Delete))?;
        (self.pending.lock().unwrap_or_else(|e| e.into_inner())).retain(|i, _| *i < log_id.index);
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

    // Returns at once: raft waits for this call, and deleting thousands of entries in one
    // transaction held up every write behind it (0.4-0.5 s after each snapshot). The writer
    // deletes them in chunks after the appends queued before this call; each chunk moves the
    // stored pointer with it, so a crash midway leaves a shorter purge, never a hole. Reads
    // hide the purged entries from now on.
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
