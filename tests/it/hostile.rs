//! Hostile and broken peers: each is refused with a reason in the log and a metric, and
//! the node keeps serving.

use std::io::{Read, Write};
use std::time::Duration;

use crate::support::cluster::{manifest, tls_connect, Cluster};

fn refusals(c: &Cluster, node: &str, reason: &str) -> u64 {
    let m = c.metrics(node);
    let prefix = format!("x0t_transport_refusals_total{{reason=\"{reason}\",node=\"{node}\"}} ");
    m.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or(0)
}

/// Waits (bounded) until `node` has counted exactly `want` refusals for `reason`: the node
/// answers the peer before it records the refusal, so the count may trail the answer.
#[track_caller]
fn wait_refusals(c: &Cluster, node: &str, reason: &str, want: u64) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let got = refusals(c, node, reason);
        if got == want {
            return;
        }
        assert!(
            got < want && std::time::Instant::now() < deadline,
            "{node}: {got} refusals for {reason}, want {want}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn listen(c: &Cluster, node: &str) -> String {
    let cfg: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(c.env.state(&format!("nodes/{node}/node.json"))).unwrap(),
    )
    .unwrap();
    cfg["listen"].as_str().unwrap().to_string()
}

/// A binding frame as a peer would send it, with any content.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut f = (body.len() as u32).to_be_bytes().to_vec();
    f.extend_from_slice(body);
    f
}

fn operator(c: &Cluster) -> (String, String) {
    (
        std::fs::read_to_string(c.env.state("operators/admin/svid.crt")).unwrap(),
        std::fs::read_to_string(c.env.state("operators/admin/svid.key")).unwrap(),
    )
}

/// Sends `bytes` after a valid TLS handshake and returns what the node answered.
fn after_tls(c: &Cluster, bytes: &[u8]) -> String {
    let (cert, key) = operator(c);
    let mut tls = tls_connect(&listen(c, "n1"), Some((&cert, &key)));
    tls.write_all(bytes).unwrap();
    tls.flush().unwrap();
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn broken_and_hostile_peers_are_refused_and_the_node_keeps_serving() {
    let c = Cluster::start(&manifest("hostile", 3, &[], ""), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), |j| j["healthy"] == true);
    let addr = listen(&c, "n1");

    // Not TLS at all.
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut sink = Vec::new();
    let _ = s.read_to_end(&mut sink);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while refusals(&c, "n1", "tls") == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "plaintext never refused"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // No client certificate.
    let mut tls = tls_connect(&addr, None);
    let mut buf = [0u8; 1];
    assert!(tls.read(&mut buf).is_err());
    wait_refusals(&c, "n1", "no_certificate", 1);

    // A protocol version from the future: refused with a reason the peer can read.
    let answer = after_tls(&c, &frame(br#"{"protocol":99,"role":"client","spiffeId":"spiffe://hostile.x0tta6bl4.mesh/operator/admin","algorithm":"ML-DSA-65","signature":"AAAA"}"#));
    assert!(
        answer.contains("peer speaks protocol 99, this x0t speaks 2; upgrade x0t"),
        "{answer}"
    );
    wait_refusals(&c, "n1", "protocol_version", 1);

    // A malformed binding frame, and a forged signature.
    let answer = after_tls(&c, &frame(b"{not json"));
    assert!(answer.contains("malformed binding frame"), "{answer}");
    let answer = after_tls(&c, &frame(br#"{"protocol":1,"role":"client","spiffeId":"spiffe://hostile.x0tta6bl4.mesh/operator/admin","algorithm":"ML-DSA-65","signature":"AAAA"}"#));
    assert!(
        answer.contains("does not verify against the roster"),
        "{answer}"
    );
    wait_refusals(&c, "n1", "pq_binding", 2);

    // An oversized frame is refused before it is buffered.
    let answer = after_tls(&c, &(64u32 << 20).to_be_bytes());
    assert!(answer.contains("limit"), "{answer}");
    wait_refusals(&c, "n1", "oversized", 1);

    // A peer that connects and stalls is dropped after the handshake timeout.
    let mut stalled = std::net::TcpStream::connect(&addr).unwrap();
    stalled
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 16];
    let n = stalled.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0, "the node closes a stalled connection");
    wait_refusals(&c, "n1", "handshake_timeout", 1);

    // Through all of it the node served.
    c.x0t(&["kv", "put", "still", "serving"]).ok();
    assert_eq!(c.x0t(&["kv", "get", "still"]).stdout, "serving");
    let status = c.wait_status(Duration::from_secs(5), |j| j["healthy"] == true);
    assert_eq!(status["nodes"].as_array().unwrap().len(), 3);
}

#[test]
fn a_stale_bundle_is_refused_by_its_peers() {
    let m = manifest("stale", 3, &[], "");
    let mut c = Cluster::start(&m, &["n1", "n2"]);
    c.wait_status(Duration::from_secs(20), |j| j["leader"].is_string());
    // n3's bundle is taken, then the CA is replaced (another trust domain): the old
    // bundle no longer chains to what the others trust.
    c.x0t(&["bundle", "n3", "--out", "old-n3"]).ok();
    c.env.write_manifest(&m.replace(
        "trustDomain: stale.x0tta6bl4.mesh",
        "trustDomain: fresh.x0tta6bl4.mesh",
    ));
    c.x0t(&["apply", "--auto-approve"]).ok();
    for n in ["n1", "n2"] {
        c.kill9(n);
    }
    c.kill_all();
    c.spawn("n1");
    c.spawn("n2");
    let mut old = std::process::Command::new(env!("CARGO_BIN_EXE_x0t"))
        .args(["node", "run", "n3", "--bundle", "old-n3"])
        .current_dir(c.env.root())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The stale node keeps trying; its peers count the refusals.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while refusals(&c, "n1", "untrusted_chain") + refusals(&c, "n2", "untrusted_chain") == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the stale node was never refused"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = old.kill();
    let _ = old.wait();
}

#[test]
fn a_node_config_from_a_newer_x0t_is_refused() {
    let env = crate::support::Env::applied();
    let path = env.state("nodes/n1/node.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("\"schemaVersion\": 1", "\"schemaVersion\": 9"),
    )
    .unwrap();
    let out = env.x0t(&["node", "run", "n1"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("schemaVersion 9 is newer than this x0t understands (1); upgrade x0t"),
        "{}",
        out.stderr
    );
}
