//! Dormant accounts (PCI DSS v4 8.2.6, CIS Control 5.3): enabled users whose last
//! login — or, never having logged in, whose creation — lies further back than a
//! window, judged by the database's clock. `users list --inactive` lists them
//! through the users listing ([`cutoff`]); [`disable`] is `users disable
//! --inactive`: every account disabled exactly as `users disable` does it
//! ([`users::disable_locked`]), in short batches, never the last enabled admin.
//!
//! The candidates are read once (one snapshot, one scan of `users`); each batch then
//! locks its rows and keeps only those still enabled and dormant, so a user who
//! logs in meanwhile is left alone, and an interrupted run is simply run again:
//! the accounts it disabled are no candidates any more.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Serialize;

use crate::db::{DbConn, UserId, UtcDateTime, fold_case};
use crate::error::Error;
use crate::ops::users;
use crate::parse::{REASON_MAX_LEN, Reason, Role};
use crate::repo::{self, DormantUser, User, UserFilter, UserStatus};

/// Accounts in the first transaction of the bulk disable; later ones are sized
/// toward [`TARGET_BATCH`] unless `--batch-size` fixes the size.
pub const FIRST_BATCH_SIZE: usize = 25;
/// What an adaptive batch aims at: well under the 250 ms a batch may hold its locks
/// (each account takes ~15 statements, so the size follows the server's speed).
pub const TARGET_BATCH: Duration = Duration::from_millis(100);
/// The most accounts one transaction takes (`--batch-size`).
pub const MAX_BATCH_SIZE: usize = 1000;
/// Characters of an operator's `--reason` kept room for: the dormancy is appended.
pub const BULK_REASON_MAX_LEN: usize = REASON_MAX_LEN - 100;

/// A window as operators write it and as labels show it: `90d`, `36h`, `45m`,
/// `30s` (the largest whole unit), for messages and the Prometheus label.
pub fn window_label(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0 => "0s".into(),
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// The dormancy cutoff `inactive` before the database's current time: users whose
/// last login (or, without one, creation) is older are dormant.
pub fn cutoff(conn: &mut DbConn, inactive: Duration) -> anyhow::Result<UtcDateTime> {
    let now =
        conn.read(|c| crate::db::clock::now(c).context("failed to read the database's clock"))?;
    cutoff_at(now, inactive)
}

fn cutoff_at(now: UtcDateTime, inactive: Duration) -> anyhow::Result<UtcDateTime> {
    let d = chrono::Duration::from_std(inactive).map_err(|_| {
        Error::usage(format!(
            "--inactive {} is too large",
            window_label(inactive)
        ))
    })?;
    now.0.checked_sub_signed(d).map(UtcDateTime).ok_or_else(|| {
        Error::usage(format!(
            "--inactive {} is too large",
            window_label(inactive)
        ))
        .into()
    })
}

/// What `users disable --inactive` disables and how.
#[derive(Debug, Clone)]
pub struct DisableOptions {
    /// The window: dormant = no login (or, never logged in, created) for this long.
    pub inactive: Duration,
    /// Only users with this role (`user` includes a NULL role).
    pub role: Option<Role>,
    /// Emails (normalized, lower-case) never disabled, in any letter case.
    pub exclude: Vec<String>,
    /// The operator's reason, recorded before the dormancy in each audit event.
    pub reason: Option<Reason>,
    /// Report what would happen; change nothing.
    pub dry_run: bool,
    /// Accounts per transaction; `None`: adaptive, from [`FIRST_BATCH_SIZE`]
    /// toward [`TARGET_BATCH`] per transaction.
    pub batch_size: Option<usize>,
    pub actor: String,
}

impl DisableOptions {
    /// Check the options before anything is read.
    pub fn validate(&self) -> Result<(), Error> {
        if self
            .batch_size
            .is_some_and(|n| !(1..=MAX_BATCH_SIZE).contains(&n))
        {
            return Err(Error::usage(format!(
                "--batch-size must be from 1 to {MAX_BATCH_SIZE}"
            )));
        }
        if let Some(r) = &self.reason
            && r.as_str().chars().count() > BULK_REASON_MAX_LEN
        {
            return Err(Error::data(format!(
                "with --inactive the reason is at most {BULK_REASON_MAX_LEN} characters \
                 (the dormancy is appended to it in each audit event); nothing was changed"
            )));
        }
        Ok(())
    }
}

/// What happened to one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `--dry-run`: it would be disabled.
    WouldDisable,
    Disabled,
    /// Left enabled; the note says why.
    Skipped,
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::WouldDisable => "would disable",
            Action::Disabled => "disabled",
            Action::Skipped => "skipped",
        })
    }
}

