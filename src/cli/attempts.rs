//! `authctl attempts`: the authentication attempts the application records in
//! `auth_attempts`, and its IP rate limit (`check_rate_limit`: an IP is blocked
//! while it has at least 5 failed attempts within 15 minutes) — visible and
//! operable.
//!
//! Output (`--output json`):
//! - `list`: an array of objects `id`, `timestamp` (RFC 3339 UTC or `null`),
//!   `success`, `attempt_type`, `email`, `user_id`, `ip_address`, `user_agent`,
//!   `failure_reason`; newest first, streamed page by page with `--all`.
//! - `top`: an array of objects: the group's key (`ip_address`, `email`, or
//!   `user_id` with the user's current `email`), `failed`, the distinct
//!   counterparts (`distinct_emails` by IP, `distinct_ips` by email or user),
//!   `first_seen`, `last_seen`. By email, one group per email whatever its case
//!   (the application records emails as typed), keyed lower-cased. When more
//!   groups than `--limit` exist, the "more may follow" hint goes to stderr.
//! - `blocked`: an array of objects `ip_address`, `failed`, `first_failed_at`,
//!   `last_failed_at`, `blocked_until`.
//! - `check`: `{ip_address, allowed, failed, window_minutes, max, blocked_until}`.
//! - `clear`: `{deleted, ip_address, email, window_minutes, since}`.
//!
//! `--email` (of `list` and `clear`) matches in any case. Time windows count on
//! the application's clock: PostgreSQL's `now()`, not this machine's.
//!
//! CSV's header is the JSON field names (its rows the JSON values). In table
//! and CSV output every text from the database goes through
//! [`terminal_safe`]: emails and user agents are chosen by whoever attempts a
//! login.

use serde_json::json;

use crate::cli::Context;
use crate::db::{AttemptId, Inet, UtcDateTime};
use crate::email::{printable, terminal_safe};
use crate::error::{Answered, Error, ExitCode};
use crate::ops::attempts::{
    self as ops, AuthAttempt, BlockedIp, ClearTarget, DEFAULT_WINDOW_MINUTES, RateLimit, TopBy,
    TopRow,
};
use crate::ops::pager::Paging;
use crate::output::{Columns, CsvWriter, Format, opt, time_cell, time_cell_or};
use crate::parse::{UserRef, parse_since};

const WINDOW_HELP: &str =
    "The rate-limit window: whole minutes from 1m to 1d [default: 15m, the application's]";
const MAX_HELP: &str =
    "Failed attempts within the window that block an IP: 1 to 1000 [default: 5, the application's]";

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List authentication attempts, newest first
    List(ListArgs),
    /// Failed attempts grouped by IP, email or user, largest groups first
    #[command(long_about = TOP_ABOUT)]
    Top(TopArgs),
    /// IPs the application's rate limit blocks now, and until when
    Blocked(LimitArgs),
    /// Answer what the application's check_rate_limit answers for an IP: exit 0 allowed, 1 blocked
    Check(CheckArgs),
    /// Let an IP (or an email) back in: delete the failed attempts that count against it (asks first)
    Clear(ClearArgs),
}

const TOP_ABOUT: &str = "\
Failed attempts grouped by IP, email or user, largest groups first, with first and
last seen and distinct counterparts: an IP trying many emails is credential
stuffing; an email tried from many IPs is a targeted account.

What it scans: the failed attempts newer than --since and nothing else — one
aggregate over an index range (on PostgreSQL the application's partial index
idx_auth_attempts_rate_limit (ip_address, \"timestamp\") WHERE success = false, or
idx_auth_attempts_timestamp), never the whole table; its cost grows with the
failed attempts in the range, not with the table. It takes no locks beyond a
normal read.";

/// `--type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum AttemptType {
    Login,
    Register,
    ResetPassword,
    VerifyEmail,
}

impl AttemptType {
    fn as_str(self) -> &'static str {
        match self {
            AttemptType::Login => "login",
            AttemptType::Register => "register",
            AttemptType::ResetPassword => "reset_password",
            AttemptType::VerifyEmail => "verify_email",
        }
    }
}

/// clap value parser for attempt ids (uuids).
fn attempt_id(s: &str) -> Result<AttemptId, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("{} is not a valid attempt id (a uuid)", printable(s)))
}

