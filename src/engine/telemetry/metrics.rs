//! The node's Prometheus registry: Raft, transport and RPC metrics, registered once per node
//! and updated by the services that observe them.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::HashMap;
use std::time::Duration;

use prometheus::core::Collector;
use prometheus::{
    GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry, TextEncoder,
};

use super::*;

// Buckets span a local fsync (sub-millisecond) up to a stalled quorum, which is where the
// interesting tail of a Raft write lives.
const APPEND_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
// RPCs share the scale so the two latency histograms can be read side by side.
const RPC_BUCKETS: &[f64] = APPEND_BUCKETS;

/// Which side opened a transport connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::In, Direction::Out];

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// Why the transport refused a connection; the label values operators alert on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalReason {
    UntrustedChain,
    WrongSpiffeId,
    Revoked,
    Expired,
    NoCertificate,
    KxGroup,
    PqBinding,
    ProtocolVersion,
    HandshakeTimeout,
    ConnectionLimit,
    Oversized,
}

impl RefusalReason {
    pub const ALL: [RefusalReason; 11] = [
        RefusalReason::UntrustedChain,
        RefusalReason::WrongSpiffeId,
        RefusalReason::Revoked,
        RefusalReason::Expired,
        RefusalReason::NoCertificate,
        RefusalReason::KxGroup,
        RefusalReason::PqBinding,
        RefusalReason::ProtocolVersion,
        RefusalReason::HandshakeTimeout,
        RefusalReason::ConnectionLimit,
        RefusalReason::Oversized,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RefusalReason::UntrustedChain => "untrusted_chain",
            RefusalReason::WrongSpiffeId => "wrong_spiffe_id",
            RefusalReason::Revoked => "revoked",
            RefusalReason::Expired => "expired",
            RefusalReason::NoCertificate => "no_certificate",
            RefusalReason::KxGroup => "kx_group",
            RefusalReason::PqBinding => "pq_binding",
            RefusalReason::ProtocolVersion => "protocol_version",
            RefusalReason::HandshakeTimeout => "handshake_timeout",
            RefusalReason::ConnectionLimit => "connection_limit",
            RefusalReason::Oversized => "oversized",
        }
    }
}

/// Raft progress of this node.
#[derive(Debug, Clone)]
pub struct RaftMetrics {
    pub term: IntGauge,
    pub last_log_index: IntGauge,
    pub applied_index: IntGauge,
    /// 1 while this node is leader, else 0.
    pub is_leader: IntGauge,
    /// Incremented by the caller each time the observed leader changes, whoever it is.
    pub leader_changes: IntCounter,
    /// A client write from submit to commit, in seconds.
    pub append_duration: Histogram,
    /// What the keys hold against the quota (`spec.limits.maxStoreBytes`).
    pub store_bytes: IntGauge,
    pub store_quota_bytes: IntGauge,
    /// 1 from a write refused for the quota until the store is back under 95 % of it.
    pub store_quota_alarm: IntGauge,
}

impl RaftMetrics {
    pub fn set_leader(&self, is_leader: bool) {
        self.is_leader.set(i64::from(is_leader));
    }
}

/// Transport (mTLS) connection accounting.
#[derive(Debug, Clone)]
pub struct TransportMetrics {
    /// Labels `direction` (in/out) and `result` (ok/refused).
    pub connections: IntCounterVec,
    /// Label `reason`; see [`RefusalReason`].
    pub refusals: IntCounterVec,
    pub open_connections: IntGauge,
}

impl TransportMetrics {
    /// Counts one finished handshake; a refusal is counted under its reason as well, so the two
    /// counters cannot drift apart.
    pub fn record_handshake(&self, direction: Direction, outcome: Result<(), RefusalReason>) {
        let result = match outcome {
            Ok(()) => "ok",
            Err(reason) => {
                self.refusals.with_label_values(&[reason.as_str()]).inc();
                "refused"
            }
        };
        self.connections
            .with_label_values(&[direction.as_str(), result])
            .inc();
    }

    /// Counts a connection as open until the returned guard is dropped, so an early return or a
    /// panic in the connection task cannot leak the gauge.
    pub fn track_open(&self) -> OpenConnection {
        self.open_connections.inc();
        OpenConnection {
            gauge: self.open_connections.clone(),
        }
    }
}

/// Keeps `x0t_transport_open_connections` raised while alive.
#[derive(Debug)]
pub struct OpenConnection {
    gauge: IntGauge,
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.gauge.dec();
    }
}

/// RPC accounting per service and method.
#[derive(Debug, Clone)]
pub struct RpcMetrics {
    /// Labels `service`, `method`, `code`.
    pub requests: IntCounterVec,
    /// Labels `service`, `method`; seconds.
    pub duration: HistogramVec,
}

impl RpcMetrics {
    pub fn observe(&self, service: &str, method: &str, code: &str, elapsed: Duration) {
        self.requests
            .with_label_values(&[service, method, code])
            .inc();
        self.duration
            .with_label_values(&[service, method])
            .observe(elapsed.as_secs_f64());
    }
}

