//! `x0t plan`: what `apply` would change, and why.

use clap::Args;

use super::{Ctx, EXIT_DIFFERS, EXIT_OK};
use crate::engine::plan::converge::{self, Request};
use crate::engine::plan::{ActionKind, Plan};
use crate::engine::{state, util::timefmt};
use crate::error::CliError;
use crate::ui::{Style, Ui};

/// Show what `apply` would create, update, replace or delete, with a reason for each.
///
/// Reads the manifest and the state directory; changes nothing. Symbols: `+` create,
/// `~` update, `-/+` replace, `-` delete.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Exit 2 when there are changes (0 when none, 1 on error)
    #[arg(long)]
    pub detailed_exitcode: bool,

    /// Plan to replace this resource even if it is not due (e.g. node.n1.svid; `ca` starts a
    /// staged CA rollover); repeatable
    #[arg(long, value_name = "ADDRESS")]
    pub replace: Vec<String>,
}

pub fn run(ui: &mut Ui, ctx: &Ctx, args: &PlanArgs) -> Result<i32, CliError> {
    let loaded = ctx.load_manifest(ui)?;
    let dir = ctx.state_dir(&loaded.path);
    if state::pending(&dir) {
        ui.warn("an earlier apply was interrupted; the next apply finishes or discards it first");
    }
    let replace = super::apply::replace_addresses(&loaded.manifest, &args.replace)?;
    let request = Request {
        now: timefmt::now(),
        replace,
        timeout: ctx.global.timeout,
    };
    let prepared = converge::prepare(&loaded.manifest, &dir, &request)?;
    super::apply::say_live_note(ui, prepared.live_note);
    let p = prepared.plan;
    if ui.is_json() {
        ui.json(&p)?;
    } else {
        let text = render(ui, &p);
        ui.data(&text)?;
        spire_entries(ui, ctx, &loaded.manifest)?;
    }
    Ok(if args.detailed_exitcode && p.has_changes() {
        EXIT_DIFFERS
    } else {
        EXIT_OK
    })
}

/// With `spire-server` on PATH and its server answering, how `x0t spire sync` would change
/// the server's registration entries.
fn spire_entries(
    ui: &mut Ui,
    ctx: &Ctx,
    m: &crate::engine::manifest::Manifest,
) -> Result<(), CliError> {
    use crate::engine::spire;
    let Ok(cli) = spire::SpireCli::find("spire-server", None, ctx.global.timeout) else {
        return Ok(());
    };
    match cli.show() {
        Ok(actual) => {
            let sync = spire::sync_changes(&m.spec.trust_domain, &spire::entries(m), &actual);
            if !sync.is_empty() {
                ui.data("\nSPIRE server entries (`x0t spire sync` applies them):\n")?;
                for l in sync.lines() {
                    ui.data(&format!("  {l}\n"))?;
                }
            }
        }
        Err(e) => ui.warn(&format!("spire-server is on PATH, but: {e}")),
    }
    Ok(())
}

/// The plan as text, one line per action and its reasons.
pub fn render(ui: &Ui, p: &Plan) -> String {
    let mut live = String::new();
    if let Some(m) = &p.membership {
        if m.has_changes() {
            live.push_str(&format!(
                "\nRaft membership (leader {}):\n",
                m.leader.as_deref().unwrap_or("?")
            ));
            for c in &m.changes {
                let (sym, style) = match c.action {
                    "remove" => ("-", Style::Remove),
                    "add-voter" | "add-learner" => ("+", Style::Add),
                    _ => ("~", Style::Change),
                };
                live.push_str(&format!(
                    "{} {:<12} {} (raft id {})\n",
                    ui.paint(style, &format!("{sym:>3}")),
                    c.node,
                    c.action,
                    c.raft_id
                ));
            }
            let list = |v: &[String]| {
                if v.is_empty() {
                    "none".to_string()
                } else {
                    v.join(",")
                }
            };
            live.push_str(&format!(
                "    voters {} -> {} (tolerates {} -> {} failures); learners {} -> {}\n",
                list(&m.voters_before),
                list(&m.voters_after),
                m.tolerance_before,
                m.tolerance_after,
                list(&m.learners_before),
                list(&m.learners_after)
            ));
            if !m.keeps_quorum {
                live.push_str(&format!(
                    "\nwarning: only {} of {} voters would be reachable after this change: no quorum; apply needs --force\n",
                    m.reachable_voters_after,
                    m.voters_after.len()
                ));
            }
        }
    }
    let mut rollover = String::new();
    if let Some(r) = &p.ca_rollover {
        rollover.push_str(&format!(
            "\nCA rollover, stage {}/{}: {}\n",
            r.stage, r.stages, r.step
        ));
        if let (Some(o), Some(i)) = (&r.outgoing, &r.incoming) {
            rollover.push_str(&format!("    outgoing {o}\n    incoming {i}\n"));
        }
        if !r.waiting_for.is_empty() {
            rollover.push_str(&format!(
                "    waiting for {}: run apply again once they have reloaded (1 s, or SIGHUP)\n",
                r.waiting_for.join(", ")
            ));
        }
    }
    if !p.has_changes() {
        return format!(
            "No changes. {} matches the manifest of mesh {}.\n{rollover}",
            p.state_dir.display(),
            p.mesh
        );
    }
    live.push_str(&rollover);
    let mut out = format!(
        "x0t will perform these actions on mesh {} in {}:\n\n",
        p.mesh,
        p.state_dir.display()
    );
    let width = p.actions.iter().map(|a| a.address.len()).max().unwrap_or(0);
    for a in &p.actions {
        let style = match a.action {
            ActionKind::Create => Style::Add,
            ActionKind::Update => Style::Change,
            ActionKind::Replace => Style::Replace,
            ActionKind::Delete => Style::Remove,
        };
        let symbol = ui.paint(style, &format!("{:>3}", a.action.symbol()));
        out.push_str(&format!(
            "{symbol} {:<width$}  {}\n",
            a.address,
            a.reasons.join("; ")
        ));
    }
    if let Some(why) = &p.foreign_ca {
        out.push_str(&format!(
            "\nwarning: {why}; apply needs --force to replace it\n"
        ));
    }
    out.push_str(&live);
    let s = &p.summary;
    out.push_str(&format!(
        "\nPlan: {} to create, {} to update, {} to replace, {} to delete.\n",
        s.create, s.update, s.replace, s.delete
    ));
    out
}