/// Arguments of `attempts list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only failed attempts
    #[arg(long, conflicts_with = "succeeded")]
    pub failed: bool,

    /// Only successful attempts
    #[arg(long)]
    pub succeeded: bool,

    /// Only attempts with this email, in any case (the application records it as typed)
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    /// Only attempts from this address, or from a network (CIDR, IPv4 or IPv6: 10.0.0.0/8, 2001:db8::/32)
    #[arg(long, value_name = "ADDR|CIDR")]
    pub ip: Option<String>,

    /// Only attempts of this user (email or id)
    #[arg(long, value_name = "USER", value_parser = crate::parse::user_ref)]
    pub user: Option<UserRef>,

    /// Only attempts of this type
    #[arg(long = "type", value_name = "TYPE", value_enum)]
    pub attempt_type: Option<AttemptType>,

    /// Only attempts since this long ago (15m, 24h, 7d) or this time (RFC 3339 or a date)
    #[arg(long, value_name = "DURATION|TIME")]
    pub since: Option<String>,

    /// Only attempts before this long ago or this time
    #[arg(long, value_name = "DURATION|TIME")]
    pub until: Option<String>,

    /// Show at most this many rows
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub limit: i64,

    /// Continue after this attempt (keyset pagination: pass the last id of the previous page)
    #[arg(long, value_name = "ID", value_parser = attempt_id)]
    pub after: Option<AttemptId>,

    /// Show every matching row (streamed in pages; memory does not grow with the table)
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
}

/// `--by` of `top`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// Per IP address, with the distinct emails it tried
    Ip,
    /// Per email, with the distinct IPs it was tried from
    Email,
    /// Per known user, with the distinct IPs
    User,
}

/// Arguments of `attempts top`.
#[derive(Debug, clap::Args)]
pub struct TopArgs {
    /// Group by
    #[arg(long, value_enum, default_value_t = By::Ip)]
    pub by: By,

    /// Failed attempts since this long ago (15m, 1h, 24h) or this time
    #[arg(long, value_name = "DURATION|TIME", default_value = "1h")]
    pub since: String,

    /// Show at most this many groups
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..=10_000))]
    pub limit: i64,
}

/// The rate limit's window and limit.
#[derive(Debug, clap::Args)]
pub struct LimitArgs {
    #[arg(long, value_name = "DURATION", help = WINDOW_HELP)]
    pub window: Option<String>,

    #[arg(long, value_name = "N", help = MAX_HELP, allow_negative_numbers = true)]
    pub max: Option<i64>,
}

impl LimitArgs {
    fn limit(&self) -> Result<RateLimit, Error> {
        ops::rate_limit_flags(self.window.as_deref(), self.max)
    }
}

/// Arguments of `attempts check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The address to check (IPv4 or IPv6)
    #[arg(long, value_name = "ADDR")]
    pub ip: String,

    #[command(flatten)]
    pub limit: LimitArgs,
}

/// Arguments of `attempts clear`: exactly one of `--ip`, `--email`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["ip", "email"])))]
pub struct ClearArgs {
    /// Delete the failed attempts from this address within the window
    #[arg(long, value_name = "ADDR")]
    pub ip: Option<String>,

    /// Delete the failed attempts with this email (in any case) within the window
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    #[arg(long, value_name = "DURATION", help = WINDOW_HELP)]
    pub window: Option<String>,
}

/// Run `authctl attempts …`.
pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::List(args) => list(ctx, args),
        Command::Top(args) => top(ctx, args),
        Command::Blocked(args) => blocked(ctx, args),
        Command::Check(args) => check(ctx, args),
        Command::Clear(args) => clear(ctx, args),
    }
}

/// An address or a network (`--ip` of `list`).
fn parse_ip_or_net(s: &str) -> Result<Inet, Error> {
    s.parse::<Inet>().map_err(|_| {
        Error::usage(format!(
            "--ip {} is not an IP address or a CIDR network",
            printable(s)
        ))
    })
}

/// A single address (`--ip` of `check` and `clear`).
fn parse_host(s: &str) -> Result<Inet, Error> {
    let ip = s
        .trim()
        .parse::<std::net::IpAddr>()
        .map_err(|_| Error::usage(format!("--ip {} is not an IP address", printable(s))))?;
    Ok(Inet::host(ip))
}

/// An `--email` to match in any case (the application records it as typed):
/// trimmed, case-folded.
fn email_needle(s: &str) -> Result<String, Error> {
    if s.trim().is_empty() {
        return Err(Error::usage("--email is empty"));
    }
    Ok(ops::email_needle(s))
}

/// `--since`/`--until` as of `now`.
fn times(
    since: Option<&str>,
    until: Option<&str>,
    now: UtcDateTime,
) -> Result<(Option<UtcDateTime>, Option<UtcDateTime>), Error> {
    Ok((
        since.map(|s| parse_since(s, now)).transpose()?,
        until.map(|s| parse_since(s, now)).transpose()?,
    ))
}

