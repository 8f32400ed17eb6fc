//! The admin API the CLI calls: status, the key-value store, membership. Reads are
//! linearizable (served by the leader after a read-index round); writes go through Raft and
//! are recorded with the operator's SPIFFE ID. Viewers may only read.
//! It runs past 700 lines because tonic puts every admin RPC in one trait impl; each
//! method only checks its caller and hands over to the engine.

use openraft::error::{ClientWriteError, RaftError};
use openraft::ChangeMembers;
use tonic::metadata::MetadataValue;
use tonic::{Request, Response, Status};

use crate::engine::identity::roster::Roster;
use crate::engine::manifest::OperatorRole;
use crate::engine::node::batcher::Batcher;
use crate::engine::node::quota::{Admitted, StoreQuota};
use crate::engine::node::raft::{
    check_reserved, store_cost, AuditAction, AuditRecord, MeshNode, Raft, Request as Cmd,
    StateMachine, RESERVED_PREFIX, REVOKED_PREFIX, ROSTER_KEY,
};
use crate::engine::rag;
use crate::engine::rpc::Links;
use crate::engine::rpc::{pb, peer};
use crate::engine::snapshot::{self, Signer};
use crate::engine::transport::PeerKind;
use crate::engine::util::clock::Clock;
use crate::engine::util::timefmt;

mod status;

/// Metadata keys a not-leader error carries, so the CLI can retry on the leader.
pub const LEADER_NAME: &str = "x0t-leader";
pub const LEADER_ADDR: &str = "x0t-leader-addr";

/// Messages one `SendStream` call may have waiting for their destinations.
const SEND_WINDOW: usize = 8192;

/// Snapshot files travel in chunks of this size, well under the RPC message limit.
const SNAPSHOT_CHUNK: usize = 1 << 20;

/// This node, as status reports it.
#[derive(Debug, Clone)]
pub struct SelfInfo {
    pub name: String,
    pub raft_id: u64,
    pub spiffe_id: String,
    pub role: String,
}

/// What a voter or learner serves and a relay does not have.
pub struct RaftParts {
    pub raft: Raft,
    pub writes: Batcher,
    pub signer: Signer,
    pub sm: StateMachine,
    pub rag: std::sync::Arc<crate::engine::rag::host::RagHost>,
    pub quota: std::sync::Arc<StoreQuota>,
}

pub struct AdminService {
    /// `None` on a relay: it answers status and data-plane calls only.
    pub raft: Option<RaftParts>,
    pub me: SelfInfo,
    pub links: Links,
    pub mesh: std::sync::Arc<crate::engine::node::dataplane::DataPlane>,
    /// The live credentials (the SVID's expiry changes when it is renewed).
    pub transport: std::sync::Arc<crate::engine::transport::Transport>,
    /// The node's clock: audit records and snapshot headers are stamped with it.
    pub clock: Clock,
}

/// A write to a key x0t itself keeps in the store (the roster and the deny list), refused:
/// operators change them through `apply` and `revoke`, which write values this node checks
/// before they are committed.
fn reserved(key: &str) -> Status {
    Status::invalid_argument(format!(
        "key {key} is reserved for x0t (the roster, the deny list and the mesh protocol live under {RESERVED_PREFIX}); `x0t apply` and `x0t revoke` change the first two, the leader the protocol"
    ))
}

fn not_leader(leader: Option<(u64, MeshNode)>) -> Status {
    let mut s = match &leader {
        Some((_, n)) => Status::failed_precondition(format!(
            "not the leader; the leader is {} at {}",
            n.name, n.addr
        )),
        None => Status::unavailable("no leader elected yet; retry shortly"),
    };
    if let Some((_, n)) = leader {
        if let (Ok(name), Ok(addr)) = (
            MetadataValue::try_from(n.name.as_str()),
            MetadataValue::try_from(n.addr.as_str()),
        ) {
            s.metadata_mut().insert(LEADER_NAME, name);
            s.metadata_mut().insert(LEADER_ADDR, addr);
        }
    }
    s
}

