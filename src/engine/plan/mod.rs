//! `plan`: the difference between what the manifest asks for and what the state directory
//! holds, as one action per resource with its reasons.

pub mod apply;
pub mod converge;
pub mod drift;
pub mod membership;
pub mod spire;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;
use time::OffsetDateTime;

use crate::engine::bundle::config::NodeConfig;
use crate::engine::identity::roster::{Membership, Roster};
use crate::engine::identity::{self, CertInfo};
use crate::engine::manifest::Manifest;
use crate::engine::pqc::{self, Algorithm, KeyKind};
use crate::engine::state::{layout, Owner, ResourceRecord, StateDir, StateFile};
use crate::engine::util::timefmt;
use crate::engine::EngineError;

/// The plan output format version.
pub const PLAN_VERSION: u32 = 1;

/// What kind of thing a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceType {
    Ca,
    #[serde(rename = "ca-next")]
    CaNext,
    Bundle,
    Svid,
    Intermediate,
    Kem,
    Dsa,
    Config,
    Spire,
    Roster,
}

impl ResourceType {
    fn name(self) -> &'static str {
        match self {
            ResourceType::Ca => "ca",
            ResourceType::CaNext => "ca-next",
            ResourceType::Bundle => "bundle",
            ResourceType::Svid => "svid",
            ResourceType::Intermediate => "intermediate",
            ResourceType::Kem => "kem",
            ResourceType::Dsa => "dsa",
            ResourceType::Config => "config",
            ResourceType::Spire => "spire",
            ResourceType::Roster => "roster",
        }
    }
}

/// A resource's address: `ca`, `roster`, `node.n1.svid`, `operator.admin.dsa`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Address {
    pub owner: Option<Owner>,
    pub kind: ResourceType,
}

impl Address {
    pub fn mesh(kind: ResourceType) -> Address {
        Address { owner: None, kind }
    }

    pub fn of(owner: &Owner, kind: ResourceType) -> Address {
        Address {
            owner: Some(owner.clone()),
            kind,
        }
    }

    /// Parses an address as written in `state.json`.
    pub fn parse(s: &str) -> Option<Address> {
        let kind = |k: &str| {
            Some(match k {
                "ca" => ResourceType::Ca,
                "ca-next" => ResourceType::CaNext,
                "bundle" => ResourceType::Bundle,
                "svid" => ResourceType::Svid,
                "intermediate" => ResourceType::Intermediate,
                "kem" => ResourceType::Kem,
                "dsa" => ResourceType::Dsa,
                "config" => ResourceType::Config,
                "spire" => ResourceType::Spire,
                "roster" => ResourceType::Roster,
                _ => return None,
            })
        };
        let parts: Vec<&str> = s.split('.').collect();
        match parts.as_slice() {
            [k] => Some(Address::mesh(kind(k)?)),
            ["node", n, k] => Some(Address::of(&Owner::Node(n.to_string()), kind(k)?)),
            ["operator", n, k] => Some(Address::of(&Owner::Operator(n.to_string()), kind(k)?)),
            _ => None,
        }
    }

    /// The files this resource consists of, relative to the state directory.
    pub fn files(&self) -> Vec<(String, u32)> {
        use crate::engine::util::fsutil::{PRIVATE_MODE as S, PUBLIC_MODE as P};
        match (&self.owner, self.kind) {
            (None, ResourceType::Ca) => {
                vec![(layout::CA_CERT.into(), P), (layout::CA_KEY.into(), S)]
            }
            (None, ResourceType::CaNext) => vec![
                (layout::CA_NEXT_CERT.into(), P),
                (layout::CA_NEXT_KEY.into(), S),
            ],
            (None, ResourceType::Bundle) => vec![(layout::TRUST_BUNDLE.into(), P)],
            (None, ResourceType::Roster) => vec![(layout::ROSTER.into(), P)],
            (Some(o), ResourceType::Svid) => {
                vec![(layout::svid_cert(o), P), (layout::svid_key(o), S)]
            }
            (Some(Owner::Node(n)), ResourceType::Intermediate) => vec![
                (layout::intermediate_cert(n), P),
                (layout::intermediate_key(n), S),
            ],
            (Some(o), ResourceType::Kem) => vec![(layout::kem_key(o), S), (layout::kem_pub(o), P)],
            (Some(o), ResourceType::Dsa) => vec![(layout::dsa_key(o), S), (layout::dsa_pub(o), P)],
            (Some(Owner::Node(n)), ResourceType::Config) => vec![(layout::node_config(n), P)],
            (None, ResourceType::Spire) => layout::SPIRE_MESH
                .iter()
                .map(|f| (format!("{}/{f}", layout::SPIRE_DIR), P))
                .collect(),
            (Some(Owner::Node(n)), ResourceType::Spire) => vec![(layout::spire_agent(n), P)],
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.owner {
            None => f.write_str(self.kind.name()),
            Some(o) => write!(f, "{}.{}.{}", o.kind(), o.name(), self.kind.name()),
        }
    }
}

/// What apply will do to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    Create,
    Update,
    Replace,
    Delete,
}

