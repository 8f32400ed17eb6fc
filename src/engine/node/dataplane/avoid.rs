//! Routing around a node that misbehaves on the data plane. Link probes see a dead or
//! lossy link, but not a relay that answers probes and alters or swallows the frames it
//! should pass on. The sender sees that: the destination refuses a frame that does not
//! open, or no answer comes. After [`FAILURES`] such failures in a row along one path the
//! sender suspects one intermediate node of that path — the one a hop named as silent, or
//! else the first it can route around — names it in its frames' `avoid` list for [`HOLD`],
//! and every hop then routes around it. If the new path fails too, the next suspect joins
//! the list (or replaces it, when no path avoids both).

use std::collections::BTreeSet;
use std::time::Duration;

use tokio::time::Instant;
use tonic::{Code, Status};

/// How a hop's error names a next hop that did not answer in time.
pub const NO_ANSWER_FROM: &str = "no answer from ";

/// The node the innermost hop found silent, if the error names one.
fn silent(e: &Status) -> Option<&str> {
    let msg = e.message();
    let rest = &msg[msg.rfind(NO_ANSWER_FROM)? + NO_ANSWER_FROM.len()..];
    rest.split_whitespace().next()
}

/// Failures in a row along one path before its intermediate nodes are avoided.
pub const FAILURES: u32 = 2;
/// How long a suspected node is avoided.
pub const HOLD: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub struct Avoidance {
    nodes: BTreeSet<String>,
    until: Option<Instant>,
    failures: u32,
}

impl Avoidance {
    /// The nodes to route around now.
    pub fn list(&mut self) -> Vec<String> {
        if self.until.is_some_and(|u| Instant::now() >= u) {
            *self = Avoidance::default();
        }
        self.nodes.iter().cloned().collect()
    }

    pub fn delivered(&mut self) {
        self.failures = 0;
    }

    /// After a frame sent along `path` (this node first) failed with `e`: the node newly
    /// suspected, if this failure made the sender suspect one. `routable` says whether a
    /// path avoiding a set of nodes exists.
    pub fn failed(
        &mut self,
        path: Option<&[String]>,
        e: &Status,
        routable: impl Fn(&[String]) -> bool,
    ) -> Option<String> {
        match e.code() {
            // No path avoids them: better through them than not at all.
            Code::Unavailable if !self.nodes.is_empty() && e.message().contains("no route") => {
                *self = Avoidance::default();
                None
            }
            Code::DataLoss | Code::DeadlineExceeded => {
                self.failures += 1;
                let middle = match path {
                    Some(p) if p.len() > 2 => &p[1..p.len() - 1],
                    _ => return None,
                };
                if self.failures < FAILURES {
                    return None;
                }
                self.failures = 0;
                let named: Vec<&String> = match silent(e) {
                    Some(n) => middle.iter().filter(|m| *m == n).collect(),
                    None => Vec::new(),
                };
                let candidates = match named.is_empty() {
                    true => middle.iter().collect(),
                    false => named,
                };
                let with = |n: &String| {
                    let mut all: Vec<String> = self.nodes.iter().cloned().collect();
                    all.push(n.clone());
                    all
                };
                let fresh = || candidates.iter().filter(|n| !self.nodes.contains(**n));
                let suspect = match fresh().find(|n| routable(&with(n))) {
                    Some(n) => (*n).clone(),
                    None => {
                        let alone = fresh().find(|n| routable(&[(**n).clone()]))?;
                        self.nodes.clear();
                        (*alone).clone()
                    }
                };
                self.until = Some(Instant::now() + HOLD);
                self.nodes.insert(suspect.clone());
                Some(suspect)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> Vec<String> {
        ["eu-1", "relay-1", "ap-1", "ap-edge"]
            .map(String::from)
            .to_vec()
    }

    #[tokio::test]
    async fn repeated_integrity_failures_suspect_the_middle_of_the_path() {
        // ap-1 is the only way to ap-edge: it can never be avoided.
        let routable = |avoid: &[String]| !avoid.iter().any(|n| n == "ap-1");
        let mut a = Avoidance::default();
        let tampered = Status::data_loss("altered on the way");
        assert_eq!(
            a.failed(Some(&path()), &tampered, routable),
            None,
            "one is noise"
        );
        assert_eq!(
            a.failed(Some(&path()), &tampered, routable).as_deref(),
            Some("relay-1")
        );
        assert_eq!(a.list(), ["relay-1"]);
        // The detour fails too: its first unsuspected node that can be avoided joins.
        let detour = ["eu-1", "us-1", "us-2", "ap-1", "ap-edge"].map(String::from);
        a.failed(Some(&detour), &tampered, routable);
        assert_eq!(
            a.failed(Some(&detour), &tampered, routable).as_deref(),
            Some("us-1")
        );
        assert_eq!(a.list(), ["relay-1", "us-1"]);
        // Refusals that say nothing about the path do not count.
        let mut b = Avoidance::default();
        for _ in 0..5 {
            let denied = Status::permission_denied("no");
            assert_eq!(b.failed(Some(&path()), &denied, routable), None);
        }
        // A delivery in between resets the count.
        let mut c = Avoidance::default();
        c.failed(Some(&path()), &tampered, routable);
        c.delivered();
        assert_eq!(c.failed(Some(&path()), &tampered, routable), None);
        // With no path around them, they are tried again.
        let none = Status::unavailable("eu-1 has no route to ap-edge around x");
        a.failed(None, &none, routable);
        assert!(a.list().is_empty());
    }

    #[tokio::test]
    async fn a_hop_that_names_a_silent_node_decides_the_suspect() {
        let path = ["eu-2", "eu-1", "relay-1", "ap-1", "ap-edge"].map(String::from);
        let silent =
            Status::deadline_exceeded(format!("via eu-1: {NO_ANSWER_FROM}relay-1 within 2.3s"));
        let mut a = Avoidance::default();
        a.failed(Some(&path), &silent, |_| true);
        assert_eq!(
            a.failed(Some(&path), &silent, |_| true).as_deref(),
            Some("relay-1")
        );
        // A suspect that cannot be avoided together with the earlier ones replaces them.
        let mut b = Avoidance::default();
        let tampered = Status::data_loss("altered");
        b.failed(Some(&path), &tampered, |_| true);
        assert_eq!(
            b.failed(Some(&path), &tampered, |_| true).as_deref(),
            Some("eu-1")
        );
        let only_one = |avoid: &[String]| avoid.len() < 2;
        b.failed(Some(&path), &silent, only_one);
        assert_eq!(
            b.failed(Some(&path), &silent, only_one).as_deref(),
            Some("relay-1")
        );
        assert_eq!(b.list(), ["relay-1"]);
    }

    #[tokio::test]
    async fn suspicion_expires() {
        let mut a = Avoidance::default();
        let lost = Status::deadline_exceeded("no answer");
        a.failed(Some(&path()), &lost, |_| true);
        a.failed(Some(&path()), &lost, |_| true);
        assert_eq!(a.list(), ["relay-1"]);
        assert!(a.until.unwrap() > Instant::now() + HOLD - Duration::from_secs(5));
        a.until = Some(Instant::now());
        assert!(a.list().is_empty());
    }
}
