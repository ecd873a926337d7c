//! PostgreSQL-only code: connecting, per-transaction settings, advisory locks and
//! the purge's raw statements. URLs live in [`url`], libpq's own parser in
//! [`conninfo`], the settings libpq will use (password source, TLS) in [`settings`].
//!
//! Everything here works the same directly, behind PgBouncer in session mode and
//! behind PgBouncer in **transaction** mode, where consecutive transactions of one
//! client may run on different server connections. So authctl relies on no state in
//! the server session: no named prepared statements (Diesel's statement cache is
//! off: every query is one unnamed `Parse/Bind/Execute` round trip), no `SET` of
//! its own outside a transaction (only `SET LOCAL`), no session advisory locks (only
//! transaction-scoped ones, held by a transaction that stays open for the whole
//! unit of work — see [`crate::db::lock`]).
//!
//! The one session state is Diesel's: `PgConnection::establish` runs
//! `SET TIME ZONE 'UTC'` and `SET CLIENT_ENCODING TO 'UTF8'` on connecting. Both are
//! parameters PgBouncer tracks per client (`TimeZone`, `client_encoding`): it sets
//! them on whichever server connection a client's transaction gets and restores
//! each other client's own values, so they do not leak to other clients of the
//! pool (a test checks this), and authctl's times travel as binary `timestamptz`
//! whatever the zone.

pub mod connections;
pub mod conninfo;
pub mod replication;
pub mod settings;
pub mod url;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::{CacheSize, SimpleConnection};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text};

use crate::db::target::PgUrl;
use crate::db::{UtcDateTime, UtcTimestamp};
use crate::error::Error;

/// The time zone the database's own sessions start in (`ALTER DATABASE … SET
/// timezone`, the role's, or the server's `timezone`), as SQL: the zone the
/// application's sessions use, whatever authctl's session is set to (Diesel sets
/// it to UTC). `reset_val` is the value a session started with, before any `SET`.
pub const DATABASE_TIME_ZONE: &str =
    "(SELECT reset_val FROM pg_catalog.pg_settings WHERE name = 'TimeZone')";

/// A ledger time column as UTC text (`YYYY-MM-DD HH:MM:SS.ffffff`): a `timestamp
/// without time zone` (the application's `schema_migrations.executed_at`, written
/// by `DEFAULT NOW()` as local time in the writer's zone) is read in the
/// database's zone ([`DATABASE_TIME_ZONE`]); a `timestamptz` (a ledger built by
/// hand) is an instant already. `column` is a column name from authctl's code.
pub fn ledger_time_as_utc_text(column: &str) -> String {
    format!(
        "to_char(CASE WHEN pg_typeof({column}) = 'timestamp without time zone'::regtype \
         THEN CAST(CAST({column} AS text) AS timestamp) AT TIME ZONE {DATABASE_TIME_ZONE} \
         ELSE CAST(CAST({column} AS text) AS timestamptz) END AT TIME ZONE 'UTC', \
         'YYYY-MM-DD HH24:MI:SS.US')"
    )
}

/// Connect with a bounded connect timeout, without a prepared-statement cache (named
/// statements would outlive the transaction behind a transaction-pooling PgBouncer:
/// `prepared statement "__diesel_stmt_1" already exists`). Times travel in binary
/// `timestamptz`, so nothing depends on the session time zone (Diesel sets it to
/// UTC and the client encoding to UTF8 at connect; see the module docs).
pub fn connect(url: &PgUrl, connect_timeout: Duration) -> anyhow::Result<PgConnection> {
    connect_as(url, connect_timeout, PoolerRole::Work)
}

