//! `apply`: carries a plan out. Everything new is generated in memory first (in parallel),
//! then committed as one crash-safe transaction with `state.json` last.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::engine::bundle::config::NodeConfig;
use crate::engine::client::ClientError;
use crate::engine::identity::jwt;
use crate::engine::identity::roster::Roster;
use crate::engine::identity::IdentityError;
use crate::engine::identity::{self, Ca};
use crate::engine::manifest::Manifest;
use crate::engine::plan::PlanError;
use crate::engine::plan::{ActionKind, Address, Plan, ResourceType, Summary};
use crate::engine::pqc::PqcError;
use crate::engine::pqc::{self, Algorithm, DsaAlgorithm, KemAlgorithm, KeyKind};
use crate::engine::spire::SpireError;
use crate::engine::state::StateError;
use crate::engine::state::{
    self, layout, FileRecord, NodeRecord, Owner, ResourceRecord, StateDir, Txn,
};
use crate::engine::util::fsutil::FsError;
use crate::engine::util::fsutil::{self, PRIVATE_MODE, PUBLIC_MODE};

/// Why an apply failed (the state directory then holds the previous state or the new one,
/// never a mix).
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("refusing to replace a CA x0t did not create: {reason}")]
    ForeignCa { reason: String },
    /// The live mesh refused the new roster or a membership change.
    #[error(transparent)]
    Live(Box<ClientError>),
    #[error("{}: {message}", path.display())]
    Corrupt {
        path: std::path::PathBuf,
        message: String,
    },
    #[error("SPIRE files need the applied CA and node SVIDs; pending: {resources}")]
    SpirePending { resources: String },
}

/// The file and key errors apply shares with planning arrive as a [`PlanError`].
macro_rules! via_plan {
    ($($ty:ty),*) => {$(
        impl From<$ty> for ApplyError {
            fn from(e: $ty) -> ApplyError {
                ApplyError::Plan(e.into())
            }
        }
    )*};
}

via_plan!(StateError, FsError, IdentityError, PqcError, SpireError);

impl From<ClientError> for ApplyError {
    fn from(e: ClientError) -> ApplyError {
        ApplyError::Live(Box::new(e))
    }
}

impl ApplyError {
    /// Hints for the operator, shown after the error.
    pub fn hints(&self) -> Vec<String> {
        match self {
            ApplyError::Plan(e) => e.hints(),
            ApplyError::ForeignCa { .. } => {
                vec!["pass --force to replace it (every SVID is reissued), or move it away".into()]
            }
            ApplyError::Live(e) => e.hints(),
            ApplyError::Corrupt { .. } => {
                vec!["run `x0t drift`; `x0t apply` rewrites it".into()]
            }
            ApplyError::SpirePending { .. } => vec!["run `x0t apply` first".into()],
        }
    }
}

/// What the operator allowed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplyOptions {
    /// Delete the files of nodes and operators no longer in the manifest.
    pub prune: bool,
    /// Replace a CA this state directory did not create.
    pub force: bool,
}

/// What apply did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyReport {
    pub schema_version: u32,
    pub mesh: String,
    /// The state serial after apply.
    pub serial: u64,
    pub applied: Summary,
    /// Deletes left for `--prune`.
    pub skipped_deletes: Vec<String>,
    pub files_written: usize,
    pub files_removed: usize,
}

use super::Generated;

