//! Bundles hold exactly what one node or operator needs: all of it, and nothing more.

use std::collections::BTreeSet;

use crate::support::Env;

fn names(dir: &std::path::Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Every secret in the state directory that belongs to someone else than `keep`.
fn foreign_secrets(env: &Env, keep: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![(
        "ca/ca.key".to_string(),
        std::fs::read(env.state("ca/ca.key")).unwrap(),
    )];
    for dir in ["nodes/n1", "nodes/n2", "nodes/n3", "operators/admin"] {
        if dir == keep {
            continue;
        }
        for f in [
            "svid.key",
            "kem.key",
            "dsa.key",
            "intermediate.key",
            "jwt.key",
        ] {
            let rel = format!("{dir}/{f}");
            if matches!(f, "intermediate.key" | "jwt.key") && dir.starts_with("operators/") {
                continue; // operators sign no workload SVIDs or tokens
            }
            out.push((rel.clone(), std::fs::read(env.state(&rel)).unwrap()));
        }
    }
    out
}

fn assert_contains_none(bundle: &std::path::Path, secrets: &[(String, Vec<u8>)]) {
    for f in names(bundle) {
        let bytes = std::fs::read(bundle.join(&f)).unwrap();
        for (rel, secret) in secrets {
            // Compare the key material itself (the base64 body), not just whole files.
            let body: Vec<u8> = secret
                .split(|b| *b == b'\n')
                .filter(|l| l.len() > 40 && !l.starts_with(b"-----"))
                .flatten()
                .copied()
                .collect();
            let flat: Vec<u8> = bytes.iter().copied().filter(|b| *b != b'\n').collect();
            assert!(
                !flat
                    .windows(body.len().min(64))
                    .any(|w| body.starts_with(w)),
                "{f} contains the secret {rel}"
            );
        }
    }
}

#[test]
fn node_bundle_is_exactly_what_the_node_needs() {
    let env = Env::applied();
    let out = env.x0t(&["bundle", "n2", "--out", "b-n2"]);
    out.ok();
    let dir = env.root().join("b-n2");
    let want: BTreeSet<String> = [
        "svid.crt",
        "svid.key",
        "kem.key",
        "kem.pub",
        "dsa.key",
        "dsa.pub",
        "bundle.crt",
        "node.json",
        "intermediate.crt",
        "intermediate.key",
        "jwt.key",
        "jwt.pub",
        "roster.json",
        "bundle.json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(names(&dir), want);
    // Everything it needs, byte for byte.
    for (f, src) in [
        ("svid.key", "nodes/n2/svid.key"),
        ("dsa.key", "nodes/n2/dsa.key"),
        ("kem.key", "nodes/n2/kem.key"),
        ("jwt.key", "nodes/n2/jwt.key"),
        ("intermediate.key", "nodes/n2/intermediate.key"),
        ("bundle.crt", "ca/ca.crt"),
        ("roster.json", "roster.json"),
        ("node.json", "nodes/n2/node.json"),
    ] {
        assert_eq!(
            std::fs::read(dir.join(f)).unwrap(),
            std::fs::read(env.state(src)).unwrap(),
            "{f}"
        );
    }
    // Nothing it must not have.
    assert_contains_none(&dir, &foreign_secrets(&env, "nodes/n2"));
    use std::os::unix::fs::PermissionsExt;
    for f in [
        "svid.key",
        "kem.key",
        "dsa.key",
        "intermediate.key",
        "jwt.key",
    ] {
        assert_eq!(
            std::fs::metadata(dir.join(f)).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("bundle.json")).unwrap()).unwrap();
    assert_eq!(meta["kind"], "node");
    assert_eq!(meta["files"].as_object().unwrap().len(), 13);
    // The roster names every node with its PQC public keys.
    let roster: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("roster.json")).unwrap()).unwrap();
    assert_eq!(roster["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(roster["nodes"][0]["dsa"]["algorithm"], "ML-DSA-65");
}

#[test]
fn operator_bundle_has_context_and_no_node_secrets() {
    let env = Env::applied();
    env.x0t(&["bundle", "--operator", "admin", "--out", "b-admin"])
        .ok();
    let dir = env.root().join("b-admin");
    let want: BTreeSet<String> = [
        "svid.crt",
        "svid.key",
        "kem.key",
        "kem.pub",
        "dsa.key",
        "dsa.pub",
        "bundle.crt",
        "roster.json",
        "context.json",
        "bundle.json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(names(&dir), want);
    assert_contains_none(&dir, &foreign_secrets(&env, "operators/admin"));
    let ctx: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("context.json")).unwrap()).unwrap();
    assert_eq!(
        ctx["spiffeId"],
        "spiffe://quickstart.x0tta6bl4.mesh/operator/admin"
    );
    assert_eq!(ctx["endpoints"].as_array().unwrap().len(), 3);
    assert_eq!(ctx["endpoints"][0]["address"], "127.0.0.1:7101");
}

#[test]
fn bundle_refuses_bad_targets_and_stale_state() {
    let env = Env::applied();
    std::fs::create_dir(env.root().join("full")).unwrap();
    std::fs::write(env.root().join("full/keep"), "mine").unwrap();
    let out = env.x0t(&["bundle", "n1", "--out", "full"]);
    out.code(1);
    assert!(
        out.stderr.contains("full exists and is not empty"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(env.root().join("full/keep")).unwrap(),
        "mine"
    );
    // A node running from the bundle keeps its data there; --force refreshes the files
    // around it and leaves the data alone.
    std::fs::create_dir_all(env.root().join("full/raft")).unwrap();
    std::fs::write(env.root().join("full/raft/raft.redb"), "node data").unwrap();
    env.x0t(&["bundle", "n1", "--out", "full", "--force"]).ok();
    assert!(!env.root().join("full/keep").exists());
    assert_eq!(
        std::fs::read_to_string(env.root().join("full/raft/raft.redb")).unwrap(),
        "node data"
    );
    let out = env.x0t(&["bundle", "n7", "--out", "x"]);
    out.code(1);
    assert!(out.stderr.contains("no node named `n7`"), "{}", out.stderr);
    std::fs::write(env.state("nodes/n1/node.json"), "{}").unwrap();
    let out = env.x0t(&["bundle", "n1", "--out", "y"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("node.json differs from what was applied"),
        "{}",
        out.stderr
    );
    assert!(
        !env.root().join("y").exists(),
        "a refused bundle left a directory"
    );
    env.x0t(&["bundle", "--out", "z"]).code(1);
}

#[test]
fn a_private_key_others_may_read_is_refused_with_its_path() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::applied();
    let key = env.state("nodes/n1/dsa.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.x0t(&["node", "run", "n1"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("nodes/n1/dsa.key has mode 0644: group or others may read it"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("chmod 600"), "{}", out.stderr);
    // The operator's keys too: the CLI refuses to act with an exposed key.
    let op = env.state("operators/admin/svid.key");
    std::fs::set_permissions(&op, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = env.x0t(&["status"]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("has mode 0640"), "{}", out.stderr);
}
