//! The roster an apply writes: every node's and operator's public keys as generated or on
//! disk, with the retired keys that must keep verifying.

use std::collections::BTreeMap;

use base64::Engine as _;

use crate::engine::bundle::config::NodeConfig;
use crate::engine::identity::jwt::{self, JwtKey};
use crate::engine::identity::roster::{self, PublicKey, Roster, RosterNode, RosterOperator};
use crate::engine::manifest::Manifest;
use crate::engine::plan::{Address, Plan, ResourceType};
use crate::engine::plan::{Generated, PlanError};
use crate::engine::pqc::{self, KeyKind};
use crate::engine::state::{layout, Owner, StateDir};

/// The public key of `owner`'s `kind` pair: freshly generated or as on disk.
fn public_key(
    dir: &StateDir,
    outputs: &BTreeMap<Address, Generated>,
    owner: &Owner,
    kind: ResourceType,
) -> Result<PublicKey, PlanError> {
    let addr = Address::of(owner, kind);
    let text = match outputs.get(&addr) {
        Some(files) => String::from_utf8_lossy(&files[1].1).into_owned(),
        None => String::from_utf8_lossy(&dir.read(&addr.files()[1].0)?).into_owned(),
    };
    let file = pqc::decode(&text, KeyKind::Public).map_err(|e| PlanError::KeyFile {
        path: dir.path(&addr.files()[1].0),
        source: e,
    })?;
    Ok(PublicKey {
        algorithm: file.algorithm.name().into(),
        sha256: file.public_fingerprint.trim_start_matches("sha256:").into(),
        key: base64::engine::general_purpose::STANDARD.encode(&file.bytes),
        retired_at: None,
    })
}

/// The public JWT key of node `name`: freshly generated or as on disk (none in a state
/// directory applied before JWT-SVIDs, until this apply makes one).
fn jwt_key(
    dir: &StateDir,
    outputs: &BTreeMap<Address, Generated>,
    name: &str,
) -> Result<Option<JwtKey>, PlanError> {
    let addr = Address::of(&Owner::Node(name.into()), ResourceType::Jwt);
    let bytes = match outputs.get(&addr) {
        Some(files) => files[1].1.to_vec(),
        None => match dir.read_opt(&layout::jwt_pub(name))? {
            Some(b) => b,
            None => return Ok(None),
        },
    };
    let file = jwt::decode_public(&bytes).map_err(|e| PlanError::JwtKeyFile {
        path: dir.path(&layout::jwt_pub(name)),
        message: e.to_string(),
    })?;
    Ok(Some(file.key))
}

/// The retired JWT keys of node `name` after this apply: those of the old roster whose
/// tokens may still be live, plus the key `new` replaces, kept for `overlap`.
fn retired_jwt(
    old: Option<&Roster>,
    name: &str,
    new: Option<&JwtKey>,
    overlap: std::time::Duration,
    now: time::OffsetDateTime,
) -> Vec<JwtKey> {
    let Some(before) = old.and_then(|r| r.nodes.iter().find(|n| n.name == name)) else {
        return Vec::new();
    };
    let mut out: Vec<JwtKey> = (before.retired_jwt.iter())
        .filter(|k| k.valid_until.is_some_and(|t| t > now))
        .cloned()
        .collect();
    if let Some(prev) = &before.jwt {
        let replaced = new.is_none_or(|k| k.kid != prev.kid);
        if replaced && !out.iter().any(|k| k.kid == prev.kid) {
            out.push(JwtKey {
                valid_until: Some(now + overlap),
                ..prev.clone()
            });
        }
    }
    out
}

/// How long after an apply a node may still sign with its replaced JWT key: until it has
/// reloaded its files (within a second) and the roster naming the new key has reached it.
const JWT_RELOAD_MARGIN: std::time::Duration = std::time::Duration::from_secs(60);

