//! What a running node (or the CLI acting as an operator) loads: its SVID and keys, the
//! trust bundle, its config and the roster — from a state directory or from a bundle
//! directory copied to another host. Both give the same [`NodeBundle`].

pub mod config;
pub mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::engine::bundle::config::NodeConfig;
use crate::engine::bundle::write::OperatorContext;
use crate::engine::identity::jwt::JwtSigner;
use crate::engine::identity::roster::Roster;
use crate::engine::identity::{self, CertInfo};
use crate::engine::pqc::{self, Algorithm, DsaAlgorithm, KeyKind};
use crate::engine::state::{layout, Owner, StateDir};
use crate::engine::util::fsutil::{self, FsError};

/// Why a bundle could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error(transparent)]
    Fs(#[from] FsError),
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("private key {} has mode {mode:04o}: group or others may read it", path.display())]
    LooseKey { path: PathBuf, mode: u32 },
}

impl BundleError {
    pub fn hints(&self) -> Vec<String> {
        match self {
            BundleError::Fs(e) if e.source.kind() == std::io::ErrorKind::NotFound => {
                vec![
                    "run `x0t apply` first, or pass the bundle directory written by `x0t bundle`"
                        .into(),
                ]
            }
            BundleError::Fs(e) => e.hint().into_iter().collect(),
            BundleError::Invalid { .. } => {
                vec!["re-create the bundle with `x0t apply` and `x0t bundle`".into()]
            }
            BundleError::LooseKey { path, .. } => vec![format!(
                "`chmod 600 {}`, and find out who changed it: the key may have been read",
                path.display()
            )],
        }
    }
}

/// An identity's credentials: X.509 SVID for TLS, ML-DSA key for the PQ binding.
pub struct Credentials {
    pub spiffe_id: String,
    pub cert_chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    pub svid: CertInfo,
    pub dsa: DsaAlgorithm,
    pub dsa_secret: crate::engine::util::Secret,
    /// `sha256:` fingerprint of the ML-DSA public key, as the roster names it.
    pub dsa_fingerprint: String,
    /// The key used before a rotation, still signing beside the new one for peers that
    /// have not learned the new key yet.
    pub dsa_previous: Option<(DsaAlgorithm, crate::engine::util::Secret)>,
    /// The trust bundle: every mesh CA certificate accepted as a trust anchor (one, or two
    /// during a CA rollover). Node and operator SVIDs must be signed directly by one of them.
    pub ca: Vec<CertificateDer<'static>>,
    pub roster: Roster,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("spiffe_id", &self.spiffe_id)
            .finish_non_exhaustive()
    }
}

/// Everything `node run` needs.
#[derive(Debug)]
pub struct NodeBundle {
    pub config: NodeConfig,
    pub creds: Credentials,
    /// Where the node keeps its Raft data.
    pub data_dir: PathBuf,
    /// The node's intermediate CA for its Workload API (absent in bundles made before
    /// x0t issued one).
    pub workload_ca: Option<WorkloadCa>,
    /// The Workload API socket: `workloadSocket` resolved by the caller, else
    /// `agent.sock` in the node's directory.
    pub workload_socket: PathBuf,
    /// Where the credentials were read from, so a running node can reload them.
    pub source: BundleSource,
    /// The node's ML-KEM key: data-plane sessions to it are encapsulated to its public half.
    pub kem: KemSecret,
    /// The node's JWT-SVID signing key (absent in bundles made before x0t issued one).
    pub jwt: Option<Arc<JwtSigner>>,
}

/// An ML-KEM secret key.
#[derive(Clone)]
pub struct KemSecret {
    pub algorithm: pqc::KemAlgorithm,
    /// SHA-256 (hex) of the public half, as the roster names it.
    pub public_sha256: String,
    pub secret: crate::engine::util::Secret,
}

impl std::fmt::Debug for KemSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KemSecret")
            .field("algorithm", &self.algorithm.name())
            .finish_non_exhaustive()
    }
}

/// Where a node's bundle lives.
#[derive(Debug, Clone)]
pub enum BundleSource {
    State(StateDir, String),
    Dir(PathBuf),
}

impl BundleSource {
    /// The files whose change means new credentials: SVID, keys, trust bundle, workload CA.
    pub fn watched(&self) -> Vec<PathBuf> {
        let p = match self {
            BundleSource::State(dir, name) => Paths::in_state(dir, &Owner::Node(name.clone())),
            BundleSource::Dir(dir) => Paths::in_bundle(dir, true),
        };
        let mut files = vec![p.svid_cert, p.svid_key, p.dsa_key, p.ca];
        if let Some((c, k)) = p.intermediate {
            files.push(c);
            files.push(k);
        }
        files.extend(p.jwt_key);
        files
    }

