//! openraft's network: one lazily connected gRPC channel per peer over the mesh transport,
//! remembering which key-exchange group each link negotiated.

use std::sync::Arc;
use std::time::Duration;

use openraft::error::{
    InstallSnapshotError, NetworkError, PayloadTooLarge, RPCError, RaftError, RemoteError,
    Unreachable,
};
use openraft::network::{RPCOption, RaftNetwork, RaftNetworkFactory};
use openraft::raft::{
    AppendEntriesRequest, AppendEntriesResponse, InstallSnapshotRequest, InstallSnapshotResponse,
    VoteRequest, VoteResponse,
};
use tonic::transport::Channel;

use crate::engine::node::faults::Faults;
use crate::engine::node::raft::{MeshNode, TypeConfig};
use crate::engine::rpc::{self, pb};
use crate::engine::rpc::{channel, Links};
use crate::engine::transport::Transport;

/// Makes one client per peer.
pub struct NetworkFactory {
    pub transport: Arc<Transport>,
    pub links: Links,
    pub trust_domain: String,
    pub faults: Arc<Faults>,
    /// `spec.limits.maxMessageSize`: the largest message a peer decodes.
    pub max_message: usize,
}

impl RaftNetworkFactory<TypeConfig> for NetworkFactory {
    type Network = PeerClient;

    async fn new_client(&mut self, target: u64, node: &MeshNode) -> PeerClient {
        let id = format!("spiffe://{}/node/{}", self.trust_domain, node.name);
        let ch = channel(
            self.transport.clone(),
            node.addr.clone(),
            id,
            node.name.clone(),
            self.links.clone(),
            Duration::from_secs(3),
        );
        PeerClient {
            target,
            name: node.name.clone(),
            faults: self.faults.clone(),
            client: pb::raft_client::RaftClient::new(ch)
                .max_decoding_message_size(self.max_message)
                .max_encoding_message_size(self.max_message),
            max_message: self.max_message,
            appends: Appends::Closed,
        }
    }
}

/// How long one AppendEntries exchange may take, as for the unary calls of the channel.
const APPEND_TIMEOUT: Duration = Duration::from_secs(3);

/// The Raft client of one peer.
pub struct PeerClient {
    target: u64,
    name: String,
    faults: Arc<Faults>,
    client: pb::raft_client::RaftClient<Channel>,
    appends: Appends,
    max_message: usize,
}

/// The AppendEntries stream to the peer.
enum Appends {
    /// Opened on the next append.
    Closed,
    Open {
        requests: tokio::sync::mpsc::Sender<pb::Blob>,
        replies: Box<tonic::Streaming<pb::Blob>>,
    },
    /// The peer does not serve the stream (an older node): unary calls.
    Unsupported,
}

impl PeerClient {
    /// Sends one AppendEntries request on the stream, opening it first if needed, and waits
    /// for its reply. The stream is taken out while a request is in flight, so a call
    /// abandoned midway drops it and the next call opens a fresh one instead of reading a
    /// stale reply.
    async fn append_streamed(&mut self, blob: pb::Blob) -> Result<pb::Blob, tonic::Status> {
        let (requests, mut replies) = match std::mem::replace(&mut self.appends, Appends::Closed) {
            Appends::Open { requests, replies } => (requests, replies),
            Appends::Unsupported => {
                self.appends = Appends::Unsupported;
                return Ok(self.client.append_entries(blob).await?.into_inner());
            }
            Appends::Closed => {
                let (tx, rx) = tokio::sync::mpsc::channel(1);
                let outgoing = tokio_stream::wrappers::ReceiverStream::new(rx);
                match self.client.append_stream(outgoing).await {
                    Ok(r) => (tx, Box::new(r.into_inner())),
                    Err(s) if s.code() == tonic::Code::Unimplemented => {
                        self.appends = Appends::Unsupported;
                        return Ok(self.client.append_entries(blob).await?.into_inner());
                    }
                    Err(s) => return Err(s),
                }
            }
        };
        requests
            .send(blob)
            .await
            .map_err(|_| tonic::Status::unavailable("the append stream closed"))?;
        let reply = tokio::time::timeout(APPEND_TIMEOUT, replies.message())
            .await
            .map_err(|_| {
                tonic::Status::deadline_exceeded(format!(
                    "no append reply within {APPEND_TIMEOUT:?}"
                ))
            })??
            .ok_or_else(|| tonic::Status::unavailable("the peer closed the append stream"))?;
        self.appends = Appends::Open { requests, replies };
        Ok(reply)
    }
}

