//! SPIRE bootstrap: the server and agent configurations, registration entries and trust
//! bundle that let an operator run SPIRE beside the mesh with SPIRE's SVIDs chaining to the
//! mesh CA. The server uses the mesh CA as its upstream authority (`UpstreamAuthority
//! "disk"`) and attests agents with `x509pop` against the node certificates x0t issued.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::engine::identity::CertInfo;
use crate::engine::manifest::Manifest;
use crate::engine::state::{layout, Owner, StateDir};
use crate::engine::util::fsutil::FsError;

mod sync;

pub use sync::*;

/// Where the SPIRE files point: the mesh CA, each node's x0t SVID, and SPIRE's own data.
pub struct SpirePaths {
    /// The signing CA, SPIRE's upstream authority.
    pub ca_cert: PathBuf,
    /// Every CA certificate the mesh trusts (two during a CA rollover).
    pub trust_bundle: PathBuf,
    pub ca_key: PathBuf,
    /// Node name to (certificate, key) of its x0t SVID, used by `x509pop`.
    pub node_svid: BTreeMap<String, (PathBuf, PathBuf)>,
    /// SPIRE server and agent data directories live under it.
    pub data: PathBuf,
}

/// The generated files, by name: `server.conf`, `agent-<node>.conf`, `entries.json`,
/// `bundle.pem`, `bundle.spiffe.json`.
pub type SpireFiles = BTreeMap<String, Vec<u8>>;

/// A registration entry as `spire-server entry create -data` reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub spiffe_id: String,
    pub parent_id: String,
    pub selectors: Vec<Selector>,
    pub x509_svid_ttl: u32,
}

/// A selector in SPIRE's JSON: `unix:uid:1000` is `{type: unix, value: uid:1000}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Selector {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

impl Selector {
    /// Splits `type:value` at the first colon, as SPIRE's CLI does.
    pub fn parse(s: &str) -> Selector {
        let (kind, value) = s.split_once(':').unwrap_or((s, ""));
        Selector {
            kind: kind.into(),
            value: value.into(),
        }
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind, self.value)
    }
}

/// The file `entry create -data` reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entries {
    pub entries: Vec<Entry>,
}

/// SPIRE's server ID in a trust domain: the parent of node alias entries.
pub fn server_id(trust_domain: &str) -> String {
    format!("spiffe://{trust_domain}/spire/server")
}

/// Registration entries: one node alias per node (agents attested by `x509pop` with that
/// node's certificate, recognised by its subject CN), and one entry per workload, parented
/// by its node's alias, with the manifest's selectors and TTL.
pub fn entries(m: &Manifest) -> Entries {
    let td = &m.spec.trust_domain;
    let mut entries = Vec::new();
    for n in &m.spec.nodes {
        entries.push(Entry {
            spiffe_id: m.node_spiffe_id(&n.name),
            parent_id: server_id(td),
            selectors: vec![Selector {
                kind: "x509pop".into(),
                value: format!("subject:cn:{}", n.name),
            }],
            x509_svid_ttl: m.spec.identity.svid_ttl.0.as_secs().min(u32::MAX as u64) as u32,
        });
    }
    for w in &m.spec.workloads {
        let mut selectors: Vec<Selector> = w.selectors.iter().map(|s| Selector::parse(s)).collect();
        selectors.sort();
        entries.push(Entry {
            spiffe_id: m.workload_spiffe_id(&w.name),
            parent_id: m.node_spiffe_id(&w.node),
            selectors,
            x509_svid_ttl: w.ttl.0.as_secs().min(u32::MAX as u64) as u32,
        });
    }
    Entries { entries }
}

/// Renders every SPIRE file for `m`, with the mesh CA certificate(s) `ca_pem`.
pub fn render(m: &Manifest, paths: &SpirePaths, ca_pem: &str) -> Result<SpireFiles, String> {
    let mut files = render_without_bundle(m, paths)?;
    files.insert("bundle.pem".into(), ca_pem.as_bytes().to_vec());
    let mut jwks = serde_json::to_vec_pretty(&spiffe_bundle(ca_pem)?).expect("bundle serialises");
    jwks.push(b'\n');
    files.insert("bundle.spiffe.json".into(), jwks);
    Ok(files)
}

