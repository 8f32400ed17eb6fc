//! The generated gRPC code for `proto/x0t.proto`, and the Raft service: openraft's messages
//! travel in `Blob`s as serde JSON, and only nodes may call it.

use tonic::{Request, Response, Status};

use super::raft::{Raft, TypeConfig};
use super::transport::{PeerInfo, PeerKind};

#[allow(clippy::all, missing_docs)]
pub mod pb {
    tonic::include_proto!("x0t.v1");
}

impl From<crate::engine::rag::Hit> for pb::RagHit {
    fn from(h: crate::engine::rag::Hit) -> pb::RagHit {
        pb::RagHit {
            rank: h.rank as u32,
            path: h.path,
            line_start: h.line_start,
            line_end: h.line_end,
            heading: h.heading,
            text: h.text,
            bm25_score: h.bm25_score,
            vector_score: h.vector_score,
            fused_score: h.fused_score,
        }
    }
}

impl From<pb::RagHit> for crate::engine::rag::Hit {
    fn from(h: pb::RagHit) -> crate::engine::rag::Hit {
        crate::engine::rag::Hit {
            rank: h.rank as usize,
            path: h.path,
            line_start: h.line_start,
            line_end: h.line_end,
            heading: h.heading,
            text: h.text,
            bm25_score: h.bm25_score,
            vector_score: h.vector_score,
            fused_score: h.fused_score,
        }
    }
}

/// Largest RPC message accepted: snapshot chunks and entry batches stay far below it, and
/// anything larger is refused before it is buffered.
pub const MAX_MESSAGE: usize = 16 * 1024 * 1024;
/// HTTP/2 flow-control windows, per stream and per connection. hyper's 64 KiB default makes
/// a snapshot transfer wait for a window update every 64 KiB; these let a 1 MiB chunk and
/// a few behind it be in flight at once.
pub const STREAM_WINDOW: u32 = 8 * 1024 * 1024;
pub const CONNECTION_WINDOW: u32 = 16 * 1024 * 1024;

/// The caller, as verified by the transport.
pub fn peer<T>(req: &Request<T>) -> Result<PeerInfo, Status> {
    req.extensions()
        .get::<PeerInfo>()
        .cloned()
        .ok_or_else(|| Status::unauthenticated("no verified peer on this connection"))
}

pub fn encode<T: serde::Serialize>(v: &T) -> pb::Blob {
    pb::Blob {
        data: serde_json::to_vec(v).expect("raft messages serialise"),
    }
}

pub fn decode<T: serde::de::DeserializeOwned>(b: &pb::Blob) -> Result<T, Status> {
    serde_json::from_slice(&b.data)
        .map_err(|e| Status::invalid_argument(format!("malformed raft message: {e}")))
}

/// Serves Raft RPCs to other nodes.
pub struct RaftService {
    pub raft: Raft,
}

impl RaftService {
    fn check<T>(req: &Request<T>) -> Result<(), Status> {
        match peer(req)?.kind {
            PeerKind::Node(_) => Ok(()),
            PeerKind::Operator(name, _) => Err(Status::permission_denied(format!(
                "operator {name} may not send raft messages"
            ))),
        }
    }
}

#[tonic::async_trait]
impl pb::raft_server::Raft for RaftService {
    async fn append_entries(&self, req: Request<pb::Blob>) -> Result<Response<pb::Blob>, Status> {
        Self::check(&req)?;
        let rpc: openraft::raft::AppendEntriesRequest<TypeConfig> = decode(req.get_ref())?;
        Ok(Response::new(encode(&self.raft.append_entries(rpc).await)))
    }

    async fn vote(&self, req: Request<pb::Blob>) -> Result<Response<pb::Blob>, Status> {
        Self::check(&req)?;
        let rpc: openraft::raft::VoteRequest<u64> = decode(req.get_ref())?;
        Ok(Response::new(encode(&self.raft.vote(rpc).await)))
    }

    async fn install_snapshot(&self, req: Request<pb::Blob>) -> Result<Response<pb::Blob>, Status> {
        Self::check(&req)?;
        let rpc: openraft::raft::InstallSnapshotRequest<TypeConfig> = decode(req.get_ref())?;
        Ok(Response::new(encode(
            &self.raft.install_snapshot(rpc).await,
        )))
    }
}
