//! The embedded SPIFFE Workload API: a real node serves it, the `spiffe` crate's client and
//! `X509Source` fetch from it, and `x0t identity fetch` runs as other uids to show that
//! attestation decides who gets which SVID.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use x0tta6bl4::engine::manifest::WorkloadSpec;
use x0tta6bl4::engine::node::workload;

use crate::support::cluster::{self, Cluster};

/// A directory every user may enter, for the socket and a copy of the binary that other
/// uids run (the build directory may not be reachable for them).
fn shared_dir() -> tempfile::TempDir {
    let d = tempfile::Builder::new().prefix("x0t-wl").tempdir().unwrap();
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    d
}

fn uid() -> u32 {
    // SAFETY: getuid cannot fail.
    unsafe { libc::getuid() }
}

/// A one-node mesh whose node serves its Workload API at `socket`, with a workload for
/// this test's uid (short-lived, to see renewals) and one for uid 65534.
fn mesh(socket: &Path) -> String {
    let m = cluster::manifest("wl", 1, &[], "");
    let m = m.replacen(
        "role: voter }",
        &format!("role: voter, workloadSocket: {} }}", socket.display()),
        1,
    );
    format!(
        "{m}  workloads:\n    - {{ name: me, node: n1, selectors: [\"unix:uid:{}\"], ttl: 4s }}\n    - {{ name: nobody, node: n1, selectors: [\"unix:uid:65534\", \"unix:gid:65534\"], ttl: 1h }}\n",
        uid()
    )
}

fn workloads(c: &Cluster) -> Vec<WorkloadSpec> {
    let cfg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(c.env.state("nodes/n1/node.json")).unwrap()).unwrap();
    serde_json::from_value(cfg["workloads"].clone()).unwrap()
}

