//! Snapshot files checked at rest: the SHA-256 of each kept file is recorded when it is
//! written and checked when it is loaded; a damaged newest file is passed over for an
//! older one while the log can replay what it held.

use super::*;

impl Inner {
    /// The state of the newest kept snapshot whose file is sound. A damaged newer file is
    /// passed over, moved aside as `.damaged` and dropped from the list, only while the log
    /// still holds every entry after the older snapshot; otherwise the damage is the error.
    pub(super) fn usable_snapshot(
        &self,
        mut metas: Vec<Meta>,
    ) -> Result<Option<State>, StoreError> {
        let sums = self.sums()?;
        let purged = crate::engine::node::raft::log_store::last_purged(&self.db)?;
        let mut first_error = None;
        while let Some(meta) = metas.last() {
            match read_state(&self.snap_dir, meta, sums.get(&meta.snapshot_id)) {
                Ok(state) => {
                    if first_error.is_some() {
                        let txn = self.db.begin_write().ctx("begin snapshot list")?;
                        put_json(&txn, SNAPSHOTS, &metas)?;
                        txn.commit().ctx("commit snapshot list")?;
                    }
                    return Ok(Some(state));
                }
                Err(e) => {
                    let damaged = metas.pop().expect("a last meta");
                    let older = metas.last().map(|m| m.last_log_id);
                    // Replaying from an older snapshot needs the log after it.
                    let covered = older.is_some_and(|o| o >= purged);
                    tracing::error!(snapshot = %damaged.snapshot_id, "{e}");
                    if !covered {
                        return Err(first_error.unwrap_or(e));
                    }
                    let path = self.snap_dir.join(file_name(&damaged.snapshot_id));
                    let aside = path.with_extension("snap.damaged");
                    fs::rename(&path, &aside).map_err(io_err(&path))?;
                    tracing::warn!(file = %aside.display(), "moved a damaged snapshot aside; loading the one before it and replaying the log");
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(None),
        }
    }

    pub(super) fn sums(&self) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
        let txn = self.db.begin_read().ctx("begin read")?;
        let meta = txn.open_table(SM_META).ctx("open sm_meta table")?;
        Ok(get_json(&meta, SNAPSHOT_SUMS, "snapshot sums")?.unwrap_or_default())
    }

    /// Records the SHA-256 of snapshot file `id`, keeping only those of `kept` files.
    pub(super) fn record_sum(&self, id: &str, sha256: &str) -> Result<(), StoreError> {
        let txn = self.db.begin_write().ctx("begin snapshot sum")?;
        {
            let table = txn.open_table(SM_META).ctx("open sm_meta table")?;
            let metas: Vec<Meta> =
                get_json(&table, SNAPSHOTS, "snapshot list")?.unwrap_or_default();
            let mut sums: std::collections::BTreeMap<String, String> =
                get_json(&table, SNAPSHOT_SUMS, "snapshot sums")?.unwrap_or_default();
            sums.insert(id.to_string(), sha256.to_string());
            sums.retain(|k, _| metas.iter().any(|m| &m.snapshot_id == k));
            drop(table);
            put_json(&txn, SNAPSHOT_SUMS, &sums)?;
        }
        txn.commit().ctx("commit snapshot sum")?;
        Ok(())
    }
}
