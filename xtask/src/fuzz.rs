//! `cargo xtask fuzz`: runs the cargo-fuzz targets of `tests/fuzz` on the nightly toolchain,
//! each for a while from the committed corpus, keeps any crash as a regression input that
//! the stable test suite replays, and prints executions, speed and coverage per target.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{describe, root, Result};

/// What one target's run reported at its end.
struct Stats {
    target: String,
    runs: u64,
    per_second: u64,
    coverage: u64,
    features: u64,
    crashes: usize,
}

pub fn run(args: &[&str]) -> Result {
    let (seconds, wanted) = match args {
        ["--time", s, rest @ ..] => (
            s.parse::<u64>()
                .map_err(|_| format!("--time takes seconds, not `{s}`"))?,
            rest,
        ),
        rest => (60, rest),
    };
    let dir = root().join("tests/fuzz");
    let mut targets: Vec<String> = fs::read_dir(dir.join("fuzz_targets"))
        .map_err(|e| format!("tests/fuzz/fuzz_targets: {e}"))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".rs")
                .map(String::from)
        })
        .collect();
    targets.sort();
    if !wanted.is_empty() {
        if let Some(bad) = wanted.iter().find(|w| !targets.iter().any(|t| t == *w)) {
            return Err(format!(
                "no fuzz target `{bad}`; targets: {}",
                targets.join(", ")
            ));
        }
        targets.retain(|t| wanted.contains(&t.as_str()));
    }
    ensure_cargo_fuzz()?;
    let mut all = Vec::new();
    for target in &targets {
        let stats = run_target(&dir, target, seconds)?;
        eprintln!(
            "fuzz {:<16} {:>12} runs {:>8}/s  cov {:>6}  ft {:>6}  crashes {}",
            stats.target,
            stats.runs,
            stats.per_second,
            stats.coverage,
            stats.features,
            stats.crashes
        );
        all.push(stats);
    }
    eprintln!("\n| target | executions | exec/s | coverage (edges) | features | crashes |");
    eprintln!("|---|---:|---:|---:|---:|---:|");
    for s in &all {
        eprintln!(
            "| {} | {} | {} | {} | {} | {} |",
            s.target, s.runs, s.per_second, s.coverage, s.features, s.crashes
        );
    }
    let crashed: Vec<&str> = (all.iter().filter(|s| s.crashes > 0))
        .map(|s| s.target.as_str())
        .collect();
    if !crashed.is_empty() {
        return Err(format!(
            "crashes in {}: kept under tests/fuzz/regressions/ for the test suite to replay",
            crashed.join(", ")
        ));
    }
    Ok(())
}

fn ensure_cargo_fuzz() -> Result {
    let found = Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return Ok(());
    }
    eprintln!("fuzz: installing cargo-fuzz");
    crate::run(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))
}

fn run_target(dir: &Path, target: &str, seconds: u64) -> Result<Stats> {
    // New inputs go to a scratch corpus; the committed one is read only.
    let scratch = dir.join("target/corpus").join(target);
    let seeds = dir.join("corpus").join(target);
    fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let artifacts = dir.join("artifacts").join(target);
    fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
    let before = count(&artifacts);
    let mut cmd = Command::new("rustup");
    cmd.current_dir(root())
        .args(["run", "nightly", "cargo", "fuzz", "run", "--fuzz-dir"])
        .arg(dir)
        .arg(target)
        .arg(&scratch)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .args(["-print_final_stats=1", "-timeout=10", "-rss_limit_mb=4096"])
        .arg(format!("-artifact_prefix={}/", artifacts.display()));
    let out = cmd
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(&cmd)))?;
    let log = String::from_utf8_lossy(&out.stderr);
    let stat = |name: &str| -> u64 {
        (log.lines())
            .find_map(|l| l.strip_prefix(&format!("stat::{name}:")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    };
    // The last status line, e.g. `#123456 DONE cov: 812 ft: 2403 corp: ...`.
    let last = |key: &str| -> u64 {
        (log.lines().rev())
            .find_map(|l| {
                l.split_once(&format!(" {key}: "))
                    .map(|(_, r)| r.to_string())
            })
            .and_then(|r| r.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    let crashes = count(&artifacts) - before;
    if crashes > 0 {
        let keep = dir.join("regressions").join(target);
        fs::create_dir_all(&keep).map_err(|e| format!("{}: {e}", keep.display()))?;
        for e in fs::read_dir(&artifacts)
            .map_err(|e| e.to_string())?
            .flatten()
        {
            let _ = fs::copy(e.path(), keep.join(e.file_name()));
        }
    } else if !out.status.success() {
        eprint!("{log}");
        return Err(format!("`{}` failed ({})", describe(&cmd), out.status));
    }
    Ok(Stats {
        target: target.into(),
        runs: stat("number_of_executed_units"),
        per_second: stat("average_exec_per_sec"),
        coverage: last("cov"),
        features: last("ft"),
        crashes,
    })
}

fn count(dir: &Path) -> usize {
    fs::read_dir(dir).map_or(0, |d| d.count())
}
