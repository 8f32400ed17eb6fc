//! Small helpers every layer uses: atomic file writes and path-naming I/O errors, time
//! formatting and the clock, and latency statistics.

pub mod clock;
pub mod fsutil;
pub mod harden;
#[cfg(feature = "test-hooks")]
pub mod hooks;
pub mod stats;
pub mod timefmt;
