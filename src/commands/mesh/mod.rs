//! `x0t mesh`: the data plane as the nodes see it: links, routes, and a traced ping.

mod links;
mod ping;
mod routes;

use clap::Subcommand;

use super::Ctx;
use crate::error::CliError;
use crate::ui::Ui;

/// Inspect the mesh data plane: links, routes, ping.
#[derive(Debug, Subcommand)]
pub enum MeshCommand {
    Links(links::LinksArgs),
    Routes(routes::RoutesArgs),
    Ping(ping::PingArgs),
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &MeshCommand) -> Result<i32, CliError> {
    match cmd {
        MeshCommand::Links(a) => links::run(ui, ctx, a),
        MeshCommand::Routes(a) => routes::run(ui, ctx, a),
        MeshCommand::Ping(a) => ping::run(ui, ctx, a),
    }
}

/// Milliseconds with three decimals, for tables.
fn ms(seconds: f64) -> String {
    format!("{:.3}ms", seconds * 1e3)
}