    /// Reads the bundle again.
    pub fn load(&self) -> Result<NodeBundle, BundleError> {
        match self {
            BundleSource::State(dir, name) => NodeBundle::from_state(dir, name),
            BundleSource::Dir(dir) => NodeBundle::from_dir(dir),
        }
    }
}

/// Where each file of a bundle lives.
struct Paths {
    svid_cert: PathBuf,
    svid_key: PathBuf,
    dsa_key: PathBuf,
    kem_key: PathBuf,
    ca: PathBuf,
    roster: PathBuf,
    config: Option<PathBuf>,
    context: Option<PathBuf>,
    intermediate: Option<(PathBuf, PathBuf)>,
    jwt_key: Option<PathBuf>,
}

impl Paths {
    fn in_state(dir: &StateDir, who: &Owner) -> Paths {
        Paths {
            svid_cert: dir.path(&layout::svid_cert(who)),
            svid_key: dir.path(&layout::svid_key(who)),
            dsa_key: dir.path(&layout::dsa_key(who)),
            kem_key: dir.path(&layout::kem_key(who)),
            ca: trust_bundle_path(dir),
            roster: dir.path(layout::ROSTER),
            config: matches!(who, Owner::Node(_))
                .then(|| dir.path(&layout::node_config(who.name()))),
            context: None,
            intermediate: matches!(who, Owner::Node(_)).then(|| {
                (
                    dir.path(&layout::intermediate_cert(who.name())),
                    dir.path(&layout::intermediate_key(who.name())),
                )
            }),
            jwt_key: matches!(who, Owner::Node(_)).then(|| dir.path(&layout::jwt_key(who.name()))),
        }
    }

    fn in_bundle(dir: &Path, node: bool) -> Paths {
        Paths {
            svid_cert: dir.join("svid.crt"),
            svid_key: dir.join("svid.key"),
            dsa_key: dir.join("dsa.key"),
            kem_key: dir.join("kem.key"),
            ca: dir.join("bundle.crt"),
            roster: dir.join("roster.json"),
            config: node.then(|| dir.join("node.json")),
            context: (!node).then(|| dir.join("context.json")),
            intermediate: node
                .then(|| (dir.join("intermediate.crt"), dir.join("intermediate.key"))),
            jwt_key: node.then(|| dir.join("jwt.key")),
        }
    }
}

/// The state directory's trust bundle; a state directory applied before trust bundles
/// existed has only the CA certificate.
pub fn trust_bundle_path(dir: &StateDir) -> PathBuf {
    let bundle = dir.path(layout::TRUST_BUNDLE);
    if bundle.exists() {
        bundle
    } else {
        dir.path(layout::CA_CERT)
    }
}

impl NodeBundle {
    /// Loads node `name` from a state directory; Raft data goes to `nodes/<name>/raft`.
    pub fn from_state(dir: &StateDir, name: &str) -> Result<NodeBundle, BundleError> {
        let who = Owner::Node(name.into());
        let paths = Paths::in_state(dir, &who);
        let home = dir.path(&who.dir());
        NodeBundle::load(
            &paths,
            &home,
            BundleSource::State(dir.clone(), name.to_string()),
        )
    }

    /// Loads a node bundle directory written by `x0t bundle`; Raft data goes to `raft/` in it.
    /// A refresh that stopped half way is completed first, so the node finds its data.
    pub fn from_dir(dir: &Path) -> Result<NodeBundle, BundleError> {
        write::finish_interrupted(dir)?;
        NodeBundle::load(
            &Paths::in_bundle(dir, true),
            dir,
            BundleSource::Dir(dir.to_path_buf()),
        )
    }

