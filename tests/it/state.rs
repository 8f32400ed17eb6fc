//! The state directory under stress: crashes mid-apply, concurrent applies, damaged or
//! future `state.json`, and paths that cannot be written.

use std::os::fd::AsRawFd;
use std::time::Instant;

use crate::support::{tree_hashes, Env, QUICKSTART};

fn without_lock(
    mut t: std::collections::BTreeMap<String, String>,
) -> std::collections::BTreeMap<String, String> {
    t.remove(".lock");
    t
}

#[test]
fn apply_killed_before_commit_leaves_previous_state() {
    let env = Env::applied();
    let before = without_lock(tree_hashes(&env.state("")));
    env.write_manifest(&QUICKSTART.replace(
        "trustDomain: quickstart.x0tta6bl4.mesh",
        "trustDomain: moved.x0tta6bl4.mesh",
    ));
    let out = env.x0t_env(
        &["apply", "--auto-approve"],
        &[("X0T_FAULT", "apply-before-journal")],
    );
    assert_ne!(out.code, 0, "the fault hook must abort");
    // Staged files exist but nothing visible changed; the next command discards them.
    let mut after = without_lock(tree_hashes(&env.state("")));
    after.retain(|k, _| !k.starts_with(".staging/"));
    assert_eq!(before, after, "a killed apply changed applied files");
    let drift = env.x0t(&["drift"]);
    drift.code(3);
    assert!(
        drift.stdout.contains("an apply was interrupted"),
        "{}",
        drift.stdout
    );
    env.write_manifest(QUICKSTART);
    let out = env.x0t(&["apply", "--auto-approve"]);
    out.ok();
    assert!(out.stderr.contains("interrupted"), "{}", out.stderr);
    assert_eq!(before, without_lock(tree_hashes(&env.state(""))));
    env.x0t(&["drift"]).ok();
}

#[test]
fn apply_killed_after_commit_point_is_rolled_forward() {
    let env = Env::applied();
    env.write_manifest(&QUICKSTART.replace(
        "trustDomain: quickstart.x0tta6bl4.mesh",
        "trustDomain: moved.x0tta6bl4.mesh",
    ));
    let out = env.x0t_env(
        &["apply", "--auto-approve"],
        &[("X0T_FAULT", "apply-mid-rename")],
    );
    assert_ne!(out.code, 0, "the fault hook must abort");
    env.x0t(&["drift"]).code(3);
    // The next apply finishes the interrupted one; then nothing is left to do.
    let out = env.x0t(&["apply", "--auto-approve"]);
    out.ok();
    assert!(
        out.stderr
            .contains("finished an apply that was interrupted"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("No changes."), "{}", out.stdout);
    env.x0t(&["drift"]).ok();
    env.x0t(&["identity", "verify", "n1"]).ok();
}

#[test]
fn concurrent_apply_waits_then_names_the_holder() {
    let env = Env::applied();
    let lock_path = env.state(".lock");
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&lock_path)
        .unwrap();
    // SAFETY: valid descriptor owned by `file`.
    assert_eq!(
        unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) },
        0
    );
    std::fs::write(
        &lock_path,
        "pid 4242 (x0t apply) on testhost since 2026-01-01T00:00:00Z",
    )
    .unwrap();
    let start = Instant::now();
    let out = env.x0t(&["apply", "--auto-approve", "--lock-timeout", "300ms"]);
    out.code(1);
    assert!(start.elapsed().as_millis() >= 300, "did not wait");
    assert!(
        out.stderr
            .contains("locked by pid 4242 (x0t apply) on testhost"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--lock-timeout"), "{}", out.stderr);
    drop(file);
    env.x0t(&["apply", "--auto-approve", "--lock-timeout", "300ms"])
        .ok();
}

#[test]
fn two_applies_at_once_serialise() {
    let env = Env::quickstart();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_x0t"))
            .args(["apply", "--auto-approve"])
            .current_dir(env.root())
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a.status.success() && b.status.success());
    let created: Vec<bool> = [&a, &b]
        .iter()
        .map(|o| String::from_utf8_lossy(&o.stderr).contains("28 created"))
        .collect();
    assert_eq!(
        created.iter().filter(|c| **c).count(),
        1,
        "exactly one apply created the mesh"
    );
    env.x0t(&["drift"]).ok();
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.state("state.json")).unwrap()).unwrap();
    assert_eq!(state["serial"], 1);
}

