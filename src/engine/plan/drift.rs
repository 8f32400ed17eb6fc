//! `drift`: does the disk still hold exactly what `state.json` says was applied?

use serde::Serialize;

use crate::engine::state::StateError;
use crate::engine::state::{self, StateDir};
use crate::engine::util::fsutil;
use crate::engine::util::fsutil::FsError;

/// Why drift could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum DriftError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Fs(#[from] FsError),
}

impl DriftError {
    /// Hints for the operator, shown after the error.
    pub fn hints(&self) -> Vec<String> {
        match self {
            DriftError::State(e) => e.hints(),
            DriftError::Fs(e) => e.hint().into_iter().collect(),
        }
    }
}

/// How a file differs from its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DriftKind {
    /// The file is gone.
    Deleted,
    /// The content differs from what was applied.
    Modified,
    /// The permission bits differ (a private key readable by others, say).
    Mode,
    /// An apply was interrupted and not yet finished.
    InterruptedApply,
}

/// One difference.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DriftItem {
    pub resource: String,
    pub path: String,
    pub kind: DriftKind,
    pub detail: String,
}

/// The drift report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DriftReport {
    pub schema_version: u32,
    pub mesh: String,
    pub serial: u64,
    pub files_checked: usize,
    pub drift: Vec<DriftItem>,
}

/// Compares every recorded file with the disk. Reads only.
pub fn drift(dir: &StateDir) -> Result<DriftReport, DriftError> {
    let state = dir.load_applied()?;
    let mut report = DriftReport {
        schema_version: 1,
        mesh: state.mesh.clone(),
        serial: state.serial,
        files_checked: 0,
        drift: Vec::new(),
    };
    if state::pending(dir) {
        report.drift.push(DriftItem {
            resource: "state".into(),
            path: ".journal.json".into(),
            kind: DriftKind::InterruptedApply,
            detail: "an apply was interrupted; the next apply finishes or discards it".into(),
        });
    }
    for (resource, record) in &state.resources {
        for (rel, file) in &record.files {
            report.files_checked += 1;
            let item = |kind, detail: String| DriftItem {
                resource: resource.clone(),
                path: rel.clone(),
                kind,
                detail,
            };
            match dir.read_opt(rel)? {
                None => report
                    .drift
                    .push(item(DriftKind::Deleted, "deleted".into())),
                Some(bytes) => {
                    let hash = fsutil::sha256_hex(&bytes);
                    if hash != file.sha256 {
                        report.drift.push(item(
                            DriftKind::Modified,
                            format!(
                                "content changed (sha256 {} -> {})",
                                &file.sha256[..12],
                                &hash[..12]
                            ),
                        ));
                    }
                    if let Some(mode) = fsutil::mode_of(&dir.path(rel)) {
                        if mode != file.mode {
                            report.drift.push(item(
                                DriftKind::Mode,
                                format!("mode {mode:04o}, applied as {:04o}", file.mode),
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(report)
}
