//! `x0t up`: bring up a local mesh from a manifest, or from the built-in quickstart.

use std::time::Duration;

use clap::Args;

use super::{apply, Ctx, EXIT_OK};
use crate::engine::manifest;
use crate::error::CliError;
use crate::ui::Ui;

/// Apply a local mesh without asking: the manifest given with -f, ./x0t.yaml, or the
/// built-in 3-node quickstart when there is neither.
#[derive(Debug, Args)]
pub struct UpArgs {
    /// Also delete the files of nodes and operators no longer in the manifest
    #[arg(long)]
    pub prune: bool,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &UpArgs) -> Result<i32, CliError> {
    let path = ctx.manifest_path();
    let loaded = if ctx.global.file.is_none() && !path.exists() {
        ui.status("No manifest given and no x0t.yaml here: using the built-in quickstart (3 local voters).");
        manifest::quickstart()
    } else {
        ctx.load_manifest(ui)?
    };
    let dir = ctx.state_dir(&loaded.path);
    let apply_args = apply::ApplyArgs {
        auto_approve: true,
        prune: args.prune,
        force: false,
        lock_timeout: Duration::from_secs(30),
    };
    apply::converge(ui, ctx, &loaded, &dir, &apply_args, true)?;
    let m = &loaded.manifest;
    ui.status(&format!(
        "Mesh {} is provisioned in {}:",
        m.metadata.name,
        dir.root.display()
    ));
    for n in &m.spec.nodes {
        ui.status(&format!(
            "  {:<8} {:<8} {:<18} {}",
            n.name,
            n.role.to_string(),
            n.listen,
            m.node_spiffe_id(&n.name)
        ));
    }
    Ok(EXIT_OK)
}
