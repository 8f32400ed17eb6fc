//! The command tree and its one dispatcher. Commands are thin: load, call the engine,
//! render through `Ui`.

mod apply;
mod audit;
mod bench;
mod bundle;
mod chaos;
mod completions;
mod connect;
mod doctor;
mod drift;
mod identity;
mod keys;
mod kv;
mod man;
mod mesh;
mod node;
mod plan;
mod rag;
mod recv;
mod revoke;
mod schema;
mod send;
mod snapshot;
mod spire;
mod status;
mod up;
mod validate;
mod version;

use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::cli::{Cli, GlobalArgs};
use crate::engine::manifest::{self, Loaded};
use crate::engine::state::{Owner, StateDir};
use crate::error::CliError;
use crate::ui::Ui;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: something differs (plan has changes).
pub const EXIT_DIFFERS: i32 = 2;
/// Exit code: drift found.
pub const EXIT_DRIFT: i32 = 3;

#[derive(Debug, Subcommand)]
pub enum Command {
    Validate(validate::ValidateArgs),
    Plan(plan::PlanArgs),
    Apply(apply::ApplyArgs),
    Drift(drift::DriftArgs),
    Up(up::UpArgs),
    #[command(subcommand)]
    Node(node::NodeCommand),
    Status(status::StatusArgs),
    #[command(subcommand)]
    Kv(kv::KvCommand),
    Audit(audit::AuditArgs),
    #[command(subcommand)]
    Mesh(mesh::MeshCommand),
    Send(send::SendArgs),
    Recv(recv::RecvArgs),
    #[command(subcommand)]
    Chaos(chaos::ChaosCommand),
    #[command(subcommand)]
    Snapshot(snapshot::SnapshotCommand),
    #[command(subcommand)]
    Rag(rag::RagCommand),
    #[command(subcommand)]
    Identity(identity::IdentityCommand),
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    Bundle(bundle::BundleArgs),
    Revoke(revoke::RevokeArgs),
    #[command(subcommand)]
    Spire(spire::SpireCommand),
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    Schema(schema::SchemaArgs),
    Doctor(doctor::DoctorArgs),
    Version(version::VersionArgs),
    Completions(completions::CompletionsArgs),
    Man(man::ManArgs),
}

/// Runs the parsed command; returns the exit code on success.
pub fn run(ui: &mut Ui, cli: &Cli) -> Result<i32, CliError> {
    let ctx = Ctx {
        global: &cli.global,
    };
    match &cli.command {
        Command::Validate(a) => validate::run(ui, &ctx, a),
        Command::Plan(a) => plan::run(ui, &ctx, a),
        Command::Apply(a) => apply::run(ui, &ctx, a),
        Command::Drift(a) => drift::run(ui, &ctx, a),
        Command::Up(a) => up::run(ui, &ctx, a),
        Command::Node(c) => node::run(ui, &ctx, c),
        Command::Status(a) => status::run(ui, &ctx, a),
        Command::Kv(c) => kv::run(ui, &ctx, c),
        Command::Mesh(c) => mesh::run(ui, &ctx, c),
        Command::Send(a) => send::run(ui, &ctx, a),
        Command::Recv(a) => recv::run(ui, &ctx, a),
        Command::Chaos(c) => chaos::run(ui, &ctx, c),
        Command::Audit(a) => audit::run(ui, &ctx, a),
        Command::Snapshot(c) => snapshot::run(ui, &ctx, c),
        Command::Rag(c) => rag::run(ui, &ctx, c),
        Command::Identity(c) => identity::run(ui, &ctx, c),
        Command::Keys(c) => keys::run(ui, &ctx, c),
        Command::Bundle(a) => bundle::run(ui, &ctx, a),
        Command::Spire(c) => spire::run(ui, &ctx, c),
        Command::Revoke(a) => revoke::run(ui, &ctx, a),
        Command::Bench(c) => bench::run(ui, &ctx, c),
        Command::Schema(a) => schema::run(ui, a),
        Command::Doctor(a) => doctor::run(ui, &ctx, a),
        Command::Version(a) => version::run(ui, a),
        Command::Completions(a) => completions::run(ui, a),
        Command::Man(a) => man::run(ui, a),
    }
}

/// What every command may need from the global flags.
pub struct Ctx<'a> {
    pub global: &'a GlobalArgs,
}

impl Ctx<'_> {
    /// The manifest path: `-f`, `$X0T_MANIFEST`, or `x0t.yaml` here.
    pub fn manifest_path(&self) -> PathBuf {
        self.global
            .file
            .clone()
            .unwrap_or_else(|| PathBuf::from("x0t.yaml"))
    }

    /// Loads and validates the manifest, printing its warnings.
    pub fn load_manifest(&self, ui: &Ui) -> Result<Loaded, CliError> {
        let loaded =
            manifest::load(&self.manifest_path()).map_err(crate::error::EngineError::from)?;
        print_warnings(ui, &loaded);
        Ok(loaded)
    }

    /// `--state-dir` when given (no manifest needed), else `.x0t/` beside the manifest.
    pub fn resolve_state_dir(&self, ui: &Ui) -> Result<StateDir, CliError> {
        match &self.global.state_dir {
            Some(d) => Ok(StateDir::new(d)),
            None => Ok(self.state_dir(&self.load_manifest(ui)?.path)),
        }
    }

    /// `--state-dir`, or `.x0t/` beside the manifest.
    pub fn state_dir(&self, manifest: &Path) -> StateDir {
        match &self.global.state_dir {
            Some(d) => StateDir::new(d),
            None => StateDir::new(manifest_dir(manifest).join(".x0t")),
        }
    }
}

fn manifest_dir(manifest: &Path) -> PathBuf {
    match manifest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

pub fn print_warnings(ui: &Ui, loaded: &Loaded) {
    for w in &loaded.warnings {
        let hint = w
            .hint
            .as_deref()
            .map(|h| format!(" (hint: {h})"))
            .unwrap_or_default();
        ui.warn(&format!("{w}{hint}"));
    }
}

/// A node or, with `--operator`, an operator.
pub fn owner(name: &str, operator: bool) -> Owner {
    if operator {
        Owner::Operator(name.into())
    } else {
        Owner::Node(name.into())
    }
}
