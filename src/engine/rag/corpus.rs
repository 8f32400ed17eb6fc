//! What gets indexed: the runbooks compiled into the binary, plus the operator's files
//! (markdown and text), each read once, checked to be UTF-8 text and hashed.

use std::path::{Path, PathBuf};

use crate::engine::util::fsutil::sha256_hex;

include!(concat!(env!("OUT_DIR"), "/runbooks.rs"));

/// Files larger than this are skipped with a warning: they are logs or dumps, not knowledge.
pub const MAX_FILE_BYTES: u64 = 16 << 20;
/// The prefix of built-in paths, so a hit never looks like a file on this host.
pub const BUILTIN_PREFIX: &str = "builtin:runbooks/";

/// One source document.
#[derive(Debug, Clone)]
pub struct Document {
    /// `builtin:runbooks/NAME.md`, or the file path as found.
    pub path: String,
    pub text: String,
    pub sha256: String,
    pub markdown: bool,
}

/// The runbooks this binary ships.
pub fn builtin() -> Vec<Document> {
    RUNBOOKS
        .iter()
        .map(|(name, text)| Document {
            path: format!("{BUILTIN_PREFIX}{name}"),
            text: (*text).to_string(),
            sha256: sha256_hex(text.as_bytes()),
            markdown: true,
        })
        .collect()
}

/// Reads every markdown or text file under `roots` (a root may be a single file, which is
/// then read whatever its extension). Unreadable, binary, non-UTF-8 and oversized files are
/// skipped and named in `warnings`; a root that does not exist is an error.
pub fn collect(
    roots: &[PathBuf],
    warnings: &mut Vec<String>,
) -> Result<Vec<Document>, SourceError> {
    let mut docs = Vec::new();
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|e| SourceError {
            path: root.clone(),
            reason: e.to_string(),
        })?;
        let before = docs.len();
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(root, &mut files, warnings);
            files.sort();
            for f in files {
                read_one(&f, &mut docs, warnings);
            }
        } else {
            read_one(root, &mut docs, warnings);
        }
        if docs.len() == before {
            warnings.push(format!(
                "{}: no markdown or text files to index (looked for .md, .markdown, .txt)",
                root.display()
            ));
        }
    }
    Ok(docs)
}

/// A source root that cannot be read at all.
#[derive(Debug, thiserror::Error)]
#[error("rag source {}: {reason}", path.display())]
pub struct SourceError {
    pub path: PathBuf,
    pub reason: String,
}

fn is_text_name(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown" | "txt")
    )
}

/// Depth-first listing that skips hidden entries (`.git`, `.x0t`) and symlink loops.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, warnings: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            warnings.push(format!("{}: skipped: {e}", dir.display()));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out, warnings),
            Ok(t) if t.is_file() && is_text_name(&path) => out.push(path),
            _ => {}
        }
    }
}

fn read_one(path: &Path, docs: &mut Vec<Document>, warnings: &mut Vec<String>) {
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            warnings.push(format!(
                "{shown}: skipped: {} MiB is over the {} MiB limit for one source file",
                m.len() >> 20,
                MAX_FILE_BYTES >> 20
            ));
            return;
        }
        Err(e) => {
            warnings.push(format!("{shown}: skipped: {e}"));
            return;
        }
        Ok(_) => {}
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            warnings.push(format!("{shown}: skipped: {e}"));
            return;
        }
    };
    if bytes.contains(&0) {
        warnings.push(format!(
            "{shown}: skipped: binary file (contains NUL bytes)"
        ));
        return;
    }
    let sha256 = sha256_hex(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            warnings.push(format!(
                "{shown}: skipped: not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ));
            return;
        }
    };
    docs.push(Document {
        path: path.display().to_string(),
        markdown: matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "markdown")
        ),
        text,
        sha256,
    });
}