/// [`connect`] for a connection in `role` (named in a pooler error's hint).
pub fn connect_as(
    url: &PgUrl,
    connect_timeout: Duration,
    role: PoolerRole,
) -> anyhow::Result<PgConnection> {
    let secs = connect_timeout.as_secs_f64().ceil() as u64;
    let mut conn = PgConnection::establish(&url.with_defaults(secs)).map_err(|e| {
        let cause = match &e {
            diesel::ConnectionError::BadConnection(m) => m.trim().replace('\n', " "),
            other => other.to_string(),
        };
        let cause = crate::db::DatabaseTarget::Postgres(url.clone()).scrub(&cause);
        let hint = pooler_hint(&cause, role)
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        Error::unavailable(format!(
            "cannot connect to PostgreSQL at {} (database {:?}, user {:?}; {}): {cause}{hint}",
            url.endpoints(),
            url.database(),
            url.user(),
            url.redacted(),
        ))
    })?;
    conn.set_prepared_statement_cache_size(CacheSize::Disabled);
    Ok(conn)
}

/// What a server answered about its role, right after connecting.
#[derive(Debug, Clone, QueryableByName)]
pub struct ServerRole {
    /// `pg_is_in_recovery()`: a standby (streaming or replaying WAL), read-only.
    #[diesel(sql_type = Bool)]
    pub in_recovery: bool,
    /// The server as `address:port` (`a Unix socket` when there is no address) —
    /// the one host of a multi-host URL that libpq chose.
    #[diesel(sql_type = Text)]
    pub server: String,
}

/// Ask the server whether it is a standby (one statement, no transaction: it works
/// the same on a primary, a standby and behind PgBouncer).
pub fn server_role(conn: &mut PgConnection) -> QueryResult<ServerRole> {
    diesel::sql_query(
        "SELECT pg_is_in_recovery() AS in_recovery, \
                coalesce(host(inet_server_addr()), 'a Unix socket') || ':' || \
                coalesce(inet_server_port()::text, current_setting('port')) AS server",
    )
    .get_result(conn)
    .map_err(explain_pooler_error)
}

/// How to reach the primary instead of a standby, for a refused write.
pub const PRIMARY_HINT: &str = "run it against the primary: list every host of the cluster in the \
     URL and add target_session_attrs=read-write (postgres://USER@HOST1:PORT1,HOST2:PORT2/DB?\
     target_session_attrs=read-write: libpq then connects to whichever is the primary), or \
     name the primary's host";

/// The refusal of a write command on a standby: "temporary, try elsewhere" (75).
pub fn standby_refusal(role: &ServerRole) -> Error {
    Error::busy(format!(
        "the PostgreSQL server at {} is a standby (in recovery, read-only) and this command \
         changes data; nothing was changed — {PRIMARY_HINT}",
        role.server
    ))
}

/// A write the server refused as read-only (SQLSTATE 25006,
/// `read_only_sql_transaction`).
pub fn is_read_only_refusal(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ReadOnlyTransaction,
            _
        )
    )
}

/// What to add to a read-only refusal (asked after the rollback, on the same
/// connection): the server is a standby, or read-only by its settings
/// (`default_transaction_read_only`), and where to write instead.
pub fn read_only_note(conn: &mut PgConnection) -> String {
    match server_role(conn) {
        Ok(role) if role.in_recovery => format!(
            "the PostgreSQL server at {} is a standby (in recovery, read-only); nothing was \
             changed by this transaction — {PRIMARY_HINT}",
            role.server
        ),
        Ok(role) => format!(
            "the PostgreSQL server at {} accepts no writes (default_transaction_read_only, \
             or it became a standby); nothing was changed by this transaction — {PRIMARY_HINT}",
            role.server
        ),
        Err(_) => format!(
            "the server accepts no writes (a standby?); nothing was changed by this \
             transaction — {PRIMARY_HINT}"
        ),
    }
}

/// Run at the start of every transaction authctl opens: a server backend whose
/// client went away (authctl killed, or PgBouncer dropping the link) notices within
/// a second even in the middle of a long statement (PostgreSQL 14+
/// `client_connection_check_interval`; older servers skip it).
pub const TRANSACTION_GUARD: &str = "SELECT CASE WHEN current_setting('server_version_num')::int >= 140000 \
     THEN set_config('client_connection_check_interval', '1000', true) END";

