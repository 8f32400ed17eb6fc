//! The roster: every node's and operator's name, SPIFFE ID, address and PQC public keys,
//! plus the link graph. It ships in every bundle and lets peers check each other.

use std::collections::{BTreeMap, HashSet};

use time::OffsetDateTime;

use serde::{Deserialize, Serialize};

use crate::engine::identity::jwt::{self, Authority, JwtError, JwtKey, Verified, Verifier};
use crate::engine::manifest::{LinkSpec, Manifest, MessagingSpec, NodeRole, OperatorRole};

/// The roster format version.
pub const ROSTER_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Roster {
    pub schema_version: u32,
    /// The state serial of the apply that wrote it. A live mesh never goes back to an older
    /// roster: `apply` from a stale copy of the state directory is refused.
    #[serde(default)]
    pub serial: u64,
    pub mesh: String,
    pub trust_domain: String,
    pub nodes: Vec<RosterNode>,
    pub operators: Vec<RosterOperator>,
    /// Empty means a full mesh.
    pub links: Vec<LinkSpec>,
    /// Workload name to the node that hosts it, so any node can route a message to it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub workloads: BTreeMap<String, String>,
    /// Who may send messages to whom (`spec.messaging`).
    #[serde(default, skip_serializing_if = "MessagingSpec::is_default")]
    pub messaging: MessagingSpec,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RosterNode {
    pub name: String,
    pub raft_id: u64,
    pub spiffe_id: String,
    pub role: NodeRole,
    /// The address peers dial.
    pub address: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    pub kem: PublicKey,
    pub dsa: PublicKey,
    /// Earlier ML-DSA keys, kept so that what they signed still verifies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired_dsa: Vec<PublicKey>,
    /// The key that signs the JWT-SVIDs of the node's workloads (absent in rosters written
    /// before JWT-SVIDs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<JwtKey>,
    /// Replaced JWT keys, each kept until the last token it may have signed expires.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired_jwt: Vec<JwtKey>,
}

impl RosterNode {
    /// The JWT keys that may have signed a token still valid at `now`.
    pub fn jwt_keys(&self, now: time::OffsetDateTime) -> impl Iterator<Item = &JwtKey> {
        self.jwt.iter().chain(
            (self.retired_jwt.iter()).filter(move |k| k.valid_until.is_some_and(|t| t > now)),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RosterOperator {
    pub name: String,
    pub role: OperatorRole,
    pub spiffe_id: String,
    pub dsa: PublicKey,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired_dsa: Vec<PublicKey>,
}

/// A PQC public key as the roster carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    pub algorithm: String,
    pub sha256: String,
    /// Base64 of the raw key.
    pub key: String,
    /// For a retired ML-DSA key: when it was replaced. What it signed before still
    /// verifies (snapshot files); a connection may be bound with it only for
    /// [`RETIRED_DSA_GRACE`] after, while peers take up the new key.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::engine::util::timefmt::rfc3339_opt_serde"
    )]
    pub retired_at: Option<time::OffsetDateTime>,
}

impl PublicKey {
    /// Whether a connection may be bound with this key at `now`: a current key always, a
    /// retired one for [`RETIRED_DSA_GRACE`] after it was replaced (one retired by an x0t
    /// that did not date it: until the next apply dates it).
    pub fn binds_at(&self, now: time::OffsetDateTime) -> bool {
        self.retired_at.is_none_or(|t| now < t + RETIRED_DSA_GRACE)
    }
}

/// How long a replaced ML-DSA key may still bind a connection: every node takes up the
/// roster naming the new key within seconds of `apply`.
pub const RETIRED_DSA_GRACE: time::Duration = time::Duration::minutes(15);

/// Whether a roster may replace the one held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Succession {
    /// The very roster held: nothing to do.
    Same,
    /// A newer roster.
    Newer,
}

