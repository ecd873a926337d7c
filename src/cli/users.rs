//! `authctl users`: create, list, show, update, disable, enable, reset-password and
//! delete the application's users. Parsing and printing only; the work is done by
//! [`crate::ops::users`].
//!
//! Output (`--output json`): one object per user with `id` (uuid string), `email`,
//! `name`, `role` (a NULL role shows as `user`), `status` (`active` | `disabled`),
//! `email_verified`, `email_verified_at`, `created_at`, `updated_at`, `last_login`
//! (RFC 3339 UTC or `null`), plus command-specific fields. Never the password hash
//! or the reset token. Tables and CSV escape control characters of stored values
//! (as `\u{1b}`); JSON escapes them as JSON does.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::cli::Context;
use crate::cli::common::{LimitArgs, PasswordArgs};
use crate::cli::users_io;
use crate::config::Config;
use crate::db::{UserId, UtcDateTime};
use crate::email::terminal_safe;
use crate::error::Error;
use crate::ops::dormant;
use crate::ops::pager::Paging;
use crate::ops::users::{
    self as ops, CreateOutcome, NewAccount, NewPassword, User, UserFilter, UserStatus,
};
use crate::output::{Columns, CsvWriter, Format, StreamPrinter};
use crate::parse::{Name, Reason, Role, UserRef};
use crate::password::{PasswordHasher, SchemeInfo};
use crate::secret::Secret;

const CREATE_HELP: &str = "\
Examples:
  authctl users create alice@example.com --name 'Alice Smith'     (prompts for the password)
  authctl users create bob@example.com --generate-password --verified
  authctl users create admin@example.com --role admin --password-env ADMIN_PASSWORD --if-not-exists

Emails must match the application's CHECK (ASCII letters, digits and ._%+- before
the '@', a domain with a top-level part of 2+ letters) and are stored lower-case.
Under bcrypt (the default scheme) a password longer than 72 bytes is refused.";

const DISABLE_HELP: &str = "\
A disabled user keeps its password hash behind a '!' marker, so no password
verifies; `users enable` removes the marker and the same password works again.
The application's own password-reset flow can still set a new password, which
re-enables the user: to keep a user out for good, delete it.";

const LAST_ADMIN_HELP: &str = "\
The last enabled admin (role admin, not disabled) cannot be deleted, disabled or
given another role: that would leave nobody who can administer the application.
The check runs in the change's transaction with the admin rows locked, so two
concurrent changes cannot both pass. --allow-no-admin overrides it.";

const DISABLE_LAST_ADMIN_HELP: &str = "\
A disabled user keeps its password hash behind a '!' marker, so no password
verifies; `users enable` removes the marker and the same password works again.
The application's own password-reset flow can still set a new password, which
re-enables the user: to keep a user out for good, delete it.

The last enabled admin (role admin, not disabled) cannot be disabled (nor deleted
or given another role) without --allow-no-admin.

Dormant users (PCI DSS 8.2.6, CIS 5.3): --inactive 90d disables, the same way,
every enabled user with no login for 90 days (or never logged in and created
longer ago), by the database's clock, in short transactions; --dry-run lists them,
--exclude and --role narrow them, and the last enabled admin is always skipped
with a note. An interrupted run (exit 75) is simply run again. From cron:
  authctl --quiet --yes users disable --inactive 90d";

const RESET_HELP: &str = "\
The new password replaces the old one at once; a pending reset token is cleared,
every refresh token is revoked and every login session is deactivated. A disabled
user stays disabled (the new password takes effect at `users enable`).";

/// `authctl users` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a user (password from a prompt, stdin, a file, an environment variable, or generated)
    #[command(after_help = CREATE_HELP)]
    Create(CreateArgs),
    /// List users by email: filter, page with --after, or stream every row with --all
    List(ListArgs),
    /// Show one user: its fields, password hash scheme, active sessions and tokens, recent audit events
    Show(UserArg),
    /// Change a user's email address, name, role or email verification
    #[command(after_help = LAST_ADMIN_HELP)]
    Update(UpdateArgs),
    /// Disable a user: no password verifies, refresh tokens revoked, login sessions deactivated
    #[command(after_help = DISABLE_LAST_ADMIN_HELP)]
    Disable(DisableArgs),
    /// Enable a disabled user (the password it had works again)
    #[command(after_help = DISABLE_HELP)]
    Enable(UserArg),
    /// Set a new password, revoke the user's refresh tokens and deactivate its login sessions
    #[command(after_help = RESET_HELP)]
    ResetPassword(ResetPasswordArgs),
    /// Delete a user with its tokens, sessions and auth attempts (the audit trail keeps the history)
    #[command(after_help = LAST_ADMIN_HELP)]
    Delete(DeleteArgs),
    /// Import users from another system's file (Auth0, Kratos, Supabase, CSV) with their bcrypt hashes
    #[command(after_help = users_io::IMPORT_HELP)]
    Import(users_io::ImportArgs),
    /// Export users with their bcrypt hashes to a file (Auth0, Kratos or CSV format)
    #[command(after_help = users_io::EXPORT_HELP)]
    Export(users_io::ExportArgs),
}