/// Carries out `plan`; `progress(done, total)` is called as resources are generated.
pub fn apply(
    m: &Manifest,
    dir: &StateDir,
    plan: &Plan,
    opts: ApplyOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ApplyReport, ApplyError> {
    apply_with(m, dir, plan, opts, progress, &|_| Ok(()))
}

/// Like [`apply`]; `before_commit` receives the new roster (when it changes) before any
/// file is committed, so a live mesh can learn new public keys before the new secret keys
/// exist on disk: peers then never meet a signature they cannot verify.
pub fn apply_with(
    m: &Manifest,
    dir: &StateDir,
    plan: &Plan,
    opts: ApplyOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
    before_commit: &dyn Fn(&Roster) -> Result<(), ApplyError>,
) -> Result<ApplyReport, ApplyError> {
    if let Some(why) = &plan.foreign_ca {
        if !opts.force {
            return Err(ApplyError::ForeignCa {
                reason: why.clone(),
            });
        }
    }
    let now = plan.now;
    let mut state = plan.state.clone();
    let mut report = ApplyReport {
        schema_version: 1,
        mesh: m.metadata.name.clone(),
        serial: state.serial,
        applied: Summary::default(),
        skipped_deletes: Vec::new(),
        files_written: 0,
        files_removed: 0,
    };
    // Deleting the files of a node or operator gone from the manifest waits for --prune;
    // a mesh resource (the incoming CA of a rollover) goes when the plan says.
    let deletes_only = plan
        .actions
        .iter()
        .all(|a| a.action == ActionKind::Delete && a.target.owner.is_some());
    if plan.actions.is_empty() || (deletes_only && !opts.prune) {
        report.skipped_deletes = plan.actions.iter().map(|a| a.address.clone()).collect();
        return Ok(report);
    }
    dir.create()?;
    let mut outputs: BTreeMap<Address, Generated> = BTreeMap::new();

    // The CA first: every SVID below is signed by it. In stage 2 of a rollover the
    // incoming CA, trusted everywhere since stage 1, becomes the signing CA.
    let ca_addr = Address::mesh(ResourceType::Ca);
    let next_addr = Address::mesh(ResourceType::CaNext);
    let new_ca = || {
        identity::generate_ca(
            &m.metadata.name,
            &m.spec.trust_domain,
            m.spec.identity.ca_ttl.0,
            now,
        )
    };
    let promote = plan
        .action(&next_addr)
        .is_some_and(|a| a.action == ActionKind::Delete)
        && plan.action(&ca_addr).is_some()
        && plan.ca_rollover.as_ref().is_some_and(|r| r.stage == 2);
    let ca = if plan.action(&ca_addr).is_some() {
        let issued = if promote {
            identity::Issued {
                cert_pem: String::from_utf8_lossy(&dir.read(layout::CA_NEXT_CERT)?).into_owned(),
                key_pem: String::from_utf8_lossy(&dir.read(layout::CA_NEXT_KEY)?)
                    .into_owned()
                    .into(),
            }
        } else {
            new_ca()?
        };
        let ca = Ca::load(&issued.cert_pem, &issued.key_pem)?;
        outputs.insert(ca_addr.clone(), ca_files(&ca_addr, issued));
        Some(ca)
    } else if plan.actions.iter().any(|a| {
        matches!(
            a.resource_type,
            ResourceType::Svid | ResourceType::Intermediate
        ) && a.action != ActionKind::Delete
    }) {
        let cert = String::from_utf8_lossy(&dir.read(layout::CA_CERT)?).into_owned();
        let key = String::from_utf8_lossy(&dir.read(layout::CA_KEY)?).into_owned();
        Some(Ca::load(&cert, &key)?)
    } else {
        None
    };

    if plan
        .action(&next_addr)
        .is_some_and(|a| a.action != ActionKind::Delete)
    {
        outputs.insert(next_addr.clone(), ca_files(&next_addr, new_ca()?));
    }
    let bundle_addr = Address::mesh(ResourceType::Bundle);
    if plan.action(&bundle_addr).is_some() {
        let pem = trust_bundle(dir, plan, &outputs)?;
        outputs.insert(
            bundle_addr,
            vec![(
                layout::TRUST_BUNDLE.into(),
                pem.into_bytes().into(),
                PUBLIC_MODE,
            )],
        );
    }

    let jobs: Vec<&Address> = plan
        .actions
        .iter()
        .filter(|a| {
            a.action != ActionKind::Delete
                && !matches!(
                    a.resource_type,
                    ResourceType::Ca
                        | ResourceType::CaNext
                        | ResourceType::Bundle
                        | ResourceType::Roster
                        | ResourceType::Spire
                )
        })
        .map(|a| &a.target)
        .collect();
    let generated = generate_all(m, plan, ca.as_ref(), &jobs, progress)?;
    outputs.extend(generated);

    // SPIRE's files carry the final CA in their bundle.
    let spire_actions: Vec<&Address> = plan
        .actions
        .iter()
        .filter(|a| a.resource_type == ResourceType::Spire && a.action != ActionKind::Delete)
        .map(|a| &a.target)
        .collect();
    if !spire_actions.is_empty() {
        let ca_pem = match outputs.get(&Address::mesh(ResourceType::Bundle)) {
            Some(files) => String::from_utf8_lossy(&files[0].1).into_owned(),
            None => String::from_utf8_lossy(&dir.read(layout::TRUST_BUNDLE)?).into_owned(),
        };
        let paths = crate::engine::spire::state_paths(m, dir)?;
        let rendered = crate::engine::spire::render_state(m, dir, &paths, &ca_pem)?;
        let mut by_rel = crate::engine::spire::state_files(rendered);
        for addr in spire_actions {
            let files = addr
                .files()
                .into_iter()
                .map(|(rel, mode)| {
                    let bytes = by_rel.remove(&rel).expect("rendered every SPIRE file");
                    (rel, bytes.into(), mode)
                })
                .collect();
            outputs.insert(addr.clone(), files);
        }
    }

    // The roster needs every member's final public keys.
    let roster_addr = Address::mesh(ResourceType::Roster);
    if plan.action(&roster_addr).is_some() {
        let roster = super::roster::build_roster(m, dir, plan, &outputs)?;
        before_commit(&roster)?;
        let mut bytes = serde_json::to_vec_pretty(&roster).expect("roster serialises");
        bytes.push(b'\n');
        outputs.insert(
            roster_addr,
            vec![(layout::ROSTER.into(), bytes.into(), PUBLIC_MODE)],
        );
    }

    let mut txn = Txn::default();
    for (addr, files) in outputs {
        let mut record = ResourceRecord {
            files: BTreeMap::new(),
            applied_at: now,
        };
        for (rel, bytes, mode) in files {
            record.files.insert(
                rel.clone(),
                FileRecord {
                    sha256: fsutil::sha256_hex(&bytes),
                    mode,
                },
            );
            txn.write(rel, bytes, mode);
            report.files_written += 1;
        }
        state.resources.insert(addr.to_string(), record);
    }
    for a in &plan.actions {
        match a.action {
            ActionKind::Create => report.applied.create += 1,
            ActionKind::Update => report.applied.update += 1,
            ActionKind::Replace => report.applied.replace += 1,
            ActionKind::Delete if opts.prune || a.target.owner.is_none() => {
                report.applied.delete += 1
            }
            ActionKind::Delete => report.skipped_deletes.push(a.address.clone()),
        }
    }
    for a in plan
        .actions
        .iter()
        .filter(|a| a.action == ActionKind::Delete && a.target.owner.is_none())
    {
        state.resources.remove(&a.address);
        for (rel, _) in a.target.files() {
            txn.remove(rel);
            report.files_removed += 1;
        }
    }
    if opts.prune {
        let mut gone: Vec<Owner> = Vec::new();
        for a in plan
            .actions
            .iter()
            .filter(|a| a.action == ActionKind::Delete)
        {
            state.resources.remove(&a.address);
            if let Some(o) = &a.target.owner {
                // Files kept outside the owner's directory (its SPIRE agent config).
                for (rel, _) in a.target.files() {
                    if !rel.starts_with(&format!("{}/", o.dir())) {
                        txn.remove(rel);
                    }
                }
                if !gone.contains(o) {
                    gone.push(o.clone());
                }
            }
        }
        for o in gone {
            txn.remove(o.dir());
            report.files_removed += 1;
            if let Owner::Node(n) = &o {
                state.nodes.remove(n);
            }
        }
    }
    for (name, id) in &plan.raft_ids {
        state
            .nodes
            .entry(name.clone())
            .or_insert(NodeRecord { raft_id: *id });
        state.next_raft_id = state.next_raft_id.max(id + 1);
    }
    state.serial += 1;
    state.applied_at = now;
    state.trust_domain = m.spec.trust_domain.clone();
    state.x0t_version = env!("CARGO_PKG_VERSION").into();
    state.schema_version = state::STATE_VERSION;
    if let Some(old) = dir.read_opt(layout::STATE)? {
        txn.write(layout::STATE_BACKUP, old, PRIVATE_MODE);
    }
    let mut json = serde_json::to_vec_pretty(&state).expect("state serialises");
    json.push(b'\n');
    txn.write(layout::STATE, json, PRIVATE_MODE);
    state::commit(dir, txn)?;
    report.serial = state.serial;
    Ok(report)
}

/// Generates every resource in `jobs`, spread over the available cores.
fn generate_all(
    m: &Manifest,
    plan: &Plan,
    ca: Option<&Ca>,
    jobs: &[&Address],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BTreeMap<Address, Generated>, ApplyError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Vec<Result<Vec<(Address, Generated)>, ApplyError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(addr) = jobs.get(i) else { break };
                        out.push(((*addr).clone(), generate(m, plan, ca, addr)?));
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1, jobs.len());
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("generator thread panicked"))
            .collect()
    });
    let mut map = BTreeMap::new();
    for r in results {
        map.extend(r?);
    }
    Ok(map)
}

