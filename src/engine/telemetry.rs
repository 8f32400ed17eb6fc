//! Node telemetry: the Prometheus registry, the plaintext `/metrics` and health endpoints, and the
//! process-wide logging and OpenTelemetry pipeline.
//!
//! The node's only plaintext port is served here, so the HTTP server is deliberately tiny: three
//! read-only routes, bounded header reads, a bounded number of connections and a bounded drain on
//! shutdown.
//!
//! Stdout belongs to the OpenTelemetry stdout exporters when they are enabled; everything human
//! goes to stderr through `tracing`. Nothing in this module writes to either stream directly.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io::{self, IsTerminal as _};
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use opentelemetry::metrics::{Counter, Meter, MeterProvider as _, ObservableGauge};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry::KeyValue;
use opentelemetry_sdk::error::{OTelSdkError, OTelSdkResult};
use opentelemetry_sdk::logs::{LogBatch, SdkLoggerProvider};
use opentelemetry_sdk::metrics::data::ResourceMetrics;
use opentelemetry_sdk::metrics::exporter::PushMetricExporter;
use opentelemetry_sdk::metrics::{PeriodicReader, SdkMeterProvider, Temporality};
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData};
use opentelemetry_sdk::Resource;
use prometheus::core::Collector;
use prometheus::{
    Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tracing_subscriber::filter::{filter_fn, EnvFilter, FromEnvError, LevelFilter};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::{SubscriberInitExt as _, TryInitError};
use tracing_subscriber::{Layer, Registry as TracingRegistry};

/// Errors raised while setting up or tearing down node telemetry.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    #[error("cannot register metric {metric} for node {node}")]
    Metric {
        metric: &'static str,
        node: String,
        #[source]
        source: prometheus::Error,
    },
    #[error("cannot read the local address of the metrics listener")]
    ListenerAddr {
        #[source]
        source: io::Error,
    },
    #[error("invalid log filter in {}", EnvFilter::DEFAULT_ENV)]
    LogFilter {
        #[source]
        source: FromEnvError,
    },
    #[error("logging is already initialised in this process")]
    AlreadyInitialised,
    #[error("cannot install the global log subscriber")]
    InstallSubscriber {
        #[source]
        source: TryInitError,
    },
    #[error("cannot shut down the OpenTelemetry {signal} pipeline")]
    OtelShutdown {
        signal: &'static str,
        #[source]
        source: OTelSdkError,
    },
}

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
    Oversized,
}

impl RefusalReason {
    pub const ALL: [RefusalReason; 10] = [
        RefusalReason::UntrustedChain,
        RefusalReason::WrongSpiffeId,
        RefusalReason::Revoked,
        RefusalReason::Expired,
        RefusalReason::NoCertificate,
        RefusalReason::KxGroup,
        RefusalReason::PqBinding,
        RefusalReason::ProtocolVersion,
        RefusalReason::HandshakeTimeout,
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

/// Limits for [`serve_http_with`]; [`serve_http`] uses the defaults.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// How long a client may take to send a request's headers, and how long an idle keep-alive
    /// connection is kept.
    pub header_read_timeout: Duration,
    /// Connections served at once; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// How long shutdown waits for open connections before dropping them.
    pub shutdown_grace: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            // Shorter than a typical 15 s scrape interval, so idle scraper connections are cycled
            // rather than held.
            header_read_timeout: Duration::from_secs(10),
            max_connections: 64,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

const METRICS_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";
const TEXT_CONTENT_TYPE: &str = "text/plain; charset=utf-8";
// A failing accept (EMFILE, ENFILE) would otherwise spin the loop at full speed.
const ACCEPT_ERROR_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `/metrics`, `/healthz` and `/readyz` over plaintext HTTP/1.1 on `listener` until
/// `shutdown` resolves, with [`HttpOptions::default`].
pub async fn serve_http(
    listener: TcpListener,
    metrics: Arc<Metrics>,
    ready: watch::Receiver<bool>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), TelemetryError> {
    serve_http_with(listener, metrics, ready, shutdown, HttpOptions::default()).await
}

/// [`serve_http`] with explicit limits.
///
/// When `shutdown` resolves the listener is closed at once, idle keep-alive connections are closed,
/// and requests in flight get up to [`HttpOptions::shutdown_grace`] to finish. Once the listener's
/// address has been read nothing is fatal: accept errors are logged and retried, so the only
/// error is a listener whose address cannot be read.
pub async fn serve_http_with(
    listener: TcpListener,
    metrics: Arc<Metrics>,
    ready: watch::Receiver<bool>,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: HttpOptions,
) -> Result<(), TelemetryError> {
    let addr = listener
        .local_addr()
        .map_err(|source| TelemetryError::ListenerAddr { source })?;
    tracing::info!(%addr, "serving metrics and health over plaintext HTTP");

    let (stop_tx, stop_rx) = watch::channel(false);
    // A limit of zero would never accept anything; treat it as one.
    let slots = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);

    loop {
        // Reaping here keeps the set from growing with every connection a long-lived node serves.
        while connections.try_join_next().is_some() {}

        let permit = tokio::select! {
            biased;
            () = &mut shutdown => break,
            permit = Arc::clone(&slots).acquire_owned() => match permit {
                Ok(permit) => permit,
                // The semaphore is never closed; stop rather than spin if that ever changes.
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%addr, %error, "cannot accept a metrics connection");
                tokio::select! {
                    biased;
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(ACCEPT_ERROR_BACKOFF) => continue,
                }
            }
        };

        let metrics = Arc::clone(&metrics);
        let ready = ready.clone();
        let mut stop = stop_rx.clone();
        let header_read_timeout = options.header_read_timeout;
        connections.spawn(async move {
            let _permit = permit;
            let service = service_fn(move |request: Request<Incoming>| {
                let response = route(&request, &metrics, &ready);
                async move { Ok::<_, Infallible>(response) }
            });
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout);
            let mut connection = pin!(builder.serve_connection(TokioIo::new(stream), service));
            let result = tokio::select! {
                result = connection.as_mut() => result,
                () = stopping(&mut stop) => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            // Scanners and timed-out clients end here routinely; not worth more than debug.
            if let Err(error) = result {
                tracing::debug!(%peer, %error, "metrics connection ended with an error");
            }
        });
    }