impl ActionKind {
    /// Terraform's symbol for the action.
    pub fn symbol(self) -> &'static str {
        match self {
            ActionKind::Create => "+",
            ActionKind::Update => "~",
            ActionKind::Replace => "-/+",
            ActionKind::Delete => "-",
        }
    }
}

/// One planned change.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    pub address: String,
    #[serde(rename = "type")]
    pub resource_type: ResourceType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    pub action: ActionKind,
    pub reasons: Vec<String>,
    #[serde(skip)]
    pub target: Address,
}

/// Counts per action.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub replace: usize,
    pub delete: usize,
}

/// The whole plan.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub schema_version: u32,
    pub mesh: String,
    pub state_dir: PathBuf,
    pub actions: Vec<Action>,
    pub summary: Summary,
    /// Every node's Raft id after apply (new nodes get theirs then).
    pub raft_ids: BTreeMap<String, u64>,
    /// How the live cluster's Raft membership changes (absent when no node answered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub membership: Option<crate::engine::plan::membership::MembershipPlan>,
    /// Which nodes form the cluster at first start (sticky once written).
    #[serde(skip)]
    pub bootstrap: BTreeMap<String, bool>,
    /// Set when the CA on disk was not made by this state: apply needs `--force`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foreign_ca: Option<String>,
    /// A CA rollover that this plan starts, continues, or waits on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_rollover: Option<Rollover>,
    /// CA certificates (DER) the new trust bundle keeps after the signing CA and the
    /// incoming one: the outgoing CA during stage 2 of a rollover.
    #[serde(skip)]
    pub bundle_keep: Vec<Vec<u8>>,
    #[serde(skip)]
    pub state: StateFile,
    #[serde(skip)]
    pub now: OffsetDateTime,
}

impl Plan {
    /// Whether apply has anything to do, on disk or in the live cluster.
    pub fn has_changes(&self) -> bool {
        !self.actions.is_empty() || self.membership.as_ref().is_some_and(|m| m.has_changes())
    }

    pub fn action(&self, addr: &Address) -> Option<&Action> {
        self.actions.iter().find(|a| &a.target == addr)
    }
}

/// The stages of a CA rollover. Each is one apply; a stage starts only once every node that
/// answers has taken up the previous one, so no node ever meets a certificate it cannot
/// verify.
pub const ROLLOVER_STAGES: u8 = 3;

/// Where a CA rollover stands.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rollover {
    /// 1: the incoming CA joins the trust bundle; 2: it signs, every SVID and workload CA is
    /// reissued; 3: the outgoing CA leaves the trust bundle.
    pub stage: u8,
    pub stages: u8,
    /// What this stage does.
    pub step: String,
    /// Fingerprints of the outgoing and incoming CA certificates, once both exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outgoing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incoming: Option<String>,
    /// Live nodes that have not taken up the previous stage yet; while any is listed this
    /// stage waits (apply does the rest of the plan) and the next apply checks again.
    pub waiting_for: Vec<String>,
}

/// What the live mesh trusts and presents, by node, from `status`; only nodes that answered.
#[derive(Debug, Clone, Default)]
pub struct LiveTrust {
    pub nodes: BTreeMap<String, NodeTrust>,
}

#[derive(Debug, Clone, Default)]
pub struct NodeTrust {
    /// Fingerprints of the CA certificates in the node's loaded trust bundle.
    pub anchors: Vec<String>,
    /// Fingerprint of the CA that signed the node's current SVID.
    pub svid_issuer: Option<String>,
}

