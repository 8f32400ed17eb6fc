//! The live side of plan and apply: how Raft membership must change to match the manifest,
//! whether the change keeps a quorum, and carrying it out through the admin API.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::client::{revoke, unrevoke, Client, ClientError, ClusterStatus};
use crate::engine::identity::roster::Roster;
use crate::engine::manifest::{Manifest, NodeRole};
use crate::engine::node::raft::ROSTER_KEY;
use crate::engine::plan::{LiveTrust, NodeTrust};

/// What each answering node trusts and presents: gates the stages of a CA rollover.
pub fn trust_of(status: &ClusterStatus) -> LiveTrust {
    LiveTrust {
        nodes: status
            .nodes
            .iter()
            .filter(|n| n.reachable)
            .map(|n| {
                (
                    n.node.clone(),
                    NodeTrust {
                        anchors: n.trust_bundle.clone(),
                        svid_issuer: n.svid_issuer.clone(),
                    },
                )
            })
            .collect(),
    }
}

/// One membership change.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberChange {
    pub node: String,
    pub raft_id: u64,
    /// `add-voter`, `add-learner`, `promote`, `demote`, `remove`, `update-address`.
    pub action: &'static str,
    #[serde(skip)]
    pub address: String,
}

/// How the live cluster's membership changes.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MembershipChanges {
    pub leader: Option<String>,
    pub voters_before: Vec<String>,
    pub voters_after: Vec<String>,
    pub learners_before: Vec<String>,
    pub learners_after: Vec<String>,
    /// Voter failures tolerated before and after: (n - 1) / 2.
    pub tolerance_before: usize,
    pub tolerance_after: usize,
    pub changes: Vec<MemberChange>,
    /// Whether the reachable voters still form a majority of the new voter set.
    pub keeps_quorum: bool,
    pub reachable_voters_after: usize,
}

impl MembershipChanges {
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }
}

fn tolerance(voters: usize) -> usize {
    voters.saturating_sub(1) / 2
}

/// Compares the live membership with the manifest. `None` when no node answers (the mesh
/// is not running: the voters of the manifest form it at first start).
pub fn membership_changes(
    status: &ClusterStatus,
    m: &Manifest,
    raft_ids: &BTreeMap<String, u64>,
    gone: &BTreeMap<String, u64>,
) -> Option<MembershipChanges> {
    status.leader.as_ref()?;
    let reachable: Vec<String> = status
        .nodes
        .iter()
        .filter(|n| n.reachable)
        .map(|n| n.node.clone())
        .collect();
    let want_voters: Vec<String> = m
        .spec
        .nodes
        .iter()
        .filter(|n| n.role.is_voter())
        .map(|n| n.name.clone())
        .collect();
    let want_learners: Vec<String> = m
        .spec
        .nodes
        .iter()
        .filter(|n| n.role == NodeRole::Learner)
        .map(|n| n.name.clone())
        .collect();
    let mut changes = Vec::new();
    let addr = |name: &str| {
        m.node(name)
            .map(|n| n.advertise_addr().to_string())
            .unwrap_or_default()
    };
    let id = |name: &str| {
        raft_ids
            .get(name)
            .or_else(|| gone.get(name))
            .copied()
            .unwrap_or(0)
    };
    for v in &want_voters {
        if status.learners.contains(v) {
            changes.push(MemberChange {
                node: v.clone(),
                raft_id: id(v),
                action: "promote",
                address: addr(v),
            });
        } else if !status.voters.contains(v) {
            changes.push(MemberChange {
                node: v.clone(),
                raft_id: id(v),
                action: "add-voter",
                address: addr(v),
            });
        }
    }
    for l in &want_learners {
        if status.voters.contains(l) {
            changes.push(MemberChange {
                node: l.clone(),
                raft_id: id(l),
                action: "demote",
                address: addr(l),
            });
        } else if !status.learners.contains(l) {
            changes.push(MemberChange {
                node: l.clone(),
                raft_id: id(l),
                action: "add-learner",
                address: addr(l),
            });
        }
    }
    for n in status.voters.iter().chain(status.learners.iter()) {
        if !want_voters.contains(n) && !want_learners.contains(n) {
            changes.push(MemberChange {
                node: n.clone(),
                raft_id: id(n),
                action: "remove",
                address: String::new(),
            });
        }
    }
    // A member that stays but moved: peers must dial its new address.
    for n in want_voters.iter().chain(want_learners.iter()) {
        let member = status.voters.contains(n) || status.learners.contains(n);
        let want = addr(n);
        if member
            && !want.is_empty()
            && status.member_addresses.get(n).is_some_and(|a| *a != want)
            && !changes.iter().any(|c| &c.node == n)
        {
            changes.push(MemberChange {
                node: n.clone(),
                raft_id: id(n),
                action: "update-address",
                address: want,
            });
        }
    }
    // A voter being added is not running yet, so it does not count as reachable.
    let reachable_voters_after = want_voters.iter().filter(|v| reachable.contains(v)).count();
    Some(MembershipChanges {
        leader: status.leader.clone(),
        tolerance_before: tolerance(status.voters.len()),
        tolerance_after: tolerance(want_voters.len()),
        keeps_quorum: reachable_voters_after > want_voters.len() / 2,
        reachable_voters_after,
        voters_before: status.voters.clone(),
        voters_after: want_voters,
        learners_before: status.learners.clone(),
        learners_after: want_learners,
        changes,
    })
}

/// Publishes the roster to the replicated store: every node trusts (and refuses) by it.
pub async fn publish_roster(client: &Client, roster: &Roster) -> Result<(), ClientError> {
    match client.get(ROSTER_KEY).await {
        Ok(v) => {
            if let Ok(live) = serde_json::from_slice::<Roster>(&v.raw) {
                if live.mesh == roster.mesh && live.serial > roster.serial {
                    return Err(ClientError::StaleRoster {
                        live: live.serial,
                        ours: roster.serial,
                    });
                }
            }
        }
        Err(ClientError::NotFound(_)) => {}
        Err(e) => return Err(e),
    }
    let bytes = serde_json::to_vec(roster).expect("roster serialises");
    client.put(ROSTER_KEY, bytes).await?;
    Ok(())
}

/// Carries out the membership changes (after the roster is published); removed nodes are
/// revoked `at` that time.
pub async fn reconcile(
    client: &Client,
    roster: &Roster,
    plan: &MembershipChanges,
    at: time::OffsetDateTime,
) -> Result<(), ClientError> {
    let id = |node: &str| format!("spiffe://{}/node/{node}", roster.trust_domain);
    for c in &plan.changes {
        match c.action {
            // A node removed from the mesh is denied at once; one added (back) is not.
            "remove" => {
                revoke(client, &id(&c.node), "removed from the manifest", at).await?;
            }
            "add-voter" | "add-learner" => {
                unrevoke(client, &id(&c.node)).await?;
            }
            _ => {}
        }
        match c.action {
            "add-voter" | "promote" => {
                client
                    .add_member(&c.node, c.raft_id, &c.address, "voter")
                    .await?;
            }
            "add-learner" => {
                client
                    .add_member(&c.node, c.raft_id, &c.address, "learner")
                    .await?;
            }
            "update-address" => {
                client
                    .add_member(&c.node, c.raft_id, &c.address, "address")
                    .await?;
            }
            "demote" | "remove" => {
                client.remove_member(&c.node, c.raft_id).await?;
                if c.action == "demote" {
                    client
                        .add_member(&c.node, c.raft_id, &c.address, "learner")
                        .await?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}
