//! Reading a stopped node's store without writing to it: its newest snapshot (or the tables
//! of an older schema) with every log entry after it applied.

use std::path::Path;
use std::sync::Arc;

use openraft::LogId;
use redb::{ReadableDatabase, ReadableTable};

use crate::engine::node::raft::{decode, DbContext, StoreError, AUDIT, KV, SM_META};
use crate::engine::snapshot::restore::Existing;

use super::*;

/// What a stopped node's store holds, offline: its newest snapshot (or the tables of an
/// older schema) with every log entry after it applied.
pub(crate) fn peek(
    db: &impl ReadableDatabase,
    snap_dir: &Path,
    wal_dir: &Path,
) -> Result<Existing, StoreError> {
    let txn = db.begin_read().ctx("begin read")?;
    let (metas, sums): (Vec<Meta>, std::collections::BTreeMap<String, String>) =
        match txn.open_table(SM_META) {
            Ok(meta) => (
                get_json(&meta, SNAPSHOTS, "snapshot list")?.unwrap_or_default(),
                get_json(&meta, SNAPSHOT_SUMS, "snapshot sums")?.unwrap_or_default(),
            ),
            Err(redb::TableError::TableDoesNotExist(_)) => Default::default(),
            Err(e) => return Err(e).ctx("open sm_meta table"),
        };
    let mut state = match metas.last() {
        Some(meta) => read_state(snap_dir, meta, sums.get(&meta.snapshot_id))?,
        None => State::default(),
    };
    if let Some(legacy) = legacy_state(db)?.filter(|l| l.applied > state.applied) {
        state = legacy;
    }
    let mut last_log_index = 0;
    match txn.open_table(crate::engine::node::raft::LOGS) {
        Ok(logs) => {
            let from = state.applied.map_or(0, |l| l.index + 1);
            for item in logs.range(from..).ctx("scan log")? {
                let (k, v) = item.ctx("scan log")?;
                let entry: Entry = decode("log entry", v.value())?;
                state.apply(vec![entry])?;
                last_log_index = k.value();
            }
            if last_log_index == 0 {
                last_log_index =
                    (logs.last().ctx("read last log entry")?).map_or(0, |(k, _)| k.value());
            }
        }
        Err(redb::TableError::TableDoesNotExist(_)) => {}
        Err(e) => return Err(e).ctx("open logs table"),
    }
    // Schema 5 keeps the log in its write-ahead log (a store caught mid-move still has it
    // in the table, the copy of record until the move commits).
    if last_log_index == 0 {
        let after = state.applied.map_or(0, |l| l.index);
        let entries = crate::engine::node::raft::wal::read_offline(wal_dir, 0)?;
        for entry in entries {
            last_log_index = entry.log_id.index;
            if entry.log_id.index > after {
                state.apply(vec![entry])?;
            }
        }
    }
    Ok(Existing {
        applied: state.applied,
        last_log_index,
        kv: state.kv_entries()?,
    })
}

/// What a store of schema 2 or older kept in its own tables: the applied state, before the
/// state machine moved into memory.
pub(super) fn legacy_state(db: &impl ReadableDatabase) -> Result<Option<State>, StoreError> {
    let txn = db.begin_read().ctx("begin read")?;
    let applied: Option<LogId<u64>> = match txn.open_table(SM_META) {
        Ok(meta) => {
            get_json::<&str, Option<LogId<u64>>>(&meta, LAST_APPLIED, "last applied")?.flatten()
        }
        Err(redb::TableError::TableDoesNotExist(_)) => None,
        Err(e) => return Err::<Option<State>, _>(e).ctx("open sm_meta table"),
    };
    let Some(applied) = applied else {
        return Ok(None);
    };
    let meta = txn.open_table(SM_META).ctx("open sm_meta table")?;
    let mut state = State {
        applied: Some(applied),
        membership: get_json(&meta, LAST_MEMBERSHIP, "last membership")?.unwrap_or_default(),
        ..State::default()
    };
    match txn.open_table(KV) {
        Ok(kv) => {
            for item in kv.iter().ctx("scan kv")? {
                let (k, v) = item.ctx("scan kv")?;
                state.kv.insert(k.value().to_string(), Arc::from(v.value()));
            }
        }
        Err(redb::TableError::TableDoesNotExist(_)) => {}
        Err(e) => return Err::<Option<State>, _>(e).ctx("open kv table"),
    }
    match txn.open_table(AUDIT) {
        Ok(audit) => {
            for item in audit.iter().ctx("scan audit")? {
                let (k, v) = item.ctx("scan audit")?;
                state.audit.push((k.value(), Arc::from(v.value())));
            }
        }
        Err(redb::TableError::TableDoesNotExist(_)) => {}
        Err(e) => return Err::<Option<State>, _>(e).ctx("open audit table"),
    }
    Ok(Some(state))
}
