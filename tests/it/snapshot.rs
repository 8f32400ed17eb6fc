//! Raft snapshots on real clusters: taken by policy and on demand, shipped to a follower that
//! fell behind, saved to signed files that verify, and refused when damaged or foreign.

use std::path::Path;
use std::time::Duration;

use crate::support::cluster::{manifest, Cluster};
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
    // Every node runs this build: the leader records the newest protocol they share, which
    // lets it audit snapshots taken on request.
    // Followers take the record up as they apply it, a moment after the leader.
    let status = c.wait_status(Duration::from_secs(10), |s| {
        s["meshProtocol"] == 3
            && (s["nodes"].as_array()).is_some_and(|ns| ns.iter().all(|n| n["meshProtocol"] == 3))
    });
    for n in status["nodes"].as_array().unwrap() {
        assert_eq!(
            n["protocols"],
            serde_json::json!({"min": 2, "max": 3}),
            "{n}"
        );
        assert_eq!(n["meshProtocol"], 3, "{n}");
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
    let audit = c.x0t(&["audit", "-o", "json"]).ok().json();
    let records = audit["records"].as_array().unwrap();
    let protocol = (records.iter())
        .find(|r| r["key"] == "/x0t/protocol")
        .expect("the protocol change is audited");
    assert_eq!(
        protocol["actor"],
        format!("spiffe://snaps.x0tta6bl4.mesh/node/{leader}")
    );
    let snap = (records.iter())
        .find(|r| r["action"] == "snapshot")
        .unwrap_or_else(|| panic!("no snapshot record: {audit:#}"));
    assert_eq!(snap["key"], leader.as_str());
    assert!(
        snap["actor"].as_str().unwrap().contains("/operator/"),
        "{snap}"
    );
    let id = created["id"].as_str().unwrap();
    assert!(snap["detail"].as_str().unwrap().starts_with(id), "{snap}");

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
    // The node's store and its snapshot files are private to the node's user too.
    let raft = c.env.state(&format!("nodes/{leader}/raft"));
    let mut private = vec![raft.clone(), raft.join("raft.redb"), raft.join("snapshots")];
    private.extend(
        std::fs::read_dir(raft.join("snapshots"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    assert!(private.len() > 1, "{private:?}");
    for p in private {
        let m = std::fs::metadata(&p).unwrap();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o077,
            0,
            "{}",
            p.display()
        );
    }

    // Any node can be asked; the file is then signed by that node.
    let follower = if leader == "n1" { "n2" } else { "n1" };
    let other = c.x0t(&[
        "snapshot", "save", "b.snap", "--node", follower, "-o", "json",
    ]);
    assert_eq!(other.ok().json()["verified"]["signer"], follower);
    c.x0t(&["snapshot", "verify", "b.snap"]).ok();
    // The node signs the hash it took when it built the file and streams the file from disk:
    // a file damaged there since is refused by the CLI, and nothing is written.
    let dir = c.env.state(&format!("nodes/{follower}/raft/snapshots"));
    let newest = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .max_by_key(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .unwrap();
    let mut damaged = std::fs::read(&newest).unwrap();
    *damaged.last_mut().unwrap() ^= 0x01;
    std::fs::write(&newest, damaged).unwrap();
    let out = c.x0t(&["snapshot", "save", "c.snap", "--node", follower]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("payload is altered"), "{}", out.stderr);
    assert!(!c.env.root().join("c.snap").exists());
    assert!(!c.env.root().join("c.snap.part").exists());

    refuses_damaged_and_foreign_files(c.env.root(), &leader);
    sealed_files_open_only_with_the_recipients_key(&c);
}

fn sealed_files_open_only_with_the_recipients_key(c: &Cluster) {
    let root = c.env.root();
    let saved = c.x0t(&[
        "snapshot",
        "save",
        "s.sealed",
        "--encrypt-to",
        "admin",
        "-o",
        "json",
    ]);
    let saved = saved.ok().json();
    assert_eq!(saved["sealed"]["kem"], "ML-KEM-768");
    assert_eq!(saved["sealed"]["aead"], "AES-256-GCM");
    let sealed = std::fs::read(root.join("s.sealed")).unwrap();
    assert!(sealed.starts_with(b"X0TSEAL\n"));
    let plain = std::fs::read(root.join("a.snap")).unwrap();
    let needle = b"app/k0";
    assert!(plain.windows(needle.len()).any(|w| w == needle));
    assert!(
        !sealed.windows(needle.len()).any(|w| w == needle),
        "the sealed file leaks keys in clear"
    );
    // The recipient's key from the state directory opens it.
    let inspected = c
        .x0t(&["snapshot", "inspect", "s.sealed", "-o", "json"])
        .ok()
        .json();
    assert_eq!(inspected["sealed"]["recipient"], "admin");
    assert_eq!(inspected["summary"]["prefixes"]["app/"]["keys"], 5);
    c.x0t(&["snapshot", "verify", "s.sealed"]).ok();
    // Another key is refused before any decryption; a header edited to name that key still
    // cannot open it (the header is bound into the AEAD); a flipped byte is caught.
    let n1_key = c.env.state("nodes/n1/kem.key");
    let out = c.x0t(&[
        "snapshot",
        "verify",
        "s.sealed",
        "--key",
        n1_key.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("sealed to admin"), "{}", out.stderr);
    let admin_fp = saved["sealed"]["recipientKey"]
        .as_str()
        .unwrap()
        .to_string();
    let roster: serde_json::Value =
        serde_json::from_slice(&std::fs::read(c.env.state("roster.json")).unwrap()).unwrap();
    let n1 = roster["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "n1");
    let n1_fp = format!("sha256:{}", n1.unwrap()["kem"]["sha256"].as_str().unwrap());
    assert_eq!(n1_fp.len(), admin_fp.len());
    let text = String::from_utf8_lossy(&sealed[..200]).into_owned();
    assert!(text.contains(&admin_fp));
    let mut forged = sealed.clone();
    let at = sealed
        .windows(admin_fp.len())
        .position(|w| w == admin_fp.as_bytes())
        .unwrap();
    forged[at..at + admin_fp.len()].copy_from_slice(n1_fp.as_bytes());
    let mut flipped = sealed.clone();
    let n = flipped.len();
    flipped[n - 30] ^= 0x01;
    for (name, bytes, key) in [
        ("forged.sealed", forged, Some(n1_key.to_str().unwrap())),
        ("flipped.sealed", flipped, None),
    ] {
        std::fs::write(root.join(name), bytes).unwrap();
        let mut args = vec!["snapshot", "verify", name];
        if let Some(k) = key {
            args.extend(["--key", k]);
        }
        let out = c.x0t(&args);
        assert_eq!(out.code, 1, "{name}");
        assert!(
            out.stderr.contains("cannot open the sealed file"),
            "{name}: {}",
            out.stderr
        );
    }
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
    c.kill9(&follower);
    c.forget(&follower);
    // One writer, so every key is its own entry: 50 entries, past two snapshot points.
    let fill = c.x0t(&[
        "bench",
        "fill",
        "--keys",
        "50",
        "--value-size",
        "64",
        "--clients",
        "1",
        "-o",
        "json",
    ]);
    assert_eq!(fill.ok().json()["keys"], 50);
    let listed = c.x0t(&["kv", "list", "fill/", "-o", "json"]).ok().json();
    assert_eq!(listed["entries"].as_array().unwrap().len(), 50);
    let last = listed["revision"].as_u64().unwrap();
    assert!(last >= 50, "{listed}");
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

/// Every file under `dir` with a hash of its bytes.
fn tree_digest(dir: &Path) -> Vec<(String, u64)> {
    use std::hash::{Hash, Hasher};
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(tree_digest(&path));
        } else {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::fs::read(&path).unwrap().hash(&mut h);
            out.push((path.display().to_string(), h.finish()));
        }
    }
    out.sort();
    out
}

#[test]
fn a_lost_mesh_is_rebuilt_from_one_snapshot_and_bad_restores_touch_nothing() {
    let mut c = Cluster::start(&snapshot_manifest("dr", 10_000), &["n1", "n2", "n3"]);
    leader(&c);
    for i in 0..10 {
        c.x0t(&["kv", "put", &format!("kept/{i}"), "before"]).ok();
    }
    // The backup is sealed to the admin operator; restore opens it with admin's key.
    let saved = c.x0t(&[
        "snapshot",
        "save",
        "dr.snap",
        "--encrypt-to",
        "admin",
        "-o",
        "json",
    ]);
    assert_eq!(saved.ok().json()["sealed"]["recipient"], "admin");
    c.x0t(&["snapshot", "save", "plain.snap"]).ok();
    c.x0t(&["kv", "put", "lost", "after"]).ok();

    // A running node is refused.
    let out = c.x0t(&["snapshot", "restore", "dr.snap", "--node", "n1", "--force"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("n1 is running"), "{}", out.stderr);
    // One stopped node of a mesh that still has a leader is refused: it would roll back.
    c.kill9("n1");
    c.forget("n1");
    let data = c.env.state("nodes/n1/raft");
    let before = tree_digest(&data);
    let out = c.x0t(&["snapshot", "restore", "dr.snap", "--node", "n1", "--force"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("leads it"), "{}", out.stderr);
    assert!(out.stderr.contains("replace the node"), "{}", out.stderr);
    assert_eq!(tree_digest(&data), before);
    // The same from a host that has only n1's bundle (n1's identity asks the mesh).
    c.x0t(&["bundle", "n1", "--out", "n1b"]).ok();
    let admin_key = c.env.state("operators/admin/kem.key");
    let admin_key = admin_key.to_str().unwrap();
    let out = c.x0t(&[
        "snapshot", "restore", "dr.snap", "--bundle", "n1b", "--key", admin_key,
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("leads it"), "{}", out.stderr);
    let out = c.x0t(&[
        "snapshot", "restore", "dr.snap", "--bundle", "n1b", "--node", "n2", "--key", admin_key,
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("bundle of node n1"), "{}", out.stderr);
    assert!(!c.env.root().join("n1b/raft").exists());

    // The whole mesh is lost.
    c.kill_all();
    let out = c.x0t(&["snapshot", "restore", "dr.snap", "--node", "n1"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("already holds raft data"),
        "{}",
        out.stderr
    );
    let dry = c.x0t(&[
        "snapshot",
        "restore",
        "dr.snap",
        "--node",
        "n1",
        "--dry-run",
        "-o",
        "json",
    ]);
    let dry = dry.ok().json();
    assert_eq!(dry["applied"], false);
    // n1 died holding the later write in its log, perhaps before applying it.
    assert!(
        dry["existing"]["lastLogIndex"].as_u64() > dry["snapshot"]["index"].as_u64(),
        "{dry}"
    );
    // A damaged file is refused and the data stays as it was.
    let mut bad = std::fs::read(c.env.root().join("dr.snap")).unwrap();
    let n = bad.len();
    bad[n / 2] ^= 0x04;
    std::fs::write(c.env.root().join("bad.snap"), bad).unwrap();
    let out = c.x0t(&["snapshot", "restore", "bad.snap", "--node", "n1", "--force"]);
    assert_eq!(out.code, 1);
    assert_eq!(tree_digest(&data), before);
    // An unsealed file whose payload was altered inside a value keeps its structure, so the
    // store is built aside while the hash is checked; the mismatch discards it.
    let mut altered = std::fs::read(c.env.root().join("plain.snap")).unwrap();
    let at = altered
        .windows(6)
        .position(|w| w == b"before")
        .expect("a stored value in the payload");
    altered[at] ^= 0x20;
    std::fs::write(c.env.root().join("altered.snap"), altered).unwrap();
    let out = c.x0t(&[
        "snapshot",
        "restore",
        "altered.snap",
        "--node",
        "n1",
        "--force",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("altered.snap") && out.stderr.contains("payload is altered"),
        "{}",
        out.stderr
    );
    assert_eq!(tree_digest(&data), before);
    let leftovers: Vec<_> = std::fs::read_dir(c.env.state("nodes/n1"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restore"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    for n in ["n2", "n3"] {
        std::fs::remove_dir_all(c.env.state(&format!("nodes/{n}/raft"))).unwrap();
        let r = c.x0t(&["snapshot", "restore", "dr.snap", "--node", n, "-o", "json"]);
        let r = r.ok().json();
        assert_eq!(r["applied"], true);
        assert!(r["previousDataDir"].is_null());
    }
    // n1 is rebuilt from its bundle alone, and runs from it.
    let r = c.x0t(&[
        "snapshot", "restore", "dr.snap", "--bundle", "n1b", "--key", admin_key, "-o", "json",
    ]);
    let r = r.ok().json();
    assert_eq!(
        (r["applied"].clone(), r["node"].clone()),
        (true.into(), "n1".into())
    );
    assert!(c.env.root().join("n1b/raft/raft.redb").exists());
    c.spawn_with("n1", &["--bundle", "n1b"]);
    c.spawn("n2");
    c.spawn("n3");
    c.wait_status(Duration::from_secs(30), healthy);
    for i in 0..10 {
        let got = c.x0t(&["kv", "get", &format!("kept/{i}")]);
        assert_eq!(got.ok().stdout, "before");
    }
    // The restored file is the node's snapshot: what it loaded on start and what laggards get.
    let listed = c
        .x0t(&["snapshot", "list", "--node", "n1", "-o", "json"])
        .ok()
        .json();
    let restored_at = dry["snapshot"]["index"].as_u64().unwrap();
    assert!(
        listed["snapshots"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["index"].as_u64() == Some(restored_at)),
        "{listed}"
    );
    let lost = c.x0t(&["kv", "get", "lost"]);
    assert_eq!(
        lost.code,
        1,
        "a write after the snapshot came back: {} {} {}",
        lost.stdout,
        lost.stderr,
        c.x0t(&["status", "-o", "json"]).stdout
    );
    c.x0t(&["kv", "put", "new", "works"]).ok();
}

#[test]
fn a_node_whose_newest_snapshot_is_damaged_starts_from_an_older_one() {
    let m = manifest("damaged", 1, &[], "").replace("snapshotEvery: 10000", "snapshotEvery: 4");
    let mut c = Cluster::start(&m, &["n1"]);
    c.wait_status(Duration::from_secs(20), healthy);
    for i in 0..14 {
        c.x0t(&["kv", "put", &format!("k{i}"), &format!("v{i}")])
            .ok();
    }
    let dir = c.env.state("nodes/n1/raft/snapshots");
    let files = || {
        let mut f: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "snap"))
            .collect();
        // Ids are term-node-index: sort by the index.
        let index = |p: &std::path::PathBuf| -> u64 {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            stem.rsplit('-').next().unwrap().parse().unwrap()
        };
        f.sort_by_key(index);
        f
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while files().len() < 3 {
        assert!(std::time::Instant::now() < deadline, "{:?}", files());
        std::thread::sleep(Duration::from_millis(50));
    }
    c.terminate("n1");
    let newest = files().pop().unwrap();
    let mut bytes = std::fs::read(&newest).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&newest, bytes).unwrap();
    c.restart("n1");
    c.wait_status(Duration::from_secs(20), healthy);
    for i in 0..14 {
        let got = c.x0t(&["kv", "get", &format!("k{i}")]);
        assert_eq!(got.ok().stdout.trim(), format!("v{i}"));
    }
    assert!(
        newest.with_extension("snap.damaged").exists(),
        "the damaged file is moved aside"
    );
    c.kill_all();
}
