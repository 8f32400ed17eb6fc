//! The `x0t` binary: parse the command line, run the command, map the outcome to an exit code.

use std::process::ExitCode;

// A node's hot path allocates per message (gRPC frames, log entries, JSON); glibc's allocator
// spent about a tenth of the CPU of a loaded 3-node mesh, mimalloc a fraction of that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    x0tta6bl4::run_cli(std::env::args_os())
}
