//! `purge-expired`: delete exactly what the application's own cleanup functions
//! delete — expired refresh tokens and tokens revoked more than 7 days ago
//! (`clean_expired_refresh_tokens`), expired sessions and inactive sessions idle
//! more than 30 days (`clean_expired_sessions`), auth attempts older than 30 days
//! (`clean_old_auth_attempts`) — plus, when asked, old audit events; in short
//! batches next to a busy application. Retentions are flags.
//!
//! Every batch is its own transaction with a `lock_timeout` and `statement_timeout`
//! (PostgreSQL) or `BEGIN IMMEDIATE` + busy timeout (SQLite). On PostgreSQL the purge
//! chooses per table between two strategies:
//! - **sweep**: walk the heap in block ranges (`ctid` TID range scans), deleting the
//!   matching rows of each range — as fast as one big `DELETE` when many rows are
//!   expired, but in transactions of a few dozen milliseconds;
//! - **keyset**: walk the `(expires_at, id)` index, continuing after the last key
//!   deleted (never re-walking dead index entries), with `FOR UPDATE SKIP LOCKED` —
//!   best when few rows are expired.
//!
//! The cutoffs are fixed when the purge starts, so rows that expire while it runs are
//! left for the next run, and unexpired, unrevoked rows are never candidates.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::db::pg::TableShape;
use crate::db::pool::Pool;
use crate::db::purge::{self as db_purge, BatchLimits, PurgeTable, RowCursor, Sweeper};
use crate::db::{DbConn, PurgeRule, UtcDateTime, lock, pg};
use crate::error::{Error, ExitCode, classify_diesel};

/// The tables purge-expired can clean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Only {
    Tokens,
    Sessions,
    Attempts,
    Audit,
}

/// How to walk a PostgreSQL table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Sweep when at least 10% of a large table is purgeable, else keyset.
    Auto,
    /// Index order, continuing after the last key deleted.
    Keyset,
    /// Heap block ranges (PostgreSQL ≥ 14).
    Sweep,
}

/// The shortest `--audit-retention` accepted without
/// `--allow-short-audit-retention`: audit history is evidence; a typo must not
/// delete it.
pub const MIN_AUDIT_RETENTION: chrono::Duration = chrono::Duration::days(30);

/// Default rows per batch, chosen by `benches/purge.sh` (see docs/benchmarks.md).
pub const DEFAULT_BATCH_SIZE: u64 = 20_000;
/// Default target duration of one batch transaction (adaptive sizing aims for it).
pub const DEFAULT_TARGET_BATCH: Duration = Duration::from_millis(100);

/// What to purge and how.
#[derive(Debug, Clone)]
pub struct PurgeOptions {
    /// Keep rows that expired less than this long ago.
    pub grace: chrono::Duration,
    /// Delete revoked (not yet expired) refresh tokens once revoked this long ago.
    pub revoked_retention: chrono::Duration,
    /// Delete inactive (not yet expired) sessions idle this long.
    pub inactive_retention: chrono::Duration,
    /// Delete auth attempts older than this.
    pub attempts_retention: chrono::Duration,
    /// Delete audit events older than this; `None` keeps them all.
    pub audit_retention: Option<chrono::Duration>,
    /// Limit to these tables (empty: tokens and sessions, plus audit when
    /// `audit_retention` is set).
    pub only: Vec<Only>,
    /// Rows per batch (the starting size when `adaptive`).
    pub batch_size: u64,
    /// Adjust the batch size toward `target_batch`.
    pub adaptive: bool,
    pub target_batch: Duration,
    /// Stop after deleting this many rows in total.
    pub max_rows: Option<u64>,
    /// Pause between batches.
    pub sleep: Duration,
    /// Count, delete nothing.
    pub dry_run: bool,
    pub strategy: Strategy,
    /// PostgreSQL: abort a batch that waits longer than this for a row lock (retried smaller).
    pub lock_timeout: Duration,
    /// PostgreSQL: abort a batch running longer than this (retried smaller).
    pub statement_timeout: Duration,
    /// Wait this long for another purge's lock before giving up (exit 75).
    pub wait: Duration,
    /// Accept an `audit_retention` below [`MIN_AUDIT_RETENTION`].
    pub allow_short_audit_retention: bool,
    /// Who runs the purge: recorded in the `audit.purge` event written when audit
    /// events were deleted.
    pub actor: String,
}

