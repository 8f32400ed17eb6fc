//! The wire protocol: the generated gRPC code for `proto/x0t.proto`, its message limits and
//! flow-control windows, the verified caller of a request, and the JSON blobs that carry
//! openraft's messages. Nodes and clients both speak it.

mod channel;

pub use channel::{channel, ChannelState, Links};

use tonic::{Request, Status};

use crate::engine::transport::PeerInfo;

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
/// The most header bytes a request may carry (method, peer metadata, deadlines): far more
/// than any x0t call sends, far less than hyper's 16 MiB default.
pub const MAX_HEADER_LIST: u32 = 16 * 1024;
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
    serde_json::from_slice(&b.data).map_err(|e| {
        let e = e.to_string();
        // What a newer protocol added: say so, rather than call the sender's message malformed.
        if e.contains("unknown variant") {
            Status::invalid_argument(format!(
                "raft message of a newer protocol than this x0t speaks ({}): {e}; upgrade x0t",
                crate::engine::transport::Protocols::OURS
            ))
        } else {
            Status::invalid_argument(format!("malformed raft message: {e}"))
        }
    })
}
