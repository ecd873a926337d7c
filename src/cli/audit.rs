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
use crate::output::{Columns, StreamPrinter};
use crate::parse::{UserRef, parse_since};
use crate::repo::audit_events::{self, AuditAction, AuditEvent, AuditFilter};

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
    pub action: Option<AuditAction>,

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
    let (_, mut conn) = ctx.connect_ready()?;
    // One short read transaction (guarded, with a statement timeout) for the
    // lookup and the page; printing happens after it ends.
    let events = conn.read(|conn| -> anyhow::Result<Vec<AuditEvent>> {
        let (user_id, user_email, email_of_deleted_only) = match args.user {
            // An id matches the events written with it. A deleted user's events lost
            // the id (`ON DELETE SET NULL`): its `user.delete` event names the email
            // it had, and the events recorded with that email and no user are its.
            Some(UserRef::Id(id)) => {
                let deleted = match crate::repo::users::find(conn, id)? {
                    Some(_) => None,
                    None => audit_events::email_of_deleted_user(conn, id)?,
                };
                let only_deleted = deleted.is_some();
                (Some(id), deleted, only_deleted)
            }
            // An email matches the events recorded with it — a deleted user's too —
            // and every event of the user who has it now (also from before an email
            // change).
            Some(UserRef::Email(email)) => {
                let current = crate::repo::users::find_by_email(conn, &email)?;
                (current.map(|u| u.id), Some(email), false)
            }
            None => (None, None, false),
        };
        let filter = AuditFilter {
            user_id,
            user_email,
            action: args.action.map(|a| a.as_str().to_owned()),
            since,
            before_id: args.before,
            email_of_deleted_only,
            limit: args.limit,
        };
        Ok(audit_events::list(conn, &filter)?)
    })?;
    let columns = Columns {
        table: &["ID", "TIME", "ACTOR", "ACTION", "USER", "DETAIL"],
        fields: FIELDS,
    };
    let mut printer = StreamPrinter::new(&ctx.out, columns, false)?;
    printer.page(&events, cells)?;
    printer.finish()?;
    let full = events.len() as i64 == args.limit;
    if let Some(last) = events.last().filter(|_| full) {
        ctx.out.more_hint("--before", last.id, false);
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
        e.occurred_at.to_string(),
        terminal_safe(&e.actor).into_owned(),
        terminal_safe(&e.action).into_owned(),
        user,
        e.detail
            .as_deref()
            .map(|d| terminal_safe(d).into_owned())
            .unwrap_or_default(),
    ]
}
