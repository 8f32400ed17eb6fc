//! End-to-end protection of data-plane messages between the sending and the receiving node.
//!
//! A session is set up by ML-KEM encapsulation to the receiver's roster key and signed once
//! by the sender's ML-DSA key; messages then travel under an AES-256-GCM key derived from
//! the shared secret. A relay on the way forwards ciphertext it can neither read nor alter
//! undetected, and no message carries a signature of its own. Replays are caught by the
//! receiver's per-stream sequence numbers (see the inbox), not here.

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use aws_lc_rs::hkdf;
use prost::Message as _;

use crate::engine::pqc::{self, DsaAlgorithm, KemAlgorithm};
use crate::engine::rpc::pb;
use crate::engine::transport::Trust;

/// Signed with the session offer, so the signature cannot be taken for anything else.
const OFFER_DOMAIN: &[u8] = b"x0t data session offer v1\n";
const KEY_INFO: &[u8] = b"x0t data session key v1";
/// Messages under one session key before the sender starts a new one; far below the 2^32
/// GCM limit for random-free counter nonces.
pub const REKEY_AFTER_MESSAGES: u64 = 1 << 24;

/// Why a session or a message did not open; the tag is the metric label.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("session offer from {sender}: {reason}")]
    Offer { sender: String, reason: String },
    #[error(
        "message {seq} of {origin} does not open: altered on the way, or not sealed for this node"
    )]
    Tampered { origin: String, seq: u64 },
    /// The offer was made for an ML-KEM key this node does not hold (any more, or yet): the
    /// sender must set up a new session with the roster's current key.
    #[error("{STALE_SESSION}: session offer from {sender} is for ML-KEM key {key}, which {me} does not hold")]
    StaleKey {
        sender: String,
        me: String,
        key: String,
    },
    #[error(transparent)]
    Pqc(#[from] pqc::PqcError),
}

impl SealError {
    pub fn tag(&self) -> &'static str {
        match self {
            SealError::Offer { .. } => "bad_session",
            SealError::Tampered { .. } => "tampered",
            SealError::StaleKey { .. } => "stale_session",
            SealError::Pqc(_) => "crypto",
        }
    }
}

/// How a refusal for a session sealed to a key the receiver does not hold begins, so the
/// sender knows to set up a new one (the gRPC status keeps it across relays).
pub const STALE_SESSION: &str = "stale session";

/// A receiver's ML-KEM secret key with the SHA-256 (hex) of its public half, as the roster
/// names it.
pub struct KemKey {
    pub public_sha256: String,
    pub secret: crate::engine::util::Secret,
}

/// The node a session is offered to, with its ML-KEM public key from the roster.
pub struct Recipient<'a> {
    pub name: &'a str,
    pub kem: KemAlgorithm,
    pub key: &'a [u8],
    /// SHA-256 (hex) of `key`, as the roster names it.
    pub key_sha256: &'a str,
}

/// One direction of an end-to-end session.
pub struct Session {
    pub id: Vec<u8>,
    key: LessSafeKey,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &hex::encode(&self.id))
            .finish_non_exhaustive()
    }
}

/// What the sender signs: everything the receiver needs to trust the session.
fn offer_bytes(o: &pb::SessionOffer) -> Vec<u8> {
    let unsigned = pb::SessionOffer {
        signature: Vec::new(),
        ..o.clone()
    };
    let mut m = OFFER_DOMAIN.to_vec();
    m.extend(unsigned.encode_to_vec());
    m
}

fn derive(shared: &[u8], o: &pb::SessionOffer) -> Result<LessSafeKey, SealError> {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &o.id).extract(shared);
    let info = [KEY_INFO, o.sender.as_bytes(), b"\0", o.receiver.as_bytes()];
    let okm = prk
        .expand(&info, &AES_256_GCM)
        .map_err(|_| SealError::Pqc(pqc::PqcError::Liboqs("HKDF expand failed".into())))?;
    let mut key = [0u8; 32];
    okm.fill(&mut key)
        .map_err(|_| SealError::Pqc(pqc::PqcError::Liboqs("HKDF fill failed".into())))?;
    let unbound = UnboundKey::new(&AES_256_GCM, &key)
        .map_err(|_| SealError::Pqc(pqc::PqcError::Liboqs("AES key rejected".into())))?;
    Ok(LessSafeKey::new(unbound))
}

