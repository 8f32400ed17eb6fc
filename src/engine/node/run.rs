//! `start_node`: wires a node together — Raft with its durable store, the mesh transport,
//! the gRPC services, the metrics port — on already-bound listeners, until `shutdown`.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::engine::bundle::NodeBundle;
use crate::engine::manifest::LimitsSpec;
use crate::engine::node::admin::{AdminService, RaftParts, SelfInfo};
use crate::engine::node::batcher::Batcher;
use crate::engine::node::dataplane::inbox::Inbox;
use crate::engine::node::dataplane::{DataPlane, MeshService, Receiver, Settings};
use crate::engine::node::faults::Faults;
use crate::engine::node::gate::GateLayer;
use crate::engine::node::quota::StoreQuota;
use crate::engine::node::raft::network::NetworkFactory;
use crate::engine::node::raft::service::{ObserveLayer, RaftService};
use crate::engine::node::raft::{self, MeshNode, Raft, StoreError};
use crate::engine::rpc::{self, pb, Links};
use crate::engine::snapshot::Signer;
use crate::engine::telemetry::{Direction, Metrics};
use crate::engine::transport::{
    ConnLimits, Observer, OpenGuard, PeerInfo, Refusal, Transport, TransportError,
};
use crate::engine::util::clock::Clock;
use crate::engine::{pqc, util::timefmt};