/// [`TRANSACTION_GUARD`] for the current transaction.
pub fn guard_transaction(conn: &mut PgConnection) -> QueryResult<()> {
    conn.batch_execute(TRANSACTION_GUARD)
}

/// [`TRANSACTION_GUARD`] plus a statement timeout of at most `limit`, for a read
/// transaction (a stricter `statement_timeout` already in force is kept).
pub fn guard_read(conn: &mut PgConnection, limit: Duration) -> QueryResult<()> {
    let ms = limit.as_millis().max(1);
    conn.batch_execute(&format!(
        "{TRANSACTION_GUARD}; \
         SELECT set_config('statement_timeout', '{ms}', true) FROM pg_settings \
         WHERE name = 'statement_timeout' AND (setting::bigint = 0 OR setting::bigint > {ms})"
    ))
}

/// A statement the server cancelled for running past `statement_timeout` (its
/// English message: diesel does not expose SQLSTATE 57014).
pub fn is_statement_timeout(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(_, info)
        if info.message().contains("statement timeout"))
}

/// Where the `statement_timeout` that cancelled a statement came from, and how to
/// change it — asked after the transaction was rolled back, so `pg_settings`
/// shows the value in force outside authctl's `SET LOCAL`s. `own` is the limit
/// authctl set for the transaction (a stricter one already in force is kept): the
/// server's value counts when it is at most that. `None` when that cannot be told.
pub fn statement_timeout_note(conn: &mut PgConnection, own: Option<Duration>) -> Option<String> {
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = BigInt)]
        ms: i64,
        #[diesel(sql_type = Text)]
        source: String,
        #[diesel(sql_type = Text)]
        role: String,
        #[diesel(sql_type = Text)]
        db: String,
    }
    let s: Setting = diesel::sql_query(
        "SELECT setting::bigint AS ms, source, current_user::text AS role, \
         current_database()::text AS db FROM pg_settings WHERE name = 'statement_timeout'",
    )
    .get_result(conn)
    .ok()?;
    let show = |ms: u128| humantime::format_duration(Duration::from_millis(ms as u64)).to_string();
    let server = u128::try_from(s.ms).unwrap_or(0);
    match own.map(|d| d.as_millis()) {
        Some(own) if server == 0 || server > own => {
            return Some(format!(
                "authctl's own statement timeout of {} for this transaction — not the server's \
                 ({}); retry, or run it when the database is less busy",
                show(own),
                if server == 0 {
                    "none".to_owned()
                } else {
                    show(server)
                },
            ));
        }
        None if server == 0 => return None,
        _ => {}
    }
    let (role, db) = (quote_ident(&s.role), quote_ident(&s.db));
    let from = match s.source.as_str() {
        "user" => format!(
            "set for role {role} (`ALTER ROLE {role} SET statement_timeout = '…'` changes it, \
             `ALTER ROLE {role} RESET statement_timeout` removes it)"
        ),
        "database" => format!(
            "set for database {db} (`ALTER DATABASE {db} SET statement_timeout = '…'` changes it)"
        ),
        "database user" => format!(
            "set for role {role} in database {db} (`ALTER ROLE {role} IN DATABASE {db} SET \
             statement_timeout = '…'` changes it)"
        ),
        "configuration file" => "set in the server's configuration (postgresql.conf or ALTER \
             SYSTEM; `ALTER ROLE … SET statement_timeout` overrides it for authctl's role)"
            .to_owned(),
        "client" => "set by this connection's options (PGOPTIONS or the URL's \
             `options=-c statement_timeout=…`)"
            .to_owned(),
        other => format!("from the server setting's source `{other}`"),
    };
    Some(format!(
        "the statement_timeout in force was {}, {from} — not authctl's own",
        show(server)
    ))
}

