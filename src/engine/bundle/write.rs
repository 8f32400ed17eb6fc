//! Bundles: exactly what one node (or one operator's CLI) needs on another host — its own
//! SVID and keys, the trust bundle, its config and the roster — and nothing else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::manifest::Manifest;
use crate::engine::state::StateError;
use crate::engine::state::{self, layout, Owner, StateDir};
use crate::engine::util::fsutil::{self, FsError, PRIVATE_MODE, PUBLIC_MODE};
use crate::engine::util::timefmt;

/// Why a bundle could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Fs(#[from] FsError),
    #[error("no {kind} named `{name}` in the manifest")]
    UnknownOwner { kind: &'static str, name: String },
    #[error("{} differs from what was applied", path.display())]
    Stale { path: PathBuf },
    #[error("{} exists and is not empty", path.display())]
    OutExists { path: PathBuf },
}

impl WriteError {
    /// Hints for the operator, shown after the error.
    pub fn hints(&self) -> Vec<String> {
        match self {
            WriteError::State(e) => e.hints(),
            WriteError::Fs(e) => e.hint().into_iter().collect(),
            WriteError::UnknownOwner { kind, .. } => {
                vec![format!("`x0t validate -v` lists every {kind}")]
            }
            WriteError::Stale { .. } => {
                vec!["`x0t drift` lists the differences; `x0t apply` repairs them".into()]
            }
            WriteError::OutExists { .. } => {
                vec!["choose an empty directory or pass --force to replace it".into()]
            }
        }
    }
}

/// The bundle format version (in `bundle.json`).
pub const BUNDLE_VERSION: u32 = 1;

/// What was written.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleReport {
    pub schema_version: u32,
    pub kind: &'static str,
    pub name: String,
    pub mesh: String,
    pub out: PathBuf,
    /// File name to SHA-256.
    pub files: BTreeMap<String, String>,
}

/// An operator's endpoints and identity, for running the CLI from another host.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperatorContext {
    pub schema_version: u32,
    pub mesh: String,
    pub trust_domain: String,
    pub operator: String,
    pub role: crate::engine::manifest::OperatorRole,
    pub spiffe_id: String,
    /// The voters and learners: what status, kv and snapshot calls go to.
    pub endpoints: Vec<Endpoint>,
    /// The relays, which answer status and data-plane calls only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relays: Vec<Endpoint>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub node: String,
    pub address: String,
    pub spiffe_id: String,
}

/// The nodes that hold Raft (`raft`) or the relays, as an operator context lists them.
fn endpoints(m: &Manifest, raft: bool) -> Vec<Endpoint> {
    m.spec
        .nodes
        .iter()
        .filter(|n| n.role.holds_raft() == raft)
        .map(|n| Endpoint {
            node: n.name.clone(),
            address: n.advertise_addr().into(),
            spiffe_id: m.node_spiffe_id(&n.name),
        })
        .collect()
}

