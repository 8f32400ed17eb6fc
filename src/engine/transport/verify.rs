//! Certificate verification for the mesh transport: the shared trust state (anchors,
//! roster, deny list), the rustls verifiers that check the chain with webpki and then the
//! SPIFFE ID against the roster, and the crypto provider limited to X25519MLKEM768.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};

use base64::Engine as _;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};

use crate::engine::bundle::Credentials;
use crate::engine::identity::roster::{Roster, Succession};
use crate::engine::identity::CertInfo;
use crate::engine::pqc::DsaAlgorithm;

use super::*;

/// The trust state shared by every connection: anchor, roster, revocations. Behind a lock
/// so a new roster or bundle can be swapped in without a restart.
pub struct Trust {
    pub trust_domain: String,
    /// The SPIFFE ID of this side (a node's, or an operator's in the CLI).
    own_id: String,
    /// The mesh CA certificates (two while a CA rollover is under way).
    anchors: RwLock<Vec<CertificateDer<'static>>>,
    state: RwLock<TrustState>,
    /// Bumped on every roster or revocation change, so open connections re-check their
    /// peer without taking the lock on every read.
    pub(super) generation: std::sync::atomic::AtomicU64,
    /// Wakes those who follow the roster and the deny list (the Workload API's JWT
    /// bundle streams).
    notify: tokio::sync::watch::Sender<()>,
}

pub(super) struct TrustState {
    roster: Roster,
    revoked: HashSet<String>,
}

impl Trust {
    pub fn new(creds: &Credentials) -> Arc<Trust> {
        Arc::new(Trust {
            trust_domain: creds.roster.trust_domain.clone(),
            own_id: creds.spiffe_id.clone(),
            anchors: RwLock::new(creds.ca.clone()),
            state: RwLock::new(TrustState {
                roster: creds.roster.clone(),
                revoked: HashSet::new(),
            }),
            generation: std::sync::atomic::AtomicU64::new(0),
            notify: tokio::sync::watch::channel(()).0,
        })
    }

    /// Trust in `roster` alone, with no CA anchors: enough to check signatures against the
    /// roster's ML-DSA keys (the fuzz harness of link-state adverts), never a handshake.
    pub(crate) fn for_roster(roster: Roster, own_id: &str) -> Arc<Trust> {
        Arc::new(Trust {
            trust_domain: roster.trust_domain.clone(),
            own_id: own_id.into(),
            anchors: RwLock::new(Vec::new()),
            state: RwLock::new(TrustState {
                roster,
                revoked: HashSet::new(),
            }),
            generation: std::sync::atomic::AtomicU64::new(0),
            notify: tokio::sync::watch::channel(()).0,
        })
    }