fn list(ctx: &Context, args: ListArgs) -> anyhow::Result<()> {
    // Checked before connecting; "15m ago" then counts on the application's clock.
    times(
        args.since.as_deref(),
        args.until.as_deref(),
        UtcDateTime::now(),
    )?;
    let ip = args.ip.as_deref().map(parse_ip_or_net).transpose()?;
    let email = args.email.as_deref().map(email_needle).transpose()?;
    let (_, mut conn) = ctx.connect_ready_read()?;
    let query = ops::ListQuery {
        success: match (args.failed, args.succeeded) {
            (true, _) => Some(false),
            (_, true) => Some(true),
            _ => None,
        },
        email,
        ip,
        user: args.user.as_ref(),
        attempt_type: args.attempt_type.map(|t| t.as_str().to_owned()),
        since: args.since.as_deref(),
        until: args.until.as_deref(),
        after: args.after,
    };
    let paging = Paging {
        limit: args.limit,
        all: args.all,
    };
    let columns = Columns {
        table: LIST_HEADERS,
        fields: LIST_FIELDS,
    };
    let mut printer = crate::output::StreamPrinter::new(&ctx.out, columns, args.all)?;
    let more = ops::list(&mut conn, &query, paging, |page| {
        let views: Vec<AttemptView<'_>> = page.iter().map(AttemptView::from).collect();
        Ok(printer.page(&views, |v| list_cells(v.0))?)
    })?;
    printer.finish()?;
    if let Some(last) = more {
        ctx.out.more_hint("--after", last, true);
    }
    Ok(())
}

/// An attempt as JSON, fields in the documented order.
struct AttemptView<'a>(&'a AuthAttempt);

impl<'a> From<&'a AuthAttempt> for AttemptView<'a> {
    fn from(a: &'a AuthAttempt) -> Self {
        AttemptView(a)
    }
}

impl serde::Serialize for AttemptView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let a = self.0;
        let mut st = s.serialize_struct("Attempt", 9)?;
        st.serialize_field("id", &a.id)?;
        st.serialize_field("timestamp", &a.timestamp)?;
        st.serialize_field("success", &a.success)?;
        st.serialize_field("attempt_type", &a.attempt_type)?;
        st.serialize_field("email", &a.email)?;
        st.serialize_field("user_id", &a.user_id)?;
        st.serialize_field("ip_address", &a.ip_address)?;
        st.serialize_field("user_agent", &a.user_agent)?;
        st.serialize_field("failure_reason", &a.failure_reason)?;
        st.end()
    }
}

/// The JSON fields of [`AttemptView`], in order: the CSV header.
const LIST_FIELDS: &[&str] = &[
    "id",
    "timestamp",
    "success",
    "attempt_type",
    "email",
    "user_id",
    "ip_address",
    "user_agent",
    "failure_reason",
];

const LIST_HEADERS: &[&str] = &[
    "ID",
    "TIME",
    "RESULT",
    "TYPE",
    "EMAIL",
    "USER ID",
    "IP",
    "USER AGENT",
    "FAILURE REASON",
];

fn safe(v: &Option<String>) -> String {
    v.as_deref()
        .map(|s| terminal_safe(s).into_owned())
        .unwrap_or_default()
}

fn list_cells(a: &AuthAttempt) -> Vec<String> {
    vec![
        a.id.to_string(),
        time_cell_or(&a.timestamp, ""),
        if a.success { "success" } else { "FAILED" }.into(),
        safe(&a.attempt_type),
        safe(&a.email),
        opt(&a.user_id),
        a.ip_address.to_string(),
        safe(&a.user_agent),
        safe(&a.failure_reason),
    ]
}

fn top(ctx: &Context, args: TopArgs) -> anyhow::Result<()> {
    parse_since(&args.since, UtcDateTime::now())?;
    let by = match args.by {
        By::Ip => TopBy::Ip,
        By::Email => TopBy::Email,
        By::User => TopBy::User,
    };
    let (_, mut conn) = ctx.connect_ready_read()?;
    let ops::Top { since, rows, cut } = ops::top(&mut conn, by, &args.since, args.limit)?;
    let headers: &[&str] = match by {
        TopBy::Ip => &["IP", "FAILED", "EMAILS", "FIRST SEEN", "LAST SEEN"],
        TopBy::Email => &["EMAIL", "FAILED", "IPS", "FIRST SEEN", "LAST SEEN"],
        TopBy::User => &[
            "USER ID",
            "EMAIL",
            "FAILED",
            "IPS",
            "FIRST SEEN",
            "LAST SEEN",
        ],
    };
    let views: Vec<TopView<'_>> = rows.iter().map(|row| TopView { by, row }).collect();
    let columns = Columns {
        table: headers,
        fields: top_fields(by),
    };
    let mut printer = crate::output::StreamPrinter::new(&ctx.out, columns, false)?;
    printer.page(&views, TopView::cells)?;
    printer.finish()?;
    if ctx.out.format == Format::Table {
        ctx.out
            .note(format!("failed attempts since {}", time_cell(&since)));
    }
    if cut {
        ctx.out.note(top_more_hint(args.limit));
    }
    Ok(())
}

