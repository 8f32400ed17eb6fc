//! `plan`: the difference between what the manifest asks for and what the state directory
//! holds, as one action per resource with its reasons.

mod address;
pub mod apply;
pub mod converge;
pub mod drift;
pub mod membership;
mod resources;
mod rollover;
mod roster;
pub mod spire;

pub use address::{replaceable, Address, ResourceType};
use rollover::{CaOutcome, CaStep};
pub use rollover::{LiveTrust, NodeTrust, Rollover, ROLLOVER_STAGES};

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use time::OffsetDateTime;

use crate::engine::bundle::config::NodeConfig;
use crate::engine::identity::IdentityError;
use crate::engine::identity::{self};
use crate::engine::manifest::Manifest;
use crate::engine::pqc::PqcError;
use crate::engine::spire::SpireError;
use crate::engine::state::StateError;
use crate::engine::state::{layout, Owner, ResourceRecord, StateDir, StateFile};
use crate::engine::util::fsutil::FsError;

/// Why a plan could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Fs(#[from] FsError),
    #[error(transparent)]
    Identity(#[from] IdentityError),
    #[error(transparent)]
    Pqc(#[from] PqcError),
    #[error(transparent)]
    Spire(#[from] SpireError),
    #[error("key file {} is unusable: {source}", path.display())]
    KeyFile {
        path: PathBuf,
        #[source]
        source: PqcError,
    },
    #[error("JWT key file {} is unusable: {message}", path.display())]
    JwtKeyFile { path: PathBuf, message: String },
    #[error("state directory {} belongs to mesh `{found}`, not `{wanted}`", dir.display())]
    OtherMesh {
        dir: PathBuf,
        found: String,
        wanted: String,
    },
}

impl PlanError {
    /// Hints for the operator, shown after the error.
    pub fn hints(&self) -> Vec<String> {
        match self {
            PlanError::State(e) => e.hints(),
            PlanError::Fs(e) => e.hint().into_iter().collect(),
            PlanError::KeyFile { .. } | PlanError::JwtKeyFile { .. } => {
                vec![KEY_FILE_HINT.into()]
            }
            PlanError::OtherMesh { .. } => {
                vec!["use another --state-dir for this manifest".into()]
            }
            _ => Vec::new(),
        }
    }
}

pub use crate::engine::pqc::KEY_FILE_HINT;

/// Generated files of one resource: (path relative to the state directory, bytes, mode).
/// The bytes are overwritten when dropped: among them are private keys.
pub(crate) type Generated = Vec<(String, crate::engine::util::Secret, u32)>;

/// The plan output format version.
pub const PLAN_VERSION: u32 = 1;

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
    pub membership: Option<crate::engine::plan::membership::MembershipChanges>,
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

/// Computes the plan for `m` against the state directory at `now`.
pub fn plan(m: &Manifest, dir: &StateDir, now: OffsetDateTime) -> Result<Plan, PlanError> {
    plan_with(m, dir, now, &[], None)
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
) -> Result<Plan, PlanError> {
    let state = match dir.load()? {
        Some(s) => {
            if s.mesh != m.metadata.name {
                return Err(PlanError::OtherMesh {
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
            p.jwt_key(name)?;
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

    fn find(&self, record: Option<&ResourceRecord>, rel: &str) -> Result<Found, PlanError> {
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
    fn gather(&self, addr: &Address) -> Result<Gathered, PlanError> {
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
    ) -> Result<Option<Vec<Vec<u8>>>, PlanError> {
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
}
