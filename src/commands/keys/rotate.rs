//! `x0t keys rotate NAME|--all`: rotate post-quantum keys before they are due.

use clap::Args;

use super::super::apply::{self, Converge, DEFAULT_LOCK_TIMEOUT};
use crate::commands::{Ctx, EXIT_OK};
use crate::engine::plan::apply::ApplyOptions;
use crate::engine::plan::{Address, ResourceType};
use crate::engine::state::Owner;
use crate::error::CliError;
use crate::ui::Ui;

/// Rotate the ML-KEM-768 and ML-DSA-65 keys (and a node's JWT-SVID signing key) of node
/// NAME (or operator NAME with --operator, or everyone with --all) now, as an apply that
/// replaces them. Tokens signed with a replaced JWT key still verify until they expire. On a live mesh
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
    let owners: Vec<Owner> = if args.all {
        let nodes = m.spec.nodes.iter().map(|n| Owner::Node(n.name.clone()));
        let operators = m
            .spec
            .operators
            .iter()
            .map(|o| Owner::Operator(o.name.clone()));
        nodes.chain(operators).collect()
    } else {
        let name = args.name.clone().expect("clap requires NAME without --all");
        let owner = if args.operator {
            Owner::Operator(name)
        } else {
            Owner::Node(name)
        };
        let known = match &owner {
            Owner::Node(n) => m.node(n).is_some(),
            Owner::Operator(n) => m.operator(n).is_some(),
        };
        if !known {
            return Err(CliError::new(format!(
                "the manifest has no resource `{}`",
                Address::of(&owner, ResourceType::Kem)
            ))
            .hint("`x0t plan` lists every resource address"));
        }
        vec![owner]
    };
    let replace = owners
        .iter()
        .flat_map(|o| {
            let mut a = vec![
                Address::of(o, ResourceType::Kem),
                Address::of(o, ResourceType::Dsa),
            ];
            if let Owner::Node(_) = o {
                a.push(Address::of(o, ResourceType::Jwt));
            }
            a
        })
        .collect();
    let c = Converge {
        replace,
        options: ApplyOptions::default(),
        lock_timeout: DEFAULT_LOCK_TIMEOUT,
        approved: args.auto_approve,
    };
    let report = apply::converge(ui, ctx, &loaded, &dir, &c)?;
    if let (Some(report), true) = (report, ui.is_json()) {
        ui.json(&report)?;
    }
    Ok(EXIT_OK)
}
