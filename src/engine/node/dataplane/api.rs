//! The data plane's side of the admin API: what `mesh links|routes|ping`, `send` and
//! `recv` ask a node, answered from its data plane. The caller's identity is checked by the
//! admin service before these run.

use std::time::Duration;

use tonic::Status;

use super::{DataPlane, MAX_HOPS};
use crate::engine::node::faults::LinkFault;
use crate::engine::rpc::pb;

/// The largest message body `send` takes.
pub const MAX_MESSAGE_DATA: usize = 1 << 20;
/// How long a message may take to arrive, unless the sender says otherwise.
const DEFAULT_MESSAGE_TTL: Duration = Duration::from_secs(3600);
const MAX_MESSAGE_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

impl DataPlane {
    pub fn links_reply(&self) -> pb::MeshLinksReply {
        let links = self.links().into_iter().map(|l| pb::MeshLink {
            peer: l.peer,
            state: l.state.as_str().into(),
            cost: l.cost,
            rtt_micros: l.rtt.map_or(0, |r| r.as_micros() as u64),
            jitter_micros: l.jitter.as_micros() as u64,
            loss_ppm: (l.loss * 1e6) as u32,
            kx_group: l.kx_group,
            probes_sent: l.sent,
            probes_answered: l.answered,
            since_seconds: l.since.as_secs_f64(),
            last_error: l.last_error,
        });
        pb::MeshLinksReply {
            node: self.me.clone(),
            links: links.collect(),
        }
    }

    pub fn routes_reply(&self) -> pb::MeshRoutesReply {
        let (routes, adverts) = self.routes();
        pb::MeshRoutesReply {
            node: self.me.clone(),
            routes: routes
                .into_iter()
                .map(|r| pb::MeshRoute {
                    destination: r.destination,
                    next_hop: r.next_hop,
                    path: r.path,
                    metric: r.metric,
                })
                .collect(),
            adverts: adverts as u32,
        }
    }

    /// `count` traces to the destination, one after another.
    pub async fn ping(&self, r: pb::MeshPingRequest) -> Result<pb::MeshPingReply, Status> {
        if !(1..=1000).contains(&r.count) {
            return Err(Status::invalid_argument("count is 1..=1000"));
        }
        let mut attempts = Vec::new();
        for _ in 0..r.count {
            let start = std::time::Instant::now();
            let traced = self.trace(&self.me, &r.destination, MAX_HOPS).await;
            let rtt_micros = start.elapsed().as_micros() as u64;
            attempts.push(match traced {
                Ok(hops) => pb::MeshPingAttempt {
                    ok: true,
                    error: String::new(),
                    hops,
                    rtt_micros,
                },
                Err(s) => pb::MeshPingAttempt {
                    ok: false,
                    error: s.message().to_string(),
                    hops: Vec::new(),
                    rtt_micros,
                },
            });
        }
        Ok(pb::MeshPingReply {
            node: self.me.clone(),
            attempts,
        })
    }

    /// Sends a message for `sender` (the verified caller) and waits for the destination.
    pub async fn send_request(
        self: &std::sync::Arc<Self>,
        sender: &str,
        r: pb::SendRequest,
    ) -> Result<pb::SendReply, Status> {
        if r.data.len() > MAX_MESSAGE_DATA {
            return Err(Status::invalid_argument(format!(
                "a message holds at most {MAX_MESSAGE_DATA} bytes, this one {}",
                r.data.len()
            )));
        }
        let id = match r.message_id.len() {
            16 => r.message_id,
            0 => {
                let mut id = vec![0u8; 16];
                aws_lc_rs::rand::fill(&mut id)
                    .map_err(|_| Status::internal("no randomness for a message id"))?;
                id
            }
            n => {
                return Err(Status::invalid_argument(format!(
                    "a message id is 16 bytes, not {n}"
                )))
            }
        };
        let ttl = match r.ttl_ms {
            0 => DEFAULT_MESSAGE_TTL,
            ms => Duration::from_millis(ms).min(MAX_MESSAGE_TTL),
        };
        let (node, target) = self.resolve(&r.destination)?;
        let done = self.send(&node, sender, &target, r.data, id.clone(), ttl)?;
        match done.await {
            Ok(Ok(seq)) => Ok(pb::SendReply {
                node,
                target,
                seq,
                message_id: id,
                error: String::new(),
            }),
            Ok(Err(reason)) => Err(Status::permission_denied(format!(
                "{node} refused the message: {reason}"
            ))),
            Err(_) => Err(Status::unavailable(
                "the node stopped before the message was acknowledged",
            )),
        }
    }

