use std::path::Path;

use prost::Message as _;

use super::*;

fn message(target: &str, data: &str) -> pb::InboxMessage {
    pb::InboxMessage {
        target: target.into(),
        sender: "spiffe://t/node/n1".into(),
        origin: "n1".into(),
        data: data.as_bytes().to_vec().into(),
        ..Default::default()
    }
}

fn commit(stream: &str, hw: u64, msgs: &[(&str, &str)], id_until: u64) -> Commit {
    Commit {
        stream: stream.into(),
        high_water: hw,
        messages: msgs.iter().map(|(t, d)| message(t, d)).collect(),
        ids: msgs
            .iter()
            .map(|(_, d)| (d.as_bytes().to_vec(), id_until))
            .collect(),
    }
}

fn data(inbox: &Inbox, target: &str) -> Vec<String> {
    (inbox.read(target, 1000).unwrap().into_iter())
        .map(|m| String::from_utf8(m.data.to_vec()).unwrap())
        .collect()
}

fn segments(dir: &Path) -> Vec<u64> {
    log::list(dir).unwrap()
}

#[tokio::test]
async fn messages_marks_and_ids_survive_a_reopen() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inbox");
    let later = unix_ms_now() + 3_600_000;
    {
        let inbox = Inbox::open(&dir).unwrap();
        inbox
            .commit(commit("n1/1", 2, &[("a", "m1"), ("b", "m2")], later))
            .await
            .unwrap();
        inbox
            .commit(commit("n1/1", 3, &[("a", "m3")], later))
            .await
            .unwrap();
        assert_eq!(data(&inbox, "a"), ["m1", "m3"]);
    }
    let inbox = Inbox::open(&dir).unwrap();
    assert_eq!(data(&inbox, "a"), ["m1", "m3"]);
    assert_eq!(data(&inbox, "b"), ["m2"]);
    assert_eq!(inbox.high_water("n1/1").unwrap(), 3);
    assert_eq!(inbox.high_water("n2/1").unwrap(), 0);
    assert_eq!(
        inbox.seen(&[b"m2", b"m9"]).unwrap(),
        [true, false],
        "stored ids are remembered across a restart"
    );
    let idx: Vec<u64> = inbox
        .read("a", 10)
        .unwrap()
        .iter()
        .map(|m| m.index)
        .collect();
    assert_eq!(
        idx,
        [1, 3],
        "indexes follow the order of storing, across targets"
    );
    // New messages continue the numbering after a reopen.
    inbox
        .commit(commit("n1/1", 4, &[("a", "m4")], later))
        .await
        .unwrap();
    assert_eq!(inbox.read("a", 10).unwrap()[2].index, 4);
}

#[tokio::test]
async fn confirmed_messages_stay_gone_after_a_reopen() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inbox");
    let later = unix_ms_now() + 3_600_000;
    {
        let inbox = Inbox::open(&dir).unwrap();
        inbox
            .commit(commit("s", 3, &[("a", "1"), ("a", "2"), ("b", "3")], later))
            .await
            .unwrap();
        assert_eq!(inbox.confirm("a", 1).await.unwrap(), 1);
        assert_eq!(
            inbox.confirm("a", 1).await.unwrap(),
            0,
            "confirming twice is harmless"
        );
        assert_eq!(data(&inbox, "a"), ["2"]);
    }
    let inbox = Inbox::open(&dir).unwrap();
    assert_eq!(data(&inbox, "a"), ["2"]);
    assert_eq!(inbox.confirm("a", 100).await.unwrap(), 1);
    assert_eq!(
        data(&inbox, "b"),
        ["3"],
        "a confirm touches only its own target"
    );
    assert_eq!(inbox.len(), 1);
}

#[tokio::test]
async fn a_record_cut_short_by_a_crash_is_dropped_and_the_rest_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inbox");
    let later = unix_ms_now() + 3_600_000;
    {
        let inbox = Inbox::open(&dir).unwrap();
        inbox
            .commit(commit("s", 1, &[("a", "kept")], later))
            .await
            .unwrap();
    }
    let path = log::segment_path(&dir, 1);
    let good = std::fs::metadata(&path).unwrap().len();
    // Half a record: a header promising more bytes than follow.
    let mut torn = 500u32.to_le_bytes().to_vec();
    torn.extend([0u8; 4]);
    torn.extend([7u8; 100]);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(&torn);
    std::fs::write(&path, bytes).unwrap();
    let inbox = Inbox::open(&dir).unwrap();
    assert_eq!(data(&inbox, "a"), ["kept"]);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), good);
    inbox
        .commit(commit("s", 2, &[("a", "after")], later))
        .await
        .unwrap();
    drop(inbox);
    let inbox = Inbox::open(&dir).unwrap();
    assert_eq!(data(&inbox, "a"), ["kept", "after"]);
}

