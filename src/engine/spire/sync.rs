//! `spire sync`: the registration entries of a running SPIRE server, read and changed
//! through its own CLI (`spire-server entry show/create/update/delete`), and the difference
//! between them and what the manifest wants.

use std::path::PathBuf;

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

/// Why SPIRE's CLI could not be used or what it refused.
#[derive(Debug, thiserror::Error)]
pub enum SpireCliError {
    #[error("`{bin}` is not on PATH")]
    Missing { bin: String },
    #[error("`{command}` failed: {message}")]
    Failed { command: String, message: String },
    #[error("cannot read the output of `{command}`: {message}")]
    Output { command: String, message: String },
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
            SpireCliError::Output { .. } => Vec::new(),
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

    /// `entry show -output json`: `{"entries": [...], "next_page_token": ""}`.
    pub fn entries(text: &str) -> Result<Vec<ServerEntry>, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        v.get("entries")
            .and_then(|e| e.as_array())
            .ok_or("no `entries` list")?
            .iter()
            .map(entry)
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

/// Drives a SPIRE server through its CLI.
pub struct SpireCli {
    pub bin: PathBuf,
    /// The server's API socket, when not SPIRE's default.
    pub socket: Option<PathBuf>,
}

impl SpireCli {
    /// Finds `bin` (a path, or a name on PATH).
    pub fn find(bin: &str, socket: Option<PathBuf>) -> Result<SpireCli, SpireCliError> {
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
        })
    }

    fn run(&self, args: &[&str], stdin: Option<&[u8]>) -> Result<String, SpireCliError> {
        use std::io::Write;
        let mut cmd = std::process::Command::new(&self.bin);
        cmd.args(args);
        if let Some(s) = &self.socket {
            cmd.arg("-socketPath").arg(s);
        }
        let command = format!("spire-server {}", args.join(" "));
        let fail = |message: String| SpireCliError::Failed {
            command: command.clone(),
            message,
        };
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| fail(e.to_string()))?;
        if let (Some(data), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(data).map_err(|e| fail(e.to_string()))?;
        }
        let out = child.wait_with_output().map_err(|e| fail(e.to_string()))?;
        if !out.status.success() {
            return Err(fail(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
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

    fn check(&self, what: &str, text: &str) -> Result<(), SpireCliError> {
        let failed: Vec<String> = output::results(text)
            .map_err(Self::output_err(what))?
            .into_iter()
            .filter(|(code, _, _)| *code != 0)
            .map(|(code, msg, _)| format!("code {code}: {msg}"))
            .collect();
        if failed.is_empty() {
            Ok(())
        } else {
            Err(SpireCliError::Failed {
                command: format!("spire-server {what}"),
                message: failed.join("; "),
            })
        }
    }

    /// Carries out `plan`.
    pub fn apply(&self, plan: &SyncChanges) -> Result<(), SpireCliError> {
        if !plan.create.is_empty() {
            let data = serde_json::to_vec(&Entries {
                entries: plan.create.clone(),
            })
            .expect("entries serialise");
            let out = self.run(
                &["entry", "create", "-data", "-", "-output", "json"],
                Some(&data),
            )?;
            self.check("entry create", &out)?;
        }
        if !plan.update.is_empty() {
            let entries: Vec<serde_json::Value> = plan
                .update
                .iter()
                .map(|(id, e)| {
                    let mut v = serde_json::to_value(e).expect("entry serialises");
                    v["entry_id"] = serde_json::Value::String(id.clone());
                    v
                })
                .collect();
            let data = serde_json::to_vec(&serde_json::json!({ "entries": entries }))
                .expect("entries serialise");
            let out = self.run(
                &["entry", "update", "-data", "-", "-output", "json"],
                Some(&data),
            )?;
            self.check("entry update", &out)?;
        }
        if !plan.delete.is_empty() {
            let ids: Vec<&str> = plan.delete.iter().map(|(id, _)| id.as_str()).collect();
            let data =
                serde_json::to_vec(&serde_json::json!({ "ids": ids })).expect("ids serialise");
            let out = self.run(
                &["entry", "delete", "-file", "-", "-output", "json"],
                Some(&data),
            )?;
            self.check("entry delete", &out)?;
        }
        Ok(())
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
