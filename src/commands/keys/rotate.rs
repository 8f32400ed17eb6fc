//! `x0t keys rotate NAME|--all`: rotate post-quantum keys before they are due.

use clap::Args;

use super::super::apply::{self, ApplyArgs};
use crate::commands::{Ctx, EXIT_OK};
use crate::error::CliError;
use crate::ui::Ui;

/// Rotate the ML-KEM-768 and ML-DSA-65 keys of node NAME (or operator NAME with
/// --operator, or everyone with --all) now, as an apply that replaces them. On a live mesh
/// the new public keys reach every node through the replicated roster and each node
/// switches to its new key without a restart; retired public keys stay in the roster so
/// older snapshots and audit records still verify, and retired ML-KEM secret keys are kept
/// so backups sealed to them can still be opened.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The node (or operator) whose keys to rotate
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub name: Option<String>,

    /// NAME is an operator
    #[arg(long)]
    pub operator: bool,

    /// Rotate the keys of every node and operator
    #[arg(long)]
    pub all: bool,

    /// Apply without asking
    #[arg(long)]
    pub auto_approve: bool,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &RotateArgs) -> Result<i32, CliError> {
    let loaded = ctx.load_manifest(ui)?;
    let dir = ctx.state_dir(&loaded.path);
    let m = &loaded.manifest;
    let mut owners: Vec<String> = Vec::new();
    if args.all {
        owners.extend(m.spec.nodes.iter().map(|n| format!("node.{}", n.name)));
        owners.extend(
            m.spec
                .operators
                .iter()
                .map(|o| format!("operator.{}", o.name)),
        );
    } else {
        let name = args
            .name
            .as_deref()
            .expect("clap requires NAME without --all");
        let kind = if args.operator { "operator" } else { "node" };
        owners.push(format!("{kind}.{name}"));
    }
    let replace = owners
        .iter()
        .flat_map(|o| [format!("{o}.kem"), format!("{o}.dsa")])
        .collect();
    let apply_args = ApplyArgs {
        auto_approve: args.auto_approve,
        prune: false,
        force: false,
        lock_timeout: std::time::Duration::from_secs(30),
        replace,
    };
    let report = apply::converge(ui, ctx, &loaded, &dir, &apply_args, args.auto_approve)?;
    if let (Some(report), true) = (report, ui.is_json()) {
        ui.json(&report)?;
    }
    Ok(EXIT_OK)
}
