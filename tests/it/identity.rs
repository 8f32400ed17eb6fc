//! SPIFFE identities: every SVID passes `openssl verify`, the `spiffe` crate's X509-SVID
//! parser, and the X509-SVID profile; tampering is caught by `identity verify`.

use std::process::Command;

use x509_parser::prelude::{FromDer, X509Certificate};

use crate::support::Env;

fn svids(_env: &Env) -> Vec<(String, String)> {
    ["nodes/n1", "nodes/n2", "nodes/n3", "operators/admin"]
        .iter()
        .map(|d| (format!("{d}/svid.crt"), format!("{d}/svid.key")))
        .collect()
}

fn der_of(pem: &str) -> Vec<u8> {
    x509_parser::pem::Pem::iter_from_buffer(pem.as_bytes())
        .next()
        .unwrap()
        .unwrap()
        .contents
}

#[test]
fn openssl_accepts_every_svid() {
    let env = Env::applied();
    for (cert, _) in svids(&env) {
        let out = Command::new("openssl")
            .args(["verify", "-CAfile"])
            .arg(env.state("ca/ca.crt"))
            .arg(env.state(&cert))
            .output()
            .expect("openssl is installed");
        assert!(
            out.status.success(),
            "openssl rejected {cert}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(String::from_utf8_lossy(&out.stdout)
            .trim_end()
            .ends_with(": OK"));
    }
}

#[test]
fn spiffe_crate_parses_every_svid() {
    let env = Env::applied();
    for (cert, key) in svids(&env) {
        let cert_der = der_of(&std::fs::read_to_string(env.state(&cert)).unwrap());
        let key_der = der_of(&std::fs::read_to_string(env.state(&key)).unwrap());
        let svid = spiffe::X509Svid::parse_from_der(&cert_der, &key_der)
            .unwrap_or_else(|e| panic!("{cert}: {e}"));
        let want = if cert.starts_with("operators") {
            "spiffe://quickstart.x0tta6bl4.mesh/operator/admin".to_string()
        } else {
            format!("spiffe://quickstart.x0tta6bl4.mesh/node/{}", &cert[6..8])
        };
        assert_eq!(svid.spiffe_id().to_string(), want);
    }
}

#[test]
fn svids_follow_the_x509_svid_profile() {
    let env = Env::applied();
    for (cert, _) in svids(&env) {
        let der = der_of(&std::fs::read_to_string(env.state(&cert)).unwrap());
        let (_, c) = X509Certificate::from_der(&der).unwrap();
        let san = c.subject_alternative_name().unwrap().unwrap();
        assert_eq!(san.value.general_names.len(), 1, "{cert}: exactly one SAN");
        assert!(matches!(
            san.value.general_names[0],
            x509_parser::extensions::GeneralName::URI(_)
        ));
        let bc = c.basic_constraints().unwrap().unwrap();
        assert!(!bc.value.ca, "{cert}: leaf must be cA=false");
        let ku = c.key_usage().unwrap().unwrap();
        assert!(ku.critical, "{cert}: KeyUsage must be critical");
        assert!(ku.value.digital_signature() && !ku.value.key_cert_sign());
        let eku = c.extended_key_usage().unwrap().unwrap();
        assert!(eku.value.server_auth && eku.value.client_auth);
        let lifetime = c.validity().not_after.timestamp() - c.validity().not_before.timestamp();
        assert_eq!(
            lifetime,
            24 * 3600 + 60,
            "{cert}: svidTTL 24h plus the 60 s backdate"
        );
    }
    let ca = der_of(&std::fs::read_to_string(env.state("ca/ca.crt")).unwrap());
    let (_, ca) = X509Certificate::from_der(&ca).unwrap();
    assert!(ca.is_ca());
    assert!(ca.key_usage().unwrap().unwrap().value.key_cert_sign());
}

#[test]
fn identity_verify_passes_and_catches_a_foreign_svid() {
    let env = Env::applied();
    let out = env.x0t(&["identity", "verify", "n1"]);
    out.ok();
    assert_eq!(
        out.stdout.lines().filter(|l| l.starts_with("ok")).count(),
        5,
        "{}",
        out.stdout
    );
    env.x0t(&["identity", "verify", "admin", "--operator"]).ok();
    // The SVID and key of a node of another mesh: same name, wrong CA and trust domain.
    let other = Env::new(
        &crate::support::QUICKSTART.replace("quickstart.x0tta6bl4.mesh", "other.x0tta6bl4.mesh"),
    );
    other.x0t(&["apply", "--auto-approve"]).ok();
    std::fs::copy(
        other.state("nodes/n1/svid.crt"),
        env.state("nodes/n1/svid.crt"),
    )
    .unwrap();
    std::fs::copy(
        other.state("nodes/n1/svid.key"),
        env.state("nodes/n1/svid.key"),
    )
    .unwrap();
    let out = env.x0t(&["identity", "verify", "n1"]);
    out.code(1);
    assert!(out.stdout.contains("FAIL chain"), "{}", out.stdout);
    assert!(out.stdout.contains("FAIL spiffeId  spiffe://other.x0tta6bl4.mesh/node/n1, expected spiffe://quickstart.x0tta6bl4.mesh/node/n1"), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("node n1 failed verification: chain, spiffeId"),
        "{}",
        out.stderr
    );
    // A mismatched key alone is caught too.
    std::fs::copy(
        env.state("nodes/n2/svid.key"),
        env.state("nodes/n1/svid.key"),
    )
    .unwrap();
    let out = env.x0t(&["identity", "verify", "n1", "-o", "json"]);
    out.code(1);
    let json = out.json();
    let key_pair = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "keyPair")
        .unwrap()
        .clone();
    assert_eq!(key_pair["ok"], false);
}

#[test]
fn identity_verify_reports_expiry() {
    let env = Env::applied();
    let out = env.x0t_env(
        &["identity", "verify", "n2"],
        &[("X0T_NOW", "2099-01-01T00:00:00Z")],
    );
    out.code(1);
    assert!(
        out.stdout.contains("FAIL validity  expired at"),
        "{}",
        out.stdout
    );
}

#[test]
fn identity_of_unknown_or_unapplied_nodes() {
    let env = Env::quickstart();
    let out = env.x0t(&["identity", "show", "n1"]);
    out.code(1);
    assert!(
        out.stderr.contains("nothing has been applied"),
        "{}",
        out.stderr
    );
    env.x0t(&["apply", "--auto-approve"]).ok();
    let out = env.x0t(&["identity", "verify", "n9"]);
    out.code(1);
    assert!(out.stderr.contains("no node named `n9`"), "{}", out.stderr);
}
