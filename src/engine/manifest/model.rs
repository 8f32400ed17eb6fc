//! The manifest's types: what an operator writes, with the defaults DESIGN.md gives.
//! Unknown fields are rejected everywhere (`deny_unknown_fields`).

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use super::size::ByteSize;

/// The only `apiVersion` this x0t reads.
pub const API_VERSION: &str = "x0tta6bl4.io/v1alpha1";
/// The only `kind` this x0t reads.
pub const KIND: &str = "Mesh";

/// A mesh manifest.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "x0t mesh manifest")]
pub struct Manifest {
    /// Always `x0tta6bl4.io/v1alpha1`.
    pub api_version: String,
    /// Always `Mesh`.
    pub kind: String,
    pub metadata: Metadata,
    pub spec: Spec,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metadata {
    /// The mesh name (a DNS label).
    pub name: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Spec {
    /// The SPIFFE trust domain, e.g. `prod.example.mesh`.
    pub trust_domain: String,
    #[serde(default)]
    pub identity: IdentitySpec,
    #[serde(default)]
    pub pqc: PqcSpec,
    #[serde(default)]
    pub transport: TransportSpec,
    #[serde(default)]
    pub raft: RaftSpec,
    #[serde(default)]
    pub healing: HealingSpec,
    #[serde(default)]
    pub telemetry: TelemetrySpec,
    #[serde(default)]
    pub rag: RagSpec,
    /// What `x0t spire bootstrap` writes for operators who run SPIRE beside the mesh.
    #[serde(default)]
    pub spire: SpireSpec,
    /// CLI identities; default: one operator `admin` with role `admin`.
    #[serde(default = "default_operators")]
    pub operators: Vec<OperatorSpec>,
    pub nodes: Vec<NodeSpec>,
    #[serde(default)]
    pub workloads: Vec<WorkloadSpec>,
    /// Mesh links; empty means a full mesh.
    #[serde(default)]
    pub links: Vec<LinkSpec>,
    /// Who may send data-plane messages to whom.
    #[serde(default, skip_serializing_if = "MessagingSpec::is_default")]
    pub messaging: MessagingSpec,
    /// Fault injection for tests and experiments; off unless enabled here.
    #[serde(default, skip_serializing_if = "ChaosSpec::is_off")]
    pub chaos: ChaosSpec,
    /// What one node accepts from its peers and clients before it refuses.
    #[serde(default, skip_serializing_if = "LimitsSpec::is_default")]
    pub limits: LimitsSpec,
}

/// Per-node resource limits. Each bounds what a peer or client, authenticated or not, can
/// make a node hold; the defaults suit a node with a few GiB of memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LimitsSpec {
    /// Inbound mesh connections a node holds at once, handshaking or open; one more is
    /// closed at once and counted as refused (`connection_limit`).
    #[serde(default = "default_max_connections")]
    pub max_connections: u32,
    /// Concurrent RPC streams on one connection.
    #[serde(default = "default_max_streams")]
    pub max_streams: u32,
    /// The largest RPC message a node decodes or sends (entry batches, snapshot chunks,
    /// values); 4MiB to 256MiB.
    #[serde(default = "default_max_message_size")]
    pub max_message_size: ByteSize,
    /// How long a node works on one request before it answers DEADLINE_EXCEEDED; a long
    /// poll (`x0t recv --wait`) returns early, with what it has, before this.
    #[serde(default = "d_30s")]
    pub request_timeout: HumanDuration,
    /// TCP, TLS and the post-quantum binding must finish within this, or the connection is
    /// dropped.
    #[serde(default = "d_5s")]
    pub handshake_timeout: HumanDuration,
    /// The store's quota: keys plus values plus 64 bytes per key. A write that would pass
    /// it is refused (RESOURCE_EXHAUSTED) and `x0t_store_quota_alarm` is raised until
    /// deletes bring the store back under 95 % of it. Deletes, revocations and roster
    /// updates are always accepted.
    #[serde(default = "default_max_store_bytes")]
    pub max_store_bytes: ByteSize,
}

impl Default for LimitsSpec {
    fn default() -> Self {
        LimitsSpec {
            max_connections: default_max_connections(),
            max_streams: default_max_streams(),
            max_message_size: default_max_message_size(),
            request_timeout: d_30s(),
            handshake_timeout: d_5s(),
            max_store_bytes: default_max_store_bytes(),
        }
    }
}

impl LimitsSpec {
    pub fn is_default(&self) -> bool {
        *self == LimitsSpec::default()
    }
}

fn default_max_connections() -> u32 {
    1024
}
fn default_max_streams() -> u32 {
    256
}
fn default_max_message_size() -> ByteSize {
    ByteSize(16 << 20)
}
fn default_max_store_bytes() -> ByteSize {
    ByteSize(2 << 30)
}
fn d_30s() -> HumanDuration {
    HumanDuration::from_secs(30)
}
fn d_5s() -> HumanDuration {
    HumanDuration::from_secs(5)
}

/// The message policy, enforced by the destination node: a message is accepted when one
/// rule matches both its sender and its target. Without this stanza nodes, admin operators
/// and workloads may send anywhere in the mesh, and viewer operators nowhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MessagingSpec {
    /// Allow rules; an empty list refuses every message.
    #[serde(default = "default_allow")]
    pub allow: Vec<AllowRule>,
}

