//! Raft snapshots on real clusters: taken by policy and on demand, shipped to a follower that
//! fell behind, saved to signed files that verify, and refused when damaged or foreign.

use std::path::Path;
use std::time::Duration;

use crate::cluster::{manifest, Cluster};
use crate::support::Env;

fn healthy(j: &serde_json::Value) -> bool {
    j["healthy"] == true
}

fn snapshot_manifest(name: &str, every: u64) -> String {
    manifest(name, 3, &[], "").replace("snapshotEvery: 10000", &format!("snapshotEvery: {every}"))
}

fn leader(c: &Cluster) -> String {
    let s = c.wait_status(Duration::from_secs(20), healthy);
    s["leader"].as_str().unwrap().to_string()
}

#[test]
fn snapshots_are_taken_on_demand_saved_signed_and_verified() {
    let c = Cluster::start(&snapshot_manifest("snaps", 10_000), &["n1", "n2", "n3"]);
    let leader = leader(&c);
    for i in 0..5 {
        c.x0t(&["kv", "put", &format!("app/k{i}"), "v"]).ok();
    }
    let created = c.x0t(&["snapshot", "create", "-o", "json"]);
    let created = created.ok().json();
    assert_eq!(created["node"], leader.as_str());
    assert!(created["index"].as_u64().unwrap() >= 6, "{created}");
    assert!(created["size"].as_u64().unwrap() > 0);
    let listed = c.x0t(&["snapshot", "list", "-o", "json"]).ok().json();
    let ids: Vec<&str> = listed["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&created["id"].as_str().unwrap()), "{listed}");

    let saved = c
        .x0t(&["snapshot", "save", "a.snap", "-o", "json"])
        .ok()
        .json();
    assert_eq!(saved["header"]["node"], leader.as_str());
    assert_eq!(saved["verified"]["signer"], leader.as_str());
    assert_eq!(
        saved["header"]["membership"]["voters"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // Written after the save: not in the file.
    c.x0t(&["kv", "put", "late", "v"]).ok();
    let inspected = c
        .x0t(&["snapshot", "inspect", "a.snap", "-o", "json"])
        .ok()
        .json();
    assert_eq!(inspected["summary"]["prefixes"]["app/"]["keys"], 5);
    assert!(inspected["summary"]["prefixes"].get("late").is_none());
    let mode = std::fs::metadata(c.env.root().join("a.snap")).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777,
        0o600
    );

    // Any node can be asked; the file is then signed by that node.
    let follower = if leader == "n1" { "n2" } else { "n1" };
    let other = c.x0t(&[
        "snapshot", "save", "b.snap", "--node", follower, "-o", "json",
    ]);
    assert_eq!(other.ok().json()["verified"]["signer"], follower);
    c.x0t(&["snapshot", "verify", "b.snap"]).ok();

    refuses_damaged_and_foreign_files(c.env.root(), &leader);
}

/// Every kind of bad file is refused by `verify` with its reason, exit 1.
fn refuses_damaged_and_foreign_files(root: &Path, signer: &str) {
    let good = std::fs::read(root.join("a.snap")).unwrap();
    let header_len = u32::from_be_bytes(good[8..12].try_into().unwrap()) as usize;
    let header = std::str::from_utf8(&good[12..12 + header_len]).unwrap();
    let mut cases: Vec<(&str, Vec<u8>, &str)> = Vec::new();
    cases.push(("truncated", good[..good.len() - 100].to_vec(), "truncated"));
    let mut flipped = good.clone();
    flipped[12 + header_len + 10] ^= 0x20;
    cases.push(("flipped payload byte", flipped, "payload is altered"));
    let mut sig = good.clone();
    let n = sig.len();
    sig[n - 5] ^= 0x01;
    cases.push(("bad signature", sig, "does not verify"));
    let mut future = good.clone();
    let at = 12 + header.find("\"formatVersion\":1").unwrap() + "\"formatVersion\":".len();
    future[at] = b'9';
    cases.push((
        "future version",
        future,
        "unsupported snapshot format version 9",
    ));
    let mut signed_header = good.clone();
    let at = 12 + header.find("\"index\":").unwrap() + "\"index\":".len();
    signed_header[at] = if signed_header[at] == b'9' {
        b'8'
    } else {
        b'9'
    };
    cases.push(("edited header", signed_header, "does not verify"));
    cases.push(("not a snapshot", b"hello".to_vec(), "bad magic"));
    for (what, bytes, reason) in &cases {
        std::fs::write(root.join("bad.snap"), bytes).unwrap();
        let out = crate::support::run_in(root, &["snapshot", "verify", "bad.snap"], &[]);
        assert_eq!(out.code, 1, "{what}: {}", out.stdout);
        assert!(out.stderr.contains(reason), "{what}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{what}: {}", out.stderr);
    }

    // Another mesh's roster: wrong mesh.
    let other = Env::applied();
    let out = crate::support::run_in(
        root,
        &[
            "snapshot",
            "verify",
            "a.snap",
            "--state-dir",
            other.state("").to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("is of mesh snaps"), "{}", out.stderr);

    // A roster where the signer's key is retired still verifies; one without the key does not.
    let roster_path = root.join(".x0t/roster.json");
    let original = std::fs::read_to_string(&roster_path).unwrap();
    let mut roster: serde_json::Value = serde_json::from_str(&original).unwrap();
    let nodes = roster["nodes"].as_array_mut().unwrap();
    let me = nodes.iter().position(|n| n["name"] == signer).unwrap();
    let donor = nodes[(me + 1) % nodes.len()]["dsa"].clone();
    let mine = std::mem::replace(&mut nodes[me]["dsa"], donor);
    nodes[me]["retiredDsa"] = serde_json::json!([mine]);
    std::fs::write(&roster_path, serde_json::to_vec(&roster).unwrap()).unwrap();
    let out = crate::support::run_in(root, &["snapshot", "verify", "a.snap", "-o", "json"], &[]);
    assert_eq!(out.ok().json()["retiredKey"], true);
    roster["nodes"][me]["retiredDsa"] = serde_json::json!([]);
    std::fs::write(&roster_path, serde_json::to_vec(&roster).unwrap()).unwrap();
    let out = crate::support::run_in(root, &["snapshot", "verify", "a.snap"], &[]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("has no key"), "{}", out.stderr);
    std::fs::write(&roster_path, original).unwrap();
}

#[test]
fn a_follower_that_missed_more_than_snapshot_every_entries_receives_a_snapshot() {
    let mut c = Cluster::start(&snapshot_manifest("laggard", 20), &["n1", "n2", "n3"]);
    let leader = leader(&c);
    let follower = ["n1", "n2", "n3"]
        .into_iter()
        .find(|n| *n != leader)
        .unwrap()
        .to_string();
    c.node(&follower).kill9();
    c.nodes.retain(|n| n.name != follower);
    let mut last = 0;
    for i in 0..50 {
        let out = c.x0t(&[
            "kv",
            "put",
            &format!("k{i}"),
            &format!("v{i}"),
            "-o",
            "json",
        ]);
        last = out.ok().json()["revision"].as_u64().unwrap();
    }
    // The leader snapshotted by policy and purged the log behind it.
    let on_leader = c.x0t(&["snapshot", "list", "--node", &leader, "-o", "json"]);
    let snaps = on_leader.ok().json()["snapshots"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        snaps.iter().any(|s| s["index"].as_u64().unwrap() >= 20),
        "{snaps:?}"
    );
    c.spawn(&follower);
    let back = follower.clone();
    c.wait_status(Duration::from_secs(30), move |j| {
        let nodes = j["nodes"].as_array().unwrap();
        let f = nodes.iter().find(|n| n["node"] == back.as_str()).unwrap();
        healthy(j) && f["appliedIndex"].as_u64().unwrap_or(0) >= last
    });
    let on_follower = c.x0t(&["snapshot", "list", "--node", &follower, "-o", "json"]);
    let snaps = on_follower.ok().json()["snapshots"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        snaps.iter().any(|s| s["index"].as_u64().unwrap() >= 20),
        "the returning follower holds no installed snapshot: {snaps:?}"
    );
    // And its copy is the data: a snapshot saved from it has every key.
    let saved = c.x0t(&[
        "snapshot", "save", "f.snap", "--node", &follower, "-o", "json",
    ]);
    assert_eq!(saved.ok().json()["verified"]["signer"], follower.as_str());
    let inspected = c
        .x0t(&["snapshot", "inspect", "f.snap", "-o", "json"])
        .ok()
        .json();
    assert!(inspected["summary"]["keys"].as_u64().unwrap() >= 50);
}
