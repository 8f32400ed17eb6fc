//! The state directory: where every applied file lives, the versioned `state.json` that
//! records them with content hashes, the apply lock, and crash-safe commits.

mod commit;
mod lock;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::engine::util::fsutil::{self, FsError};
use crate::engine::util::timefmt;

pub use commit::{commit, pending, recover, Txn};
pub use lock::{Lock, LockError};

/// The `state.json` format this x0t writes and reads.
pub const STATE_VERSION: u32 = 1;

const STATE_FILE: &str = "state.json";

/// Who owns a per-identity resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "type", content = "name", rename_all = "lowercase")]
pub enum Owner {
    Node(String),
    Operator(String),
}

impl Owner {
    pub fn name(&self) -> &str {
        match self {
            Owner::Node(n) | Owner::Operator(n) => n,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Owner::Node(_) => "node",
            Owner::Operator(_) => "operator",
        }
    }

    /// The owner's folder, relative to the state directory.
    pub fn dir(&self) -> String {
        match self {
            Owner::Node(n) => format!("nodes/{n}"),
            Owner::Operator(n) => format!("operators/{n}"),
        }
    }
}

/// Relative paths of everything in a state directory.
pub mod layout {
    use super::Owner;

    pub const CA_CERT: &str = "ca/ca.crt";
    pub const CA_KEY: &str = "ca/ca.key";
    /// The incoming CA of a rollover, trusted before it signs anything.
    pub const CA_NEXT_CERT: &str = "ca/next.crt";
    pub const CA_NEXT_KEY: &str = "ca/next.key";
    /// The trust bundle: every CA certificate nodes and operators accept (the signing CA,
    /// plus the incoming or outgoing one during a rollover).
    pub const TRUST_BUNDLE: &str = "ca/bundle.crt";
    pub const ROSTER: &str = "roster.json";
    pub const STATE: &str = "state.json";
    pub const STATE_BACKUP: &str = "state.json.backup";

    pub fn svid_cert(o: &Owner) -> String {
        format!("{}/svid.crt", o.dir())
    }
    pub fn svid_key(o: &Owner) -> String {
        format!("{}/svid.key", o.dir())
    }
    pub fn kem_key(o: &Owner) -> String {
        format!("{}/kem.key", o.dir())
    }
    pub fn kem_pub(o: &Owner) -> String {
        format!("{}/kem.pub", o.dir())
    }
    /// A retired ML-KEM secret key, named by its public key's SHA-256 (hex), kept so that
    /// what was sealed to it can still be opened.
    pub fn kem_retired(o: &Owner, sha256: &str) -> String {
        format!(
            "{}/kem-retired/{}.key",
            o.dir(),
            sha256.trim_start_matches("sha256:")
        )
    }
    pub fn dsa_key(o: &Owner) -> String {
        format!("{}/dsa.key", o.dir())
    }
    pub fn dsa_pub(o: &Owner) -> String {
        format!("{}/dsa.pub", o.dir())
    }
    /// The node's JWT-SVID signing key (P-256, PKCS#8 PEM) and its public half with the
    /// time it was made (JSON).
    pub fn jwt_key(node: &str) -> String {
        format!("nodes/{node}/jwt.key")
    }
    pub fn jwt_pub(node: &str) -> String {
        format!("nodes/{node}/jwt.pub")
    }
    pub fn intermediate_cert(node: &str) -> String {
        format!("nodes/{node}/intermediate.crt")
    }
    pub fn intermediate_key(node: &str) -> String {
        format!("nodes/{node}/intermediate.key")
    }
    /// SPIRE files of the whole mesh, in `SPIRE_DIR`.
    pub const SPIRE_DIR: &str = "spire";
    pub const SPIRE_MESH: [&str; 4] = [
        "server.conf",
        "entries.json",
        "bundle.pem",
        "bundle.spiffe.json",
    ];
    pub fn spire_agent(node: &str) -> String {
        format!("{SPIRE_DIR}/agent-{node}.conf")
    }
    pub fn node_config(node: &str) -> String {
        format!("nodes/{node}/node.json")
    }
}

/// What was applied, as recorded in `state.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StateFile {
    pub schema_version: u32,
    pub mesh: String,
    pub trust_domain: String,
    /// Incremented by every apply that changed something.
    pub serial: u64,
    #[serde(with = "timefmt::rfc3339_serde")]
    pub applied_at: OffsetDateTime,
    pub x0t_version: String,
    /// Raft ids are never reused, even after a node is pruned.
    pub next_raft_id: u64,
    pub nodes: BTreeMap<String, NodeRecord>,
    pub resources: BTreeMap<String, ResourceRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeRecord {
    pub raft_id: u64,
}

/// One applied resource: its files with hashes and modes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceRecord {
    pub files: BTreeMap<String, FileRecord>,
    #[serde(with = "timefmt::rfc3339_serde")]
    pub applied_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FileRecord {
    pub sha256: String,
    pub mode: u32,
}

