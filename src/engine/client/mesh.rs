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
