//! `x0t kv`: the replicated key-value store of the control plane.

use std::io::Read;

use clap::{Args, Subcommand};

use super::connect::ConnectArgs;
use super::{Ctx, EXIT_OK};
use crate::error::CliError;
use crate::error::EngineError;
use crate::ui::Ui;

/// Read and write the replicated key-value store (linearizable).
#[derive(Debug, Subcommand)]
pub enum KvCommand {
    Put(PutArgs),
    Get(KeyArgs),
    Del(KeyArgs),
    List(ListArgs),
}

/// Store VALUE under KEY (VALUE `-` reads stdin); prints the new revision.
#[derive(Debug, Args)]
pub struct PutArgs {
    pub key: String,
    pub value: String,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// `get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY.
#[derive(Debug, Args)]
pub struct KeyArgs {
    pub key: String,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// List keys with their revisions, optionally under PREFIX.
#[derive(Debug, Args)]
pub struct ListArgs {
    pub prefix: Option<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, cmd: &KvCommand) -> Result<i32, CliError> {
    match cmd {
        KvCommand::Put(a) => {
            refuse_reserved(&a.key)?;
            let value = if a.value == "-" {
                let mut buf = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buf)
                    .map_err(|e| CliError::io("read the value from stdin", e))?;
                buf
            } else {
                a.value.clone().into_bytes()
            };
            let (rt, client) = a.connect.client(ui, ctx)?;
            let w = rt
                .block_on(client.put(&a.key, value))
                .map_err(EngineError::from)?;
            if ui.is_json() {
                ui.json(&w)?;
            } else {
                ui.line(&format!("revision {}", w.revision))?;
            }
        }
        KvCommand::Get(a) => {
            let (rt, client) = a.connect.client(ui, ctx)?;
            let v = rt.block_on(client.get(&a.key)).map_err(EngineError::from)?;
            if ui.is_json() {
                ui.json(&serde_json::json!({
                    "schemaVersion": 1,
                    "key": v.key,
                    "value": v.value,
                    "revision": v.revision,
                    "createRevision": v.create_revision,
                    "version": v.version,
                }))?;
            } else {
                ui.data(&String::from_utf8_lossy(&v.raw))?;
            }
        }
        KvCommand::Del(a) => {
            refuse_reserved(&a.key)?;
            let (rt, client) = a.connect.client(ui, ctx)?;
            let w = rt
                .block_on(client.delete(&a.key))
                .map_err(EngineError::from)?;
            if ui.is_json() {
                ui.json(&w)?;
            } else {
                ui.line(&format!("deleted {} at revision {}", w.key, w.revision))?;
            }
        }
        KvCommand::List(a) => {
            let (rt, client) = a.connect.client(ui, ctx)?;
            let (entries, revision) = rt
                .block_on(client.list(a.prefix.as_deref().unwrap_or("")))
                .map_err(EngineError::from)?;
            if ui.is_json() {
                ui.json(&serde_json::json!({ "schemaVersion": 1, "revision": revision, "entries": entries }))?;
            } else {
                for e in &entries {
                    ui.line(&format!("{}\t{}\t{}", e.key, e.revision, e.value))?;
                }
            }
        }
    }
    Ok(EXIT_OK)
}

/// The roster and the deny list are x0t's own keys: `kv` neither writes nor deletes them
/// (the nodes refuse malformed ones too).
fn refuse_reserved(key: &str) -> Result<(), CliError> {
    if key.starts_with("/x0t/") {
        return Err(CliError::new(format!("key {key} is reserved for x0t"))
            .hint("the roster changes with `x0t apply`, the deny list with `x0t revoke`"));
    }
    Ok(())
}
