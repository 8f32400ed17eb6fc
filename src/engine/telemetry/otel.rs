//! The OpenTelemetry pipeline: traces, logs and metrics exported to stdout (one JSON object
//! per line), batched off the request path.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::future::Future;
use std::io::{self};
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use opentelemetry::metrics::{Counter, MeterProvider as _, ObservableGauge};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry::KeyValue;
use opentelemetry_sdk::error::{OTelSdkError, OTelSdkResult};
use opentelemetry_sdk::logs::{LogBatch, SdkLoggerProvider};
use opentelemetry_sdk::metrics::data::ResourceMetrics;
use opentelemetry_sdk::metrics::exporter::PushMetricExporter;
use opentelemetry_sdk::metrics::{PeriodicReader, SdkMeterProvider, Temporality};
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData};
use opentelemetry_sdk::Resource;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::{Layer, Registry as TracingRegistry};

use super::*;

/// How often the OpenTelemetry metrics are pushed to stdout.
const OTEL_METRICS_INTERVAL: Duration = Duration::from_secs(10);
pub(super) const OTEL_SCOPE: &str = "x0t";

#[derive(Debug)]
pub(super) struct OtelPipeline {
    tracer_provider: SdkTracerProvider,
    logger_provider: SdkLoggerProvider,
    pub(super) meter_provider: SdkMeterProvider,
    // Held so the callback's registration visibly lives as long as the pipeline.
    _uptime: ObservableGauge<f64>,
}

impl OtelPipeline {
    pub(super) fn shutdown(self) -> Result<(), TelemetryError> {
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

pub(super) fn build_otel_pipeline(node: &str) -> OtelPipeline {
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
    pub(super) fn layers(&self) -> Vec<Box<dyn Layer<TracingRegistry> + Send + Sync>> {
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