/// A user named by id or email address.
#[derive(Debug, clap::Args)]
pub struct UserArg {
    /// User id (uuid) or email address (any letter case)
    #[arg(value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: UserRef,
}

/// `users create` options.
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// Email address (stored trimmed and lower-cased)
    pub email: String,

    /// Name (the application's `name` column)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Role: user, admin or premium [default: user]
    #[arg(long)]
    pub role: Option<String>,

    /// Mark the email address verified now (default: not verified)
    #[arg(long)]
    pub verified: bool,

    /// When the email already exists, change nothing, read no password, and exit 0
    /// (with a warning naming the fields where the existing user differs)
    #[arg(long)]
    pub if_not_exists: bool,

    /// With --if-not-exists: when the existing user differs from the request (role,
    /// or the name or verification given), exit 65 instead of warning
    #[arg(long, requires = "if_not_exists")]
    pub strict: bool,

    #[command(flatten)]
    pub password: PasswordArgs,
}

/// `users list` options.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only users with this role (user, admin, premium; `user` includes a NULL role)
    #[arg(long)]
    pub role: Option<String>,

    /// Only users in this state
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,

    /// Only users whose email or name contains TEXT (any letter case)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,

    /// Only users created at or after this time (RFC 3339 or YYYY-MM-DD), or within
    /// this duration (24h, 7d)
    #[arg(long, value_name = "DURATION|TIME")]
    pub created_since: Option<String>,

    /// Only dormant users: no login for DURATION (90d, 45d), or never logged in and
    /// created longer ago (by the database's clock)
    #[arg(long, value_name = "DURATION", value_parser = crate::config::parse_duration)]
    pub inactive: Option<std::time::Duration>,

    /// Continue after this email (keyset pagination: pass the last email of the previous page)
    #[arg(long, value_name = "EMAIL", value_parser = after_email)]
    pub after: Option<String>,

    #[command(flatten)]
    pub page: LimitArgs,
}

/// clap value parser for `users list --after`: an email address as stored (the
/// application's format, lower-cased); anything else is a malformed flag value (64).
fn after_email(s: &str) -> Result<String, Error> {
    crate::email::normalize(s).map_err(|e| Error::usage(e.message))
}

/// `--status` of `users list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatusArg {
    /// The stored hash can verify a password: the user can log in.
    Active,
    /// The stored hash is disabled: the application refuses every login.
    Disabled,
}

impl StatusArg {
    fn status(self) -> UserStatus {
        match self {
            StatusArg::Active => UserStatus::Active,
            StatusArg::Disabled => UserStatus::Disabled,
        }
    }
}

/// `users update` options.
#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// User id (uuid) or email address (any letter case)
    #[arg(value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: UserRef,

    /// New email address
    #[arg(long)]
    pub email: Option<String>,

    /// New name
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Remove the name
    #[arg(long, conflicts_with = "name")]
    pub clear_name: bool,

    /// New role: user, admin or premium
    #[arg(long)]
    pub role: Option<String>,

    /// Mark the email address verified (now)
    #[arg(long)]
    pub verified: bool,

    /// Mark the email address not verified
    #[arg(long, conflicts_with = "verified")]
    pub unverified: bool,

    /// Allow this change even when the user is the last enabled admin (leaving no
    /// user with role admin who can log in)
    #[arg(long)]
    pub allow_no_admin: bool,
}

/// `users disable` options: one user, or with `--inactive` every dormant one.
#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("target")
        .required(true)
        .args(["user", "inactive"])
))]
pub struct DisableArgs {
    /// User id (uuid) or email address (any letter case)
    #[arg(value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: Option<UserRef>,

    /// Disable every enabled user with no login for DURATION (90d, 45d), or never
    /// logged in and created longer ago (by the database's clock); asks first
    /// (--yes without a terminal)
    #[arg(long, value_name = "DURATION", value_parser = crate::config::parse_duration)]
    pub inactive: Option<std::time::Duration>,

    /// Why (recorded in the audit trail)
    #[arg(long)]
    pub reason: Option<String>,

    /// Allow this change even when the user is the last enabled admin (leaving no
    /// user with role admin who can log in)
    #[arg(long, conflicts_with = "inactive")]
    pub allow_no_admin: bool,

    /// With --inactive: list who would be disabled; change nothing
    #[arg(long, requires = "inactive")]
    pub dry_run: bool,

