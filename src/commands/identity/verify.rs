//! `x0t identity verify NAME`: check an SVID the way a peer would.

use clap::Args;
use serde::Serialize;

use crate::commands::{owner, Ctx, EXIT_OK};
use crate::engine::identity::{self, Check};
use crate::engine::state::{layout, Owner};
use crate::engine::{util::fsutil, util::timefmt};
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::{Style, Ui};

/// Verify a node's (or operator's) SVID: chain to the mesh CA, SPIFFE ID, validity window,
/// key pair and X509-SVID conformance. Exits 1 if any check fails.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Node name (operator name with --operator)
    pub name: String,

    /// NAME is an operator
    #[arg(long)]
    pub operator: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Verified {
    schema_version: u32,
    owner: Owner,
    valid: bool,
    checks: Vec<Check>,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &VerifyArgs) -> Result<i32, CliError> {
    let loaded = ctx.load_manifest(ui)?;
    let m = &loaded.manifest;
    let dir = ctx.state_dir(&loaded.path);
    let who = owner(&args.name, args.operator);
    let expected = match &who {
        Owner::Node(n) if m.node(n).is_some() => m.node_spiffe_id(n),
        Owner::Operator(n) if m.operator(n).is_some() => m.operator_spiffe_id(n),
        _ => {
            return Err(EngineError::UnknownOwner {
                kind: who.kind(),
                name: who.name().into(),
            }
            .into())
        }
    };
    let read = |rel: &str| fsutil::read_to_string(&dir.path(rel)).map_err(EngineError::from);
    let ca = read(layout::CA_CERT)?;
    let cert = read(&layout::svid_cert(&who))?;
    let key = read(&layout::svid_key(&who))?;
    let checks = identity::verify_svid(&ca, &cert, &key, &expected, timefmt::now());
    let valid = checks.iter().all(|c| c.ok);
    if ui.is_json() {
        ui.json(&Verified {
            schema_version: 1,
            owner: who.clone(),
            valid,
            checks: checks.clone(),
        })?;
    } else {
        for c in &checks {
            let mark = if c.ok {
                ui.paint(Style::Add, "ok  ")
            } else {
                ui.paint(Style::Remove, "FAIL")
            };
            ui.line(&format!("{mark} {:<9} {}", c.name, c.detail))?;
        }
    }
    if valid {
        Ok(EXIT_OK)
    } else {
        let failed: Vec<&str> = checks.iter().filter(|c| !c.ok).map(|c| c.name).collect();
        Err(CliError::new(format!(
            "{} {} failed verification: {}",
            who.kind(),
            who.name(),
            failed.join(", ")
        ))
        .hint("`x0t plan` shows the SVID as to be replaced; `x0t apply` reissues it"))
    }
}
