//! The live side of plan and apply: how Raft membership must change to match the manifest,
//! whether the change keeps a quorum, and carrying it out through the admin API.

use std::collections::BTreeMap;

use serde::Serialize;

use super::client::{Client, ClientError, ClusterStatus};
use crate::engine::manifest::{Manifest, NodeRole};
use crate::engine::plan::{LiveTrust, NodeTrust};
use crate::engine::roster::Roster;

/// The key under which the replicated roster lives.
pub const ROSTER_KEY: &str = "/x0t/roster";

/// The replicated deny list: one key per revoked SPIFFE ID under this prefix. Every node
/// refuses those identities and cuts their open connections once the entry is applied.
pub const REVOKED_PREFIX: &str = "/x0t/revoked/";

/// Why and when an identity was revoked (the value of its deny-list key).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Revocation {
    pub spiffe_id: String,
    pub reason: String,
    #[serde(with = "crate::engine::timefmt::rfc3339_serde")]
    pub revoked_at: time::OffsetDateTime,
}

/// Puts `spiffe_id` on the deny list; returns the write's revision.
pub async fn revoke(
    client: &Client,
    spiffe_id: &str,
    reason: &str,
) -> Result<super::client::KvWrite, ClientError> {
    let r = Revocation {
        spiffe_id: spiffe_id.into(),
        reason: reason.into(),
        revoked_at: crate::engine::timefmt::now(),
    };
    let bytes = serde_json::to_vec(&r).expect("revocation serialises");
    client
        .put(&format!("{REVOKED_PREFIX}{spiffe_id}"), bytes)
        .await
}

/// Takes `spiffe_id` off the deny list; `None` when it was not on it.
pub async fn unrevoke(
    client: &Client,
    spiffe_id: &str,
) -> Result<Option<super::client::KvWrite>, ClientError> {
    match client.delete(&format!("{REVOKED_PREFIX}{spiffe_id}")).await {
        Ok(w) => Ok(Some(w)),
        Err(ClientError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The deny list as the mesh holds it.
pub async fn revocations(client: &Client) -> Result<Vec<Revocation>, ClientError> {
    let (values, _) = client.list(REVOKED_PREFIX).await?;
    Ok(values
        .into_iter()
        .filter_map(|v| serde_json::from_slice(&v.raw).ok())
        .collect())
}

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
pub struct MembershipPlan {
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

impl MembershipPlan {
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }
}

fn tolerance(voters: usize) -> usize {
    voters.saturating_sub(1) / 2
}

/// Compares the live membership with the manifest. `None` when no node answers (the mesh
/// is not running: the voters of the manifest form it at first start).
pub fn membership_plan(
    status: &ClusterStatus,
    m: &Manifest,
    raft_ids: &BTreeMap<String, u64>,
    gone: &BTreeMap<String, u64>,
) -> Option<MembershipPlan> {
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
        .filter(|n| n.role == NodeRole::Voter)
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
    Some(MembershipPlan {
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

/// Carries out the membership changes (after the roster is published).
pub async fn reconcile(
    client: &Client,
    roster: &Roster,
    plan: &MembershipPlan,
) -> Result<(), ClientError> {
    let id = |node: &str| format!("spiffe://{}/node/{node}", roster.trust_domain);
    for c in &plan.changes {
        match c.action {
            // A node removed from the mesh is denied at once; one added (back) is not.
            "remove" => {
                revoke(client, &id(&c.node), "removed from the manifest").await?;
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
