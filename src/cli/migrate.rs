//! `authctl migrate`: apply, check, list and revert schema migrations.

use std::time::Duration;

use serde_json::json;

use crate::cli::{Context, lock_options};
use crate::db::migrations::{self, State};
use crate::error::Error;
use crate::output::{Format, opt};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,

    /// Apply nothing; exit 1 when migrations are pending
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,

    /// List the migrations that would be applied; apply nothing
    #[arg(long)]
    pub dry_run: bool,

    /// How long to wait for another runner's migration lock [env: AUTHCTL_MIGRATE_LOCK_WAIT] [default: 2m]
    #[arg(long, value_name = "DURATION", value_parser = crate::config::parse_duration)]
    pub lock_wait: Option<Duration>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Show applied and pending migrations
    Status,
    /// Revert the newest applied migrations (destroys their tables and data)
    Revert {
        /// How many migrations to revert
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        steps: u32,
        /// Revert every applied migration
        #[arg(long, conflicts_with = "steps")]
        all: bool,
    },
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    let (config, mut conn) = ctx.connect()?;
    let mut lock = lock_options(&config);
    if let Some(wait) = args.lock_wait {
        lock.wait = wait;
    }
    let target = config.database.value.redacted();
    match args.action {
        Some(Action::Status) => status(ctx, &mut conn),
        Some(Action::Revert { steps, all }) => {
            let st = migrations::status(&mut conn)?;
            if let Some(e) = st.integrity_error() {
                return Err(e.into());
            }
            let steps = if all { usize::MAX } else { steps as usize };
            let plan = migrations::revert_plan(&st, steps);
            if plan.is_empty() {
                ctx.out.note("nothing to revert: no migrations are applied");
                return json_if(ctx, &json!({ "reverted": [] }));
            }
            ctx.confirm(&format!(
                "Revert {} migration(s) on {target} ({}) — this drops their tables and deletes the data in them?",
                plan.len(),
                plan.join(", ")
            ))?;
            let reverted = migrations::revert(&mut conn, steps, &lock)?;
            for name in &reverted {
                ctx.out.line(format!("reverted {name}"))?;
            }
            json_if(ctx, &json!({ "reverted": reverted }))
        }
        None if args.check || args.dry_run => {
            let st = migrations::status(&mut conn)?;
            if let Some(e) = st.integrity_error() {
                return Err(e.into());
            }
            let pending: Vec<&str> = st.pending().filter_map(|e| e.name.as_deref()).collect();
            if ctx.out.format == Format::Json {
                ctx.out
                    .json(&json!({ "current": pending.is_empty(), "pending": pending }))?;
            } else {
                for name in &pending {
                    ctx.out.line(format!("pending {name}"))?;
                }
            }
            if pending.is_empty() {
                ctx.out.note(format!(
                    "schema is current ({} migrations applied)",
                    st.migrations.len()
                ));
                Ok(())
            } else if args.check {
                Err(Error::check_failed(format!(
                    "{} pending migration(s) on {target} — run `authctl migrate`",
                    pending.len()
                ))
                .into())
            } else {
                ctx.out.note(format!(
                    "{} migration(s) would be applied (dry run, nothing changed)",
                    pending.len()
                ));
                Ok(())
            }
        }
        None => {
            let report = migrations::run_pending(&mut conn, &lock)?;
            let total = migrations::embedded(conn.backend()).len();
            for name in &report.verified {
                ctx.out.note(format!(
                    "recorded checksum of {name} (applied before authctl tracked checksums)"
                ));
            }
            for name in &report.applied {
                ctx.out.line(format!("applied {name}"))?;
            }
            if ctx.out.format == Format::Json {
                ctx.out.json(&json!({
                    "applied": report.applied,
                    "verified": report.verified,
                    "current": true,
                    "migrations": total,
                }))?;
            }
            if report.applied.is_empty() {
                ctx.out.note(format!(
                    "schema is current ({total} migrations applied); nothing to do"
                ));
            } else {
                ctx.out.note(format!(
                    "applied {} migration(s); schema is current",
                    report.applied.len()
                ));
            }
            Ok(())
        }
    }
}

fn json_if(ctx: &Context, value: &serde_json::Value) -> anyhow::Result<()> {
    if ctx.out.format == Format::Json {
        ctx.out.json(value)?;
    }
    Ok(())
}

fn status(ctx: &Context, conn: &mut crate::db::DbConn) -> anyhow::Result<()> {
    let st = migrations::status(conn)?;
    let rows: Vec<Vec<String>> = st
        .migrations
        .iter()
        .map(|e| {
            vec![
                e.version.clone(),
                e.name.clone().unwrap_or_else(|| "(unknown)".into()),
                e.state.to_string(),
                opt(&e.applied_at),
            ]
        })
        .collect();
    ctx.out
        .records(&["VERSION", "NAME", "STATE", "APPLIED AT"], &rows, &st)?;
    let pending = st.count(State::Pending);
    if ctx.out.format == Format::Table {
        if let Some(e) = st.integrity_error() {
            ctx.out.note(format!("warning: {e}"));
        } else if pending > 0 {
            ctx.out
                .note(format!("{pending} pending — run `authctl migrate`"));
        }
    }
    Ok(())
}
