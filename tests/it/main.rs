//! The integration suite: one binary, one module per area. Every test runs the real `x0t`
//! binary in its own temporary directory.

mod apply;
mod bundle;
mod cli;
mod cluster;
mod fuzz;
mod hostile;
mod identity;
mod json;
mod jwt;
mod manifest;
mod mesh;
mod netns;
mod pqc;
mod raft_store;
mod rag;
mod revoke;
mod rollover;
mod rotate;
mod snapshot;
mod spire;
mod state;
mod support;
mod telemetry;
mod workload;
