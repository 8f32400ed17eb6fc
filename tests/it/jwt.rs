//! JWT-SVIDs from the embedded Workload API: fetched with the `spiffe` crate's client,
//! checked by the `spiffe` crate's own verifier and by `jsonwebtoken` (not our code),
//! validated by another node, refused for the right reason when they are bad, and still
//! valid after their signing key rotates.

use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::json;

use crate::support::cluster::{self, Cluster};

fn uid() -> u32 {
    // SAFETY: getuid cannot fail.
    unsafe { libc::getuid() }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Three voters; workload `api` on n1 and `db` on n3, both for this test's uid.
fn start(name: &str) -> Cluster {
    let m = format!(
        "{}  workloads:\n    - {{ name: api, node: n1, selectors: [\"unix:uid:{uid}\"], ttl: 10m }}\n    - {{ name: db, node: n3, selectors: [\"unix:uid:{uid}\"], ttl: 1h }}\n",
        cluster::manifest(name, 3, &[], ""),
        uid = uid()
    );
    Cluster::start(&m, &["n1", "n2", "n3"])
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Signs `claims` with node `node`'s JWT key from the state directory, the way a forger
/// holding that key would.
fn forge(c: &Cluster, node: &str, claims: serde_json::Value) -> String {
    let pem = std::fs::read_to_string(c.env.state(&format!("nodes/{node}/jwt.key"))).unwrap();
    let der = x0tta6bl4::engine::identity::first_pem_der(&pem, "PRIVATE KEY").unwrap();
    let public: serde_json::Value = serde_json::from_slice(
        &std::fs::read(c.env.state(&format!("nodes/{node}/jwt.pub"))).unwrap(),
    )
    .unwrap();
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(public["key"]["kid"].as_str().unwrap().to_string());
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_ec_der(&der)).unwrap()
}

/// Checks `token` with jsonwebtoken against `jwks` (bytes of a JWKS document).
fn independent_check(token: &str, jwks: &[u8], audience: &str) -> serde_json::Value {
    let set: jsonwebtoken::jwk::JwkSet = serde_json::from_slice(jwks).unwrap();
    let kid = jsonwebtoken::decode_header(token).unwrap().kid.unwrap();
    let jwk = set.find(&kid).expect("the token's key is in the bundle");
    assert_eq!(
        jwk.thumbprint(jsonwebtoken::jwk::ThumbprintHash::SHA256)
            .unwrap(),
        kid,
        "the key id is the RFC 7638 thumbprint"
    );
    let mut v = Validation::new(Algorithm::ES256);
    v.set_audience(&[audience]);
    v.set_required_spec_claims(&["exp", "sub", "aud"]);
    jsonwebtoken::decode::<serde_json::Value>(token, &DecodingKey::from_jwk(jwk).unwrap(), &v)
        .unwrap()
        .claims
}

/// The JSON shape is golden (masked) and docs/json.md shows it verbatim.
#[track_caller]
fn documented(name: &str, c: &Cluster, json: &str) {
    let masked = crate::support::mask(json, Some(c.env.root()));
    crate::support::golden(&format!("json/{name}.json"), &masked);
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"),
    )
    .unwrap();
    assert!(
        docs.contains(&format!("```json\n{masked}```")),
        "docs/json.md does not show the current `{name}` shape; paste tests/it/golden/json/{name}.json"
    );
}

