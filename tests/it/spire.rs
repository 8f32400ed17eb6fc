//! SPIRE bootstrap. SPIRE cannot run here (it is packaged nowhere this machine reaches), so
//! these are contract tests: the generated HCL and JSON are parsed and every key is checked
//! against SPIRE's documented configuration reference. SPIRE refuses to start on a key it
//! does not know ("unknown configuration detected"), so an undocumented key is a real bug.
//!
//! References (spiffe/spire at v1.15.3, 2f7861ae3923caf1f57eb087fc2928d58c0fb1d2):
//! - doc/spire_server.md, "Server configuration file" and "Plugin configuration"
//! - doc/spire_agent.md, "Agent configuration file"
//! - doc/plugin_server_datastore_sql.md, doc/plugin_server_keymanager_disk.md,
//!   doc/plugin_server_nodeattestor_x509pop.md, doc/plugin_server_upstreamauthority_disk.md
//! - doc/plugin_agent_nodeattestor_x509pop.md, doc/plugin_agent_keymanager_disk.md,
//!   doc/plugin_agent_workloadattestor_unix.md
//! - cmd/spire-server/cli/entry/util.go (`entry create -data` JSON) and
//!   test/fixture/registration/good.json
//! - spiffe/spiffe standards/SPIFFE_Trust_Domain_and_Bundle.md §4 and X509-SVID.md §6

use std::collections::BTreeSet;
use std::path::Path;

use base64::Engine as _;
use serde_json::Value;

use crate::support::{squeeze, Env, QUICKSTART};

/// Keys of the `server` block (doc/spire_server.md).
const SERVER_KEYS: &[&str] = &[
    "admin_ids",
    "agent_ttl",
    "audit_log_enabled",
    "bind_address",
    "bind_port",
    "ca_key_type",
    "ca_subject",
    "ca_ttl",
    "data_dir",
    "default_x509_svid_ttl",
    "default_jwt_svid_ttl",
    "experimental",
    "federation",
    "disable_jwt_svids",
    "jwt_key_type",
    "jwt_issuer",
    "log_file",
    "log_level",
    "log_format",
    "log_source_location",
    "profiling_enabled",
    "profiling_port",
    "profiling_freq",
    "profiling_names",
    "proxy_protocol_trusted_cidrs",
    "prune_attested_nodes_expired_for",
    "prune_attested_nodes_batch_size",
    "prune_tofu_nodes",
    "ratelimit",
    "socket_path",
    "trust_domain",
    "max_attested_node_info_staleness",
];

/// Keys of the `agent` block (doc/spire_agent.md).
const AGENT_KEYS: &[&str] = &[
    "admin_socket_path",
    "allow_unauthenticated_verifiers",
    "allowed_foreign_jwt_claims",
    "authorized_delegates",
    "data_dir",
    "disable_sds_api",
    "disable_workload_api",
    "experimental",
    "insecure_bootstrap",
    "rebootstrap_mode",
    "rebootstrap_delay",
    "join_token",
    "join_token_file",
    "log_file",
    "log_level",
    "log_format",
    "log_selectors",
    "log_source_location",
    "profiling_enabled",
    "profiling_freq",
    "profiling_names",
    "profiling_port",
    "server_address",
    "server_port",
    "socket_path",
    "sds",
    "trust_bundle_path",
    "trust_bundle_url",
    "trust_bundle_unix_socket",
    "trust_bundle_spiffe_workload_api",
    "trust_bundle_format",
    "trust_domain",
    "workload_x509_svid_key_type",
    "availability_target",
    "x509_svid_cache_max_size",
    "jwt_svid_cache_max_size",
];

/// Keys every plugin block may have (doc/spire_server.md "Plugin configuration").
const PLUGIN_KEYS: &[&str] = &[
    "plugin_cmd",
    "plugin_checksum",
    "enabled",
    "plugin_data",
    "plugin_data_file",
];

