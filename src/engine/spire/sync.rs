//! `spire sync`: the registration entries of a running SPIRE server, read and changed
//! through its own CLI (`spire-server entry show/create/update/delete`), and the difference
//! between them and what the manifest wants.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::*;

/// A registration entry as `spire-server entry show -output json` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEntry {
    pub id: String,
    pub spiffe_id: String,
    pub parent_id: String,
    pub selectors: Vec<Selector>,
    pub x509_svid_ttl: u32,
}

/// Why a command run did not succeed but another try might.
enum Retry {
    Timeout,
    Unreachable(String),
}

/// Why SPIRE's CLI could not be used or what it refused.
#[derive(Debug, thiserror::Error)]
pub enum SpireCliError {
    #[error("`{bin}` is not on PATH")]
    Missing { bin: String },
    #[error("`{command}` failed: {message}")]
    Failed { command: String, message: String },
    #[error("cannot read the output of `{command}`: {message}")]
    Output { command: String, message: String },
    #[error("`{command}` did not finish within {seconds}s ({attempts} attempts)")]
    Timeout {
        command: String,
        seconds: u64,
        attempts: u32,
    },
    #[error("`{command}` could not reach the SPIRE server ({attempts} attempts): {message}")]
    Unreachable {
        command: String,
        message: String,
        attempts: u32,
    },
    #[error("the SPIRE server refused {}: {}", plural(.0.len(), "entry change"), .0.join("; "))]
    Entries(Vec<String>),
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

impl SpireCliError {
    pub fn hints(&self) -> Vec<String> {
        match self {
            SpireCliError::Missing { .. } => vec![
                "install SPIRE, or pass --server-bin; `x0t spire bootstrap` writes the files for a manual `spire-server entry create -data`".into(),
            ],
            SpireCliError::Failed { .. } => vec![
                "is the SPIRE server running? pass --socket if its API socket is not the default".into(),
            ],
            SpireCliError::Output { .. } => vec![
                "which changes the server made is unknown; `x0t spire sync` reads its entries again and converges".into(),
            ],
            SpireCliError::Timeout { .. } => vec![
                "the server is slow or stuck; raise --timeout, or check `spire-server healthcheck`".into(),
            ],
            SpireCliError::Unreachable { .. } => vec![
                "is the SPIRE server running? pass --socket if its API socket is not the default".into(),
            ],
            SpireCliError::Entries(_) => vec![
                "every other entry was applied whole; fix the cause and run `x0t spire sync` again, it changes only what still differs".into(),
            ],
        }
    }
}

/// Parsing of SPIRE's CLI output, in one place (the shapes are SPIRE's protojson: IDs as
/// `{trust_domain, path}` objects, 64-bit numbers as strings).
pub mod output {
    use super::{Selector, ServerEntry};
    use serde_json::Value;

    fn id(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => Some(format!(
                "spiffe://{}{}",
                o.get("trust_domain")?.as_str()?,
                o.get("path")?.as_str()?
            )),
            _ => None,
        }
    }

