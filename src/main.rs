//! The `x0t` binary: parse the command line, run the command, map the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    x0tta6bl4::run_cli(std::env::args_os())
}