impl PurgeOptions {
    /// Reject option combinations that make no sense (before connecting).
    pub fn validate(&self) -> Result<(), Error> {
        if self.only.contains(&Only::Audit) && self.audit_retention.is_none() {
            return Err(Error::usage(
                "--only audit needs --audit-retention DURATION",
            ));
        }
        if let Some(r) = self.audit_retention
            && r < MIN_AUDIT_RETENTION
            && !self.allow_short_audit_retention
        {
            return Err(Error::usage(format!(
                "--audit-retention {} would delete audit history younger than {} days; \
                 pass --allow-short-audit-retention if that is really meant",
                humantime::format_duration(r.to_std().unwrap_or_default()),
                MIN_AUDIT_RETENTION.num_days()
            )));
        }
        Ok(())
    }
}

impl Default for PurgeOptions {
    fn default() -> Self {
        PurgeOptions {
            grace: chrono::Duration::zero(),
            revoked_retention: chrono::Duration::days(7),
            inactive_retention: chrono::Duration::days(30),
            attempts_retention: chrono::Duration::days(30),
            audit_retention: None,
            only: Vec::new(),
            batch_size: DEFAULT_BATCH_SIZE,
            adaptive: true,
            target_batch: DEFAULT_TARGET_BATCH,
            max_rows: None,
            sleep: Duration::ZERO,
            dry_run: false,
            strategy: Strategy::Auto,
            lock_timeout: Duration::from_millis(50),
            statement_timeout: Duration::from_secs(5),
            wait: Duration::ZERO,
            allow_short_audit_retention: false,
            actor: "authctl".into(),
        }
    }
}

/// The cutoffs of one run (rows at or before them are purged).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Cutoffs {
    pub expired_before: UtcDateTime,
    pub revoked_before: UtcDateTime,
    pub inactive_before: UtcDateTime,
    pub attempts_before: UtcDateTime,
    pub audit_before: Option<UtcDateTime>,
}

/// Result for one table.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TableReport {
    pub table: &'static str,
    /// `sweep`, `keyset`, `batch` (SQLite) or `count` (dry run).
    pub strategy: &'static str,
    /// Rows deleted (in a dry run: rows that would be deleted).
    pub deleted: u64,
    pub batches: u64,
    pub elapsed_ms: u64,
    pub longest_batch_ms: u64,
    /// Batches retried smaller after a lock or statement timeout.
    pub retries: u64,
    /// PostgreSQL sweep: blocks left for the next run because rows in them stayed locked.
    pub skipped_blocks: u64,
    /// The run went through the whole table: nothing it was to delete is left but
    /// rows the application held locked. False when `--max-rows` or a signal stopped
    /// it first (in a dry run: when `--max-rows` would).
    pub complete: bool,
}

/// Result of a run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PurgeReport {
    pub dry_run: bool,
    /// A signal stopped the run (exit 75).
    pub interrupted: bool,
    /// `--max-rows` ran out before every table was complete: not a failure (exit 0),
    /// but the tables not `complete` continue on the next run.
    pub capped: bool,
    /// Every table of the run is `complete`.
    pub complete: bool,
    pub cutoffs: Cutoffs,
    pub tables: Vec<TableReport>,
}

impl PurgeReport {
    pub fn total_deleted(&self) -> u64 {
        self.tables.iter().map(|t| t.deleted).sum()
    }

    /// The tables the run did not complete.
    pub fn incomplete_tables(&self) -> impl Iterator<Item = &TableReport> {
        self.tables.iter().filter(|t| !t.complete)
    }
}

/// One table and the rules that make its rows purgeable.
type Target = PurgeTable;

/// The key column of `table` and its SQL type (for keyset batches).
fn id_column(table: &str) -> (&'static str, &'static str) {
    match table {
        "login_sessions" => ("session_id", "uuid"),
        AUDIT_TABLE => ("id", "bigint"),
        _ => ("id", "uuid"),
    }
}