    fn entry(v: &Value) -> Result<ServerEntry, String> {
        let field = |k: &str| v.get(k).ok_or_else(|| format!("entry without `{k}`"));
        let selectors = field("selectors")?
            .as_array()
            .ok_or("`selectors` is not a list")?
            .iter()
            .map(|s| {
                Ok(Selector {
                    kind: s["type"].as_str().ok_or("selector without `type`")?.into(),
                    value: s["value"]
                        .as_str()
                        .ok_or("selector without `value`")?
                        .into(),
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(ServerEntry {
            id: field("id")?.as_str().ok_or("`id` is not a string")?.into(),
            spiffe_id: id(field("spiffe_id")?).ok_or("bad `spiffe_id`")?,
            parent_id: id(field("parent_id")?).ok_or("bad `parent_id`")?,
            selectors,
            x509_svid_ttl: v
                .get("x509_svid_ttl")
                .and_then(|t| t.as_u64().or_else(|| t.as_str()?.parse().ok()))
                .unwrap_or(0) as u32,
        })
    }

    /// `entry show -output json`: `{"entries": [...], "next_page_token": ""}`. A bad entry
    /// is named by its position and, when it has one, its ID.
    pub fn entries(text: &str) -> Result<Vec<ServerEntry>, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        v.get("entries")
            .and_then(|e| e.as_array())
            .ok_or("no `entries` list")?
            .iter()
            .enumerate()
            .map(|(i, e)| {
                entry(e).map_err(|m| match e.get("id").and_then(|id| id.as_str()) {
                    Some(id) => format!("entries[{i}] (entry {id}): {m}"),
                    None => format!("entries[{i}]: {m}"),
                })
            })
            .collect()
    }

    /// The `results` of `entry create|update|delete -output json`: each one's gRPC status
    /// code and message, and the entry ID when there is one. The CLI exits 0 even when
    /// some results failed, so callers must look at these codes.
    pub fn results(text: &str) -> Result<Vec<(i64, String, Option<String>)>, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        v.get("results")
            .and_then(|r| r.as_array())
            .ok_or("no `results` list")?
            .iter()
            .map(|r| {
                let code = r["status"]["code"]
                    .as_i64()
                    .ok_or("result without a status code")?;
                let message = r["status"]["message"].as_str().unwrap_or("").to_string();
                let id = r["id"]
                    .as_str()
                    .or_else(|| r["entry"]["id"].as_str())
                    .filter(|s| !s.is_empty())
                    .map(String::from);
                Ok((code, message, id))
            })
            .collect()
    }

    /// `token generate -output json`: the token and its expiry (unix seconds).
    pub fn token(text: &str) -> Result<(String, i64), String> {
        let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let value = v["value"].as_str().ok_or("no token `value`")?.to_string();
        let expires = v["expires_at"]
            .as_i64()
            .or_else(|| v["expires_at"].as_str()?.parse().ok())
            .unwrap_or(0);
        Ok((value, expires))
    }
}

/// What `spire sync` changes on a SPIRE server.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncChanges {
    pub create: Vec<Entry>,
    /// (entry ID, desired entry)
    pub update: Vec<(String, Entry)>,
    /// (entry ID, SPIFFE ID)
    pub delete: Vec<(String, String)>,
    /// Entries outside x0t's namespaces (`/node/`, `/workload/`), left alone.
    pub unmanaged: usize,
}

impl SyncChanges {
    pub fn is_empty(&self) -> bool {
        self.create.is_empty() && self.update.is_empty() && self.delete.is_empty()
    }

    /// One line per change, `+`, `~`, `-` as in `plan`.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .create
            .iter()
            .map(|e| format!("+ {}", e.spiffe_id))
            .collect();
        out.extend(
            self.update
                .iter()
                .map(|(id, e)| format!("~ {} (entry {id})", e.spiffe_id)),
        );
        out.extend(
            self.delete
                .iter()
                .map(|(id, s)| format!("- {s} (entry {id})")),
        );
        out
    }
}

/// Compares the entries x0t wants with those a SPIRE server has, by SPIFFE ID. Only
/// entries in x0t's namespaces of this trust domain are updated or deleted.
pub fn sync_changes(trust_domain: &str, desired: &Entries, actual: &[ServerEntry]) -> SyncChanges {
    let managed = |id: &str| {
        id.starts_with(&format!("spiffe://{trust_domain}/node/"))
            || id.starts_with(&format!("spiffe://{trust_domain}/workload/"))
    };
    let mut plan = SyncChanges::default();
    for want in &desired.entries {
        match actual.iter().find(|a| a.spiffe_id == want.spiffe_id) {
            None => plan.create.push(want.clone()),
            Some(have) => {
                let mut sel = have.selectors.clone();
                sel.sort();
                if have.parent_id != want.parent_id
                    || sel != want.selectors
                    || have.x509_svid_ttl != want.x509_svid_ttl
                {
                    plan.update.push((have.id.clone(), want.clone()));
                }
            }
        }
    }
    for have in actual {
        if !managed(&have.spiffe_id) {
            plan.unmanaged += 1;
        } else if !desired
            .entries
            .iter()
            .any(|w| w.spiffe_id == have.spiffe_id)
        {
            plan.delete.push((have.id.clone(), have.spiffe_id.clone()));
        }
    }
    plan
}

/// How often a command that could not reach the server, or did not answer in time, is
/// tried in all.
pub const ATTEMPTS: u32 = 3;

