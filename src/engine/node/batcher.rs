//! Group commit for client writes: puts and deletes that arrive while earlier entries are in
//! flight go out together as the next raft entry, so concurrent clients share one log append,
//! one fsync per node and one replication round instead of queueing behind each other's.

use std::time::{Duration, Instant};

use openraft::error::{ClientWriteError, RaftError};
use prometheus::Histogram;
use tokio::sync::{mpsc, oneshot};

use crate::engine::node::raft::{MeshNode, Raft, Request};

/// Most commands in one entry.
const MAX_OPS: usize = 1024;
/// Entries stop growing past this many bytes of keys and values (a single larger command still
/// goes alone), keeping replication messages far below the RPC size limit.
const MAX_BYTES: usize = 1 << 20;

pub type WriteError = RaftError<u64, ClientWriteError<u64, MeshNode>>;

/// What a client learns about its command: the revision of the entry that carried it and
/// whether its key existed before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub revision: u64,
    pub existed: bool,
}

struct Pending {
    cmd: Request,
    reply: oneshot::Sender<Result<Written, WriteError>>,
}

/// Handle to the batching task; cheap to clone. The task ends when every handle is dropped.
#[derive(Clone)]
pub struct Batcher {
    tx: mpsc::Sender<Pending>,
}

fn size(cmd: &Request) -> usize {
    match cmd {
        Request::Put { key, value, .. } => key.len() + value.len(),
        Request::Delete { key, .. } => key.len(),
        Request::Batch { ops } => ops.iter().map(size).sum(),
        Request::Audit {
            subject, detail, ..
        } => subject.len() + detail.len(),
    }
}

impl Batcher {
    /// Starts the batching task for `raft` on the current tokio runtime; it observes each entry's time from submit to commit in `committed`.
    pub fn spawn(raft: Raft, committed: Histogram) -> Self {
        let (tx, rx) = mpsc::channel(4 * MAX_OPS);
        tokio::spawn(run(raft, rx, committed));
        Self { tx }
    }

    /// Writes one put or delete through raft, possibly together with other clients' commands.
    pub async fn write(&self, cmd: Request) -> Result<Written, WriteError> {
        let (reply, rx) = oneshot::channel();
        let stopped = || RaftError::Fatal(openraft::error::Fatal::Stopped);
        self.tx
            .send(Pending { cmd, reply })
            .await
            .map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }
}

/// The longest a batch waits for the writers of the previous one to come back.
const MAX_GATHER: Duration = Duration::from_millis(2);