const AUDIT_TABLE: &str = "authctl_audit_events";

fn targets(opts: &PurgeOptions, cutoffs: &Cutoffs) -> Vec<Target> {
    let wanted = |o: Only| {
        if opts.only.is_empty() {
            o != Only::Audit || opts.audit_retention.is_some()
        } else {
            opts.only.contains(&o)
        }
    };
    let rule = |column, condition, cutoff| PurgeRule {
        column,
        condition,
        cutoff,
    };
    let mut out = Vec::new();
    if wanted(Only::Tokens) {
        out.push(Target {
            name: "refresh_tokens",
            id: id_column("refresh_tokens"),
            rules: vec![
                rule("expires_at", "", cutoffs.expired_before),
                rule("revoked_at", "is_revoked = true", cutoffs.revoked_before),
            ],
        });
    }
    if wanted(Only::Sessions) {
        out.push(Target {
            name: "login_sessions",
            id: id_column("login_sessions"),
            rules: vec![
                rule("expires_at", "", cutoffs.expired_before),
                rule(
                    "last_activity_at",
                    "is_active = false",
                    cutoffs.inactive_before,
                ),
            ],
        });
    }
    if wanted(Only::Attempts) {
        out.push(Target {
            name: "auth_attempts",
            id: id_column("auth_attempts"),
            rules: vec![rule("\"timestamp\"", "", cutoffs.attempts_before)],
        });
    }
    if wanted(Only::Audit)
        && let Some(before) = cutoffs.audit_before
    {
        out.push(Target {
            name: AUDIT_TABLE,
            id: id_column(AUDIT_TABLE),
            rules: vec![rule("occurred_at", "", before)],
        });
    }
    out
}

/// Progress callback: `(table, rows deleted so far in this table)`.
pub type Progress<'a> = &'a mut dyn FnMut(&str, u64);

/// Run a purge. `stop` is checked between batches (set it from a signal handler):
/// the current batch finishes and the report says `interrupted`. The purge lock is
/// held until the run is recorded; on PostgreSQL it lives on a second connection
/// from `pool`, the pool `conn` came from (see [`crate::db::lock`]).
pub fn purge(
    pool: &Pool,
    conn: &mut DbConn,
    opts: &PurgeOptions,
    stop: &Arc<AtomicBool>,
    progress: Progress<'_>,
) -> anyhow::Result<PurgeReport> {
    opts.validate()?;
    let held = match lock::try_acquire(conn, pool, "purge", pg::PURGE_LOCK, opts.wait, stop)? {
        Ok(held) => held,
        Err(lock::NotTaken::Stopped) => {
            return Err(Error::busy(
                "interrupted while waiting for another purge-expired's lock; nothing was deleted",
            )
            .into());
        }
        Err(lock::NotTaken::Busy(holder)) => {
            return Err(Error::busy(format!(
                "another purge-expired is running on this database; the purge lock is {holder}. \
                 Waited {}; nothing was deleted — retry later or pass --wait <duration> to queue behind it",
                humantime::format_duration(opts.wait)
            ))
            .into());
        }
    };
    // The cutoffs, once the lock is held, on the server's clock, as the
    // application's cleanup functions use it.
    let now = match crate::db::clock::now(conn) {
        Ok(now) => now,
        Err(e) => {
            let _ = held.release();
            return Err(e.into());
        }
    };
    let cutoffs = cutoffs_at(opts, now);
    let mut report_progress = |table: &str, deleted: u64| {
        held.set_status(&format!("{table}: {deleted} rows deleted"));
        progress(table, deleted);
    };
    let result = run_targets(conn, opts, &cutoffs, stop, &mut report_progress);
    if held.is_lost()
        && let Err(e) = result
    {
        // The work connection was lost as well: its error says what was committed.
        let _ = held.release();
        return Err(e);
    }
    if held.is_lost() {
        let done = result
            .as_ref()
            .map(|r| r.tables.iter().map(|t| t.deleted).sum::<u64>())
            .unwrap_or(0);
        let _ = held.release();
        return Err(Error::busy(format!(
            "lost the purge lock (its connection failed or sat idle past {}); stopped after {done} rows deleted, \
             each batch committed — rerun to finish",
            humantime::format_duration(lock::IDLE_LIMIT)
        ))
        .into());
    }
    let recorded = result.and_then(|report| {
        record_run(conn, opts, now, &report)?;
        Ok(report)
    });
    let released = held.release();
    let report = recorded?;
    released?;
    Ok(report)
}