#[test]
fn jwt_svids_verify_with_independent_libraries_and_bad_ones_are_refused_with_a_reason() {
    let c = start("jwt");
    let (n1, n3) = (c.workload_endpoint("n1"), c.workload_endpoint("n3"));
    let td = "spiffe://jwt.x0tta6bl4.mesh";
    let api = format!("{td}/workload/api");
    rt().block_on(async {
        let client1 = spiffe::WorkloadApiClient::connect_to(&n1).await.unwrap();
        let client3 = spiffe::WorkloadApiClient::connect_to(&n3).await.unwrap();

        let svid = client1.fetch_jwt_svid(["orders"], None).await.unwrap();
        assert_eq!(svid.spiffe_id().to_string(), api);
        assert_eq!(svid.audience(), ["orders".to_string()]);
        let left = svid.expiry().unix_timestamp() - now();
        assert!((590..=600).contains(&left), "expiry from the workload ttl: {left}s");
        let token = svid.token().to_string();

        // The bundle of n3 (another node) verifies n1's token: with the spiffe crate's
        // verifier, and with jsonwebtoken over the raw JWKS.
        let bundles = client3.fetch_jwt_bundles().await.unwrap();
        let checked = spiffe::JwtSvid::parse_and_validate(&token, &bundles, &["orders"]).unwrap();
        assert_eq!(checked.spiffe_id().to_string(), api);
        let trust_domain = spiffe::TrustDomain::new("jwt.x0tta6bl4.mesh").unwrap();
        let bundle = bundles.get(&trust_domain).expect("a JWT bundle for the mesh");
        let jwks = json!({
            "keys": bundle
                .jwt_authorities()
                .map(|a| serde_json::from_slice::<serde_json::Value>(a.jwk_json()).unwrap())
                .collect::<Vec<_>>()
        });
        assert_eq!(jwks["keys"].as_array().unwrap().len(), 3, "one key per node");
        let claims = independent_check(&token, jwks.to_string().as_bytes(), "orders");
        assert_eq!(claims["sub"], api);

        // ValidateJWTSVID on another node accepts it and returns the claims.
        let valid = client3.validate_jwt_token("orders", &token).await.unwrap();
        assert_eq!(valid.spiffe_id().to_string(), api);

        // Each bad token is refused, and the reason says why.
        let refused = |t: String, aud: &'static str| {
            let client3 = client3.clone();
            async move {
                client3
                    .validate_jwt_token(aud, &t)
                    .await
                    .expect_err("a bad token is refused")
                    .to_string()
            }
        };
        let e = refused(token.clone(), "billing").await;
        assert!(e.contains("audience \"billing\""), "{e}");
        let expired = forge(
            &c,
            "n1",
            json!({ "sub": api, "aud": ["orders"], "exp": now() - 5, "iat": now() - 65 }),
        );
        let e = refused(expired, "orders").await;
        assert!(e.contains("expired at"), "{e}");
        let foreign_sub = forge(
            &c,
            "n1",
            json!({ "sub": "spiffe://other.example/workload/api", "aud": ["orders"], "exp": now() + 60 }),
        );
        let e = refused(foreign_sub, "orders").await;
        assert!(e.contains("not in trust domain"), "{e}");
        // A token minted in another trust domain: its key is not in this mesh's bundle.
        let other = aws_lc_rs::signature::EcdsaKeyPair::generate_pkcs8(
            &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &aws_lc_rs::rand::SystemRandom::new(),
        )
        .unwrap();
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some("other-domain-key".into());
        let stranger = jsonwebtoken::encode(
            &header,
            &json!({ "sub": "spiffe://other.example/workload/api", "aud": ["orders"], "exp": now() + 60 }),
            &EncodingKey::from_ec_der(other.as_ref()),
        )
        .unwrap();
        let e = refused(stranger, "orders").await;
        assert!(e.contains("unknown key \"other-domain-key\""), "{e}");
        // n3's key may not vouch for a workload the manifest puts on n1.
        let misplaced = forge(
            &c,
            "n3",
            json!({ "sub": api, "aud": ["orders"], "exp": now() + 60 }),
        );
        let e = refused(misplaced, "orders").await;
        assert!(e.contains("may not be vouched for by node n3"), "{e}");
        let mut tampered = token.clone();
        let cut = tampered.rfind('.').unwrap() + 2;
        let flip = if &tampered[cut..cut + 1] == "A" { "B" } else { "A" };
        tampered.replace_range(cut..cut + 1, flip);
        let e = refused(tampered, "orders").await;
        assert!(e.contains("signature does not verify"), "{e}");

        // A request without an audience is invalid.
        let err = client1.fetch_jwt_svid(Vec::<String>::new(), None).await.unwrap_err();
        assert!(err.to_string().contains("audience"), "{err}");
    });

    // The CLI: fetch prints the token alone; verify-jwt checks it against the mesh.
    let fetched = c.x0t(&["identity", "fetch", "--socket", &n1, "--jwt", "orders"]);
    fetched.ok();
    let token = fetched.stdout.trim().to_string();
    assert_eq!(token.split('.').count(), 3, "{}", fetched.stdout);
    let out_file = c.env.root().join("token.jwt");
    c.x0t(&[
        "identity",
        "fetch",
        "--socket",
        &n1,
        "--jwt",
        "orders",
        "--out",
        out_file.to_str().unwrap(),
    ])
    .ok();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out_file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let ok = c.x0t(&[
        "identity",
        "verify-jwt",
        &token,
        "--audience",
        "orders",
        "-o",
        "json",
    ]);
    ok.ok();
    let as_json = c.x0t(&[
        "identity", "fetch", "--socket", &n1, "--jwt", "orders", "-o", "json",
    ]);
    as_json.ok();
    documented("identity-fetch-jwt", &c, &as_json.stdout);
    documented("identity-verify-jwt", &c, &ok.stdout);
    assert_eq!(ok.json()["spiffeId"], api);
    assert_eq!(ok.json()["node"], "n1");
    assert_eq!(ok.json()["revocationsChecked"], true);
    let wrong = c.x0t(&["identity", "verify-jwt", &token, "--audience", "billing"]);
    wrong.code(1);
    assert!(wrong.stderr.contains("audience"), "{}", wrong.stderr);

    // Revoking n1 takes its key out of every bundle and makes its tokens invalid.
    c.x0t(&["revoke", "n1"]).ok();
    let revoked = c.x0t(&["identity", "verify-jwt", &token, "--audience", "orders"]);
    revoked.code(1);
    assert!(
        revoked.stderr.contains("node n1, which is revoked"),
        "{}",
        revoked.stderr
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    rt().block_on(async {
        let client3 = spiffe::WorkloadApiClient::connect_to(&n3).await.unwrap();
        loop {
            match client3.validate_jwt_token("orders", &token).await {
                Err(e) if e.to_string().contains("revoked") => break,
                other => assert!(
                    Instant::now() < deadline,
                    "n3 still accepts a revoked node's token: {other:?}"
                ),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let bundles = client3.fetch_jwt_bundles().await.unwrap();
        let td = spiffe::TrustDomain::new("jwt.x0tta6bl4.mesh").unwrap();
        assert_eq!(
            bundles.get(&td).unwrap().jwt_authorities().count(),
            2,
            "the revoked node's key left the bundle"
        );
    });
}

#[test]
fn a_rotated_jwt_key_keeps_verifying_its_tokens_until_they_expire() {
    let c = start("jwtrot");
    let (n1, n3) = (c.workload_endpoint("n1"), c.workload_endpoint("n3"));
    let kid_of = |t: &str| jsonwebtoken::decode_header(t).unwrap().kid.unwrap();
    let fetch = |s: &str| {
        let out = c.x0t(&["identity", "fetch", "--socket", s, "--jwt", "orders"]);
        out.ok();
        out.stdout.trim().to_string()
    };
    let old = fetch(&n1);
    let old_kid = kid_of(&old);

    c.x0t(&["keys", "rotate", "n1", "--auto-approve"]).ok();
    let shown = c.x0t(&["keys", "show", "n1", "-o", "json"]).json();
    let jwt_key = (shown["keys"].as_array().unwrap())
        .iter()
        .find(|k| k["purpose"] == "jwt")
        .expect("keys show lists the JWT key")
        .clone();
    assert_ne!(jwt_key["keyId"], old_kid.as_str());
    assert_eq!(jwt_key["secretKeyMode"], "0600");
    assert_eq!(shown["retiredJwtKeys"][0]["keyId"], old_kid.as_str());
    let until = time::OffsetDateTime::parse(
        shown["retiredJwtKeys"][0]["validUntil"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let overlap = until.unix_timestamp() - now();
    assert!(
        (650..=660).contains(&overlap),
        "kept for the longest token of n1's workloads (10m) and a minute to reload: {overlap}s"
    );
    c.x0t(&["plan", "--detailed-exitcode"]).ok();

    // n1 moves to the new key once it has loaded it and the roster names it.
    let deadline = Instant::now() + Duration::from_secs(20);
    let new = loop {
        let t = fetch(&n1);
        if kid_of(&t) != old_kid {
            break t;
        }
        assert!(Instant::now() < deadline, "n1 still signs with the old key");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(kid_of(&new), jwt_key["keyId"].as_str().unwrap());

    // Both tokens validate on n3, and n3's bundle carries both keys of n1.
    rt().block_on(async {
        let client3 = spiffe::WorkloadApiClient::connect_to(&n3).await.unwrap();
        for t in [&old, &new] {
            client3.validate_jwt_token("orders", t).await.unwrap();
        }
        let bundles = client3.fetch_jwt_bundles().await.unwrap();
        let td = spiffe::TrustDomain::new("jwtrot.x0tta6bl4.mesh").unwrap();
        let b = bundles.get(&td).unwrap();
        assert!(b.find_jwt_authority(&old_kid).is_some());
        assert!(b.find_jwt_authority(&kid_of(&new)).is_some());
        assert_eq!(b.jwt_authorities().count(), 4);
    });
    for t in [&old, &new] {
        c.x0t(&["identity", "verify-jwt", t, "--audience", "orders"])
            .ok();
    }
}
