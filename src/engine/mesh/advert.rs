//! Link-state adverts: what a node says about its links, signed with its ML-DSA key so that
//! every node that accepts one can check it came from its origin, whoever forwarded it.

use std::time::Duration;

use prost::Message as _;

use super::link::LinkState;
use crate::engine::pqc::{self, DsaAlgorithm};
use crate::engine::rpc::pb;
use crate::engine::transport::Trust;

/// Prefixed to the body before signing, so an advert signature can never be taken for a
/// signature of anything else the same key signs.
const DOMAIN: &[u8] = b"x0t link-state advert v1\n";
/// The longest an advert may ask to be kept.
pub const MAX_LIFETIME: Duration = Duration::from_secs(600);
/// The largest encoded advert accepted: about 100 bytes per link.
pub const MAX_BODY: usize = 64 * 1024;

/// One node's view of its links, as flooded.
#[derive(Debug, Clone, PartialEq)]
pub struct Advert {
    pub origin: String,
    pub seq: u64,
    pub lifetime: Duration,
    pub links: Vec<AdvertLink>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AdvertLink {
    pub peer: String,
    pub state: LinkState,
    pub rtt: Duration,
    /// Fraction of probes lost, 0..=1.
    pub loss: f64,
}

/// Why an advert was not accepted; the tag is the metric label.
#[derive(Debug, thiserror::Error)]
pub enum AdvertError {
    #[error("malformed advert: {0}")]
    Malformed(String),
    #[error("advert for mesh {0:?}, this is another mesh")]
    WrongMesh(String),
    #[error("advert origin {origin}: {reason}")]
    UnknownOrigin { origin: String, reason: String },
    #[error("advert from {0} does not verify against its roster key")]
    BadSignature(String),
}

impl AdvertError {
    pub fn tag(&self) -> &'static str {
        match self {
            AdvertError::Malformed(_) => "malformed",
            AdvertError::WrongMesh(_) => "wrong_mesh",
            AdvertError::UnknownOrigin { .. } => "unknown_origin",
            AdvertError::BadSignature(_) => "bad_signature",
        }
    }
}

impl Advert {
    /// Encodes and signs the advert.
    pub fn sign(
        &self,
        mesh: &str,
        alg: DsaAlgorithm,
        secret: &[u8],
    ) -> Result<pb::SignedAdvert, pqc::PqcError> {
        let body = pb::AdvertBody {
            mesh: mesh.into(),
            origin: self.origin.clone(),
            seq: self.seq,
            lifetime_ms: self.lifetime.as_millis().min(u128::from(u32::MAX)) as u32,
            links: self
                .links
                .iter()
                .map(|l| pb::AdvertLink {
                    peer: l.peer.clone(),
                    state: l.state.as_str().into(),
                    rtt_micros: l.rtt.as_micros().min(u128::from(u64::MAX)) as u64,
                    loss_ppm: (l.loss.clamp(0.0, 1.0) * 1e6) as u32,
                })
                .collect(),
        }
        .encode_to_vec();
        let signature = pqc::sign(alg, secret, &signed_bytes(&body))?;
        Ok(pb::SignedAdvert { body, signature })
    }

    /// Decodes a signed advert and checks it: this mesh, an origin the roster names as a node
    /// and the deny list does not, a signature by that origin's ML-DSA key (its current one,
    /// or the one before a rotation), links only to roster nodes.
    pub fn open(
        signed: &pb::SignedAdvert,
        mesh: &str,
        trust: &Trust,
    ) -> Result<Advert, AdvertError> {
        if signed.body.len() > MAX_BODY {
            return Err(AdvertError::Malformed(format!(
                "{} bytes (limit {MAX_BODY})",
                signed.body.len()
            )));
        }
        let body = pb::AdvertBody::decode(signed.body.as_slice())
            .map_err(|e| AdvertError::Malformed(e.to_string()))?;
        if body.mesh != mesh {
            return Err(AdvertError::WrongMesh(body.mesh));
        }
        let roster = trust.roster();
        if !roster.nodes.iter().any(|n| n.name == body.origin) {
            return Err(AdvertError::UnknownOrigin {
                origin: body.origin,
                reason: "not a node of the roster".into(),
            });
        }
        let id = format!("spiffe://{}/node/{}", trust.trust_domain, body.origin);
        trust
            .verify_signed(&id, &signed_bytes(&signed.body), &[&signed.signature])
            .map_err(|r| match r.tag() {
                "revoked" | "unknown_identity" => AdvertError::UnknownOrigin {
                    origin: body.origin.clone(),
                    reason: r.to_string(),
                },
                _ => AdvertError::BadSignature(body.origin.clone()),
            })?;
        let mut links = Vec::with_capacity(body.links.len());
        for l in body.links {
            if !roster.nodes.iter().any(|n| n.name == l.peer) || l.peer == body.origin {
                return Err(AdvertError::Malformed(format!(
                    "{} lists a link to {:?}, not another node of the roster",
                    body.origin, l.peer
                )));
            }
            let state = LinkState::parse(&l.state)
                .ok_or_else(|| AdvertError::Malformed(format!("link state {:?}", l.state)))?;
            links.push(AdvertLink {
                peer: l.peer,
                state,
                rtt: Duration::from_micros(l.rtt_micros.min(60_000_000)),
                loss: (f64::from(l.loss_ppm) / 1e6).min(1.0),
            });
        }
        Ok(Advert {
            origin: body.origin,
            seq: body.seq,
            lifetime: Duration::from_millis(u64::from(body.lifetime_ms)).min(MAX_LIFETIME),
            links,
        })
    }
}

/// What the origin signs: the domain string, then the encoded body.
pub(crate) fn signed_bytes(body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(DOMAIN.len() + body.len());
    m.extend_from_slice(DOMAIN);
    m.extend_from_slice(body);
    m
}
