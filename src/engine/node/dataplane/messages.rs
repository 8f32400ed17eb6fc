//! Messages over the data plane: the sending node seals them end to end and keeps them in a
//! bounded per-destination stream until the destination acknowledges them; every hop
//! forwards the frame on its route; the destination opens, checks and stores them.
//!
//! Delivery is at-least-once on the wire and exactly-once into the inbox: the destination
//! keeps each stream's high-water mark durably with the messages and acknowledges a retry
//! without storing it again. Order holds per stream: a sender keeps a few frames on their
//! way, and a frame is stored only from the message after the high-water mark on. The
//! receiving side is in `deliver`.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use prost::Message as _;
use tokio::sync::{oneshot, Notify};
use tokio::time::Instant;
use tonic::Status;

use super::avoid::{Avoidance, NO_ANSWER_FROM};
use super::deliver::UNKNOWN_SESSION;
use super::{DataPlane, MAX_HOPS};
use crate::engine::mesh::seal::{self, Recipient, Session, REKEY_AFTER_MESSAGES, STALE_SESSION};
use crate::engine::pqc::KemAlgorithm;
use crate::engine::rpc::pb;
use crate::engine::util::timefmt::unix_ms_now;

/// Messages a stream holds before the sender is refused.
pub const MAX_QUEUED: usize = 10_000;
/// Messages per frame.
const FRAME_MESSAGES: usize = 256;
/// Frames of one stream on their way at once.
const FRAMES_IN_FLIGHT: usize = 4;
/// A session is replaced after this long.
const REKEY_AFTER: Duration = Duration::from_secs(600);

/// The outcome of one message for its sender.
pub type Outcome = Result<u64, String>;

struct Pending {
    sealed: pb::Sealed,
    /// The plaintext, kept to seal it again if the destination no longer holds the key
    /// its session was set up with.
    payload: Vec<u8>,
    offer: Arc<Offer>,
    done: Option<oneshot::Sender<Outcome>>,
}

/// A session offer as its sender holds it: frames carry it whole until the destination
/// acknowledged one, and from then on only its id (the destination keeps the session).
struct Offer {
    full: pb::SessionOffer,
    known: AtomicBool,
}

impl Offer {
    fn for_frame(&self) -> pb::SessionOffer {
        match self.known.load(Ordering::Relaxed) {
            true => pb::SessionOffer {
                id: self.full.id.clone(),
                sender: self.full.sender.clone(),
                receiver: self.full.receiver.clone(),
                ..Default::default()
            },
            false => self.full.clone(),
        }
    }
}

struct Current {
    session: Arc<Session>,
    offer: Arc<Offer>,
    counter: u64,
    since: Instant,
    /// The keys it was set up with: the destination's ML-KEM key and this node's ML-DSA
    /// key (fingerprints), as of the trust generation seen last.
    dest_key: String,
    dsa: String,
    generation: u64,
}

#[derive(Default)]
struct StreamState {
    next_seq: u64,
    queue: VecDeque<Pending>,
    current: Option<Current>,
}

/// This node's stream to one destination.
pub(super) struct Stream {
    dest: String,
    id: u64,
    state: Mutex<StreamState>,
    wake: Notify,
}

#[derive(Default)]
pub(super) struct Messaging {
    streams: Mutex<HashMap<String, Arc<Stream>>>,
    pub(super) sessions: Mutex<HashMap<Vec<u8>, super::deliver::Accepted>>,
}

impl DataPlane {
    /// Resolves a destination (node name, node or workload SPIFFE ID) to (node, target ID).
    pub fn resolve(&self, destination: &str) -> Result<(String, String), Status> {
        let roster = self.transport.trust.roster();
        let td = &roster.trust_domain;
        let node_id = |n: &str| format!("spiffe://{td}/node/{n}");
        if let Some(path) = destination.strip_prefix(&format!("spiffe://{td}/")) {
            if let Some(n) = path.strip_prefix("node/") {
                if roster.nodes.iter().any(|r| r.name == n) {
                    return Ok((n.to_string(), destination.to_string()));
                }
            }
            if let Some(w) = path.strip_prefix("workload/") {
                if let Some(node) = roster.workloads.get(w) {
                    return Ok((node.clone(), destination.to_string()));
                }
            }
            return Err(Status::not_found(format!(
                "{destination} is neither a node nor a workload of this mesh"
            )));
        }
        if roster.nodes.iter().any(|r| r.name == destination) {
            return Ok((destination.to_string(), node_id(destination)));
        }
        Err(Status::not_found(format!(
            "{destination} is not a node of this mesh (name or SPIFFE ID)"
        )))
    }

