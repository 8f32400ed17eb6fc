//! `LocalMesh`: the nodes of an applied state directory run as `x0t node run` child
//! processes on this host, for `x0t up`, `x0t bench` and the test suite (and, later, chaos
//! experiments). It starts them, waits for their readiness lines, and kills (SIGKILL),
//! pauses (SIGSTOP), resumes (SIGCONT), stops (SIGTERM, then SIGKILL after a grace period),
//! restarts and wipes them. Every child is killed when the `LocalMesh` is dropped.

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::engine::bundle::NodeBundle;
use crate::engine::client::{Client, ClusterStatus};
use crate::engine::manifest::{Manifest, NodeSpec};
use crate::engine::state::StateDir;

/// The line a node prints on stderr once it serves; see `node run`.
pub const READY_PREFIX: &str = "ready node=";

/// Why a local node could not be started, found or waited for.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    #[error("could not start node {node}")]
    Spawn {
        node: String,
        #[source]
        source: std::io::Error,
    },
    #[error("could not create {}", path.display())]
    Create {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("node {node} is not running here")]
    NotRunning { node: String },
    #[error("node {node} did not print its readiness line within {seconds}s{}", last_lines(.log))]
    NotReady {
        node: String,
        seconds: u64,
        log: Vec<String>,
    },
    #[error("node {node} exited before it was ready ({status}){}", last_lines(.log))]
    Exited {
        node: String,
        status: String,
        log: Vec<String>,
    },
    #[error("cannot wipe the data of node {node}: {message}")]
    Wipe { node: String, message: String },
    #[error("the mesh {what} within {seconds}s")]
    Timeout { what: &'static str, seconds: u64 },
}

fn last_lines(log: &[String]) -> String {
    let tail: Vec<&str> = log
        .iter()
        .rev()
        .take(20)
        .rev()
        .map(String::as_str)
        .collect();
    if tail.is_empty() {
        String::new()
    } else {
        format!("; its last lines:\n{}", tail.join("\n"))
    }
}

/// Where a node's stdout (its OpenTelemetry stream) goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stdout {
    Discard,
    /// `<state-dir>/nodes/NAME/otel.log`.
    OtelLog,
}

/// Called with (node, line) for every stderr line of every node.
pub type LineSink = Arc<dyn Fn(&str, &str) + Send + Sync>;

/// How many stderr lines of a node are kept: enough for any wait and for an error report,
/// bounded so a supervisor that runs for days (`x0t up`) does not grow.
const KEEP_LINES: usize = 4096;

/// The newest stderr lines of a node, appended by a reader thread. Lines are numbered from
/// the first one the process printed, so marks stay valid after old lines are dropped.
#[derive(Default)]
struct Lines {
    state: Mutex<LineState>,
    grew: Condvar,
}

#[derive(Default)]
struct LineState {
    kept: VecDeque<String>,
    /// How many lines were dropped from the front.
    dropped: usize,
    /// The process closed its stderr.
    closed: bool,
}

impl LineState {
    fn total(&self) -> usize {
        self.dropped + self.kept.len()
    }

    /// The first kept line numbered `from` or later that contains `needle`.
    fn find(&self, needle: &str, from: usize) -> Option<String> {
        let skip = from.saturating_sub(self.dropped);
        self.kept
            .iter()
            .skip(skip)
            .find(|l| l.contains(needle))
            .cloned()
    }
}

