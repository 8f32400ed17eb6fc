//! Crash-safe commits of many files at once, with a redo journal.
//!
//! New contents are first written to `.staging/` and flushed with one `syncfs`; then the
//! journal naming every rename is written atomically — the commit point; then the renames
//! run and a second `syncfs` makes them durable. A crash before the journal leaves the old
//! state untouched (staging is discarded); a crash after it is rolled forward by the next
//! command that takes the lock. Either way no file is ever half-written.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::state::{create_private_dir, StateDir, StateError};
use crate::engine::util::fsutil::{self, FsError};

const JOURNAL: &str = ".journal.json";
const STAGING: &str = ".staging";

/// A set of file changes to commit together.
#[derive(Debug, Default)]
pub struct Txn {
    /// Overwritten when dropped: among them are private keys.
    writes: Vec<(String, crate::engine::util::Secret, u32)>,
    removes: Vec<String>,
}

impl Txn {
    /// Writes `contents` to `rel` with `mode`.
    pub fn write(
        &mut self,
        rel: impl Into<String>,
        contents: impl Into<crate::engine::util::Secret>,
        mode: u32,
    ) {
        self.writes.push((rel.into(), contents.into(), mode));
    }

    /// Removes the file or directory tree at `rel`.
    pub fn remove(&mut self, rel: impl Into<String>) {
        self.removes.push(rel.into());
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.removes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.writes.len() + self.removes.len()
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Journal {
    /// (staged file name, target path) in commit order.
    renames: Vec<(String, String)>,
    removes: Vec<String>,
}

/// A fault point: test builds may abort here (see `util::hooks`); release builds do nothing.
fn fault(point: &str) {
    #[cfg(feature = "test-hooks")]
    crate::engine::util::hooks::fault(point);
    let _ = point;
}

/// Commits `txn` into `dir`.
pub fn commit(dir: &StateDir, txn: Txn) -> Result<(), StateError> {
    let staging = dir.path(STAGING);
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| FsError::new("remove", &staging, e))?;
    }
    create_private_dir(&staging)?;
    // Creating an inode is the dominant cost of a large apply; spread the writes over the
    // cores, one staging subdirectory per thread so they do not contend on one directory.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    let chunk = txn.writes.len().div_ceil(threads).max(1);
    let mut renames = Vec::with_capacity(txn.writes.len());
    let results: Vec<Result<(), FsError>> = std::thread::scope(|s| {
        let handles: Vec<_> = txn
            .writes
            .chunks(chunk)
            .enumerate()
            .map(|(t, writes)| {
                let sub = staging.join(t.to_string());
                s.spawn(move || -> Result<(), FsError> {
                    create_private_dir(&sub)?;
                    for (i, (_, contents, mode)) in writes.iter().enumerate() {
                        fsutil::write_unsynced(&sub.join(i.to_string()), contents, *mode)?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("staging writer panicked"))
            .collect()
    });
    for r in results {
        r?;
    }
    for (n, (target, _, _)) in txn.writes.iter().enumerate() {
        renames.push((
            format!("{STAGING}/{}/{}", n / chunk, n % chunk),
            target.clone(),
        ));
    }
    let journal = Journal {
        renames,
        removes: txn.removes,
    };
    fsutil::sync_fs(&dir.root)?;
    fault("apply-before-journal");
    let text = serde_json::to_vec(&journal).expect("journal serialises");
    fsutil::write_atomic(&dir.path(JOURNAL), &text, 0o600)?;
    fault("apply-after-journal");
    roll_forward(dir, &journal)
}

/// Finishes or discards a commit that a crash interrupted. Returns true if it found one.
pub fn recover(dir: &StateDir) -> Result<bool, StateError> {
    let path = dir.path(JOURNAL);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let journal: Journal =
                serde_json::from_slice(&bytes).map_err(|e| StateError::Corrupt {
                    path: path.clone(),
                    line: e.line(),
                    column: e.column(),
                    message: e.to_string(),
                })?;
            roll_forward(dir, &journal)?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let staging = dir.path(STAGING);
            if staging.exists() {
                std::fs::remove_dir_all(&staging)
                    .map_err(|e| FsError::new("remove", &staging, e))?;
                return Ok(true);
            }
            Ok(false)
        }
        Err(e) => Err(FsError::new("read", &path, e).into()),
    }
}

/// Whether an interrupted commit is waiting for recovery.
pub fn pending(dir: &StateDir) -> bool {
    dir.path(JOURNAL).exists() || dir.path(STAGING).exists()
}

fn roll_forward(dir: &StateDir, journal: &Journal) -> Result<(), StateError> {
    let mut made = std::collections::HashSet::new();
    for (i, (staged, target)) in journal.renames.iter().enumerate() {
        let from = dir.path(staged);
        let to = dir.path(target);
        if !from.exists() {
            continue; // renamed before the crash
        }
        let parent = fsutil::parent(&to).to_path_buf();
        if !made.contains(&parent) {
            create_private_dir(&parent)?;
            made.insert(parent);
        }
        std::fs::rename(&from, &to).map_err(|e| FsError::new("rename into", &to, e))?;
        if i == journal.renames.len() / 2 {
            fault("apply-mid-rename");
        }
    }
    for rel in &journal.removes {
        remove_any(&dir.path(rel))?;
    }
    fsutil::sync_fs(&dir.root)?;
    let path = dir.path(JOURNAL);
    std::fs::remove_file(&path).map_err(|e| FsError::new("remove", &path, e))?;
    let staging = dir.path(STAGING);
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| FsError::new("remove", &staging, e))?;
    }
    fsutil::sync_dir(&dir.root)?;
    Ok(())
}

fn remove_any(path: &Path) -> Result<(), FsError> {
    let result = match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    };
    result.map_err(|e| FsError::new("remove", path, e))
}
