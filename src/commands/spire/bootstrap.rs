//! `x0t spire bootstrap [--out DIR]`: SPIRE server and agent configs, registration entries
//! and the trust bundle.

use std::path::PathBuf;

use clap::Args;

use crate::commands::{Ctx, EXIT_OK};
use crate::engine::util::timefmt;
use crate::error::CliError;
use crate::ui::Ui;

/// Write what SPIRE needs to issue SVIDs that chain to the mesh CA: server.conf
/// (UpstreamAuthority "disk" on the mesh CA, sqlite datastore, disk key manager, x509pop
/// node attestation trusting the mesh CA), agent-NODE.conf per node (x509pop with the
/// node's x0t SVID), entries.json for `spire-server entry create -data`, and the trust
/// bundle as bundle.pem and bundle.spiffe.json. Without --out the files are the ones
/// `apply` manages in <state-dir>/spire, so `plan` shows later edits.
#[derive(Debug, Args)]
pub struct BootstrapArgs {
    /// Write a copy into DIR instead of <state-dir>/spire
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &BootstrapArgs) -> Result<i32, CliError> {
    let loaded = ctx.load_manifest(ui)?;
    let dir = ctx.state_dir(&loaded.path);
    let report = crate::engine::plan::spire::bootstrap(
        &loaded.manifest,
        &dir,
        args.out.as_deref(),
        timefmt::now(),
    )?;
    if ui.is_json() {
        ui.json(&report)?;
        return Ok(EXIT_OK);
    }
    for name in report.files.keys() {
        ui.line(&report.out.join(name).display().to_string())?;
    }
    ui.status(&format!(
        "{} SPIRE files for trust domain {} ({} registration entries, server at {}){}",
        report.files.len(),
        report.trust_domain,
        report.entries,
        report.server_address,
        if report.unchanged {
            "; already up to date"
        } else {
            ""
        }
    ));
    ui.status(&format!(
        "next: spire-server run -config {}; spire-server entry create -data {}",
        report.out.join("server.conf").display(),
        report.out.join("entries.json").display()
    ));
    Ok(EXIT_OK)
}