fn generate(
    m: &Manifest,
    plan: &Plan,
    ca: Option<&Ca>,
    addr: &Address,
) -> Result<Generated, ApplyError> {
    let owner = addr.owner.as_ref().expect("per-owner resource");
    let now = plan.now;
    Ok(match addr.kind {
        ResourceType::Svid => {
            let ca = ca.expect("CA loaded when SVIDs are issued");
            let id = match owner {
                Owner::Node(n) => m.node_spiffe_id(n),
                Owner::Operator(n) => m.operator_spiffe_id(n),
            };
            let issued = ca.issue_svid(&id, owner.name(), m.spec.identity.svid_ttl.0, now)?;
            vec![
                (
                    layout::svid_cert(owner),
                    issued.cert_pem.into_bytes().into(),
                    PUBLIC_MODE,
                ),
                (
                    layout::svid_key(owner),
                    secret_bytes(issued.key_pem),
                    PRIVATE_MODE,
                ),
            ]
        }
        ResourceType::Intermediate => {
            let ca = ca.expect("CA loaded when intermediates are issued");
            let name = owner.name();
            let issued = ca.issue_intermediate(
                &m.node_spiffe_id(name),
                name,
                m.spec.identity.ca_ttl.0,
                now,
            )?;
            vec![
                (
                    layout::intermediate_cert(name),
                    issued.cert_pem.into_bytes().into(),
                    PUBLIC_MODE,
                ),
                (
                    layout::intermediate_key(name),
                    secret_bytes(issued.key_pem),
                    PRIVATE_MODE,
                ),
            ]
        }
        ResourceType::Kem | ResourceType::Dsa => {
            let alg = if addr.kind == ResourceType::Kem {
                Algorithm::Kem(KemAlgorithm::from_name(&m.spec.pqc.kem).expect("validated"))
            } else {
                Algorithm::Dsa(DsaAlgorithm::from_name(&m.spec.pqc.dsa).expect("validated"))
            };
            let pair = pqc::generate(alg, now)?;
            let (key, public) = if addr.kind == ResourceType::Kem {
                (layout::kem_key(owner), layout::kem_pub(owner))
            } else {
                (layout::dsa_key(owner), layout::dsa_pub(owner))
            };
            let mut files = vec![
                (
                    key,
                    pair.encode(KeyKind::Secret).into_bytes().into(),
                    PRIVATE_MODE,
                ),
                (
                    public,
                    pair.encode(KeyKind::Public).into_bytes().into(),
                    PUBLIC_MODE,
                ),
            ];
            if addr.kind == ResourceType::Kem {
                files.extend(retired_kem(plan, addr, owner));
            }
            files
        }
        ResourceType::Jwt => {
            let name = owner.name();
            let (key, public) = jwt::generate(now).map_err(|e| ApplyError::Corrupt {
                path: StateDir::new(&plan.state_dir).path(&layout::jwt_key(name)),
                message: e.to_string(),
            })?;
            vec![
                (layout::jwt_key(name), key.into_bytes().into(), PRIVATE_MODE),
                (layout::jwt_pub(name), public.into(), PUBLIC_MODE),
            ]
        }
        ResourceType::Config => {
            let name = owner.name();
            let bytes =
                NodeConfig::build(m, name, plan.raft_ids[name], plan.bootstrap[name]).to_bytes();
            vec![(layout::node_config(name), bytes.into(), PUBLIC_MODE)]
        }
        ResourceType::Ca
        | ResourceType::CaNext
        | ResourceType::Bundle
        | ResourceType::Roster
        | ResourceType::Spire => {
            unreachable!("generated separately")
        }
    })
}