    drop(listener);
    stop_tx.send_replace(true);
    let drained = tokio::time::timeout(options.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            %addr,
            open = connections.len(),
            "dropping metrics connections still open after the shutdown grace period"
        );
        connections.shutdown().await;
    }
    tracing::info!(%addr, "metrics endpoint stopped");
    Ok(())
}

/// Resolves once the server starts shutting down (or its signal is gone).
async fn stopping(stop: &mut watch::Receiver<bool>) {
    // The returned borrow must not live across the caller's await; discard it here.
    let _ = stop.wait_for(|stopping| *stopping).await;
}

fn route(
    request: &Request<Incoming>,
    metrics: &Metrics,
    ready: &watch::Receiver<bool>,
) -> Response<Full<Bytes>> {
    let path = request.uri().path();
    if !matches!(path, "/metrics" | "/healthz" | "/readyz") {
        return text_response(StatusCode::NOT_FOUND, "not found\n");
    }
    // HEAD is accepted with GET because load balancers probe health with it; hyper leaves the
    // body off the wire for HEAD.
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = text_response(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    match path {
        "/metrics" => {
            let mut response = Response::new(Full::new(Bytes::from(metrics.encode())));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(METRICS_CONTENT_TYPE),
            );
            response
        }
        "/healthz" => text_response(StatusCode::OK, "ok\n"),
        _ => {
            // Copy the flag out so the watch lock is not held while the response is built.
            let is_ready = *ready.borrow();
            if is_ready {
                text_response(StatusCode::OK, "ready\n")
            } else {
                text_response(StatusCode::SERVICE_UNAVAILABLE, "not ready\n")
            }
        }
    }
}

fn text_response(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(TEXT_CONTENT_TYPE),
    );
    response
}

/// How often the OpenTelemetry metrics are pushed to stdout.
const OTEL_METRICS_INTERVAL: Duration = Duration::from_secs(10);
const OTEL_SCOPE: &str = "x0t";

/// Keeps the OpenTelemetry pipeline alive; dropping it flushes and shuts the pipeline down.
///
/// Keep it in `main` until the runtime has stopped, so spans ended during shutdown are exported.
#[derive(Debug)]
#[must_use = "dropping the guard shuts the OpenTelemetry pipeline down"]
pub struct TelemetryGuard {
    otel: Option<OtelPipeline>,
}

#[derive(Debug)]
struct OtelPipeline {
    tracer_provider: SdkTracerProvider,
    logger_provider: SdkLoggerProvider,
    meter_provider: SdkMeterProvider,
    // Held so the callback's registration visibly lives as long as the pipeline.
    _uptime: ObservableGauge<f64>,
}

impl TelemetryGuard {
    /// A meter on the node's OpenTelemetry pipeline; a no-op meter when it is disabled.
    pub fn meter(&self) -> Meter {
        match &self.otel {
            Some(otel) => otel.meter_provider.meter(OTEL_SCOPE),
            None => opentelemetry::metrics::noop::NoopMeterProvider::new().meter(OTEL_SCOPE),
        }
    }

