//! The node's durable inbox: messages addressed to it or to its workloads, kept until a
//! reader confirms them, with each sender stream's high-water mark and the ids of recent
//! messages, so that a retry is acknowledged but never stored twice.
//!
//! Writes go through one committer thread that folds whatever is queued into a single
//! redb transaction with an fsync (group commit): many frames, one fsync.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};

use prost::Message as _;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use tokio::sync::{oneshot, Notify};

use crate::engine::rpc::pb;

const MESSAGES: TableDefinition<u64, &[u8]> = TableDefinition::new("messages");
/// "origin/stream" -> the highest sequence number stored or refused.
const STREAMS: TableDefinition<&str, u64> = TableDefinition::new("streams");
/// Message id -> when it may be forgotten (unix ms).
const SEEN: TableDefinition<&[u8], u64> = TableDefinition::new("seen");
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const NEXT_INDEX: &str = "next_index";
/// How long a message id is remembered after its expiry.
const SEEN_GRACE_MS: u64 = 60_000;

#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error("inbox {path}: {message}")]
    Store { path: PathBuf, message: String },
}

fn store_err(path: &Path) -> impl Fn(String) -> InboxError + '_ {
    move |message| InboxError::Store {
        path: path.into(),
        message,
    }
}

/// One frame's worth of work for the committer.
pub struct Commit {
    pub stream: String,
    pub high_water: u64,
    pub messages: Vec<pb::InboxMessage>,
    /// (message id, forget after unix ms)
    pub ids: Vec<(Vec<u8>, u64)>,
}

type Job = (Commit, oneshot::Sender<Result<(), String>>);

pub struct Inbox {
    db: Arc<Database>,
    path: PathBuf,
    jobs: mpsc::Sender<Job>,
    /// One lock per sender stream: frames of one stream are processed one at a time.
    streams: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<u64>>>>>,
    pub arrived: Arc<Notify>,
}

impl Inbox {
    /// Opens (or creates) the inbox at `path` and starts its committer thread, which ends
    /// when the inbox is dropped.
    pub fn open(path: &Path) -> Result<Inbox, InboxError> {
        let err = store_err(path);
        let db = Database::create(path).map_err(|e| err(e.to_string()))?;
        {
            let txn = db.begin_write().map_err(|e| err(e.to_string()))?;
            txn.open_table(MESSAGES).map_err(|e| err(e.to_string()))?;
            txn.open_table(STREAMS).map_err(|e| err(e.to_string()))?;
            txn.open_table(SEEN).map_err(|e| err(e.to_string()))?;
            txn.open_table(META).map_err(|e| err(e.to_string()))?;
            txn.commit().map_err(|e| err(e.to_string()))?;
        }
        let db = Arc::new(db);
        let (tx, rx) = mpsc::channel::<Job>();
        let arrived = Arc::new(Notify::new());
        let (cdb, notify) = (db.clone(), arrived.clone());
        std::thread::Builder::new()
            .name("x0t-inbox".into())
            .spawn(move || committer(cdb, rx, notify))
            .map_err(|e| err(e.to_string()))?;
        Ok(Inbox {
            db,
            path: path.into(),
            jobs: tx,
            streams: Mutex::new(HashMap::new()),
            arrived,
        })
    }

    /// The lock of one sender stream, holding its high-water mark once loaded.
    pub fn stream(&self, key: &str) -> Arc<tokio::sync::Mutex<Option<u64>>> {
        let mut s = self.streams.lock().expect("inbox streams");
        s.entry(key.to_string()).or_default().clone()
    }

    /// The stored high-water mark of a stream (0 if it never sent here).
    pub fn high_water(&self, key: &str) -> Result<u64, InboxError> {
        let err = store_err(&self.path);
        let txn = self.db.begin_read().map_err(|e| err(e.to_string()))?;
        let t = txn.open_table(STREAMS).map_err(|e| err(e.to_string()))?;
        Ok(t.get(key)
            .map_err(|e| err(e.to_string()))?
            .map_or(0, |v| v.value()))
    }

    /// Which of `ids` were stored already, in one read transaction.
    pub fn seen(&self, ids: &[&[u8]]) -> Result<Vec<bool>, InboxError> {
        let err = store_err(&self.path);
        let txn = self.db.begin_read().map_err(|e| err(e.to_string()))?;
        let t = txn.open_table(SEEN).map_err(|e| err(e.to_string()))?;
        ids.iter()
            .map(|id| Ok(t.get(*id).map_err(|e| err(e.to_string()))?.is_some()))
            .collect()
    }

