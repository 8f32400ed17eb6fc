//! `x0t snapshot`: take, save, list, inspect and verify Raft snapshots.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde::Serialize;

use super::connect::ConnectArgs;
use super::{Ctx, EXIT_OK};
use crate::engine::fsutil;
use crate::engine::node::bundle::{NodeBundle, OperatorBundle};
use crate::engine::node::client::Client;
use crate::engine::pqc::{self, KemAlgorithm, KeyKind};
use crate::engine::restore;
use crate::engine::roster::Roster;
use crate::engine::seal::{self, SealHeader};
use crate::engine::snapshot::{self, Header, SnapshotFile, Summary, Verified};
use crate::engine::state::layout;
use crate::engine::state::Owner;
use crate::engine::EngineError;
use crate::error::CliError;
use crate::ui::Ui;
use base64::Engine as _;

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

/// Restore a stopped node's raft data from a snapshot file (verified first). The node starts
/// with the roster's membership, an empty log behind the snapshot and a reset vote. Refused
/// while the node runs, over existing data without --force, and while the rest of the mesh
/// has a leader: that would roll the node back and lose acknowledged writes. To rebuild a
/// whole lost mesh, restore every node from the same file, then start them. On a host with
/// only a node bundle (from `x0t bundle`), --bundle restores into that bundle's data.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The snapshot file
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// The recipient's ML-KEM secret key file, for a sealed snapshot [default: the
    /// recipient's key in the state directory or --context bundle]
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// The node whose data to restore [default with --bundle: the bundle's node]
    #[arg(long, value_name = "NAME", required_unless_present = "bundle")]
    pub node: Option<String>,
    /// Restore into the node bundle directory DIR (its `raft/`), checking the snapshot against
    /// the bundle's roster and asking the mesh with the node's own identity; no state
    /// directory needed
    #[arg(long, value_name = "DIR")]
    pub bundle: Option<PathBuf>,
    /// Show what would change against the data there; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Replace existing data (it is moved aside, not deleted)
    #[arg(long)]
    pub force: bool,
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
struct Created<'a> {
    schema_version: u32,
    #[serde(flatten)]
    snapshot: &'a crate::engine::node::client::SnapshotInfo,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Listed {
    schema_version: u32,
    snapshots: Vec<crate::engine::node::client::SnapshotInfo>,
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

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &SnapshotCommand) -> Result<i32, CliError> {
    match cmd {
        SnapshotCommand::Create(a) => {
            let (rt, client) = a.connect.client(ui, ctx)?;
            let s = rt
                .block_on(client.snapshot_create(a.node.as_deref()))
                .map_err(EngineError::from)?;
            if ui.is_json() {
                ui.json(&Created {
                    schema_version: 1,
                    snapshot: &s,
                })?;
            } else {
                ui.line(&format!(
                    "snapshot {} on {}: index {}, term {}, {} bytes",
                    s.id, s.node, s.index, s.term, s.size
                ))?;
            }
        }
        SnapshotCommand::List(a) => {
            let (rt, client) = a.connect.client(ui, ctx)?;
            let list = rt
                .block_on(client.snapshot_list(a.node.as_deref()))
                .map_err(EngineError::from)?;
            if ui.is_json() {
                ui.json(&Listed {
                    schema_version: 1,
                    snapshots: list,
                })?;
            } else if list.is_empty() {
                ui.line("no snapshots yet (`x0t snapshot create` takes one)")?;
            } else {
                let mut out = format!(
                    "{:<6} {:<24} {:>10} {:>6} {:>12}\n",
                    "NODE", "ID", "INDEX", "TERM", "BYTES"
                );
                for s in &list {
                    out.push_str(&format!(
                        "{:<6} {:<24} {:>10} {:>6} {:>12}\n",
                        s.node, s.id, s.index, s.term, s.size
                    ));
                }
                ui.data(&out)?;
            }
        }
        SnapshotCommand::Save(a) => {
            let roster = roster(ui, ctx, a.connect.context.as_deref())?;
            let (rt, client) = a.connect.client(ui, ctx)?;
            ui.status("taking a fresh snapshot");
            // A plain file is written to FILE.part as it arrives; a file to seal only once
            // sealed. Either way the payload is hashed on the way in.
            let mut incoming = Incoming::new(&a.path, a.encrypt_to.is_none());
            let fetched =
                rt.block_on(client.snapshot_fetch(a.node.as_deref(), |p| incoming.piece(p)));
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
            if !incoming.keep()? {
                write_file(&a.path, &out)?;
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
        }
        SnapshotCommand::Inspect(a) => {
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
        }
        SnapshotCommand::Restore(a) => restore(ui, ctx, a)?,
        SnapshotCommand::Verify(a) => {
            let roster = roster(ui, ctx, a.context.as_deref())?;
            let (bytes, sealed) =
                read_opened(ui, ctx, &a.path, a.key.as_deref(), a.context.as_deref())?;
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
        }
    }
    Ok(EXIT_OK)
}

fn restore(ui: &mut Ui, ctx: &Ctx, a: &RestoreArgs) -> Result<(), CliError> {
    // The node, the roster to verify against, and who asks the mesh whether it runs.
    let (node, roster, asker) = match &a.bundle {
        Some(dir) => {
            let node = NodeBundle::from_dir(dir).map_err(EngineError::from)?;
            if let Some(n) = a.node.as_ref().filter(|n| **n != node.config.name) {
                return Err(CliError::new(format!(
                    "{} is the bundle of node {}, not {n}",
                    dir.display(),
                    node.config.name
                ))
                .hint("drop --node, or point --bundle at that node's bundle"));
            }
            let roster = node.creds.roster.clone();
            // Status answers any member of the mesh: the node's own identity can ask.
            let asker = OperatorBundle {
                name: node.config.name.clone(),
                creds: node.creds.clone(),
                endpoints: roster
                    .nodes
                    .iter()
                    .filter(|n| n.role != crate::engine::manifest::NodeRole::Relay)
                    .map(|n| (n.name.clone(), n.address.clone()))
                    .collect(),
            };
            (node, roster, Some(asker))
        }
        None => {
            let dir = ctx.resolve_state_dir(ui)?;
            let name = a
                .node
                .as_deref()
                .expect("clap requires --node without --bundle");
            let node = NodeBundle::from_state(&dir, name).map_err(EngineError::from)?;
            let asker = match super::connect::default_operator(&dir) {
                Ok(o) => Some(OperatorBundle::from_state(&dir, &o).map_err(EngineError::from)?),
                Err(_) => None,
            };
            (node, roster(ui, ctx, None)?, asker)
        }
    };
    let name = node.config.name.clone();
    let (bytes, _) = read_opened(ui, ctx, &a.path, a.key.as_deref(), None)?;
    let file = open(&a.path, &bytes)?;
    let verify = || file.verify(&roster).map(drop);
    let plan = if a.dry_run {
        verify().map_err(|e| bad(&a.path, e))?;
        refuse_live_mesh(ui, ctx, asker, &name, &node.data_dir)?;
        restore::plan(&file, &roster, &name, &node.data_dir).map_err(EngineError::from)?
    } else {
        // The signature is checked while the store is built aside; nothing replaces the
        // node's data unless it holds.
        refuse_live_mesh(ui, ctx, asker, &name, &node.data_dir)?;
        let plan =
            restore::plan(&file, &roster, &name, &node.data_dir).map_err(EngineError::from)?;
        let keep = node.config.raft.keep_snapshots as usize;
        restore::execute(&file, plan, keep, a.force, verify).map_err(|e| match e {
            restore::RestoreError::Snapshot(e) => bad(&a.path, e),
            e => EngineError::from(e).into(),
        })?
    };
    if ui.is_json() {
        return ui.json(&plan);
    }
    let h = &file.header;
    let mut out = format!(
        "restore {} from {} (index {}, term {}, {} keys, made by {})\n",
        plan.node,
        a.path.display(),
        plan.snapshot.index,
        plan.snapshot.term,
        plan.snapshot.keys,
        h.node
    );
    out.push_str(&match &plan.existing {
        Some(e) => format!(
            "  data there: applied index {} (log to {}), term {}, {} keys\n",
            e.index, e.last_log_index, e.term, e.keys
        ),
        None => "  data there: none\n".to_string(),
    });
    let c = &plan.changes;
    out.push_str(&format!(
        "  keys:       {} added, {} removed, {} changed, {} unchanged\n",
        c.added, c.removed, c.changed, c.unchanged
    ));
    out.push_str(&format!(
        "  membership: voters {}; learners {}\n",
        plan.membership.voters.join(", "),
        if plan.membership.learners.is_empty() {
            "-".to_string()
        } else {
            plan.membership.learners.join(", ")
        }
    ));
    if !plan.applied {
        out.push_str("dry run: nothing was written\n");
    } else {
        if let Some(prev) = &plan.previous_data_dir {
            out.push_str(&format!(
                "the previous data was moved to {}\n",
                prev.display()
            ));
        }
        let bundle = a
            .bundle
            .as_ref()
            .map(|d| format!(" --bundle {}", d.display()))
            .unwrap_or_default();
        out.push_str(&format!(
            "restored into {}; start the node with `x0t node run {}{bundle}`\n",
            plan.data_dir.display(),
            plan.node
        ));
    }
    ui.data(&out)
}

/// Refuses a restore while the node itself answers, or while another node reports a leader:
/// the mesh then holds writes newer than any snapshot, and the node must catch up instead.
fn refuse_live_mesh(
    ui: &Ui,
    ctx: &Ctx,
    asker: Option<OperatorBundle>,
    node: &str,
    data_dir: &Path,
) -> Result<(), CliError> {
    let Some(op) = asker else {
        ui.warn("the roster names no operator: cannot check whether the mesh is running");
        return Ok(());
    };
    let timeout = ctx.global.timeout.min(std::time::Duration::from_secs(3));
    let client = Client::new(op, timeout).map_err(EngineError::from)?;
    let status = super::connect::runtime()?.block_on(client.status());
    for n in status.nodes.iter().filter(|n| n.reachable) {
        if n.node == node {
            return Err(EngineError::from(restore::RestoreError::Running {
                node: node.into(),
                dir: data_dir.to_path_buf(),
            })
            .into());
        }
    }
    if let Some(leader) = status.leader.filter(|l| l != node) {
        return Err(CliError::new(format!(
            "the mesh is running and {leader} leads it: restoring {node} from a snapshot would roll it back behind writes the mesh acknowledged"
        ))
        .hint(format!(
            "replace the node instead: remove {node} from the manifest and apply, delete {}, add it back and apply; it catches up from the leader",
            data_dir.display()
        ))
        .hint("to rebuild a whole mesh from a snapshot, stop every node first"));
    }
    Ok(())
}

/// The recipient's ML-KEM public key: from the --context bundle when it is that operator,
/// else the state directory (operators, then nodes), else the roster's node key.
fn recipient_key(
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
            pqc::Algorithm::Kem(alg) => Ok((alg, key.bytes)),
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
fn read_opened(
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

fn bad(path: &Path, source: snapshot::SnapshotError) -> CliError {
    EngineError::Snapshot {
        path: path.to_path_buf(),
        source,
    }
    .into()
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    Ok(fsutil::read(path).map_err(EngineError::from)?)
}

fn open<'a>(path: &Path, bytes: &'a [u8]) -> Result<SnapshotFile<'a>, CliError> {
    snapshot::parse(bytes).map_err(|e| bad(path, e))
}

/// The roster of an operator bundle (--context), else of the state directory (via
/// --state-dir or the manifest beside it).
fn roster(ui: &Ui, ctx: &Ctx, context: Option<&Path>) -> Result<Roster, CliError> {
    match context {
        Some(dir) => Ok(OperatorBundle::from_dir(dir)
            .map_err(EngineError::from)?
            .creds
            .roster),
        None => super::connect::read_roster(&ctx.resolve_state_dir(ui)?),
    }
}

/// A snapshot file on its way in: hashed as it arrives and, when `write`, written to
/// FILE.part, which becomes FILE only once the whole file verified (`keep`).
struct Incoming {
    path: PathBuf,
    part: PathBuf,
    file: Option<std::fs::File>,
    /// The first bytes, until they hold the header.
    head: Vec<u8>,
    digest: Option<snapshot::PayloadDigest>,
    failed: Option<std::io::Error>,
}

impl Incoming {
    fn new(path: &Path, write: bool) -> Incoming {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".part");
        let part = path.with_file_name(name);
        let file = write.then(|| {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&part)
        });
        let (file, failed) = match file {
            Some(Ok(f)) => (Some(f), None),
            Some(Err(e)) => (None, Some(e)),
            None => (None, None),
        };
        Incoming {
            path: path.to_path_buf(),
            part,
            file,
            head: Vec::new(),
            digest: None,
            failed,
        }
    }

    fn piece(&mut self, piece: &[u8]) {
        match &mut self.digest {
            Some(d) => d.update(piece),
            None => {
                self.head.extend_from_slice(piece);
                if let Some(mut d) = snapshot::PayloadDigest::new(&self.head) {
                    d.update(&self.head);
                    self.head = Vec::new();
                    self.digest = Some(d);
                }
            }
        }
        if let (Some(f), None) = (&mut self.file, &self.failed) {
            if let Err(e) = std::io::Write::write_all(f, piece) {
                self.failed = Some(e);
            }
        }
    }

    /// The payload's SHA-256, when every byte of it went by.
    fn sha256(&mut self) -> Option<String> {
        self.digest.take().and_then(|d| d.finish())
    }

    fn discard(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.part);
        }
    }

    /// Syncs FILE.part and renames it over FILE; false when nothing was written here.
    fn keep(&mut self) -> Result<bool, CliError> {
        let Some(file) = self.file.take() else {
            return Ok(false);
        };
        let synced = match self.failed.take() {
            Some(e) => Err(e),
            None => file.sync_all(),
        };
        let kept = synced
            .map_err(|e| fsutil::FsError::new("write", &self.part, e))
            .and_then(|()| {
                std::fs::rename(&self.part, &self.path)
                    .map_err(|e| fsutil::FsError::new("rename into", &self.path, e))
            });
        if kept.is_err() {
            let _ = std::fs::remove_file(&self.part);
        }
        kept.map_err(EngineError::from)?;
        fsutil::sync_dir(fsutil::parent(&self.path)).map_err(EngineError::from)?;
        Ok(true)
    }
}

/// FILE.part, fsync, rename over FILE, fsync the directory: FILE is old or complete.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    Ok(fsutil::write_atomic(path, bytes, 0o600).map_err(EngineError::from)?)
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
