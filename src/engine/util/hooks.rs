//! Test hooks, compiled only with the `test-hooks` cargo feature. The integration tests turn
//! it on (the package's dev-dependency on itself); a release build never has it, so no
//! environment variable can change what a shipped binary decides.
//!
//! - `X0T_NOW` (RFC 3339) stands in for the clock, so tests reach expiry and rotation
//!   windows without waiting for them.
//! - `X0T_FAULT=<point>` aborts the process at that point, to prove that a killed apply
//!   never leaves a half-written state.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The time `X0T_NOW` names, if set and valid.
pub fn now() -> Option<OffsetDateTime> {
    std::env::var("X0T_NOW")
        .ok()
        .and_then(|v| OffsetDateTime::parse(&v, &Rfc3339).ok())
}

/// Aborts the process when `X0T_FAULT` names `point`.
pub fn fault(point: &str) {
    if std::env::var("X0T_FAULT").is_ok_and(|v| v == point) {
        std::process::abort();
    }
}
