//! Hostile and broken peers: each is refused with a reason in the log and a metric, and
//! the node keeps serving.

use std::io::{Read, Write};
use std::time::Duration;

use crate::support::cluster::{manifest, sample, tls_connect, Cluster};

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
        answer.contains("peer speaks protocol 99, this x0t speaks 2-3; upgrade x0t"),
        "{answer}"
    );
    wait_refusals(&c, "n1", "protocol_version", 1);
    // One from the past, that this x0t no longer speaks.
    let answer = after_tls(&c, &frame(br#"{"protocol":1,"role":"client","spiffeId":"spiffe://hostile.x0tta6bl4.mesh/operator/admin","algorithm":"ML-DSA-65","signature":"AAAA"}"#));
    assert!(
        answer.contains("peer speaks protocol 1, this x0t speaks 2-3; upgrade x0t on the peer"),
        "{answer}"
    );
    wait_refusals(&c, "n1", "protocol_version", 2);

    // A malformed binding frame, and a forged signature.
    let answer = after_tls(&c, &frame(b"{not json"));
    assert!(answer.contains("malformed binding frame"), "{answer}");
    let answer = after_tls(&c, &frame(br#"{"protocol":2,"speaks":3,"role":"client","spiffeId":"spiffe://hostile.x0tta6bl4.mesh/operator/admin","algorithm":"ML-DSA-65","signature":"AAAA"}"#));
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

/// A client that presents node `name`'s own credential: what a compromised node (or
/// relay) could send to its peers' admin API.
fn as_node(c: &Cluster, name: &str) -> x0tta6bl4::engine::client::Client {
    use x0tta6bl4::engine::bundle::{NodeBundle, OperatorBundle};
    use x0tta6bl4::engine::state::StateDir;
    let dir = StateDir::new(c.env.state(""));
    let node = NodeBundle::from_state(&dir, name).unwrap();
    let bundle = OperatorBundle::with_roster_endpoints(name, node.creds);
    x0tta6bl4::engine::client::Client::new(bundle, Duration::from_secs(10)).unwrap()
}

fn as_admin(c: &Cluster) -> x0tta6bl4::engine::client::Client {
    use x0tta6bl4::engine::bundle::OperatorBundle;
    use x0tta6bl4::engine::state::StateDir;
    let dir = StateDir::new(c.env.state(""));
    let bundle = OperatorBundle::from_state(&dir, "admin").unwrap();
    x0tta6bl4::engine::client::Client::new(bundle, Duration::from_secs(10)).unwrap()
}

#[test]
fn valid_credentials_do_not_open_calls_beyond_their_role() {
    let ops =
        "  operators:\n    - { name: admin, role: admin }\n    - { name: oncall, role: viewer }\n";
    let c = Cluster::start(&manifest("roles2", 3, &[], ops), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), crate::support::cluster::healthy);
    c.x0t(&["kv", "put", "app/secret", "s3cret"]).ok();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = |r: Result<_, x0tta6bl4::engine::client::ClientError>| -> String {
        match r {
            Ok(_) => panic!("the call was accepted"),
            Err(e) => e.to_string(),
        }
    };

    // A node's credential reads nothing through the admin API, and changes nothing.
    let node = as_node(&c, "n3");
    let e = err(rt.block_on(node.get("app/secret")).map(|_| ()));
    assert!(e.contains("node n3 may not read the store"), "{e}");
    let e = err(rt.block_on(node.list("")).map(|_| ()));
    assert!(e.contains("node n3 may not read the store"), "{e}");
    let e = err(rt.block_on(node.audit(0, 10)).map(|_| ()));
    assert!(e.contains("node n3 may not read the store"), "{e}");
    let e = err(rt
        .block_on(node.rag_query("n1", "disk full", 3, x0tta6bl4::engine::rag::Mode::Bm25))
        .map(|_| ()));
    assert!(e.contains("node n3 may not read the store"), "{e}");
    let e = err(rt
        .block_on(node.put("/x0t/roster", b"{}".to_vec()))
        .map(|_| ()));
    assert!(
        e.contains("node n3 may not call the admin write API"),
        "{e}"
    );

    // An admin cannot write x0t's own keys with anything but a sound, newer roster or a
    // deny-list entry that names its own identity.
    let admin = as_admin(&c);
    let put = |k: &str, v: &[u8]| err(rt.block_on(admin.put(k, v.to_vec())).map(|_| ()));
    let e = put("/x0t/roster", b"garbage");
    assert!(e.contains("roster refused"), "{e}");
    let mut roster: serde_json::Value =
        serde_json::from_slice(&std::fs::read(c.env.state("roster.json")).unwrap()).unwrap();
    // The same roster again is a harmless retry; the same serial with other content is not.
    rt.block_on(admin.put("/x0t/roster", roster.to_string().into_bytes()))
        .unwrap();
    roster["mesh"] = serde_json::json!("renamed");
    let e = put("/x0t/roster", roster.to_string().as_bytes());
    assert!(e.contains("serial 1 is not newer than the mesh's 1"), "{e}");
    roster["nodes"] = serde_json::json!([]);
    roster["serial"] = serde_json::json!(1_000_000);
    let e = put("/x0t/roster", roster.to_string().as_bytes());
    assert!(e.contains("names no voter or learner"), "{e}");
    let e = put("/x0t/other", b"x");
    assert!(e.contains("reserved for x0t"), "{e}");
    let e = put(
        "/x0t/revoked/spiffe://roles2.x0tta6bl4.mesh/node/n2",
        br#"{"spiffeId":"spiffe://roles2.x0tta6bl4.mesh/node/n1","reason":"x","revokedAt":"2026-01-01T00:00:00Z"}"#,
    );
    assert!(e.contains("must name"), "{e}");
    // The CLI refuses them before asking.
    let out = c.x0t(&["kv", "put", "/x0t/roster", "{}"]);
    out.code(1);
    assert!(out.stderr.contains("reserved for x0t"), "{}", out.stderr);
    // The mesh still works: the roster held is the applied one.
    c.wait_status(Duration::from_secs(20), crate::support::cluster::healthy);

    // AddMember only for nodes of the roster, under their own raft id.
    let e = err(rt
        .block_on(admin.add_member("intruder", 99, "127.0.0.1:1", "voter"))
        .map(|_| ()));
    assert!(e.contains("node intruder is not in the roster"), "{e}");
    let e = err(rt
        .block_on(admin.add_member("n2", 99, "127.0.0.1:1", "voter"))
        .map(|_| ()));
    assert!(e.contains("not raft id 99"), "{e}");

    // A viewer takes the newest snapshot on disk but does not make a node build one.
    let out = c.x0t(&["snapshot", "save", "v.snap", "--operator", "oncall"]);
    out.code(1);
    assert!(out.stderr.contains("no snapshot yet"), "{}", out.stderr);
    c.x0t(&["snapshot", "create"]).ok();
    let count = |c: &Cluster| {
        c.x0t(&["snapshot", "list", "-o", "json"]).json()["snapshots"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = count(&c);
    c.x0t(&["kv", "put", "after", "1"]).ok();
    c.x0t(&["snapshot", "save", "v.snap", "--operator", "oncall"])
        .ok();
    assert_eq!(count(&c), before, "a viewer's save built no snapshot");
}

/// A Raft client to node `to` that presents node `me`'s credential.
fn raft_client_as(
    c: &Cluster,
    me: &str,
    to: &str,
) -> x0tta6bl4::engine::rpc::pb::raft_client::RaftClient<tonic::transport::Channel> {
    use x0tta6bl4::engine::bundle::NodeBundle;
    use x0tta6bl4::engine::state::StateDir;
    let dir = StateDir::new(c.env.state(""));
    raft_client_with(c, NodeBundle::from_state(&dir, me).unwrap().creds, to)
}

/// A Raft client to node `to` that presents `creds`, whoever they belong to.
fn raft_client_with(
    c: &Cluster,
    creds: x0tta6bl4::engine::bundle::Credentials,
    to: &str,
) -> x0tta6bl4::engine::rpc::pb::raft_client::RaftClient<tonic::transport::Channel> {
    use std::sync::Arc;
    use x0tta6bl4::engine::transport::{LogObserver, Transport};
    let spiffe = format!("spiffe://{}/node/{to}", creds.roster.trust_domain);
    let transport = Arc::new(Transport::new(creds, false, Arc::new(LogObserver)).unwrap());
    let channel = x0tta6bl4::engine::rpc::channel(
        transport,
        listen(c, to),
        spiffe,
        to.to_string(),
        Default::default(),
        Duration::from_secs(5),
    );
    x0tta6bl4::engine::rpc::pb::raft_client::RaftClient::new(channel)
}

#[test]
fn spec_limits_bound_connections_calls_and_the_store() {
    let spec = "  operators:\n    - { name: admin, role: admin }\n    - { name: oncall, role: viewer }\n  limits: { maxConnections: 16, maxMessageSize: 4MiB, maxStoreBytes: 1MiB }\n";
    let c = Cluster::start(&manifest("limits", 3, &[], spec), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), crate::support::cluster::healthy);
    let addr = listen(&c, "n1");

    // Idle TCP connections fill n1's slots; past them a new one is closed at once (well
    // before the 5 s handshake timeout) and counted.
    let mut idle = Vec::new();
    while refusals(&c, "n1", "connection_limit") == 0 {
        assert!(
            idle.len() < 64,
            "n1 never refused a connection past maxConnections 16"
        );
        idle.push(std::net::TcpStream::connect(&addr).unwrap());
    }
    let mut extra = std::net::TcpStream::connect(&addr).unwrap();
    extra
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let mut buf = [0u8; 1];
    assert_eq!(
        extra.read(&mut buf).expect("closed, not left waiting"),
        0,
        "a connection past the limit is closed at once"
    );
    // Raft between the nodes kept its connections: the mesh still commits.
    c.x0t(&["kv", "put", "during", "flood"]).ok();
    // The node raised its descriptor limit as far as the hard limit allows, so the
    // connection limit, not the kernel, decides when it stops accepting.
    let pid = c.node("n1").pid().unwrap();
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let files: Vec<&str> = (limits.lines())
        .find(|l| l.starts_with("Max open files"))
        .unwrap()
        .split_whitespace()
        .skip(3)
        .take(2)
        .collect();
    assert_eq!(
        files[0], files[1],
        "soft and hard descriptor limits: {files:?}"
    );
    drop(idle);
    c.wait_status(Duration::from_secs(20), crate::support::cluster::healthy);

    // A viewer's oversized raft message is refused for who sent it, unread: without the
    // gate the node would have buffered it and refused it for its size.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = rt.enter();
    let viewer = {
        use x0tta6bl4::engine::bundle::OperatorBundle;
        use x0tta6bl4::engine::state::StateDir;
        OperatorBundle::from_state(&StateDir::new(c.env.state("")), "oncall")
            .unwrap()
            .creds
    };
    let mut client = raft_client_with(&c, viewer, "n1");
    let big = x0tta6bl4::engine::rpc::pb::Blob {
        data: vec![b'x'; 5 << 20],
    };
    let status = rt.block_on(client.append_entries(big)).unwrap_err();
    assert_eq!(status.code(), tonic::Code::PermissionDenied, "{status:?}");
    assert!(
        status
            .message()
            .contains("operator oncall may not send raft messages"),
        "{status:?}"
    );

    // The store quota: 100 KiB values fill 1 MiB after about ten puts; the next is refused
    // with a reason and raises the alarm; deletes make room again and clear it.
    let admin = as_admin(&c);
    let value = vec![b'v'; 100 << 10];
    let mut stored = 0;
    let refusal = loop {
        match rt.block_on(admin.put(&format!("big/{stored}"), value.clone())) {
            Ok(_) => stored += 1,
            Err(e) => break e.to_string(),
        }
        assert!(stored < 20, "20 puts of 100 KiB passed a 1 MiB quota");
    };
    assert!((8..=10).contains(&stored), "{stored} puts before the quota");
    assert!(
        refusal.contains("store quota exceeded") && refusal.contains("spec.limits.maxStoreBytes"),
        "{refusal}"
    );
    let alarms = |c: &Cluster| -> f64 {
        ["n1", "n2", "n3"]
            .iter()
            .map(|n| sample(&c.metrics(n), "x0t_store_quota_alarm", ""))
            .sum()
    };
    assert!(alarms(&c) >= 1.0, "no node raised the quota alarm");
    // Small writes that do not grow the store, and deletes, still pass.
    rt.block_on(admin.put("big/0", value.clone())).unwrap();
    for i in 0..3 {
        rt.block_on(admin.delete(&format!("big/{i}"))).unwrap();
    }
    rt.block_on(admin.put("after", b"room".to_vec())).unwrap();
    for n in ["n1", "n2", "n3"] {
        c.wait_metrics(n, |m| sample(m, "x0t_store_quota_alarm", "") == 0.0);
    }
    // Every node publishes the size it applied: about seven values of 100 KiB now.
    let m = c.wait_metrics("n1", |m| {
        let used = sample(m, "x0t_store_bytes", "");
        used > 500_000.0 && used < 1_048_576.0 * 0.95
    });
    assert_eq!(sample(&m, "x0t_store_quota_bytes", ""), 1_048_576.0);
}

fn blob<T: serde::Serialize>(v: &T) -> x0tta6bl4::engine::rpc::pb::Blob {
    x0tta6bl4::engine::rpc::pb::Blob {
        data: serde_json::to_vec(v).unwrap(),
    }
}

#[test]
fn raft_messages_are_bound_to_their_sender() {
    let names = ["n1", "n2", "n3", "relay"];
    let c = Cluster::start(&manifest("rbind", 3, &[("relay", "relay")], ""), &names);
    let before = c.wait_status(Duration::from_secs(20), crate::support::cluster::healthy);
    let term = before["nodes"][0]["term"].as_u64().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let _in_runtime = rt.enter();
    let roster: serde_json::Value =
        serde_json::from_slice(&std::fs::read(c.env.state("roster.json")).unwrap()).unwrap();
    let id = |n: &str| {
        roster["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == n)
            .unwrap()["raftId"]
            .as_u64()
            .unwrap()
    };
    let vote = |candidate: u64| openraft::raft::VoteRequest::<u64> {
        vote: openraft::Vote::new(term + 50, candidate),
        last_log_id: None,
    };
    let refused =
        |r: Result<tonic::Response<x0tta6bl4::engine::rpc::pb::Blob>, tonic::Status>| match r {
            Ok(_) => panic!("the raft message was accepted"),
            Err(s) => s.message().to_string(),
        };

    // A relay holds a valid node credential but takes no part in Raft.
    let mut relay = raft_client_as(&c, "relay", "n1");
    let e = refused(rt.block_on(relay.vote(blob(&vote(id("relay"))))));
    assert!(e.contains("node relay is a relay"), "{e}");

    // A voter may not campaign, lead or send snapshots in another node's name.
    let mut n3 = raft_client_as(&c, "n3", "n1");
    let e = refused(rt.block_on(n3.vote(blob(&vote(id("n2"))))));
    assert!(
        e.contains(&format!(
            "node n3 is raft id {}, its message speaks for raft id {}",
            id("n3"),
            id("n2")
        )),
        "{e}"
    );

    // A snapshot chunk far past the bytes received would make n1 zero-fill the gap.
    let chunk = serde_json::json!({
        "vote": openraft::Vote::new(term + 50, id("n3")),
        "meta": {
            "last_log_id": null,
            "last_membership": { "log_id": null, "membership": { "configs": [], "nodes": {} } },
            "snapshot_id": "forged"
        },
        "offset": 1u64 << 36,
        "data": [1, 2, 3],
        "done": false
    });
    let e = refused(rt.block_on(n3.install_snapshot(blob(&chunk))));
    assert!(e.contains("leaves a gap after byte 0"), "{e}");

    // A node's memory holds its secret keys: it writes no core file and refuses ptrace.
    let pid = c.node("n1").pid().unwrap();
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert_eq!(
        core.split_whitespace().skip(4).take(2).collect::<Vec<_>>(),
        ["0", "0"],
        "{core}"
    );

    // None of it moved the cluster: same leader, same term.
    let after = c.wait_status(Duration::from_secs(10), crate::support::cluster::healthy);
    assert_eq!(after["leader"], before["leader"]);
    assert_eq!(after["nodes"][0]["term"].as_u64().unwrap(), term);
}

/// Secret key bytes live in buffers that are overwritten when dropped (a compile-time check
/// of the types that hold them, and of what dropping one does).
#[test]
fn secret_key_material_is_zeroized_on_drop() {
    use x0tta6bl4::engine::util::Secret;
    fn holds_secret<T>(_: fn(&T) -> &Secret) {}
    holds_secret::<x0tta6bl4::engine::pqc::KeyPair>(|k| &k.secret);
    holds_secret::<x0tta6bl4::engine::pqc::KeyFile>(|k| &k.bytes);
    holds_secret::<x0tta6bl4::engine::bundle::Credentials>(|c| &c.dsa_secret);
    holds_secret::<x0tta6bl4::engine::snapshot::Signer>(|s| &s.secret);
    holds_secret::<x0tta6bl4::engine::snapshot::seal::Opener>(|o| &o.secret);
    // The PEM of the CA, intermediate, SVID and JWT keys, as issued, loaded and written.
    use x0tta6bl4::engine::util::SecretText;
    fn holds_text<T>(_: fn(&T) -> &SecretText) {}
    holds_text::<x0tta6bl4::engine::identity::Issued>(|i| &i.key_pem);
    holds_text::<x0tta6bl4::engine::bundle::WorkloadCa>(|c| &c.key_pem);
    use zeroize::Zeroize;
    let mut s: Secret = vec![7u8; 32].into();
    s.zeroize();
    assert!(s.is_empty(), "zeroize clears the buffer");
}
