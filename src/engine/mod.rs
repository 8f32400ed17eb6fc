//! The x0t engine: everything the commands call. It never parses command lines and never
//! prints; it returns typed values and typed errors.

pub mod bench;
pub mod bundle;
pub mod client;
pub mod doctor;
pub mod identity;
pub mod local;
pub mod manifest;
pub mod node;
pub mod plan;
pub mod pqc;
pub mod rag;
pub mod rpc;
pub mod snapshot;
pub mod spire;
pub mod state;
pub mod telemetry;
pub mod transport;
pub mod util;

use std::path::PathBuf;

/// Any engine failure, composed from the modules' errors.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    #[error(transparent)]
    State(#[from] state::StateError),
    #[error(transparent)]
    Fs(#[from] util::fsutil::FsError),
    #[error(transparent)]
    Identity(#[from] identity::IdentityError),
    #[error(transparent)]
    Pqc(#[from] pqc::PqcError),
    #[error("key file {} is unusable: {source}", path.display())]
    KeyFile {
        path: PathBuf,
        #[source]
        source: pqc::PqcError,
    },
    #[error("state directory {} belongs to mesh `{found}`, not `{wanted}`", dir.display())]
    OtherMesh {
        dir: PathBuf,
        found: String,
        wanted: String,
    },
    #[error("refusing to replace a CA x0t did not create: {reason}")]
    ForeignCa { reason: String },
    #[error("nothing has been applied in {} yet", dir.display())]
    NotApplied { dir: PathBuf },
    #[error("no {kind} named `{name}` in the manifest")]
    UnknownOwner { kind: &'static str, name: String },
    #[error("{}: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error("{} differs from what was applied", path.display())]
    Stale { path: PathBuf },
    #[error("{} exists and is not empty", path.display())]
    OutExists { path: PathBuf },
    #[error(transparent)]
    Client(Box<client::ClientError>),
    #[error(transparent)]
    Bundle(#[from] bundle::BundleError),
    #[error(transparent)]
    Node(Box<node::run::NodeError>),
    #[error(transparent)]
    Restore(Box<snapshot::restore::RestoreError>),
    #[error(transparent)]
    Rag(Box<rag::RagError>),
    #[error(transparent)]
    Fetch(#[from] client::workload::FetchError),
    #[error(transparent)]
    Local(#[from] local::LocalError),
    #[error(transparent)]
    SpireCli(#[from] spire::SpireCliError),
    #[error("SPIRE files need the applied CA and node SVIDs; pending: {resources}")]
    SpirePending { resources: String },
    #[error("snapshot {}: {source}", path.display())]
    Snapshot {
        path: PathBuf,
        #[source]
        source: snapshot::SnapshotError,
    },
}

impl From<snapshot::restore::RestoreError> for EngineError {
    fn from(e: snapshot::restore::RestoreError) -> EngineError {
        EngineError::Restore(Box::new(e))
    }
}

impl From<rag::RagError> for EngineError {
    fn from(e: rag::RagError) -> EngineError {
        EngineError::Rag(Box::new(e))
    }
}

impl From<node::run::NodeError> for EngineError {
    fn from(e: node::run::NodeError) -> EngineError {
        EngineError::Node(Box::new(e))
    }
}

impl EngineError {
    /// Hints for the operator, shown after the error.
    pub fn hints(&self) -> Vec<String> {
        match self {
            EngineError::Manifest(e) => e.hints(),
            EngineError::State(e) => e.hints(),
            EngineError::Fs(e) => e.hint().into_iter().collect(),
            EngineError::KeyFile { .. } => vec![
                "`x0t plan` shows the key as to be replaced; `x0t apply` regenerates it".into(),
            ],
            EngineError::OtherMesh { .. } => {
                vec!["use another --state-dir for this manifest".into()]
            }
            EngineError::ForeignCa { .. } => {
                vec!["pass --force to replace it (every SVID is reissued), or move it away".into()]
            }
            EngineError::NotApplied { .. } => vec!["run `x0t apply` first".into()],
            EngineError::UnknownOwner { kind, .. } => {
                vec![format!("`x0t validate -v` lists every {kind}")]
            }
            EngineError::Corrupt { .. } => {
                vec!["run `x0t drift`; `x0t apply` rewrites it".into()]
            }
            EngineError::Stale { .. } => {
                vec!["`x0t drift` lists the differences; `x0t apply` repairs them".into()]
            }
            EngineError::OutExists { .. } => {
                vec!["choose an empty directory or pass --force to replace it".into()]
            }
            EngineError::Restore(e) => e.hints(),
            EngineError::Client(e) => e.hints(),
            EngineError::Rag(e) => e.hints(),
            EngineError::Fetch(e) => e.hints(),
            EngineError::SpirePending { .. } => vec!["run `x0t apply` first".into()],
            EngineError::SpireCli(e) => e.hints(),
            EngineError::Snapshot { source, .. } => {
                source.hint().map(String::from).into_iter().collect()
            }
            _ => Vec::new(),
        }
    }
}
