//! `cargo xtask upgrade-test [--from REV]`: builds x0t as it was at REV (the previous
//! release) in a worktree of its own, then runs `tests/upgrade`, which upgrades a live
//! 3-node mesh from that build to this one, one node at a time, under write load.

use std::path::Path;
use std::process::Command;

use crate::{cargo, root, run, target_dir, Result};

/// The previous release: the last commit CI landed before protocol 3 (x0t 0.1.0,
/// protocol 2).
pub const PREVIOUS: &str = "225b0a1cc9b60c6667146c6d0c3468a46b7dbcbc";

pub fn run_test(args: &[&str]) -> Result {
    let rev = match args {
        [] => PREVIOUS,
        ["--from", rev] => rev,
        _ => return Err("usage: cargo xtask upgrade-test [--from REV]".into()),
    };
    let base = target_dir().join("upgrade");
    let src = base.join("src");
    checkout(&src, rev)?;
    // Its own target directory: the old sources would otherwise overwrite this build's
    // binaries. It is kept, so a second run only checks it is current.
    let mut build = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    build
        .current_dir(&src)
        .env("CARGO_TARGET_DIR", base.join("target"))
        .args(["build", "--bin", "x0t"]);
    eprintln!("==> building x0t at {rev}");
    run(&mut build)?;
    let previous = base.join("target/debug/x0t");
    eprintln!(
        "==> upgrading a mesh from {} to this build",
        previous.display()
    );
    run(cargo().env("X0T_PREVIOUS", &previous).args([
        "test",
        "--test",
        "upgrade",
        "--",
        "--nocapture",
    ]))
}

/// A detached worktree of `rev` at `dir`, made or moved there.
fn checkout(dir: &Path, rev: &str) -> Result {
    let git = |args: &[&str], cwd: &Path| -> Result<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(cwd)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let want = git(&["rev-parse", &format!("{rev}^{{commit}}")], root())
        .map_err(|e| format!("{e}\nhint: a shallow clone may lack {rev}: git fetch --unshallow"))?;
    if dir.join(".git").exists() {
        git(&["checkout", "--detach", "--force", &want], dir)?;
    } else {
        let d = dir.to_string_lossy();
        git(&["worktree", "prune"], root())?;
        git(&["worktree", "add", "--detach", &d, &want], root())?;
    }
    Ok(())
}
