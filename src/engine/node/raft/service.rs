//! The Raft service: openraft's messages travel in `Blob`s as serde JSON, and only nodes may
//! call it.

use std::pin::Pin;

use futures_util::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

use crate::engine::node::raft::{Raft, TypeConfig};
use crate::engine::rpc::{decode, encode, pb, peer};
use crate::engine::telemetry::RpcMetrics;
use crate::engine::transport::{PeerKind, Trust};
use tonic::codegen::http;

/// Serves Raft RPCs to other nodes.
pub struct RaftService {
    pub raft: Raft,
    /// Turns true when the node shuts down: append streams end then, since a graceful
    /// shutdown waits for every open stream.
    pub stop: tokio::sync::watch::Receiver<bool>,
    /// The roster: which nodes hold Raft, under which ids.
    pub trust: std::sync::Arc<Trust>,
    /// Where each incoming snapshot has got to: chunks must follow on from it.
    pub snapshots: std::sync::Mutex<SnapshotProgress>,
}

/// The snapshot being received: its id and the end of the bytes received so far.
#[derive(Default)]
pub struct SnapshotProgress {
    current: Option<(String, u64)>,
}

impl SnapshotProgress {
    /// Takes the chunk at `offset` of `len` bytes of snapshot `id`: it must start at 0 (a
    /// new snapshot) or at most at the end of what came before (a resent chunk overlaps).
    /// A chunk further on would make the receiver fill the gap with zeros.
    pub fn admit(&mut self, id: &str, offset: u64, len: u64) -> Result<(), Status> {
        let end = match &self.current {
            Some((cur, end)) if cur == id => *end,
            _ => 0,
        };
        if offset > end {
            return Err(Status::invalid_argument(format!(
                "snapshot {id}: a chunk at offset {offset} leaves a gap after byte {end}"
            )));
        }
        let new_end = offset.saturating_add(len).max(end);
        self.current = Some((id.to_string(), new_end));
        Ok(())
    }
}

/// A verified caller of the Raft service: a node the roster gives a Raft role.
struct Caller {
    name: String,
    raft_id: u64,
}

impl Caller {
    /// A message must speak for its sender: the leader or candidate id in its vote is the
    /// caller's own raft id.
    fn speaks_for(&self, vote: &openraft::Vote<u64>) -> Result<(), Status> {
        let claimed = vote.leader_id().voted_for();
        if claimed == Some(self.raft_id) {
            return Ok(());
        }
        tracing::warn!(node = %self.name, ?claimed, own = self.raft_id, "refused a raft message that names another node");
        Err(Status::permission_denied(format!(
            "node {} is raft id {}, its message speaks for raft id {}",
            self.name,
            self.raft_id,
            claimed.map_or("none".into(), |c| c.to_string())
        )))
    }
}

impl RaftService {
    /// The calling node and its raft id. The gate admitted only nodes the roster gives a
    /// Raft role; the roster is read again here for the id, as it may have changed since.
    fn caller<T>(&self, req: &Request<T>) -> Result<Caller, Status> {
        let PeerKind::Node(name) = peer(req)?.kind else {
            return Err(Status::permission_denied("only nodes send raft messages"));
        };
        match self.trust.raft_member(&name) {
            Some((raft_id, role)) if role.holds_raft() => Ok(Caller { name, raft_id }),
            _ => Err(Status::permission_denied(format!(
                "node {name} holds no Raft role in the roster"
            ))),
        }
    }
}

/// Replies of one AppendEntries stream.
pub type AppendReplies = Pin<Box<dyn Stream<Item = Result<pb::Blob, Status>> + Send>>;

#[tonic::async_trait]
impl pb::raft_server::Raft for RaftService {
    type AppendStreamStream = AppendReplies;

