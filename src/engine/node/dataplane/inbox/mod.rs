//! The node's durable inbox: messages addressed to it or to its workloads, kept until a
//! reader confirms them, with each sender stream's high-water mark and the ids of recent
//! messages, so that a retry is acknowledged but never stored twice.
//!
//! It is a log: segment files that are only appended to (see [`log`]), and an index in
//! memory rebuilt from them on open. One committer thread folds whatever is queued into a
//! single append and one `fdatasync` (group commit): many frames, one sync, and a message
//! costs its own bytes on disk, not the pages of a B-tree. A new segment starts once the
//! current one passes [`SEGMENT_BYTES`], with a checkpoint of the marks before it; an older
//! segment is deleted once every message in it is confirmed and every id in it expired.

mod log;
mod migrate;

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};

use tokio::sync::{oneshot, Notify};

use self::log::{Loc, LogError, Writer};
use crate::engine::rpc::pb;
use crate::engine::rpc::pb::inbox_record::Entry;
use crate::engine::util::timefmt::unix_ms_now;

/// A segment is closed and a new one started once it holds this much.
pub const SEGMENT_BYTES: u64 = 64 << 20;
/// How long a message id is remembered after its expiry.
const SEEN_GRACE_MS: u64 = 60_000;
/// Expired ids forgotten per commit at most, so forgetting never stalls a commit.
const FORGET_PER_COMMIT: usize = 4096;

#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error("inbox {path}: {message}")]
    Store { path: PathBuf, message: String },
}

/// One frame's worth of work for the committer.
pub struct Commit {
    pub stream: String,
    pub high_water: u64,
    pub messages: Vec<pb::InboxMessage>,
    /// (message id, forget after unix ms)
    pub ids: Vec<(Vec<u8>, u64)>,
}

enum Job {
    Commit(Commit, oneshot::Sender<Result<(), String>>),
    Confirm(String, u64, oneshot::Sender<Result<u64, String>>),
}

/// A job whose records are encoded, waiting for the append to answer it.
enum Done {
    Commit {
        /// (target, index, where in the append)
        placed: Vec<(String, u64, (u64, u32))>,
        ids: Vec<(Vec<u8>, u64)>,
        stream: String,
        high_water: u64,
        tx: oneshot::Sender<Result<(), String>>,
    },
    Confirm {
        target: String,
        up_to: u64,
        tx: oneshot::Sender<Result<u64, String>>,
    },
}

impl Done {
    fn fail(self, why: String) {
        match self {
            Done::Commit { tx, .. } => {
                let _ = tx.send(Err(why));
            }
            Done::Confirm { tx, .. } => {
                let _ = tx.send(Err(why));
            }
        }
    }
}

/// One sender stream at this inbox: frames of a stream are handled one at a time, under
/// `high_water` (loaded on first use), and `moved` wakes a frame that arrived ahead of
/// its predecessor.
#[derive(Default)]
pub struct StreamSlot {
    pub high_water: tokio::sync::Mutex<Option<u64>>,
    pub moved: Notify,
}

#[derive(Default)]
struct Segment {
    /// Messages in it not yet confirmed.
    live: usize,
    /// The latest time an id stored in it must be remembered until.
    until: u64,
    file: Option<Arc<File>>,
}

/// Remembered message ids (-> until when), in shards: a map that doubles stops every
/// commit while it moves its entries (about 100 ms at a million ids), a shard moves 1/64 of
/// them. Ids are random, so their low bits spread them.
struct Seen(Vec<HashMap<u128, u64>>);

impl Default for Seen {
    fn default() -> Self {
        Seen((0..64).map(|_| HashMap::new()).collect())
    }
}

impl Seen {
    fn shard_mut(&mut self, id: u128) -> &mut HashMap<u128, u64> {
        &mut self.0[(id as usize) % 64]
    }

    fn contains(&self, id: u128) -> bool {
        self.0[(id as usize) % 64].contains_key(&id)
    }
}