/// The ML-KEM secret keys `owner` had before: those kept at earlier rotations, and the
/// current one, which this rotation retires. Backups sealed to them stay openable.
fn retired_kem(plan: &Plan, addr: &Address, owner: &Owner) -> Generated {
    let dir = StateDir::new(&plan.state_dir);
    let mut out: Generated = Vec::new();
    let prefix = format!("{}/kem-retired/", owner.dir());
    if let Some(record) = plan.state.resources.get(&addr.to_string()) {
        for rel in record.files.keys().filter(|r| r.starts_with(&prefix)) {
            if let Ok(Some(bytes)) = dir.read_opt(rel) {
                out.push((rel.clone(), bytes.into(), PRIVATE_MODE));
            }
        }
    }
    if let Ok(Some(bytes)) = dir.read_opt(&layout::kem_key(owner)) {
        if let Ok(old) = pqc::decode(&String::from_utf8_lossy(&bytes), KeyKind::Secret) {
            let rel = layout::kem_retired(owner, &old.public_fingerprint);
            if !out.iter().any(|(r, _, _)| r == &rel) {
                out.push((rel, bytes.into(), PRIVATE_MODE));
            }
        }
    }
    out
}

/// A private key's PEM as the bytes of a generated file, moved, not copied, so the one
/// buffer that held it is the one overwritten on drop.
fn secret_bytes(mut pem: crate::engine::util::SecretText) -> crate::engine::util::Secret {
    crate::engine::util::Secret::new(std::mem::take(&mut *pem).into_bytes())
}

