//! `x0t keys`: the post-quantum keys of nodes and operators.

mod rotate;
mod show;

use clap::Subcommand;

use super::Ctx;
use crate::error::CliError;
use crate::ui::Ui;

/// Inspect and rotate ML-KEM and ML-DSA keys and nodes' JWT-SVID signing keys.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    Show(show::ShowArgs),
    Rotate(rotate::RotateArgs),
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &KeysCommand) -> Result<i32, CliError> {
    match cmd {
        KeysCommand::Show(a) => show::run(ui, ctx, a),
        KeysCommand::Rotate(a) => rotate::run(ui, ctx, a),
    }
}
