//! `x0t node`: run a mesh node.

mod run;

use clap::Subcommand;

use super::Ctx;
use crate::error::CliError;
use crate::ui::Ui;

/// Run a mesh node in the foreground.
#[derive(Debug, Subcommand)]
pub enum NodeCommand {
    Run(run::RunArgs),
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &NodeCommand) -> Result<i32, CliError> {
    match cmd {
        NodeCommand::Run(a) => run::run(ui, ctx, a),
    }
}
