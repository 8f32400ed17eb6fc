//! `x0t snapshot`: take, save, list, inspect and verify Raft snapshots.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde::Serialize;

use super::connect::ConnectArgs;
use super::{Ctx, EXIT_OK};
use crate::engine::fsutil;
use crate::engine::node::bundle::{NodeBundle, OperatorBundle};
use crate::engine::node::client::Client;
use crate::engine::restore;
use crate::engine::roster::Roster;
use crate::engine::snapshot::{self, Header, SnapshotFile, Summary, Verified};
use crate::engine::state::layout;
use crate::engine::EngineError;
use crate::error::CliError;
use crate::ui::Ui;

/// Take, save, list, inspect and verify Raft snapshots.
#[derive(Debug, Subcommand)]
pub enum SnapshotCommand {
    /// Take a snapshot on a live node now; prints its index, term and size
    Create(NodeArgs),
    Save(SaveArgs),
    /// List the snapshots a live node keeps on disk (the newest is what laggards receive)
    List(NodeArgs),
    Inspect(InspectArgs),
    Verify(VerifyArgs),
    Restore(RestoreArgs),
}

/// Restore a stopped node's raft data from a snapshot file (verified first). The node starts
/// with the roster's membership, an empty log behind the snapshot and a reset vote. Refused
/// while the node runs, over existing data without --force, and while the rest of the mesh
/// has a leader: that would roll the node back and lose acknowledged writes. To rebuild a
/// whole lost mesh, restore every node from the same file, then start them.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The snapshot file
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// The node whose data to restore
    #[arg(long, value_name = "NAME")]
    pub node: String,
    /// Show what would change against the data there; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Replace existing data (it is moved aside, not deleted)
    #[arg(long)]
    pub force: bool,
}