/// `name` as an SQL identifier (quoted when it needs to be).
fn quote_ident(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
    {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// How many authctl lock connections this process holds (see [`crate::db::lock`]);
/// a run holding one needs a second server connection for its work.
static LOCK_CONNECTIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Count a lock connection opened (`true`) or closed (`false`).
pub(crate) fn note_lock_connection(open: bool) {
    if open {
        LOCK_CONNECTIONS.fetch_add(1, Ordering::Relaxed);
    } else {
        LOCK_CONNECTIONS.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Which of a run's connections met a pooler error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolerRole {
    /// The connection doing the work (while this process may hold a lock connection).
    Work,
    /// The dedicated connection that takes and holds an operation lock.
    Lock,
}

/// The explanation to add to a pooler error `message`: PgBouncer's
/// `query_wait_timeout` means no server connection of the pool came free in time —
/// and a purge needs two of them at once (its lock connection pins one for the whole
/// run), so a pool of one can never serve it. `None` for any other message.
pub fn pooler_hint(message: &str, role: PoolerRole) -> Option<String> {
    if !message.contains("query_wait_timeout") {
        return None;
    }
    let lock_open = LOCK_CONNECTIONS.load(Ordering::Relaxed) > 0;
    let why = match role {
        PoolerRole::Lock => {
            "this is the run's second connection, which takes and holds its lock while \
             the first one does the work"
        }
        PoolerRole::Work if lock_open => {
            "this run holds its lock on a second connection, which keeps one server \
             connection for the whole run"
        }
        PoolerRole::Work => "every server connection of the pool stayed busy with other clients",
    };
    Some(format!(
        "PgBouncer found no free server connection within its query_wait_timeout: {why}; \
         `purge-expired` needs 2 server connections at once, so the pool of this database \
         and user must allow at least 2 per concurrent purge (PgBouncer default_pool_size \
         or pool_size, max_db_connections, max_user_connections) — or run it directly \
         against PostgreSQL"
    ))
}

/// `e` with [`pooler_hint`] (for a work connection) added to its message, its kind
/// (and so its exit code) unchanged.
pub fn explain_pooler_error(e: diesel::result::Error) -> diesel::result::Error {
    explain_pooler_error_as(e, PoolerRole::Work)
}

/// [`explain_pooler_error`] for a connection in `role`.
pub fn explain_pooler_error_as(
    e: diesel::result::Error,
    role: PoolerRole,
) -> diesel::result::Error {
    match e {
        diesel::result::Error::DatabaseError(kind, info) => {
            match pooler_hint(info.message(), role) {
                Some(hint) => diesel::result::Error::DatabaseError(
                    kind,
                    Box::new(format!("{} ({hint})", info.message().trim_end())),
                ),
                None => diesel::result::Error::DatabaseError(kind, info),
            }
        }
        other => other,
    }
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

/// Try to take the transaction-scoped advisory lock `key` in the current
/// transaction (held until it commits or rolls back, or the connection dies).
pub fn try_xact_lock(conn: &mut PgConnection, key: i64) -> QueryResult<bool> {
    let r: Locked = diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
        .bind::<BigInt, _>(key)
        .get_result(conn)?;
    Ok(r.locked)
}

/// `SET LOCAL lock_timeout` (DDL must not queue the application behind it).
pub fn set_local_lock_timeout(conn: &mut PgConnection, timeout: Duration) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "SET LOCAL lock_timeout = {}",
        timeout.as_millis().max(1)
    ))
}

/// Who holds an advisory lock, read from `pg_locks` and `pg_stat_activity`.
#[derive(Debug, Clone, QueryableByName)]
pub struct LockHolder {
    /// The server backend holding the lock.
    #[diesel(sql_type = Integer)]
    pub pid: i32,
    /// Its `application_name` (`authctl@<host>:<pid>` unless the URL set one).
    #[diesel(sql_type = Text)]
    pub application: String,
    /// Client address as the server sees it (PgBouncer's, behind a pooler), or `local`
    /// (a Unix socket). Meaningless when [`LockHolder::hidden`].
    #[diesel(sql_type = Text)]
    pub client: String,
    /// The holder runs as another role and this one may not see its activity
    /// (neither superuser nor a member of `pg_read_all_stats`): PostgreSQL then
    /// shows only its pid and application name — no client, times, state or query.
    #[diesel(sql_type = Bool)]
    pub hidden: bool,
    /// The role this connection runs as (named in the "hidden" message).
    #[diesel(sql_type = Text)]
    pub viewer: String,
    /// When the holding transaction began (authctl begins it right before taking the lock).
    #[diesel(sql_type = Nullable<UtcTimestamp>)]
    pub since: Option<UtcDateTime>,
    /// `active`, `idle in transaction`, … (empty when not visible to this role).
    #[diesel(sql_type = Text)]
    pub state: String,
    /// Its current or last statement (cut short); an authctl lock connection's
    /// keep-alive carries the run's progress as a comment.
    #[diesel(sql_type = Text)]
    pub query: String,
    #[diesel(sql_type = Nullable<UtcTimestamp>)]
    pub query_since: Option<UtcDateTime>,
    /// What it waits for (`Lock` / `relation`, …; empty when it is not waiting or
    /// this role may not see it).
    #[diesel(sql_type = Text)]
    pub wait_type: String,
    #[diesel(sql_type = Text)]
    pub wait_event: String,
    /// A backend holding a lock the holder waits for (`pg_blocking_pids`, visible to
    /// every role), its application name and how many block it in all.
    #[diesel(sql_type = Nullable<Integer>)]
    pub blocked_by: Option<i32>,
    #[diesel(sql_type = Text)]
    pub blocked_by_application: String,
    #[diesel(sql_type = Integer)]
    pub blockers: i32,
    /// What the busiest backend of the same runner (same `application_name`) is
    /// doing: its state, its statement (cut short) and since when, and who blocks it.
    #[diesel(sql_type = Text)]
    pub work_state: String,
    #[diesel(sql_type = Text)]
    pub work_query: String,
    #[diesel(sql_type = Nullable<UtcTimestamp>)]
    pub work_since: Option<UtcDateTime>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub work_blocked_by: Option<i32>,
    #[diesel(sql_type = Text)]
    pub work_blocked_by_application: String,
    /// The server's clock, for "how long ago".
    #[diesel(sql_type = UtcTimestamp)]
    pub now: UtcDateTime,
}

/// The backend holding advisory lock `key` (a bigint key is `classid` = high 32
/// bits, `objid` = low 32 bits, `objsubid` = 1 in `pg_locks`), or `None` when it
/// was released meanwhile.
pub fn lock_holder(conn: &mut PgConnection, key: i64) -> QueryResult<Option<LockHolder>> {
    let hi = ((key as u64) >> 32) as i64;
    let lo = ((key as u64) & 0xffff_ffff) as i64;
    // `backend_start` is set for every client backend and hidden (NULL) exactly when
    // this role may not see the holder's activity.
    diesel::sql_query(
        "SELECT a.pid, coalesce(a.application_name, '') AS application, \
                coalesce(host(a.client_addr), 'local') AS client, \
                a.backend_start IS NULL AS hidden, current_user::text AS viewer, \
                a.xact_start AS since, \
                coalesce(a.state, '') AS state, \
                coalesce(left(regexp_replace(a.query, '\\s+', ' ', 'g'), 160), '') AS query, \
                a.query_start AS query_since, \
                coalesce(a.wait_event_type, '') AS wait_type, \
                coalesce(a.wait_event, '') AS wait_event, \
                hb.pid AS blocked_by, coalesce(hb.application_name, '') AS blocked_by_application, \
                cardinality(pg_blocking_pids(a.pid)) AS blockers, \
                coalesce(w.state, '') AS work_state, \
                coalesce(left(regexp_replace(w.query, '\\s+', ' ', 'g'), 120), '') AS work_query, \
                w.query_start AS work_since, \
                wb.pid AS work_blocked_by, coalesce(wb.application_name, '') AS work_blocked_by_application, \
                now() AS now \
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         LEFT JOIN LATERAL ( \
             SELECT b.pid, s.application_name FROM unnest(pg_blocking_pids(a.pid)) b(pid) \
             LEFT JOIN pg_stat_activity s ON s.pid = b.pid ORDER BY b.pid LIMIT 1) hb ON true \
         LEFT JOIN LATERAL ( \
             SELECT o.pid, o.state, o.query, o.query_start FROM pg_stat_activity o \
             WHERE o.application_name = a.application_name AND o.application_name LIKE 'authctl@%' \
               AND o.pid <> a.pid AND o.pid <> pg_backend_pid() \
             ORDER BY (o.state = 'active') DESC, o.query_start DESC NULLS LAST LIMIT 1) w ON true \
         LEFT JOIN LATERAL ( \
             SELECT b.pid, s.application_name FROM unnest(pg_blocking_pids(w.pid)) b(pid) \
             LEFT JOIN pg_stat_activity s ON s.pid = b.pid ORDER BY b.pid LIMIT 1) wb ON true \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
           AND l.classid::bigint = $1 AND l.objid::bigint = $2 \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         LIMIT 1",
    )
    .bind::<BigInt, _>(hi)
    .bind::<BigInt, _>(lo)
    .get_result(conn)
    .optional()
}

/// Wait for the transaction-scoped advisory lock `key`: each attempt is its own
/// short transaction (so the holder's `xact_start` is when it got the lock), and the
/// winning attempt's transaction stays open — the caller must end it. Gives up
/// after `wait` (or when `stop` is set) with who holds it.
pub fn acquire_xact_lock(
    conn: &mut PgConnection,
    key: i64,
    wait: Duration,
    stop: &AtomicBool,
    prepare: &dyn Fn(&mut PgConnection) -> QueryResult<()>,
) -> QueryResult<Result<(), Option<LockHolder>>> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let start = Instant::now();
    loop {
        AnsiTransactionManager::begin_transaction(conn)?;
        let attempt = guard_transaction(conn)
            .and_then(|()| prepare(conn))
            .and_then(|()| try_xact_lock(conn, key));
        match attempt {
            Ok(true) => return Ok(Ok(())),
            Ok(false) => {}
            Err(e) => {
                let _ = AnsiTransactionManager::rollback_transaction(conn);
                return Err(e);
            }
        }
        let give_up = start.elapsed() >= wait || stop.load(Ordering::Relaxed);
        let holder = if give_up {
            lock_holder(conn, key)
        } else {
            Ok(None)
        };
        AnsiTransactionManager::rollback_transaction(conn)?;
        if give_up {
            return Ok(Err(holder?));
        }
        std::thread::sleep(Duration::from_millis(100).min(wait.saturating_sub(start.elapsed())));
    }
}

