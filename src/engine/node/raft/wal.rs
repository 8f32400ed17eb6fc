//! The raft log's write-ahead log: append-only segment files in `raft/wal/`, a header and
//! then records of `[length u32][crc32 u32][body]` (little endian), where a body is a kind
//! byte and its data: a log entry (JSON), or a truncation (the first index it removes).
//!
//! One batch of appends is one `pwrite` and one `fdatasync`: no page tree to rewrite, as the
//! redb table that held the log before schema 5 had. Segments are preallocated a few MiB
//! at a time, so a sync rarely has file metadata to flush. The writer rolls to a new
//! segment past [`SEGMENT_BYTES`]; a purge deletes the oldest segments once every entry in
//! them is purged, oldest first, so that no later truncation record is lost while an older
//! segment still holds what it truncated.
//!
//! On open, the newest segment ends at its first record that is zero (preallocated space)
//! or does not check out (a write cut short by a crash, never acknowledged): the file is
//! cut there, so no remnant of that write can follow the next record. A bad record in an
//! older segment is corruption, and opening fails naming the file and offset.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::ops::Bound;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use openraft::LogId;
use serde::Deserialize;

use crate::engine::node::raft::{decode, StoreError, TypeConfig};

type Entry = openraft::Entry<TypeConfig>;

/// The directory inside the node's raft directory.
pub const WAL_DIR: &str = "wal";
/// The first bytes of every segment; the last one is the format version.
const MAGIC: &[u8; 8] = b"x0traft\x01";
const START: u64 = MAGIC.len() as u64;
/// A segment takes no new batch once it is this long.
const SEGMENT_BYTES: u64 = 64 << 20;
/// Space reserved ahead of the writer at a time.
const PREALLOCATE: u64 = 4 << 20;
/// A record larger than this is not one this program wrote, and `append` refuses to write
/// one: a raft message is at most 256 MiB (`spec.limits.maxMessageSize`), and an entry's JSON
/// carries its value in base64, a third larger.
const MAX_RECORD: u32 = 512 << 20;

const ENTRY: u8 = 1;
const TRUNCATE: u8 = 2;

/// Where an entry's JSON lies.
#[derive(Debug, Clone, Copy)]
struct Loc {
    segment: u64,
    offset: u64,
    len: u32,
    log_id: LogId<u64>,
}

/// What readers share with the writer: where each entry is, and the open segment files.
#[derive(Default)]
pub(crate) struct Index {
    locs: BTreeMap<u64, Loc>,
    files: BTreeMap<u64, Arc<File>>,
}

/// The index, shared between the writer thread and every reader.
pub(crate) type Shared = Arc<RwLock<Index>>;

impl Index {
    /// The id of the last entry held.
    pub(crate) fn last(&self) -> Option<LogId<u64>> {
        self.locs.last_key_value().map(|(_, l)| l.log_id)
    }
}

/// The entries of `range` that the log holds, in order. The index is only held while
/// their places are looked up, not while they are read.
pub(crate) fn read(
    shared: &Shared,
    range: (Bound<u64>, Bound<u64>),
) -> Result<Vec<Entry>, StoreError> {
    let places: Vec<(Loc, Arc<File>)> = {
        let index = shared.read().unwrap_or_else(|e| e.into_inner());
        (index.locs.range(range))
            .map(|(_, loc)| {
                let file = index.files.get(&loc.segment).cloned();
                file.map(|f| (*loc, f)).ok_or(StoreError::Malformed {
                    what: "raft log index",
                })
            })
            .collect::<Result<_, _>>()?
    };
    places
        .into_iter()
        .map(|(loc, file)| {
            let mut buf = vec![0u8; loc.len as usize];
            file.read_exact_at(&mut buf, loc.offset)
                .map_err(|source| StoreError::Io {
                    path: segment_name(loc.segment).into(),
                    source,
                })?;
            decode("log entry", &buf)
        })
        .collect()
}

