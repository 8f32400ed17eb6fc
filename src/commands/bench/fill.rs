//! `x0t bench fill`: load a running mesh with keys, for snapshot and restore measurements.

use std::sync::Arc;

use clap::Args;

use crate::commands::connect::ConnectArgs;
use crate::commands::{Ctx, EXIT_OK};
use crate::engine::bench;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Write KEYS keys of VALUE_SIZE bytes into a running mesh from concurrent writers (each
/// write acknowledged, so the mesh holds them all when this returns).
#[derive(Debug, Args)]
pub struct FillArgs {
    /// How many keys to write
    #[arg(long, default_value_t = 100_000)]
    pub keys: u64,
    /// Size of each value in bytes
    #[arg(long, default_value_t = 1024)]
    pub value_size: usize,
    /// Concurrent writers
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// Key prefix; keys are PREFIX000000, PREFIX000001, …
    #[arg(long, default_value = "fill/")]
    pub prefix: String,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &FillArgs) -> Result<i32, CliError> {
    let (rt, client) = args.connect.client(ui, ctx)?;
    ui.status(&format!(
        "writing {} keys of {} bytes",
        args.keys, args.value_size
    ));
    let r = rt
        .block_on(bench::fill(
            Arc::new(client),
            &args.prefix,
            args.keys,
            args.value_size,
            args.clients,
        ))
        .map_err(EngineError::from)?;
    if ui.is_json() {
        ui.json(&r)?;
    } else {
        ui.line(&format!(
            "wrote {} keys of {} bytes in {:.1} s ({:.0} writes/s)",
            r.keys, r.value_bytes, r.seconds, r.writes_per_second
        ))?;
    }
    Ok(EXIT_OK)
}
