//! The data plane a node runs (relays included): it probes its links every
//! `healing.probeInterval`, floods signed link-state adverts when they change, keeps the
//! adverts of every other node, and recomputes its routes from them.
//!
//! Each neighbour gets its own connection (apart from Raft's), so data-plane traffic and
//! Raft heartbeats do not queue behind each other.

mod api;
mod avoid;
mod control;
mod deliver;
pub mod inbox;
mod messages;
mod service;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::time::Instant;
use tonic::transport::Channel;
use tonic::Status;

pub use api::MAX_MESSAGE_DATA;
pub use deliver::Receiver;
pub use messages::{Outcome, MAX_QUEUED};
pub use service::MeshService;

use crate::engine::mesh::advert::{Advert, AdvertLink};
use crate::engine::mesh::link::{LinkState, LinkStats};
use crate::engine::mesh::lsdb::Lsdb;
use crate::engine::mesh::route::{Graph, Route, RouteLinks};
use crate::engine::mesh::Topology;
use crate::engine::node::faults::Faults;
use crate::engine::rpc::{self, pb, Links};
use crate::engine::telemetry::Metrics;
use crate::engine::transport::Transport;

/// How long an advert lives without a refresh; its origin refreshes it every third of that.
pub const ADVERT_LIFETIME: Duration = Duration::from_secs(60);
/// A link's advertised round trip or loss must move by this fraction before a new advert.
const READVERTISE_CHANGE: f64 = 0.3;
/// Adverts queued for one neighbour; beyond it the oldest batch is dropped (adverts are
/// refreshed periodically, so a dropped one costs only time).
const FLOOD_QUEUE: usize = 64;
/// Hops a trace may take.
pub const MAX_HOPS: u32 = 16;

/// The data-plane settings from the node config.
#[derive(Debug, Clone)]
pub struct Settings {
    pub probe_interval: Duration,
    pub suspect_after: u32,
    /// Whether this node follows its neighbours' roster and deny list (a relay: it has no
    /// replicated store of its own).
    pub follows_control: bool,
    /// The longest a `recv` may wait for messages: a little under the request timeout, so a
    /// long poll answers (perhaps empty) before the server gives up on it.
    pub max_wait: Duration,
}

struct LinkEntry {
    stats: LinkStats,
    cost: u32,
    since: Instant,
    last_error: String,
}

struct Peer {
    client: pb::mesh_client::MeshClient<Channel>,
    channel: Links,
    flood: mpsc::Sender<Vec<pb::SignedAdvert>>,
    address: String,
}

#[derive(Default)]
struct State {
    topology: Option<Topology>,
    links: BTreeMap<String, LinkEntry>,
    lsdb: Lsdb,
    routes: BTreeMap<String, Route>,
    /// The links the routes were computed over ([`Graph::links`]).
    route_links: RouteLinks,
    seq: u64,
    advertised: Vec<AdvertLink>,
    advertised_at: Option<Instant>,
    /// Set when something requires a new advert at the next tick.
    readvertise: bool,
}

/// A link as `mesh links` shows it.
#[derive(Debug, Clone)]
pub struct LinkView {
    pub peer: String,
    pub state: LinkState,
    pub cost: u32,
    pub rtt: Option<Duration>,
    pub jitter: Duration,
    pub loss: f64,
    pub kx_group: String,
    pub sent: u64,
    pub answered: u64,
    pub since: Duration,
    pub last_error: String,
}

pub struct DataPlane {
    me: String,
    mesh: String,
    transport: Arc<Transport>,
    settings: Settings,
    metrics: Arc<Metrics>,
    state: Mutex<State>,
    peers: Mutex<HashMap<String, Peer>>,
    receiver: Receiver,
    messaging: messages::Messaging,
    /// Whether a relay's control pull is under way.
    control_pull: std::sync::atomic::AtomicBool,
    /// Link faults injected by chaos experiments, applied before every request sent.
    pub faults: Arc<Faults>,
}

