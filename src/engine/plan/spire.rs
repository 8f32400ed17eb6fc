//! `spire bootstrap`: the SPIRE server and agent files, written as the managed resources
//! that `apply` also writes, or copied elsewhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::manifest::Manifest;
use crate::engine::plan::apply::ApplyError;
use crate::engine::plan::ResourceType;
use crate::engine::spire::{entries, render_state, state_paths};
use crate::engine::state::{layout, StateDir};
use crate::engine::util::fsutil::FsError;

/// What `spire bootstrap` wrote.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BootstrapReport {
    pub schema_version: u32,
    pub out: PathBuf,
    pub trust_domain: String,
    pub server_address: String,
    pub entries: usize,
    /// File name to SHA-256.
    pub files: BTreeMap<String, String>,
    /// True when the files were already as the manifest asks.
    pub unchanged: bool,
}

/// Writes the SPIRE files. Without `out` they go to `<state-dir>/spire` as the managed
/// resources that `apply` also writes (recorded in `state.json`, so later edits show as
/// drift); with `out` they are a copy for another place, pointing at the same CA and SVIDs.
pub fn bootstrap(
    m: &Manifest,
    dir: &StateDir,
    out: Option<&Path>,
    now: time::OffsetDateTime,
) -> Result<BootstrapReport, ApplyError> {
    let plan = crate::engine::plan::plan(m, dir, now)?;
    let pending: Vec<&str> = plan
        .actions
        .iter()
        .filter(|a| {
            a.resource_type != ResourceType::Spire
                && (matches!(a.resource_type, ResourceType::Ca | ResourceType::Bundle)
                    || (a.resource_type == ResourceType::Svid && a.node.is_some()))
        })
        .map(|a| a.address.as_str())
        .collect();
    if !pending.is_empty() {
        return Err(ApplyError::SpirePending {
            resources: pending.join(", "),
        });
    }
    let ca_pem = String::from_utf8_lossy(&dir.read(layout::TRUST_BUNDLE)?).into_owned();
    let mut unchanged = true;
    let (out, files) = match out {
        None => {
            let mut sub = plan.clone();
            sub.actions
                .retain(|a| a.resource_type == ResourceType::Spire);
            sub.membership = None;
            unchanged = sub.actions.is_empty();
            if !unchanged {
                crate::engine::plan::apply::apply(m, dir, &sub, Default::default(), &|_, _| {})?;
            }
            let paths = state_paths(m, dir)?;
            let out = dir.path(layout::SPIRE_DIR);
            let out = std::path::absolute(&out).map_err(|e| FsError::new("resolve", &out, e))?;
            (out, render_state(m, dir, &paths, &ca_pem)?)
        }
        Some(out) => {
            let mut paths = state_paths(m, dir)?;
            let abs = std::path::absolute(out).map_err(|e| FsError::new("resolve", out, e))?;
            paths.data = abs.join("data");
            let files = render_state(m, dir, &paths, &ca_pem)?;
            std::fs::create_dir_all(out).map_err(|e| FsError::new("create", out, e))?;
            for (name, bytes) in &files {
                let path = out.join(name);
                if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
                    unchanged = false;
                    crate::engine::util::fsutil::write_atomic(
                        &path,
                        bytes,
                        crate::engine::util::fsutil::PUBLIC_MODE,
                    )?;
                }
            }
            (abs, files)
        }
    };
    Ok(BootstrapReport {
        schema_version: 1,
        out,
        trust_domain: m.spec.trust_domain.clone(),
        server_address: m.spec.spire.server_address.clone(),
        entries: entries(m).entries.len(),
        files: files
            .iter()
            .map(|(n, b)| (n.clone(), crate::engine::util::fsutil::sha256_hex(b)))
            .collect(),
        unchanged,
    })
}
