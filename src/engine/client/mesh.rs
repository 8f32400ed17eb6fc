//! `mesh links`, `mesh routes` and `mesh ping`: the data plane as each node sees it.

use std::time::Duration;

use serde::Serialize;

use crate::engine::rpc::pb;

use super::*;

/// One link as a node measures it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeshLink {
    pub peer: String,
    /// up, degraded or down.
    pub state: String,
    pub cost: u32,
    /// Smoothed round trip; absent until a probe has been timed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rtt_seconds: Option<f64>,
    pub jitter_seconds: f64,
    /// Smoothed fraction of probes lost.
    pub loss: f64,
    /// Key exchange of the link's connection (empty until it connects).
    pub kx_group: String,
    pub probes_sent: u64,
    pub probes_answered: u64,
    /// How long the link has been in its state.
    pub since_seconds: f64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_error: String,
}

/// One node's links, or why it did not answer.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeLinks {
    pub node: String,
    pub reachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub links: Vec<MeshLink>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeshLinks {
    pub schema_version: u32,
    pub nodes: Vec<NodeLinks>,
}

/// One node's routes.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeRoutes {
    pub node: String,
    pub reachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Origins whose link-state adverts the node holds.
    pub adverts: u32,
    pub routes: Vec<crate::engine::mesh::route::Route>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeshRoutes {
    pub schema_version: u32,
    pub nodes: Vec<NodeRoutes>,
}

