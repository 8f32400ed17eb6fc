//! `x0t version`: this build, and with --verbose what it links.

use clap::Args;

use super::EXIT_OK;
use crate::engine::doctor;
use crate::error::CliError;
use crate::ui::Ui;

/// Print the x0t version; with --verbose (the global flag) also liboqs and its enabled
/// algorithms.
#[derive(Debug, Args)]
pub struct VersionArgs {}

pub fn run(ui: &mut Ui, _args: &VersionArgs) -> Result<i32, CliError> {
    let info = doctor::build_info();
    if ui.is_json() {
        ui.json(&info)?;
    } else if ui.verbose() > 0 {
        ui.data(&format!(
            "x0t {}\nliboqs:      {} (built from source, linked statically)\nKEMs:        {}\nSignatures:  {}\nTarget:      {}\n",
            info.version,
            info.liboqs_version,
            info.kem_algorithms.join(", "),
            info.signature_algorithms.join(", "),
            info.target
        ))?;
    } else {
        ui.line(&format!("x0t {}", info.version))?;
    }
    Ok(EXIT_OK)
}
