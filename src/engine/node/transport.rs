//! The mesh transport: TLS 1.3 mutual TLS with X509-SVIDs over TCP, key exchange limited to
//! the hybrid X25519MLKEM768 group, and then a post-quantum identity binding: each side
//! signs (role, both SPIFFE IDs, the TLS exporter value) with its ML-DSA key and the other
//! checks it against the roster. Only then does RPC start on the stream.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use base64::Engine as _;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::{TlsAcceptor, TlsConnector, TlsStream};

use super::bundle::Credentials;
use crate::engine::identity::CertInfo;
use crate::engine::manifest::OperatorRole;
use crate::engine::pqc::{self, DsaAlgorithm};
use crate::engine::roster::Roster;

/// The RPC protocol version carried in the binding; a newer peer is refused clearly.
/// 2: raft entries may carry `Request::Audit` and the admin API has `AuditList`; a node
/// speaking 1 could not decode them, so it refuses to follow a leader speaking 2.
pub const PROTOCOL_VERSION: u32 = 2;
const EXPORTER_LABEL: &[u8] = b"EXPORTER-x0t-pq-binding-v1";
const MAX_BINDING_FRAME: usize = 24 * 1024;
/// A peer must finish TCP + TLS + binding within this long, or it is dropped.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// Who is at the other end of a verified connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerKind {
    Node(String),
    Operator(String, OperatorRole),
}

/// What the server knows about a connection; tonic hands it to every request.
#[derive(Debug, Clone)]
pub struct PeerInfo {
    pub spiffe_id: String,
    pub kind: PeerKind,
    /// The negotiated key-exchange group, e.g. `X25519MLKEM768`.
    pub kx_group: String,
    pub remote: Option<SocketAddr>,
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

/// The trust state shared by every connection: anchor, roster, revocations. Behind a lock
/// so a new roster or bundle can be swapped in without a restart.
pub struct Trust {
    pub trust_domain: String,
    /// The mesh CA certificates (two while a CA rollover is under way).
    anchors: RwLock<Vec<CertificateDer<'static>>>,
    state: RwLock<TrustState>,
    /// Bumped on every roster or revocation change, so open connections re-check their
    /// peer without taking the lock on every read.
    generation: std::sync::atomic::AtomicU64,
}

struct TrustState {
    roster: Roster,
    revoked: HashSet<String>,
}

impl Trust {
    pub fn new(creds: &Credentials) -> Arc<Trust> {
        Arc::new(Trust {
            trust_domain: creds.roster.trust_domain.clone(),
            anchors: RwLock::new(creds.ca.clone()),
            state: RwLock::new(TrustState {
                roster: creds.roster.clone(),
                revoked: HashSet::new(),
            }),
            generation: std::sync::atomic::AtomicU64::new(0),
        })
    }