fn segment_name(segment: u64) -> String {
    format!("{segment:016x}.wal")
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The segment numbers in `dir`, oldest first.
fn list(dir: &Path) -> Result<Vec<u64>, StoreError> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io(dir))? {
        let name = e.map_err(io(dir))?.file_name();
        let name = name.to_string_lossy();
        if let Some(n) = name.strip_suffix(".wal") {
            if let Ok(n) = u64::from_str_radix(n, 16) {
                out.push(n);
            }
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// Appends a record of `kind` with `data` to `buf`.
fn frame(buf: &mut Vec<u8>, kind: u8, data: &[u8]) {
    let len = data.len() as u32 + 1;
    let mut crc = crc32fast::Hasher::new();
    crc.update(&[kind]);
    crc.update(data);
    buf.extend_from_slice(&len.to_le_bytes());
    buf.extend_from_slice(&crc.finalize().to_le_bytes());
    buf.push(kind);
    buf.extend_from_slice(data);
}

#[derive(Deserialize)]
struct Head {
    log_id: LogId<u64>,
}

/// One segment's records, as `replay` reads them.
enum Record {
    Entry(Loc),
    Truncate(u64),
}

/// Reads segment `segment` of `dir`: its records in order, and where its data ends. A bad
/// record ends the newest segment (`last`); in an older one it is corruption.
fn replay(dir: &Path, segment: u64, last: bool) -> Result<(Vec<Record>, u64), StoreError> {
    let path = dir.join(segment_name(segment));
    let bytes = std::fs::read(&path).map_err(io(&path))?;
    let corrupt = |offset: usize, why: &str| StoreError::BadLog {
        path: path.clone(),
        offset: offset as u64,
        why: why.into(),
    };
    if last && bytes.len() < MAGIC.len() && MAGIC.starts_with(&bytes) {
        // Created when a crash came, before its header was on disk.
        return Ok((Vec::new(), 0));
    }
    if bytes.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
        return Err(corrupt(0, "not a raft log segment of this format"));
    }
    let mut records = Vec::new();
    let mut at = START as usize;
    while at < bytes.len() {
        let Some(h) = bytes.get(at..at + 8) else {
            break;
        };
        let len = u32::from_le_bytes(h[..4].try_into().expect("4 bytes"));
        let crc = u32::from_le_bytes(h[4..].try_into().expect("4 bytes"));
        if len == 0 {
            // Preallocated space: the data ends here.
            break;
        }
        let body = (len <= MAX_RECORD)
            .then(|| bytes.get(at + 8..at + 8 + len as usize))
            .flatten();
        let problem = match body {
            None => Some("cut short"),
            Some(b) if crc32fast::hash(b) != crc => Some("checksum mismatch"),
            Some(b) => match (b[0], &b[1..]) {
                (ENTRY, data) => match serde_json::from_slice::<Head>(data) {
                    Ok(h) => {
                        records.push(Record::Entry(Loc {
                            segment,
                            offset: (at + 9) as u64,
                            len: len - 1,
                            log_id: h.log_id,
                        }));
                        None
                    }
                    Err(_) => Some("entry does not decode"),
                },
                (TRUNCATE, data) if data.len() == 8 => {
                    let since = u64::from_le_bytes(data.try_into().expect("8 bytes"));
                    records.push(Record::Truncate(since));
                    None
                }
                _ => Some("unknown record kind"),
            },
        };
        if let Some(why) = problem {
            if !last {
                return Err(corrupt(at, why));
            }
            tracing::warn!(path = %path.display(), offset = at, "raft log: cut off an incomplete write at the end ({why}); it was never acknowledged");
            break;
        }
        at += 8 + len as usize;
    }
    Ok((records, at as u64))
}

/// Replays every segment of `dir` into locations by index, with each segment's highest
/// index, and where the newest one's data ends.
#[allow(clippy::type_complexity)]
fn replay_all(
    dir: &Path,
) -> Result<(BTreeMap<u64, Loc>, BTreeMap<u64, u64>, Option<(u64, u64)>), StoreError> {
    let segments = list(dir)?;
    let mut locs: BTreeMap<u64, Loc> = BTreeMap::new();
    let mut highest = BTreeMap::new();
    let mut end = None;
    for (i, &segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let (records, at) = replay(dir, segment, last)?;
        let mut top = 0;
        for r in records {
            match r {
                Record::Entry(loc) => {
                    top = top.max(loc.log_id.index);
                    locs.insert(loc.log_id.index, loc);
                }
                Record::Truncate(since) => {
                    locs.split_off(&since);
                }
            }
        }
        highest.insert(segment, top);
        if last {
            end = Some((segment, at));
        }
    }
    Ok((locs, highest, end))
}

/// The log's entries from index `from` on in `dir`, read without writing anything (a
/// stopped node's store, offline).
pub(crate) fn read_offline(dir: &Path, from: u64) -> Result<Vec<Entry>, StoreError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let (locs, _, _) = replay_all(dir)?;
    let files = (locs.values().map(|l| l.segment))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|s| {
            let path = dir.join(segment_name(s));
            Ok((s, Arc::new(File::open(&path).map_err(io(&path))?)))
        })
        .collect::<Result<_, StoreError>>()?;
    let shared: Shared = Arc::new(RwLock::new(Index { locs, files }));
    read(&shared, (Bound::Included(from), Bound::Unbounded))
}

