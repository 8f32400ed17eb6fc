//! Compiles `proto/x0t.proto` and `proto/workload.proto` with protox (a pure-Rust protobuf compiler, so no protoc is
//! needed) and generates the tonic services; lists `docs/runbooks/*.md` for the built-in
//! RAG corpus.

use std::fmt::Write as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto/x0t.proto");
    println!("cargo:rerun-if-changed=proto/workload.proto");
    let fds = protox::compile(["proto/x0t.proto", "proto/workload.proto"], ["proto"])?;
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        // Snapshot chunks are slices of one buffer, not copies.
        .bytes(".x0t.v1.SnapshotChunk.data")
        // Message bodies on the data plane: sliced from the buffers they arrived in, and
        // shared (not copied) by a queued message and each frame that carries it.
        .bytes(".x0t.v1.Sealed.ciphertext")
        .bytes(".x0t.v1.SendRequest.data")
        .bytes(".x0t.v1.Payload.data")
        .bytes(".x0t.v1.InboxMessage.data")
        .compile_fds(fds)?;
    runbooks()
}

/// Writes `$OUT_DIR/runbooks.rs`: every runbook as (name, include_str!), sorted by name.
fn runbooks() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/runbooks");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let mut out = String::from("pub const RUNBOOKS: &[(&str, &str)] = &[\n");
    for n in &names {
        println!("cargo:rerun-if-changed={}", dir.join(n).display());
        writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            dir.join(n).display().to_string()
        )?;
    }
    out.push_str("];\n");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR")?).join("runbooks.rs");
    std::fs::write(dest, out)?;
    Ok(())
}
