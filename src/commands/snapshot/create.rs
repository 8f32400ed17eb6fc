//! `x0t snapshot create`: take a snapshot on a live node now.

use serde::Serialize;

use super::NodeArgs;
use crate::commands::Ctx;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Created<'a> {
    schema_version: u32,
    #[serde(flatten)]
    snapshot: &'a crate::engine::client::SnapshotInfo,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &NodeArgs) -> Result<(), CliError> {
    let (rt, client) = a.connect.client(ui, ctx)?;
    let s = rt
        .block_on(client.snapshot_create(a.node.as_deref()))
        .map_err(EngineError::from)?;
    if ui.is_json() {
        ui.json(&Created {
            schema_version: 1,
            snapshot: &s,
        })?;
    } else {
        ui.line(&format!(
            "snapshot {} on {}: index {}, term {}, {} bytes",
            s.id, s.node, s.index, s.term, s.size
        ))?;
    }

    Ok(())
}
