//! Process-wide logging: human lines to stderr through `tracing`, and, when enabled, the
//! OpenTelemetry pipeline fed from the same events. [`TelemetryGuard`] owns the pipeline.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::io::{self, IsTerminal as _};

use opentelemetry::metrics::{Meter, MeterProvider as _};
use tracing_subscriber::filter::{EnvFilter, LevelFilter};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use super::*;

use super::otel::{build_otel_pipeline, OtelPipeline, OTEL_SCOPE};

/// Keeps the OpenTelemetry pipeline alive; dropping it flushes and shuts the pipeline down.
///
/// Keep it in `main` until the runtime has stopped, so spans ended during shutdown are exported.
#[derive(Debug)]
#[must_use = "dropping the guard shuts the OpenTelemetry pipeline down"]
pub struct TelemetryGuard {
    otel: Option<OtelPipeline>,
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
