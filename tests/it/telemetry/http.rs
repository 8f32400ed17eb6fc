//! The plaintext HTTP endpoint: routes, readiness, promtool's verdict, and bounded shutdown.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use x0tta6bl4::engine::telemetry::{serve_http, serve_http_with, HttpOptions, TelemetryError};

use crate::telemetry::metrics::{sample_metrics, FAMILIES};

/// Upper bound for anything the server should do promptly; only reached when a test fails.
const PROMPTLY: Duration = Duration::from_secs(5);

struct Server {
    addr: SocketAddr,
    ready: watch::Sender<bool>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), TelemetryError>>,
}

impl Server {
    async fn start(options: Option<HttpOptions>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let metrics = Arc::new(sample_metrics("web-node"));
        let (ready, ready_rx) = watch::channel(false);
        let (stop, stop_rx) = oneshot::channel::<()>();
        // A dropped sender also stops the server, so a failing test cannot leak it.
        let shutdown = async move {
            let _ = stop_rx.await;
        };
        let task = match options {
            None => tokio::spawn(serve_http(listener, metrics, ready_rx, shutdown)),
            Some(options) => tokio::spawn(serve_http_with(
                listener, metrics, ready_rx, shutdown, options,
            )),
        };
        Server {
            addr,
            ready,
            stop: Some(stop),
            task,
        }
    }

