//! `x0t identity show NAME`: the SVID of a node or operator.

use clap::Args;
use serde::Serialize;

use crate::commands::{owner, Ctx, EXIT_OK};
use crate::engine::identity::CertInfo;
use crate::engine::state::StateError;
use crate::engine::state::{layout, Owner};
use crate::engine::{util::fsutil, util::timefmt};
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Show a node's (or, with --operator, an operator's) X509-SVID: SPIFFE ID, issuer,
/// validity, key and fingerprints.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Node name (operator name with --operator)
    pub name: String,

    /// NAME is an operator
    #[arg(long)]
    pub operator: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Shown {
    schema_version: u32,
    owner: Owner,
    spiffe_id: Option<String>,
    path: String,
    expires_in_seconds: u64,
    certificate: CertInfo,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &ShowArgs) -> Result<i32, CliError> {
    let loaded = ctx.load_manifest(ui)?;
    let dir = ctx.state_dir(&loaded.path);
    let who = owner(&args.name, args.operator);
    let path = dir.path(&layout::svid_cert(&who));
    let pem = fsutil::read_to_string(&path).map_err(|e| match e.source.kind() {
        std::io::ErrorKind::NotFound => EngineError::from(StateError::NotApplied {
            dir: dir.root.clone(),
        }),
        _ => e.into(),
    })?;
    let cert = CertInfo::from_pem(&pem).map_err(EngineError::from)?;
    let now = timefmt::now();
    let shown = Shown {
        schema_version: 1,
        owner: who,
        spiffe_id: cert.uris.first().cloned(),
        path: path.display().to_string(),
        expires_in_seconds: timefmt::between(now, cert.not_after).as_secs(),
        certificate: cert,
    };
    if ui.is_json() {
        ui.json(&shown)?;
        return Ok(EXIT_OK);
    }
    let c = &shown.certificate;
    let text = format!(
        "SPIFFE ID:    {}\nFile:         {}\nSubject:      {}\nIssuer:       {}\nSerial:       {}\nNot before:   {}\nNot after:    {} (in {})\nKey:          {}\nSHA-256:      {}\n",
        shown.spiffe_id.as_deref().unwrap_or("(none)"),
        shown.path,
        c.subject,
        c.issuer,
        c.serial,
        timefmt::rfc3339(c.not_before),
        timefmt::rfc3339(c.not_after),
        timefmt::span(std::time::Duration::from_secs(shown.expires_in_seconds)),
        c.key_algorithm,
        c.sha256,
    );
    ui.data(&text)?;
    Ok(EXIT_OK)
}