fn nonce(counter: u64) -> Nonce {
    let mut n = [0u8; 12];
    n[4..].copy_from_slice(&counter.to_be_bytes());
    Nonce::assume_unique_for_key(n)
}

impl Session {
    /// A new session from `sender` to `receiver`, encapsulated to the receiver's ML-KEM key
    /// and signed with the sender's ML-DSA key. Returns the session and the offer to send.
    pub fn offer(
        sender: &str,
        to: &Recipient,
        dsa: DsaAlgorithm,
        dsa_secret: &[u8],
        created_unix: u64,
    ) -> Result<(Session, pb::SessionOffer), SealError> {
        let (ct, shared) = pqc::encapsulate(to.kem, to.key)?;
        let mut id = vec![0u8; 16];
        aws_lc_rs::rand::fill(&mut id)
            .map_err(|_| SealError::Pqc(pqc::PqcError::Liboqs("no randomness".into())))?;
        let mut o = pb::SessionOffer {
            id,
            sender: sender.into(),
            receiver: to.name.into(),
            kem_ciphertext: ct,
            created_unix,
            signature: Vec::new(),
            receiver_key: to.key_sha256.into(),
        };
        o.signature = pqc::sign(dsa, dsa_secret, &offer_bytes(&o))?;
        let key = derive(&shared, &o)?;
        Ok((
            Session {
                id: o.id.clone(),
                key,
            },
            o,
        ))
    }

    /// Accepts an offer addressed to `me`: the sender's signature must verify against the
    /// roster (and the sender must not be revoked), then the shared secret is decapsulated
    /// with the one of this node's ML-KEM secret keys (current, or the one before a
    /// rotation) that the offer names.
    pub fn accept(
        o: &pb::SessionOffer,
        me: &str,
        trust: &Trust,
        kem: KemAlgorithm,
        keys: &[KemKey],
    ) -> Result<Session, SealError> {
        let bad = |reason: String| SealError::Offer {
            sender: o.sender.clone(),
            reason,
        };
        if o.receiver != me {
            return Err(bad(format!("addressed to {}, not to {me}", o.receiver)));
        }
        if o.id.len() != 16 {
            return Err(bad("session id is not 16 bytes".into()));
        }
        let id = format!("spiffe://{}/node/{}", trust.trust_domain, o.sender);
        trust
            .verify_signed(&id, &offer_bytes(o), &[&o.signature])
            .map_err(|r| bad(r.to_string()))?;
        let key = (keys.iter())
            .find(|k| k.public_sha256 == o.receiver_key)
            .ok_or_else(|| SealError::StaleKey {
                sender: o.sender.clone(),
                me: me.into(),
                key: o.receiver_key.chars().take(16).collect(),
            })?;
        let shared = pqc::decapsulate(kem, &key.secret, &o.kem_ciphertext)
            .map_err(|e| bad(format!("cannot decapsulate: {e}")))?;
        let key = derive(&shared, o)?;
        Ok(Session {
            id: o.id.clone(),
            key,
        })
    }

    /// Seals `plaintext` as message `counter` of this session, bound to `aad`.
    pub fn seal(&self, counter: u64, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let mut buf = plaintext.to_vec();
        self.key
            .seal_in_place_append_tag(nonce(counter), Aad::from(aad), &mut buf)
            .expect("AES-GCM seals any buffer below 64 GiB");
        buf
    }

    /// Opens what [`Session::seal`] sealed with the same counter and `aad`.
    pub fn open(&self, counter: u64, aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        let mut buf = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(nonce(counter), Aad::from(aad), &mut buf)
            .ok()?;
        Some(plain.to_vec())
    }
}

/// The associated data of one sealed message: everything about it a relay could try to
/// change without touching the ciphertext.
pub fn aad(origin: &str, destination: &str, stream: u64, m: &pb::Sealed) -> Vec<u8> {
    let mut a = Vec::with_capacity(origin.len() + destination.len() + 64);
    for part in [origin.as_bytes(), destination.as_bytes(), &m.message_id] {
        a.extend((part.len() as u32).to_be_bytes());
        a.extend(part);
    }
    for n in [stream, m.seq, m.counter, m.expires_unix_ms] {
        a.extend(n.to_be_bytes());
    }
    a
}