/// The cutoffs of a run starting at `now`.
fn cutoffs_at(opts: &PurgeOptions, now: UtcDateTime) -> Cutoffs {
    Cutoffs {
        expired_before: now - opts.grace,
        revoked_before: now - opts.revoked_retention,
        inactive_before: now - opts.inactive_retention,
        attempts_before: now - opts.attempts_retention,
        audit_before: opts.audit_retention.map(|r| now - r),
    }
}

/// A finished run (not a dry run) leaves a row in `authctl_purge_runs`, in its own
/// short transaction, so `authctl stats` can tell when each table was last purged
/// completely. Every table the run covered is listed with `:complete` or
/// `:incomplete` (a table a signal kept it from reaching is incomplete), and a run
/// that did not complete them all is recorded `interrupted` (see
/// [`crate::repo::purge_runs`]).
fn record_run(
    conn: &mut DbConn,
    opts: &PurgeOptions,
    started_at: UtcDateTime,
    report: &PurgeReport,
) -> anyhow::Result<()> {
    if opts.dry_run {
        return Ok(());
    }
    let covered: Vec<(&str, bool)> = targets(opts, &report.cutoffs)
        .iter()
        .map(|target| {
            let complete = report
                .tables
                .iter()
                .any(|t| t.table == target.name && t.complete);
            (target.name, complete)
        })
        .collect();
    let tables = crate::repo::purge_runs::tables_field(&covered);
    let run = crate::repo::purge_runs::NewPurgeRun {
        started_at,
        finished_at: UtcDateTime::now(),
        actor: &opts.actor,
        tables: &tables,
        deleted: i64::try_from(report.total_deleted()).unwrap_or(i64::MAX),
        interrupted: covered.iter().any(|(_, complete)| !complete),
    };
    conn.transaction(|conn| run.insert(conn))?;
    Ok(())
}

/// Rows of one table waiting for purge under a set of rules.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Pending {
    pub table: &'static str,
    /// Rows a purge with these options would delete now.
    pub rows: u64,
    /// When the row that has waited longest became purgeable (its expiry, or its
    /// revocation/idle time/timestamp plus the retention); `None` when no row waits.
    pub oldest_due: Option<UtcDateTime>,
}

/// What `purge-expired` with `opts` would delete at `now`, per table (the same
/// tables and rules, counted like its dry run), and since when the oldest such row
/// has been waiting — a purge cron that stopped running shows as a growing age.
pub fn pending(
    conn: &mut DbConn,
    opts: &PurgeOptions,
    now: UtcDateTime,
) -> anyhow::Result<Vec<Pending>> {
    opts.validate()?;
    let cutoffs = cutoffs_at(opts, now);
    let mut out = Vec::new();
    for target in targets(opts, &cutoffs) {
        let rows = count(conn, &target)?;
        let mut oldest_due: Option<UtcDateTime> = None;
        if rows > 0 {
            for rule in &target.rules {
                let oldest = db_purge::oldest(conn, target.name, rule)?;
                // The rule's row became purgeable when its time passed the cutoff.
                if let Some(t) = oldest.map(|t| t + (now.0 - rule.cutoff.0)) {
                    oldest_due = Some(oldest_due.map_or(t, |o| o.min(t)));
                }
            }
        }
        out.push(Pending {
            table: target.name,
            rows,
            oldest_due,
        });
    }
    Ok(out)
}

/// Purged audit history leaves a trace: one `audit.purge` event, written (and
/// committed) before the first audit batch with the cutoff, then completed with the
/// count when the batches end — so a purge killed mid-way still leaves its event
/// (`"finished": false`). Its time is after the cutoff, so the batches never take it.
struct AuditTrace {
    id: i64,
    before: Option<UtcDateTime>,
}

