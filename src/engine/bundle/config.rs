//! A node's configuration file (`node.json`): the parts of the manifest that node needs to
//! run on its own host, plus its Raft id.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::manifest::{
    ChaosSpec, HealingSpec, LimitsSpec, Manifest, NodeRole, RaftSpec, RagSpec, TelemetrySpec,
    TransportSpec, WorkloadSpec,
};

/// The node config format version.
pub const CONFIG_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeConfig {
    pub schema_version: u32,
    pub mesh: String,
    pub trust_domain: String,
    pub name: String,
    pub raft_id: u64,
    /// True for the voters of the mesh's first apply: they form the cluster. Nodes added
    /// later join through a membership change instead.
    #[serde(default)]
    pub bootstrap: bool,
    pub spiffe_id: String,
    pub role: NodeRole,
    pub listen: String,
    pub advertise: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_socket: Option<String>,
    pub workloads: Vec<WorkloadSpec>,
    pub raft: RaftSpec,
    pub healing: HealingSpec,
    pub transport: TransportSpec,
    pub telemetry: TelemetrySpec,
    pub rag: RagSpec,
    #[serde(default, skip_serializing_if = "ChaosSpec::is_off")]
    pub chaos: ChaosSpec,
    #[serde(default, skip_serializing_if = "LimitsSpec::is_default")]
    pub limits: LimitsSpec,
}

impl NodeConfig {
    /// The config the manifest asks for `node`.
    pub fn build(m: &Manifest, node: &str, raft_id: u64, bootstrap: bool) -> NodeConfig {
        let n = m.node(node).expect("node is in the manifest");
        NodeConfig {
            schema_version: CONFIG_VERSION,
            mesh: m.metadata.name.clone(),
            trust_domain: m.spec.trust_domain.clone(),
            name: n.name.clone(),
            raft_id,
            bootstrap,
            spiffe_id: m.node_spiffe_id(node),
            role: n.role,
            listen: n.listen.clone(),
            advertise: n.advertise_addr().to_string(),
            metrics: n.metrics.clone(),
            labels: n.labels.clone(),
            workload_socket: n.workload_socket.clone(),
            workloads: m
                .spec
                .workloads
                .iter()
                .filter(|w| w.node == node)
                .cloned()
                .collect(),
            raft: m.spec.raft.clone(),
            healing: m.spec.healing.clone(),
            transport: m.spec.transport.clone(),
            telemetry: m.spec.telemetry.clone(),
            rag: m.spec.rag.clone(),
            chaos: m.spec.chaos.clone(),
            limits: m.spec.limits.clone(),
        }
    }

    /// The exact bytes written to disk (stable, so equal configs hash equal).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = serde_json::to_vec_pretty(self).expect("config serialises");
        b.push(b'\n');
        b
    }

    /// Human reasons for the difference between two config files, field by field.
    pub fn changes(old: &[u8], new: &[u8]) -> Vec<String> {
        let (Ok(old), Ok(new)) = (
            serde_json::from_slice::<serde_json::Value>(old),
            serde_json::from_slice::<serde_json::Value>(new),
        ) else {
            return vec!["node.json unreadable".into()];
        };
        let empty = serde_json::Map::new();
        let o = old.as_object().unwrap_or(&empty);
        let n = new.as_object().unwrap_or(&empty);
        let mut out = Vec::new();
        for (k, v) in n {
            match o.get(k) {
                Some(ov) if ov == v => {}
                Some(ov) if v.is_string() || v.is_number() => {
                    out.push(format!("{k} {} -> {}", short(ov), short(v)))
                }
                Some(_) => out.push(format!("{k} changes")),
                None => out.push(format!("{k} is set to {}", short(v))),
            }
        }
        for k in o.keys().filter(|k| !n.contains_key(*k)) {
            out.push(format!("{k} is removed"));
        }
        if out.is_empty() {
            out.push("node.json differs".into());
        }
        out
    }
}

fn short(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
