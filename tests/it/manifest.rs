//! Manifests: every example validates; every class of mistake is reported with
//! file:line:col, the field and a hint (golden).

use std::path::Path;

use crate::support::{golden, run_in, Env};

#[test]
fn every_example_manifest_validates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    let mut stack = vec![root.join("manifests")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                let out = run_in(root, &["-f", p.to_str().unwrap(), "validate"], &[]);
                assert_eq!(
                    out.code,
                    0,
                    "{} does not validate:\n{}",
                    p.display(),
                    out.stderr
                );
                seen += 1;
            }
        }
    }
    assert!(
        seen >= 2,
        "expected the quickstart and multi-region manifests"
    );
}

#[test]
fn invalid_manifests_give_located_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "fixtures: {names:?}");
    for name in names {
        let out = run_in(&dir, &["-f", &name, "validate"], &[]);
        assert_eq!(out.code, 1, "{name} was accepted");
        assert!(!out.stderr.contains("panicked"), "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("{name}:")),
            "{name}: error lacks file:line:col:\n{}",
            out.stderr
        );
        golden(
            &format!("validate/{}.stderr", name.trim_end_matches(".yaml")),
            &out.stderr,
        );
    }
}

#[test]
fn validate_json_lists_diagnostics() {
    let env = Env::new(&crate::support::QUICKSTART.replace("127.0.0.1:7102", "127.0.0.1:7101"));
    let out = env.x0t(&["validate", "-o", "json"]);
    out.code(1);
    let json = out.json();
    assert_eq!(json["valid"], false);
    let d = &json["diagnostics"][0];
    assert_eq!(d["field"], "spec.nodes[1].listen");
    assert_eq!(d["line"], 18);
    assert_eq!(d["severity"], "error");
}

#[test]
fn warnings_do_not_fail_validation() {
    let env = Env::new(&crate::support::manifest_with_nodes("pair", 2, 7300));
    let out = env.x0t(&["validate"]);
    out.ok();
    assert!(
        out.stderr.contains("warning:") && out.stderr.contains("tolerate no failure"),
        "{}",
        out.stderr
    );
}

#[test]
fn schema_describes_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["schema"], &[]);
    out.ok();
    let schema = out.json();
    assert_eq!(schema["title"], "x0t mesh manifest");
    let text = out.stdout;
    for field in [
        "trustDomain",
        "svidTTL",
        "renewBefore",
        "electionTimeout",
        "workloadSocket",
        "allowClassical",
        "efConstruction",
    ] {
        assert!(text.contains(field), "schema lacks {field}");
    }
    assert!(
        text.contains("\"additionalProperties\": false"),
        "unknown fields must be rejected by the schema too"
    );
}

#[test]
fn missing_and_unreadable_manifests_are_errors() {
    let env = Env::quickstart();
    let out = env.x0t(&["-f", "nope.yaml", "plan"]);
    out.code(1);
    assert!(
        out.stderr.contains("nope.yaml does not exist"),
        "{}",
        out.stderr
    );
    std::fs::create_dir(env.root().join("dir.yaml")).unwrap();
    let out = env.x0t(&["-f", "dir.yaml", "validate"]);
    out.code(1);
    assert!(
        out.stderr.contains("could not read manifest dir.yaml"),
        "{}",
        out.stderr
    );
}

#[test]
fn manifest_from_environment_variable() {
    let env = Env::quickstart();
    std::fs::rename(env.root().join("x0t.yaml"), env.root().join("mesh.yaml")).unwrap();
    env.x0t(&["validate"]).code(1);
    env.x0t_env(&["validate"], &[("X0T_MANIFEST", "mesh.yaml")])
        .ok();
}

#[test]
fn an_absurd_duration_is_refused_before_anything_is_written() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let env = Env::new(&std::fs::read_to_string(dir.join("absurd-duration.yaml")).unwrap());
    // A caTTL past the year 9999 once passed validate and then made apply panic (exit 101).
    for args in [&["validate"][..], &["plan"], &["apply", "--auto-approve"]] {
        let out = env.x0t(args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        assert!(out.stderr.contains("spec.identity.caTTL"), "{}", out.stderr);
        assert!(
            out.stderr.contains("spec.workloads[0].ttl"),
            "{}",
            out.stderr
        );
    }
    assert!(!env.state("").exists(), "apply wrote a state directory");
}