/// When an encoded AppendEntries of `entries` entries is `len` bytes, over what a peer
/// accepts (`max` less room for framing): how many entries to send at once instead (about half the limit's worth, so a
/// few uneven entries still fit). A single entry over the limit cannot be split: it goes
/// out and the peer refuses it, which shows in the logs of both.
fn entries_hint(len: usize, entries: usize, max: usize) -> Option<u64> {
    let limit = max - 64 * 1024;
    if len <= limit || entries <= 1 {
        return None;
    }
    let per_entry = len / entries;
    Some(((limit / 2) / per_entry.max(1)).clamp(1, entries - 1) as u64)
}

fn unreachable<E: std::error::Error>(status: tonic::Status) -> RPCError<u64, MeshNode, E> {
    match status.code() {
        tonic::Code::Unavailable
        | tonic::Code::DeadlineExceeded
        | tonic::Code::Cancelled
        | tonic::Code::Unknown => RPCError::Unreachable(Unreachable::new(&status)),
        _ => RPCError::Network(NetworkError::new(&status)),
    }
}

impl PeerClient {
    // The error type is openraft's, fixed by the RaftNetwork trait.
    #[allow(clippy::result_large_err)]
    fn answer<T, E>(
        &self,
        blob: Result<pb::Blob, tonic::Status>,
    ) -> Result<T, RPCError<u64, MeshNode, RaftError<u64, E>>>
    where
        T: serde::de::DeserializeOwned,
        E: std::error::Error + serde::de::DeserializeOwned,
    {
        let blob = blob.map_err(unreachable)?;
        let r: Result<T, RaftError<u64, E>> =
            rpc::decode(&blob).map_err(|s| RPCError::Network(NetworkError::new(&s)))?;
        r.map_err(|e| RPCError::RemoteError(RemoteError::new(self.target, e)))
    }
}

impl RaftNetwork<TypeConfig> for PeerClient {
    async fn append_entries(
        &mut self,
        rpc: AppendEntriesRequest<TypeConfig>,
        _: RPCOption,
    ) -> Result<AppendEntriesResponse<u64>, RPCError<u64, MeshNode, RaftError<u64>>> {
        if let Err(s) = self.faults.outbound(&self.name).await {
            return Err(unreachable(s));
        }
        let blob = rpc::encode(&rpc);
        if let Some(hint) = entries_hint(blob.data.len(), rpc.entries.len(), self.max_message) {
            // openraft sends the same entries again, at most `hint` at a time.
            tracing::debug!(
                peer = %self.name,
                bytes = blob.data.len(),
                entries = rpc.entries.len(),
                hint,
                "an append batch is over the message limit: splitting it"
            );
            return Err(RPCError::PayloadTooLarge(
                PayloadTooLarge::new_entries_hint(hint),
            ));
        }
        let r = self.append_streamed(blob).await;
        self.answer(r)
    }

    async fn install_snapshot(
        &mut self,
        rpc: InstallSnapshotRequest<TypeConfig>,
        _: RPCOption,
    ) -> Result<
        InstallSnapshotResponse<u64>,
        RPCError<u64, MeshNode, RaftError<u64, InstallSnapshotError>>,
    > {
        if let Err(s) = self.faults.outbound(&self.name).await {
            return Err(unreachable(s));
        }
        let r = (self.client.install_snapshot(rpc::encode(&rpc)).await).map(|r| r.into_inner());
        self.answer(r)
    }

    async fn vote(
        &mut self,
        rpc: VoteRequest<u64>,
        _: RPCOption,
    ) -> Result<VoteResponse<u64>, RPCError<u64, MeshNode, RaftError<u64>>> {
        if let Err(s) = self.faults.outbound(&self.name).await {
            return Err(unreachable(s));
        }
        let r = (self.client.vote(rpc::encode(&rpc)).await).map(|r| r.into_inner());
        self.answer(r)
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::rpc::MAX_MESSAGE;

    fn entries_hint(len: usize, entries: usize) -> Option<u64> {
        super::entries_hint(len, entries, MAX_MESSAGE)
    }

    #[test]
    fn an_oversized_batch_is_split_into_batches_under_the_limit() {
        assert_eq!(entries_hint(1_000, 300), None);
        // 300 entries of 1 MiB: 7 at a time keeps a batch near 8 MiB.
        let hint = entries_hint(300 << 20, 300).unwrap();
        assert!((1..=8).contains(&hint), "{hint}");
        assert!(hint as usize * (1 << 20) < MAX_MESSAGE);
        // One huge entry cannot be split.
        assert_eq!(entries_hint(40 << 20, 1), None);
        // Two entries just over the limit: one at a time.
        assert_eq!(entries_hint(17 << 20, 2), Some(1));
    }
}
