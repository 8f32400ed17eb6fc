//! Credential rotation on a live mesh: `keys rotate` and `apply --replace` renew keys,
//! SVIDs and workload CAs while writes keep succeeding; nodes reload without a restart;
//! what the old keys signed or sealed still verifies and opens.

use std::time::Duration;

use crate::support::cluster::{healthy, manifest, with_writer, Cluster};

#[test]
fn rotating_every_credential_of_a_live_mesh_fails_no_request() {
    let mut c = Cluster::start(&manifest("rotate", 3, &[], ""), &["n1", "n2", "n3"]);
    let before = c.wait_status(Duration::from_secs(20), healthy);
    let svid_before = |j: &serde_json::Value, n: &str| -> String {
        j["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["node"] == n)
            .unwrap()["svidNotAfter"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let old_expiry: Vec<String> = ["n1", "n2", "n3"]
        .iter()
        .map(|n| svid_before(&before, n))
        .collect();
    // Signed and sealed before the rotation.
    c.x0t(&["kv", "put", "pre", "1"]).ok();
    // n1 sets up a data-plane session to n3 with the keys of the moment.
    c.x0t(&["send", "n3", "before", "--via", "n1"]).ok();
    c.x0t(&["snapshot", "save", "old.snap"]).ok();
    c.x0t(&["snapshot", "save", "old.sealed", "--encrypt-to", "admin"])
        .ok();

    // A writer runs throughout, and a little after the switch; every write must succeed.
    let root = c.env.root().to_path_buf();
    let ((), ok, failed) =
        with_writer(&root, 5, || {
            let out = c.x0t(&["keys", "rotate", "--all", "--auto-approve"]);
            out.ok();
            assert!(out.stdout.contains("-/+ node.n1.dsa"), "{}", out.stdout);
            let svids: Vec<String> = ["n1", "n2", "n3"]
                .iter()
                .flat_map(|n| {
                    [
                        "--replace".to_string(),
                        format!("node.{n}.svid"),
                        "--replace".to_string(),
                        format!("node.{n}.intermediate"),
                    ]
                })
                .collect();
            let mut args = vec!["apply", "--auto-approve"];
            args.extend(svids.iter().map(|s| s.as_str()));
            // Reload lines from before this apply (the key rotation above) do not count.
            let marks: Vec<usize> = ["n1", "n2", "n3"]
                .iter()
                .map(|n| c.node(n).log_len())
                .collect();
            c.x0t(&args).ok();
            // Every node reloads its new SVID and switches to its new ML-DSA key in place.
            for (n, mark) in ["n1", "n2", "n3"].into_iter().zip(marks) {
                let node = c.node(n);
                assert!(
                    node.wait_line(
                        "switched to the rotated ML-DSA key",
                        Duration::from_secs(20)
                    )
                    .is_some(),
                    "{n} never switched keys:\n{}",
                    node.log().join("\n")
                );
                assert!(
                    node.wait_line_after(mark, "reloaded credentials", Duration::from_secs(20))
                        .is_some(),
                    "{n} never reloaded its new SVID:\n{}",
                    node.log().join("\n")
                );
            }
            // New handshakes with the new credentials: a fresh status sees renewed SVIDs.
            let old = old_expiry.clone();
            c.wait_status(Duration::from_secs(20), move |j| {
                healthy(j)
                    && ["n1", "n2", "n3"].iter().zip(&old).all(|(n, o)| {
                        j["nodes"].as_array().unwrap().iter().any(|x| {
                            x["node"] == *n && x["svidNotAfter"].as_str() != Some(o.as_str())
                        })
                    })
            });
        });
    assert!(
        failed.is_empty(),
        "{} writes failed during rotation: {failed:?}",
        failed.len()
    );
    assert!(ok >= 5);
    // No node restarted.
    c.assert_no_restarts();
    // Sessions follow the rotation without restarts: a message from n1 arrives at n3, and
    // still does once n3, restarted, holds only its new ML-KEM key.
    c.x0t(&["send", "n3", "after", "--via", "n1"]).ok();
    c.restart("n3");
    c.x0t(&["send", "n3", "restarted", "--via", "n1"]).ok();
    let inbox = c.x0t(&["recv", "--node", "n3", "--max", "10", "-o", "json"]);
    let data = inbox.message_data();
    assert_eq!(data, ["before", "after", "restarted"]);
    // What the old keys signed still verifies; what was sealed to the old key still opens;
    // a new snapshot is signed with the new key.
    c.x0t(&["snapshot", "verify", "old.snap"]).ok();
    c.x0t(&["snapshot", "save", "new.snap"]).ok();
    let new = c
        .x0t(&["snapshot", "inspect", "new.snap", "-o", "json"])
        .ok()
        .json();
    c.x0t(&["snapshot", "verify", "new.snap"]).ok();
    let roster: serde_json::Value =
        serde_json::from_slice(&std::fs::read(c.env.state("roster.json")).unwrap()).unwrap();
    let signer = roster["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == new["header"]["node"])
        .unwrap();
    assert_eq!(new["header"]["signerKey"], signer["dsa"]["sha256"]);
    let out = c.x0t(&["snapshot", "inspect", "old.sealed", "-o", "json"]);
    out.ok();
    assert!(c.env.state("operators/admin/kem-retired").is_dir());
    c.x0t(&["plan", "--detailed-exitcode"]).ok();
    assert_eq!(c.x0t(&["kv", "get", "pre"]).stdout, "1");
}

#[test]
fn replace_accepts_only_replaceable_resources() {
    let env = crate::support::Env::applied();
    let plan = crate::support::squeeze(&env.x0t(&["plan", "--replace", "node.n2.svid"]).stdout);
    assert!(
        plan.contains("-/+ node.n2.svid replacement requested"),
        "{plan}"
    );
    for (addr, want) in [
        ("node.n9.svid", "no resource `node.n9.svid`"),
        ("roster", "derived from the manifest"),
        ("bundle", "derived from the manifest"),
        ("node.n1.banana", "not a resource address"),
    ] {
        let out = env.x0t(&["apply", "--auto-approve", "--replace", addr]);
        out.code(1);
        assert!(out.stderr.contains(want), "{addr}: {}", out.stderr);
    }
}

#[test]
fn a_bad_reload_keeps_the_current_credentials() {
    let c = Cluster::start(&manifest("badreload", 3, &[], ""), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    let state = c.env.state("");
    let n1 = state.join("nodes/n1");
    let original: Vec<(std::path::PathBuf, Vec<u8>)> = ["svid.key", "dsa.key"]
        .iter()
        .map(|f| (n1.join(f), std::fs::read(n1.join(f)).unwrap()))
        .chain(std::iter::once((
            state.join("ca/bundle.crt"),
            std::fs::read(state.join("ca/bundle.crt")).unwrap(),
        )))
        .collect();
    // Each bad file in turn: another node's SVID key (does not match the certificate), a
    // truncated ML-DSA key, a foreign CA as the trust bundle.
    let foreign_ca = x0tta6bl4::engine::identity::generate_ca(
        "elsewhere",
        "elsewhere.mesh",
        Duration::from_secs(3600),
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    let cases: Vec<(&str, std::path::PathBuf, Vec<u8>)> = vec![
        (
            "keeping the current credentials",
            n1.join("svid.key"),
            std::fs::read(state.join("nodes/n2/svid.key")).unwrap(),
        ),
        (
            "keeping the current credentials",
            n1.join("dsa.key"),
            std::fs::read(n1.join("dsa.key")).unwrap()[..200].to_vec(),
        ),
    ];
    for (want, path, bytes) in cases {
        let before = c.node("n1").log_len();
        std::fs::write(&path, bytes).unwrap();
        // The next reload attempt is at most a second away.
        let node = c.node("n1");
        let line = node.wait_line_after(before, want, Duration::from_secs(10));
        assert!(
            line.is_some(),
            "no refusal for {}:\n{}",
            path.display(),
            node.log()[before..].join("\n")
        );
        // Still serving on its old credentials: new connections to it succeed.
        c.x0t(&["kv", "put", "still", "ok"]).ok();
        c.wait_status(Duration::from_secs(10), healthy);
        for (p, b) in &original {
            std::fs::write(p, b).unwrap();
        }
    }
    // A foreign CA as the bundle does not sign the node's SVID: refused too.
    let before = c.node("n1").log_len();
    std::fs::write(state.join("ca/bundle.crt"), foreign_ca.cert_pem).unwrap();
    let node = c.node("n1");
    let line = node.wait_line_after(before, "do not fit", Duration::from_secs(10));
    assert!(
        line.is_some(),
        "foreign bundle accepted:\n{}",
        node.log()[before..].join("\n")
    );
    for (p, b) in &original {
        std::fs::write(p, b).unwrap();
    }
    c.wait_status(Duration::from_secs(20), healthy);
    c.x0t(&["kv", "put", "after", "ok"]).ok();
}

#[test]
fn a_rotation_killed_mid_way_is_finished_by_the_next_command() {
    let env = crate::support::Env::applied();
    let roster_key = |env: &crate::support::Env| -> String {
        let r: serde_json::Value =
            serde_json::from_slice(&std::fs::read(env.state("roster.json")).unwrap()).unwrap();
        r["nodes"][0]["dsa"]["sha256"].as_str().unwrap().to_string()
    };
    let before = roster_key(&env);
    // Killed after the commit point, half of the renames done: the next apply rolls the
    // rotation forward, so keys and roster agree again.
    let out = env.x0t_env(
        &["keys", "rotate", "n1", "--auto-approve"],
        &[("X0T_FAULT", "apply-mid-rename")],
    );
    assert_ne!(out.code, 0, "the fault hook must abort");
    env.x0t(&["drift"]).code(3);
    let out = env.x0t(&["apply", "--auto-approve"]);
    out.ok();
    assert!(
        out.stderr
            .contains("finished an apply that was interrupted"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("No changes."), "{}", out.stdout);
    let after = roster_key(&env);
    assert_ne!(before, after, "the rotation took effect");
    let shown = env.x0t(&["keys", "show", "n1", "-o", "json"]).ok().json();
    assert!(shown.to_string().contains(&after), "{shown}");
    assert!(env.state("nodes/n1/kem-retired").is_dir());
    // Killed before the commit point: nothing changed, the old keys stay.
    let out = env.x0t_env(
        &["keys", "rotate", "n1", "--auto-approve"],
        &[("X0T_FAULT", "apply-before-journal")],
    );
    assert_ne!(out.code, 0);
    assert_eq!(roster_key(&env), after);
    env.x0t(&["plan", "--detailed-exitcode"]).ok();
    let out = env.x0t(&["apply", "--auto-approve"]);
    out.ok();
    assert!(out.stdout.contains("No changes."), "{}", out.stdout);
    assert_eq!(roster_key(&env), after);
    env.x0t(&["drift"]).ok();
}

#[test]
fn an_apply_from_a_stale_copy_of_the_state_directory_is_refused() {
    let c = Cluster::start(&manifest("stale", 3, &[], ""), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    let copy = std::process::Command::new("cp")
        .args(["-a", ".x0t", "stale"])
        .current_dir(c.env.root())
        .status()
        .unwrap();
    assert!(copy.success());
    // Without the running nodes' Workload API sockets.
    let strip = std::process::Command::new("find")
        .args(["stale", "-type", "s", "-delete"])
        .current_dir(c.env.root())
        .status()
        .unwrap();
    assert!(strip.success());
    // Two applies from the real state directory move the mesh's roster ahead.
    for n in ["n1", "n2"] {
        c.x0t(&["keys", "rotate", n, "--auto-approve"]).ok();
    }
    let live: serde_json::Value =
        serde_json::from_str(&c.x0t(&["kv", "get", "/x0t/roster"]).ok().stdout).unwrap();
    // The copy would publish an older roster, without n1's and n2's new keys: refused, and
    // nothing is written to the copy.
    // Everything but the lock file, which names its last holder.
    let files = || {
        let mut t = crate::support::tree_hashes(&c.env.root().join("stale"));
        t.remove(".lock");
        t
    };
    let before = files();
    let out = c.x0t(&[
        "--state-dir",
        "stale",
        "keys",
        "rotate",
        "n3",
        "--auto-approve",
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("stale"), "{}", out.stderr);
    assert!(
        out.stderr.contains("newest state directory"),
        "{}",
        out.stderr
    );
    assert_eq!(files(), before);
    let after: serde_json::Value =
        serde_json::from_str(&c.x0t(&["kv", "get", "/x0t/roster"]).ok().stdout).unwrap();
    assert_eq!(live, after);
    assert!(live["serial"].as_u64() > Some(1), "{live}");
    c.x0t(&["kv", "put", "still", "fine"]).ok();
}
