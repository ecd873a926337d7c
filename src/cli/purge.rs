//! `authctl purge-expired`: batched deletion of what the application's cleanup
//! functions delete (expired and long-revoked tokens, expired and long-idle
//! inactive sessions, old auth attempts), for cron. Silent with `--quiet` on success.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::cli::Context;
use crate::error::Error;
use crate::ops::purge::{self, Only, PurgeOptions, Strategy};
use crate::output::Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Keep rows that expired less than this long ago (e.g. 1h)
    #[arg(long, value_name = "DURATION", value_parser = crate::parse::parse_duration_arg, default_value = "0s")]
    pub grace: chrono::Duration,

    /// Delete revoked refresh tokens once revoked this long ago (the application's 7 days)
    #[arg(long, value_name = "DURATION", value_parser = crate::parse::parse_duration_arg, default_value = "7d")]
    pub revoked_retention: chrono::Duration,

    /// Delete inactive sessions idle this long (the application's 30 days)
    #[arg(long, value_name = "DURATION", value_parser = crate::parse::parse_duration_arg, default_value = "30d")]
    pub inactive_retention: chrono::Duration,

    /// Delete auth attempts older than this (the application's 30 days)
    #[arg(long, value_name = "DURATION", value_parser = crate::parse::parse_duration_arg, default_value = "30d")]
    pub attempts_retention: chrono::Duration,

    /// Also delete audit events older than this (kept forever without it)
    #[arg(long, value_name = "DURATION", value_parser = crate::parse::parse_duration_arg)]
    pub audit_retention: Option<chrono::Duration>,

    /// Accept an --audit-retention shorter than 30 days
    #[arg(long, requires = "audit_retention")]
    pub allow_short_audit_retention: bool,

    /// Only these tables (repeat or comma-separate)
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<OnlyArg>,

    /// Rows per batch; fixed when given, otherwise adapted toward a 100 ms transaction
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub batch_size: Option<u64>,

    /// Stop after deleting this many rows in this run (exit 0; the tables it did not
    /// finish are reported incomplete and do not count as purged in `stats`)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_rows: Option<u64>,

    /// Pause after each batch that deleted rows (e.g. 50ms) to leave room for the
    /// application
    #[arg(long, value_name = "DURATION", value_parser = crate::config::parse_timeout, default_value = "0s")]
    pub sleep: Duration,

    /// Count what would be deleted; delete nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Wait for another purge to finish (up to DURATION, default 5m) instead of exiting 75
    #[arg(long, value_name = "DURATION", num_args = 0..=1, default_missing_value = "5m", value_parser = crate::config::parse_timeout)]
    pub wait: Option<Duration>,

    /// PostgreSQL: how to walk the tables
    #[arg(long, value_enum, default_value_t = StrategyArg::Auto)]
    pub strategy: StrategyArg,

    /// PostgreSQL: abort and retry (smaller) a batch running longer than this
    #[arg(long, value_name = "DURATION", value_parser = crate::config::parse_positive_timeout, default_value = "5s")]
    pub statement_timeout: Duration,
}

/// `--only`: the tables purge-expired can clean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnlyArg {
    Tokens,
    Sessions,
    Attempts,
    Audit,
}

impl OnlyArg {
    fn only(self) -> Only {
        match self {
            OnlyArg::Tokens => Only::Tokens,
            OnlyArg::Sessions => Only::Sessions,
            OnlyArg::Attempts => Only::Attempts,
            OnlyArg::Audit => Only::Audit,
        }
    }
}

/// `--strategy`: how to walk a PostgreSQL table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StrategyArg {
    /// Sweep when at least 10% of a large table is purgeable, else keyset.
    Auto,
    /// Index order, continuing after the last key deleted.
    Keyset,
    /// Heap block ranges (PostgreSQL ≥ 14).
    Sweep,
}