    fn changed(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    /// Replaces the deny list (from the replicated store): listed identities are refused
    /// at the next handshake, and their open connections are cut.
    pub fn set_revoked(&self, revoked: HashSet<String>) {
        let mut state = self.state.write().expect("trust lock");
        if state.revoked != revoked {
            state.revoked = revoked;
            drop(state);
            self.changed();
        }
    }

    /// The identities on the deny list.
    pub fn revoked(&self) -> HashSet<String> {
        self.state.read().expect("trust lock").revoked.clone()
    }

    /// Swaps in a newer roster (from the replicated store): new members are trusted and
    /// removed ones refused from the next handshake on, their open connections cut.
    pub fn set_roster(&self, roster: Roster) {
        self.state.write().expect("trust lock").roster = roster;
        self.changed();
    }

    pub fn roster(&self) -> Roster {
        self.state.read().expect("trust lock").roster.clone()
    }

    /// Replaces the trust anchors (a reloaded bundle); open connections are re-checked.
    pub fn set_anchors(&self, anchors: Vec<CertificateDer<'static>>) {
        let mut a = self.anchors.write().expect("anchors lock");
        if *a != anchors {
            *a = anchors;
            drop(a);
            self.changed();
        }
    }

    /// The roster's ML-DSA keys of `spiffe_id`: current, and the retired ones.
    fn dsa_keys(
        &self,
        spiffe_id: &str,
    ) -> Option<(
        crate::engine::roster::PublicKey,
        Vec<crate::engine::roster::PublicKey>,
    )> {
        let state = self.state.read().expect("trust lock");
        let path = spiffe_id.strip_prefix(&format!("spiffe://{}/", self.trust_domain))?;
        match path.split_once('/')? {
            ("node", name) => {
                let n = state.roster.nodes.iter().find(|n| n.name == name)?;
                Some((n.dsa.clone(), n.retired_dsa.clone()))
            }
            ("operator", name) => {
                let o = state.roster.operators.iter().find(|o| o.name == name)?;
                Some((o.dsa.clone(), o.retired_dsa.clone()))
            }
            _ => None,
        }
    }

    /// The ML-DSA key `spiffe_id` used before its current one, if the roster keeps it: a
    /// peer that has not switched to a rotated key yet still binds its sessions with it.
    fn previous_key(&self, spiffe_id: &str) -> Option<(Vec<u8>, DsaAlgorithm)> {
        let (_, retired) = self.dsa_keys(spiffe_id)?;
        let retired = retired.last()?;
        let alg = DsaAlgorithm::from_name(&retired.algorithm)?;
        let key = base64::engine::general_purpose::STANDARD
            .decode(&retired.key)
            .ok()?;
        Some((key, alg))
    }

    /// Whether the roster names `fingerprint` as the current ML-DSA key of `spiffe_id`.
    pub fn is_current_key(&self, spiffe_id: &str, fingerprint: &str) -> bool {
        self.dsa_keys(spiffe_id)
            .is_some_and(|(k, _)| k.sha256 == fingerprint.trim_start_matches("sha256:"))
    }

    /// Who a SPIFFE ID is in the roster, or why it is not acceptable.
    fn identify(&self, spiffe_id: &str) -> Result<(PeerKind, Vec<u8>, DsaAlgorithm), Refusal> {
        let prefix = format!("spiffe://{}/", self.trust_domain);
        let Some(path) = spiffe_id.strip_prefix(&prefix) else {
            return Err(Refusal::new(
                "wrong_trust_domain",
                format!("{spiffe_id} is not in trust domain {}", self.trust_domain),
            ));
        };
        let state = self.state.read().expect("trust lock");
        if state.revoked.contains(spiffe_id) {
            return Err(Refusal::new("revoked", format!("{spiffe_id} is revoked")));
        }
        let decode =
            |k: &crate::engine::roster::PublicKey| -> Result<(Vec<u8>, DsaAlgorithm), Refusal> {
                let alg = DsaAlgorithm::from_name(&k.algorithm).ok_or_else(|| {
                    Refusal::new(
                        "unknown_identity",
                        format!("roster key algorithm {} unsupported", k.algorithm),
                    )
                })?;
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(&k.key)
                    .map_err(|_| Refusal::new("unknown_identity", "roster key is not base64"))?;
                Ok((bytes, alg))
            };
        match path.split_once('/') {
            Some(("node", name)) => {
                let n = state
                    .roster
                    .nodes
                    .iter()
                    .find(|n| n.name == name)
                    .ok_or_else(|| {
                        Refusal::new(
                            "unknown_identity",
                            format!("{spiffe_id} is not in the roster"),
                        )
                    })?;
                let (k, a) = decode(&n.dsa)?;
                Ok((PeerKind::Node(name.into()), k, a))
            }
            Some(("operator", name)) => {
                let o = state
                    .roster
                    .operators
                    .iter()
                    .find(|o| o.name == name)
                    .ok_or_else(|| {
                        Refusal::new(
                            "unknown_identity",
                            format!("{spiffe_id} is not in the roster"),
                        )
                    })?;
                let (k, a) = decode(&o.dsa)?;
                Ok((PeerKind::Operator(name.into(), o.role), k, a))
            }
            _ => Err(Refusal::new(
                "unknown_identity",
                format!("{spiffe_id} is neither a node nor an operator"),
            )),
        }
    }

    /// Chain check: `cert` signed directly by the mesh CA, valid now, for `usage`; returns
    /// its SPIFFE ID.
    fn check_chain(
        &self,
        cert: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
        server: bool,
    ) -> Result<String, Refusal> {
        if !intermediates.is_empty() {
            return Err(Refusal::new(
                "untrusted_chain",
                "node and operator SVIDs must be signed directly by the mesh CA",
            ));
        }
        let anchor_certs = self.anchors.read().expect("anchors lock").clone();
        let anchors = anchor_certs
            .iter()
            .map(webpki::anchor_from_trusted_cert)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Refusal::new("untrusted_chain", format!("{e:?}")))?;
        let ee = webpki::EndEntityCert::try_from(cert).map_err(|e| {
            Refusal::new("untrusted_chain", format!("unparsable certificate: {e:?}"))
        })?;
        let usage = if server {
            webpki::KeyUsage::server_auth()
        } else {
            webpki::KeyUsage::client_auth()
        };
        ee.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &anchors,
            &[],
            now,
            usage,
            None,
            None,
        )
        .map_err(|e| match e {
            webpki::Error::CertExpired { .. } => Refusal::new("expired", "SVID has expired"),
            webpki::Error::CertNotValidYet { .. } => {
                Refusal::new("expired", "SVID is not valid yet")
            }
            other => Refusal::new(
                "untrusted_chain",
                format!("not signed by the mesh CA: {other:?}"),
            ),
        })?;
        let info = CertInfo::from_der(cert.to_vec())
            .map_err(|e| Refusal::new("untrusted_chain", e.to_string()))?;
        match info.uris.as_slice() {
            [one] if one.starts_with("spiffe://") => Ok(one.clone()),
            _ => Err(Refusal::new(
                "wrong_spiffe_id",
                "an SVID has exactly one spiffe:// URI SAN",
            )),
        }
    }
}

