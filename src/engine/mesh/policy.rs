//! The message policy (`spec.messaging.allow`): which senders may reach which targets. The
//! destination node decides, with the roster it holds, so a policy change in the manifest
//! takes effect once `apply` publishes the new roster.

use std::fmt;

use crate::engine::identity::roster::Roster;
use crate::engine::manifest::{AllowRule, OperatorRole, Selector};

/// A sender or a target as the destination sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    Node(String),
    Operator(String, OperatorRole),
    Workload { name: String, node: String },
}

impl Party {
    /// Who a SPIFFE ID of this mesh names, by the roster.
    pub fn of(spiffe_id: &str, roster: &Roster) -> Result<Party, String> {
        let prefix = format!("spiffe://{}/", roster.trust_domain);
        let path = spiffe_id.strip_prefix(&prefix).ok_or_else(|| {
            format!(
                "{spiffe_id} is outside trust domain {}",
                roster.trust_domain
            )
        })?;
        match path.split_once('/') {
            Some(("node", n)) if roster.nodes.iter().any(|r| r.name == n) => {
                Ok(Party::Node(n.into()))
            }
            Some(("operator", o)) => match roster.operators.iter().find(|r| r.name == o) {
                Some(r) => Ok(Party::Operator(o.into(), r.role)),
                None => Err(format!("operator {o} is not in the roster")),
            },
            Some(("workload", w)) => match roster.workloads.get(w) {
                Some(node) => Ok(Party::Workload {
                    name: w.into(),
                    node: node.clone(),
                }),
                None => Err(format!("workload {w} is not in the roster")),
            },
            _ => Err(format!("{spiffe_id} names no node, operator or workload")),
        }
    }

    /// The node a party lives on.
    pub fn host(&self) -> Option<&str> {
        match self {
            Party::Node(n) => Some(n),
            Party::Workload { node, .. } => Some(node),
            Party::Operator(..) => None,
        }
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Party::Node(n) => write!(f, "node {n}"),
            Party::Operator(o, role) => write!(f, "operator {o} ({role})"),
            Party::Workload { name, node } => write!(f, "workload {name} on {node}"),
        }
    }
}

/// Whether a selector covers a party.
fn matches(s: &Selector, p: &Party, roster: &Roster) -> bool {
    match (s, p) {
        (Selector::Any, _) => true,
        (Selector::Nodes, Party::Node(_)) => true,
        (Selector::Node(n), Party::Node(m)) => n == m,
        (Selector::Workloads, Party::Workload { .. }) => true,
        (Selector::Workload(n), Party::Workload { name, .. }) => n == name,
        (Selector::Admins, Party::Operator(_, OperatorRole::Admin)) => true,
        (Selector::Viewers, Party::Operator(_, OperatorRole::Viewer)) => true,
        (Selector::Operator(n), Party::Operator(m, _)) => n == m,
        (Selector::Label(k, v), p) => p.host().is_some_and(|host| {
            (roster.nodes.iter()).any(|n| n.name == host && n.labels.get(k) == Some(v))
        }),
        _ => false,
    }
}

/// Compiled allow rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    rules: Vec<(Selector, Selector)>,
}

impl Policy {
    /// The rules as written. A rule that does not parse is an error: `validate` refuses
    /// such a manifest, and a node given one refuses every message rather than guess.
    pub fn compile(rules: &[AllowRule]) -> Result<Policy, String> {
        let rules = rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let from = Selector::parse(&r.from).map_err(|e| format!("allow[{i}].from: {e}"))?;
                let to = Selector::parse(&r.to).map_err(|e| format!("allow[{i}].to: {e}"))?;
                Ok((from, to))
            })
            .collect::<Result<_, String>>()?;
        Ok(Policy { rules })
    }

    /// The policy a roster carries (the default when it carries none).
    pub fn of(roster: &Roster) -> Result<Policy, String> {
        Policy::compile(&roster.messaging.allow)
    }

    pub fn allows(&self, from: &Party, to: &Party, roster: &Roster) -> bool {
        (self.rules.iter()).any(|(f, t)| matches(f, from, roster) && matches(t, to, roster))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::identity::roster::RosterOperator;
    use crate::engine::manifest::MessagingSpec;

    fn roster() -> Roster {
        let mut r: Roster = serde_json::from_value(serde_json::json!({
            "schemaVersion": 1, "mesh": "m", "trustDomain": "td", "nodes": [],
            "operators": [], "links": [], "workloads": { "api": "eu-1" }
        }))
        .unwrap();
        for (name, region) in [("eu-1", "eu"), ("ap-1", "ap")] {
            r.nodes.push(
                serde_json::from_value(serde_json::json!({
                    "name": name, "raftId": 1, "spiffeId": format!("spiffe://td/node/{name}"),
                    "role": "voter", "address": "127.0.0.1:1", "labels": { "region": region },
                    "kem": { "algorithm": "", "sha256": "", "key": "" },
                    "dsa": { "algorithm": "", "sha256": "", "key": "" }
                }))
                .unwrap(),
            );
        }
        for (name, role) in [("admin", "admin"), ("oncall", "viewer")] {
            let o: RosterOperator = serde_json::from_value(serde_json::json!({
                "name": name, "role": role, "spiffeId": format!("spiffe://td/operator/{name}"),
                "dsa": { "algorithm": "", "sha256": "", "key": "" }
            }))
            .unwrap();
            r.operators.push(o);
        }
        r
    }

    fn party(id: &str) -> Party {
        Party::of(&format!("spiffe://td/{id}"), &roster()).unwrap()
    }

    #[test]
    fn the_default_lets_nodes_admins_and_workloads_send_and_viewers_not() {
        let r = roster();
        let p = Policy::compile(&MessagingSpec::default().allow).unwrap();
        let to = party("node/ap-1");
        for from in ["node/eu-1", "operator/admin", "workload/api"] {
            assert!(p.allows(&party(from), &to, &r), "{from}");
            assert!(p.allows(&party(from), &party("workload/api"), &r), "{from}");
        }
        assert!(!p.allows(&party("operator/oncall"), &to, &r));
    }

    #[test]
    fn labels_cover_nodes_and_their_workloads() {
        let r = roster();
        let rules = [AllowRule {
            from: "label:region=eu".into(),
            to: "node:ap-1".into(),
        }];
        let p = Policy::compile(&rules).unwrap();
        assert!(p.allows(&party("node/eu-1"), &party("node/ap-1"), &r));
        assert!(p.allows(&party("workload/api"), &party("node/ap-1"), &r));
        assert!(!p.allows(&party("node/ap-1"), &party("node/ap-1"), &r));
        assert!(!p.allows(&party("node/eu-1"), &party("node/eu-1"), &r));
        assert!(!p.allows(&party("operator/admin"), &party("node/ap-1"), &r));
        assert!(!Policy::compile(&[]).unwrap().allows(
            &party("node/eu-1"),
            &party("node/ap-1"),
            &r
        ));
    }

    #[test]
    fn bad_selectors_and_strangers_are_refused() {
        for bad in ["node:", "label:=x", "group:a", "everyone"] {
            assert!(Selector::parse(bad).is_err(), "{bad}");
        }
        let r = roster();
        assert!(Party::of("spiffe://other/node/eu-1", &r).is_err());
        assert!(Party::of("spiffe://td/workload/ghost", &r).is_err());
        assert!(Party::of("spiffe://td/operator/ghost", &r).is_err());
        assert!(Party::of("spiffe://td/node/ghost", &r).is_err());
    }
}
