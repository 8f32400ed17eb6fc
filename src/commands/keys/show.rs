//! `x0t keys show NAME`: algorithms, fingerprints and ages of an identity's PQC keys.

use clap::Args;

use crate::commands::{owner, Ctx, EXIT_OK};
use crate::engine::{identity::keys, util::timefmt};
use crate::error::CliError;
use crate::ui::Ui;

/// Show a node's (or, with --operator, an operator's) ML-KEM and ML-DSA keys, and a node's
/// JWT-SVID signing key with the retired ones that still verify: algorithm, public-key
/// fingerprint, created, rotate-after.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Node name (operator name with --operator)
    pub name: String,

    /// NAME is an operator
    #[arg(long)]
    pub operator: bool,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &ShowArgs) -> Result<i32, CliError> {
    let loaded = ctx.load_manifest(ui)?;
    let dir = ctx.state_dir(&loaded.path);
    let report = keys::show(&loaded.manifest, &dir, &owner(&args.name, args.operator))?;
    if ui.is_json() {
        ui.json(&report)?;
        return Ok(EXIT_OK);
    }
    let mut text = String::new();
    for k in &report.keys {
        text.push_str(&format!(
            "{} ({})\n  public key:   sha256:{} ({} bytes)\n  created:      {}\n  rotate after: {}\n  secret key:   {} (mode {})\n",
            k.algorithm,
            k.purpose,
            k.public_key_sha256,
            k.public_key_bytes,
            timefmt::rfc3339(k.created),
            timefmt::rfc3339(k.rotate_after),
            k.secret_key_path,
            k.secret_key_mode
        ));
        if let Some(kid) = &k.key_id {
            text.push_str(&format!("  key id:       {kid}\n"));
        }
    }
    for r in &report.retired_jwt_keys {
        text.push_str(&format!(
            "ES256 (jwt, retired)\n  key id:       {}\n  verifies until: {}\n",
            r.key_id,
            timefmt::rfc3339(r.valid_until)
        ));
    }
    ui.data(&text)?;
    Ok(EXIT_OK)
}