/// (plugin type, plugin name) -> documented `plugin_data` keys.
fn plugin_data_keys(kind: &str, name: &str) -> &'static [&'static str] {
    match (kind, name) {
        ("DataStore", "sql") => &[
            "database_type",
            "connection_string",
            "ro_connection_string",
            "root_ca_path",
            "client_cert_path",
            "client_key_path",
            "max_open_conns",
            "max_idle_conns",
            "conn_max_lifetime",
            "disable_migration",
        ],
        ("server:KeyManager", "disk") => &["keys_path"],
        ("agent:KeyManager", "disk") => &["directory"],
        ("server:NodeAttestor", "x509pop") => &[
            "mode",
            "ca_bundle_path",
            "ca_bundle_paths",
            "agent_path_template",
            "max_intermediates",
            "max_rsa_key_size",
            "verify_client_ip",
            "spiffe_prefix",
        ],
        ("agent:NodeAttestor", "x509pop") => &[
            "private_key_path",
            "certificate_path",
            "intermediates_path",
            "spiffe_endpoint_socket",
        ],
        ("UpstreamAuthority", "disk") => &["cert_file_path", "key_file_path", "bundle_file_path"],
        ("WorkloadAttestor", "unix") => &["discover_workload_path", "workload_size_limit"],
        _ => &[],
    }
}

fn hcl(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let v: hcl::Value = hcl::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::to_value(v).unwrap()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not a block: {v}"))
        .keys()
        .cloned()
        .collect()
}

fn assert_documented(block: &str, v: &Value, allowed: &[&str]) {
    for k in keys(v) {
        assert!(
            allowed.contains(&k.as_str()),
            "`{k}` in {block} is not in SPIRE's configuration reference"
        );
    }
}

/// Checks a `plugins` block: documented types, exactly one of those SPIRE requires once,
/// documented keys; returns the plugin_data of each (type, name).
fn plugins(side: &str, v: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (kind, named) in v.as_object().unwrap() {
        let types: &[&str] = if side == "server" {
            &[
                "DataStore",
                "KeyManager",
                "CredentialComposer",
                "NodeAttestor",
                "UpstreamAuthority",
                "BundlePublisher",
            ]
        } else {
            &[
                "KeyManager",
                "NodeAttestor",
                "WorkloadAttestor",
                "SVIDStore",
            ]
        };
        assert!(types.contains(&kind.as_str()), "{side} plugin type {kind}");
        for (name, body) in named.as_object().unwrap() {
            assert_documented(&format!("{side} {kind} \"{name}\""), body, PLUGIN_KEYS);
            let data = body["plugin_data"].clone();
            let mut allowed = plugin_data_keys(kind, name);
            if allowed.is_empty() {
                allowed = plugin_data_keys(&format!("{side}:{kind}"), name);
            }
            assert!(
                !allowed.is_empty(),
                "{side} plugin {kind} \"{name}\" is unknown"
            );
            assert_documented(
                &format!("{side} {kind} \"{name}\" plugin_data"),
                &data,
                allowed,
            );
            out.push((kind.clone(), name.clone(), data));
        }
    }
    let count = |k: &str| out.iter().filter(|(t, _, _)| t == k).count();
    // Cardinality (pkg/server/catalog, pkg/agent/catalog): one key manager; agents have one
    // node attestor and at least one workload attestor; servers one sql datastore.
    assert_eq!(count("KeyManager"), 1, "{side}: exactly one KeyManager");
    if side == "server" {
        assert_eq!(count("DataStore"), 1);
        assert!(count("UpstreamAuthority") <= 1);
    } else {
        assert_eq!(count("NodeAttestor"), 1);
        assert!(count("WorkloadAttestor") >= 1);
    }
    out
}

fn plugin<'a>(list: &'a [(String, String, Value)], kind: &str, name: &str) -> &'a Value {
    &list
        .iter()
        .find(|(k, n, _)| k == kind && n == name)
        .unwrap_or_else(|| panic!("no {kind} \"{name}\""))
        .2
}

fn with_workloads() -> Env {
    let env = Env::new(&format!(
        "{QUICKSTART}  workloads:\n    - {{ name: api, node: n1, selectors: [\"unix:uid:1000\"], ttl: 1h }}\n    - {{ name: batch, node: n2, selectors: [\"unix:user:batch\", \"unix:path:/usr/bin/batch\"], ttl: 10m }}\n"
    ));
    env.x0t(&["apply", "--auto-approve"]).ok();
    env
}

