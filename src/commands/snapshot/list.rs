//! `x0t snapshot list`: the snapshots a live node keeps on disk.

use serde::Serialize;

use super::NodeArgs;
use crate::commands::Ctx;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Listed {
    schema_version: u32,
    snapshots: Vec<crate::engine::client::SnapshotInfo>,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &NodeArgs) -> Result<(), CliError> {
    let (rt, client) = a.connect.client(ui, ctx)?;
    let list = rt
        .block_on(client.snapshot_list(a.node.as_deref()))
        .map_err(EngineError::from)?;
    if ui.is_json() {
        ui.json(&Listed {
            schema_version: 1,
            snapshots: list,
        })?;
    } else if list.is_empty() {
        ui.line("no snapshots yet (`x0t snapshot create` takes one)")?;
    } else {
        let mut out = format!(
            "{:<6} {:<24} {:>10} {:>6} {:>12}\n",
            "NODE", "ID", "INDEX", "TERM", "BYTES"
        );
        for s in &list {
            out.push_str(&format!(
                "{:<6} {:<24} {:>10} {:>6} {:>12}\n",
                s.node, s.id, s.index, s.term, s.size
            ));
        }
        ui.data(&out)?;
    }

    Ok(())
}
