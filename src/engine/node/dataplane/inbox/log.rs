//! The inbox's segment files: a header, then records of `[length u32][crc32 u32][body]`
//! (little endian), each body one protobuf `InboxRecord`.
//!
//! Segments are only appended to. A record cut short at the end of the newest segment is
//! the trace of a crash mid-write (its commit was never acknowledged) and is cut off on
//! open; anything else that does not check out is corruption, and opening fails naming the
//! file and offset.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use prost::Message as _;

use crate::engine::rpc::pb;

/// The first bytes of every segment; the last one is the format version.
const MAGIC: &[u8; 8] = b"x0tinbx\x01";
const HEADER: u64 = MAGIC.len() as u64;
/// A record larger than this is not one this program wrote.
const MAX_RECORD: u32 = 64 << 20;

/// Where a record's body lies.
#[derive(Debug, Clone, Copy)]
pub struct Loc {
    pub segment: u64,
    pub offset: u64,
    pub len: u32,
}

pub fn segment_path(dir: &Path, segment: u64) -> PathBuf {
    dir.join(format!("{segment:016x}.log"))
}

/// The segment numbers in `dir`, oldest first.
pub fn list(dir: &Path) -> std::io::Result<Vec<u64>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let name = e?.file_name();
        let name = name.to_string_lossy();
        if let Some(n) = name.strip_suffix(".log") {
            if let Ok(n) = u64::from_str_radix(n, 16) {
                out.push(n);
            }
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// Appends a record to `buf`.
pub fn frame(buf: &mut Vec<u8>, record: &pb::InboxRecord) {
    let body = record.encode_to_vec();
    buf.extend_from_slice(&(body.len() as u32).to_le_bytes());
    buf.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    buf.extend_from_slice(&body);
}

/// The segment being appended to.
pub struct Writer {
    pub segment: u64,
    pub file: File,
    pub len: u64,
}

impl Writer {
    /// Creates segment `segment` holding `first` (its checkpoint), durably, directory
    /// entry included.
    pub fn create(dir: &Path, segment: u64, first: &pb::InboxRecord) -> std::io::Result<Writer> {
        let path = segment_path(dir, segment);
        let mut file = OpenOptions::new()
            .create_new(true)
            .read(true)
            .append(true)
            .open(&path)?;
        let mut buf = MAGIC.to_vec();
        frame(&mut buf, first);
        file.write_all(&buf)?;
        file.sync_all()?;
        File::open(dir)?.sync_all()?;
        Ok(Writer {
            segment,
            file,
            len: buf.len() as u64,
        })
    }

    /// Appends `buf` (framed records) and makes it durable; returns where it starts.
    pub fn append(&mut self, buf: &[u8]) -> std::io::Result<u64> {
        let at = self.len;
        self.file.write_all(buf)?;
        self.file.sync_data()?;
        self.len += buf.len() as u64;
        Ok(at)
    }
}

/// Why a segment does not read.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not an inbox segment, or one written by a newer x0t (header {header})")]
    Header { path: PathBuf, header: String },
    #[error(
        "{path}: record at byte {offset} is corrupt ({why}); the inbox cannot be read past it"
    )]
    Corrupt {
        path: PathBuf,
        offset: u64,
        why: String,
    },
}

/// Reads every record of segment `segment`, calling `each(record, loc)`. With `last`, a
/// damaged tail is cut off (a crash mid-append) and its length returned; otherwise it is
/// an error. Returns the length of the good part (after any cut).
pub fn replay(
    dir: &Path,
    segment: u64,
    last: bool,
    mut each: impl FnMut(pb::InboxRecord, Loc),
) -> Result<u64, LogError> {
    let path = segment_path(dir, segment);
    let io = |source| LogError::Io {
        path: path.clone(),
        source,
    };
    let mut bytes = Vec::new();
    File::open(&path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(io)?;
    if bytes.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
        return Err(LogError::Header {
            path: path.clone(),
            header: hex::encode(&bytes[..bytes.len().min(MAGIC.len())]),
        });
    }
    let mut at = HEADER as usize;
    let damaged = |offset: usize, why: &str| LogError::Corrupt {
        path: path.clone(),
        offset: offset as u64,
        why: why.into(),
    };
    while at < bytes.len() {
        let problem = match bytes.get(at..at + 8) {
            None => Some("cut short in its header"),
            Some(h) => {
                let len = u32::from_le_bytes(h[..4].try_into().expect("4 bytes"));
                let crc = u32::from_le_bytes(h[4..].try_into().expect("4 bytes"));
                let body = (len <= MAX_RECORD)
                    .then(|| bytes.get(at + 8..at + 8 + len as usize))
                    .flatten();
                match body {
                    None => Some("cut short"),
                    Some(b) if crc32fast::hash(b) != crc => Some("checksum mismatch"),
                    Some(b) => match pb::InboxRecord::decode(b) {
                        Err(_) => Some("does not decode"),
                        Ok(r) => {
                            let loc = Loc {
                                segment,
                                offset: (at + 8) as u64,
                                len,
                            };
                            each(r, loc);
                            at += 8 + len as usize;
                            None
                        }
                    },
                }
            }
        };
        if let Some(why) = problem {
            if !last {
                return Err(damaged(at, why));
            }
            let cut = (bytes.len() - at) as u64;
            OpenOptions::new()
                .write(true)
                .open(&path)
                .and_then(|f| {
                    f.set_len(at as u64)?;
                    f.sync_all()
                })
                .map_err(io)?;
            tracing::warn!(path = %path.display(), offset = at, bytes = cut, "inbox: cut off an incomplete record at the end of the log ({why}); its commit was never acknowledged");
            return Ok(at as u64);
        }
    }
    Ok(at as u64)
}

/// Reads the record at `loc` from an open segment.
pub fn read_at(file: &File, loc: Loc) -> std::io::Result<pb::InboxRecord> {
    let mut buf = vec![0u8; loc.len as usize];
    file.read_exact_at(&mut buf, loc.offset)?;
    pb::InboxRecord::decode(buf.as_slice())
        .map_err(|e| std::io::Error::new(ErrorKind::InvalidData, e.to_string()))
}
