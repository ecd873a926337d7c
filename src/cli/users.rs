//! `authctl users`: create, list, show, update, disable, enable, unlock,
//! reset-password and delete users. Parsing and printing only; the work is done by
//! [`crate::ops::users`].

use std::io::{self, BufWriter, StdoutLock, Write};

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::cli::Context;
use crate::cli::common::{PageArgs, PasswordArgs};
use crate::config::Config;
use crate::db::UtcDateTime;
use crate::error::Error;
use crate::ops::users::{self as ops, CreateOutcome, NewAccount, NewPassword, ResetOptions};
use crate::output::{CsvWriter, Format};
use crate::parse::UserRef;
use crate::password::PasswordHasher;
use crate::repo::{User, UserFilter, UserStatus};
use crate::secret::Secret;

const CREATE_HELP: &str = "\
Examples:
  authctl users create alice@example.com --name 'Alice Smith'     (prompts for the password)
  authctl users create bob@example.com --generate-password --must-change-password
  authctl users create admin@example.com --role admin --password-env ADMIN_PASSWORD --if-not-exists";

/// `authctl users` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a user (password from a prompt, stdin, a file, an environment variable, or generated)
    #[command(after_help = CREATE_HELP)]
    Create(CreateArgs),
    /// List users: filter, page with --after, or stream every row with --all
    List(ListArgs),
    /// Show one user: every field, hash parameters, active sessions and tokens, recent audit events
    Show(UserArg),
    /// Change a user's email address, display name or role
    Update(UpdateArgs),
    /// Disable a user and revoke their active sessions and refresh tokens
    Disable(DisableArgs),
    /// Enable a disabled user
    Enable(UserArg),
    /// Clear a user's failed login attempts and lockout
    Unlock(UserArg),
    /// Set a new password, clear the lockout, and revoke the user's sessions and tokens
    ResetPassword(ResetPasswordArgs),
    /// Delete a user with their sessions and tokens (the audit trail keeps the history)
    Delete(UserArg),
}

/// A user named by id or email address.
#[derive(Debug, clap::Args)]
pub struct UserArg {
    /// User id or email address (any letter case)
    #[arg(value_name = "USER")]
    pub user: String,
}

/// `users create` options.
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// Email address (stored trimmed and lower-cased)
    pub email: String,

    /// Display name
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Role: 1 to 64 characters from a-z, 0-9, '_' and '-' [default: user]
    #[arg(long)]
    pub role: Option<String>,

    /// Make the user choose a new password at the next login
    #[arg(long)]
    pub must_change_password: bool,

    /// When the email already exists, change nothing, read no password, and exit 0
    #[arg(long)]
    pub if_not_exists: bool,

    #[command(flatten)]
    pub password: PasswordArgs,
}

/// `users list` options.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only users with this role
    #[arg(long)]
    pub role: Option<String>,

    /// Only users in this state (disabled wins over locked)
    #[arg(long, value_enum)]
    pub status: Option<UserStatus>,

    /// Only users whose email or display name contains TEXT (any letter case)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,

    /// Only users created at or after this time (RFC 3339 or YYYY-MM-DD), or within
    /// this duration (24h, 7d)
    #[arg(long, value_name = "DURATION|TIME")]
    pub created_since: Option<String>,

    #[command(flatten)]
    pub page: PageArgs,
}

/// `users update` options.
#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// User id or email address (any letter case)
    #[arg(value_name = "USER")]
    pub user: String,

    /// New email address
    #[arg(long)]
    pub email: Option<String>,

    /// New display name
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Remove the display name
    #[arg(long, conflicts_with = "name")]
    pub clear_name: bool,

    /// New role: 1 to 64 characters from a-z, 0-9, '_' and '-'
    #[arg(long)]
    pub role: Option<String>,
}

/// `users disable` options.
#[derive(Debug, clap::Args)]
pub struct DisableArgs {
    /// User id or email address (any letter case)
    #[arg(value_name = "USER")]
    pub user: String,

    /// Why (stored with the user, on the revoked sessions and tokens, and in the audit trail)
    #[arg(long)]
    pub reason: Option<String>,
}

/// `users reset-password` options.
#[derive(Debug, clap::Args)]
pub struct ResetPasswordArgs {
    /// User id or email address (any letter case)
    #[arg(value_name = "USER")]
    pub user: String,

    #[command(flatten)]
    pub password: PasswordArgs,