fn provider(allow_classical: bool) -> Arc<CryptoProvider> {
    let mut p = rustls::crypto::aws_lc_rs::default_provider();
    p.kx_groups = if allow_classical {
        vec![
            rustls::crypto::aws_lc_rs::kx_group::X25519MLKEM768,
            rustls::crypto::aws_lc_rs::kx_group::X25519,
        ]
    } else {
        vec![rustls::crypto::aws_lc_rs::kx_group::X25519MLKEM768]
    };
    Arc::new(p)
}

/// TLS 1.3 handshake signatures are checked the standard way, for both verifiers; only the
/// certificate checks are ours.
fn tls13_signature(
    provider: &CryptoProvider,
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    rustls::crypto::verify_tls13_signature(
        message,
        cert,
        dss,
        &provider.signature_verification_algorithms,
    )
}

fn to_tls_error(r: Refusal) -> rustls::Error {
    rustls::Error::InvalidCertificate(rustls::CertificateError::Other(rustls::OtherError(
        Arc::new(r),
    )))
}

#[derive(Debug)]
struct ClientVerifier {
    trust: Arc<Trust>,
    provider: Arc<CryptoProvider>,
}

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trust")
            .field("trust_domain", &self.trust_domain)
            .finish_non_exhaustive()
    }
}

impl ClientCertVerifier for ClientVerifier {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        let id = self
            .trust
            .check_chain(end_entity, intermediates, now, false)
            .map_err(to_tls_error)?;
        self.trust.identify(&id).map_err(to_tls_error)?;
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::PeerIncompatible(
            rustls::PeerIncompatible::Tls12NotOffered,
        ))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        tls13_signature(&self.provider, message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[derive(Debug)]
struct ServerVerifier {
    trust: Arc<Trust>,
    provider: Arc<CryptoProvider>,
    expected: String,
}

impl ServerCertVerifier for ServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let id = self
            .trust
            .check_chain(end_entity, intermediates, now, true)
            .map_err(to_tls_error)?;
        if id != self.expected {
            return Err(to_tls_error(Refusal::new(
                "wrong_spiffe_id",
                format!("peer is {id}, expected {}", self.expected),
            )));
        }
        self.trust.identify(&id).map_err(to_tls_error)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::PeerIncompatible(
            rustls::PeerIncompatible::Tls12NotOffered,
        ))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        tls13_signature(&self.provider, message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
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
}