    /// Sends every message of `requests` as it arrives, keeping at most `window` waiting
    /// for their destinations (reading no further while that many wait), and yields a
    /// reply for each as it is acknowledged or refused.
    pub fn send_stream(
        self: std::sync::Arc<Self>,
        sender: String,
        mut requests: tonic::Streaming<pb::SendRequest>,
        window: usize,
    ) -> impl futures_util::Stream<Item = Result<pb::SendReply, Status>> {
        use futures_util::stream::{FuturesUnordered, StreamExt};
        async_stream_unfold(move |tx| async move {
            let mut waiting = FuturesUnordered::new();
            let mut open = true;
            loop {
                tokio::select! {
                    next = requests.message(), if open && waiting.len() < window => match next {
                        Ok(Some(r)) => {
                            let me = self.clone();
                            let sender = sender.clone();
                            waiting.push(async move {
                                let id = r.message_id.clone();
                                match me.send_request(&sender, r).await {
                                    Ok(reply) => reply,
                                    Err(s) => pb::SendReply {
                                        message_id: id,
                                        error: s.message().to_string(),
                                        ..Default::default()
                                    },
                                }
                            });
                        }
                        Ok(None) => open = false,
                        Err(s) => {
                            let _ = tx.send(Err(s)).await;
                            return;
                        }
                    },
                    Some(reply) = waiting.next(), if !waiting.is_empty() => {
                        if tx.send(Ok(reply)).await.is_err() {
                            return;
                        }
                    }
                    else => return,
                }
            }
        })
    }

    /// Sets or clears the fault on this node's requests to `f.peer`; the caller is an admin.
    pub fn chaos_link(&self, f: pb::LinkFault) -> Result<pb::ChaosLinkReply, Status> {
        let known = (self.transport.trust.roster().nodes.iter()).any(|n| n.name == f.peer);
        if !known || f.peer == self.me {
            return Err(Status::invalid_argument(format!(
                "{:?} is not another node of this mesh",
                f.peer
            )));
        }
        if f.loss_ppm > 1_000_000 || f.corrupt_ppm > 1_000_000 {
            return Err(Status::invalid_argument("a share is at most 100 %"));
        }
        let fault = LinkFault {
            cut: f.cut,
            loss: f64::from(f.loss_ppm) / 1e6,
            delay: Duration::from_micros(f.delay_micros),
            jitter: Duration::from_micros(f.jitter_micros),
            corrupt: f64::from(f.corrupt_ppm) / 1e6,
            blackhole: f.blackhole,
            replay: f.replay,
        };
        self.faults
            .set(&f.peer, fault)
            .map_err(|e| Status::failed_precondition(e.to_string()))?;
        let faults = self
            .faults
            .list()
            .into_iter()
            .map(|(peer, f)| pb::LinkFault {
                peer,
                cut: f.cut,
                loss_ppm: (f.loss * 1e6) as u32,
                delay_micros: f.delay.as_micros() as u64,
                jitter_micros: f.jitter.as_micros() as u64,
                corrupt_ppm: (f.corrupt * 1e6) as u32,
                blackhole: f.blackhole,
                replay: f.replay,
            });
        Ok(pb::ChaosLinkReply {
            node: self.me.clone(),
            faults: faults.collect(),
        })
    }

    /// Whose inbox a read names: this node (empty) or one of its workloads.
    fn inbox_target(&self, target: &str) -> Result<String, Status> {
        let t = if target.is_empty() {
            self.node_id()
        } else {
            target.to_string()
        };
        if self.receives_for(&t) {
            Ok(t)
        } else {
            Err(Status::not_found(format!(
                "{t} has no inbox on {}",
                self.me
            )))
        }
    }

    pub async fn recv_request(&self, r: pb::RecvRequest) -> Result<pb::RecvReply, Status> {
        let target = self.inbox_target(&r.target)?;
        let max = match r.max {
            0 => 100,
            n => n.min(10_000) as usize,
        };
        let wait = Duration::from_millis(r.wait_ms).min(self.settings.max_wait);
        Ok(pb::RecvReply {
            node: self.me.clone(),
            messages: self.recv(&target, max, wait).await?,
        })
    }

    pub async fn confirm_request(&self, r: pb::ConfirmRequest) -> Result<pb::ConfirmReply, Status> {
        let target = self.inbox_target(&r.target)?;
        Ok(pb::ConfirmReply {
            removed: self.confirm(&target, r.up_to).await?,
        })
    }
}

/// A stream fed by a task: `f` gets the sending half of a bounded channel.
fn async_stream_unfold<T, F, Fut>(f: F) -> impl futures_util::Stream<Item = T>
where
    T: Send + 'static,
    F: FnOnce(tokio::sync::mpsc::Sender<T>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(1024);
    tokio::spawn(f(tx));
    tokio_stream::wrappers::ReceiverStream::new(rx)
}
