//! Carries an inbox of the earlier format (one redb file, `inbox.redb` beside the inbox
//! directory) over into the log: its messages, stream marks and remembered ids become the
//! first segment, and the file is removed only once that segment is durable.

use std::path::Path;

use prost::Message as _;
use redb::{ReadableDatabase, ReadableTable, TableDefinition};

use super::log::{self, Writer};
use crate::engine::rpc::pb;
use crate::engine::rpc::pb::inbox_record::Entry;

const MESSAGES: TableDefinition<u64, &[u8]> = TableDefinition::new("messages");
const STREAMS: TableDefinition<&str, u64> = TableDefinition::new("streams");
const SEEN: TableDefinition<&[u8], u64> = TableDefinition::new("seen");

#[derive(Debug, thiserror::Error)]
#[error("carrying over {path}: {message}")]
pub struct MigrateError {
    path: String,
    message: String,
}

/// Does the carrying over if `dir` does not exist yet and `inbox.redb` beside it does.
pub fn from_redb(dir: &Path) -> Result<(), MigrateError> {
    let old = dir.with_file_name("inbox.redb");
    if !old.exists() {
        return Ok(());
    }
    let err = |message: String| MigrateError {
        path: old.display().to_string(),
        message,
    };
    // Carried over already: a crash came between the rename and removing the old file.
    if dir.exists() {
        return std::fs::remove_file(&old).map_err(|e| err(e.to_string()));
    }
    let db = redb::Database::open(&old).map_err(|e| err(e.to_string()))?;
    let txn = db.begin_read().map_err(|e| err(e.to_string()))?;
    let mut records = Vec::new();
    let mut next_index = 1;
    let mut streams = Vec::new();
    if let Ok(t) = txn.open_table(MESSAGES) {
        for row in t.iter().map_err(|e| err(e.to_string()))? {
            let (_, v) = row.map_err(|e| err(e.to_string()))?;
            let m = pb::InboxMessage::decode(v.value()).map_err(|e| err(e.to_string()))?;
            next_index = next_index.max(m.index + 1);
            records.push(Entry::Message(m));
        }
    }
    if let Ok(t) = txn.open_table(SEEN) {
        for row in t.iter().map_err(|e| err(e.to_string()))? {
            let (k, v) = row.map_err(|e| err(e.to_string()))?;
            records.push(Entry::Seen(pb::InboxSeen {
                id: k.value().to_vec(),
                until_unix_ms: v.value(),
            }));
        }
    }
    if let Ok(t) = txn.open_table(STREAMS) {
        for row in t.iter().map_err(|e| err(e.to_string()))? {
            let (k, v) = row.map_err(|e| err(e.to_string()))?;
            streams.push(pb::InboxStreamMark {
                stream: k.value().to_string(),
                high_water: v.value(),
            });
        }
    }
    // Built in a directory of its own and renamed into place: a crash before the rename
    // leaves the old file in charge, and the next start does it again.
    let building = dir.with_extension("migrating");
    let _ = std::fs::remove_dir_all(&building);
    std::fs::create_dir_all(&building).map_err(|e| err(e.to_string()))?;
    let checkpoint = pb::InboxRecord {
        entry: Some(Entry::Checkpoint(pb::InboxCheckpoint {
            next_index,
            streams,
            confirmed: Vec::new(),
        })),
    };
    let mut w = Writer::create(&building, 1, &checkpoint).map_err(|e| err(e.to_string()))?;
    let mut buf = Vec::new();
    for entry in records {
        log::frame(&mut buf, &pb::InboxRecord { entry: Some(entry) });
    }
    w.append(&buf).map_err(|e| err(e.to_string()))?;
    drop(txn);
    drop(db);
    std::fs::rename(&building, dir).map_err(|e| err(e.to_string()))?;
    if let Some(parent) = dir.parent() {
        std::fs::File::open(parent)
            .and_then(|f| f.sync_all())
            .map_err(|e| err(e.to_string()))?;
    }
    std::fs::remove_file(&old).map_err(|e| err(e.to_string()))?;
    tracing::info!(from = %old.display(), to = %dir.display(), "inbox carried over to the log format");
    Ok(())
}
