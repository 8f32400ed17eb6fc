//! `x0t snapshot save FILE`: fetch a fresh snapshot from a live node, verify it, seal it
//! on request, and write it atomically.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::{bad, open, recipient_key, roster};
use crate::commands::connect::ConnectArgs;
use crate::commands::Ctx;
use crate::engine::snapshot::seal::{self, SealHeader};
use crate::engine::snapshot::transfer::Incoming;
use crate::engine::snapshot::{Header, Verified};
use crate::engine::util::fsutil;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Take a fresh snapshot on a live node and save it, signed by that node, to FILE
/// (written to a temporary file beside it, synced, then renamed over FILE).
#[derive(Debug, Args)]
pub struct SaveArgs {
    /// Where to write the snapshot file
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// Seal the file to this operator's (or node's) ML-KEM key: only its secret key opens it
    #[arg(long, value_name = "NAME")]
    pub encrypt_to: Option<String>,
    /// The node to ask [default: the leader]
    #[arg(long, value_name = "NAME")]
    pub node: Option<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Saved<'a> {
    schema_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    sealed: Option<SealHeader>,
    file: &'a Path,
    bytes: u64,
    header: &'a Header,
    verified: &'a Verified,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &SaveArgs) -> Result<(), CliError> {
    let roster = roster(ui, ctx, a.connect.context.as_deref())?;
    let (rt, client) = a.connect.client(ui, ctx)?;
    ui.status("taking a fresh snapshot");
    // A plain file is written to FILE.part as it arrives; a file to seal only once
    // sealed. Either way the payload is hashed on the way in.
    let mut incoming = Incoming::new(&a.path, a.encrypt_to.is_none());
    let fetched = rt.block_on(client.snapshot_fetch(a.node.as_deref(), |p| incoming.piece(p)));
    let bytes = match fetched {
        Ok(bytes) => bytes,
        Err(e) => {
            incoming.discard();
            return Err(EngineError::from(e).into());
        }
    };
    // Only a file that verifies is kept.
    let file = match open(&a.path, &bytes) {
        Ok(file) => file,
        Err(e) => {
            incoming.discard();
            return Err(e);
        }
    };
    let sha256 = incoming.sha256();
    let verified = match file.verify_hashed(&roster, sha256) {
        Ok(v) => v,
        Err(e) => {
            incoming.discard();
            return Err(bad(&a.path, e));
        }
    };
    let (out, sealed) = match &a.encrypt_to {
        Some(name) => {
            let (alg, public) =
                recipient_key(ui, ctx, a.connect.context.as_deref(), &roster, name)?;
            let out = seal::seal(&bytes, name, alg, &public)
                .map_err(|e| CliError::new(format!("cannot seal the snapshot: {e}")))?;
            let header = seal::parse(&out)
                .map_err(|e| CliError::new(format!("cannot seal the snapshot: {e}")))?
                .header;
            (std::borrow::Cow::Owned(out), Some(header))
        }
        None => (std::borrow::Cow::Borrowed(bytes.as_slice()), None),
    };
    if !incoming.keep().map_err(EngineError::from)? {
        fsutil::write_atomic(&a.path, &out, fsutil::PRIVATE_MODE).map_err(EngineError::from)?;
    }
    let h = &file.header;
    if ui.is_json() {
        ui.json(&Saved {
            schema_version: 1,
            sealed: sealed.clone(),
            file: &a.path,
            bytes: out.len() as u64,
            header: h,
            verified: &verified,
        })?;
    } else {
        let to = match &sealed {
            Some(s) => format!(", sealed to {} ({})", s.recipient, s.recipient_key),
            None => String::new(),
        };
        ui.line(&format!(
            "saved {}: snapshot of {} at index {} (term {}), {} bytes, signed by {} ({}){to}",
            a.path.display(),
            h.mesh,
            h.index,
            h.term,
            out.len(),
            verified.signer,
            verified.signer_key
        ))?;
    }

    Ok(())
}
