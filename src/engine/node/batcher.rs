//! Group commit for client writes: puts and deletes that arrive while earlier entries are in
//! flight go out together as the next raft entry, so concurrent clients share one log append,
//! one fsync per node and one replication round instead of queueing behind each other's.

use std::sync::Arc;

use openraft::error::{ClientWriteError, RaftError};
use prometheus::Histogram;
use tokio::sync::{mpsc, oneshot, Semaphore};

use super::raft::{MeshNode, Raft, Request};

/// Most commands in one entry.
const MAX_OPS: usize = 1024;
/// Entries stop growing past this many bytes of keys and values (a single larger command still
/// goes alone), keeping replication messages far below the RPC size limit.
const MAX_BYTES: usize = 1 << 20;
/// Entries in flight at once: one being made durable while the next one fills.
const IN_FLIGHT: usize = 1;

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

async fn run(raft: Raft, mut rx: mpsc::Receiver<Pending>, committed: Histogram) {
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    loop {
        // Wait for a free slot first, so whatever queues meanwhile joins the next entry.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let Some(first) = rx.recv().await else {
            return;
        };
        let mut bytes = size(&first.cmd);
        let mut batch = vec![first];
        while batch.len() < MAX_OPS && bytes < MAX_BYTES {
            match rx.try_recv() {
                Ok(p) => {
                    bytes += size(&p.cmd);
                    batch.push(p);
                }
                Err(_) => break,
            }
        }
        let (raft, committed) = (raft.clone(), committed.clone());
        tokio::spawn(async move {
            submit(&raft, batch, &committed).await;
            drop(slot);
        });
    }
}

async fn submit(raft: &Raft, mut batch: Vec<Pending>, committed: &Histogram) {
    let (cmd, replies) = if batch.len() == 1 {
        let p = batch.pop().expect("one pending command");
        (p.cmd, vec![p.reply])
    } else {
        let (ops, replies) = batch.into_iter().map(|p| (p.cmd, p.reply)).unzip();
        (Request::Batch { ops }, replies)
    };
    let t = std::time::Instant::now();
    let r = raft.client_write(cmd).await;
    if r.is_ok() {
        committed.observe(t.elapsed().as_secs_f64());
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
}