async fn run(raft: Raft, mut rx: mpsc::Receiver<Pending>, committed: Histogram) {
    let mut gather = Gather::default();
    loop {
        // One entry at a time: whatever queues while it is in flight joins the next one.
        let Some(first) = rx.recv().await else {
            return;
        };
        let mut batch = Batch::new(first);
        while !batch.full() {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        if let Some((target, wait)) = gather.plan() {
            let deadline = tokio::time::Instant::now() + wait;
            let reached = |b: &Batch| b.pending.len() >= target || b.full();
            while !reached(&batch) {
                match tokio::time::timeout_at(deadline, rx.recv()).await {
                    Ok(Some(p)) => batch.push(p),
                    Ok(None) | Err(_) => break,
                }
            }
            gather.record(reached(&batch));
        }
        let n = batch.pending.len();
        let round = submit(&raft, batch.pending, &committed).await;
        gather.committed(n, rx.len(), round);
    }
}

/// The commands of the next entry.
struct Batch {
    pending: Vec<Pending>,
    bytes: usize,
}

impl Batch {
    fn new(first: Pending) -> Self {
        Self {
            bytes: size(&first.cmd),
            pending: vec![first],
        }
    }

    fn push(&mut self, p: Pending) {
        self.bytes += size(&p.cmd);
        self.pending.push(p);
    }

    fn full(&self) -> bool {
        self.pending.len() >= MAX_OPS || self.bytes >= MAX_BYTES
    }
}

/// Keeps closed-loop writers in one entry.
///
/// A writer that waits for its reply before sending again is in one entry, the writers that
/// arrived while it was in flight in the next: left alone, the two groups alternate and each
/// write takes two rounds. So once an entry of `n` commands commits, the next one waits, up to
/// one round time, for `n` more commands on top of those that queued during the round; the
/// groups merge and each write takes one round plus the writers' turnaround. A lone writer
/// never waits: its next command completes the batch. When the writers do not come
/// back in time (they write now and then, not in a loop) the wait is skipped for a growing
/// number of entries, so such a load pays the timeout rarely.
#[derive(Default)]
struct Gather {
    /// Commands in the entry that committed last, those that queued meanwhile, and how long
    /// the round took.
    returning: usize,
    queued: usize,
    round: Duration,
    /// Waits in a row that timed out, and entries left before the next wait.
    misses: u32,
    skip: u32,
}

impl Gather {
    /// The batch size to wait for and for how long at most; `None` to send what is at hand.
    fn plan(&mut self) -> Option<(usize, Duration)> {
        let target = self.queued + self.returning;
        if target <= 1 {
            // A lone writer: the command at hand is all there is.
            return None;
        }
        if self.skip > 0 {
            self.skip -= 1;
            return None;
        }
        Some((target, self.round.min(MAX_GATHER)))
    }

    /// Whether the last wait got its batch before the deadline.
    fn record(&mut self, reached: bool) {
        if reached {
            self.misses = 0;
        } else {
            self.misses = (self.misses + 1).min(6);
            self.skip = 1 << self.misses;
        }
    }

    /// An entry of `n` commands committed after `round`, with `queued` more waiting by then.
    fn committed(&mut self, n: usize, queued: usize, round: Duration) {
        self.returning = n;
        self.queued = queued;
        self.round = round;
    }
}

/// Writes `batch` as one entry and answers its clients; returns how long raft took.
async fn submit(raft: &Raft, mut batch: Vec<Pending>, committed: &Histogram) -> Duration {
    let (cmd, replies) = if batch.len() == 1 {
        let p = batch.pop().expect("one pending command");
        (p.cmd, vec![p.reply])
    } else {
        let (ops, replies) = batch.into_iter().map(|p| (p.cmd, p.reply)).unzip();
        (Request::Batch { ops }, replies)
    };
    let t = Instant::now();
    let r = raft.client_write(cmd).await;
    let round = t.elapsed();
    if r.is_ok() {
        committed.observe(round.as_secs_f64());
    }
    match r {
        Ok(r) => {
            for (reply, existed) in replies.into_iter().zip(r.data.existed) {
                let _ = reply.send(Ok(Written {
                    revision: r.data.revision,
                    existed,
                }));
            }
        }
        Err(e) => {
            for reply in replies {
                let _ = reply.send(Err(e.clone()));
            }
        }
    }
    round
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUND: Duration = Duration::from_micros(1500);

    #[test]
    fn a_lone_writer_never_waits() {
        let mut g = Gather::default();
        assert_eq!(g.plan(), None, "nothing committed yet");
        g.committed(1, 0, ROUND);
        assert_eq!(g.plan(), None);
    }

    #[test]
    fn alternating_groups_are_merged_and_then_kept_together() {
        let mut g = Gather::default();
        // 8 writers committed while 8 others queued: wait for all 16.
        g.committed(8, 8, ROUND);
        assert_eq!(g.plan(), Some((16, ROUND)));
        g.record(true);
        // All 16 went together, none queued meanwhile: wait for all 16 to come back.
        g.committed(16, 0, ROUND);
        assert_eq!(g.plan(), Some((16, ROUND)));
    }

    #[test]
    fn the_wait_is_bounded_by_the_round_and_by_a_ceiling() {
        let mut g = Gather::default();
        g.committed(4, 0, Duration::from_micros(300));
        assert_eq!(g.plan(), Some((4, Duration::from_micros(300))));
        g.committed(4, 0, Duration::from_secs(1));
        assert_eq!(g.plan(), Some((4, MAX_GATHER)));
    }

    #[test]
    fn writers_that_do_not_come_back_make_the_waits_rarer() {
        let mut g = Gather::default();
        let mut waits = Vec::new();
        for _ in 0..200 {
            g.committed(2, 0, ROUND);
            let planned = g.plan();
            if planned.is_some() {
                g.record(false);
            }
            waits.push(planned.is_some());
        }
        let total = waits.iter().filter(|w| **w).count();
        assert!(waits[0], "the first entry waits");
        assert!(!waits[1] && !waits[2], "two entries skip after one miss");
        assert!(waits[3]);
        assert!(total <= 8, "{total} of 200 entries waited in vain");
        // One wait that works and every entry waits again.
        while g.plan().is_none() {}
        g.record(true);
        g.committed(2, 0, ROUND);
        assert!(g.plan().is_some());
    }
}
