//! The clock a node owns. Everything in the node that stamps or judges time (audit records,
//! SVID renewal, snapshot headers) reads this clock, not the system's directly, so that a
//! clock offset can be injected into one node (for chaos experiments) without touching the
//! others or the host. Planning and verification take `now` as a parameter instead.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use time::OffsetDateTime;

use crate::engine::util::timefmt;

/// A shared handle; clones see the same offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Added to the system time, in milliseconds.
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock, with no offset.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// Now moved by the offset, in whole seconds like [`timefmt::now`], so what is written
    /// reads back equal.
    pub fn now(&self) -> OffsetDateTime {
        let offset = self.offset_ms.load(Ordering::Relaxed);
        let t = timefmt::now() + time::Duration::milliseconds(offset);
        t.replace_nanosecond(0).unwrap_or(t)
    }

    /// Now, to the nanosecond, moved by the offset: for renewal timers.
    pub fn now_precise(&self) -> OffsetDateTime {
        let offset = self.offset_ms.load(Ordering::Relaxed);
        OffsetDateTime::now_utc() + time::Duration::milliseconds(offset)
    }

    /// Moves this clock (and its clones) `offset` away from the system's.
    pub fn set_offset(&self, offset: time::Duration) {
        let ms = i64::try_from(offset.whole_milliseconds()).unwrap_or(i64::MAX);
        self.offset_ms.store(ms, Ordering::Relaxed);
    }

    pub fn offset(&self) -> time::Duration {
        time::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_moves_every_clone_and_only_them() {
        let a = Clock::system();
        let b = a.clone();
        let other = Clock::system();
        a.set_offset(time::Duration::hours(2));
        assert_eq!(b.offset(), time::Duration::hours(2));
        assert_eq!(other.offset(), time::Duration::ZERO);
        let ahead = b.now() - other.now();
        assert!(ahead >= time::Duration::minutes(119), "{ahead}");
        assert!(ahead <= time::Duration::minutes(121), "{ahead}");
    }
}
