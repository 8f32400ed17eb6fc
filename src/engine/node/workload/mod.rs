//! The SPIFFE Workload API that every node serves on its workload socket, so workloads
//! beside a node get X509-SVIDs without SPIRE. Callers are attested by the kernel's view of
//! the peer (SO_PEERCRED: uid, gid, pid) against the manifest's `unix:` selectors; their
//! SVIDs are signed by the node's intermediate CA and pushed again before they expire.

mod conn;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;
use tokio::net::UnixListener;
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use crate::engine::bundle::WorkloadCa;
use crate::engine::identity::jwt::{self, JwtSigner};
use crate::engine::identity::{self, Ca, CertInfo};
use crate::engine::manifest::{workload_spiffe_id, WorkloadSpec};
use crate::engine::transport::Trust;
use crate::engine::util::clock::Clock;

#[allow(clippy::all, clippy::pedantic)]
pub mod pb {
    include!(concat!(env!("OUT_DIR"), "/_.rs"));
}

use pb::spiffe_workload_api_server::{SpiffeWorkloadApi, SpiffeWorkloadApiServer};

/// The header every Workload API call must carry, so that a browser or a confused proxy
/// cannot be tricked into fetching a workload's credentials.
const SECURITY_HEADER: &str = "workload.spiffe.io";

/// The longest Unix socket path Linux accepts (`sun_path` less its terminating NUL).
const MAX_SOCKET_PATH: usize = 107;
/// Concurrent streams on one Workload API connection.
const MAX_STREAMS: u32 = 32;
/// The largest Workload API request decoded (a JWT-SVID to validate is at most 8 KiB).
const MAX_REQUEST: usize = 64 * 1024;

/// Why the Workload API could not start.
#[derive(Debug, thiserror::Error)]
pub enum WorkloadApiError {
    #[error("workload socket {}: {message}", path.display())]
    Socket { path: PathBuf, message: String },
    #[error("node workload CA: {0}")]
    Ca(String),
}

/// The trust bundle the API hands out: the mesh CA certificates (more than one while a CA
/// rollover is under way), DER.
pub type TrustBundle = Arc<Vec<Vec<u8>>>;

/// An issued workload SVID.
struct Issued {
    spiffe_id: String,
    /// Leaf then intermediate, concatenated DER.
    chain: Vec<u8>,
    key: Vec<u8>,
    /// When to issue the next one: half way through its life.
    renew_at: OffsetDateTime,
}

struct Inner {
    trust_domain: String,
    node: String,
    /// The node's workload CA and its certificate (DER), swapped when apply renews it.
    ca: std::sync::RwLock<Arc<(Ca, Vec<u8>)>>,
    workloads: Vec<WorkloadSpec>,
    bundle: watch::Receiver<TrustBundle>,
    cache: Mutex<HashMap<String, Arc<Issued>>>,
    clock: Clock,
    /// The roster and deny list the node follows: the JWT bundle and token checks.
    trust: Arc<Trust>,
    jwt: std::sync::RwLock<JwtState>,
}

/// The node's JWT signing keys: the newest last. After a rotation the node keeps signing
/// with the key the mesh's roster names until the roster carrying the new key arrives, so
/// no token is signed with a key other nodes cannot check yet.
struct JwtState {
    signers: Vec<Arc<JwtSigner>>,
    /// Tokens never outlive the node's own SVID.
    svid_not_after: OffsetDateTime,
}

/// The gRPC service.
#[derive(Clone)]
pub struct WorkloadApi {
    inner: Arc<Inner>,
}