    /// Changes whenever the roster or the deny list does.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    fn changed(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::Release);
        self.notify.send_replace(());
    }

    /// A receiver that sees every later change of the roster, deny list or anchors.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<()> {
        self.notify.subscribe()
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

    /// Takes up a roster from the replicated store or a neighbour if it is sound, newer
    /// than the one held, and still names this node: new members are trusted and removed
    /// ones refused from the next handshake on, their open connections cut. Returns whether
    /// it changed anything; the error says why the roster was refused.
    pub fn adopt_roster(&self, roster: Roster) -> Result<bool, String> {
        roster.check_shape()?;
        let mut state = self.state.write().expect("trust lock");
        if roster.succeeds(&state.roster)? == Succession::Same {
            return Ok(false);
        }
        let me = &self.own_id;
        if me.contains("/node/") && !roster.nodes.iter().any(|n| &n.spiffe_id == me) {
            return Err(format!(
                "serial {} no longer names this node ({me}); keeping serial {} (stop this node if it was removed)",
                roster.serial, state.roster.serial
            ));
        }
        state.roster = roster;
        drop(state);
        self.changed();
        Ok(true)
    }

    /// Node `name`'s raft id and role in the roster held, without copying the roster.
    pub fn raft_member(&self, name: &str) -> Option<(u64, crate::engine::manifest::NodeRole)> {
        let state = self.state.read().expect("trust lock");
        (state.roster.nodes.iter())
            .find(|n| n.name == name)
            .map(|n| (n.raft_id, n.role))
    }

    /// The serial of the roster held, without copying it.
    pub fn roster_serial(&self) -> u64 {
        self.state.read().expect("trust lock").roster.serial
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
        crate::engine::identity::roster::PublicKey,
        Vec<crate::engine::identity::roster::PublicKey>,
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

    /// The ML-DSA key `spiffe_id` used before its current one, if the roster keeps it and
    /// retired it less than [`RETIRED_DSA_GRACE`] ago: a peer that has not switched to a
    /// rotated key yet still binds its sessions with it.
    ///
    /// [`RETIRED_DSA_GRACE`]: crate::engine::identity::roster::RETIRED_DSA_GRACE
    pub(super) fn previous_key(&self, spiffe_id: &str) -> Option<(Vec<u8>, DsaAlgorithm)> {
        let (_, retired) = self.dsa_keys(spiffe_id)?;
        let retired = retired.last()?;
        if !retired.binds_at(crate::engine::util::timefmt::now()) {
            return None;
        }
        let alg = DsaAlgorithm::from_name(&retired.algorithm)?;
        let key = base64::engine::general_purpose::STANDARD
            .decode(&retired.key)
            .ok()?;
        Some((key, alg))
    }

    /// Whether `spiffe_id` is a node, operator or workload of the roster and not revoked.
    pub fn admits(&self, spiffe_id: &str) -> Result<(), Refusal> {
        let Some(w) = workload_name(spiffe_id) else {
            return self.identify(spiffe_id).map(|_| ());
        };
        let state = self.state.read().expect("trust lock");
        if state.revoked.contains(spiffe_id) {
            return Err(Refusal::new("revoked", format!("{spiffe_id} is revoked")));
        }
        match state.roster.workloads.contains_key(w) {
            true => Ok(()),
            false => Err(Refusal::new(
                "unknown_identity",
                format!("{spiffe_id} is not in the roster"),
            )),
        }
    }

    /// Checks that one of `signatures` over `message` verifies with the roster's current
    /// ML-DSA key of `spiffe_id` or the one it had before a rotation (mid-rotation either
    /// side may be a step behind), and that the identity is not revoked.
    pub fn verify_signed(
        &self,
        spiffe_id: &str,
        message: &[u8],
        signatures: &[&[u8]],
    ) -> Result<(), Refusal> {
        let (_, key, alg) = self.identify(spiffe_id)?;
        let mut keys = vec![(key, alg)];
        keys.extend(self.previous_key(spiffe_id));
        let ok = keys.iter().any(|(k, a)| {
            signatures
                .iter()
                .any(|sg| crate::engine::pqc::verify(*a, k, message, sg).unwrap_or(false))
        });
        if ok {
            Ok(())
        } else {
            Err(Refusal::new(
                "pq_binding",
                format!(
                    "{} signature of {spiffe_id} does not verify against the roster",
                    alg.name()
                ),
            ))
        }
    }

    /// Whether the roster names `fingerprint` as the current ML-DSA key of `spiffe_id`.
    pub fn is_current_key(&self, spiffe_id: &str, fingerprint: &str) -> bool {
        self.dsa_keys(spiffe_id)
            .is_some_and(|(k, _)| k.sha256 == fingerprint.trim_start_matches("sha256:"))
    }

    /// Who a SPIFFE ID is in the roster, or why it is not acceptable.
    pub(super) fn identify(
        &self,
        spiffe_id: &str,
    ) -> Result<(PeerKind, Vec<u8>, DsaAlgorithm), Refusal> {
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
            |k: &crate::engine::identity::roster::PublicKey| -> Result<(Vec<u8>, DsaAlgorithm), Refusal> {
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
    /// Checks a workload's client chain (SVID, node workload CA): it must lead to a mesh CA
    /// through `node`'s own workload CA, name a workload the roster places on `node`, and
    /// not be revoked. Returns the workload's SPIFFE ID.
    fn check_workload(
        &self,
        cert: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
        node: &str,
    ) -> Result<String, Refusal> {
        let [intermediate] = intermediates else {
            return Err(Refusal::new(
                "untrusted_chain",
                format!(
                    "a workload chain has one CA under the mesh CA, this one has {}",
                    intermediates.len()
                ),
            ));
        };
        let chain = [cert.to_vec(), intermediate.to_vec()];
        let now = time::OffsetDateTime::from_unix_timestamp(now.as_secs() as i64)
            .map_err(|e| Refusal::new("untrusted_chain", e.to_string()))?;
        let prefix = format!("spiffe://{}/workload/", self.trust_domain);
        let state = self.state.read().expect("trust lock");
        let local = |host: &str, id: &str| {
            host == node
                && id
                    .strip_prefix(&prefix)
                    .is_some_and(|w| state.roster.workloads.get(w).is_some_and(|h| h == node))
        };
        let anchors = self.anchors.read().expect("anchors lock").clone();
        let mut last = String::from("no mesh CA");
        for a in &anchors {
            match crate::engine::identity::verify_workload_chain(a, &chain, now, local) {
                Ok(id) if state.revoked.contains(&id) => {
                    return Err(Refusal::new("revoked", format!("{id} is revoked")))
                }
                Ok(id) => return Ok(id),
                Err(e) => last = e,
            }
        }
        Err(Refusal::new("untrusted_chain", last))
    }

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

pub(super) fn provider(allow_classical: bool) -> Arc<CryptoProvider> {
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
pub(super) fn tls13_signature(
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

pub(super) fn to_tls_error(r: Refusal) -> rustls::Error {
    rustls::Error::InvalidCertificate(rustls::CertificateError::Other(rustls::OtherError(
        Arc::new(r),
    )))
}

#[derive(Debug)]
pub(super) struct ClientVerifier {
    pub(super) trust: Arc<Trust>,
    pub(super) provider: Arc<CryptoProvider>,
    /// This node's name: its own workloads may connect with their SVIDs.
    pub(super) local_node: Option<String>,
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
        if !intermediates.is_empty() {
            let node = self.local_node.as_deref().ok_or_else(|| {
                to_tls_error(Refusal::new("untrusted_chain", "no workloads here"))
            })?;
            self.trust
                .check_workload(end_entity, intermediates, now, node)
                .map_err(to_tls_error)?;
            return Ok(ClientCertVerified::assertion());
        }
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
pub(super) struct ServerVerifier {
    pub(super) trust: Arc<Trust>,
    pub(super) provider: Arc<CryptoProvider>,
    pub(super) expected: String,
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
