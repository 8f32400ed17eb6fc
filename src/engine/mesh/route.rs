//! Shortest paths over the link graph that the adverts describe.
//!
//! An edge u -> v counts only when u reports the link usable and v does not report it down
//! (the two-way check): one node cannot pull traffic onto a link its peer says is dead.
//! This node's own links use its own, fresher measurements.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::link;
use super::lsdb::Lsdb;

/// The best path to one destination.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    pub destination: String,
    pub next_hop: String,
    /// Every node from this one to the destination, both included.
    pub path: Vec<String>,
    pub metric: f64,
}

/// How much better (as a fraction of its metric) a new path must be to replace a route
/// whose path still works.
pub const SWITCH_GAIN: f64 = 0.1;

/// The metric of `path` over `edges`, or `None` if a link on it is gone.
fn links_of(edges: &BTreeMap<&str, Vec<(&str, f64)>>) -> RouteLinks {
    (edges.iter())
        .flat_map(|(a, out)| out.iter().map(|(b, _)| (a.to_string(), b.to_string())))
        .collect()
}

fn path_metric(edges: &BTreeMap<&str, Vec<(&str, f64)>>, path: &[String]) -> Option<f64> {
    path.windows(2).try_fold(0.0, |sum, w| {
        let out = edges.get(w[0].as_str())?;
        let (_, m) = out.iter().find(|(to, _)| *to == w[1])?;
        Some(sum + m)
    })
}

/// Usable links as (from, to) pairs; see [`Graph::links`].
pub type RouteLinks = BTreeSet<(String, String)>;

/// The link graph as this node sees it.
pub struct Graph<'a> {
    pub me: &'a str,
    /// This node's usable links: peer and metric.
    pub own: &'a [(String, f64)],
    pub lsdb: &'a Lsdb,
    /// The configured cost of the link between two nodes (1 when unset).
    pub cost: &'a dyn Fn(&str, &str) -> u32,
    /// Whether the manifest allows a link between two nodes.
    pub allowed: &'a dyn Fn(&str, &str) -> bool,
}

