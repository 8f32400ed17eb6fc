//! `status`: every node asked at once for its view (Raft state, log, links, credentials),
//! gathered into one picture of the mesh with its leader and health.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::rpc::pb;
use crate::engine::transport::Protocols;
use crate::engine::util::timefmt;

use super::*;

/// One node's view, as `status` shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    pub node: String,
    pub address: String,
    pub reachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raft_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spiffe_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raft_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_log_index: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_index: Option<u64>,
    /// How far behind the leader's last log index this node has applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lag: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leader: Option<String>,
    /// Key exchange of the CLI's own connection to this node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kx_group: Option<String>,
    /// Key exchange of this node's Raft links, by peer.
    pub links: Vec<LinkStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub svid_not_after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub svid_expires_in_seconds: Option<u64>,
    /// Fingerprints of the CA certificates the node trusts (two during a CA rollover).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trust_bundle: Vec<String>,
    /// Fingerprint of the CA that signed the node's SVID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub svid_issuer: Option<String>,
    /// Data-plane links that are up (degraded included).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mesh_links_up: Option<u32>,
    /// Destinations the node has a data-plane route to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mesh_routes: Option<u32>,
    /// The manifest enables chaos on this node (shown only then).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub chaos_enabled: bool,
    /// The x0t version the node runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The protocols the node speaks (from its binding when it does not say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocols: Option<Protocols>,
    /// The protocol the mesh speaks, as the node's store records it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mesh_protocol: Option<u32>,
    /// The schema version of the node's raft store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store_schema: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkStatus {
    pub peer: String,
    pub connected: bool,
    pub kx_group: String,
}

/// The whole cluster, as `status` shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterStatus {
    pub schema_version: u32,
    pub leader: Option<String>,
    /// The protocol the mesh speaks, as the leader's store records it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mesh_protocol: Option<u32>,
    pub healthy: bool,
    pub voters: Vec<String>,
    pub learners: Vec<String>,
    pub nodes: Vec<NodeStatus>,
    /// The leader's membership: node name -> the address peers dial.
    #[serde(skip)]
    pub member_addresses: BTreeMap<String, String>,
}