/// Which live node to ask.
#[derive(Debug, Args)]
pub struct NodeArgs {
    /// The node to ask [default: the leader]
    #[arg(long, value_name = "NAME")]
    pub node: Option<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Take a fresh snapshot on a live node and save it, signed by that node, to FILE
/// (written to a temporary file beside it, synced, then renamed over FILE).
#[derive(Debug, Args)]
pub struct SaveArgs {
    /// Where to write the snapshot file
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// The node to ask [default: the leader]
    #[arg(long, value_name = "NAME")]
    pub node: Option<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Show a snapshot file's header, key count and size by key prefix (no manifest needed).
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The snapshot file
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
}

/// Check a snapshot file's hash and signature against the roster's node keys (retired keys
/// included); exit 1 with the reason if it does not verify.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The snapshot file
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// Take the roster from an operator bundle directory instead of the state directory
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Created<'a> {
    schema_version: u32,
    #[serde(flatten)]
    snapshot: &'a crate::engine::node::client::SnapshotInfo,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Listed {
    schema_version: u32,
    snapshots: Vec<crate::engine::node::client::SnapshotInfo>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Saved<'a> {
    schema_version: u32,
    file: &'a Path,
    bytes: u64,
    header: &'a Header,
    verified: &'a Verified,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Inspected<'a> {
    schema_version: u32,
    file: &'a Path,
    bytes: u64,
    header: &'a Header,
    summary: &'a Summary,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifiedOut<'a> {
    schema_version: u32,
    file: &'a Path,
    valid: bool,
    index: u64,
    term: u64,
    #[serde(flatten)]
    verified: &'a Verified,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &SnapshotCommand) -> Result<i32, CliError> {
    match cmd {
        SnapshotCommand::Create(a) => {
            let (rt, client) = a.connect.client(ui, ctx)?;
            let s = rt
                .block_on(client.snapshot_create(a.node.as_deref()))
                .map_err(EngineError::from)?;
            if ui.is_json() {
                ui.json(&Created {
                    schema_version: 1,
                    snapshot: &s,
                })?;
            } else {
                ui.line(&format!(
                    "snapshot {} on {}: index {}, term {}, {} bytes",
                    s.id, s.node, s.index, s.term, s.size
                ))?;
            }
        }
        SnapshotCommand::List(a) => {
            let (rt, client) = a.connect.client(ui, ctx)?;
            let list = rt
                .block_on(client.snapshot_list(a.node.as_deref()))
                .map_err(EngineError::from)?;
            if ui.is_json() {
                ui.json(&Listed {
                    schema_version: 1,
                    snapshots: list,
                })?;
            } else if list.is_empty() {
                ui.line("no snapshots yet (`x0t snapshot create` takes one)")?;
            } else {
                let mut out = format!(
                    "{:<6} {:<24} {:>10} {:>6} {:>12}\n",
                    "NODE", "ID", "INDEX", "TERM", "BYTES"
                );
                for s in &list {
                    out.push_str(&format!(
                        "{:<6} {:<24} {:>10} {:>6} {:>12}\n",
                        s.node, s.id, s.index, s.term, s.size
                    ));
                }
                ui.data(&out)?;
            }
        }
        SnapshotCommand::Save(a) => {
            let roster = match &a.connect.context {
                Some(dir) => OperatorBundle::from_dir(dir)
                    .map_err(EngineError::from)?
                    .creds
                    .roster
                    .clone(),
                None => state_roster(ui, ctx)?,
            };
            let (rt, client) = a.connect.client(ui, ctx)?;
            ui.status("taking a fresh snapshot");
            let bytes = rt
                .block_on(client.snapshot_fetch(a.node.as_deref()))
                .map_err(EngineError::from)?;
            // Only a file that verifies is kept.
            let file = open(&a.path, &bytes)?;
            let verified = file.verify(&roster).map_err(|e| bad(&a.path, e))?;
            write_file(&a.path, &bytes)?;
            let h = &file.header;
            if ui.is_json() {
                ui.json(&Saved {
                    schema_version: 1,
                    file: &a.path,
                    bytes: bytes.len() as u64,
                    header: h,
                    verified: &verified,
                })?;
            } else {
                ui.line(&format!(
                    "saved {}: snapshot of {} at index {} (term {}), {} bytes, signed by {} ({})",
                    a.path.display(),
                    h.mesh,
                    h.index,
                    h.term,
                    bytes.len(),
                    verified.signer,
                    verified.signer_key
                ))?;
            }
        }
        SnapshotCommand::Inspect(a) => {
            let bytes = read(&a.path)?;
            let file = open(&a.path, &bytes)?;
            let summary = file.summary().map_err(|e| bad(&a.path, e))?;
            if ui.is_json() {
                ui.json(&Inspected {
                    schema_version: 1,
                    file: &a.path,
                    bytes: bytes.len() as u64,
                    header: &file.header,
                    summary: &summary,
                })?;
            } else {
                ui.data(&render_inspect(
                    &a.path,
                    bytes.len(),
                    &file.header,
                    &summary,
                ))?;
            }
        }
        SnapshotCommand::Restore(a) => restore(ui, ctx, a)?,
        SnapshotCommand::Verify(a) => {
            let roster = match &a.context {
                Some(dir) => OperatorBundle::from_dir(dir)
                    .map_err(EngineError::from)?
                    .creds
                    .roster
                    .clone(),
                None => state_roster(ui, ctx)?,
            };
            let bytes = read(&a.path)?;
            let file = open(&a.path, &bytes)?;
            let verified = file.verify(&roster).map_err(|e| bad(&a.path, e))?;
            if ui.is_json() {
                ui.json(&VerifiedOut {
                    schema_version: 1,
                    file: &a.path,
                    valid: true,
                    index: file.header.index,
                    term: file.header.term,
                    verified: &verified,
                })?;
            } else {
                let retired = if verified.retired_key {
                    " (a retired key)"
                } else {
                    ""
                };
                ui.line(&format!(
                    "{}: valid; index {} (term {}) of mesh {}, signed by {} with {}{retired}",
                    a.path.display(),
                    file.header.index,
                    file.header.term,
                    file.header.mesh,
                    verified.signer,
                    verified.signer_key
                ))?;
            }
        }
    }
    Ok(EXIT_OK)
}

fn restore(ui: &mut Ui, ctx: &Ctx, a: &RestoreArgs) -> Result<(), CliError> {
    let dir = ctx.resolve_state_dir(ui)?;
    let roster = state_roster(ui, ctx)?;
    let bytes = read(&a.path)?;
    let file = open(&a.path, &bytes)?;
    file.verify(&roster).map_err(|e| bad(&a.path, e))?;
    let node = NodeBundle::from_state(&dir, &a.node).map_err(EngineError::from)?;
    refuse_live_mesh(ui, ctx, &dir, &a.node, &node.data_dir)?;
    let plan = restore::plan(&file, &roster, &a.node, &node.data_dir).map_err(EngineError::from)?;
    let plan = if a.dry_run {
        plan
    } else {
        let keep = node.config.raft.keep_snapshots as usize;
        restore::execute(&file, plan, keep, a.force).map_err(EngineError::from)?
    };
    if ui.is_json() {
        return ui.json(&plan);
    }
    let h = &file.header;
    let mut out = format!(
        "restore {} from {} (index {}, term {}, {} keys, made by {})\n",
        plan.node,
        a.path.display(),
        plan.snapshot.index,
        plan.snapshot.term,
        plan.snapshot.keys,
        h.node
    );
    out.push_str(&match &plan.existing {
        Some(e) => format!(
            "  data there: applied index {} (log to {}), term {}, {} keys\n",
            e.index, e.last_log_index, e.term, e.keys
        ),
        None => "  data there: none\n".to_string(),
    });
    let c = &plan.changes;
    out.push_str(&format!(
        "  keys:       {} added, {} removed, {} changed, {} unchanged\n",
        c.added, c.removed, c.changed, c.unchanged
    ));
    out.push_str(&format!(
        "  membership: voters {}; learners {}\n",
        plan.membership.voters.join(", "),
        if plan.membership.learners.is_empty() {
            "-".to_string()
        } else {
            plan.membership.learners.join(", ")
        }
    ));
    if !plan.applied {
        out.push_str("dry run: nothing was written\n");
    } else {
        if let Some(prev) = &plan.previous_data_dir {
            out.push_str(&format!(
                "the previous data was moved to {}\n",
                prev.display()
            ));
        }
        out.push_str(&format!(
            "restored into {}; start the node with `x0t node run {}`\n",
            plan.data_dir.display(),
            plan.node
        ));
    }
    ui.data(&out)
}

/// Refuses a restore while the node itself answers, or while another node reports a leader:
/// the mesh then holds writes newer than any snapshot, and the node must catch up instead.
fn refuse_live_mesh(
    ui: &Ui,
    ctx: &Ctx,
    dir: &crate::engine::state::StateDir,
    node: &str,
    data_dir: &Path,
) -> Result<(), CliError> {
    let operator = match super::connect::default_operator(dir) {
        Ok(o) => o,
        Err(_) => {
            ui.warn("the roster names no operator: cannot check whether the mesh is running");
            return Ok(());
        }
    };
    let op = OperatorBundle::from_state(dir, &operator).map_err(EngineError::from)?;
    let timeout = ctx.global.timeout.min(std::time::Duration::from_secs(3));
    let client = Client::new(op, timeout).map_err(EngineError::from)?;
    let status = super::connect::runtime()?.block_on(client.status());
    for n in status.nodes.iter().filter(|n| n.reachable) {
        if n.node == node {
            return Err(EngineError::from(restore::RestoreError::Running {
                node: node.into(),
                dir: data_dir.to_path_buf(),
            })
            .into());
        }
    }
    if let Some(leader) = status.leader.filter(|l| l != node) {
        return Err(CliError::new(format!(
            "the mesh is running and {leader} leads it: restoring {node} from a snapshot would roll it back behind writes the mesh acknowledged"
        ))
        .hint(format!(
            "replace the node instead: remove {node} from the manifest and apply, delete {}, add it back and apply; it catches up from the leader",
            data_dir.display()
        ))
        .hint("to rebuild a whole mesh from a snapshot, stop every node first"));
    }
    Ok(())
}

fn bad(path: &Path, source: snapshot::SnapshotError) -> CliError {
    EngineError::Snapshot {
        path: path.to_path_buf(),
        source,
    }
    .into()
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    Ok(fsutil::read(path).map_err(EngineError::from)?)
}

fn open(path: &Path, bytes: &[u8]) -> Result<SnapshotFile, CliError> {
    snapshot::parse(bytes).map_err(|e| bad(path, e))
}

/// The roster of the state directory (via --state-dir or the manifest beside it).
fn state_roster(ui: &Ui, ctx: &Ctx) -> Result<Roster, CliError> {
    let dir = ctx.resolve_state_dir(ui)?;
    let bytes = dir.read(layout::ROSTER).map_err(EngineError::from)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        CliError::new(format!("{}: {e}", dir.path(layout::ROSTER).display()))
            .hint("run `x0t drift`; `x0t apply` rewrites it")
    })
}

