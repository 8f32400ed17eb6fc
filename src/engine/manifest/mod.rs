//! The mesh manifest: loading with `file:line:col` errors, validation, and the embedded
//! quickstart used when no manifest exists.

mod model;
mod selector;
mod size;
mod source;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use model::*;
pub use selector::{Selector, FORMS as SELECTOR_FORMS};
pub use source::{Pos, SourceMap};

/// The manifest `x0t up` runs when no manifest is given or found.
pub const QUICKSTART: &str = include_str!("../../../manifests/quickstart.yaml");

/// A manifest read from a file, with where each field is and any warnings.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub manifest: Manifest,
    /// The file it came from (`<embedded quickstart>` for the built-in one).
    pub path: PathBuf,
    pub warnings: Vec<Diagnostic>,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about a manifest, located in its text.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub severity: Severity,
    #[serde(skip)]
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// Field path such as `spec.nodes[1].listen` (empty for the whole document).
    pub field: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file.display(), self.line, self.column)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// Why a manifest could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("no manifest: {} does not exist", path.display())]
    NotFound { path: PathBuf },
    #[error("could not read manifest {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", render_invalid(.0))]
    Invalid(Vec<Diagnostic>),
}

impl ManifestError {
    pub fn hints(&self) -> Vec<String> {
        match self {
            ManifestError::NotFound { .. } => vec![
                "pass the manifest with -f FILE or set X0T_MANIFEST; `x0t up` runs the built-in quickstart".into(),
            ],
            ManifestError::Invalid(d) if d.len() == 1 => d[0].hint.iter().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

fn render_invalid(diags: &[Diagnostic]) -> String {
    if let [one] = diags {
        return one.to_string();
    }
    let file = diags
        .first()
        .map(|d| d.file.display().to_string())
        .unwrap_or_default();
    let mut text = format!("{file} is invalid ({} errors)", diags.len());
    for d in diags {
        text.push_str(&format!("\n  {d}"));
        if let Some(hint) = &d.hint {
            text.push_str(&format!("\n    hint: {hint}"));
        }
    }
    text
}

/// Reads and validates the manifest at `path`.
pub fn load(path: &Path) -> Result<Loaded, ManifestError> {
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ManifestError::NotFound { path: path.into() },
        _ => ManifestError::Read {
            path: path.into(),
            source: e,
        },
    })?;
    parse(&text, path)
}

/// Parses and validates manifest text; `path` names it in diagnostics.
pub fn parse(text: &str, path: &Path) -> Result<Loaded, ManifestError> {
    let manifest: Manifest = match serde_norway::from_str(text) {
        Ok(m) => m,
        Err(e) => {
            return Err(ManifestError::Invalid(vec![validate::from_serde(
                &e, text, path,
            )]))
        }
    };
    let map = SourceMap::build(text);
    let (errors, warnings) = validate::check(&manifest, &map, path);
    if !errors.is_empty() {
        return Err(ManifestError::Invalid(errors));
    }
    Ok(Loaded {
        manifest,
        path: path.into(),
        warnings,
    })
}

/// The built-in quickstart manifest.
pub fn quickstart() -> Loaded {
    parse(QUICKSTART, Path::new("<embedded quickstart>")).expect("the embedded quickstart is valid")
}

impl Manifest {
    /// `spiffe://<trustDomain>/node/<name>`.
    pub fn node_spiffe_id(&self, node: &str) -> String {
        format!("spiffe://{}/node/{node}", self.spec.trust_domain)
    }

    /// `spiffe://<trustDomain>/operator/<name>`.
    pub fn operator_spiffe_id(&self, operator: &str) -> String {
        format!("spiffe://{}/operator/{operator}", self.spec.trust_domain)
    }

    /// `spiffe://<trustDomain>/workload/<name>`.
    pub fn workload_spiffe_id(&self, workload: &str) -> String {
        workload_spiffe_id(&self.spec.trust_domain, workload)
    }

    pub fn node(&self, name: &str) -> Option<&NodeSpec> {
        self.spec.nodes.iter().find(|n| n.name == name)
    }

    pub fn operator(&self, name: &str) -> Option<&OperatorSpec> {
        self.spec.operators.iter().find(|o| o.name == name)
    }
}

/// `spiffe://<trustDomain>/workload/<name>`: the ID a node's Workload API gives a workload.
pub fn workload_spiffe_id(trust_domain: &str, workload: &str) -> String {
    format!("spiffe://{trust_domain}/workload/{workload}")
}
