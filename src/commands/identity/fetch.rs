//! `x0t identity fetch`: act as a workload and fetch X509-SVIDs, or JWT-SVIDs with
//! `--jwt`, from a Workload API.

use std::path::PathBuf;

use clap::Args;

use crate::commands::connect::runtime;
use crate::commands::{Ctx, EXIT_OK};
use crate::engine::client::workload::{self, FetchError};
use crate::engine::util::fsutil::{self, PRIVATE_MODE, PUBLIC_MODE};
use crate::engine::util::timefmt;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Fetch this process's X509-SVIDs and trust bundles from a SPIFFE Workload API (a node's
/// workload socket, or SPIRE's agent), the way a workload would; with --jwt, a JWT-SVID for
/// that audience instead, printed alone on stdout for scripts. Exits 1 when no identity is
/// issued to the calling uid/gid.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// The Workload API endpoint: a socket path or `unix:///path`
    #[arg(long, value_name = "ENDPOINT", env = "SPIFFE_ENDPOINT_SOCKET")]
    pub socket: Option<String>,

    /// Fetch a JWT-SVID for AUDIENCE (repeat for a token with several audiences)
    #[arg(long, value_name = "AUDIENCE")]
    pub jwt: Vec<String>,

    /// Write svid.N.crt (chain), svid.N.key (0600) and bundle.crt into DIR; with --jwt,
    /// write the token to this file (0600) instead of stdout
    #[arg(long, value_name = "DIR|FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &FetchArgs) -> Result<i32, CliError> {
    let endpoint = args
        .socket
        .clone()
        .ok_or(EngineError::from(FetchError::NoEndpoint))?;
    if !args.jwt.is_empty() {
        return run_jwt(ui, ctx, args, &endpoint);
    }
    let fetched = runtime()?
        .block_on(workload::fetch(&endpoint, ctx.global.timeout))
        .map_err(EngineError::from)?;
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::io(&format!("create {}", dir.display()), e))?;
        for (i, s) in fetched.svids.iter().enumerate() {
            let crt = dir.join(format!("svid.{i}.crt"));
            let key = dir.join(format!("svid.{i}.key"));
            fsutil::write_atomic(
                &crt,
                workload::pem("CERTIFICATE", &s.chain).as_bytes(),
                PUBLIC_MODE,
            )
            .map_err(EngineError::from)?;
            fsutil::write_atomic(
                &key,
                workload::pem("PRIVATE KEY", std::slice::from_ref(&s.key)).as_bytes(),
                PRIVATE_MODE,
            )?;
        }
        let authorities: Vec<Vec<u8>> =
            fetched.bundles.iter().flat_map(|b| b.der.clone()).collect();
        fsutil::write_atomic(
            &dir.join("bundle.crt"),
            workload::pem("CERTIFICATE", &authorities).as_bytes(),
            PUBLIC_MODE,
        )?;
    }
    if ui.is_json() {
        ui.json(&fetched)?;
        return Ok(EXIT_OK);
    }
    let now = timefmt::now();
    for s in &fetched.svids {
        ui.line(&format!(
            "{}  expires {} ({} left)  chain {}  issuer {}",
            s.spiffe_id,
            timefmt::rfc3339(s.not_after),
            timefmt::span(timefmt::between(now, s.not_after)),
            s.chain_length,
            s.issuer
        ))?;
    }
    for b in &fetched.bundles {
        ui.line(&format!(
            "bundle {}  {} CA certificate(s)",
            b.trust_domain,
            b.authorities.len()
        ))?;
    }
    if let Some(dir) = &args.out {
        ui.status(&format!("wrote {}", dir.display()));
    }
    Ok(EXIT_OK)
}

fn run_jwt(ui: &mut Ui, ctx: &Ctx, args: &FetchArgs, endpoint: &str) -> Result<i32, CliError> {
    let fetched = runtime()?
        .block_on(workload::fetch_jwt(endpoint, &args.jwt, ctx.global.timeout))
        .map_err(EngineError::from)?;
    let first = fetched.svids.first().ok_or_else(|| {
        CliError::new(format!(
            "the Workload API at {endpoint} returned no JWT-SVID"
        ))
    })?;
    if let Some(file) = &args.out {
        let mut text = first.token.clone();
        text.push('\n');
        fsutil::write_atomic(file, text.as_bytes(), PRIVATE_MODE)?;
    }
    if ui.is_json() {
        // A token written to a file stays off stdout.
        let mut shown = fetched.clone();
        if args.out.is_some() {
            shown.svids.iter_mut().for_each(|s| s.token.clear());
        }
        ui.json(&shown)?;
        return Ok(EXIT_OK);
    }
    match &args.out {
        Some(file) => ui.status(&format!(
            "wrote the JWT-SVID of {} to {}",
            first.spiffe_id,
            file.display()
        )),
        None => ui.line(&first.token)?,
    }
    ui.status(&format!(
        "{}  audience {}  expires {}  key {}",
        first.spiffe_id,
        first.audience.join(","),
        timefmt::rfc3339(first.expires_at),
        first.key_id
    ));
    Ok(EXIT_OK)
}
