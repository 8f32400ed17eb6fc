//! The error type at the edge: one `CliError` with an exit code, a message, its cause and
//! hints. Every engine error converts into it through a `From` impl that picks the hints.

use std::error::Error as StdError;
use std::process::ExitCode;

use std::path::PathBuf;

use crate::engine::util::fsutil;
use crate::engine::{
    bundle, client, identity, local, manifest, node, plan, pqc, rag, snapshot, spire, state,
};

/// Exit code for any error, usage errors included.
pub const EXIT_ERROR: u8 = 1;

/// What a command reports to the process: an exit code and, on failure, why.
#[derive(Debug)]
pub struct CliError {
    pub exit_code: u8,
    pub message: String,
    pub source: Option<Box<dyn StdError + Send + Sync>>,
    pub hints: Vec<String>,
    broken_pipe: bool,
}

impl CliError {
    /// A plain error with a message.
    pub fn new(message: impl Into<String>) -> CliError {
        CliError {
            exit_code: EXIT_ERROR,
            message: message.into(),
            source: None,
            hints: Vec::new(),
            broken_pipe: false,
        }
    }

    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> CliError {
        self.hints.push(hint.into());
        self
    }

    /// An I/O failure while doing `what`.
    pub fn io(what: &str, err: std::io::Error) -> CliError {
        let mut e = CliError::new(format!("could not {what}"));
        e.source = Some(Box::new(err));
        e
    }

    /// A failure to write to stdout; a closed pipe ends the command quietly.
    pub fn stdout(err: std::io::Error) -> CliError {
        let broken = err.kind() == std::io::ErrorKind::BrokenPipe;
        let mut e = CliError::io("write to stdout", err);
        e.broken_pipe = broken;
        e
    }

    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }
}

/// Any engine failure, composed here at the command edge from the modules' own errors; the
/// engine itself never returns it.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    #[error(transparent)]
    State(#[from] state::StateError),
    #[error(transparent)]
    Fs(#[from] fsutil::FsError),
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
    #[error("no {kind} named `{name}` in the manifest")]
    UnknownOwner { kind: &'static str, name: String },
    #[error(transparent)]
    Plan(Box<plan::PlanError>),
    #[error(transparent)]
    Apply(Box<plan::apply::ApplyError>),
    #[error(transparent)]
    Drift(#[from] plan::drift::DriftError),
    #[error(transparent)]
    Keys(#[from] identity::keys::KeysError),
    #[error(transparent)]
    Spire(#[from] spire::SpireError),
    #[error(transparent)]
    SpireCli(#[from] spire::SpireCliError),
    #[error(transparent)]
    Bundle(#[from] bundle::BundleError),
    #[error(transparent)]
    BundleWrite(#[from] bundle::write::WriteError),
    #[error(transparent)]
    Client(Box<client::ClientError>),
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
    #[error("snapshot {}: {source}", path.display())]
    Snapshot {
        path: PathBuf,
        #[source]
        source: snapshot::SnapshotError,
    },
}

/// Boxed variants keep `EngineError` small; each gets its `From` by hand.
macro_rules! boxed_from {
    ($($variant:ident: $ty:ty),* $(,)?) => {$(
        impl From<$ty> for EngineError {
            fn from(e: $ty) -> EngineError {
                EngineError::$variant(Box::new(e))
            }
        }
    )*};
}

boxed_from!(
    Plan: plan::PlanError,
    Apply: plan::apply::ApplyError,
    Client: client::ClientError,
    Node: node::run::NodeError,
    Restore: snapshot::restore::RestoreError,
    Rag: rag::RagError,
);

impl EngineError {
    /// Hints for the operator, shown after the error.
    pub fn hints(&self) -> Vec<String> {
        match self {
            EngineError::Manifest(e) => e.hints(),
            EngineError::State(e) => e.hints(),
            EngineError::Fs(e) => e.hint().into_iter().collect(),
            EngineError::KeyFile { .. } => vec![plan::KEY_FILE_HINT.into()],
            EngineError::UnknownOwner { kind, .. } => {
                vec![format!("`x0t validate -v` lists every {kind}")]
            }
            EngineError::Plan(e) => e.hints(),
            EngineError::Apply(e) => e.hints(),
            EngineError::Drift(e) => e.hints(),
            EngineError::Keys(e) => e.hints(),
            EngineError::SpireCli(e) => e.hints(),
            EngineError::Bundle(e) => e.hints(),
            EngineError::BundleWrite(e) => e.hints(),
            EngineError::Restore(e) => e.hints(),
            EngineError::Client(e) => e.hints(),
            EngineError::Rag(e) => e.hints(),
            EngineError::Fetch(e) => e.hints(),
            EngineError::Snapshot { source, .. } => {
                source.hint().map(String::from).into_iter().collect()
            }
            _ => Vec::new(),
        }
    }
}

impl From<EngineError> for CliError {
    fn from(err: EngineError) -> CliError {
        let mut e = CliError::new(err.to_string());
        e.hints = err.hints();
        e.source = Some(Box::new(err));
        e
    }
}

/// Maps a clap parse failure: help and version exit 0, everything else exits 1 (never 2,
/// which scripts read as "changes").
pub fn exit_for_clap(err: clap::Error) -> ExitCode {
    crate::ui::print_clap(&err);
    match err.kind() {
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
            ExitCode::SUCCESS
        }
        _ => ExitCode::from(EXIT_ERROR),
    }
}

impl From<fsutil::FsError> for CliError {
    fn from(err: fsutil::FsError) -> CliError {
        EngineError::from(err).into()
    }
}

/// Every module error reaches the command edge through [`EngineError`], so `?` works on
/// engine calls directly in commands.
macro_rules! cli_from {
    ($($ty:ty),* $(,)?) => {$(
        impl From<$ty> for CliError {
            fn from(e: $ty) -> CliError {
                EngineError::from(e).into()
            }
        }
    )*};
}

cli_from!(
    plan::PlanError,
    plan::apply::ApplyError,
    plan::drift::DriftError,
    identity::keys::KeysError,
    spire::SpireError,
    bundle::write::WriteError,
    client::ClientError,
    local::LocalError,
);
