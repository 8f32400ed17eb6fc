//! The store quota, `spec.limits.maxStoreBytes`. The replicated store lives in memory and
//! grows with the data, so a leader refuses a write that would take it past the quota
//! (counting writes admitted but not applied yet) and raises an alarm until deletes bring
//! it back under 95 % of the quota. The check runs where writes are proposed, not where
//! they are applied: every node applies the same log, and a quota that differs between
//! nodes for a moment must not make their states differ.

use std::sync::atomic::{AtomicU64, Ordering};

use tonic::Status;

use crate::engine::manifest::ByteSize;
use crate::engine::telemetry::RaftMetrics;

pub struct StoreQuota {
    max: u64,
    /// Growth of writes admitted and not yet applied.
    in_flight: AtomicU64,
    metrics: RaftMetrics,
}

/// A write's place under the quota until it is applied (or fails): dropping it returns it.
pub struct Admitted<'a> {
    quota: &'a StoreQuota,
    growth: u64,
}

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.quota
            .in_flight
            .fetch_sub(self.growth, Ordering::AcqRel);
    }
}

impl StoreQuota {
    pub fn new(max: ByteSize, metrics: RaftMetrics) -> StoreQuota {
        metrics.store_quota_bytes.set(max.0 as i64);
        StoreQuota {
            max: max.0,
            in_flight: AtomicU64::new(0),
            metrics,
        }
    }

    /// Admits a write that grows a store holding `used` bytes by `growth`, or refuses it
    /// and raises the alarm.
    pub fn admit(&self, used: u64, growth: u64) -> Result<Admitted<'_>, Status> {
        let pending = self.in_flight.fetch_add(growth, Ordering::AcqRel);
        let admitted = Admitted {
            quota: self,
            growth,
        };
        if growth == 0 || used.saturating_add(pending).saturating_add(growth) <= self.max {
            return Ok(admitted);
        }
        drop(admitted);
        if self.metrics.store_quota_alarm.get() == 0 {
            tracing::warn!(
                used,
                quota = self.max,
                "store quota reached: refusing writes that grow the store"
            );
        }
        self.metrics.store_quota_alarm.set(1);
        Err(Status::resource_exhausted(format!(
            "store quota exceeded: {} of {} used{}, and this write needs {} more; delete keys or raise spec.limits.maxStoreBytes",
            ByteSize(used),
            ByteSize(self.max),
            match pending {
                0 => String::new(),
                p => format!(" ({} more in writes not applied yet)", ByteSize(p)),
            },
            ByteSize(growth),
        )))
    }

    /// Publishes the store's size, and clears the alarm once it is under 95 % of the quota.
    pub fn observe(&self, used: u64) {
        self.metrics.store_bytes.set(used as i64);
        let under = u128::from(used) * 100 < u128::from(self.max) * 95;
        if under && self.metrics.store_quota_alarm.get() == 1 {
            self.metrics.store_quota_alarm.set(0);
            tracing::info!(
                used,
                quota = self.max,
                "store back under its quota: alarm cleared"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::telemetry::Metrics;

    #[test]
    fn writes_past_the_quota_are_refused_until_deletes_make_room() {
        let metrics = Metrics::new("n1", "0", "0").unwrap();
        let q = StoreQuota::new(ByteSize(1000), metrics.raft.clone());
        let a = q.admit(800, 150).unwrap();
        // The first write is not applied yet: it counts.
        let err = q.admit(800, 100).err().unwrap();
        assert_eq!(err.code(), tonic::Code::ResourceExhausted);
        assert!(
            err.message()
                .contains("150B more in writes not applied yet"),
            "{}",
            err.message()
        );
        assert_eq!(metrics.raft.store_quota_alarm.get(), 1);
        drop(a);
        q.admit(800, 100).unwrap();
        // Overwrites that do not grow the store pass, alarm or not.
        q.admit(5000, 0).unwrap();
        q.observe(960);
        assert_eq!(
            metrics.raft.store_quota_alarm.get(),
            1,
            "96 % is not enough room"
        );
        q.observe(940);
        assert_eq!(metrics.raft.store_quota_alarm.get(), 0);
        assert_eq!(metrics.raft.store_bytes.get(), 940);
    }
}