impl AuditTrace {
    fn start(
        conn: &mut DbConn,
        opts: &PurgeOptions,
        target: &Target,
    ) -> anyhow::Result<Option<Self>> {
        if conn.read(|conn| count(conn, target))? == 0 {
            return Ok(None);
        }
        let before = target.rules.first().map(|r| r.cutoff);
        let event = crate::repo::NewAuditEvent {
            actor: &opts.actor,
            action: crate::repo::AuditAction::AuditPurge,
            user_id: None,
            user_email: None,
            detail: Some(Self::detail(before, None, false)),
        };
        let id = conn.transaction(|conn| event.append_returning_id(conn))?;
        Ok(Some(Self { id, before }))
    }

    fn detail(
        before: Option<UtcDateTime>,
        deleted: Option<u64>,
        interrupted: bool,
    ) -> serde_json::Value {
        serde_json::json!({
            "before": before,
            "deleted": deleted,
            "finished": deleted.is_some(),
            "interrupted": interrupted,
        })
    }

    fn finish(&self, conn: &mut DbConn, deleted: u64, interrupted: bool) -> anyhow::Result<()> {
        let detail = Self::detail(self.before, Some(deleted), interrupted);
        conn.transaction(|conn| crate::repo::audit_events::set_detail(conn, self.id, &detail))?;
        Ok(())
    }
}

fn run_targets(
    conn: &mut DbConn,
    opts: &PurgeOptions,
    cutoffs: &Cutoffs,
    stop: &AtomicBool,
    progress: Progress<'_>,
) -> anyhow::Result<PurgeReport> {
    let mut report = PurgeReport {
        dry_run: opts.dry_run,
        interrupted: false,
        capped: false,
        complete: false,
        cutoffs: cutoffs.clone(),
        tables: Vec::new(),
    };
    let mut budget = opts.max_rows;
    for target in targets(opts, cutoffs) {
        if stop.load(Ordering::Relaxed) {
            report.interrupted = true;
            break;
        }
        let start = Instant::now();
        let mut t = TableReport {
            table: target.name,
            ..Default::default()
        };
        if opts.dry_run {
            t.strategy = "count";
            let n = conn.read(|conn| count(conn, &target))?;
            // Report what the real run would do, --max-rows included.
            t.deleted = match budget.as_mut() {
                Some(b) => {
                    let n = n.min(*b);
                    *b -= n;
                    n
                }
                None => n,
            };
            t.complete = t.deleted == n;
        } else {
            // No trace when --max-rows is used up: no audit batch will run.
            let trace = if target.name == AUDIT_TABLE && budget != Some(0) {
                AuditTrace::start(conn, opts, &target)?
            } else {
                None
            };
            let mut run = Run {
                opts,
                stop,
                progress: &mut *progress,
                report: &mut t,
                budget: &mut budget,
            };
            let done = run
                .table(conn, &target)
                .map_err(|e| lost_midway(e, &report.tables, &t));
            if let Some(trace) = trace {
                let interrupted = done.is_err() || stop.load(Ordering::Relaxed);
                let finished = trace.finish(conn, t.deleted, interrupted);
                t.complete = done?;
                finished?;
            } else {
                t.complete = done?;
            }
            // Stopped by --max-rows: complete all the same when nothing is left
            // (the cap ran out on the table's last row, or before a table that
            // had nothing to delete).
            if !t.complete && budget == Some(0) && !stop.load(Ordering::Relaxed) {
                t.complete = conn.read(|conn| db_purge::count(conn, &target, Some(1)))? == 0;
            }
        }
        t.elapsed_ms = start.elapsed().as_millis() as u64;
        report.tables.push(t);
        if stop.load(Ordering::Relaxed) {
            report.interrupted = true;
            break;
        }
    }
    let all_complete = report.tables.iter().all(|t| t.complete);
    report.capped = !all_complete && budget == Some(0);
    report.complete = all_complete && !report.interrupted;
    Ok(report)
}

