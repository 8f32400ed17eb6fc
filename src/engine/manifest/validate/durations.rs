//! Duration fields: each within its sane range, and none so large that adding it to now
//! overflows a date.

use super::*;

/// Refuses a duration past [`MAX_DURATION`]; true when it is within bounds.
fn bounded(c: &mut Checker, field: &str, d: HumanDuration) -> bool {
    if d.0 <= MAX_DURATION {
        return true;
    }
    c.error(
        field,
        format!("{d} is longer than 100 years"),
        Some("durations are at most 876000h; certificates and keys cannot be dated past the year 9999"),
    );
    false
}

pub(super) fn check_durations(c: &mut Checker, m: &Manifest) {
    let id = &m.spec.identity;
    let raft = &m.spec.raft;
    let healing = &m.spec.healing;
    let fields = [
        ("spec.identity.caTTL", id.ca_ttl),
        ("spec.identity.svidTTL", id.svid_ttl),
        ("spec.identity.renewBefore", id.renew_before),
        ("spec.pqc.rotateEvery", m.spec.pqc.rotate_every),
        ("spec.raft.heartbeat", raft.heartbeat),
        ("spec.raft.electionTimeout[0]", raft.election_timeout[0]),
        ("spec.raft.electionTimeout[1]", raft.election_timeout[1]),
        ("spec.healing.probeInterval", healing.probe_interval),
        (
            "spec.healing.removeDeadVoterAfter",
            healing.remove_dead_voter_after,
        ),
    ];
    let mut all_bounded = true;
    for (field, d) in fields {
        all_bounded &= bounded(c, field, d);
    }
    for (i, w) in m.spec.workloads.iter().enumerate() {
        all_bounded &= bounded(c, &format!("spec.workloads[{i}].ttl"), w.ttl);
    }
    if !all_bounded {
        // The comparisons below would only repeat the same mistake.
        return;
    }
    if id.svid_ttl.0.is_zero() {
        c.error(
            "spec.identity.svidTTL",
            "svidTTL must be longer than zero",
            None,
        );
    }
    if id.renew_before >= id.svid_ttl {
        c.error(
            "spec.identity.renewBefore",
            format!("renewBefore ({}) is not shorter than svidTTL ({})", id.renew_before, id.svid_ttl),
            Some("every plan would renew every SVID; renew at a third of the lifetime, e.g. svidTTL: 24h, renewBefore: 8h"),
        );
    }
    if id.ca_ttl <= id.svid_ttl {
        c.error(
            "spec.identity.caTTL",
            format!(
                "caTTL ({}) must be longer than svidTTL ({})",
                id.ca_ttl, id.svid_ttl
            ),
            None,
        );
    }
    if m.spec.pqc.rotate_every.0.is_zero() {
        c.error(
            "spec.pqc.rotateEvery",
            "rotateEvery must be longer than zero",
            None,
        );
    }
    let [lo, hi] = raft.election_timeout;
    if lo >= hi {
        c.error(
            "spec.raft.electionTimeout",
            format!("electionTimeout [{lo}, {hi}] is not a range: the first must be smaller"),
            Some("e.g. electionTimeout: [300ms, 600ms]"),
        );
    }
    if raft.heartbeat >= lo {
        c.error(
            "spec.raft.heartbeat",
            format!("heartbeat ({}) must be shorter than the election timeout ({lo})", raft.heartbeat),
            Some("leaders would lose their lease between heartbeats; keep heartbeat at a third of the timeout or less"),
        );
    }
    if raft.snapshot_every == 0 {
        c.error(
            "spec.raft.snapshotEvery",
            "snapshotEvery must be at least 1",
            None,
        );
    }
    if raft.keep_snapshots == 0 {
        c.error(
            "spec.raft.keepSnapshots",
            "keepSnapshots must be at least 1",
            None,
        );
    }
    if m.spec.healing.suspect_after == 0 {
        c.error(
            "spec.healing.suspectAfter",
            "suspectAfter must be at least 1",
            None,
        );
    }
    if m.spec.healing.probe_interval.0.is_zero() {
        c.error(
            "spec.healing.probeInterval",
            "probeInterval must be longer than zero",
            None,
        );
    }
    let h = &m.spec.rag.hnsw;
    if !(2..=256).contains(&h.m) || h.ef_construction == 0 || h.ef_search == 0 {
        c.error(
            "spec.rag.hnsw",
            "hnsw m must be between 2 and 256 and efConstruction, efSearch at least 1",
            None,
        );
    }
}
