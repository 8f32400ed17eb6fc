//! The engine API behind `plan`, `apply`, `up` and `keys rotate`: [`prepare`] computes the
//! plan against the state directory and, when it runs, the live mesh; [`Prepared::apply`]
//! carries it out, publishing the roster and changing Raft membership on the live mesh.
//! Commands hand it typed addresses and options and render what comes back.

use std::time::Duration;

use time::OffsetDateTime;

use crate::engine::bundle::OperatorBundle;
use crate::engine::client::{Client, ClusterStatus};
use crate::engine::identity::roster::Roster;
use crate::engine::manifest::{Manifest, OperatorRole};
use crate::engine::plan::apply::ApplyError;
use crate::engine::plan::apply::{self, ApplyOptions, ApplyReport};
use crate::engine::plan::membership::{self, MemberChange};
use crate::engine::plan::PlanError;
use crate::engine::plan::{self, Address, LiveTrust, Plan, ResourceType};
use crate::engine::state::{self, layout, Lock, StateDir};

/// What to plan.
#[derive(Debug, Clone)]
pub struct Request {
    /// The planning time (expiry and rotation windows are judged against it).
    pub now: OffsetDateTime,
    /// Resources to replace even though they are not due (`--replace`).
    pub replace: Vec<Address>,
    /// How long to wait for the live mesh (its status, a leader).
    pub timeout: Duration,
}

/// What the look at the live mesh found, for the command to tell the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveNote {
    /// No node answered: there is no live membership to change.
    NotRunning,
    /// Nodes answered but none leads: membership changes are left out of the plan.
    NoLeader,
}

/// The running mesh as plan and apply see it: a client acting as the first admin operator,
/// and the status of every node when one answers.
pub struct LiveMesh {
    rt: tokio::runtime::Runtime,
    client: Client,
    /// `None` when no node answered.
    status: Option<ClusterStatus>,
}

impl LiveMesh {
    /// Asks the mesh for its status, when the state directory was applied before and names
    /// an admin operator. A mesh that is not running has nothing to reconcile.
    fn probe(
        m: &Manifest,
        dir: &StateDir,
        timeout: Duration,
    ) -> (Option<LiveMesh>, Option<LiveNote>) {
        let Some(state) = dir.load().ok().flatten() else {
            return (None, None);
        };
        if state.serial == 0 {
            return (None, None);
        }
        let Some(op) = m
            .spec
            .operators
            .iter()
            .find(|o| o.role == OperatorRole::Admin)
        else {
            return (None, None);
        };
        let Some(client) = OperatorBundle::from_state(dir, &op.name)
            .ok()
            .and_then(|b| Client::new(b, timeout).ok())
        else {
            return (None, None);
        };
        let Ok(rt) = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        else {
            return (None, None);
        };
        let status = rt.block_on(status_with_leader(&client, timeout));
        let answered = status.nodes.iter().any(|n| n.reachable);
        let note = if !answered {
            Some(LiveNote::NotRunning)
        } else if status.leader.is_none() {
            Some(LiveNote::NoLeader)
        } else {
            None
        };
        let live = LiveMesh {
            rt,
            client,
            status: answered.then_some(status),
        };
        (Some(live), note)
    }

    /// What the answering nodes trust, which gates the stages of a CA rollover.
    fn trust(&self) -> Option<LiveTrust> {
        self.status.as_ref().map(membership::trust_of)
    }
}

/// The mesh's status once a node claims the lead, or the last answer when `patience` runs
/// out: a freshly started mesh may still be electing when plan asks.
async fn status_with_leader(client: &Client, patience: Duration) -> ClusterStatus {
    let answered_with_leader =
        |s: &ClusterStatus| !s.nodes.iter().any(|n| n.reachable) || s.leader.is_some();
    match client.status_until(patience, answered_with_leader).await {
        Ok(s) | Err(s) => s,
    }
}

/// A computed plan, ready to render and to apply.
pub struct Prepared {
    pub plan: Plan,
    /// What the look at the live mesh found, when there is something to say.
    pub live_note: Option<LiveNote>,
    live: Option<LiveMesh>,
}