/// A file of a resource as found on disk, compared with its record.
enum Found {
    Missing,
    /// Present, but not what was applied (or never recorded).
    Changed(Vec<u8>),
    Same(Vec<u8>),
}

/// A resource's files: all present and as applied, or the reasons to (re)create it.
enum Gathered {
    Intact(Vec<Vec<u8>>),
    Redo { existed: bool, reasons: Vec<String> },
}

struct Planner<'a> {
    m: &'a Manifest,
    dir: &'a StateDir,
    state: &'a StateFile,
    now: OffsetDateTime,
    live: Option<&'a LiveTrust>,
    actions: Vec<Action>,
    ca: CaStep,
    rollover: Option<Rollover>,
    bundle_keep: Vec<Vec<u8>>,
}

/// What happens to the signing CA, which decides the trust bundle.
enum CaStep {
    /// A new CA in one step (first apply, a foreign, unreadable or expired CA, another trust
    /// domain): the bundle holds only it.
    Fresh,
    /// The CA stays; `next` is the incoming CA of a rollover (`None` when one is created by
    /// this apply), `outgoing` CAs still in the bundle.
    Keep {
        ca: Vec<u8>,
        next: Option<Option<Vec<u8>>>,
        outgoing: Vec<Vec<u8>>,
    },
    /// Stage 2: the incoming CA signs; the outgoing one stays in the bundle.
    Promote,
}

/// The certificates (DER) of a gathered trust bundle, when it is as applied and readable.
fn certs_of(bundle: &Gathered) -> Option<Vec<Vec<u8>>> {
    match bundle {
        Gathered::Intact(f) => {
            identity::all_pem_der(&String::from_utf8_lossy(&f[0]), "CERTIFICATE").ok()
        }
        Gathered::Redo { .. } => None,
    }
}

/// Why every SVID and workload CA is reissued, if it is.
struct CaOutcome {
    reissue: Option<String>,
    foreign: Option<String>,
}

/// Computes the plan for `m` against the state directory at `now`.
pub fn plan(m: &Manifest, dir: &StateDir, now: OffsetDateTime) -> Result<Plan, EngineError> {
    plan_with(m, dir, now, &[], None)
}

/// Parses a `--replace` address and checks the manifest has that resource.
pub fn replaceable(m: &Manifest, addr: &str) -> Result<Address, String> {
    let a = Address::parse(addr).ok_or_else(|| {
        format!("`{addr}` is not a resource address (e.g. node.n1.svid, operator.admin.kem, ca)")
    })?;
    let ok = match (&a.owner, a.kind) {
        (None, ResourceType::Ca) => true,
        (None, _) | (_, ResourceType::Config | ResourceType::Spire | ResourceType::Roster) => {
            return Err(format!(
                "`{addr}` is derived from the manifest; only the CA (a staged rollover), SVIDs, workload CAs and PQC keys can be replaced"
            ))
        }
        (Some(Owner::Node(n)), _) => m.node(n).is_some(),
        (Some(Owner::Operator(n)), ResourceType::Svid | ResourceType::Kem | ResourceType::Dsa) => {
            m.operator(n).is_some()
        }
        _ => false,
    };
    if ok {
        Ok(a)
    } else {
        Err(format!("the manifest has no resource `{addr}`"))
    }
}

