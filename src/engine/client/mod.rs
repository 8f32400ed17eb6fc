//! The operator's side of the admin API: connect to nodes over the mesh transport with an
//! operator identity, follow the leader, and return typed results.

mod mesh;
mod revoke;
mod status;
pub mod workload;

pub use mesh::{
    FaultView, Inbox, LinkFaults, MeshLink, MeshLinks, MeshPing, MeshRoutes, NodeFaults, NodeLinks,
    NodeRoutes, PingAttempt, PingHop, Received, Sent,
};
pub use revoke::{revocations, revoke, unrevoke, Revocation};
pub use status::{ClusterStatus, LinkStatus, NodeStatus};

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tonic::transport::Channel;

use crate::engine::bundle::OperatorBundle;
use crate::engine::node::admin::{LEADER_ADDR, LEADER_NAME};
use crate::engine::rpc::{self, pb, Links};
use crate::engine::transport::{LogObserver, Transport, TransportError};

/// Why an admin call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("no node answered: {0}")]
    NoNode(String),
    #[error("{node}: {message}")]
    Rpc {
        node: String,
        code: tonic::Code,
        message: String,
    },
    #[error("key not found: {0}")]
    NotFound(String),
    #[error("the mesh holds roster serial {live}, newer than this state directory's {ours}: the state directory is stale")]
    StaleRoster { live: u64, ours: u64 },
    #[error(transparent)]
    Transport(#[from] TransportError),
}

impl ClientError {
    pub fn hints(&self) -> Vec<String> {
        match self {
            ClientError::NoNode(_) => vec!["are the nodes running? `x0t up` or `x0t node run NAME` starts them; --timeout waits longer".into()],
            ClientError::Rpc { code: tonic::Code::PermissionDenied, .. } => vec!["use an operator with role admin (--operator NAME)".into()],
            ClientError::StaleRoster { .. } => vec!["apply from the newest state directory (the one the last apply used); an older copy would take back keys and members the mesh already has".into()],
            _ => Vec::new(),
        }
    }
}

/// A stored value.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KvValue {
    pub key: String,
    #[serde(skip)]
    pub raw: Vec<u8>,
    /// The value as UTF-8 (lossy) for JSON output.
    pub value: String,
    pub revision: u64,
    pub create_revision: u64,
    pub version: u64,
}

impl From<pb::KvEntry> for KvValue {
    fn from(e: pb::KvEntry) -> KvValue {
        KvValue {
            key: e.key,
            value: String::from_utf8_lossy(&e.value).into_owned(),
            raw: e.value,
            revision: e.mod_revision,
            create_revision: e.create_revision,
            version: e.version,
        }
    }
}

/// One record of the replicated audit trail.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// The log index (revision) of the entry that carried the change.
    pub index: u64,
    /// The command's position within that entry.
    pub op: u32,
    /// RFC 3339 time the node took the call.
    pub at: String,
    /// SPIFFE ID of the operator.
    pub actor: String,
    /// put, delete, addLearner, addVoter, removeMember, moveMember or snapshot.
    pub action: String,
    /// The key, or the node for membership actions.
    pub key: String,
    pub detail: String,
}

impl From<pb::AuditRecord> for AuditEntry {
    fn from(r: pb::AuditRecord) -> AuditEntry {
        AuditEntry {
            index: r.index,
            op: r.op,
            at: r.at,
            actor: r.actor,
            action: r.action,
            key: r.key,
            detail: r.detail,
        }
    }
}

/// A snapshot kept on a node.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotInfo {
    pub node: String,
    pub id: String,
    pub index: u64,
    pub term: u64,
    pub size: u64,
}

impl From<pb::SnapshotInfo> for SnapshotInfo {
    fn from(s: pb::SnapshotInfo) -> SnapshotInfo {
        SnapshotInfo {
            node: s.node,
            id: s.id,
            index: s.index,
            term: s.term,
            size: s.size,
        }
    }
}

/// The result of a put or delete.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KvWrite {
    pub schema_version: u32,
    pub key: String,
    pub revision: u64,
    pub existed: bool,
}

pub struct Client {
    transport: Arc<Transport>,
    endpoints: Vec<(String, String)>,
    /// Relays answer status and data-plane calls only.
    relays: Vec<(String, String)>,
    trust_domain: String,
    timeout: Duration,
    /// One multiplexed HTTP/2 channel per address: a handshake (TLS + ML-DSA binding) per
    /// node, not per call.
    channels: std::sync::Mutex<std::collections::HashMap<String, Channel>>,
    /// The endpoint that served the last call.
    last_ok: std::sync::Mutex<Option<(String, String)>>,
}

