//! Resource addresses (`ca`, `roster`, `node.n1.svid`, `operator.admin.dsa`): what a
//! resource is, which files it consists of, and which ones `--replace` may name.

use std::fmt;

use serde::Serialize;

use crate::engine::manifest::Manifest;
use crate::engine::state::{layout, Owner};

/// What kind of thing a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceType {
    Ca,
    #[serde(rename = "ca-next")]
    CaNext,
    Bundle,
    Svid,
    Intermediate,
    Kem,
    Dsa,
    Jwt,
    Config,
    Spire,
    Roster,
}

impl ResourceType {
    pub(super) fn name(self) -> &'static str {
        match self {
            ResourceType::Ca => "ca",
            ResourceType::CaNext => "ca-next",
            ResourceType::Bundle => "bundle",
            ResourceType::Svid => "svid",
            ResourceType::Intermediate => "intermediate",
            ResourceType::Kem => "kem",
            ResourceType::Dsa => "dsa",
            ResourceType::Jwt => "jwt",
            ResourceType::Config => "config",
            ResourceType::Spire => "spire",
            ResourceType::Roster => "roster",
        }
    }
}

/// A resource's address: `ca`, `roster`, `node.n1.svid`, `operator.admin.dsa`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Address {
    pub owner: Option<Owner>,
    pub kind: ResourceType,
}

impl Address {
    pub fn mesh(kind: ResourceType) -> Address {
        Address { owner: None, kind }
    }

    pub fn of(owner: &Owner, kind: ResourceType) -> Address {
        Address {
            owner: Some(owner.clone()),
            kind,
        }
    }

    /// Parses an address as written in `state.json`.
    pub fn parse(s: &str) -> Option<Address> {
        let kind = |k: &str| {
            Some(match k {
                "ca" => ResourceType::Ca,
                "ca-next" => ResourceType::CaNext,
                "bundle" => ResourceType::Bundle,
                "svid" => ResourceType::Svid,
                "intermediate" => ResourceType::Intermediate,
                "kem" => ResourceType::Kem,
                "dsa" => ResourceType::Dsa,
                "jwt" => ResourceType::Jwt,
                "config" => ResourceType::Config,
                "spire" => ResourceType::Spire,
                "roster" => ResourceType::Roster,
                _ => return None,
            })
        };
        let parts: Vec<&str> = s.split('.').collect();
        match parts.as_slice() {
            [k] => Some(Address::mesh(kind(k)?)),
            ["node", n, k] => Some(Address::of(&Owner::Node(n.to_string()), kind(k)?)),
            ["operator", n, k] => Some(Address::of(&Owner::Operator(n.to_string()), kind(k)?)),
            _ => None,
        }
    }

    /// The files this resource consists of, relative to the state directory.
    pub fn files(&self) -> Vec<(String, u32)> {
        use crate::engine::util::fsutil::{PRIVATE_MODE as S, PUBLIC_MODE as P};
        match (&self.owner, self.kind) {
            (None, ResourceType::Ca) => {
                vec![(layout::CA_CERT.into(), P), (layout::CA_KEY.into(), S)]
            }
            (None, ResourceType::CaNext) => vec![
                (layout::CA_NEXT_CERT.into(), P),
                (layout::CA_NEXT_KEY.into(), S),
            ],
            (None, ResourceType::Bundle) => vec![(layout::TRUST_BUNDLE.into(), P)],
            (None, ResourceType::Roster) => vec![(layout::ROSTER.into(), P)],
            (Some(o), ResourceType::Svid) => {
                vec![(layout::svid_cert(o), P), (layout::svid_key(o), S)]
            }
            (Some(Owner::Node(n)), ResourceType::Intermediate) => vec![
                (layout::intermediate_cert(n), P),
                (layout::intermediate_key(n), S),
            ],
            (Some(o), ResourceType::Kem) => vec![(layout::kem_key(o), S), (layout::kem_pub(o), P)],
            (Some(o), ResourceType::Dsa) => vec![(layout::dsa_key(o), S), (layout::dsa_pub(o), P)],
            (Some(Owner::Node(n)), ResourceType::Jwt) => {
                vec![(layout::jwt_key(n), S), (layout::jwt_pub(n), P)]
            }
            (Some(Owner::Node(n)), ResourceType::Config) => vec![(layout::node_config(n), P)],
            (None, ResourceType::Spire) => layout::SPIRE_MESH
                .iter()
                .map(|f| (format!("{}/{f}", layout::SPIRE_DIR), P))
                .collect(),
            (Some(Owner::Node(n)), ResourceType::Spire) => vec![(layout::spire_agent(n), P)],
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.owner {
            None => f.write_str(self.kind.name()),
            Some(o) => write!(f, "{}.{}.{}", o.kind(), o.name(), self.kind.name()),
        }
    }
}

/// Parses a `--replace` address and checks the manifest has that resource.
pub fn replaceable(m: &Manifest, addr: &str) -> Result<Address, String> {
    let a = Address::parse(addr).ok_or_else(|| {
        format!("`{addr}` is not a resource address (e.g. node.n1.svid, operator.admin.kem, ca)")
    })?;
    let ok = match (&a.owner, a.kind) {
        (None, ResourceType::Ca) => true,
        (None, _) | (_, ResourceType::Config | ResourceType::Spire | ResourceType::Roster) => {
            return Err(format!(
                "`{addr}` is derived from the manifest; only the CA (a staged rollover), SVIDs, workload CAs, PQC keys and JWT keys can be replaced"
            ))
        }
        (Some(Owner::Node(n)), _) => m.node(n).is_some(),
        (Some(Owner::Operator(n)), ResourceType::Svid | ResourceType::Kem | ResourceType::Dsa) => {
            m.operator(n).is_some()
        }
        _ => false,
    };
    if ok {
        Ok(a)
    } else {
        Err(format!("the manifest has no resource `{addr}`"))
    }
}
