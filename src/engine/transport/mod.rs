//! The mesh transport: TLS 1.3 mutual TLS with X509-SVIDs over TCP, key exchange limited to
//! the hybrid X25519MLKEM768 group, and then a post-quantum identity binding: each side
//! signs (role, both SPIFFE IDs, the TLS exporter value) with its ML-DSA key and the other
//! checks it against the roster. Only then does RPC start on the stream.

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::ServerName;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::{TlsAcceptor, TlsConnector, TlsStream};

use crate::engine::bundle::Credentials;
use crate::engine::identity::CertInfo;
use crate::engine::manifest::OperatorRole;

mod binding;
mod stream;
mod verify;

use binding::*;
pub use stream::MeshStream;
pub use verify::Trust;
use verify::*;

/// The newest protocol this x0t speaks. A protocol version names what may travel in raft
/// entries and snapshots; a mesh uses the newest one every member speaks (see
/// `node::protocol`), so nodes can be upgraded one at a time.
/// 2: raft entries may carry `Request::Audit` and the admin API has `AuditList`.
/// 3: the store may hold the mesh protocol record (`/x0t/protocol`) and audit records of
/// snapshots taken on request (`AuditAction::Snapshot`).
pub const PROTOCOL_VERSION: u32 = 3;
/// The oldest protocol this x0t still speaks: it reads and writes everything a mesh on
/// this protocol holds, so it can join one whose other members run an older x0t.
pub const PROTOCOL_MIN: u32 = 2;
pub(super) const EXPORTER_LABEL: &[u8] = b"EXPORTER-x0t-pq-binding-v1";
pub(super) const MAX_BINDING_FRAME: usize = 24 * 1024;
/// A peer must finish TCP + TLS + binding within this long, or it is dropped (the default
/// of `spec.limits.handshakeTimeout`).
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);
/// Inbound handshakes worked on at once; later ones wait their turn (within their deadline),
/// so a burst of connections cannot starve the node of CPU for ML-DSA checks.
const CONCURRENT_HANDSHAKES: usize = 64;

/// What the accepting side of a transport holds at most (`spec.limits`).
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// Inbound connections, handshaking or open.
    pub max_connections: usize,
    /// The time from accept to a bound connection.
    pub handshake_timeout: Duration,
}

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits {
            max_connections: 1024,
            handshake_timeout: HANDSHAKE_TIMEOUT,
        }
    }
}

/// Who is at the other end of a verified connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerKind {
    Node(String),
    Operator(String, OperatorRole),
    /// A workload of this node, by its X509-SVID from the node's Workload API. It holds no
    /// ML-DSA key, so its connection carries no post-quantum binding; it may only send and
    /// receive messages.
    Workload(String),
}

use crate::engine::identity::workload_name;

/// The protocol versions a peer speaks, from its binding; `min` is the only one an x0t of
/// protocol 2 or older announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Protocols {
    pub min: u32,
    pub max: u32,
}

impl Protocols {
    /// What this x0t speaks.
    pub const OURS: Protocols = Protocols {
        min: PROTOCOL_MIN,
        max: PROTOCOL_VERSION,
    };
}

impl std::fmt::Display for Protocols {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.min == self.max {
            write!(f, "{}", self.max)
        } else {
            write!(f, "{}-{}", self.min, self.max)
        }
    }
}

/// What the server knows about a connection; tonic hands it to every request.
#[derive(Debug, Clone)]
pub struct PeerInfo {
    pub spiffe_id: String,
    pub kind: PeerKind,
    /// The negotiated key-exchange group, e.g. `X25519MLKEM768`.
    pub kx_group: String,
    pub remote: Option<SocketAddr>,
    /// What the peer speaks (`None` for a workload, which sends no binding).
    pub protocols: Option<Protocols>,
}

/// Why a connection was refused; the tag is the metric label.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("{tag}: {detail}")]
    Refused { tag: &'static str, detail: String },
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

impl Refusal {
    fn new(tag: &'static str, detail: impl Into<String>) -> Refusal {
        Refusal::Refused {
            tag,
            detail: detail.into(),
        }
    }

    /// The metric label.
    pub fn tag(&self) -> &'static str {
        match self {
            Refusal::Refused { tag, .. } => tag,
            Refusal::Io(_) => "io",
        }
    }
}

