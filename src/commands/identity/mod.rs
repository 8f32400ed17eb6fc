//! `x0t identity`: inspect and verify the X509-SVIDs in the state directory, and fetch a
//! workload's from a Workload API.

mod fetch;
mod show;
mod verify;

use clap::Subcommand;

use super::Ctx;
use crate::error::CliError;
use crate::ui::Ui;

/// Inspect and verify node and operator X509-SVIDs; fetch workload SVIDs.
#[derive(Debug, Subcommand)]
pub enum IdentityCommand {
    Show(show::ShowArgs),
    Verify(verify::VerifyArgs),
    Fetch(fetch::FetchArgs),
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &IdentityCommand) -> Result<i32, CliError> {
    match cmd {
        IdentityCommand::Show(a) => show::run(ui, ctx, a),
        IdentityCommand::Verify(a) => verify::run(ui, ctx, a),
        IdentityCommand::Fetch(a) => fetch::run(ui, ctx, a),
    }
}