    /// Flushes and shuts down the pipeline, reporting the first failure. Dropping the guard does
    /// the same but can only log failures.
    pub fn shutdown(mut self) -> Result<(), TelemetryError> {
        match self.otel.take() {
            Some(otel) => otel.shutdown(),
            None => Ok(()),
        }
    }
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        let Some(otel) = self.otel.take() else {
            return;
        };
        if let Err(error) = otel.shutdown() {
            tracing::warn!(error = %ErrorChain(&error), "telemetry shutdown incomplete");
        }
    }
}

impl OtelPipeline {
    fn shutdown(self) -> Result<(), TelemetryError> {
        // Spans and logs first: the metrics pipeline's final export comes last so it can count
        // anything the other two did during their flush.
        let results = [
            ("trace", self.tracer_provider.shutdown()),
            ("logs", self.logger_provider.shutdown()),
            ("metrics", self.meter_provider.shutdown()),
        ];
        for (signal, result) in results {
            result.map_err(|source| TelemetryError::OtelShutdown { signal, source })?;
        }
        Ok(())
    }
}

/// Renders an error with its causes, for the one place an error is logged instead of returned.
struct ErrorChain<'a>(&'a dyn std::error::Error);

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

/// Installs the process-wide `tracing` subscriber.
///
/// Human-readable logs go to stderr, filtered by `RUST_LOG` when it is set and otherwise by
/// `verbosity` (0 info, 1 debug, 2 or more trace). With `otel_stdout`, spans, log events and the
/// guard's metrics are also exported to stdout by the OpenTelemetry stdout exporters, with
/// `service.name=x0t` and `service.instance.id=<node>`.
///
/// Call it once, before starting the async runtime or from within it; the exporters run on their
/// own threads and need no runtime.
pub fn init_logging(
    node: &str,
    otel_stdout: bool,
    verbosity: u8,
) -> Result<TelemetryGuard, TelemetryError> {
    // Checked before any exporter exists: a pipeline built only to be refused would still print
    // its final metrics to stdout as it is dropped.
    if tracing::dispatcher::has_been_set() {
        return Err(TelemetryError::AlreadyInitialised);
    }
    let level = match verbosity {
        0 => LevelFilter::INFO,
        1 => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    };
    let mut filter = EnvFilter::builder()
        .with_default_directive(level.into())
        .from_env()
        .map_err(|source| TelemetryError::LogFilter { source })?;
    // openraft narrates every state change at info; keep the node's own log readable unless
    // the operator asks for more.
    if verbosity == 0 && std::env::var_os(EnvFilter::DEFAULT_ENV).is_none() {
        filter = filter.add_directive("openraft=warn".parse().expect("static directive"));
    }

    let human = tracing_subscriber::fmt::layer()
        .compact()
        .with_target(true)
        .with_level(true)
        .with_ansi(io::stderr().is_terminal())
        .with_writer(io::stderr);

    let otel = otel_stdout.then(|| build_otel_pipeline(node));
    let otel_layers = otel.as_ref().map(OtelPipeline::layers);

    tracing_subscriber::registry()
        .with(otel_layers)
        .with(filter)
        .with(human)
        .try_init()
        .map_err(|source| TelemetryError::InstallSubscriber { source })?;

    Ok(TelemetryGuard { otel })
}

fn build_otel_pipeline(node: &str) -> OtelPipeline {
    // `Resource::builder` also reads OTEL_RESOURCE_ATTRIBUTES, so operators can add attributes
    // without a rebuild; the two set here win over it.
    let resource = Resource::builder()
        .with_service_name("x0t")
        .with_attribute(KeyValue::new("service.instance.id", node.to_owned()))
        .build();

    // Batch processors export from their own threads, so a burst of spans never blocks a request
    // on stdout; the guard's shutdown drains them.
    let tracer_provider = SdkTracerProvider::builder()
        .with_resource(resource.clone())
        .with_batch_exporter(Serialized(opentelemetry_stdout::SpanExporter::default()))
        .build();
    let logger_provider = SdkLoggerProvider::builder()
        .with_resource(resource.clone())
        .with_batch_exporter(Serialized(opentelemetry_stdout::LogExporter::default()))
        .build();
    let reader =
        PeriodicReader::builder(Serialized(opentelemetry_stdout::MetricExporter::default()))
            .with_interval(OTEL_METRICS_INTERVAL)
            .build();
    let meter_provider = SdkMeterProvider::builder()
        .with_resource(resource)
        .with_reader(reader)
        .build();

    let started = Instant::now();
    let uptime = meter_provider
        .meter(OTEL_SCOPE)
        .f64_observable_gauge("x0t.node.uptime")
        .with_unit("s")
        .with_description("Time since telemetry was initialised")
        .with_callback(move |gauge| gauge.observe(started.elapsed().as_secs_f64(), &[]))
        .build();

    OtelPipeline {
        tracer_provider,
        logger_provider,
        meter_provider,
        _uptime: uptime,
    }
}