/// The data plane: links, routes, adverts.
#[derive(Debug, Clone)]
pub struct MeshMetrics {
    /// Label `peer`; seconds.
    pub link_rtt: GaugeVec,
    /// Label `peer`; 0..=1.
    pub link_loss: GaugeVec,
    /// Label `peer`; 1 while the link is usable (up or degraded), else 0.
    pub link_up: IntGaugeVec,
    pub routes: IntGauge,
    pub route_changes: IntCounter,
    /// Label `result`: accepted, stale, or why it was rejected.
    pub adverts: IntCounterVec,
    /// Label `result`: sent, forwarded, delivered, retried, refused, duplicate, tampered,
    /// bad_session, stale_session.
    pub messages: IntCounterVec,
    /// Label `suspect`: nodes this sender routed around after frames through them were
    /// altered or lost.
    pub suspects: IntCounterVec,
}

/// The node's Prometheus metrics, in a registry of their own that stamps `node="<name>"` on every
/// series.
///
/// A private registry rather than the process-global one keeps several nodes in one test process
/// apart, and keeps metrics that dependencies might register globally off the node's endpoint.
#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Registry,
    pub raft: RaftMetrics,
    pub transport: TransportMetrics,
    pub rpc: RpcMetrics,
    pub mesh: MeshMetrics,
}

