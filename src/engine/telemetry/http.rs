//! The node's only plaintext port: `/metrics` (Prometheus text), `/healthz` and `/readyz`.
//! Deliberately tiny: three read-only routes, bounded header reads, a bounded number of
//! connections and a bounded drain on shutdown.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

use super::*;

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
