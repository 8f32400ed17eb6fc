//! Raft storage: openraft's own storage suite, plus durability, schema, snapshot and audit tests.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::path::Path;

use openraft::storage::{RaftLogStorage, RaftLogStorageExt, RaftStateMachine};
use openraft::testing::{StoreBuilder, Suite};
use openraft::{
    CommittedLeaderId, EntryPayload, ErrorSubject, ErrorVerb, LogId, Membership, RaftLogReader,
    RaftSnapshotBuilder, StorageError, Vote,
};
use tempfile::TempDir;
use x0tta6bl4::engine::node::raft::{
    open, open_with, AuditAction, KvEntry, LogStore, MeshNode, Request, Response, StateMachine,
    StoreError, TypeConfig, AUDIT_KEEP,
};

type Entry = openraft::Entry<TypeConfig>;

struct Builder;

impl StoreBuilder<TypeConfig, LogStore, StateMachine, TempDir> for Builder {
    async fn build(&self) -> Result<(TempDir, LogStore, StateMachine), StorageError<u64>> {
        let dir = TempDir::new()
            .map_err(|e| StorageError::from_io_error(ErrorSubject::Store, ErrorVerb::Write, e))?;
        let (log, sm) = open(dir.path()).map_err(|e| {
            StorageError::from_io_error(
                ErrorSubject::Store,
                ErrorVerb::Write,
                std::io::Error::other(e),
            )
        })?;
        Ok((dir, log, sm))
    }
}

#[test]
fn openraft_storage_suite() {
    Suite::test_all(Builder).expect("openraft storage suite");
}

fn log_id(term: u64, index: u64) -> LogId<u64> {
    LogId::new(CommittedLeaderId::new(term, 1), index)
}

fn put(index: u64, key: &str, value: &[u8]) -> Entry {
    let request = Request::Put {
        key: key.into(),
        value: value.to_vec(),
        actor: "spiffe://mesh/ops".into(),
        at: format!("2026-01-01T00:00:{index:02}Z"),
    };
    Entry {
        log_id: log_id(1, index),
        payload: EntryPayload::Normal(request),
    }
}

fn delete(index: u64, key: &str) -> Entry {
    let request = Request::Delete {
        key: key.into(),
        actor: "spiffe://mesh/admin".into(),
        at: "2026-01-02T00:00:00Z".into(),
    };
    Entry {
        log_id: log_id(1, index),
        payload: EntryPayload::Normal(request),
    }
}

fn membership(index: u64) -> Entry {
    let nodes = BTreeMap::from([(
        1,
        MeshNode {
            name: "alpha".into(),
            addr: "127.0.0.1:7001".into(),
        },
    )]);
    let m = Membership::new(vec![BTreeSet::from([1])], nodes);
    Entry {
        log_id: log_id(1, index),
        payload: EntryPayload::Membership(m),
    }
}

fn snap_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn reopen_keeps_vote_log_kv_and_snapshot() {
    let dir = TempDir::new().unwrap();
    let value = vec![0u8, 255, 10, 13, 34, 92];
    {
        let (mut log, mut sm) = open(dir.path()).unwrap();
        log.save_vote(&Vote::new(3, 1)).await.unwrap();
        let entries = vec![membership(1), put(2, "svc/a", &value)];
        log.blocking_append(entries.clone()).await.unwrap();
        sm.apply(entries).await.unwrap();
        sm.get_snapshot_builder()
            .await
            .build_snapshot()
            .await
            .unwrap();
    }
    let (mut log, mut sm) = open(dir.path()).unwrap();
    assert_eq!(log.read_vote().await.unwrap(), Some(Vote::new(3, 1)));
    let entries = log.try_get_log_entries(..).await.unwrap();
    assert_eq!(
        entries.iter().map(|e| e.log_id).collect::<Vec<_>>(),
        vec![log_id(1, 1), log_id(1, 2)]
    );
    let state = log.get_log_state().await.unwrap();
    assert_eq!(state.last_log_id, Some(log_id(1, 2)));
    let (applied, members) = sm.applied_state().await.unwrap();
    assert_eq!(applied, Some(log_id(1, 2)));
    assert_eq!(members.log_id(), &Some(log_id(1, 1)));
    assert_eq!(sm.get("svc/a").unwrap().map(|e| e.value), Some(value));
    let snapshot = sm
        .get_current_snapshot()
        .await
        .unwrap()
        .expect("snapshot survives restart");
    assert_eq!(snapshot.meta.last_log_id, Some(log_id(1, 2)));
}