/// Writes the bundle of `who` into `out` (which must not exist or be empty, unless
/// `force`). The directory appears whole or not at all.
pub fn write(
    m: &Manifest,
    dir: &StateDir,
    who: &Owner,
    out: &Path,
    force: bool,
) -> Result<BundleReport, WriteError> {
    let state = dir.load_applied()?;
    let known = match who {
        Owner::Node(n) => m.node(n).is_some(),
        Owner::Operator(n) => m.operator(n).is_some(),
    };
    if !known {
        return Err(WriteError::UnknownOwner {
            kind: who.kind(),
            name: who.name().into(),
        });
    }
    // A state directory applied before trust bundles existed has only the CA certificate.
    let trust = if state.resources.contains_key("bundle") {
        layout::TRUST_BUNDLE
    } else {
        layout::CA_CERT
    };
    // (source in the state dir, name in the bundle, mode)
    let mut sources: Vec<(String, &str, u32)> = vec![
        (layout::svid_cert(who), "svid.crt", PUBLIC_MODE),
        (layout::svid_key(who), "svid.key", PRIVATE_MODE),
        (layout::kem_key(who), "kem.key", PRIVATE_MODE),
        (layout::kem_pub(who), "kem.pub", PUBLIC_MODE),
        (layout::dsa_key(who), "dsa.key", PRIVATE_MODE),
        (layout::dsa_pub(who), "dsa.pub", PUBLIC_MODE),
        (trust.into(), "bundle.crt", PUBLIC_MODE),
        (layout::ROSTER.into(), "roster.json", PUBLIC_MODE),
    ];
    if let Owner::Node(n) = who {
        sources.push((layout::node_config(n), "node.json", PUBLIC_MODE));
        sources.push((
            layout::intermediate_cert(n),
            "intermediate.crt",
            PUBLIC_MODE,
        ));
        sources.push((
            layout::intermediate_key(n),
            "intermediate.key",
            PRIVATE_MODE,
        ));
        sources.push((layout::jwt_key(n), "jwt.key", PRIVATE_MODE));
        sources.push((layout::jwt_pub(n), "jwt.pub", PUBLIC_MODE));
    }
    let mut files: Vec<(String, Vec<u8>, u32)> = Vec::new();
    for (rel, name, mode) in &sources {
        let bytes = dir.read(rel)?;
        let recorded = state
            .resources
            .values()
            .find_map(|r| r.files.get(rel))
            .is_some_and(|f| f.sha256 == fsutil::sha256_hex(&bytes));
        if !recorded {
            return Err(WriteError::Stale {
                path: dir.path(rel),
            });
        }
        files.push((name.to_string(), bytes, *mode));
    }
    let kind = who.kind();
    if let Owner::Operator(op) = who {
        let spec = m.operator(op).expect("checked above");
        let ctx = OperatorContext {
            schema_version: 1,
            mesh: m.metadata.name.clone(),
            trust_domain: m.spec.trust_domain.clone(),
            operator: op.clone(),
            role: spec.role,
            spiffe_id: m.operator_spiffe_id(op),
            endpoints: endpoints(m, true),
            relays: endpoints(m, false),
        };
        let mut b = serde_json::to_vec_pretty(&ctx).expect("context serialises");
        b.push(b'\n');
        files.push(("context.json".into(), b, PUBLIC_MODE));
    }
    let hashes: BTreeMap<String, String> = files
        .iter()
        .map(|(n, b, _)| (n.clone(), fsutil::sha256_hex(b)))
        .collect();
    let meta = serde_json::json!({
        "schemaVersion": BUNDLE_VERSION,
        "kind": kind,
        "name": who.name(),
        "mesh": m.metadata.name,
        "trustDomain": m.spec.trust_domain,
        "createdAt": timefmt::rfc3339(timefmt::now()),
        "files": hashes,
    });
    let mut b = serde_json::to_vec_pretty(&meta).expect("json");
    b.push(b'\n');
    files.push(("bundle.json".into(), b, PUBLIC_MODE));

    place(out, &files, force)?;
    Ok(BundleReport {
        schema_version: 1,
        kind,
        name: who.name().into(),
        mesh: m.metadata.name.clone(),
        out: out.into(),
        files: hashes,
    })
}

/// What a node keeps in its bundle directory at run time: the raft log and state, the
/// data-plane inbox, the RAG index and the Workload API socket. A refresh never deletes
/// them: they are only ever renamed, from the old bundle directory into the new one.
pub const NODE_DATA: [&str; 4] = ["raft", "inbox", "rag", "agent.sock"];

/// Writes `files` into a fresh sibling directory, syncs, and swaps it in for `out`; a
/// node's data found in `out` follows into the new directory. A refresh that a crash or an
/// error stopped half way is completed first ([`finish_interrupted`]).
fn place(out: &Path, files: &[(String, Vec<u8>, u32)], force: bool) -> Result<(), WriteError> {
    finish_interrupted(out)?;
    let occupied = match std::fs::read_dir(out) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => {
            return Err(FsError::new("use as bundle directory", out, e).into())
        }
        Err(e) => return Err(FsError::new("read", out, e).into()),
    };
    if occupied && !force {
        return Err(WriteError::OutExists { path: out.into() });
    }
    let parent = fsutil::parent(out);
    state::create_private_dir(parent)?;
    let base = out.file_name().unwrap_or_default().to_string_lossy();
    let tmp = parent.join(format!(".{base}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    state::create_private_dir(&tmp)?;
    let written = (|| {
        for (name, bytes, mode) in files {
            fsutil::write_unsynced(&tmp.join(name), bytes, *mode)?;
        }
        fsutil::sync_fs(&tmp)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e.into());
    }
    if !out.exists() {
        std::fs::rename(&tmp, out).map_err(|e| FsError::new("rename into", out, e))?;
        return Ok(fsutil::sync_dir(parent)?);
    }
    // The old directory moves aside with the node's data in it; the new files take its
    // place; then the data follows. A crash between any two steps leaves an `.old-`
    // directory that the next refresh, or the node's next start, finishes with.
    let old = parent.join(format!(".{base}.old-{}", std::process::id()));
    if let Err(e) = std::fs::rename(out, &old) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(FsError::new("move aside", out, e).into());
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        // Put the old bundle back, data and all.
        std::fs::rename(&old, out).map_err(|e| FsError::new("move back", &old, e))?;
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(FsError::new("rename into", out, e).into());
    }
    Ok(finish_interrupted(out)?)
}

fn present(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok()
}

