//! `x0t snapshot verify FILE`: check a snapshot file's hash and signature offline.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::{bad, open, read_opened, roster};
use crate::commands::Ctx;
use crate::engine::snapshot::seal::SealHeader;
use crate::engine::snapshot::Verified;
use crate::error::CliError;
use crate::ui::Ui;

/// Check a snapshot file's hash and signature against the roster's node keys (retired keys
/// included); exit 1 with the reason if it does not verify.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The snapshot file
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// The recipient's ML-KEM secret key file, for a sealed snapshot [default: the
    /// recipient's key in the state directory or --context bundle]
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Take the roster from an operator bundle directory instead of the state directory
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
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
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &VerifyArgs) -> Result<(), CliError> {
    let roster = roster(ui, ctx, a.context.as_deref())?;
    let (bytes, sealed) = read_opened(ui, ctx, &a.path, a.key.as_deref(), a.context.as_deref())?;
    let file = open(&a.path, &bytes)?;
    let verified = file.verify(&roster).map_err(|e| bad(&a.path, e))?;
    if ui.is_json() {
        ui.json(&VerifiedOut {
            schema_version: 1,
            sealed,
            file: &a.path,
            valid: true,
            index: file.header.index,
            term: file.header.term,
            verified: &verified,
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