impl Client {
    /// Asks every node for its status, concurrently.
    pub async fn status(&self) -> ClusterStatus {
        let calls = self
            .endpoints
            .iter()
            .chain(&self.relays)
            .map(|(node, addr)| async move {
                let mut c = self.admin(node, addr);
                let r = tokio::time::timeout(self.timeout, c.status(pb::StatusRequest {})).await;
                (node.clone(), addr.clone(), r)
            });
        let results = futures_util::future::join_all(calls).await;
        let mut nodes = Vec::new();
        // The leader is the node that says so with the highest term; followers' views of it
        // only count once they agree.
        let mut leader_last = None;
        let mut leader: Option<String> = None;
        let mut leader_term = 0;
        let (mut voters, mut learners) = (Vec::new(), Vec::new());
        let mut member_addresses = BTreeMap::new();
        let mut mesh_protocol = None;
        for (_, _, r) in &results {
            if let Ok(Ok(s)) = r {
                let s = s.get_ref();
                if s.node == s.leader && s.term >= leader_term {
                    mesh_protocol = Some(s.mesh_protocol).filter(|v| *v > 0);
                    leader_term = s.term;
                    leader_last = Some(s.last_log_index);
                    leader = Some(s.leader.clone());
                    voters = s.voters.clone();
                    learners = s.learners.clone();
                    member_addresses = s.member_addresses.clone().into_iter().collect();
                }
            }
        }
        // Relays run no Raft: they have no view of the leader to agree with.
        let is_relay = |node: &String| self.relays.iter().any(|(n, _)| n == node);
        let agreed = results.iter().all(|(node, _, r)| {
            is_relay(node) || matches!(r, Ok(Ok(s)) if Some(&s.get_ref().leader) == leader.as_ref())
        });
        let now = timefmt::now();
        for (node, addr, r) in results {
            let reply = match r {
                Ok(Ok(s)) => Ok(s.into_inner()),
                Ok(Err(status)) => Err(status.message().to_string()),
                Err(_) => Err(format!("no answer within {:?}", self.timeout)),
            };
            nodes.push(match reply {
                Ok(s) => {
                    // A relay runs no Raft: it has no state, term or log to show.
                    let raft = (s.role != "relay").then_some(());
                    let expires = timefmt::parse_rfc3339(&s.svid_not_after)
                        .ok()
                        .map(|t| timefmt::between(now, t).as_secs());
                    // An x0t of protocol 2 does not report its protocols: its binding did.
                    let protocols = match (s.protocol_min, s.protocol_max) {
                        (0, _) | (_, 0) => self.transport.peer_protocols(&s.spiffe_id),
                        (min, max) => Some(Protocols { min, max }),
                    };
                    let (mesh_protocol, store_schema) = match raft {
                        Some(()) if s.protocol_max > 0 => {
                            (Some(s.mesh_protocol), Some(s.store_schema))
                        }
                        _ => (None, None),
                    };
                    NodeStatus {
                        node,
                        address: addr,
                        reachable: true,
                        error: None,
                        raft_id: Some(s.raft_id),
                        spiffe_id: Some(s.spiffe_id),
                        role: Some(s.role),
                        raft_state: raft.map(|_| s.raft_state),
                        term: raft.map(|_| s.term),
                        last_log_index: raft.map(|_| s.last_log_index),
                        applied_index: raft.map(|_| s.applied_index),
                        lag: raft
                            .and(leader_last)
                            .map(|l| l.saturating_sub(s.applied_index)),
                        leader: (!s.leader.is_empty()).then_some(s.leader),
                        kx_group: Some(s.caller_kx_group),
                        links: s
                            .links
                            .into_iter()
                            .map(|l| LinkStatus {
                                peer: l.node,
                                connected: l.connected,
                                kx_group: l.kx_group,
                            })
                            .collect(),
                        svid_not_after: Some(s.svid_not_after),
                        svid_expires_in_seconds: expires,
                        trust_bundle: s.trust_bundle,
                        svid_issuer: (!s.svid_issuer.is_empty()).then_some(s.svid_issuer),
                        mesh_links_up: Some(s.mesh_links_up),
                        mesh_routes: Some(s.mesh_routes),
                        chaos_enabled: s.chaos_enabled,
                        version: (!s.version.is_empty()).then_some(s.version),
                        protocols,
                        mesh_protocol,
                        store_schema,
                    }
                }
                Err(e) => NodeStatus {
                    node,
                    address: addr,
                    reachable: false,
                    error: Some(e),
                    raft_id: None,
                    spiffe_id: None,
                    role: None,
                    raft_state: None,
                    term: None,
                    last_log_index: None,
                    applied_index: None,
                    lag: None,
                    leader: None,
                    kx_group: None,
                    links: Vec::new(),
                    svid_not_after: None,
                    svid_expires_in_seconds: None,
                    trust_bundle: Vec::new(),
                    svid_issuer: None,
                    mesh_links_up: None,
                    mesh_routes: None,
                    chaos_enabled: false,
                    version: None,
                    protocols: None,
                    mesh_protocol: None,
                    store_schema: None,
                },
            });
        }
        let healthy = leader.is_some() && agreed && nodes.iter().all(|n| n.reachable);
        ClusterStatus {
            schema_version: 1,
            leader,
            mesh_protocol,
            healthy,
            voters,
            learners,
            nodes,
            member_addresses,
        }
    }
}

impl Client {
    /// Asks for the status until `ok` accepts it (`Ok`) or `within` has passed (`Err` with
    /// the last answer): the one poll loop behind plan's wait for a leader and LocalMesh's
    /// waits.
    pub async fn status_until(
        &self,
        within: Duration,
        ok: impl Fn(&ClusterStatus) -> bool,
    ) -> Result<ClusterStatus, ClusterStatus> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let s = self.status().await;
            if ok(&s) {
                return Ok(s);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(s);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