fn ca_der(c: &Cluster) -> Vec<u8> {
    let pem = std::fs::read_to_string(c.env.state("ca/ca.crt")).unwrap();
    x0tta6bl4::engine::identity::first_pem_der(&pem, "CERTIFICATE").unwrap()
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn start(dir: &Path) -> (Cluster, String) {
    let socket = dir.join("n1.sock");
    let c = Cluster::start(&mesh(&socket), &["n1"]);
    let endpoint = c.workload_endpoint("n1");
    assert_eq!(endpoint, format!("unix://{}", socket.display()));
    (c, endpoint)
}

#[test]
fn workload_api_serves_attested_svids_that_verify_and_renew() {
    let dir = shared_dir();
    let (c, endpoint) = start(dir.path());
    let ca = ca_der(&c);
    let specs = workloads(&c);
    rt().block_on(async {
        let client = spiffe::WorkloadApiClient::connect_to(&endpoint)
            .await
            .unwrap();

        // This process's uid matches workload `me` only.
        let svid = client.fetch_x509_svid().await.unwrap();
        assert_eq!(
            svid.spiffe_id().to_string(),
            "spiffe://wl.x0tta6bl4.mesh/workload/me"
        );
        let chain: Vec<Vec<u8>> = svid
            .cert_chain()
            .iter()
            .map(|c| c.as_bytes().to_vec())
            .collect();
        assert_eq!(chain.len(), 2, "leaf and the node's workload CA");
        let now = time::OffsetDateTime::now_utc();
        let id =
            workload::verify_workload_svid(&ca, "wl.x0tta6bl4.mesh", &specs, &chain, now).unwrap();
        assert_eq!(id, "spiffe://wl.x0tta6bl4.mesh/workload/me");
        // The same chain under a manifest that gives `me` to another node is refused.
        let moved: Vec<WorkloadSpec> = specs
            .iter()
            .cloned()
            .map(|mut w| {
                w.node = "n2".into();
                w
            })
            .collect();
        let err = workload::verify_workload_svid(&ca, "wl.x0tta6bl4.mesh", &moved, &chain, now)
            .unwrap_err();
        assert!(err.contains("not a workload of node n1"), "{err}");

        // The bundle is the mesh CA.
        let bundles = client.fetch_x509_bundles().await.unwrap();
        let td = spiffe::TrustDomain::new("wl.x0tta6bl4.mesh").unwrap();
        let b = bundles.get(&td).expect("a bundle for the mesh");
        assert_eq!(b.authorities().len(), 1);
        assert_eq!(b.authorities()[0].as_bytes(), ca.as_slice());

        // The stream pushes a renewed SVID before the current one expires (ttl 4s: the
        // node renews half way through).
        use futures_util::StreamExt;
        let mut stream = client.stream_x509_svids().await.unwrap();
        let first = stream.next().await.unwrap().unwrap();
        let first_leaf = first.leaf().as_bytes().to_vec();
        let first_expiry = x0tta6bl4::engine::identity::CertInfo::from_der(first_leaf.clone())
            .unwrap()
            .not_after;
        let renewed = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .expect("a renewed SVID within 10s")
            .unwrap()
            .unwrap();
        let arrived = time::OffsetDateTime::now_utc();
        assert_ne!(renewed.leaf().as_bytes(), first_leaf.as_slice());
        assert_eq!(renewed.spiffe_id(), first.spiffe_id());
        assert!(
            arrived < first_expiry,
            "renewal arrived at {arrived}, after the old SVID expired at {first_expiry}"
        );

        // X509Source, the way a long-running workload holds its identity.
        let source = spiffe::X509Source::builder()
            .endpoint(&endpoint)
            .build()
            .await
            .unwrap();
        assert_eq!(
            source.svid().unwrap().spiffe_id().to_string(),
            "spiffe://wl.x0tta6bl4.mesh/workload/me"
        );
        source.shutdown().await;
    });
    drop(c);
}

#[test]
fn workload_api_attests_by_uid_and_requires_the_security_header() {
    let dir = shared_dir();
    let (c, endpoint) = start(dir.path());
    // Other uids run a copy of the binary from a directory they can reach.
    let bin: PathBuf = dir.path().join("x0t");
    std::fs::copy(env!("CARGO_BIN_EXE_x0t"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let fetch_as = |uid: u32, gid: u32| {
        Command::new(&bin)
            .args(["identity", "fetch", "-o", "json", "--socket", &endpoint])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .uid(uid)
            .gid(gid)
            .output()
            .unwrap()
    };
    // uid/gid 65534 has a workload of its own.
    let out = fetch_as(65534, 65534);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["svids"][0]["spiffeId"],
        "spiffe://wl.x0tta6bl4.mesh/workload/nobody"
    );
    assert_eq!(json["svids"].as_array().unwrap().len(), 1);
    assert_eq!(json["svids"][0]["chainLength"], 2);
    let text = crate::support::mask(&String::from_utf8_lossy(&out.stdout), Some(dir.path()));
    crate::support::golden("json/identity-fetch.json", &text);
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"))
        .unwrap();
    assert!(
        docs.contains(&format!("```json\n{text}```")),
        "docs/json.md does not show the current `identity fetch` shape"
    );
    // uid 65534 with another gid does not match every selector of `nobody`; uid 65533 has
    // nothing: both are denied.
    for (u, g) in [(65534, 65533), (65533, 65533)] {
        let out = fetch_as(u, g);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no identity issued"), "{err}");
        assert!(err.contains("hint:"), "{err}");
    }
    // The node logged the refusals.
    assert!(c
        .node("n1")
        .wait_line("no identity issued", Duration::from_secs(5))
        .is_some());

    // `--out` writes the chain, a private key only the owner reads, and the bundle.
    let out_dir = dir.path().join("fetched");
    let out = Command::new(env!("CARGO_BIN_EXE_x0t"))
        .args(["identity", "fetch", "--socket", &endpoint, "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key_mode = std::fs::metadata(out_dir.join("svid.0.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(key_mode & 0o777, 0o600);
    let verify = Command::new("openssl")
        .args(["verify", "-CAfile"])
        .arg(c.env.state("ca/ca.crt"))
        .arg("-untrusted")
        .arg(out_dir.join("svid.0.crt"))
        .arg(out_dir.join("svid.0.crt"))
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "openssl verify: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );

    // A request without the `workload.spiffe.io` header is refused.
    let path = endpoint.trim_start_matches("unix://").to_string();
    rt().block_on(async move {
        let channel = tonic::transport::Endpoint::from_static("http://localhost")
            .connect_with_connector(tower::service_fn(move |_| {
                let path = path.clone();
                async move {
                    Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(
                        tokio::net::UnixStream::connect(path).await?,
                    ))
                }
            }))
            .await
            .unwrap();
        let mut raw =
            workload::pb::spiffe_workload_api_client::SpiffeWorkloadApiClient::new(channel);
        let err = raw
            .fetch_x509svid(workload::pb::X509svidRequest {})
            .await
            .unwrap_err();
        assert_eq!(err.code(), tonic::Code::InvalidArgument);
        assert!(
            err.message().contains("workload.spiffe.io"),
            "{}",
            err.message()
        );
    });
}

#[test]
fn workload_selectors_are_validated() {
    let env = crate::support::Env::new(&format!(
        "{}  workloads:\n    - {{ name: api, node: n1, selectors: [\"unix:uidd:1000\", \"k8s:ns:default\", \"unix:uid:bob\"], ttl: 1s }}\n",
        cluster::manifest("wv", 1, &[], "")
    ));
    let out = env.x0t(&["validate"]);
    out.code(1);
    for want in [
        "did you mean `unix:uid`?",
        "selector type `k8s` is not supported",
        "`bob` is not a numeric id",
        "spec.workloads[0].ttl",
    ] {
        assert!(out.stderr.contains(want), "{want}:\n{}", out.stderr);
    }
}

#[test]
fn a_workload_sends_and_reads_messages_with_the_svid_its_node_gave_it() {
    // Two nodes, a workload on each for this uid; each node's Workload API socket names
    // the workload of that node.
    let m = format!(
        "{}  workloads:\n    - {{ name: api, node: n1, selectors: [\"unix:uid:{uid}\"] }}\n    - {{ name: db, node: n3, selectors: [\"unix:uid:{uid}\"] }}\n",
        cluster::manifest("wlmsg", 3, &[], ""),
        uid = uid()
    );
    let c = Cluster::start(&m, &["n1", "n2", "n3"]);
    let (api, db) = (c.workload_endpoint("n1"), c.workload_endpoint("n3"));
    let td = "spiffe://wlmsg.x0tta6bl4.mesh";

    // api (on n1) sends to node n3 and to workload db; the sender is the workload itself.
    let sent = c.x0t(&[
        "send",
        "n3",
        "to the node",
        "--as-workload",
        &api,
        "-o",
        "json",
    ]);
    sent.ok();
    assert_eq!(
        sent.json()["via"],
        "n1",
        "a workload sends through its own node"
    );
    c.x0t(&[
        "send",
        &format!("{td}/workload/db"),
        "to db",
        "--as-workload",
        &api,
    ])
    .ok();
    let node_inbox = c.x0t(&["recv", "--node", "n3", "-o", "json"]).json();
    assert_eq!(
        node_inbox["messages"][0]["sender"],
        format!("{td}/workload/api")
    );
    assert_eq!(node_inbox["messages"][0]["data"], "to the node");

    // db reads its own inbox with its own SVID, on its own node.
    let own = c.x0t(&["recv", "--node", "n3", "--as-workload", &db, "-o", "json"]);
    own.ok();
    assert_eq!(own.json()["messages"][0]["data"], "to db");
    assert_eq!(
        own.json()["messages"][0]["sender"],
        format!("{td}/workload/api")
    );

    // A workload's SVID opens no other node, and no other call on its own.
    let elsewhere = c.x0t(&["recv", "--node", "n1", "--as-workload", &db]);
    elsewhere.code(1);
    let refused = c.x0t(&["send", "n2", "x", "--as-workload", &api, "--via", "n2"]);
    refused.code(1);
    let n1_metrics = c.metrics("n1");
    assert!(
        n1_metrics.lines().any(
            |l| l.starts_with("x0t_transport_refusals_total{") && l.contains("untrusted_chain")
        ),
        "n1 refused db's SVID at the handshake:\n{n1_metrics}"
    );
}