impl Graph<'_> {
    fn edges(&self) -> BTreeMap<&str, Vec<(&str, f64)>> {
        let mut out: BTreeMap<&str, Vec<(&str, f64)>> = BTreeMap::new();
        out.insert(
            self.me,
            self.own.iter().map(|(p, m)| (p.as_str(), *m)).collect(),
        );
        let own_up: BTreeSet<&str> = self.own.iter().map(|(p, _)| p.as_str()).collect();
        for a in self.lsdb.adverts() {
            if a.origin == self.me {
                continue;
            }
            let edges = out.entry(a.origin.as_str()).or_default();
            for l in a.links.iter().filter(|l| l.state.usable()) {
                if !(self.allowed)(&a.origin, &l.peer) {
                    continue;
                }
                let back_ok = if l.peer == self.me {
                    own_up.contains(a.origin.as_str())
                } else {
                    self.lsdb.get(&l.peer).is_none_or(|p| {
                        !p.links
                            .iter()
                            .any(|b| b.peer == a.origin && !b.state.usable())
                    })
                };
                if back_ok {
                    let cost = (self.cost)(&a.origin, &l.peer);
                    edges.push((l.peer.as_str(), link::metric(cost, l.rtt, l.loss)));
                }
            }
        }
        out
    }

    /// The links the graph can use, as (from, to) pairs.
    pub fn links(&self) -> RouteLinks {
        links_of(&self.edges())
    }

    /// Dijkstra from this node; ties go to the fewer hops, then to the smaller name, so every
    /// node computes the same paths from the same adverts. Returns the routes and the links
    /// they were computed over. While those links are `previous_links`, a route in
    /// `previous` whose path still exists is kept unless the new best is at least
    /// [`SWITCH_GAIN`] better, so round-trip noise does not move traffic back and forth; a
    /// link that came up or went down is routed over at once.
    pub fn routes(
        &self,
        previous: &BTreeMap<String, Route>,
        previous_links: &RouteLinks,
    ) -> (BTreeMap<String, Route>, RouteLinks) {
        let edges = self.edges();
        let links = links_of(&edges);
        let mut routes = Self::shortest(self.me, &edges);
        if links != *previous_links {
            return (routes, links);
        }
        for (dest, new) in routes.iter_mut() {
            let Some(old) = previous.get(dest) else {
                continue;
            };
            if old.path == new.path {
                continue;
            }
            if let Some(m) = path_metric(&edges, &old.path) {
                if new.metric > m * (1.0 - SWITCH_GAIN) {
                    *new = Route {
                        metric: m,
                        ..old.clone()
                    };
                }
            }
        }
        (routes, links)
    }

    fn shortest(me: &str, edges: &BTreeMap<&str, Vec<(&str, f64)>>) -> BTreeMap<String, Route> {
        // node -> (metric, hops, previous)
        let mut best: BTreeMap<&str, (f64, usize, Option<&str>)> = BTreeMap::new();
        let mut done: BTreeSet<&str> = BTreeSet::new();
        best.insert(me, (0.0, 0, None));
        loop {
            let next = best
                .iter()
                .filter(|(n, _)| !done.contains(*n))
                .min_by(|a, b| {
                    (a.1 .0, a.1 .1, a.0)
                        .partial_cmp(&(b.1 .0, b.1 .1, b.0))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .map(|(n, v)| (*n, *v));
            let Some((u, (du, hu, _))) = next else { break };
            done.insert(u);
            for (v, w) in edges.get(u).into_iter().flatten() {
                if done.contains(v) {
                    continue;
                }
                let cand = (du + w, hu + 1, Some(u));
                let better = best
                    .get(v)
                    .is_none_or(|cur| (cand.0, cand.1) < (cur.0, cur.1));
                if better {
                    best.insert(v, cand);
                }
            }
        }
        let mut routes = BTreeMap::new();
        for (dest, (metric, _, _)) in &best {
            if *dest == me {
                continue;
            }
            let mut path = vec![dest.to_string()];
            let mut at = *dest;
            while let Some((_, _, Some(prev))) = best.get(at) {
                path.push(prev.to_string());
                at = prev;
            }
            path.reverse();
            routes.insert(
                dest.to_string(),
                Route {
                    destination: dest.to_string(),
                    next_hop: path[1].clone(),
                    path,
                    metric: *metric,
                },
            );
        }
        routes
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::time::Instant;

    use super::*;
    use crate::engine::mesh::advert::{Advert, AdvertLink};
    use crate::engine::mesh::link::LinkState;
    use crate::engine::rpc::pb;

    const RTT: Duration = Duration::from_millis(1);

    fn link(peer: &str, state: LinkState) -> AdvertLink {
        AdvertLink {
            peer: peer.into(),
            state,
            rtt: RTT,
            loss: 0.0,
        }
    }

    fn db(adverts: &[(&str, Vec<AdvertLink>)]) -> Lsdb {
        let mut db = Lsdb::default();
        for (origin, links) in adverts {
            let a = Advert {
                origin: origin.to_string(),
                seq: 1,
                lifetime: Duration::from_secs(60),
                links: links.clone(),
            };
            db.offer(a, pb::SignedAdvert::default(), Instant::now());
        }
        db
    }

    /// eu -- relay -- ap (costs 10 and 15) and eu -- us -- ap (20 and 30).
    fn cost(a: &str, b: &str) -> u32 {
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        match (a, b) {
            ("eu", "relay") => 10,
            ("ap", "relay") => 15,
            ("eu", "us") => 20,
            ("ap", "us") => 30,
            _ => 1,
        }
    }

    fn routes(own: &[(&str, u32)], lsdb: &Lsdb) -> BTreeMap<String, Route> {
        let own: Vec<(String, f64)> = own
            .iter()
            .map(|(p, c)| (p.to_string(), link::metric(*c, RTT, 0.0)))
            .collect();
        Graph {
            me: "eu",
            own: &own,
            lsdb,
            cost: &cost,
            allowed: &|_, _| true,
        }
        .routes(&BTreeMap::new(), &RouteLinks::new())
        .0
    }

    #[test]
    fn the_cheapest_path_wins_and_a_dead_relay_is_routed_around() {
        use LinkState::*;
        let healthy = db(&[
            ("relay", vec![link("eu", Up), link("ap", Up)]),
            ("us", vec![link("eu", Up), link("ap", Up)]),
            ("ap", vec![link("relay", Up), link("us", Up)]),
        ]);
        let r = routes(&[("relay", 10), ("us", 20)], &healthy);
        assert_eq!(r["ap"].path, ["eu", "relay", "ap"]);
        assert_eq!(r["ap"].metric, 25.0);
        // The relay dies: eu's own link is down, and ap reports it down too.
        let relay_dead = db(&[
            ("relay", vec![link("eu", Up), link("ap", Up)]),
            ("us", vec![link("eu", Up), link("ap", Up)]),
            ("ap", vec![link("relay", Down), link("us", Up)]),
        ]);
        let r = routes(&[("us", 20)], &relay_dead);
        assert_eq!(r["ap"].path, ["eu", "us", "ap"]);
        assert_eq!(r["ap"].next_hop, "us");
        assert!(!r.contains_key("relay"), "nobody reaches it");
    }

    #[test]
    fn a_link_one_side_reports_down_is_not_used() {
        use LinkState::*;
        // The relay still claims a link to ap, which ap says is down.
        let lying = db(&[
            ("relay", vec![link("eu", Up), link("ap", Up)]),
            ("ap", vec![link("relay", Down), link("us", Up)]),
            ("us", vec![link("eu", Up), link("ap", Up)]),
        ]);
        let r = routes(&[("relay", 10), ("us", 20)], &lying);
        assert_eq!(r["ap"].path, ["eu", "us", "ap"]);
        // And a peer listing a link that the manifest does not allow is ignored.
        let own = vec![("relay".to_string(), 10.0)];
        let g = Graph {
            me: "eu",
            own: &own,
            lsdb: &lying,
            cost: &cost,
            allowed: &|a, b| !(a == "relay" && b == "ap" || a == "ap" && b == "relay"),
        };
        assert!(!g
            .routes(&BTreeMap::new(), &RouteLinks::new())
            .0
            .contains_key("ap"));
    }

    #[test]
    fn a_working_route_is_kept_until_another_is_clearly_better() {
        use LinkState::*;
        let lsdb = db(&[
            ("relay", vec![link("eu", Up), link("ap", Up)]),
            ("us", vec![link("eu", Up), link("ap", Up)]),
            ("ap", vec![link("relay", Up), link("us", Up)]),
        ]);
        let graph = |relay_cost: u32| {
            let own = vec![
                ("relay".to_string(), link::metric(relay_cost, RTT, 0.0)),
                ("us".to_string(), link::metric(20, RTT, 0.0)),
            ];
            let cost = move |a: &str, b: &str| match (a.min(b), a.max(b)) {
                ("ap", "relay") => 15,
                ("ap", "us") => 15,
                _ => 1,
            };
            let g = Graph {
                me: "eu",
                own: &own,
                lsdb: &lsdb,
                cost: &cost,
                allowed: &|_, _| true,
            };
            g.routes(&BTreeMap::new(), &RouteLinks::new()).0
        };
        // Via the relay: 10 + 15 = 25 against 20 + 15 = 35 via us.
        let before = graph(10);
        assert_eq!(before["ap"].next_hop, "relay");
        // The relay link gets slower: 36 against 35 via us, better but not by enough.
        let own = vec![
            ("relay".to_string(), link::metric(21, RTT, 0.0)),
            ("us".to_string(), link::metric(20, RTT, 0.0)),
        ];
        let cost = |a: &str, b: &str| match (a.min(b), a.max(b)) {
            ("ap", "relay") | ("ap", "us") => 15,
            _ => 1,
        };
        let g = Graph {
            me: "eu",
            own: &own,
            lsdb: &lsdb,
            cost: &cost,
            allowed: &|_, _| true,
        };
        assert_eq!(
            g.routes(&before, &g.links()).0["ap"].next_hop,
            "relay",
            "within the gain"
        );
        let own = vec![
            ("relay".to_string(), link::metric(30, RTT, 0.0)),
            ("us".to_string(), link::metric(20, RTT, 0.0)),
        ];
        let g = Graph { own: &own, ..g };
        assert_eq!(
            g.routes(&before, &g.links()).0["ap"].next_hop,
            "us",
            "clearly better now"
        );
    }
}