impl StrategyArg {
    fn strategy(self) -> Strategy {
        match self {
            StrategyArg::Auto => Strategy::Auto,
            StrategyArg::Keyset => Strategy::Keyset,
            StrategyArg::Sweep => Strategy::Sweep,
        }
    }
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    let opts = PurgeOptions {
        grace: args.grace,
        revoked_retention: args.revoked_retention,
        inactive_retention: args.inactive_retention,
        attempts_retention: args.attempts_retention,
        audit_retention: args.audit_retention,
        only: args.only.into_iter().map(OnlyArg::only).collect(),
        batch_size: args.batch_size.unwrap_or(purge::DEFAULT_BATCH_SIZE),
        adaptive: args.batch_size.is_none(),
        max_rows: args.max_rows,
        sleep: args.sleep,
        dry_run: args.dry_run,
        strategy: args.strategy.strategy(),
        statement_timeout: args.statement_timeout,
        wait: args.wait.unwrap_or(Duration::ZERO),
        actor: ctx.actor()?,
        allow_short_audit_retention: args.allow_short_audit_retention,
        ..PurgeOptions::default()
    };
    opts.validate()?;
    // Two connections at most: the batches' and, on PostgreSQL, the lock's.
    // A dry run only counts, so a standby will do; a purge needs the primary.
    let access = if args.dry_run {
        crate::db::Access::Read
    } else {
        crate::db::Access::Write
    };
    let (_, pool, mut conn) = ctx.pool_ready(2, access)?;

    // SIGINT/SIGTERM: finish the current batch, report, exit non-zero. A second
    // signal exits at once.
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(sig, 130, Arc::clone(&stop))?;
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }

    let bar = (std::io::stderr().is_terminal() && !ctx.global.quiet).then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .expect("valid template"),
        );
        b.enable_steady_tick(Duration::from_millis(120));
        b
    });
    let mut progress = |table: &str, deleted: u64| {
        if let Some(b) = &bar {
            b.set_message(format!("{table}: {deleted} rows deleted"));
        }
    };
    let result = purge::purge(&pool, &mut conn, &opts, &stop, &mut progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let report = result?;
    if !report.dry_run && report.total_deleted() > 0 {
        let per_table: Vec<String> = report
            .tables
            .iter()
            .filter(|t| t.deleted > 0)
            .map(|t| format!("{} {}", t.deleted, t.table))
            .collect();
        ctx.committed(format!(
            "purged {} rows ({})",
            report.total_deleted(),
            per_table.join(", ")
        ));
    }

    match ctx.out.format {
        Format::Json => ctx.out.json(&report)?,
        Format::Csv => {
            let rows: Vec<Vec<String>> = report
                .tables
                .iter()
                .map(|t| {
                    vec![
                        t.table.to_owned(),
                        t.deleted.to_string(),
                        t.batches.to_string(),
                        t.elapsed_ms.to_string(),
                        t.longest_batch_ms.to_string(),
                        t.strategy.to_owned(),
                        t.complete.to_string(),
                    ]
                })
                .collect();
            ctx.out.records(
                &[
                    "table",
                    "deleted",
                    "batches",
                    "elapsed_ms",
                    "longest_batch_ms",
                    "strategy",
                    "complete",
                ],
                &rows,
                &report,
            )?;
        }
        Format::Table => {
            for t in &report.tables {
                let mut line = if report.dry_run {
                    format!("{}: {} rows would be deleted (dry run)", t.table, t.deleted)
                } else {
                    let mut l = format!(
                        "{}: deleted {} rows in {} batches ({:.2}s, longest batch {} ms, {})",
                        t.table,
                        t.deleted,
                        t.batches,
                        t.elapsed_ms as f64 / 1000.0,
                        t.longest_batch_ms,
                        t.strategy
                    );
                    if t.skipped_blocks > 0 {
                        l.push_str(&format!(
                            "; {} blocks skipped (rows locked by the application; next run)",
                            t.skipped_blocks
                        ));
                    }
                    l
                };
                if !t.complete && report.capped {
                    let cap = opts.max_rows.unwrap_or_default();
                    line.push_str(&if report.dry_run {
                        format!("; incomplete: --max-rows {cap} would stop before the rest")
                    } else {
                        format!("; incomplete: --max-rows {cap} reached, the rest waits for the next run")
                    });
                }
                ctx.out.line(line)?;
            }
        }
    }
    if report.interrupted {
        return Err(Error::busy(format!(
            "interrupted after deleting {} rows; run again to continue",
            report.total_deleted()
        ))
        .into());
    }
    Ok(())
}
