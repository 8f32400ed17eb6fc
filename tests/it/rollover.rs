//! CA rollover in three applies: the incoming CA joins the trust bundle, then signs every
//! SVID and workload CA, then the outgoing CA leaves the bundle. Each stage waits until the
//! live nodes have taken up the previous one; a live mesh keeps serving writes throughout.

use std::time::Duration;

use x0tta6bl4::engine::plan::{self, ActionKind, LiveTrust, NodeTrust};
use x0tta6bl4::engine::state::StateDir;

use crate::support::cluster::{healthy, manifest, with_writer, Cluster};
use crate::support::Env;

/// Every node of `status -o json` passes `f`.
fn every_node(j: &serde_json::Value, f: impl Fn(&serde_json::Value) -> bool) -> bool {
    j["nodes"]
        .as_array()
        .is_some_and(|ns| !ns.is_empty() && ns.iter().all(&f))
}

fn rollover(env_plan: &serde_json::Value) -> serde_json::Value {
    env_plan["caRollover"].clone()
}

#[test]
fn a_ca_rollover_on_a_live_mesh_fails_no_request() {
    let c = Cluster::start(&manifest("rollover", 3, &[], ""), &["n1", "n2", "n3"]);
    c.wait_status(Duration::from_secs(20), healthy);
    c.x0t(&["kv", "put", "pre", "1"]).ok();
    c.x0t(&["snapshot", "save", "old.snap"]).ok();
    // An operator bundle holding the old CA only, to be shut out at the end.
    c.x0t(&["bundle", "--operator", "admin", "--out", "old-op"])
        .ok();

    let root = c.env.root().to_path_buf();
    let ((outgoing, incoming), ok, failed) = with_writer(&root, 5, || {
        // Stage 1: the incoming CA joins every node's trust bundle; nothing is reissued.
        let p = c
            .x0t(&["plan", "--replace", "ca", "-o", "json"])
            .ok()
            .json();
        assert_eq!(rollover(&p)["stage"], 1, "{p}");
        let outgoing = rollover(&p)["outgoing"].as_str().unwrap().to_string();
        let out = c.x0t(&["apply", "--auto-approve", "--replace", "ca"]);
        out.ok();
        assert!(out.stdout.contains("+ ca-next"), "{}", out.stdout);
        assert!(!out.stdout.contains("svid"), "{}", out.stdout);
        let j = c.wait_status(Duration::from_secs(20), |j| {
            healthy(j)
                && every_node(j, |n| {
                    n["trustBundle"].as_array().map(|a| a.len()) == Some(2)
                        && n["svidIssuer"] == outgoing.as_str()
                })
        });
        let bundle: Vec<String> = j["nodes"][0]["trustBundle"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let incoming = bundle.iter().find(|f| **f != outgoing).unwrap().clone();

        // Stage 2: every node trusts the incoming CA, so it may sign.
        let p = c.x0t(&["plan", "-o", "json"]).ok().json();
        assert_eq!(rollover(&p)["stage"], 2, "{p}");
        assert_eq!(rollover(&p)["waitingFor"], serde_json::json!([]), "{p}");
        assert_eq!(rollover(&p)["incoming"], incoming.as_str());
        let out = c.x0t(&["apply", "--auto-approve"]);
        out.ok();
        for want in [
            "-/+ ca ",
            "- ca-next",
            "-/+ node.n3.svid",
            "-/+ node.n3.intermediate",
        ] {
            assert!(out.stdout.contains(want), "{want}: {}", out.stdout);
        }
        c.wait_status(Duration::from_secs(20), |j| {
            healthy(j) && every_node(j, |n| n["svidIssuer"] == incoming.as_str())
        });

        // Stage 3: every node presents an SVID from the incoming CA; the outgoing one goes.
        let p = c.x0t(&["plan", "-o", "json"]).ok().json();
        assert_eq!(rollover(&p)["stage"], 3, "{p}");
        let out = c.x0t(&["apply", "--auto-approve"]);
        out.ok();
        assert!(
            out.stdout
                .contains(&format!("drop the outgoing CA {outgoing}")),
            "{}",
            out.stdout
        );
        c.wait_status(Duration::from_secs(20), |j| {
            healthy(j)
                && every_node(j, |n| {
                    n["trustBundle"] == serde_json::json!([incoming.as_str()])
                        && n["svidIssuer"] == incoming.as_str()
                })
        });
        (outgoing, incoming)
    });
    assert!(
        failed.is_empty(),
        "{} writes failed during the rollover: {failed:?}",
        failed.len()
    );
    assert!(ok >= 5);
    // No node restarted.
    c.assert_no_restarts();
    assert_ne!(outgoing, incoming);
    // Done: nothing left to roll, the state matches, data written before is there.
    let p = c.x0t(&["plan", "-o", "json"]).ok().json();
    assert!(p.get("caRollover").is_none(), "{p}");
    c.x0t(&["plan", "--detailed-exitcode"]).ok();
    c.x0t(&["drift"]).ok();
    assert_eq!(c.x0t(&["kv", "get", "pre"]).stdout, "1");
    // The trust bundle and every SVID chain to the new CA, as openssl sees it.
    let state = c.env.state("");
    for n in ["nodes/n1", "nodes/n2", "operators/admin"] {
        let out = std::process::Command::new("openssl")
            .args(["verify", "-CAfile"])
            .arg(state.join("ca/bundle.crt"))
            .arg(state.join(n).join("svid.crt"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{n}: {out:?}");
    }
    // A snapshot signed before the rollover still verifies (ML-DSA keys did not change).
    c.x0t(&["snapshot", "verify", "old.snap"]).ok();
    // Credentials of the old CA are shut out.
    let out = c.x0t(&["status", "--context", "old-op", "--timeout", "3s"]);
    assert_ne!(out.code, 0, "{}", out.stdout);
}

/// Runs `plan` in-process with what the live nodes report.
fn plan_live(env: &Env, live: &LiveTrust) -> plan::Plan {
    let loaded = x0tta6bl4::engine::manifest::load(&env.root().join("x0t.yaml")).unwrap();
    let dir = StateDir::new(env.root().join(".x0t"));
    plan::plan_with(
        &loaded.manifest,
        &dir,
        time::OffsetDateTime::now_utc(),
        &[],
        Some(live),
    )
    .unwrap()
}

fn fingerprint_of(pem_path: &std::path::Path) -> String {
    let pem = std::fs::read_to_string(pem_path).unwrap();
    let der = x0tta6bl4::engine::identity::first_pem_der(&pem, "CERTIFICATE").unwrap();
    x0tta6bl4::engine::identity::fingerprint(&der)
}

#[test]
fn each_rollover_stage_waits_for_every_live_node() {
    let env = Env::applied();
    env.x0t(&["apply", "--auto-approve", "--replace", "ca"])
        .ok();
    let old = fingerprint_of(&env.state("ca/ca.crt"));
    let new = fingerprint_of(&env.state("ca/next.crt"));
    let node = |anchors: &[&str], issuer: &str| NodeTrust {
        anchors: anchors.iter().map(|s| s.to_string()).collect(),
        svid_issuer: Some(issuer.into()),
    };
    // n2 has not reloaded the bundle: stage 2 waits for it and changes nothing.
    let live = LiveTrust {
        nodes: [
            ("n1".to_string(), node(&[&old, &new], &old)),
            ("n2".to_string(), node(&[&old], &old)),
        ]
        .into(),
    };
    let p = plan_live(&env, &live);
    let r = p.ca_rollover.as_ref().unwrap();
    assert_eq!(
        (r.stage, r.waiting_for.clone()),
        (2, vec!["n2".to_string()])
    );
    assert!(p.actions.is_empty(), "{:?}", p.actions);
    let text = env.x0t(&["plan"]).ok().stdout.clone();
    assert!(text.contains("stage 2/3"), "{text}");
    // Once it has, the incoming CA signs and everything is reissued.
    let live = LiveTrust {
        nodes: [
            ("n1".to_string(), node(&[&old, &new], &old)),
            ("n2".to_string(), node(&[&new, &old], &old)),
        ]
        .into(),
    };
    let p = plan_live(&env, &live);
    assert!(p.actions.iter().any(|a| a.address == "ca"));
    assert_eq!(
        p.actions
            .iter()
            .filter(|a| a.address.ends_with(".svid") && a.action == ActionKind::Replace)
            .count(),
        4,
        "{:?}",
        p.actions
    );

    // Stage 2 killed before its commit point changes nothing; the next apply does it.
    let out = env.x0t_env(
        &["apply", "--auto-approve"],
        &[("X0T_FAULT", "apply-before-journal")],
    );
    assert_ne!(out.code, 0);
    assert_eq!(fingerprint_of(&env.state("ca/ca.crt")), old);
    assert!(env.state("ca/next.crt").exists());
    env.x0t(&["apply", "--auto-approve"]).ok();
    assert_eq!(fingerprint_of(&env.state("ca/ca.crt")), new);
    assert!(!env.state("ca/next.crt").exists());
    assert!(!env.state("ca/next.key").exists());

    // Stage 3 waits for n1, still presenting an SVID of the outgoing CA.
    let live = LiveTrust {
        nodes: [
            ("n1".to_string(), node(&[&new, &old], &old)),
            ("n2".to_string(), node(&[&new, &old], &new)),
        ]
        .into(),
    };
    let p = plan_live(&env, &live);
    let r = p.ca_rollover.as_ref().unwrap();
    assert_eq!(
        (r.stage, r.waiting_for.clone()),
        (3, vec!["n1".to_string()])
    );
    assert!(p.actions.is_empty(), "{:?}", p.actions);
    // With no mesh running nothing gates. Killed after its commit point, stage 3 is
    // finished by the next apply: the outgoing CA is gone.
    let out = env.x0t_env(
        &["apply", "--auto-approve"],
        &[("X0T_FAULT", "apply-mid-rename")],
    );
    assert_ne!(out.code, 0);
    assert!(out.stdout.contains("rollover 3/3"), "{}", out.stdout);
    let out = env.x0t(&["apply", "--auto-approve"]);
    out.ok();
    assert!(out
        .stderr
        .contains("finished an apply that was interrupted"));
    assert!(out.stdout.contains("No changes."), "{}", out.stdout);
    let bundle = std::fs::read_to_string(env.state("ca/bundle.crt")).unwrap();
    assert_eq!(bundle.matches("BEGIN CERTIFICATE").count(), 1);
    assert_eq!(fingerprint_of(&env.state("ca/bundle.crt")), new);
    env.x0t(&["plan", "--detailed-exitcode"]).ok();
    env.x0t(&["drift"]).ok();
}

#[test]
fn a_ca_near_expiry_starts_a_rollover_and_an_expired_one_is_replaced() {
    let env = Env::applied();
    // quickstart: caTTL 8760h, svidTTL 24h, renewBefore 8h: rollovers start 32h before.
    let pem = std::fs::read_to_string(env.state("ca/ca.crt")).unwrap();
    let not_after = x0tta6bl4::engine::identity::CertInfo::from_pem(&pem)
        .unwrap()
        .not_after;
    let at = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let soon = at(not_after - time::Duration::hours(30));
    let p = env
        .x0t_env(&["plan", "-o", "json"], &[("X0T_NOW", &soon)])
        .ok()
        .json();
    assert_eq!(rollover(&p)["stage"], 1, "{p}");
    let ca_next = p["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["address"] == "ca-next")
        .unwrap();
    assert!(
        ca_next["reasons"][0]
            .as_str()
            .unwrap()
            .contains("ca expires in"),
        "{ca_next}"
    );
    // Not due yet two days before.
    let early = at(not_after - time::Duration::hours(48));
    let p = env
        .x0t_env(&["plan", "-o", "json"], &[("X0T_NOW", &early)])
        .ok()
        .json();
    assert!(p.get("caRollover").is_none(), "{p}");
    // Expired: too late to roll over; replaced in one step with everything it signed.
    let late = at(not_after + time::Duration::hours(1));
    let out = env.x0t_env(&["plan"], &[("X0T_NOW", &late)]);
    out.ok();
    let text = crate::support::squeeze(&out.stdout);
    assert!(text.contains("-/+ ca ca expired"), "{text}");
    assert!(
        text.contains("-/+ node.n1.svid the CA is replaced"),
        "{text}"
    );
}
