//! Fuzz harnesses: every decoder that reads bytes from a file, a peer or a workload, each
//! behind one function that takes arbitrary bytes and must neither panic nor hang. The
//! cargo-fuzz targets in `tests/fuzz/` call them through [`run`], and the stable test suite
//! replays the kept corpus and every crash found through the same table, so no nightly
//! toolchain is needed to keep a fixed crash fixed.
//!
//! Where input sits behind a signature or a hash (a signed snapshot file, a sealed file, a
//! JWT-SVID), the harness computes or signs it with keys made once per process, so the
//! fuzzer reaches the decoders behind the check instead of stopping at it.

use std::path::Path;
use std::sync::OnceLock;

use prost::Message;

use crate::engine::identity::jwt::{self, Authority, JwtSigner, Verifier};
use crate::engine::identity::roster::Roster;
use crate::engine::node::raft::{Request, TypeConfig};
use crate::engine::pqc::{self, Algorithm, DsaAlgorithm, KemAlgorithm};
use crate::engine::rpc::pb;
use crate::engine::snapshot::{self, payload::SnapshotDoc, seal, Signer};

/// A harness: takes any bytes.
pub type Harness = fn(&[u8]);

/// Every target by name, as `cargo xtask fuzz` and the corpus replay know them.
pub const TARGETS: &[(&str, Harness)] = &[
    ("manifest", manifest),
    ("snapshot_file", snapshot_file),
    ("signed_snapshot", signed_snapshot),
    ("sealed_file", sealed_file),
    ("payload", payload),
    ("rpc", rpc),
    ("raft_payload", raft_payload),
    ("binding_frame", binding_frame),
    ("workload", workload),
    ("jwt", jwt_svid),
    ("state_json", state_json),
    ("roster", roster),
    ("pqc_key_file", pqc_key_file),
    ("advert", advert),
];

/// Runs target `name` on `data`; false if there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    match TARGETS.iter().find(|(n, _)| *n == name) {
        Some((_, harness)) => {
            harness(data);
            true
        }
        None => false,
    }
}

/// A manifest as `validate` reads it, errors rendered as the CLI renders them.
pub fn manifest(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = crate::engine::manifest::parse(text, Path::new("fuzz.yaml")) {
        let _ = (e.to_string(), e.hints());
    }
}

/// A snapshot file as `snapshot inspect` reads it, before any signature check.
pub fn snapshot_file(data: &[u8]) {
    let Ok(file) = snapshot::parse(data) else {
        return;
    };
    let _ = file.summary();
    if let Ok(doc) = file.doc() {
        walk(&doc);
    }
}

/// A payload signed by a node of the roster: through the signature check to the payload.
pub fn signed_snapshot(data: &[u8]) {
    let keys = keys();
    let Ok(meta) = SnapshotDoc::decode_meta(data) else {
        return;
    };
    let sha = crate::engine::util::fsutil::sha256_hex(data);
    let Ok(parts) = snapshot::seal_parts(
        &keys.signer,
        &meta,
        data.len() as u64,
        sha,
        "2026-01-01T00:00:00Z".into(),
    ) else {
        return;
    };
    let mut file = parts.head;
    file.extend_from_slice(data);
    file.extend_from_slice(&parts.tail);
    let parsed = snapshot::parse(&file).expect("a file the harness sealed parses");
    if parsed.verify(&keys.roster).is_ok() {
        if let Ok(doc) = parsed.doc() {
            walk(&doc);
        }
    }
}

/// A sealed file: parsed and opened as found, then the fuzzer's bytes sealed to a key the
/// harness holds, opened and read as a snapshot file.
pub fn sealed_file(data: &[u8]) {
    let keys = keys();
    if let Ok(sealed) = seal::parse(data) {
        let _ = sealed.open(&keys.opener);
    }
    let Ok(file) = seal::seal(data, "n1", KemAlgorithm::MlKem768, &keys.kem_public) else {
        return;
    };
    let opened = (seal::parse(&file).and_then(|s| s.open(&keys.opener)))
        .expect("a file the harness sealed opens");
    snapshot_file(&opened);
}

/// The snapshot payload codec: meta, keys, values, audit records.
pub fn payload(data: &[u8]) {
    let _ = SnapshotDoc::decode_meta(data);
    if let Ok(doc) = SnapshotDoc::decode(data) {
        walk(&doc);
    }
}

fn walk(doc: &SnapshotDoc<'_>) {
    for (_, v) in doc.kv_raw() {
        let _ = crate::engine::snapshot::payload::KvEntry::from_bytes(v);
    }
    for (_, v) in doc.audit_raw() {
        let _ = serde_json::from_slice::<crate::engine::snapshot::payload::AuditRecord>(v);
    }
}

