//! `x0t chaos`: fault injection into a mesh whose manifest enables it.

mod link;

use clap::Subcommand;

use super::Ctx;
use crate::error::CliError;
use crate::ui::Ui;

/// Inject faults into a running mesh (only where the manifest sets spec.chaos.enabled).
#[derive(Debug, Subcommand)]
pub enum ChaosCommand {
    Link(link::LinkArgs),
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &ChaosCommand) -> Result<i32, CliError> {
    match cmd {
        ChaosCommand::Link(a) => link::run(ui, ctx, a),
    }
}
