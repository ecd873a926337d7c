//! `authctl sessions`: list and revoke login sessions.
//!
//! `authctl tokens` is the same command over refresh tokens; both are the
//! [`ListArgs`]/[`RevokeArgs`] and [`list`]/[`revoke`] here, generic over the
//! table ([`Sessions`] or [`Tokens`]).
//!
//! Output (`--output json`):
//! - `list`: an array of objects `id` (uuid; a session's `session_id`), `user_id`,
//!   `user_email`, `fingerprint` (`sha256:` + 16 hex digits of the token — never
//!   the token itself), `state` (`active`|`expired`|`revoked`), `created_at`,
//!   `expires_at`, then `revoked_at` (tokens) or `last_activity_at` (sessions),
//!   `ip_address`, `user_agent`; times RFC 3339 UTC, absent values `null`. Newest
//!   expiry first; with `--all` the array is streamed page by page.
//! - `revoke`: `{"kind": "refresh_token"|"session", "changed": bool, "revoked":
//!   [ids], "already_revoked": [ids]}` (`--token-stdin`: the kind that matched;
//!   `both` for a value that is the secret of one of each); CSV `kind,id,result`.
//!
//! CSV's header is the JSON field names; its rows are the JSON values. In table and CSV output and in messages every text
//! from the database goes through [`terminal_safe`] (control characters and bidi
//! overrides escaped), so a crafted user agent cannot drive the terminal; JSON
//! escapes them itself.

use std::io::{self, IsTerminal};

use uuid::Uuid;

use crate::cli::Context;
use crate::email::{printable, terminal_safe};
use crate::error::Error;
use crate::ops::credentials::{
    self, Credential, CredentialState, Credentials, ListQuery, Revocation, RevokeReport, Scope,
    SecretRevocation, Sessions, Usage,
};
use crate::ops::pager::Paging;
use crate::output::{Columns, CsvWriter, Format, opt, time_cell, time_cell_or};
use crate::parse::UserRef;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List login sessions, newest expiry first (active ones unless --state says otherwise)
    List(ListArgs),
    /// Revoke login sessions: by id, by a leaked token on stdin, every active one of a user, or every active one
    Revoke(RevokeArgs),
}

/// Run `authctl sessions …`.
pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::List(args) => list::<Sessions>(ctx, args),
        Command::Revoke(args) => revoke::<Sessions>(ctx, args),
    }
}

/// `--state` of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StateFilter {
    /// Usable: not revoked and not expired
    Active,
    /// Past its expiry and never revoked
    Expired,
    /// Revoked or invalidated (whether or not it has expired since)
    Revoked,
    /// Every state
    All,
}

impl StateFilter {
    fn state(self) -> Option<CredentialState> {
        match self {
            StateFilter::Active => Some(CredentialState::Active),
            StateFilter::Expired => Some(CredentialState::Expired),
            StateFilter::Revoked => Some(CredentialState::Revoked),
            StateFilter::All => None,
        }
    }
}

/// clap value parser for session and token ids (uuids).
fn uuid_arg(s: &str) -> Result<Uuid, String> {
    Uuid::try_parse(s.trim()).map_err(|_| format!("{} is not a valid id (a uuid)", printable(s)))
}

/// Arguments of `sessions list` and `tokens list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only those of this user (email or id)
    #[arg(long, value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: Option<UserRef>,

    /// Which states to show
    #[arg(long, value_enum, default_value_t = StateFilter::Active)]
    pub state: StateFilter,

    /// Show at most this many rows
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub limit: i64,

    /// Continue after this id (keyset pagination: pass the last id of the previous page)
    #[arg(long, value_name = "ID", value_parser = uuid_arg)]
    pub after: Option<Uuid>,

    /// Show every row (streamed in pages; memory does not grow with the table)
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
}

/// Arguments of `sessions revoke` and `tokens revoke`: exactly one of ids,
/// `--user`, `--all-active` or `--token-stdin`.
#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("target")
        .required(true)
        .args(["ids", "user", "all_active", "token_stdin"])
))]
pub struct RevokeArgs {
    /// Ids (uuids) to revoke; all must exist, one already revoked is reported, not an error
    #[arg(value_name = "ID", value_parser = uuid_arg)]
    pub ids: Vec<Uuid>,

    /// Revoke every active one of this user (email or id)
    #[arg(long, value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: Option<UserRef>,

    /// Revoke every active one of every user (asks first; --yes without a terminal)
    #[arg(long)]
    pub all_active: bool,

    /// Revoke what the token piped on stdin belongs to, whichever kind it is: a
    /// refresh token is revoked, a session token's session deactivated (the same
    /// in `tokens revoke` and `sessions revoke`); at most 8 KiB, one trailing
    /// newline stripped, never echoed
    #[arg(long)]
    pub token_stdin: bool,