/// Moves the node data in `from` into `out`, refusing to overwrite data already there.
fn carry_data(from: &Path, out: &Path) -> Result<(), FsError> {
    for data in NODE_DATA {
        let (src, dst) = (from.join(data), out.join(data));
        if !present(&src) {
            continue;
        }
        if present(&dst) {
            return Err(FsError::new(
                "carry over",
                &src,
                std::io::Error::other(format!(
                    "{} also holds {data}: keep the right one by hand, then run again",
                    out.display()
                )),
            ));
        }
        std::fs::rename(&src, &dst).map_err(|e| FsError::new("carry over", &src, e))?;
    }
    Ok(())
}

/// Completes a refresh of bundle directory `out` that stopped half way. Node data left in
/// a moved-aside `.old-` directory goes into `out` (or, with no `out`, that directory
/// becomes `out` again), then the emptied directory is removed, and so are leftover
/// `.tmp-` directories. If `out` and an old directory both
/// hold the same data, nothing is deleted and the error names both.
pub fn finish_interrupted(out: &Path) -> Result<(), FsError> {
    let parent = fsutil::parent(out);
    let base = out.file_name().unwrap_or_default().to_string_lossy();
    let (old_prefix, tmp_prefix) = (format!(".{base}.old-"), format!(".{base}.tmp-"));
    let entries = match std::fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(FsError::new("read", parent, e)),
    };
    let mut olds = Vec::new();
    let mut tmps = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&old_prefix) {
            olds.push(entry.path());
        } else if name.starts_with(&tmp_prefix) {
            tmps.push(entry.path());
        }
    }
    if olds.is_empty() && tmps.is_empty() {
        return Ok(());
    }
    for old in olds {
        if !present(out) {
            std::fs::rename(&old, out).map_err(|e| FsError::new("move back", &old, e))?;
            continue;
        }
        carry_data(&old, out)?;
        std::fs::remove_dir_all(&old).map_err(|e| FsError::new("remove", &old, e))?;
    }
    // Earlier x0t moved the data through the new directory: bring any found there home.
    for tmp in tmps {
        if present(out) {
            carry_data(&tmp, out)?;
            let _ = std::fs::remove_dir_all(&tmp);
        }
    }
    fsutil::sync_dir(parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(version: &str) -> Vec<(String, Vec<u8>, u32)> {
        vec![("node.json".into(), version.as_bytes().to_vec(), 0o600)]
    }

    fn read(p: &Path) -> String {
        std::fs::read_to_string(p).unwrap()
    }

    /// A node's data as it runs: its raft log, inbox and Workload API socket.
    fn node_data(dir: &Path) -> std::os::unix::net::UnixListener {
        std::fs::create_dir_all(dir.join("raft")).unwrap();
        std::fs::write(dir.join("raft/log"), "entries").unwrap();
        std::fs::create_dir_all(dir.join("inbox")).unwrap();
        std::fs::write(dir.join("inbox/acked"), "message").unwrap();
        std::os::unix::net::UnixListener::bind(dir.join("agent.sock")).unwrap()
    }

    #[test]
    fn a_refresh_keeps_the_nodes_raft_data_inbox_and_socket() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("n1");
        place(&out, &files("v1"), false).unwrap();
        let _socket = node_data(&out);
        place(&out, &files("v2"), true).unwrap();
        assert_eq!(read(&out.join("node.json")), "v2");
        assert_eq!(read(&out.join("raft/log")), "entries");
        assert_eq!(read(&out.join("inbox/acked")), "message");
        assert!(present(&out.join("agent.sock")));
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no .old- or .tmp- directory is left");
    }

    #[test]
    fn a_refresh_a_crash_stopped_is_finished_without_losing_data() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("n1");
        let old = tmp.path().join(".n1.old-1");
        let new = tmp.path().join(".n1.tmp-1");

        // Crashed after moving the old directory aside: it comes back, data and all.
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("node.json"), "v1").unwrap();
        let _socket = node_data(&old);
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(new.join("node.json"), "v2").unwrap();
        finish_interrupted(&out).unwrap();
        assert_eq!(read(&out.join("node.json")), "v1");
        assert_eq!(read(&out.join("raft/log")), "entries");
        assert!(!present(&old) && !present(&new));

        // Crashed after the new files took its place: the data follows them.
        std::fs::rename(&out, &old).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("node.json"), "v2").unwrap();
        finish_interrupted(&out).unwrap();
        assert_eq!(read(&out.join("node.json")), "v2");
        assert_eq!(read(&out.join("inbox/acked")), "message");
        assert!(present(&out.join("agent.sock")));
        assert!(!present(&old));

        // Data on both sides: nothing is deleted, and the error says where.
        std::fs::create_dir_all(old.join("raft")).unwrap();
        std::fs::write(old.join("raft/log"), "other").unwrap();
        let e = finish_interrupted(&out).unwrap_err();
        let e = format!("{e}: {}", e.source);
        assert!(
            e.contains(".n1.old-1/raft") && e.contains("also holds raft"),
            "{e}"
        );
        assert_eq!(read(&old.join("raft/log")), "other");
        assert_eq!(read(&out.join("raft/log")), "entries");
    }
}
