//! The `Mesh` gRPC service: probes and floods from neighbours, traces from any node.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::{DataPlane, MAX_HOPS};
use crate::engine::rpc::{pb, peer};
use crate::engine::transport::PeerKind;

pub struct MeshService(pub Arc<DataPlane>);

impl MeshService {
    /// The calling node, if it is a neighbour of this one; the gate admitted only nodes.
    fn neighbour<T>(&self, req: &Request<T>) -> Result<String, Status> {
        match peer(req)?.kind {
            PeerKind::Node(name) if self.0.is_neighbour(&name) => Ok(name),
            PeerKind::Node(name) => Err(Status::permission_denied(format!(
                "node {name} has no link to {} in the manifest",
                self.0.name()
            ))),
            _ => Err(Status::permission_denied(
                "only nodes speak the node-to-node data plane",
            )),
        }
    }
}

#[tonic::async_trait]
impl pb::mesh_server::Mesh for MeshService {
    async fn probe(
        &self,
        req: Request<pb::ProbeRequest>,
    ) -> Result<Response<pb::ProbeReply>, Status> {
        self.neighbour(&req)?;
        Ok(Response::new(self.0.probe_reply(req.into_inner().seq)))
    }

    async fn control(
        &self,
        req: Request<pb::ControlRequest>,
    ) -> Result<Response<pb::ControlReply>, Status> {
        self.neighbour(&req)?;
        Ok(Response::new(self.0.control_reply()))
    }

    async fn flood(
        &self,
        req: Request<pb::FloodRequest>,
    ) -> Result<Response<pb::FloodReply>, Status> {
        let from = self.neighbour(&req)?;
        let accepted = self.0.receive(&from, req.into_inner().adverts);
        Ok(Response::new(pb::FloodReply { accepted }))
    }

    async fn trace(
        &self,
        req: Request<pb::TraceRequest>,
    ) -> Result<Response<pb::TraceReply>, Status> {
        self.neighbour(&req)?;
        let r = req.into_inner();
        let hops = self
            .0
            .trace(&r.origin, &r.destination, r.hop_limit.min(MAX_HOPS))
            .await?;
        Ok(Response::new(pb::TraceReply { hops }))
    }

    async fn forward(&self, req: Request<pb::Frame>) -> Result<Response<pb::ForwardReply>, Status> {
        self.neighbour(&req)?;
        let frame = req.into_inner();
        if frame.messages.is_empty() {
            return Err(Status::invalid_argument("an empty frame"));
        }
        Ok(Response::new(self.0.forward(frame).await?))
    }
}
