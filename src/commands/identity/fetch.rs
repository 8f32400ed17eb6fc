//! `x0t identity fetch`: act as a workload and fetch X509-SVIDs from a Workload API.

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
/// workload socket, or SPIRE's agent), the way a workload would. Exits 1 when no identity
/// is issued to the calling uid/gid.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// The Workload API endpoint: a socket path or `unix:///path`
    #[arg(long, value_name = "ENDPOINT", env = "SPIFFE_ENDPOINT_SOCKET")]
    pub socket: Option<String>,

    /// Write svid.N.crt (chain), svid.N.key (0600) and bundle.crt into DIR
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &FetchArgs) -> Result<i32, CliError> {
    let endpoint = args
        .socket
        .clone()
        .ok_or(EngineError::from(FetchError::NoEndpoint))?;
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