/// How long a replaced JWT key of node `name` stays in the bundle: the longest a token it
/// signed can live (the node's longest workload TTL under the manifest being applied or
/// the node config it replaces, as a TTL may have just been shortened, capped by
/// `svidTTL`, which bounds every token), after the node has stopped using it.
pub(super) fn jwt_overlap(m: &Manifest, dir: &StateDir, name: &str) -> std::time::Duration {
    let before: Vec<std::time::Duration> = dir
        .read_opt(&layout::node_config(name))
        .ok()
        .flatten()
        .and_then(|b| serde_json::from_slice::<NodeConfig>(&b).ok())
        .map(|c| c.workloads.iter().map(|w| w.ttl.0).collect())
        .unwrap_or_default();
    (m.spec.workloads.iter())
        .filter(|w| w.node == name)
        .map(|w| w.ttl.0)
        .chain(before)
        .max()
        .unwrap_or_default()
        .min(m.spec.identity.svid_ttl.0)
        + JWT_RELOAD_MARGIN
}

pub(super) fn build_roster(
    m: &Manifest,
    dir: &StateDir,
    plan: &Plan,
    outputs: &BTreeMap<Address, Generated>,
) -> Result<Roster, PlanError> {
    let old: Option<Roster> = dir
        .read_opt(layout::ROSTER)?
        .and_then(|b| serde_json::from_slice(&b).ok());
    // Retired ML-DSA keys stay verifiable: carry them over, and retire a replaced key.
    let retired = |kind: &str, name: &str, new: &PublicKey| -> Vec<PublicKey> {
        let (mut list, prev) = match &old {
            Some(r) if kind == "node" => r
                .nodes
                .iter()
                .find(|n| n.name == name)
                .map(|n| (n.retired_dsa.clone(), Some(n.dsa.clone())))
                .unwrap_or_default(),
            Some(r) => r
                .operators
                .iter()
                .find(|o| o.name == name)
                .map(|o| (o.retired_dsa.clone(), Some(o.dsa.clone())))
                .unwrap_or_default(),
            None => (Vec::new(), None),
        };
        if let Some(prev) = prev {
            if prev.sha256 != new.sha256 && !list.iter().any(|k| k.sha256 == prev.sha256) {
                list.push(prev);
            }
        }
        // Dated when retired (keys from rosters before the date was kept: now), so that
        // they stop binding connections after the grace period.
        for k in &mut list {
            k.retired_at.get_or_insert(plan.now);
        }
        list
    };
    let mut nodes = Vec::new();
    for n in &m.spec.nodes {
        let owner = Owner::Node(n.name.clone());
        let dsa = public_key(dir, outputs, &owner, ResourceType::Dsa)?;
        let jwt = jwt_key(dir, outputs, &n.name)?;
        let retired_jwt = retired_jwt(
            old.as_ref(),
            &n.name,
            jwt.as_ref(),
            jwt_overlap(m, dir, &n.name),
            plan.now,
        );
        nodes.push(RosterNode {
            jwt,
            retired_jwt,
            name: n.name.clone(),
            raft_id: plan.raft_ids[&n.name],
            spiffe_id: m.node_spiffe_id(&n.name),
            role: n.role,
            address: n.advertise_addr().into(),
            labels: n.labels.clone(),
            kem: public_key(dir, outputs, &owner, ResourceType::Kem)?,
            retired_dsa: retired("node", &n.name, &dsa),
            dsa,
        });
    }
    let mut operators = Vec::new();
    for o in &m.spec.operators {
        let owner = Owner::Operator(o.name.clone());
        let dsa = public_key(dir, outputs, &owner, ResourceType::Dsa)?;
        operators.push(RosterOperator {
            name: o.name.clone(),
            role: o.role,
            spiffe_id: m.operator_spiffe_id(&o.name),
            retired_dsa: retired("operator", &o.name, &dsa),
            dsa,
        });
    }
    Ok(Roster {
        schema_version: roster::ROSTER_VERSION,
        serial: plan.state.serial + 1,
        mesh: m.metadata.name.clone(),
        trust_domain: m.spec.trust_domain.clone(),
        nodes,
        operators,
        links: m.spec.links.clone(),
        workloads: (m.spec.workloads.iter())
            .map(|w| (w.name.clone(), w.node.clone()))
            .collect(),
        messaging: m.spec.messaging.clone(),
    })
}