/// Like [`plan`], also replacing the resources in `replace` (Terraform's `-replace`):
/// renew an SVID or rotate a key before it is due; `ca` starts a staged rollover. `live` is
/// what the running mesh trusts, which gates the stages of a rollover (`None`: not running).
pub fn plan_with(
    m: &Manifest,
    dir: &StateDir,
    now: OffsetDateTime,
    replace: &[Address],
    live: Option<&LiveTrust>,
) -> Result<Plan, EngineError> {
    let state = match dir.load()? {
        Some(s) => {
            if s.mesh != m.metadata.name {
                return Err(EngineError::OtherMesh {
                    dir: dir.root.clone(),
                    found: s.mesh,
                    wanted: m.metadata.name.clone(),
                });
            }
            s
        }
        None => StateFile::empty(&m.metadata.name, &m.spec.trust_domain),
    };
    let mut raft_ids: BTreeMap<String, u64> = BTreeMap::new();
    let mut next = state.next_raft_id;
    for n in &m.spec.nodes {
        let id = match state.nodes.get(&n.name) {
            Some(r) => r.raft_id,
            None => {
                next += 1;
                next - 1
            }
        };
        raft_ids.insert(n.name.clone(), id);
    }
    // Nodes of the mesh's first apply bootstrap the cluster; the flag never changes later.
    let fresh = state.nodes.is_empty();
    let mut bootstrap = BTreeMap::new();
    for n in &m.spec.nodes {
        let existing = dir
            .read_opt(&layout::node_config(&n.name))?
            .and_then(|b| serde_json::from_slice::<NodeConfig>(&b).ok())
            .map(|c| c.bootstrap);
        bootstrap.insert(
            n.name.clone(),
            existing.unwrap_or(fresh && !state.nodes.contains_key(&n.name)),
        );
    }
    let mut p = Planner {
        m,
        dir,
        state: &state,
        now,
        live,
        actions: Vec::new(),
        ca: CaStep::Fresh,
        rollover: None,
        bundle_keep: Vec::new(),
    };
    let replace_ca = replace.contains(&Address::mesh(ResourceType::Ca));
    let CaOutcome {
        reissue,
        foreign: foreign_ca,
    } = p.ca(replace_ca)?;
    let ca_der = dir
        .read_opt(layout::CA_CERT)?
        .map(|ca| identity::first_pem_der(&String::from_utf8_lossy(&ca), "CERTIFICATE"));
    let mut owners: Vec<Owner> = m
        .spec
        .operators
        .iter()
        .map(|o| Owner::Operator(o.name.clone()))
        .collect();
    owners.extend(m.spec.nodes.iter().map(|n| Owner::Node(n.name.clone())));
    for owner in &owners {
        p.svid(owner, reissue.as_deref(), ca_der.as_ref())?;
        p.key(owner, ResourceType::Kem)?;
        p.key(owner, ResourceType::Dsa)?;
        if let Owner::Node(name) = owner {
            p.intermediate(name, reissue.as_deref(), ca_der.as_ref())?;
            p.config(name, raft_ids[name], bootstrap[name])?;
        }
    }
    for addr in replace.iter().filter(|a| a.kind != ResourceType::Ca) {
        if p.actions.iter().all(|a| &a.target != addr) {
            p.push(
                addr.clone(),
                ActionKind::Replace,
                vec!["replacement requested".into()],
            );
        }
    }
    p.bundle()?;
    p.spire()?;
    p.roster(&raft_ids)?;
    p.deletes(&owners);
    let actions = p.actions;
    let mut summary = Summary::default();
    for a in &actions {
        match a.action {
            ActionKind::Create => summary.create += 1,
            ActionKind::Update => summary.update += 1,
            ActionKind::Replace => summary.replace += 1,
            ActionKind::Delete => summary.delete += 1,
        }
    }
    Ok(Plan {
        schema_version: PLAN_VERSION,
        mesh: m.metadata.name.clone(),
        state_dir: dir.root.clone(),
        actions,
        summary,
        raft_ids,
        foreign_ca,
        ca_rollover: p.rollover,
        bundle_keep: p.bundle_keep,
        membership: None,
        bootstrap,
        state,
        now,
    })
}

