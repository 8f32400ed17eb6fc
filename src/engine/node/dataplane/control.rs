//! How a relay, which runs no Raft, keeps the control plane current: every probe answer
//! says which roster serial and deny list the neighbour holds, and when a Raft-holding
//! neighbour has a newer roster or another deny list the relay asks it for both. Voters
//! and learners take them from the replicated store instead.

use std::collections::HashSet;
use std::sync::atomic::Ordering;

use crate::engine::identity::roster::Roster;
use crate::engine::rpc::pb;

use super::DataPlane;

/// A digest of a deny list that does not depend on its order.
pub fn revoked_digest(revoked: &HashSet<String>) -> Vec<u8> {
    let mut ids: Vec<&String> = revoked.iter().collect();
    ids.sort();
    let mut ctx = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
    for id in ids {
        ctx.update(&(id.len() as u32).to_be_bytes());
        ctx.update(id.as_bytes());
    }
    ctx.finish().as_ref()[..16].to_vec()
}

impl DataPlane {
    /// The probe answer: this node's roster serial and deny-list digest.
    pub(super) fn probe_reply(&self, seq: u64) -> pb::ProbeReply {
        let trust = &self.transport.trust;
        pb::ProbeReply {
            seq,
            roster_serial: trust.roster_serial(),
            revoked_digest: revoked_digest(&trust.revoked()),
        }
    }

    pub(super) fn control_reply(&self) -> pb::ControlReply {
        let trust = &self.transport.trust;
        pb::ControlReply {
            roster: serde_json::to_vec(&trust.roster()).unwrap_or_default(),
            revoked: trust.revoked().into_iter().collect(),
        }
    }

    /// After a probe of `peer` answered `reply`: a relay asks a Raft-holding neighbour
    /// that knows more for its roster and deny list (one request at a time).
    pub(super) fn follow_control(self: &std::sync::Arc<Self>, peer: &str, reply: &pb::ProbeReply) {
        if !self.settings.follows_control {
            return;
        }
        let trust = &self.transport.trust;
        let roster = trust.roster();
        // Voters only: they hold the committed roster and deny list; a learner may lag.
        let holds_raft = (roster.nodes.iter())
            .any(|n| n.name == peer && n.role == crate::engine::manifest::NodeRole::Voter);
        let newer = reply.roster_serial > roster.serial
            || (reply.roster_serial == roster.serial
                && reply.revoked_digest != revoked_digest(&trust.revoked()));
        if !holds_raft || !newer || self.control_pull.swap(true, Ordering::AcqRel) {
            return;
        }
        let Some(mut client) = self.client(peer) else {
            self.control_pull.store(false, Ordering::Release);
            return;
        };
        let (me, peer) = (self.clone(), peer.to_string());
        tokio::spawn(async move {
            let limit = me
                .settings
                .probe_interval
                .max(std::time::Duration::from_secs(1));
            match tokio::time::timeout(limit, client.control(pb::ControlRequest {})).await {
                Ok(Ok(r)) => me.take_control(&peer, r.into_inner()),
                Ok(Err(s)) => tracing::debug!(%peer, "control pull refused: {}", s.message()),
                Err(_) => tracing::debug!(%peer, "control pull timed out"),
            }
            me.control_pull.store(false, Ordering::Release);
        });
    }

    /// Takes up a neighbour's roster if it is this mesh's and newer, and its deny list.
    fn take_control(&self, peer: &str, reply: pb::ControlReply) {
        let trust = &self.transport.trust;
        let current = trust.roster();
        let r = match serde_json::from_slice::<Roster>(&reply.roster) {
            Ok(r) => r,
            Err(e) => return tracing::warn!(%peer, "ignoring an unreadable roster: {e}"),
        };
        if r.mesh != current.mesh || r.trust_domain != current.trust_domain {
            return tracing::warn!(%peer, mesh = %r.mesh, "ignoring a roster of another mesh");
        }
        // An older roster means a lagging neighbour: its deny list may be older too.
        if r.serial < current.serial {
            return;
        }
        let (serial, nodes) = (r.serial, r.nodes.len());
        match trust.adopt_roster(r) {
            Ok(true) => {
                tracing::info!(%peer, serial, nodes, "roster updated from a neighbour");
                self.transport.activate_pending_key();
            }
            Ok(false) => {}
            Err(e) => return tracing::warn!(%peer, "ignoring a neighbour's roster: {e}"),
        }
        let revoked: HashSet<String> = reply.revoked.into_iter().collect();
        let before = trust.revoked();
        if revoked != before {
            for id in revoked.difference(&before) {
                tracing::warn!(%peer, revoked = %id, "revoked: refusing it and closing its connections");
            }
            for id in before.difference(&revoked) {
                tracing::info!(%peer, lifted = %id, "revocation lifted");
            }
            trust.set_revoked(revoked);
        }
    }
}
