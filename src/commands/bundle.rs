//! `x0t bundle`: what one node or operator needs on another host.

use std::path::PathBuf;

use clap::Args;

use super::{Ctx, EXIT_OK};
use crate::engine::bundle::write::write as write_bundle;
use crate::engine::state::Owner;
use crate::error::CliError;
use crate::ui::Ui;

/// Write a node's bundle (or, with --operator, an operator's) into a directory to copy to
/// another host.
///
/// A node bundle holds its SVID and key, its ML-KEM and ML-DSA keys, the trust bundle, its
/// node.json and the roster. An operator bundle holds the operator's SVID and keys, the
/// trust bundle, the roster and context.json with the endpoints. Never the CA key, never
/// another identity's secrets.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("who").required(true).args(["node", "operator"]))]
pub struct BundleArgs {
    /// The node to bundle
    pub node: Option<String>,

    /// Bundle this operator instead of a node
    #[arg(long, value_name = "NAME")]
    pub operator: Option<String>,

    /// Directory to create (must not exist or be empty)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Replace a non-empty --out directory (a node's raft/ and rag/ data in it are kept)
    #[arg(long)]
    pub force: bool,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &BundleArgs) -> Result<i32, CliError> {
    let loaded = ctx.load_manifest(ui)?;
    let dir = ctx.state_dir(&loaded.path);
    let who = match (&args.node, &args.operator) {
        (_, Some(op)) => Owner::Operator(op.clone()),
        (Some(n), None) => Owner::Node(n.clone()),
        (None, None) => unreachable!("clap requires one"),
    };
    let report = write_bundle(&loaded.manifest, &dir, &who, &args.out, args.force)?;
    if ui.is_json() {
        ui.json(&report)?;
    } else {
        ui.line(&format!(
            "Wrote the bundle of {} {} to {}:",
            report.kind,
            report.name,
            report.out.display()
        ))?;
        for name in report.files.keys() {
            ui.line(&format!("  {name}"))?;
        }
        ui.line("bundle.json lists every file with its SHA-256.")?;
    }
    Ok(EXIT_OK)
}
