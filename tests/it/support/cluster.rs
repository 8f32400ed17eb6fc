//! The multi-node harness: an applied manifest whose nodes run as real `x0t node run`
//! processes through the engine's `LocalMesh`, waited on through their readiness lines and
//! killed when the test ends.

use std::time::{Duration, Instant};

use x0tta6bl4::engine::local::{LocalMesh, NodeProcess};
use x0tta6bl4::engine::state::StateDir;

use super::{run_in, Env, Out};

/// Free ports on 127.0.0.1, chosen by the kernel.
pub fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<std::net::TcpListener> = (0..n)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

/// A manifest of `voters` voters (and optional extra text) on fresh ports.
pub fn manifest(
    name: &str,
    voters: usize,
    extra_nodes: &[(&str, &str)],
    operators: &str,
) -> String {
    let ports = free_ports((voters + extra_nodes.len()) * 2);
    let mut m = format!(
        "apiVersion: x0tta6bl4.io/v1alpha1\nkind: Mesh\nmetadata: {{ name: {name} }}\nspec:\n  trustDomain: {name}.x0tta6bl4.mesh\n  raft: {{ heartbeat: 50ms, electionTimeout: [300ms, 600ms], snapshotEvery: 10000, keepSnapshots: 3 }}\n  telemetry: {{ prometheus: true, otel: none }}\n{operators}  nodes:\n"
    );
    let mut i = 0;
    for v in 1..=voters {
        m.push_str(&format!(
            "    - {{ name: n{v}, listen: 127.0.0.1:{}, metrics: 127.0.0.1:{}, role: voter }}\n",
            ports[i],
            ports[i + 1]
        ));
        i += 2;
    }
    for (n, role) in extra_nodes {
        m.push_str(&format!(
            "    - {{ name: {n}, listen: 127.0.0.1:{}, metrics: 127.0.0.1:{}, role: {role} }}\n",
            ports[i],
            ports[i + 1]
        ));
        i += 2;
    }
    m
}

/// An applied manifest and its running nodes.
pub struct Cluster {
    pub env: Env,
    mesh: LocalMesh,
}

impl Cluster {
    /// Applies `manifest` and starts `names`, waiting until each is ready.
    pub fn start(manifest: &str, names: &[&str]) -> Cluster {
        Cluster::start_with_env(manifest, names, &[])
    }

    /// Like `start`, with extra environment for the node processes.
    pub fn start_with_env(manifest: &str, names: &[&str], node_env: &[(&str, &str)]) -> Cluster {
        Cluster::start_with(
            manifest,
            names,
            node_env,
            env!("CARGO_BIN_EXE_x0t").as_ref(),
        )
    }

    /// Like `start_with_env`, running the nodes through `exe` (a wrapper that runs x0t
    /// somewhere else, e.g. in a network namespace) instead of x0t itself.
    pub fn start_with(
        manifest: &str,
        names: &[&str],
        node_env: &[(&str, &str)],
        exe: &std::path::Path,
    ) -> Cluster {
        let env = Env::new(manifest);
        env.x0t(&["apply", "--auto-approve"]).ok();
        Cluster::run(env, names, node_env, exe)
    }

    /// Applies `manifest` with another x0t binary, `exe` (an older release, say), and
    /// starts `names` with it (tests/upgrade).
    #[allow(dead_code)]
    pub fn start_from(manifest: &str, names: &[&str], exe: &std::path::Path) -> Cluster {
        let env = Env::new(manifest);
        let out = std::process::Command::new(exe)
            .args(["apply", "--auto-approve"])
            .current_dir(env.root())
            .env("X0T_MANIFEST", "x0t.yaml")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{} apply failed:\n{}",
            exe.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        Cluster::run(env, names, &[], exe)
    }

    fn run(env: Env, names: &[&str], node_env: &[(&str, &str)], exe: &std::path::Path) -> Cluster {
        let mut mesh = LocalMesh::new(exe, &StateDir::new(env.state("")))
            .current_dir(env.root())
            .env_remove("RUST_LOG");
        for (k, v) in node_env {
            mesh = mesh.env(k, v);
        }
        let mut c = Cluster { env, mesh };
        for n in names {
            c.spawn(n);
        }
        c
    }