/// Receives transport events, for metrics and logs.
pub trait Observer: Send + Sync {
    fn refused(&self, inbound: bool, refusal: &Refusal);
    /// A connection passed every check. What it returns lives as long as the connection (an
    /// open-connections gauge guard, say).
    fn connected(&self, inbound: bool, peer: &PeerInfo) -> Option<OpenGuard>;
}

/// Held by a connection for its whole life; see [`Observer::connected`].
pub type OpenGuard = Box<dyn std::any::Any + Send + Sync>;

/// An observer that only logs.
pub struct LogObserver;

impl Observer for LogObserver {
    fn refused(&self, inbound: bool, refusal: &Refusal) {
        tracing::warn!(
            direction = if inbound { "in" } else { "out" },
            reason = refusal.tag(),
            "connection refused: {refusal}"
        );
    }
    fn connected(&self, inbound: bool, peer: &PeerInfo) -> Option<OpenGuard> {
        tracing::debug!(direction = if inbound { "in" } else { "out" }, peer = %peer.spiffe_id, kx = %peer.kx_group, "connected");
        None
    }
}

/// One side of the mesh transport: credentials, trust, and TLS configurations.
pub struct Transport {
    creds: RwLock<Arc<Credentials>>,
    pub trust: Arc<Trust>,
    provider: Arc<CryptoProvider>,
    acceptor: RwLock<TlsAcceptor>,
    observer: Arc<dyn Observer>,
    /// A rotated ML-DSA key waiting until the roster names it, so peers can verify it.
    pending_dsa: std::sync::Mutex<Option<Credentials>>,
    limits: ConnLimits,
    /// What each peer announced in its last binding, by SPIFFE ID.
    seen: std::sync::Mutex<std::collections::HashMap<String, Protocols>>,
    /// The protocol the mesh speaks (0 until known): a node that cannot speak it is
    /// refused, as it could not read the log.
    mesh_protocol: std::sync::atomic::AtomicU32,
}

/// Why the transport could not be configured.
#[derive(Debug, thiserror::Error)]
#[error("TLS configuration: {0}")]
pub struct TransportError(#[from] rustls::Error);

pub(super) fn acceptor(
    provider: &Arc<CryptoProvider>,
    trust: &Arc<Trust>,
    creds: &Credentials,
) -> Result<TlsAcceptor, TransportError> {
    let mut server = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_client_cert_verifier(Arc::new(ClientVerifier {
            trust: trust.clone(),
            provider: provider.clone(),
            local_node: creds
                .spiffe_id
                .rsplit_once("/node/")
                .map(|(_, n)| n.to_string()),
        }))
        .with_single_cert(creds.cert_chain.clone(), creds.key.clone_key())?;
    server.alpn_protocols = vec![b"h2".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(server)))
}

impl Transport {
    pub fn new(
        creds: Credentials,
        allow_classical: bool,
        observer: Arc<dyn Observer>,
    ) -> Result<Transport, TransportError> {
        let provider = provider(allow_classical);
        let trust = Trust::new(&creds);
        let acceptor = acceptor(&provider, &trust, &creds)?;
        Ok(Transport {
            creds: RwLock::new(Arc::new(creds)),
            trust,
            provider,
            acceptor: RwLock::new(acceptor),
            observer,
            pending_dsa: Default::default(),
            limits: ConnLimits::default(),
            seen: Default::default(),
            mesh_protocol: Default::default(),
        })
    }

    /// The same transport with other connection limits.
    pub fn limited(mut self, limits: ConnLimits) -> Transport {
        self.limits = limits;
        self
    }

    /// What `spiffe_id` announced the last time it connected here or was dialled from here.
    pub fn peer_protocols(&self, spiffe_id: &str) -> Option<Protocols> {
        self.seen.lock().expect("seen lock").get(spiffe_id).copied()
    }

