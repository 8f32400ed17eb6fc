//! Offline restore of a node's raft data from a verified snapshot file: what would change
//! (the dry run), then a staged rebuild that replaces the data directory in one rename.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::identity::roster::Roster;
use crate::engine::manifest::NodeRole;
use crate::engine::snapshot::payload::{KvEntry, MeshNode, SnapshotDoc};
use crate::engine::snapshot::{MembershipInfo, SnapshotError, SnapshotFile};
use crate::engine::util::timefmt;

#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("no node named {0} in the roster")]
    UnknownNode(String),
    #[error("node {0} is a relay; relays hold no raft data")]
    Relay(String),
    #[error("node {node} is running (its raft database {} is in use)", dir.display())]
    Running { node: String, dir: PathBuf },
    #[error("{} already holds raft data", dir.display())]
    Exists { dir: PathBuf },
    #[error("the snapshot holds no applied entry; there is nothing to restore")]
    Empty,
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error(transparent)]
    Fs(#[from] crate::engine::util::fsutil::FsError),
    #[error("cannot restore into {}", dir.display())]
    Store {
        dir: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("cannot {action} {}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl RestoreError {
    pub fn hints(&self) -> Vec<String> {
        match self {
            Self::Running { node, .. } => vec![format!(
                "stop {node} first (Ctrl-C on `x0t up`, or SIGTERM to `x0t node run {node}`)"
            )],
            Self::Exists { .. } => vec![
                "--dry-run shows what would change; --force replaces it (the old directory is kept beside it)".into(),
            ],
            Self::Snapshot(e) => e.hint().map(String::from).into_iter().collect(),
            _ => Vec::new(),
        }
    }
}

/// What a stopped node holds now, as [`RaftData::peek`] reads it.
pub struct Existing {
    pub applied: Option<openraft::LogId<u64>>,
    /// The last log index, applied or not (0 for an empty log).
    pub last_log_index: u64,
    pub kv: Vec<(String, KvEntry)>,
}

/// Why a node's raft data could not be read or rebuilt.
#[derive(Debug)]
pub enum DataError {
    /// A running node holds the database (`db`).
    InUse {
        db: PathBuf,
    },
    Other(Box<dyn std::error::Error + Send + Sync>),
}

/// The node store a restore reads and rebuilds. The node's raft store implements it; the
/// snapshot layer only knows the payload it hands over.
pub trait RaftData {
    /// What a stopped node's data directory holds; `None` when it holds nothing.
    fn peek(&self, dir: &Path) -> Result<Option<Existing>, DataError>;
    /// Builds a fresh store in `dir` holding `doc` as its only snapshot, with `membership`,
    /// an empty log behind it and the vote reset for node `raft_id`.
    fn rebuild(
        &self,
        dir: &Path,
        keep_snapshots: usize,
        doc: SnapshotDoc<'_>,
        membership: openraft::Membership<u64, MeshNode>,
        raft_id: u64,
    ) -> Result<(), DataError>;
}

/// One side of the comparison: a snapshot or the data a node has now.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataState {
    /// The last applied log index.
    pub index: u64,
    /// The last log index, applied or not.
    pub last_log_index: u64,
    pub term: u64,
    pub keys: u64,
}

/// How the node's keys would change.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyChanges {
    pub added: u64,
    pub removed: u64,
    pub changed: u64,
    pub unchanged: u64,
}

/// What a restore does (or, after `execute`, did).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePreview {
    pub schema_version: u32,
    pub node: String,
    pub data_dir: PathBuf,
    pub snapshot: DataState,
    /// `None` when the node has no data yet.
    pub existing: Option<DataState>,
    pub changes: KeyChanges,
    /// The membership the node starts with: the roster's voters and learners.
    pub membership: MembershipInfo,
    pub applied: bool,
    /// Where the replaced data directory was moved.
    pub previous_data_dir: Option<PathBuf>,
    #[serde(skip)]
    raft_id: u64,
    #[serde(skip)]
    raft_members: openraft::Membership<u64, MeshNode>,
}

fn state_of(applied: Option<openraft::LogId<u64>>, last_log: u64, keys: usize) -> DataState {
    DataState {
        index: applied.map_or(0, |l| l.index),
        last_log_index: last_log.max(applied.map_or(0, |l| l.index)),
        term: applied.map_or(0, |l| l.leader_id.term),
        keys: keys as u64,
    }
}

fn diff(now: &[(String, KvEntry)], then: &[(String, KvEntry)]) -> KeyChanges {
    let now: BTreeMap<&str, &KvEntry> = now.iter().map(|(k, e)| (k.as_str(), e)).collect();
    let mut c = KeyChanges::default();
    for (key, entry) in then {
        match now.get(key.as_str()) {
            None => c.added += 1,
            Some(e) if *e == entry => c.unchanged += 1,
            Some(_) => c.changed += 1,
        }
    }
    let then: std::collections::HashSet<&str> = then.iter().map(|(k, _)| k.as_str()).collect();
    c.removed = now.keys().filter(|k| !then.contains(*k)).count() as u64;
    c
}

