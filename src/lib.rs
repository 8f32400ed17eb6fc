//! x0t, the operator toolkit of the x0tta6bl4 mesh.
//!
//! `engine` is the library: it never prints and never parses command lines. `commands`
//! loads input, calls the engine and renders what it returns through [`ui::Ui`].

pub mod cli;
pub mod commands;
pub mod engine;
pub mod error;
pub mod ui;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

pub use cli::Cli;

/// Runs the CLI with the given arguments and returns the process exit code.
pub fn run_cli<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => return error::exit_for_clap(err),
    };
    let mut ui = ui::Ui::new(cli.global.output, cli.global.quiet, cli.global.verbose);
    match commands::run(&mut ui, &cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(err) => ExitCode::from(ui.report_error(&err)),
    }
}