/// [`render`] for a state directory's files, with the CA read from `dir`'s `ca_pem`; a
/// CA that cannot be published is an error naming its file.
pub fn render_state(
    m: &Manifest,
    dir: &StateDir,
    paths: &SpirePaths,
    ca_pem: &str,
) -> Result<SpireFiles, SpireError> {
    render(m, paths, ca_pem).map_err(|e| SpireError::Ca {
        path: dir.path(layout::CA_CERT),
        message: e.to_string(),
    })
}

/// Why the SPIRE files could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum SpireError {
    /// The CA cannot be published as SPIRE's upstream authority.
    #[error("{}: {message}", path.display())]
    Ca { path: PathBuf, message: String },
    #[error(transparent)]
    Fs(#[from] FsError),
}

/// An HCL string literal.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn p(path: &Path) -> String {
    q(&path.display().to_string())
}

fn server_conf(m: &Manifest, paths: &SpirePaths) -> String {
    let data = paths.data.join("server");
    let (_, port) = split_addr(&m.spec.spire.server_address);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# SPIRE server for mesh {} (written by x0t; `x0t plan` shows edits as drift).",
        m.metadata.name
    );
    let _ = writeln!(
        s,
        "# SVIDs chain to the mesh CA, which is SPIRE's upstream authority.\n"
    );
    s.push_str("server {\n");
    let _ = writeln!(s, "    bind_address = {}", q("0.0.0.0"));
    let _ = writeln!(s, "    bind_port = {port}");
    let _ = writeln!(s, "    trust_domain = {}", q(&m.spec.trust_domain));
    let _ = writeln!(s, "    data_dir = {}", p(&data));
    let _ = writeln!(s, "    socket_path = {}", p(&data.join("api.sock")));
    let _ = writeln!(s, "    log_level = {}", q("INFO"));
    let _ = writeln!(s, "    ca_key_type = {}", q("ec-p256"));
    let _ = writeln!(s, "    ca_ttl = {}", q("24h"));
    let _ = writeln!(s, "    default_x509_svid_ttl = {}", q("1h"));
    s.push_str("}\n\nplugins {\n");
    let _ = writeln!(s, "    DataStore \"sql\" {{\n        plugin_data {{");
    let _ = writeln!(s, "            database_type = {}", q("sqlite3"));
    let _ = writeln!(
        s,
        "            connection_string = {}",
        p(&data.join("datastore.sqlite3"))
    );
    s.push_str("        }\n    }\n\n");
    let _ = writeln!(s, "    KeyManager \"disk\" {{\n        plugin_data {{");
    let _ = writeln!(s, "            keys_path = {}", p(&data.join("keys.json")));
    s.push_str("        }\n    }\n\n");
    let _ = writeln!(s, "    NodeAttestor \"x509pop\" {{\n        plugin_data {{");
    let _ = writeln!(s, "            ca_bundle_path = {}", p(&paths.trust_bundle));
    // Agents are named by their node, so an agent keeps its ID when its SVID is renewed.
    let _ = writeln!(
        s,
        "            agent_path_template = {}",
        q("/x509pop/cn/{{ .Subject.CommonName }}")
    );
    s.push_str("        }\n    }\n\n");
    let _ = writeln!(
        s,
        "    UpstreamAuthority \"disk\" {{\n        plugin_data {{"
    );
    let _ = writeln!(s, "            cert_file_path = {}", p(&paths.ca_cert));
    let _ = writeln!(s, "            key_file_path = {}", p(&paths.ca_key));
    s.push_str("        }\n    }\n}\n");
    s
}

