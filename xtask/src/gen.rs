//! `cargo xtask gen`: keeps the committed completions and man pages in sync with the CLI.

use crate::{cargo, describe, root, target_dir, Result};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{self, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

const COMPLETIONS: [(&str, &str); 5] = [
    ("bash", "x0t.bash"),
    ("zsh", "_x0t"),
    ("fish", "x0t.fish"),
    ("elvish", "x0t.elv"),
    ("powershell", "_x0t.ps1"),
];

/// Removes the scratch dir on every exit path, including `?`.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<Self> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("xtask-man-{}-{nanos}", process::id()));
        fs::create_dir_all(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        Ok(Self(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn is_man_page(path: &Path) -> bool {
    path.is_file() && path.extension() == Some(OsStr::new("1"))
}

fn man_pages(dir: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| is_man_page(p))
        .collect();
    pages.sort();
    pages
}

/// Captures stdout only; x0t's stderr stays visible so failures explain themselves.
fn capture(cmd: &mut Command) -> Result<Vec<u8>> {
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(cmd)))?;
    if !out.status.success() {
        return Err(format!("`{}` failed ({})", describe(cmd), out.status));
    }
    Ok(out.stdout)
}

/// Everything `gen` owns, keyed by path relative to the workspace root.
fn generate() -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    // Built the way the test suite builds it: with dev-dependencies in the feature
    // resolution (and so `test-hooks`, through the package's dev-dependency on itself).
    // A plain `cargo build --bin x0t` resolves features without them and compiles part of
    // the dependency tree a second time in `cargo xtask test`. The hooks change nothing in
    // help text, completions or man pages.
    crate::run(cargo().args(["build", "--quiet", "--workspace", "--all-targets"]))?;
    let bin = target_dir().join("debug").join("x0t");
    let mut files = BTreeMap::new();
    for (shell, name) in COMPLETIONS {
        let text = capture(Command::new(&bin).args(["completions", shell]))?;
        files.insert(Path::new("completions").join(name), text);
    }
    let tmp = TempDir::new()?;
    capture(Command::new(&bin).arg("man").arg("--out").arg(&tmp.0))?;
    for page in man_pages(&tmp.0) {
        let text = fs::read(&page).map_err(|e| format!("cannot read {}: {e}", page.display()))?;
        files.insert(Path::new("man").join(page.file_name().unwrap()), text);
    }
    Ok(files)
}

pub fn run(check: bool) -> Result {
    let files = generate()?;
    let root = root();
    // Only man/ is fully owned; completions/ may hold hand-written extras.
    let stale: Vec<PathBuf> = man_pages(&root.join("man"))
        .into_iter()
        .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
        .filter(|p| !files.contains_key(p))
        .collect();
    let changed: Vec<&PathBuf> = files
        .iter()
        .filter(|(rel, text)| fs::read(root.join(rel)).ok().as_ref() != Some(*text))
        .map(|(rel, _)| rel)
        .collect();

    if check {
        if changed.is_empty() && stale.is_empty() {
            return Ok(());
        }
        for rel in changed.iter().copied().chain(&stale) {
            eprintln!("{}", rel.display());
        }
        return Err("generated files are stale; run `cargo xtask gen` and commit".into());
    }

    // Writing only what changed keeps mtimes stable for make-style consumers.
    for rel in changed {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, &files[rel])
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("wrote {}", rel.display());
    }
    for rel in stale {
        fs::remove_file(root.join(&rel))
            .map_err(|e| format!("cannot remove {}: {e}", rel.display()))?;
        eprintln!("removed {}", rel.display());
    }
    Ok(())
}