#[test]
fn future_state_version_is_refused() {
    let env = Env::applied();
    let text = std::fs::read_to_string(env.state("state.json")).unwrap();
    std::fs::write(
        env.state("state.json"),
        text.replace("\"schemaVersion\": 1", "\"schemaVersion\": 7"),
    )
    .unwrap();
    for cmd in [&["plan"][..], &["apply", "--auto-approve"], &["drift"]] {
        let out = env.x0t(cmd);
        out.code(1);
        assert!(
            out.stderr
                .contains("schemaVersion 7, newer than this x0t understands (1)"),
            "{cmd:?}: {}",
            out.stderr
        );
        assert!(out.stderr.contains("upgrade x0t"), "{}", out.stderr);
    }
}

#[test]
fn corrupt_state_is_refused_and_points_to_backup() {
    let env = Env::applied();
    env.x0t(&["apply", "--auto-approve"]).ok();
    std::fs::write(env.state("state.json"), "{\"schemaVersion\": 1, \"mesh\": ").unwrap();
    let before = tree_hashes(&env.state(""));
    let out = env.x0t(&["apply", "--auto-approve"]);
    out.code(1);
    assert!(
        out.stderr.contains("state.json is corrupt"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("state.json.backup"), "{}", out.stderr);
    let mut after = tree_hashes(&env.state(""));
    after.remove(".lock");
    let mut before = before;
    before.remove(".lock");
    assert_eq!(before, after, "a refused apply changed files");
}

#[test]
fn state_dir_that_is_a_file_is_an_error() {
    let env = Env::quickstart();
    std::fs::write(env.root().join("blocker"), "not a dir").unwrap();
    let out = env.x0t(&["--state-dir", "blocker", "apply", "--auto-approve"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("blocker is not a state directory: it is a file"),
        "{}",
        out.stderr
    );
    let out = env.x0t(&["--state-dir", "blocker/inner", "apply", "--auto-approve"]);
    out.code(1);
    assert!(out.stderr.contains("blocker/inner"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("a file stands where a directory is expected"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(env.root().join("blocker")).unwrap(),
        "not a dir"
    );
}

#[test]
fn node_dir_replaced_by_a_file_fails_cleanly() {
    let env = Env::applied();
    std::fs::remove_dir_all(env.state("nodes/n2")).unwrap();
    std::fs::write(env.state("nodes/n2"), "oops").unwrap();
    let out = env.x0t(&["apply", "--auto-approve"]);
    out.code(1);
    assert!(out.stderr.contains("nodes/n2"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    // The failure left a journal behind; state.json still describes the old, valid state.
    std::fs::remove_file(env.state("nodes/n2")).unwrap();
    env.x0t(&["apply", "--auto-approve"]).ok();
    env.x0t(&["drift"]).ok();
    env.x0t(&["identity", "verify", "n2"]).ok();
}

#[test]
fn truncated_key_file_is_reported_and_replaced() {
    let env = Env::applied();
    let path = env.state("nodes/n1/dsa.key");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    let out = env.x0t(&["keys", "show", "n1"]);
    out.code(1);
    assert!(
        out.stderr.contains("dsa.key is unusable: truncated"),
        "{}",
        out.stderr
    );
    let plan = env.x0t(&["plan"]).stdout;
    assert!(plan.contains("-/+ node.n1.dsa"), "{plan}");
    env.x0t(&["apply", "--auto-approve"]).ok();
    env.x0t(&["keys", "show", "n1"]).ok();
}

/// Unmounts a bind mount when dropped, even if the test panics.
struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn read_only_file_system_is_reported() {
    // A read-only bind mount makes the failure real even for root (CI runs as root).
    let env = Env::applied();
    let target = env.state("");
    let mount = |args: &[&str]| {
        std::process::Command::new("mount")
            .args(args)
            .arg(&target)
            .arg(&target)
            .status()
            .unwrap()
    };
    assert!(mount(&["--bind"]).success(), "bind mount");
    let _guard = Unmount(target.clone());
    let remount = std::process::Command::new("mount")
        .args(["-o", "remount,bind,ro"])
        .arg(&target)
        .status()
        .unwrap();
    assert!(remount.success(), "remount read-only");
    let before = tree_hashes(&target);
    env.write_manifest(&QUICKSTART.replace("127.0.0.1:7103", "127.0.0.1:7113"));
    let out = env.x0t(&["apply", "--auto-approve"]);
    out.code(1);
    assert!(out.stderr.contains("read-only"), "{}", out.stderr);
    assert_eq!(before, tree_hashes(&target));
}