/// FILE.part, fsync, rename over FILE, fsync the directory: FILE is old or complete.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    Ok(fsutil::write_atomic(path, bytes, 0o600).map_err(EngineError::from)?)
}

fn render_inspect(path: &Path, size: usize, h: &Header, s: &Summary) -> String {
    let mut out = format!(
        "file:        {} ({size} bytes, format {})\n\
         mesh:        {} ({})\n\
         node:        {} (raft id {})\n\
         log id:      index {}, term {}\n\
         voters:      {}\n\
         learners:    {}\n\
         created:     {}\n\
         payload:     {} bytes, sha256 {}\n\
         signature:   {} by key {}\n\
         keys:        {} ({} audit records)\n",
        path.display(),
        h.format_version,
        h.mesh,
        h.trust_domain,
        h.node,
        h.raft_id,
        h.index,
        h.term,
        h.membership.voters.join(", "),
        if h.membership.learners.is_empty() {
            "-".to_string()
        } else {
            h.membership.learners.join(", ")
        },
        h.created_at,
        h.payload_length,
        h.payload_sha256,
        h.signature_algorithm,
        h.signer_key,
        s.keys,
        s.audit_records,
    );
    if !s.prefixes.is_empty() {
        out.push_str(&format!(
            "\n{:<32} {:>10} {:>14}\n",
            "PREFIX", "KEYS", "BYTES"
        ));
        for (prefix, p) in &s.prefixes {
            out.push_str(&format!("{prefix:<32} {:>10} {:>14}\n", p.keys, p.bytes));
        }
    }
    out
}
