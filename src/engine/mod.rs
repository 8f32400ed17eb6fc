//! The x0t engine: everything the commands call. It never parses command lines and never
//! prints; it returns typed values and each module's own typed errors (composed into one
//! only at the command edge, in `crate::error`). docs/ARCHITECTURE.md maps the modules.

pub mod bench;
pub mod bundle;
pub mod client;
pub mod doctor;
pub mod fuzz;
pub mod identity;
pub mod local;
pub mod manifest;
pub mod mesh;
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
