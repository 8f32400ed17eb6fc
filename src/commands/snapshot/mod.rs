//! `x0t snapshot`: take, save, list, inspect, verify and restore Raft snapshots. One file per
//! leaf command; the helpers they share (reading and opening a possibly sealed file, the
//! roster to verify against) are here.

mod create;
mod inspect;
mod list;
mod restore;
mod save;
mod verify;

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::connect::ConnectArgs;
use super::{Ctx, EXIT_OK};
use crate::engine::bundle::OperatorBundle;
use crate::engine::identity::roster::Roster;
use crate::engine::pqc::{self, KemAlgorithm, KeyKind};
use crate::engine::snapshot::seal::{self, SealHeader};
use crate::engine::snapshot::{self, SnapshotFile};
use crate::engine::state::layout;
use crate::engine::state::Owner;
use crate::engine::util::fsutil;
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;
use base64::Engine as _;

pub use inspect::InspectArgs;
pub use restore::RestoreArgs;
pub use save::SaveArgs;
pub use verify::VerifyArgs;

/// Take, save, list, inspect and verify Raft snapshots.
#[derive(Debug, Subcommand)]
pub enum SnapshotCommand {
    /// Take a snapshot on a live node now; prints its index, term and size
    Create(NodeArgs),
    Save(SaveArgs),
    /// List the snapshots a live node keeps on disk (the newest is what laggards receive)
    List(NodeArgs),
    Inspect(InspectArgs),
    Verify(VerifyArgs),
    Restore(RestoreArgs),
}

/// Which live node to ask.
#[derive(Debug, Args)]
pub struct NodeArgs {
    /// The node to ask [default: the leader]
    #[arg(long, value_name = "NAME")]
    pub node: Option<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &SnapshotCommand) -> Result<i32, CliError> {
    match cmd {
        SnapshotCommand::Create(a) => create::run(ui, ctx, a)?,
        SnapshotCommand::Save(a) => save::run(ui, ctx, a)?,
        SnapshotCommand::List(a) => list::run(ui, ctx, a)?,
        SnapshotCommand::Inspect(a) => inspect::run(ui, ctx, a)?,
        SnapshotCommand::Verify(a) => verify::run(ui, ctx, a)?,
        SnapshotCommand::Restore(a) => restore::run(ui, ctx, a)?,
    }
    Ok(EXIT_OK)
}

/// The recipient's ML-KEM public key: from the --context bundle when it is that operator,
/// else the state directory (operators, then nodes), else the roster's node key.
pub(super) fn recipient_key(
    ui: &Ui,
    ctx: &Ctx,
    context: Option<&Path>,
    roster: &Roster,
    name: &str,
) -> Result<(KemAlgorithm, Vec<u8>), CliError> {
    let from_file = |path: PathBuf| -> Result<(KemAlgorithm, Vec<u8>), CliError> {
        let text = fsutil::read_to_string(&path).map_err(EngineError::from)?;
        let key = pqc::decode(&text, KeyKind::Public).map_err(|source| EngineError::KeyFile {
            path: path.clone(),
            source,
        })?;
        match key.algorithm {
            pqc::Algorithm::Kem(alg) => Ok((alg, key.bytes.to_vec())),
            other => Err(CliError::new(format!(
                "{} holds a {} key, not an ML-KEM key",
                path.display(),
                other.name()
            ))),
        }
    };
    if let Some(dir) = context {
        if OperatorBundle::from_dir(dir)
            .map_err(EngineError::from)?
            .name
            == name
        {
            return from_file(dir.join("kem.pub"));
        }
    }
    if let Ok(dir) = ctx.resolve_state_dir(ui) {
        for owner in [Owner::Operator(name.into()), Owner::Node(name.into())] {
            let path = dir.path(&layout::kem_pub(&owner));
            if path.exists() {
                return from_file(path);
            }
        }
    }
    if let Some(node) = roster.nodes.iter().find(|n| n.name == name) {
        let alg = KemAlgorithm::from_name(&node.kem.algorithm).ok_or_else(|| {
            CliError::new(format!("unknown KEM algorithm {}", node.kem.algorithm))
        })?;
        let public = base64::engine::general_purpose::STANDARD
            .decode(&node.kem.key)
            .map_err(|_| CliError::new(format!("the roster's KEM key of {name} is not base64")))?;
        return Ok((alg, public));
    }
    Err(CliError::new(format!(
        "no operator or node named {name} has an ML-KEM key here"
    ))
    .hint("name an operator of the manifest, or use --context with that operator's bundle"))
}

