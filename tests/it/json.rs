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