impl WorkloadApi {
    /// `jwt` is the node's JWT signing key (none in a bundle made before x0t issued one)
    /// and `svid_not_after` the end of the node's own SVID.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        trust: Arc<Trust>,
        node: &str,
        ca: &WorkloadCa,
        workloads: Vec<WorkloadSpec>,
        bundle: watch::Receiver<TrustBundle>,
        jwt: Option<Arc<JwtSigner>>,
        svid_not_after: OffsetDateTime,
        clock: Clock,
    ) -> Result<WorkloadApi, WorkloadApiError> {
        Ok(WorkloadApi {
            inner: Arc::new(Inner {
                trust_domain: trust.trust_domain.clone(),
                node: node.into(),
                ca: std::sync::RwLock::new(Arc::new(load_ca(ca)?)),
                workloads,
                bundle,
                cache: Mutex::new(HashMap::new()),
                clock,
                trust,
                jwt: std::sync::RwLock::new(JwtState {
                    signers: jwt.into_iter().collect(),
                    svid_not_after,
                }),
            }),
        })
    }

    /// Takes a reloaded JWT key and node SVID expiry. The previous key is kept to sign
    /// until the roster names the new one.
    pub fn set_jwt(&self, jwt: Option<Arc<JwtSigner>>, svid_not_after: OffsetDateTime) {
        let mut st = self.inner.jwt.write().expect("jwt lock");
        st.svid_not_after = svid_not_after;
        if let Some(new) = jwt {
            if st.signers.last().is_none_or(|s| s.key.kid != new.key.kid) {
                tracing::info!(kid = %new.key.kid, "loaded a new JWT-SVID signing key");
                st.signers.push(new);
                let excess = st.signers.len().saturating_sub(2);
                st.signers.drain(..excess);
            }
        }
    }

    /// The key to sign with, and the latest expiry it may give: the newest key the roster
    /// names as this node's, capped by the node's SVID and, for a retired key, by the end
    /// of its overlap. A key the roster does not name is never used: no verifier could
    /// check what it signed.
    fn signer(&self) -> Result<(Arc<JwtSigner>, OffsetDateTime), Status> {
        let st = self.inner.jwt.read().expect("jwt lock");
        let roster = self.inner.trust.roster();
        let now = self.inner.clock.now_precise();
        let known: Vec<&jwt::JwtKey> = (roster.nodes.iter())
            .filter(|n| n.name == self.inner.node)
            .flat_map(|n| n.jwt_keys(now))
            .collect();
        let pick = (st.signers.iter().rev())
            .find_map(|s| {
                let k = known.iter().find(|k| k.kid == s.key.kid)?;
                Some((s.clone(), k.valid_until))
            })
            .ok_or_else(|| {
                Status::unavailable(match st.signers.is_empty() {
                    true => "this node has no JWT-SVID signing key: run `x0t apply` and restart or reload the node",
                    false => "the mesh's roster does not name this node's JWT-SVID key yet: retry shortly, or run `x0t apply`",
                })
            })?;
        let cap = pick
            .1
            .map_or(st.svid_not_after, |t| t.min(st.svid_not_after));
        Ok((pick.0, cap))
    }

    /// Swaps in a renewed workload CA: every workload gets a new SVID from it on its next
    /// update. Returns whether the CA changed; the caller then wakes the streams through the
    /// bundle channel, so workloads move to the new chain at once.
    pub fn set_ca(&self, ca: &WorkloadCa) -> Result<bool, WorkloadApiError> {
        let loaded = load_ca(ca)?;
        if loaded.1 == self.inner.ca.read().expect("ca lock").1 {
            return Ok(false);
        }
        *self.inner.ca.write().expect("ca lock") = Arc::new(loaded);
        self.inner.cache.lock().expect("svid cache").clear();
        Ok(true)
    }

    /// Binds the socket at `path`: its directory is created, a stale socket left by a
    /// crashed node is replaced, a live one is an error. The socket is open to every local
    /// user: who gets what is decided by attestation, not by file permissions.
    pub fn bind(path: &Path) -> Result<UnixListener, WorkloadApiError> {
        let fail = |message: String| WorkloadApiError::Socket {
            path: path.into(),
            message,
        };
        if path.as_os_str().len() > MAX_SOCKET_PATH {
            return Err(fail(format!(
                "the path is {} bytes, Unix sockets allow {MAX_SOCKET_PATH}; set a shorter workloadSocket",
                path.as_os_str().len()
            )));
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| fail(format!("create directory: {e}")))?;
        }
        match std::fs::symlink_metadata(path) {
            Ok(meta) => {
                use std::os::unix::fs::FileTypeExt;
                if !meta.file_type().is_socket() {
                    return Err(fail("exists and is not a socket".into()));
                }
                if std::os::unix::net::UnixStream::connect(path).is_ok() {
                    return Err(fail(
                        "another process serves it (is this node already running?)".into(),
                    ));
                }
                std::fs::remove_file(path)
                    .map_err(|e| fail(format!("remove stale socket: {e}")))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(fail(e.to_string())),
        }
        let listener = UnixListener::bind(path).map_err(|e| fail(format!("bind: {e}")))?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o666))
            .map_err(|e| fail(format!("chmod: {e}")))?;
        Ok(listener)
    }

    /// Serves on `listener` until `shutdown`, then removes the socket file.
    pub async fn serve(
        self,
        listener: UnixListener,
        path: PathBuf,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), tonic::transport::Error> {
        // Streams live as long as their workload, so there is no request timeout; the
        // limits bound what one local process can make the node hold.
        let result = tonic::transport::Server::builder()
            .max_concurrent_streams(MAX_STREAMS)
            .concurrency_limit_per_connection(MAX_STREAMS as usize)
            .http2_keepalive_interval(Some(Duration::from_secs(30)))
            .http2_keepalive_timeout(Some(Duration::from_secs(20)))
            .http2_max_header_list_size(crate::engine::rpc::MAX_HEADER_LIST)
            .add_service(SpiffeWorkloadApiServer::new(self).max_decoding_message_size(MAX_REQUEST))
            .serve_with_incoming_shutdown(conn::incoming(listener), shutdown)
            .await;
        let _ = std::fs::remove_file(&path);
        result
    }

    /// The workloads of this node whose selectors the caller all has.
    fn attest<T>(&self, req: &Request<T>) -> Result<Vec<WorkloadSpec>, Status> {
        let header = req.metadata().get(SECURITY_HEADER);
        if header.and_then(|v| v.to_str().ok()) != Some("true") {
            return Err(Status::invalid_argument(format!(
                "security header missing from request: set `{SECURITY_HEADER}: true`"
            )));
        }
        let conn = req
            .extensions()
            .get::<conn::ConnInfo>()
            .ok_or_else(|| Status::permission_denied("the caller's credentials are unknown"))?;
        let cred = (conn.uds.peer_cred)
            .ok_or_else(|| Status::permission_denied("the caller's credentials are unknown"))?;
        // The process must still be the one that connected: one that exec'd another program
        // since (its socket passed on to a child, say), or a reused pid, is not attested as
        // what it runs now.
        let now = cred.pid().map(conn::Process::of);
        if let (Some(then), Some(now)) = (&conn.process, &now) {
            if now != then {
                tracing::warn!(
                    pid = cred.pid(),
                    ?then,
                    ?now,
                    "workload attestation: the caller changed since it connected"
                );
                return Err(Status::permission_denied(
                    "the calling process changed since it connected (exec or a reused pid): reconnect",
                ));
            }
        }
        let exe = now.as_ref().and_then(|p| p.exe.as_deref());
        let have = caller_selectors(cred.uid(), cred.gid(), cred.pid(), exe);
        let matched: Vec<WorkloadSpec> = self
            .inner
            .workloads
            .iter()
            .filter(|w| w.selectors.iter().all(|s| have.contains(s)))
            .cloned()
            .collect();
        if matched.is_empty() {
            tracing::warn!(
                uid = cred.uid(),
                gid = cred.gid(),
                pid = cred.pid(),
                "workload attestation: no identity issued"
            );
            return Err(Status::permission_denied("no identity issued"));
        }
        Ok(matched)
    }

    /// The current SVID of `w`, issued now if there is none or it is past half its life.
    fn svid(&self, w: &WorkloadSpec) -> Result<Arc<Issued>, Status> {
        let now = self.inner.clock.now_precise();
        let mut cache = self.inner.cache.lock().expect("svid cache");
        if let Some(s) = cache.get(&w.name) {
            if now < s.renew_at {
                return Ok(s.clone());
            }
        }
        let id = workload_spiffe_id(&self.inner.trust_domain, &w.name);
        let ca = self.inner.ca.read().expect("ca lock").clone();
        let (leaf, key) =
            ca.0.issue_svid_der(&id, &w.name, w.ttl.0, now)
                .map_err(|e| Status::internal(format!("issue SVID: {e}")))?;
        let not_after = CertInfo::from_der(leaf.clone())
            .map(|i| i.not_after)
            .map_err(|e| Status::internal(e.to_string()))?;
        let mut chain = leaf;
        chain.extend_from_slice(&ca.1);
        let issued = Arc::new(Issued {
            spiffe_id: id,
            chain,
            key,
            renew_at: now + (not_after - now) / 2,
        });
        tracing::info!(
            workload = %w.name,
            node = %self.inner.node,
            not_after = %crate::engine::util::timefmt::rfc3339(not_after),
            "issued workload SVID"
        );
        cache.insert(w.name.clone(), issued.clone());
        Ok(issued)
    }

    fn x509_response(
        &self,
        workloads: &[WorkloadSpec],
    ) -> Result<(pb::X509svidResponse, OffsetDateTime), Status> {
        let bundle: Vec<u8> = self.inner.bundle.borrow().concat();
        let mut next = self.inner.clock.now_precise() + Duration::from_secs(3600);
        let mut svids = Vec::new();
        for w in workloads {
            let s = self.svid(w)?;
            next = next.min(s.renew_at);
            svids.push(pb::X509svid {
                spiffe_id: s.spiffe_id.clone(),
                x509_svid: s.chain.clone(),
                x509_svid_key: s.key.clone(),
                bundle: bundle.clone(),
                hint: String::new(),
            });
        }
        Ok((
            pb::X509svidResponse {
                svids,
                crl: Vec::new(),
                federated_bundles: HashMap::new(),
            },
            next,
        ))
    }
}