/// Advisory lock key for `purge-expired` (one purge per database).
pub const PURGE_LOCK: i64 = 0x6175_7468_7075_7267; // "authpurg"

#[derive(QueryableByName)]
struct TableStats {
    #[diesel(sql_type = BigInt)]
    blocks: i64,
    #[diesel(sql_type = diesel::sql_types::Double)]
    reltuples: f64,
    #[diesel(sql_type = BigInt)]
    relpages: i64,
}

/// Heap blocks a density sample reads (random blocks spread over the table).
const SAMPLE_BLOCKS: f64 = 200.0;

/// The physical shape of a table, for sizing block-range batches.
#[derive(Debug, Clone, Copy)]
pub struct TableShape {
    /// Current size in heap blocks.
    pub blocks: u64,
    /// Rows per block, at least 1: the larger of the planner's density
    /// (`reltuples / relpages`, as the planner scales it) and a sample of random
    /// blocks, so neither missing statistics (`reltuples = -1` after `pg_restore`),
    /// stale ones, nor empty leading blocks make a range hold far more rows than meant.
    pub rows_per_block: f64,
}

impl TableShape {
    /// Estimated rows in the whole table.
    pub fn rows(&self) -> u64 {
        (self.blocks as f64 * self.rows_per_block) as u64
    }
}