    /// Sets the protocol the mesh speaks, as the replicated store says.
    pub fn set_mesh_protocol(&self, version: u32) {
        self.mesh_protocol
            .store(version, std::sync::atomic::Ordering::Relaxed);
    }

    /// Records what a peer announced and refuses a node that cannot speak the mesh's
    /// protocol: it could not read the log, and would only fail later, less clearly.
    fn admit(&self, peer: &str, kind: &PeerKind, p: Protocols) -> Result<(), Refusal> {
        // A relay holds no log: what it forwards does not change with the protocol.
        let reads_log = match kind {
            PeerKind::Node(name) => (self.trust.roster().nodes.iter())
                .any(|n| &n.name == name && n.role != crate::engine::manifest::NodeRole::Relay),
            _ => false,
        };
        let mesh = self
            .mesh_protocol
            .load(std::sync::atomic::Ordering::Relaxed);
        follows_mesh(peer, reads_log, p, mesh)?;
        self.seen
            .lock()
            .expect("seen lock")
            .insert(peer.to_string(), p);
        Ok(())
    }

    /// The credentials new connections use.
    pub fn creds(&self) -> Arc<Credentials> {
        self.creds.read().expect("creds lock").clone()
    }

    /// Swaps in reloaded credentials: new handshakes present the new SVID and trust the
    /// new bundle; open connections carry on. A rotated ML-DSA key is used only once the
    /// roster names it (see [`Transport::activate_pending_key`]), so peers never see a
    /// binding they cannot verify yet.
    pub fn reload(&self, new: Credentials) -> Result<(), TransportError> {
        let old = self.creds();
        let mut next = new.clone();
        if new.dsa_fingerprint != old.dsa_fingerprint
            && !self
                .trust
                .is_current_key(&new.spiffe_id, &new.dsa_fingerprint)
        {
            next.dsa = old.dsa;
            next.dsa_secret = old.dsa_secret.clone();
            next.dsa_fingerprint = old.dsa_fingerprint.clone();
            next.dsa_previous = old.dsa_previous.clone();
            *self.pending_dsa.lock().expect("pending lock") = Some(new.clone());
            tracing::info!("new ML-DSA key loaded; it signs once the roster names it");
        } else if new.dsa_fingerprint != old.dsa_fingerprint {
            self.pending_dsa.lock().expect("pending lock").take();
            next.dsa_previous = Some((old.dsa, old.dsa_secret.clone()));
            tracing::info!("switched to the rotated ML-DSA key");
        } else {
            next.dsa_previous = old.dsa_previous.clone();
        }
        let acceptor = acceptor(&self.provider, &self.trust, &next)?;
        self.trust.set_anchors(next.ca.clone());
        *self.acceptor.write().expect("acceptor lock") = acceptor;
        *self.creds.write().expect("creds lock") = Arc::new(next);
        Ok(())
    }

    /// Switches to a pending ML-DSA key once the roster names it; returns true if it did.
    pub fn activate_pending_key(&self) -> bool {
        let mut pending = self.pending_dsa.lock().expect("pending lock");
        let ready = pending
            .as_ref()
            .is_some_and(|p| self.trust.is_current_key(&p.spiffe_id, &p.dsa_fingerprint));
        if !ready {
            return false;
        }
        let p = pending.take().expect("checked above");
        let mut next = (*self.creds()).clone();
        next.dsa_previous = Some((next.dsa, next.dsa_secret.clone()));
        next.dsa = p.dsa;
        next.dsa_secret = p.dsa_secret;
        next.dsa_fingerprint = p.dsa_fingerprint;
        *self.creds.write().expect("creds lock") = Arc::new(next);
        tracing::info!("switched to the rotated ML-DSA key");
        true
    }

