//! File-system helpers: atomic writes, private-key permissions, and I/O errors that name
//! the path they failed on.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Mode of private key files.
pub const PRIVATE_MODE: u32 = 0o600;
/// Mode of public files (certificates, public keys, configs).
pub const PUBLIC_MODE: u32 = 0o644;

/// An I/O failure, with the path and what was being done to it.
#[derive(Debug, thiserror::Error)]
#[error("could not {action} {}", path.display())]
pub struct FsError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

impl FsError {
    pub fn new(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> FsError {
        FsError {
            action,
            path: path.into(),
            source,
        }
    }

    /// A hint for the common causes.
    pub fn hint(&self) -> Option<String> {
        match self.source.raw_os_error() {
            Some(libc::ENOTDIR) | Some(libc::EEXIST) => Some(format!(
                "a file stands where a directory is expected on the way to {}",
                self.path.display()
            )),
            Some(libc::EROFS) => Some("the file system is mounted read-only".into()),
            Some(libc::EACCES) | Some(libc::EPERM) => {
                Some("check the ownership and permissions of the directory".into())
            }
            Some(libc::ENOSPC) => Some("the disk is full".into()),
            _ => None,
        }
    }
}

/// Result alias for file-system work.
pub type FsResult<T> = Result<T, FsError>;

/// Reads a whole file, naming it on failure.
pub fn read(path: &Path) -> FsResult<Vec<u8>> {
    fs::read(path).map_err(|e| FsError::new("read", path, e))
}

/// Reads a whole UTF-8 file, naming it on failure.
pub fn read_to_string(path: &Path) -> FsResult<String> {
    fs::read_to_string(path).map_err(|e| FsError::new("read", path, e))
}

/// Creates a directory and its parents.
pub fn create_dir_all(path: &Path) -> FsResult<()> {
    fs::create_dir_all(path).map_err(|e| FsError::new("create directory", path, e))
}

/// Writes a file without syncing it; the caller syncs in bulk (see [`sync_fs`]).
pub fn write_unsynced(path: &Path, contents: &[u8], mode: u32) -> FsResult<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)
        .map_err(|e| FsError::new("create", path, e))?;
    // `mode` on open is filtered by the umask and ignored for existing files.
    file.set_permissions(fs::Permissions::from_mode(mode))
        .map_err(|e| FsError::new("set permissions of", path, e))?;
    file.write_all(contents)
        .map_err(|e| FsError::new("write", path, e))
}

/// Writes a file atomically: a temporary sibling, fsync, rename, fsync of the directory.
/// Readers see the old contents or the new ones, never a mix.
pub fn write_atomic(path: &Path, contents: &[u8], mode: u32) -> FsResult<()> {
    let dir = parent(path);
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    write_unsynced(&tmp, contents, mode)?;
    let result = File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| FsError::new("sync", &tmp, e))
        .and_then(|()| fs::rename(&tmp, path).map_err(|e| FsError::new("rename into", path, e)));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir(dir)
}

/// Syncs a directory so that renames and creations inside it are durable.
pub fn sync_dir(dir: &Path) -> FsResult<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| FsError::new("sync directory", dir, e))
}

/// Flushes every dirty page of the file system holding `path` with one `syncfs(2)`: far
/// cheaper than an fsync per file when an apply writes hundreds of small files.
pub fn sync_fs(path: &Path) -> FsResult<()> {
    use std::os::fd::AsRawFd;
    let dir = File::open(path).map_err(|e| FsError::new("open", path, e))?;
    // SAFETY: the descriptor is valid for the lifetime of `dir`.
    let rc = unsafe { libc::syncfs(dir.as_raw_fd()) };
    if rc != 0 {
        return Err(FsError::new(
            "sync file system of",
            path,
            io::Error::last_os_error(),
        ));
    }
    Ok(())
}

/// The permission bits of a file, if it exists.
pub fn mode_of(path: &Path) -> Option<u32> {
    fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

/// The directory holding `path` (`.` for a bare file name).
pub fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data))
}