impl StateFile {
    /// An empty state for a mesh that has never been applied.
    pub fn empty(mesh: &str, trust_domain: &str) -> StateFile {
        StateFile {
            schema_version: STATE_VERSION,
            mesh: mesh.into(),
            trust_domain: trust_domain.into(),
            serial: 0,
            applied_at: OffsetDateTime::UNIX_EPOCH,
            x0t_version: env!("CARGO_PKG_VERSION").into(),
            next_raft_id: 1,
            nodes: BTreeMap::new(),
            resources: BTreeMap::new(),
        }
    }
}

/// Why the state directory could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Fs(#[from] FsError),
    #[error("{} is corrupt: {message} (line {line}, column {column})", path.display())]
    Corrupt {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{} has schemaVersion {found}, newer than this x0t understands ({supported})", path.display())]
    FutureVersion {
        path: PathBuf,
        found: u64,
        supported: u32,
    },
    #[error("{} is not a state directory: it is a file", path.display())]
    NotADirectory { path: PathBuf },
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error("nothing has been applied in {} yet", dir.display())]
    NotApplied { dir: PathBuf },
}

impl StateError {
    pub fn hints(&self) -> Vec<String> {
        match self {
            StateError::Fs(e) => e.hint().into_iter().collect(),
            StateError::Corrupt { path, .. } => vec![format!(
                "restore it from {} or move the state directory away and apply again",
                path.with_file_name(layout::STATE_BACKUP).display()
            )],
            StateError::FutureVersion { .. } => {
                vec!["a newer x0t wrote this state directory; upgrade x0t instead of downgrading the state".into()]
            }
            StateError::NotADirectory { .. } => {
                vec!["pass another directory with --state-dir".into()]
            }
            StateError::Lock(e) => e.hints(),
            StateError::NotApplied { .. } => vec!["run `x0t apply` first".into()],
        }
    }
}

/// A state directory on disk.
#[derive(Debug, Clone)]
pub struct StateDir {
    pub root: PathBuf,
}

impl StateDir {
    pub fn new(root: impl Into<PathBuf>) -> StateDir {
        StateDir { root: root.into() }
    }

    /// The absolute-or-relative path of a file in the state directory.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn exists(&self) -> bool {
        self.root.is_dir()
    }

    /// Creates the directory (0700: it holds private keys).
    pub fn create(&self) -> Result<(), StateError> {
        if self.root.exists() && !self.root.is_dir() {
            return Err(StateError::NotADirectory {
                path: self.root.clone(),
            });
        }
        create_private_dir(&self.root)?;
        Ok(())
    }

    /// The applied state; an error naming the directory when nothing was applied yet.
    pub fn load_applied(&self) -> Result<StateFile, StateError> {
        self.load()?.ok_or_else(|| StateError::NotApplied {
            dir: self.root.clone(),
        })
    }

    /// Reads `state.json`; `None` when nothing was ever applied.
    pub fn load(&self) -> Result<Option<StateFile>, StateError> {
        let path = self.path(STATE_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(FsError::new("read", &path, e).into()),
        };
        parse_state(&text, &path).map(Some)
    }

    /// Reads a file of the state directory.
    pub fn read(&self, rel: &str) -> Result<Vec<u8>, FsError> {
        fsutil::read(&self.path(rel))
    }

    /// Reads a file if it exists.
    pub fn read_opt(&self, rel: &str) -> Result<Option<Vec<u8>>, FsError> {
        let path = self.path(rel);
        match std::fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => Ok(None),
            Err(e) => Err(FsError::new("read", path, e)),
        }
    }
}

/// Reads `state.json`'s text; `path` names it in errors.
pub fn parse_state(text: &str, path: &Path) -> Result<StateFile, StateError> {
    let corrupt = |e: serde_json::Error| StateError::Corrupt {
        path: path.into(),
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string(),
    };
    // The version is checked before the shape, so a newer format is reported as newer
    // rather than as corrupt.
    let value: serde_json::Value = serde_json::from_str(text).map_err(corrupt)?;
    match value.get("schemaVersion").and_then(|v| v.as_u64()) {
        Some(v) if v > STATE_VERSION as u64 => {
            return Err(StateError::FutureVersion {
                path: path.into(),
                found: v,
                supported: STATE_VERSION,
            })
        }
        Some(_) => {}
        None => {
            return Err(StateError::Corrupt {
                path: path.into(),
                line: 1,
                column: 1,
                message: "missing schemaVersion".into(),
            })
        }
    }
    serde_json::from_str(text).map_err(corrupt)
}

/// Creates a directory and missing parents with mode 0700.
pub fn create_private_dir(path: &Path) -> Result<(), FsError> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)
        .map_err(|e| FsError::new("create directory", path, e))
}