    /// `home` is the node's directory: its Raft data goes to `raft/` in it.
    fn load(paths: &Paths, home: &Path, source: BundleSource) -> Result<NodeBundle, BundleError> {
        let config_path = paths.config.clone().expect("node paths have a config");
        let config: NodeConfig = parse_json(&config_path)?;
        if config.schema_version > crate::engine::bundle::config::CONFIG_VERSION {
            return Err(BundleError::Invalid {
                path: config_path,
                message: format!(
                    "schemaVersion {} is newer than this x0t understands ({}); upgrade x0t",
                    config.schema_version,
                    crate::engine::bundle::config::CONFIG_VERSION
                ),
            });
        }
        let creds = Credentials::load(paths)?;
        if creds.spiffe_id != config.spiffe_id {
            return Err(BundleError::Invalid {
                path: paths.svid_cert.clone(),
                message: format!(
                    "SVID is for {}, but node.json is for {}",
                    creds.spiffe_id, config.spiffe_id
                ),
            });
        }
        let workload_ca = match &paths.intermediate {
            Some((cert, key)) if cert.exists() => Some(WorkloadCa {
                cert_pem: fsutil::read_to_string(cert)?,
                key_pem: read_secret(key)?,
            }),
            _ => None,
        };
        let kem_file =
            pqc::decode(&read_secret(&paths.kem_key)?, KeyKind::Secret).map_err(|e| {
                BundleError::Invalid {
                    path: paths.kem_key.clone(),
                    message: e.to_string(),
                }
            })?;
        let Algorithm::Kem(algorithm) = kem_file.algorithm else {
            return Err(BundleError::Invalid {
                path: paths.kem_key.clone(),
                message: format!("holds a {} key, not ML-KEM", kem_file.algorithm),
            });
        };
        let jwt = match &paths.jwt_key {
            Some(path) if path.exists() => Some(Arc::new(
                JwtSigner::from_pem(&read_secret(path)?).map_err(|e| BundleError::Invalid {
                    path: path.clone(),
                    message: e.to_string(),
                })?,
            )),
            _ => None,
        };
        Ok(NodeBundle {
            config,
            creds,
            jwt,
            kem: KemSecret {
                algorithm,
                public_sha256: (kem_file.public_fingerprint)
                    .trim_start_matches("sha256:")
                    .to_string(),
                secret: kem_file.bytes,
            },
            data_dir: home.join("raft"),
            workload_ca,
            workload_socket: home.join("agent.sock"),
            source,
        })
    }
}

/// An operator's credentials and where the nodes are.
#[derive(Debug)]
pub struct OperatorBundle {
    pub name: String,
    pub creds: Credentials,
    /// Voters and learners: name to address.
    pub endpoints: Vec<(String, String)>,
    /// Relays: name to address.
    pub relays: Vec<(String, String)>,
}

impl OperatorBundle {
    /// An identity that reaches the nodes at the addresses its roster names.
    pub fn with_roster_endpoints(name: &str, creds: Credentials) -> OperatorBundle {
        let nodes = |raft: bool| {
            (creds.roster.nodes.iter())
                .filter(|n| n.role.holds_raft() == raft)
                .map(|n| (n.name.clone(), n.address.clone()))
                .collect()
        };
        let (endpoints, relays) = (nodes(true), nodes(false));
        OperatorBundle {
            name: name.into(),
            creds,
            endpoints,
            relays,
        }
    }

    /// The same mesh (roster, trust bundle, addresses) reached as a workload: `chain` (the
    /// SVID, then its node's workload CA) and the PKCS#8 `key` as a Workload API hands them
    /// out. Returns the bundle and the node that hosts the workload.
    pub fn as_workload(
        mut self,
        chain: &[Vec<u8>],
        key: &[u8],
    ) -> Result<(OperatorBundle, String), BundleError> {
        let invalid = |message: String| BundleError::Invalid {
            path: PathBuf::from("Workload API"),
            message,
        };
        let leaf = chain.first().ok_or_else(|| invalid("no SVID".into()))?;
        let svid = CertInfo::from_der(leaf.clone()).map_err(|e| invalid(e.to_string()))?;
        let id = svid.uris.first().cloned().unwrap_or_default();
        let name = crate::engine::identity::workload_name(&id)
            .ok_or_else(|| invalid(format!("{id} is not a workload's SPIFFE ID")))?;
        let node = (self.creds.roster.workloads.get(name))
            .cloned()
            .ok_or_else(|| invalid(format!("workload {name} is not in the roster")))?;
        self.creds.spiffe_id = id;
        self.creds.cert_chain = chain
            .iter()
            .map(|c| CertificateDer::from(c.clone()))
            .collect();
        self.creds.key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.to_vec()));
        self.creds.svid = svid;
        Ok((self, node))
    }

    pub fn from_state(dir: &StateDir, name: &str) -> Result<OperatorBundle, BundleError> {
        let who = Owner::Operator(name.into());
        let creds = Credentials::load(&Paths::in_state(dir, &who))?;
        Ok(OperatorBundle::with_roster_endpoints(name, creds))
    }

    /// Loads an operator bundle directory written by `x0t bundle --operator`.
    pub fn from_dir(dir: &Path) -> Result<OperatorBundle, BundleError> {
        let paths = Paths::in_bundle(dir, false);
        let creds = Credentials::load(&paths)?;
        let ctx: OperatorContext = parse_json(paths.context.as_ref().expect("operator paths"))?;
        Ok(OperatorBundle {
            name: ctx.operator,
            creds,
            endpoints: ctx
                .endpoints
                .into_iter()
                .map(|e| (e.node, e.address))
                .collect(),
            relays: ctx
                .relays
                .into_iter()
                .map(|e| (e.node, e.address))
                .collect(),
        })
    }
}