fn load_ca(ca: &WorkloadCa) -> Result<(Ca, Vec<u8>), WorkloadApiError> {
    let info = CertInfo::from_pem(&ca.cert_pem).map_err(|e| WorkloadApiError::Ca(e.to_string()))?;
    let issuer =
        Ca::load(&ca.cert_pem, &ca.key_pem).map_err(|e| WorkloadApiError::Ca(e.to_string()))?;
    Ok((issuer, info.der))
}

/// The `unix:` selectors a caller has: uid, gid, user and group names, supplementary
/// groups (from `pid`), and `exe`, the executable path read with the process's start time.
pub fn caller_selectors(
    uid: u32,
    gid: u32,
    pid: Option<i32>,
    exe: Option<&Path>,
) -> BTreeSet<String> {
    let mut s = BTreeSet::new();
    s.insert(format!("unix:uid:{uid}"));
    s.insert(format!("unix:gid:{gid}"));
    if let Some(user) = name_of("/etc/passwd", uid) {
        s.insert(format!("unix:user:{user}"));
    }
    if let Some(group) = name_of("/etc/group", gid) {
        s.insert(format!("unix:group:{group}"));
    }
    if let Some(pid) = pid {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let groups = status
                .lines()
                .find_map(|l| l.strip_prefix("Groups:"))
                .unwrap_or("");
            for g in groups
                .split_whitespace()
                .filter_map(|g| g.parse::<u32>().ok())
            {
                s.insert(format!("unix:supplementary_gid:{g}"));
                if let Some(name) = name_of("/etc/group", g) {
                    s.insert(format!("unix:supplementary_group:{name}"));
                }
            }
        }
    }
    if let Some(exe) = exe {
        s.insert(format!("unix:path:{}", exe.display()));
    }
    s
}