impl OtelPipeline {
    fn layers(&self) -> Vec<Box<dyn Layer<TracingRegistry> + Send + Sync>> {
        let events = self
            .meter_provider
            .meter(OTEL_SCOPE)
            .u64_counter("x0t.log.events")
            .with_description("Log events emitted, by level")
            .build();
        vec![
            tracing_opentelemetry::layer()
                .with_tracer(self.tracer_provider.tracer(OTEL_SCOPE))
                .with_filter(filter_fn(not_otel_internal))
                .boxed(),
            opentelemetry_appender_tracing::layer::OpenTelemetryTracingBridge::new(
                &self.logger_provider,
            )
            .with_filter(filter_fn(not_otel_internal))
            .boxed(),
            EventCounter { events }
                .with_filter(filter_fn(not_otel_internal))
                .boxed(),
        ]
    }
}

/// The SDK logs its own troubles through `tracing`; feeding those back into the OpenTelemetry
/// pipeline could loop, so they reach stderr only.
fn not_otel_internal(metadata: &tracing::Metadata<'_>) -> bool {
    !metadata.target().starts_with("opentelemetry")
}

/// Counts log events by level into `x0t.log.events`, so an error rate can be alerted on without
/// parsing logs.
struct EventCounter {
    events: Counter<u64>,
}

impl<S: tracing::Subscriber> Layer<S> for EventCounter {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let level = match *event.metadata().level() {
            tracing::Level::ERROR => "error",
            tracing::Level::WARN => "warn",
            tracing::Level::INFO => "info",
            tracing::Level::DEBUG => "debug",
            tracing::Level::TRACE => "trace",
        };
        self.events.add(1, &[KeyValue::new("level", level)]);
    }
}

/// Makes each export of the wrapped stdout exporter one uninterrupted run of lines.
///
/// The span, log and metric exporters print line by line from three different threads; without a
/// common lock their blocks interleave and the stream can no longer be split into records. The
/// stdout lock is reentrant, so holding it here while the exporter prints is safe.
#[derive(Debug)]
struct Serialized<E>(E);

impl<E> Serialized<E> {
    fn locked<F: Future<Output = OTelSdkResult>>(export: impl FnOnce() -> F) -> OTelSdkResult {
        let _stdout = io::stdout().lock();
        // The stdout exporters never await, so one poll completes them; polling here, rather than
        // returning the future, keeps the non-Send lock out of the future the SDK awaits.
        let mut export = pin!(export());
        match export
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(result) => result,
            Poll::Pending => Err(OTelSdkError::InternalFailure(
                "stdout exporter did not complete synchronously".to_owned(),
            )),
        }
    }
}

impl<E: opentelemetry_sdk::trace::SpanExporter> opentelemetry_sdk::trace::SpanExporter
    for Serialized<E>
{
    fn export(&self, batch: Vec<SpanData>) -> impl Future<Output = OTelSdkResult> + Send {
        std::future::ready(Self::locked(|| self.0.export(batch)))
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.0.shutdown_with_timeout(timeout)
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.0.force_flush()
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.0.set_resource(resource);
    }
}

impl<E: opentelemetry_sdk::logs::LogExporter> opentelemetry_sdk::logs::LogExporter
    for Serialized<E>
{
    fn export(&self, batch: LogBatch<'_>) -> impl Future<Output = OTelSdkResult> + Send {
        std::future::ready(Self::locked(|| self.0.export(batch)))
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.0.shutdown_with_timeout(timeout)
    }

    fn event_enabled(
        &self,
        level: opentelemetry::logs::Severity,
        target: &str,
        name: Option<&str>,
    ) -> bool {
        self.0.event_enabled(level, target, name)
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.0.set_resource(resource);
    }
}

impl<E: PushMetricExporter> PushMetricExporter for Serialized<E> {
    fn export(&self, metrics: &ResourceMetrics) -> impl Future<Output = OTelSdkResult> + Send {
        std::future::ready(Self::locked(|| self.0.export(metrics)))
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.0.force_flush()
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.0.shutdown_with_timeout(timeout)
    }

    fn temporality(&self) -> Temporality {
        self.0.temporality()
    }
}
