//! Who may call which RPC. The gate stands in front of every service of the mesh port and
//! decides from the verified peer and the method's path alone, before a byte of the request
//! body is read or decoded: a viewer cannot make a node buffer a 16 MiB raft message only
//! to be told no. Handlers keep the finer checks that need the request (a raft message must
//! speak for its sender, a workload reads only its own inbox, reserved keys).

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tonic::codegen::http;
use tonic::Status;

use crate::engine::manifest::OperatorRole;
use crate::engine::transport::{PeerInfo, PeerKind, Trust};

/// The callers a method admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Nodes the roster gives a Raft role (voters and learners).
    RaftNodes,
    /// Any node of the roster: the node-to-node data plane.
    Nodes,
    /// Admin operators: calls that change the mesh.
    Admins,
    /// Operators of either role: reads of the store, the audit trail and the knowledge base.
    Operators,
    /// Nodes and operators: status and mesh views.
    NodesAndOperators,
    /// Everyone verified, workloads included: messages, whose handler checks the target.
    Anyone,
}

/// The audience of a method by its gRPC path (`/x0t.v1.Service/Method`); `None` for a path
/// no service serves, which tonic then answers UNIMPLEMENTED.
pub fn audience(path: &str) -> Option<Audience> {
    let (service, method) = path.strip_prefix("/x0t.v1.")?.split_once('/')?;
    let a = match (service, method) {
        ("Raft", _) => Audience::RaftNodes,
        ("Mesh", _) => Audience::Nodes,
        (
            "Admin",
            "KvPut" | "KvDelete" | "AddMember" | "RemoveMember" | "SnapshotCreate" | "ChaosLink",
        ) => Audience::Admins,
        ("Admin", "KvGet" | "KvList" | "AuditList" | "RagQuery") => Audience::Operators,
        ("Admin", "Send" | "SendStream" | "Recv" | "Confirm") => Audience::Anyone,
        ("Admin", _) => Audience::NodesAndOperators,
        _ => return None,
    };
    Some(a)
}

impl Audience {
    /// Whether `peer` may call a method of this audience; the refusal says why.
    pub fn admits(self, peer: &PeerInfo, trust: &Trust) -> Result<(), Status> {
        let denied = |what: String| Err(Status::permission_denied(what));
        match (self, &peer.kind) {
            (Audience::Anyone, _) => Ok(()),
            (Audience::RaftNodes, PeerKind::Node(name)) => match trust.raft_member(name) {
                Some((_, role)) if role.holds_raft() => Ok(()),
                Some((_, role)) => {
                    denied(format!("node {name} is a {role}: it takes no part in Raft"))
                }
                None => denied(format!("node {name} is not in the roster")),
            },
            (Audience::RaftNodes, PeerKind::Operator(name, _)) => {
                denied(format!("operator {name} may not send raft messages"))
            }
            (Audience::Nodes | Audience::NodesAndOperators, PeerKind::Node(_)) => Ok(()),
            (Audience::Nodes, PeerKind::Operator(name, _)) => denied(format!(
                "operator {name} may not speak the node-to-node data plane"
            )),
            (Audience::Admins, PeerKind::Operator(_, OperatorRole::Admin)) => Ok(()),
            (Audience::Admins, PeerKind::Operator(name, OperatorRole::Viewer)) => denied(format!(
                "operator {name} has role viewer; only admin operators may change the mesh"
            )),
            (Audience::Admins, PeerKind::Node(name)) => {
                denied(format!("node {name} may not call the admin write API"))
            }
            (Audience::Operators | Audience::NodesAndOperators, PeerKind::Operator(..)) => Ok(()),
            (Audience::Operators, PeerKind::Node(name)) => denied(format!(
                "node {name} may not read the store through the admin API"
            )),
            (_, PeerKind::Workload(name)) => denied(format!(
                "workload {name} may only send messages and read its own inbox"
            )),
        }
    }
}

/// The tower layer that puts a [`Gate`] in front of a server's services.
#[derive(Clone)]
pub struct GateLayer(pub Arc<Trust>);

impl<S> tower::Layer<S> for GateLayer {
    type Service = Gate<S>;

    fn layer(&self, inner: S) -> Gate<S> {
        Gate {
            inner,
            trust: self.0.clone(),
        }
    }
}

/// Refuses a call whose caller the method's [`Audience`] does not admit, unread.
#[derive(Clone)]
pub struct Gate<S> {
    inner: S,
    trust: Arc<Trust>,
}

impl<S, B> tower::Service<http::Request<B>> for Gate<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>
        + Send
        + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future =
        Pin<Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let verdict = match (
            audience(req.uri().path()),
            req.extensions().get::<PeerInfo>(),
        ) {
            (None, _) => Ok(()),
            (Some(_), None) => Err(Status::unauthenticated(
                "no verified peer on this connection",
            )),
            (Some(a), Some(peer)) => a.admits(peer, &self.trust),
        };
        match verdict {
            Ok(()) => Box::pin(self.inner.call(req)),
            Err(status) => {
                tracing::debug!(
                    path = req.uri().path(),
                    "refused before decoding: {}",
                    status.message()
                );
                Box::pin(std::future::ready(Ok(status.into_http())))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_of_the_protocol_has_an_audience() {
        let proto = include_str!("../../../proto/x0t.proto");
        let mut service = "";
        let mut seen = 0;
        for line in proto.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("service ") {
                service = rest.trim_end_matches(" {").trim();
            } else if let Some(rest) = line.strip_prefix("rpc ") {
                let method = rest.split('(').next().unwrap().trim();
                let path = format!("/x0t.v1.{service}/{method}");
                assert!(audience(&path).is_some(), "{path} has no audience");
                seen += 1;
            }
        }
        assert!(seen > 20, "read only {seen} methods from the proto");
        assert_eq!(audience("/x0t.v1.Admin/KvPut"), Some(Audience::Admins));
        assert_eq!(audience("/x0t.v1.Admin/KvGet"), Some(Audience::Operators));
        assert_eq!(audience("/x0t.v1.Admin/Recv"), Some(Audience::Anyone));
        assert_eq!(audience("/x0t.v1.Raft/Vote"), Some(Audience::RaftNodes));
        assert_eq!(audience("/other.Service/Call"), None);
    }
}