    /// Seals a message from `sender` to `target` on node `dest` and queues it; the returned
    /// receiver yields once the destination stored or refused it. A full stream refuses.
    pub fn send(
        self: &Arc<Self>,
        dest: &str,
        sender: &str,
        target: &str,
        data: bytes::Bytes,
        message_id: Vec<u8>,
        ttl: Duration,
    ) -> Result<oneshot::Receiver<Outcome>, Status> {
        let stream = self.stream(dest);
        let payload = pb::Payload {
            sender: sender.into(),
            target: target.into(),
            data,
            sent_unix_ms: unix_ms_now(),
        }
        .encode_to_vec();
        let (tx, rx) = oneshot::channel();
        {
            let mut st = stream.state.lock().expect("stream");
            if st.queue.len() >= MAX_QUEUED {
                self.metrics
                    .mesh
                    .messages
                    .with_label_values(&["refused"])
                    .inc();
                return Err(Status::resource_exhausted(format!(
                    "{} holds {MAX_QUEUED} messages for {dest} not yet acknowledged: slow down and retry",
                    self.me
                )));
            }
            let rekey = st.current.as_mut().is_none_or(|c| {
                c.counter >= REKEY_AFTER_MESSAGES
                    || c.since.elapsed() >= REKEY_AFTER
                    || self.keys_changed(c, dest)
            });
            if rekey {
                st.current = Some(self.new_session(dest)?);
            }
            st.next_seq += 1;
            let seq = st.next_seq;
            let cur = st.current.as_mut().expect("set above");
            cur.counter += 1;
            let mut sealed = pb::Sealed {
                message_id,
                seq,
                counter: cur.counter,
                expires_unix_ms: unix_ms_now() + ttl.as_millis() as u64,
                ciphertext: bytes::Bytes::new(),
            };
            let aad = seal::aad(&self.me, dest, stream.id, &sealed);
            sealed.ciphertext = cur.session.seal(cur.counter, &aad, &payload).into();
            let offer = cur.offer.clone();
            st.queue.push_back(Pending {
                sealed,
                payload,
                offer,
                done: Some(tx),
            });
        }
        self.metrics
            .mesh
            .messages
            .with_label_values(&["sent"])
            .inc();
        stream.wake.notify_one();
        Ok(rx)
    }

    /// Whether a rotation or a revocation replaced a key `c` was set up with (its sender's
    /// ML-DSA key, its destination's ML-KEM key); the roster is read only after it changed.
    fn keys_changed(&self, c: &mut Current, dest: &str) -> bool {
        if self.transport.creds().dsa_fingerprint != c.dsa {
            return true;
        }
        let generation = self.transport.trust.generation();
        if generation == c.generation {
            return false;
        }
        let roster = self.transport.trust.roster();
        let now = (roster.nodes.iter()).find(|n| n.name == dest);
        if now.is_none_or(|n| n.kem.sha256 != c.dest_key) {
            return true;
        }
        c.generation = generation;
        false
    }

    /// Seals every queued message of `s` again under a new session, set up with the keys
    /// of the moment: the destination said it no longer (or not yet) holds the key of the
    /// old one. Sequence numbers and message ids stay, so nothing is delivered twice.
    fn reseal(&self, s: &Stream) -> Result<(), Status> {
        let mut cur = self.new_session(&s.dest)?;
        let mut st = s.state.lock().expect("stream");
        for p in st.queue.iter_mut() {
            cur.counter += 1;
            p.sealed.counter = cur.counter;
            let aad = seal::aad(&self.me, &s.dest, s.id, &p.sealed);
            p.sealed.ciphertext = cur.session.seal(cur.counter, &aad, &p.payload).into();
            p.offer = cur.offer.clone();
        }
        st.current = Some(cur);
        Ok(())
    }

    fn new_session(&self, dest: &str) -> Result<Current, Status> {
        let generation = self.transport.trust.generation();
        let roster = self.transport.trust.roster();
        let node = (roster.nodes.iter())
            .find(|n| n.name == dest)
            .ok_or_else(|| Status::not_found(format!("{dest} is not in the roster")))?;
        let kem = KemAlgorithm::from_name(&node.kem.algorithm).ok_or_else(|| {
            Status::failed_precondition(format!("{dest} has an unknown KEM {}", node.kem.algorithm))
        })?;
        let key = base64::engine::general_purpose::STANDARD
            .decode(&node.kem.key)
            .map_err(|_| Status::failed_precondition(format!("{dest}'s KEM key is not base64")))?;
        let creds = self.transport.creds();
        let to = Recipient {
            name: dest,
            kem,
            key: &key,
            key_sha256: &node.kem.sha256,
        };
        let (session, offer) = Session::offer(
            &self.me,
            &to,
            creds.dsa,
            &creds.dsa_secret,
            unix_ms_now() / 1000,
        )
        .map_err(|e| Status::internal(format!("cannot set up a session to {dest}: {e}")))?;
        Ok(Current {
            session: Arc::new(session),
            offer: Arc::new(Offer {
                full: offer,
                known: AtomicBool::new(false),
            }),
            counter: 0,
            since: Instant::now(),
            dest_key: node.kem.sha256.clone(),
            dsa: creds.dsa_fingerprint.clone(),
            generation,
        })
    }