fn ca_der(env: &Env) -> Vec<u8> {
    let pem = std::fs::read_to_string(env.state("ca/ca.crt")).unwrap();
    x0tta6bl4::engine::identity::first_pem_der(&pem, "CERTIFICATE").unwrap()
}

#[test]
fn spire_contract_server_config_uses_only_documented_keys() {
    let env = with_workloads();
    let conf = hcl(&env.state("spire/server.conf"));
    assert_eq!(
        keys(&conf),
        BTreeSet::from(["server".into(), "plugins".into()])
    );
    let server = &conf["server"];
    assert_documented("server", server, SERVER_KEYS);
    // Required by the server's config validation.
    assert_eq!(server["trust_domain"], "quickstart.x0tta6bl4.mesh");
    assert!(server["data_dir"].as_str().unwrap().starts_with('/'));
    let list = plugins("server", &conf["plugins"]);
    assert_eq!(
        plugin(&list, "DataStore", "sql")["database_type"],
        "sqlite3"
    );
    assert!(plugin(&list, "KeyManager", "disk")["keys_path"].is_string());
    // The upstream authority is the mesh CA itself: SPIRE's SVIDs chain to the mesh bundle.
    let ua = plugin(&list, "UpstreamAuthority", "disk");
    let cert = std::fs::read(ua["cert_file_path"].as_str().unwrap()).unwrap();
    let key = std::fs::read_to_string(ua["key_file_path"].as_str().unwrap()).unwrap();
    assert_eq!(cert, std::fs::read(env.state("ca/ca.crt")).unwrap());
    let info =
        x0tta6bl4::engine::identity::CertInfo::from_pem(&String::from_utf8_lossy(&cert)).unwrap();
    assert!(info.is_ca);
    assert_eq!(
        x0tta6bl4::engine::identity::private_key_public_sha256(&key).unwrap(),
        info.public_key_sha256,
        "key_file_path holds the CA's key"
    );
    // x509pop trusts the mesh CA and names agents by their node (the certificate's CN).
    let pop = plugin(&list, "NodeAttestor", "x509pop");
    assert_eq!(
        std::fs::read(pop["ca_bundle_path"].as_str().unwrap()).unwrap(),
        cert
    );
    assert!(pop["agent_path_template"]
        .as_str()
        .unwrap()
        .contains(".Subject.CommonName"));
}

#[test]
fn spire_contract_agent_configs_attest_with_the_node_svid() {
    let env = with_workloads();
    let ca = ca_der(&env);
    for node in ["n1", "n2", "n3"] {
        let conf = hcl(&env.state(&format!("spire/agent-{node}.conf")));
        assert_eq!(
            keys(&conf),
            BTreeSet::from(["agent".into(), "plugins".into()])
        );
        let agent = &conf["agent"];
        assert_documented("agent", agent, AGENT_KEYS);
        for required in ["server_address", "server_port", "trust_domain"] {
            assert!(!agent[required].is_null(), "agent.{required} is required");
        }
        assert_eq!(agent["server_address"], "127.0.0.1");
        assert_eq!(agent["server_port"], 8081);
        // Exactly one bootstrap trust source (spire-agent run.go validation).
        let sources = [
            "trust_bundle_path",
            "trust_bundle_url",
            "trust_bundle_spiffe_workload_api",
        ]
        .iter()
        .filter(|k| !agent[**k].is_null())
        .count();
        assert_eq!(sources, 1);
        let list = plugins("agent", &conf["plugins"]);
        let pop = plugin(&list, "NodeAttestor", "x509pop");
        let cert_pem = std::fs::read_to_string(pop["certificate_path"].as_str().unwrap()).unwrap();
        let key_pem = std::fs::read_to_string(pop["private_key_path"].as_str().unwrap()).unwrap();
        let info = x0tta6bl4::engine::identity::CertInfo::from_pem(&cert_pem).unwrap();
        // x509pop's requirements: the key matches, the certificate chains to the server's
        // ca_bundle_path, allows digital signatures, and has the CN the node entry selects.
        assert_eq!(
            x0tta6bl4::engine::identity::private_key_public_sha256(&key_pem).unwrap(),
            info.public_key_sha256
        );
        x0tta6bl4::engine::identity::verify_chain(&ca, &info.der, time::OffsetDateTime::now_utc())
            .unwrap();
        assert!(
            info.subject.contains(&format!("CN={node}")),
            "{}",
            info.subject
        );
        let out = std::process::Command::new("openssl")
            .args(["x509", "-noout", "-ext", "keyUsage", "-in"])
            .arg(pop["certificate_path"].as_str().unwrap())
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Digital Signature"),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        // unix:path selectors need the agent to discover workload paths.
        assert_eq!(
            plugin(&list, "WorkloadAttestor", "unix")["discover_workload_path"],
            node == "n2"
        );
    }
}

