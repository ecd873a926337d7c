//! `authctl audit list`: read the audit trail, newest first.
//!
//! Output (`--output json`): an array of objects `id`, `occurred_at` (RFC 3339 UTC),
//! `actor`, `action`, `user_id` (`null` once the user is deleted), `detail` (the
//! event's JSON object), `ip_address`, `user_email` (`null` when the event names no
//! user or the user no longer exists).

use crate::cli::Context;
use crate::db::UtcDateTime;
use crate::ops::resolve_user;
use crate::output::{Format, opt};
use crate::parse::{UserRef, parse_since};
use crate::repo::audit_events::{self, AuditFilter, EventWithEmail};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List audit events, newest first
    List(ListArgs),
}

/// Arguments of `audit list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only events about this user: the email of an existing user, or a user id
    #[arg(long, value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: Option<UserRef>,

    /// Only events with this action (e.g. session.revoke, token.revoke)
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,

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
    let user_id = match &args.user {
        // An id needs no user: events of a deleted one keep the id they were written with.
        Some(UserRef::Id(id)) => Some(*id),
        Some(email) => Some(resolve_user(&mut conn, email)?.id),
        None => None,
    };
    let filter = AuditFilter {
        user_id,
        action: args.action,
        since,
        before_id: args.before,
        limit: args.limit,
    };
    let events = audit_events::list_with_emails(&mut conn, &filter)?;
    let rows: Vec<Vec<String>> = events.iter().map(cells).collect();
    ctx.out.records(
        &["ID", "TIME", "ACTOR", "ACTION", "USER", "DETAIL"],
        &rows,
        &events,
    )?;
    let full = events.len() as i64 == args.limit;
    if let Some(last) = events
        .last()
        .filter(|_| full && ctx.out.format == Format::Table)
    {
        ctx.out.note(format!(
            "more may follow: --before {} for the next page",
            last.event.id
        ));
    }
    Ok(())
}

/// Table and CSV cells; the user is shown by email while it exists, else by id.
fn cells(e: &EventWithEmail) -> Vec<String> {
    let user = match (&e.user_email, e.event.user_id) {
        (Some(email), _) => email.clone(),
        (None, Some(id)) => id.to_string(),
        (None, None) => "-".into(),
    };
    vec![
        e.event.id.to_string(),
        e.event.occurred_at.to_string(),
        e.event.actor.clone(),
        e.event.action.clone(),
        user,
        opt(&e.event.detail),
    ]
}
