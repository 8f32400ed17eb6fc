//! The receiving side of messages: a frame addressed to this node is opened under its
//! session (verified once, then remembered), each message checked against the roster and
//! the message policy, and stored in the inbox in stream order; readers take them out.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use prost::Message as _;
use tokio::time::Instant;
use tonic::Status;

use super::inbox::{Commit, Inbox};
use super::DataPlane;
use crate::engine::bundle::KemSecret;
use crate::engine::identity::roster::Roster;
use crate::engine::mesh::policy::{Party, Policy};
use crate::engine::mesh::seal::{self, KemKey, SealError, Session};
use crate::engine::pqc::KemAlgorithm;
use crate::engine::rpc::pb;
use crate::engine::util::timefmt::unix_ms_now;

/// What a destination answers a frame that names a session it does not hold.
pub(super) const UNKNOWN_SESSION: &str = "unknown session";
/// Sessions a receiver remembers.
const MAX_SESSIONS: usize = 4096;
/// How long a frame that arrived ahead of its predecessor waits for it before it is
/// acknowledged only up to the gap (and sent again by its origin).
const GAP_WAIT: Duration = Duration::from_millis(200);

/// What the receiving side needs: its inbox, its ML-KEM secret keys, whom it receives for.
pub struct Receiver {
    pub inbox: Inbox,
    pub kem: KemAlgorithm,
    /// The current key first, then the one before the last rotation (sessions set up just
    /// before it still open).
    kem_keys: RwLock<Vec<KemKey>>,
}

impl Receiver {
    pub fn new(inbox: Inbox, kem: &KemSecret) -> Receiver {
        Receiver {
            inbox,
            kem: kem.algorithm,
            kem_keys: RwLock::new(vec![KemKey {
                public_sha256: kem.public_sha256.clone(),
                secret: kem.secret.clone(),
            }]),
        }
    }

    /// Takes up a reloaded ML-KEM key (after `keys rotate`): new sessions open with it, and
    /// the previous one is kept for sessions offered before the sender saw the rotation.
    /// Returns whether the key was new.
    pub fn take_kem(&self, kem: &KemSecret) -> bool {
        let mut keys = self.kem_keys.write().expect("kem keys");
        if keys[0].public_sha256 == kem.public_sha256 {
            return false;
        }
        keys.truncate(1);
        keys.insert(
            0,
            KemKey {
                public_sha256: kem.public_sha256.clone(),
                secret: kem.secret.clone(),
            },
        );
        true
    }
}

/// What the destination checks a frame's messages against, read once per frame.
struct Rules {
    roster: Roster,
    policy: Result<Policy, String>,
    revoked: std::collections::HashSet<String>,
}

/// A session a destination accepted, with the node that set it up.
pub(super) type Accepted = (String, Arc<Session>);

impl DataPlane {
    fn receiver(&self) -> &Receiver {
        &self.receiver
    }

    /// Takes up a reloaded ML-KEM key; see [`Receiver::take_kem`].
    pub fn take_kem(&self, kem: &KemSecret) -> bool {
        self.receiver.take_kem(kem)
    }

    /// The session a frame is sealed under: verified once, then remembered.
    fn session_of(&self, frame: &pb::Frame) -> Result<Arc<Session>, Status> {
        let offer = frame
            .session
            .as_ref()
            .ok_or_else(|| Status::invalid_argument("a frame carries its session offer"))?;
        if offer.sender != frame.origin {
            return Err(Status::permission_denied(format!(
                "frame from {} carries a session of {}",
                frame.origin, offer.sender
            )));
        }
        // A revoked or removed origin is refused even on a session set up before.
        let origin_id = format!(
            "spiffe://{}/node/{}",
            self.transport.trust.trust_domain, frame.origin
        );
        if let Err(r) = self.transport.trust.admits(&origin_id) {
            return Err(Status::permission_denied(r.to_string()));
        }
        let cached = (self.messaging.sessions.lock().expect("sessions"))
            .get(&offer.id)
            .filter(|(sender, _)| *sender == offer.sender)
            .map(|(_, s)| s.clone());
        if let Some(s) = cached {
            return Ok(s);
        }
        if offer.kem_ciphertext.is_empty() {
            return Err(Status::failed_precondition(format!(
                "{UNKNOWN_SESSION}: {} holds no session {} from {}",
                self.me,
                hex::encode(&offer.id),
                offer.sender
            )));
        }
        let r = self.receiver();
        let keys = r.kem_keys.read().expect("kem keys");
        let session = Session::accept(offer, &self.me, &self.transport.trust, r.kem, &keys)
            .map_err(|e| {
                self.metrics
                    .mesh
                    .messages
                    .with_label_values(&[e.tag()])
                    .inc();
                match e {
                    SealError::StaleKey { .. } => Status::failed_precondition(e.to_string()),
                    _ => Status::permission_denied(e.to_string()),
                }
            })?;
        drop(keys);
        let session = Arc::new(session);
        let mut sessions = self.messaging.sessions.lock().expect("sessions");
        if sessions.len() >= MAX_SESSIONS {
            sessions.clear();
        }
        sessions.insert(offer.id.clone(), (offer.sender.clone(), session.clone()));
        Ok(session)
    }

