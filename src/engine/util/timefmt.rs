//! Time rendering shared by every output: RFC 3339 UTC with whole seconds, and short
//! human spans such as `3h` or `29d 23h`.

use std::time::Duration;

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// Now, truncated to whole seconds so that what is written reads back equal. Test builds
/// may stand another time in for it (see `util::hooks`).
pub fn now() -> OffsetDateTime {
    #[cfg(feature = "test-hooks")]
    if let Some(t) = super::hooks::now() {
        return t;
    }
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(0).unwrap_or(t)
}

/// Milliseconds since the Unix epoch, now (0 before 1970).
pub fn unix_ms_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// `2026-11-26T18:00:00Z`.
pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

pub fn parse_rfc3339(s: &str) -> Result<OffsetDateTime, time::error::Parse> {
    OffsetDateTime::parse(s, &Rfc3339)
}

/// A coarse human span: `45s`, `12m`, `3h`, `2d 4h`.
pub fn span(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=119 => format!("{s}s"),
        120..=7199 => format!("{}m", s / 60),
        7200..=172_799 => format!("{}h", s / 3600),
        _ if (s % 86400) / 3600 == 0 => format!("{}d", s / 86400),
        _ => format!("{}d {}h", s / 86400, (s % 86400) / 3600),
    }
}

/// The span from `a` to `b`, zero when `b` is earlier.
pub fn between(a: OffsetDateTime, b: OffsetDateTime) -> Duration {
    let d = b - a;
    if d.is_negative() {
        Duration::ZERO
    } else {
        Duration::from_secs(d.whole_seconds() as u64)
    }
}

/// Serde helpers for `OffsetDateTime` fields as RFC 3339 text.
pub mod rfc3339_serde {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;

    pub fn serialize<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rfc3339(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

/// Serde helpers for `Option<OffsetDateTime>` fields as RFC 3339 text.
pub mod rfc3339_opt_serde {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;

    pub fn serialize<S: Serializer>(t: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&super::rfc3339(*t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| super::parse_rfc3339(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}
