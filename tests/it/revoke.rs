//! Revocation: a revoked node or operator is refused by every node, its open connections
//! are cut, and lifting the revocation lets it back in.

use std::time::{Duration, Instant};

use crate::support::cluster::{healthy, manifest, Cluster};

/// The sum of `x0t_transport_refusals_total{reason="revoked"}` over `nodes`.
fn revoked_refusals(c: &Cluster, nodes: &[&str]) -> f64 {
    nodes
        .iter()
        .map(|n| {
            c.metrics(n)
                .lines()
                .filter(|l| {
                    l.starts_with("x0t_transport_refusals_total")
                        && l.contains("reason=\"revoked\"")
                })
                .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
                .sum::<f64>()
        })
        .sum()
}

#[test]
fn a_revoked_leader_is_cut_off_and_a_lifted_one_rejoins() {
    let c = Cluster::start(&manifest("revoke", 3, &[], ""), &["n1", "n2", "n3"]);
    let status = c.wait_status(Duration::from_secs(20), healthy);
    let leader = status["leader"].as_str().unwrap().to_string();
    let others: Vec<String> = ["n1", "n2", "n3"]
        .iter()
        .filter(|n| **n != leader)
        .map(|n| n.to_string())
        .collect();
    c.x0t(&["kv", "put", "before", "1"]).ok();
    // A snapshot the leader signed before it was revoked.
    c.x0t(&["snapshot", "save", "before.snap", "--node", &leader])
        .ok();

    // Revoke the leader itself: the entry commits through it, then the others cut it off.
    let out = c.x0t(&["revoke", &leader, "--reason", "key compromised"]);
    out.ok();
    assert!(
        out.stderr
            .contains("revoked spiffe://revoke.x0tta6bl4.mesh/node/"),
        "{}",
        out.stderr
    );
    // Every other node closes the revoked leader's connections and refuses its handshakes.
    for n in &others {
        let line = c
            .node(n)
            .wait_line("closing connection", Duration::from_secs(10));
        assert!(
            line.is_some_and(|l| l.contains(&format!("node/{leader}"))),
            "{n} never cut the revoked node off"
        );
    }
    // The others elect a leader of their own and take writes without it.
    let revoked = leader.clone();
    c.wait_status(Duration::from_secs(20), move |j| {
        j["nodes"].as_array().unwrap().iter().any(|n| {
            n["node"] != revoked.as_str()
                && n["leader"].as_str().is_some_and(|l| l != revoked)
                && n["raftState"] == "Leader"
        })
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let others_ref: Vec<&str> = others.iter().map(|s| s.as_str()).collect();
    loop {
        // The revoked node keeps dialing its former followers; they refuse it by name.
        if revoked_refusals(&c, &others_ref) > 0.0 {
            break;
        }
        assert!(Instant::now() < deadline, "no `revoked` refusal counted");
        std::thread::sleep(Duration::from_millis(100));
    }
    let list = c.x0t(&["revoke", "--list", "-o", "json"]);
    list.ok();
    let list: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(list["revoked"][0]["reason"], "key compromised");

    // Its snapshot's own deny list predates the revocation: offline, the file verifies;
    // against the live deny list it does not.
    c.x0t(&["snapshot", "verify", "before.snap"]).ok();
    let live = c.x0t(&["snapshot", "verify", "before.snap", "--live"]);
    live.code(1);
    assert!(
        live.stderr.contains(&format!(
            "signer {leader} is revoked: the mesh's live deny list names it"
        )),
        "{}",
        live.stderr
    );

    // A write during the revocation reaches the two trusted nodes only.
    let put = c.x0t(&["kv", "put", "during", "2", "-o", "json"]);
    put.ok();
    let during: serde_json::Value = serde_json::from_str(&put.stdout).unwrap();
    let during = during["revision"].as_u64().unwrap();

    // Lifting the revocation lets the node back in; it catches up on what it missed.
    c.x0t(&["revoke", &leader, "--undo"]).ok();
    let back = leader.clone();
    c.wait_status(Duration::from_secs(30), move |j| {
        let nodes = j["nodes"].as_array().unwrap();
        let n = nodes.iter().find(|n| n["node"] == back.as_str()).unwrap();
        healthy(j) && n["appliedIndex"].as_u64().unwrap_or(0) >= during
    });
    assert_eq!(c.x0t(&["kv", "get", "during"]).stdout, "2");
    let live = c.x0t(&["snapshot", "verify", "before.snap", "--live", "-o", "json"]);
    assert_eq!(live.ok().json()["liveDenyList"], true, "{}", live.stdout);
}

#[test]
fn a_revoked_operator_is_refused_before_its_svid_expires() {
    let ops =
        "  operators:\n    - { name: admin, role: admin }\n    - { name: ops, role: admin }\n";
    let c = Cluster::start(&manifest("revokeop", 3, &[], ops), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    c.x0t(&["kv", "put", "k", "1", "--operator", "ops"]).ok();
    c.x0t(&["revoke", "operator/ops"]).ok();
    // Every node refuses it: its writes and reads fail while admin's go through.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let out = c.x0t(&[
            "kv",
            "put",
            "k",
            "2",
            "--operator",
            "ops",
            "--timeout",
            "2s",
        ]);
        if out.code == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "ops can still write: {}",
            out.stderr
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    for n in ["n1", "n2", "n3"] {
        let out = c.x0t(&[
            "status",
            "--operator",
            "ops",
            "--timeout",
            "2s",
            "-o",
            "json",
        ]);
        assert_ne!(out.code, 0, "{n}: {}", out.stdout);
    }
    c.x0t(&["kv", "put", "k", "3"]).ok();
    c.x0t(&["revoke", "operator/ops", "--undo"]).ok();
    let deadline = Instant::now() + Duration::from_secs(10);
    while c
        .x0t(&[
            "kv",
            "put",
            "k",
            "4",
            "--operator",
            "ops",
            "--timeout",
            "2s",
        ])
        .code
        != 0
    {
        assert!(Instant::now() < deadline, "ops was never let back in");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(c.x0t(&["kv", "get", "k"]).stdout, "4");
    // A name that is neither a node nor operator/NAME is a usage error.
    let out = c.x0t(&["revoke", "workload/api"]);
    out.code(1);
    assert!(out.stderr.contains("operator/NAME"), "{}", out.stderr);
}
