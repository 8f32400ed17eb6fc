//! Every `-o json` shape is golden, and docs/json.md shows each one verbatim, so the
//! documentation cannot drift from what scripts receive.

use std::path::Path;

use crate::support::{golden, mask, Env};

/// (name, args) of every JSON-producing command, run against an applied quickstart.
const SHAPES: &[(&str, &[&str])] = &[
    ("validate", &["validate", "-o", "json"]),
    ("plan", &["plan", "-o", "json"]),
    ("apply", &["apply", "--auto-approve", "-o", "json"]),
    ("drift", &["drift", "-o", "json"]),
    ("identity-show", &["identity", "show", "n1", "-o", "json"]),
    (
        "identity-verify",
        &["identity", "verify", "n1", "-o", "json"],
    ),
    ("keys-show", &["keys", "show", "n1", "-o", "json"]),
    (
        "bundle",
        &["bundle", "n1", "--out", "bundle-n1", "-o", "json"],
    ),
    ("version", &["version", "-o", "json"]),
    ("doctor", &["doctor", "-o", "json"]),
];

fn shapes() -> Vec<(String, String)> {
    let env = Env::applied();
    // A pending change, so that plan and apply show an action.
    env.write_manifest(&crate::support::QUICKSTART.replace("127.0.0.1:7103", "127.0.0.1:7113"));
    let mut out = Vec::new();
    for (name, args) in SHAPES {
        let run = env.x0t(args);
        assert!(run.code == 0 || run.code == 3, "{name}: {}", run.stderr);
        let value = run.json();
        assert_eq!(value["schemaVersion"], 1, "{name} lacks schemaVersion");
        out.push((name.to_string(), mask(&run.stdout, Some(env.root()))));
    }
    out
}

#[test]
fn json_shapes_are_golden_and_documented() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"))
        .expect("docs/json.md");
    let shapes = shapes();
    for (name, text) in &shapes {
        golden(&format!("json/{name}.json"), text);
    }
    for (name, text) in &shapes {
        assert!(docs.contains(&format!("```json\n{text}```")), "docs/json.md does not show the current `{name}` shape; paste tests/it/golden/json/{name}.json");
    }
}

#[test]
fn json_keys_are_camel_case() {
    fn walk(v: &serde_json::Value, path: &str) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    // File names and node names are data, not keys of the schema.
                    let data_key = k.contains('.')
                        || k.contains('/')
                        || path.ends_with("raftIds")
                        || path.ends_with("files");
                    assert!(
                        data_key
                            || (!k.contains('_')
                                && !k.contains('-')
                                && k.chars().next().is_some_and(|c| c.is_ascii_lowercase())),
                        "{path}.{k} is not camelCase"
                    );
                    walk(v, &format!("{path}.{k}"));
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, path)),
            _ => {}
        }
    }
    for (name, text) in shapes() {
        walk(
            &serde_json::from_str(&text.replace("[N]", "0")).unwrap(),
            &name,
        );
    }
}

