//! Protocol negotiation, so nodes can be upgraded one at a time. Every connection's binding
//! says which protocols its sender speaks; the leader raises the protocol the mesh speaks
//! (the record under [`PROTOCOL_KEY`]) once every member of the Raft membership speaks a
//! newer one, and never lowers it. Whatever an older protocol could not read (a new kind of
//! log entry or audit record) is only written once the record allows it, and a node that
//! cannot speak the recorded protocol is refused at its handshake.

use std::sync::Arc;
use std::time::Duration;

use crate::engine::node::raft::{MeshProtocol, Raft, Request, StateMachine, PROTOCOL_KEY};
use crate::engine::transport::{Protocols, Transport, PROTOCOL_VERSION};
use crate::engine::util::clock::Clock;
use crate::engine::util::timefmt;

/// How often the leader looks for a protocol every member speaks.
const EVERY: Duration = Duration::from_secs(1);

/// The protocol a mesh of these members may speak: the newest every one of them speaks,
/// or `None` while one of them has not been heard from (it could be running anything).
pub fn agreed(members: impl IntoIterator<Item = Option<Protocols>>) -> Option<u32> {
    members
        .into_iter()
        .try_fold(PROTOCOL_VERSION, |v, p| p.map(|p| v.min(p.max)))
}

/// Run by every Raft-holding node: follows the recorded protocol into the transport, and
/// on the leader raises it when every member can speak a newer one.
pub async fn negotiate(
    raft: Raft,
    sm: StateMachine,
    transport: Arc<Transport>,
    me: String,
    clock: Clock,
) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let current = sm.mesh_protocol();
        transport.set_mesh_protocol(current);
        let m = raft.metrics().borrow().clone();
        if m.current_leader != Some(m.id) || current >= PROTOCOL_VERSION {
            continue;
        }
        let td = transport.trust.trust_domain.clone();
        let members = (m.membership_config.membership().nodes())
            .filter(|(id, _)| **id != m.id)
            .map(|(_, n)| transport.peer_protocols(&format!("spiffe://{td}/node/{}", n.name)));
        let Some(target) = agreed(members) else {
            continue;
        };
        if target <= current {
            continue;
        }
        let record = MeshProtocol { version: target };
        let cmd = Request::Put {
            key: PROTOCOL_KEY.into(),
            value: serde_json::to_vec(&record).expect("protocol record serialises"),
            actor: me.clone(),
            at: timefmt::rfc3339(clock.now()),
        };
        match raft.client_write(cmd).await {
            Ok(_) => tracing::info!(
                from = current,
                to = target,
                "every member speaks protocol {target}: the mesh now speaks it"
            ),
            Err(e) => tracing::debug!("could not record protocol {target}: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speaks(min: u32, max: u32) -> Option<Protocols> {
        Some(Protocols { min, max })
    }

    #[test]
    fn the_mesh_speaks_the_newest_protocol_every_member_speaks() {
        assert_eq!(agreed([]), Some(PROTOCOL_VERSION), "a single node");
        assert_eq!(
            agreed([speaks(2, PROTOCOL_VERSION), speaks(2, PROTOCOL_VERSION)]),
            Some(PROTOCOL_VERSION)
        );
        // One member still runs an x0t of protocol 2 (which announces only 2).
        assert_eq!(agreed([speaks(2, PROTOCOL_VERSION), speaks(2, 2)]), Some(2));
        // A member from the future does not pull the mesh past what this x0t speaks.
        assert_eq!(
            agreed([speaks(2, PROTOCOL_VERSION + 5)]),
            Some(PROTOCOL_VERSION)
        );
        // A member not heard from blocks any change.
        assert_eq!(agreed([speaks(2, PROTOCOL_VERSION), None]), None);
    }
}
