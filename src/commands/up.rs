//! `x0t up`: bring up a local mesh — apply, then run every local node under one foreground
//! supervisor until Ctrl-C.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::process::Stdio;
use std::time::Duration;

use clap::Args;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::connect::runtime;
use super::{apply, Ctx, EXIT_OK};
use crate::engine::manifest::{self, NodeRole, NodeSpec};
use crate::engine::node::bundle::OperatorBundle;
use crate::engine::node::client::Client;
use crate::error::CliError;
use crate::ui::Ui;

/// Bring up a local mesh: apply without asking, then run every node whose address is on
/// this host under one supervisor, with a live status, until Ctrl-C stops them all.
///
/// Uses the manifest given with -f, ./x0t.yaml, or the built-in 3-node quickstart when
/// there is neither. Each node's OpenTelemetry output goes to
/// <state-dir>/nodes/NAME/otel.log; its log lines are shown here prefixed with its name.
#[derive(Debug, Args)]
pub struct UpArgs {
    /// Also delete the files of nodes and operators no longer in the manifest
    #[arg(long)]
    pub prune: bool,

    /// Only apply; do not run the nodes
    #[arg(long)]
    pub no_run: bool,
}

/// Whether a node's address is on this host.
fn is_local(n: &NodeSpec) -> bool {
    let host = n
        .listen
        .rsplit_once(':')
        .map(|(h, _)| h.trim_matches(['[', ']']))
        .unwrap_or("");
    let adv = n
        .advertise_addr()
        .rsplit_once(':')
        .map(|(h, _)| h.trim_matches(['[', ']']))
        .unwrap_or("");
    let local = |h: &str| h == "localhost" || h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    local(host)
        || local(adv)
        || (host.parse::<IpAddr>().is_ok_and(|ip| ip.is_unspecified()) && adv == host)
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &UpArgs) -> Result<i32, CliError> {
    let path = ctx.manifest_path();
    let loaded = if ctx.global.file.is_none() && !path.exists() {
        ui.status("No manifest given and no x0t.yaml here: using the built-in quickstart (3 local voters).");
        manifest::quickstart()
    } else {
        ctx.load_manifest(ui)?
    };
    let dir = ctx.state_dir(&loaded.path);
    let apply_args = apply::ApplyArgs {
        auto_approve: true,
        prune: args.prune,
        force: false,
        lock_timeout: Duration::from_secs(30),
        replace: Vec::new(),
    };
    apply::converge(ui, ctx, &loaded, &dir, &apply_args, true)?;
    let m = &loaded.manifest;
    let local: Vec<&NodeSpec> = m
        .spec
        .nodes
        .iter()
        .filter(|n| n.role != NodeRole::Relay && is_local(n))
        .collect();
    if args.no_run || local.is_empty() {
        ui.status(&format!(
            "Mesh {} is provisioned in {}.",
            m.metadata.name,
            dir.root.display()
        ));
        return Ok(EXIT_OK);
    }
    let exe = std::env::current_exe().map_err(|e| CliError::io("find the x0t executable", e))?;
    let rt = runtime()?;
    rt.block_on(async {
        let mut children: BTreeMap<String, Child> = BTreeMap::new();
        let (line_tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<(String, String)>();
        for n in &local {
            let otel = std::fs::File::create(dir.path(&format!("nodes/{}/otel.log", n.name))).map_err(|e| CliError::io("create the OpenTelemetry log", e))?;
            let mut cmd = Command::new(&exe);
            cmd.arg("--state-dir").arg(&dir.root);
            // The node reads everything from the state directory; no manifest needed.
            cmd.args(["node", "run", &n.name]).stdin(Stdio::null()).stdout(otel).stderr(Stdio::piped()).kill_on_drop(true);
            let mut child = cmd.spawn().map_err(|e| CliError::io(&format!("start node {}", n.name), e))?;
            let stderr = child.stderr.take().expect("piped");
            let (tx, name) = (line_tx.clone(), n.name.clone());
            tokio::spawn(async move {
                let mut r = BufReader::new(stderr).lines();
                while let Ok(Some(l)) = r.next_line().await {
                    if tx.send((name.clone(), l)).is_err() {
                        break;
                    }
                }
            });
            children.insert(n.name.clone(), child);
        }
        drop(line_tx);
        let client = m
            .spec
            .operators
            .iter()
            .find(|o| o.role == crate::engine::manifest::OperatorRole::Admin)
            .and_then(|o| OperatorBundle::from_state(&dir, &o.name).ok())
            .and_then(|b| Client::new(b, Duration::from_secs(2)).ok());
        let mut ticker = tokio::time::interval(Duration::from_secs(2));
        let mut last_summary = String::new();
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).map_err(|e| CliError::io("install a SIGTERM handler", e))?;
        // A signal stream, unlike a fresh `ctrl_c()` future per loop turn, keeps a Ctrl-C
        // that arrives while the loop is busy (asking for status, say).
        let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).map_err(|e| CliError::io("install a SIGINT handler", e))?;
        loop {
            tokio::select! {
                line = lines.recv() => match line {
                    Some((node, l)) => ui.status(&format!("[{node}] {l}")),
                    None => break,
                },
                _ = ticker.tick() => {
                    if let Some(c) = &client {
                        let s = c.status().await;
                        let up = s.nodes.iter().filter(|n| n.reachable).count();
                        let summary = format!("status: leader {}, {up}/{} nodes up, {}", s.leader.as_deref().unwrap_or("none"), s.nodes.len(), if s.healthy { "healthy" } else { "degraded" });
                        if summary != last_summary {
                            ui.status(&summary);
                            last_summary = summary;
                        }
                    }
                }
                _ = int.recv() => break,
                _ = term.recv() => break,
            }
        }
        ui.status("stopping the nodes");
        for (name, child) in &children {
            if let Some(pid) = child.id() {
                // SAFETY: kill(2) on a child we started and have not reaped.
                unsafe { libc::kill(pid as i32, libc::SIGTERM) };
            } else {
                ui.warn(&format!("node {name} had already exited"));
            }
        }
        // Keep relaying the nodes' last lines while they shut down.
        let waits = futures_util::future::join_all(children.into_iter().map(|(name, mut child)| async move {
            let r = tokio::time::timeout(Duration::from_secs(15), child.wait()).await;
            if r.is_err() {
                let _ = child.kill().await;
            }
            (name, r)
        }));
        tokio::pin!(waits);
        let results = loop {
            tokio::select! {
                Some((node, l)) = lines.recv() => ui.status(&format!("[{node}] {l}")),
                r = &mut waits => break r,
            }
        };
        // The relays end at each node's end of stderr, which closes the channel.
        while let Ok(Some((node, l))) = tokio::time::timeout(Duration::from_secs(2), lines.recv()).await {
            ui.status(&format!("[{node}] {l}"));
        }
        for (name, r) in results {
            match r {
                Ok(Ok(s)) if s.success() => {}
                Ok(Ok(s)) => ui.warn(&format!("node {name} exited with {s}")),
                Ok(Err(e)) => ui.warn(&format!("node {name}: {e}")),
                Err(_) => ui.warn(&format!("node {name} did not stop in 15s; killed it")),
            }
        }
        ui.status("all nodes stopped");
        Ok::<(), CliError>(())
    })?;
    Ok(EXIT_OK)
}