    /// With --inactive: never disable this user (email, any letter case; repeat for more)
    #[arg(long, value_name = "EMAIL", requires = "inactive", value_parser = after_email)]
    pub exclude: Vec<String>,

    /// With --inactive: only users with this role (user, admin, premium; `user`
    /// includes a NULL role)
    #[arg(long, requires = "inactive")]
    pub role: Option<String>,

    /// With --inactive: accounts per transaction, fixed [default: adaptive, from 25
    /// toward a 100 ms transaction]
    #[arg(long, value_name = "N", requires = "inactive",
          value_parser = clap::value_parser!(u64).range(1..=dormant::MAX_BATCH_SIZE as u64))]
    pub batch_size: Option<u64>,
}

/// `users delete` options.
#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    /// User id (uuid) or email address (any letter case)
    #[arg(value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: UserRef,

    /// Allow this change even when the user is the last enabled admin (leaving no
    /// user with role admin who can log in)
    #[arg(long)]
    pub allow_no_admin: bool,
}

/// `users reset-password` options.
#[derive(Debug, clap::Args)]
pub struct ResetPasswordArgs {
    /// User id (uuid) or email address (any letter case)
    #[arg(value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: UserRef,

    #[command(flatten)]
    pub password: PasswordArgs,
}

/// Run one `authctl users` subcommand.
pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::Create(args) => create(ctx, args),
        Command::List(args) => list(ctx, args),
        Command::Show(args) => show(ctx, &args.user),
        Command::Update(args) => update(ctx, args),
        Command::Disable(args) => disable(ctx, args),
        Command::Enable(args) => enable(ctx, &args.user),
        Command::ResetPassword(args) => reset_password(ctx, args),
        Command::Delete(args) => delete(ctx, args),
        Command::Import(args) => users_io::import(ctx, args),
        Command::Export(args) => users_io::export(ctx, args),
    }
}

fn hasher(config: &Config) -> anyhow::Result<PasswordHasher> {
    let policy = &config.password_policy;
    PasswordHasher::new(policy.value).map_err(|e| {
        Error::config(format!(
            "password hashing policy (from {}): {e}",
            policy.source
        ))
        .into()
    })
}

/// A user for a message: id and (escaped) email.
fn who(u: &User) -> String {
    format!("{} {}", u.id, terminal_safe(&u.email))
}

fn create(ctx: &Context, args: CreateArgs) -> anyhow::Result<()> {
    let account = NewAccount::new(
        &args.email,
        args.name.as_deref().map(Name::parse).transpose()?,
        args.role.as_deref().map(Role::parse).transpose()?,
        args.verified,
    )?;
    let (config, mut conn) = ctx.connect_ready()?;
    if let Some(existing) = ops::check_email_free(&mut conn, account.email(), args.if_not_exists)? {
        return report_existing(ctx, &account, &existing, args.strict);
    }
    let hasher = hasher(&config)?;
    let (secret, generated) = args.password.read(ctx, account.email(), &hasher)?;
    let extra = json!({ "created": true });
    // A generated password exists only in this output: it is written (alone on
    // stdout as a table) before the commit, and a failed write leaves no user
    // behind. The status line follows the commit, on stderr.
    let mut deliver = |user: &User| -> anyhow::Result<()> {
        if generated {
            deliver_secret(|| report(ctx, user, &extra, Some(&secret)))?;
        }
        Ok(())
    };
    let outcome = ops::create(
        &mut conn,
        &hasher,
        &account,
        NewPassword {
            secret: &secret,
            generated,
        },
        args.if_not_exists,
        &ctx.actor()?,
        &mut deliver,
    )?;
    let user = match outcome {
        CreateOutcome::Existed(user) => return report_existing(ctx, &account, &user, args.strict),
        CreateOutcome::Created(user) => user,
    };
    ctx.committed(format!("created user {}", who(&user)));
    if generated {
        ctx.out.note(format!(
            "created user {} with the generated password printed on stdout (shown only this once; store it now)",
            who(&user)
        ));
        return Ok(());
    }
    ctx.out.line(format!("created user {}", who(&user)))?;
    report(ctx, &user, &extra, None)
}