/// Masks what a live cluster decides at run time: indexes, terms, who leads, addresses.
fn mask_live(text: &str, root: &Path) -> String {
    let t = mask(text, Some(root));
    let rules = [
        (
            r#"("(revision|createRevision|version|raftId|term|lastLogIndex|appliedIndex|lag|writes|errors|svidExpiresInSeconds|index|size|bytes|payloadLength|keys|auditRecords)": )\d+"#,
            "${1}[N]",
        ),
        (
            r#"("(writesPerSecond|p50Ms|p99Ms|maxMs|durationSeconds|rttSeconds|jitterSeconds|sinceSeconds|loss|metric|probesSent|probesAnswered|meshLinksUp|meshRoutes|adverts|seq)": )[0-9.e+-]+"#,
            "${1}[N]",
        ),
        (r#""(n[123])""#, "\"[NODE]\""),
        (r#""id": "\d+-\d+-\d+""#, r#""id": "[ID]""#),
        (r#""messageId": "[0-9a-f]{32}""#, r#""messageId": "[HEX]""#),
        (r#""(Leader|Follower|Candidate|Learner)""#, "\"[STATE]\""),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
        (
            r"spiffe://live\.x0tta6bl4\.mesh/node/n[123]",
            "spiffe://live.x0tta6bl4.mesh/node/[NODE]",
        ),
    ];
    let mut t = t;
    for (re, with) in rules {
        t = regex::Regex::new(re)
            .unwrap()
            .replace_all(&t, with)
            .into_owned();
    }
    t
}

#[test]
fn live_json_shapes_are_golden_and_documented() {
    use crate::support::cluster::{manifest, Cluster};
    let c = Cluster::start(&manifest("live", 3, &[], ""), &["n1", "n2", "n3"]);
    // Once the mesh's protocol record is written, the store's keys hold still.
    c.wait_status(std::time::Duration::from_secs(20), |j| {
        j["healthy"] == true && j["meshProtocol"] == 3
    });
    let root = c.env.root().to_path_buf();
    let mut shapes = Vec::new();
    let put = c.x0t(&["kv", "put", "color", "blue", "-o", "json"]);
    put.ok();
    shapes.push(("kv-put", put.stdout));
    shapes.push((
        "kv-get",
        c.x0t(&["kv", "get", "color", "-o", "json"]).stdout,
    ));
    shapes.push(("kv-list", c.x0t(&["kv", "list", "-o", "json"]).stdout));
    shapes.push((
        "audit",
        c.x0t(&["audit", "--limit", "1", "-o", "json"]).stdout,
    ));
    for (name, args) in [
        ("snapshot-create", &["snapshot", "create", "-o", "json"][..]),
        ("snapshot-list", &["snapshot", "list", "-o", "json"]),
        (
            "snapshot-save",
            &["snapshot", "save", "s.snap", "-o", "json"],
        ),
        (
            "snapshot-inspect",
            &["snapshot", "inspect", "s.snap", "-o", "json"],
        ),
        (
            "snapshot-verify",
            &["snapshot", "verify", "s.snap", "-o", "json"],
        ),
    ] {
        let out = c.x0t(args);
        out.ok();
        shapes.push((name, out.stdout));
    }
    // A revocation of an identity that runs nowhere, so the mesh stays healthy.
    for (name, args) in [
        ("revoke", &["revoke", "operator/ghost", "-o", "json"][..]),
        ("revoke-list", &["revoke", "--list", "-o", "json"]),
    ] {
        let out = c.x0t(args);
        out.ok();
        shapes.push((name, out.stdout));
    }
    c.x0t(&["revoke", "operator/ghost", "--undo"]).ok();
    let status = c.wait_status(std::time::Duration::from_secs(10), |j| {
        j["healthy"] == true
            && j["meshProtocol"] == 3
            && j["nodes"].as_array().unwrap().iter().all(|n| {
                n["lag"] == 0
                    && n["meshProtocol"] == 3
                    && n["links"].as_array().is_some_and(|l| !l.is_empty())
            })
    });
    // One node's entry stands for all three; their order and links depend on who leads.
    let mut one = status.clone();
    one["nodes"] = serde_json::json!([status["nodes"][0].clone()]);
    one["nodes"][0]["links"] = serde_json::json!([status["nodes"][0]["links"][0].clone()]);
    shapes.push(("status", serde_json::to_string_pretty(&one).unwrap() + "\n"));
    // The data plane, once every node routes to both others: one node's first link and
    // first route stand for the rest.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let routes = loop {
        let out = c.x0t(&["mesh", "routes", "-o", "json"]);
        let j = out.json();
        let all = j["nodes"].as_array().unwrap();
        if all
            .iter()
            .all(|n| n["routes"].as_array().unwrap().len() == 2)
        {
            break j;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no full routes: {}",
            out.stdout
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut one = routes.clone();
    one["nodes"] = serde_json::json!([routes["nodes"][0].clone()]);
    one["nodes"][0]["routes"] = serde_json::json!([routes["nodes"][0]["routes"][0].clone()]);
    shapes.push((
        "mesh-routes",
        serde_json::to_string_pretty(&one).unwrap() + "\n",
    ));
    let links = c
        .x0t(&["mesh", "links", "--node", "n1", "-o", "json"])
        .json();
    let mut one = links.clone();
    one["nodes"][0]["links"] = serde_json::json!([links["nodes"][0]["links"][0].clone()]);
    shapes.push((
        "mesh-links",
        serde_json::to_string_pretty(&one).unwrap() + "\n",
    ));
    let ping = c.x0t(&[
        "mesh", "ping", "n3", "--from", "n1", "-c", "1", "-o", "json",
    ]);
    ping.ok();
    // Routes follow measured RTT, so on a busy machine n1 may reach n3 through n2: the
    // shape shows one hop whatever the path.
    let mut one = ping.json();
    for a in one["attempts"].as_array_mut().unwrap() {
        let path = a["path"].as_array().unwrap().clone();
        a["path"] = serde_json::json!([path[0].clone(), path[path.len() - 1].clone()]);
        a["hops"] = serde_json::json!([a["hops"][0].clone()]);
    }
    shapes.push((
        "mesh-ping",
        serde_json::to_string_pretty(&one).unwrap() + "\n",
    ));
    // This mesh does not enable chaos: no fault can be set.
    let refused = c.x0t(&["chaos", "link", "n1", "n2", "--cut"]);
    refused.code(1);
    assert!(
        refused.stderr.contains("chaos is off on n1"),
        "{}",
        refused.stderr
    );
    let sent = c.x0t(&["send", "n3", "hello", "--via", "n1", "-o", "json"]);
    sent.ok();
    shapes.push(("send", sent.stdout));
    let read = c.x0t(&["recv", "--node", "n3", "-o", "json"]);
    read.ok();
    shapes.push(("recv", read.stdout));
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"))
        .unwrap();
    let masked: Vec<(&str, String)> = shapes
        .iter()
        .map(|(n, t)| (*n, mask_live(t, &root)))
        .collect();
    for (name, text) in &masked {
        golden(&format!("json/{name}.json"), text);
    }
    for (name, text) in &masked {
        assert!(
            docs.contains(&format!("```json\n{text}```")),
            "docs/json.md does not show the current `{name}` shape"
        );
    }
}