/// Why an account was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// Named by `--exclude`.
    Excluded,
    /// The last enabled admin: `--inactive` never disables it.
    LastAdmin,
    /// It logged in, was disabled or deleted since it was found.
    NoLongerDormant,
    /// Its stored hash leaves no room for the disabled marker.
    HashTooLong,
}

impl Skip {
    pub fn note(self) -> &'static str {
        match self {
            Skip::Excluded => "excluded (--exclude)",
            Skip::LastAdmin => {
                "the last enabled admin: never disabled by --inactive (make another user admin, or disable it by name)"
            }
            Skip::NoLongerDormant => "no longer dormant (logged in, disabled or deleted meanwhile)",
            Skip::HashTooLong => {
                "its password hash leaves no room for the disabled marker (reset its password, then run again)"
            }
        }
    }
}

/// One dormant account and what happened to it.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: UserId,
    pub email: String,
    pub role: String,
    pub last_login: Option<UtcDateTime>,
    pub created_at: Option<UtcDateTime>,
    pub action: Action,
    /// Why it was skipped (`null` unless skipped).
    pub skipped: Option<Skip>,
    pub tokens_revoked: usize,
    pub sessions_invalidated: usize,
}

/// The counts of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Enabled dormant accounts found (with `--role`), excluded ones included.
    pub candidates: usize,
    pub would_disable: usize,
    pub disabled: usize,
    /// Every skipped account, of which:
    pub skipped: usize,
    pub excluded: usize,
    pub last_admin: usize,
    pub no_longer_dormant: usize,
    pub hash_too_long: usize,
    pub tokens_revoked: usize,
    pub sessions_invalidated: usize,
    /// Transactions that disabled accounts, and the longest of them.
    pub batches: usize,
    pub longest_batch_ms: u64,
}

/// The result of [`disable`].
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub dry_run: bool,
    /// The window, as [`window_label`] writes it.
    pub inactive: String,
    /// Dormant = last login (or, without one, creation) before this time.
    pub cutoff: UtcDateTime,
    /// A signal stopped the run after a batch; run again to continue.
    pub interrupted: bool,
    pub summary: Summary,
    /// Every candidate, in the order processed (by id).
    pub accounts: Vec<Account>,
}

impl Account {
    fn new(u: &DormantUser, action: Action, skipped: Option<Skip>) -> Self {
        Account {
            id: u.id,
            email: u.email.clone(),
            role: u.role().to_owned(),
            last_login: u.last_login,
            created_at: u.created_at,
            action,
            skipped,
            tokens_revoked: 0,
            sessions_invalidated: 0,
        }
    }
}

/// The audit reason of one account: the operator's reason (if any), then why it is
/// dormant — `inactive since 2026-01-02T03:04:05Z (> 90d)` or `never logged in,
/// created 2025-… (> 90d)`.
fn audit_reason(operator: Option<&Reason>, u: &User, window: &str) -> anyhow::Result<Reason> {
    let time = |t: &UtcDateTime| crate::output::time_cell(t);
    let dormancy = match (&u.last_login, &u.created_at) {
        (Some(t), _) => format!("inactive since {} (> {window})", time(t)),
        (None, Some(c)) => format!("never logged in, created {} (> {window})", time(c)),
        (None, None) => format!("inactive (> {window})"),
    };
    let text = match operator {
        Some(r) => format!("{}; {dormancy}", r.as_str()),
        None => dormancy,
    };
    Ok(Reason::parse(&text)?)
}

/// Read the candidates: every enabled user dormant before the cutoff (with the
/// role), and the enabled admins, in one snapshot at the database's time.
fn read_candidates(
    conn: &mut DbConn,
    opts: &DisableOptions,
) -> anyhow::Result<(UtcDateTime, Vec<DormantUser>, Vec<User>)> {
    conn.snapshot_read(|c| -> anyhow::Result<_> {
        let now = crate::db::clock::now(c)?;
        let cutoff = cutoff_at(now, opts.inactive)?;
        let found = repo::users::dormant(c, cutoff, opts.role.map(Role::as_str))
            .context("failed to find the dormant users")?;
        let admins = repo::users::list(
            c,
            &UserFilter {
                role: Some(repo::users::ADMIN_ROLE.to_owned()),
                status: Some(UserStatus::Active),
                limit: i64::MAX,
                ..Default::default()
            },
        )
        .context("failed to read the admin users")?;
        Ok((cutoff, found, admins))
    })
}