/// What the log says, in memory.
#[derive(Default)]
struct State {
    next_index: u64,
    streams: HashMap<String, u64>,
    seen: Seen,
    /// Ids by the second they may be forgotten in.
    expiry: BTreeMap<u64, Vec<u128>>,
    /// Unconfirmed messages by target, by index.
    targets: HashMap<String, BTreeMap<u64, Loc>>,
    confirmed: HashMap<String, u64>,
    segments: BTreeMap<u64, Segment>,
}

impl State {
    fn apply(&mut self, record: pb::InboxRecord, loc: Loc, now: u64) {
        match record.entry {
            Some(Entry::Message(m)) => {
                self.next_index = self.next_index.max(m.index + 1);
                if self.confirmed.get(&m.target).is_some_and(|c| m.index <= *c) {
                    return;
                }
                self.segments.entry(loc.segment).or_default().live += 1;
                self.targets
                    .entry(m.target)
                    .or_default()
                    .insert(m.index, loc);
            }
            Some(Entry::Stream(s)) => self.mark(s.stream, s.high_water),
            Some(Entry::Seen(s)) => {
                let seg = self.segments.entry(loc.segment).or_default();
                seg.until = seg.until.max(s.until_unix_ms);
                if s.until_unix_ms + SEEN_GRACE_MS >= now {
                    self.remember(&s.id, s.until_unix_ms);
                }
            }
            Some(Entry::Confirm(c)) => {
                self.confirm(&c.target, c.up_to);
            }
            Some(Entry::Checkpoint(c)) => {
                self.next_index = self.next_index.max(c.next_index);
                for s in c.streams {
                    self.mark(s.stream, s.high_water);
                }
                for c in c.confirmed {
                    self.confirm(&c.target, c.up_to);
                }
            }
            None => {}
        }
    }

    fn mark(&mut self, stream: String, high_water: u64) {
        let hw = self.streams.entry(stream).or_default();
        *hw = (*hw).max(high_water);
    }

    fn remember(&mut self, id: &[u8], until: u64) {
        let id = id_key(id);
        self.expiry
            .entry((until + SEEN_GRACE_MS) / 1000 + 1)
            .or_default()
            .push(id);
        self.seen.shard_mut(id).insert(id, until);
    }

    /// Forgets ids past their grace, a bounded number at a time.
    fn forget(&mut self, now: u64) {
        let mut budget = FORGET_PER_COMMIT;
        while budget > 0 {
            let Some(mut entry) = self.expiry.first_entry() else {
                return;
            };
            if *entry.key() > now / 1000 {
                return;
            }
            let ids = entry.get_mut();
            while let Some(id) = ids.pop() {
                let shard = self.seen.shard_mut(id);
                if shard.get(&id).is_some_and(|u| u + SEEN_GRACE_MS < now) {
                    shard.remove(&id);
                }
                budget -= 1;
                if budget == 0 {
                    break;
                }
            }
            if ids.is_empty() {
                entry.remove();
            }
        }
    }

    /// Drops `target`'s messages up to `up_to`; returns how many.
    fn confirm(&mut self, target: &str, up_to: u64) -> u64 {
        let c = self.confirmed.entry(target.to_string()).or_default();
        *c = (*c).max(up_to);
        let Some(msgs) = self.targets.get_mut(target) else {
            return 0;
        };
        let keep = msgs.split_off(&(up_to + 1));
        let gone = std::mem::replace(msgs, keep);
        for loc in gone.values() {
            if let Some(s) = self.segments.get_mut(&loc.segment) {
                s.live = s.live.saturating_sub(1);
            }
        }
        if msgs.is_empty() {
            self.targets.remove(target);
        }
        gone.len() as u64
    }

    fn checkpoint(&self) -> pb::InboxRecord {
        pb::InboxRecord {
            entry: Some(Entry::Checkpoint(pb::InboxCheckpoint {
                next_index: self.next_index,
                streams: (self.streams.iter())
                    .map(|(s, h)| pb::InboxStreamMark {
                        stream: s.clone(),
                        high_water: *h,
                    })
                    .collect(),
                confirmed: (self.confirmed.iter())
                    .map(|(t, u)| pb::InboxConfirm {
                        target: t.clone(),
                        up_to: *u,
                    })
                    .collect(),
            })),
        }
    }