/// What any roster must satisfy, wherever it comes from (a write, a replicated entry, a
/// snapshot, a neighbour), and which rosters may follow which.
impl Roster {
    /// A roster this x0t can read, whose node names, raft ids and SPIFFE IDs are sound,
    /// and that still names a node holding Raft.
    pub fn check_shape(&self) -> Result<(), String> {
        if self.schema_version > ROSTER_VERSION {
            return Err(format!(
                "schemaVersion {} is newer than this node understands",
                self.schema_version
            ));
        }
        // A trust domain may change (apply replaces the CA then), but every ID must be of
        // the roster's own.
        let td = &self.trust_domain;
        let mut names = std::collections::BTreeSet::new();
        let mut ids = std::collections::BTreeSet::new();
        for n in &self.nodes {
            if !names.insert(&n.name) || !ids.insert(n.raft_id) {
                return Err(format!(
                    "node {} or raft id {} appears twice",
                    n.name, n.raft_id
                ));
            }
            if n.spiffe_id != format!("spiffe://{td}/node/{}", n.name) {
                return Err(format!("node {} has SPIFFE ID {}", n.name, n.spiffe_id));
            }
        }
        if !self.nodes.iter().any(|n| n.role.holds_raft()) {
            return Err("it names no voter or learner".into());
        }
        Ok(())
    }

    /// Whether this roster may replace `held`: the same one, or one of a newer serial. A
    /// live mesh never goes back, so an older or a different one of the same serial is
    /// refused.
    pub fn succeeds(&self, held: &Roster) -> Result<Succession, String> {
        if self == held {
            return Ok(Succession::Same);
        }
        if self.serial <= held.serial {
            return Err(format!(
                "serial {} is not newer than the mesh's {} (is this state directory a stale copy?)",
                self.serial, held.serial
            ));
        }
        Ok(Succession::Newer)
    }
}

/// JWT-SVID keys and checks, as the roster and a deny list describe the mesh.
impl Roster {
    /// Every JWT key of `roster` that may have signed a token live at `now`, with its node and
    /// whether the node is on the deny list.
    pub fn jwt_authorities(
        &self,
        revoked: &HashSet<String>,
        now: OffsetDateTime,
    ) -> Vec<Authority> {
        (self.nodes.iter())
            .flat_map(|n| {
                let revoked = revoked.contains(&n.spiffe_id);
                n.jwt_keys(now).map(move |k| Authority {
                    node: n.name.clone(),
                    key: k.clone(),
                    revoked,
                })
            })
            .collect()
    }

    /// The trust domain's JWT bundle at `now`: the keys of every node that is not revoked.
    pub fn jwt_bundle(&self, revoked: &HashSet<String>, now: OffsetDateTime) -> Vec<u8> {
        let auth = self.jwt_authorities(revoked, now);
        jwt::jwks(auth.iter().filter(|a| !a.revoked).map(|a| &a.key))
    }

    /// When the bundle next changes by itself: the soonest expiry of a retired key.
    pub fn jwt_bundle_changes_at(&self, now: OffsetDateTime) -> Option<OffsetDateTime> {
        (self.nodes.iter())
            .flat_map(|n| n.retired_jwt.iter().filter_map(|k| k.valid_until))
            .filter(|t| *t > now)
            .min()
    }

    /// Verifies `token` for `audience` against the mesh as this roster and the deny list
    /// describe it: a node's key vouches only for the workloads the roster places on that node, and a
    /// revoked workload's tokens are refused too.
    pub fn verify_jwt(
        &self,
        revoked: &HashSet<String>,
        token: &str,
        audience: &str,
        now: OffsetDateTime,
    ) -> Result<Verified, JwtError> {
        let auth = self.jwt_authorities(revoked, now);
        let hosts = |node: &str, sub: &str| {
            super::workload_name(sub)
                .is_some_and(|w| self.workloads.get(w).is_some_and(|n| n == node))
        };
        let v = Verifier {
            trust_domain: &self.trust_domain,
            authorities: &auth,
            hosts: &hosts,
        }
        .verify(token, audience, now)?;
        if revoked.contains(&v.spiffe_id) {
            return Err(JwtError::SubjectRevoked(v.spiffe_id));
        }
        Ok(v)
    }
}

