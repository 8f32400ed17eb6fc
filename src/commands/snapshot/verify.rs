//! `x0t snapshot verify FILE`: check a snapshot file's hash and signature offline.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use std::collections::HashSet;

use super::{bad, open, read_opened, roster};
use crate::commands::connect::ConnectArgs;
use crate::commands::Ctx;
use crate::engine::client;
use crate::engine::snapshot::seal::SealHeader;
use crate::engine::snapshot::Verified;
use crate::error::{CliError, EngineError};
use crate::ui::Ui;

/// Check a snapshot file's hash and signature against the roster's node keys (retired keys
/// included), and that its own deny list does not revoke its signer; with --live, that the
/// mesh's deny list does not either. Exit 1 with the reason if it does not verify.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The snapshot file
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// The recipient's ML-KEM secret key file, for a sealed snapshot [default: the
    /// recipient's key in the state directory or --context bundle]
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Also ask the live mesh for its deny list, and refuse a file signed by a node revoked
    /// since the snapshot was taken
    #[arg(long)]
    pub live: bool,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifiedOut<'a> {
    schema_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    sealed: Option<SealHeader>,
    file: &'a Path,
    valid: bool,
    index: u64,
    term: u64,
    #[serde(flatten)]
    verified: &'a Verified,
    /// The signer was checked against the live mesh's deny list too (--live).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    live_deny_list: bool,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &VerifyArgs) -> Result<(), CliError> {
    let context = a.connect.context.as_deref();
    let roster = roster(ui, ctx, context)?;
    let (bytes, sealed) = read_opened(ui, ctx, &a.path, a.key.as_deref(), context)?;
    let file = open(&a.path, &bytes)?;
    let verified = file.verify(&roster).map_err(|e| bad(&a.path, e))?;
    if a.live {
        let (rt, client) = a.connect.client(ui, ctx)?;
        let revoked: HashSet<String> = rt
            .block_on(client::revocations(&client))
            .map_err(|e| {
                CliError::from(EngineError::Client(Box::new(e)))
                    .hint("without --live the file is checked against its own deny list only")
            })?
            .into_iter()
            .map(|r| r.spiffe_id)
            .collect();
        verified
            .check_live(&roster.trust_domain, &revoked)
            .map_err(|e| bad(&a.path, e))?;
    }
    if ui.is_json() {
        ui.json(&VerifiedOut {
            schema_version: 1,
            sealed,
            file: &a.path,
            valid: true,
            index: file.header.index,
            term: file.header.term,
            verified: &verified,
            live_deny_list: a.live,
        })?;
    } else {
        let retired = if verified.retired_key {
            " (a retired key)"
        } else {
            ""
        };
        ui.line(&format!(
            "{}: valid; index {} (term {}) of mesh {}, signed by {} with {}{retired}",
            a.path.display(),
            file.header.index,
            file.header.term,
            file.header.mesh,
            verified.signer,
            verified.signer_key
        ))?;
    }

    Ok(())
}
