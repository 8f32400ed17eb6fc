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

/// The nodes an error blames for silence on `path` (this node first): the node the
/// innermost hop found silent, and that hop itself (unless it is this node). Hops write
/// these errors, so the claim counts only if the silent node is the reporter's next hop on
/// the path; a lying relay then blames a link it is on.
fn silent<'a>(e: &'a Status, path: &[String]) -> Vec<&'a str> {
    let msg = e.message();
    let Some(at) = msg.rfind(NO_ANSWER_FROM) else {
        return Vec::new();
    };
    let Some(node) = msg[at + NO_ANSWER_FROM.len()..].split_whitespace().next() else {
        return Vec::new();
    };
    let reporter = msg[..at]
        .rsplit("via ")
        .next()
        .and_then(|r| r.split(':').next())
        .filter(|r| !r.is_empty() && msg[..at].contains("via "));
    let reporter_at = match reporter {
        Some(r) => path.iter().position(|p| p == r),
        None => Some(0),
    };
    match reporter_at {
        Some(i) if path.get(i + 1).is_some_and(|n| n == node) => {
            let mut blamed = vec![node];
            blamed.extend(reporter);
            blamed
        }
        _ => Vec::new(),
    }
}

/// The most nodes a frame may ask hops to avoid.
pub const MAX_AVOID: usize = 8;

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

    fn list_now(&self) -> Vec<String> {
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
            // Decided by this node's own view, not by what a hop says.
            Code::Unavailable if !self.nodes.is_empty() && !routable(&self.list_now()) => {
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
                let blamed = silent(e, path.unwrap_or_default());
                let named: Vec<&String> = (blamed.iter())
                    .filter_map(|b| middle.iter().find(|m| m == b))
                    .collect();
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
                if self.nodes.len() >= MAX_AVOID {
                    return None;
                }
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
        // A hop saying there is no route around them counts only if this node agrees.
        let none = Status::unavailable("eu-1 has no route to ap-edge around x");
        a.failed(None, &none, routable);
        assert_eq!(a.list(), ["relay-1", "us-1"]);
        a.failed(None, &none, |_| false);
        assert!(
            a.list().is_empty(),
            "with no path around them, they are tried again"
        );
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
        // A hop blaming a node that is not its next hop is not believed: the sender falls
        // back to the path's first intermediate node.
        let lie = Status::deadline_exceeded(format!("via eu-1: {NO_ANSWER_FROM}ap-1 within 2s"));
        let mut c = Avoidance::default();
        c.failed(Some(&path), &lie, |_| true);
        assert_eq!(
            c.failed(Some(&path), &lie, |_| true).as_deref(),
            Some("eu-1")
        );
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
