//! The node runtime: bundle loading, the mesh transport, Raft, the admin API, the SPIFFE
//! Workload API.

pub mod admin;
pub mod batcher;
pub mod bundle;
pub mod client;
pub mod live;
pub mod network;
pub mod raft;
pub mod rpc;
pub mod run;
pub mod transport;
pub mod workload;
