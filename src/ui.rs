//! All terminal output: stdout for data, stderr for progress and diagnostics, colour only
//! on a terminal without `NO_COLOR`. The only module allowed to print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{self, IsTerminal, Write};

use serde::Serialize;

use crate::cli::OutputFormat;
use crate::error::CliError;

/// Terminal styles used in text output.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    Add,
    Change,
    Remove,
    Replace,
    Bold,
    Dim,
}

/// The one handle commands print through.
pub struct Ui {
    pub format: OutputFormat,
    quiet: bool,
    verbose: u8,
    color_out: bool,
    color_err: bool,
}

impl Ui {
    pub fn new(format: OutputFormat, quiet: bool, verbose: u8) -> Ui {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Ui {
            format,
            quiet,
            verbose,
            color_out: !no_color && io::stdout().is_terminal(),
            color_err: !no_color && io::stderr().is_terminal(),
        }
    }

    pub fn is_json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    pub fn verbose(&self) -> u8 {
        self.verbose
    }

    /// Whether stderr is an interactive terminal (for progress bars and prompts).
    pub fn stderr_is_terminal(&self) -> bool {
        io::stderr().is_terminal()
    }

    /// Whether stdin is an interactive terminal (for confirmation prompts).
    pub fn stdin_is_terminal(&self) -> bool {
        io::stdin().is_terminal()
    }

    /// Wraps `text` in an ANSI style when stdout is a colour terminal.
    pub fn paint(&self, style: Style, text: &str) -> String {
        paint(self.color_out, style, text)
    }

    /// Writes data to stdout.
    pub fn data(&mut self, text: &str) -> Result<(), CliError> {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(CliError::stdout)
    }

    /// Writes one line of data to stdout.
    pub fn line(&mut self, text: &str) -> Result<(), CliError> {
        self.data(&format!("{text}\n"))
    }

    /// Writes a value as pretty JSON to stdout.
    pub fn json<T: Serialize>(&mut self, value: &T) -> Result<(), CliError> {
        let mut text = serde_json::to_string_pretty(value).expect("engine types serialise");
        text.push('\n');
        self.data(&text)
    }

    /// Progress and status for humans, on stderr; silenced by `-q`.
    pub fn status(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// Extra detail on stderr, shown with `-v`.
    pub fn detail(&self, text: &str) {
        if self.verbose > 0 {
            eprintln!("{text}");
        }
    }

    /// A warning on stderr; shown even with `-q`.
    pub fn warn(&self, text: &str) {
        eprintln!(
            "{} {text}",
            paint(self.color_err, Style::Change, "warning:")
        );
    }

    /// Asks a yes/no question on the terminal; only `yes` accepts.
    pub fn confirm(&self, question: &str) -> Result<bool, CliError> {
        eprint!("{question} Only 'yes' will be accepted: ");
        io::stderr().flush().ok();
        let mut answer = String::new();
        io::stdin()
            .read_line(&mut answer)
            .map_err(|e| CliError::io("read the answer from stdin", e))?;
        Ok(answer.trim() == "yes")
    }

    /// Prints an error, its causes and hints to stderr; returns the exit code to use.
    pub fn report_error(&self, err: &CliError) -> u8 {
        if err.is_broken_pipe() {
            return 0;
        }
        let red = |s: &str| paint(self.color_err, Style::Remove, s);
        eprintln!("{} {}", red("error:"), err.message);
        let mut source = err.source.as_deref().map(|e| e as &dyn std::error::Error);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !err.message.contains(&text) {
                eprintln!("  caused by: {text}");
            }
            source = cause.source();
        }
        for hint in &err.hints {
            eprintln!("{} {hint}", paint(self.color_err, Style::Dim, "hint:"));
        }
        err.exit_code
    }
}

fn paint(enabled: bool, style: Style, text: &str) -> String {
    if !enabled {
        return text.to_string();
    }
    let code = match style {
        Style::Add => "32",
        Style::Change => "33",
        Style::Remove => "31",
        Style::Replace => "35",
        Style::Bold => "1",
        Style::Dim => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// Prints clap's own output (help, version, usage errors) where clap would.
pub fn print_clap(err: &clap::Error) {
    let _ = err.print();
}
