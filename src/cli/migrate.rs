//! `authctl migrate`: apply, check, list and revert schema migrations.

use std::time::Duration;

use serde_json::json;

use crate::cli::{Context, lock_options};
use crate::error::Error;
use crate::ops::migrate::{self, Origin, Status};
use crate::output::Format;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,

    /// Apply nothing; exit 1 when migrations are pending
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,

    /// List what migrate would do with each pending step (adopt, create or apply); apply nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Check production readiness first (backend, JWT secrets, database password, TLS,
    /// reachability, migration integrity); refuse with every problem listed. With
    /// --dry-run or --check only the checks run.
    #[arg(long)]
    pub check_production: bool,

    /// With --check-production: warnings (e.g. no TLS to a remote host) fail too
    #[arg(long, requires = "check_production")]
    pub strict: bool,

    // How long to wait for another runner's migration lock.
    #[arg(long, value_name = "DURATION", value_parser = crate::config::parse_timeout,
          help = crate::config::settings::MIGRATE_LOCK_WAIT.flag_help())]
    pub lock_wait: Option<Duration>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Show applied and pending migrations
    Status,
    /// Revert the newest applied migrations: authctl's own first (the audit
    /// trail), then application steps authctl created — those only with
    /// --destroy-data; steps the application ran are never reverted
    Revert {
        /// How many migrations to revert
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        steps: u32,
        /// Revert every applied migration
        #[arg(long, conflicts_with = "steps")]
        all: bool,
        /// Allow reverting application steps authctl created: drops the
        /// application's tables (users, tokens, sessions …) with all their rows
        #[arg(long)]
        destroy_data: bool,
    },
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    if args.check_production {
        return check_production(ctx, &args);
    }
    // Looking must not create: a SQLite file that does not exist is reported as
    // "everything pending" without creating it.
    let read_only = matches!(args.action, Some(Action::Status)) || args.check || args.dry_run;
    if read_only {
        let config = ctx.config()?;
        config.check_production_backend()?;
        if let Some(path) = config.database.value.sqlite_path().filter(|p| !p.exists()) {
            ctx.out.note(format!(
                "SQLite database {} does not exist (nothing created)",
                path.display()
            ));
            let backend = config.database.value.backend();
            return match args.action {
                Some(Action::Status) => print_status(ctx, &migrate::missing(backend)),
                _ => check_or_dry_run(
                    ctx,
                    &args,
                    &migrate::plan_for_missing(backend),
                    &config.database.value.redacted(),
                ),
            };
        }
    }
    // Only applying creates a missing SQLite file: `revert` on a file that does not
    // exist is "not found" (66), like every data command — never a new empty file.
    let creates = args.action.is_none() && !read_only;
    let access = if read_only {
        crate::db::Access::Read
    } else {
        crate::db::Access::Write
    };
    let (config, mut conn) = ctx.connect_with(creates, access)?;
    let mut lock = lock_options(&config);
    if let Some(wait) = args.lock_wait {
        lock.wait = wait;
    }
    let target = config.database.value.redacted();
    match args.action {
        Some(Action::Status) => print_status(ctx, &migrate::status(&mut conn)?),
        Some(Action::Revert {
            steps,
            all,
            destroy_data,
        }) => {
            let steps = if all { usize::MAX } else { steps as usize };
            let plan = migrate::revert_plan(&mut conn, steps)?;
            if plan.is_empty() {
                ctx.out.note("nothing to revert: no migrations are applied");
                return json_if(ctx, &json!({ "reverted": [] }));
            }
            ctx.confirm(&format!(
                "Revert {} migration(s) on {target} ({}) — this drops their tables and deletes the data in them?",
                plan.len(),
                plan.join(", ")
            ))?;
            let reverted = migrate::revert(&mut conn, steps, destroy_data, &lock)?;
            if !reverted.is_empty() {
                ctx.committed(format!("reverted {} on {target}", reverted.join(", ")));
            }
            for name in &reverted {
                ctx.out.line(format!("reverted {name}"))?;
            }
            json_if(ctx, &json!({ "reverted": reverted }))
        }
        None if args.check || args.dry_run => {
            let plan = migrate::plan(&mut conn)?;
            warn_email_case_duplicates(ctx, &mut conn);
            check_or_dry_run(ctx, &args, &plan, &target)
        }
        None => {
            let (report, total) = migrate::apply(&mut conn, &lock, &target)?;
            committed_migrations(ctx, &report, &target);
            for name in &report.verified {
                ctx.out.note(format!(
                    "recorded checksum of {name} (applied before authctl tracked checksums)"
                ));
            }
            for name in &report.adopted {
                ctx.out.line(format!(
                    "adopted {name} (run by the application; its tables have every column authctl needs)"
                ))?;
            }
            for name in &report.created {
                ctx.out.line(format!(
                    "created {name} (the application's step, recorded in schema_migrations)"
                ))?;
            }
            for name in &report.applied {
                ctx.out.line(format!("applied {name}"))?;
            }
            if ctx.out.format == Format::Json {
                ctx.out.json(&json!({
                    "adopted": report.adopted,
                    "created": report.created,
                    "applied": report.applied,
                    "verified": report.verified,
                    "current": true,
                    "migrations": total,
                }))?;
            }
            warn_email_case_duplicates(ctx, &mut conn);
            let done = report.adopted.len() + report.created.len() + report.applied.len();
            if done == 0 {
                ctx.out.note(format!(
                    "schema is current ({total} migrations applied); nothing to do"
                ));
            } else {
                ctx.out.note(format!(
                    "{done} migration(s) adopted, created or applied; schema is current"
                ));
            }
            Ok(())
        }
    }
}