/// Size and row density of `table` (see [`TableShape`]).
pub fn table_shape(conn: &mut PgConnection, table: &str) -> QueryResult<TableShape> {
    let r: TableStats = diesel::sql_query(
        "SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int)::bigint AS blocks, \
                c.reltuples::float8 AS reltuples, c.relpages::bigint AS relpages \
         FROM pg_class c WHERE c.oid = $1::regclass",
    )
    .bind::<diesel::sql_types::Text, _>(table)
    .get_result(conn)
    .map_err(explain_pooler_error)?;
    let blocks = r.blocks.max(0) as u64;
    let planner = if r.reltuples > 0.0 && r.relpages > 0 {
        r.reltuples / r.relpages as f64
    } else {
        0.0
    };
    let sampled = if blocks == 0 {
        0.0
    } else {
        // TABLESAMPLE SYSTEM reads whole blocks chosen at random over the table:
        // about SAMPLE_BLOCKS of them, whatever the table's size.
        let percent = (100.0 * SAMPLE_BLOCKS / blocks as f64).min(100.0);
        let n: Count = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM {table} TABLESAMPLE SYSTEM ({percent})"
        ))
        .get_result(conn)?;
        n.n.max(0) as f64 / (blocks as f64 * percent / 100.0)
    };
    Ok(TableShape {
        blocks,
        rows_per_block: planner.max(sampled).max(1.0),
    })
}

