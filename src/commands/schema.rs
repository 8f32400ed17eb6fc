//! `x0t schema`: the manifest's JSON Schema, for editors.

use clap::Args;

use super::EXIT_OK;
use crate::engine::manifest::Manifest;
use crate::error::CliError;
use crate::ui::Ui;

/// Print the JSON Schema of the mesh manifest (for editor validation and completion).
#[derive(Debug, Args)]
pub struct SchemaArgs {}

pub fn run(ui: &mut Ui, _args: &SchemaArgs) -> Result<i32, CliError> {
    let schema = schemars::schema_for!(Manifest);
    ui.json(&schema)?;
    Ok(EXIT_OK)
}