    /// Why: recorded in the audit trail
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

/// List sessions or tokens: one page (`--limit`, `--after`) or, with `--all`, every
/// matching row, printed page by page.
pub fn list<K: Credentials>(ctx: &Context, args: ListArgs) -> anyhow::Result<()> {
    let (_, mut conn) = ctx.connect_ready_read()?;
    let query = ListQuery {
        user: args.user.as_ref(),
        state: args.state.state(),
        after: args.after,
    };
    let paging = Paging {
        limit: args.limit,
        all: args.all,
    };
    let mut printer = crate::output::StreamPrinter::new(&ctx.out, columns::<K>(), args.all)?;
    let more = credentials::list::<K>(&mut conn, &query, paging, |page| {
        Ok(printer.page(page, cells)?)
    })?;
    printer.finish()?;
    if let Some(last) = more {
        ctx.out.more_hint("--after", last, true);
    }
    Ok(())
}

/// Revoke by ids, `--token-stdin`, `--user` or `--all-active` (after
/// confirmation), and report what changed. The token read from stdin is never
/// printed; messages name the row's id.
pub fn revoke<K: Credentials>(ctx: &Context, args: RevokeArgs) -> anyhow::Result<()> {
    let kind = K::KIND;
    let secret = if args.token_stdin {
        if io::stdin().is_terminal() {
            return Err(Error::usage(
                "--token-stdin reads a piped token, but stdin is a terminal (typing it would echo it): \
                 pipe it in, e.g. `authctl tokens revoke --token-stdin < token.txt`",
            )
            .into());
        }
        Some(crate::token::read_token(io::stdin().lock())?)
    } else {
        None
    };
    // The same rules as `users disable --reason`: no control characters, bounded length.
    let reason = args
        .reason
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .map(crate::parse::Reason::parse)
        .transpose()?;
    let (config, mut conn) = ctx.connect_ready()?;
    if let Some(secret) = &secret {
        let actor = ctx.actor()?;
        let done = credentials::revoke_secret(&mut conn, secret, reason.as_ref(), &actor)?;
        return report_secret(ctx, &done);
    }
    let ids: Vec<K::Id> = args.ids.iter().map(|&u| K::id(u)).collect();
    let scope = if let Some(user) = &args.user {
        Scope::User(user)
    } else if args.all_active {
        let active = credentials::count_active::<K>(&mut conn)?;
        if active == 0 {
            ctx.out
                .note(format!("no active {}: nothing to revoke", kind.plural()));
            return print_report(ctx, kind, &RevokeReport::<K::Id>::default());
        }
        ctx.confirm(&format!(
            "Revoke every active {} of every user on {} ({})?",
            kind.noun(),
            config.database.value.redacted(),
            kind.count(active.try_into().unwrap_or(usize::MAX))
        ))?;
        Scope::AllActive
    } else {
        Scope::Ids(&ids)
    };
    let actor = ctx.actor()?;
    let report = Revocation {
        scope,
        reason: reason.as_ref(),
        actor: &actor,
    }
    .run::<K>(&mut conn)?;

    let revoked = kind.count(report.revoked.len());
    if !report.revoked.is_empty() {
        let whose = match report.owner.as_deref() {
            Some(email) => format!(" of {}", terminal_safe(email)),
            None => String::new(),
        };
        ctx.committed(format!("revoked {revoked}{whose}"));
    }
    for id in &report.already_revoked {
        ctx.out
            .note(format!("{} {id} was already revoked", kind.noun()));
    }
    let owner = report
        .owner
        .as_deref()
        .map(|e| terminal_safe(e).into_owned());
    match (&scope, owner) {
        (Scope::Ids(_), _) => {
            for id in &report.revoked {
                ctx.out.line(format!("revoked {} {id}", kind.noun()))?;
            }
        }
        (_, Some(email)) if report.revoked.is_empty() => {
            ctx.out
                .note(format!("{email} has no active {}", kind.plural()));
        }
        (_, Some(email)) => ctx.out.line(format!("revoked {revoked} of {email}"))?,
        (_, None) => ctx.out.line(format!(
            "revoked {revoked} of {} user{}",
            report.users,
            if report.users == 1 { "" } else { "s" }
        ))?,
    }
    print_report(ctx, kind, &report)
}

/// Report a `--token-stdin` revoke: what matched (a refresh token, a session, in
/// the odd case both), whose, and what was already revoked — never the token.
fn report_secret(ctx: &Context, done: &SecretRevocation) -> anyhow::Result<()> {
    let parts = [
        Part::of(credentials::Kind::Token, &done.tokens),
        Part::of(credentials::Kind::Session, &done.sessions),
    ];
    let parts: Vec<Part> = parts
        .into_iter()
        .filter(|p| !p.revoked.is_empty() || !p.already_revoked.is_empty())
        .collect();
    let mut lines = Vec::new();
    for p in &parts {
        for id in &p.already_revoked {
            ctx.out.note(format!(
                "{} {id}{} was already revoked",
                p.kind.noun(),
                p.of
            ));
        }
        for id in &p.revoked {
            lines.push(format!("revoked {} {id}{}", p.kind.noun(), p.of));
        }
    }
    if !lines.is_empty() {
        ctx.committed(lines.join("; "));
    }
    for line in lines {
        ctx.out.line(line)?;
    }
    print_revoked(ctx, &parts)
}

/// One kind's part of a revoke, as printed: ids as text, and whose they were.
struct Part {
    kind: credentials::Kind,
    revoked: Vec<String>,
    already_revoked: Vec<String>,
    /// ` of EMAIL` (escaped) when the rows were one user's.
    of: String,
}

impl Part {
    fn of<I: std::fmt::Display>(kind: credentials::Kind, r: &RevokeReport<I>) -> Part {
        Part {
            kind,
            revoked: r.revoked.iter().map(ToString::to_string).collect(),
            already_revoked: r.already_revoked.iter().map(ToString::to_string).collect(),
            of: r
                .owner
                .as_deref()
                .map(|e| format!(" of {}", terminal_safe(e)))
                .unwrap_or_default(),
        }
    }
}

/// The `kind` of a revoke's JSON and CSV.
fn kind_name(kind: credentials::Kind) -> &'static str {
    match kind {
        credentials::Kind::Token => "refresh_token",
        credentials::Kind::Session => "session",
    }
}