/// Server major version (e.g. 15).
pub fn server_major_version(conn: &mut PgConnection) -> QueryResult<u32> {
    #[derive(QueryableByName)]
    struct V {
        #[diesel(sql_type = BigInt)]
        v: i64,
    }
    let r: V = diesel::sql_query("SELECT current_setting('server_version_num')::bigint AS v")
        .get_result(conn)
        .map_err(explain_pooler_error)?;
    Ok((r.v / 10000) as u32)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows of `table` matching `predicate` (SQL with `$1`, `$2` bound to `cutoffs`), up to `cap`.
pub fn count_matching(
    conn: &mut PgConnection,
    table: &str,
    predicate: &str,
    cutoffs: &[UtcDateTime],
    cap: Option<u64>,
) -> QueryResult<u64> {
    let limit = cap.map(|c| format!(" LIMIT {c}")).unwrap_or_default();
    let sql =
        format!("SELECT count(*) AS n FROM (SELECT 1 FROM {table} WHERE {predicate}{limit}) s");
    let r: Count = bind_cutoffs(diesel::sql_query(sql).into_boxed(), cutoffs)
        .get_result(conn)
        .map_err(explain_pooler_error)?;
    Ok(r.n.max(0) as u64)
}

fn bind_cutoffs<'a>(
    mut q: diesel::query_builder::BoxedSqlQuery<
        'a,
        diesel::pg::Pg,
        diesel::query_builder::SqlQuery,
    >,
    cutoffs: &[UtcDateTime],
) -> diesel::query_builder::BoxedSqlQuery<'a, diesel::pg::Pg, diesel::query_builder::SqlQuery> {
    for c in cutoffs {
        q = q.bind::<UtcTimestamp, _>(*c);
    }
    q
}

/// Per-transaction limits for one purge batch: never wait long for a row lock the
/// application holds, never run long.
pub fn set_batch_limits(
    conn: &mut PgConnection,
    lock_timeout: Duration,
    statement_timeout: Duration,
) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "{TRANSACTION_GUARD}; SET LOCAL lock_timeout = {}; SET LOCAL statement_timeout = {}",
        lock_timeout.as_millis().max(1),
        statement_timeout.as_millis().max(1)
    ))
}

/// Delete the rows matching `predicate` in heap blocks `[from, to)` (a TID range
/// scan: PostgreSQL ≥ 14 reads only those blocks). With `skip_locked`, rows other
/// transactions hold locked are skipped (slower: every row is locked first).
/// Returns rows deleted.
pub fn sweep_delete(
    conn: &mut PgConnection,
    table: &str,
    predicate: &str,
    cutoffs: &[UtcDateTime],
    from: u64,
    to: u64,
    skip_locked: bool,
) -> QueryResult<usize> {
    let range = format!("ctid >= '({from},0)'::tid AND ctid < '({to},0)'::tid AND ({predicate})");
    let sql = if skip_locked {
        // Rows the application holds locked are skipped (left for the next run)
        // instead of waited for; the inner SELECT still reads only the block range.
        format!(
            "DELETE FROM {table} WHERE ctid = ANY(ARRAY(\
             SELECT ctid FROM {table} WHERE {range} FOR UPDATE SKIP LOCKED))"
        )
    } else {
        format!("DELETE FROM {table} WHERE {range}")
    };
    bind_cutoffs(diesel::sql_query(sql).into_boxed(), cutoffs).execute(conn)
}