    /// Do not require the user to change the password at the next login
    #[arg(long)]
    pub no_must_change: bool,

    /// Keep the user's active sessions and refresh tokens
    #[arg(long)]
    pub keep_sessions: bool,
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
        Command::Unlock(args) => unlock(ctx, &args.user),
        Command::ResetPassword(args) => reset_password(ctx, args),
        Command::Delete(args) => delete(ctx, &args.user),
    }
}

fn user_ref(s: &str) -> Result<UserRef, Error> {
    s.parse()
}

fn hasher(config: &Config) -> anyhow::Result<PasswordHasher> {
    PasswordHasher::new(config.argon2.value)
        .map_err(|e| Error::config(format!("argon2 settings (AUTHCTL_ARGON2_*): {e}")).into())
}

fn create(ctx: &Context, args: CreateArgs) -> anyhow::Result<()> {
    let account = NewAccount::new(
        &args.email,
        args.name.as_deref(),
        args.role.as_deref(),
        args.must_change_password,
    )?;
    let (config, mut conn) = ctx.connect_ready()?;
    if let Some(existing) = ops::check_email_free(&mut conn, account.email(), args.if_not_exists)? {
        return report_existing(ctx, &existing);
    }
    let hasher = hasher(&config)?;
    let (secret, generated) = args.password.read(ctx, account.email())?;
    let outcome = ops::create(
        &mut conn,
        &hasher,
        &account,
        NewPassword {
            secret: &secret,
            generated,
        },
        args.if_not_exists,
        &ctx.actor(),
    )?;
    let user = match outcome {
        CreateOutcome::Existed(user) => return report_existing(ctx, &user),
        CreateOutcome::Created(user) => user,
    };
    ctx.out
        .line(format!("created user {} {}", user.id, user.email))?;
    let extra = json!({ "created": true });
    report(ctx, &user, &extra, generated.then_some(&secret))
}

/// `--if-not-exists` found the email: say so on stderr, exit 0.
fn report_existing(ctx: &Context, user: &User) -> anyhow::Result<()> {
    ctx.out
        .note(format!("user {} {} exists, unchanged", user.id, user.email));
    report(ctx, user, &json!({ "created": false }), None)
}

fn list(ctx: &Context, args: ListArgs) -> anyhow::Result<()> {
    let now = UtcDateTime::now();
    let filter = UserFilter {
        role: args.role.as_deref().map(ops::validate_role).transpose()?,
        status: args.status,
        search: args.search,
        created_since: args
            .created_since
            .as_deref()
            .map(|s| crate::parse::parse_since(s, now))
            .transpose()?,
        after_id: args.page.after,
        limit: args.page.limit,
    };
    let (_config, mut conn) = ctx.connect_ready()?;
    let mut sink = ListSink::start(ctx, now)?;
    let summary = ops::scan(&mut conn, &filter, args.page.all, now, |page| {
        sink.page(page).map_err(Into::into)
    })?;
    sink.finish(summary.rows)?;
    if let (Format::Table, true, Some(last)) = (ctx.out.format, summary.more, summary.last_id) {
        ctx.out.note(format!("more users: --after {last}"));
    }
    Ok(())
}