    /// Segments before `current` that hold nothing anyone needs any more.
    fn dead_segments(&self, current: u64, now: u64) -> Vec<u64> {
        (self.segments.range(..current))
            .filter(|(_, s)| s.live == 0 && s.until + SEEN_GRACE_MS < now)
            .map(|(n, _)| *n)
            .collect()
    }
}

pub struct Inbox {
    dir: PathBuf,
    state: Arc<Mutex<State>>,
    jobs: mpsc::Sender<Job>,
    streams: Mutex<HashMap<String, Arc<StreamSlot>>>,
    pub arrived: Arc<Notify>,
}

impl Inbox {
    /// Opens (or creates) the inbox in directory `dir`, replaying its log, and starts its
    /// committer thread, which ends when the inbox is dropped. An inbox of the earlier
    /// single-file format beside it (`inbox.redb`) is carried over first.
    pub fn open(dir: &Path) -> Result<Inbox, InboxError> {
        Inbox::open_with(dir, SEGMENT_BYTES)
    }

    /// [`Inbox::open`] with segments of `segment_bytes`.
    pub fn open_with(dir: &Path, segment_bytes: u64) -> Result<Inbox, InboxError> {
        let err = |message: String| InboxError::Store {
            path: dir.into(),
            message,
        };
        migrate::from_redb(dir).map_err(|e| err(e.to_string()))?;
        std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
        let now = unix_ms_now();
        let mut state = State::default();
        let segments = log::list(dir).map_err(|e| err(e.to_string()))?;
        let mut tail = 0;
        for (i, &n) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            let len = log::replay(dir, n, last, |r, loc| state.apply(r, loc, now))
                .map_err(|e: LogError| err(e.to_string()))?;
            state.segments.entry(n).or_default();
            tail = len;
        }
        state.next_index = state.next_index.max(1);
        for (n, s) in state.segments.iter_mut() {
            let f = File::open(log::segment_path(dir, *n)).map_err(|e| err(e.to_string()))?;
            s.file = Some(Arc::new(f));
        }
        // Append to the newest segment, or start the first one.
        let writer = match segments.last() {
            Some(&n) if tail < segment_bytes => {
                let file = std::fs::OpenOptions::new()
                    .append(true)
                    .open(log::segment_path(dir, n))
                    .map_err(|e| err(e.to_string()))?;
                Writer {
                    segment: n,
                    file,
                    len: tail,
                }
            }
            last => {
                let n = last.map_or(1, |n| n + 1);
                let w =
                    Writer::create(dir, n, &state.checkpoint()).map_err(|e| err(e.to_string()))?;
                open_segment(&mut state, dir, n).map_err(|e| err(e.to_string()))?;
                w
            }
        };
        let state = Arc::new(Mutex::new(state));
        let (tx, rx) = mpsc::channel::<Job>();
        let arrived = Arc::new(Notify::new());
        let committer = Committer {
            dir: dir.into(),
            state: state.clone(),
            writer,
            segment_bytes,
            arrived: arrived.clone(),
        };
        std::thread::Builder::new()
            .name("x0t-inbox".into())
            .spawn(move || committer.run(rx))
            .map_err(|e| err(e.to_string()))?;
        Ok(Inbox {
            dir: dir.into(),
            state,
            jobs: tx,
            streams: Mutex::new(HashMap::new()),
            arrived,
        })
    }

    fn err(&self, message: String) -> InboxError {
        InboxError::Store {
            path: self.dir.clone(),
            message,
        }
    }

    /// The slot of one sender stream.
    pub fn stream(&self, key: &str) -> Arc<StreamSlot> {
        let mut s = self.streams.lock().expect("inbox streams");
        s.entry(key.to_string()).or_default().clone()
    }

    /// The stored high-water mark of a stream (0 if it never sent here).
    pub fn high_water(&self, key: &str) -> Result<u64, InboxError> {
        let st = self.state.lock().expect("inbox state");
        Ok(st.streams.get(key).copied().unwrap_or(0))
    }

    /// Which of `ids` were stored already.
    pub fn seen(&self, ids: &[&[u8]]) -> Result<Vec<bool>, InboxError> {
        let st = self.state.lock().expect("inbox state");
        Ok(ids.iter().map(|id| st.seen.contains(id_key(id))).collect())
    }

    /// Stores a frame's messages and its stream's new high-water mark durably.
    pub async fn commit(&self, c: Commit) -> Result<(), InboxError> {
        let (tx, rx) = oneshot::channel();
        let stopped = || self.err("the committer stopped".into());
        self.jobs.send(Job::Commit(c, tx)).map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?.map_err(|e| self.err(e))
    }

    /// Up to `max` messages for `target`, oldest first.
    pub fn read(&self, target: &str, max: usize) -> Result<Vec<pb::InboxMessage>, InboxError> {
        let locs: Vec<(Loc, Arc<File>)> = {
            let st = self.state.lock().expect("inbox state");
            let Some(msgs) = st.targets.get(target) else {
                return Ok(Vec::new());
            };
            (msgs.values().take(max))
                .filter_map(|loc| {
                    let file = st.segments.get(&loc.segment)?.file.clone()?;
                    Some((*loc, file))
                })
                .collect()
        };
        let mut out = Vec::with_capacity(locs.len());
        for (loc, file) in locs {
            let r = log::read_at(&file, loc).map_err(|e| {
                self.err(format!(
                    "segment {:016x} at byte {}: {e}",
                    loc.segment, loc.offset
                ))
            })?;
            if let Some(Entry::Message(m)) = r.entry {
                out.push(m);
            }
        }
        Ok(out)
    }

    /// Removes `target`'s messages up to index `up_to`, durably; returns how many.
    pub async fn confirm(&self, target: &str, up_to: u64) -> Result<u64, InboxError> {
        let (tx, rx) = oneshot::channel();
        let stopped = || self.err("the committer stopped".into());
        self.jobs
            .send(Job::Confirm(target.into(), up_to, tx))
            .map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?.map_err(|e| self.err(e))
    }

    /// Messages held, not yet confirmed.
    pub fn len(&self) -> usize {
        let st = self.state.lock().expect("inbox state");
        st.targets.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A message id (16 bytes: the data plane refuses others) as a map key.
fn id_key(id: &[u8]) -> u128 {
    let mut b = [0u8; 16];
    let n = id.len().min(16);
    b[..n].copy_from_slice(&id[..n]);
    u128::from_be_bytes(b)
}

fn open_segment(state: &mut State, dir: &Path, n: u64) -> std::io::Result<()> {
    let f = File::open(log::segment_path(dir, n))?;
    state.segments.entry(n).or_default().file = Some(Arc::new(f));
    Ok(())
}

struct Committer {
    dir: PathBuf,
    state: Arc<Mutex<State>>,
    writer: Writer,
    segment_bytes: u64,
    arrived: Arc<Notify>,
}

impl Committer {
    /// Folds every queued job into one append; one sync answers them all.
    fn run(mut self, rx: mpsc::Receiver<Job>) {
        while let Ok(first) = rx.recv() {
            let mut jobs = vec![first];
            while let Ok(more) = rx.try_recv() {
                jobs.push(more);
            }
            self.batch(jobs);
        }
    }

    fn batch(&mut self, jobs: Vec<Job>) {
        let now = unix_ms_now();
        let mut buf = Vec::new();
        let mut next = self.state.lock().expect("inbox state").next_index;
        let record = |buf: &mut Vec<u8>, entry: Entry| {
            let start = buf.len();
            log::frame(buf, &pb::InboxRecord { entry: Some(entry) });
            ((start + 8) as u64, (buf.len() - start - 8) as u32)
        };
        // Encoded first, consuming the jobs; what the index needs is kept beside.
        let mut done = Vec::with_capacity(jobs.len());
        for job in jobs {
            match job {
                Job::Commit(c, tx) => {
                    let mut placed = Vec::with_capacity(c.messages.len());
                    for m in c.messages {
                        let target = m.target.clone();
                        let m = pb::InboxMessage { index: next, ..m };
                        placed.push((target, next, record(&mut buf, Entry::Message(m))));
                        next += 1;
                    }
                    for (id, until) in &c.ids {
                        let seen = pb::InboxSeen {
                            id: id.clone(),
                            until_unix_ms: *until,
                        };
                        record(&mut buf, Entry::Seen(seen));
                    }
                    let mark = pb::InboxStreamMark {
                        stream: c.stream.clone(),
                        high_water: c.high_water,
                    };
                    record(&mut buf, Entry::Stream(mark));
                    done.push(Done::Commit {
                        placed,
                        ids: c.ids,
                        stream: c.stream,
                        high_water: c.high_water,
                        tx,
                    });
                }
                Job::Confirm(target, up_to, tx) => {
                    let c = pb::InboxConfirm {
                        target: target.clone(),
                        up_to,
                    };
                    record(&mut buf, Entry::Confirm(c));
                    done.push(Done::Confirm { target, up_to, tx });
                }
            }
        }
        let written = self.writer.append(&buf);
        let segment = self.writer.segment;
        let base = match written {
            Ok(base) => base,
            Err(e) => {
                for d in done {
                    d.fail(e.to_string());
                }
                return self.cut_failed_append();
            }
        };
        let mut stored = false;
        {
            let mut st = self.state.lock().expect("inbox state");
            st.next_index = next;
            for d in done {
                match d {
                    Done::Commit {
                        placed,
                        ids,
                        stream,
                        high_water,
                        tx,
                    } => {
                        stored |= !placed.is_empty();
                        let seg = st.segments.entry(segment).or_default();
                        seg.live += placed.len();
                        seg.until = ids.iter().map(|(_, u)| *u).fold(seg.until, u64::max);
                        for (target, index, (offset, len)) in placed {
                            let loc = Loc {
                                segment,
                                offset: base + offset,
                                len,
                            };
                            st.targets.entry(target).or_default().insert(index, loc);
                        }
                        for (id, until) in ids {
                            st.remember(&id, until);
                        }
                        st.mark(stream, high_water);
                        let _ = tx.send(Ok(()));
                    }
                    Done::Confirm { target, up_to, tx } => {
                        let _ = tx.send(Ok(st.confirm(&target, up_to)));
                    }
                }
            }
            st.forget(now);
        }
        if stored {
            self.arrived.notify_waiters();
        }
        if self.writer.len >= self.segment_bytes {
            self.rotate(now);
        }
    }

    /// Cuts off what a failed append left half written, so the next one starts on a
    /// record boundary (nothing of it was acknowledged or indexed).
    fn cut_failed_append(&mut self) {
        if let Err(e) = self.writer.file.set_len(self.writer.len) {
            tracing::error!(dir = %self.dir.display(), "inbox: cannot cut off a failed append: {e}");
        }
    }

    /// Starts the next segment with a checkpoint, then deletes the segments nobody needs.
    fn rotate(&mut self, now: u64) {
        let next = self.writer.segment + 1;
        let checkpoint = self.state.lock().expect("inbox state").checkpoint();
        match Writer::create(&self.dir, next, &checkpoint) {
            Ok(w) => self.writer = w,
            Err(e) => {
                tracing::error!(dir = %self.dir.display(), "inbox: cannot start segment {next:016x}: {e}; appending to the current one");
                return;
            }
        }
        let mut st = self.state.lock().expect("inbox state");
        if let Err(e) = open_segment(&mut st, &self.dir, next) {
            tracing::error!(dir = %self.dir.display(), "inbox: cannot open segment {next:016x}: {e}");
        }
        for n in st.dead_segments(next, now) {
            match std::fs::remove_file(log::segment_path(&self.dir, n)) {
                Ok(()) => {
                    st.segments.remove(&n);
                }
                Err(e) => {
                    tracing::warn!(dir = %self.dir.display(), "inbox: cannot delete segment {n:016x}: {e}")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