/// One hop of a traced path: the link from `from` to `to`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PingHop {
    pub from: String,
    pub to: String,
    /// Round trip over this hop, including the forwarding at `to`.
    pub rtt_seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PingAttempt {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Every node on the way, both ends included.
    pub path: Vec<String>,
    pub hops: Vec<PingHop>,
    pub rtt_seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeshPing {
    pub schema_version: u32,
    pub from: String,
    pub to: String,
    pub sent: u32,
    pub received: u32,
    pub attempts: Vec<PingAttempt>,
}

impl MeshPing {
    /// Whether at least one ping arrived.
    pub fn reached(&self) -> bool {
        self.received > 0
    }
}

fn secs(micros: u64) -> f64 {
    Duration::from_micros(micros).as_secs_f64()
}

impl Client {
    /// Every node (relays included), or just `node`.
    fn mesh_targets(&self, node: Option<&str>) -> Result<Vec<(String, String)>, ClientError> {
        let all: Vec<(String, String)> =
            self.endpoints.iter().chain(&self.relays).cloned().collect();
        match node {
            None => Ok(all),
            Some(n) => all
                .iter()
                .find(|(name, _)| name == n)
                .map(|e| vec![e.clone()])
                .ok_or_else(|| {
                    let known: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
                    ClientError::NoNode(format!(
                        "{n} is not a node of this mesh (known: {})",
                        known.join(", ")
                    ))
                }),
        }
    }

    /// Calls `f` on every target at once; each answer or its error, in target order.
    async fn on_each<T, F, Fut>(
        &self,
        targets: Vec<(String, String)>,
        f: F,
    ) -> Vec<(String, Result<T, String>)>
    where
        F: Fn(pb::admin_client::AdminClient<Channel>) -> Fut,
        Fut: std::future::Future<Output = Result<tonic::Response<T>, tonic::Status>>,
    {
        let calls = targets.into_iter().map(|(node, addr)| {
            let call = f(self.admin(&node, &addr));
            async move {
                let r = match tokio::time::timeout(self.timeout, call).await {
                    Ok(Ok(r)) => Ok(r.into_inner()),
                    Ok(Err(s)) => Err(s.message().to_string()),
                    Err(_) => Err(format!("no answer within {:?}", self.timeout)),
                };
                (node, r)
            }
        });
        futures_util::future::join_all(calls).await
    }

    /// The data-plane links of every node, or of `node`.
    pub async fn mesh_links(&self, node: Option<&str>) -> Result<MeshLinks, ClientError> {
        let targets = self.mesh_targets(node)?;
        let answers = self
            .on_each(targets, |mut c| async move {
                c.mesh_links(pb::MeshRequest {}).await
            })
            .await;
        let nodes = answers
            .into_iter()
            .map(|(node, r)| match r {
                Ok(r) => NodeLinks {
                    node,
                    reachable: true,
                    error: None,
                    links: r
                        .links
                        .into_iter()
                        .map(|l| MeshLink {
                            peer: l.peer,
                            state: l.state,
                            cost: l.cost,
                            rtt_seconds: (l.rtt_micros > 0).then(|| secs(l.rtt_micros)),
                            jitter_seconds: secs(l.jitter_micros),
                            loss: f64::from(l.loss_ppm) / 1e6,
                            kx_group: l.kx_group,
                            probes_sent: l.probes_sent,
                            probes_answered: l.probes_answered,
                            since_seconds: l.since_seconds,
                            last_error: l.last_error,
                        })
                        .collect(),
                },
                Err(e) => NodeLinks {
                    node,
                    reachable: false,
                    error: Some(e),
                    links: Vec::new(),
                },
            })
            .collect();
        Ok(MeshLinks {
            schema_version: 1,
            nodes,
        })
    }

    /// The data-plane routes of every node, or of `node`.
    pub async fn mesh_routes(&self, node: Option<&str>) -> Result<MeshRoutes, ClientError> {
        let targets = self.mesh_targets(node)?;
        let answers = self
            .on_each(targets, |mut c| async move {
                c.mesh_routes(pb::MeshRequest {}).await
            })
            .await;
        let nodes = answers
            .into_iter()
            .map(|(node, r)| match r {
                Ok(r) => NodeRoutes {
                    node,
                    reachable: true,
                    error: None,
                    adverts: r.adverts,
                    routes: r
                        .routes
                        .into_iter()
                        .map(|r| crate::engine::mesh::route::Route {
                            destination: r.destination,
                            next_hop: r.next_hop,
                            path: r.path,
                            metric: r.metric,
                        })
                        .collect(),
                },
                Err(e) => NodeRoutes {
                    node,
                    reachable: false,
                    error: Some(e),
                    adverts: 0,
                    routes: Vec::new(),
                },
            })
            .collect();
        Ok(MeshRoutes {
            schema_version: 1,
            nodes,
        })
    }

    /// Pings `to` from `from` (default: the first other node) `count` times over the
    /// data plane's routes.
    pub async fn mesh_ping(
        &self,
        to: &str,
        from: Option<&str>,
        count: u32,
    ) -> Result<MeshPing, ClientError> {
        self.mesh_targets(Some(to))?;
        let source = match from {
            Some(f) => self.mesh_targets(Some(f))?.remove(0),
            None => self
                .mesh_targets(None)?
                .into_iter()
                .find(|(n, _)| n != to)
                .ok_or_else(|| ClientError::NoNode("no other node to ping from".into()))?,
        };
        let req = pb::MeshPingRequest {
            destination: to.into(),
            count,
        };
        let mut c = self.admin(&source.0, &source.1);
        // Each attempt may take up to the timeout on its own.
        let within = self.timeout * count.max(1);
        let reply = tokio::time::timeout(within, c.mesh_ping(req))
            .await
            .map_err(|_| ClientError::NoNode(format!("{}: no answer within {within:?}", source.0)))?
            .map_err(|s| ClientError::Rpc {
                node: source.0.clone(),
                code: s.code(),
                message: s.message().to_string(),
            })?
            .into_inner();
        let attempts: Vec<PingAttempt> = reply
            .attempts
            .into_iter()
            .map(|a| {
                let hops = a
                    .hops
                    .windows(2)
                    .map(|w| PingHop {
                        from: w[0].node.clone(),
                        to: w[1].node.clone(),
                        rtt_seconds: secs(
                            w[0].downstream_micros
                                .saturating_sub(w[1].downstream_micros),
                        ),
                    })
                    .collect();
                PingAttempt {
                    ok: a.ok,
                    error: (!a.error.is_empty()).then_some(a.error),
                    path: a.hops.into_iter().map(|h| h.node).collect(),
                    hops,
                    rtt_seconds: secs(a.rtt_micros),
                }
            })
            .collect();
        Ok(MeshPing {
            schema_version: 1,
            from: source.0,
            to: to.into(),
            sent: attempts.len() as u32,
            received: attempts.iter().filter(|a| a.ok).count() as u32,
            attempts,
        })
    }
}

/// A message the destination acknowledged.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sent {
    pub schema_version: u32,
    /// Hex of the 16-byte id a retry would carry.
    pub message_id: String,
    /// The node that sealed and sent it for the caller.
    pub via: String,
    /// The destination node and the identity the message is for.
    pub node: String,
    pub target: String,
    /// Its place in the sending node's stream to the destination.
    pub seq: u64,
}