    pub fn spawn(&mut self, name: &str) {
        self.spawn_with(name, &[]);
    }

    /// Like `spawn`, with extra arguments to `x0t node run NAME` (e.g. `--bundle DIR`).
    pub fn spawn_with(&mut self, name: &str, extra: &[&str]) {
        if let Err(e) = self.mesh.start(name, extra, Duration::from_secs(20)) {
            panic!("{name} never became ready: {e}");
        }
    }

    /// The Workload API endpoint node `name` announces (`unix:///…`), once it has.
    pub fn workload_endpoint(&self, name: &str) -> String {
        let line = self
            .node(name)
            .wait_line("SPIFFE_ENDPOINT_SOCKET=", Duration::from_secs(10))
            .expect("the node announces its Workload API");
        let (_, endpoint) = line.split_once("SPIFFE_ENDPOINT_SOCKET=").unwrap();
        endpoint.trim().to_string()
    }

    /// The process of a running node.
    pub fn node(&self, name: &str) -> &NodeProcess {
        self.mesh.node(name).expect("node is running")
    }

    /// The nodes started so far (killed ones too, until forgotten).
    pub fn names(&self) -> Vec<String> {
        self.mesh.names()
    }

    /// kill -9.
    pub fn kill9(&mut self, name: &str) {
        self.mesh.kill9(name).expect("node is running");
    }

    /// SIGTERM, then the exit status (killed after 30 s).
    pub fn terminate(&mut self, name: &str) -> std::process::ExitStatus {
        match self.mesh.stop(name, Duration::from_secs(30)) {
            Ok(x0tta6bl4::engine::local::Stopped::Clean(Some(s))) => s,
            other => panic!("{name} did not stop by itself: {other:?}"),
        }
    }

    /// SIGSTOP.
    pub fn pause(&mut self, name: &str) {
        self.mesh.pause(name).expect("node is running");
    }

    /// SIGCONT.
    pub fn resume(&mut self, name: &str) {
        self.mesh.resume(name).expect("node is running");
    }

    /// Deletes a stopped node's raft data.
    pub fn wipe(&mut self, name: &str) {
        self.mesh.wipe(name).expect("node is stopped");
    }

    /// Runs every node started from now on with the x0t binary at `exe` (tests/upgrade).
    #[allow(dead_code)]
    pub fn set_exe(&mut self, exe: &std::path::Path) {
        self.mesh.set_exe(exe);
    }

    /// Starts a stopped or killed node again with its last arguments, waiting until ready.
    pub fn restart(&mut self, name: &str) {
        if let Err(e) = self.mesh.restart(name, Duration::from_secs(20)) {
            panic!("{name} never became ready again: {e}");
        }
    }

    /// Asserts that no node restarted: each printed its readiness line once.
    pub fn assert_no_restarts(&self) {
        for n in self.names() {
            let log = self.node(&n).log();
            let ready = log.iter().filter(|l| l.contains("ready node=")).count();
            assert_eq!(ready, 1, "{n} restarted:\n{}", log.join("\n"));
        }
    }

    /// Forgets a node, killing it if it still runs.
    pub fn forget(&mut self, name: &str) {
        self.mesh.remove(name);
    }

    /// Kills and forgets every node.
    pub fn kill_all(&mut self) {
        for n in self.mesh.names() {
            self.mesh.remove(&n);
        }
    }

    pub fn x0t(&self, args: &[&str]) -> Out {
        run_in(self.env.root(), args, &[("X0T_MANIFEST", "x0t.yaml")])
    }