impl Planner<'_> {
    fn push(&mut self, target: Address, action: ActionKind, reasons: Vec<String>) {
        let (node, operator) = match &target.owner {
            Some(Owner::Node(n)) => (Some(n.clone()), None),
            Some(Owner::Operator(n)) => (None, Some(n.clone())),
            None => (None, None),
        };
        self.actions.push(Action {
            address: target.to_string(),
            resource_type: target.kind,
            node,
            operator,
            action,
            reasons,
            target,
        });
    }

    fn record(&self, addr: &Address) -> Option<&ResourceRecord> {
        self.state.resources.get(&addr.to_string())
    }

    fn find(&self, record: Option<&ResourceRecord>, rel: &str) -> Result<Found, EngineError> {
        let Some(bytes) = self.dir.read_opt(rel)? else {
            return Ok(Found::Missing);
        };
        let same = record
            .and_then(|r| r.files.get(rel))
            .is_some_and(|f| f.sha256 == crate::engine::util::fsutil::sha256_hex(&bytes));
        Ok(if same {
            Found::Same(bytes)
        } else {
            Found::Changed(bytes)
        })
    }

    /// Reads every file of a resource. Returns the contents when all are present and as
    /// applied, otherwise the reasons to (re)create it.
    fn gather(&self, addr: &Address) -> Result<Gathered, EngineError> {
        let record = self.record(addr);
        let mut contents = Vec::new();
        let mut reasons = Vec::new();
        let mut any_present = false;
        for (rel, mode) in addr.files() {
            let file = rel.rsplit('/').next().unwrap_or(&rel).to_string();
            if mode == crate::engine::util::fsutil::PRIVATE_MODE {
                // A secret that others could read may have leaked: replace, not chmod.
                if let Some(m) = crate::engine::util::fsutil::mode_of(&self.dir.path(&rel)) {
                    if m & 0o077 != 0 {
                        reasons.push(format!("{file} is readable by others (mode {m:04o})"));
                    }
                }
            }
            match self.find(record, &rel)? {
                Found::Missing => reasons.push(format!("{file} missing")),
                Found::Changed(b) => {
                    any_present = true;
                    reasons.push(if record.is_some() {
                        format!("{file} changed on disk since the last apply")
                    } else {
                        format!("{file} is not recorded in state.json")
                    });
                    contents.push(b);
                }
                Found::Same(b) => {
                    any_present = true;
                    contents.push(b);
                }
            }
        }
        if reasons.is_empty() {
            Ok(Gathered::Intact(contents))
        } else {
            Ok(Gathered::Redo {
                existed: record.is_some() || any_present,
                reasons,
            })
        }
    }

    /// The files of `addr` when all are present and as applied; otherwise plans to create
    /// it (with the reason `fresh()`) or replace it, and returns `None`.
    fn intact(
        &mut self,
        addr: &Address,
        fresh: impl FnOnce() -> String,
    ) -> Result<Option<Vec<Vec<u8>>>, EngineError> {
        match self.gather(addr)? {
            Gathered::Intact(f) => Ok(Some(f)),
            Gathered::Redo { existed, reasons } => {
                let reasons = if existed { reasons } else { vec![fresh()] };
                self.create_or_replace(addr.clone(), existed, reasons);
                Ok(None)
            }
        }
    }

    fn create_or_replace(&mut self, addr: Address, existed: bool, reasons: Vec<String>) {
        let kind = if existed {
            ActionKind::Replace
        } else {
            ActionKind::Create
        };
        self.push(addr, kind, reasons);
    }

    /// The signing CA. A missing, foreign, unreadable or expired CA, or one of another
    /// trust domain, is replaced in one step (the mesh cannot keep trusting it); a CA that is
    /// due, or named by `--replace ca`, is rolled over in stages.
    fn ca(&mut self, replace_requested: bool) -> Result<CaOutcome, EngineError> {
        let addr = Address::mesh(ResourceType::Ca);
        let one_step = |p: &mut Self, kind: ActionKind, reasons: Vec<String>| {
            p.push(addr.clone(), kind, reasons);
            p.abandon_rollover();
            p.ca = CaStep::Fresh;
            Ok(CaOutcome {
                reissue: Some("the CA is replaced".into()),
                foreign: None,
            })
        };
        let files = match self.gather(&addr)? {
            Gathered::Intact(f) => f,
            Gathered::Redo { existed, reasons } => {
                let none_recorded = self.record(&addr).is_none();
                let on_disk = self.dir.read_opt(layout::CA_CERT)?.is_some()
                    || self.dir.read_opt(layout::CA_KEY)?.is_some();
                let foreign = (on_disk
                    && (none_recorded || reasons.iter().any(|r| r.contains("changed on disk"))))
                .then(|| {
                    format!(
                        "the CA in {} was not created by this state directory",
                        self.dir.path("ca").display()
                    )
                });
                let (kind, reasons) = if existed {
                    (ActionKind::Replace, reasons)
                } else {
                    (ActionKind::Create, vec!["no CA yet".into()])
                };
                let mut out = one_step(self, kind, reasons)?;
                out.foreign = foreign;
                return Ok(out);
            }
        };
        let info = match CertInfo::from_pem(&String::from_utf8_lossy(&files[0])) {
            Ok(i) => i,
            Err(e) => {
                return one_step(
                    self,
                    ActionKind::Replace,
                    vec![format!("ca.crt unreadable: {e}")],
                )
            }
        };
        let mut reasons = Vec::new();
        let want = format!("spiffe://{}", self.m.spec.trust_domain);
        if !info.uris.contains(&want) {
            reasons.push(format!(
                "trust domain changes {} -> {}",
                info.uris
                    .first()
                    .map(|u| u.trim_start_matches("spiffe://"))
                    .unwrap_or("?"),
                self.m.spec.trust_domain
            ));
        }
        if self.now >= info.not_after {
            reasons.push("ca expired: too late for a rollover".into());
        }
        if !reasons.is_empty() {
            return one_step(self, ActionKind::Replace, reasons);
        }
        self.rollover_step(info, replace_requested)
    }

    /// With a valid CA: starts, continues or finishes a rollover, or keeps the CA as it is.
    fn rollover_step(
        &mut self,
        ca: CertInfo,
        replace_requested: bool,
    ) -> Result<CaOutcome, EngineError> {
        let keep = CaOutcome {
            reissue: None,
            foreign: None,
        };
        let bundle = self.bundle_certs()?;
        let outgoing: Vec<Vec<u8>> = bundle
            .iter()
            .flatten()
            .filter(|d| **d != ca.der)
            .cloned()
            .collect();
        let next_addr = Address::mesh(ResourceType::CaNext);
        let next_exists = self.record(&next_addr).is_some()
            || self.dir.read_opt(layout::CA_NEXT_CERT)?.is_some()
            || self.dir.read_opt(layout::CA_NEXT_KEY)?.is_some();
        if next_exists {
            let next = match self.gather(&next_addr)? {
                Gathered::Redo { reasons, .. } => Err(reasons),
                Gathered::Intact(f) => match CertInfo::from_pem(&String::from_utf8_lossy(&f[0])) {
                    Err(e) => Err(vec![format!("next.crt unreadable: {e}")]),
                    Ok(n) if !n.is_ca || n.uris != ca.uris => {
                        Err(vec!["next.crt is not a CA of this trust domain".into()])
                    }
                    Ok(n) if self.now >= n.not_after => Err(vec!["next.crt expired".into()]),
                    Ok(n) => {
                        match identity::private_key_public_sha256(&String::from_utf8_lossy(&f[1])) {
                            Ok(h) if h == n.public_key_sha256 => Ok(n),
                            Ok(_) => Err(vec!["next.key does not belong to next.crt".into()]),
                            Err(e) => Err(vec![format!("next.key unreadable: {e}")]),
                        }
                    }
                },
            };
            let next = match next {
                Ok(n) => n,
                Err(reasons) => {
                    // Stage 1 again with a fresh incoming CA: nothing has used this one.
                    self.push(
                        next_addr,
                        ActionKind::Replace,
                        [vec!["rollover 1/3 again:".to_string()], reasons].concat(),
                    );
                    self.stage1(ca.der, None, outgoing);
                    return Ok(keep);
                }
            };
            let trusted = bundle
                .as_ref()
                .is_some_and(|b| b.contains(&ca.der) && b.contains(&next.der));
            if !trusted {
                self.stage1(ca.der, Some(next.der), outgoing);
                return Ok(keep);
            }
            let incoming = identity::fingerprint(&next.der);
            let waiting = self.live_lacking(|t| t.anchors.contains(&incoming));
            let mut r = Rollover {
                stage: 2,
                stages: ROLLOVER_STAGES,
                step: "the incoming CA signs; every SVID and workload CA is reissued under it"
                    .into(),
                outgoing: Some(identity::fingerprint(&ca.der)),
                incoming: Some(incoming),
                waiting_for: waiting,
            };
            if !r.waiting_for.is_empty() {
                r.step = "waiting for every live node to trust the incoming CA".into();
                self.rollover = Some(r);
                self.ca = CaStep::Keep {
                    ca: ca.der,
                    next: Some(Some(next.der)),
                    outgoing,
                };
                return Ok(keep);
            }
            self.push(
                Address::mesh(ResourceType::Ca),
                ActionKind::Replace,
                vec!["rollover 2/3: the incoming CA (ca/next.crt) takes over signing".into()],
            );
            self.push(
                next_addr,
                ActionKind::Delete,
                vec!["rollover 2/3: becomes ca/ca.crt".into()],
            );
            self.bundle_keep = vec![ca.der];
            self.rollover = Some(r);
            self.ca = CaStep::Promote;
            return Ok(CaOutcome {
                reissue: Some("rollover 2/3: reissued under the incoming CA".into()),
                foreign: None,
            });
        }
        let left = timefmt::between(self.now, ca.not_after);
        let window = self.m.spec.identity.svid_ttl.0 + self.m.spec.identity.renew_before.0;
        if outgoing.is_empty() && (replace_requested || left < window) {
            let why = if left < window {
                format!(
                    "ca expires in {}: rollover 1/3 (rollovers start svidTTL + renewBefore = {} before expiry)",
                    timefmt::span(left),
                    timefmt::span(window)
                )
            } else {
                "replacement requested: rollover 1/3".into()
            };
            self.push(next_addr, ActionKind::Create, vec![why]);
            self.stage1(ca.der, None, outgoing);
            return Ok(keep);
        }
        self.ca = CaStep::Keep {
            ca: ca.der,
            next: None,
            outgoing,
        };
        Ok(keep)
    }

    /// Stage 1 of a rollover: `next` (`None` while this apply creates it) joins the trust
    /// bundle beside the signing CA `ca`.
    fn stage1(&mut self, ca: Vec<u8>, next: Option<Vec<u8>>, outgoing: Vec<Vec<u8>>) {
        self.rollover = Some(Rollover {
            stage: 1,
            stages: ROLLOVER_STAGES,
            step: "the incoming CA joins the trust bundle; the current CA still signs".into(),
            outgoing: Some(identity::fingerprint(&ca)),
            incoming: next.as_deref().map(identity::fingerprint),
            waiting_for: Vec::new(),
        });
        self.ca = CaStep::Keep {
            ca,
            next: Some(next),
            outgoing,
        };
    }

    /// Drops an incoming CA left by a rollover that a one-step replacement overtakes.
    fn abandon_rollover(&mut self) {
        let addr = Address::mesh(ResourceType::CaNext);
        if self.record(&addr).is_some() {
            self.push(
                addr,
                ActionKind::Delete,
                vec!["the CA is replaced in one step; the rollover is abandoned".into()],
            );
        }
    }

    /// The certificates (DER) of the trust bundle when it is as applied.
    fn bundle_certs(&self) -> Result<Option<Vec<Vec<u8>>>, EngineError> {
        let gathered = self.gather(&Address::mesh(ResourceType::Bundle))?;
        Ok(certs_of(&gathered))
    }

    /// Live nodes for which `ok` does not hold (none when the mesh is not running).
    fn live_lacking(&self, ok: impl Fn(&NodeTrust) -> bool) -> Vec<String> {
        self.live
            .map(|l| {
                l.nodes
                    .iter()
                    .filter(|(_, t)| !ok(t))
                    .map(|(n, _)| n.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The trust bundle: the signing CA, plus the incoming CA during stage 1 and the
    /// outgoing one until stage 3 drops it, once every SVID is reissued and every live node
    /// presents one from the new CA.
    fn bundle(&mut self) -> Result<(), EngineError> {
        let addr = Address::mesh(ResourceType::Bundle);
        let gathered = self.gather(&addr)?;
        let (existed, redo) = match &gathered {
            Gathered::Intact(_) => (true, Vec::new()),
            Gathered::Redo { existed, reasons } => (*existed, reasons.clone()),
        };
        let current = certs_of(&gathered);
        let step = std::mem::replace(&mut self.ca, CaStep::Fresh);
        let reasons: Vec<String> = match step {
            CaStep::Fresh => vec![if existed {
                "the CA is replaced".into()
            } else {
                "trust bundle of the new CA".into()
            }],
            CaStep::Promote => return Ok(()),
            CaStep::Keep {
                ca,
                next: Some(next),
                outgoing,
            } => {
                self.bundle_keep = outgoing;
                let holds = |n: &Vec<u8>| current.as_ref().is_some_and(|c| c.contains(n));
                if next.as_ref().is_some_and(|n| holds(n) && holds(&ca)) {
                    Vec::new()
                } else {
                    vec!["rollover 1/3: trust the incoming CA alongside the current one".into()]
                }
            }
            CaStep::Keep {
                ca,
                next: None,
                outgoing,
            } => {
                if current.is_none() {
                    // Missing, edited or never written: rebuild it around the signing CA.
                    self.bundle_keep = outgoing;
                    if existed {
                        redo
                    } else {
                        vec!["trust bundle of the current CA".into()]
                    }
                } else if !outgoing.is_empty() {
                    self.drop_outgoing(&ca, &outgoing)
                } else if current.as_ref().is_some_and(|c| !c.contains(&ca)) {
                    vec!["the bundle does not hold the signing CA".into()]
                } else {
                    Vec::new()
                }
            }
        };
        if reasons.is_empty() {
            return Ok(());
        }
        let kind = if existed {
            ActionKind::Update
        } else {
            ActionKind::Create
        };
        self.push(addr, kind, reasons);
        Ok(())
    }

    /// Stage 3: the reasons to drop the outgoing CAs now, or none (and the rollover waits).
    fn drop_outgoing(&mut self, ca: &[u8], outgoing: &[Vec<u8>]) -> Vec<String> {
        let signing = identity::fingerprint(ca);
        let mut r = Rollover {
            stage: 3,
            stages: ROLLOVER_STAGES,
            step: "the outgoing CA leaves the trust bundle".into(),
            outgoing: outgoing.first().map(|d| identity::fingerprint(d)),
            incoming: Some(signing.clone()),
            waiting_for: self.live_lacking(|t| t.svid_issuer.as_deref() == Some(&signing)),
        };
        let reissuing = self.actions.iter().any(|a| {
            matches!(
                a.resource_type,
                ResourceType::Svid | ResourceType::Intermediate
            ) && a.action != ActionKind::Delete
        });
        let ready = r.waiting_for.is_empty() && !reissuing;
        if !ready {
            r.step = if reissuing {
                "waiting for this apply's SVIDs and workload CAs".into()
            } else {
                "waiting for every live node to present an SVID from the new CA".into()
            };
            self.bundle_keep = outgoing.to_vec();
            self.rollover = Some(r);
            return Vec::new();
        }
        self.bundle_keep = Vec::new();
        let reasons = outgoing
            .iter()
            .map(|d| {
                format!(
                    "rollover 3/3: drop the outgoing CA {}",
                    identity::fingerprint(d)
                )
            })
            .collect();
        self.rollover = Some(r);
        reasons
    }

    /// `ca_der` is the current CA certificate (read once per plan), if there is a file.
    fn svid(
        &mut self,
        owner: &Owner,
        reissue: Option<&str>,
        ca_der: Option<&Result<Vec<u8>, identity::IdentityError>>,
    ) -> Result<(), EngineError> {
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
    fn intermediate(
        &mut self,
        node: &str,
        reissue: Option<&str>,
        ca_der: Option<&Result<Vec<u8>, identity::IdentityError>>,
    ) -> Result<(), EngineError> {
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

    fn key(&mut self, owner: &Owner, kind: ResourceType) -> Result<(), EngineError> {
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
                let every = self.m.spec.pqc.rotate_every;
                let age = timefmt::between(sk.created, self.now);
                if age >= every.0 {
                    reasons.push(format!(
                        "key is {} old, rotateEvery is {every}",
                        timefmt::span(age)
                    ));
                }
            }
        }
        if !reasons.is_empty() {
            self.push(addr, ActionKind::Replace, reasons);
        }
        Ok(())
    }

    fn config(&mut self, node: &str, raft_id: u64, bootstrap: bool) -> Result<(), EngineError> {
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
    fn spire(&mut self) -> Result<(), EngineError> {
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

    fn roster(&mut self, raft_ids: &BTreeMap<String, u64>) -> Result<(), EngineError> {
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
                        if matches!(a.resource_type, ResourceType::Kem | ResourceType::Dsa) {
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

    fn deletes(&mut self, owners: &[Owner]) {
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