/// The writer's side of the log: the segment being appended to.
pub(crate) struct Wal {
    dir: PathBuf,
    shared: Shared,
    /// Segment -> the highest index it holds.
    highest: BTreeMap<u64, u64>,
    segment: u64,
    file: Arc<File>,
    /// Where the next record goes, and how far the file is allocated.
    at: u64,
    allocated: u64,
    /// The first write or sync that failed. After one, what the segment holds past `at` is
    /// unknown (and Linux may have dropped the pages a failed sync did not write), so the
    /// log takes no more writes until the node restarts and replays it.
    failed: Option<String>,
}

impl Wal {
    /// Opens the log in `dir` (creating it), dropping what `purged` covers; returns it and
    /// the index readers share.
    pub(crate) fn open(dir: &Path, purged: Option<u64>) -> Result<(Wal, Shared), StoreError> {
        crate::engine::state::create_private_dir(dir).map_err(|e| StoreError::Io {
            path: e.path,
            source: e.source,
        })?;
        let (mut locs, mut highest, end) = replay_all(dir)?;
        if let Some(p) = purged {
            locs = locs.split_off(&(p + 1));
        }
        // Raft's log has no holes: one here means entries were lost.
        let expect_first = purged.map_or(locs.keys().next().copied(), |p| Some(p + 1));
        if let (Some(first), Some((&have, _))) = (expect_first, locs.first_key_value()) {
            let last = *locs.keys().next_back().expect("not empty");
            if have != first || last - have + 1 != locs.len() as u64 {
                return Err(StoreError::BadLog {
                    path: dir.to_path_buf(),
                    offset: 0,
                    why: format!(
                        "the log after the purge point {first} has holes (holds {} entries from {have} to {last})",
                        locs.len()
                    ),
                });
            }
        }
        let (segment, at, file) = match end {
            Some((segment, at)) => {
                // Cut what follows the data (preallocated zeros, or a write cut short), so
                // nothing of it can ever follow a new record.
                let path = dir.join(segment_name(segment));
                let file = OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open(&path)
                    .map_err(io(&path))?;
                file.set_len(at).map_err(io(&path))?;
                if at < START {
                    file.write_all_at(MAGIC, 0).map_err(io(&path))?;
                }
                file.sync_all().map_err(io(&path))?;
                (segment, at.max(START), file)
            }
            None => {
                highest.insert(0, 0);
                (0, START, create_segment(dir, 0)?)
            }
        };
        let shared: Shared = Arc::default();
        let wal = Wal {
            dir: dir.to_path_buf(),
            shared: shared.clone(),
            highest,
            segment,
            file: Arc::new(file),
            at,
            allocated: at,
            failed: None,
        };
        {
            let mut index = shared.write().unwrap_or_else(|e| e.into_inner());
            for s in wal.highest.keys() {
                let file = if *s == wal.segment {
                    wal.file.clone()
                } else {
                    let path = dir.join(segment_name(*s));
                    Arc::new(File::open(&path).map_err(io(&path))?)
                };
                index.files.insert(*s, file);
            }
            index.files.insert(wal.segment, wal.file.clone());
            index.locs = locs;
        }
        Ok((wal, shared))
    }

    /// Rolls to segment `segment`.
    fn create(&mut self, segment: u64) -> Result<(), StoreError> {
        let file = create_segment(&self.dir, segment)?;
        self.segment = segment;
        self.file = Arc::new(file);
        self.at = START;
        self.allocated = START;
        self.highest.insert(segment, 0);
        let mut index = self.shared.write().unwrap_or_else(|e| e.into_inner());
        index.files.insert(segment, self.file.clone());
        Ok(())
    }

    /// Writes `buf` at the end of the current segment (rolling to a new one first if this
    /// one is full) and syncs it.
    fn write(&mut self, buf: &[u8]) -> Result<u64, StoreError> {
        self.check()?;
        let r = self.write_unchecked(buf);
        if let Err(e) = &r {
            self.failed = Some(e.to_string());
        }
        r
    }

    /// Stops the log: no more writes until the node restarts.
    pub(crate) fn fail(&mut self, why: String) {
        self.failed.get_or_insert(why);
    }

    /// Refuses work once a write has failed.
    fn check(&self) -> Result<(), StoreError> {
        match &self.failed {
            None => Ok(()),
            Some(first) => Err(StoreError::Io {
                path: self.dir.clone(),
                source: std::io::Error::other(format!(
                    "the raft log takes no more writes after a failed one ({first}); restart the node"
                )),
            }),
        }
    }

    fn write_unchecked(&mut self, buf: &[u8]) -> Result<u64, StoreError> {
        if self.at > START && self.at + buf.len() as u64 > SEGMENT_BYTES {
            self.create(self.segment + 1)?;
        }
        let path = self.dir.join(segment_name(self.segment));
        let end = self.at + buf.len() as u64;
        if end > self.allocated {
            let want = (end + PREALLOCATE).max(self.allocated);
            allocate(&self.file, self.allocated, want - self.allocated).map_err(io(&path))?;
            self.allocated = want;
        }
        let at = self.at;
        self.file.write_all_at(buf, at).map_err(io(&path))?;
        self.file.sync_data().map_err(io(&path))?;
        self.at = end;
        Ok(at)
    }