impl Lines {
    fn lock(&self) -> std::sync::MutexGuard<'_, LineState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, line: String) {
        let mut g = self.lock();
        if g.kept.len() == KEEP_LINES {
            g.kept.pop_front();
            g.dropped += 1;
        }
        g.kept.push_back(line);
        self.grew.notify_all();
    }

    fn close(&self) {
        self.lock().closed = true;
        self.grew.notify_all();
    }

    /// Waits on the condition variable until `done` holds or `deadline` passes; returns
    /// what `done` last said.
    fn wait_until(&self, deadline: Instant, mut done: impl FnMut(&LineState) -> bool) -> bool {
        let mut g = self.lock();
        loop {
            if done(&g) {
                return true;
            }
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            g = self
                .grew
                .wait_timeout(g, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// The first line numbered `from` or later containing `needle`, waiting until
    /// `deadline`; `None` when the deadline passes or the stream ends first.
    fn wait_for(&self, needle: &str, from: usize, deadline: Instant) -> Option<String> {
        let mut found = None;
        self.wait_until(deadline, |g| {
            found = g.find(needle, from);
            found.is_some() || g.closed
        });
        found
    }
}

/// One node process.
pub struct NodeProcess {
    pub name: String,
    child: Child,
    /// Set once the child is reaped: its pid may then belong to another process, so no
    /// signal is sent after that.
    status: Option<ExitStatus>,
    lines: Arc<Lines>,
    args: Vec<String>,
}

impl NodeProcess {
    /// The process id while the child has not been reaped.
    pub fn pid(&self) -> Option<u32> {
        self.status.is_none().then(|| self.child.id())
    }

    /// Starts `cmd` with stderr piped and read line by line (each line also handed to
    /// `sink`). Any x0t process can be watched this way, `x0t up` included.
    pub fn spawn(
        name: &str,
        mut cmd: Command,
        sink: Option<LineSink>,
    ) -> std::io::Result<NodeProcess> {
        let mut child = cmd.stderr(Stdio::piped()).spawn()?;
        let lines = Arc::new(Lines::default());
        if let Some(err) = child.stderr.take() {
            let (lines, node) = (lines.clone(), name.to_string());
            std::thread::spawn(move || {
                for line in BufReader::new(err).lines().map_while(Result::ok) {
                    if let Some(sink) = &sink {
                        sink(&node, &line);
                    }
                    lines.push(line);
                }
                lines.close();
            });
        }
        Ok(NodeProcess {
            name: name.into(),
            child,
            status: None,
            lines,
            args: Vec::new(),
        })
    }

    /// Sends signal `sig` (SIGINT, SIGSTOP, ...) to the process, unless it has been reaped.
    pub fn signal(&mut self, sig: libc::c_int) {
        if self.exited().is_none() {
            // SAFETY: kill(2) on our own child, which exited() just found unreaped; a
            // zombie keeps its pid until we reap it, so the pid cannot have been reused.
            unsafe { libc::kill(self.child.id() as libc::pid_t, sig) };
        }
    }

    /// Waits for the process to exit.
    pub fn wait(&mut self) -> std::io::Result<ExitStatus> {
        if let Some(s) = self.status {
            return Ok(s);
        }
        let s = self.child.wait()?;
        self.status = Some(s);
        Ok(s)
    }

    /// The stderr lines kept so far (the newest few thousand).
    pub fn log(&self) -> Vec<String> {
        self.lines.lock().kept.iter().cloned().collect()
    }

    /// How many stderr lines so far (a mark for [`NodeProcess::wait_line_after`]).
    pub fn log_len(&self) -> usize {
        self.lines.lock().total()
    }

    /// The first stderr line containing `needle`, waiting up to `within`.
    pub fn wait_line(&self, needle: &str, within: Duration) -> Option<String> {
        self.lines.wait_for(needle, 0, Instant::now() + within)
    }

    /// Like `wait_line`, only among lines after the first `mark` ones.
    pub fn wait_line_after(&self, mark: usize, needle: &str, within: Duration) -> Option<String> {
        self.lines.wait_for(needle, mark, Instant::now() + within)
    }

    /// Whether the process has exited (and its status, reaped).
    pub fn exited(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().ok().flatten();
        }
        self.status
    }

    fn kill9(&mut self) -> Option<ExitStatus> {
        if self.exited().is_none() {
            let _ = self.child.kill();
        }
        self.wait().ok()
    }

    /// SIGTERM (with SIGCONT, since a paused process cannot act on it).
    fn terminate(&mut self) {
        self.signal(libc::SIGCONT);
        self.signal(libc::SIGTERM);
    }

    /// Waits for the process to exit by itself until `deadline`, then kills it. `Ok` with
    /// the status of a process that stopped by itself, `Err` when it had to be killed.
    fn reap_by(&mut self, deadline: Instant) -> Result<ExitStatus, Option<ExitStatus>> {
        // The reader thread sees end-of-file as the process exits; the exit itself follows
        // a moment later, so poll for it only from then on.
        self.lines.wait_until(deadline, |g| g.closed);
        loop {
            if let Some(status) = self.exited() {
                return Ok(status);
            }
            if Instant::now() >= deadline {
                return Err(self.kill9());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// SIGTERM, then SIGKILL once `grace` has passed.
    fn stop(&mut self, grace: Duration) -> Result<ExitStatus, Option<ExitStatus>> {
        if let Some(status) = self.exited() {
            return Ok(status);
        }
        self.terminate();
        self.reap_by(Instant::now() + grace)
    }
}

impl Drop for NodeProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// The processes of a local mesh.
pub struct LocalMesh {
    exe: PathBuf,
    state_dir: StateDir,
    cwd: Option<PathBuf>,
    env: Vec<(String, String)>,
    env_remove: Vec<String>,
    stdout: Stdout,
    sink: Option<LineSink>,
    nodes: BTreeMap<String, NodeProcess>,
}

impl LocalMesh {
    /// A mesh of the nodes in `state_dir`, run with the x0t binary at `exe`.
    pub fn new(exe: impl Into<PathBuf>, state_dir: &StateDir) -> LocalMesh {
        LocalMesh {
            exe: exe.into(),
            state_dir: StateDir::new(state_dir.root.clone()),
            cwd: None,
            env: Vec::new(),
            env_remove: Vec::new(),
            stdout: Stdout::Discard,
            sink: None,
            nodes: BTreeMap::new(),
        }
    }

    /// Runs every node started from now on (restarts included) with the x0t binary at
    /// `exe`: a rolling upgrade replaces the binary one node at a time.
    pub fn set_exe(&mut self, exe: impl Into<PathBuf>) {
        self.exe = exe.into();
    }

    /// Sets an environment variable for every node started from now on.
    pub fn env(mut self, key: &str, value: &str) -> LocalMesh {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Removes an inherited environment variable from every node started from now on.
    pub fn env_remove(mut self, key: &str) -> LocalMesh {
        self.env_remove.push(key.into());
        self
    }

    /// Starts nodes in `dir` (relative paths in their configs resolve from there).
    pub fn current_dir(mut self, dir: impl Into<PathBuf>) -> LocalMesh {
        self.cwd = Some(dir.into());
        self
    }

    pub fn stdout(mut self, stdout: Stdout) -> LocalMesh {
        self.stdout = stdout;
        self
    }

    /// Also hands every stderr line to `sink`, as it arrives.
    pub fn on_line(mut self, sink: LineSink) -> LocalMesh {
        self.sink = Some(sink);
        self
    }

    /// The names of the running (or exited but not yet removed) nodes.
    pub fn names(&self) -> Vec<String> {
        self.nodes.keys().cloned().collect()
    }

    /// Whether every node has exited (none was started counts as all).
    pub fn all_exited(&mut self) -> bool {
        self.nodes.values_mut().all(|p| p.exited().is_some())
    }

    /// The nodes that have exited.
    pub fn exited_names(&mut self) -> Vec<String> {
        (self.nodes.iter_mut())
            .filter_map(|(n, p)| p.exited().map(|_| n.clone()))
            .collect()
    }

    /// Starts `x0t node run NAME [extra...]` without waiting for it to be ready.
    pub fn spawn(&mut self, name: &str, extra: &[&str]) -> Result<(), LocalError> {
        let args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        self.spawn_args(name, args)
    }

    fn spawn_args(&mut self, name: &str, args: Vec<String>) -> Result<(), LocalError> {
        if let Some(mut old) = self.nodes.remove(name) {
            old.kill9();
        }
        let mut cmd = Command::new(&self.exe);
        cmd.arg("--state-dir")
            .arg(&self.state_dir.root)
            .args(["node", "run", name])
            .args(&args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        if let Some(dir) = &self.cwd {
            cmd.current_dir(dir);
        }
        for k in &self.env_remove {
            cmd.env_remove(k);
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        match self.stdout {
            Stdout::Discard => {
                cmd.stdout(Stdio::null());
            }
            Stdout::OtelLog => {
                let path = self.state_dir.path(&format!("nodes/{name}/otel.log"));
                let file = std::fs::File::create(&path)
                    .map_err(|source| LocalError::Create { path, source })?;
                cmd.stdout(file);
            }
        }
        let mut p = NodeProcess::spawn(name, cmd, self.sink.clone()).map_err(|source| {
            LocalError::Spawn {
                node: name.into(),
                source,
            }
        })?;
        p.args = args;
        self.nodes.insert(name.into(), p);
        Ok(())
    }

    /// Starts node `name` and waits up to `within` for its readiness line, which it returns.
    pub fn start(
        &mut self,
        name: &str,
        extra: &[&str],
        within: Duration,
    ) -> Result<String, LocalError> {
        self.spawn(name, extra)?;
        self.wait_ready(name, within)
    }

    /// Waits for the readiness line of a started node.
    pub fn wait_ready(&mut self, name: &str, within: Duration) -> Result<String, LocalError> {
        let p = self.node_mut(name)?;
        let deadline = Instant::now() + within;
        if let Some(line) = p.lines.wait_for(READY_PREFIX, 0, deadline) {
            return Ok(line);
        }
        // Stderr closed early: the process is exiting; give it until the deadline to be
        // reaped, so the error says how it ended.
        if Instant::now() < deadline {
            let _ = p.reap_by(deadline.min(Instant::now() + Duration::from_secs(2)));
        }
        let log = p.log();
        match p.exited() {
            Some(status) => Err(LocalError::Exited {
                node: name.into(),
                status: status.to_string(),
                log,
            }),
            None => Err(LocalError::NotReady {
                node: name.into(),
                seconds: within.as_secs(),
                log,
            }),
        }
    }

    pub fn node(&self, name: &str) -> Result<&NodeProcess, LocalError> {
        self.nodes
            .get(name)
            .ok_or_else(|| LocalError::NotRunning { node: name.into() })
    }

    pub fn node_mut(&mut self, name: &str) -> Result<&mut NodeProcess, LocalError> {
        self.nodes
            .get_mut(name)
            .ok_or_else(|| LocalError::NotRunning { node: name.into() })
    }

    /// kill -9, reaped at once. The node stays known, so `restart` brings it back.
    pub fn kill9(&mut self, name: &str) -> Result<(), LocalError> {
        self.node_mut(name)?.kill9();
        Ok(())
    }

    /// SIGSTOP: the process stays, frozen, holding its sockets and files.
    pub fn pause(&mut self, name: &str) -> Result<(), LocalError> {
        self.node_mut(name)?.signal(libc::SIGSTOP);
        Ok(())
    }

    /// SIGCONT after `pause`.
    pub fn resume(&mut self, name: &str) -> Result<(), LocalError> {
        self.node_mut(name)?.signal(libc::SIGCONT);
        Ok(())
    }

    /// Graceful stop: SIGTERM, then SIGKILL after `grace`. See [`Stopped`].
    pub fn stop(&mut self, name: &str, grace: Duration) -> Result<Stopped, LocalError> {
        Ok(Stopped::from(self.node_mut(name)?.stop(grace)))
    }

    /// Stops every node at once: SIGTERM to all, then one shared grace period, so they shut
    /// down in parallel and `grace` bounds the whole stop.
    pub fn stop_all(&mut self, grace: Duration) -> Vec<(String, Stopped)> {
        for p in self.nodes.values_mut() {
            p.terminate();
        }
        let deadline = Instant::now() + grace;
        (self.nodes.iter_mut())
            .map(|(n, p)| (n.clone(), Stopped::from(p.reap_by(deadline))))
            .collect()
    }

    /// Starts a node again with the arguments it was last started with (after kill9 or
    /// stop) and waits for it to be ready.
    pub fn restart(&mut self, name: &str, within: Duration) -> Result<String, LocalError> {
        let args = self.node(name)?.args.clone();
        self.spawn_args(name, args)?;
        self.wait_ready(name, within)
    }

    /// Deletes a stopped node's raft data, so that it restarts empty and must be caught up.
    pub fn wipe(&mut self, name: &str) -> Result<(), LocalError> {
        if let Some(p) = self.nodes.get_mut(name) {
            if p.exited().is_none() {
                return Err(LocalError::Wipe {
                    node: name.into(),
                    message: "it is running; stop or kill it first".into(),
                });
            }
        }
        let bundle =
            NodeBundle::from_state(&self.state_dir, name).map_err(|e| LocalError::Wipe {
                node: name.into(),
                message: e.to_string(),
            })?;
        match std::fs::remove_dir_all(&bundle.data_dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(LocalError::Wipe {
                node: name.into(),
                message: format!("{}: {e}", bundle.data_dir.display()),
            }),
        }
    }

    /// Forgets a node, killing it if it still runs.
    pub fn remove(&mut self, name: &str) {
        self.nodes.remove(name);
    }
}

/// How a graceful stop ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// The process exited by itself (its status; `None` if it could not be read).
    Clean(Option<ExitStatus>),
    /// It outlived the grace period and was killed.
    Killed,
}

impl From<Result<ExitStatus, Option<ExitStatus>>> for Stopped {
    fn from(r: Result<ExitStatus, Option<ExitStatus>>) -> Stopped {
        match r {
            Ok(s) => Stopped::Clean(Some(s)),
            Err(_) => Stopped::Killed,
        }
    }
}

/// The nodes of `m` to run on this host, relays included: those whose listen or advertised
/// address is a loopback address (or a wildcard listen advertised as itself).
pub fn local_nodes(m: &Manifest) -> Vec<&NodeSpec> {
    m.spec.nodes.iter().filter(|n| is_local(n)).collect()
}

fn is_local(n: &NodeSpec) -> bool {
    let host = |addr: &str| -> String {
        addr.rsplit_once(':')
            .map(|(h, _)| h.trim_matches(['[', ']']).to_string())
            .unwrap_or_default()
    };
    let (listen, adv) = (host(&n.listen), host(n.advertise_addr()));
    let local = |h: &str| h == "localhost" || h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    local(&listen)
        || local(&adv)
        || (listen.parse::<IpAddr>().is_ok_and(|ip| ip.is_unspecified()) && adv == listen)
}

/// Polls the mesh's status until `ok` accepts it, or `within` passes.
pub async fn wait_status(
    client: &Client,
    within: Duration,
    what: &'static str,
    ok: impl Fn(&ClusterStatus) -> bool,
) -> Result<ClusterStatus, LocalError> {
    client
        .status_until(within, ok)
        .await
        .map_err(|_| LocalError::Timeout {
            what,
            seconds: within.as_secs(),
        })
}

/// Waits until a node leads; returns its name.
pub async fn wait_leader(client: &Client, within: Duration) -> Result<String, LocalError> {
    let s = wait_status(client, within, "elected no leader", |s| s.leader.is_some()).await?;
    Ok(s.leader.unwrap_or_default())
}

/// Waits until every node answers, agrees on a leader and has applied the leader's whole
/// log (what etcd's `endpoint health` checks with its quorum read); returns the leader.
pub async fn wait_healthy(client: &Client, within: Duration) -> Result<String, LocalError> {
    let s = wait_status(client, within, "did not become healthy", |s| {
        // Healthy means every node answered; relays have no log to lag with.
        s.healthy && s.nodes.iter().all(|n| n.lag.unwrap_or(0) == 0)
    })
    .await?;
    Ok(s.leader.unwrap_or_default())
}

impl std::fmt::Debug for LocalMesh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalMesh")
            .field("state_dir", &self.state_dir.root)
            .field("nodes", &self.names())
            .finish_non_exhaustive()
    }
}
