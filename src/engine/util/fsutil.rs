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
    let mut file = AtomicFile::create(path, mode)?;
    file.write_all(contents)?;
    file.commit()
}

/// A file being written in place of another: the bytes go to a temporary sibling, and
/// [`AtomicFile::commit`] syncs it, renames it over the target and syncs the directory.
/// Dropped without a commit, the temporary file is removed and the target is untouched.
/// Every atomic write of the program goes through it.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<File>,
}

impl AtomicFile {
    /// Writes to `.NAME.tmp-PID` beside `path`.
    pub fn create(path: &Path, mode: u32) -> FsResult<AtomicFile> {
        let tmp = parent(path).join(format!(
            ".{}.tmp-{}",
            path.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        AtomicFile::with_temp(path, tmp, mode)
    }

    /// Writes to `tmp`, which must be in the same directory as `path`.
    pub fn with_temp(path: &Path, tmp: PathBuf, mode: u32) -> FsResult<AtomicFile> {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(&tmp)
            .map_err(|e| FsError::new("create", &tmp, e))?;
        // `mode` on open is filtered by the umask and ignored for existing files.
        file.set_permissions(fs::Permissions::from_mode(mode))
            .map_err(|e| FsError::new("set permissions of", &tmp, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            file: Some(file),
        })
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> FsResult<()> {
        let file = self.file.as_mut().expect("not yet committed");
        file.write_all(bytes)
            .map_err(|e| FsError::new("write", &self.tmp, e))
    }

    /// Syncs the temporary file, renames it over the target and syncs the directory.
    pub fn commit(mut self) -> FsResult<()> {
        let file = self.file.take().expect("committed once");
        file.sync_all()
            .map_err(|e| FsError::new("sync", &self.tmp, e))?;
        drop(file);
        fs::rename(&self.tmp, &self.path)
            .map_err(|e| FsError::new("rename into", &self.path, e))?;
        // The rename happened: nothing is left to clean up.
        self.tmp = PathBuf::new();
        sync_dir(parent(&self.path))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
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
