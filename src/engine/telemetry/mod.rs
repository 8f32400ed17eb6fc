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

mod http;
mod logging;
mod metrics;
mod otel;

pub use http::*;
pub use logging::*;
pub use metrics::*;

use std::io;

use opentelemetry_sdk::error::OTelSdkError;
use tracing_subscriber::filter::{EnvFilter, FromEnvError};
use tracing_subscriber::util::TryInitError;

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
