//! Compiles `proto/x0t.proto` with protox (a pure-Rust protobuf compiler, so no protoc is
//! needed) and generates the tonic services.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto/x0t.proto");
    let fds = protox::compile(["proto/x0t.proto"], ["proto"])?;
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        // Snapshot chunks are slices of one buffer, not copies.
        .bytes(".x0t.v1.SnapshotChunk.data")
        .compile_fds(fds)?;
    Ok(())
}
