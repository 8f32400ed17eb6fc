//! The link fault layer: faults an admin operator injects into what this node sends to a
//! peer, on the data plane and on Raft alike — a cut link, a share of requests lost, a
//! delay with jitter. It exists only in a mesh whose manifest sets `spec.chaos.enabled:
//! true`; otherwise every request to set a fault is refused and nothing is ever checked.
//!
//! Faults act per direction and per request: a request from this node to the peer fails
//! (cut, lost) or waits (delay) before it is sent. The reverse direction is the peer's own
//! table.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;
use std::time::Duration;

use tonic::Status;

/// What happens to this node's requests to one peer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkFault {
    /// Every request fails, as if the link were unplugged.
    pub cut: bool,
    /// The share of requests that fail, 0..=1.
    pub loss: f64,
    pub delay: Duration,
    /// Up to this much is added to or taken from `delay`, uniformly.
    pub jitter: Duration,
    /// The share of data-plane frames relayed for other nodes that are altered (one byte
    /// of a sealed message flipped), as a hostile relay would.
    pub corrupt: f64,
    /// Relayed data-plane frames are held without an answer, never passed on.
    pub blackhole: bool,
    /// Relayed data-plane frames are passed on twice.
    pub replay: bool,
}

/// What a hostile relay does to one frame it relays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relayed {
    pub corrupt: bool,
    pub blackhole: bool,
    pub replay: bool,
}

impl LinkFault {
    pub fn is_none(&self) -> bool {
        *self == LinkFault::default()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("chaos is off on {node}: its manifest does not set spec.chaos.enabled: true")]
pub struct ChaosDisabled {
    pub node: String,
}

pub struct Faults {
    node: String,
    enabled: bool,
    /// Set while any fault is in the table, so the common case takes no lock.
    any: AtomicBool,
    table: RwLock<BTreeMap<String, LinkFault>>,
}

impl Faults {
    pub fn new(node: &str, enabled: bool) -> Faults {
        Faults {
            node: node.into(),
            enabled,
            any: AtomicBool::new(false),
            table: RwLock::new(BTreeMap::new()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Sets (or, with an empty fault, clears) the fault on traffic to `peer`.
    pub fn set(&self, peer: &str, fault: LinkFault) -> Result<(), ChaosDisabled> {
        if !self.enabled {
            return Err(ChaosDisabled {
                node: self.node.clone(),
            });
        }
        let mut t = self.table.write().expect("faults");
        if fault.is_none() {
            t.remove(peer);
        } else {
            tracing::warn!(peer, ?fault, "chaos: link fault injected");
            t.insert(peer.into(), fault);
        }
        self.any.store(!t.is_empty(), Ordering::Release);
        Ok(())
    }

    pub fn list(&self) -> BTreeMap<String, LinkFault> {
        self.table.read().expect("faults").clone()
    }

    /// Applies the fault on a request to `peer`: waits out a delay, or fails the request.
    pub async fn outbound(&self, peer: &str) -> Result<(), Status> {
        if !self.any.load(Ordering::Acquire) {
            return Ok(());
        }
        let Some(f) = self.table.read().expect("faults").get(peer).cloned() else {
            return Ok(());
        };
        if f.cut {
            return Err(Status::unavailable(format!(
                "chaos: link {} -> {peer} is cut",
                self.node
            )));
        }
        if f.loss > 0.0 && unit() < f.loss {
            return Err(Status::unavailable(format!(
                "chaos: request {} -> {peer} lost",
                self.node
            )));
        }
        if !f.delay.is_zero() || !f.jitter.is_zero() {
            let j = f.jitter.as_secs_f64() * (2.0 * unit() - 1.0);
            let d = (f.delay.as_secs_f64() + j).max(0.0);
            tokio::time::sleep(Duration::from_secs_f64(d)).await;
        }
        Ok(())
    }
}

impl Faults {
    /// What to do to a data-plane frame relayed for another node on its way to `peer`.
    pub fn relayed(&self, peer: &str) -> Relayed {
        if !self.any.load(Ordering::Acquire) {
            return Relayed::default();
        }
        let t = self.table.read().expect("faults");
        let Some(f) = t.get(peer) else {
            return Relayed::default();
        };
        Relayed {
            corrupt: f.corrupt > 0.0 && unit() < f.corrupt,
            blackhole: f.blackhole,
            replay: f.replay,
        }
    }
}

/// A uniform number in [0, 1).
fn unit() -> f64 {
    let mut b = [0u8; 8];
    let _ = aws_lc_rs::rand::fill(&mut b);
    (u64::from_be_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn faults_exist_only_with_chaos_enabled_and_act_per_peer() {
        let off = Faults::new("n1", false);
        let cut = LinkFault {
            cut: true,
            ..Default::default()
        };
        assert!(off.set("n2", cut.clone()).is_err());
        assert!(off.outbound("n2").await.is_ok());

        let on = Faults::new("n1", true);
        on.set("n2", cut).unwrap();
        assert!(on.outbound("n2").await.is_err());
        assert!(on.outbound("n3").await.is_ok(), "other peers untouched");
        let lossy = LinkFault {
            loss: 0.3,
            ..Default::default()
        };
        on.set("n2", lossy).unwrap();
        let lost = futures_util::future::join_all((0..2000).map(|_| on.outbound("n2")))
            .await
            .into_iter()
            .filter(|r| r.is_err())
            .count();
        assert!((450..750).contains(&lost), "about 30 % lost: {lost}");
        on.set("n2", LinkFault::default()).unwrap();
        assert!(on.list().is_empty());
        assert!(on.outbound("n2").await.is_ok());
    }
}
