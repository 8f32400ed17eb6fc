//! `x0t up`: bring up a local mesh — apply, then run every local node under one foreground
//! supervisor until Ctrl-C.

use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use super::connect::runtime;
use super::{apply, Ctx, EXIT_OK};
use crate::engine::bundle::OperatorBundle;
use crate::engine::client::Client;
use crate::engine::local::{local_nodes, LineSink, LocalMesh, Stdout, Stopped};
use crate::engine::manifest::{self, OperatorRole};
use crate::engine::plan::apply::ApplyOptions;
use crate::error::CliError;
use crate::error::EngineError;
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

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &UpArgs) -> Result<i32, CliError> {
    let path = ctx.manifest_path();
    let loaded = if ctx.global.file.is_none() && !path.exists() {
        ui.status("No manifest given and no x0t.yaml here: using the built-in quickstart (3 local voters).");
        manifest::quickstart()
    } else {
        ctx.load_manifest(ui)?
    };
    let dir = ctx.state_dir(&loaded.path);
    let c = apply::Converge {
        replace: Vec::new(),
        options: ApplyOptions {
            prune: args.prune,
            force: false,
        },
        lock_timeout: apply::DEFAULT_LOCK_TIMEOUT,
        approved: true,
    };
    apply::converge(ui, ctx, &loaded, &dir, &c)?;
    let m = &loaded.manifest;
    let local = local_nodes(m);
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
    let (line_tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<(String, String)>();
    let sink: LineSink = Arc::new(move |node: &str, line: &str| {
        let _ = line_tx.send((node.to_string(), line.to_string()));
    });
    let mut mesh = LocalMesh::new(exe, &dir)
        .stdout(Stdout::OtelLog)
        .on_line(sink);
    for n in &local {
        mesh.spawn(&n.name, &[]).map_err(EngineError::from)?;
    }
    let client = m
        .spec
        .operators
        .iter()
        .find(|o| o.role == OperatorRole::Admin)
        .and_then(|o| OperatorBundle::from_state(&dir, &o.name).ok())
        .and_then(|b| Client::new(b, Duration::from_secs(2)).ok());
    let stopped = rt.block_on(async {
        let mut ticker = tokio::time::interval(Duration::from_secs(2));
        let mut last_summary = String::new();
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).map_err(|e| CliError::io("install a SIGTERM handler", e))?;
        // A signal stream, unlike a fresh `ctrl_c()` future per loop turn, keeps a Ctrl-C
        // that arrives while the loop is busy (asking for status, say).
        let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).map_err(|e| CliError::io("install a SIGINT handler", e))?;
        loop {
            tokio::select! {
                Some((node, l)) = lines.recv() => ui.status(&format!("[{node}] {l}")),
                _ = ticker.tick() => {
                    if mesh.all_exited() {
                        break;
                    }
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
        for name in mesh.exited_names() {
            ui.warn(&format!("node {name} had already exited"));
        }
        // The nodes shut down in parallel; their last lines keep arriving meanwhile.
        let stopping = tokio::task::spawn_blocking(move || mesh.stop_all(STOP_GRACE));
        tokio::pin!(stopping);
        let stopped = loop {
            tokio::select! {
                Some((node, l)) = lines.recv() => ui.status(&format!("[{node}] {l}")),
                r = &mut stopping => break r.unwrap_or_default(),
            }
        };
        // The relays end at each node's end of stderr, which closes the channel.
        while let Ok(Some((node, l))) = tokio::time::timeout(Duration::from_secs(2), lines.recv()).await {
            ui.status(&format!("[{node}] {l}"));
        }
        Ok::<_, CliError>(stopped)
    })?;
    for (name, how) in stopped {
        match how {
            Stopped::Clean(Some(s)) if s.success() => {}
            Stopped::Clean(Some(s)) => ui.warn(&format!("node {name} exited with {s}")),
            Stopped::Clean(None) => {}
            Stopped::Killed => ui.warn(&format!(
                "node {name} did not stop in {}s; killed it",
                STOP_GRACE.as_secs()
            )),
        }
    }
    ui.status("all nodes stopped");
    Ok(EXIT_OK)
}

/// How long a node has to stop after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(15);