    /// Signals shutdown and waits for `serve_http` to return.
    async fn stop(mut self) {
        self.stop
            .take()
            .expect("stopped once")
            .send(())
            .expect("server alive");
        let result = tokio::time::timeout(PROMPTLY, self.task)
            .await
            .expect("server stops promptly")
            .expect("server task did not panic");
        result.expect("server returns Ok");
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

async fn send(stream: &mut TcpStream, method: &str, path: &str) {
    let request = format!("{method} {path} HTTP/1.1\r\nHost: test\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("write request");
}

/// Reads one response, framed by Content-Length (the server always sends one).
async fn read_reply(stream: &mut TcpStream, head_only: bool) -> Reply {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 4096];
    let read = async {
        loop {
            if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8(raw[..end].to_vec()).expect("utf-8 head");
                let mut lines = head.split("\r\n");
                let status = lines
                    .next()
                    .and_then(|line| line.split(' ').nth(1))
                    .and_then(|code| code.parse().ok())
                    .expect("status line");
                let headers: Vec<(String, String)> = lines
                    .filter_map(|line| line.split_once(':'))
                    .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                    .collect();
                let length: usize = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .map(|(_, v)| v.parse().expect("numeric content-length"))
                    .expect("content-length");
                let wanted = if head_only { 0 } else { length };
                let body_start = end + 4;
                if raw.len() >= body_start + wanted {
                    let body = String::from_utf8(raw[body_start..body_start + wanted].to_vec())
                        .expect("utf-8 body");
                    return Reply {
                        status,
                        headers,
                        body,
                    };
                }
            }
            let n = stream.read(&mut chunk).await.expect("read response");
            assert!(n > 0, "connection closed mid-response: {raw:?}");
            raw.extend_from_slice(&chunk[..n]);
        }
    };
    tokio::time::timeout(PROMPTLY, read)
        .await
        .expect("response arrives promptly")
}

async fn request(addr: SocketAddr, method: &str, path: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    send(&mut stream, method, path).await;
    read_reply(&mut stream, method == "HEAD").await
}

/// Waits until the peer closes the connection; fails if it is still open after `PROMPTLY`.
async fn assert_closed_by_server(stream: &mut TcpStream) {
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(PROMPTLY, stream.read_to_end(&mut rest)).await;
    match closed {
        // A reset is as closed as a FIN for this purpose.
        Ok(Ok(_)) | Ok(Err(_)) => {}
        Err(_) => panic!("server kept the connection open"),
    }
}

#[tokio::test]
async fn metrics_are_served_as_text_exposition() {
    let server = Server::start(None).await;
    let reply = request(server.addr, "GET", "/metrics").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    for family in FAMILIES {
        assert!(
            reply.body.contains(&format!("# TYPE {family} ")),
            "{family} missing from /metrics"
        );
    }
    assert!(reply.body.contains(r#"x0t_raft_term{node="web-node"} 0"#));
    server.stop().await;
}

#[tokio::test]
async fn promtool_accepts_the_metrics_page() {
    let server = Server::start(None).await;
    let body = request(server.addr, "GET", "/metrics").await.body;
    server.stop().await;

    let mut promtool = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool is installed (Debian package prometheus)");
    promtool
        .stdin
        .take()
        .expect("stdin")
        .write_all(body.as_bytes())
        .expect("feed promtool");
    let output = promtool.wait_with_output().expect("promtool runs");
    assert!(
        output.status.success(),
        "promtool rejected /metrics ({}):\n{}{}\n---\n{body}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

#[tokio::test]
async fn healthz_answers_while_serving() {
    let server = Server::start(None).await;
    let reply = request(server.addr, "GET", "/healthz").await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "ok\n"));
    server.stop().await;
}

#[tokio::test]
async fn readyz_follows_the_readiness_flag() {
    let server = Server::start(None).await;
    let before = request(server.addr, "GET", "/readyz").await;
    assert_eq!((before.status, before.body.as_str()), (503, "not ready\n"));

    server.ready.send_replace(true);
    let after = request(server.addr, "GET", "/readyz").await;
    assert_eq!((after.status, after.body.as_str()), (200, "ready\n"));

    server.ready.send_replace(false);
    let again = request(server.addr, "GET", "/readyz").await;
    assert_eq!(again.status, 503);
    server.stop().await;
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let server = Server::start(None).await;
    for path in ["/", "/metrics/extra", "/nope"] {
        assert_eq!(
            request(server.addr, "GET", path).await.status,
            404,
            "{path}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn non_get_methods_are_405() {
    let server = Server::start(None).await;
    for method in ["POST", "PUT", "DELETE"] {
        for path in ["/metrics", "/healthz", "/readyz"] {
            let reply = request(server.addr, method, path).await;
            assert_eq!(reply.status, 405, "{method} {path}");
            assert_eq!(reply.header("allow"), Some("GET, HEAD"));
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn head_is_answered_without_a_body() {
    let server = Server::start(None).await;
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    send(&mut stream, "HEAD", "/healthz").await;
    let head = read_reply(&mut stream, true).await;
    assert_eq!(head.status, 200);
    // The next response on the connection must start right away: no stray body bytes between.
    send(&mut stream, "GET", "/healthz").await;
    let next = read_reply(&mut stream, false).await;
    assert_eq!((next.status, next.body.as_str()), (200, "ok\n"));
    server.stop().await;
}

#[tokio::test]
async fn shutdown_closes_the_listener() {
    let server = Server::start(None).await;
    let addr = server.addr;
    assert_eq!(request(addr, "GET", "/healthz").await.status, 200);
    server.stop().await;
    // A child process forked by a concurrent test can hold a copy of the listening socket until
    // it execs, so a connect may still complete into a backlog nobody accepts from. What must
    // hold is that nothing answers on it.
    if let Ok(mut stream) = TcpStream::connect(addr).await {
        send(&mut stream, "GET", "/healthz").await;
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(PROMPTLY, stream.read_to_end(&mut answer))
            .await
            .expect("orphaned connection is closed");
        assert!(
            answer.is_empty(),
            "answered after shutdown: {}",
            String::from_utf8_lossy(&answer)
        );
    }
}

#[tokio::test]
async fn idle_keep_alive_connection_does_not_hold_up_shutdown() {
    // Long timeouts, so only a graceful close of the idle connection lets shutdown finish in time.
    let server = Server::start(Some(HttpOptions {
        header_read_timeout: Duration::from_secs(120),
        shutdown_grace: Duration::from_secs(120),
        ..HttpOptions::default()
    }))
    .await;
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    send(&mut stream, "GET", "/healthz").await;
    assert_eq!(read_reply(&mut stream, false).await.status, 200);

    server.stop().await;
    assert_closed_by_server(&mut stream).await;
}

#[tokio::test]
async fn stalled_request_is_dropped_after_the_grace_period() {
    let server = Server::start(Some(HttpOptions {
        header_read_timeout: Duration::from_secs(120),
        shutdown_grace: Duration::from_millis(200),
        ..HttpOptions::default()
    }))
    .await;
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    // A full exchange first proves the server owns the connection before it stalls.
    send(&mut stream, "GET", "/healthz").await;
    assert_eq!(read_reply(&mut stream, false).await.status, 200);
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: te")
        .await
        .expect("write partial request");

    server.stop().await;
    assert_closed_by_server(&mut stream).await;
}

#[tokio::test]
async fn silent_client_is_disconnected_by_the_header_timeout() {
    let server = Server::start(Some(HttpOptions {
        header_read_timeout: Duration::from_millis(200),
        ..HttpOptions::default()
    }))
    .await;
    let mut silent = TcpStream::connect(server.addr).await.expect("connect");
    let mut slow = TcpStream::connect(server.addr).await.expect("connect");
    slow.write_all(b"GET /metrics HTTP/1.1\r\n")
        .await
        .expect("write partial request");

    assert_closed_by_server(&mut silent).await;
    assert_closed_by_server(&mut slow).await;
    // The server itself is unaffected.
    assert_eq!(request(server.addr, "GET", "/healthz").await.status, 200);
    server.stop().await;
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_their_turn() {
    let server = Server::start(Some(HttpOptions {
        max_connections: 1,
        ..HttpOptions::default()
    }))
    .await;
    let mut first = TcpStream::connect(server.addr).await.expect("connect");
    send(&mut first, "GET", "/healthz").await;
    assert_eq!(read_reply(&mut first, false).await.status, 200);

    // The second client is queued while the first holds the only slot, then served once it
    // leaves; the read below would time out if the slot were never released.
    let mut second = TcpStream::connect(server.addr).await.expect("connect");
    send(&mut second, "GET", "/healthz").await;
    drop(first);
    assert_eq!(read_reply(&mut second, false).await.status, 200);
    server.stop().await;
}