/// Who is in the mesh and how they connect, without keys: what a manifest edit changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// Node name to its fields (raft id, role, address, SPIFFE ID, labels).
    pub nodes: BTreeMap<String, Fields>,
    pub operators: BTreeMap<String, Fields>,
    pub links: String,
    /// Workload name to its node, as JSON.
    pub workloads: String,
    /// The message policy, as JSON.
    pub messaging: String,
}

type Fields = BTreeMap<&'static str, String>;

fn node_fields(
    id: u64,
    role: NodeRole,
    address: &str,
    spiffe_id: &str,
    labels: &BTreeMap<String, String>,
) -> Fields {
    BTreeMap::from([
        ("raft id", id.to_string()),
        ("role", role.to_string()),
        ("address", address.to_string()),
        ("SPIFFE ID", spiffe_id.to_string()),
        ("labels", serde_json::to_string(labels).unwrap_or_default()),
    ])
}

fn operator_fields(role: OperatorRole, spiffe_id: &str) -> Fields {
    BTreeMap::from([
        ("role", role.to_string()),
        ("SPIFFE ID", spiffe_id.to_string()),
    ])
}

impl Membership {
    /// The membership a manifest asks for, given the nodes' Raft ids.
    pub fn desired(m: &Manifest, raft_ids: &BTreeMap<String, u64>) -> Membership {
        Membership {
            nodes: m
                .spec
                .nodes
                .iter()
                .map(|n| {
                    let id = raft_ids.get(&n.name).copied().unwrap_or(0);
                    let f = node_fields(
                        id,
                        n.role,
                        n.advertise_addr(),
                        &m.node_spiffe_id(&n.name),
                        &n.labels,
                    );
                    (n.name.clone(), f)
                })
                .collect(),
            operators: m
                .spec
                .operators
                .iter()
                .map(|o| {
                    (
                        o.name.clone(),
                        operator_fields(o.role, &m.operator_spiffe_id(&o.name)),
                    )
                })
                .collect(),
            links: serde_json::to_string(&m.spec.links).unwrap_or_default(),
            workloads: serde_json::to_string(
                &(m.spec.workloads.iter())
                    .map(|w| (&w.name, &w.node))
                    .collect::<BTreeMap<_, _>>(),
            )
            .unwrap_or_default(),
            messaging: serde_json::to_string(&m.spec.messaging).unwrap_or_default(),
        }
    }

    /// The membership recorded in an existing roster.
    pub fn of(r: &Roster) -> Membership {
        Membership {
            nodes: r
                .nodes
                .iter()
                .map(|n| {
                    (
                        n.name.clone(),
                        node_fields(n.raft_id, n.role, &n.address, &n.spiffe_id, &n.labels),
                    )
                })
                .collect(),
            operators: r
                .operators
                .iter()
                .map(|o| (o.name.clone(), operator_fields(o.role, &o.spiffe_id)))
                .collect(),
            links: serde_json::to_string(&r.links).unwrap_or_default(),
            workloads: serde_json::to_string(&r.workloads).unwrap_or_default(),
            messaging: serde_json::to_string(&r.messaging).unwrap_or_default(),
        }
    }

    /// Human reasons for the difference from `old` to `self`.
    pub fn changes_from(&self, old: &Membership) -> Vec<String> {
        let mut out = Vec::new();
        diff("node", &self.nodes, &old.nodes, "joins", "leaves", &mut out);
        diff(
            "operator",
            &self.operators,
            &old.operators,
            "is added",
            "is removed",
            &mut out,
        );
        if self.links != old.links {
            out.push("links change".into());
        }
        if self.workloads != old.workloads {
            out.push("workloads change".into());
        }
        if self.messaging != old.messaging {
            out.push("messaging policy changes".into());
        }
        out
    }
}

