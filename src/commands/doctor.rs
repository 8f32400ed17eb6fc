//! `x0t doctor`: can this host run the mesh?

use clap::Args;

use super::{Ctx, EXIT_OK};
use crate::engine::doctor::{self, DoctorCheck, Status};
use crate::engine::manifest;
use crate::engine::util::timefmt;
use crate::error::CliError;
use crate::ui::{Style, Ui};

/// Check this host: liboqs self-test, manifest, state directory writable, private key
/// permissions, clock. Exits 1 if a check fails.
#[derive(Debug, Args)]
pub struct DoctorArgs {}

pub fn run(ui: &mut Ui, ctx: &Ctx, _args: &DoctorArgs) -> Result<i32, CliError> {
    let path = ctx.manifest_path();
    let check = match manifest::load(&path) {
        Ok(l) => DoctorCheck {
            name: "manifest".into(),
            status: if l.warnings.is_empty() {
                Status::Ok
            } else {
                Status::Warn
            },
            detail: format!(
                "{} is valid ({} warnings)",
                path.display(),
                l.warnings.len()
            ),
        },
        Err(manifest::ManifestError::NotFound { .. }) if ctx.global.file.is_none() => DoctorCheck {
            name: "manifest".into(),
            status: Status::Warn,
            detail: format!("no manifest at {}", path.display()),
        },
        Err(e) => DoctorCheck {
            name: "manifest".into(),
            status: Status::Fail,
            detail: e.to_string(),
        },
    };
    let report = doctor::doctor(&ctx.state_dir(&path), check, timefmt::now());
    if ui.is_json() {
        ui.json(&report)?;
    } else {
        let b = &report.build;
        ui.line(&format!(
            "x0t {} with liboqs {} ({}, {})",
            b.version,
            b.liboqs_version,
            b.kem_algorithms.join(" "),
            b.signature_algorithms.join(" ")
        ))?;
        for c in &report.checks {
            let mark = match c.status {
                Status::Ok => ui.paint(Style::Add, "ok  "),
                Status::Warn => ui.paint(Style::Change, "warn"),
                Status::Fail => ui.paint(Style::Remove, "FAIL"),
            };
            ui.line(&format!("{mark} {:<15} {}", c.name, c.detail))?;
        }
    }
    if report.healthy {
        Ok(EXIT_OK)
    } else {
        Err(CliError::new("doctor found problems"))
    }
}
