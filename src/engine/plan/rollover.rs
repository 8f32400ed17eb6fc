//! The CA and trust-bundle part of a plan: when the CA is created, kept or replaced, and the
//! three applies of a staged CA rollover, each gated on what the live mesh has taken up.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::identity::{self, CertInfo};
use crate::engine::state::layout;
use crate::engine::util::timefmt;

use super::*;

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

/// What happens to the signing CA, which decides the trust bundle.
pub(super) enum CaStep {
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
pub(super) fn certs_of(bundle: &Gathered) -> Option<Vec<Vec<u8>>> {
    match bundle {
        Gathered::Intact(f) => {
            identity::all_pem_der(&String::from_utf8_lossy(&f[0]), "CERTIFICATE").ok()
        }
        Gathered::Redo { .. } => None,
    }
}

/// Why every SVID and workload CA is reissued, if it is.
pub(super) struct CaOutcome {
    pub(super) reissue: Option<String>,
    pub(super) foreign: Option<String>,
}

impl Planner<'_> {
    /// The signing CA. A missing, foreign, unreadable or expired CA, or one of another
    /// trust domain, is replaced in one step (the mesh cannot keep trusting it); a CA that is
    /// due, or named by `--replace ca`, is rolled over in stages.
    pub(super) fn ca(&mut self, replace_requested: bool) -> Result<CaOutcome, PlanError> {
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
    pub(super) fn rollover_step(
        &mut self,
        ca: CertInfo,
        replace_requested: bool,
    ) -> Result<CaOutcome, PlanError> {
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
    pub(super) fn stage1(&mut self, ca: Vec<u8>, next: Option<Vec<u8>>, outgoing: Vec<Vec<u8>>) {
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
    pub(super) fn abandon_rollover(&mut self) {
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
    pub(super) fn bundle_certs(&self) -> Result<Option<Vec<Vec<u8>>>, PlanError> {
        let gathered = self.gather(&Address::mesh(ResourceType::Bundle))?;
        Ok(certs_of(&gathered))
    }

    /// Live nodes for which `ok` does not hold (none when the mesh is not running).
    pub(super) fn live_lacking(&self, ok: impl Fn(&NodeTrust) -> bool) -> Vec<String> {
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
    pub(super) fn bundle(&mut self) -> Result<(), PlanError> {
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
    pub(super) fn drop_outgoing(&mut self, ca: &[u8], outgoing: &[Vec<u8>]) -> Vec<String> {
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
}
