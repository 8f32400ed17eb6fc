//! plan / apply / drift: the convergence loop, its reasons, and idempotence.

use crate::support::{golden, mask, tree_hashes, Env, QUICKSTART};

#[test]
fn fresh_plan_creates_everything_and_is_golden() {
    let env = Env::quickstart();
    let out = env.x0t(&["plan", "--detailed-exitcode"]);
    out.code(2);
    golden("plan/fresh.txt", &out.stdout);
    // Without the flag, changes still exit 0.
    env.x0t(&["plan"]).ok();
    assert!(
        !env.state("").exists(),
        "plan must not create the state directory"
    );
}

#[test]
fn apply_is_idempotent() {
    let env = Env::quickstart();
    let out = env.x0t(&["apply", "--auto-approve"]);
    out.ok();
    assert!(out.stderr.contains("28 created"), "{}", out.stderr);
    let before = tree_hashes(&env.state(""));
    let again = env.x0t(&["apply", "--auto-approve"]);
    again.ok();
    assert!(again.stdout.contains("No changes."), "{}", again.stdout);
    env.x0t(&["plan", "--detailed-exitcode"]).ok();
    let mut after = tree_hashes(&env.state(""));
    // Only the lock file's holder line may change.
    after.remove(".lock");
    let mut before = before;
    before.remove(".lock");
    assert_eq!(before, after, "a second apply rewrote files");
}

