//! How the CLI reaches a live mesh: an operator identity from the state directory, or an
//! operator bundle copied from elsewhere (no CA key needed).

use std::path::PathBuf;

use clap::Args;

use super::Ctx;
use crate::engine::bundle::OperatorBundle;
use crate::engine::client::Client;
use crate::engine::manifest::OperatorRole;
use crate::engine::state::StateDir;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

#[derive(Debug, Clone, Args)]
pub struct ConnectArgs {
    /// Act as this operator [default: the first admin operator of the manifest]
    #[arg(long, value_name = "NAME")]
    pub operator: Option<String>,

    /// Use an operator bundle directory (from `x0t bundle --operator`) instead of the
    /// manifest and state directory
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
}

impl ConnectArgs {
    /// A client for the mesh, plus a tokio runtime to drive it.
    pub fn client(
        &self,
        ui: &Ui,
        ctx: &Ctx,
    ) -> Result<(tokio::runtime::Runtime, Client), CliError> {
        let bundle = self.bundle(ui, ctx)?;
        let client = Client::new(bundle, ctx.global.timeout).map_err(EngineError::from)?;
        Ok((runtime()?, client))
    }

    /// A client that acts as the workload the Workload API at `socket` identifies (its
    /// X509-SVID) instead of an operator; the mesh's roster and addresses still come from
    /// the state directory or --context. Also returns the workload's node.
    pub fn workload_client(
        &self,
        ui: &Ui,
        ctx: &Ctx,
        socket: &str,
    ) -> Result<(tokio::runtime::Runtime, Client, String), CliError> {
        let rt = runtime()?;
        let fetched = rt
            .block_on(crate::engine::client::workload::fetch(
                socket,
                ctx.global.timeout,
            ))
            .map_err(EngineError::from)?;
        let svid = fetched.svids.first().ok_or_else(|| {
            CliError::new(format!("the Workload API at {socket} issued no X509-SVID"))
        })?;
        let (bundle, node) = (self.bundle(ui, ctx)?)
            .as_workload(&svid.chain, &svid.key)
            .map_err(EngineError::from)?;
        let client = Client::new(bundle, ctx.global.timeout).map_err(EngineError::from)?;
        Ok((rt, client, node))
    }

    /// The operator identity and roster to act with: from --context, else the state directory.
    pub fn bundle(&self, ui: &Ui, ctx: &Ctx) -> Result<OperatorBundle, CliError> {
        let bundle = match &self.context {
            Some(dir) => OperatorBundle::from_dir(dir).map_err(EngineError::from)?,
            None => {
                // The roster of the state directory names the operators and their roles, so
                // only the state directory is needed (--state-dir, or beside the manifest).
                let dir = ctx.resolve_state_dir(ui)?;
                let name = match &self.operator {
                    Some(n) => n.clone(),
                    None => default_operator(&dir)?,
                };
                OperatorBundle::from_state(&dir, &name).map_err(EngineError::from)?
            }
        };
        Ok(bundle)
    }
}

/// The state directory's roster: every node and operator with its public keys.
pub fn read_roster(dir: &StateDir) -> Result<crate::engine::identity::roster::Roster, CliError> {
    let rel = crate::engine::state::layout::ROSTER;
    let bytes = dir.read(rel).map_err(EngineError::from)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        CliError::new(format!("{}: {e}", dir.path(rel).display()))
            .hint("run `x0t drift`; `x0t apply` rewrites it")
    })
}

/// The first admin operator in the state directory's roster.
pub fn default_operator(dir: &StateDir) -> Result<String, CliError> {
    let roster = read_roster(dir)?;
    roster
        .operators
        .iter()
        .find(|o| o.role == OperatorRole::Admin)
        .or(roster.operators.first())
        .map(|o| o.name.clone())
        .ok_or_else(|| {
            CliError::new("the roster names no operator")
                .hint("declare one under spec.operators and apply")
        })
}

pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::io("start the async runtime", e))
}
