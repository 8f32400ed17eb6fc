//! The command line: global flags shared by every command, and the command tree.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, ValueEnum};

use crate::commands::Command;

/// Operator toolkit of the x0tta6bl4 mesh: plan, apply and run a self-healing,
/// post-quantum-secured mesh from one declarative manifest.
///
/// Exit codes: 0 success; 1 any error (usage errors too); 2 something differs
/// (`plan --detailed-exitcode` with changes); 3 `drift` found drift.
#[derive(Debug, Parser)]
#[command(name = "x0t", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The mesh manifest [default: x0t.yaml in the current directory]
    #[arg(
        short = 'f',
        long = "file",
        global = true,
        env = "X0T_MANIFEST",
        value_name = "FILE"
    )]
    pub file: Option<PathBuf>,

    /// The state directory [default: .x0t/ beside the manifest]
    #[arg(long, global = true, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,

    /// Output format
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// How long to wait for a node to answer
    #[arg(long, global = true, value_parser = parse_duration, default_value = "10s", value_name = "DURATION")]
    pub timeout: Duration,

    /// Print only data and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more detail (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// How data on stdout is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Human-readable text
    Text,
    /// JSON with a top-level "schemaVersion": 1
    Json,
}

/// Parses a human duration such as `200ms`, `10s` or `24h`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("{e} (examples: 200ms, 10s, 24h)"))
}