    /// The stream to `dest`, started (with its sending task) on first use.
    fn stream(self: &Arc<Self>, dest: &str) -> Arc<Stream> {
        let mut streams = self.messaging.streams.lock().expect("streams");
        if let Some(s) = streams.get(dest) {
            return s.clone();
        }
        let mut id = [0u8; 8];
        let _ = aws_lc_rs::rand::fill(&mut id);
        let s = Arc::new(Stream {
            dest: dest.into(),
            id: u64::from_be_bytes(id),
            state: Mutex::new(StreamState::default()),
            wake: Notify::new(),
        });
        streams.insert(dest.into(), s.clone());
        tokio::spawn(self.clone().drive(s.clone()));
        s
    }

    /// The next frame of `s`: queued messages after `sent`, under one session.
    fn next_frame(&self, s: &Stream, sent: u64) -> Option<(pb::Frame, Arc<Offer>)> {
        let st = s.state.lock().expect("stream");
        let first_seq = st.queue.front()?.sealed.seq;
        let skip = (sent + 1).saturating_sub(first_seq) as usize;
        let first = st.queue.get(skip)?;
        let offer = first.offer.clone();
        let messages: Vec<pb::Sealed> = (st.queue.iter().skip(skip))
            .take_while(|p| Arc::ptr_eq(&p.offer, &offer))
            .take(FRAME_MESSAGES)
            .map(|p| p.sealed.clone())
            .collect();
        let frame = pb::Frame {
            origin: self.me.clone(),
            destination: s.dest.clone(),
            stream: s.id,
            hop_limit: MAX_HOPS,
            session: Some(offer.for_frame()),
            messages,
            avoid: Vec::new(),
        };
        Some((frame, offer))
    }

    /// Sends a stream's queue until every message is acknowledged, up to
    /// [`FRAMES_IN_FLIGHT`] frames at a time (the destination stores them in order), and
    /// after any failure goes back to the first unacknowledged message and retries on the
    /// route of the moment.
    async fn drive(self: Arc<Self>, s: Arc<Stream>) {
        use futures_util::stream::{FuturesUnordered, StreamExt};
        let backoff = self.settings.probe_interval.max(Duration::from_millis(20));
        let mut avoidance = Avoidance::default();
        let mut resealed: Option<Instant> = None;
        let mut in_flight = FuturesUnordered::new();
        // The last sequence number handed to a frame, and the attempt it belongs to: a
        // failure starts a new attempt, and the answers of older ones only settle.
        let (mut sent, mut attempt) = (0u64, 0u64);
        loop {
            while in_flight.len() < FRAMES_IN_FLIGHT {
                let Some((mut frame, offer)) = self.next_frame(&s, sent) else {
                    break;
                };
                frame.avoid = avoidance.list();
                let path = self.path_to(&s.dest, &frame.avoid);
                let last = frame.messages.last().map_or(sent, |m| m.seq);
                let n = frame.messages.len() as u64;
                sent = last;
                let me = self.clone();
                in_flight.push(async move {
                    let result = me.forward(frame).await;
                    (attempt, last, n, path, offer, result)
                });
            }
            let (from, last, n, path, offer, result) = tokio::select! {
                done = in_flight.next(), if !in_flight.is_empty() => done.expect("not empty"),
                _ = s.wake.notified(), if in_flight.len() < FRAMES_IN_FLIGHT => continue,
            };
            let e = match result {
                Ok(reply) => {
                    offer.known.store(true, Ordering::Relaxed);
                    avoidance.delivered();
                    let acked = reply.acked;
                    self.settle(&s, reply);
                    // Acknowledged only up to a gap (a frame before it was lost or
                    // overtaken for too long): send again from the gap, at once.
                    if acked < last && from == attempt {
                        attempt += 1;
                        sent = acked;
                    }
                    continue;
                }
                Err(e) => e,
            };
            // The destination lost the session (it restarted): offer it whole again.
            let unknown = e.message().contains(UNKNOWN_SESSION);
            if unknown {
                offer.known.store(false, Ordering::Relaxed);
            }
            self.metrics
                .mesh
                .messages
                .with_label_values(&["retried"])
                .inc_by(n);
            if from != attempt {
                continue;
            }
            attempt += 1;
            sent = {
                let st = s.state.lock().expect("stream");
                st.queue.front().map_or(sent, |p| p.sealed.seq - 1)
            };
            tracing::debug!(dest = %s.dest, "frame not acknowledged, will retry: {}", e.message());
            let routable = |avoid: &[String]| self.path_to(&s.dest, avoid).is_some();
            if let Some(suspect) = avoidance.failed(path.as_deref(), &e, routable) {
                tracing::warn!(dest = %s.dest, %suspect, "frames through this node were altered or lost: routing around it for a while");
                self.metrics
                    .mesh
                    .suspects
                    .with_label_values(&[&suspect])
                    .inc();
            }
            // At most once a second: any hop could claim it.
            if e.code() == tonic::Code::FailedPrecondition
                && e.message().contains(STALE_SESSION)
                && resealed.is_none_or(|t| t.elapsed() >= Duration::from_secs(1))
            {
                resealed = Some(Instant::now());
                if let Err(e) = self.reseal(&s) {
                    tracing::warn!(dest = %s.dest, "cannot set up a new session: {}", e.message());
                }
            }
            if !unknown {
                tokio::time::sleep(backoff).await;
            }
        }
    }