    /// Opens, checks and stores a frame addressed to this node, in stream order.
    pub(super) async fn deliver(&self, frame: pb::Frame) -> Result<pb::ForwardReply, Status> {
        let session = self.session_of(&frame)?;
        let r = self.receiver();
        let key = format!("{}/{:016x}", frame.origin, frame.stream);
        let slot = r.inbox.stream(&key);
        let store = |e: super::inbox::InboxError| Status::internal(e.to_string());
        // A frame that overtook its predecessor on the way waits a little for it.
        let gap_deadline = Instant::now() + GAP_WAIT;
        let (mut hw, mut next) = loop {
            let moved = slot.moved.notified();
            let hw = slot.high_water.lock().await;
            let next = match *hw {
                Some(h) => h,
                None => r.inbox.high_water(&key).map_err(store)?,
            };
            let first_new = frame.messages.iter().map(|m| m.seq).find(|s| *s > next);
            match first_new {
                Some(s) if s > next + 1 && Instant::now() < gap_deadline => {
                    drop(hw);
                    let _ = tokio::time::timeout_at(gap_deadline, moved).await;
                }
                _ => break (hw, next),
            }
        };
        let before = next;
        let now = unix_ms_now();
        let mut commit = Commit {
            stream: key.clone(),
            high_water: next,
            messages: Vec::new(),
            ids: Vec::new(),
        };
        let mut refused = Vec::new();
        let mut duplicates = 0;
        let mut tampered = None;
        let ids: Vec<&[u8]> = frame
            .messages
            .iter()
            .map(|m| m.message_id.as_slice())
            .collect();
        let seen = r.inbox.seen(&ids).map_err(store)?;
        let roster = self.transport.trust.roster();
        let rules = Rules {
            policy: Policy::of(&roster),
            roster,
            revoked: self.transport.trust.revoked(),
        };
        for (m, seen) in frame.messages.iter().zip(seen) {
            if m.seq <= next {
                duplicates += 1;
                continue;
            }
            if m.seq != next + 1 {
                break;
            }
            let aad = seal::aad(&frame.origin, &frame.destination, frame.stream, m);
            let Some(plain) = session.open(m.counter, &aad, &m.ciphertext) else {
                tampered = Some(m.seq);
                break;
            };
            // Decoded from a shared buffer: the data is a slice of it, not a copy.
            let Ok(p) = pb::Payload::decode(bytes::Bytes::from(plain)) else {
                tampered = Some(m.seq);
                break;
            };
            next = m.seq;
            if m.expires_unix_ms < now {
                refused.push(pb::RefusedMessage {
                    seq: m.seq,
                    reason: "expired before it arrived".into(),
                });
                continue;
            }
            if m.message_id.len() != 16 {
                refused.push(pb::RefusedMessage {
                    seq: m.seq,
                    reason: format!("a message id is 16 bytes, not {}", m.message_id.len()),
                });
                continue;
            }
            if let Err(why) = self.may_send(&rules, &frame.origin, &p.sender, &p.target) {
                refused.push(pb::RefusedMessage {
                    seq: m.seq,
                    reason: why,
                });
                continue;
            }
            if seen {
                duplicates += 1;
                continue;
            }
            commit.ids.push((m.message_id.clone(), m.expires_unix_ms));
            commit.messages.push(pb::InboxMessage {
                index: 0,
                message_id: m.message_id.clone(),
                sender: p.sender,
                target: p.target,
                origin: frame.origin.clone(),
                data: p.data,
                sent_unix_ms: p.sent_unix_ms,
                received_unix_ms: now,
            });
        }
        let delivered = commit.messages.len() as u64;
        if next > commit.high_water {
            commit.high_water = next;
            r.inbox.commit(commit).await.map_err(store)?;
        }
        *hw = Some(next);
        drop(hw);
        if next > before {
            slot.moved.notify_waiters();
        }
        let m = &self.metrics.mesh.messages;
        m.with_label_values(&["delivered"]).inc_by(delivered);
        m.with_label_values(&["duplicate"]).inc_by(duplicates);
        m.with_label_values(&["refused"])
            .inc_by(refused.len() as u64);
        if let Some(seq) = tampered {
            m.with_label_values(&["tampered"]).inc();
            tracing::warn!(origin = %frame.origin, seq, "message does not open: altered on the way or not sealed for this node");
        }
        // What opened before an altered message is acknowledged with its refusals (a retry
        // would find it stored and could no longer tell a refusal); the altered one fails
        // the frame only when nothing came before it.
        if let Some(seq) = tampered.filter(|_| next == before) {
            return Err(Status::data_loss(format!(
                "message {seq} from {} does not open at {}: altered on the way",
                frame.origin, self.me
            )));
        }
        Ok(pb::ForwardReply {
            acked: next,
            refused,
        })
    }