impl Metrics {
    pub fn new(node: &str, version: &str, liboqs: &str) -> Result<Metrics, TelemetryError> {
        let labels = HashMap::from([("node".to_owned(), node.to_owned())]);
        let registry =
            Registry::new_custom(None, Some(labels)).map_err(|source| TelemetryError::Metric {
                metric: "registry",
                node: node.to_owned(),
                source,
            })?;
        let reg = Registrar {
            registry: &registry,
            node,
        };

        let raft = RaftMetrics {
            term: reg.add("x0t_raft_term", || {
                IntGauge::new("x0t_raft_term", "Current Raft term seen by this node")
            })?,
            last_log_index: reg.add("x0t_raft_last_log_index", || {
                IntGauge::new(
                    "x0t_raft_last_log_index",
                    "Index of the last Raft log entry",
                )
            })?,
            applied_index: reg.add("x0t_raft_applied_index", || {
                IntGauge::new(
                    "x0t_raft_applied_index",
                    "Index of the last entry applied to the state machine",
                )
            })?,
            is_leader: reg.add("x0t_raft_is_leader", || {
                IntGauge::new(
                    "x0t_raft_is_leader",
                    "1 if this node is the Raft leader, else 0",
                )
            })?,
            leader_changes: reg.add("x0t_raft_leader_changes_total", || {
                IntCounter::new(
                    "x0t_raft_leader_changes_total",
                    "Number of leader changes this node has observed",
                )
            })?,
            append_duration: reg.add("x0t_raft_append_duration_seconds", || {
                Histogram::with_opts(
                    HistogramOpts::new(
                        "x0t_raft_append_duration_seconds",
                        "Time from submitting a client write to its commit",
                    )
                    .buckets(APPEND_BUCKETS.to_vec()),
                )
            })?,
            store_bytes: reg.add("x0t_store_bytes", || {
                IntGauge::new(
                    "x0t_store_bytes",
                    "Bytes the replicated store holds against its quota (keys, values, 64 per key)",
                )
            })?,
            store_quota_bytes: reg.add("x0t_store_quota_bytes", || {
                IntGauge::new(
                    "x0t_store_quota_bytes",
                    "The store's quota, spec.limits.maxStoreBytes",
                )
            })?,
            store_quota_alarm: reg.add("x0t_store_quota_alarm", || {
                IntGauge::new(
                    "x0t_store_quota_alarm",
                    "1 after a write was refused for the store quota, until the store is under 95 % of it",
                )
            })?,
        };

        let transport = TransportMetrics {
            connections: reg.add("x0t_transport_connections_total", || {
                IntCounterVec::new(
                    Opts::new(
                        "x0t_transport_connections_total",
                        "Transport handshakes by direction and result (ok, refused, error: I/O failure)",
                    ),
                    &["direction", "result"],
                )
            })?,
            refusals: reg.add("x0t_transport_refusals_total", || {
                IntCounterVec::new(
                    Opts::new(
                        "x0t_transport_refusals_total",
                        "Refused transport connections by reason",
                    ),
                    &["reason"],
                )
            })?,
            open_connections: reg.add("x0t_transport_open_connections", || {
                IntGauge::new(
                    "x0t_transport_open_connections",
                    "Transport connections currently open",
                )
            })?,
        };
        // Known label values start at zero so `rate()` and absence alerts work before the first
        // event rather than from it.
        for direction in Direction::ALL {
            for result in ["ok", "refused", "error"] {
                transport
                    .connections
                    .with_label_values(&[direction.as_str(), result]);
            }
        }
        for reason in RefusalReason::ALL {
            transport.refusals.with_label_values(&[reason.as_str()]);
        }

        let rpc = RpcMetrics {
            requests: reg.add("x0t_rpc_requests_total", || {
                IntCounterVec::new(
                    Opts::new(
                        "x0t_rpc_requests_total",
                        "RPC requests served by result code",
                    ),
                    &["service", "method", "code"],
                )
            })?,
            duration: reg.add("x0t_rpc_duration_seconds", || {
                HistogramVec::new(
                    HistogramOpts::new("x0t_rpc_duration_seconds", "RPC handling time")
                        .buckets(RPC_BUCKETS.to_vec()),
                    &["service", "method"],
                )
            })?,
        };

        let messages: IntCounterVec = reg.add("x0t_mesh_messages_total", || {
            IntCounterVec::new(
                Opts::new(
                    "x0t_mesh_messages_total",
                    "Data-plane messages by what happened to them here: sent (queued by this node), forwarded (relayed), delivered (stored in the inbox), retried, refused, duplicate, tampered, bad_session",
                ),
                &["result"],
            )
        })?;
        for result in [
            "sent",
            "forwarded",
            "delivered",
            "retried",
            "refused",
            "duplicate",
            "tampered",
            "bad_session",
        ] {
            messages.with_label_values(&[result]);
        }
        let mesh = MeshMetrics {
            messages,
            link_rtt: reg.add("x0t_mesh_link_rtt_seconds", || {
                GaugeVec::new(
                    Opts::new(
                        "x0t_mesh_link_rtt_seconds",
                        "Smoothed round trip of each data-plane link, from its probes",
                    ),
                    &["peer"],
                )
            })?,
            link_loss: reg.add("x0t_mesh_link_loss_ratio", || {
                GaugeVec::new(
                    Opts::new(
                        "x0t_mesh_link_loss_ratio",
                        "Smoothed fraction of probes lost on each data-plane link",
                    ),
                    &["peer"],
                )
            })?,
            link_up: reg.add("x0t_mesh_link_up", || {
                IntGaugeVec::new(
                    Opts::new(
                        "x0t_mesh_link_up",
                        "1 while a data-plane link is usable (up or degraded), else 0",
                    ),
                    &["peer"],
                )
            })?,
            routes: reg.add("x0t_mesh_routes", || {
                IntGauge::new("x0t_mesh_routes", "Destinations this node has a route to")
            })?,
            suspects: reg.add("x0t_mesh_suspects_total", || {
                IntCounterVec::new(
                    Opts::new(
                        "x0t_mesh_suspects_total",
                        "Times this node began routing around a node after frames through it were altered or lost",
                    ),
                    &["suspect"],
                )
            })?,
            route_changes: reg.add("x0t_mesh_route_changes_total", || {
                IntCounter::new(
                    "x0t_mesh_route_changes_total",
                    "Routes gained, lost or moved to another next hop",
                )
            })?,
            adverts: reg.add("x0t_mesh_adverts_total", || {
                IntCounterVec::new(
                    Opts::new(
                        "x0t_mesh_adverts_total",
                        "Link-state adverts received, by result (accepted, stale, or the reason for rejecting it)",
                    ),
                    &["result"],
                )
            })?,
        };
        for result in [
            "accepted",
            "stale",
            "malformed",
            "wrong_mesh",
            "unknown_origin",
            "bad_signature",
        ] {
            mesh.adverts.with_label_values(&[result]);
        }

        let build_info: IntGauge = reg.add("x0t_build_info", || {
            IntGauge::with_opts(
                Opts::new("x0t_build_info", "Build of the running node; always 1")
                    .const_label("version", version)
                    .const_label("liboqs", liboqs),
            )
        })?;
        build_info.set(1);

        Ok(Metrics {
            registry,
            raft,
            transport,
            rpc,
            mesh,
        })
    }

    /// The underlying registry, for collectors owned elsewhere; they inherit the node label.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Renders every series in the Prometheus text exposition format 0.0.4.
    ///
    /// RPC series appear only once a service/method pair has been observed, since their label
    /// values are not known up front.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Encoding fails only on a malformed metric family, which the typed constructors above
        // cannot produce; a partial page beats failing the scrape.
        if let Err(error) = TextEncoder::new().encode_utf8(&self.registry.gather(), &mut out) {
            tracing::error!(%error, "cannot encode metrics");
        }
        out
    }
}

/// Creates and registers one metric, naming it in the error.
struct Registrar<'a> {
    registry: &'a Registry,
    node: &'a str,
}

impl Registrar<'_> {
    fn add<C>(
        &self,
        metric: &'static str,
        make: impl FnOnce() -> prometheus::Result<C>,
    ) -> Result<C, TelemetryError>
    where
        C: Collector + Clone + 'static,
    {
        let fail = |source| TelemetryError::Metric {
            metric,
            node: self.node.to_owned(),
            source,
        };
        let collector = make().map_err(fail)?;
        self.registry
            .register(Box::new(collector.clone()))
            .map_err(fail)?;
        Ok(collector)
    }
}
