//! `spec.limits`: each limit within the range a node can work in.

use super::*;

/// `(field, value, lowest, highest, why the bounds)`, checked alike.
type Bound<'a> = (&'a str, u64, u64, u64, &'a str);

pub(super) fn check_limits(c: &mut Checker, m: &Manifest) {
    let l = &m.spec.limits;
    let ms = |d: HumanDuration| u64::try_from(d.0.as_millis()).unwrap_or(u64::MAX);
    let bounds: [Bound<'_>; 6] = [
        (
            "spec.limits.maxConnections",
            l.max_connections.into(),
            16,
            1_000_000,
            "a node needs a connection per peer and per client; between 16 and 1000000",
        ),
        (
            "spec.limits.maxStreams",
            l.max_streams.into(),
            8,
            65_536,
            "raft, the data plane and clients share a connection's streams; between 8 and 65536",
        ),
        (
            "spec.limits.maxMessageSize",
            l.max_message_size.0,
            4 << 20,
            256 << 20,
            "entry batches and snapshot chunks need 4MiB; write between 4MiB and 256MiB",
        ),
        (
            "spec.limits.requestTimeout",
            ms(l.request_timeout),
            1_000,
            3_600_000,
            "between 1s and 1h",
        ),
        (
            "spec.limits.handshakeTimeout",
            ms(l.handshake_timeout),
            100,
            60_000,
            "between 100ms and 60s; a post-quantum handshake takes a few milliseconds",
        ),
        (
            "spec.limits.maxStoreBytes",
            l.max_store_bytes.0,
            1 << 20,
            u64::MAX,
            "at least 1MiB",
        ),
    ];
    for (field, value, lo, hi, hint) in bounds {
        if !(lo..=hi).contains(&value) {
            let shown = match field {
                "spec.limits.maxMessageSize" | "spec.limits.maxStoreBytes" => {
                    ByteSize(value).to_string()
                }
                "spec.limits.requestTimeout" | "spec.limits.handshakeTimeout" => {
                    HumanDuration::from_millis(value).to_string()
                }
                _ => value.to_string(),
            };
            c.error(field, format!("{shown} is out of range"), Some(hint));
        }
    }
}