fn diff(
    kind: &str,
    new: &BTreeMap<String, Fields>,
    old: &BTreeMap<String, Fields>,
    added: &str,
    removed: &str,
    out: &mut Vec<String>,
) {
    for (name, fields) in new {
        match old.get(name) {
            None => out.push(format!("{kind} {name} {added}")),
            Some(before) => {
                for (field, now) in fields {
                    let was = before.get(field).map(String::as_str).unwrap_or("");
                    if was != now {
                        out.push(format!("{kind} {name} {field} {was} -> {now}"));
                    }
                }
            }
        }
    }
    for name in old.keys().filter(|n| !new.contains_key(*n)) {
        out.push(format!("{kind} {name} {removed}"));
    }
}

/// A roster of mesh `m` in trust domain `t.mesh` with `nodes` (name, raft id, role), whose
/// keys are placeholders: for tests of roster rules, not of signatures.
#[cfg(test)]
pub(crate) fn test_roster(serial: u64, nodes: &[(&str, u64, &str)]) -> Roster {
    let key = || serde_json::json!({"algorithm": "ML-DSA-65", "sha256": "00", "key": "AA=="});
    let nodes: Vec<serde_json::Value> = (nodes.iter())
        .map(|(name, id, role)| {
            serde_json::json!({
                "name": name, "raftId": id, "role": role, "address": "127.0.0.1:1",
                "spiffeId": format!("spiffe://t.mesh/node/{name}"),
                "kem": key(), "dsa": key(),
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "schemaVersion": 1, "serial": serial, "mesh": "m", "trustDomain": "t.mesh",
        "nodes": nodes, "operators": [], "links": [],
    }))
    .unwrap()
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roster_must_be_sound_and_may_only_move_forward() {
        let held = test_roster(3, &[("n1", 1, "voter"), ("r1", 2, "relay")]);
        held.check_shape().unwrap();
        assert_eq!(held.succeeds(&held), Ok(Succession::Same));
        assert_eq!(
            test_roster(4, &[("n1", 1, "voter")]).succeeds(&held),
            Ok(Succession::Newer)
        );
        let older = test_roster(2, &[("n1", 1, "voter")])
            .succeeds(&held)
            .unwrap_err();
        assert!(
            older.contains("serial 2 is not newer than the mesh's 3"),
            "{older}"
        );
        let same_serial = test_roster(3, &[("n1", 1, "voter")]).succeeds(&held);
        assert!(same_serial.is_err(), "another roster under the same serial");

        let twice = test_roster(4, &[("n1", 1, "voter"), ("n2", 1, "voter")]);
        assert!(twice.check_shape().unwrap_err().contains("appears twice"));
        let relays_only = test_roster(4, &[("r1", 2, "relay")]);
        assert!(relays_only
            .check_shape()
            .unwrap_err()
            .contains("no voter or learner"));
        let mut foreign = test_roster(4, &[("n1", 1, "voter")]);
        foreign.nodes[0].spiffe_id = "spiffe://other.mesh/node/n1".into();
        assert!(foreign.check_shape().unwrap_err().contains("has SPIFFE ID"));
        let mut retired = held.nodes[0].dsa.clone();
        let now = time::OffsetDateTime::now_utc();
        assert!(retired.binds_at(now), "a current key");
        retired.retired_at = Some(now - time::Duration::minutes(5));
        assert!(retired.binds_at(now), "within the grace period");
        retired.retired_at = Some(now - RETIRED_DSA_GRACE);
        assert!(!retired.binds_at(now), "past the grace period");
        let mut future = test_roster(4, &[("n1", 1, "voter")]);
        future.schema_version = ROSTER_VERSION + 1;
        assert!(future
            .check_shape()
            .unwrap_err()
            .contains("newer than this node"));
    }
}