/// The hint after a `top` cut at `--limit`: the lists' "more may follow", with
/// what shows the rest (`top` has no pages to continue).
fn top_more_hint(limit: i64) -> String {
    format!(
        "more may follow: only the largest {limit} group{} shown; a larger --limit (up to 10000) shows more",
        if limit == 1 { " is" } else { "s are" }
    )
}

/// The JSON fields of a `top` group, in order: the CSV header.
fn top_fields(by: TopBy) -> &'static [&'static str] {
    match by {
        TopBy::Ip => &[
            "ip_address",
            "failed",
            "distinct_emails",
            "first_seen",
            "last_seen",
        ],
        TopBy::Email => &["email", "failed", "distinct_ips", "first_seen", "last_seen"],
        TopBy::User => &[
            "user_id",
            "email",
            "failed",
            "distinct_ips",
            "first_seen",
            "last_seen",
        ],
    }
}

/// A `top` group as JSON: the fields of [`top_fields`], in that order.
struct TopView<'a> {
    by: TopBy,
    row: &'a TopRow,
}

impl TopView<'_> {
    /// Table cells, escaped.
    fn cells(&self) -> Vec<String> {
        let r = self.row;
        let mut v = vec![terminal_safe(&r.key).into_owned()];
        if self.by == TopBy::User {
            v.push(safe(&r.user_email));
        }
        v.extend([
            r.failed.to_string(),
            r.distinct.to_string(),
            time_cell(&r.first_seen),
            time_cell(&r.last_seen),
        ]);
        v
    }
}

impl serde::Serialize for TopView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let r = self.row;
        let fields = top_fields(self.by);
        let mut m = s.serialize_map(Some(fields.len()))?;
        for f in fields {
            match *f {
                "ip_address" | "user_id" => m.serialize_entry(f, &r.key)?,
                "email" if self.by == TopBy::Email => m.serialize_entry(f, &r.key)?,
                "email" => m.serialize_entry(f, &r.user_email)?,
                "failed" => m.serialize_entry(f, &r.failed)?,
                "distinct_emails" | "distinct_ips" => m.serialize_entry(f, &r.distinct)?,
                "first_seen" => m.serialize_entry(f, &r.first_seen)?,
                _ => m.serialize_entry(f, &r.last_seen)?,
            }
        }
        m.end()
    }
}

fn describe(limit: RateLimit) -> String {
    format!(
        "{} failed attempts within {} min",
        limit.max,
        limit.window.num_minutes()
    )
}

fn blocked(ctx: &Context, args: LimitArgs) -> anyhow::Result<()> {
    let limit = args.limit()?;
    let (_, mut conn) = ctx.connect_ready_read()?;
    let (now, ips) = ops::blocked(&mut conn, limit)?;
    let columns = Columns {
        table: &[
            "IP",
            "FAILED",
            "FIRST FAILED",
            "LAST FAILED",
            "BLOCKED UNTIL",
        ],
        fields: &[
            "ip_address",
            "failed",
            "first_failed_at",
            "last_failed_at",
            "blocked_until",
        ],
    };
    let mut printer = crate::output::StreamPrinter::new(&ctx.out, columns, false)?;
    printer.page(&ips, blocked_cells)?;
    printer.finish()?;
    if ctx.out.format == Format::Table {
        ctx.out.note(format!(
            "{} blocked at {} (rule: {})",
            match ips.len() {
                1 => "1 IP".to_owned(),
                n => format!("{n} IPs"),
            },
            time_cell(&now),
            describe(limit)
        ));
    }
    Ok(())
}

fn blocked_cells(b: &BlockedIp) -> Vec<String> {
    vec![
        b.ip_address.to_string(),
        b.failed.to_string(),
        time_cell(&b.first_failed_at),
        time_cell(&b.last_failed_at),
        time_cell(&b.blocked_until),
    ]
}

