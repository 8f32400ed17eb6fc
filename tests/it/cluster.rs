//! Multi-node tests: real `x0t node run` processes on 127.0.0.1, each waited on through its
//! readiness line, all killed when the test ends.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use x0tta6bl4::engine::local::NodeProcess;

use crate::support::cluster::{free_ports, healthy, http_get, manifest, tls_connect, Cluster};
use crate::support::{run_in, Env};

#[test]
fn cluster_forms_over_post_quantum_tls_and_replicates() {
    let c = Cluster::start(&manifest("forms", 3, &[], ""), &["n1", "n2", "n3"]);
    let status = c.wait_status(Duration::from_secs(20), healthy);
    let nodes = status["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 3);
    let leaders: Vec<_> = nodes
        .iter()
        .filter(|n| n["raftState"] == "Leader")
        .collect();
    assert_eq!(leaders.len(), 1, "{status}");
    for n in nodes {
        assert_eq!(n["kxGroup"], "X25519MLKEM768", "{n}");
        assert!(n["spiffeId"]
            .as_str()
            .unwrap()
            .starts_with("spiffe://forms.x0tta6bl4.mesh/node/"));
    }
    c.x0t(&["kv", "put", "color", "blue"]).ok();
    let got = c.x0t(&["kv", "get", "color"]);
    got.ok();
    assert_eq!(got.stdout, "blue");
    let json = c.x0t(&["kv", "get", "color", "-o", "json"]).json();
    assert_eq!(json["value"], "blue");
    let missing = c.x0t(&["kv", "get", "nothing"]);
    missing.code(1);
    assert!(
        missing.stderr.contains("key not found"),
        "{}",
        missing.stderr
    );
    // Every node applies the write.
    let rev = json["revision"].as_u64().unwrap();
    let status = c.wait_status(Duration::from_secs(10), |j| {
        j["nodes"].as_array().is_some_and(|ns| {
            ns.iter()
                .all(|n| n["appliedIndex"].as_u64().unwrap_or(0) >= rev)
        })
    });
    // Raft links between nodes negotiated the hybrid group too.
    let leader = status["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["raftState"] == "Leader")
        .unwrap();
    let links = leader["links"].as_array().unwrap();
    assert_eq!(links.len(), 2, "{leader}");
    assert!(
        links
            .iter()
            .all(|l| l["connected"] == true && l["kxGroup"] == "X25519MLKEM768"),
        "{links:?}"
    );
    // The leader counted the write in its RPC, commit and connection metrics; a follower
    // counted the replication stream it serves.
    let name = leader["node"].as_str().unwrap();
    let page = c.metrics(name);
    let sample = |page: &str, family: &str, labels: &[&str]| -> f64 {
        page.lines()
            .filter(|l| {
                l.starts_with(&format!("{family}{{")) || l.starts_with(&format!("{family} "))
            })
            .find(|l| labels.iter().all(|want| l.contains(want)))
            .and_then(|l| l.rsplit(' ').next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {family} {labels:?} in:\n{page}"))
    };
    assert!(
        sample(
            &page,
            "x0t_rpc_requests_total",
            &[r#"method="KvPut""#, r#"code="Ok""#]
        ) >= 1.0
    );
    assert!(
        sample(
            &page,
            "x0t_rpc_duration_seconds_count",
            &[r#"method="KvPut""#]
        ) >= 1.0
    );
    assert!(sample(&page, "x0t_raft_append_duration_seconds_count", &[]) >= 1.0);
    assert!(sample(&page, "x0t_transport_open_connections", &[]) >= 2.0);
    let follower = ["n1", "n2", "n3"].into_iter().find(|n| *n != name).unwrap();
    let page = c.metrics(follower);
    assert!(
        sample(
            &page,
            "x0t_rpc_requests_total",
            &[r#"service="Raft""#, r#"method="AppendStream""#]
        ) >= 1.0
    );
    // Metrics are valid for promtool.
    let body = c.metrics("n1");
    let text = body.split("\r\n\r\n").nth(1).unwrap();
    assert!(text.contains("x0t_raft_term"));
    let mut promtool = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    promtool
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = promtool.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn leader_killed_with_sigkill_loses_no_acknowledged_write() {
    let mut c = Cluster::start(&manifest("failover", 3, &[], ""), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    // Concurrent writers, so the leader batches some of them into shared entries.
    let root = c.env.root().to_path_buf();
    std::thread::scope(|s| {
        for i in 0..20 {
            let root = &root;
            s.spawn(move || {
                let (k, v) = (format!("k{i}"), format!("v{i}"));
                run_in(
                    root,
                    &["kv", "put", &k, &v],
                    &[("X0T_MANIFEST", "x0t.yaml")],
                )
                .ok();
            });
        }
    });
    let status = c.wait_status(Duration::from_secs(5), healthy);
    let leader = status["leader"].as_str().unwrap().to_string();
    c.kill9(&leader);
    let after = c.wait_status(Duration::from_secs(20), |j| {
        j["leader"].as_str().is_some_and(|l| l != leader)
            && j["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["reachable"] == true)
                .count()
                == 2
    });
    assert_ne!(after["leader"], leader.as_str());
    for i in 0..20 {
        let got = c.x0t(&["kv", "get", &format!("k{i}")]);
        got.ok();
        assert_eq!(got.stdout, format!("v{i}"));
    }
    let put = c.x0t(&["kv", "put", "during-outage", "yes", "-o", "json"]);
    put.ok();
    let put: serde_json::Value = serde_json::from_str(&put.stdout).unwrap();
    let after_revision = put["revision"].as_u64().unwrap();
    // The killed node comes back and catches up on what it missed.
    c.forget(&leader);
    c.spawn(&leader);
    let returned = leader.clone();
    c.wait_status(Duration::from_secs(20), move |j| {
        let nodes = j["nodes"].as_array().unwrap();
        let back = nodes
            .iter()
            .find(|n| n["node"] == returned.as_str())
            .unwrap();
        healthy(j)
            && nodes.iter().all(|n| n["lag"] == 0)
            && back["appliedIndex"].as_u64().unwrap_or(0) >= after_revision
    });
}

#[test]
fn sigterm_stops_a_node_gracefully() {
    let mut c = Cluster::start(&manifest("graceful", 3, &[], ""), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    let status = c.terminate("n2");
    assert!(status.success(), "SIGTERM exit: {status:?}");
    assert!(c
        .node("n2")
        .wait_line("stopped", Duration::from_secs(5))
        .is_some());
}

#[test]
fn foreign_identities_and_classical_key_exchange_are_refused() {
    let c = Cluster::start(&manifest("guarded", 3, &[], ""), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    // Clients that trust any server, so that the node's own verdict on them is what we see.
    let listen = {
        let cfg: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(c.env.state("nodes/n1/node.json")).unwrap(),
        )
        .unwrap();
        cfg["listen"].as_str().unwrap().to_string()
    };
    // An operator of another mesh: same names, another CA.
    let other = Env::new(&std::fs::read_to_string(c.env.root().join("x0t.yaml")).unwrap());
    other.x0t(&["apply", "--auto-approve"]).ok();
    let foreign = (
        std::fs::read_to_string(other.state("operators/admin/svid.crt")).unwrap(),
        std::fs::read_to_string(other.state("operators/admin/svid.key")).unwrap(),
    );
    // Signed by the right CA, but for another trust domain, or a name the roster lacks.
    let ca = x0tta6bl4::engine::identity::Ca::load(
        &std::fs::read_to_string(c.env.state("ca/ca.crt")).unwrap(),
        &std::fs::read_to_string(c.env.state("ca/ca.key")).unwrap(),
    )
    .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let other_domain = ca
        .issue_svid(
            "spiffe://elsewhere.x0tta6bl4.mesh/operator/admin",
            "admin",
            Duration::from_secs(3600),
            now,
        )
        .unwrap();
    let stranger = ca
        .issue_svid(
            "spiffe://guarded.x0tta6bl4.mesh/node/n9",
            "n9",
            Duration::from_secs(3600),
            now,
        )
        .unwrap();
    for ((cert, key), reason) in [
        (foreign, "untrusted_chain"),
        (
            (other_domain.cert_pem, other_domain.key_pem.to_string()),
            "wrong_trust_domain",
        ),
        (
            (stranger.cert_pem, stranger.key_pem.to_string()),
            "unknown_identity",
        ),
    ] {
        let err = tls_probe(&listen, &cert, &key);
        assert!(err.is_some(), "{reason}: the node accepted the handshake");
        let metrics = c.metrics("n1");
        let line = format!("x0t_transport_refusals_total{{reason=\"{reason}\",node=\"n1\"}} 1");
        assert!(metrics.contains(&line), "{reason} not counted:\n{metrics}");
    }
    // The CLI of another mesh cannot talk to this one either.
    other
        .x0t(&["bundle", "--operator", "admin", "--out", "ctx"])
        .ok();
    let ctx = other.root().join("ctx");
    let out = c.x0t(&[
        "status",
        "--context",
        ctx.to_str().unwrap(),
        "--timeout",
        "2s",
    ]);
    out.code(2);
    assert!(out.stdout.contains("unreachable"), "{}", out.stdout);

    // A client that offers only classical X25519, with a valid operator certificate.
    let out = Command::new("openssl")
        .args([
            "s_client", "-tls1_3", "-groups", "X25519", "-connect", &listen,
        ])
        .arg("-cert")
        .arg(c.env.state("operators/admin/svid.crt"))
        .arg("-key")
        .arg(c.env.state("operators/admin/svid.key"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("handshake failure"), "openssl said: {text}");
    let metrics = c.metrics("n1");
    assert!(
        metrics.contains("x0t_transport_refusals_total{reason=\"kx_group\",node=\"n1\"} 1"),
        "{metrics}"
    );
}

#[test]
fn viewers_read_but_cannot_write() {
    let ops =
        "  operators:\n    - { name: admin, role: admin }\n    - { name: oncall, role: viewer }\n";
    let c = Cluster::start(&manifest("roles", 3, &[], ops), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    c.x0t(&["kv", "put", "k", "v"]).ok();
    let out = c.x0t(&["kv", "put", "k", "w", "--operator", "oncall"]);
    out.code(1);
    assert!(
        out.stderr.contains("operator oncall has role viewer"),
        "{}",
        out.stderr
    );
    let got = c.x0t(&["kv", "get", "k", "--operator", "oncall"]);
    got.ok();
    assert_eq!(got.stdout, "v");
    // A viewer reads the audit trail: the admin's put is there, the refused one is not.
    let audit = c.x0t(&["audit", "--operator", "oncall"]);
    audit.ok();
    let lines: Vec<&str> = audit
        .stdout
        .lines()
        .filter(|l| l.ends_with("\tk"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", audit.stdout);
    assert!(
        lines[0].contains("\tspiffe://roles.x0tta6bl4.mesh/operator/admin\tput\tk"),
        "{}",
        audit.stdout
    );
    // The CLI also works from an operator bundle, without the state directory.
    c.x0t(&["bundle", "--operator", "admin", "--out", "ctx"])
        .ok();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::rename(c.env.root().join("ctx"), elsewhere.path().join("ctx")).unwrap();
    let out = run_in(
        elsewhere.path(),
        &["kv", "get", "k", "--context", "ctx"],
        &[],
    );
    out.ok();
    assert_eq!(out.stdout, "v");
}

fn tls_probe(addr: &str, cert_pem: &str, key_pem: &str) -> Option<String> {
    use std::io::Read;
    let mut tls = tls_connect(addr, Some((cert_pem, key_pem)));
    let mut buf = [0u8; 1];
    match tls.read(&mut buf) {
        Ok(0) => Some("closed".into()),
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    }
}

#[test]
fn apply_adds_and_removes_a_member_of_a_live_cluster() {
    let m = manifest("grow", 3, &[], "");
    let mut c = Cluster::start(&m, &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    c.x0t(&["kv", "put", "before", "4th"]).ok();
    // A fourth voter on fresh ports.
    let p = free_ports(2);
    let grown = format!(
        "{m}    - {{ name: n4, listen: 127.0.0.1:{}, metrics: 127.0.0.1:{}, role: voter }}\n",
        p[0], p[1]
    );
    c.env.write_manifest(&grown);
    let plan = c.x0t(&["plan", "--detailed-exitcode"]);
    plan.code(2);
    assert!(
        plan.stdout.contains("add-voter (raft id 4)"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("voters n1,n2,n3 -> n1,n2,n3,n4 (tolerates 1 -> 1 failures)"),
        "{}",
        plan.stdout
    );
    let out = c.x0t(&["apply", "--auto-approve"]);
    out.ok();
    assert!(
        out.stderr.contains("membership: add-voter n4"),
        "{}",
        out.stderr
    );
    c.spawn("n4");
    let status = c.wait_status(Duration::from_secs(20), |j| {
        healthy(j)
            && j["voters"].as_array().is_some_and(|v| v.len() == 4)
            && j["nodes"].as_array().unwrap().iter().all(|n| n["lag"] == 0)
    });
    let n4 = status["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == "n4")
        .unwrap()
        .clone();
    assert!(
        n4["appliedIndex"].as_u64().unwrap() >= 2,
        "n4 caught up: {n4}"
    );
    c.x0t(&["plan", "--detailed-exitcode"]).ok();
    // And out again.
    c.env.write_manifest(&m);
    let out = c.x0t(&["apply", "--auto-approve", "--prune"]);
    out.ok();
    assert!(
        out.stderr.contains("membership: remove n4"),
        "{}",
        out.stderr
    );
    let status = c.wait_status(Duration::from_secs(10), |j| {
        healthy(j) && j["voters"].as_array().is_some_and(|v| v.len() == 3)
    });
    assert!(!status["voters"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v == "n4"));
    // The removed node is still running on its old bundle: the others refuse it at once,
    // long before its SVID expires, because apply put it on the replicated deny list (and
    // the replicated roster no longer names it).
    let deadline = Instant::now() + Duration::from_secs(20);
    let refused = |c: &Cluster| {
        ["n1", "n2", "n3"].iter().any(|n| {
            c.metrics(n).lines().any(|l| {
                l.starts_with("x0t_transport_refusals_total{reason=\"revoked\"")
                    && !l.ends_with(" 0")
            })
        })
    };
    while !refused(&c) {
        assert!(
            Instant::now() < deadline,
            "the removed node was never refused"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    c.x0t(&["plan", "--detailed-exitcode"]).ok();
    assert_eq!(c.x0t(&["kv", "get", "before"]).stdout, "4th");
    // Both membership changes are in the replicated audit trail, with who made them.
    let audit = c.x0t(&["audit", "-o", "json"]).ok().json();
    let membership: Vec<(String, String, String)> = audit["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["key"] == "n4")
        .map(|r| {
            let s = |f: &str| r[f].as_str().unwrap().to_string();
            (s("action"), s("actor"), s("detail"))
        })
        .collect();
    let admin = "spiffe://grow.x0tta6bl4.mesh/operator/admin".to_string();
    assert_eq!(
        membership,
        vec![
            (
                "addVoter".to_string(),
                admin.clone(),
                format!("raft id 4 at 127.0.0.1:{}", p[0])
            ),
            ("removeMember".to_string(), admin, "raft id 4".to_string()),
        ],
        "{audit}"
    );
}

#[test]
fn apply_refuses_a_change_that_loses_quorum() {
    let m = manifest("quorum", 3, &[], "");
    let mut c = Cluster::start(&m, &["n1", "n2", "n3"]);
    let status = c.wait_status(Duration::from_secs(20), healthy);
    let leader = status["leader"].as_str().unwrap().to_string();
    // Stop one follower, then try to remove the other one: one reachable voter of two left.
    let followers: Vec<String> = ["n1", "n2", "n3"]
        .iter()
        .filter(|n| **n != leader)
        .map(|n| n.to_string())
        .collect();
    c.kill9(&followers[0]);
    let drop_line = m
        .lines()
        .find(|l| l.contains(&format!("name: {},", followers[1])))
        .unwrap()
        .to_string();
    c.env
        .write_manifest(&m.replace(&format!("{drop_line}\n"), ""));
    let out = c.x0t(&["apply", "--auto-approve", "--prune"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("refusing a membership change that leaves 1 of 2 voters reachable"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    // Nothing was written: the removed node's files are still there.
    assert!(c
        .env
        .state(&format!("nodes/{}/svid.key", followers[1]))
        .exists());
}

#[test]
fn up_runs_every_local_node_and_stops_them_on_ctrl_c() {
    let env = Env::new(&manifest("upmesh", 3, &[], ""));
    let mut up = Command::new(env!("CARGO_BIN_EXE_x0t"));
    up.arg("up")
        .current_dir(env.root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    let mut proc = NodeProcess::spawn("up", up, None).unwrap();
    for n in ["n1", "n2", "n3"] {
        assert!(
            proc.wait_line(&format!("[{n}] ready node={n}"), Duration::from_secs(30))
                .is_some(),
            "{}",
            proc.log().join("\n")
        );
    }
    assert!(
        proc.wait_line("3/3 nodes up, healthy", Duration::from_secs(30))
            .is_some(),
        "{}",
        proc.log().join("\n")
    );
    proc.signal(libc::SIGINT);
    let status = proc.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(proc
        .wait_line("all nodes stopped", Duration::from_secs(5))
        .is_some());
    for n in ["n1", "n2", "n3"] {
        assert!(
            proc.log().iter().any(|l| l == &format!("[{n}] stopped")),
            "{n} did not stop gracefully:\n{}",
            proc.log().join("\n")
        );
    }
    assert!(env.state("nodes/n1/otel.log").exists());
}

#[test]
fn learners_of_the_first_apply_join_and_replicate_without_a_vote() {
    let c = Cluster::start(
        &manifest("learn", 3, &[("l1", "learner")], ""),
        &["n1", "n2", "n3", "l1"],
    );
    c.x0t(&["kv", "put", "k", "v"]).ok();
    let status = c.wait_status(Duration::from_secs(20), |j| {
        healthy(j)
            && j["learners"].as_array().is_some_and(|l| l.len() == 1)
            && j["nodes"].as_array().unwrap().iter().all(|n| n["lag"] == 0)
    });
    assert_eq!(status["learners"][0], "l1");
    assert_eq!(status["voters"].as_array().unwrap().len(), 3);
    let l1 = status["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == "l1")
        .unwrap()
        .clone();
    assert_eq!(l1["raftState"], "Learner", "{l1}");
}

#[test]
fn a_member_that_moves_gets_its_new_address_in_the_raft_membership() {
    let mut c = Cluster::start(&manifest("moving", 3, &[], ""), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    let text = std::fs::read_to_string(c.env.root().join("x0t.yaml")).unwrap();
    let new_port = free_ports(1)[0];
    let moved: String = text
        .lines()
        .map(|l| {
            if l.contains("name: n3,") {
                let re = regex::Regex::new(r"listen: 127\.0\.0\.1:\d+").unwrap();
                re.replace(l, format!("listen: 127.0.0.1:{new_port}").as_str())
                    .into_owned()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    c.env.write_manifest(&moved);
    let plan = c.x0t(&["plan"]);
    assert!(
        plan.stdout.contains("n3           update-address"),
        "{}",
        plan.stdout
    );
    c.x0t(&["apply", "--auto-approve"]).ok();
    // The node restarts on its new address; the others must now dial that one.
    c.terminate("n3");
    c.forget("n3");
    c.spawn("n3");
    for i in 0..5 {
        c.x0t(&["kv", "put", &format!("after-move/{i}"), "v"]).ok();
    }
    let s = c.wait_status(Duration::from_secs(20), |s| {
        s["nodes"].as_array().is_some_and(|nodes| {
            nodes
                .iter()
                .all(|n| n["reachable"] == true && n["lag"] == 0)
        })
    });
    let n3 = s["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == "n3")
        .unwrap();
    assert_eq!(n3["address"], format!("127.0.0.1:{new_port}"));
    let replan = c.x0t(&["plan"]);
    assert!(
        !replan.stdout.contains("update-address"),
        "{}",
        replan.stdout
    );
}

#[test]
fn readyz_answers_200_only_while_the_node_knows_a_leader() {
    let mut c = Cluster::start(&manifest("readyz", 3, &[], ""), &["n1", "n2", "n3"]);
    let s = c.wait_status(Duration::from_secs(20), |s| s["leader"].is_string());
    let leader = s["leader"].as_str().unwrap().to_string();
    let metrics_addr = |c: &Cluster, node: &str| {
        let m = std::fs::read_to_string(c.env.state(&format!("nodes/{node}/node.json"))).unwrap();
        let v: serde_json::Value = serde_json::from_str(&m).unwrap();
        v["metrics"].as_str().unwrap().to_string()
    };
    let wait_ready = |addr: &str, want: &str| {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let r = http_get(addr, "/readyz");
            if r.starts_with(want) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "/readyz never answered {want}: {r}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    for n in ["n1", "n2", "n3"] {
        wait_ready(&metrics_addr(&c, n), "HTTP/1.1 200");
    }
    // Leave one follower alone: it loses its leader and must stop claiming readiness.
    let others: Vec<&str> = ["n1", "n2", "n3"]
        .into_iter()
        .filter(|n| *n != leader)
        .collect();
    let (survivor, dead) = (others[0], others[1]);
    c.kill9(&leader);
    c.kill9(dead);
    let survivor_addr = metrics_addr(&c, survivor);
    wait_ready(&survivor_addr, "HTTP/1.1 503");
    assert!(http_get(&survivor_addr, "/healthz").starts_with("HTTP/1.1 200"));
    // A quorum again: a leader is elected and the survivor is ready again.
    c.forget(dead);
    c.spawn(dead);
    wait_ready(&survivor_addr, "HTTP/1.1 200");
}

#[test]
fn closed_loop_writers_share_one_entry_per_round() {
    const KEYS: usize = 640;
    const CLIENTS: usize = 16;
    let c = Cluster::start(&manifest("gather", 3, &[], ""), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    let keys = KEYS.to_string();
    let clients = CLIENTS.to_string();
    c.x0t(&[
        "bench",
        "fill",
        "--keys",
        &keys,
        "--clients",
        &clients,
        "--value-size",
        "64",
    ])
    .ok();
    let listed = c.x0t(&["kv", "list", "fill/", "-o", "json"]).ok().json();
    let entries = listed["entries"].as_array().unwrap();
    assert_eq!(entries.len(), KEYS);
    // Commands that went out in one raft entry share its revision.
    let revisions: std::collections::BTreeSet<u64> = entries
        .iter()
        .map(|e| e["revision"].as_u64().unwrap())
        .collect();
    // Each writer waits for its reply, so without gathering the writers split into groups
    // that take turns, at most half of them per entry: KEYS / (CLIENTS / 2) entries or more
    // (81 measured). Gathered, about KEYS / CLIENTS (41 measured); a loaded machine that
    // misses some waits lands in between, so the bound only asks for clearly fewer.
    let alternating = KEYS / (CLIENTS / 2);
    assert!(
        revisions.len() * 8 <= alternating * 7,
        "{} entries for {KEYS} writes by {CLIENTS} writers; groups that take turns need {alternating}",
        revisions.len()
    );
}

/// The node of that name in `status -o json`.
fn node_status<'a>(j: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    j["nodes"]
        .as_array()
        .and_then(|ns| ns.iter().find(|n| n["node"] == name))
        .unwrap_or(&serde_json::Value::Null)
}

#[test]
fn local_mesh_pauses_resumes_stops_wipes_and_restarts_a_node() {
    let mut c = Cluster::start(&manifest("local", 3, &[], ""), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    // SIGSTOP: the process stays but stops answering; SIGCONT brings it back as it was.
    c.pause("n3");
    c.wait_status(Duration::from_secs(20), |j| {
        node_status(j, "n3")["reachable"] == false
    });
    c.resume("n3");
    c.wait_status(Duration::from_secs(20), |j| {
        healthy(j) && node_status(j, "n3")["reachable"] == true
    });
    // A graceful stop exits by itself, successfully.
    let status = c.terminate("n3");
    assert!(status.success(), "{status:?}");
    c.x0t(&["kv", "put", "while-n3-was-away", "v"]).ok();
    // Wiped, its raft data is gone; restarted, it comes up again (what a voter that lost
    // its data does to the mesh is for the chaos scenarios to judge).
    let data = c.env.state("nodes/n3/raft");
    assert!(data.exists());
    c.wipe("n3");
    assert!(!data.exists());
    c.restart("n3");
    assert!(data.exists());
    // The engine's own wait (what `bench raft` and chaos runs use) sees a leader again.
    let state = x0tta6bl4::engine::state::StateDir::new(c.env.state(""));
    let op = x0tta6bl4::engine::bundle::OperatorBundle::from_state(&state, "admin").unwrap();
    let client = x0tta6bl4::engine::client::Client::new(op, Duration::from_secs(2)).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let leader = rt
        .block_on(x0tta6bl4::engine::local::wait_leader(
            &client,
            Duration::from_secs(20),
        ))
        .unwrap();
    assert!(["n1", "n2", "n3"].contains(&leader.as_str()), "{leader}");
    // A killed node restarts with the arguments it was started with.
    c.kill9("n2");
    c.restart("n2");
    let got = c.x0t(&["kv", "get", "while-n3-was-away"]);
    got.ok();
    assert_eq!(got.stdout, "v");
}

#[test]
fn a_follower_far_behind_on_large_entries_catches_up() {
    // Entries of 1 MiB values (several MiB each as encoded): a catch-up batch of all of
    // them is far over the 16 MiB message limit and must go out in smaller batches.
    let mut c = Cluster::start(&manifest("bigcatch", 3, &[], ""), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    c.kill9("n3");
    let dir = x0tta6bl4::engine::state::StateDir::new(c.env.state(""));
    let admin = x0tta6bl4::engine::bundle::OperatorBundle::from_state(&dir, "admin").unwrap();
    let client = x0tta6bl4::engine::client::Client::new(admin, Duration::from_secs(30)).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for i in 0..12u8 {
        rt.block_on(client.put(&format!("big/{i}"), vec![i; 1 << 20]))
            .unwrap();
    }
    c.spawn("n3");
    let caught_up = |j: &serde_json::Value| {
        let nodes = j["nodes"].as_array().unwrap();
        let applied = |n: &str| {
            nodes
                .iter()
                .find(|x| x["node"] == n)
                .and_then(|x| x["appliedIndex"].as_u64())
        };
        applied("n3").is_some() && applied("n3") == applied("n1")
    };
    c.wait_status(Duration::from_secs(60), caught_up);
}