    fn client_config(&self, expected: &str) -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
        let creds = self.creds();
        let mut cfg = rustls::ClientConfig::builder_with_provider(self.provider.clone())
            .with_protocol_versions(&[&rustls::version::TLS13])?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(ServerVerifier {
                trust: self.trust.clone(),
                provider: self.provider.clone(),
                expected: expected.into(),
            }))
            .with_client_auth_cert(creds.cert_chain.clone(), creds.key.clone_key())?;
        cfg.alpn_protocols = vec![b"h2".to_vec()];
        Ok(Arc::new(cfg))
    }

    /// Dials `addr`, expecting the peer to be `expected` (a SPIFFE ID).
    pub async fn dial(&self, addr: &str, expected: &str) -> Result<MeshStream, Refusal> {
        let limit = self.limits.handshake_timeout;
        let result = tokio::time::timeout(limit, self.dial_inner(addr, expected)).await;
        let mut result = result.unwrap_or_else(|_| {
            Err(Refusal::new(
                "handshake_timeout",
                format!("no handshake with {addr} within {limit:?}"),
            ))
        });
        match &mut result {
            Ok(s) => s.open = self.observer.connected(false, &s.peer),
            Err(e) => self.observer.refused(false, e),
        }
        result
    }

    async fn dial_inner(&self, addr: &str, expected: &str) -> Result<MeshStream, Refusal> {
        let tcp = TcpStream::connect(addr).await?;
        tcp.set_nodelay(true)?;
        let remote = tcp.peer_addr().ok();
        let cfg = self
            .client_config(expected)
            .map_err(|e| Refusal::new("tls", e.to_string()))?;
        let name = ServerName::try_from("x0t.mesh").expect("static name");
        let tls = TlsConnector::from(cfg)
            .connect(name, tcp)
            .await
            .map_err(|e| classify(&e))?;
        let kx = tls
            .get_ref()
            .1
            .negotiated_key_exchange_group()
            .map(|g| format!("{:?}", g.name()))
            .unwrap_or_default();
        let exporter = export(tls.get_ref().1.export_keying_material(
            [0u8; 32],
            EXPORTER_LABEL,
            None,
        ))?;
        let (kind, _, _) = self.trust.identify(expected)?;
        let mut tls_stream = TlsStream::Client(tls);
        let creds = self.creds();
        // A workload holds no ML-DSA key: its X509-SVID is its identity.
        let mut protocols = None;
        if workload_name(&creds.spiffe_id).is_none() {
            send_binding(&mut tls_stream, &creds, "client", expected, &exporter).await?;
            let p = recv_binding(
                &mut tls_stream,
                &self.trust,
                "server",
                expected,
                &creds.spiffe_id,
                &exporter,
            )
            .await?;
            self.admit(expected, &kind, p)?;
            protocols = Some(p);
        }
        Ok(MeshStream::new(
            tls_stream,
            PeerInfo {
                spiffe_id: expected.into(),
                kind,
                kx_group: kx_name(&kx),
                remote,
                protocols,
            },
            self.trust.clone(),
        ))
    }

    /// Accepts one inbound TCP connection: TLS, then the binding, within the handshake
    /// timeout.
    pub async fn accept(&self, tcp: TcpStream) -> Result<MeshStream, Refusal> {
        let deadline = tokio::time::Instant::now() + self.limits.handshake_timeout;
        self.accept_by(tcp, deadline, None).await
    }

    /// [`Transport::accept`] with a deadline, first waiting for a turn among the handshakes
    /// in flight if `turns` is given.
    async fn accept_by(
        &self,
        tcp: TcpStream,
        deadline: tokio::time::Instant,
        turns: Option<&tokio::sync::Semaphore>,
    ) -> Result<MeshStream, Refusal> {
        let limit = self.limits.handshake_timeout;
        let work = async {
            let _turn = match turns {
                Some(t) => Some(t.acquire().await.expect("never closed")),
                None => None,
            };
            self.accept_inner(tcp).await
        };
        let result = tokio::time::timeout_at(deadline, work).await;
        let mut result = result.unwrap_or_else(|_| {
            Err(Refusal::new(
                "handshake_timeout",
                format!("peer did not complete the handshake within {limit:?}"),
            ))
        });
        match &mut result {
            Ok(s) => s.open = self.observer.connected(true, &s.peer),
            Err(e) => self.observer.refused(true, e),
        }
        result
    }

    async fn accept_inner(&self, tcp: TcpStream) -> Result<MeshStream, Refusal> {
        tcp.set_nodelay(true)?;
        let remote = tcp.peer_addr().ok();
        let acceptor = self.acceptor.read().expect("acceptor lock").clone();
        let tls = acceptor.accept(tcp).await.map_err(|e| classify(&e))?;
        let conn = tls.get_ref().1;
        let kx = conn
            .negotiated_key_exchange_group()
            .map(|g| format!("{:?}", g.name()))
            .unwrap_or_default();
        let cert = conn
            .peer_certificates()
            .and_then(|c| c.first())
            .ok_or_else(|| Refusal::new("no_certificate", "client sent no certificate"))?;
        let peer_id = CertInfo::from_der(cert.to_vec())
            .ok()
            .and_then(|i| i.uris.first().cloned())
            .ok_or_else(|| {
                Refusal::new("wrong_spiffe_id", "client certificate has no SPIFFE ID")
            })?;
        let exporter = export(conn.export_keying_material([0u8; 32], EXPORTER_LABEL, None))?;
        let mut stream = TlsStream::Server(tls);
        // A workload's chain went through this node's workload CA (the verifier checked it
        // and the roster places it here); it holds no ML-DSA key, so there is nothing to bind.
        let (kind, protocols) = match workload_name(&peer_id) {
            Some(name) => (PeerKind::Workload(name.into()), None),
            None => {
                let (kind, _, _) = self.trust.identify(&peer_id)?;
                let creds = self.creds();
                let bound = recv_binding(
                    &mut stream,
                    &self.trust,
                    "client",
                    &peer_id,
                    &creds.spiffe_id,
                    &exporter,
                )
                .await
                .and_then(|p| self.admit(&peer_id, &kind, p).map(|()| p));
                let p = match bound {
                    Ok(p) => p,
                    Err(e) => {
                        let _ = write_frame(&mut stream, &Binding::refusal(&e.to_string())).await;
                        return Err(e);
                    }
                };
                send_binding(&mut stream, &creds, "server", &peer_id, &exporter).await?;
                (kind, Some(p))
            }
        };
        Ok(MeshStream::new(
            stream,
            PeerInfo {
                spiffe_id: peer_id,
                kind,
                kx_group: kx_name(&kx),
                remote,
                protocols,
            },
            self.trust.clone(),
        ))
    }

    /// Accepts connections from `listener` until the returned stream is dropped; every
    /// handshake runs in its own task so a stalled peer cannot hold up the others. At most
    /// `max_connections` inbound connections live at once: one more is closed at once and
    /// counted as refused.
    pub fn incoming(
        self: &Arc<Self>,
        listener: TcpListener,
    ) -> tokio_stream::wrappers::ReceiverStream<Result<MeshStream, std::io::Error>> {
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let me = self.clone();
        let max = self.limits.max_connections;
        let slots = Arc::new(tokio::sync::Semaphore::new(max));
        let turns = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_HANDSHAKES));
        tokio::spawn(async move {
            loop {
                let (tcp, from) = tokio::select! {
                    a = crate::engine::util::accept::with_backoff(|| listener.accept(), "mesh port") => a,
                    () = tx.closed() => break,
                };
                let Ok(slot) = slots.clone().try_acquire_owned() else {
                    drop(tcp);
                    let detail = format!("{max} connections open; closed a new one from {from}");
                    me.observer
                        .refused(true, &Refusal::new("connection_limit", detail));
                    continue;
                };
                let deadline = tokio::time::Instant::now() + me.limits.handshake_timeout;
                let (me, tx, turns) = (me.clone(), tx.clone(), turns.clone());
                tokio::spawn(async move {
                    if let Ok(mut stream) = me.accept_by(tcp, deadline, Some(&turns)).await {
                        stream.slot = Some(slot);
                        let _ = tx.send(Ok(stream)).await;
                    }
                });
            }
        });
        tokio_stream::wrappers::ReceiverStream::new(rx)
    }
}

