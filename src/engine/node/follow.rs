//! What every Raft-holding node follows as the log is applied: Raft's metrics into
//! Prometheus, the store's size under its quota, the roster's learners brought into the
//! membership by the leader, and the replicated roster and deny list taken up by the
//! transport (each roster checked first, see [`Trust::adopt_roster`]).
//!
//! [`Trust::adopt_roster`]: crate::engine::transport::Trust::adopt_roster

use std::sync::{Arc, Mutex};

use crate::engine::manifest::NodeRole;
use crate::engine::node::quota::StoreQuota;
use crate::engine::node::raft::{self, MeshNode, Raft};
use crate::engine::telemetry::Metrics;
use crate::engine::transport::Transport;

/// Mirrors Raft's metrics into Prometheus, and swaps in the replicated roster whenever a
/// newer one is applied.
pub async fn watch_raft(
    raft: Raft,
    metrics: Arc<Metrics>,
    sm: raft::StateMachine,
    quota: Arc<StoreQuota>,
    transport: Arc<Transport>,
) {
    let trust = transport.trust.clone();
    let mut rx = raft.metrics();
    let mut leader = None;
    let mut roster_rev = 0;
    let mut revocations_checked = 0;
    // Learners being added; one that fails (the first membership is not committed yet, say)
    // leaves the set and is tried again on the next change.
    let joining: Arc<Mutex<std::collections::HashSet<u64>>> = Default::default();
    loop {
        let (applied, missing) = {
            let m = rx.borrow_and_update();
            // The leader brings in the roster's learners that are not members yet (the first
            // apply's learners, which `initialize` cannot name).
            let missing: Vec<(u64, MeshNode)> = if m.current_leader == Some(m.id) {
                let members: std::collections::HashSet<u64> = m
                    .membership_config
                    .membership()
                    .nodes()
                    .map(|(id, _)| *id)
                    .collect();
                trust
                    .roster()
                    .nodes
                    .iter()
                    .filter(|n| {
                        n.role == NodeRole::Learner
                            && !members.contains(&n.raft_id)
                            && !joining.lock().expect("joining").contains(&n.raft_id)
                    })
                    .map(|n| {
                        (
                            n.raft_id,
                            MeshNode {
                                name: n.name.clone(),
                                addr: n.address.clone(),
                            },
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let r = &metrics.raft;
            r.term.set(m.current_term as i64);
            r.last_log_index.set(m.last_log_index.unwrap_or(0) as i64);
            r.applied_index
                .set(m.last_applied.map(|l| l.index).unwrap_or(0) as i64);
            r.set_leader(m.current_leader == Some(m.id));
            if m.current_leader != leader && m.current_leader.is_some() {
                r.leader_changes.inc();
                leader = m.current_leader;
            }
            (m.last_applied.map(|l| l.index).unwrap_or(0), missing)
        };
        quota.observe(sm.store_bytes());
        for (id, node) in missing {
            joining.lock().expect("joining").insert(id);
            let (raft, joining) = (raft.clone(), joining.clone());
            tokio::spawn(async move {
                match raft.add_learner(id, node.clone(), false).await {
                    Ok(_) => tracing::info!(node = %node.name, "added learner from the roster"),
                    Err(e) => {
                        tracing::debug!(node = %node.name, "will retry adding learner: {e}");
                        joining.lock().expect("joining").remove(&id);
                    }
                }
            });
        }
        if applied > roster_rev {
            if let Ok(Some(e)) = sm.get(crate::engine::node::raft::ROSTER_KEY) {
                if e.mod_revision > roster_rev {
                    let adopted =
                        serde_json::from_slice::<crate::engine::identity::roster::Roster>(&e.value)
                            .map_err(|err| err.to_string())
                            .and_then(|r| {
                                let nodes = r.nodes.len();
                                trust.adopt_roster(r).map(|changed| (changed, nodes))
                            });
                    match adopted {
                        Ok((true, nodes)) => {
                            tracing::info!(
                                revision = e.mod_revision,
                                nodes,
                                "roster updated from the replicated store"
                            );
                            transport.activate_pending_key();
                        }
                        Ok((false, _)) => {}
                        Err(err) => tracing::warn!(
                            revision = e.mod_revision,
                            "ignoring the replicated roster: {err}"
                        ),
                    }
                    roster_rev = e.mod_revision;
                }
            }
        }
        if applied > revocations_checked {
            revocations_checked = applied;
            match sm.list(crate::engine::node::raft::REVOKED_PREFIX) {
                Ok(list) => {
                    let set: std::collections::HashSet<String> = list
                        .into_iter()
                        .map(|(k, _)| {
                            k[crate::engine::node::raft::REVOKED_PREFIX.len()..].to_string()
                        })
                        .collect();
                    let before = trust.revoked();
                    for id in set.difference(&before) {
                        tracing::warn!(peer = %id, "revoked: refusing it and closing its connections");
                    }
                    for id in before.difference(&set) {
                        tracing::info!(peer = %id, "revocation lifted");
                    }
                    trust.set_revoked(set);
                }
                Err(e) => tracing::warn!("cannot read the deny list: {e}"),
            }
        }
        if rx.changed().await.is_err() {
            return;
        }
    }
}