/// The files of a CA resource (`ca` or `ca-next`): its certificate and key, at the paths
/// and modes [`Address::files`] gives them.
fn ca_files(addr: &Address, issued: identity::Issued) -> Generated {
    let [(cert, cert_mode), (key, key_mode)]: [(String, u32); 2] = addr
        .files()
        .try_into()
        .expect("a CA resource is a certificate and a key");
    vec![
        (cert, issued.cert_pem.into_bytes().into(), cert_mode),
        (key, secret_bytes(issued.key_pem), key_mode),
    ]
}

/// The trust bundle after apply, as PEM: the signing CA, the incoming CA of a rollover, and
/// the CAs the plan keeps (the outgoing one, until stage 3).
fn trust_bundle(
    dir: &StateDir,
    plan: &Plan,
    outputs: &BTreeMap<Address, Generated>,
) -> Result<String, ApplyError> {
    let current = |addr: ResourceType, rel: &str| -> Result<Option<Vec<u8>>, ApplyError> {
        let a = Address::mesh(addr);
        if let Some(files) = outputs.get(&a) {
            return Ok(Some(files[0].1.to_vec()));
        }
        if plan
            .action(&a)
            .is_some_and(|x| x.action == ActionKind::Delete)
        {
            return Ok(None);
        }
        Ok(dir.read_opt(rel)?)
    };
    let mut ders: Vec<Vec<u8>> = Vec::new();
    for (kind, rel) in [
        (ResourceType::Ca, layout::CA_CERT),
        (ResourceType::CaNext, layout::CA_NEXT_CERT),
    ] {
        if let Some(pem) = current(kind, rel)? {
            ders.push(identity::first_pem_der(
                &String::from_utf8_lossy(&pem),
                "CERTIFICATE",
            )?);
        }
    }
    for d in &plan.bundle_keep {
        if !ders.contains(d) {
            ders.push(d.clone());
        }
    }
    Ok(ders
        .iter()
        .map(|d| identity::der_to_pem(d, "CERTIFICATE"))
        .collect())
}