impl DataPlane {
    pub fn new(
        me: &str,
        mesh: &str,
        transport: Arc<Transport>,
        settings: Settings,
        metrics: Arc<Metrics>,
        receiver: Receiver,
        faults: Arc<Faults>,
    ) -> Arc<DataPlane> {
        // Sequence numbers start from the clock, so a restarted node's adverts are newer than
        // the ones it sent before (as long as its clock does not go back).
        let seq = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_micros() as u64);
        Arc::new(DataPlane {
            me: me.into(),
            mesh: mesh.into(),
            transport,
            settings,
            metrics,
            state: Mutex::new(State {
                seq,
                readvertise: true,
                ..Default::default()
            }),
            peers: Mutex::new(HashMap::new()),
            receiver,
            messaging: Default::default(),
            control_pull: Default::default(),
            faults,
        })
    }

    pub fn name(&self) -> &str {
        &self.me
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("data plane state")
    }

    /// Probes, adverts and route upkeep until `stop` turns true.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut tick = tokio::time::interval(self.settings.probe_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.wait_for(|s| *s) => return,
            }
            self.sync_topology();
            self.probe_round().await;
            self.upkeep();
        }
    }

    /// Follows the roster: links to new neighbours, none to removed or revoked nodes.
    fn sync_topology(&self) {
        let roster = self.transport.trust.roster();
        let revoked = self.transport.trust.revoked();
        let topology = Topology::from_roster(&roster);
        let is_revoked =
            |name: &str| revoked.contains(&format!("spiffe://{}/node/{name}", roster.trust_domain));
        let wanted: BTreeMap<String, u32> = topology
            .neighbours(&self.me)
            .into_iter()
            .filter(|(n, _)| !is_revoked(n))
            .collect();
        let mut st = self.lock();
        let mut peers = self.peers.lock().expect("peers");
        let before = st.links.len();
        st.links.retain(|n, _| wanted.contains_key(n));
        peers.retain(|n, _| wanted.contains_key(n));
        let mut changed = before != st.links.len();
        for (name, cost) in &wanted {
            let entry = st.links.entry(name.clone()).or_insert_with(|| {
                changed = true;
                LinkEntry {
                    stats: LinkStats::new(self.settings.suspect_after),
                    cost: *cost,
                    since: Instant::now(),
                    last_error: String::new(),
                }
            });
            entry.cost = *cost;
            let Some(node) = roster.nodes.iter().find(|n| &n.name == name) else {
                continue;
            };
            if peers.get(name).is_some_and(|p| p.address == node.address) {
                continue;
            }
            peers.insert(
                name.clone(),
                self.connect(name, &node.address, &node.spiffe_id),
            );
        }
        let dropped = st.lsdb.retain(|o| topology.contains(o) && !is_revoked(o));
        if changed || dropped || st.topology.as_ref() != Some(&topology) {
            st.readvertise = true;
        }
        st.topology = Some(topology);
    }

    fn connect(&self, name: &str, address: &str, spiffe_id: &str) -> Peer {
        let channel: Links = Default::default();
        let ch = rpc::channel(
            self.transport.clone(),
            address.into(),
            spiffe_id.into(),
            name.into(),
            channel.clone(),
            Duration::from_secs(5),
        );
        let client =
            pb::mesh_client::MeshClient::new(ch).max_decoding_message_size(rpc::MAX_MESSAGE);
        let (tx, mut rx) = mpsc::channel::<Vec<pb::SignedAdvert>>(FLOOD_QUEUE);
        let mut sender = client.clone();
        let timeout = self.settings.probe_interval.max(Duration::from_millis(500)) * 4;
        let peer = name.to_string();
        let faults = self.faults.clone();
        // One sender per neighbour, so a slow one holds up only its own adverts. It ends when
        // the peer is dropped (the queue closes).
        tokio::spawn(async move {
            while let Some(mut adverts) = rx.recv().await {
                while let Ok(more) = rx.try_recv() {
                    adverts.extend(more);
                }
                let req = pb::FloodRequest { adverts };
                if let Err(s) = faults.outbound(&peer).await {
                    tracing::debug!(%peer, "flood not sent: {}", s.message());
                    continue;
                }
                match tokio::time::timeout(timeout, sender.flood(req)).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(s)) => tracing::debug!(%peer, "flood refused: {}", s.message()),
                    Err(_) => tracing::debug!(%peer, "flood timed out"),
                }
            }
        });
        Peer {
            client,
            channel,
            flood: tx,
            address: address.into(),
        }
    }

    /// One probe to every neighbour, concurrently; each must answer within the interval.
    /// The data-plane client of a neighbour.
    fn client(&self, peer: &str) -> Option<pb::mesh_client::MeshClient<Channel>> {
        (self.peers.lock().expect("peers").get(peer)).map(|p| p.client.clone())
    }

    async fn probe_round(self: &Arc<Self>) {
        let targets: Vec<(String, pb::mesh_client::MeshClient<Channel>, Links)> = {
            let peers = self.peers.lock().expect("peers");
            peers
                .iter()
                .map(|(n, p)| (n.clone(), p.client.clone(), p.channel.clone()))
                .collect()
        };
        let limit = self.settings.probe_interval;
        let probes = targets
            .into_iter()
            .map(|(name, mut client, channel)| async move {
                let connects = |c: &Links| {
                    c.lock()
                        .expect("channel")
                        .get(&name)
                        .map_or(0, |s| s.connects)
                };
                let before = connects(&channel);
                let start = Instant::now();
                // Link faults act on probes as on every other request, a delay included
                // in the round trip.
                let probe = async {
                    self.faults.outbound(&name).await?;
                    client.probe(pb::ProbeRequest { seq: 0 }).await
                };
                let r = tokio::time::timeout(limit, probe).await;
                let rtt = start.elapsed();
                let fresh = connects(&channel) != before;
                let outcome = match r {
                    Ok(Ok(reply)) => Ok((rtt, !fresh, reply.into_inner())),
                    Ok(Err(s)) => Err(s.message().to_string()),
                    Err(_) => Err(format!("no answer within {limit:?}")),
                };
                (name, outcome)
            });
        let results = futures_util::future::join_all(probes).await;
        let mut came_up = Vec::new();
        let mut answers = Vec::new();
        {
            let mut st = self.lock();
            for (name, outcome) in results {
                let Some(l) = st.links.get_mut(&name) else {
                    continue;
                };
                let changed = match outcome {
                    Ok((rtt, sample, reply)) => {
                        l.last_error.clear();
                        answers.push((name.clone(), reply));
                        l.stats.answered(rtt, sample)
                    }
                    Err(e) => {
                        l.last_error = e;
                        l.stats.missed()
                    }
                };
                let m = &self.metrics.mesh;
                m.link_rtt
                    .with_label_values(&[&name])
                    .set(l.stats.srtt.unwrap_or_default().as_secs_f64());
                m.link_loss.with_label_values(&[&name]).set(l.stats.loss);
                m.link_up
                    .with_label_values(&[&name])
                    .set(i64::from(l.stats.state.usable()));
                if changed {
                    l.since = Instant::now();
                    tracing::info!(peer = %name, state = l.stats.state.as_str(), "link state changed");
                    if l.stats.state == LinkState::Up || l.stats.state == LinkState::Degraded {
                        came_up.push(name.clone());
                    }
                }
            }
        }
        for (peer, reply) in answers {
            self.follow_control(&peer, &reply);
        }
        // A neighbour that comes up gets every advert this node holds.
        for name in came_up {
            let all = self.lock().lsdb.signed();
            self.flood_to(&name, all);
        }
    }

    /// Ages adverts out, re-advertises when this node's links changed enough, and
    /// recomputes routes.
    fn upkeep(&self) {
        let now = Instant::now();
        let signed = {
            let mut st = self.lock();
            let expired = st.lsdb.expire(now);
            for o in &expired {
                tracing::info!(origin = %o, "link-state advert expired");
            }
            let current: Vec<AdvertLink> = st
                .links
                .iter()
                .map(|(peer, l)| AdvertLink {
                    peer: peer.clone(),
                    state: l.stats.state,
                    rtt: l.stats.srtt.unwrap_or_default(),
                    loss: l.stats.loss,
                })
                .collect();
            let due = st.readvertise
                || st
                    .advertised_at
                    .is_none_or(|t| now.duration_since(t) >= ADVERT_LIFETIME / 3)
                || differs(&st.advertised, &current);
            if !due {
                if !expired.is_empty() {
                    self.recompute(&mut st);
                }
                return;
            }
            st.seq += 1;
            let advert = Advert {
                origin: self.me.clone(),
                seq: st.seq,
                lifetime: ADVERT_LIFETIME,
                links: current.clone(),
            };
            let creds = self.transport.creds();
            let signed = match advert.sign(&self.mesh, creds.dsa, &creds.dsa_secret) {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!("cannot sign a link-state advert: {e}");
                    return;
                }
            };
            st.lsdb.offer(advert, signed.clone(), now);
            st.advertised = current;
            st.advertised_at = Some(now);
            st.readvertise = false;
            self.recompute(&mut st);
            signed
        };
        self.flood_all(vec![signed], None);
    }

    /// Shortest paths from this node over what `st` knows, through none of `avoid`, and the
    /// links they were computed over; `previous` (routes and their links) damps switching
    /// as [`Graph::routes`] says.
    fn shortest(
        &self,
        st: &State,
        avoid: &[String],
        previous: (&BTreeMap<String, Route>, &RouteLinks),
    ) -> Option<(BTreeMap<String, Route>, RouteLinks)> {
        let topology = st.topology.as_ref()?;
        let ok = |n: &str| !avoid.iter().any(|a| a == n);
        let own: Vec<(String, f64)> = st
            .links
            .iter()
            .filter(|(p, _)| ok(p))
            .filter_map(|(p, l)| l.stats.metric(l.cost).map(|m| (p.clone(), m)))
            .collect();
        let graph = Graph {
            me: &self.me,
            own: &own,
            lsdb: &st.lsdb,
            cost: &|a, b| topology.cost(a, b),
            allowed: &|a, b| topology.allowed(a, b) && ok(a) && ok(b),
        };
        Some(graph.routes(previous.0, previous.1))
    }

    /// The next hop towards `dest`: the current route's, or with `avoid` not empty, that of
    /// a shortest path through none of those nodes.
    fn next_hop(&self, dest: &str, avoid: &[String]) -> Option<String> {
        if avoid.is_empty() {
            return self.lock().routes.get(dest).map(|r| r.next_hop.clone());
        }
        self.path_to(dest, avoid).map(|p| p[1].clone())
    }

    /// The path to `dest`, this node first, as [`DataPlane::next_hop`] chooses it. Of
    /// `avoid` (a frame field any hop could have written) only mesh nodes count, at most
    /// [`avoid::MAX_AVOID`] of them.
    fn path_to(&self, dest: &str, avoid: &[String]) -> Option<Vec<String>> {
        let st = self.lock();
        if avoid.is_empty() {
            return st.routes.get(dest).map(|r| r.path.clone());
        }
        let topology = st.topology.as_ref()?;
        let mut avoid: Vec<String> = (avoid.iter())
            .filter(|a| topology.contains(a))
            .take(avoid::MAX_AVOID)
            .cloned()
            .collect();
        avoid.sort();
        avoid.dedup();
        let (mut routes, _) = self.shortest(&st, &avoid, (&BTreeMap::new(), &RouteLinks::new()))?;
        routes.remove(dest).map(|r| r.path)
    }

    /// Recomputes the routes; counts and logs the ones that changed.
    fn recompute(&self, st: &mut State) {
        let Some((routes, links)) = self.shortest(st, &[], (&st.routes, &st.route_links)) else {
            return;
        };
        st.route_links = links;
        let mut changes = 0;
        for (dest, r) in &routes {
            match st.routes.get(dest) {
                Some(old) if old.path == r.path => {}
                old => {
                    changes += 1;
                    tracing::info!(
                        destination = %dest,
                        path = %r.path.join(">"),
                        was = %old.map(|o| o.path.join(">")).unwrap_or_else(|| "none".into()),
                        "route changed"
                    );
                }
            }
        }
        for dest in st.routes.keys().filter(|d| !routes.contains_key(*d)) {
            changes += 1;
            tracing::info!(destination = %dest, "route lost");
        }
        self.metrics.mesh.route_changes.inc_by(changes);
        self.metrics.mesh.routes.set(routes.len() as i64);
        st.routes = routes;
    }

    /// Queues adverts for every usable neighbour but `except`.
    fn flood_all(&self, adverts: Vec<pb::SignedAdvert>, except: Option<&str>) {
        let usable: Vec<String> = self
            .lock()
            .links
            .iter()
            .filter(|(n, l)| l.stats.state.usable() && Some(n.as_str()) != except)
            .map(|(n, _)| n.clone())
            .collect();
        for n in usable {
            self.flood_to(&n, adverts.clone());
        }
    }

    fn flood_to(&self, peer: &str, adverts: Vec<pb::SignedAdvert>) {
        if adverts.is_empty() {
            return;
        }
        if let Some(p) = self.peers.lock().expect("peers").get(peer) {
            if p.flood.try_send(adverts).is_err() {
                tracing::debug!(%peer, "flood queue full: dropping adverts until the next refresh");
            }
        }
    }

    /// Takes adverts a neighbour flooded: checks each, keeps the newer ones, floods those on
    /// and recomputes routes. Returns how many were new.
    pub(crate) fn receive(&self, from: &str, adverts: Vec<pb::SignedAdvert>) -> u32 {
        let trust = self.transport.trust.clone();
        let mut fresh = Vec::new();
        {
            let mut st = self.lock();
            let now = Instant::now();
            for signed in adverts {
                let result = Advert::open(&signed, &self.mesh, &trust);
                let m = &self.metrics.mesh.adverts;
                let advert = match result {
                    Ok(a) => a,
                    Err(e) => {
                        m.with_label_values(&[e.tag()]).inc();
                        tracing::warn!(%from, reason = e.tag(), "link-state advert rejected: {e}");
                        continue;
                    }
                };
                if advert.origin == self.me {
                    // An advert of this node from before a restart: continue above it.
                    if advert.seq >= st.seq {
                        st.seq = advert.seq;
                        st.readvertise = true;
                    }
                    m.with_label_values(&["stale"]).inc();
                    continue;
                }
                if st.lsdb.offer(advert, signed.clone(), now) {
                    m.with_label_values(&["accepted"]).inc();
                    fresh.push(signed);
                } else {
                    m.with_label_values(&["stale"]).inc();
                }
            }
            if !fresh.is_empty() {
                self.recompute(&mut st);
            }
        }
        let n = fresh.len() as u32;
        self.flood_all(fresh, Some(from));
        n
    }

    /// Whether `peer` may probe or flood this node: a neighbour in the link graph.
    pub(crate) fn is_neighbour(&self, peer: &str) -> bool {
        self.lock().links.contains_key(peer)
    }

    pub fn links(&self) -> Vec<LinkView> {
        let st = self.lock();
        let peers = self.peers.lock().expect("peers");
        st.links
            .iter()
            .map(|(peer, l)| {
                let kx = peers
                    .get(peer)
                    .and_then(|p| {
                        p.channel
                            .lock()
                            .expect("channel")
                            .get(peer)
                            .map(|c| c.kx_group.clone())
                    })
                    .unwrap_or_default();
                LinkView {
                    peer: peer.clone(),
                    state: l.stats.state,
                    cost: l.cost,
                    rtt: l.stats.srtt,
                    jitter: l.stats.jitter,
                    loss: l.stats.loss,
                    kx_group: kx,
                    sent: l.stats.sent,
                    answered: l.stats.answered,
                    since: l.since.elapsed(),
                    last_error: l.last_error.clone(),
                }
            })
            .collect()
    }

    /// This node's routes and how many origins' adverts it holds.
    pub fn routes(&self) -> (Vec<Route>, usize) {
        let st = self.lock();
        (st.routes.values().cloned().collect(), st.lsdb.len())
    }

    /// Usable links and known routes, for `status`.
    pub fn counts(&self) -> (u32, u32) {
        let st = self.lock();
        let up = st.links.values().filter(|l| l.stats.state.usable()).count();
        (up as u32, st.routes.len() as u32)
    }

    /// Follows the routes to `destination`: each hop forwards the trace to its next hop and
    /// times the rest of the path. Returns the hops from this node on.
    pub async fn trace(
        &self,
        origin: &str,
        destination: &str,
        hop_limit: u32,
    ) -> Result<Vec<pb::TraceHop>, Status> {
        if destination == self.me {
            return Ok(vec![pb::TraceHop {
                node: self.me.clone(),
                downstream_micros: 0,
            }]);
        }
        if hop_limit == 0 {
            return Err(Status::resource_exhausted(format!(
                "hop limit reached at {} on the way to {destination}",
                self.me
            )));
        }
        let next = self
            .lock()
            .routes
            .get(destination)
            .map(|r| r.next_hop.clone())
            .ok_or_else(|| {
                Status::unavailable(format!("{} has no route to {destination}", self.me))
            })?;
        let mut client = self
            .client(&next)
            .ok_or_else(|| Status::unavailable(format!("{} has no link to {next}", self.me)))?;
        let req = pb::TraceRequest {
            origin: origin.into(),
            destination: destination.into(),
            hop_limit: hop_limit - 1,
        };
        let start = Instant::now();
        let limit = self.settings.probe_interval.max(Duration::from_millis(250)) * 10;
        self.faults.outbound(&next).await?;
        let reply = tokio::time::timeout(limit, client.trace(req))
            .await
            .map_err(|_| {
                Status::deadline_exceeded(format!("{next} did not answer within {limit:?}"))
            })?
            .map_err(|s| Status::new(s.code(), format!("via {next}: {}", s.message())))?;
        let mut hops = vec![pb::TraceHop {
            node: self.me.clone(),
            downstream_micros: start.elapsed().as_micros() as u64,
        }];
        hops.extend(reply.into_inner().hops);
        Ok(hops)
    }
}

/// Whether the links differ enough from the advertised ones to flood a new advert: a
/// state change, a link gained or lost, or a round trip or loss moved by a good part.
fn differs(old: &[AdvertLink], new: &[AdvertLink]) -> bool {
    if old.len() != new.len() {
        return true;
    }
    old.iter().zip(new).any(|(a, b)| {
        let moved =
            |x: f64, y: f64, floor: f64| (x - y).abs() > READVERTISE_CHANGE * x.max(y).max(floor);
        a.peer != b.peer
            || a.state != b.state
            || moved(a.rtt.as_secs_f64(), b.rtt.as_secs_f64(), 100e-6)
            || moved(a.loss, b.loss, 0.02)
    })
}