    async fn append_stream(
        &self,
        req: Request<Streaming<pb::Blob>>,
    ) -> Result<Response<AppendReplies>, Status> {
        let caller = self.caller(&req)?;
        // Each reply is produced when the response stream is polled for it, so requests are
        // handled one at a time in arrival order, and a malformed one ends the stream with its
        // error while the node keeps serving.
        let start = Some((self.raft.clone(), req.into_inner(), caller));
        let replies = futures_util::stream::unfold(start, |state| async move {
            let (raft, mut incoming, caller) = state?;
            let blob = match incoming.message().await {
                Ok(Some(blob)) => blob,
                Ok(None) => return None,
                Err(status) => return Some((Err(status), None)),
            };
            let checked = decode::<openraft::raft::AppendEntriesRequest<TypeConfig>>(&blob)
                .and_then(|rpc| caller.speaks_for(&rpc.vote).map(|()| rpc));
            match checked {
                Ok(rpc) => {
                    let reply = encode(&raft.append_entries(rpc).await);
                    Some((Ok(reply), Some((raft, incoming, caller))))
                }
                Err(status) => {
                    tracing::warn!(%status, "refused an append stream message");
                    Some((Err(status), None))
                }
            }
        });
        let mut stop = self.stop.clone();
        let stopping = async move {
            let _ = stop.wait_for(|s| *s).await;
        };
        Ok(Response::new(Box::pin(replies.take_until(stopping))))
    }

    async fn append_entries(&self, req: Request<pb::Blob>) -> Result<Response<pb::Blob>, Status> {
        let caller = self.caller(&req)?;
        let rpc: openraft::raft::AppendEntriesRequest<TypeConfig> = decode(req.get_ref())?;
        caller.speaks_for(&rpc.vote)?;
        Ok(Response::new(encode(&self.raft.append_entries(rpc).await)))
    }

    async fn vote(&self, req: Request<pb::Blob>) -> Result<Response<pb::Blob>, Status> {
        let caller = self.caller(&req)?;
        let rpc: openraft::raft::VoteRequest<u64> = decode(req.get_ref())?;
        caller.speaks_for(&rpc.vote)?;
        Ok(Response::new(encode(&self.raft.vote(rpc).await)))
    }

    async fn install_snapshot(&self, req: Request<pb::Blob>) -> Result<Response<pb::Blob>, Status> {
        let caller = self.caller(&req)?;
        let rpc: openraft::raft::InstallSnapshotRequest<TypeConfig> = decode(req.get_ref())?;
        caller.speaks_for(&rpc.vote)?;
        self.snapshots.lock().expect("snapshot progress").admit(
            &rpc.meta.snapshot_id,
            rpc.offset,
            rpc.data.len() as u64,
        )?;
        Ok(Response::new(encode(
            &self.raft.install_snapshot(rpc).await,
        )))
    }
}

/// Counts every RPC the node serves in `x0t_rpc_requests_total` and times it in
/// `x0t_rpc_duration_seconds`, by service, method and gRPC status code. The code is the one
/// the response starts with: an error status for a refused call, `OK` otherwise (a stream
/// that fails later still counts as started).
#[derive(Clone)]
pub struct Observe<S> {
    inner: S,
    metrics: RpcMetrics,
}

/// Wraps a server's routes in [`Observe`].
#[derive(Clone)]
pub struct ObserveLayer(pub RpcMetrics);

impl<S> tower::Layer<S> for ObserveLayer {
    type Service = Observe<S>;

    fn layer(&self, inner: S) -> Observe<S> {
        Observe {
            inner,
            metrics: self.0.clone(),
        }
    }
}

impl<S, B, R> tower::Service<http::Request<B>> for Observe<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>> + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future =
        Pin<Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        // Paths are /package.Service/Method; the package is the same for every call.
        let (service, method) = match req.uri().path().trim_start_matches('/').split_once('/') {
            Some((s, m)) => (s.rsplit('.').next().unwrap_or(s).to_string(), m.to_string()),
            None => ("unknown".to_string(), "unknown".to_string()),
        };
        let (started, metrics) = (std::time::Instant::now(), self.metrics.clone());
        let call = self.inner.call(req);
        Box::pin(async move {
            let response = call.await;
            let code = match &response {
                Ok(r) => r
                    .headers()
                    .get("grpc-status")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<i32>().ok())
                    .map_or(tonic::Code::Ok, tonic::Code::from_i32),
                Err(_) => tonic::Code::Internal,
            };
            metrics.observe(&service, &method, &format!("{code:?}"), started.elapsed());
            response
        })
    }
}