impl Client {
    pub fn new(op: OperatorBundle, timeout: Duration) -> Result<Client, ClientError> {
        let trust_domain = op.creds.roster.trust_domain.clone();
        let endpoints = op.endpoints.clone();
        let relays = op.relays.clone();
        let transport = Transport::new(op.creds, true, Arc::new(LogObserver))?;
        Ok(Client {
            transport: Arc::new(transport),
            endpoints,
            relays,
            trust_domain,
            timeout,
            channels: Default::default(),
            last_ok: Default::default(),
        })
    }

    /// The mesh's trust domain.
    pub fn trust_domain(&self) -> &str {
        &self.trust_domain
    }

    /// The same identity, talking only to the named nodes (a survivor-only view, say).
    pub fn only(&self, nodes: &[String]) -> Client {
        Client {
            transport: self.transport.clone(),
            endpoints: self
                .endpoints
                .iter()
                .filter(|(n, _)| nodes.contains(n))
                .cloned()
                .collect(),
            relays: self
                .relays
                .iter()
                .filter(|(n, _)| nodes.contains(n))
                .cloned()
                .collect(),
            trust_domain: self.trust_domain.clone(),
            timeout: self.timeout,
            channels: Default::default(),
            last_ok: Default::default(),
        }
    }

    fn channel(&self, node: &str, addr: &str) -> Channel {
        let mut cache = self.channels.lock().expect("channel cache");
        cache
            .entry(addr.to_string())
            .or_insert_with(|| {
                let id = format!("spiffe://{}/node/{node}", self.trust_domain);
                let links: Links = Default::default();
                rpc::channel(
                    self.transport.clone(),
                    addr.into(),
                    id,
                    node.into(),
                    links,
                    self.timeout,
                )
            })
            .clone()
    }

    fn admin(&self, node: &str, addr: &str) -> pb::admin_client::AdminClient<Channel> {
        pb::admin_client::AdminClient::new(self.channel(node, addr))
            .max_decoding_message_size(rpc::MAX_MESSAGE)
    }