#[tokio::test]
async fn truncate_and_purge_keep_the_log_consecutive() {
    let dir = TempDir::new().unwrap();
    let (mut log, _sm) = open(dir.path()).unwrap();
    log.blocking_append((1..=6).map(|i| put(i, "k", b"v")))
        .await
        .unwrap();
    log.truncate(log_id(1, 5)).await.unwrap();
    log.purge(log_id(1, 2)).await.unwrap();
    let indexes: Vec<u64> = log
        .try_get_log_entries(..)
        .await
        .unwrap()
        .iter()
        .map(|e| e.log_id.index)
        .collect();
    assert_eq!(indexes, vec![3, 4]);
    let state = log.get_log_state().await.unwrap();
    assert_eq!(
        (state.last_purged_log_id, state.last_log_id),
        (Some(log_id(1, 2)), Some(log_id(1, 4)))
    );
}

#[tokio::test]
async fn a_purge_hides_its_entries_at_once_and_holds_after_a_restart() {
    let dir = TempDir::new().unwrap();
    {
        let (mut log, _sm) = open(dir.path()).unwrap();
        log.blocking_append((1..=1000).map(|i| put(i, "k", b"v")))
            .await
            .unwrap();
        log.purge(log_id(1, 900)).await.unwrap();
        // Gone for readers as soon as purge returns, while the writer still deletes them.
        let first = log.try_get_log_entries(..).await.unwrap()[0].log_id.index;
        assert_eq!(first, 901);
        assert!(log.try_get_log_entries(5..10).await.unwrap().is_empty());
        // Appends keep going while the purge runs, and the log stays consecutive.
        log.blocking_append([put(1001, "k", b"v")]).await.unwrap();
        let state = log.get_log_state().await.unwrap();
        assert_eq!(
            (state.last_purged_log_id, state.last_log_id),
            (Some(log_id(1, 900)), Some(log_id(1, 1001)))
        );
    }
    let (mut log, _sm) = open(dir.path()).unwrap();
    let state = log.get_log_state().await.unwrap();
    assert_eq!(
        (state.last_purged_log_id, state.last_log_id),
        (Some(log_id(1, 900)), Some(log_id(1, 1001)))
    );
    let indexes: Vec<u64> = (log.try_get_log_entries(..).await.unwrap().iter())
        .map(|e| e.log_id.index)
        .collect();
    assert_eq!(indexes, (901..=1001).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_schema_3_store_opens_with_its_data_and_is_stamped_5() {
    let dir = TempDir::new().unwrap();
    {
        let (_log, mut sm) = open(dir.path()).unwrap();
        sm.apply(vec![put(1, "k", b"v")]).await.unwrap();
        sm.get_snapshot_builder()
            .await
            .build_snapshot()
            .await
            .unwrap();
    }
    let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
    {
        let db = redb::Database::create(dir.path().join("raft.redb")).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(meta)
            .unwrap()
            .insert("schema_version", b"3".as_slice())
            .unwrap();
        txn.commit().unwrap();
    }
    let (_log, sm) = open(dir.path()).unwrap();
    assert_eq!(sm.get("k").unwrap().unwrap().value, b"v");
    drop((_log, sm));
    let db = redb::Database::create(dir.path().join("raft.redb")).unwrap();
    let txn = redb::ReadableDatabase::begin_read(&db).unwrap();
    let stamped = txn.open_table(meta).unwrap();
    let stamped = stamped.get("schema_version").unwrap().unwrap();
    assert_eq!(stamped.value(), b"5");
}

/// A store as schema 4 left it: the log in the `logs` table.
fn schema_4_store(dir: &std::path::Path, entries: &[Entry]) {
    let db = redb::Database::create(dir.join("raft.redb")).unwrap();
    let txn = db.begin_write().unwrap();
    let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
    let logs: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("logs");
    txn.open_table(meta)
        .unwrap()
        .insert("schema_version", b"4".as_slice())
        .unwrap();
    let mut table = txn.open_table(logs).unwrap();
    for e in entries {
        let bytes = serde_json::to_vec(e).unwrap();
        table.insert(e.log_id.index, bytes.as_slice()).unwrap();
    }
    drop(table);
    txn.commit().unwrap();
}

#[tokio::test]
async fn a_schema_4_log_moves_into_the_write_ahead_log_even_after_a_crash_midway() {
    // Index 0 too: where openraft puts a new cluster's first membership.
    let mut entries = vec![membership(0)];
    entries.extend((1..=50).map(|i| put(i, &format!("k{i}"), b"v")));
    let dir = TempDir::new().unwrap();
    schema_4_store(dir.path(), &entries);
    // A move that crashed: half-written staging, and even a `wal` renamed into place before
    // the stamp was committed. The table is still the copy of record.
    for leftover in ["wal.migrating", "wal"] {
        std::fs::create_dir(dir.path().join(leftover)).unwrap();
        std::fs::write(
            dir.path().join(leftover).join("0000000000000000.wal"),
            b"x0traft\x01garbage",
        )
        .unwrap();
    }
    {
        let (mut log, _sm) = open(dir.path()).unwrap();
        let got = log.try_get_log_entries(..).await.unwrap();
        assert_eq!(got, entries);
        let state = log.get_log_state().await.unwrap();
        assert_eq!(state.last_log_id, Some(log_id(1, 50)));
        log.blocking_append([put(51, "k51", b"v")]).await.unwrap();
    }
    assert!(!dir.path().join("wal.migrating").exists());
    let db = redb::Database::create(dir.path().join("raft.redb")).unwrap();
    {
        let txn = redb::ReadableDatabase::begin_read(&db).unwrap();
        let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
        let logs: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("logs");
        let stamp = txn.open_table(meta).unwrap();
        assert_eq!(stamp.get("schema_version").unwrap().unwrap().value(), b"5");
        assert!(redb::ReadableTableMetadata::is_empty(&txn.open_table(logs).unwrap()).unwrap());
    }
    drop(db);
    // Reopened as schema 5: the log is the write-ahead log's.
    let (mut log, _sm) = open(dir.path()).unwrap();
    let got = log.try_get_log_entries(..).await.unwrap();
    assert_eq!(got.len(), 52);
    assert_eq!(got[51].log_id, log_id(1, 51));
}

#[tokio::test]
async fn a_schema_4_log_with_a_hole_stays_in_its_table() {
    // Entries past a gap its purge point does not cover (a crash of x0t 0.1.0 between a
    // snapshot install's appends and its purge): the new log would refuse it, so the move
    // does not happen and x0t 0.1.0 can still open the store.
    let mut entries: Vec<Entry> = (1..=10).map(|i| put(i, "k", b"v")).collect();
    entries.extend((101..=105).map(|i| put(i, "k", b"v")));
    let dir = TempDir::new().unwrap();
    schema_4_store(dir.path(), &entries);
    let e = open(dir.path()).err().expect("refused").to_string();
    assert!(e.contains("holes"), "{e}");
    assert!(!dir.path().join("wal").exists());
    let db = redb::Database::create(dir.path().join("raft.redb")).unwrap();
    let txn = redb::ReadableDatabase::begin_read(&db).unwrap();
    let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
    let logs: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("logs");
    let stamp = txn.open_table(meta).unwrap();
    assert_eq!(stamp.get("schema_version").unwrap().unwrap().value(), b"4");
    assert_eq!(
        redb::ReadableTableMetadata::len(&txn.open_table(logs).unwrap()).unwrap(),
        15
    );
}

#[tokio::test]
async fn a_write_cut_short_is_dropped_and_a_damaged_older_segment_is_refused() {
    let dir = TempDir::new().unwrap();
    {
        let (mut log, _sm) = open(dir.path()).unwrap();
        log.blocking_append((1..=3).map(|i| put(i, "k", b"v")))
            .await
            .unwrap();
    }
    let segment = |dir: &std::path::Path| {
        let mut f: Vec<_> = std::fs::read_dir(dir.join("wal"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        f.sort();
        f
    };
    let files = segment(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    // A crash mid-write: half a record after the last whole one.
    let mut bytes = std::fs::read(&files[0]).unwrap();
    let end = bytes.iter().rposition(|b| *b != 0).unwrap() + 1;
    bytes.truncate(end);
    bytes.extend_from_slice(&[200, 0, 0, 0, 1, 2, 3, 4, 1, b'{']);
    std::fs::write(&files[0], &bytes).unwrap();
    {
        let (mut log, _sm) = open(dir.path()).unwrap();
        let got = log.try_get_log_entries(..).await.unwrap();
        assert_eq!(got.len(), 3, "the whole records stay");
        // Appends continue where the cut record was; nothing of it follows them.
        log.blocking_append([put(4, "k", b"v")]).await.unwrap();
    }
    {
        let (mut log, _sm) = open(dir.path()).unwrap();
        let got = log.try_get_log_entries(..).await.unwrap();
        assert_eq!(
            got.iter().map(|e| e.log_id.index).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
    }
    // The same damage in a segment that is not the newest is corruption.
    let mut bytes = std::fs::read(&files[0]).unwrap();
    bytes[20] ^= 0xff;
    std::fs::write(&files[0], &bytes).unwrap();
    std::fs::write(
        dir.path().join("wal").join("0000000000000001.wal"),
        b"x0traft\x01",
    )
    .unwrap();
    let e = open(dir.path())
        .err()
        .expect("damage is refused")
        .to_string();
    assert!(
        e.contains("raft log") && e.contains("damaged at offset"),
        "{e}"
    );
}

#[tokio::test]
async fn future_schema_is_refused() {
    let dir = TempDir::new().unwrap();
    drop(open(dir.path()).unwrap());
    {
        let db = redb::Database::create(dir.path().join("raft.redb")).unwrap();
        let txn = db.begin_write().unwrap();
        let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
        txn.open_table(meta)
            .unwrap()
            .insert("schema_version", b"6".as_slice())
            .unwrap();
        txn.commit().unwrap();
    }
    match open(dir.path()) {
        Err(StoreError::FutureSchema {
            found: 6,
            supported: 5,
            ..
        }) => {}
        Err(other) => panic!("wrong error: {other}"),
        Ok(_) => panic!("a newer schema was accepted"),
    }
}

#[tokio::test]
async fn a_schema_1_database_is_migrated_on_open() {
    let dir = TempDir::new().unwrap();
    {
        // What the first release wrote: JSON kv values with base64, audit keyed by index.
        let db = redb::Database::create(dir.path().join("raft.redb")).unwrap();
        let txn = db.begin_write().unwrap();
        let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
        let kv: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("kv");
        let audit: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("audit");
        txn.open_table(meta)
            .unwrap()
            .insert("schema_version", b"1".as_slice())
            .unwrap();
        let entry = br#"{"value":"AP8K","createRevision":3,"modRevision":7,"version":2}"#;
        txn.open_table(kv)
            .unwrap()
            .insert("svc/a", entry.as_slice())
            .unwrap();
        let record = br#"{"index":7,"actor":"spiffe://m/operator/admin","action":"put","key":"svc/a","at":"2026-01-01T00:00:00Z"}"#;
        txn.open_table(audit)
            .unwrap()
            .insert(7, record.as_slice())
            .unwrap();
        let sm_meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("sm_meta");
        let applied = serde_json::to_vec(&Some(log_id(1, 7))).unwrap();
        txn.open_table(sm_meta)
            .unwrap()
            .insert("last_applied", applied.as_slice())
            .unwrap();
        txn.commit().unwrap();
    }
    let (_log, mut sm) = open(dir.path()).unwrap();
    // The state left the tables for a snapshot file that carries it from now on.
    assert_eq!(sm.applied_state().await.unwrap().0, Some(log_id(1, 7)));
    let snapshot = sm
        .get_current_snapshot()
        .await
        .unwrap()
        .expect("a snapshot");
    assert_eq!(snapshot.meta.last_log_id, Some(log_id(1, 7)));
    assert_eq!(
        sm.get("svc/a").unwrap(),
        Some(KvEntry {
            value: vec![0, 255, 10],
            create_revision: 3,
            mod_revision: 7,
            version: 2,
        })
    );
    let audit = sm.audit_since(0).unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (audit[0].index, audit[0].op, audit[0].key.as_str()),
        (7, 0, "svc/a")
    );
    drop((_log, sm));
    // Reopening a migrated database changes nothing more.
    let (_log, sm) = open(dir.path()).unwrap();
    assert_eq!(sm.get("svc/a").unwrap().unwrap().version, 2);
    assert_eq!(sm.audit_since(0).unwrap().len(), 1);
    assert_eq!(sm.snapshots().unwrap().len(), 1);
}

#[tokio::test]
async fn garbage_snapshot_is_refused_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let (_log, mut sm) = open(dir.path()).unwrap();
    sm.apply(vec![membership(1), put(2, "k", b"keep")])
        .await
        .unwrap();
    let good = sm
        .get_snapshot_builder()
        .await
        .build_snapshot()
        .await
        .unwrap();
    let mut newer = good.meta.clone();
    newer.last_log_id = Some(log_id(2, 9));
    newer.snapshot_id = "2-1-9".into();

    let tampered = String::from_utf8(good.snapshot.get_ref().clone())
        .unwrap()
        .replace("\"format\":1", "\"format\":7");
    for bytes in [
        b"not json at all".to_vec(),
        b"{\"format\":1}".to_vec(),
        tampered.into_bytes(),
        good.snapshot.into_inner(),
    ] {
        let err = sm
            .install_snapshot(&newer, Box::new(Cursor::new(bytes)))
            .await;
        assert!(err.is_err(), "a malformed snapshot was installed");
    }
    assert_eq!(
        sm.get("k").unwrap().map(|e| e.value),
        Some(b"keep".to_vec())
    );
    assert_eq!(sm.applied_state().await.unwrap().0, Some(log_id(1, 2)));
    assert_eq!(sm.audit_since(0).unwrap().len(), 1);
    assert_eq!(
        sm.get_current_snapshot().await.unwrap().unwrap().meta,
        good.meta
    );
    assert_eq!(snap_files(dir.path()), vec!["1-1-2.snap"]);
}

#[tokio::test]
async fn snapshot_transfers_state_and_old_files_are_pruned() {
    let (dir_l, dir_f) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let (_log_l, mut leader) = open_with(dir_l.path(), 2).unwrap();
    let (_log_f, mut follower) = open(dir_f.path()).unwrap();
    follower.apply(vec![put(1, "stale", b"x")]).await.unwrap();
    leader.apply(vec![membership(1)]).await.unwrap();
    for i in 2..=4 {
        leader
            .apply(vec![put(i, &format!("svc/{i}"), b"v")])
            .await
            .unwrap();
        leader
            .get_snapshot_builder()
            .await
            .build_snapshot()
            .await
            .unwrap();
    }
    assert_eq!(snap_files(dir_l.path()), vec!["1-1-3.snap", "1-1-4.snap"]);

    let snap = leader.get_current_snapshot().await.unwrap().unwrap();
    follower
        .install_snapshot(&snap.meta, snap.snapshot)
        .await
        .unwrap();
    assert_eq!(follower.get("stale").unwrap(), None);
    assert_eq!(follower.list("svc/").unwrap(), leader.list("svc/").unwrap());
    assert_eq!(
        follower.audit_since(0).unwrap(),
        leader.audit_since(0).unwrap()
    );
    assert_eq!(
        follower.applied_state().await.unwrap(),
        leader.applied_state().await.unwrap()
    );
    assert_eq!(
        follower.get_current_snapshot().await.unwrap().unwrap().meta,
        snap.meta
    );
}

#[tokio::test]
async fn apply_returns_revisions_and_writes_audit() {
    let dir = TempDir::new().unwrap();
    let (_log, mut sm) = open(dir.path()).unwrap();
    let responses = sm
        .apply(vec![
            membership(1),
            put(2, "a/x", b"1"),
            put(3, "a/x", b"2"),
            put(4, "b", b"3"),
            delete(5, "a/x"),
            delete(6, "gone"),
        ])
        .await
        .unwrap();
    let existed: Vec<(u64, Vec<bool>)> = responses
        .iter()
        .map(|r: &Response| (r.revision, r.existed.clone()))
        .collect();
    assert_eq!(
        existed,
        vec![
            (1, vec![]),
            (2, vec![false]),
            (3, vec![true]),
            (4, vec![false]),
            (5, vec![true]),
            (6, vec![false])
        ]
    );
    assert_eq!(sm.get("a/x").unwrap(), None);
    sm.apply(vec![put(7, "a/x", b"again"), put(8, "a/x", b"more")])
        .await
        .unwrap();
    let expected = KvEntry {
        value: b"more".to_vec(),
        create_revision: 7,
        mod_revision: 8,
        version: 2,
    };
    assert_eq!(sm.list("a/").unwrap(), vec![("a/x".to_string(), expected)]);

    let audit = sm.audit_since(0).unwrap();
    let summary: Vec<(u64, AuditAction, &str)> = audit
        .iter()
        .map(|r| (r.index, r.action, r.key.as_str()))
        .collect();
    assert_eq!(
        summary[3..5],
        [
            (5, AuditAction::Delete, "a/x"),
            (6, AuditAction::Delete, "gone")
        ]
    );
    assert_eq!(
        audit.len(),
        7,
        "one record per put/delete, none for membership"
    );
    assert_eq!(audit[3].actor, "spiffe://mesh/admin");
    assert_eq!(
        sm.audit_since(7)
            .unwrap()
            .iter()
            .map(|r| r.index)
            .collect::<Vec<_>>(),
        vec![7, 8]
    );
}

/// An entry of `n` puts, as the write batcher makes them.
fn batch(index: u64, n: usize) -> Entry {
    let ops = (0..n)
        .map(|i| Request::Put {
            key: format!("k/{i}"),
            value: b"v".to_vec(),
            actor: "spiffe://mesh/ops".into(),
            at: "2026-01-01T00:00:00Z".into(),
        })
        .collect();
    Entry {
        log_id: log_id(1, index),
        payload: EntryPayload::Normal(Request::Batch { ops }),
    }
}

#[tokio::test]
async fn the_audit_trail_keeps_the_newest_records_and_nodes_agree_on_them() {
    const PER_ENTRY: usize = 1000;
    let entries = |range: std::ops::RangeInclusive<u64>| -> Vec<Entry> {
        range.map(|i| batch(i, PER_ENTRY)).collect()
    };
    let (dir_l, dir_f) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let (_log_l, mut leader) = open(dir_l.path()).unwrap();
    let (_log_f, mut follower) = open(dir_f.path()).unwrap();

    // A quarter past the bound, nothing is dropped yet: the trim runs in steps, not per write.
    let full = (AUDIT_KEEP + AUDIT_KEEP / 4) / PER_ENTRY;
    leader.apply(entries(1..=full as u64)).await.unwrap();
    assert_eq!(leader.audit_since(0).unwrap().len(), full * PER_ENTRY);

    // One entry more and the oldest go, down to the bound.
    leader
        .apply(entries(full as u64 + 1..=full as u64 + 1))
        .await
        .unwrap();
    let audit = leader.audit_since(0).unwrap();
    assert_eq!(audit.len(), AUDIT_KEEP);
    let oldest = (full + 2 - AUDIT_KEEP / PER_ENTRY) as u64;
    assert_eq!((audit[0].index, audit[0].op), (oldest, 0));
    assert_eq!(audit.last().unwrap().index, full as u64 + 1);

    // A follower that starts from the leader's snapshot keeps the same records from then on.
    let snap = (leader.get_snapshot_builder().await)
        .build_snapshot()
        .await
        .unwrap();
    follower
        .install_snapshot(&snap.meta, snap.snapshot)
        .await
        .unwrap();
    let more = full as u64 + 2..=full as u64 + 30;
    leader.apply(entries(more.clone())).await.unwrap();
    follower.apply(entries(more)).await.unwrap();
    let (l, f) = (
        leader.audit_since(0).unwrap(),
        follower.audit_since(0).unwrap(),
    );
    assert!(l.len() >= AUDIT_KEEP && l.len() <= AUDIT_KEEP + AUDIT_KEEP / 4);
    assert_eq!(
        (l.len(), l.first(), l.last()),
        (f.len(), f.first(), f.last())
    );
}

#[tokio::test]
async fn sync_count_grows_with_each_acknowledged_append() {
    let dir = TempDir::new().unwrap();
    let (mut log, _sm) = open(dir.path()).unwrap();
    assert_eq!(log.sync_count(), 0);
    for i in 1..=3 {
        // `blocking_append` returns only after the flush callback fired.
        log.blocking_append([put(i, "k", b"v")]).await.unwrap();
        assert_eq!(
            log.sync_count(),
            i,
            "append {i} was acknowledged before its sync"
        );
    }
    log.save_vote(&Vote::new(1, 1)).await.unwrap();
    assert_eq!(log.sync_count(), 3, "only appends count");
}

#[test]
fn binary_values_serialize_as_base64_text() {
    let request = Request::Put {
        key: "k".into(),
        value: vec![0, 1, 254, 255],
        actor: "a".into(),
        at: "t".into(),
    };
    let json = serde_json::to_string(&request).unwrap();
    assert!(json.contains("\"value\":\"AAH+/w==\""), "{json}");
    assert_eq!(serde_json::from_str::<Request>(&json).unwrap(), request);
}

#[tokio::test]
async fn a_batch_entry_applies_its_ops_in_order_under_one_revision() {
    let dir = TempDir::new().unwrap();
    let (_log, mut sm) = open(dir.path()).unwrap();
    sm.apply(vec![put(1, "k", b"old")]).await.unwrap();
    let ops = |entry: Entry| match entry.payload {
        EntryPayload::Normal(r) => r,
        _ => unreachable!("put builds normal entries"),
    };
    let batch = Entry {
        log_id: log_id(1, 2),
        payload: EntryPayload::Normal(Request::Batch {
            ops: vec![
                ops(put(2, "k", b"new")),
                ops(put(2, "fresh", b"1")),
                ops(delete(2, "k")),
                ops(put(2, "k", b"reborn")),
                ops(delete(2, "never")),
            ],
        }),
    };
    let r = sm.apply(vec![batch]).await.unwrap();
    assert_eq!(r[0].revision, 2);
    assert_eq!(r[0].existed, vec![true, false, true, false, false]);
    // The delete in the middle resets the key, so the last put creates it again.
    let k = sm.get("k").unwrap().unwrap();
    assert_eq!(
        (
            k.value.as_slice(),
            k.create_revision,
            k.mod_revision,
            k.version
        ),
        (&b"reborn"[..], 2, 2, 1)
    );
    let audit = sm.audit_since(2).unwrap();
    let order: Vec<(u64, u32, AuditAction, &str)> = audit
        .iter()
        .map(|r| (r.index, r.op, r.action, r.key.as_str()))
        .collect();
    assert_eq!(
        order,
        vec![
            (2, 0, AuditAction::Put, "k"),
            (2, 1, AuditAction::Put, "fresh"),
            (2, 2, AuditAction::Delete, "k"),
            (2, 3, AuditAction::Put, "k"),
            (2, 4, AuditAction::Delete, "never"),
        ]
    );
}

#[tokio::test]
async fn membership_audit_commands_only_add_a_record_and_keep_batch_replies_aligned() {
    let dir = TempDir::new().unwrap();
    let (_log, mut sm) = open(dir.path()).unwrap();
    let admin = "spiffe://mesh/operator/admin";
    let audit = Request::Audit {
        action: AuditAction::AddVoter,
        subject: "n4".into(),
        detail: "raft id 4 at 127.0.0.1:7104".into(),
        actor: admin.into(),
        at: "2026-01-01T00:00:00Z".into(),
    };
    let batch = Entry {
        log_id: log_id(1, 1),
        payload: EntryPayload::Normal(Request::Batch {
            ops: vec![
                Request::Put {
                    key: "n4".into(),
                    value: b"v".to_vec(),
                    actor: admin.into(),
                    at: "2026-01-01T00:00:00Z".into(),
                },
                audit,
                Request::Delete {
                    key: "n4".into(),
                    actor: admin.into(),
                    at: "2026-01-01T00:00:00Z".into(),
                },
            ],
        }),
    };
    let r = sm.apply(vec![batch]).await.unwrap();
    // One reply per command, so the batcher hands each client its own.
    assert_eq!(r[0].existed, vec![false, false, true]);
    // The record changed no key: the delete after it still found the put's key.
    assert_eq!(sm.get("n4").unwrap(), None);
    let records = sm.audit_since(0).unwrap();
    let record = &records[1];
    assert_eq!(
        (
            record.op,
            record.action,
            record.key.as_str(),
            record.actor.as_str(),
            record.detail.as_str()
        ),
        (
            1,
            AuditAction::AddVoter,
            "n4",
            admin,
            "raft id 4 at 127.0.0.1:7104"
        )
    );
    assert_eq!(records.len(), 3);
    // The tail read keeps the newest records, oldest first.
    let (tail, revision) = sm.audit_tail(0, 2).unwrap();
    assert_eq!(tail.iter().map(|r| r.op).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(revision, 1);
}

/// Flips one byte in the middle of snapshot file `name`.
fn damage(dir: &Path, name: &str) {
    let path = dir.join("snapshots").join(name);
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x5a;
    std::fs::write(&path, bytes).unwrap();
}

#[tokio::test]
async fn a_damaged_snapshot_file_is_found_and_passed_over_while_the_log_can_replace_it() {
    let dir = TempDir::new().unwrap();
    {
        let (mut log, mut sm) = open(dir.path()).unwrap();
        for entries in [
            vec![membership(1), put(2, "a", b"1")],
            vec![put(3, "b", b"2")],
        ] {
            log.blocking_append(entries.clone()).await.unwrap();
            sm.apply(entries).await.unwrap();
            sm.get_snapshot_builder()
                .await
                .build_snapshot()
                .await
                .unwrap();
        }
    }
    let files = snap_files(dir.path());
    assert_eq!(files.len(), 2, "{files:?}");
    // The newer file is damaged; the log still holds entry 3 after the older one, so the
    // node opens from the older file and moves the damaged one aside.
    damage(dir.path(), &files[1]);
    {
        let (_, mut sm) = open(dir.path()).unwrap();
        let (applied, _) = sm.applied_state().await.unwrap();
        assert_eq!(applied, Some(log_id(1, 2)), "loaded the older snapshot");
        let after = snap_files(dir.path());
        assert!(
            after.iter().any(|f| f.ends_with(".snap.damaged")),
            "{after:?}"
        );
        assert_eq!(sm.snapshots().unwrap().len(), 1);
    }
    // The only snapshot left is damaged, and nothing older can stand in: opening fails,
    // naming the file, instead of loading what it holds.
    let left = snap_files(dir.path());
    let only = left.iter().find(|f| f.ends_with(".snap")).unwrap().clone();
    damage(dir.path(), &only);
    let e = open(dir.path())
        .err()
        .expect("a damaged snapshot is refused")
        .to_string();
    assert!(e.contains("is damaged: SHA-256"), "{e}");
}
