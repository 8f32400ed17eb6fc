//! The node runtime (the server side): Raft with its store and network adapter, the admin
//! API, the gate in front of every RPC, the write batcher, the mesh data plane, the SPIFFE
//! Workload API, and `run`, which wires them together.

pub mod admin;
pub mod batcher;
pub mod dataplane;
pub mod faults;
pub mod follow;
pub mod gate;
pub mod protocol;
pub mod quota;
pub mod raft;
pub mod run;
pub mod workload;