/// The name for numeric id `id` in a passwd- or group-format file.
fn name_of(file: &str, id: u32) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines().find_map(|l| {
        let mut f = l.split(':');
        let name = f.next()?;
        let _password = f.next()?;
        (f.next()?.parse::<u32>().ok()? == id).then(|| name.to_string())
    })
}

type Stream<T> = Pin<Box<dyn tokio_stream::Stream<Item = Result<T, Status>> + Send>>;

#[tonic::async_trait]
impl SpiffeWorkloadApi for WorkloadApi {
    type FetchX509SVIDStream = Stream<pb::X509svidResponse>;

    async fn fetch_x509svid(
        &self,
        req: Request<pb::X509svidRequest>,
    ) -> Result<Response<Self::FetchX509SVIDStream>, Status> {
        let workloads = self.attest(&req)?;
        let (first, mut next) = self.x509_response(&workloads)?;
        let (tx, rx) = mpsc::channel(2);
        tx.send(Ok(first)).await.ok();
        let api = self.clone();
        let mut bundle = self.inner.bundle.clone();
        bundle.borrow_and_update();
        tokio::spawn(async move {
            loop {
                let wait = (next - api.inner.clock.now_precise())
                    .try_into()
                    .unwrap_or(Duration::ZERO);
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    changed = bundle.changed() => if changed.is_err() { return },
                    _ = tx.closed() => return,
                }
                let msg = match api.x509_response(&workloads) {
                    Ok((m, n)) => {
                        next = n;
                        Ok(m)
                    }
                    Err(e) => Err(e),
                };
                let failed = msg.is_err();
                if tx.send(msg).await.is_err() || failed {
                    return;
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    type FetchX509BundlesStream = Stream<pb::X509BundlesResponse>;

    async fn fetch_x509_bundles(
        &self,
        req: Request<pb::X509BundlesRequest>,
    ) -> Result<Response<Self::FetchX509BundlesStream>, Status> {
        self.attest(&req)?;
        let (tx, rx) = mpsc::channel(2);
        let mut bundle = self.inner.bundle.clone();
        let td = self.inner.trust_domain.clone();
        tokio::spawn(async move {
            loop {
                let der = bundle.borrow_and_update().concat();
                let msg = pb::X509BundlesResponse {
                    crl: Vec::new(),
                    bundles: HashMap::from([(td.clone(), der)]),
                };
                if tx.send(Ok(msg)).await.is_err() {
                    return;
                }
                tokio::select! {
                    changed = bundle.changed() => if changed.is_err() { return },
                    _ = tx.closed() => return,
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    async fn fetch_jwtsvid(
        &self,
        req: Request<pb::JwtsvidRequest>,
    ) -> Result<Response<pb::JwtsvidResponse>, Status> {
        let workloads = self.attest(&req)?;
        let req = req.into_inner();
        if req.audience.is_empty() || req.audience.iter().any(|a| a.is_empty()) {
            return Err(Status::invalid_argument(
                "audience must be set: name at least one, none empty",
            ));
        }
        if req.audience.len() > MAX_AUDIENCES || req.audience.iter().any(|a| a.len() > 256) {
            return Err(Status::invalid_argument(format!(
                "at most {MAX_AUDIENCES} audiences of at most 256 bytes each"
            )));
        }
        let chosen: Vec<&WorkloadSpec> = if req.spiffe_id.is_empty() {
            workloads.iter().collect()
        } else {
            let w: Vec<&WorkloadSpec> = (workloads.iter())
                .filter(|w| workload_spiffe_id(&self.inner.trust_domain, &w.name) == req.spiffe_id)
                .collect();
            if w.is_empty() {
                return Err(Status::permission_denied(format!(
                    "{} is not issued to this caller",
                    req.spiffe_id
                )));
            }
            w
        };
        let (signer, cap) = self.signer()?;
        let now = self.inner.clock.now_precise();
        let mut svids = Vec::new();
        let revoked = self.inner.trust.revoked();
        let chosen: Vec<&WorkloadSpec> = (chosen.into_iter())
            .filter(|w| !revoked.contains(&workload_spiffe_id(&self.inner.trust_domain, &w.name)))
            .collect();
        if chosen.is_empty() {
            return Err(Status::permission_denied(
                "every identity of this caller is revoked",
            ));
        }
        if cap <= now {
            return Err(Status::unavailable(
                "this node's own SVID or its JWT key's overlap has ended: renew them with `x0t apply`",
            ));
        }
        for w in chosen {
            let id = workload_spiffe_id(&self.inner.trust_domain, &w.name);
            let exp = (now + w.ttl.0).min(cap);
            let svid = signer
                .sign(&id, &req.audience, now, exp)
                .map_err(|e| Status::internal(e.to_string()))?;
            tracing::info!(
                workload = %w.name,
                audience = ?req.audience,
                kid = %signer.key.kid,
                expires = %crate::engine::util::timefmt::rfc3339(exp),
                "issued JWT-SVID"
            );
            svids.push(pb::Jwtsvid {
                spiffe_id: id,
                svid,
                hint: String::new(),
            });
        }
        Ok(Response::new(pb::JwtsvidResponse { svids }))
    }

    type FetchJWTBundlesStream = Stream<pb::JwtBundlesResponse>;

    async fn fetch_jwt_bundles(
        &self,
        req: Request<pb::JwtBundlesRequest>,
    ) -> Result<Response<Self::FetchJWTBundlesStream>, Status> {
        self.attest(&req)?;
        let (tx, rx) = mpsc::channel(2);
        let api = self.clone();
        let mut changes = self.inner.trust.subscribe();
        tokio::spawn(async move {
            let mut last: Option<Vec<u8>> = None;
            loop {
                let now = api.inner.clock.now_precise();
                let roster = api.inner.trust.roster();
                let jwks = roster.jwt_bundle(&api.inner.trust.revoked(), now);
                if last.as_ref() != Some(&jwks) {
                    let msg = pb::JwtBundlesResponse {
                        bundles: HashMap::from([(api.inner.trust_domain.clone(), jwks.clone())]),
                    };
                    if tx.send(Ok(msg)).await.is_err() {
                        return;
                    }
                    last = Some(jwks);
                }
                // A retired key leaves the bundle when its last token expires.
                let wait = roster
                    .jwt_bundle_changes_at(now)
                    .map(|t| (t - now).try_into().unwrap_or(Duration::ZERO))
                    .unwrap_or(Duration::from_secs(3600));
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    changed = changes.changed() => if changed.is_err() { return },
                    _ = tx.closed() => return,
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    async fn validate_jwtsvid(
        &self,
        req: Request<pb::ValidateJwtsvidRequest>,
    ) -> Result<Response<pb::ValidateJwtsvidResponse>, Status> {
        self.attest(&req)?;
        let req = req.into_inner();
        if req.audience.is_empty() {
            return Err(Status::invalid_argument("audience must be set"));
        }
        if req.svid.is_empty() {
            return Err(Status::invalid_argument("svid must be set"));
        }
        let v = (self.inner.trust.roster())
            .verify_jwt(
                &self.inner.trust.revoked(),
                &req.svid,
                &req.audience,
                self.inner.clock.now_precise(),
            )
            .map_err(|e| Status::invalid_argument(format!("JWT-SVID refused: {e}")))?;
        Ok(Response::new(pb::ValidateJwtsvidResponse {
            spiffe_id: v.spiffe_id,
            claims: Some(prost_types::Struct {
                fields: v
                    .claims
                    .into_iter()
                    .map(|(k, v)| (k, proto_value(v)))
                    .collect(),
            }),
        }))
    }
}

/// At most this many audiences per JWT-SVID request.
const MAX_AUDIENCES: usize = 16;

/// A JSON claim as a protobuf `Value`.
fn proto_value(v: serde_json::Value) -> prost_types::Value {
    use prost_types::value::Kind;
    let kind = match v {
        serde_json::Value::Null => Kind::NullValue(0),
        serde_json::Value::Bool(b) => Kind::BoolValue(b),
        serde_json::Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or_default()),
        serde_json::Value::String(s) => Kind::StringValue(s),
        serde_json::Value::Array(a) => Kind::ListValue(prost_types::ListValue {
            values: a.into_iter().map(proto_value).collect(),
        }),
        serde_json::Value::Object(o) => Kind::StructValue(prost_types::Struct {
            fields: o.into_iter().map(|(k, v)| (k, proto_value(v))).collect(),
        }),
    };
    prost_types::Value { kind: Some(kind) }
}

/// Checks a workload SVID chain from this mesh: see [`identity::verify_workload_chain`].
/// `workloads` are the manifest's (or a node config's) workload declarations.
pub fn verify_workload_svid(
    ca_der: &[u8],
    trust_domain: &str,
    workloads: &[WorkloadSpec],
    chain: &[Vec<u8>],
    now: OffsetDateTime,
) -> Result<String, String> {
    identity::verify_workload_chain(ca_der, chain, now, |node, id| {
        workloads
            .iter()
            .any(|w| w.node == node && workload_spiffe_id(trust_domain, &w.name) == id)
    })
}
