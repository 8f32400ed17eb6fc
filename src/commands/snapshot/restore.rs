//! `x0t snapshot restore FILE`: rebuild a stopped node's raft data from a verified snapshot.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{bad, open, read_opened, roster};
use crate::commands::Ctx;
use crate::engine::bundle::{NodeBundle, OperatorBundle};
use crate::engine::client::Client;
use crate::engine::node::raft::OfflineStore;
use crate::engine::snapshot::restore;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Restore a stopped node's raft data from a snapshot file (verified first). The node starts
/// with the roster's membership, an empty log behind the snapshot and a reset vote. Refused
/// while the node runs, over existing data without --force, and while the rest of the mesh
/// has a leader: that would roll the node back and lose acknowledged writes. To rebuild a
/// whole lost mesh, restore every node from the same file, then start them. On a host with
/// only a node bundle (from `x0t bundle`), --bundle restores into that bundle's data.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The snapshot file
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// The recipient's ML-KEM secret key file, for a sealed snapshot [default: the
    /// recipient's key in the state directory or --context bundle]
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// The node whose data to restore [default with --bundle: the bundle's node]
    #[arg(long, value_name = "NAME", required_unless_present = "bundle")]
    pub node: Option<String>,
    /// Restore into the node bundle directory DIR (its `raft/`), checking the snapshot against
    /// the bundle's roster and asking the mesh with the node's own identity; no state
    /// directory needed
    #[arg(long, value_name = "DIR")]
    pub bundle: Option<PathBuf>,
    /// Show what would change against the data there; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Replace existing data (it is moved aside, not deleted)
    #[arg(long)]
    pub force: bool,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &RestoreArgs) -> Result<(), CliError> {
    // The node, the roster to verify against, and who asks the mesh whether it runs.
    let (node, roster, asker) = match &a.bundle {
        Some(dir) => {
            let node = NodeBundle::from_dir(dir).map_err(EngineError::from)?;
            if let Some(n) = a.node.as_ref().filter(|n| **n != node.config.name) {
                return Err(CliError::new(format!(
                    "{} is the bundle of node {}, not {n}",
                    dir.display(),
                    node.config.name
                ))
                .hint("drop --node, or point --bundle at that node's bundle"));
            }
            let roster = node.creds.roster.clone();
            // Status answers any member of the mesh: the node's own identity can ask.
            let asker =
                OperatorBundle::with_roster_endpoints(&node.config.name, node.creds.clone());
            (node, roster, Some(asker))
        }
        None => {
            let dir = ctx.resolve_state_dir(ui)?;
            let name = a
                .node
                .as_deref()
                .expect("clap requires --node without --bundle");
            let node = NodeBundle::from_state(&dir, name).map_err(EngineError::from)?;
            let asker = match crate::commands::connect::default_operator(&dir) {
                Ok(o) => Some(OperatorBundle::from_state(&dir, &o).map_err(EngineError::from)?),
                Err(_) => None,
            };
            (node, roster(ui, ctx, None)?, asker)
        }
    };
    let name = node.config.name.clone();
    let (bytes, _) = read_opened(ui, ctx, &a.path, a.key.as_deref(), None)?;
    let file = open(&a.path, &bytes)?;
    let verify = || file.verify(&roster).map(drop);
    let plan = if a.dry_run {
        verify().map_err(|e| bad(&a.path, e))?;
        refuse_live_mesh(ui, ctx, asker, &name, &node.data_dir)?;
        restore::preview(&file, &roster, &name, &node.data_dir, &OfflineStore)
            .map_err(EngineError::from)?
    } else {
        // The signature is checked while the store is built aside; nothing replaces the
        // node's data unless it holds.
        refuse_live_mesh(ui, ctx, asker, &name, &node.data_dir)?;
        let plan = restore::preview(&file, &roster, &name, &node.data_dir, &OfflineStore)
            .map_err(EngineError::from)?;
        let keep = node.config.raft.keep_snapshots as usize;
        restore::execute(&file, plan, keep, a.force, &OfflineStore, verify).map_err(
            |e| match e {
                restore::RestoreError::Snapshot(e) => bad(&a.path, e),
                e => EngineError::from(e).into(),
            },
        )?
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
        let bundle = a
            .bundle
            .as_ref()
            .map(|d| format!(" --bundle {}", d.display()))
            .unwrap_or_default();
        out.push_str(&format!(
            "restored into {}; start the node with `x0t node run {}{bundle}`\n",
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
    asker: Option<OperatorBundle>,
    node: &str,
    data_dir: &Path,
) -> Result<(), CliError> {
    let Some(op) = asker else {
        ui.warn("the roster names no operator: cannot check whether the mesh is running");
        return Ok(());
    };
    let timeout = ctx.global.timeout.min(std::time::Duration::from_secs(3));
    let client = Client::new(op, timeout).map_err(EngineError::from)?;
    let status = crate::commands::connect::runtime()?.block_on(client.status());
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