/// Refuses a peer that reads the log (`reads_log`) but cannot speak `mesh`, the protocol
/// the mesh speaks.
fn follows_mesh(peer: &str, reads_log: bool, p: Protocols, mesh: u32) -> Result<(), Refusal> {
    if reads_log && p.max < mesh {
        return Err(Refusal::new(
            "protocol_version",
            format!("{peer} speaks protocol {p}, the mesh speaks {mesh}; upgrade x0t on it"),
        ));
    }
    Ok(())
}

/// Reads a binding frame's body as a peer's would be read (for the fuzz harness).
pub(crate) fn read_binding_frame(body: &[u8]) -> Result<(), Refusal> {
    parse_binding(body).map(|_| ())
}

pub(super) fn kx_name(debug: &str) -> String {
    // rustls names groups like `X25519MLKEM768`; keep that spelling.
    debug.trim_matches('"').to_string()
}

pub(super) fn export(r: Result<[u8; 32], rustls::Error>) -> Result<[u8; 32], Refusal> {
    r.map_err(|e| Refusal::new("pq_binding", format!("TLS exporter unavailable: {e}")))
}

/// Maps a TLS failure to a refusal tag, looking inside our own verifier errors.
pub(super) fn classify(e: &std::io::Error) -> Refusal {
    let inner = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>());
    match inner {
        Some(rustls::Error::InvalidCertificate(rustls::CertificateError::Other(o))) => {
            match o.0.downcast_ref::<Refusal>() {
                Some(Refusal::Refused { tag, detail }) => Refusal::new(tag, detail.clone()),
                _ => Refusal::new("untrusted_chain", o.0.to_string()),
            }
        }
        Some(rustls::Error::PeerIncompatible(p)) => {
            Refusal::new("kx_group", format!("peer incompatible: {p:?}"))
        }
        Some(rustls::Error::NoCertificatesPresented) => {
            Refusal::new("no_certificate", "peer presented no certificate")
        }
        Some(rustls::Error::AlertReceived(a)) => {
            Refusal::new("refused_by_peer", format!("peer sent alert {a:?}"))
        }
        Some(other) => Refusal::new("tls", other.to_string()),
        None => Refusal::new("tls", e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_that_cannot_read_the_mesh_protocol_is_refused() {
        let old = Protocols { min: 2, max: 2 };
        let new = Protocols::OURS;
        // Before the mesh moves on, an old node is welcome.
        follows_mesh("n1", true, old, 2).unwrap();
        follows_mesh("n1", true, old, 0).unwrap();
        let e = follows_mesh("n1", true, old, 3).unwrap_err();
        assert_eq!(e.tag(), "protocol_version");
        assert!(e.to_string().contains("upgrade x0t on it"), "{e}");
        follows_mesh("n1", true, new, PROTOCOL_VERSION).unwrap();
        // Relays and operators read no log.
        follows_mesh("r1", false, old, 3).unwrap();
    }

    #[test]
    fn bindings_announce_a_range_an_older_x0t_accepts() {
        let frame = |json: &str| parse_binding(json.as_bytes()).map(|(_, p)| p);
        // What this x0t sends: an x0t of protocol 2 reads only `protocol`, and accepts it.
        let ours = serde_json::to_value(Binding::refusal("x")).unwrap();
        assert_eq!(ours["protocol"], PROTOCOL_MIN);
        assert_eq!(ours["speaks"], PROTOCOL_VERSION);
        // An x0t of protocol 2 announces only that.
        assert_eq!(
            frame(r#"{"protocol":2}"#).unwrap(),
            Protocols { min: 2, max: 2 }
        );
        assert_eq!(
            frame(r#"{"protocol":2,"speaks":7}"#).unwrap(),
            Protocols { min: 2, max: 7 }
        );
        // `speaks` below `protocol` is read as `protocol`.
        assert_eq!(
            frame(r#"{"protocol":3,"speaks":1}"#).unwrap(),
            Protocols { min: 3, max: 3 }
        );
        assert_eq!(
            frame(r#"{"protocol":9}"#).unwrap_err().tag(),
            "protocol_version"
        );
        assert_eq!(
            frame(r#"{"protocol":1}"#).unwrap_err().tag(),
            "protocol_version"
        );
    }
}