    /// Appends `rows` (entry id, its JSON) durably: one write, one sync.
    pub(crate) fn append(&mut self, rows: &[(LogId<u64>, Vec<u8>)]) -> Result<(), StoreError> {
        let mut buf = Vec::with_capacity(rows.iter().map(|(_, b)| b.len() + 9).sum());
        let mut spans = Vec::with_capacity(rows.len());
        for (id, bytes) in rows {
            if bytes.len() >= MAX_RECORD as usize {
                return Err(StoreError::BadLog {
                    path: self.dir.clone(),
                    offset: self.at,
                    why: format!(
                        "entry {} is {} bytes; the log holds entries under {MAX_RECORD}",
                        id.index,
                        bytes.len()
                    ),
                });
            }
            spans.push((*id, buf.len() as u64 + 9, bytes.len() as u32));
            frame(&mut buf, ENTRY, bytes);
        }
        let before = self.segment;
        let at = self.write(&buf)?;
        debug_assert!(self.segment >= before);
        let top = rows.iter().map(|(id, _)| id.index).max().unwrap_or(0);
        let h = self.highest.entry(self.segment).or_default();
        *h = (*h).max(top);
        let mut index = self.shared.write().unwrap_or_else(|e| e.into_inner());
        for (log_id, offset, len) in spans {
            index.locs.insert(
                log_id.index,
                Loc {
                    segment: self.segment,
                    offset: at + offset,
                    len,
                    log_id,
                },
            );
        }
        Ok(())
    }

    /// Removes every entry from `since` on, durably.
    pub(crate) fn truncate(&mut self, since: u64) -> Result<(), StoreError> {
        let mut buf = Vec::with_capacity(17);
        frame(&mut buf, TRUNCATE, &since.to_le_bytes());
        self.write(&buf)?;
        let mut index = self.shared.write().unwrap_or_else(|e| e.into_inner());
        index.locs.split_off(&since);
        Ok(())
    }

    /// Forgets entries up to `upto` and deletes the oldest segments that hold nothing
    /// newer; the caller has made the purge point durable first.
    pub(crate) fn purge(&mut self, upto: u64) -> Result<(), StoreError> {
        self.check()?;
        {
            let mut index = self.shared.write().unwrap_or_else(|e| e.into_inner());
            index.locs = index.locs.split_off(&(upto + 1));
        }
        let done: Vec<u64> = (self.highest.iter())
            .take_while(|(s, top)| **s != self.segment && **top <= upto)
            .map(|(s, _)| *s)
            .collect();
        for s in done {
            let path = self.dir.join(segment_name(s));
            std::fs::remove_file(&path).map_err(io(&path))?;
            self.highest.remove(&s);
            let mut index = self.shared.write().unwrap_or_else(|e| e.into_inner());
            index.files.remove(&s);
        }
        Ok(())
    }

    /// Empties the log: every segment goes, a fresh one starts.
    pub(crate) fn reset(&mut self) -> Result<(), StoreError> {
        self.check()?;
        let next = self.segment + 1;
        for s in list(&self.dir)? {
            let path = self.dir.join(segment_name(s));
            std::fs::remove_file(&path).map_err(io(&path))?;
        }
        self.highest.clear();
        {
            let mut index = self.shared.write().unwrap_or_else(|e| e.into_inner());
            *index = Index::default();
        }
        self.create(next)
    }
}

/// Creates segment `segment` of `dir` holding only its header, durably (its directory
/// entry included), for the node's user only.
fn create_segment(dir: &Path, segment: u64) -> Result<File, StoreError> {
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join(segment_name(segment));
    let file = OpenOptions::new()
        .create_new(true)
        .read(true)
        .write(true)
        .mode(crate::engine::util::fsutil::PRIVATE_MODE)
        .open(&path)
        .map_err(io(&path))?;
    file.write_all_at(MAGIC, 0).map_err(io(&path))?;
    file.sync_all().map_err(io(&path))?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))?;
    Ok(file)
}

/// Reserves `len` bytes of `file` from `offset` (zeros), where the file system can.
fn allocate(file: &File, offset: u64, len: u64) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: fallocate only reads its integer arguments; the descriptor is open for
    // writing for as long as `file` lives.
    let r = unsafe {
        libc::fallocate(
            file.as_raw_fd(),
            0,
            offset as libc::off_t,
            len as libc::off_t,
        )
    };
    if r == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        // Not supported here: the file grows as it is written instead.
        Some(libc::EOPNOTSUPP) | Some(libc::ENOSYS) => Ok(()),
        _ => Err(e),
    }
}