    /// Polls `status -o json` until `ok` accepts it (bounded).
    pub fn wait_status(
        &self,
        within: Duration,
        ok: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + within;
        loop {
            let out = self.x0t(&["status", "-o", "json", "--timeout", "2s"]);
            let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
            if ok(&json) {
                return json;
            }
            assert!(
                Instant::now() < deadline,
                "status never settled; last:\n{}\n{}",
                out.stdout,
                out.stderr
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The metrics text of `node` (from its metrics port in the manifest).
    /// Polls `node`'s metrics until `ok` holds, and returns the exposition that satisfied it.
    pub fn wait_metrics(&self, node: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let m = self.metrics(node);
            if ok(&m) {
                return m;
            }
            assert!(
                Instant::now() < deadline,
                "{node}: condition never held:\n{m}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn metrics(&self, node: &str) -> String {
        let m =
            std::fs::read_to_string(self.env.state(&format!("nodes/{node}/node.json"))).unwrap();
        let cfg: serde_json::Value = serde_json::from_str(&m).unwrap();
        http_get(cfg["metrics"].as_str().unwrap(), "/metrics")
    }
}

/// The value of the first `name` series in the exposition `m` whose labels contain `label`.
pub fn sample(m: &str, name: &str, label: &str) -> f64 {
    m.lines()
        .find(|l| l.starts_with(&format!("{name}{{")) && l.contains(label))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// A minimal HTTP/1.1 GET over a plain TCP socket.
pub fn http_get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    body
}

pub fn healthy(j: &serde_json::Value) -> bool {
    j["healthy"] == true
}

/// A TLS 1.3 client session with the hybrid group that accepts any server certificate and
/// presents `cert` (or none).
pub fn tls_connect(
    addr: &str,
    client: Option<(&str, &str)>,
) -> rustls::StreamOwned<rustls::ClientConnection, std::net::TcpStream> {
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
    #[derive(Debug)]
    struct AnyServer;
    impl ServerCertVerifier for AnyServer {
        fn verify_server_cert(
            &self,
            _: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: &ServerName<'_>,
            _: &[u8],
            _: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &rustls::DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            Ok(HandshakeSignatureValid::assertion())
        }
        fn verify_tls13_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &rustls::DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            Ok(HandshakeSignatureValid::assertion())
        }
        fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
            rustls::crypto::aws_lc_rs::default_provider()
                .signature_verification_algorithms
                .supported_schemes()
        }
    }
    let der = |label: &str, pem: &str| {
        x509_parser::pem::Pem::iter_from_buffer(pem.as_bytes())
            .map(|p| p.unwrap())
            .find(|p| p.label == label)
            .unwrap()
            .contents
    };
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(std::sync::Arc::new(AnyServer));
    let cfg = match client {
        Some((cert, key)) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from(der("CERTIFICATE", cert))],
                PrivateKeyDer::Pkcs8(der("PRIVATE KEY", key).into()),
            )
            .unwrap(),
        None => builder.with_no_client_auth(),
    };
    let conn = rustls::ClientConnection::new(
        std::sync::Arc::new(cfg),
        ServerName::try_from("x0t.mesh").unwrap(),
    )
    .unwrap();
    let sock = std::net::TcpStream::connect(addr).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
    rustls::StreamOwned::new(conn, sock)
}

/// Runs `x0t kv put` against the mesh of `root` in a loop while `during` runs, and then until
/// `after` more writes have succeeded (or one has failed). Returns what `during` returned,
/// how many writes succeeded, and the stderr of each write that failed. The writer stops
/// even when `during` panics.
pub fn with_writer<R>(
    root: &std::path::Path,
    after: usize,
    during: impl FnOnce() -> R,
) -> (R, usize, Vec<String>) {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let stop = AtomicBool::new(false);
    let ok = AtomicUsize::new(0);
    let failed = std::sync::Mutex::new(Vec::new());
    struct StopOnDrop<'a>(&'a AtomicBool);
    impl Drop for StopOnDrop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let result = std::thread::scope(|s| {
        let _stop = StopOnDrop(&stop);
        s.spawn(|| {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let out = run_in(
                    root,
                    &["kv", "put", &format!("w{i}"), "v"],
                    &[("X0T_MANIFEST", "x0t.yaml")],
                );
                if out.code == 0 {
                    ok.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.lock().unwrap().push(out.stderr);
                }
                i += 1;
            }
        });
        let result = during();
        let target = ok.load(Ordering::Relaxed) + after;
        let deadline = Instant::now() + Duration::from_secs(30);
        while ok.load(Ordering::Relaxed) < target && failed.lock().unwrap().is_empty() {
            assert!(Instant::now() < deadline, "the writer made no progress");
            std::thread::sleep(Duration::from_millis(50));
        }
        result
    });
    (result, ok.into_inner(), failed.into_inner().unwrap())
}