fn write_error(e: RaftError<u64, ClientWriteError<u64, MeshNode>>) -> Status {
    match e {
        RaftError::APIError(ClientWriteError::ForwardToLeader(f)) => {
            not_leader(f.leader_id.zip(f.leader_node))
        }
        RaftError::APIError(ClientWriteError::ChangeMembershipError(c)) => {
            Status::failed_precondition(c.to_string())
        }
        RaftError::Fatal(f) => Status::internal(format!("raft stopped: {f}")),
    }
}

fn entry(key: String, e: crate::engine::node::raft::KvEntry) -> pb::KvEntry {
    pb::KvEntry {
        key,
        value: e.value,
        create_revision: e.create_revision,
        mod_revision: e.mod_revision,
        version: e.version,
    }
}

impl AdminService {
    /// The Raft side of this node, or the refusal a relay gives.
    fn r(&self) -> Result<&RaftParts, Status> {
        self.raft.as_ref().ok_or_else(|| {
            Status::failed_precondition(format!(
                "node {} is a relay: it carries data-plane traffic only and holds no Raft data",
                self.me.name
            ))
        })
    }

    /// The SPIFFE ID a change is recorded under. Who may call which method is the gate's
    /// business ([`crate::engine::node::gate`]); it has already admitted this caller.
    fn actor<T>(req: &Request<T>) -> Result<String, Status> {
        Ok(peer(req)?.spiffe_id)
    }

    /// Whose inbox a caller may read: an admin operator any on this node, a workload its
    /// own (an empty target names it).
    fn reader<T>(req: &Request<T>, target: &mut String) -> Result<(), Status> {
        let p = peer(req)?;
        if let PeerKind::Workload(name) = &p.kind {
            if target.is_empty() {
                *target = p.spiffe_id.clone();
            }
            if *target != p.spiffe_id {
                return Err(Status::permission_denied(format!(
                    "workload {name} may read only its own inbox"
                )));
            }
            return Ok(());
        }
        match p.kind {
            PeerKind::Operator(_, OperatorRole::Admin) => Ok(()),
            PeerKind::Operator(name, _) | PeerKind::Node(name) => {
                Err(Status::permission_denied(format!(
                    "{name} may not read inboxes: only admin operators and their own workloads may"
                )))
            }
            PeerKind::Workload(_) => unreachable!("handled above"),
        }
    }

    /// The roster in the replicated store, if one is there and readable.
    fn committed_roster(&self) -> Result<Option<Roster>, Status> {
        let entry = self.r()?.sm.get(ROSTER_KEY).map_err(store_error)?;
        Ok(entry.and_then(|e| serde_json::from_slice(&e.value).ok()))
    }

    /// A write under [`RESERVED_PREFIX`] must be a roster newer than the one committed and
    /// well formed, or a deny-list entry naming the identity its key names.
    /// Anything else there is refused, so no typo can cut the mesh apart.
    fn check_reserved_put(&self, key: &str, value: &[u8]) -> Result<(), Status> {
        if !key.starts_with(RESERVED_PREFIX) {
            return Ok(());
        }
        if key != ROSTER_KEY && !key.starts_with(REVOKED_PREFIX) {
            return Err(reserved(key));
        }
        let held = self.committed_roster()?;
        let td = &self.transport.trust.trust_domain;
        check_reserved(key, value, td, held.as_ref()).map_err(Status::invalid_argument)
    }

