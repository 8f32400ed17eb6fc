//! `x0t identity`: inspect and verify the X509-SVIDs in the state directory, fetch a
//! workload's X509- or JWT-SVIDs from a Workload API, and verify a JWT-SVID.

mod fetch;
mod show;
mod verify;
mod verify_jwt;

use clap::Subcommand;

use super::Ctx;
use crate::error::CliError;
use crate::ui::Ui;

/// Inspect and verify node and operator X509-SVIDs; fetch workload SVIDs (X.509 or JWT);
/// verify a JWT-SVID.
#[derive(Debug, Subcommand)]
pub enum IdentityCommand {
    Show(show::ShowArgs),
    Verify(verify::VerifyArgs),
    Fetch(fetch::FetchArgs),
    VerifyJwt(verify_jwt::VerifyJwtArgs),
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &IdentityCommand) -> Result<i32, CliError> {
    match cmd {
        IdentityCommand::Show(a) => show::run(ui, ctx, a),
        IdentityCommand::Verify(a) => verify::run(ui, ctx, a),
        IdentityCommand::Fetch(a) => fetch::run(ui, ctx, a),
        IdentityCommand::VerifyJwt(a) => verify_jwt::run(ui, ctx, a),
    }
}