#[tokio::test]
async fn segments_rotate_and_old_ones_go_once_confirmed_and_expired() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inbox");
    let expired = unix_ms_now() - 2 * SEEN_GRACE_MS;
    let later = unix_ms_now() + 3_600_000;
    let big = "x".repeat(3000);
    {
        let inbox = Inbox::open_with(&dir, 8 * 1024).unwrap();
        for i in 0..12u64 {
            let d = format!("{i}{big}");
            let until = if i == 0 { later } else { expired };
            inbox
                .commit(commit("s", i + 1, &[("a", d.as_str())], until))
                .await
                .unwrap();
        }
        assert!(segments(&dir).len() >= 4, "{:?}", segments(&dir));
        assert_eq!(inbox.confirm("a", 12).await.unwrap(), 12);
        for i in 12..20u64 {
            let d = format!("{i}{big}");
            inbox
                .commit(commit("s", i + 1, &[("b", d.as_str())], expired))
                .await
                .unwrap();
        }
        let left = segments(&dir);
        // The first segment holds an id remembered for an hour; the others with only
        // confirmed messages and expired ids are gone.
        assert_eq!(left[0], 1, "{left:?}");
        assert!(!left.contains(&2), "{left:?}");
        assert!(inbox.seen(&[format!("0{big}").as_bytes()]).unwrap()[0]);
    }
    let inbox = Inbox::open_with(&dir, 8 * 1024).unwrap();
    assert!(
        data(&inbox, "a").is_empty(),
        "confirmed messages stay confirmed"
    );
    assert_eq!(data(&inbox, "b").len(), 8);
    assert_eq!(inbox.high_water("s").unwrap(), 20);
    assert_eq!(inbox.read("b", 1).unwrap()[0].index, 13);
}

#[tokio::test]
async fn damage_inside_an_older_segment_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inbox");
    let later = unix_ms_now() + 3_600_000;
    let big = "y".repeat(3000);
    {
        let inbox = Inbox::open_with(&dir, 4 * 1024).unwrap();
        for i in 0..4u64 {
            let d = format!("{i}{big}");
            inbox
                .commit(commit("s", i + 1, &[("a", d.as_str())], later))
                .await
                .unwrap();
        }
    }
    let path = log::segment_path(&dir, 1);
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 0xff;
    std::fs::write(&path, bytes).unwrap();
    let e = Inbox::open_with(&dir, 4 * 1024).err().unwrap().to_string();
    assert!(
        e.contains("0000000000000001.log") && e.contains("checksum mismatch"),
        "{e}"
    );
}

#[tokio::test]
async fn an_inbox_of_the_redb_format_is_carried_over() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inbox");
    let old = tmp.path().join("inbox.redb");
    {
        let db = redb::Database::create(&old).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut m = txn
                .open_table(redb::TableDefinition::<u64, &[u8]>::new("messages"))
                .unwrap();
            for i in [4u64, 5] {
                let msg = pb::InboxMessage {
                    index: i,
                    ..message("a", &format!("old{i}"))
                };
                m.insert(i, msg.encode_to_vec().as_slice()).unwrap();
            }
            let mut s = txn
                .open_table(redb::TableDefinition::<&str, u64>::new("streams"))
                .unwrap();
            s.insert("n1/7", 9).unwrap();
            let mut seen = txn
                .open_table(redb::TableDefinition::<&[u8], u64>::new("seen"))
                .unwrap();
            seen.insert(b"old4".as_slice(), unix_ms_now() + 3_600_000)
                .unwrap();
        }
        txn.commit().unwrap();
    }
    let inbox = Inbox::open(&dir).unwrap();
    assert_eq!(data(&inbox, "a"), ["old4", "old5"]);
    assert_eq!(inbox.high_water("n1/7").unwrap(), 9);
    assert!(inbox.seen(&[b"old4"]).unwrap()[0]);
    assert!(!old.exists());
    inbox
        .commit(commit("n1/8", 1, &[("a", "new")], unix_ms_now() + 1000))
        .await
        .unwrap();
    assert_eq!(inbox.read("a", 10).unwrap()[2].index, 6);
}

#[tokio::test]
async fn an_old_file_left_by_a_crash_after_the_carrying_over_is_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inbox");
    let old = tmp.path().join("inbox.redb");
    {
        let inbox = Inbox::open(&dir).unwrap();
        inbox
            .commit(commit("s", 1, &[("a", "new")], unix_ms_now() + 1000))
            .await
            .unwrap();
    }
    std::fs::write(&old, b"left behind").unwrap();
    let inbox = Inbox::open(&dir).unwrap();
    assert!(!old.exists());
    assert_eq!(data(&inbox, "a"), ["new"]);
}
