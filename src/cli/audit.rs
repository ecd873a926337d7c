//! `authctl audit list`: read the audit trail, newest first.
//!
//! Output (`--output json`): an array of objects `id`, `occurred_at` (RFC 3339 UTC),
//! `actor`, `action`, `user_id` (uuid; `null` once the user is deleted),
//! `user_email` (the user's email when the event was recorded; kept after a
//! delete), `detail` (the event's JSON object). CSV has the same fields (the
//! detail as compact JSON). Tables and CSV escape control characters of stored
//! values.

use crate::cli::Context;
use crate::db::UtcDateTime;
use crate::email::terminal_safe;
use crate::ops::audit::{self as ops, AuditAction, AuditEvent};
use crate::output::{Columns, StreamPrinter};
use crate::parse::{UserRef, parse_since};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List audit events, newest first
    List(ListArgs),
}

/// Arguments of `audit list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only events about this user: an email address (also finds the history of a
    /// deleted user, and of an existing user under that address) or a user id (uuid)
    #[arg(long, value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: Option<UserRef>,

    /// Only events with this action
    #[arg(long, value_name = "ACTION", value_enum)]
    pub action: Option<AuditActionArg>,

    /// Only events since this long ago (15m, 24h, 7d) or this time (RFC 3339 or a date)
    #[arg(long, value_name = "DURATION|TIME")]
    pub since: Option<String>,

    /// Show at most this many events
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub limit: i64,

    /// Show events older than this id (keyset pagination: the last id of the previous page)
    #[arg(long, value_name = "ID", value_parser = crate::parse::id)]
    pub before: Option<i64>,
}

/// `--action`: every action authctl records, spelled as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditActionArg {
    #[value(name = "user.create")]
    UserCreate,
    #[value(name = "user.update")]
    UserUpdate,
    #[value(name = "user.disable")]
    UserDisable,
    #[value(name = "user.enable")]
    UserEnable,
    #[value(name = "user.reset_password")]
    UserResetPassword,
    #[value(name = "user.delete")]
    UserDelete,
    #[value(name = "session.revoke")]
    SessionRevoke,
    #[value(name = "token.revoke")]
    TokenRevoke,
    #[value(name = "audit.purge")]
    AuditPurge,
    #[value(name = "attempts.clear")]
    AttemptsClear,
    #[value(name = "data.import")]
    DataImport,
}

impl AuditActionArg {
    /// The domain action.
    pub fn action(self) -> AuditAction {
        match self {
            AuditActionArg::UserCreate => AuditAction::UserCreate,
            AuditActionArg::UserUpdate => AuditAction::UserUpdate,
            AuditActionArg::UserDisable => AuditAction::UserDisable,
            AuditActionArg::UserEnable => AuditAction::UserEnable,
            AuditActionArg::UserResetPassword => AuditAction::UserResetPassword,
            AuditActionArg::UserDelete => AuditAction::UserDelete,
            AuditActionArg::SessionRevoke => AuditAction::SessionRevoke,
            AuditActionArg::TokenRevoke => AuditAction::TokenRevoke,
            AuditActionArg::AuditPurge => AuditAction::AuditPurge,
            AuditActionArg::AttemptsClear => AuditAction::AttemptsClear,
            AuditActionArg::DataImport => AuditAction::DataImport,
        }
    }
}

/// Run `authctl audit …`.
pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::List(args) => list(ctx, args),
    }
}

fn list(ctx: &Context, args: ListArgs) -> anyhow::Result<()> {
    let since = args
        .since
        .as_deref()
        .map(|s| parse_since(s, UtcDateTime::now()))
        .transpose()?;
    let (_, mut conn) = ctx.connect_ready_read()?;
    let query = ops::ListQuery {
        user: args.user.as_ref(),
        action: args.action.map(AuditActionArg::action),
        since,
        before: args.before,
    };
    let columns = Columns {
        table: &["ID", "TIME", "ACTOR", "ACTION", "USER", "DETAIL"],
        fields: FIELDS,
    };
    let mut printer = StreamPrinter::new(&ctx.out, columns, false)?;
    let more = ops::list(&mut conn, &query, args.limit, |page| {
        Ok(printer.page(page, cells)?)
    })?;
    printer.finish()?;
    if let Some(last) = more {
        ctx.out.more_hint("--before", last, false);
    }
    Ok(())
}

/// The JSON fields of an [`AuditEvent`], in order: the CSV header.
const FIELDS: &[&str] = &[
    "id",
    "occurred_at",
    "actor",
    "action",
    "user_id",
    "user_email",
    "detail",
];

/// Table cells, escaped; the user is shown by the email recorded with the
/// event, else by id.
fn cells(e: &AuditEvent) -> Vec<String> {
    let user = match (&e.user_email, e.user_id) {
        (Some(email), _) => terminal_safe(email).into_owned(),
        (None, Some(id)) => id.to_string(),
        (None, None) => "-".into(),
    };
    vec![
        e.id.to_string(),
        crate::output::time_cell(&e.occurred_at),
        terminal_safe(&e.actor).into_owned(),
        terminal_safe(&e.action).into_owned(),
        user,
        e.detail
            .as_deref()
            .map(|d| terminal_safe(d).into_owned())
            .unwrap_or_default(),
    ]
}