/// The dormant accounts [`disable`] works on, read by [`find`].
#[derive(Debug, Clone)]
pub struct Plan {
    /// Dormant = last login (or, without one, creation) before this time.
    pub cutoff: UtcDateTime,
    /// Every enabled dormant user (with the role), by id.
    pub found: Vec<DormantUser>,
    /// The enabled admins when they were read (for the dry run's last-admin rule).
    admins: Vec<User>,
    /// Fold-cased `--exclude` emails.
    excluded: BTreeSet<String>,
}

impl Plan {
    fn is_excluded(&self, u: &DormantUser) -> bool {
        self.excluded.contains(&fold_case(&u.email))
    }

    /// What a run would do to each candidate now (by id): skipped when excluded
    /// or, on the admins as they were read, the last enabled admin; the real run
    /// decides again under its locks.
    fn simulate(&self) -> Vec<(&DormantUser, Option<Skip>)> {
        let mut enabled: BTreeSet<UserId> = self.admins.iter().map(|a| a.id).collect();
        self.found
            .iter()
            .map(|u| {
                if self.is_excluded(u) {
                    return (u, Some(Skip::Excluded));
                }
                if enabled.contains(&u.id) && enabled.len() == 1 {
                    return (u, Some(Skip::LastAdmin));
                }
                enabled.remove(&u.id);
                (u, None)
            })
            .collect()
    }

    /// How many accounts a run would disable now (what to ask about).
    pub fn to_disable(&self) -> usize {
        self.simulate()
            .iter()
            .filter(|(_, skip)| skip.is_none())
            .count()
    }
}

/// Read the candidates for [`disable`] in one snapshot at the database's time:
/// every enabled user dormant before the cutoff (with the role), and the enabled
/// admins. Nothing is locked or changed.
pub fn find(conn: &mut DbConn, opts: &DisableOptions) -> anyhow::Result<Plan> {
    opts.validate()?;
    let (cutoff, found, admins) = read_candidates(conn, opts)?;
    Ok(Plan {
        cutoff,
        found,
        admins,
        excluded: opts.exclude.iter().map(|e| fold_case(e)).collect(),
    })
}

/// Bulk-disable the dormant accounts of `plan` (or with `dry_run` report who would
/// be): accounts named by `exclude` and the last enabled admin are skipped with a
/// note, the rest disabled exactly as `users disable` does it, `batch_size`
/// accounts per transaction (in id order, locked and re-checked in it). `stop` (a
/// signal) ends the run after the current batch (`interrupted`).
/// `each_batch(n, accounts, took)` runs after each committed batch.
pub fn disable(
    conn: &mut DbConn,
    opts: &DisableOptions,
    plan: Plan,
    stop: &AtomicBool,
    each_batch: &mut dyn FnMut(usize, usize, Duration),
) -> anyhow::Result<Report> {
    opts.validate()?;
    let window = window_label(opts.inactive);
    let cutoff = plan.cutoff;
    let mut summary = Summary {
        candidates: plan.found.len(),
        ..Default::default()
    };
    let mut accounts: Vec<Account> = Vec::with_capacity(plan.found.len());
    let mut todo: Vec<&DormantUser> = Vec::with_capacity(plan.found.len());
    let mut interrupted = false;
    if opts.dry_run {
        for (u, skip) in plan.simulate() {
            let action = if skip.is_some() {
                Action::Skipped
            } else {
                Action::WouldDisable
            };
            accounts.push(Account::new(u, action, skip));
        }
    } else {
        for u in &plan.found {
            if plan.is_excluded(u) {
                accounts.push(Account::new(u, Action::Skipped, Some(Skip::Excluded)));
            } else {
                todo.push(u);
            }
        }
        let mut size = opts.batch_size.unwrap_or(FIRST_BATCH_SIZE);
        let mut rest: &[&DormantUser] = &todo;
        let mut n = 0;
        while !rest.is_empty() {
            if stop.load(Ordering::SeqCst) {
                interrupted = true;
                break;
            }
            let (chunk, after) = rest.split_at(size.min(rest.len()));
            rest = after;
            n += 1;
            let start = Instant::now();
            let done = conn.transaction(|c| disable_batch(c, chunk, cutoff, opts, &window))?;
            let took = start.elapsed();
            summary.batches += 1;
            summary.longest_batch_ms = summary.longest_batch_ms.max(took.as_millis() as u64);
            each_batch(n, done.len(), took);
            accounts.extend(done);
            if opts.batch_size.is_none() {
                // The next size from this batch's time per account, at most
                // doubling, so one slow moment cannot make a huge batch.
                let per = took.as_secs_f64() / chunk.len() as f64;
                let fit = (TARGET_BATCH.as_secs_f64() / per.max(1e-6)) as usize;
                size = fit.clamp(1, (size * 2).min(MAX_BATCH_SIZE));
            }
        }
    }
    accounts.sort_by_key(|a| a.id);
    for a in &accounts {
        match (a.action, a.skipped) {
            (Action::WouldDisable, _) => summary.would_disable += 1,
            (Action::Disabled, _) => summary.disabled += 1,
            (Action::Skipped, s) => {
                summary.skipped += 1;
                match s {
                    Some(Skip::Excluded) => summary.excluded += 1,
                    Some(Skip::LastAdmin) => summary.last_admin += 1,
                    Some(Skip::NoLongerDormant) => summary.no_longer_dormant += 1,
                    Some(Skip::HashTooLong) => summary.hash_too_long += 1,
                    None => {}
                }
            }
        }
        summary.tokens_revoked += a.tokens_revoked;
        summary.sessions_invalidated += a.sessions_invalidated;
    }
    Ok(Report {
        dry_run: opts.dry_run,
        inactive: window,
        cutoff,
        interrupted,
        summary,
        accounts,
    })
}