    /// Calls `f` on a node, following not-leader redirects; tries every endpoint in turn.
    async fn on_leader<T, F, Fut>(&self, f: F) -> Result<T, ClientError>
    where
        F: Fn(pb::admin_client::AdminClient<Channel>) -> Fut,
        Fut: std::future::Future<Output = Result<tonic::Response<T>, tonic::Status>>,
    {
        // Right after a leader dies nobody may know the next one yet: keep asking until
        // the timeout, so that a write during an election waits instead of failing.
        let deadline = tokio::time::Instant::now() + self.timeout;
        loop {
            let mut errors = Vec::new();
            // The node that answered last is most likely still the leader: ask it first.
            let mut queue: Vec<(String, String)> = self.endpoints.clone();
            if let Some(last) = self.last_ok.lock().expect("last_ok").clone() {
                queue.retain(|e| *e != last);
                queue.insert(0, last);
            }
            let mut hops = 0;
            while let Some((node, addr)) = queue.first().cloned() {
                queue.remove(0);
                let left = deadline
                    .saturating_duration_since(tokio::time::Instant::now())
                    .max(std::time::Duration::from_millis(200));
                match tokio::time::timeout(left, f(self.admin(&node, &addr))).await {
                    Ok(Ok(r)) => {
                        *self.last_ok.lock().expect("last_ok") = Some((node, addr));
                        return Ok(r.into_inner());
                    }
                    Ok(Err(s)) => {
                        let leader = s
                            .metadata()
                            .get(LEADER_NAME)
                            .zip(s.metadata().get(LEADER_ADDR));
                        match (s.code(), leader) {
                            (tonic::Code::FailedPrecondition, Some((n, a))) if hops < 3 => {
                                hops += 1;
                                let (n, a) = (
                                    n.to_str().unwrap_or_default().to_string(),
                                    a.to_str().unwrap_or_default().to_string(),
                                );
                                queue.insert(0, (n, a));
                            }
                            // A node shutting down (SIGTERM, an upgrade) cancels the calls
                            // it has not answered: like an unavailable one, ask the others.
                            (
                                tonic::Code::Unavailable
                                | tonic::Code::Unknown
                                | tonic::Code::Cancelled
                                | tonic::Code::DeadlineExceeded
                                | tonic::Code::FailedPrecondition,
                                _,
                            ) => errors.push(format!("{node}: {}", s.message())),
                            (code, _) => {
                                return Err(ClientError::Rpc {
                                    node,
                                    code,
                                    message: s.message().to_string(),
                                })
                            }
                        }
                    }
                    Err(_) => errors.push(format!("{node}: no answer within {:?}", self.timeout)),
                }
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(ClientError::NoNode(errors.join("; ")));
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    pub async fn put(&self, key: &str, value: Vec<u8>) -> Result<KvWrite, ClientError> {
        let r = self
            .on_leader(|mut c| {
                let req = pb::KvPutRequest {
                    key: key.into(),
                    value: value.clone(),
                };
                async move { c.kv_put(req).await }
            })
            .await?;
        Ok(KvWrite {
            schema_version: 1,
            key: key.into(),
            revision: r.revision,
            existed: r.existed,
        })
    }

    pub async fn delete(&self, key: &str) -> Result<KvWrite, ClientError> {
        let r = self
            .on_leader(
                |mut c| async move { c.kv_delete(pb::KvDeleteRequest { key: key.into() }).await },
            )
            .await?;
        if !r.existed {
            return Err(ClientError::NotFound(key.into()));
        }
        Ok(KvWrite {
            schema_version: 1,
            key: key.into(),
            revision: r.revision,
            existed: r.existed,
        })
    }

    pub async fn get(&self, key: &str) -> Result<KvValue, ClientError> {
        let r = self
            .on_leader(|mut c| async move { c.kv_get(pb::KvGetRequest { key: key.into() }).await })
            .await?;
        match (r.found, r.entry) {
            (true, Some(e)) => Ok(e.into()),
            _ => Err(ClientError::NotFound(key.into())),
        }
    }

    pub async fn list(&self, prefix: &str) -> Result<(Vec<KvValue>, u64), ClientError> {
        let r = self
            .on_leader(|mut c| async move {
                c.kv_list(pb::KvListRequest {
                    prefix: prefix.into(),
                })
                .await
            })
            .await?;
        Ok((
            r.entries.into_iter().map(KvValue::from).collect(),
            r.revision,
        ))
    }

    /// The newest `limit` audit records (0: all kept) at log index `since` or later, oldest
    /// first, with the revision they were read at.
    pub async fn audit(
        &self,
        since: u64,
        limit: u64,
    ) -> Result<(Vec<AuditEntry>, u64), ClientError> {
        let r = self
            .on_leader(
                |mut c| async move { c.audit_list(pb::AuditListRequest { since, limit }).await },
            )
            .await?;
        Ok((
            r.records.into_iter().map(AuditEntry::from).collect(),
            r.revision,
        ))
    }

    pub async fn add_member(
        &self,
        node: &str,
        raft_id: u64,
        address: &str,
        role: &str,
    ) -> Result<pb::MemberReply, ClientError> {
        self.on_leader(|mut c| async move {
            c.add_member(pb::MemberRequest {
                node: node.into(),
                raft_id,
                address: address.into(),
                role: role.into(),
            })
            .await
        })
        .await
    }

    pub async fn remove_member(
        &self,
        node: &str,
        raft_id: u64,
    ) -> Result<pb::MemberReply, ClientError> {
        self.on_leader(|mut c| async move {
            c.remove_member(pb::MemberRequest {
                node: node.into(),
                raft_id,
                address: String::new(),
                role: String::new(),
            })
            .await
        })
        .await
    }
    /// A client that talks to `node` only, or to the leader when `node` is `None`; with
    /// the flag to send along in snapshot requests.
    fn target(&self, node: Option<&str>) -> Result<(Client, bool), ClientError> {
        match node {
            None => {
                let all: Vec<String> = self.endpoints.iter().map(|(n, _)| n.clone()).collect();
                Ok((self.only(&all), true))
            }
            Some(n) if self.endpoints.iter().any(|(name, _)| name == n) => {
                Ok((self.only(&[n.to_string()]), false))
            }
            Some(n) => Err(ClientError::NoNode(format!(
                "{n} is not a node of this mesh (known: {})",
                self.endpoints
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// Runs a retrieval query on `node`'s own index.
    pub async fn rag_query(
        &self,
        node: &str,
        text: &str,
        k: usize,
        mode: crate::engine::rag::Mode,
    ) -> Result<crate::engine::rag::QueryReport, ClientError> {
        use crate::engine::rag::{EmbedderInfo, Hit, QueryReport, Timings};
        let (c, _) = self.target(Some(node))?;
        let req = pb::RagQueryRequest {
            text: text.to_string(),
            k: k as u32,
            mode: mode.name().to_string(),
        };
        let r = c
            .on_leader(|mut a| {
                let req = req.clone();
                async move { a.rag_query(req).await }
            })
            .await?;
        Ok(QueryReport {
            schema_version: 1,
            query: text.to_string(),
            mode,
            k,
            embedder: EmbedderInfo {
                id: r.embedder,
                fallback: r.fallback,
            },
            built_index: r.built_index,
            hits: r.hits.into_iter().map(Hit::from).collect(),
            timings: Timings {
                embed: std::time::Duration::from_micros(r.embed_micros),
                search: std::time::Duration::from_micros(r.search_micros),
            },
        })
    }

    /// Takes a snapshot on `node` (default: the leader) and describes it.
    pub async fn snapshot_create(&self, node: Option<&str>) -> Result<SnapshotInfo, ClientError> {
        let (c, leader_only) = self.target(node)?;
        let r = c
            .on_leader(|mut a| async move {
                a.snapshot_create(pb::SnapshotRequest { leader_only }).await
            })
            .await?;
        Ok(r.into())
    }

    /// The snapshots kept on `node` (default: the leader), oldest first.
    pub async fn snapshot_list(
        &self,
        node: Option<&str>,
    ) -> Result<Vec<SnapshotInfo>, ClientError> {
        let (c, leader_only) = self.target(node)?;
        let r = c
            .on_leader(
                |mut a| async move { a.snapshot_list(pb::SnapshotRequest { leader_only }).await },
            )
            .await?;
        Ok(r.snapshots.into_iter().map(SnapshotInfo::from).collect())
    }

    /// A fresh snapshot of `node` (default: the leader) as a signed snapshot file; `piece`
    /// sees each piece of the file as it arrives, in order.
    pub async fn snapshot_fetch(
        &self,
        node: Option<&str>,
        mut piece: impl FnMut(&[u8]) + Send,
    ) -> Result<Vec<u8>, ClientError> {
        let (c, leader_only) = self.target(node)?;
        let mut stream = c
            .on_leader(|mut a| async move {
                a.snapshot_fetch(pb::SnapshotRequest { leader_only }).await
            })
            .await?;
        let from = c
            .last_ok
            .lock()
            .expect("last_ok")
            .clone()
            .map(|(n, _)| n)
            .unwrap_or_default();
        let mut file = Vec::new();
        loop {
            match stream.message().await {
                Ok(Some(chunk)) => {
                    piece(&chunk.data);
                    let first = file.is_empty();
                    file.extend_from_slice(&chunk.data);
                    // The first chunk holds the header: allocate the whole file once.
                    if first {
                        let want = crate::engine::snapshot::expected_len(&file, 8192);
                        file.reserve(reserve_for(want, file.len()));
                    }
                }
                Ok(None) => return Ok(file),
                Err(s) => {
                    return Err(ClientError::Rpc {
                        node: from,
                        code: s.code(),
                        message: format!("snapshot transfer broke off: {}", s.message()),
                    })
                }
            }
        }
    }
}

/// How much more to reserve for a snapshot file whose header announces `announced` bytes,
/// `have` of them received. The header is the server's word only: at most 64 MiB is set
/// aside on it, and the file grows past that as bytes actually arrive.
fn reserve_for(announced: Option<usize>, have: usize) -> usize {
    const MOST: usize = 64 << 20;
    announced.unwrap_or(0).min(MOST).saturating_sub(have)
}

#[cfg(test)]
mod reserve_tests {
    use super::reserve_for;

    #[test]
    fn a_snapshot_header_cannot_make_the_client_reserve_gigabytes() {
        assert_eq!(reserve_for(Some(10 << 20), 1 << 20), 9 << 20);
        assert_eq!(reserve_for(Some(8 << 30), 4096), (64 << 20) - 4096);
        assert_eq!(reserve_for(Some(usize::MAX), 0), 64 << 20);
        assert_eq!(reserve_for(None, 100), 0);
    }
}