/// A purge whose connection was lost in the middle of `current` (a server crash,
/// a failover, `pg_terminate_backend`): `e` with what was committed before — every
/// batch is its own transaction — and how to finish. Other errors pass unchanged.
fn lost_midway(e: anyhow::Error, done: &[TableReport], current: &TableReport) -> anyhow::Error {
    let lost = e.chain().any(|c| {
        c.downcast_ref::<diesel::result::Error>()
            .is_some_and(crate::error::is_connection_lost)
    });
    if !lost {
        return e;
    }
    let counts: Vec<String> = done
        .iter()
        .chain(std::iter::once(current))
        .map(|t| format!("{} {}", t.table, t.deleted))
        .collect();
    let total: u64 = done.iter().map(|t| t.deleted).sum::<u64>() + current.deleted;
    e.context(format!(
        "connection lost during the purge of {}: {total} rows were deleted and committed before \
         that ({}; each batch is its own transaction), nothing after; rerun `authctl \
         purge-expired` to finish (a multi-host URL with target_session_attrs=read-write \
         follows a failover to the new primary)",
        current.table,
        counts.join(", ")
    ))
}

fn count(conn: &mut DbConn, target: &Target) -> anyhow::Result<u64> {
    // Rows matching several rules are counted once.
    Ok(db_purge::count(conn, target, None)?)
}

/// State of the purge of one table.
struct Run<'a, 'p> {
    opts: &'a PurgeOptions,
    stop: &'a AtomicBool,
    progress: &'a mut (dyn FnMut(&str, u64) + 'p),
    report: &'a mut TableReport,
    budget: &'a mut Option<u64>,
}

/// A batch failed because of contention or a timeout: retry it smaller.
///
/// diesel does not expose the SQLSTATE, and the server words its timeout errors
/// in its `lc_messages` language, so the English text is not enough: a batch that
/// failed with an unclassified server error after running at least its lock timeout
/// (or statement timeout, whichever is shorter) hit one of the two, in any language
/// — a batch is a single DELETE, which reports nothing else that late.
/// Only an error nothing else recognised qualifies (a permission error in English
/// stays 77), never a pooler's `query_wait_timeout` (waiting longer will not help).
fn is_retryable(e: &diesel::result::Error, took: Duration, opts: &PurgeOptions) -> bool {
    use diesel::result::{DatabaseErrorKind, Error as E};
    match classify_diesel(e) {
        ExitCode::Busy => true,
        ExitCode::Internal => match e {
            E::DatabaseError(DatabaseErrorKind::Unknown, info) => {
                !info.message().contains("query_wait_timeout")
                    && took >= opts.lock_timeout.min(opts.statement_timeout)
            }
            _ => false,
        },
        _ => false,
    }
}

/// Consecutive failed sweep ranges after which the purge gives up: enough to halve
/// a range of any size down to one block and skip a locked block, not enough to
/// walk a whole table on an error that retrying does not cure.
const SWEEP_MAX_FAILURES: u32 = 40;

/// The error a batch ends the purge with: a timeout (see [`is_retryable`]) that
/// retries did not cure is "busy, retry later" (75), in any server language. A
/// statement timeout is authctl's own here — every batch sets `--statement-timeout`
/// for its transaction, over any role or database setting — and says so.
fn batch_error(e: diesel::result::Error, took: Duration, opts: &PurgeOptions) -> anyhow::Error {
    use diesel::result::Error as E;
    if matches!(&e, E::DatabaseError(_, info) if info.message().contains("statement timeout")) {
        let limit = humantime::format_duration(opts.statement_timeout);
        return anyhow::Error::new(e).context(Error::busy(format!(
            "a purge batch ran past authctl's own --statement-timeout of {limit} even when \
             retried smaller; each batch before it committed — rerun later (when the \
             application holds fewer locks), or raise --statement-timeout"
        )));
    }
    if classify_diesel(&e) != ExitCode::Busy && is_retryable(&e, took, opts) {
        Error::busy(format!(
            "a purge batch kept timing out (ran {} against a lock timeout of {}): {e}; \
             each batch before it committed — rerun later",
            humantime::format_duration(Duration::from_millis(took.as_millis() as u64)),
            humantime::format_duration(opts.lock_timeout.min(opts.statement_timeout)),
        ))
        .into()
    } else {
        e.into()
    }
}

