//! A snapshot file on its way in from a node (`snapshot save`): hashed as it arrives and,
//! when written, streamed to FILE.part, which becomes FILE only once the whole file has
//! verified.

use std::path::Path;

use crate::engine::snapshot::PayloadDigest;
use crate::engine::util::fsutil::{AtomicFile, FsError, PRIVATE_MODE};

pub struct Incoming {
    file: Option<AtomicFile>,
    /// The first bytes, until they hold the header.
    head: Vec<u8>,
    digest: Option<PayloadDigest>,
    failed: Option<FsError>,
}

impl Incoming {
    /// Receives into `path` (through `path.part`) when `write`, else only hashes.
    pub fn new(path: &Path, write: bool) -> Incoming {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".part");
        let part = path.with_file_name(name);
        let (file, failed) = match write.then(|| AtomicFile::with_temp(path, part, PRIVATE_MODE)) {
            Some(Ok(f)) => (Some(f), None),
            Some(Err(e)) => (None, Some(e)),
            None => (None, None),
        };
        Incoming {
            file,
            head: Vec::new(),
            digest: None,
            failed,
        }
    }

    /// The next piece of the file.
    pub fn piece(&mut self, piece: &[u8]) {
        match &mut self.digest {
            Some(d) => d.update(piece),
            None => {
                self.head.extend_from_slice(piece);
                if let Some(mut d) = PayloadDigest::new(&self.head) {
                    d.update(&self.head);
                    self.head = Vec::new();
                    self.digest = Some(d);
                }
            }
        }
        if let (Some(f), None) = (&mut self.file, &self.failed) {
            if let Err(e) = f.write_all(piece) {
                self.failed = Some(e);
            }
        }
    }

    /// The payload's SHA-256, when every byte of it went by.
    pub fn sha256(&mut self) -> Option<String> {
        self.digest.take().and_then(|d| d.finish())
    }

    /// Drops what was written; FILE is untouched.
    pub fn discard(&mut self) {
        self.file = None;
    }

    /// Syncs FILE.part and renames it over FILE; false when nothing was written here.
    pub fn keep(&mut self) -> Result<bool, FsError> {
        let Some(file) = self.file.take() else {
            return Ok(false);
        };
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        file.commit()?;
        Ok(true)
    }
}