/// Why a node could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    #[error("raft store in {dir}: {source}")]
    Store {
        dir: String,
        #[source]
        source: StoreError,
    },
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("raft: {0}")]
    Raft(String),
    #[error("data-plane inbox: {0}")]
    Inbox(String),
    #[error("rpc server: {0}")]
    Serve(String),
    #[error(transparent)]
    Telemetry(#[from] crate::engine::telemetry::TelemetryError),
    #[error(transparent)]
    WorkloadApi(#[from] crate::engine::node::workload::WorkloadApiError),
}

impl NodeError {
    pub fn hints(&self) -> Vec<String> {
        match self {
            NodeError::Store {
                source: StoreError::FutureSchema { .. },
                ..
            } => vec!["a newer x0t wrote this data; upgrade x0t".into()],
            NodeError::Store {
                source: StoreError::Open { .. },
                ..
            } => vec!["is another `x0t node run` using this data directory?".into()],
            NodeError::WorkloadApi(crate::engine::node::workload::WorkloadApiError::Ca(_)) => {
                vec![
                    "run `x0t apply` to reissue the node's workload CA, then refresh its bundle"
                        .into(),
                ]
            }
            _ => Vec::new(),
        }
    }
}

/// What the command prints once the node serves.
#[derive(Debug, Clone)]
pub struct Ready {
    pub node: String,
    pub addr: String,
    pub spiffe_id: String,
    pub metrics: Option<String>,
    pub raft_id: u64,
    /// The Workload API socket, when it is served.
    pub workload_socket: Option<std::path::PathBuf>,
}

/// Counts transport events in the node's metrics, logs refusals with their reason, and
/// records inbound peers in the link table that `status` reports.
struct MetricsObserver(Arc<Metrics>, Links);

impl Observer for MetricsObserver {
    fn refused(&self, inbound: bool, r: &Refusal) {
        let direction = if inbound {
            Direction::In
        } else {
            Direction::Out
        };
        let t = &self.0.transport;
        if let Refusal::Io(e) = r {
            // A peer that is down or a dropped socket: a failed connection, not a refusal.
            t.connections
                .with_label_values(&[direction.as_str(), "error"])
                .inc();
            tracing::debug!(direction = direction.as_str(), "connection failed: {e}");
            return;
        }
        t.connections
            .with_label_values(&[direction.as_str(), "refused"])
            .inc();
        t.refusals.with_label_values(&[r.tag()]).inc();
        if r.tag() == "connection_limit" {
            // A flood would fill the log; the refusal counter tells the story.
            return tracing::debug!("connection refused: {r}");
        }
        tracing::warn!(
            direction = direction.as_str(),
            reason = r.tag(),
            "connection refused: {r}"
        );
    }

    fn connected(&self, inbound: bool, peer: &PeerInfo) -> Option<OpenGuard> {
        let direction = if inbound {
            Direction::In
        } else {
            Direction::Out
        };
        self.0
            .transport
            .connections
            .with_label_values(&[direction.as_str(), "ok"])
            .inc();
        tracing::debug!(direction = direction.as_str(), peer = %peer.spiffe_id, kx = %peer.kx_group, "peer connected");
        if let (true, crate::engine::transport::PeerKind::Node(name)) = (inbound, &peer.kind) {
            let mut links = self.1.lock().expect("links lock");
            let link = links.entry(name.clone()).or_default();
            link.connected = true;
            link.kx_group = peer.kx_group.clone();
            link.last_error.clear();
        }
        Some(Box::new(self.0.transport.track_open()))
    }
}

fn raft_config(b: &NodeBundle) -> openraft::Config {
    let r = &b.config.raft;
    openraft::Config {
        cluster_name: b.config.mesh.clone(),
        heartbeat_interval: r.heartbeat.0.as_millis() as u64,
        election_timeout_min: r.election_timeout[0].0.as_millis() as u64,
        election_timeout_max: r.election_timeout[1].0.as_millis() as u64,
        snapshot_policy: openraft::SnapshotPolicy::LogsSinceLast(r.snapshot_every),
        // The log reaches back to the oldest kept snapshot, so that a damaged newer file
        // can be passed over: the node loads an older one and replays the rest.
        max_in_snapshot_log_to_keep: log_to_keep(r.snapshot_every, r.keep_snapshots),
        ..Default::default()
    }
}

/// Log entries kept behind the newest snapshot: those after the oldest of `keep` snapshots
/// taken every `every` entries.
fn log_to_keep(every: u64, keep: u32) -> u64 {
    every.saturating_mul(u64::from(keep.saturating_sub(1)))
}

/// The Raft side of a voter or learner, opened before the node serves.
struct RaftSide {
    raft: Raft,
    sm: raft::StateMachine,
    signer: Signer,
}

/// Opens the store and starts Raft; the first apply's voters initialise the cluster.
async fn start_raft(
    bundle: &NodeBundle,
    transport: &Arc<Transport>,
    links: &Links,
    faults: &Arc<Faults>,
) -> Result<RaftSide, NodeError> {
    let cfg = &bundle.config;
    crate::engine::state::create_private_dir(&bundle.data_dir).map_err(|e| NodeError::Store {
        dir: bundle.data_dir.display().to_string(),
        source: StoreError::Io {
            path: e.path,
            source: e.source,
        },
    })?;
    let (log_store, sm) = raft::open_with(&bundle.data_dir, cfg.raft.keep_snapshots as usize)
        .map_err(|source| NodeError::Store {
            dir: bundle.data_dir.display().to_string(),
            source,
        })?;
    let roster = &bundle.creds.roster;
    let own_key = (roster.nodes.iter())
        .find(|n| n.name == cfg.name)
        .map(|n| n.dsa.sha256.clone())
        .ok_or_else(|| NodeError::Raft(format!("the roster does not name node {}", cfg.name)))?;
    let signer = Signer {
        mesh: cfg.mesh.clone(),
        trust_domain: roster.trust_domain.clone(),
        node: cfg.name.clone(),
        raft_id: cfg.raft_id,
        algorithm: bundle.creds.dsa,
        secret: bundle.creds.dsa_secret.clone(),
        key_fingerprint: own_key,
    };
    let config = Arc::new(
        raft_config(bundle)
            .validate()
            .map_err(|e| NodeError::Raft(e.to_string()))?,
    );
    let network = NetworkFactory {
        transport: transport.clone(),
        links: links.clone(),
        trust_domain: roster.trust_domain.clone(),
        faults: faults.clone(),
        max_message: bundle.config.limits.max_message_size.0 as usize,
    };
    let raft = Raft::new(cfg.raft_id, config, network, log_store, sm.clone())
        .await
        .map_err(|e| NodeError::Raft(e.to_string()))?;

    // The voters of the first apply form the cluster; initialising every one of them with
    // the same membership is safe, and a node that already has a log ignores it.
    if cfg.bootstrap && cfg.role.is_voter() {
        let voters: BTreeMap<u64, MeshNode> = roster
            .nodes
            .iter()
            .filter(|n| n.role.is_voter())
            .map(|n| {
                (
                    n.raft_id,
                    MeshNode {
                        name: n.name.clone(),
                        addr: n.address.clone(),
                    },
                )
            })
            .collect();
        match raft.initialize(voters).await {
            Ok(()) => tracing::info!("initialised the cluster membership"),
            Err(openraft::error::RaftError::APIError(
                openraft::error::InitializeError::NotAllowed(_),
            )) => {}
            Err(e) => return Err(NodeError::Raft(format!("initialise: {e}"))),
        }
    }
    Ok(RaftSide { raft, sm, signer })
}

/// The transport's limits from `spec.limits`, within what the descriptor limit allows: a
/// node keeps 256 descriptors for its own files, outbound connections and clients.
fn conn_limits(limits: &LimitsSpec) -> ConnLimits {
    let wanted = limits.max_connections as usize;
    let max_connections = match crate::engine::util::harden::raise_nofile() {
        Ok(nofile) if (nofile as usize) < wanted + 256 => {
            let fits = (nofile as usize).saturating_sub(256).max(16);
            tracing::warn!(
                "the descriptor limit is {nofile}: accepting {fits} connections, not maxConnections {wanted} (raise `ulimit -n`)"
            );
            fits
        }
        Ok(_) => wanted,
        Err(e) => {
            tracing::warn!("cannot raise the descriptor limit: {e}");
            wanted
        }
    };
    ConnLimits {
        max_connections,
        handshake_timeout: limits.handshake_timeout.0,
    }
}

/// Runs the node until `shutdown` resolves; `on_ready` is called once it serves. A relay
/// runs the data plane only: no Raft, no state machine.
pub async fn start_node(
    bundle: NodeBundle,
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    shutdown: impl Future<Output = ()> + Send + 'static,
    on_ready: impl FnOnce(Ready),
) -> Result<(), NodeError> {
    let cfg = &bundle.config;
    let clock = Clock::system();
    let metrics = Arc::new(Metrics::new(
        &cfg.name,
        env!("CARGO_PKG_VERSION"),
        &pqc::liboqs_version(),
    )?);
    let me = SelfInfo {
        name: cfg.name.clone(),
        raft_id: cfg.raft_id,
        spiffe_id: cfg.spiffe_id.clone(),
        role: cfg.role.to_string(),
    };
    let links: Links = Arc::new(Mutex::new(HashMap::new()));
    let transport = Arc::new(
        Transport::new(
            bundle.creds.clone(),
            cfg.transport.allow_classical,
            Arc::new(MetricsObserver(metrics.clone(), links.clone())),
        )?
        .limited(conn_limits(&cfg.limits)),
    );
    // The Workload API binds before Raft starts, so a socket problem stops the node early.
    let (bundle_tx, bundle_rx) = watch::channel(Arc::new(anchor_ders(&bundle.creds)));
    let workload_api = match &bundle.workload_ca {
        Some(ca) => {
            let api = crate::engine::node::workload::WorkloadApi::new(
                transport.trust.clone(),
                &cfg.name,
                ca,
                cfg.workloads.clone(),
                bundle_rx,
                bundle.jwt.clone(),
                bundle.creds.svid.not_after,
                clock.clone(),
            )?;
            let listener =
                crate::engine::node::workload::WorkloadApi::bind(&bundle.workload_socket)?;
            Some((api, listener, bundle.workload_socket.clone()))
        }
        None => {
            tracing::warn!(
                "no workload CA in this node's bundle: the Workload API is off (run `x0t apply`)"
            );
            None
        }
    };
    let faults = Arc::new(Faults::new(&cfg.name, cfg.chaos.enabled));
    if faults.enabled() {
        tracing::warn!("chaos is enabled: admin operators may inject link faults into this node");
    }
    let side = if cfg.role.holds_raft() {
        Some(start_raft(&bundle, &transport, &links, &faults).await?)
    } else {
        None
    };
    // The inbox lives beside the raft data, so a snapshot restore leaves it alone.
    let inbox_path = bundle.data_dir.with_file_name("inbox");
    let inbox = Inbox::open(&inbox_path).map_err(|e| NodeError::Inbox(e.to_string()))?;
    let mesh = DataPlane::new(
        &cfg.name,
        &cfg.mesh,
        transport.clone(),
        Settings {
            probe_interval: cfg.healing.probe_interval.0,
            suspect_after: cfg.healing.suspect_after,
            follows_control: !cfg.role.holds_raft(),
            max_wait: (cfg.limits.request_timeout.0)
                .saturating_sub(Duration::from_millis(500))
                .min(Duration::from_secs(60)),
        },
        metrics.clone(),
        Receiver::new(inbox, &bundle.kem),
        faults.clone(),
    );

    let (stop_tx, stop_rx) = watch::channel(false);
    let stopped = |mut rx: watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let (ready_tx, ready_rx) = watch::channel(false);
    let metrics_task = metrics_listener.map(|l| {
        let addr = l.local_addr().ok();
        (
            addr,
            tokio::spawn(crate::engine::telemetry::serve_http(
                l,
                metrics.clone(),
                ready_rx,
                stopped(stop_rx.clone()),
            )),
        )
    });
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let incoming = transport.incoming(listener);
    let quota = Arc::new(StoreQuota::new(
        cfg.limits.max_store_bytes,
        metrics.raft.clone(),
    ));
    let raft_parts = side.as_ref().map(|s| RaftParts {
        raft: s.raft.clone(),
        writes: Batcher::spawn(s.raft.clone(), metrics.raft.append_duration.clone()),
        signer: s.signer.clone(),
        sm: s.sm.clone(),
        quota: quota.clone(),
        rag: std::sync::Arc::new(crate::engine::rag::host::RagHost::new(
            crate::engine::rag::RagConfig {
                // Beside the raft data, so a snapshot restore leaves it alone.
                root: bundle
                    .data_dir
                    .parent()
                    .map_or_else(|| bundle.data_dir.join("rag"), |p| p.join("rag")),
                sources: Vec::new(),
                hnsw: (&cfg.rag.hnsw).into(),
            },
        )),
    });
    let max_message = cfg.limits.max_message_size.0 as usize;
    let raft_service = side.as_ref().map(|s| {
        pb::raft_server::RaftServer::new(RaftService {
            raft: s.raft.clone(),
            stop: stop_rx.clone(),
            trust: transport.trust.clone(),
            snapshots: Default::default(),
        })
        .max_decoding_message_size(max_message)
        .max_encoding_message_size(max_message)
    });
    let admin_service = pb::admin_server::AdminServer::new(AdminService {
        raft: raft_parts,
        me: me.clone(),
        links,
        mesh: mesh.clone(),
        transport: transport.clone(),
        clock: clock.clone(),
    })
    .max_decoding_message_size(max_message)
    .max_encoding_message_size(max_message);
    let mesh_service = pb::mesh_server::MeshServer::new(MeshService(mesh.clone()))
        .max_decoding_message_size(max_message)
        .max_encoding_message_size(max_message);
    let limits = &cfg.limits;
    let server = tonic::transport::Server::builder()
        .http2_keepalive_interval(Some(Duration::from_secs(10)))
        .http2_keepalive_timeout(Some(Duration::from_secs(20)))
        .initial_stream_window_size(rpc::STREAM_WINDOW)
        .initial_connection_window_size(rpc::CONNECTION_WINDOW)
        .max_concurrent_streams(limits.max_streams)
        .concurrency_limit_per_connection(limits.max_streams as usize)
        .http2_max_header_list_size(rpc::MAX_HEADER_LIST)
        .timeout(limits.request_timeout.0)
        .layer(ObserveLayer(metrics.rpc.clone()))
        .layer(GateLayer(transport.trust.clone()))
        .add_optional_service(raft_service)
        .add_service(admin_service)
        .add_service(mesh_service)
        .serve_with_incoming_shutdown(incoming, stopped(stop_rx.clone()));
    let server = tokio::spawn(server);
    let data_plane = tokio::spawn(mesh.clone().run(stop_rx.clone()));
    let workload_socket = workload_api.as_ref().map(|(_, _, p)| p.clone());
    let reloader = tokio::spawn(reload_credentials(
        bundle.source.clone(),
        transport.clone(),
        mesh.clone(),
        workload_api.as_ref().map(|(api, _, _)| api.clone()),
        bundle_tx,
        stop_rx.clone(),
        clock.clone(),
    ));
    let workload_task = workload_api.map(|(api, listener, path)| {
        tokio::spawn(api.serve(listener, path, stopped(stop_rx.clone())))
    });
    let watcher = side.as_ref().map(|s| {
        tokio::spawn(crate::engine::node::follow::watch_raft(
            s.raft.clone(),
            metrics.clone(),
            s.sm.clone(),
            quota.clone(),
            transport.clone(),
        ))
    });
    let negotiator = side.as_ref().map(|s| {
        tokio::spawn(crate::engine::node::protocol::negotiate(
            s.raft.clone(),
            s.sm.clone(),
            transport.clone(),
            me.spiffe_id.clone(),
            clock.clone(),
        ))
    });
    // /readyz answers 200 while this node knows a leader, so a load balancer or probe only
    // sends clients to nodes that can serve a linearizable request. A relay is ready once
    // it serves.
    let readiness = tokio::spawn({
        let (raft, ready_tx, stop_rx) = (
            side.as_ref().map(|s| s.raft.clone()),
            ready_tx.clone(),
            stop_rx.clone(),
        );
        async move {
            let Some(raft) = raft else {
                ready_tx.send_replace(true);
                return;
            };
            let mut rx = raft.metrics();
            loop {
                let has_leader = rx.borrow_and_update().current_leader.is_some();
                if *stop_rx.borrow() {
                    break;
                }
                ready_tx.send_replace(has_leader);
                if rx.changed().await.is_err() {
                    break;
                }
            }
        }
    });
    on_ready(Ready {
        node: me.name.clone(),
        addr,
        spiffe_id: me.spiffe_id.clone(),
        metrics: metrics_task
            .as_ref()
            .and_then(|(a, _)| a.map(|a| a.to_string())),
        raft_id: me.raft_id,
        workload_socket,
    });
    shutdown.await;
    let _ = stop_tx.send(true);
    readiness.abort();
    let _ = ready_tx.send(false);
    tracing::info!("shutting down: draining RPCs");
    let served = server.await.map_err(|e| NodeError::Serve(e.to_string()))?;
    if let Some(task) = workload_task {
        if let Ok(Err(e)) = task.await {
            tracing::warn!("workload API: {e}");
        }
    }
    let _ = data_plane.await;
    for task in watcher.into_iter().chain(negotiator) {
        task.abort();
    }
    reloader.abort();
    if let Some(s) = side {
        s.raft
            .shutdown()
            .await
            .map_err(|e| NodeError::Raft(e.to_string()))?;
    }
    if let Some((_, task)) = metrics_task {
        let _ = task.await;
    }
    served.map_err(|e| NodeError::Serve(e.to_string()))
}

/// Reloads the node's credentials when its bundle files change (apply renewed an SVID,
/// rotated a key, changed the bundle) or on SIGHUP, without a restart: new handshakes use
/// them, open connections and in-flight requests carry on.
async fn reload_credentials(
    source: crate::engine::bundle::BundleSource,
    transport: Arc<Transport>,
    mesh: Arc<DataPlane>,
    workload_api: Option<crate::engine::node::workload::WorkloadApi>,
    bundle_tx: watch::Sender<crate::engine::node::workload::TrustBundle>,
    mut stop: watch::Receiver<bool>,
    clock: Clock,
) {
    let files = source.watched();
    let stamp = |files: &[std::path::PathBuf]| -> Vec<Option<(u64, i64, i64, u64)>> {
        use std::os::unix::fs::MetadataExt;
        files
            .iter()
            .map(|f| {
                std::fs::metadata(f)
                    .ok()
                    .map(|m| (m.len(), m.mtime(), m.mtime_nsec(), m.ino()))
            })
            .collect()
    };
    let mut last = stamp(&files);
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    loop {
        let forced = tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => false,
            Some(()) = async { match hup.as_mut() { Some(h) => h.recv().await, None => std::future::pending().await } } => true,
            _ = stop.wait_for(|s| *s) => return,
        };
        let now = stamp(&files);
        if now == last && !forced {
            continue;
        }
        last = now;
        let b = match source.load() {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!("reload: keeping the current credentials: {e}");
                continue;
            }
        };
        // A bundle that does not sign this node's own SVID (a foreign or wrong CA, an
        // expired chain) would cut the node off: refuse it.
        if let Err(e) =
            crate::engine::identity::verify_chain_any(&b.creds.ca, &b.creds.svid.der, clock.now())
        {
            tracing::warn!(
                "reload: keeping the current credentials: the new SVID and bundle do not fit: {e}"
            );
            continue;
        }
        if let Err(e) = transport.reload(b.creds.clone()) {
            tracing::warn!("reload: keeping the current credentials: {e}");
            continue;
        }
        transport.activate_pending_key();
        if mesh.take_kem(&b.kem) {
            tracing::info!("switched to the rotated ML-KEM key for new sessions");
        }
        let mut new_workload_ca = false;
        if let (Some(api), Some(ca)) = (&workload_api, &b.workload_ca) {
            match api.set_ca(ca) {
                Ok(changed) => new_workload_ca = changed,
                Err(e) => tracing::warn!("reload: keeping the current workload CA: {e}"),
            }
        }
        if let Some(api) = &workload_api {
            api.set_jwt(b.jwt.clone(), b.creds.svid.not_after);
        }
        bundle_tx.send_if_modified(|cur| {
            let new = anchor_ders(&b.creds);
            if **cur != new {
                *cur = Arc::new(new);
                true
            } else {
                new_workload_ca
            }
        });
        tracing::info!(
            svid_not_after = %timefmt::rfc3339(b.creds.svid.not_after),
            "reloaded credentials"
        );
    }
}

/// The trust bundle's certificates as DER, as the Workload API hands them out.
fn anchor_ders(creds: &crate::engine::bundle::Credentials) -> Vec<Vec<u8>> {
    creds.ca.iter().map(|c| c.to_vec()).collect()
}