impl Run<'_, '_> {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed) || *self.budget == Some(0)
    }

    fn record(&mut self, deleted: usize, took: Duration) {
        self.report.deleted += deleted as u64;
        self.report.batches += 1;
        self.report.longest_batch_ms = self.report.longest_batch_ms.max(took.as_millis() as u64);
        if let Some(b) = self.budget.as_mut() {
            *b = b.saturating_sub(deleted as u64);
        }
        (self.progress)(self.report.table, self.report.deleted);
    }

    /// `--sleep` between batches, after one that deleted rows only: a range or
    /// batch that found nothing to delete took no locks the application may need.
    /// Never past a stop request.
    fn pause(&self, deleted: usize) {
        if deleted == 0 || self.opts.sleep.is_zero() || self.stopped() {
            return;
        }
        let until = Instant::now() + self.opts.sleep;
        while !self.stop.load(Ordering::Relaxed) && Instant::now() < until {
            std::thread::sleep(
                until
                    .saturating_duration_since(Instant::now())
                    .min(Duration::from_millis(50)),
            );
        }
    }

    /// Next size after a batch of `size` took `took`: aim for the target duration.
    fn adapt(&self, size: u64, took: Duration, max: u64) -> u64 {
        if !self.opts.adaptive {
            return size;
        }
        let target = self.opts.target_batch.as_secs_f64();
        let ratio = (target / took.as_secs_f64().max(1e-4)).clamp(0.5, 1.5);
        ((size as f64 * ratio) as u64).clamp(1, max)
    }

    fn limit(&self, size: u64) -> u64 {
        match *self.budget {
            Some(b) => size.min(b).max(1),
            None => size,
        }
    }

    fn limits(&self) -> BatchLimits {
        BatchLimits {
            lock_timeout: self.opts.lock_timeout,
            statement_timeout: self.opts.statement_timeout,
        }
    }

    /// Purge one table; true when it went through the whole table, false when
    /// `--max-rows` or a signal stopped it first.
    fn table(&mut self, conn: &mut DbConn, target: &Target) -> anyhow::Result<bool> {
        if let Some(sweeper) = self.sweeper(conn, target)? {
            self.report.strategy = "sweep";
            return self.sweep(sweeper, target);
        }
        let (name, retry_busy) = db_purge::row_batching(conn);
        self.report.strategy = name;
        let limits = self.limits();
        for rule in &target.rules {
            let mut cursor = RowCursor::default();
            let finished = self.row_batches(retry_busy, |limit| {
                db_purge::delete_rows(conn, limits, target, rule, &mut cursor, limit)
            })?;
            if !finished {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A sweeper when this table is to be swept: `--strategy sweep`, or `auto` with at
    /// least 10% of a large table purgeable; never under a row cap (it needs exact
    /// batch sizes) or where the backend cannot sweep.
    fn sweeper<'c>(
        &self,
        conn: &'c mut DbConn,
        target: &Target,
    ) -> anyhow::Result<Option<Sweeper<'c>>> {
        if self.budget.is_some() || self.opts.strategy == Strategy::Keyset {
            return Ok(None);
        }
        // Counting first needs the connection back, so ask the backend twice.
        if self.opts.strategy == Strategy::Auto {
            // Deciding only reads: a guarded, bounded read transaction.
            let shape = conn.read(|conn| -> diesel::QueryResult<Option<TableShape>> {
                let Some(shape) = Sweeper::new(conn, target)?.map(|s| s.shape) else {
                    return Ok(None);
                };
                if shape.blocks < 1_000 {
                    return Ok(None);
                }
                let threshold = (shape.rows() / 10).max(1);
                let worth = db_purge::count(conn, target, Some(threshold))? >= threshold;
                Ok(worth.then_some(shape))
            })?;
            return Ok(shape.and_then(|shape| Sweeper::with_shape(conn, shape)));
        }
        Ok(Sweeper::new(conn, target)?)
    }

    /// Delete in heap block ranges. A range holds about `rows` rows at the assumed
    /// density: the table's (planner statistics or a sample, see
    /// [`crate::db::pg::TableShape`]), or the last range's when that was denser, so a
    /// dense stretch after a sparse or empty one does not arrive in one huge range.
    /// Adaptive runs scale `rows` toward the target batch time, but grow it only
    /// after a range that deleted a fair share of what it held: ranges over empty
    /// or live-only blocks are fast and say nothing about the next ones.
    fn sweep(&mut self, mut sweeper: Sweeper<'_>, target: &Target) -> anyhow::Result<bool> {
        let shape = sweeper.shape;
        let blocks = shape.blocks;
        let max_rows = shape.rows().max(1);
        let blocks_for =
            |rows: u64, density: f64| ((rows as f64 / density) as u64).clamp(1, blocks.max(1));
        let mut rows = self.opts.batch_size.clamp(1, max_rows);
        let mut density = shape.rows_per_block;
        let mut range = blocks_for(rows, density);
        let limits = self.limits();
        let mut from = 0u64;
        // The fast plain DELETE first; a range that hits a row lock (lock_timeout) is
        // redone skipping locked rows, and halved only if that times out too.
        let mut skip_locked = false;
        let mut failures = 0;
        while from < blocks && !self.stopped() {
            let to = (from + range).min(blocks);
            let t0 = Instant::now();
            let result = sweeper.delete(limits, target, (from, to), skip_locked);
            let took = t0.elapsed();
            match result {
                Ok(n) => {
                    failures = 0;
                    self.record(n, took);
                    if to < blocks {
                        self.pause(n);
                    }
                    density = shape.rows_per_block.max(n as f64 / (to - from) as f64);
                    let grown = self.adapt(rows, took, max_rows);
                    if grown <= rows || n as u64 >= rows / 10 {
                        rows = grown;
                    }
                    from = to;
                    skip_locked = false;
                    range = blocks_for(rows, density);
                }
                Err(e) if is_retryable(&e, took, self.opts) && failures < SWEEP_MAX_FAILURES => {
                    failures += 1;
                    self.report.retries += 1;
                    if !skip_locked {
                        skip_locked = true;
                    } else if range > 1 {
                        range /= 2;
                        rows = (rows / 2).max(1);
                    } else {
                        self.report.skipped_blocks += 1;
                        from += 1;
                        skip_locked = false;
                    }
                }
                Err(e) => return Err(batch_error(e, took, self.opts)),
            }
        }
        Ok(from >= blocks)
    }

    /// Run batches of at most `limit` rows until one comes back short. `batch`
    /// returns `(deleted, rows looked at)`, or `None` when nothing was left. A batch
    /// that hits a lock or statement timeout is retried at half the size when
    /// `retry_busy`. True when the batches ran out of rows, false when `--max-rows`
    /// or a signal stopped them.
    fn row_batches(
        &mut self,
        retry_busy: bool,
        mut batch: impl FnMut(u64) -> diesel::QueryResult<Option<(usize, usize)>>,
    ) -> anyhow::Result<bool> {
        let max = self.opts.batch_size.max(1) * 8;
        // Adaptive runs start small and grow toward the target batch time.
        let mut size = if self.opts.adaptive {
            (self.opts.batch_size / 4).max(1)
        } else {
            self.opts.batch_size.max(1)
        };
        let mut failures = 0;
        while !self.stopped() {
            let limit = self.limit(size);
            let t0 = Instant::now();
            let result = batch(limit);
            let took = t0.elapsed();
            match result {
                Ok(None) => return Ok(true),
                Ok(Some((deleted, fetched))) => {
                    failures = 0;
                    self.record(deleted, took);
                    if (fetched as u64) < limit {
                        return Ok(true);
                    }
                    self.pause(deleted);
                    size = self.adapt(size, took, max);
                }
                Err(e) if retry_busy && is_retryable(&e, took, self.opts) && failures < 8 => {
                    failures += 1;
                    self.report.retries += 1;
                    size = (size / 2).max(1);
                }
                Err(e) => return Err(batch_error(e, took, self.opts)),
            }
        }
        Ok(false)
    }
}