impl Clone for Credentials {
    fn clone(&self) -> Credentials {
        Credentials {
            spiffe_id: self.spiffe_id.clone(),
            cert_chain: self.cert_chain.clone(),
            key: self.key.clone_key(),
            svid: self.svid.clone(),
            dsa: self.dsa,
            dsa_secret: self.dsa_secret.clone(),
            dsa_fingerprint: self.dsa_fingerprint.clone(),
            dsa_previous: self.dsa_previous.clone(),
            ca: self.ca.clone(),
            roster: self.roster.clone(),
        }
    }
}

impl Credentials {
    fn load(paths: &Paths) -> Result<Credentials, BundleError> {
        let invalid = |path: &Path, message: String| BundleError::Invalid {
            path: path.into(),
            message,
        };
        let cert_pem = fsutil::read_to_string(&paths.svid_cert)?;
        let key_pem = read_secret(&paths.svid_key)?;
        let ca_pem = fsutil::read_to_string(&paths.ca)?;
        let svid =
            CertInfo::from_pem(&cert_pem).map_err(|e| invalid(&paths.svid_cert, e.to_string()))?;
        let spiffe_id = svid
            .uris
            .first()
            .cloned()
            .ok_or_else(|| invalid(&paths.svid_cert, "SVID has no SPIFFE ID".into()))?;
        let key_der = identity::private_key_der(&key_pem)
            .map_err(|e| invalid(&paths.svid_key, e.to_string()))?;
        let ca = identity::all_pem_der(&ca_pem, "CERTIFICATE")
            .map_err(|e| invalid(&paths.ca, e.to_string()))?
            .into_iter()
            .map(CertificateDer::from)
            .collect();
        let dsa_file = pqc::decode(&read_secret(&paths.dsa_key)?, KeyKind::Secret)
            .map_err(|e| invalid(&paths.dsa_key, e.to_string()))?;
        let Algorithm::Dsa(dsa) = dsa_file.algorithm else {
            return Err(invalid(
                &paths.dsa_key,
                format!("holds a {} key, not ML-DSA", dsa_file.algorithm),
            ));
        };
        let roster: Roster = parse_json(&paths.roster)?;
        Ok(Credentials {
            spiffe_id,
            cert_chain: vec![CertificateDer::from(svid.der.clone())],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_der)),
            svid,
            dsa,
            dsa_secret: dsa_file.bytes,
            dsa_fingerprint: dsa_file.public_fingerprint,
            dsa_previous: None,
            ca,
            roster,
        })
    }
}

/// Reads a private key file, refusing one that group or others may read: a key left open
/// is treated as exposed rather than used quietly.
fn read_secret(path: &Path) -> Result<crate::engine::util::SecretText, BundleError> {
    let text = crate::engine::util::SecretText::new(fsutil::read_to_string(path)?);
    if let Some(mode) = fsutil::mode_of(path).filter(|m| m & 0o077 != 0) {
        return Err(BundleError::LooseKey {
            path: path.into(),
            mode,
        });
    }
    Ok(text)
}

fn parse_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, BundleError> {
    let bytes = fsutil::read(path)?;
    serde_json::from_slice(&bytes).map_err(|e| BundleError::Invalid {
        path: path.into(),
        message: format!("not valid: {e}"),
    })
}

/// The node's intermediate CA, as PEM.
#[derive(Clone)]
pub struct WorkloadCa {
    pub cert_pem: String,
    pub key_pem: crate::engine::util::SecretText,
}

impl std::fmt::Debug for WorkloadCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkloadCa").finish_non_exhaustive()
    }
}