/// Every request message of the mesh port; the first byte picks the message.
pub fn rpc(data: &[u8]) {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    macro_rules! decode {
        ($($t:ty),* $(,)?) => {{
            let decoders: &[fn(&[u8])] = &[$(|b| { let _ = <$t>::decode(b); }),*];
            decoders[usize::from(which) % decoders.len()](body);
        }};
    }
    decode!(
        pb::Blob,
        pb::StatusRequest,
        pb::KvPutRequest,
        pb::KvDeleteRequest,
        pb::KvGetRequest,
        pb::KvListRequest,
        pb::MemberRequest,
        pb::SnapshotRequest,
        pb::RagQueryRequest,
        pb::AuditListRequest,
        pb::MeshRequest,
        pb::MeshPingRequest,
        pb::SendRequest,
        pb::RecvRequest,
        pb::ConfirmRequest,
        pb::LinkFault,
        pb::ProbeRequest,
        pb::FloodRequest,
        pb::TraceRequest,
        pb::Frame,
        pb::ControlRequest,
        pb::SessionOffer,
        pb::Sealed,
        pb::Payload,
        pb::SignedAdvert,
        pb::AdvertBody,
        pb::ControlReply,
        pb::SnapshotChunk,
    );
}

/// The JSON inside Raft's `Blob`s and log entries; the first byte picks the type.
pub fn raft_payload(data: &[u8]) {
    use openraft::raft::{AppendEntriesRequest, InstallSnapshotRequest, VoteRequest};
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let blob = pb::Blob {
        data: body.to_vec(),
    };
    match which % 4 {
        0 => drop(crate::engine::rpc::decode::<AppendEntriesRequest<TypeConfig>>(&blob)),
        1 => drop(crate::engine::rpc::decode::<VoteRequest<u64>>(&blob)),
        2 => drop(crate::engine::rpc::decode::<
            InstallSnapshotRequest<TypeConfig>,
        >(&blob)),
        _ => drop(serde_json::from_slice::<Request>(body)),
    }
}

/// The post-quantum binding frame a peer sends after the TLS handshake.
pub fn binding_frame(data: &[u8]) {
    let _ = crate::engine::transport::read_binding_frame(data);
}

/// Workload API requests; the first byte picks the message. A JWT-SVID to validate is
/// also checked as the node checks it.
pub fn workload(data: &[u8]) {
    use crate::engine::node::workload::pb as w;
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 5 {
        0 => drop(w::X509svidRequest::decode(body)),
        1 => drop(w::X509BundlesRequest::decode(body)),
        2 => drop(w::JwtBundlesRequest::decode(body)),
        3 => {
            if let Ok(r) = w::JwtsvidRequest::decode(body) {
                let _ = crate::engine::identity::workload_name(&r.spiffe_id);
            }
        }
        _ => {
            if let Ok(r) = w::ValidateJwtsvidRequest::decode(body) {
                verify_jwt(&r.svid, &r.audience);
            }
        }
    }
}

/// JWT-SVID claims as the fuzzer writes them, signed by a key of the mesh, then checked:
/// past the signature to the claims.
pub fn jwt_svid(data: &[u8]) {
    let keys = keys();
    verify_jwt(&keys.jwt.sign_raw(data), "fuzz");
    if let Ok(token) = std::str::from_utf8(data) {
        verify_jwt(token, "fuzz");
    }
}

fn verify_jwt(token: &str, audience: &str) {
    let keys = keys();
    let authorities = [Authority {
        node: "n1".into(),
        key: keys.jwt.key.clone(),
        revoked: false,
    }];
    let verifier = Verifier {
        trust_domain: "fuzz.mesh",
        authorities: &authorities,
        hosts: &|node, id| id.ends_with(&format!("/node/{node}")) || id.contains("/workload/"),
    };
    let _ = verifier.verify(token, audience, time::OffsetDateTime::UNIX_EPOCH);
}

/// `state.json`.
pub fn state_json(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = crate::engine::state::parse_state(text, Path::new("state.json"));
    }
}

/// A roster, as nodes take it up from the store or a neighbour.
pub fn roster(data: &[u8]) {
    if let Ok(r) = serde_json::from_slice::<Roster>(data) {
        if r.check_shape().is_ok() {
            let _ = r.succeeds(&keys().roster);
        }
    }
}

/// A PQC key file (`*.key`, `*.pub`).
pub fn pqc_key_file(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pqc::decode(text, pqc::KeyKind::Secret);
        let _ = pqc::decode(text, pqc::KeyKind::Public);
    }
}

/// Keys the harnesses sign and seal with, made once per process.
struct Keys {
    signer: Signer,
    roster: Roster,
    opener: seal::Opener,
    kem_public: Vec<u8>,
    jwt: JwtSigner,
}

