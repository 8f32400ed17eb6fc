//! `x0t revoke NAME`: put a node or operator on the mesh's replicated deny list.

use clap::Args;
use serde::Serialize;

use super::connect::ConnectArgs;
use super::{Ctx, EXIT_OK};
use crate::engine::client;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Revoke a node (NAME) or an operator (operator/NAME): every node refuses it from the
/// moment the deny-list entry is applied and closes its open connections, before its SVID
/// expires. `--undo` lifts it; `--list` shows the deny list. Removing a node from the
/// manifest and applying revokes it the same way.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The node name, or operator/NAME
    #[arg(required_unless_present = "list")]
    pub name: Option<String>,

    /// Why (recorded with the entry)
    #[arg(long, default_value = "revoked by an operator")]
    pub reason: String,

    /// Lift the revocation instead
    #[arg(long, conflicts_with = "list")]
    pub undo: bool,

    /// Show the deny list
    #[arg(long)]
    pub list: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Revoked {
    schema_version: u32,
    spiffe_id: String,
    revoked: bool,
    revision: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DenyList {
    schema_version: u32,
    revoked: Vec<client::Revocation>,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &RevokeArgs) -> Result<i32, CliError> {
    let (rt, client) = args.connect.client(ui, ctx)?;
    if args.list {
        let list = rt
            .block_on(client::revocations(&client))
            .map_err(|e| EngineError::Client(Box::new(e)))?;
        if ui.is_json() {
            ui.json(&DenyList {
                schema_version: 1,
                revoked: list,
            })?;
        } else {
            for r in &list {
                ui.line(&format!(
                    "{}  {}  {}",
                    r.spiffe_id,
                    crate::engine::util::timefmt::rfc3339(r.revoked_at),
                    r.reason
                ))?;
            }
            if list.is_empty() {
                ui.status("the deny list is empty");
            }
        }
        return Ok(EXIT_OK);
    }
    let name = args
        .name
        .as_deref()
        .expect("clap requires NAME without --list");
    let (kind, who) = match name.split_once('/') {
        Some(("operator", n)) => ("operator", n),
        Some(("node", n)) => ("node", n),
        Some(_) => {
            return Err(
                CliError::new(format!("`{name}` is neither a node nor operator/NAME"))
                    .hint("revoke a node by its name, an operator as operator/NAME"),
            )
        }
        None => ("node", name),
    };
    let spiffe_id = format!("spiffe://{}/{kind}/{who}", client.trust_domain());
    let revision = if args.undo {
        rt.block_on(client::unrevoke(&client, &spiffe_id))
            .map_err(|e| EngineError::Client(Box::new(e)))?
            .map(|w| w.revision)
    } else {
        Some(
            rt.block_on(client::revoke(
                &client,
                &spiffe_id,
                &args.reason,
                crate::engine::util::timefmt::now(),
            ))
            .map_err(|e| EngineError::Client(Box::new(e)))?
            .revision,
        )
    };
    if ui.is_json() {
        ui.json(&Revoked {
            schema_version: 1,
            spiffe_id,
            revoked: !args.undo,
            revision,
        })?;
    } else if args.undo {
        match revision {
            Some(r) => ui.status(&format!(
                "lifted the revocation of {spiffe_id} (revision {r})"
            )),
            None => ui.status(&format!("{spiffe_id} was not revoked")),
        }
    } else {
        ui.status(&format!(
            "revoked {spiffe_id} (revision {}): every node refuses it and closes its connections",
            revision.unwrap_or_default()
        ));
    }
    Ok(EXIT_OK)
}
