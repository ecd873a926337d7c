//! `authctl sessions`: list and revoke login sessions.
//!
//! `authctl tokens` is the same command over refresh tokens; both are the
//! [`ListArgs`]/[`RevokeArgs`] and [`list`]/[`revoke`] here, parameterized by
//! [`Kind`].
//!
//! Output (`--output json`):
//! - `list`: an array of objects `id`, `user_id`, `user_email`, `hash_prefix`,
//!   `state` (`active`|`expired`|`revoked`), `created_at`, then `last_activity_at`
//!   (sessions) or `last_used_at` and `replaced_by_id` (tokens), `expires_at`,
//!   `revoked_at`, `revoked_reason`, `ip_address`, `user_agent`; times RFC 3339 UTC,
//!   absent values `null`. With `--all` the array is streamed page by page.
//! - `revoke`: `{"revoked": [ids], "already_revoked": [ids]}`.

use std::io::{self, Write};

use crate::cli::Context;
use crate::cli::common::PageArgs;
use crate::db::UtcDateTime;
use crate::ops::credentials::{
    self, Credential, Kind, ListFilter, Revocation, RevokeReport, Scope, Usage,
};
use crate::ops::resolve_user;
use crate::output::{CsvWriter, Format, opt};
use crate::parse::UserRef;
use crate::repo::CredentialState;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List login sessions in id order (active ones unless --state says otherwise)
    List(ListArgs),
    /// Revoke login sessions: by id, every active one of a user, or every active one
    Revoke(RevokeArgs),
}

/// Run `authctl sessions …`.
pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::List(args) => list(ctx, Kind::Session, args),
        Command::Revoke(args) => revoke(ctx, Kind::Session, args),
    }
}

/// Rows fetched per query by `list --all`.
const STREAM_PAGE: i64 = 500;

/// `--state` of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StateFilter {
    /// Neither revoked nor expired
    Active,
    /// Past its expiry and never revoked
    Expired,
    /// Revoked (whether or not it has expired since)
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

/// Arguments of `sessions list` and `tokens list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only those of this user (email or id)
    #[arg(long, value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: Option<UserRef>,

    /// Which states to show
    #[arg(long, value_enum, default_value_t = StateFilter::Active)]
    pub state: StateFilter,

    #[command(flatten)]
    pub page: PageArgs,
}

/// Arguments of `sessions revoke` and `tokens revoke`: exactly one of ids,
/// `--user` or `--all`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["ids", "user", "all"])))]
pub struct RevokeArgs {
    /// Ids to revoke (all must exist; one already revoked is reported, not an error)
    #[arg(value_name = "ID", value_parser = crate::parse::id, allow_negative_numbers = true)]
    pub ids: Vec<i64>,

    /// Revoke every active one of this user (email or id)
    #[arg(long, value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: Option<UserRef>,

    /// Revoke every active one of every user (asks first; --yes without a terminal)
    #[arg(long)]
    pub all: bool,