    /// A put's place under the store quota: the growth of the store it causes. Reserved
    /// keys (the roster, revocations) are always admitted, so a full store can still be
    /// secured.
    fn room_for(&self, key: &str, value_len: usize) -> Result<Option<Admitted<'_>>, Status> {
        if key.starts_with(RESERVED_PREFIX) {
            return Ok(None);
        }
        let p = self.r()?;
        let (used, held) = p.sm.usage(key);
        let growth = store_cost(key.len(), value_len).saturating_sub(held);
        p.quota.admit(used, growth).map(Some)
    }

    async fn linearize(&self) -> Result<(), Status> {
        self.r()?
            .raft
            .ensure_linearizable()
            .await
            .map(|_| ())
            .map_err(|e| match e {
                RaftError::APIError(openraft::error::CheckIsLeaderError::ForwardToLeader(f)) => {
                    not_leader(f.leader_id.zip(f.leader_node))
                }
                RaftError::APIError(other) => Status::unavailable(other.to_string()),
                RaftError::Fatal(f) => Status::internal(format!("raft stopped: {f}")),
            })
    }

    async fn write(&self, cmd: Cmd) -> Result<pb::KvWriteReply, Status> {
        let w = self.r()?.writes.write(cmd).await.map_err(write_error)?;
        Ok(pb::KvWriteReply {
            revision: w.revision,
            existed: w.existed,
        })
    }

    /// With `leader_only`, refuses unless this node leads, naming the leader.
    fn check_leader(&self, leader_only: bool) -> Result<(), Status> {
        if !leader_only {
            return Ok(());
        }
        let m = self.r()?.raft.metrics().borrow().clone();
        if m.current_leader == Some(self.me.raft_id) {
            return Ok(());
        }
        let leader = m.current_leader.and_then(|id| {
            let node = m.membership_config.membership().get_node(&id).cloned();
            node.map(|n| (id, n))
        });
        Err(not_leader(leader))
    }

    /// Takes a snapshot covering everything applied so far and waits until it is on disk.
    async fn snapshot_now(&self) -> Result<pb::SnapshotInfo, Status> {
        let mut rx = self.r()?.raft.metrics();
        // The store says when the file is recorded; raft's metrics say so only after the log
        // behind it is purged, which can take a while longer.
        let mut on_disk = self.r()?.sm.watch_newest();
        let want = rx.borrow().last_applied.map_or(0, |l| l.index);
        let covered = |have: Option<u64>| have.is_some_and(|h| h >= want);
        // A snapshot that already covers everything applied is current: no need to rebuild.
        if !covered(*on_disk.borrow_and_update()) {
            self.r()?
                .raft
                .trigger()
                .snapshot()
                .await
                .map_err(|e| Status::internal(format!("raft stopped: {e}")))?;
        }
        loop {
            if covered(*on_disk.borrow_and_update()) {
                break;
            }
            if let Err(e) = rx.borrow_and_update().running_state.clone() {
                return Err(Status::internal(format!("raft stopped: {e}")));
            }
            let gone = |_| Status::unavailable("the node is shutting down");
            tokio::select! {
                r = on_disk.changed() => r.map_err(gone)?,
                r = rx.changed() => r.map_err(gone)?,
            }
        }
        let stored = self.r()?.sm.snapshots().map_err(store_error)?;
        let last = stored
            .last()
            .ok_or_else(|| Status::internal("snapshot built but not recorded"))?;
        Ok(self.info(last))
    }

    fn info(&self, s: &crate::engine::node::raft::StoredSnapshot) -> pb::SnapshotInfo {
        let (index, term) = s
            .meta
            .last_log_id
            .map_or((0, 0), |l| (l.index, l.leader_id.term));
        pb::SnapshotInfo {
            id: s.meta.snapshot_id.clone(),
            index,
            term,
            size: s.bytes,
            node: self.me.name.clone(),
        }
    }

    /// Records a membership change made by `actor` in the audit trail. The change has already
    /// happened, so a record that cannot be written is reported as such.
    async fn record(
        &self,
        actor: String,
        action: AuditAction,
        node: &str,
        detail: String,
    ) -> Result<(), Status> {
        let cmd = Cmd::Audit {
            action,
            subject: node.to_string(),
            detail,
            actor,
            at: timefmt::rfc3339(self.clock.now()),
        };
        match self.r()?.writes.write(cmd).await {
            Ok(_) => Ok(()),
            Err(e) => {
                tracing::warn!(node, action = action.as_str(), error = %e, "membership changed but its audit record was not written");
                // Not a code the client retries: the change itself must not be made twice.
                Err(Status::aborted(format!(
                    "{} of {node} done, but its audit record was not written: {e}",
                    action.as_str()
                )))
            }
        }
    }

    /// Records a snapshot taken on `actor`'s request in the audit trail, when this node
    /// leads (only a leader can append it; a follower's snapshot is in its log only) and the
    /// mesh speaks protocol 3, whose members can all read such a record. The snapshot is
    /// taken either way, so a record that cannot be written is only logged.
    async fn record_snapshot(&self, actor: String, info: &pb::SnapshotInfo) {
        tracing::info!(%actor, snapshot = %info.id, index = info.index, "snapshot taken on request");
        let Ok(r) = self.r() else { return };
        let leads = r.raft.metrics().borrow().current_leader == Some(self.me.raft_id);
        if !leads || r.sm.mesh_protocol() < 3 {
            return;
        }
        let cmd = Cmd::Audit {
            action: AuditAction::Snapshot,
            subject: self.me.name.clone(),
            detail: format!("{} at index {}", info.id, info.index),
            actor,
            at: timefmt::rfc3339(self.clock.now()),
        };
        if let Err(e) = r.writes.write(cmd).await {
            tracing::warn!(snapshot = %info.id, error = %e, "snapshot taken but its audit record was not written");
        }
    }

    fn members(&self) -> Result<pb::MemberReply, Status> {
        let m = self.r()?.raft.metrics().borrow().membership_config.clone();
        let name = |id: &u64| {
            m.membership()
                .get_node(id)
                .map(|n| n.name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let voters: Vec<u64> = m.membership().voter_ids().collect();
        Ok(pb::MemberReply {
            voters: voters.iter().map(name).collect(),
            learners: m.membership().learner_ids().map(|id| name(&id)).collect(),
        })
    }
}

fn audit_record(r: AuditRecord) -> pb::AuditRecord {
    pb::AuditRecord {
        index: r.index,
        op: r.op,
        actor: r.actor,
        action: r.action.as_str().to_string(),
        key: r.key,
        at: r.at,
        detail: r.detail,
    }
}

fn store_error(e: crate::engine::node::raft::StoreError) -> Status {
    Status::internal(format!("store: {e}"))
}

#[tonic::async_trait]
impl pb::admin_server::Admin for AdminService {
    async fn status(
        &self,
        req: Request<pb::StatusRequest>,
    ) -> Result<Response<pb::StatusReply>, Status> {
        let caller = peer(&req)?;
        Ok(Response::new(self.status_reply(caller.kx_group)))
    }

    async fn kv_put(
        &self,
        req: Request<pb::KvPutRequest>,
    ) -> Result<Response<pb::KvWriteReply>, Status> {
        let actor = Self::actor(&req)?;
        let r = req.into_inner();
        if r.key.is_empty() {
            return Err(Status::invalid_argument("key must not be empty"));
        }
        self.check_reserved_put(&r.key, &r.value)?;
        let _room = self.room_for(&r.key, r.value.len())?;
        let cmd = Cmd::Put {
            key: r.key,
            value: r.value,
            actor,
            at: timefmt::rfc3339(self.clock.now()),
        };
        Ok(Response::new(self.write(cmd).await?))
    }

    async fn kv_delete(
        &self,
        req: Request<pb::KvDeleteRequest>,
    ) -> Result<Response<pb::KvWriteReply>, Status> {
        let actor = Self::actor(&req)?;
        let key = req.into_inner().key;
        if key.starts_with(RESERVED_PREFIX) && !key.starts_with(REVOKED_PREFIX) {
            return Err(reserved(&key));
        }
        let cmd = Cmd::Delete {
            key,
            actor,
            at: timefmt::rfc3339(self.clock.now()),
        };
        Ok(Response::new(self.write(cmd).await?))
    }

    async fn kv_get(
        &self,
        req: Request<pb::KvGetRequest>,
    ) -> Result<Response<pb::KvGetReply>, Status> {
        self.linearize().await?;
        let key = req.into_inner().key;
        let found = self.r()?.sm.get(&key).map_err(store_error)?;
        Ok(Response::new(match found {
            Some(e) => pb::KvGetReply {
                found: true,
                entry: Some(entry(key, e)),
            },
            None => pb::KvGetReply {
                found: false,
                entry: None,
            },
        }))
    }

    async fn kv_list(
        &self,
        req: Request<pb::KvListRequest>,
    ) -> Result<Response<pb::KvListReply>, Status> {
        self.linearize().await?;
        let prefix = req.into_inner().prefix;
        let entries = self.r()?.sm.list(&prefix).map_err(store_error)?;
        let revision = self
            .r()?
            .raft
            .metrics()
            .borrow()
            .last_applied
            .map(|l| l.index)
            .unwrap_or(0);
        Ok(Response::new(pb::KvListReply {
            entries: entries.into_iter().map(|(k, e)| entry(k, e)).collect(),
            revision,
        }))
    }

    async fn audit_list(
        &self,
        req: Request<pb::AuditListRequest>,
    ) -> Result<Response<pb::AuditListReply>, Status> {
        self.linearize().await?;
        let r = req.into_inner();
        let limit = match r.limit {
            0 => usize::MAX,
            n => usize::try_from(n).unwrap_or(usize::MAX),
        };
        let (records, revision) = self
            .r()?
            .sm
            .audit_tail(r.since, limit)
            .map_err(store_error)?;
        Ok(Response::new(pb::AuditListReply {
            records: records.into_iter().map(audit_record).collect(),
            revision,
        }))
    }

    async fn add_member(
        &self,
        req: Request<pb::MemberRequest>,
    ) -> Result<Response<pb::MemberReply>, Status> {
        let actor = Self::actor(&req)?;
        let r = req.into_inner();
        // The committed roster (the one apply wrote before this call), not the copy the
        // transport may still be swapping in.
        let roster = (self.committed_roster()?).unwrap_or_else(|| self.transport.trust.roster());
        match roster.nodes.iter().find(|n| n.name == r.node) {
            Some(n) if n.raft_id == r.raft_id && n.role.holds_raft() => {}
            Some(n) => {
                return Err(Status::invalid_argument(format!(
                    "node {} is raft id {} ({}) in the roster, not raft id {}",
                    r.node, n.raft_id, n.role, r.raft_id
                )))
            }
            None => {
                return Err(Status::invalid_argument(format!(
                    "node {} is not in the roster (serial {}): apply the manifest that adds it",
                    r.node, roster.serial
                )))
            }
        }
        let node = MeshNode {
            name: r.node.clone(),
            addr: r.address.clone(),
        };
        let detail = format!("raft id {} at {}", r.raft_id, r.address);
        // A member that moved: same identity, new address. Its peers dial the address the
        // membership holds, so it must change there, not only in the roster.
        if r.role == "address" {
            self.r()?
                .raft
                .change_membership(
                    ChangeMembers::SetNodes([(r.raft_id, node)].into_iter().collect()),
                    false,
                )
                .await
                .map_err(write_error)?;
            self.record(actor, AuditAction::MoveMember, &r.node, detail)
                .await?;
            return Ok(Response::new(self.members()?));
        }
        // A new member first catches up as a learner; a voter is then promoted.
        self.r()?
            .raft
            .add_learner(r.raft_id, node, true)
            .await
            .map_err(write_error)?;
        let action = if r.role == "voter" {
            let add = ChangeMembers::AddVoterIds([r.raft_id].into_iter().collect());
            let promoted = self.r()?.raft.change_membership(add, false).await;
            if let Err(e) = promoted {
                // The learner stays: record that much before reporting the failed promotion.
                let learner = AuditAction::AddLearner;
                self.record(actor, learner, &r.node, detail).await?;
                return Err(write_error(e));
            }
            AuditAction::AddVoter
        } else {
            AuditAction::AddLearner
        };
        self.record(actor, action, &r.node, detail).await?;
        Ok(Response::new(self.members()?))
    }

    async fn remove_member(
        &self,
        req: Request<pb::MemberRequest>,
    ) -> Result<Response<pb::MemberReply>, Status> {
        let actor = Self::actor(&req)?;
        let r = req.into_inner();
        let m = self.r()?.raft.metrics().borrow().membership_config.clone();
        let ids: std::collections::BTreeSet<u64> = [r.raft_id].into_iter().collect();
        if m.membership().voter_ids().any(|v| v == r.raft_id) {
            self.r()?
                .raft
                .change_membership(ChangeMembers::RemoveVoters(ids.clone()), false)
                .await
                .map_err(write_error)?;
        }
        self.r()?
            .raft
            .change_membership(ChangeMembers::RemoveNodes(ids), false)
            .await
            .map_err(write_error)?;
        let detail = format!("raft id {}", r.raft_id);
        self.record(actor, AuditAction::RemoveMember, &r.node, detail)
            .await?;
        Ok(Response::new(self.members()?))
    }
    async fn rag_query(
        &self,
        req: Request<pb::RagQueryRequest>,
    ) -> Result<Response<pb::RagQueryReply>, Status> {
        let r = req.into_inner();
        let mode = rag::Mode::parse(&r.mode).ok_or_else(|| {
            Status::invalid_argument(format!("unknown mode `{}` (hybrid, bm25, vector)", r.mode))
        })?;
        if r.text.len() > 16 << 10 || !(1..=100).contains(&r.k) {
            return Err(Status::invalid_argument(
                "a query is at most 16 KiB and k is 1..=100",
            ));
        }
        let report = self
            .r()?
            .rag
            .query(r.text, r.k as usize, mode)
            .await
            .map_err(|e| {
                let hints = e.hints().join("; ");
                Status::failed_precondition(if hints.is_empty() {
                    e.to_string()
                } else {
                    format!("{e} (hint: {hints})")
                })
            })?;
        Ok(Response::new(pb::RagQueryReply {
            embedder: report.embedder.id,
            fallback: report.embedder.fallback,
            built_index: report.built_index,
            embed_micros: report.timings.embed.as_micros() as u64,
            search_micros: report.timings.search.as_micros() as u64,
            hits: report.hits.into_iter().map(pb::RagHit::from).collect(),
        }))
    }

    async fn snapshot_create(
        &self,
        req: Request<pb::SnapshotRequest>,
    ) -> Result<Response<pb::SnapshotInfo>, Status> {
        let actor = Self::actor(&req)?;
        self.check_leader(req.get_ref().leader_only)?;
        let info = self.snapshot_now().await?;
        self.record_snapshot(actor, &info).await;
        Ok(Response::new(info))
    }

    async fn snapshot_list(
        &self,
        req: Request<pb::SnapshotRequest>,
    ) -> Result<Response<pb::SnapshotListReply>, Status> {
        self.check_leader(req.get_ref().leader_only)?;
        let stored = self.r()?.sm.snapshots().map_err(store_error)?;
        Ok(Response::new(pb::SnapshotListReply {
            snapshots: stored.iter().map(|s| self.info(s)).collect(),
        }))
    }

    type SnapshotFetchStream = std::pin::Pin<
        Box<dyn tokio_stream::Stream<Item = Result<pb::SnapshotChunk, Status>> + Send>,
    >;

    async fn snapshot_fetch(
        &self,
        req: Request<pb::SnapshotRequest>,
    ) -> Result<Response<Self::SnapshotFetchStream>, Status> {
        // The file holds every key: only operators may take one away, viewers included (they
        // can read every key anyway), nodes not.
        let caller = peer(&req)?;
        if let PeerKind::Node(name) = &caller.kind {
            return Err(Status::permission_denied(format!(
                "node {name} may not fetch snapshots"
            )));
        }
        self.check_leader(req.get_ref().leader_only)?;
        // For an admin, a fresh snapshot, so the file holds every write acknowledged before
        // this call. A viewer gets the newest one on disk: reading may not make a node do
        // the work (and take the disk space) of building one.
        if let PeerKind::Operator(_, OperatorRole::Admin) = &caller.kind {
            let info = self.snapshot_now().await?;
            self.record_snapshot(caller.spiffe_id.clone(), &info).await;
        }
        let sm = self.r()?.sm.clone();
        let latest = tokio::task::spawn_blocking(move || sm.open_latest())
            .await
            .map_err(|e| Status::internal(format!("snapshot task failed: {e}")))?
            .map_err(store_error)?
            .ok_or_else(|| {
                Status::failed_precondition(
                    "no snapshot yet on this node: an admin operator can take one (`x0t snapshot create`)",
                )
            })?;
        // Sign with the key the node uses now (a rotation may have replaced the one it
        // started with).
        let creds = self.transport.creds();
        let signer = Signer {
            algorithm: creds.dsa,
            secret: creds.dsa_secret.clone(),
            key_fingerprint: creds.dsa_fingerprint.trim_start_matches("sha256:").into(),
            ..self.r()?.signer.clone()
        };
        let sealed = snapshot::seal_parts(
            &signer,
            &latest.payload_meta,
            latest.len,
            latest.sha256.clone(),
            timefmt::rfc3339(self.clock.now()),
        )
        .map_err(|e| Status::internal(format!("cannot seal the snapshot: {e}")))?;
        let size = sealed.head.len() as u64 + latest.len + sealed.tail.len() as u64;
        tracing::info!(actor = %caller.spiffe_id, bytes = size, "snapshot fetched");
        // Head, the payload read from the file chunk by chunk, tail. The receiver checks the
        // payload against the signed hash, so a file damaged on disk is caught there.
        let head = futures_util::stream::iter([Ok(pb::SnapshotChunk {
            data: sealed.head.into(),
        })]);
        let file = tokio::fs::File::from_std(latest.file);
        let body =
            futures_util::stream::unfold((file, latest.len), |(mut file, left)| async move {
                use tokio::io::AsyncReadExt;
                if left == 0 {
                    return None;
                }
                let want = left.min(SNAPSHOT_CHUNK as u64) as usize;
                let mut data = vec![0u8; want];
                match file.read_exact(&mut data).await {
                    Ok(_) => Some((
                        Ok(pb::SnapshotChunk { data: data.into() }),
                        (file, left - want as u64),
                    )),
                    Err(e) => Some((
                        Err(Status::data_loss(format!(
                            "cannot read the snapshot file: {e}"
                        ))),
                        (file, 0),
                    )),
                }
            });
        let tail = futures_util::stream::iter([Ok(pb::SnapshotChunk {
            data: sealed.tail.into(),
        })]);
        use futures_util::StreamExt;
        Ok(Response::new(Box::pin(head.chain(body).chain(tail))))
    }

    async fn mesh_links(
        &self,
        _: Request<pb::MeshRequest>,
    ) -> Result<Response<pb::MeshLinksReply>, Status> {
        Ok(Response::new(self.mesh.links_reply()))
    }

    async fn mesh_routes(
        &self,
        _: Request<pb::MeshRequest>,
    ) -> Result<Response<pb::MeshRoutesReply>, Status> {
        Ok(Response::new(self.mesh.routes_reply()))
    }

    async fn mesh_ping(
        &self,
        req: Request<pb::MeshPingRequest>,
    ) -> Result<Response<pb::MeshPingReply>, Status> {
        Ok(Response::new(self.mesh.ping(req.into_inner()).await?))
    }

    async fn send(&self, req: Request<pb::SendRequest>) -> Result<Response<pb::SendReply>, Status> {
        // Who may send to whom is the destination's decision; the sender is who called.
        let sender = peer(&req)?.spiffe_id;
        let reply = self.mesh.send_request(&sender, req.into_inner()).await?;
        Ok(Response::new(reply))
    }

    type SendStreamStream =
        std::pin::Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::SendReply, Status>> + Send>>;

    async fn send_stream(
        &self,
        req: Request<tonic::Streaming<pb::SendRequest>>,
    ) -> Result<Response<Self::SendStreamStream>, Status> {
        let sender = peer(&req)?.spiffe_id;
        let replies = self
            .mesh
            .clone()
            .send_stream(sender, req.into_inner(), SEND_WINDOW);
        Ok(Response::new(Box::pin(replies)))
    }

    async fn recv(&self, req: Request<pb::RecvRequest>) -> Result<Response<pb::RecvReply>, Status> {
        let mut target = req.get_ref().target.clone();
        Self::reader(&req, &mut target)?;
        let r = pb::RecvRequest {
            target,
            ..req.into_inner()
        };
        Ok(Response::new(self.mesh.recv_request(r).await?))
    }

    async fn confirm(
        &self,
        req: Request<pb::ConfirmRequest>,
    ) -> Result<Response<pb::ConfirmReply>, Status> {
        let mut target = req.get_ref().target.clone();
        Self::reader(&req, &mut target)?;
        let r = pb::ConfirmRequest {
            target,
            ..req.into_inner()
        };
        Ok(Response::new(self.mesh.confirm_request(r).await?))
    }

    async fn chaos_link(
        &self,
        req: Request<pb::LinkFault>,
    ) -> Result<Response<pb::ChaosLinkReply>, Status> {
        let actor = Self::actor(&req)?;
        let reply = self.mesh.chaos_link(req.into_inner())?;
        tracing::warn!(%actor, "chaos: link fault changed");
        Ok(Response::new(reply))
    }
}