#[derive(QueryableByName)]
struct KeysetRow {
    #[diesel(sql_type = BigInt)]
    deleted: i64,
    #[diesel(sql_type = BigInt)]
    fetched: i64,
    #[diesel(sql_type = UtcTimestamp)]
    last_key: UtcDateTime,
    #[diesel(sql_type = diesel::sql_types::Text)]
    last_id: String,
}

/// What one keyset batch did: rows deleted, rows fetched, and the last key (time,
/// id as text).
pub type KeysetBatch = (usize, usize, (UtcDateTime, String));

/// One keyset batch: delete up to `limit` rows matching `rule`, continuing after
/// `(rule.column, id) > after`, skipping rows another transaction holds locked.
/// `id` is the key column and its type (`("session_id", "uuid")`). Returns
/// (deleted, rows fetched, last key) — `None` when nothing was left.
pub fn keyset_delete(
    conn: &mut PgConnection,
    table: &str,
    (id, id_type): (&str, &str),
    rule: &crate::db::PurgeRule,
    after: Option<(UtcDateTime, String)>,
    limit: u64,
) -> QueryResult<Option<KeysetBatch>> {
    let column = rule.column;
    let resume = if after.is_some() {
        format!(" AND ({column}, {id}) > ($2, CAST($3 AS {id_type}))")
    } else {
        String::new()
    };
    let matches = rule.sql("$1");
    let sql = format!(
        "WITH batch AS (
             SELECT {id} AS id, {column} AS k FROM {table}
             WHERE {matches}{resume}
             ORDER BY {column}, {id} LIMIT {limit}
             FOR UPDATE SKIP LOCKED),
         del AS (DELETE FROM {table} t USING batch WHERE t.{id} = batch.id RETURNING t.{id})
         SELECT (SELECT count(*) FROM del) AS deleted, (SELECT count(*) FROM batch) AS fetched,
                b.k AS last_key, CAST(b.id AS text) AS last_id
         FROM batch b ORDER BY b.k DESC, b.id DESC LIMIT 1"
    );
    let mut q = diesel::sql_query(sql)
        .into_boxed()
        .bind::<UtcTimestamp, _>(rule.cutoff);
    if let Some((k, last)) = after {
        q = q
            .bind::<UtcTimestamp, _>(k)
            .bind::<diesel::sql_types::Text, _>(last);
    }
    let row: Option<KeysetRow> = q.get_result(conn).optional()?;
    Ok(row.map(|r| {
        (
            r.deleted.max(0) as usize,
            r.fetched.max(0) as usize,
            (r.last_key, r.last_id),
        )
    }))
}

/// Run `f` as one short transaction with `SET LOCAL` lock and statement timeouts.
pub fn batch<T>(
    conn: &mut PgConnection,
    lock_timeout: Duration,
    statement_timeout: Duration,
    f: impl FnOnce(&mut PgConnection) -> QueryResult<T>,
) -> QueryResult<T> {
    conn.transaction(|c| {
        set_batch_limits(c, lock_timeout, statement_timeout)?;
        f(c)
    })
    .map_err(explain_pooler_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_only_when_they_must_be() {
        assert_eq!(quote_ident("restoreassist"), "restoreassist");
        assert_eq!(quote_ident("app_2"), "app_2");
        assert_eq!(quote_ident("App"), "\"App\"");
        assert_eq!(quote_ident("2app"), "\"2app\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident(""), "\"\"");
    }
}