    /// Why: stored with each revoked row and in the audit trail
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

/// List sessions or tokens: one page (`--limit`, `--after`) or, with `--all`, every
/// matching row fetched and printed page by page.
pub fn list(ctx: &Context, kind: Kind, args: ListArgs) -> anyhow::Result<()> {
    let (_, mut conn) = ctx.connect_ready()?;
    let user_id = match &args.user {
        Some(user) => Some(resolve_user(&mut conn, user)?.id),
        None => None,
    };
    let now = UtcDateTime::now();
    let mut filter = ListFilter {
        user_id,
        state: args.state.state(),
        after_id: args.page.after,
        limit: if args.page.all {
            STREAM_PAGE
        } else {
            args.page.limit
        },
    };
    let mut printer = Printer::new(ctx, kind)?;
    loop {
        let page = credentials::list(&mut conn, kind, &filter, now)?;
        printer.page(&page)?;
        let full = page.len() as i64 == filter.limit;
        match page.last() {
            Some(last) if full && args.page.all => filter.after_id = Some(last.id),
            Some(last) if full && ctx.out.format == Format::Table => {
                ctx.out.note(format!(
                    "more may follow: --after {} for the next page, --all for every row",
                    last.id
                ));
                break;
            }
            _ => break,
        }
    }
    printer.finish()
}

/// Revoke by ids, `--user` or `--all` (after confirmation), and report what changed.
pub fn revoke(ctx: &Context, kind: Kind, args: RevokeArgs) -> anyhow::Result<()> {
    let (config, mut conn) = ctx.connect_ready()?;
    let (scope, owner) = if let Some(user) = &args.user {
        let user = resolve_user(&mut conn, user)?;
        (Scope::User(user.id), Some(user.email))
    } else if args.all {
        let active = credentials::count_active(&mut conn, kind, UtcDateTime::now())?;
        if active == 0 {
            ctx.out
                .note(format!("no active {}: nothing to revoke", kind.plural()));
            return print_report(ctx, &RevokeReport::default());
        }
        ctx.confirm(&format!(
            "Revoke every active {} of every user on {} ({})?",
            kind.noun(),
            config.database.value.redacted(),
            kind.count(active.try_into().unwrap_or(usize::MAX))
        ))?;
        (Scope::All, None)
    } else {
        (Scope::Ids(&args.ids), None)
    };
    let actor = ctx.actor();
    // The same rules as `users disable --reason`: no control characters, bounded length.
    let reason = args
        .reason
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .map(crate::ops::users::validate_reason)
        .transpose()?;
    let report = Revocation {
        kind,
        scope,
        reason: reason.as_deref(),
        actor: &actor,
    }
    .run(&mut conn)?;
    for id in &report.already_revoked {
        ctx.out
            .note(format!("{} {id} was already revoked", kind.noun()));
    }
    let revoked = kind.count(report.revoked.len());
    match (scope, owner) {
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
    print_report(ctx, &report)
}

/// The machine-readable result of a revoke (JSON or CSV; table output is lines).
fn print_report(ctx: &Context, report: &RevokeReport) -> anyhow::Result<()> {
    match ctx.out.format {
        Format::Table => {}
        Format::Json => ctx.out.json(report)?,
        Format::Csv => {
            let mut w = CsvWriter::new(&["ID", "RESULT"])?;
            for id in &report.revoked {
                w.row(&[id.to_string(), "revoked".into()])?;
            }
            for id in &report.already_revoked {
                w.row(&[id.to_string(), "already_revoked".into()])?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

/// Table and CSV columns.
fn headers(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Session => &[
            "ID",
            "USER",
            "HASH PREFIX",
            "CREATED",
            "LAST ACTIVITY",
            "EXPIRES",
            "IP",
            "USER AGENT",
            "STATE",
        ],
        Kind::Token => &[
            "ID",
            "USER",
            "HASH PREFIX",
            "CREATED",
            "LAST USED",
            "EXPIRES",
            "IP",
            "USER AGENT",
            "STATE",
            "REPLACED BY",
        ],
    }
}

/// A row of table or CSV cells, matching [`headers`].
fn cells(c: &Credential) -> Vec<String> {
    let mut row = vec![
        c.id.to_string(),
        c.user_email.clone(),
        c.hash_prefix.clone(),
        c.created_at.to_string(),
    ];
    match &c.usage {
        Usage::Session { last_activity_at } => row.push(last_activity_at.to_string()),
        Usage::Token { last_used_at, .. } => row.push(opt(last_used_at)),
    }
    row.extend([
        c.expires_at.to_string(),
        opt(&c.ip_address),
        opt(&c.user_agent),
        c.state.to_string(),
    ]);
    if let Usage::Token { replaced_by_id, .. } = &c.usage {
        row.push(opt(replaced_by_id));
    }
    row
}

/// Prints a listing as it is fetched: a table per page, or one CSV document, or one
/// JSON array — so `--all` needs memory for one page only.
struct Printer<'a> {
    ctx: &'a Context,
    headers: &'static [&'static str],
    csv: Option<CsvWriter>,
    rows: usize,
}

impl<'a> Printer<'a> {
    fn new(ctx: &'a Context, kind: Kind) -> io::Result<Self> {
        let headers = headers(kind);
        let csv = match ctx.out.format {
            Format::Csv => Some(CsvWriter::new(headers)?),
            _ => None,
        };
        Ok(Printer {
            ctx,
            headers,
            csv,
            rows: 0,
        })
    }

    fn page(&mut self, page: &[Credential]) -> io::Result<()> {
        if page.is_empty() {
            return Ok(());
        }
        match self.ctx.out.format {
            Format::Csv => {
                if let Some(w) = &mut self.csv {
                    for c in page {
                        w.row(&cells(c))?;
                    }
                }
            }
            Format::Json => {
                let mut out = io::stdout().lock();
                for (i, c) in page.iter().enumerate() {
                    let sep = if self.rows + i == 0 { "[" } else { "," };
                    let text = serde_json::to_string_pretty(c).map_err(io::Error::other)?;
                    write!(out, "{sep}\n  {}", text.replace('\n', "\n  "))?;
                }
                out.flush()?;
            }
            Format::Table if !self.ctx.out.quiet => {
                let rows: Vec<Vec<String>> = page.iter().map(cells).collect();
                writeln!(
                    io::stdout().lock(),
                    "{}",
                    self.ctx.out.table(self.headers, &rows)
                )?;
            }
            Format::Table => {}
        }
        self.rows += page.len();
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        match self.ctx.out.format {
            Format::Csv => {
                if let Some(w) = self.csv {
                    w.finish()?;
                }
            }
            Format::Json if self.rows == 0 => writeln!(io::stdout().lock(), "[]")?,
            Format::Json => writeln!(io::stdout().lock(), "\n]")?,
            Format::Table if self.rows == 0 && !self.ctx.out.quiet => {
                writeln!(io::stdout().lock(), "(none)")?
            }
            Format::Table => {}
        }
        Ok(())
    }
}