fn check(ctx: &Context, args: CheckArgs) -> anyhow::Result<()> {
    let ip = parse_host(&args.ip)?;
    let limit = args.limit.limit()?;
    let (_, mut conn) = ctx.connect_ready_read()?;
    let status = ops::status(&mut conn, ip, limit)?;
    let blocked_until = status.blocked.as_ref().map(|b| b.blocked_until);
    let json = json!({
        "ip_address": ip,
        "allowed": blocked_until.is_none(),
        "failed": status.failed,
        "window_minutes": limit.window.num_minutes(),
        "max": limit.max,
        "blocked_until": blocked_until,
    });
    let counted = format!(
        "{} failed attempt{} within {} min, limit {}",
        status.failed,
        if status.failed == 1 { "" } else { "s" },
        limit.window.num_minutes(),
        limit.max
    );
    match ctx.out.format {
        Format::Json => ctx.out.json(&json)?,
        Format::Csv => {
            let fields = [
                "ip_address",
                "allowed",
                "failed",
                "window_minutes",
                "max",
                "blocked_until",
            ];
            let mut w = CsvWriter::new(&ctx.out, &fields)?;
            w.row(&crate::output::csv_cells(&fields, &json)?)?;
            w.finish()?;
        }
        Format::Table => match blocked_until {
            None => ctx.out.line(format!("allowed: {ip} ({counted})"))?,
            Some(t) => ctx
                .out
                .line(format!("blocked until {}: {ip} ({counted})", time_cell(&t)))?,
        },
    }
    // The answer is on stdout (and in the exit code), once: nothing on stderr.
    match blocked_until {
        None => Ok(()),
        Some(_) => Err(Answered(ExitCode::CheckFailed).into()),
    }
}

fn clear(ctx: &Context, args: ClearArgs) -> anyhow::Result<()> {
    let target = match (&args.ip, &args.email) {
        (Some(ip), _) => ClearTarget::Ip(parse_host(ip)?),
        (None, Some(email)) => ClearTarget::Email(email_needle(email)?),
        (None, None) => unreachable!("clap requires --ip or --email"),
    };
    let limit = ops::rate_limit_flags(args.window.as_deref(), None)?;
    let minutes = limit.window.num_minutes();
    let shown = match &target {
        ClearTarget::Ip(ip) => format!("IP {ip}"),
        ClearTarget::Email(e) => format!("email {}", terminal_safe(e)),
    };
    let (config, mut conn) = ctx.connect_ready()?;
    let pending = ops::count_clearable(&mut conn, &target, limit.window)?;
    if pending == 0 {
        ctx.out.note(format!(
            "{shown} has no failed attempts within the last {minutes} min: nothing to clear"
        ));
    } else {
        ctx.confirm(&format!(
            "Delete {pending} failed attempt{} of {shown} from the last {minutes} min on {}?",
            if pending == 1 { "" } else { "s" },
            config.database.value.redacted()
        ))?;
    }
    let actor = ctx.actor()?;
    let cleared = if pending == 0 {
        None
    } else {
        Some(ops::clear(&mut conn, &target, limit.window, &actor)?)
    };
    let deleted = cleared.as_ref().map_or(0, |c| c.deleted);
    if cleared.is_some() {
        let what = format!(
            "deleted {deleted} failed attempt{} of {shown} from the last {minutes} min",
            if deleted == 1 { "" } else { "s" }
        );
        ctx.committed(what.clone());
        ctx.out.line(what)?;
    }
    if let ClearTarget::Ip(ip) = target {
        let default = ops::status(&mut conn, ip, RateLimit::default())?;
        match &default.blocked {
            None => ctx.out.note(format!("{ip} is allowed now")),
            Some(b) => ctx.out.note(format!(
                "{ip} is still blocked until {} ({} failed attempts within {} min)",
                time_cell(&b.blocked_until),
                b.failed,
                DEFAULT_WINDOW_MINUTES
            )),
        }
    }
    let json = match &cleared {
        Some(c) => serde_json::to_value(c)?,
        None => json!({
            "deleted": 0,
            "ip_address": match &target { ClearTarget::Ip(ip) => Some(ip.to_string()), _ => None },
            "email": match &target { ClearTarget::Email(e) => Some(e.clone()), _ => None },
            "window_minutes": minutes,
            "since": null,
        }),
    };
    match ctx.out.format {
        Format::Json => ctx.out.json(&json)?,
        Format::Csv => {
            let fields = ["deleted", "ip_address", "email", "window_minutes", "since"];
            let mut w = CsvWriter::new(&ctx.out, &fields)?;
            w.row(&crate::output::csv_cells(&fields, &json)?)?;
            w.finish()?;
        }
        Format::Table => {}
    }
    Ok(())
}
