//! How the CLI reaches a live mesh: an operator identity from the state directory, or an
//! operator bundle copied from elsewhere (no CA key needed).

use std::path::PathBuf;

use clap::Args;

use super::Ctx;
use crate::engine::manifest::{Loaded, OperatorRole};
use crate::engine::node::bundle::OperatorBundle;
use crate::engine::node::client::Client;
use crate::engine::plan::Plan;
use crate::engine::state::StateDir;
use crate::engine::EngineError;
use crate::error::CliError;
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
        let client = Client::new(bundle, ctx.global.timeout).map_err(EngineError::from)?;
        Ok((runtime()?, client))
    }
}

/// The state directory's roster: every node and operator with its public keys.
pub fn read_roster(dir: &StateDir) -> Result<crate::engine::roster::Roster, CliError> {
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

/// The live mesh as plan and apply see it: a client acting as the first admin operator,
/// and the status of every node when one answers.
pub struct Live {
    pub rt: tokio::runtime::Runtime,
    pub client: Client,
    /// `None` when no node answered.
    pub status: Option<crate::engine::node::client::ClusterStatus>,
}

impl Live {
    /// What the answering nodes trust, which gates the stages of a CA rollover.
    pub fn trust(&self) -> Option<crate::engine::plan::LiveTrust> {
        self.status
            .as_ref()
            .map(crate::engine::node::live::trust_of)
    }
}

/// Asks the mesh for its status, when the state directory was applied before and names an
/// admin operator. A mesh that is not running has nothing to reconcile.
pub fn probe(ui: &Ui, ctx: &Ctx, loaded: &Loaded, dir: &StateDir) -> Option<Live> {
    let state = dir.load().ok().flatten()?;
    if state.serial == 0 {
        return None;
    }
    let op = loaded
        .manifest
        .spec
        .operators
        .iter()
        .find(|o| o.role == OperatorRole::Admin)?;
    let bundle = OperatorBundle::from_state(dir, &op.name).ok()?;
    let client = Client::new(bundle, ctx.global.timeout).ok()?;
    let rt = runtime().ok()?;
    let status = rt.block_on(status_with_leader(&client, ctx.global.timeout));
    let answered = status.nodes.iter().any(|n| n.reachable);
    if !answered {
        ui.detail(
            "no node answered: the mesh is not running, so there is no live membership to change",
        );
    } else if status.leader.is_none() {
        ui.warn(
            "nodes answered but none leads (an election is under way or the quorum is lost): \
             the plan shows no membership changes; run it again once `x0t status` names a leader",
        );
    }
    Some(Live {
        rt,
        client,
        status: answered.then_some(status),
    })
}

/// The mesh's status once a node claims the lead, or the last answer when `patience` runs
/// out: a freshly started mesh may still be electing when plan asks.
async fn status_with_leader(
    client: &Client,
    patience: std::time::Duration,
) -> crate::engine::node::client::ClusterStatus {
    let deadline = tokio::time::Instant::now() + patience;
    loop {
        let status = client.status().await;
        let answered = status.nodes.iter().any(|n| n.reachable);
        if !answered || status.leader.is_some() || tokio::time::Instant::now() >= deadline {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Adds the live cluster's membership changes to `plan`.
pub fn attach_membership(live: Option<&Live>, loaded: &Loaded, plan: &mut Plan) {
    let Some(status) = live.and_then(|l| l.status.as_ref()) else {
        return;
    };
    let gone = plan
        .state
        .nodes
        .iter()
        .map(|(k, v)| (k.clone(), v.raft_id))
        .collect();
    plan.membership =
        crate::engine::node::live::membership_plan(status, &loaded.manifest, &plan.raft_ids, &gone);
}
