//! `x0t snapshot inspect FILE`: a snapshot file's header and contents, offline.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::{bad, open, read_opened};
use crate::commands::Ctx;
use crate::engine::snapshot::seal::SealHeader;
use crate::engine::snapshot::{Header, Summary};
use crate::error::CliError;
use crate::ui::Ui;

/// Show a snapshot file's header, key count and size by key prefix (no manifest needed).
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The snapshot file
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// The recipient's ML-KEM secret key file, for a sealed snapshot [default: the
    /// recipient's key in the state directory or --context bundle]
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Inspected<'a> {
    schema_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    sealed: Option<SealHeader>,
    file: &'a Path,
    bytes: u64,
    header: &'a Header,
    summary: &'a Summary,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, a: &InspectArgs) -> Result<(), CliError> {
    let (bytes, sealed) = read_opened(ui, ctx, &a.path, a.key.as_deref(), None)?;
    let file = open(&a.path, &bytes)?;
    let summary = file.summary().map_err(|e| bad(&a.path, e))?;
    if ui.is_json() {
        ui.json(&Inspected {
            schema_version: 1,
            sealed,
            file: &a.path,
            bytes: bytes.len() as u64,
            header: &file.header,
            summary: &summary,
        })?;
    } else {
        if let Some(s) = &sealed {
            ui.line(&format!(
                "sealed to:   {} ({}, {} + {})",
                s.recipient, s.recipient_key, s.kem, s.aead
            ))?;
        }
        ui.data(&render_inspect(
            &a.path,
            bytes.len(),
            &file.header,
            &summary,
        ))?;
    }

    Ok(())
}

fn render_inspect(path: &Path, size: usize, h: &Header, s: &Summary) -> String {
    let mut out = format!(
        "file:        {} ({size} bytes, format {})\n\
         mesh:        {} ({})\n\
         node:        {} (raft id {})\n\
         log id:      index {}, term {}\n\
         voters:      {}\n\
         learners:    {}\n\
         created:     {}\n\
         payload:     {} bytes, sha256 {}\n\
         signature:   {} by key {}\n\
         keys:        {} ({} audit records)\n",
        path.display(),
        h.format_version,
        h.mesh,
        h.trust_domain,
        h.node,
        h.raft_id,
        h.index,
        h.term,
        h.membership.voters.join(", "),
        if h.membership.learners.is_empty() {
            "-".to_string()
        } else {
            h.membership.learners.join(", ")
        },
        h.created_at,
        h.payload_length,
        h.payload_sha256,
        h.signature_algorithm,
        h.signer_key,
        s.keys,
        s.audit_records,
    );
    if !s.prefixes.is_empty() {
        out.push_str(&format!(
            "\n{:<32} {:>10} {:>14}\n",
            "PREFIX", "KEYS", "BYTES"
        ));
        for (prefix, p) in &s.prefixes {
            out.push_str(&format!("{prefix:<32} {:>10} {:>14}\n", p.keys, p.bytes));
        }
    }
    out
}