    /// Resolves the senders of every message the destination acknowledged.
    fn settle(&self, s: &Stream, reply: pb::ForwardReply) {
        let refused: HashMap<u64, String> = reply
            .refused
            .into_iter()
            .map(|r| (r.seq, r.reason))
            .collect();
        let mut st = s.state.lock().expect("stream");
        while st
            .queue
            .front()
            .is_some_and(|p| p.sealed.seq <= reply.acked)
        {
            let mut p = st.queue.pop_front().expect("checked");
            let outcome = match refused.get(&p.sealed.seq) {
                Some(r) => Err(r.clone()),
                None => Ok(p.sealed.seq),
            };
            if let Some(done) = p.done.take() {
                let _ = done.send(outcome);
            }
        }
    }

    /// Delivers a frame here, or passes it to the next hop on its route.
    pub(crate) async fn forward(&self, frame: pb::Frame) -> Result<pb::ForwardReply, Status> {
        if frame.destination == self.me {
            return self.deliver(frame).await;
        }
        if frame.hop_limit == 0 {
            return Err(Status::resource_exhausted(format!(
                "hop limit reached at {} on the way to {}",
                self.me, frame.destination
            )));
        }
        let next = self
            .next_hop(&frame.destination, &frame.avoid)
            .ok_or_else(|| {
                let around = match frame.avoid.is_empty() {
                    true => String::new(),
                    false => format!(" around {} avoided nodes", frame.avoid.len()),
                };
                Status::unavailable(format!(
                    "{} has no route to {}{around}",
                    self.me, frame.destination
                ))
            })?;
        let mut client = self
            .client(&next)
            .ok_or_else(|| Status::unavailable(format!("{} has no link to {next}", self.me)))?;
        let relayed = frame.origin != self.me;
        let n = frame.messages.len() as u64;
        let mut frame = pb::Frame {
            hop_limit: frame.hop_limit - 1,
            ..frame
        };
        // Each hop waits a little less than the one before it, so the hop next to a silent
        // node gives up first and its answer names that node.
        let travelled = MAX_HOPS.saturating_sub(frame.hop_limit + 1);
        let limit = (self.settings.probe_interval.max(Duration::from_millis(250)) * 10)
            .saturating_sub(Duration::from_millis(200) * travelled)
            .max(Duration::from_millis(500));
        self.faults.outbound(&next).await?;
        let hostile = match relayed {
            true => self.faults.relayed(&next),
            false => Default::default(),
        };
        if hostile.blackhole {
            // Held without an answer until the sender gives up, never passed on.
            tokio::time::sleep(limit * 2).await;
            return Err(Status::deadline_exceeded("chaos: frame dropped"));
        }
        if hostile.corrupt {
            if let Some(m) = frame
                .messages
                .first_mut()
                .filter(|m| !m.ciphertext.is_empty())
            {
                let mut altered = m.ciphertext.to_vec();
                altered[0] ^= 0x5a;
                m.ciphertext = altered.into();
            }
        }
        if hostile.replay {
            let (mut again, copy) = (client.clone(), frame.clone());
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                let _ = tokio::time::timeout(limit, again.forward(copy)).await;
            });
        }
        let reply = tokio::time::timeout(limit, client.forward(frame))
            .await
            .map_err(|_| {
                Status::deadline_exceeded(format!("{NO_ANSWER_FROM}{next} within {limit:?}"))
            })?
            .map_err(|s| Status::new(s.code(), format!("via {next}: {}", s.message())))?;
        if relayed {
            self.metrics
                .mesh
                .messages
                .with_label_values(&["forwarded"])
                .inc_by(n);
        }
        Ok(reply.into_inner())
    }
}
