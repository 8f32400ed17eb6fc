//! Post-quantum keys: liboqs cross-checked against aws-lc-rs (an independent ML-KEM and
//! ML-DSA), key sizes, and the on-disk format's refusals.

use aws_lc_rs::kem::{DecapsulationKey, EncapsulationKey, ML_KEM_768};
use aws_lc_rs::signature::UnparsedPublicKey;
use aws_lc_rs::signature::{PqdsaKeyPair, ML_DSA_65, ML_DSA_65_SIGNING};
use x0tta6bl4::engine::pqc::{self, Algorithm, DsaAlgorithm, KemAlgorithm, KeyKind};

use crate::support::Env;

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

#[test]
fn liboqs_sizes_are_the_standard_ones() {
    let kem = pqc::generate(Algorithm::Kem(KemAlgorithm::MlKem768), now()).unwrap();
    assert_eq!((kem.public.len(), kem.secret.len()), (1184, 2400));
    let dsa = pqc::generate(Algorithm::Dsa(DsaAlgorithm::MlDsa65), now()).unwrap();
    assert_eq!((dsa.public.len(), dsa.secret.len()), (1952, 4032));
    let sig = pqc::sign(DsaAlgorithm::MlDsa65, &dsa.secret, b"m").unwrap();
    assert_eq!(sig.len(), 3309);
}

#[test]
fn ml_dsa_signatures_cross_verify_both_ways() {
    let msg = b"x0t cross-check";
    // liboqs signs, aws-lc-rs verifies.
    let oqs_pair = pqc::generate(Algorithm::Dsa(DsaAlgorithm::MlDsa65), now()).unwrap();
    let sig = pqc::sign(DsaAlgorithm::MlDsa65, &oqs_pair.secret, msg).unwrap();
    UnparsedPublicKey::new(&ML_DSA_65, &oqs_pair.public)
        .verify(msg, &sig)
        .expect("aws-lc-rs verifies a liboqs signature");
    assert!(UnparsedPublicKey::new(&ML_DSA_65, &oqs_pair.public)
        .verify(b"other", &sig)
        .is_err());
    // aws-lc-rs signs, liboqs verifies.
    let aws_pair = PqdsaKeyPair::generate(&ML_DSA_65_SIGNING).unwrap();
    let mut sig = vec![0u8; ML_DSA_65_SIGNING.signature_len()];
    let n = aws_pair.sign(msg, &mut sig).unwrap();
    sig.truncate(n);
    let public = aws_lc_rs::signature::KeyPair::public_key(&aws_pair)
        .as_ref()
        .to_vec();
    assert!(
        pqc::verify(DsaAlgorithm::MlDsa65, &public, msg, &sig).unwrap(),
        "liboqs verifies an aws-lc-rs signature"
    );
    assert!(!pqc::verify(DsaAlgorithm::MlDsa65, &public, b"other", &sig).unwrap());
}

#[test]
fn ml_kem_encapsulation_cross_decapsulates_both_ways() {
    // aws-lc-rs encapsulates to a liboqs key; liboqs decapsulates.
    let oqs_pair = pqc::generate(Algorithm::Kem(KemAlgorithm::MlKem768), now()).unwrap();
    let ek = EncapsulationKey::new(&ML_KEM_768, &oqs_pair.public).unwrap();
    let (ct, ss) = ek.encapsulate().unwrap();
    let ours = pqc::decapsulate(KemAlgorithm::MlKem768, &oqs_pair.secret, ct.as_ref()).unwrap();
    assert_eq!(ours, ss.as_ref());
    // liboqs encapsulates to an aws-lc-rs key; aws-lc-rs decapsulates.
    let dk = DecapsulationKey::generate(&ML_KEM_768).unwrap();
    let public = dk
        .encapsulation_key()
        .unwrap()
        .key_bytes()
        .unwrap()
        .as_ref()
        .to_vec();
    let (ct, ss) = pqc::encapsulate(KemAlgorithm::MlKem768, &public).unwrap();
    let theirs = dk.decapsulate(ct.as_slice().into()).unwrap();
    assert_eq!(theirs.as_ref(), ss.as_slice());
}