/// Drives a SPIRE server through its CLI.
pub struct SpireCli {
    pub bin: PathBuf,
    /// The server's API socket, when not SPIRE's default.
    pub socket: Option<PathBuf>,
    /// How long one command may take before it is killed.
    pub timeout: Duration,
}

/// What `spire sync` changed, and what the server refused.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncOutcome {
    /// The changes the server made.
    pub applied: SyncChanges,
    /// Changes the server refused, or left out because their parent entry was refused:
    /// one line each, naming the entry.
    pub refused: Vec<String>,
}

/// Entries the server refused: (SPIFFE ID, a line saying why).
type Refused = Vec<(String, String)>;

/// One change for the server: the entry's SPIFFE ID names it in errors.
struct Change {
    spiffe_id: String,
    /// The request body's element for this entry.
    body: serde_json::Value,
}

/// Whether a failed command's stderr says the server was not reached (worth another try).
fn unreachable(stderr: &str) -> bool {
    let s = stderr.to_ascii_lowercase();
    [
        "connection refused",
        "no such file or directory",
        "error while dialing",
        "unavailable",
        "deadline exceeded",
        "connection reset",
    ]
    .iter()
    .any(|p| s.contains(p))
}

impl SpireCli {
    /// Finds `bin` (a path, or a name on PATH).
    pub fn find(
        bin: &str,
        socket: Option<PathBuf>,
        timeout: Duration,
    ) -> Result<SpireCli, SpireCliError> {
        let missing = || SpireCliError::Missing { bin: bin.into() };
        let path = if bin.contains('/') {
            Some(PathBuf::from(bin)).filter(|p| p.is_file())
        } else {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(bin))
                    .find(|p| p.is_file())
            })
        };
        Ok(SpireCli {
            bin: path.ok_or_else(missing)?,
            socket,
            timeout,
        })
    }

    /// Runs `spire-server ARGS`, trying again (up to [`ATTEMPTS`] in all, with a growing
    /// pause) when the server was not reached or did not answer in time. A retried change
    /// is safe: the server answers "already exists" or "not found" for what the lost
    /// attempt did, and [`SpireCli::changes`] counts those as done.
    fn run(&self, args: &[&str], stdin: Option<&[u8]>) -> Result<String, SpireCliError> {
        let command = format!("spire-server {}", args.join(" "));
        let mut last = None;
        for attempt in 1..=ATTEMPTS {
            if attempt > 1 {
                std::thread::sleep(Duration::from_millis(250 << (attempt - 2)));
            }
            match self.run_once(&command, args, stdin)? {
                Ok(out) => return Ok(out),
                Err(e) => last = Some(e),
            }
        }
        Err(match last.expect("at least one attempt") {
            Retry::Timeout => SpireCliError::Timeout {
                command,
                seconds: self.timeout.as_secs(),
                attempts: ATTEMPTS,
            },
            Retry::Unreachable(message) => SpireCliError::Unreachable {
                command,
                message,
                attempts: ATTEMPTS,
            },
        })
    }

    /// One run: `Ok(Ok(stdout))`, `Ok(Err(_))` when another try may help, `Err` when not.
    fn run_once(
        &self,
        command: &str,
        args: &[&str],
        stdin: Option<&[u8]>,
    ) -> Result<Result<String, Retry>, SpireCliError> {
        use std::io::{Read, Write};
        let fail = |message: String| SpireCliError::Failed {
            command: command.into(),
            message,
        };
        let mut cmd = std::process::Command::new(&self.bin);
        cmd.args(args);
        if let Some(s) = &self.socket {
            cmd.arg("-socketPath").arg(s);
        }
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| fail(e.to_string()))?;
        let mut pipe = child.stdin.take();
        if let (Some(data), Some(p)) = (stdin, pipe.as_mut()) {
            // A server that does not read its input is caught by the timeout below.
            let _ = p.write_all(data);
        }
        drop(pipe);
        let read = |r: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                if let Some(mut r) = r {
                    let _ = r.read_to_end(&mut buf);
                }
                buf
            })
        };
        let out = read(
            child
                .stdout
                .take()
                .map(|r| Box::new(r) as Box<dyn Read + Send>),
        );
        let err = read(
            child
                .stderr
                .take()
                .map(|r| Box::new(r) as Box<dyn Read + Send>),
        );
        let deadline = std::time::Instant::now() + self.timeout;
        let status = loop {
            match child.try_wait().map_err(|e| fail(e.to_string()))? {
                Some(status) => break Some(status),
                None if std::time::Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        };
        let Some(status) = status else {
            return Ok(Err(Retry::Timeout));
        };
        let stdout = String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned();
        let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default())
            .trim()
            .to_string();
        if status.success() {
            Ok(Ok(stdout))
        } else if unreachable(&stderr) {
            Ok(Err(Retry::Unreachable(stderr)))
        } else {
            Err(fail(stderr))
        }
    }

    fn output_err(command: &str) -> impl Fn(String) -> SpireCliError + '_ {
        move |message| SpireCliError::Output {
            command: command.into(),
            message,
        }
    }

    /// Every entry the server has (downstream ones are listed separately by SPIRE).
    pub fn show(&self) -> Result<Vec<ServerEntry>, SpireCliError> {
        let mut all = output::entries(&self.run(&["entry", "show", "-output", "json"], None)?)
            .map_err(Self::output_err("entry show"))?;
        all.extend(
            output::entries(&self.run(&["entry", "show", "-downstream", "-output", "json"], None)?)
                .map_err(Self::output_err("entry show -downstream"))?,
        );
        Ok(all)
    }

    /// Sends `changes` with `entry VERB`; returns the SPIFFE IDs the server applied, and
    /// those it refused with a line saying why. `done_code` is the status that means "already so" (a
    /// create that exists, a delete that is gone): a retried request meets those.
    fn changes(
        &self,
        verb: &str,
        changes: Vec<Change>,
        done_code: i64,
    ) -> Result<(Vec<String>, Refused), SpireCliError> {
        if changes.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let what = format!("entry {verb}");
        let bodies: Vec<&serde_json::Value> = changes.iter().map(|c| &c.body).collect();
        let (data, args): (serde_json::Value, [&str; 6]) = if verb == "delete" {
            let ids: Vec<&serde_json::Value> = bodies.iter().map(|b| &b["id"]).collect();
            (
                serde_json::json!({ "ids": ids }),
                ["entry", "delete", "-file", "-", "-output", "json"],
            )
        } else {
            (
                serde_json::json!({ "entries": bodies }),
                ["entry", verb, "-data", "-", "-output", "json"],
            )
        };
        let data = serde_json::to_vec(&data).expect("entries serialise");
        let out = self.run(&args, Some(&data))?;
        let results = output::results(&out).map_err(Self::output_err(&what))?;
        if results.len() != changes.len() {
            return Err(SpireCliError::Output {
                command: what,
                message: format!("{} results for {} entries", results.len(), changes.len()),
            });
        }
        let (mut ok, mut refused) = (Vec::new(), Vec::new());
        for (c, (code, message, _)) in changes.into_iter().zip(results) {
            if code == 0 || code == done_code {
                ok.push(c.spiffe_id);
            } else {
                let line = format!("{verb} {}: code {code}: {message}", c.spiffe_id);
                refused.push((c.spiffe_id, line));
            }
        }
        Ok((ok, refused))
    }

    /// Carries out `plan` in an order that never leaves a workload entry without its node
    /// alias: node aliases are created and updated before the workloads under them, a
    /// workload whose alias the server refused is left out, and workloads are deleted
    /// before their node. Each entry is applied whole or not at all; what the server
    /// refused is in [`SyncOutcome::refused`], and a later sync changes only what still
    /// differs.
    pub fn apply(
        &self,
        trust_domain: &str,
        actual: &[ServerEntry],
        plan: &SyncChanges,
    ) -> Result<SyncOutcome, SpireCliError> {
        let is_node = |id: &str| id.starts_with(&format!("spiffe://{trust_domain}/node/"));
        let entry_body = |e: &Entry| serde_json::to_value(e).expect("entry serialises");
        let update_body = |id: &str, e: &Entry| {
            let mut v = entry_body(e);
            v["entry_id"] = serde_json::Value::String(id.into());
            v
        };
        let mut outcome = SyncOutcome {
            applied: SyncChanges {
                unmanaged: plan.unmanaged,
                ..SyncChanges::default()
            },
            refused: Vec::new(),
        };
        // Node aliases first.
        let creates = |nodes: bool, parent_ok: &dyn Fn(&str) -> bool| -> Vec<Change> {
            (plan.create.iter())
                .filter(|e| is_node(&e.spiffe_id) == nodes && parent_ok(&e.parent_id))
                .map(|e| Change {
                    spiffe_id: e.spiffe_id.clone(),
                    body: entry_body(e),
                })
                .collect()
        };
        let updates = |nodes: bool| -> Vec<Change> {
            (plan.update.iter())
                .filter(|(_, e)| is_node(&e.spiffe_id) == nodes)
                .map(|(id, e)| Change {
                    spiffe_id: e.spiffe_id.clone(),
                    body: update_body(id, e),
                })
                .collect()
        };
        let (created, refused) = self.changes("create", creates(true, &|_| true), 6)?;
        outcome.refused.extend(refused.into_iter().map(|(_, l)| l));
        let (updated, refused) = self.changes("update", updates(true), 0)?;
        outcome.refused.extend(refused.into_iter().map(|(_, l)| l));
        let record = |created: &[String], updated: &[String], out: &mut SyncOutcome| {
            for e in plan
                .create
                .iter()
                .filter(|e| created.contains(&e.spiffe_id))
            {
                out.applied.create.push(e.clone());
            }
            for u in plan
                .update
                .iter()
                .filter(|(_, e)| updated.contains(&e.spiffe_id))
            {
                out.applied.update.push(u.clone());
            }
        };
        record(&created, &updated, &mut outcome);
        // Then the workloads whose node alias exists now.
        let present = |id: &str| {
            !is_node(id)
                || created.iter().any(|c| c == id)
                || actual.iter().any(|a| a.spiffe_id == id)
        };
        for e in plan.create.iter().filter(|e| !is_node(&e.spiffe_id)) {
            if !present(&e.parent_id) {
                outcome.refused.push(format!(
                    "create {}: left out, its node alias {} was not created",
                    e.spiffe_id, e.parent_id
                ));
            }
        }
        let (created, refused) = self.changes("create", creates(false, &present), 6)?;
        outcome.refused.extend(refused.into_iter().map(|(_, l)| l));
        let (updated, refused) = self.changes("update", updates(false), 0)?;
        outcome.refused.extend(refused.into_iter().map(|(_, l)| l));
        record(&created, &updated, &mut outcome);
        // Deletes: workloads, then node aliases no remaining workload hangs from.
        let deletes = |nodes: bool| -> Vec<Change> {
            (plan.delete.iter())
                .filter(|(_, id)| is_node(id) == nodes)
                .map(|(entry, id)| Change {
                    spiffe_id: id.clone(),
                    body: serde_json::json!({ "id": entry }),
                })
                .collect()
        };
        let (deleted, refused) = self.changes("delete", deletes(false), 5)?;
        let kept: Vec<&ServerEntry> = (actual.iter())
            .filter(|a| refused.iter().any(|(id, _)| *id == a.spiffe_id))
            .collect();
        outcome.refused.extend(refused.into_iter().map(|(_, l)| l));
        let node_deletes: Vec<Change> = deletes(true)
            .into_iter()
            .filter(|c| {
                let hangs = kept.iter().any(|k| k.parent_id == c.spiffe_id);
                if hangs {
                    outcome.refused.push(format!(
                        "delete {}: left out, a workload entry under it could not be deleted",
                        c.spiffe_id
                    ));
                }
                !hangs
            })
            .collect();
        let (deleted_nodes, refused) = self.changes("delete", node_deletes, 5)?;
        outcome.refused.extend(refused.into_iter().map(|(_, l)| l));
        for d in plan.delete.iter() {
            if deleted.contains(&d.1) || deleted_nodes.contains(&d.1) {
                outcome.applied.delete.push(d.clone());
            }
        }
        Ok(outcome)
    }

    /// Mints a join token for `spiffe_id` valid for `ttl_seconds`.
    pub fn join_token(
        &self,
        spiffe_id: &str,
        ttl_seconds: u64,
    ) -> Result<(String, i64), SpireCliError> {
        let ttl = ttl_seconds.to_string();
        let out = self.run(
            &[
                "token",
                "generate",
                "-spiffeID",
                spiffe_id,
                "-ttl",
                &ttl,
                "-output",
                "json",
            ],
            None,
        )?;
        output::token(&out).map_err(Self::output_err("token generate"))
    }
}
