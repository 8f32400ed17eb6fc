//! The apply lock: an exclusive `flock(2)` on `<state-dir>/.lock`, so concurrent applies
//! are serialised. The holder writes who it is into the file for the error a waiter sees.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::engine::util::fsutil::FsError;
use crate::engine::util::timefmt;

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("state directory {} is locked by {holder}; gave up after {}", dir.display(), humantime::format_duration(*waited))]
    Timeout {
        dir: PathBuf,
        holder: String,
        waited: Duration,
    },
    #[error(transparent)]
    Fs(#[from] FsError),
}

impl LockError {
    pub fn hints(&self) -> Vec<String> {
        match self {
            LockError::Timeout { .. } => {
                vec!["wait for the other command to finish, or raise --lock-timeout".into()]
            }
            LockError::Fs(e) => e.hint().into_iter().collect(),
        }
    }
}

/// A held lock; released when dropped (the kernel also releases it if the process dies).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock of `dir`, waiting up to `timeout`; `on_wait` is called once if the
    /// lock is busy, with the holder's description.
    pub fn acquire(
        dir: &Path,
        command: &str,
        timeout: Duration,
        mut on_wait: impl FnMut(&str),
    ) -> Result<Lock, LockError> {
        let path = dir.join(".lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| FsError::new("open lock file", &path, e))?;
        let start = Instant::now();
        let mut told = false;
        loop {
            // SAFETY: the descriptor belongs to `file`, which outlives the call.
            let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if rc == 0 {
                break;
            }
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(FsError::new("lock", &path, err).into());
            }
            let holder = read_holder(&mut file);
            if start.elapsed() >= timeout {
                return Err(LockError::Timeout {
                    dir: dir.into(),
                    holder,
                    waited: timeout,
                });
            }
            if !told {
                on_wait(&holder);
                told = true;
            }
            // flock has no timed wait; polling keeps the timeout exact enough.
            std::thread::sleep(Duration::from_millis(50));
        }
        let me = format!(
            "pid {} ({command}) on {} since {}",
            std::process::id(),
            hostname(),
            timefmt::rfc3339(timefmt::now())
        );
        let write = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(me.as_bytes()));
        write.map_err(|e| FsError::new("write lock file", &path, e))?;
        Ok(Lock { _file: file })
    }
}

fn read_holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind().and_then(|()| file.read_to_string(&mut text));
    let text = text.trim();
    if text.is_empty() {
        "another x0t process".into()
    } else {
        text.into()
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "this host".into())
}