/// Compares `file` with what `node` holds in `data_dir` now. Refuses a running node.
pub fn preview(
    file: &SnapshotFile,
    roster: &Roster,
    node: &str,
    data_dir: &Path,
    store: &dyn RaftData,
) -> Result<RestorePreview, RestoreError> {
    let me = (roster.nodes.iter())
        .find(|n| n.name == node)
        .ok_or_else(|| RestoreError::UnknownNode(node.into()))?;
    if !me.role.holds_raft() {
        return Err(RestoreError::Relay(node.into()));
    }
    let meta = file.meta()?;
    if meta.last_applied.is_none() {
        return Err(RestoreError::Empty);
    }
    let existing = store.peek(data_dir).map_err(|e| match e {
        DataError::InUse { db } => RestoreError::Running {
            node: node.into(),
            dir: db,
        },
        DataError::Other(source) => RestoreError::Store {
            dir: data_dir.to_path_buf(),
            source,
        },
    })?;
    let members: Vec<_> = (roster.nodes.iter())
        .filter(|n| n.role.holds_raft())
        .collect();
    let voters: std::collections::BTreeSet<u64> = (members.iter())
        .filter(|n| n.role.is_voter())
        .map(|n| n.raft_id)
        .collect();
    let nodes: BTreeMap<u64, MeshNode> = (members.iter())
        .map(|n| {
            let node = MeshNode {
                name: n.name.clone(),
                addr: n.address.clone(),
            };
            (n.raft_id, node)
        })
        .collect();
    let raft_members = openraft::Membership::new(vec![voters], nodes);
    let by_role = |role: NodeRole| {
        (members.iter())
            .filter(|n| n.role == role)
            .map(|n| n.name.clone())
            .collect()
    };
    Ok(RestorePreview {
        schema_version: 1,
        node: node.into(),
        data_dir: data_dir.to_path_buf(),
        snapshot: state_of(meta.last_applied, 0, meta.keys as usize),
        // Decoding every value is only needed to compare with data that is there.
        changes: match &existing {
            Some(p) => {
                let doc = file.doc()?;
                let then = doc.kv().map_err(|source| RestoreError::Store {
                    dir: data_dir.to_path_buf(),
                    source: Box::new(source),
                })?;
                diff(&p.kv, &then)
            }
            None => KeyChanges {
                added: meta.keys,
                ..KeyChanges::default()
            },
        },
        existing: existing.map(|p| state_of(p.applied, p.last_log_index, p.kv.len())),
        membership: MembershipInfo {
            voters: by_role(NodeRole::Voter),
            learners: by_role(NodeRole::Learner),
        },
        applied: false,
        previous_data_dir: None,
        raft_id: me.raft_id,
        raft_members,
    })
}

fn io<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(std::io::Error) -> RestoreError + 'a {
    move |source| RestoreError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Carries out `preview`: builds the new data in a staging directory beside the data
/// directory, moves any existing data aside (kept, named in the result), and renames the
/// staging directory into place. A crash leaves the old data, or the new, or both copies
/// intact beside an absent data directory — never a mix.
///
/// `verify` checks the file's hash and signature. It runs on a second thread while the
/// store is built in a staging directory, and the staging directory only replaces the data
/// directory once both have succeeded: a file that fails it leaves the data untouched.
pub fn execute(
    file: &SnapshotFile,
    mut preview: RestorePreview,
    keep_snapshots: usize,
    force: bool,
    store: &dyn RaftData,
    verify: impl FnOnce() -> Result<(), SnapshotError> + Send,
) -> Result<RestorePreview, RestoreError> {
    let dir = preview.data_dir.clone();
    if preview.existing.is_some() && !force {
        return Err(RestoreError::Exists { dir });
    }
    let parent = crate::engine::util::fsutil::parent(&dir).to_path_buf();
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "raft".into());
    let staging = parent.join(format!(".{name}.restore-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io("clear", &staging))?;
    }
    crate::engine::state::create_private_dir(&staging)?;
    let (verified, built) = std::thread::scope(|s| {
        let verifying = s.spawn(verify);
        let built = file.doc().map_err(RestoreError::from).and_then(|doc| {
            store
                .rebuild(
                    &staging,
                    keep_snapshots,
                    doc,
                    preview.raft_members.clone(),
                    preview.raft_id,
                )
                .map_err(|e| RestoreError::Store {
                    dir: staging.clone(),
                    source: match e {
                        DataError::InUse { db } => format!("{} is in use", db.display()).into(),
                        DataError::Other(source) => source,
                    },
                })
        });
        let verified = verifying
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (verified, built)
    });
    // A file that fails verification is the error to report, whatever the build did.
    if let Err(e) = verified.map_err(RestoreError::from).and(built) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if dir.exists() {
        let stamp = timefmt::rfc3339(timefmt::now()).replace(':', "");
        let aside = parent.join(format!("{name}.before-restore-{stamp}"));
        std::fs::rename(&dir, &aside).map_err(io("move aside", &dir))?;
        preview.previous_data_dir = Some(aside);
    }
    std::fs::rename(&staging, &dir).map_err(io("rename into place", &dir))?;
    crate::engine::util::fsutil::sync_dir(&parent)?;
    preview.applied = true;
    Ok(preview)
}
