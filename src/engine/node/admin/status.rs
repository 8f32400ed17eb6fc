//! `Status`: this node's view, from Raft when it holds Raft, and from the data plane and
//! its credentials in any case.

use std::collections::BTreeMap;

use super::AdminService;
use crate::engine::rpc::pb;

impl AdminService {
    /// The status reply; `caller_kx_group` is the key exchange of the caller's connection.
    pub(super) fn status_reply(&self, caller_kx_group: String) -> pb::StatusReply {
        let links = self.links.lock().expect("links lock").clone();
        let links: BTreeMap<String, _> = links.into_iter().collect();
        let creds = self.transport.creds();
        let trust_bundle: Vec<String> = creds
            .ca
            .iter()
            .map(|c| crate::engine::identity::fingerprint(c))
            .collect();
        let svid_issuer =
            crate::engine::identity::verify_chain_any(&creds.ca, &creds.svid.der, self.clock.now())
                .map(|i| trust_bundle[i].clone())
                .unwrap_or_default();
        let (mesh_links_up, mesh_routes) = self.mesh.counts();
        let mut reply = pb::StatusReply {
            node: self.me.name.clone(),
            raft_id: self.me.raft_id,
            spiffe_id: self.me.spiffe_id.clone(),
            role: self.me.role.clone(),
            raft_state: "Relay".into(),
            links: links
                .into_iter()
                .map(|(node, l)| pb::PeerLink {
                    node,
                    connected: l.connected,
                    kx_group: l.kx_group,
                    last_error: l.last_error,
                })
                .collect(),
            svid_not_after: crate::engine::util::timefmt::rfc3339(creds.svid.not_after),
            trust_bundle,
            svid_issuer,
            caller_kx_group,
            version: env!("CARGO_PKG_VERSION").into(),
            mesh_links_up,
            mesh_routes,
            chaos_enabled: self.mesh.faults.enabled(),
            protocol_min: crate::engine::transport::PROTOCOL_MIN,
            protocol_max: crate::engine::transport::PROTOCOL_VERSION,
            ..Default::default()
        };
        if let Some(r) = &self.raft {
            let m = r.raft.metrics().borrow().clone();
            let membership = m.membership_config.membership();
            let name_of = |id: u64| {
                membership
                    .get_node(&id)
                    .map(|n| n.name.clone())
                    .unwrap_or_default()
            };
            if let Some(repl) = &m.replication {
                for (id, log) in repl {
                    reply
                        .matched
                        .insert(name_of(*id), log.map(|l| l.index).unwrap_or(0));
                }
            }
            reply.raft_state = format!("{:?}", m.state);
            reply.mesh_protocol = r.sm.mesh_protocol();
            reply.store_schema = crate::engine::node::raft::SCHEMA_VERSION;
            reply.term = m.current_term;
            reply.last_log_index = m.last_log_index.unwrap_or(0);
            reply.applied_index = m.last_applied.map(|l| l.index).unwrap_or(0);
            reply.leader = m.current_leader.map(name_of).unwrap_or_default();
            reply.leader_id = m.current_leader.unwrap_or(0);
            reply.voters = membership.voter_ids().map(name_of).collect();
            reply.learners = membership.learner_ids().map(name_of).collect();
            reply.member_addresses = membership
                .nodes()
                .map(|(_, n)| (n.name.clone(), n.addr.clone()))
                .collect();
        }
        reply
    }
}
