//! `x0t spire`: what an operator who runs SPIRE needs from the mesh.

mod bootstrap;
mod sync;

use clap::Subcommand;

use super::Ctx;
use crate::error::CliError;
use crate::ui::Ui;

/// Configure SPIRE to issue SVIDs that chain to the mesh CA.
#[derive(Debug, Subcommand)]
pub enum SpireCommand {
    Bootstrap(bootstrap::BootstrapArgs),
    Sync(sync::SyncArgs),
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &SpireCommand) -> Result<i32, CliError> {
    match cmd {
        SpireCommand::Bootstrap(a) => bootstrap::run(ui, ctx, a),
        SpireCommand::Sync(a) => sync::run(ui, ctx, a),
    }
}
