//! `authctl stats`: one snapshot of the auth system's health, as a table, JSON, CSV
//! or the Prometheus text exposition format (`--prometheus`), and `--textfile PATH`
//! for node_exporter's textfile collector (written atomically, silent on success,
//! so cron can run it every minute).

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;

use crate::cli::Context;
use crate::error::Error;
use crate::ops::stats::{self, Stats, StatsOptions};
use crate::output::{Format, textfile};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Prometheus: `authctl stats --prometheus` prints the text exposition format; cron
`* * * * * authctl stats --textfile /var/lib/node_exporter/textfile/authctl.prom`
writes it atomically for node_exporter's textfile collector (a failed run writes
`authctl_up 0` there and exits non-zero).")]
pub struct Args {
    /// Rate-limit window for the blocked-IP count: whole minutes from 1m to 1d
    /// [default: 15m, the application's]
    #[arg(long, value_name = "DURATION")]
    pub window: Option<String>,

    /// Failed attempts within the window that block an IP: 1 to 1000 [default: 5,
    /// the application's]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max: Option<i64>,

    /// Print the Prometheus text exposition format (same as `-o prometheus`)
    #[arg(long)]
    pub prometheus: bool,

    /// Write the Prometheus text to PATH atomically (temp file + fsync + rename,
    /// mode 0644); prints nothing on stdout, in any format
    #[arg(long, value_name = "PATH")]
    pub textfile: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    if args.prometheus && ctx.out.format != Format::Table {
        return Err(Error::usage("--prometheus replaces --output; use one of them").into());
    }
    let args = Args {
        prometheus: args.prometheus || ctx.global.output == crate::cli::OutputArg::Prometheus,
        ..args
    };
    // The same rule and messages as `attempts blocked`.
    let rate_limit = crate::ops::attempts::rate_limit_flags(args.window.as_deref(), args.max)?;
    if let Some(path) = &args.textfile {
        textfile::check_target("--textfile", path)?;
    }
    let start = Instant::now();
    let result = (|| -> anyhow::Result<Stats> {
        let (config, mut conn) = ctx.connect_ready_read()?;
        let opts = StatsOptions {
            rate_limit,
            dormant_after: config.dormant_after.value,
            ..StatsOptions::default()
        };
        stats::collect(&mut conn, &opts)
    })();
    let elapsed = start.elapsed().as_secs_f64();

    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            // Replace the last good figures so a dashboard shows the failure.
            if let Some(path) = &args.textfile
                && let Err(w) = textfile::write_atomic(
                    path,
                    &stats::render_prometheus(&stats::failure_families(elapsed)),
                )
            {
                ctx.out.note(format!(
                    "authctl: could not write {}: {w:#}",
                    path.display()
                ));
            }
            return Err(e);
        }
    };

    let families = stats::families(&stats, elapsed);
    if let Some(path) = &args.textfile {
        // The file is the output: nothing on stdout, in any format.
        textfile::write_atomic(path, &stats::render_prometheus(&families))
            .with_context(|| format!("writing {}", path.display()))?;
        return Ok(());
    }
    if args.prometheus {
        let mut out = ctx.out.stdout();
        out.write_all(stats::render_prometheus(&families).as_bytes())?;
        return Ok(out.flush()?);
    }
    match ctx.out.format {
        Format::Json => ctx.out.json(&stats)?,
        Format::Csv => print_csv(ctx, &families, &stats)?,
        Format::Table => print_table(ctx, &stats)?,
    }
    Ok(())
}

/// CSV: one row per Prometheus sample (`metric,labels,value`).
fn print_csv(ctx: &Context, families: &[stats::Family], stats: &Stats) -> anyhow::Result<()> {
    let rows: Vec<Vec<String>> = families
        .iter()
        .flat_map(|f| {
            f.samples.iter().map(|(labels, v)| {
                vec![
                    f.name.to_owned(),
                    labels
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(";"),
                    v.to_string(),
                ]
            })
        })
        .collect();
    ctx.out
        .records(&["metric", "labels", "value"], &rows, stats)?;
    Ok(())
}

fn ago(secs: f64) -> String {
    let d = std::time::Duration::from_secs(secs.max(0.0) as u64);
    humantime::format_duration(d).to_string()
}

fn print_table(ctx: &Context, s: &Stats) -> anyhow::Result<()> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |k: &str, v: String| rows.push(vec![k.to_owned(), v]);
    let roles = {
        let mut per: Vec<(String, i64, i64)> = Vec::new();
        for c in &s.users.by_role {
            match per.iter_mut().find(|(r, _, _)| *r == c.role) {
                Some(p) => {
                    p.1 += c.count;
                    if c.verified {
                        p.2 += c.count
                    }
                }
                None => per.push((
                    c.role.clone(),
                    c.count,
                    if c.verified { c.count } else { 0 },
                )),
            }
        }
        per.iter()
            .map(|(r, n, v)| format!("{r} {n} ({v} verified)"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    row(
        "users",
        format!("{} — {roles}; {} disabled", s.users.total, s.users.disabled),
    );
    row(
        &format!("dormant users (no login for {})", s.dormant.after),
        s.dormant.users.to_string(),
    );
    row("active refresh tokens", s.refresh_tokens_active.to_string());
    row("active sessions", s.sessions_active.to_string());
    for w in &s.attempts {
        row(
            &format!("attempts, last {}", w.window),
            format!("{} failed, {} succeeded", w.failed, w.succeeded),
        );
    }
    row(
        "IPs blocked now",
        format!(
            "{} (≥ {} failed within {} min)",
            s.rate_limit.blocked_ips, s.rate_limit.max_failed, s.rate_limit.window_minutes
        ),
    );
    for p in &s.purge.pending {
        let oldest = match p.oldest_age_seconds {
            Some(a) => format!(" (oldest purgeable for {})", ago(a)),
            None => String::new(),
        };
        row(
            &format!("waiting for purge: {}", p.table),
            format!("{}{oldest}", p.rows),
        );
    }
    let when = |l: &stats::LastPurge| {
        let age = (s.generated_at.0 - l.finished_at.0).num_seconds() as f64;
        format!(
            "{} ({} ago, {} rows deleted)",
            crate::output::time_cell(&l.finished_at),
            ago(age),
            l.deleted
        )
    };
    // The oldest of the per-table times: every table has been purged since.
    let last = match &s.purge.last_success {
        Some(l) => when(l),
        None if s
            .purge
            .last_success_by_table
            .iter()
            .any(|t| t.last_success.is_some()) =>
        {
            "not every table purged completely yet".into()
        }
        None => "never recorded".into(),
    };
    row("last successful purge", last);
    for t in &s.purge.last_success_by_table {
        row(
            &format!("last complete purge: {}", t.table),
            t.last_success
                .as_ref()
                .map_or("never recorded".into(), when),
        );
    }
    if let Some(r) = &s.replication {
        for (k, v) in crate::ops::replication::table_rows(r) {
            row(&k, v);
        }
    }
    if let Some(c) = &s.connections {
        for (k, v) in crate::ops::connections::table_rows(c) {
            row(&k, v);
        }
    }
    ctx.out.records(&["health", "now"], &rows, s)?;
    Ok(())
}