#[test]
fn key_files_round_trip_and_refuse_damage() {
    let pair = pqc::generate(Algorithm::Dsa(DsaAlgorithm::MlDsa65), now()).unwrap();
    let text = pair.encode(KeyKind::Secret);
    assert!(text.starts_with("-----BEGIN X0T PQC SECRET KEY-----\nAlgorithm: ML-DSA-65\n"));
    let back = pqc::decode(&text, KeyKind::Secret).unwrap();
    assert_eq!(back.bytes, pair.secret);
    assert_eq!(back.public_fingerprint, pqc::fingerprint(&pair.public));
    let err = |t: &str, k| pqc::decode(t, k).unwrap_err().to_string();
    assert!(err(&text[..text.len() - 40], KeyKind::Secret).contains("truncated"));
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(5); // the first line of key data: 48 bytes fewer
    let short = lines.join("\n") + "\n";
    assert!(
        err(&short, KeyKind::Secret).contains("expected 4032"),
        "{}",
        err(&short, KeyKind::Secret)
    );
    assert!(
        err(&text.replace("ML-DSA-65", "ML-DSA-99"), KeyKind::Secret)
            .contains("unknown or disabled algorithm `ML-DSA-99`")
    );
    assert!(err(&text, KeyKind::Public).contains("expected a X0T PQC PUBLIC KEY"));
    assert!(err("", KeyKind::Public).contains("not a X0T PQC PUBLIC KEY file"));
    let public = pair.encode(KeyKind::Public);
    let other = pqc::generate(Algorithm::Dsa(DsaAlgorithm::MlDsa65), now()).unwrap();
    let swapped = public.replace(
        &pqc::fingerprint(&pair.public)[7..],
        &pqc::fingerprint(&other.public)[7..],
    );
    assert!(err(&swapped, KeyKind::Public).contains("does not match"));
}

#[test]
fn keys_show_reports_algorithms_and_rotation() {
    let env = Env::applied();
    let json = env.x0t(&["keys", "show", "n1", "-o", "json"]).json();
    let keys = json["keys"].as_array().unwrap();
    assert_eq!(keys[0]["algorithm"], "ML-KEM-768");
    assert_eq!(keys[0]["publicKeyBytes"], 1184);
    assert_eq!(keys[1]["algorithm"], "ML-DSA-65");
    assert_eq!(keys[1]["publicKeyBytes"], 1952);
    assert_eq!(keys[1]["secretKeyMode"], "0600");
    let created = time::OffsetDateTime::parse(
        keys[1]["created"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let rotate = time::OffsetDateTime::parse(
        keys[1]["rotateAfter"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(rotate - created, time::Duration::hours(720));
    env.x0t(&["keys", "show", "admin", "--operator"]).ok();
}

#[test]
fn doctor_checks_the_environment() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::applied();
    let out = env.x0t(&["doctor"]);
    out.ok();
    assert!(
        out.stdout
            .contains("ML-KEM-768 round trip and ML-DSA-65 sign/verify pass"),
        "{}",
        out.stdout
    );
    std::fs::set_permissions(
        env.state("nodes/n2/kem.key"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let out = env.x0t(&["doctor", "-o", "json"]);
    out.code(1);
    let json = out.json();
    let perms = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "keyPermissions")
        .unwrap()
        .clone();
    assert_eq!(perms["status"], "fail");
    assert!(perms["detail"]
        .as_str()
        .unwrap()
        .contains("nodes/n2/kem.key is 0640"));
    let out = env.x0t_env(&["doctor"], &[("X0T_NOW", "2001-01-01T00:00:00Z")]);
    out.code(1);
    assert!(out.stdout.contains("FAIL clock"), "{}", out.stdout);
}