#[test]
fn spire_contract_entries_are_entry_create_data() {
    let env = with_workloads();
    let text = std::fs::read_to_string(env.state("spire/entries.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(keys(&v), BTreeSet::from(["entries".into()]));
    // Field names of a registration entry in `entry create -data` (util.go / good.json).
    let allowed = [
        "selectors",
        "spiffe_id",
        "parent_id",
        "x509_svid_ttl",
        "jwt_svid_ttl",
        "federates_with",
        "entry_id",
        "admin",
        "downstream",
        "entryExpiry",
        "dns_names",
        "revision_number",
        "store_svid",
        "hint",
    ];
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 5, "three node aliases and two workloads");
    for e in entries {
        assert_documented("entry", e, &allowed);
        for id in ["spiffe_id", "parent_id"] {
            spiffe::SpiffeId::new(e[id].as_str().unwrap())
                .unwrap_or_else(|err| panic!("{id} {}: {err}", e[id]));
        }
        assert!(e["x509_svid_ttl"].as_u64().unwrap() > 0);
        for s in e["selectors"].as_array().unwrap() {
            assert_eq!(keys(s), BTreeSet::from(["type".into(), "value".into()]));
        }
    }
    let find = |id: &str| {
        entries
            .iter()
            .find(|e| e["spiffe_id"] == id)
            .unwrap_or_else(|| panic!("no entry {id}"))
    };
    let n1 = find("spiffe://quickstart.x0tta6bl4.mesh/node/n1");
    assert_eq!(
        n1["parent_id"],
        "spiffe://quickstart.x0tta6bl4.mesh/spire/server"
    );
    assert_eq!(
        n1["selectors"],
        serde_json::json!([{"type": "x509pop", "value": "subject:cn:n1"}])
    );
    let batch = find("spiffe://quickstart.x0tta6bl4.mesh/workload/batch");
    assert_eq!(
        batch["parent_id"],
        "spiffe://quickstart.x0tta6bl4.mesh/node/n2"
    );
    assert_eq!(batch["x509_svid_ttl"], 600);
    assert_eq!(
        batch["selectors"],
        serde_json::json!([
            {"type": "unix", "value": "path:/usr/bin/batch"},
            {"type": "unix", "value": "user:batch"}
        ])
    );
}

#[test]
fn spire_contract_bundle_is_a_spiffe_bundle_of_the_mesh_ca() {
    let env = with_workloads();
    let ca = ca_der(&env);
    assert_eq!(
        std::fs::read(env.state("spire/bundle.pem")).unwrap(),
        std::fs::read(env.state("ca/ca.crt")).unwrap()
    );
    let v: Value =
        serde_json::from_slice(&std::fs::read(env.state("spire/bundle.spiffe.json")).unwrap())
            .unwrap();
    // A JWK set whose x509-svid keys carry exactly one CA certificate in x5c and no kid.
    assert!(v["spiffe_sequence"].as_i64().unwrap() > 0);
    assert!(v["spiffe_refresh_hint"].as_i64().unwrap() > 0);
    let ks = v["keys"].as_array().unwrap();
    assert_eq!(ks.len(), 1);
    let k = &ks[0];
    assert_eq!(
        keys(k),
        ["crv", "kty", "use", "x", "x5c", "y"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(k["use"], "x509-svid");
    assert_eq!(k["kty"], "EC");
    assert_eq!(k["crv"], "P-256");
    let x5c = k["x5c"].as_array().unwrap();
    assert_eq!(x5c.len(), 1);
    let der = base64::engine::general_purpose::STANDARD
        .decode(x5c[0].as_str().unwrap())
        .unwrap();
    assert_eq!(der, ca);
    // The coordinates are the certificate's public key (base64url, no padding).
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut point = vec![4u8];
    point.extend(b64url.decode(k["x"].as_str().unwrap()).unwrap());
    point.extend(b64url.decode(k["y"].as_str().unwrap()).unwrap());
    let openssl = std::process::Command::new("openssl")
        .args(["x509", "-noout", "-pubkey", "-in"])
        .arg(env.state("ca/ca.crt"))
        .output()
        .unwrap();
    let spki_pem = String::from_utf8_lossy(&openssl.stdout);
    let spki = x0tta6bl4::engine::identity::first_pem_der(&spki_pem, "PUBLIC KEY").unwrap();
    assert!(spki.ends_with(&point), "x and y are the CA's key");
    // The spiffe crate reads it as the trust domain's X.509 bundle.
    let td = spiffe::TrustDomain::new("quickstart.x0tta6bl4.mesh").unwrap();
    let bundle = spiffe::X509Bundle::parse_from_der(td, &der).unwrap();
    assert_eq!(bundle.authorities().len(), 1);
}

#[test]
fn spire_files_are_planned_applied_and_drift_checked() {
    let env = with_workloads();
    env.x0t(&["plan", "--detailed-exitcode"]).ok();
    // An edit on disk is drift, and plan says how apply repairs it.
    let conf = env.state("spire/server.conf");
    let mut text = std::fs::read_to_string(&conf).unwrap();
    text.push_str("# hand edit\n");
    std::fs::write(&conf, text).unwrap();
    env.x0t(&["drift"]).code(3);
    let plan = squeeze(&env.x0t(&["plan"]).stdout);
    assert!(
        plan.contains("~ spire server.conf changed on disk since the last apply"),
        "{plan}"
    );
    // A manifest change shows as an entry diff.
    let m = std::fs::read_to_string(env.root().join("x0t.yaml"))
        .unwrap()
        .replace("ttl: 10m", "ttl: 20m");
    env.write_manifest(&m);
    let plan = squeeze(&env.x0t(&["plan"]).stdout);
    assert!(
        plan.contains("entry spiffe://quickstart.x0tta6bl4.mesh/workload/batch: ttl 600s -> 1200s"),
        "{plan}"
    );
    env.x0t(&["apply", "--auto-approve"]).ok();
    env.x0t(&["plan", "--detailed-exitcode"]).ok();
    // `spire bootstrap` of an applied mesh has nothing to change.
    let out = env.x0t(&["spire", "bootstrap"]);
    out.ok();
    assert!(out.stderr.contains("already up to date"), "{}", out.stderr);
    // A copy elsewhere keeps its SPIRE data beside it.
    let out = env.x0t(&["spire", "bootstrap", "--out", "spire-copy", "-o", "json"]);
    out.ok();
    let text = crate::support::mask(&out.stdout, Some(env.root()));
    crate::support::golden("json/spire-bootstrap.json", &text);
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"))
        .unwrap();
    assert!(
        docs.contains(&format!("```json\n{text}```")),
        "docs/json.md does not show the current `spire bootstrap` shape"
    );
    let copy = hcl(&env.root().join("spire-copy/server.conf"));
    assert!(copy["server"]["data_dir"]
        .as_str()
        .unwrap()
        .starts_with(&env.root().join("spire-copy").display().to_string()));
    // Removing a node with --prune removes its agent config.
    let m = m.replace(
        "    - { name: n3, listen: 127.0.0.1:7103, metrics: 127.0.0.1:9103, role: voter }\n",
        "",
    );
    env.write_manifest(&m);
    env.x0t(&["apply", "--auto-approve", "--prune"]).ok();
    assert!(!env.state("spire/agent-n3.conf").exists());
    assert!(env.state("spire/agent-n2.conf").exists());
    env.x0t(&["plan", "--detailed-exitcode"]).ok();
}

#[test]
fn spire_bootstrap_needs_an_applied_mesh() {
    let env = Env::quickstart();
    let out = env.x0t(&["spire", "bootstrap"]);
    out.code(1);
    assert!(out.stderr.contains("pending: ca"), "{}", out.stderr);
    assert!(
        out.stderr.contains("run `x0t apply` first"),
        "{}",
        out.stderr
    );
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/spire")
            .join(name),
    )
    .unwrap()
}

/// Contract: the shapes SPIRE's own CLI tests expect `spire-server` to print
/// (cmd/spire-server/cli/entry/show_test.go, create_test.go, delete_test.go,
/// cmd/spire-server/cli/token/generate_test.go), read by the one parser `spire sync` uses.
#[test]
fn spire_contract_cli_output_samples_parse() {
    use x0tta6bl4::engine::spire::output;
    let entries = output::entries(&fixture("entry-show.json")).unwrap();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.id, "00000000-0000-0000-0000-000000000000");
    assert_eq!(e.spiffe_id, "spiffe://example.org/son");
    assert_eq!(e.parent_id, "spiffe://example.org/father");
    assert_eq!(e.selectors[0].to_string(), "foo:bar");
    assert_eq!(e.x509_svid_ttl, 0);
    // `entry create -output json` exits 0 even when a result failed: the code says so.
    let r = output::results(&fixture("entry-create-failed.json")).unwrap();
    assert_eq!(r, vec![(6, "similar entry already exists".into(), None)]);
    let r = output::results(&fixture("entry-delete.json")).unwrap();
    assert_eq!(
        r,
        vec![(5, "entry not found".into(), Some("entry-id".into()))]
    );
    assert_eq!(
        output::token(&fixture("token-generate.json")).unwrap(),
        ("token".into(), 0)
    );
    // Not SPIRE's shape: refused with a reason, never a panic.
    for bad in [
        "",
        "[]",
        "{\"entries\": [{\"id\": 1}]}",
        "{\"results\": [{}]}",
    ] {
        assert!(output::entries(bad).is_err() || output::results(bad).is_err());
    }
}

#[test]
fn spire_sync_plan_upserts_only_x0t_entries() {
    use x0tta6bl4::engine::spire::{self, Selector, ServerEntry};
    let env = with_workloads();
    let text = std::fs::read_to_string(env.state("spire/entries.json")).unwrap();
    let desired: spire::Entries = serde_json::from_str(&text).unwrap();
    let td = "quickstart.x0tta6bl4.mesh";
    let have = |id: &str, spiffe: &str, parent: &str, sel: &str, ttl: u32| ServerEntry {
        id: id.into(),
        spiffe_id: format!("spiffe://{td}{spiffe}"),
        parent_id: format!("spiffe://{td}{parent}"),
        selectors: vec![Selector::parse(sel)],
        x509_svid_ttl: ttl,
    };
    let actual = vec![
        // Matches the manifest: untouched.
        have(
            "a",
            "/node/n1",
            "/spire/server",
            "x509pop:subject:cn:n1",
            86400,
        ),
        // Wrong TTL: updated in place.
        have("b", "/workload/api", "/node/n1", "unix:uid:1000", 60),
        // A workload the manifest no longer has: deleted.
        have("c", "/workload/old", "/node/n1", "unix:uid:7", 60),
        // Someone else's entry: left alone.
        have("d", "/billing", "/spire/server", "k8s:ns:billing", 60),
    ];
    let plan = spire::sync_changes(td, &desired, &actual);
    let created: Vec<&str> = plan.create.iter().map(|e| e.spiffe_id.as_str()).collect();
    assert_eq!(created.len(), 3, "{created:?}");
    assert!(created.contains(&"spiffe://quickstart.x0tta6bl4.mesh/workload/batch"));
    assert_eq!(plan.update.len(), 1);
    assert_eq!(plan.update[0].0, "b");
    assert_eq!(plan.update[0].1.x509_svid_ttl, 3600);
    assert_eq!(
        plan.delete,
        vec![("c".into(), format!("spiffe://{td}/workload/old"))]
    );
    assert_eq!(plan.unmanaged, 1);
    // Without SPIRE installed, `spire sync` says so and how to do without it.
    let out = env.x0t_env(&["spire", "sync"], &[("PATH", "/nonexistent")]);
    out.code(1);
    assert!(
        out.stderr.contains("`spire-server` is not on PATH"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("entry create -data"), "{}", out.stderr);
}

/// `fake-spire-server.py` with its state, control and log files in a temporary directory.
struct FakeSpire {
    dir: tempfile::TempDir,
}

impl FakeSpire {
    fn new() -> FakeSpire {
        FakeSpire {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn bin() -> String {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/spire/fake-spire-server.py")
            .display()
            .to_string()
    }

    fn path(&self, f: &str) -> String {
        self.dir.path().join(f).display().to_string()
    }

    /// How the server misbehaves from now on.
    fn control(&self, v: Value) {
        std::fs::write(self.path("control.json"), v.to_string()).unwrap();
    }

    /// The server's entries: SPIFFE ID to parent ID.
    fn entries(&self) -> Vec<(String, String)> {
        let text = std::fs::read_to_string(self.path("state.json")).unwrap_or("[]".into());
        let all: Vec<Value> = serde_json::from_str(&text).unwrap();
        let mut out: Vec<(String, String)> = all
            .iter()
            .map(|e| {
                (
                    e["spiffe_id"].as_str().unwrap().to_string(),
                    e["parent_id"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        out.sort();
        out
    }

    /// The commands it received, and forgets them.
    fn take_log(&self) -> Vec<String> {
        let text = std::fs::read_to_string(self.path("log")).unwrap_or_default();
        let _ = std::fs::remove_file(self.path("log"));
        text.lines().map(String::from).collect()
    }

    fn sync(&self, env: &Env, extra: &[&str]) -> crate::support::Out {
        let bin = FakeSpire::bin();
        let mut args = vec!["spire", "sync", "--server-bin", bin.as_str()];
        args.extend_from_slice(extra);
        let (state, control, log) = (
            self.path("state.json"),
            self.path("control.json"),
            self.path("log"),
        );
        env.x0t_env(
            &args,
            &[
                ("FAKE_SPIRE_STATE", &state),
                ("FAKE_SPIRE_CONTROL", &control),
                ("FAKE_SPIRE_LOG", &log),
            ],
        )
    }
}

const TD: &str = "spiffe://quickstart.x0tta6bl4.mesh";

/// What the manifest of `with_workloads` wants on the server: (SPIFFE ID, parent).
fn wanted() -> Vec<(String, String)> {
    let mut w: Vec<(String, String)> = ["n1", "n2", "n3"]
        .iter()
        .map(|n| (format!("{TD}/node/{n}"), format!("{TD}/spire/server")))
        .collect();
    w.push((format!("{TD}/workload/api"), format!("{TD}/node/n1")));
    w.push((format!("{TD}/workload/batch"), format!("{TD}/node/n2")));
    w.sort();
    w
}

#[test]
fn spire_sync_names_refused_entries_never_orphans_a_workload_and_converges() {
    let env = with_workloads();
    let fake = FakeSpire::new();

    // The server refuses node n1's alias: n1's workload is left out with it, the rest land.
    fake.control(serde_json::json!({ "fail": [format!("{TD}/node/n1")] }));
    let out = fake.sync(&env, &[]);
    out.code(1);
    assert!(
        out.stderr
            .contains(&format!("create {TD}/node/n1: code 13: datastore-sql")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "create {TD}/workload/api: left out, its node alias {TD}/node/n1 was not created"
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("run `x0t spire sync` again"),
        "{}",
        out.stderr
    );
    let have = fake.entries();
    assert!(
        have.iter()
            .all(|(_, parent)| parent.ends_with("/spire/server")
                || have.iter().any(|(id, _)| id == parent)),
        "no workload entry without its node alias: {have:?}"
    );
    assert_eq!(have.len(), 3, "{have:?}");

    // A workload the server refuses is named; everything else is applied.
    fake.control(serde_json::json!({ "fail": [format!("{TD}/workload/api")] }));
    let out = fake.sync(&env, &[]);
    out.code(1);
    assert!(
        out.stderr
            .contains(&format!("create {TD}/workload/api: code 13")),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("node/n1: code"), "{}", out.stderr);
    assert_eq!(fake.entries().len(), 4);

    // Once the server behaves, one more sync converges, and another changes nothing.
    fake.control(serde_json::json!({}));
    let out = fake.sync(&env, &["-o", "json"]);
    out.ok();
    assert_eq!(out.json()["plan"]["create"].as_array().unwrap().len(), 1);
    assert_eq!(fake.entries(), wanted());
    fake.take_log();
    let out = fake.sync(&env, &[]);
    out.ok();
    assert!(
        out.stderr.contains("0 created, 0 updated, 0 deleted"),
        "{}",
        out.stderr
    );
    assert!(
        fake.take_log().iter().all(|c| c.starts_with("entry show")),
        "a converged sync only reads"
    );

    // Deletes go workloads first; a node alias whose workload the server will not delete
    // stays, so the workload is not orphaned.
    let fewer = std::fs::read_to_string(env.root().join("x0t.yaml"))
        .unwrap()
        .lines()
        .filter(|l| !l.contains("name: api") && !l.contains("name: n1,"))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    std::fs::write(env.root().join("x0t.yaml"), &fewer).unwrap();
    fake.control(serde_json::json!({ "fail": [format!("{TD}/workload/api")] }));
    let out = fake.sync(&env, &[]);
    out.code(1);
    assert!(
        out.stderr
            .contains(&format!("delete {TD}/workload/api: code 13")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "delete {TD}/node/n1: left out, a workload entry under it could not be deleted"
        )),
        "{}",
        out.stderr
    );
    let have = fake.entries();
    assert!(
        have.iter().any(|(id, _)| id == &format!("{TD}/node/n1")),
        "{have:?}"
    );
    assert!(
        have.iter()
            .any(|(id, _)| id == &format!("{TD}/workload/api")),
        "{have:?}"
    );
    fake.control(serde_json::json!({}));
    fake.sync(&env, &[]).ok();
    let have = fake.entries();
    assert!(
        !have
            .iter()
            .any(|(id, _)| id.ends_with("/workload/api") || id.ends_with("/node/n1")),
        "{have:?}"
    );
}

#[test]
fn spire_sync_retries_a_bad_server_a_bounded_number_of_times_and_names_bad_data() {
    let env = with_workloads();
    let fake = FakeSpire::new();

    // Two refused connections, then the server answers: the sync goes through.
    fake.control(serde_json::json!({ "unreachable": 2 }));
    fake.sync(&env, &[]).ok();
    assert_eq!(fake.entries(), wanted());
    let log = fake.take_log();
    assert_eq!(
        log.iter()
            .filter(|c| c.starts_with("entry show -output"))
            .count(),
        3,
        "{log:?}"
    );

    // A server that never answers: 3 attempts, then a clear error.
    fake.control(serde_json::json!({ "down": true }));
    let out = fake.sync(&env, &[]);
    out.code(1);
    assert!(
        out.stderr
            .contains("could not reach the SPIRE server (3 attempts)"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("connection refused"), "{}", out.stderr);
    assert_eq!(fake.take_log().len(), 3);

    // A server too slow for --timeout: each attempt is cut off, 3 in all.
    fake.control(serde_json::json!({ "sleep": 30 }));
    let out = fake.sync(&env, &["--timeout", "1s"]);
    out.code(1);
    assert!(
        out.stderr.contains(
            "`spire-server entry show -output json` did not finish within 1s (3 attempts)"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(fake.take_log().len(), 3);

    // Malformed entries are named, and nothing is changed on their account.
    fake.control(serde_json::json!({ "malformed": true }));
    let out = fake.sync(&env, &[]);
    out.code(1);
    assert!(out.stderr.contains("entries[0] (entry "), "{}", out.stderr);
    assert!(
        out.stderr.contains("entry without `selectors`"),
        "{}",
        out.stderr
    );
    assert!(fake.take_log().iter().all(|c| c.starts_with("entry show")));

    // Output that is not JSON after a change: the error says the outcome is unknown, and
    // the next sync reads the server again and converges without duplicates.
    std::fs::remove_file(fake.path("state.json")).unwrap();
    fake.control(serde_json::json!({ "garbage": "create" }));
    let out = fake.sync(&env, &[]);
    out.code(1);
    assert!(
        out.stderr
            .contains("cannot read the output of `entry create`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("converges"), "{}", out.stderr);
    fake.control(serde_json::json!({}));
    fake.sync(&env, &[]).ok();
    assert_eq!(fake.entries(), wanted());
}
