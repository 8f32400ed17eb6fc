//! `x0t bench`: built-in benchmarks.

mod fill;
mod mesh;
mod raft;
mod rag;
mod tcp;
mod workload;

use clap::Subcommand;

use super::Ctx;
use crate::error::CliError;
use crate::ui::Ui;

/// Measure the mesh: Raft write throughput, latency and failover; data-plane messages;
/// load data for snapshot measurements; retrieval speed and recall; the Workload API; the
/// same message load over plain TCP, for comparing another overlay.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    Raft(raft::RaftArgs),
    Mesh(mesh::MeshArgs),
    Fill(fill::FillArgs),
    Rag(rag::RagArgs),
    Workload(workload::WorkloadArgs),
    Tcp(tcp::TcpArgs),
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &BenchCommand) -> Result<i32, CliError> {
    match cmd {
        BenchCommand::Raft(a) => raft::run(ui, ctx, a),
        BenchCommand::Mesh(a) => mesh::run(ui, ctx, a),
        BenchCommand::Fill(a) => fill::run(ui, ctx, a),
        BenchCommand::Rag(a) => rag::run(ui, ctx, a),
        BenchCommand::Workload(a) => workload::run(ui, ctx, a),
        BenchCommand::Tcp(a) => tcp::run(ui, ctx, a),
    }
}