/// One batch, in its transaction: lock the admins first when the batch holds one
/// (the order every disable takes), lock the batch's rows still enabled and
/// dormant, then disable each through [`users::disable_locked`].
fn disable_batch(
    conn: &mut DbConn,
    chunk: &[&DormantUser],
    cutoff: UtcDateTime,
    opts: &DisableOptions,
    window: &str,
) -> anyhow::Result<Vec<Account>> {
    let mut admins = if chunk.iter().any(|u| u.role() == repo::users::ADMIN_ROLE) {
        Some(repo::users::lock_admins(conn).context("failed to lock the admin users")?)
    } else {
        None
    };
    let ids: Vec<UserId> = chunk.iter().map(|u| u.id).collect();
    let mut locked: Vec<User> = Vec::with_capacity(ids.len());
    for part in ids.chunks(MAX_BATCH_SIZE) {
        locked.extend(
            repo::users::lock_dormant(conn, part, cutoff)
                .context("failed to lock the dormant users")?,
        );
    }
    let mut locked: std::collections::HashMap<UserId, User> =
        locked.into_iter().map(|u| (u.id, u)).collect();
    let mut out = Vec::with_capacity(chunk.len());
    for u in chunk {
        let Some(old) = locked.remove(&u.id) else {
            out.push(Account::new(
                u,
                Action::Skipped,
                Some(Skip::NoLongerDormant),
            ));
            continue;
        };
        if users::is_enabled_admin(&old) {
            // An admin by now (promoted since it was found): lock the admins too.
            if admins.is_none() {
                admins =
                    Some(repo::users::lock_admins(conn).context("failed to lock the admin users")?);
            }
            let others = admins
                .iter()
                .flatten()
                .any(|a| a.id != old.id && users::is_enabled_admin(a));
            if !others {
                out.push(Account::new(u, Action::Skipped, Some(Skip::LastAdmin)));
                continue;
            }
        }
        if users::check_room_for_marker(&old).is_err() {
            out.push(Account::new(u, Action::Skipped, Some(Skip::HashTooLong)));
            continue;
        }
        let reason = audit_reason(opts.reason.as_ref(), &old, window)?;
        // Never the last enabled admin: no change here leaves none.
        let o = users::disable_locked(conn, old, Some(&reason), false, &opts.actor)?;
        if let Some(admins) = admins.as_mut()
            && let Some(a) = admins.iter_mut().find(|a| a.id == o.user.id)
        {
            *a = o.user.clone();
        }
        let mut a = Account::new(u, Action::Disabled, None);
        a.tokens_revoked = o.revoked.tokens;
        a.sessions_invalidated = o.revoked.sessions;
        out.push(a);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(window_label(Duration::from_secs(90 * 86_400)), "90d");
        assert_eq!(window_label(Duration::from_secs(36 * 3600)), "36h");
        assert_eq!(window_label(Duration::from_secs(90)), "90s");
        assert_eq!(window_label(Duration::from_secs(120)), "2m");
    }
}
