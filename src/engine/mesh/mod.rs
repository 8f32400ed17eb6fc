//! The mesh data plane's logic, apart from its I/O: link measurement and state
//! ([`link`]), signed link-state adverts ([`advert`]) kept in a database ([`lsdb`]), and
//! shortest paths over them ([`route`]). The node runs it (`node::dataplane`).

pub mod advert;
pub mod link;
pub mod lsdb;
pub mod policy;
pub mod route;
pub mod seal;

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::identity::roster::Roster;

/// The link graph the manifest allows: explicit undirected links with costs, or, with no
/// links listed, every pair of nodes at cost 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Topology {
    nodes: BTreeSet<String>,
    /// Both directions of every listed link: (a, b) -> cost.
    links: Option<BTreeMap<(String, String), u32>>,
}

impl Topology {
    pub fn from_roster(r: &Roster) -> Topology {
        let nodes = r.nodes.iter().map(|n| n.name.clone()).collect();
        let links = (!r.links.is_empty()).then(|| {
            let mut m = BTreeMap::new();
            for l in &r.links {
                let c = l.cost.unwrap_or(1).max(1);
                m.insert((l.from.clone(), l.to.clone()), c);
                m.insert((l.to.clone(), l.from.clone()), c);
            }
            m
        });
        Topology { nodes, links }
    }

    /// Whether `name` is a node of the mesh.
    pub fn contains(&self, name: &str) -> bool {
        self.nodes.contains(name)
    }

    /// Whether `a` and `b` may have a link.
    pub fn allowed(&self, a: &str, b: &str) -> bool {
        a != b
            && self.nodes.contains(a)
            && self.nodes.contains(b)
            && self
                .links
                .as_ref()
                .is_none_or(|l| l.contains_key(&(a.to_string(), b.to_string())))
    }

    /// The configured cost of the link between `a` and `b`.
    pub fn cost(&self, a: &str, b: &str) -> u32 {
        self.links
            .as_ref()
            .and_then(|l| l.get(&(a.to_string(), b.to_string())).copied())
            .unwrap_or(1)
    }

    /// The nodes `me` may link to, with the cost of each link.
    pub fn neighbours(&self, me: &str) -> Vec<(String, u32)> {
        self.nodes
            .iter()
            .filter(|n| self.allowed(me, n))
            .map(|n| (n.clone(), self.cost(me, n)))
            .collect()
    }
}