/// Computes the plan of `m` against `dir` and, when it runs, the live mesh.
pub fn prepare(m: &Manifest, dir: &StateDir, req: &Request) -> Result<Prepared, PlanError> {
    let (live, live_note) = LiveMesh::probe(m, dir, req.timeout);
    let trust = live.as_ref().and_then(LiveMesh::trust);
    let mut plan = plan::plan_with(m, dir, req.now, &req.replace, trust.as_ref())?;
    if let Some(status) = live.as_ref().and_then(|l| l.status.as_ref()) {
        let gone = plan
            .state
            .nodes
            .iter()
            .map(|(k, v)| (k.clone(), v.raft_id))
            .collect();
        plan.membership = membership::membership_changes(status, m, &plan.raft_ids, &gone);
    }
    Ok(Prepared {
        plan,
        live_note,
        live,
    })
}

/// The state lock held for an apply, and whether an interrupted earlier apply had to be
/// finished first.
pub struct ApplyLock {
    _lock: Lock,
    pub recovered: bool,
}

/// Takes the state lock of `dir` (creating the directory), waiting up to `timeout` for
/// another holder (`on_wait` is told who), then finishes an interrupted apply.
pub fn lock(
    dir: &StateDir,
    timeout: Duration,
    on_wait: impl FnMut(&str),
) -> Result<ApplyLock, ApplyError> {
    dir.create()?;
    let lock =
        Lock::acquire(&dir.root, "x0t apply", timeout, on_wait).map_err(state::StateError::from)?;
    let recovered = state::recover(dir)?;
    Ok(ApplyLock {
        _lock: lock,
        recovered,
    })
}

/// What an apply did: the files, and the live membership changes.
pub struct Applied {
    pub report: ApplyReport,
    pub membership: Vec<MemberChange>,
}

impl Prepared {
    /// Why the plan must not be applied without `--force`: a membership change that would
    /// leave the mesh without a quorum. Returns (reachable voters after, voters after).
    pub fn quorum_loss(&self) -> Option<(usize, usize)> {
        let m = self.plan.membership.as_ref()?;
        (!m.keeps_quorum).then_some((m.reachable_voters_after, m.voters_after.len()))
    }

    /// Carries the plan out (under the lock the caller holds): files first, as one
    /// crash-safe transaction, then the live mesh learns the new roster and membership.
    /// With the mesh running, the new roster (new public keys, retired ones kept) reaches
    /// every node before the new secret keys are on disk for nodes to reload.
    pub fn apply(
        &self,
        m: &Manifest,
        dir: &StateDir,
        opts: ApplyOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Applied, ApplyError> {
        let p = &self.plan;
        let live = self.live.as_ref().filter(|_| p.membership.is_some());
        let published = std::cell::Cell::new(false);
        let publish = |roster: &Roster| -> Result<(), ApplyError> {
            if let Some(l) = live {
                l.rt.block_on(membership::publish_roster(&l.client, roster))?;
                published.set(true);
            }
            Ok(())
        };
        let report = apply::apply_with(m, dir, p, opts, progress, &publish)?;
        let roster_changed = p
            .actions
            .iter()
            .any(|a| a.resource_type == ResourceType::Roster);
        let mut changes = Vec::new();
        if let (Some(l), Some(mp)) = (
            live,
            p.membership
                .as_ref()
                .filter(|mp| mp.has_changes() || roster_changed),
        ) {
            let bytes = dir.read(layout::ROSTER)?;
            let roster: Roster =
                serde_json::from_slice(&bytes).map_err(|e| ApplyError::Corrupt {
                    path: dir.path(layout::ROSTER),
                    message: e.to_string(),
                })?;
            if !published.get() {
                l.rt.block_on(membership::publish_roster(&l.client, &roster))?;
            }
            // Revocations of removed nodes are stamped when they happen, not when planned.
            let at = crate::engine::util::timefmt::now();
            l.rt.block_on(membership::reconcile(&l.client, &roster, mp, at))?;
            changes = mp.changes.clone();
        }
        Ok(Applied {
            report,
            membership: changes,
        })
    }
}