#[test]
fn private_keys_are_0600_and_dirs_0700() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::applied();
    for (rel, _) in tree_hashes(&env.state("")) {
        let mode = std::fs::metadata(env.state(&rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        if rel.ends_with(".key") || rel.starts_with("state.json") {
            assert_eq!(mode, 0o600, "{rel} is {mode:o}");
        } else if rel != ".lock" {
            assert_eq!(mode & 0o022, 0, "{rel} is writable by others");
        }
    }
    let dir_mode = std::fs::metadata(env.state("nodes/n1"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(dir_mode, 0o700);
}

#[test]
fn drift_finds_deleted_edited_and_loosened_files() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::applied();
    env.x0t(&["drift"]).ok();
    std::fs::remove_file(env.state("nodes/n2/kem.key")).unwrap();
    std::fs::write(env.state("nodes/n3/node.json"), "{}\n").unwrap();
    std::fs::set_permissions(
        env.state("nodes/n1/svid.key"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let out = env.x0t(&["drift"]);
    out.code(3);
    golden("drift/three.txt", &mask(&out.stdout, None));
    let plan = env.x0t(&["plan", "--detailed-exitcode"]);
    plan.code(2);
    golden("plan/after-drift.txt", &plan.stdout);
    env.x0t(&["apply", "--auto-approve"]).ok();
    env.x0t(&["drift"]).ok();
    env.x0t(&["plan", "--detailed-exitcode"]).ok();
}

#[test]
fn replaced_svid_is_detected() {
    let env = Env::applied();
    // An SVID swapped for another node's: present, parseable, but wrong.
    std::fs::copy(
        env.state("nodes/n2/svid.crt"),
        env.state("nodes/n1/svid.crt"),
    )
    .unwrap();
    let out = env.x0t(&["drift"]);
    out.code(3);
    assert!(out.stdout.contains("nodes/n1/svid.crt") && out.stdout.contains("content changed"));
    let plan = env.x0t(&["plan"]).stdout;
    assert!(plan.contains("-/+ node.n1.svid"), "{plan}");
}

#[test]
fn svid_renewal_and_key_rotation_follow_the_clock() {
    let env = Env::applied();
    let json = env.x0t(&["identity", "show", "n1", "-o", "json"]).json();
    let not_after = time::OffsetDateTime::parse(
        json["certificate"]["notAfter"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let at = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    // 3h before expiry with renewBefore 8h: renew every SVID, keep the keys.
    let soon = at(not_after - time::Duration::hours(3));
    let out = env.x0t_env(&["plan"], &[("X0T_NOW", &soon)]);
    assert!(
        crate::support::squeeze(&out.stdout)
            .contains("-/+ node.n1.svid svid expires in 3h, renewBefore is 8h"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("node.n1.kem"), "{}", out.stdout);
    // 31 days on: keys are past rotateEvery (720h) and SVIDs have expired.
    let later = at(not_after + time::Duration::days(30));
    let out = env.x0t_env(&["plan"], &[("X0T_NOW", &later)]);
    assert!(
        out.stdout.contains("key is 31d old, rotateEvery is 720h"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("svid expired 30d ago"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("public keys of node n1 change"),
        "{}",
        out.stdout
    );
    let old_dsa = std::fs::read_to_string(env.state("nodes/n1/dsa.pub")).unwrap();
    env.x0t_env(&["apply", "--auto-approve"], &[("X0T_NOW", &later)])
        .ok();
    env.x0t_env(&["plan", "--detailed-exitcode"], &[("X0T_NOW", &later)])
        .ok();
    // The retired key stays in the roster as verify-only.
    let roster: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.state("roster.json")).unwrap()).unwrap();
    let n1 = roster["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "n1")
        .unwrap();
    let retired = n1["retiredDsa"].as_array().expect("retired keys kept");
    assert_eq!(retired.len(), 1);
    let old_fp = old_dsa
        .lines()
        .find(|l| l.starts_with("Public-Key-SHA256:"))
        .unwrap()
        .split(':')
        .nth(1)
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(retired[0]["sha256"], old_fp);
}

#[test]
fn manifest_edits_show_as_updates_with_field_reasons() {
    let env = Env::applied();
    env.write_manifest(&QUICKSTART.replace("127.0.0.1:7103", "127.0.0.1:7113"));
    let out = env.x0t(&["plan", "-o", "json"]);
    let plan = out.json();
    let actions = plan["actions"].as_array().unwrap();
    let config = actions
        .iter()
        .find(|a| a["address"] == "node.n3.config")
        .expect("config update");
    assert_eq!(config["action"], "update");
    assert!(
        config["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "listen 127.0.0.1:7103 -> 127.0.0.1:7113"),
        "{config}"
    );
    let roster = actions.iter().find(|a| a["address"] == "roster").unwrap();
    assert_eq!(
        roster["reasons"][0],
        "node n3 address 127.0.0.1:7103 -> 127.0.0.1:7113"
    );
    assert_eq!(
        actions.len(),
        2,
        "only the config and the roster change: {actions:?}"
    );
}

#[test]
fn removed_nodes_are_deleted_only_with_prune_and_ids_never_reused() {
    let env = Env::applied();
    let m = QUICKSTART.replace(
        "name: n3, listen: 127.0.0.1:7103, metrics: 127.0.0.1:9103",
        "name: n4, listen: 127.0.0.1:7104, metrics: 127.0.0.1:9104",
    );
    env.write_manifest(&m);
    let plan = crate::support::squeeze(&env.x0t(&["plan"]).stdout);
    assert!(
        plan.contains("+ node.n4.config new node (raft id 4)"),
        "{plan}"
    );
    assert!(
        plan.contains(
            "- node.n3.svid node n3 is no longer in the manifest (apply --prune deletes it)"
        ),
        "{plan}"
    );
    let out = env.x0t(&["apply", "--auto-approve"]);
    assert!(out.stderr.contains("pass --prune"), "{}", out.stderr);
    assert!(
        env.state("nodes/n3/svid.key").exists(),
        "deleted without --prune"
    );
    env.x0t(&["plan", "--detailed-exitcode"]).code(2);
    env.x0t(&["apply", "--auto-approve", "--prune"]).ok();
    assert!(!env.state("nodes/n3").exists());
    env.x0t(&["plan", "--detailed-exitcode"]).ok();
    // n3 comes back: it gets a new id, never its old one.
    env.write_manifest(&format!(
        "{m}    - {{ name: n3, listen: 127.0.0.1:7103 }}\n"
    ));
    let plan = env.x0t(&["plan", "-o", "json"]).json();
    assert_eq!(plan["raftIds"]["n3"], 5);
    assert_eq!(plan["raftIds"]["n4"], 4);
    assert_eq!(plan["raftIds"]["n1"], 1);
}

#[test]
fn raft_ids_do_not_follow_manifest_order() {
    let env = Env::applied();
    let reordered = QUICKSTART.replace(
        "    - { name: n1, listen: 127.0.0.1:7101, metrics: 127.0.0.1:9101, role: voter }\n",
        "",
    )
        + "    - { name: n1, listen: 127.0.0.1:7101, metrics: 127.0.0.1:9101, role: voter }\n";
    env.write_manifest(&reordered);
    let plan = env.x0t(&["plan", "-o", "json"]).json();
    assert_eq!(plan["raftIds"]["n1"], 1);
    assert_eq!(plan["raftIds"]["n2"], 2);
    assert_eq!(
        plan["actions"].as_array().unwrap().len(),
        0,
        "reordering changes nothing: {plan}"
    );
}

#[test]
fn apply_without_terminal_needs_auto_approve() {
    let env = Env::quickstart();
    let out = env.x0t(&["apply"]);
    out.code(1);
    assert!(
        out.stderr.contains("stdin is not a terminal") && out.stderr.contains("--auto-approve"),
        "{}",
        out.stderr
    );
    assert!(!env.state("state.json").exists());
}

#[test]
fn foreign_ca_is_replaced_only_with_force() {
    let env = Env::quickstart();
    let other = Env::applied();
    std::fs::create_dir_all(env.state("ca")).unwrap();
    std::fs::copy(other.state("ca/ca.crt"), env.state("ca/ca.crt")).unwrap();
    std::fs::copy(other.state("ca/ca.key"), env.state("ca/ca.key")).unwrap();
    let plan = env.x0t(&["plan"]).stdout;
    assert!(plan.contains("apply needs --force"), "{plan}");
    let out = env.x0t(&["apply", "--auto-approve"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("refusing to replace a CA x0t did not create"),
        "{}",
        out.stderr
    );
    assert!(
        !env.state("state.json").exists(),
        "a refused apply wrote state"
    );
    assert_eq!(
        std::fs::read(env.state("ca/ca.crt")).unwrap(),
        std::fs::read(other.state("ca/ca.crt")).unwrap()
    );
    env.x0t(&["apply", "--auto-approve", "--force"]).ok();
    assert_ne!(
        std::fs::read(env.state("ca/ca.crt")).unwrap(),
        std::fs::read(other.state("ca/ca.crt")).unwrap()
    );
}

#[test]
fn trust_domain_change_replaces_the_ca_and_every_svid() {
    let env = Env::applied();
    env.write_manifest(&QUICKSTART.replace(
        "trustDomain: quickstart.x0tta6bl4.mesh",
        "trustDomain: renamed.x0tta6bl4.mesh",
    ));
    let plan = env.x0t(&["plan", "-o", "json"]).json();
    let actions = plan["actions"].as_array().unwrap();
    let ca = actions.iter().find(|a| a["address"] == "ca").unwrap();
    assert_eq!(
        ca["reasons"][0],
        "trust domain changes quickstart.x0tta6bl4.mesh -> renamed.x0tta6bl4.mesh"
    );
    let svids = actions
        .iter()
        .filter(|a| a["type"] == "svid" && a["action"] == "replace")
        .count();
    assert_eq!(svids, 4, "3 nodes and 1 operator");
    env.x0t(&["apply", "--auto-approve"]).ok();
    env.x0t(&["identity", "verify", "n2"]).ok();
}

#[test]
fn other_mesh_state_is_refused() {
    let env = Env::applied();
    env.write_manifest(&QUICKSTART.replace("name: quickstart", "name: other"));
    let out = env.x0t(&["plan"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("belongs to mesh `quickstart`, not `other`"),
        "{}",
        out.stderr
    );
}

#[test]
fn state_dir_flag_and_default_location() {
    let env = Env::quickstart();
    std::fs::create_dir(env.root().join("sub")).unwrap();
    std::fs::rename(
        env.root().join("x0t.yaml"),
        env.root().join("sub/mesh.yaml"),
    )
    .unwrap();
    env.x0t(&["-f", "sub/mesh.yaml", "apply", "--auto-approve"])
        .ok();
    assert!(
        env.root().join("sub/.x0t/state.json").exists(),
        "default state dir is beside the manifest"
    );
    env.x0t(&[
        "-f",
        "sub/mesh.yaml",
        "--state-dir",
        "elsewhere",
        "apply",
        "--auto-approve",
    ])
    .ok();
    assert!(env.root().join("elsewhere/state.json").exists());
    // drift needs only the state directory.
    env.x0t(&["--state-dir", "elsewhere", "drift"]).ok();
}

#[test]
fn up_applies_the_embedded_quickstart() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::support::run_in(dir.path(), &["up", "--no-run"], &[]);
    out.ok();
    assert!(out.stderr.contains("built-in quickstart"), "{}", out.stderr);
    assert!(dir.path().join(".x0t/nodes/n3/svid.crt").exists());
    let again = crate::support::run_in(dir.path(), &["up", "--no-run"], &[]);
    assert!(again.stdout.contains("No changes."), "{}", again.stdout);
}

#[test]
fn large_mesh_apply_works() {
    let env = Env::new(&crate::support::manifest_with_nodes("big", 40, 8000));
    let out = env.x0t(&["apply", "--auto-approve"]);
    out.ok();
    assert!(out.stderr.contains("287 created"), "{}", out.stderr);
    env.x0t(&["plan", "--detailed-exitcode"]).ok();
    env.x0t(&["identity", "verify", "n40"]).ok();
}