/// A link-state advert: decoded and checked as a peer's flood would be, then the fuzzer's
/// bytes signed as the body by a roster node (so they get past the ML-DSA check to the
/// body's decoding and checks).
pub fn advert(data: &[u8]) {
    use crate::engine::mesh::advert::{signed_bytes, Advert};
    let (keys, trust) = (keys(), advert_trust());
    if let Ok(signed) = pb::SignedAdvert::decode(data) {
        let _ = Advert::open(&signed, "fuzz", trust);
    }
    let Ok(signature) = pqc::sign(
        keys.signer.algorithm,
        &keys.signer.secret,
        &signed_bytes(data),
    ) else {
        return;
    };
    let signed = pb::SignedAdvert {
        body: data.to_vec(),
        signature,
    };
    if let Ok(a) = Advert::open(&signed, "fuzz", trust) {
        assert!(a.lifetime <= crate::engine::mesh::advert::MAX_LIFETIME);
        assert!(a.links.iter().all(|l| (0.0..=1.0).contains(&l.loss)));
    }
}

/// The harness roster with a second node, so that an advert can name a link.
fn advert_trust() -> &'static crate::engine::transport::Trust {
    static TRUST: OnceLock<std::sync::Arc<crate::engine::transport::Trust>> = OnceLock::new();
    TRUST.get_or_init(|| {
        let mut roster = keys().roster.clone();
        let mut n2 = roster.nodes[0].clone();
        n2.name = "n2".into();
        n2.raft_id = 2;
        n2.spiffe_id = "spiffe://fuzz.mesh/node/n2".into();
        roster.nodes.push(n2);
        crate::engine::transport::Trust::for_roster(roster, "spiffe://fuzz.mesh/node/n2")
    })
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let now = time::OffsetDateTime::now_utc();
        let dsa = pqc::generate(Algorithm::Dsa(DsaAlgorithm::MlDsa65), now).expect("ML-DSA");
        let kem = pqc::generate(Algorithm::Kem(KemAlgorithm::MlKem768), now).expect("ML-KEM");
        let b64 = |k: &[u8]| {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.encode(k)
        };
        let key = |alg: &str, public: &[u8]| {
            serde_json::json!({"algorithm": alg, "sha256": pqc::fingerprint(public), "key": b64(public)})
        };
        let roster = serde_json::json!({
            "schemaVersion": 1, "serial": 1, "mesh": "fuzz", "trustDomain": "fuzz.mesh",
            "nodes": [{
                "name": "n1", "raftId": 1, "role": "voter", "address": "127.0.0.1:1",
                "spiffeId": "spiffe://fuzz.mesh/node/n1",
                "kem": key("ML-KEM-768", &kem.public), "dsa": key("ML-DSA-65", &dsa.public),
            }],
            "operators": [], "links": [],
        });
        let (pem, _) = jwt::generate(now).expect("P-256");
        Keys {
            signer: Signer {
                mesh: "fuzz".into(),
                trust_domain: "fuzz.mesh".into(),
                node: "n1".into(),
                raft_id: 1,
                algorithm: DsaAlgorithm::MlDsa65,
                secret: dsa.secret,
                key_fingerprint: pqc::fingerprint(&dsa.public),
            },
            roster: serde_json::from_value(roster).expect("the harness roster reads"),
            opener: seal::Opener {
                algorithm: KemAlgorithm::MlKem768,
                secret: kem.secret,
                fingerprint: pqc::fingerprint(&kem.public),
            },
            kem_public: kem.public,
            jwt: JwtSigner::from_pem(&pem).expect("the harness JWT key reads"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_harness_takes_empty_and_small_inputs() {
        for (name, harness) in TARGETS {
            for input in [&b""[..], b"\0", b"{}", b"\x01\x02\x03\x04", b"x0t"] {
                harness(input);
            }
            assert!(run(name, b""));
        }
        assert!(!run("no-such-target", b""));
    }

    #[test]
    fn the_advert_harness_gets_past_the_signature() {
        use crate::engine::mesh::advert::{Advert, AdvertLink};
        use crate::engine::mesh::link::LinkState;
        let a = Advert {
            origin: "n1".into(),
            seq: 1,
            lifetime: std::time::Duration::from_secs(30),
            links: vec![AdvertLink {
                peer: "n2".into(),
                state: LinkState::Up,
                rtt: std::time::Duration::from_millis(1),
                loss: 0.0,
            }],
        };
        let k = keys();
        let signed = a
            .sign("fuzz", k.signer.algorithm, &k.signer.secret)
            .unwrap();
        assert_eq!(Advert::open(&signed, "fuzz", advert_trust()).unwrap(), a);
    }
}
