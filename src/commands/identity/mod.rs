//! `x0t identity`: inspect and verify the X509-SVIDs in the state directory.

mod show;
mod verify;

use clap::Subcommand;

use super::Ctx;
use crate::error::CliError;
use crate::ui::Ui;

/// Inspect and verify node and operator X509-SVIDs.
#[derive(Debug, Subcommand)]
pub enum IdentityCommand {
    Show(show::ShowArgs),
    Verify(verify::VerifyArgs),
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &IdentityCommand) -> Result<i32, CliError> {
    match cmd {
        IdentityCommand::Show(a) => show::run(ui, ctx, a),
        IdentityCommand::Verify(a) => verify::run(ui, ctx, a),
    }
}
