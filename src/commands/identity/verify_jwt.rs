//! `x0t identity verify-jwt TOKEN --audience A`: check a JWT-SVID against the mesh.

use std::collections::HashSet;
use std::io::Read as _;

use clap::Args;
use serde::Serialize;

use crate::commands::connect::ConnectArgs;
use crate::commands::{Ctx, EXIT_OK};
use crate::engine::client;
use crate::engine::identity::jwt::{self, JwtError, Verified};
use crate::engine::util::timefmt;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Verify a JWT-SVID against the mesh's JWT bundle: signature by a node's current or
/// recently retired key, expiry, audience, trust domain, that the signing node hosts the
/// subject, and the live deny list (revoked nodes and workloads). Exits 0 if valid, 1 with
/// the reason if not.
#[derive(Debug, Args)]
pub struct VerifyJwtArgs {
    /// The token, or `-` to read it from stdin
    pub token: String,

    /// The audience the token must name
    #[arg(long, value_name = "AUDIENCE")]
    pub audience: String,

    /// Do not ask the live mesh for its deny list: check against the state directory's
    /// roster only (revocations are then not checked)
    #[arg(long)]
    pub offline: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Valid {
    schema_version: u32,
    valid: bool,
    revocations_checked: bool,
    #[serde(flatten)]
    token: Verified,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &VerifyJwtArgs) -> Result<i32, CliError> {
    let token = if args.token == "-" {
        let mut t = String::new();
        std::io::stdin()
            .take(jwt::MAX_TOKEN_BYTES as u64 + 1)
            .read_to_string(&mut t)
            .map_err(|e| CliError::io("read the token from stdin", e))?;
        t.trim().to_string()
    } else {
        args.token.trim().to_string()
    };
    let bundle = args.connect.bundle(ui, ctx)?;
    let roster = bundle.creds.roster.clone();
    let revoked: HashSet<String> = if args.offline {
        HashSet::new()
    } else {
        let (rt, client) = args.connect.client(ui, ctx)?;
        rt.block_on(client::revocations(&client))
            .map_err(|e| {
                CliError::from(EngineError::Client(Box::new(e)))
                    .hint("--offline checks the token without the deny list")
            })?
            .into_iter()
            .map(|r| r.spiffe_id)
            .collect()
    };
    let verified =
        (roster.verify_jwt(&revoked, &token, &args.audience, timefmt::now())).map_err(refused)?;
    if ui.is_json() {
        ui.json(&Valid {
            schema_version: 1,
            valid: true,
            revocations_checked: !args.offline,
            token: verified,
        })?;
        return Ok(EXIT_OK);
    }
    ui.line(&format!(
        "valid: {}  audience {}  expires {} ({} left)  signed by node {} (key {})",
        verified.spiffe_id,
        verified.audience.join(","),
        timefmt::rfc3339(verified.expires),
        timefmt::span(timefmt::between(timefmt::now(), verified.expires)),
        verified.node,
        verified.kid
    ))?;
    if args.offline {
        ui.status("revocations were not checked (--offline)");
    }
    Ok(EXIT_OK)
}

fn refused(e: JwtError) -> CliError {
    let hint = match &e {
        JwtError::Expired(_) => Some("fetch a new one: `x0t identity fetch --jwt AUDIENCE`"),
        JwtError::UnknownKey(_) => Some(
            "the token is from another trust domain, or signed by a key retired longer ago than its tokens live",
        ),
        JwtError::Audience { .. } => Some("fetch a token for this audience"),
        _ => None,
    };
    let err = CliError::new(format!("JWT-SVID refused: {e}"));
    match hint {
        Some(h) => err.hint(h),
        None => err,
    }
}
