//! The per-owner part of a plan: SVIDs, workload CAs, PQC keys, node configs, SPIRE files,
//! the roster, and the deletes of owners that left the manifest.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::bundle::config::NodeConfig;
use crate::engine::identity::roster::{Membership, Roster};
use crate::engine::identity::{self, jwt, CertInfo};
use crate::engine::pqc::{self, Algorithm, KeyKind};
use crate::engine::state::{layout, Owner};
use crate::engine::util::timefmt;

use super::*;

impl Planner<'_> {
    /// `ca_der` is the current CA certificate (read once per plan), if there is a file.
    pub(super) fn svid(
        &mut self,
        owner: &Owner,
        reissue: Option<&str>,
        ca_der: Option<&Result<Vec<u8>, identity::IdentityError>>,
    ) -> Result<(), PlanError> {
        let addr = Address::of(owner, ResourceType::Svid);
        let Some(files) =
            self.intact(&addr, || format!("new {} {}", owner.kind(), owner.name()))?
        else {
            return Ok(());
        };
        let mut reasons: Vec<String> = reissue.map(String::from).into_iter().collect();
        let cert_pem = String::from_utf8_lossy(&files[0]).into_owned();
        let key_pem = String::from_utf8_lossy(&files[1]).into_owned();
        match CertInfo::from_pem(&cert_pem) {
            Err(e) => reasons.push(format!("svid.crt unreadable: {e}")),
            Ok(info) => {
                let want = match owner {
                    Owner::Node(n) => self.m.node_spiffe_id(n),
                    Owner::Operator(n) => self.m.operator_spiffe_id(n),
                };
                let have = info.uris.first().cloned().unwrap_or_default();
                if have != want {
                    reasons.push(format!("SPIFFE ID changes {have} -> {want}"));
                }
                let renew = self.m.spec.identity.renew_before;
                if self.now >= info.not_after {
                    reasons.push(format!(
                        "svid expired {} ago",
                        timefmt::span(timefmt::between(info.not_after, self.now))
                    ));
                } else {
                    let left = timefmt::between(self.now, info.not_after);
                    if left < renew.0 {
                        reasons.push(format!(
                            "svid expires in {}, renewBefore is {renew}",
                            timefmt::span(left)
                        ));
                    }
                }
                if reissue.is_none() {
                    if let Some(ca_der) = ca_der {
                        // Check the signature at a moment inside the SVID's window, so that
                        // expiry is reported above rather than as a chain failure.
                        let at = info.not_before + time::Duration::seconds(1);
                        if ca_der
                            .as_ref()
                            .map(|d| identity::verify_chain(d, &info.der, at))
                            .map_or(true, |r| r.is_err())
                        {
                            reasons.push("svid is not signed by the current CA".into());
                        }
                    }
                }
                match identity::private_key_public_sha256(&key_pem) {
                    Ok(h) if h == info.public_key_sha256 => {}
                    Ok(_) => reasons.push("svid.key does not belong to svid.crt".into()),
                    Err(e) => reasons.push(format!("svid.key unreadable: {e}")),
                }
            }
        }
        if !reasons.is_empty() {
            self.push(addr, ActionKind::Replace, reasons);
        }
        Ok(())
    }

    /// A node's intermediate CA, which signs its workloads' SVIDs. It is renewed while it
    /// still outlives every SVID it may sign: `renewBefore` or the node's longest workload
    /// TTL, whichever is longer.
    pub(super) fn intermediate(
        &mut self,
        node: &str,
        reissue: Option<&str>,
        ca_der: Option<&Result<Vec<u8>, identity::IdentityError>>,
    ) -> Result<(), PlanError> {
        let addr = Address::of(&Owner::Node(node.into()), ResourceType::Intermediate);
        let Some(files) = self.intact(&addr, || format!("new workload CA for node {node}"))? else {
            return Ok(());
        };
        let mut reasons: Vec<String> = reissue.map(String::from).into_iter().collect();
        match CertInfo::from_pem(&String::from_utf8_lossy(&files[0])) {
            Err(e) => reasons.push(format!("intermediate.crt unreadable: {e}")),
            Ok(info) => {
                let want = self.m.node_spiffe_id(node);
                if info.uris.first() != Some(&want) || !info.is_ca {
                    reasons.push(format!("intermediate.crt is not a workload CA for {want}"));
                }
                let window = self
                    .m
                    .spec
                    .workloads
                    .iter()
                    .filter(|w| w.node == node)
                    .map(|w| w.ttl.0)
                    .fold(self.m.spec.identity.renew_before.0, std::cmp::max);
                let left = timefmt::between(self.now, info.not_after);
                if left.is_zero() {
                    reasons.push("intermediate expired".into());
                } else if left < window {
                    reasons.push(format!(
                        "intermediate expires in {}, it must outlive {}",
                        timefmt::span(left),
                        timefmt::span(window)
                    ));
                }
                if reissue.is_none() {
                    if let Some(Ok(ca_der)) = ca_der {
                        let at = info.not_before + time::Duration::seconds(1);
                        if identity::verify_issued_by(ca_der, &info.der, at).is_err() {
                            reasons.push("intermediate is not signed by the current CA".into());
                        }
                    }
                }
                match identity::private_key_public_sha256(&String::from_utf8_lossy(&files[1])) {
                    Ok(h) if h == info.public_key_sha256 => {}
                    Ok(_) => {
                        reasons.push("intermediate.key does not belong to intermediate.crt".into())
                    }
                    Err(e) => reasons.push(format!("intermediate.key unreadable: {e}")),
                }
            }
        }
        if !reasons.is_empty() {
            self.push(addr, ActionKind::Replace, reasons);
        }
        Ok(())
    }

    pub(super) fn key(&mut self, owner: &Owner, kind: ResourceType) -> Result<(), PlanError> {
        let addr = Address::of(owner, kind);
        let want = match kind {
            ResourceType::Kem => &self.m.spec.pqc.kem,
            _ => &self.m.spec.pqc.dsa,
        };
        let Some(files) = self.intact(&addr, || format!("new {want} key pair"))? else {
            return Ok(());
        };
        let mut reasons = Vec::new();
        let secret = pqc::decode(&String::from_utf8_lossy(&files[0]), KeyKind::Secret);
        let public = pqc::decode(&String::from_utf8_lossy(&files[1]), KeyKind::Public);
        let kind_name = kind.name();
        match (secret, public) {
            (Err(e), _) => reasons.push(format!("{kind_name}.key unreadable: {e}")),
            (_, Err(e)) => reasons.push(format!("{kind_name}.pub unreadable: {e}")),
            (Ok(sk), Ok(pk)) => {
                if sk.algorithm.name() != want {
                    reasons.push(format!("algorithm changes {} -> {want}", sk.algorithm));
                }
                if matches!(
                    (kind, sk.algorithm),
                    (ResourceType::Kem, Algorithm::Dsa(_)) | (ResourceType::Dsa, Algorithm::Kem(_))
                ) {
                    reasons.push(format!("{kind_name}.key holds a {} key", sk.algorithm));
                }
                if sk.public_fingerprint != pk.public_fingerprint {
                    reasons.push(format!(
                        "{kind_name}.pub does not belong to {kind_name}.key"
                    ));
                }
                reasons.extend(self.rotation_due(sk.created));
            }
        }
        if !reasons.is_empty() {
            self.push(addr, ActionKind::Replace, reasons);
        }
        Ok(())
    }

    /// Why a key made at `created` is due for rotation, if it is: older than
    /// `pqc.rotateEvery`.
    fn rotation_due(&self, created: time::OffsetDateTime) -> Option<String> {
        let every = self.m.spec.pqc.rotate_every;
        let age = timefmt::between(created, self.now);
        (age >= every.0)
            .then(|| format!("key is {} old, rotateEvery is {every}", timefmt::span(age)))
    }

    /// A node's JWT-SVID signing key: replaced when unreadable or older than
    /// `pqc.rotateEvery` (every signing key of a node rotates on the same schedule).
    pub(super) fn jwt_key(&mut self, node: &str) -> Result<(), PlanError> {
        let addr = Address::of(&Owner::Node(node.into()), ResourceType::Jwt);
        let Some(files) = self.intact(&addr, || "new ES256 JWT-SVID signing key".into())? else {
            return Ok(());
        };
        let mut reasons = Vec::new();
        let secret = jwt::JwtSigner::from_pem(&String::from_utf8_lossy(&files[0]));
        match (secret, jwt::decode_public(&files[1])) {
            (Err(e), _) => reasons.push(format!("jwt.key unreadable: {e}")),
            (_, Err(e)) => reasons.push(format!("jwt.pub unreadable: {e}")),
            (Ok(sk), Ok(pk)) => {
                if sk.key.kid != pk.key.kid {
                    reasons.push("jwt.pub does not belong to jwt.key".into());
                }
                reasons.extend(self.rotation_due(pk.created));
            }
        }
        if !reasons.is_empty() {
            self.push(addr, ActionKind::Replace, reasons);
        }
        Ok(())
    }

    pub(super) fn config(
        &mut self,
        node: &str,
        raft_id: u64,
        bootstrap: bool,
    ) -> Result<(), PlanError> {
        let addr = Address::of(&Owner::Node(node.into()), ResourceType::Config);
        let desired = NodeConfig::build(self.m, node, raft_id, bootstrap).to_bytes();
        let rel = layout::node_config(node);
        let record = self.record(&addr);
        match self.find(record, &rel)? {
            Found::Missing if record.is_none() => {
                self.push(
                    addr,
                    ActionKind::Create,
                    vec![format!("new node (raft id {raft_id})")],
                );
            }
            Found::Missing => self.push(addr, ActionKind::Update, vec!["node.json missing".into()]),
            Found::Same(b) | Found::Changed(b) if b == desired => {
                if record.is_none() || record.is_some_and(|r| !r.files.contains_key(&rel)) {
                    self.push(
                        addr,
                        ActionKind::Update,
                        vec!["node.json is not recorded in state.json".into()],
                    );
                }
            }
            Found::Same(b) => {
                let reasons = NodeConfig::changes(&b, &desired);
                self.push(addr, ActionKind::Update, reasons);
            }
            Found::Changed(_) => {
                self.push(
                    addr,
                    ActionKind::Update,
                    vec!["node.json was edited on disk since the last apply".into()],
                );
            }
        }
        Ok(())
    }

    /// The SPIRE files: the server config, registration entries and bundle (one mesh
    /// resource) and an agent config per node. Their content follows from the manifest, the
    /// state directory's location and the CA.
    pub(super) fn spire(&mut self) -> Result<(), PlanError> {
        let paths = crate::engine::spire::state_paths(self.m, self.dir)?;
        // SPIRE's bundle files carry the trust bundle; when this apply changes it, they
        // follow and are not compared.
        let bundle_changes = self
            .actions
            .iter()
            .any(|a| a.target == Address::mesh(ResourceType::Bundle));
        let ca_pem = match bundle_changes {
            true => None,
            false => self
                .dir
                .read_opt(layout::TRUST_BUNDLE)?
                .map(|b| String::from_utf8_lossy(&b).into_owned()),
        };
        // Without a usable CA the bundle files cannot be known yet; render with a stand-in
        // and skip them below.
        let desired = match ca_pem
            .as_deref()
            .map(|pem| crate::engine::spire::render(self.m, &paths, pem))
        {
            Some(Ok(files)) => Some(files),
            _ => None,
        };
        let rendered = match desired {
            Some(f) => f,
            // A node without an SVID path cannot happen: the paths come from the manifest.
            None => crate::engine::spire::render_without_bundle(self.m, &paths).unwrap_or_default(),
        };
        let by_rel = crate::engine::spire::state_files(rendered);
        let mut targets: Vec<Address> = vec![Address::mesh(ResourceType::Spire)];
        targets.extend(
            self.m
                .spec
                .nodes
                .iter()
                .map(|n| Address::of(&Owner::Node(n.name.clone()), ResourceType::Spire)),
        );
        for addr in targets {
            let record = self.record(&addr);
            let mut reasons = Vec::new();
            let mut missing_all = true;
            for (rel, _) in addr.files() {
                let file = rel.rsplit('/').next().unwrap_or(&rel).to_string();
                let Some(want) = by_rel.get(&rel) else {
                    // A bundle file while the CA is being replaced.
                    if record.is_some() {
                        reasons.push(format!("{file} follows the new trust bundle"));
                    }
                    continue;
                };
                match self.find(record, &rel)? {
                    Found::Missing => reasons.push(format!("{file} missing")),
                    Found::Changed(_) => {
                        missing_all = false;
                        reasons.push(if record.is_some() {
                            format!("{file} changed on disk since the last apply")
                        } else {
                            format!("{file} is not recorded in state.json")
                        });
                    }
                    Found::Same(b) if &b != want => {
                        missing_all = false;
                        if file == "entries.json" {
                            match serde_json::from_slice(&b) {
                                Ok(old) => reasons.extend(crate::engine::spire::entry_changes(
                                    &old,
                                    &crate::engine::spire::entries(self.m),
                                )),
                                Err(_) => reasons.push("entries.json is unreadable".into()),
                            }
                        } else if file == "bundle.pem" || file == "bundle.spiffe.json" {
                            reasons.push(format!("{file} follows the new trust bundle"));
                        } else {
                            reasons.push(format!("{file} differs from the manifest"));
                        }
                    }
                    Found::Same(_) => missing_all = false,
                }
            }
            if record.is_none() && missing_all {
                let what = match &addr.owner {
                    None => format!(
                        "SPIRE server config, {} registration entries, trust bundle",
                        crate::engine::spire::entries(self.m).entries.len()
                    ),
                    Some(o) => format!("SPIRE agent config for node {}", o.name()),
                };
                self.push(addr, ActionKind::Create, vec![what]);
            } else if !reasons.is_empty() {
                self.push(addr, ActionKind::Update, reasons);
            }
        }
        Ok(())
    }

    pub(super) fn roster(&mut self, raft_ids: &BTreeMap<String, u64>) -> Result<(), PlanError> {
        let addr = Address::mesh(ResourceType::Roster);
        let mut reasons = Vec::new();
        let record = self.record(&addr);
        let existed = record.is_some();
        match self.find(record, layout::ROSTER)? {
            Found::Missing => {
                if existed {
                    reasons.push("roster.json missing".into())
                }
            }
            Found::Changed(_) => {
                reasons.push("roster.json changed on disk since the last apply".into())
            }
            Found::Same(b) => match serde_json::from_slice::<Roster>(&b) {
                Err(e) => reasons.push(format!("roster.json unreadable: {e}")),
                Ok(old) => {
                    reasons.extend(
                        Membership::desired(self.m, raft_ids).changes_from(&Membership::of(&old)),
                    );
                    let mut rekeyed: BTreeSet<String> = BTreeSet::new();
                    for a in &self.actions {
                        if matches!(
                            a.resource_type,
                            ResourceType::Kem | ResourceType::Dsa | ResourceType::Jwt
                        ) {
                            if let Some(o) = &a.target.owner {
                                rekeyed.insert(format!("{} {}", o.kind(), o.name()));
                            }
                        }
                    }
                    for who in rekeyed {
                        let joining = self.actions.iter().any(|a| {
                            a.action == ActionKind::Create
                                && a.target
                                    .owner
                                    .as_ref()
                                    .is_some_and(|o| format!("{} {}", o.kind(), o.name()) == who)
                        });
                        if !joining {
                            reasons.push(format!("public keys of {who} change"));
                        }
                    }
                    for a in self.actions.iter().filter(|a| {
                        a.resource_type == ResourceType::Jwt && a.action == ActionKind::Replace
                    }) {
                        let Some(Owner::Node(node)) = &a.target.owner else {
                            continue;
                        };
                        if old.nodes.iter().any(|n| &n.name == node && n.jwt.is_some()) {
                            let window = super::roster::jwt_overlap(self.m, self.dir, node);
                            reasons.push(format!(
                                "the replaced JWT key of node {node} keeps verifying its tokens for {} after apply",
                                timefmt::span(window)
                            ));
                        }
                    }
                    for n in &old.nodes {
                        for k in &n.retired_jwt {
                            if k.valid_until.is_some_and(|t| t <= self.now) {
                                reasons.push(format!(
                                    "retired JWT key {} of node {} has outlived its tokens",
                                    k.kid, n.name
                                ));
                            }
                        }
                    }
                }
            },
        }
        if !existed && reasons.is_empty() {
            self.push(
                addr,
                ActionKind::Create,
                vec![format!(
                    "{} nodes, {} operators",
                    self.m.spec.nodes.len(),
                    self.m.spec.operators.len()
                )],
            );
        } else if !reasons.is_empty() {
            self.push(addr, ActionKind::Update, reasons);
        }
        Ok(())
    }

    pub(super) fn deletes(&mut self, owners: &[Owner]) {
        let wanted: BTreeSet<&Owner> = owners.iter().collect();
        let stale: Vec<Address> = self
            .state
            .resources
            .keys()
            .filter_map(|k| Address::parse(k))
            .filter(|a| a.owner.as_ref().is_some_and(|o| !wanted.contains(o)))
            .collect();
        for addr in stale {
            let o = addr.owner.clone().expect("filtered on owner");
            let reason = format!(
                "{} {} is no longer in the manifest (apply --prune deletes it)",
                o.kind(),
                o.name()
            );
            self.push(addr, ActionKind::Delete, vec![reason]);
        }
    }
}
