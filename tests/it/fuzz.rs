//! The fuzz corpus and every crash the fuzzer found, replayed on stable through the same
//! harnesses `cargo xtask fuzz` runs: a fixed crash stays fixed without a nightly
//! toolchain.

use std::path::Path;

use x0tta6bl4::engine::fuzz::TARGETS;

#[test]
fn the_fuzz_corpus_and_found_crashes_replay_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut replayed = 0;
    for (name, harness) in TARGETS {
        let mut inputs = 0;
        for dir in ["corpus", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(name)) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let data = std::fs::read(&path).unwrap();
                let caught = std::panic::catch_unwind(|| harness(&data));
                assert!(caught.is_ok(), "{name} panicked on {}", path.display());
                inputs += 1;
            }
        }
        assert!(
            inputs > 0,
            "no corpus for fuzz target {name} under tests/fuzz/corpus/{name}"
        );
        replayed += inputs;
    }
    assert!(replayed >= TARGETS.len());
}
