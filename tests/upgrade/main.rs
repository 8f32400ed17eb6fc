//! A rolling upgrade under write load. A 3-node mesh applied and started by the previous
//! release (the binary in `X0T_PREVIOUS`, which `cargo xtask upgrade-test` builds from the
//! commit it names) has its nodes stopped and restarted on this build one at a time,
//! followers first, while a client keeps writing. Every write must succeed, none may be
//! lost, the mesh must keep protocol 2 while an old node remains and move to this build's
//! protocol once none does. Not part of the suite: it needs that second binary.

#[allow(dead_code)]
#[path = "../it/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::time::Duration;

use support::cluster::{healthy, manifest, with_writer, Cluster};

fn previous_binary() -> PathBuf {
    let path = std::env::var_os("X0T_PREVIOUS").map(PathBuf::from).expect(
        "X0T_PREVIOUS names the previous release's x0t; run this test through `cargo xtask upgrade-test`",
    );
    assert!(path.is_file(), "{} is not a file", path.display());
    path
}

fn node_field<'a>(status: &'a serde_json::Value, node: &str) -> &'a serde_json::Value {
    status["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == node)
        .unwrap()
}

#[test]
fn a_mesh_upgrades_one_node_at_a_time_under_write_load() {
    let previous = previous_binary();
    let current = PathBuf::from(env!("CARGO_BIN_EXE_x0t"));
    let names = ["n1", "n2", "n3"];
    let mut c = Cluster::start_from(&manifest("upgrade", 3, &[], ""), &names, &previous);
    let root = c.env.root().to_path_buf();
    let status = c.wait_status(Duration::from_secs(20), healthy);
    let leader = status["leader"].as_str().unwrap().to_string();
    // Followers first, the leader last: one leader change in all.
    let mut order: Vec<&str> = names.iter().copied().filter(|n| *n != leader).collect();
    order.push(&leader);

    // Writes made by the test itself at each step, on top of the writer's.
    let mut checked = Vec::new();
    let ((), ok, failed) = with_writer(&root, 20, || {
        for (i, node) in order.iter().enumerate() {
            c.set_exe(&current);
            c.terminate(node);
            if i + 1 == order.len() {
                // The old leader is down: the upgraded nodes elect one of their own, which
                // still writes nothing an old node could not read (the stopped node last
                // said it speaks only protocol 2).
                let status = c.wait_status(Duration::from_secs(30), |s| {
                    s["leader"].as_str().is_some_and(|l| l != *node)
                });
                assert_eq!(status["meshProtocol"], 2, "{status:#}");
                c.x0t(&["snapshot", "create"]).ok();
                let audit = c.x0t(&["audit", "-o", "json"]).ok().json();
                assert!(
                    !audit["records"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|r| r["action"] == "snapshot"),
                    "a protocol-3 record was written while an old node remains: {audit:#}"
                );
            }
            c.restart(node);
            let status = c.wait_status(Duration::from_secs(30), |s| {
                healthy(s) && node_field(s, node)["protocols"]["max"] == 3
            });
            if i + 1 < order.len() {
                // An old node remains: the mesh keeps the protocol it reads.
                assert_eq!(node_field(&status, node)["meshProtocol"], 2, "{status:#}");
            }
            for k in 0..5 {
                let key = format!("step{i}-{k}");
                c.x0t(&["kv", "put", &key, "v"]).ok();
                checked.push(key);
            }
        }
    });
    assert!(
        failed.is_empty(),
        "writes failed during the upgrade: {failed:#?}"
    );
    assert!(ok > 20, "only {ok} writes");
    eprintln!("{ok} writes acknowledged during the upgrade, none failed");

    // Every node on this build: the leader raises the mesh's protocol.
    let status = c.wait_status(Duration::from_secs(20), |s| {
        healthy(s) && s["meshProtocol"] == 3
    });
    for n in names {
        assert_eq!(node_field(&status, n)["protocols"]["min"], 2, "{status:#}");
        assert_eq!(node_field(&status, n)["version"], env!("CARGO_PKG_VERSION"));
    }

    // No acknowledged write is lost: w0..w{ok-1} each succeeded in turn.
    let list = c.x0t(&["kv", "list", "w", "-o", "json"]);
    let listed: std::collections::HashSet<String> = list.json()["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", list.stdout))
        .iter()
        .map(|k| k["key"].as_str().unwrap().to_string())
        .collect();
    for i in 0..ok {
        assert!(
            listed.contains(&format!("w{i}")),
            "acknowledged write w{i} lost"
        );
    }

    // What protocol 3 allows is now written: a snapshot taken on request is audited.
    c.x0t(&["snapshot", "create"]).ok();
    let audit = c.x0t(&["audit", "-o", "json"]).json();
    let actions: Vec<&str> = audit["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"snapshot"), "{audit:#}");
    c.kill_all();
}