fn show(ctx: &Context, user: &str) -> anyhow::Result<()> {
    let user = user_ref(user)?;
    let (config, mut conn) = ctx.connect_ready()?;
    let now = UtcDateTime::now();
    let d = ops::details(&mut conn, &user, &hasher(&config)?, now)?;
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
    let hash = match &d.hash {
        Some(h) => format!(
            "{} v{} m={} KiB t={} p={}{}",
            h.info.algorithm,
            h.info.version,
            h.info.memory_kib,
            h.info.iterations,
            h.info.parallelism,
            if h.needs_rehash {
                " (weaker than the current policy: rehashed at next login)"
            } else {
                ""
            }
        ),
        None => "not an argon2 hash (reset the password)".to_owned(),
    };
    let yes_no = |b: bool| String::from(if b { "yes" } else { "no" });
    let rows: Vec<Vec<String>> = [
        ("id", u.id.to_string()),
        ("email", u.email.clone()),
        ("name", u.display_name.clone().unwrap_or_default()),
        ("role", u.role.clone()),
        ("status", u.status(now).to_string()),
        ("disabled at", time_opt(u.disabled_at, "")),
        (
            "disabled reason",
            u.disabled_reason.clone().unwrap_or_default(),
        ),
        ("failed logins", u.failed_login_count.to_string()),
        ("locked until", time_opt(u.locked_until, "")),
        ("must change password", yes_no(u.must_change_password)),
        ("password changed", time(u.password_changed_at)),
        ("password hash", hash),
        ("last login", time_opt(u.last_login_at, "never")),
        ("created", time(u.created_at)),
        ("updated", time(u.updated_at)),
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
                e.actor.clone(),
                e.action.clone(),
                e.detail.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let mut out = io::stdout().lock();
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
    let user = user_ref(&args.user)?;
    let changes = ops::UserUpdate::new(
        args.email.as_deref(),
        args.name.as_deref(),
        args.clear_name,
        args.role.as_deref(),
    )?;
    let (_config, mut conn) = ctx.connect_ready()?;
    let updated = ops::update(&mut conn, &user, &changes, &ctx.actor())?;
    let u = &updated.user;
    if updated.changed.is_empty() {
        ctx.out.note(format!(
            "user {} {}: nothing to change (the values are already set)",
            u.id, u.email
        ));
    } else {
        ctx.out.line(format!(
            "updated user {} {}: {}",
            u.id,
            u.email,
            updated.changed.join(", ")
        ))?;
    }
    report(ctx, u, &json!({ "changed": updated.changed }), None)
}

fn disable(ctx: &Context, args: DisableArgs) -> anyhow::Result<()> {
    let user = user_ref(&args.user)?;
    let reason = args
        .reason
        .as_deref()
        .map(ops::validate_reason)
        .transpose()?;
    let (_config, mut conn) = ctx.connect_ready()?;
    let o = ops::disable(&mut conn, &user, reason.as_deref(), &ctx.actor())?;
    let u = &o.user;
    if o.changed {
        ctx.out.line(format!(
            "disabled user {} {}; revoked {} and {}",
            u.id,
            u.email,
            plural(o.revoked.sessions, "session"),
            plural(o.revoked.tokens, "refresh token"),
        ))?;
    } else {
        ctx.out.note(format!(
            "user {} {} is already disabled; nothing changed",
            u.id, u.email
        ));
    }
    let extra = json!({
        "changed": o.changed,
        "sessions_revoked": o.revoked.sessions,
        "tokens_revoked": o.revoked.tokens,
    });
    report(ctx, u, &extra, None)
}

fn enable(ctx: &Context, user: &str) -> anyhow::Result<()> {
    let user = user_ref(user)?;
    let (_config, mut conn) = ctx.connect_ready()?;
    let o = ops::enable(&mut conn, &user, &ctx.actor())?;
    let u = &o.user;
    if o.changed {
        ctx.out.line(format!("enabled user {} {}", u.id, u.email))?;
    } else {
        ctx.out.note(format!(
            "user {} {} is not disabled; nothing changed",
            u.id, u.email
        ));
    }
    report(ctx, u, &json!({ "changed": o.changed }), None)
}

fn unlock(ctx: &Context, user: &str) -> anyhow::Result<()> {
    let user = user_ref(user)?;
    let (_config, mut conn) = ctx.connect_ready()?;
    let o = ops::unlock(&mut conn, &user, &ctx.actor())?;
    let u = &o.user;
    if o.changed {
        ctx.out.line(format!(
            "unlocked user {} {} (failed attempts and lockout cleared)",
            u.id, u.email
        ))?;
    } else {
        ctx.out.note(format!(
            "user {} {} is not locked and has no failed attempts; nothing changed",
            u.id, u.email
        ));
    }
    report(ctx, u, &json!({ "changed": o.changed }), None)
}

fn reset_password(ctx: &Context, args: ResetPasswordArgs) -> anyhow::Result<()> {
    let user = user_ref(&args.user)?;
    let (config, mut conn) = ctx.connect_ready()?;
    let target = crate::ops::resolve_user(&mut conn, &user)?;
    let hasher = hasher(&config)?;
    let (secret, generated) = args.password.read(ctx, &target.email)?;
    let options = ResetOptions {
        must_change_password: !args.no_must_change,
        revoke_credentials: !args.keep_sessions,
    };
    let o = ops::reset_password(
        &mut conn,
        &hasher,
        &UserRef::Id(target.id),
        NewPassword {
            secret: &secret,
            generated,
        },
        options,
        &ctx.actor(),
    )?;
    let u = &o.user;
    let sessions = if options.revoke_credentials {
        format!(
            "revoked {} and {}",
            plural(o.revoked.sessions, "session"),
            plural(o.revoked.tokens, "refresh token")
        )
    } else {
        "sessions and tokens kept".to_owned()
    };
    let must_change = if options.must_change_password {
        "; must change it at the next login"
    } else {
        ""
    };
    ctx.out.line(format!(
        "reset the password of user {} {}; {sessions}{must_change}",
        u.id, u.email
    ))?;
    let extra = json!({
        "sessions_revoked": o.revoked.sessions,
        "tokens_revoked": o.revoked.tokens,
    });
    report(ctx, u, &extra, generated.then_some(&secret))
}

fn delete(ctx: &Context, user: &str) -> anyhow::Result<()> {
    let user = user_ref(user)?;
    let (_config, mut conn) = ctx.connect_ready()?;
    let target = crate::ops::resolve_user(&mut conn, &user)?;
    ctx.confirm(&format!(
        "Delete user {} {} (role {}) with all of their sessions and refresh tokens?",
        target.id, target.email, target.role
    ))?;
    let d = ops::delete(&mut conn, &UserRef::Id(target.id), &ctx.actor())?;
    ctx.out.line(format!(
        "deleted user {} {} (with {} and {})",
        d.user.id,
        d.user.email,
        plural(d.active_sessions, "active session"),
        plural(d.active_tokens, "active refresh token"),
    ))?;
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

/// A time for a table cell: UTC, to the second.
fn time(t: UtcDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn time_opt(t: Option<UtcDateTime>, none: &str) -> String {
    t.map_or_else(|| none.to_owned(), time)
}

/// A user as JSON and CSV show it: stable snake_case fields, RFC 3339 UTC times,
/// never the password hash.
#[derive(Serialize)]
struct UserJson<'a> {
    id: i64,
    email: &'a str,
    display_name: Option<&'a str>,
    role: &'a str,
    status: UserStatus,
    is_active: bool,
    disabled_at: Option<UtcDateTime>,
    disabled_reason: Option<&'a str>,
    failed_login_count: i32,
    locked_until: Option<UtcDateTime>,
    must_change_password: bool,
    password_changed_at: UtcDateTime,
    last_login_at: Option<UtcDateTime>,
    created_at: UtcDateTime,
    updated_at: UtcDateTime,
}

/// CSV header: the fields of [`UserJson`], in order.
const USER_COLUMNS: [&str; 15] = [
    "id",
    "email",
    "display_name",
    "role",
    "status",
    "is_active",
    "disabled_at",
    "disabled_reason",
    "failed_login_count",
    "locked_until",
    "must_change_password",
    "password_changed_at",
    "last_login_at",
    "created_at",
    "updated_at",
];

impl<'a> UserJson<'a> {
    fn new(u: &'a User, now: UtcDateTime) -> Self {
        UserJson {
            id: u.id,
            email: &u.email,
            display_name: u.display_name.as_deref(),
            role: &u.role,
            status: u.status(now),
            is_active: u.is_active,
            disabled_at: u.disabled_at,
            disabled_reason: u.disabled_reason.as_deref(),
            failed_login_count: u.failed_login_count,
            locked_until: u.locked_until,
            must_change_password: u.must_change_password,
            password_changed_at: u.password_changed_at,
            last_login_at: u.last_login_at,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }

    /// The CSV row, matching [`USER_COLUMNS`].
    fn csv_row(&self) -> Vec<String> {
        let t = |t: Option<UtcDateTime>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
        vec![
            self.id.to_string(),
            self.email.to_owned(),
            self.display_name.unwrap_or_default().to_owned(),
            self.role.to_owned(),
            self.status.to_string(),
            self.is_active.to_string(),
            t(self.disabled_at),
            self.disabled_reason.unwrap_or_default().to_owned(),
            self.failed_login_count.to_string(),
            t(self.locked_until),
            self.must_change_password.to_string(),
            self.password_changed_at.to_rfc3339(),
            t(self.last_login_at),
            self.created_at.to_rfc3339(),
            self.updated_at.to_rfc3339(),
        ]
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
/// object plus `extra` (and `generated_password`), with `csv` one row of the same.
/// A generated password is printed in every format, even with `--quiet`: it is the
/// output the caller asked for and cannot be recovered later.
fn report(
    ctx: &Context,
    user: &User,
    extra: &Value,
    generated: Option<&Secret>,
) -> anyhow::Result<()> {
    let empty = Map::new();
    let extra = extra.as_object().unwrap_or(&empty);
    let user = UserJson::new(user, UtcDateTime::now());
    let generated = generated.map(Secret::expose);
    match ctx.out.format {
        Format::Json => ctx.out.json(&Report {
            user,
            extra,
            generated_password: generated,
        })?,
        Format::Csv => {
            let mut headers = USER_COLUMNS.to_vec();
            headers.extend(extra.keys().map(String::as_str));
            let mut row = user.csv_row();
            row.extend(extra.values().map(csv_value));
            if let Some(pw) = generated {
                headers.push("generated_password");
                row.push(pw.to_owned());
            }
            let mut w = CsvWriter::new(&headers)?;
            w.row(&row)?;
            w.finish()?;
        }
        Format::Table => {
            if let Some(pw) = generated {
                ctx.out
                    .note("generated password (shown only this once; store it now):");
                writeln!(io::stdout().lock(), "{pw}")?;
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

/// Where `users list` writes, page by page, so memory does not grow with the
/// number of users: a table per page, a JSON array written element by element, or
/// CSV rows.
enum ListSink<'a> {
    Table {
        ctx: &'a Context,
        now: UtcDateTime,
    },
    Json {
        out: BufWriter<StdoutLock<'static>>,
        now: UtcDateTime,
        first: bool,
    },
    Csv {
        w: Box<CsvWriter>,
        now: UtcDateTime,
    },
}

const LIST_HEADERS: [&str; 7] = [
    "ID",
    "EMAIL",
    "NAME",
    "ROLE",
    "STATUS",
    "LAST LOGIN",
    "CREATED",
];

impl<'a> ListSink<'a> {
    fn start(ctx: &'a Context, now: UtcDateTime) -> io::Result<Self> {
        Ok(match ctx.out.format {
            Format::Table => ListSink::Table { ctx, now },
            Format::Json => {
                let mut out = BufWriter::new(io::stdout().lock());
                out.write_all(b"[")?;
                ListSink::Json {
                    out,
                    now,
                    first: true,
                }
            }
            Format::Csv => ListSink::Csv {
                w: Box::new(CsvWriter::new(&USER_COLUMNS)?),
                now,
            },
        })
    }

    fn page(&mut self, users: &[User]) -> io::Result<()> {
        match self {
            ListSink::Table { ctx, now } => {
                if ctx.out.quiet || users.is_empty() {
                    return Ok(());
                }
                let rows: Vec<Vec<String>> = users
                    .iter()
                    .map(|u| {
                        vec![
                            u.id.to_string(),
                            u.email.clone(),
                            u.display_name.clone().unwrap_or_default(),
                            u.role.clone(),
                            u.status(*now).to_string(),
                            time_opt(u.last_login_at, "never"),
                            time(u.created_at),
                        ]
                    })
                    .collect();
                writeln!(
                    io::stdout().lock(),
                    "{}",
                    ctx.out.table(&LIST_HEADERS, &rows)
                )
            }
            ListSink::Json { out, now, first } => {
                for u in users {
                    out.write_all(if *first { b"\n" } else { b",\n" })?;
                    *first = false;
                    serde_json::to_writer(&mut *out, &UserJson::new(u, *now)).map_err(json_io)?;
                }
                out.flush()
            }
            ListSink::Csv { w, now } => {
                for u in users {
                    w.row(&UserJson::new(u, *now).csv_row())?;
                }
                Ok(())
            }
        }
    }

    fn finish(self, rows: u64) -> io::Result<()> {
        match self {
            ListSink::Table { ctx, .. } => {
                if rows == 0 && !ctx.out.quiet {
                    writeln!(io::stdout().lock(), "(none)")?;
                }
                Ok(())
            }
            ListSink::Json { mut out, .. } => {
                out.write_all(b"\n]\n")?;
                out.flush()
            }
            ListSink::Csv { w, .. } => w.finish(),
        }
    }
}

/// A serde_json write error as the I/O error it wraps (so a broken pipe stays one).
fn json_io(e: serde_json::Error) -> io::Error {
    match e.io_error_kind() {
        Some(kind) => io::Error::from(kind),
        None => io::Error::other(e),
    }
}
