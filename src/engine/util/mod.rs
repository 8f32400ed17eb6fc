//! Small helpers every layer uses: atomic file writes and path-naming I/O errors, time
//! formatting and the clock, and latency statistics.

pub mod accept;
pub mod clock;
pub mod fsutil;
pub mod harden;
#[cfg(feature = "test-hooks")]
pub mod hooks;
pub mod stats;
pub mod timefmt;

/// Secret key bytes: overwritten with zeros when dropped, so a freed buffer does not keep a
/// key in the heap for a later allocation (or a memory dump) to find.
pub type Secret = zeroize::Zeroizing<Vec<u8>>;

/// Secret text (a private key's PEM), overwritten when dropped.
pub type SecretText = zeroize::Zeroizing<String>;
