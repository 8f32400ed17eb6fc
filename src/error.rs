//! The error type at the edge: one `CliError` with an exit code, a message, its cause and
//! hints. Every engine error converts into it through a `From` impl that picks the hints.

use std::error::Error as StdError;
use std::process::ExitCode;

use crate::engine::EngineError;

/// Exit code for any error, usage errors included.
pub const EXIT_ERROR: u8 = 1;

/// What a command reports to the process: an exit code and, on failure, why.
#[derive(Debug)]
pub struct CliError {
    pub exit_code: u8,
    pub message: String,
    pub source: Option<Box<dyn StdError + Send + Sync>>,
    pub hints: Vec<String>,
    broken_pipe: bool,
}

impl CliError {
    /// A plain error with a message.
    pub fn new(message: impl Into<String>) -> CliError {
        CliError {
            exit_code: EXIT_ERROR,
            message: message.into(),
            source: None,
            hints: Vec::new(),
            broken_pipe: false,
        }
    }

    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> CliError {
        self.hints.push(hint.into());
        self
    }

    /// An I/O failure while doing `what`.
    pub fn io(what: &str, err: std::io::Error) -> CliError {
        let mut e = CliError::new(format!("could not {what}"));
        e.source = Some(Box::new(err));
        e
    }

    /// A failure to write to stdout; a closed pipe ends the command quietly.
    pub fn stdout(err: std::io::Error) -> CliError {
        let broken = err.kind() == std::io::ErrorKind::BrokenPipe;
        let mut e = CliError::io("write to stdout", err);
        e.broken_pipe = broken;
        e
    }

    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }
}

impl From<EngineError> for CliError {
    fn from(err: EngineError) -> CliError {
        let mut e = CliError::new(err.to_string());
        e.hints = err.hints();
        e.source = Some(Box::new(err));
        e
    }
}

/// Maps a clap parse failure: help and version exit 0, everything else exits 1 (never 2,
/// which scripts read as "changes").
pub fn exit_for_clap(err: clap::Error) -> ExitCode {
    crate::ui::print_clap(&err);
    match err.kind() {
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
            ExitCode::SUCCESS
        }
        _ => ExitCode::from(EXIT_ERROR),
    }
}

impl From<crate::engine::util::fsutil::FsError> for CliError {
    fn from(err: crate::engine::util::fsutil::FsError) -> CliError {
        EngineError::from(err).into()
    }
}