/// Reads a snapshot file, opening it first when it is sealed: with `--key`, or the
/// recipient's secret key from the --context bundle or the state directory.
pub(super) fn read_opened(
    ui: &Ui,
    ctx: &Ctx,
    path: &Path,
    key: Option<&Path>,
    context: Option<&Path>,
) -> Result<(Vec<u8>, Option<SealHeader>), CliError> {
    let bytes = read(path)?;
    if !seal::is_sealed(&bytes) {
        return Ok((bytes, None));
    }
    let sealed_err = |e: seal::SealError| {
        let hint = match &e {
            seal::SealError::WrongKey { recipient, .. } => Some(format!(
                "pass --key with the ML-KEM secret key of {recipient}"
            )),
            seal::SealError::Truncated(_) | seal::SealError::Open => {
                Some("the file was damaged, or this is not the recipient's key".to_string())
            }
            _ => None,
        };
        let err = CliError::new(format!("snapshot {}: {e}", path.display()));
        match hint {
            Some(h) => err.hint(h),
            None => err,
        }
    };
    let envelope = seal::parse(&bytes).map_err(sealed_err)?;
    let recipient = envelope.header.recipient.clone();
    let key_path = match key {
        Some(k) => k.to_path_buf(),
        None => {
            let in_context = context
                .filter(|dir| OperatorBundle::from_dir(dir).is_ok_and(|b| b.name == recipient));
            match in_context {
                Some(dir) => dir.join("kem.key"),
                None => {
                    let dir = ctx.resolve_state_dir(ui).map_err(|e| {
                        e.hint(format!(
                            "the file is sealed to {recipient}: pass --key with its ML-KEM secret key"
                        ))
                    })?;
                    let candidates = [
                        Owner::Operator(recipient.clone()),
                        Owner::Node(recipient.clone()),
                    ];
                    // The current key, or a retired one that the file was sealed to.
                    let want = &envelope.header.recipient_key;
                    candidates
                        .iter()
                        .flat_map(|o| {
                            [
                                dir.path(&layout::kem_retired(o, want)),
                                dir.path(&layout::kem_key(o)),
                            ]
                        })
                        .find(|p| p.exists())
                        .ok_or_else(|| {
                            CliError::new(format!(
                                "snapshot {} is sealed to {recipient}, whose ML-KEM secret key is not in {}",
                                path.display(),
                                dir.root.display()
                            ))
                            .hint("pass --key with the recipient's kem.key")
                        })?
                }
            }
        }
    };
    let text = fsutil::read_to_string(&key_path).map_err(EngineError::from)?;
    let secret = pqc::decode(&text, KeyKind::Secret).map_err(|source| EngineError::KeyFile {
        path: key_path.clone(),
        source,
    })?;
    let pqc::Algorithm::Kem(algorithm) = secret.algorithm else {
        return Err(CliError::new(format!(
            "{} is not an ML-KEM secret key",
            key_path.display()
        )));
    };
    let opener = seal::Opener {
        algorithm,
        secret: secret.bytes,
        fingerprint: secret.public_fingerprint,
    };
    let inner = envelope.open(&opener).map_err(sealed_err)?;
    Ok((inner, Some(envelope.header)))
}

pub(super) fn bad(path: &Path, source: snapshot::SnapshotError) -> CliError {
    EngineError::Snapshot {
        path: path.to_path_buf(),
        source,
    }
    .into()
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    Ok(fsutil::read(path).map_err(EngineError::from)?)
}

pub(super) fn open<'a>(path: &Path, bytes: &'a [u8]) -> Result<SnapshotFile<'a>, CliError> {
    snapshot::parse(bytes).map_err(|e| bad(path, e))
}

/// The roster of an operator bundle (--context), else of the state directory (via
/// --state-dir or the manifest beside it).
pub(super) fn roster(ui: &Ui, ctx: &Ctx, context: Option<&Path>) -> Result<Roster, CliError> {
    match context {
        Some(dir) => Ok(OperatorBundle::from_dir(dir)
            .map_err(EngineError::from)?
            .creds
            .roster),
        None => super::connect::read_roster(&ctx.resolve_state_dir(ui)?),
    }
}