/// Why the transport could not be configured.
#[derive(Debug, thiserror::Error)]
#[error("TLS configuration: {0}")]
pub struct TransportError(#[from] rustls::Error);

fn acceptor(
    provider: &Arc<CryptoProvider>,
    trust: &Arc<Trust>,
    creds: &Credentials,
) -> Result<TlsAcceptor, TransportError> {
    let mut server = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_client_cert_verifier(Arc::new(ClientVerifier {
            trust: trust.clone(),
            provider: provider.clone(),
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
        })
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
        let result = tokio::time::timeout(HANDSHAKE_TIMEOUT, self.dial_inner(addr, expected)).await;
        let mut result = result.unwrap_or_else(|_| {
            Err(Refusal::new(
                "handshake_timeout",
                format!("no handshake with {addr} within {HANDSHAKE_TIMEOUT:?}"),
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
        send_binding(&mut tls_stream, &creds, "client", expected, &exporter).await?;
        recv_binding(
            &mut tls_stream,
            &self.trust,
            "server",
            expected,
            &creds.spiffe_id,
            &exporter,
        )
        .await?;
        Ok(MeshStream::new(
            tls_stream,
            PeerInfo {
                spiffe_id: expected.into(),
                kind,
                kx_group: kx_name(&kx),
                remote,
            },
            self.trust.clone(),
        ))
    }

    /// Accepts one inbound TCP connection: TLS, then the binding.
    pub async fn accept(&self, tcp: TcpStream) -> Result<MeshStream, Refusal> {
        let result = tokio::time::timeout(HANDSHAKE_TIMEOUT, self.accept_inner(tcp)).await;
        let mut result = result.unwrap_or_else(|_| {
            Err(Refusal::new(
                "handshake_timeout",
                format!("peer did not complete the handshake within {HANDSHAKE_TIMEOUT:?}"),
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
        let (kind, _, _) = self.trust.identify(&peer_id)?;
        let mut stream = TlsStream::Server(tls);
        let creds = self.creds();
        if let Err(e) = recv_binding(
            &mut stream,
            &self.trust,
            "client",
            &peer_id,
            &creds.spiffe_id,
            &exporter,
        )
        .await
        {
            let _ = write_frame(&mut stream, &Binding::refusal(&e.to_string())).await;
            return Err(e);
        }
        send_binding(&mut stream, &creds, "server", &peer_id, &exporter).await?;
        Ok(MeshStream::new(
            stream,
            PeerInfo {
                spiffe_id: peer_id,
                kind,
                kx_group: kx_name(&kx),
                remote,
            },
            self.trust.clone(),
        ))
    }

    /// Accepts connections from `listener` until the returned stream is dropped; every
    /// handshake runs in its own task so a stalled peer cannot hold up the others.
    pub fn incoming(
        self: &Arc<Self>,
        listener: TcpListener,
    ) -> tokio_stream::wrappers::ReceiverStream<Result<MeshStream, std::io::Error>> {
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    a = listener.accept() => a,
                    () = tx.closed() => break,
                };
                let (tcp, _) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::warn!("accept failed: {e}");
                        continue;
                    }
                };
                let me = me.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    if let Ok(stream) = me.accept(tcp).await {
                        let _ = tx.send(Ok(stream)).await;
                    }
                });
            }
        });
        tokio_stream::wrappers::ReceiverStream::new(rx)
    }
}

fn kx_name(debug: &str) -> String {
    // rustls names groups like `X25519MLKEM768`; keep that spelling.
    debug.trim_matches('"').to_string()
}

fn export(r: Result<[u8; 32], rustls::Error>) -> Result<[u8; 32], Refusal> {
    r.map_err(|e| Refusal::new("pq_binding", format!("TLS exporter unavailable: {e}")))
}

/// Maps a TLS failure to a refusal tag, looking inside our own verifier errors.
fn classify(e: &std::io::Error) -> Refusal {
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

/// The binding frame, sent by each side on the raw TLS stream.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Binding {
    protocol: u32,
    #[serde(default)]
    role: String,
    #[serde(default)]
    spiffe_id: String,
    #[serde(default)]
    algorithm: String,
    #[serde(default)]
    signature: String,
    /// During a key rotation: the same message signed with the sender's previous key, for
    /// peers whose roster does not name the new key yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    previous_signature: Option<String>,
    /// Set instead of a signature when the sender refuses the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl Binding {
    fn refusal(why: &str) -> Binding {
        Binding {
            protocol: PROTOCOL_VERSION,
            role: String::new(),
            spiffe_id: String::new(),
            algorithm: String::new(),
            signature: String::new(),
            previous_signature: None,
            error: Some(why.into()),
        }
    }
}

fn binding_message(role: &str, signer: &str, peer: &str, exporter: &[u8; 32]) -> Vec<u8> {
    let mut m = b"x0t-pq-binding-v1\0".to_vec();
    for part in [role.as_bytes(), signer.as_bytes(), peer.as_bytes()] {
        m.extend_from_slice(part);
        m.push(0);
    }
    m.extend_from_slice(exporter);
    m
}

async fn send_binding<S: AsyncWrite + Unpin>(
    s: &mut S,
    creds: &Credentials,
    role: &str,
    peer: &str,
    exporter: &[u8; 32],
) -> Result<(), Refusal> {
    let message = binding_message(role, &creds.spiffe_id, peer, exporter);
    let sig = pqc::sign(creds.dsa, &creds.dsa_secret, &message)
        .map_err(|e| Refusal::new("pq_binding", e.to_string()))?;
    let previous = match &creds.dsa_previous {
        Some((alg, secret)) => Some(
            pqc::sign(*alg, secret, &message)
                .map_err(|e| Refusal::new("pq_binding", e.to_string()))?,
        ),
        None => None,
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let b = Binding {
        protocol: PROTOCOL_VERSION,
        role: role.into(),
        spiffe_id: creds.spiffe_id.clone(),
        algorithm: creds.dsa.name().into(),
        signature: b64.encode(sig),
        previous_signature: previous.map(|p| b64.encode(p)),
        error: None,
    };
    write_frame(s, &b).await
}

async fn recv_binding<S: AsyncRead + Unpin>(
    s: &mut S,
    trust: &Trust,
    role: &str,
    peer: &str,
    me: &str,
    exporter: &[u8; 32],
) -> Result<(), Refusal> {
    let mut len = [0u8; 4];
    s.read_exact(&mut len).await.map_err(|e| {
        Refusal::new(
            "pq_binding",
            format!("peer closed before its binding ({e})"),
        )
    })?;
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_BINDING_FRAME {
        return Err(Refusal::new(
            "oversized",
            format!("binding frame of {len} bytes (limit {MAX_BINDING_FRAME})"),
        ));
    }
    let mut buf = vec![0u8; len];
    s.read_exact(&mut buf).await?;
    let b: Binding = serde_json::from_slice(&buf)
        .map_err(|e| Refusal::new("pq_binding", format!("malformed binding frame: {e}")))?;
    if let Some(err) = b.error {
        return Err(Refusal::new("refused_by_peer", err));
    }
    if b.protocol > PROTOCOL_VERSION {
        return Err(Refusal::new(
            "protocol_version",
            format!(
                "peer speaks protocol {}, this x0t speaks {PROTOCOL_VERSION}; upgrade x0t",
                b.protocol
            ),
        ));
    }
    if b.role != role || b.spiffe_id != peer {
        return Err(Refusal::new(
            "pq_binding",
            format!(
                "binding claims {} as {}, expected {peer} as {role}",
                b.spiffe_id, b.role
            ),
        ));
    }
    let (_, key, alg) = trust.identify(peer)?;
    if b.algorithm != alg.name() {
        return Err(Refusal::new(
            "pq_binding",
            format!(
                "binding signed with {}, roster has {}",
                b.algorithm,
                alg.name()
            ),
        ));
    }
    let sig = base64::engine::general_purpose::STANDARD
        .decode(&b.signature)
        .map_err(|_| Refusal::new("pq_binding", "signature is not base64"))?;
    let message = binding_message(role, peer, me, exporter);
    let mut ok = pqc::verify(alg, &key, &message, &sig)
        .map_err(|e| Refusal::new("pq_binding", e.to_string()))?;
    // Mid-rotation, either side may be a step behind: the peer may still sign with the key
    // it had before (the roster keeps it as the last retired one), or this node's roster
    // may not name the peer's new key yet (the peer also signs with its previous key).
    let previous_sig = b
        .previous_signature
        .as_deref()
        .and_then(|p| base64::engine::general_purpose::STANDARD.decode(p).ok());
    let mut keys = vec![(key, alg)];
    keys.extend(trust.previous_key(peer));
    for (k, a) in &keys {
        for sg in std::iter::once(&sig).chain(previous_sig.as_ref()) {
            if !ok {
                ok = pqc::verify(*a, k, &message, sg).unwrap_or(false);
            }
        }
    }
    if !ok {
        return Err(Refusal::new(
            "pq_binding",
            format!(
                "{} signature of {peer} does not verify against the roster",
                alg.name()
            ),
        ));
    }
    Ok(())
}

async fn write_frame<S: AsyncWrite + Unpin>(s: &mut S, b: &Binding) -> Result<(), Refusal> {
    let body = serde_json::to_vec(b).expect("binding serialises");
    let mut frame = (body.len() as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(&body);
    s.write_all(&frame).await?;
    s.flush().await?;
    Ok(())
}

/// A verified, bound connection; RPC runs on it.
pub struct MeshStream {
    inner: TlsStream<TcpStream>,
    pub peer: PeerInfo,
    trust: Arc<Trust>,
    /// The trust generation this connection's peer was last checked against.
    seen: u64,
    /// Set once the peer is revoked or leaves the roster: every later read and write fails.
    cut: Option<String>,
    /// What the observer keeps alive while the connection is open.
    open: Option<OpenGuard>,
}

impl MeshStream {
    fn new(inner: TlsStream<TcpStream>, peer: PeerInfo, trust: Arc<Trust>) -> MeshStream {
        let seen = trust.generation.load(std::sync::atomic::Ordering::Acquire);
        MeshStream {
            inner,
            peer,
            trust,
            seen,
            cut: None,
            open: None,
        }
    }

    /// Fails once the peer is no longer trusted (revoked or removed), so a revocation ends
    /// open connections, not only new handshakes.
    fn still_trusted(&mut self) -> std::io::Result<()> {
        let g = self
            .trust
            .generation
            .load(std::sync::atomic::Ordering::Acquire);
        if g != self.seen {
            self.seen = g;
            if self.cut.is_none() {
                if let Err(r) = self.trust.identify(&self.peer.spiffe_id) {
                    tracing::warn!(peer = %self.peer.spiffe_id, reason = r.tag(), "closing connection: {r}");
                    self.cut = Some(r.to_string());
                }
            }
        }
        match &self.cut {
            Some(why) => Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                why.clone(),
            )),
            None => Ok(()),
        }
    }
}

impl AsyncRead for MeshStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        self.still_trusted()?;
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for MeshStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.still_trusted()?;
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.still_trusted()?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        self.still_trusted()?;
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

impl tonic::transport::server::Connected for MeshStream {
    type ConnectInfo = PeerInfo;
    fn connect_info(&self) -> PeerInfo {
        self.peer.clone()
    }
}