fn agent_conf(m: &Manifest, paths: &SpirePaths, node: &str) -> Result<String, String> {
    let (cert, key) = paths
        .node_svid
        .get(node)
        .ok_or_else(|| format!("no SVID path for node {node}"))?;
    let data = paths.data.join(format!("agent-{node}"));
    let (host, port) = split_addr(&m.spec.spire.server_address);
    let path_selectors = m
        .spec
        .workloads
        .iter()
        .any(|w| w.node == node && w.selectors.iter().any(|s| s.starts_with("unix:path:")));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# SPIRE agent beside node {node} of mesh {}, attested with the node's x0t SVID (x509pop).\n",
        m.metadata.name
    );
    s.push_str("agent {\n");
    let _ = writeln!(s, "    data_dir = {}", p(&data));
    let _ = writeln!(s, "    log_level = {}", q("INFO"));
    let _ = writeln!(s, "    server_address = {}", q(host));
    let _ = writeln!(s, "    server_port = {port}");
    let _ = writeln!(s, "    socket_path = {}", p(&data.join("api.sock")));
    let _ = writeln!(s, "    trust_bundle_path = {}", p(&paths.trust_bundle));
    let _ = writeln!(s, "    trust_domain = {}", q(&m.spec.trust_domain));
    s.push_str("}\n\nplugins {\n");
    let _ = writeln!(s, "    NodeAttestor \"x509pop\" {{\n        plugin_data {{");
    let _ = writeln!(s, "            private_key_path = {}", p(key));
    let _ = writeln!(s, "            certificate_path = {}", p(cert));
    s.push_str("        }\n    }\n\n");
    let _ = writeln!(s, "    KeyManager \"disk\" {{\n        plugin_data {{");
    let _ = writeln!(s, "            directory = {}", p(&data));
    s.push_str("        }\n    }\n\n");
    let _ = writeln!(
        s,
        "    WorkloadAttestor \"unix\" {{\n        plugin_data {{"
    );
    // unix:path selectors need the agent to look up the workload's executable.
    let _ = writeln!(s, "            discover_workload_path = {path_selectors}");
    s.push_str("        }\n    }\n}\n");
    Ok(s)
}

fn split_addr(addr: &str) -> (&str, u16) {
    match addr.rsplit_once(':') {
        Some((h, p)) => (
            h.trim_start_matches('[').trim_end_matches(']'),
            p.parse().unwrap_or(8081),
        ),
        None => (addr, 8081),
    }
}

/// The SPIFFE bundle (a JWK set) of the CA certificates in `ca_pem`: one `x509-svid` key
/// per CA, with its certificate in `x5c`; the sequence is the newest CA's `notBefore`, so
/// it grows whenever the bundle changes.
pub fn spiffe_bundle(ca_pem: &str) -> Result<serde_json::Value, String> {
    let mut keys = Vec::new();
    let mut sequence = 0i64;
    for item in x509_parser::pem::Pem::iter_from_buffer(ca_pem.as_bytes()) {
        let item = item.map_err(|e| format!("bad PEM: {e}"))?;
        if item.label != "CERTIFICATE" {
            continue;
        }
        let info = CertInfo::from_der(item.contents.clone()).map_err(|e| e.to_string())?;
        sequence = sequence.max(info.not_before.unix_timestamp());
        let (x, y) = ec_point(&item.contents)?;
        let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        keys.push(serde_json::json!({
            "use": "x509-svid",
            "kty": "EC",
            "crv": "P-256",
            "x": b64url.encode(x),
            "y": b64url.encode(y),
            "x5c": [base64::engine::general_purpose::STANDARD.encode(&item.contents)],
        }));
    }
    if keys.is_empty() {
        return Err("no CA certificate in the bundle".into());
    }
    Ok(serde_json::json!({
        "keys": keys,
        "spiffe_sequence": sequence,
        "spiffe_refresh_hint": 300,
    }))
}