/// A revoke's JSON: `changed` is true when anything was revoked.
#[derive(serde::Serialize)]
struct RevokeJson<'a> {
    kind: &'a str,
    changed: bool,
    revoked: Vec<&'a str>,
    already_revoked: Vec<&'a str>,
}

/// The machine-readable result of a revoke (JSON, or CSV `kind,id,result`; table
/// output is lines). `parts` holds one kind, or both for a `--token-stdin` value
/// that matched one of each (JSON `kind` is then `both`).
fn print_revoked(ctx: &Context, parts: &[Part]) -> anyhow::Result<()> {
    match ctx.out.format {
        Format::Table => {}
        Format::Json => {
            let kind = match parts {
                [one] => kind_name(one.kind),
                _ => "both",
            };
            let revoked: Vec<&str> = parts
                .iter()
                .flat_map(|p| p.revoked.iter().map(String::as_str))
                .collect();
            let already_revoked = parts
                .iter()
                .flat_map(|p| p.already_revoked.iter().map(String::as_str))
                .collect();
            ctx.out.json(&RevokeJson {
                kind,
                changed: !revoked.is_empty(),
                revoked,
                already_revoked,
            })?
        }
        Format::Csv => {
            let mut w = CsvWriter::new(&ctx.out, &["kind", "id", "result"])?;
            for p in parts {
                for id in &p.revoked {
                    w.row(&[kind_name(p.kind).into(), id.clone(), "revoked".into()])?;
                }
                for id in &p.already_revoked {
                    w.row(&[
                        kind_name(p.kind).into(),
                        id.clone(),
                        "already_revoked".into(),
                    ])?;
                }
            }
            w.finish()?;
        }
    }
    Ok(())
}

/// [`print_revoked`] for a revoke of one kind.
fn print_report<I: std::fmt::Display>(
    ctx: &Context,
    kind: credentials::Kind,
    report: &RevokeReport<I>,
) -> anyhow::Result<()> {
    print_revoked(ctx, &[Part::of(kind, report)])
}

/// Table headers and JSON (= CSV) fields of [`Credential`], in its field order.
fn columns<K: Credentials>() -> Columns<'static> {
    match K::KIND {
        credentials::Kind::Session => Columns {
            table: SESSION_HEADERS,
            fields: &[
                "id",
                "user_id",
                "user_email",
                "fingerprint",
                "state",
                "created_at",
                "expires_at",
                "last_activity_at",
                "ip_address",
                "user_agent",
            ],
        },
        credentials::Kind::Token => Columns {
            table: TOKEN_HEADERS,
            fields: &[
                "id",
                "user_id",
                "user_email",
                "fingerprint",
                "state",
                "created_at",
                "expires_at",
                "revoked_at",
                "ip_address",
                "user_agent",
            ],
        },
    }
}

const SESSION_HEADERS: &[&str] = &[
    "ID",
    "USER ID",
    "USER",
    "FINGERPRINT",
    "STATE",
    "CREATED",
    "EXPIRES",
    "LAST ACTIVITY",
    "IP",
    "USER AGENT",
];

const TOKEN_HEADERS: &[&str] = &[
    "ID",
    "USER ID",
    "USER",
    "FINGERPRINT",
    "STATE",
    "CREATED",
    "EXPIRES",
    "REVOKED",
    "IP",
    "USER AGENT",
];

/// A row of table cells, matching [`headers`]; database text goes through
/// [`terminal_safe`].
fn cells<I: std::fmt::Display>(c: &Credential<I>) -> Vec<String> {
    let usage = match &c.usage {
        Usage::Token { revoked_at } => time_cell_or(revoked_at, ""),
        Usage::Session { last_activity_at } => time_cell_or(last_activity_at, ""),
    };
    vec![
        c.id.to_string(),
        c.user_id.to_string(),
        terminal_safe(&c.user_email).into_owned(),
        c.fingerprint.clone(),
        c.state.to_string(),
        time_cell_or(&c.created_at, ""),
        time_cell(&c.expires_at),
        usage,
        opt(&c.ip_address),
        c.user_agent
            .as_deref()
            .map(|ua| terminal_safe(ua).into_owned())
            .unwrap_or_default(),
    ]
}