/// Record what a migrate run committed (for a report that then cannot be written).
fn committed_migrations(ctx: &Context, report: &migrate::RunReport, target: &str) {
    let mut done = Vec::new();
    for (verb, names) in [
        ("adopted", &report.adopted),
        ("created", &report.created),
        ("applied", &report.applied),
    ] {
        if !names.is_empty() {
            done.push(format!("{verb} {}", names.join(", ")));
        }
    }
    if !done.is_empty() {
        ctx.committed(format!("migrated {target}: {}", done.join("; ")));
    }
}

fn json_if(ctx: &Context, value: &serde_json::Value) -> anyhow::Result<()> {
    if ctx.out.format == Format::Json {
        ctx.out.json(value)?;
    }
    Ok(())
}

/// `migrate --check` / `--dry-run`: print the plan (what `migrate` would do with
/// each step, decided by the code the run executes).
fn check_or_dry_run(
    ctx: &Context,
    args: &Args,
    plan: &[migrate::Step],
    target: &str,
) -> anyhow::Result<()> {
    let pending: Vec<&str> = plan.iter().map(|s| s.name.as_str()).collect();
    if ctx.out.format == Format::Json {
        let steps: Vec<_> = plan
            .iter()
            .map(|s| json!({ "name": s.name, "action": s.action }))
            .collect();
        ctx.out
            .json(&json!({ "current": pending.is_empty(), "pending": pending, "plan": steps }))?;
    } else {
        for step in plan {
            let why = match step.action {
                migrate::Action::Adopt => {
                    " (adopt: its tables exist; they are checked, not created, and the step is recorded in schema_migrations)"
                }
                migrate::Action::Create => {
                    " (create: the application's step, recorded in schema_migrations)"
                }
                migrate::Action::Apply => "",
            };
            ctx.out.line(format!("pending {}{why}", step.name))?;
        }
    }
    if pending.is_empty() {
        ctx.out.note("schema is current; nothing to do");
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

/// Warn (stderr) about users whose emails differ only in letter case: authctl
/// refuses to name them by email. Nothing fails on it; unreadable users are left
/// to the commands that need them.
fn warn_email_case_duplicates(ctx: &Context, conn: &mut crate::db::DbConn) {
    for f in crate::ops::production::check_email_case_duplicates(conn) {
        if f.id == "users.email_case_duplicate" {
            ctx.out.note(format!("warning: {} — {}", f.message, f.fix));
        }
    }
}

fn print_status(ctx: &Context, st: &Status) -> anyhow::Result<()> {
    let rows: Vec<Vec<String>> = st
        .migrations
        .iter()
        .map(|e| {
            vec![
                match e.origin {
                    Origin::Application => "application".to_owned(),
                    Origin::Authctl => "authctl".to_owned(),
                },
                e.version.clone(),
                e.name.clone().unwrap_or_else(|| "(unknown)".into()),
                e.state_text(),
                crate::output::time_cell_or(&e.applied_at, ""),
            ]
        })
        .collect();
    ctx.out.records(
        &["ORIGIN", "VERSION", "NAME", "STATE", "APPLIED AT"],
        &rows,
        &st,
    )?;
    let pending = st.pending().count();
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

/// `migrate --check-production`: report every finding; migrate only when none fails.
fn check_production(ctx: &Context, args: &Args) -> anyhow::Result<()> {
    use crate::ops::production::{self, Mode};
    let config = ctx.config();
    let lock = config.as_ref().ok().map(|c| {
        let mut lock = lock_options(c);
        if let Some(wait) = args.lock_wait {
            lock.wait = wait;
        }
        lock
    });
    let mode = if args.check || args.dry_run {
        Mode::Check
    } else {
        Mode::Migrate
    };
    let report = production::run(
        config,
        ctx.env(),
        args.strict,
        mode,
        &lock.unwrap_or_default(),
    )?;
    report_production(ctx, args, report.findings, report.applied, report.pending)
}

/// Print the findings (stderr table or JSON) and what was migrated; the exit status
/// follows the findings.
fn report_production(
    ctx: &Context,
    args: &Args,
    mut findings: Vec<crate::ops::production::Finding>,
    applied: Vec<String>,
    pending: Option<Vec<String>>,
) -> anyhow::Result<()> {
    if !applied.is_empty() {
        ctx.committed(format!("migrated: {}", applied.join(", ")));
    }
    use crate::ops::production::{self, Severity};
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let failed = production::fails(&findings);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;

    if ctx.out.format == Format::Json {
        ctx.out.json(&json!({
            "ok": !failed,
            "errors": errors,
            "warnings": warnings,
            "findings": findings,
            "applied": applied,
            "pending": pending,
            "migrated": !(failed || args.check || args.dry_run),
        }))?;
    } else if !findings.is_empty() {
        // Findings go to stderr: they are what a deploy log must show.
        let rows: Vec<Vec<String>> = findings
            .iter()
            .map(|f| {
                vec![
                    f.severity.to_string(),
                    f.id.clone(),
                    f.message.clone(),
                    f.fix.clone(),
                ]
            })
            .collect();
        eprintln!(
            "{}",
            ctx.out
                .table(&["SEVERITY", "CHECK", "PROBLEM", "FIX"], &rows)
        );
    }
    if failed {
        let pending_note = match &pending {
            Some(p) => format!("; {} migration(s) pending", p.len()),
            None => "; pending migrations unknown (the database was not read)".to_owned(),
        };
        return Err(Error::check_failed(format!(
            "production check failed: {errors} error(s), {warnings} warning(s); nothing was migrated{pending_note}"
        ))
        .into());
    }
    let pending = pending.unwrap_or_default();
    if args.check || args.dry_run {
        for name in &pending {
            ctx.out.line(format!("pending {name}"))?;
        }
        ctx.out.note(format!(
            "production check passed ({warnings} warning(s)); {} migration(s) pending; nothing applied",
            pending.len()
        ));
        if args.check && !pending.is_empty() {
            return Err(
                Error::check_failed(format!("{} pending migration(s)", pending.len())).into(),
            );
        }
        return Ok(());
    }
    for name in &applied {
        ctx.out.line(format!("applied {name}"))?;
    }
    ctx.out.note(format!(
        "production check passed ({warnings} warning(s)); applied {} migration(s); schema is current",
        applied.len()
    ));
    Ok(())
}