/// The affine coordinates of a P-256 certificate's public key.
fn ec_point(der: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    use x509_parser::prelude::{FromDer, X509Certificate};
    let (_, cert) = X509Certificate::from_der(der).map_err(|e| e.to_string())?;
    let point = cert.public_key().subject_public_key.data.as_ref();
    match point {
        [0x04, rest @ ..] if rest.len() == 64 => Ok((rest[..32].to_vec(), rest[32..].to_vec())),
        _ => Err("the CA key is not an uncompressed P-256 point".into()),
    }
}

/// How the registration entries in `old` differ from `new`, one line per entry.
pub fn entry_changes(old: &Entries, new: &Entries) -> Vec<String> {
    let by_id = |e: &Entries| -> BTreeMap<String, Entry> {
        e.entries
            .iter()
            .map(|e| (e.spiffe_id.clone(), e.clone()))
            .collect()
    };
    let (old, new) = (by_id(old), by_id(new));
    let mut out = Vec::new();
    for (id, e) in &new {
        match old.get(id) {
            None => out.push(format!("entry {id} is new")),
            Some(o) if o != e => {
                let mut what = Vec::new();
                if o.parent_id != e.parent_id {
                    what.push(format!("parent {} -> {}", o.parent_id, e.parent_id));
                }
                if o.selectors != e.selectors {
                    let show = |s: &[Selector]| {
                        s.iter()
                            .map(|s| s.to_string())
                            .collect::<Vec<_>>()
                            .join(",")
                    };
                    what.push(format!(
                        "selectors {} -> {}",
                        show(&o.selectors),
                        show(&e.selectors)
                    ));
                }
                if o.x509_svid_ttl != e.x509_svid_ttl {
                    what.push(format!("ttl {}s -> {}s", o.x509_svid_ttl, e.x509_svid_ttl));
                }
                out.push(format!("entry {id}: {}", what.join(", ")));
            }
            Some(_) => {}
        }
    }
    for id in old.keys().filter(|id| !new.contains_key(*id)) {
        out.push(format!("entry {id} is removed"));
    }
    out
}

/// The paths SPIRE files use for a state directory (absolute, since SPIRE runs elsewhere).
pub fn state_paths(m: &Manifest, dir: &StateDir) -> Result<SpirePaths, FsError> {
    let root = std::path::absolute(&dir.root).map_err(|e| FsError::new("resolve", &dir.root, e))?;
    Ok(SpirePaths {
        ca_cert: root.join(layout::CA_CERT),
        trust_bundle: root.join(layout::TRUST_BUNDLE),
        ca_key: root.join(layout::CA_KEY),
        node_svid: m
            .spec
            .nodes
            .iter()
            .map(|n| {
                let o = Owner::Node(n.name.clone());
                (
                    n.name.clone(),
                    (
                        root.join(layout::svid_cert(&o)),
                        root.join(layout::svid_key(&o)),
                    ),
                )
            })
            .collect(),
        data: root.join(layout::SPIRE_DIR).join("data"),
    })
}

/// [`render`] without the two bundle files, for when the CA is not known yet.
pub fn render_without_bundle(m: &Manifest, paths: &SpirePaths) -> Result<SpireFiles, String> {
    let mut files = SpireFiles::new();
    files.insert("server.conf".into(), server_conf(m, paths).into_bytes());
    for n in &m.spec.nodes {
        files.insert(
            format!("agent-{}.conf", n.name),
            agent_conf(m, paths, &n.name)?.into_bytes(),
        );
    }
    let mut json = serde_json::to_vec_pretty(&entries(m)).expect("entries serialise");
    json.push(b'\n');
    files.insert("entries.json".into(), json);
    Ok(files)
}

/// Rendered files keyed by their path in the state directory.
pub fn state_files(files: SpireFiles) -> BTreeMap<String, Vec<u8>> {
    files
        .into_iter()
        .map(|(name, bytes)| {
            let rel = match name
                .strip_prefix("agent-")
                .and_then(|n| n.strip_suffix(".conf"))
            {
                Some(node) => layout::spire_agent(node),
                None => format!("{}/{name}", layout::SPIRE_DIR),
            };
            (rel, bytes)
        })
        .collect()
}