    /// Whether `target` lives here, by `roster`: this node, or a workload it hosts (so a
    /// workload added by `apply` receives without a restart of its node).
    /// Checked per message, so it allocates nothing.
    fn hosts(&self, roster: &Roster, target: &str) -> bool {
        let path = (target.strip_prefix("spiffe://"))
            .and_then(|t| t.strip_prefix(roster.trust_domain.as_str()))
            .and_then(|t| t.strip_prefix('/'));
        match path.and_then(|p| p.split_once('/')) {
            Some(("node", n)) => n == self.me,
            Some(("workload", w)) => roster.workloads.get(w).is_some_and(|n| *n == self.me),
            _ => false,
        }
    }

    /// Whether `sender` may send `target` a message that entered the mesh at `origin`:
    /// the sender must be able to enter there (a node only at itself, a workload only at
    /// its node), the target must live on this node, and the mesh's message policy
    /// (`spec.messaging`, from the roster) must allow the pair.
    fn may_send(
        &self,
        rules: &Rules,
        origin: &str,
        sender: &str,
        target: &str,
    ) -> Result<(), String> {
        if !self.hosts(&rules.roster, target) {
            return Err(format!("{target} does not live on {}", self.me));
        }
        let Rules {
            roster,
            policy,
            revoked,
        } = rules;
        if revoked.contains(sender) {
            return Err(format!("{sender} is revoked"));
        }
        let from = Party::of(sender, roster).map_err(|e| format!("sender: {e}"))?;
        match &from {
            Party::Node(n) if n != origin => {
                return Err(format!("node {origin} may not send as node {n}"))
            }
            Party::Workload { name, node } if node != origin => {
                return Err(format!(
                    "workload {name} lives on {node} and may not send through {origin}"
                ))
            }
            _ => {}
        }
        let to = Party::of(target, roster).map_err(|e| format!("target: {e}"))?;
        let policy = policy
            .as_ref()
            .map_err(|e| format!("the roster's messaging policy is invalid ({e})"))?;
        if policy.allows(&from, &to, roster) {
            Ok(())
        } else {
            Err(format!(
                "no spec.messaging.allow rule lets {from} send to {to}"
            ))
        }
    }

    /// Up to `max` messages for `target`, oldest first, waiting up to `wait` for one.
    pub async fn recv(
        &self,
        target: &str,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<pb::InboxMessage>, Status> {
        let r = self.receiver();
        let deadline = Instant::now() + wait;
        loop {
            let arrived = r.inbox.arrived.notified();
            let got = r
                .inbox
                .read(target, max)
                .map_err(|e| Status::internal(e.to_string()))?;
            if !got.is_empty() || Instant::now() >= deadline {
                return Ok(got);
            }
            let _ = tokio::time::timeout_at(deadline, arrived).await;
        }
    }

    pub async fn confirm(&self, target: &str, up_to: u64) -> Result<u64, Status> {
        self.receiver()
            .inbox
            .confirm(target, up_to)
            .await
            .map_err(|e| Status::internal(e.to_string()))
    }

    /// The SPIFFE ID of this node.
    pub fn node_id(&self) -> String {
        format!(
            "spiffe://{}/node/{}",
            self.transport.trust.trust_domain, self.me
        )
    }

    /// Whether `target` is this node or one of its workloads.
    pub fn receives_for(&self, target: &str) -> bool {
        self.hosts(&self.transport.trust.roster(), target)
    }
}
