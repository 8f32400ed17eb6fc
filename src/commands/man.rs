//! `x0t man --out DIR`: one man page per command.

use std::path::PathBuf;

use clap::{Args, CommandFactory};

use super::EXIT_OK;
use crate::cli::Cli;
use crate::engine::util::fsutil;
use crate::error::CliError;
use crate::ui::Ui;

/// Write man pages, one per command and subcommand (x0t.1, x0t-plan.1, ...), into DIR.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Directory for the pages (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(ui: &mut Ui, args: &ManArgs) -> Result<i32, CliError> {
    fsutil::create_dir_all(&args.out).map_err(crate::error::EngineError::from)?;
    let mut cmd = Cli::command();
    cmd.build();
    let mut written = 0;
    write_pages(&cmd, "x0t", &args.out, &mut written)?;
    ui.status(&format!(
        "wrote {written} man pages to {}",
        args.out.display()
    ));
    Ok(EXIT_OK)
}

fn write_pages(
    cmd: &clap::Command,
    name: &str,
    out: &std::path::Path,
    written: &mut usize,
) -> Result<(), CliError> {
    let page = cmd.clone().name(name.to_string());
    let mut buf = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut buf)
        .map_err(|e| CliError::io("render a man page", e))?;
    let path = out.join(format!("{name}.1"));
    fsutil::write_atomic(&path, &buf, 0o644).map_err(crate::error::EngineError::from)?;
    *written += 1;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        write_pages(sub, &format!("{name}-{}", sub.get_name()), out, written)?;
    }
    Ok(())
}
