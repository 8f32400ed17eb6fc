//! Node telemetry: Prometheus metrics, the health/metrics HTTP port, OpenTelemetry output.

mod http;
mod logging;
mod metrics;
