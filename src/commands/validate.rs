//! `x0t validate`: check a manifest without touching anything.

use clap::Args;
use serde::Serialize;

use super::{print_warnings, Ctx, EXIT_OK};
use crate::engine::manifest::{self, Diagnostic, ManifestError};
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Check a manifest: syntax, unknown fields, names, addresses, durations, references.
///
/// Exits 0 when the manifest is valid (warnings allowed), 1 otherwise. Every problem is
/// reported as FILE:LINE:COL with the field path and a hint.
#[derive(Debug, Args)]
pub struct ValidateArgs {}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report<'a> {
    schema_version: u32,
    file: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    mesh: Option<&'a str>,
    nodes: usize,
    voters: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn run(ui: &mut Ui, ctx: &Ctx, _args: &ValidateArgs) -> Result<i32, CliError> {
    let path = ctx.manifest_path();
    match manifest::load(&path) {
        Ok(loaded) => {
            print_warnings(ui, &loaded);
            let m = &loaded.manifest;
            let voters = m.spec.nodes.iter().filter(|n| n.role.is_voter()).count();
            if ui.is_json() {
                ui.json(&Report {
                    schema_version: 1,
                    file: path.display().to_string(),
                    valid: true,
                    mesh: Some(&m.metadata.name),
                    nodes: m.spec.nodes.len(),
                    voters,
                    diagnostics: &loaded.warnings,
                })?;
            } else {
                ui.line(&format!(
                    "{}: valid: mesh {}, {} nodes ({voters} voters), {} operators, trust domain {}",
                    path.display(),
                    m.metadata.name,
                    m.spec.nodes.len(),
                    m.spec.operators.len(),
                    m.spec.trust_domain
                ))?;
                if ui.verbose() > 0 {
                    for n in &m.spec.nodes {
                        ui.line(&format!(
                            "  node {} {} {} raft-role {}",
                            n.name,
                            n.listen,
                            m.node_spiffe_id(&n.name),
                            n.role
                        ))?;
                    }
                    for o in &m.spec.operators {
                        ui.line(&format!(
                            "  operator {} {} {}",
                            o.name,
                            o.role,
                            m.operator_spiffe_id(&o.name)
                        ))?;
                    }
                }
            }
            Ok(EXIT_OK)
        }
        Err(ManifestError::Invalid(diags)) => {
            if ui.is_json() {
                ui.json(&Report {
                    schema_version: 1,
                    file: path.display().to_string(),
                    valid: false,
                    mesh: None,
                    nodes: 0,
                    voters: 0,
                    diagnostics: &diags,
                })?;
            }
            Err(EngineError::from(ManifestError::Invalid(diags)).into())
        }
        Err(e) => Err(EngineError::from(e).into()),
    }
}
