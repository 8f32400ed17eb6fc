//! `x0t completions SHELL`: shell completion scripts.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::EXIT_OK;
use crate::cli::Cli;
use crate::error::CliError;
use crate::ui::Ui;

/// Print the completion script for a shell (bash, zsh, fish, elvish, powershell).
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: Shell,
}

pub fn run(ui: &mut Ui, args: &CompletionsArgs) -> Result<i32, CliError> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "x0t", &mut buf);
    ui.data(&String::from_utf8_lossy(&buf))?;
    Ok(EXIT_OK)
}