/// Write a one-time secret (through `write`) and make sure it arrived: stdout must
/// be open, and every write and the flush must succeed — a closed stdout, a full
/// disk or a reader that went away (broken pipe) is an error (exit 74), so the
/// caller rolls back instead of committing a password nobody received.
fn deliver_secret(write: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    let undelivered = |cause: String| {
        anyhow::Error::new(crate::error::Error::new(
            crate::error::ExitCode::IoErr,
            format!("cannot write the generated password to stdout ({cause}); nothing was changed"),
        ))
    };
    // A closed stdout is invisible to writes: Rust's stdout discards writes to a
    // closed descriptor, and the runtime reopens a descriptor closed at start
    // (`>&-`) on /dev/null. Either way the password would be lost: check first.
    if crate::tty::stdout_is_closed() {
        return Err(undelivered("stdout is closed".into()));
    }
    if crate::tty::stdout_is_dev_null() {
        return Err(undelivered(
            "stdout is closed or /dev/null: the password would be lost".into(),
        ));
    }
    write()
        .and_then(|()| Ok(crate::output::flush_stdout()?))
        .map_err(|e| match crate::output::stdout_failure() {
            Some(f) => undelivered(f.reason),
            None => undelivered(format!("{e:#}")),
        })
}

/// `--if-not-exists` found the email: say so on stderr, exit 0 — with a warning
/// naming each field where the existing user differs from the request, or with
/// `--strict` a data error (exit 65). Nothing is changed either way.
fn report_existing(
    ctx: &Context,
    account: &NewAccount,
    user: &User,
    strict: bool,
) -> anyhow::Result<()> {
    let differences = account.differences(user);
    if !differences.is_empty() {
        let list = differences
            .iter()
            .map(|d| {
                format!(
                    "{} is {} (requested {})",
                    d.field,
                    terminal_safe(&d.existing),
                    terminal_safe(&d.requested)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let msg = format!(
            "user {} exists and differs from the request: {list}; it was left unchanged",
            who(user)
        );
        if strict {
            return Err(Error::data(format!("{msg} (--strict)")).into());
        }
        ctx.out.warn(msg);
    }
    ctx.out
        .note(format!("user {} exists, unchanged", who(user)));
    report(ctx, user, &json!({ "created": false }), None)
}

/// A `--role` filter: outside the allowed ones it is a malformed flag value (64);
/// only a role to store is data (65).
fn role_filter(role: Option<&str>) -> Result<Option<Role>, Error> {
    role.map(|r| Role::parse(r).map_err(|e| Error::usage(e.message)))
        .transpose()
}

fn list(ctx: &Context, args: ListArgs) -> anyhow::Result<()> {
    let now = UtcDateTime::now();
    let mut filter = UserFilter {
        role: role_filter(args.role.as_deref())?.map(|r| r.as_str().to_owned()),
        status: args.status.map(StatusArg::status),
        search: args.search,
        created_since: args
            .created_since
            .as_deref()
            .map(|s| crate::parse::parse_since(s, now))
            .transpose()?,
        inactive_before: None,
        after_email: args.after,
        limit: args.page.limit,
    };
    let paging = Paging {
        limit: args.page.limit,
        all: args.page.all,
    };
    let (_config, mut conn) = ctx.connect_ready_read()?;
    if let Some(inactive) = args.inactive {
        // The database's clock, like every time the application judges by.
        filter.inactive_before = Some(dormant::cutoff(&mut conn, inactive)?);
    }
    let columns = Columns {
        table: &LIST_HEADERS,
        fields: &USER_COLUMNS,
    };
    let mut printer = StreamPrinter::new(&ctx.out, columns, args.page.all)?;
    let more = ops::list(&mut conn, &filter, paging, |page: &[User]| {
        let page: Vec<UserJson<'_>> = page.iter().map(UserJson::new).collect();
        Ok(printer.page(&page, list_cells)?)
    })?;
    printer.finish()?;
    if let Some(last) = more {
        ctx.out.more_hint("--after", terminal_safe(&last), true);
    }
    Ok(())
}

/// The hash line of `users show`.
fn describe_hash(h: &SchemeInfo) -> String {
    let mut s = match (&h.argon2, h.cost) {
        (Some(a), _) => format!(
            "{} v{} m={} KiB t={} p={}",
            a.algorithm, a.version, a.memory_kib, a.iterations, a.parallelism
        ),
        (None, Some(cost)) => format!(
            "{} ${}$ cost {cost}",
            h.scheme,
            h.variant.as_deref().unwrap_or("?")
        ),
        (None, None) => format!("{} (no password verifies it)", h.scheme),
    };
    if h.below_policy {
        s.push_str(" (below the weakest the policy accepts: reset the password to upgrade)");
    }
    if h.disabled {
        s.push_str(", disabled");
    }
    s
}

fn show(ctx: &Context, user: &UserRef) -> anyhow::Result<()> {
    let (_config, mut conn) = ctx.connect_ready_read()?;
    let d = ops::details(&mut conn, user)?;
    if ctx.out.format != Format::Table {
        let extra = json!({
            "hash": d.hash,
            "active_sessions": d.active_sessions,
            "active_tokens": d.active_tokens,
            "recent_events": d.recent_events,
        });
        return report(ctx, &d.user, &extra, None);
    }
    if ctx.out.quiet {
        return Ok(());
    }
    let u = &d.user;
    let yes_no = |b: bool| String::from(if b { "yes" } else { "no" });
    let rows: Vec<Vec<String>> = [
        ("id", u.id.to_string()),
        ("email", terminal_safe(&u.email).into_owned()),
        ("name", safe_opt(u.name.as_deref())),
        ("role", terminal_safe(u.role()).into_owned()),
        ("status", u.status().to_string()),
        ("email verified", yes_no(u.email_verified.unwrap_or(false))),
        ("email verified at", time_opt(u.email_verified_at, "")),
        ("password hash", describe_hash(&d.hash)),
        ("last login", time_opt(u.last_login, "never")),
        ("created", time_opt(u.created_at, "")),
        ("updated", time_opt(u.updated_at, "")),
        ("active sessions", d.active_sessions.to_string()),
        ("active tokens", d.active_tokens.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| vec![k.to_owned(), v])
    .collect();
    let events: Vec<Vec<String>> = d
        .recent_events
        .iter()
        .map(|e| {
            vec![
                e.id.to_string(),
                time(e.occurred_at),
                terminal_safe(&e.actor).into_owned(),
                terminal_safe(&e.action).into_owned(),
                safe_opt(e.detail.as_deref()),
            ]
        })
        .collect();
    let mut out = ctx.out.stdout();
    writeln!(out, "{}", ctx.out.table(&["FIELD", "VALUE"], &rows))?;
    writeln!(out, "\nLatest audit events:")?;
    if events.is_empty() {
        writeln!(out, "(none)")?;
    } else {
        let headers = ["ID", "TIME", "ACTOR", "ACTION", "DETAIL"];
        writeln!(out, "{}", ctx.out.table(&headers, &events))?;
    }
    Ok(())
}

fn update(ctx: &Context, args: UpdateArgs) -> anyhow::Result<()> {
    let user = &args.user;
    let verified = match (args.verified, args.unverified) {
        (true, _) => Some(true),
        (false, true) => Some(false),
        (false, false) => None,
    };
    let changes = ops::UserUpdate::new(
        args.email.as_deref(),
        args.name.as_deref().map(Name::parse).transpose()?,
        args.clear_name,
        args.role.as_deref().map(Role::parse).transpose()?,
        verified,
    )?;
    let (_config, mut conn) = ctx.connect_ready()?;
    let updated = ops::update(
        &mut conn,
        user,
        &changes,
        args.allow_no_admin,
        &ctx.actor()?,
    )?;
    let u = &updated.user;
    if updated.changed.is_empty() {
        ctx.out.note(format!(
            "user {}: nothing to change (the values are already set)",
            who(u)
        ));
    } else {
        let what = format!("updated user {}: {}", who(u), updated.changed.join(", "));
        ctx.committed(what.clone());
        ctx.out.line(what)?;
    }
    let extra = json!({
        "changed": !updated.changed.is_empty(),
        "changed_fields": updated.changed,
    });
    report(ctx, u, &extra, None)
}

fn disable(ctx: &Context, args: DisableArgs) -> anyhow::Result<()> {
    let Some(user) = &args.user else {
        return disable_inactive(ctx, args);
    };
    // The bulk options mean nothing for one user: refused, so `users disable
    // alice --dry-run` can never disable alice.
    let bulk = [
        (args.dry_run, "--dry-run"),
        (!args.exclude.is_empty(), "--exclude"),
        (args.role.is_some(), "--role"),
        (args.batch_size.is_some(), "--batch-size"),
    ];
    if let Some((_, flag)) = bulk.iter().find(|(given, _)| *given) {
        return Err(Error::usage(format!(
            "{flag} works only with --inactive (the bulk disable of dormant users); nothing was changed"
        ))
        .into());
    }
    let reason = args.reason.as_deref().map(Reason::parse).transpose()?;
    let (_config, mut conn) = ctx.connect_ready()?;
    let o = ops::disable(
        &mut conn,
        user,
        reason.as_ref(),
        args.allow_no_admin,
        &ctx.actor()?,
    )?;
    let u = &o.user;
    if o.changed {
        let what = format!(
            "disabled user {}; revoked {} and deactivated {}",
            who(u),
            plural(o.revoked.tokens, "refresh token"),
            plural(o.revoked.sessions, "login session"),
        );
        ctx.committed(what.clone());
        ctx.out.line(what)?;
    } else {
        ctx.out.note(format!(
            "user {} is already disabled; nothing changed",
            who(u)
        ));
    }
    let extra = json!({
        "changed": o.changed,
        "sessions_invalidated": o.revoked.sessions,
        "tokens_revoked": o.revoked.tokens,
    });
    report(ctx, u, &extra, None)
}

/// `users disable --inactive`: find the dormant accounts, ask (unless
/// `--dry-run`), disable them in batches, report each and the counts.
fn disable_inactive(ctx: &Context, args: DisableArgs) -> anyhow::Result<()> {
    let inactive = args
        .inactive
        .ok_or_else(|| Error::usage("name a user or pass --inactive DURATION"))?;
    let opts = dormant::DisableOptions {
        inactive,
        role: role_filter(args.role.as_deref())?,
        exclude: args.exclude,
        reason: args.reason.as_deref().map(Reason::parse).transpose()?,
        dry_run: args.dry_run,
        batch_size: args.batch_size.map(|n| n as usize),
        actor: ctx.actor()?,
    };
    opts.validate()?;
    let (_config, mut conn) = ctx.connect_ready()?;
    let plan = dormant::find(&mut conn, &opts)?;
    let window = dormant::window_label(inactive);
    let n = plan.to_disable();
    if !opts.dry_run && n > 0 {
        ctx.confirm(&format!(
            "Disable {} with no login for {window} (since before {})? Their refresh tokens are revoked and sessions deactivated",
            plural(n, "dormant user"),
            time(plan.cutoff),
        ))?;
    }
    // SIGINT/SIGTERM: finish the current batch, report, exit 75 (run again). A
    // second signal exits at once.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(sig, 130, std::sync::Arc::clone(&stop))?;
        signal_hook::flag::register(sig, std::sync::Arc::clone(&stop))?;
    }
    let mut done = 0usize;
    let mut each_batch = |batch: usize, accounts: usize, took: std::time::Duration| {
        done += accounts;
        ctx.out.verbose(format!(
            "batch {batch}: {accounts} accounts in {} ms ({done} so far)",
            took.as_millis()
        ));
    };
    let report = dormant::disable(&mut conn, &opts, plan, &stop, &mut each_batch)?;
    let s = &report.summary;
    if s.disabled > 0 {
        ctx.committed(format!(
            "disabled {} (no login for {window})",
            plural(s.disabled, "dormant user")
        ));
    }
    for a in &report.accounts {
        if a.skipped == Some(dormant::Skip::LastAdmin) {
            ctx.out.note(format!(
                "note: {} {} is the last enabled admin: left enabled",
                a.id,
                terminal_safe(&a.email)
            ));
        }
    }
    print_dormant(ctx, &report)?;
    if report.interrupted {
        return Err(Error::busy(format!(
            "interrupted after disabling {}; run again to continue (the disabled ones are no candidates any more)",
            plural(s.disabled, "account")
        ))
        .into());
    }
    Ok(())
}

/// CSV columns of `users disable --inactive`: the JSON fields of each account.
const DORMANT_COLUMNS: [&str; 9] = [
    "id",
    "email",
    "role",
    "last_login",
    "created_at",
    "action",
    "skipped",
    "tokens_revoked",
    "sessions_invalidated",
];

fn print_dormant(ctx: &Context, r: &dormant::Report) -> anyhow::Result<()> {
    let s = &r.summary;
    // Tables and CSV as a listing prints them (a long report as one aligned plain
    // table, written as it goes); JSON as one document, buffered.
    let headers = [
        "ID",
        "EMAIL",
        "ROLE",
        "LAST LOGIN",
        "CREATED",
        "ACTION",
        "NOTE",
    ];
    let cells = |a: &dormant::Account| {
        vec![
            a.id.to_string(),
            terminal_safe(&a.email).into_owned(),
            terminal_safe(&a.role).into_owned(),
            time_opt(a.last_login, "never"),
            time_opt(a.created_at, ""),
            a.action.to_string(),
            a.skipped
                .map(dormant::Skip::note)
                .unwrap_or_default()
                .to_owned(),
        ]
    };
    let columns = Columns {
        table: &headers,
        fields: &DORMANT_COLUMNS,
    };
    match ctx.out.format {
        Format::Json => {
            let mut out = io::BufWriter::new(ctx.out.stdout());
            crate::output::write_json(&mut out, r, true)?;
            writeln!(out)?;
            out.flush()?;
        }
        Format::Csv => {
            let mut printer = StreamPrinter::new(&ctx.out, columns, true)?;
            for page in r.accounts.chunks(1000) {
                printer.page(page, cells)?;
            }
            printer.finish()?;
        }
        Format::Table => {
            let mut printer = StreamPrinter::new(&ctx.out, columns, r.accounts.len() > 1000)?;
            for page in r.accounts.chunks(1000) {
                printer.page(page, cells)?;
            }
            if !r.accounts.is_empty() {
                printer.finish()?;
            }
            let done = if r.dry_run {
                format!(
                    "{} would be disabled (dry run)",
                    plural(s.would_disable, "dormant user")
                )
            } else {
                format!(
                    "disabled {} in {} (longest {} ms); revoked {} and deactivated {}",
                    plural(s.disabled, "dormant user"),
                    plural(s.batches, "transaction"),
                    s.longest_batch_ms,
                    plural(s.tokens_revoked, "refresh token"),
                    plural(s.sessions_invalidated, "login session"),
                )
            };
            let mut skipped = Vec::new();
            for (n, what) in [
                (s.excluded, "excluded"),
                (s.last_admin, "last enabled admin"),
                (s.no_longer_dormant, "no longer dormant"),
                (s.hash_too_long, "hash too long"),
            ] {
                if n > 0 {
                    skipped.push(format!("{n} {what}"));
                }
            }
            let skipped = if skipped.is_empty() {
                String::new()
            } else {
                format!("; skipped {} ({})", s.skipped, skipped.join(", "))
            };
            ctx.out.line(format!(
                "{} dormant (no login since before {}, {}): {done}{skipped}",
                s.candidates,
                time(r.cutoff),
                r.inactive
            ))?;
        }
    }
    Ok(())
}

fn enable(ctx: &Context, user: &UserRef) -> anyhow::Result<()> {
    let (_config, mut conn) = ctx.connect_ready()?;
    let o = ops::enable(&mut conn, user, &ctx.actor()?)?;
    let u = &o.user;
    if o.changed {
        ctx.committed(format!("enabled user {}", who(u)));
        ctx.out.line(format!(
            "enabled user {} (its previous password works again)",
            who(u)
        ))?;
    } else {
        ctx.out
            .note(format!("user {} is not disabled; nothing changed", who(u)));
    }
    report(ctx, u, &json!({ "changed": o.changed }), None)
}

fn reset_password(ctx: &Context, args: ResetPasswordArgs) -> anyhow::Result<()> {
    let user = &args.user;
    let (config, mut conn) = ctx.connect_ready()?;
    // Looked up before the prompt (the reset locks the user again in its own
    // transaction).
    let target = ops::find(&mut conn, user)?;
    let hasher = hasher(&config)?;
    let (secret, generated) = args.password.read(ctx, &target.email, &hasher)?;
    let extra = |o: &ops::Outcome| {
        json!({
            "sessions_invalidated": o.revoked.sessions,
            "tokens_revoked": o.revoked.tokens,
        })
    };
    // As for create: a generated password is written before the commit (alone on
    // stdout as a table); the status line follows the commit.
    let mut deliver = |o: &ops::Outcome| -> anyhow::Result<()> {
        if generated {
            deliver_secret(|| report(ctx, &o.user, &extra(o), Some(&secret)))?;
        }
        Ok(())
    };
    let o = ops::reset_password(
        &mut conn,
        &hasher,
        &UserRef::Id(target.id),
        NewPassword {
            secret: &secret,
            generated,
        },
        &ctx.actor()?,
        &mut deliver,
    )?;
    let u = &o.user;
    let what = format!(
        "reset the password of user {}; revoked {} and deactivated {}",
        who(u),
        plural(o.revoked.tokens, "refresh token"),
        plural(o.revoked.sessions, "login session"),
    );
    ctx.committed(what.clone());
    let stays = if u.status() == UserStatus::Disabled {
        "; the user stays disabled until `users enable`"
    } else {
        ""
    };
    if generated {
        ctx.out.note(format!(
            "{what}{stays}; the generated password is printed on stdout (shown only this once; store it now)"
        ));
        return Ok(());
    }
    ctx.out.line(format!("{what}{stays}"))?;
    report(ctx, u, &extra(&o), None)
}

fn delete(ctx: &Context, args: DeleteArgs) -> anyhow::Result<()> {
    let user = &args.user;
    let (_config, mut conn) = ctx.connect_ready()?;
    // Refused before asking when it is the last admin (the delete checks again
    // under the lock).
    let target = ops::check_delete(&mut conn, user, args.allow_no_admin)?;
    ctx.confirm(&format!(
        "Delete user {} (role {}) with all of its refresh tokens, login sessions and auth attempts?",
        who(&target),
        terminal_safe(target.role())
    ))?;
    let d = ops::delete(
        &mut conn,
        &UserRef::Id(target.id),
        args.allow_no_admin,
        &ctx.actor()?,
    )?;
    let what = format!(
        "deleted user {} (with {} and {})",
        who(&d.user),
        plural(d.active_sessions, "active session"),
        plural(d.active_tokens, "active refresh token"),
    );
    ctx.committed(what.clone());
    ctx.out.line(what)?;
    let extra = json!({
        "deleted": true,
        "active_sessions": d.active_sessions,
        "active_tokens": d.active_tokens,
    });
    report(ctx, &d.user, &extra, None)
}

fn plural(n: impl std::fmt::Display, noun: &str) -> String {
    let n = n.to_string();
    if n == "1" {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A time for a table cell ([`crate::output::time_cell`]).
fn time(t: UtcDateTime) -> String {
    crate::output::time_cell(&t)
}

fn time_opt(t: Option<UtcDateTime>, none: &str) -> String {
    crate::output::time_cell_or(&t, none)
}

/// An optional stored text for a table cell, escaped.
fn safe_opt(s: Option<&str>) -> String {
    s.map(|s| terminal_safe(s).into_owned()).unwrap_or_default()
}

/// A user as JSON and CSV show it: stable snake_case fields, RFC 3339 UTC times,
/// never the password hash or the reset token.
#[derive(Serialize)]
struct UserJson<'a> {
    id: UserId,
    email: &'a str,
    name: Option<&'a str>,
    role: &'a str,
    status: UserStatus,
    email_verified: bool,
    email_verified_at: Option<UtcDateTime>,
    created_at: Option<UtcDateTime>,
    updated_at: Option<UtcDateTime>,
    last_login: Option<UtcDateTime>,
}

/// CSV header: the fields of [`UserJson`], in order.
const USER_COLUMNS: [&str; 10] = [
    "id",
    "email",
    "name",
    "role",
    "status",
    "email_verified",
    "email_verified_at",
    "created_at",
    "updated_at",
    "last_login",
];

impl<'a> UserJson<'a> {
    fn new(u: &'a User) -> Self {
        UserJson {
            id: u.id,
            email: &u.email,
            name: u.name.as_deref(),
            role: u.role(),
            status: u.status(),
            email_verified: u.email_verified.unwrap_or(false),
            email_verified_at: u.email_verified_at,
            created_at: u.created_at,
            updated_at: u.updated_at,
            last_login: u.last_login,
        }
    }

    /// The CSV row, matching [`USER_COLUMNS`]: the JSON values, stored text
    /// escaped as in tables (CSV is read on terminals too).
    fn csv_row(&self) -> io::Result<Vec<String>> {
        crate::output::csv_cells(&USER_COLUMNS, self)
    }
}

/// One user plus command-specific fields, for `--output json`.
#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    user: UserJson<'a>,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    generated_password: Option<&'a str>,
}

/// Print the result of a command about one user: with `--output json` the user
/// object plus `extra` (and `generated_password`), with `csv` one row of the same;
/// as a table a generated password alone, one line (the status lines go to
/// stderr, so `| head -1` takes the password). A generated password is printed in
/// every format, even with `--quiet`: it is the output the caller asked for and
/// cannot be recovered later.
fn report(
    ctx: &Context,
    user: &User,
    extra: &Value,
    generated: Option<&Secret>,
) -> anyhow::Result<()> {
    let empty = Map::new();
    let extra = extra.as_object().unwrap_or(&empty);
    let user = UserJson::new(user);
    let generated = generated.map(Secret::expose);
    let unquiet;
    let out = match generated {
        Some(_) => {
            unquiet = ctx.out.unquiet();
            &unquiet
        }
        None => &ctx.out,
    };
    match out.format {
        Format::Json => out.json(&Report {
            user,
            extra,
            generated_password: generated,
        })?,
        Format::Csv => {
            let mut headers = USER_COLUMNS.to_vec();
            headers.extend(extra.keys().map(String::as_str));
            let mut row = user.csv_row()?;
            row.extend(extra.values().map(csv_value));
            if let Some(pw) = generated {
                headers.push("generated_password");
                row.push(pw.to_owned());
            }
            let mut w = CsvWriter::new(out, &headers)?;
            w.row(&row)?;
            w.finish()?;
        }
        Format::Table => {
            if let Some(pw) = generated {
                writeln!(out.stdout(), "{pw}")?;
            }
        }
    }
    Ok(())
}

fn csv_value(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

/// Table headers of `users list`.
const LIST_HEADERS: [&str; 8] = [
    "ID",
    "EMAIL",
    "NAME",
    "ROLE",
    "STATUS",
    "VERIFIED",
    "LAST LOGIN",
    "CREATED",
];

/// A `users list` table row, escaped.
fn list_cells(u: &UserJson<'_>) -> Vec<String> {
    vec![
        u.id.to_string(),
        terminal_safe(u.email).into_owned(),
        safe_opt(u.name),
        terminal_safe(u.role).into_owned(),
        u.status.to_string(),
        String::from(if u.email_verified { "yes" } else { "no" }),
        time_opt(u.last_login, "never"),
        time_opt(u.created_at, ""),
    ]
}