    /// Stores a frame's messages and its stream's new high-water mark durably.
    pub async fn commit(&self, c: Commit) -> Result<(), InboxError> {
        let (tx, rx) = oneshot::channel();
        let err = store_err(&self.path);
        self.jobs
            .send((c, tx))
            .map_err(|_| err("the committer stopped".into()))?;
        rx.await
            .map_err(|_| err("the committer stopped".into()))?
            .map_err(err)
    }

    /// Up to `max` messages for `target`, oldest first.
    pub fn read(&self, target: &str, max: usize) -> Result<Vec<pb::InboxMessage>, InboxError> {
        let err = store_err(&self.path);
        let txn = self.db.begin_read().map_err(|e| err(e.to_string()))?;
        let t = txn.open_table(MESSAGES).map_err(|e| err(e.to_string()))?;
        let mut out = Vec::new();
        for row in t.iter().map_err(|e| err(e.to_string()))? {
            let (_, v) = row.map_err(|e| err(e.to_string()))?;
            let m = pb::InboxMessage::decode(v.value()).map_err(|e| err(e.to_string()))?;
            if m.target == target {
                out.push(m);
                if out.len() >= max {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Removes `target`'s messages up to index `up_to`; returns how many.
    pub fn confirm(&self, target: &str, up_to: u64) -> Result<u64, InboxError> {
        let err = store_err(&self.path);
        let txn = self.db.begin_write().map_err(|e| err(e.to_string()))?;
        let mut removed = 0;
        {
            let mut t = txn.open_table(MESSAGES).map_err(|e| err(e.to_string()))?;
            let mut doomed = Vec::new();
            for row in t.range(..=up_to).map_err(|e| err(e.to_string()))? {
                let (k, v) = row.map_err(|e| err(e.to_string()))?;
                let m = pb::InboxMessage::decode(v.value()).map_err(|e| err(e.to_string()))?;
                if m.target == target {
                    doomed.push(k.value());
                }
            }
            for k in doomed {
                t.remove(k).map_err(|e| err(e.to_string()))?;
                removed += 1;
            }
        }
        txn.commit().map_err(|e| err(e.to_string()))?;
        Ok(removed)
    }
}

/// Folds every queued job into one transaction; one fsync answers them all.
fn committer(db: Arc<Database>, rx: mpsc::Receiver<Job>, arrived: Arc<Notify>) {
    let mut commits: u64 = 0;
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while let Ok(more) = rx.try_recv() {
            jobs.push(more);
        }
        commits += 1;
        let result = write(&db, &jobs, commits.is_multiple_of(1024)).map_err(|e| e.to_string());
        let stored = jobs.iter().any(|(c, _)| !c.messages.is_empty());
        for (_, done) in jobs {
            let _ = done.send(result.clone());
        }
        if stored && result.is_ok() {
            arrived.notify_waiters();
        }
    }
}

fn write(db: &Database, jobs: &[Job], prune: bool) -> Result<(), redb::Error> {
    let txn = db.begin_write()?;
    {
        let mut meta = txn.open_table(META)?;
        let mut next = meta.get(NEXT_INDEX)?.map_or(1, |v| v.value());
        let mut messages = txn.open_table(MESSAGES)?;
        let mut streams = txn.open_table(STREAMS)?;
        let mut seen = txn.open_table(SEEN)?;
        for (c, _) in jobs {
            for m in &c.messages {
                let m = pb::InboxMessage {
                    index: next,
                    ..m.clone()
                };
                messages.insert(next, m.encode_to_vec().as_slice())?;
                next += 1;
            }
            for (id, until) in &c.ids {
                seen.insert(id.as_slice(), until)?;
            }
            streams.insert(c.stream.as_str(), c.high_water)?;
        }
        meta.insert(NEXT_INDEX, next)?;
        if prune {
            let now = crate::engine::util::timefmt::unix_ms_now();
            let old: Vec<Vec<u8>> = seen
                .iter()?
                .filter_map(|r| r.ok())
                .filter(|(_, until)| until.value() + SEEN_GRACE_MS < now)
                .map(|(k, _)| k.value().to_vec())
                .collect();
            for k in old {
                seen.remove(k.as_slice())?;
            }
        }
    }
    txn.commit()?;
    Ok(())
}