/// A message read from an inbox.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Received {
    pub index: u64,
    pub message_id: String,
    pub sender: String,
    pub target: String,
    /// The node that sealed it.
    pub origin: String,
    /// The body as UTF-8 (lossy); `dataBase64` holds the exact bytes.
    pub data: String,
    pub data_base64: String,
    #[serde(with = "crate::engine::util::timefmt::rfc3339_serde")]
    pub sent_at: time::OffsetDateTime,
    #[serde(with = "crate::engine::util::timefmt::rfc3339_serde")]
    pub received_at: time::OffsetDateTime,
    #[serde(skip)]
    pub raw: Vec<u8>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inbox {
    pub schema_version: u32,
    pub node: String,
    pub messages: Vec<Received>,
    /// How many were removed from the inbox after this read (0 with --peek).
    pub confirmed: u64,
}

fn unix_ms(ms: u64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

impl Client {
    /// Sends `data` to `destination` through `via` (or the first node that takes it), and
    /// returns once the destination stored it. A retry through another node carries the
    /// same message id, so the destination stores it once.
    pub async fn send(
        &self,
        destination: &str,
        data: Vec<u8>,
        via: Option<&str>,
        ttl: Duration,
    ) -> Result<Sent, ClientError> {
        let targets = match via {
            Some(v) => self.mesh_targets(Some(v))?,
            None => self.mesh_targets(None)?,
        };
        let mut id = vec![0u8; 16];
        aws_lc_rs::rand::fill(&mut id)
            .map_err(|_| ClientError::NoNode("no randomness for a message id".into()))?;
        let mut errors = Vec::new();
        for (node, addr) in targets {
            let req = pb::SendRequest {
                destination: destination.into(),
                data: data.clone().into(),
                message_id: id.clone(),
                ttl_ms: ttl.as_millis() as u64,
            };
            let mut c = self.admin(&node, &addr);
            match tokio::time::timeout(self.timeout, c.send(req)).await {
                Ok(Ok(r)) => {
                    let r = r.into_inner();
                    return Ok(Sent {
                        schema_version: 1,
                        message_id: hex::encode(&id),
                        via: node,
                        node: r.node,
                        target: r.target,
                        seq: r.seq,
                    });
                }
                Ok(Err(s)) if s.code() == tonic::Code::Unavailable => {
                    errors.push(format!("{node}: {}", s.message()))
                }
                Ok(Err(s)) => {
                    return Err(ClientError::Rpc {
                        node,
                        code: s.code(),
                        message: s.message().to_string(),
                    })
                }
                // The message may still arrive: the node keeps trying. Asking another node
                // would send a second copy under the same id, which the destination drops.
                Err(_) => errors.push(format!(
                    "{node}: not acknowledged within {:?}",
                    self.timeout
                )),
            }
        }
        Err(ClientError::NoNode(errors.join("; ")))
    }

    /// Reads up to `max` messages from `node`'s inbox (for `target`, a workload's SPIFFE
    /// ID, or the node itself), waiting up to `wait` for one; unless `peek`, removes what
    /// it read.
    pub async fn recv(
        &self,
        node: &str,
        target: Option<&str>,
        max: u32,
        wait: Duration,
        peek: bool,
    ) -> Result<Inbox, ClientError> {
        let (name, addr) = self.mesh_targets(Some(node))?.remove(0);
        let rpc_err = |s: tonic::Status| ClientError::Rpc {
            node: name.clone(),
            code: s.code(),
            message: s.message().to_string(),
        };
        let mut c = self.admin(&name, &addr);
        let req = pb::RecvRequest {
            max,
            wait_ms: wait.as_millis() as u64,
            target: target.unwrap_or_default().into(),
        };
        let within = self.timeout + wait;
        let reply = tokio::time::timeout(within, c.recv(req))
            .await
            .map_err(|_| ClientError::NoNode(format!("{name}: no answer within {within:?}")))?
            .map_err(rpc_err)?
            .into_inner();
        let last = reply.messages.last().map(|m| m.index);
        let confirmed = match last {
            Some(up_to) if !peek => {
                let req = pb::ConfirmRequest {
                    up_to,
                    target: target.unwrap_or_default().into(),
                };
                c.confirm(req).await.map_err(rpc_err)?.into_inner().removed
            }
            _ => 0,
        };
        let b64 = base64::engine::general_purpose::STANDARD;
        Ok(Inbox {
            schema_version: 1,
            node: reply.node,
            confirmed,
            messages: reply
                .messages
                .into_iter()
                .map(|m| Received {
                    index: m.index,
                    message_id: hex::encode(&m.message_id),
                    sender: m.sender,
                    target: m.target,
                    origin: m.origin,
                    data: String::from_utf8_lossy(&m.data).into_owned(),
                    data_base64: base64::Engine::encode(&b64, &m.data),
                    sent_at: unix_ms(m.sent_unix_ms),
                    received_at: unix_ms(m.received_unix_ms),
                    raw: m.data.to_vec(),
                })
                .collect(),
        })
    }
}

/// A fault a node applies to its requests to a peer.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultView {
    pub peer: String,
    pub cut: bool,
    pub loss: f64,
    pub delay_seconds: f64,
    pub jitter_seconds: f64,
    /// The share of relayed data frames altered.
    pub corrupt: f64,
    /// Relayed data frames are dropped without an answer.
    pub blackhole: bool,
    /// Relayed data frames are sent twice.
    pub replay: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeFaults {
    pub node: String,
    /// Every fault the node applies after the change.
    pub faults: Vec<FaultView>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkFaults {
    pub schema_version: u32,
    pub nodes: Vec<NodeFaults>,
}

impl Client {
    /// Sets `fault` on `from`'s requests to `fault.peer` (all zero clears it).
    pub async fn chaos_link(
        &self,
        from: &str,
        fault: &FaultView,
    ) -> Result<NodeFaults, ClientError> {
        let (name, addr) = self.mesh_targets(Some(from))?.remove(0);
        let req = pb::LinkFault {
            peer: fault.peer.clone(),
            cut: fault.cut,
            loss_ppm: (fault.loss.clamp(0.0, 1.0) * 1e6) as u32,
            delay_micros: (fault.delay_seconds * 1e6) as u64,
            jitter_micros: (fault.jitter_seconds * 1e6) as u64,
            corrupt_ppm: (fault.corrupt.clamp(0.0, 1.0) * 1e6) as u32,
            blackhole: fault.blackhole,
            replay: fault.replay,
        };
        let mut c = self.admin(&name, &addr);
        let r = tokio::time::timeout(self.timeout, c.chaos_link(req))
            .await
            .map_err(|_| {
                ClientError::NoNode(format!("{name}: no answer within {:?}", self.timeout))
            })?
            .map_err(|s| ClientError::Rpc {
                node: name.clone(),
                code: s.code(),
                message: s.message().to_string(),
            })?
            .into_inner();
        Ok(NodeFaults {
            node: r.node,
            faults: r
                .faults
                .into_iter()
                .map(|f| FaultView {
                    peer: f.peer,
                    cut: f.cut,
                    loss: f64::from(f.loss_ppm) / 1e6,
                    delay_seconds: f.delay_micros as f64 / 1e6,
                    jitter_seconds: f.jitter_micros as f64 / 1e6,
                    corrupt: f64::from(f.corrupt_ppm) / 1e6,
                    blackhole: f.blackhole,
                    replay: f.replay,
                })
                .collect(),
        })
    }
}

/// A stream of messages through one node: push requests in, read one reply per message.
pub struct SendStream {
    pub requests: tokio::sync::mpsc::Sender<pb::SendRequest>,
    pub replies: tonic::Streaming<pb::SendReply>,
}

impl Client {
    /// Opens a `SendStream` through `via`: many messages, each acknowledged on its own.
    pub async fn send_stream(&self, via: &str) -> Result<SendStream, ClientError> {
        let (name, addr) = self.mesh_targets(Some(via))?.remove(0);
        let (tx, rx) = tokio::sync::mpsc::channel(4096);
        let mut c = self.admin(&name, &addr);
        let replies = c
            .send_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
            .await
            .map_err(|s| ClientError::Rpc {
                node: name.clone(),
                code: s.code(),
                message: s.message().to_string(),
            })?
            .into_inner();
        Ok(SendStream {
            requests: tx,
            replies,
        })
    }
}