impl Default for MessagingSpec {
    fn default() -> Self {
        MessagingSpec {
            allow: default_allow(),
        }
    }
}

impl MessagingSpec {
    pub fn is_default(&self) -> bool {
        self.allow == default_allow()
    }
}

/// One allow rule. Selectors: `*` (anyone), `nodes`, `node:NAME`, `workloads`,
/// `workload:NAME`, `label:KEY=VALUE` (nodes with that label and the workloads they host),
/// and for senders only `admins`, `viewers`, `operator:NAME`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AllowRule {
    /// Who sends.
    pub from: String,
    /// Which node or workload receives.
    pub to: String,
}

fn default_allow() -> Vec<AllowRule> {
    ["nodes", "admins", "workloads"]
        .into_iter()
        .map(|from| AllowRule {
            from: from.into(),
            to: "*".into(),
        })
        .collect()
}

/// The chaos switch: with `enabled: true` an admin operator may inject link faults (cut,
/// loss, delay) into the mesh's nodes (`x0t chaos link`); without it every node refuses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ChaosSpec {
    #[serde(default)]
    pub enabled: bool,
}

impl ChaosSpec {
    pub fn is_off(&self) -> bool {
        !self.enabled
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IdentitySpec {
    /// Lifetime of the mesh CA.
    #[serde(default = "d_8760h", rename = "caTTL")]
    pub ca_ttl: HumanDuration,
    /// Lifetime of node and operator SVIDs.
    #[serde(default = "d_24h", rename = "svidTTL")]
    pub svid_ttl: HumanDuration,
    /// Renew an SVID when less than this much lifetime is left.
    #[serde(default = "d_8h")]
    pub renew_before: HumanDuration,
}

impl Default for IdentitySpec {
    fn default() -> Self {
        IdentitySpec {
            ca_ttl: d_8760h(),
            svid_ttl: d_24h(),
            renew_before: d_8h(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PqcSpec {
    /// Key-encapsulation algorithm (liboqs name).
    #[serde(default = "default_kem")]
    pub kem: String,
    /// Signature algorithm (liboqs name).
    #[serde(default = "default_dsa")]
    pub dsa: String,
    /// Rotate PQC keys, and nodes' JWT-SVID signing keys, older than this.
    #[serde(default = "d_720h")]
    pub rotate_every: HumanDuration,
}

impl Default for PqcSpec {
    fn default() -> Self {
        PqcSpec {
            kem: default_kem(),
            dsa: default_dsa(),
            rotate_every: d_720h(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TransportSpec {
    /// Allow classical (X25519-only) key exchange for peers without ML-KEM.
    #[serde(default)]
    pub allow_classical: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RaftSpec {
    #[serde(default = "d_100ms")]
    pub heartbeat: HumanDuration,
    /// Election timeout range `[min, max]`.
    #[serde(default = "default_election")]
    pub election_timeout: [HumanDuration; 2],
    /// Take a snapshot every this many log entries.
    #[serde(default = "default_snapshot_every")]
    pub snapshot_every: u64,
    /// How many snapshots to keep on disk. The log reaches back to the oldest, so a node
    /// whose newest snapshot file is damaged starts from an older one and replays the rest.
    #[serde(default = "default_keep_snapshots")]
    pub keep_snapshots: u32,
}

impl Default for RaftSpec {
    fn default() -> Self {
        RaftSpec {
            heartbeat: d_100ms(),
            election_timeout: default_election(),
            snapshot_every: default_snapshot_every(),
            keep_snapshots: default_keep_snapshots(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HealingSpec {
    #[serde(default = "d_200ms")]
    pub probe_interval: HumanDuration,
    /// Missed probes before a peer is suspected.
    #[serde(default = "default_suspect_after")]
    pub suspect_after: u32,
    /// Remove a dead voter after this grace period, if quorum allows.
    #[serde(default = "d_60s")]
    pub remove_dead_voter_after: HumanDuration,
    /// Never shrink the voter set below this.
    #[serde(default = "default_min_quorum")]
    pub min_quorum: u32,
}

impl Default for HealingSpec {
    fn default() -> Self {
        HealingSpec {
            probe_interval: d_200ms(),
            suspect_after: default_suspect_after(),
            remove_dead_voter_after: d_60s(),
            min_quorum: default_min_quorum(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TelemetrySpec {
    /// Serve `/metrics` in Prometheus text format on each node's metrics address.
    #[serde(default = "yes")]
    pub prometheus: bool,
    /// Where OpenTelemetry output goes.
    #[serde(default)]
    pub otel: OtelExporter,
}

impl Default for TelemetrySpec {
    fn default() -> Self {
        TelemetrySpec {
            prometheus: true,
            otel: OtelExporter::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OtelExporter {
    /// OpenTelemetry traces, metrics and logs on the node's stdout.
    #[default]
    Stdout,
    /// No OpenTelemetry output.
    None,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SpireSpec {
    /// Where SPIRE agents reach the SPIRE server (`host:port`).
    #[serde(default = "default_spire_server")]
    pub server_address: String,
}

impl Default for SpireSpec {
    fn default() -> Self {
        SpireSpec {
            server_address: default_spire_server(),
        }
    }
}

fn default_spire_server() -> String {
    "127.0.0.1:8081".into()
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RagSpec {
    /// Extra files or directories to index, relative to the manifest.
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub hnsw: HnswSpec,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HnswSpec {
    #[serde(default = "default_m")]
    pub m: u32,
    #[serde(default = "default_ef_construction")]
    pub ef_construction: u32,
    #[serde(default = "default_ef_search")]
    pub ef_search: u32,
}

impl Default for HnswSpec {
    fn default() -> Self {
        HnswSpec {
            m: default_m(),
            ef_construction: default_ef_construction(),
            ef_search: default_ef_search(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OperatorSpec {
    pub name: String,
    #[serde(default)]
    pub role: OperatorRole,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OperatorRole {
    /// May read and change the mesh.
    #[default]
    Admin,
    /// May only read.
    Viewer,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NodeSpec {
    /// The node name (a DNS label); its SPIFFE ID is `spiffe://<trustDomain>/node/<name>`.
    pub name: String,
    /// Address the node listens on for mesh traffic (`ip:port`).
    pub listen: String,
    /// Address peers dial (`host:port`); defaults to `listen`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advertise: Option<String>,
    /// Plaintext address for `/metrics`, `/healthz`, `/readyz` (`ip:port`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<String>,
    #[serde(default)]
    pub role: NodeRole,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Unix socket of the node's SPIFFE Workload API, relative to the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_socket: Option<String>,
}

impl NodeSpec {
    /// The address peers dial.
    pub fn advertise_addr(&self) -> &str {
        self.advertise.as_deref().unwrap_or(&self.listen)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NodeRole {
    /// Votes in Raft.
    #[default]
    Voter,
    /// Replicates the Raft log without a vote.
    Learner,
    /// Data plane only; outside Raft.
    Relay,
}

impl NodeRole {
    /// Voters and learners hold the Raft log and the state machine; relays do not.
    pub fn holds_raft(self) -> bool {
        self != NodeRole::Relay
    }

    pub fn is_voter(self) -> bool {
        self == NodeRole::Voter
    }
}

impl fmt::Display for NodeRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NodeRole::Voter => "voter",
            NodeRole::Learner => "learner",
            NodeRole::Relay => "relay",
        })
    }
}

impl fmt::Display for OperatorRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OperatorRole::Admin => "admin",
            OperatorRole::Viewer => "viewer",
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WorkloadSpec {
    pub name: String,
    /// The node whose Workload API serves this workload.
    pub node: String,
    /// Attestation selectors, e.g. `unix:uid:1000`.
    pub selectors: Vec<String>,
    /// Lifetime of the workload's SVID.
    #[serde(default = "d_1h")]
    pub ttl: HumanDuration,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LinkSpec {
    pub from: String,
    pub to: String,
    /// Weight of the link in routing, default 1. A route's metric is the sum over its links
    /// of cost x smoothed round trip (ms, at least 1) x a loss penalty (1 + 10 x loss), so a
    /// link with cost 10 is chosen only when it is ten times faster than a link with cost 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<u32>,
}

/// A duration written the human way: `200ms`, `10s`, `24h`, `1h30m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HumanDuration(pub Duration);

impl HumanDuration {
    pub const fn from_millis(ms: u64) -> Self {
        HumanDuration(Duration::from_millis(ms))
    }
    pub const fn from_secs(s: u64) -> Self {
        HumanDuration(Duration::from_secs(s))
    }
}

impl fmt::Display for HumanDuration {
    /// The way manifests write durations: one unit, hours at most (`720h`, `90s`, `100ms`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        match ms {
            0 => f.write_str("0s"),
            _ if ms.is_multiple_of(3_600_000) => write!(f, "{}h", ms / 3_600_000),
            _ if ms.is_multiple_of(60_000) => write!(f, "{}m", ms / 60_000),
            _ if ms.is_multiple_of(1000) => write!(f, "{}s", ms / 1000),
            _ => write!(f, "{ms}ms"),
        }
    }
}

impl Serialize for HumanDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        humantime::parse_duration(text.trim())
            .map(HumanDuration)
            .map_err(|e| {
                serde::de::Error::custom(format!(
                    "invalid duration `{text}`: {e} (write it like 200ms, 10s, 24h or 1h30m)"
                ))
            })
    }
}

impl JsonSchema for HumanDuration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A duration such as 200ms, 10s, 24h or 1h30m",
            "pattern": "^\\s*([0-9]+\\s*[a-zA-Zµ]+\\s*)+$"
        })
    }
}

fn default_operators() -> Vec<OperatorSpec> {
    vec![OperatorSpec {
        name: "admin".into(),
        role: OperatorRole::Admin,
    }]
}
fn default_kem() -> String {
    "ML-KEM-768".into()
}
fn default_dsa() -> String {
    "ML-DSA-65".into()
}
fn default_election() -> [HumanDuration; 2] {
    [
        HumanDuration::from_millis(300),
        HumanDuration::from_millis(600),
    ]
}
fn default_snapshot_every() -> u64 {
    10_000
}
fn default_keep_snapshots() -> u32 {
    3
}
fn default_suspect_after() -> u32 {
    3
}
fn default_min_quorum() -> u32 {
    3
}
fn default_m() -> u32 {
    16
}
fn default_ef_construction() -> u32 {
    100
}
fn default_ef_search() -> u32 {
    96
}
fn yes() -> bool {
    true
}
fn d_100ms() -> HumanDuration {
    HumanDuration::from_millis(100)
}
fn d_200ms() -> HumanDuration {
    HumanDuration::from_millis(200)
}
fn d_60s() -> HumanDuration {
    HumanDuration::from_secs(60)
}
fn d_1h() -> HumanDuration {
    HumanDuration::from_secs(3600)
}
fn d_8h() -> HumanDuration {
    HumanDuration::from_secs(8 * 3600)
}
fn d_24h() -> HumanDuration {
    HumanDuration::from_secs(24 * 3600)
}
fn d_720h() -> HumanDuration {
    HumanDuration::from_secs(720 * 3600)
}
fn d_8760h() -> HumanDuration {
    HumanDuration::from_secs(8760 * 3600)
}
