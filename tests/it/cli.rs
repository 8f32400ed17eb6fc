//! The command line itself: help of every command (golden), usage errors, exit codes.

use clap::CommandFactory;
use x0tta6bl4::Cli;

use crate::support::{golden, run_in, Env};

/// Every command path, e.g. ["identity", "show"].
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(prefix.clone());
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = prefix.clone();
            p.push(sub.get_name().to_string());
            walk(sub, p, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), Vec::new(), &mut out);
    out
}

#[test]
fn help_of_every_command_is_golden() {
    let env = Env::quickstart();
    let paths = command_paths();
    assert!(paths.len() >= 15, "found only {} commands", paths.len());
    for path in paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = env.x0t(&args);
        out.ok();
        let name = if path.is_empty() {
            "x0t".to_string()
        } else {
            format!("x0t-{}", path.join("-"))
        };
        golden(&format!("help/{name}.txt"), &out.stdout);
    }
}

#[test]
fn clap_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn usage_errors_exit_1_never_2() {
    let env = Env::quickstart();
    for args in [
        &["bogus"][..],
        &["plan", "--no-such-flag"],
        &["plan", "-o", "yaml"],
        &["--timeout", "soon", "plan"],
        &[],
    ] {
        let out = env.x0t(args);
        assert_eq!(out.code, 1, "{args:?} exited {}: {}", out.code, out.stderr);
        assert!(
            out.stderr.contains("error") || out.stderr.contains("Usage"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn version_reports_liboqs_and_algorithms() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["version", "--verbose"], &[]);
    out.ok();
    assert!(out.stdout.contains("liboqs:      0.13"), "{}", out.stdout);
    assert!(out.stdout.contains("ML-KEM-768") && out.stdout.contains("ML-DSA-65"));
    let json = run_in(dir.path(), &["version", "-o", "json"], &[]).json();
    assert_eq!(json["schemaVersion"], 1);
    assert!(json["kemAlgorithms"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "ML-KEM-768"));
}

#[test]
fn completions_and_man_pages_are_produced() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run_in(dir.path(), &["completions", shell], &[]);
        out.ok();
        assert!(
            out.stdout.contains("plan"),
            "{shell} completion lacks subcommands"
        );
    }
    run_in(dir.path(), &["man", "--out", "pages"], &[]).ok();
    let pages: Vec<String> = std::fs::read_dir(dir.path().join("pages"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        pages.len(),
        command_paths().len(),
        "one page per command: {pages:?}"
    );
    assert!(pages.contains(&"x0t-identity-verify.1".to_string()));
}

#[test]
fn broken_pipe_exits_quietly() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_x0t"))
        .args(["schema"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
