//! `src/schema.rs` against the migrations, and what each backend really stores.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;

use authctl::db::{self, ConnectOptions, DatabaseTarget, DbConn, UtcDateTime, UtcTimestamp};
use authctl::password::PasswordHasher;
use authctl::repo::{
    self, AuditEvent, AuditFilter, IssueToken, LoginSession, NewAuditEvent, NewSession, NewUser,
    RefreshToken, User, UserChanges,
};
use authctl::schema;
use authctl::token::RawToken;
use authctl::with_conn;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::is_nullable::{IsNullable, NotNull};
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, SqlType, Text};

use crate::common::{self, PgDb, TestDb};

// ---------------------------------------------------------------------------
// Column descriptions taken from src/schema.rs at compile time
// ---------------------------------------------------------------------------

/// How a schema.rs SQL type must look in each backend's catalog.
trait Kind {
    const PG: &'static str;
    const SQLITE: &'static str;
    const TIME: bool = false;
}

impl Kind for BigInt {
    const PG: &'static str = "bigint";
    const SQLITE: &'static str = "INTEGER";
}
impl Kind for Integer {
    const PG: &'static str = "integer";
    const SQLITE: &'static str = "INTEGER";
}
impl Kind for Text {
    const PG: &'static str = "text";
    const SQLITE: &'static str = "TEXT";
}
impl Kind for Bool {
    const PG: &'static str = "boolean";
    const SQLITE: &'static str = "INTEGER";
}
impl Kind for UtcTimestamp {
    const PG: &'static str = "timestamp with time zone";
    const SQLITE: &'static str = "TEXT";
    const TIME: bool = true;
}
impl<T: Kind + SqlType> Kind for Nullable<T> {
    const PG: &'static str = T::PG;
    const SQLITE: &'static str = T::SQLITE;
    const TIME: bool = T::TIME;
}

trait Nullness {
    const NULLABLE: bool;
}
impl Nullness for IsNullable {
    const NULLABLE: bool = true;
}
impl Nullness for NotNull {
    const NULLABLE: bool = false;
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Col {
    name: &'static str,
    nullable: bool,
    pg_type: &'static str,
    sqlite_type: &'static str,
    time: bool,
}

fn col<C>() -> Col
where
    C: diesel::Column,
    C::SqlType: SqlType + Kind,
    <C::SqlType as SqlType>::IsNull: Nullness,
{
    Col {
        name: C::NAME,
        nullable: <<C::SqlType as SqlType>::IsNull as Nullness>::NULLABLE,
        pg_type: <C::SqlType as Kind>::PG,
        sqlite_type: <C::SqlType as Kind>::SQLITE,
        time: <C::SqlType as Kind>::TIME,
    }
}

macro_rules! columns {
    ($table:ident: $($col:ident),+ $(,)?) => {
        (stringify!($table), vec![$(col::<schema::$table::$col>()),+])
    };
}

/// Every table and column of src/schema.rs.
fn schema_tables() -> Vec<(&'static str, Vec<Col>)> {
    vec![
        columns!(users: id, email, display_name, password_hash, role, is_active, disabled_at,
            disabled_reason, failed_login_count, locked_until, must_change_password,
            password_changed_at, last_login_at, created_at, updated_at),
        columns!(refresh_tokens: id, user_id, token_hash, created_at, expires_at, last_used_at,
            revoked_at, revoked_reason, replaced_by_id, user_agent, ip_address),
        columns!(login_sessions: id, user_id, token_hash, ip_address, user_agent, created_at,
            last_activity_at, expires_at, revoked_at, revoked_reason),
        columns!(audit_events: id, occurred_at, actor, action, user_id, detail, ip_address),
    ]
}

#[derive(QueryableByName, Debug)]
struct CatalogRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

/// (name → (type, nullable)) of a table as the database describes it.
fn db_columns(conn: &mut DbConn, table: &str) -> BTreeMap<String, (String, bool)> {
    let rows: Vec<CatalogRow> = match conn {
        DbConn::Postgres(c) => diesel::sql_query(
            "SELECT column_name::text AS name, data_type::text AS data_type, \
             is_nullable = 'YES' AS nullable FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1",
        )
        .bind::<Text, _>(table)
        .load(c),
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT name, type AS data_type, (\"notnull\" = 0 AND pk = 0) AS nullable \
             FROM pragma_table_info(?)",
        )
        .bind::<Text, _>(table)
        .load(c),
    }
    .unwrap_or_else(|e| panic!("catalog of {table}: {e}"));
    rows.into_iter()
        .map(|r| (r.name, (r.data_type, r.nullable)))
        .collect()
}

fn quick_hash() -> String {
    PasswordHasher::default()
        .hash(b"schema test password")
        .unwrap()
}

/// One row in every table with every nullable column filled in.
fn fill_every_column(
    conn: &mut DbConn,
    hash: &str,
) -> (User, RefreshToken, LoginSession, AuditEvent) {
    let now = UtcDateTime::now();
    let mut new = NewUser::new("full@example.com", hash);
    new.display_name = Some("Full Row");
    let u = new.insert(conn).unwrap();
    let u = repo::users::update(
        conn,
        u.id,
        &UserChanges {
            is_active: Some(false),
            disabled_at: Some(Some(now)),
            disabled_reason: Some(Some("testing".into())),
            failed_login_count: Some(2),
            locked_until: Some(Some(now + chrono::Duration::hours(1))),
            last_login_at: Some(Some(now)),
            ..Default::default()
        },
    )
    .unwrap()
    .unwrap();
    let (_, raw) = repo::refresh_tokens::issue(
        conn,
        &IssueToken {
            user_id: u.id,
            ttl: chrono::Duration::days(1),
            user_agent: Some("ua"),
            ip_address: Some("127.0.0.1"),
        },
    )
    .unwrap();
    let (new_token, _) = repo::refresh_tokens::rotate(conn, &raw, chrono::Duration::days(1))
        .unwrap()
        .unwrap();
    let rotated: RefreshToken = with_conn!(conn, c => schema::refresh_tokens::table
        .filter(schema::refresh_tokens::replaced_by_id.eq(new_token.id))
        .select(RefreshToken::as_select())
        .first(c))
    .expect("the rotated token");
    let (s, _) = repo::login_sessions::create(
        conn,
        &NewSession {
            user_id: u.id,
            ttl: chrono::Duration::hours(1),
            ip_address: Some("127.0.0.1"),
            user_agent: Some("ua"),
        },
    )
    .unwrap();
    repo::login_sessions::invalidate(conn, s.id, Some("logout"), now).unwrap();
    let s = repo::login_sessions::find(conn, s.id).unwrap().unwrap();
    NewAuditEvent {
        actor: "ops",
        action: "user.create",
        user_id: Some(u.id),
        detail: Some(serde_json::json!({ "k": "v" })),
        ip_address: Some("127.0.0.1"),
    }
    .append(conn)
    .unwrap();
    let e = repo::audit_events::list(
        conn,
        &AuditFilter {
            limit: 1,
            ..Default::default()
        },
    )
    .unwrap()
    .remove(0);
    (u, rotated, s, e)
}

// ---------------------------------------------------------------------------
// Both backends
// ---------------------------------------------------------------------------

#[test]
fn schema_rs_matches_the_migrated_tables() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        for (table, cols) in schema_tables() {
            let actual = db_columns(&mut conn, table);
            let expected: BTreeMap<String, (String, bool)> = cols
                .iter()
                .map(|c| {
                    let ty = if db.is_postgres() {
                        c.pg_type
                    } else {
                        c.sqlite_type
                    };
                    (c.name.to_owned(), (ty.to_owned(), c.nullable))
                })
                .collect();
            assert_eq!(
                actual, expected,
                "{l}: table {table}: database vs src/schema.rs"
            );
        }
    }
}

#[test]
fn every_column_of_every_table_can_be_selected() {
    let hash = quick_hash();
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let (u, t, s, e) = fill_every_column(&mut conn, &hash);

        // Nullable columns really hold values, so each one's type is decoded.
        assert!(
            u.display_name.is_some() && u.disabled_at.is_some() && u.disabled_reason.is_some(),
            "{l}"
        );
        assert!(u.locked_until.is_some() && u.last_login_at.is_some(), "{l}");
        assert!(
            t.last_used_at.is_some() && t.revoked_at.is_some() && t.revoked_reason.is_some(),
            "{l}"
        );
        assert!(
            t.replaced_by_id.is_some() && t.user_agent.is_some() && t.ip_address.is_some(),
            "{l}"
        );
        assert!(s.ip_address.is_some() && s.user_agent.is_some(), "{l}");
        assert!(s.revoked_at.is_some() && s.revoked_reason.is_some(), "{l}");
        assert!(
            e.user_id.is_some() && e.detail.is_some() && e.ip_address.is_some(),
            "{l}"
        );

        with_conn!(&mut conn, c => {
            use schema::{audit_events, login_sessions, refresh_tokens, users};
            // Through the Selectable structs.
            let users_sel: Vec<User> = users::table.select(User::as_select()).load(c).unwrap();
            let tokens_sel: Vec<RefreshToken> =
                refresh_tokens::table.select(RefreshToken::as_select()).order(refresh_tokens::id).load(c).unwrap();
            let sessions_sel: Vec<LoginSession> =
                login_sessions::table.select(LoginSession::as_select()).load(c).unwrap();
            let events_sel: Vec<AuditEvent> =
                audit_events::table.select(AuditEvent::as_select()).load(c).unwrap();
            // Through each table's all_columns (the default select).
            let users_all: Vec<User> = users::table.load(c).unwrap();
            let tokens_all: Vec<RefreshToken> = refresh_tokens::table.order(refresh_tokens::id).load(c).unwrap();
            let sessions_all: Vec<LoginSession> = login_sessions::table.load(c).unwrap();
            let events_all: Vec<AuditEvent> = audit_events::table.load(c).unwrap();

            assert_eq!(users_sel, vec![u.clone()], "{l}");
            assert_eq!(users_all, users_sel, "{l}");
            assert_eq!(tokens_sel.len(), 2, "{l}");
            assert_eq!(tokens_sel[0], t, "{l}");
            assert_eq!(tokens_all, tokens_sel, "{l}");
            assert_eq!(sessions_sel, vec![s.clone()], "{l}");
            assert_eq!(sessions_all, sessions_sel, "{l}");
            assert_eq!(events_sel, vec![e.clone()], "{l}");
            assert_eq!(events_all, events_sel, "{l}");

            // Joins declared in schema.rs work.
            let joined: Vec<(i64, String)> = refresh_tokens::table
                .inner_join(users::table)
                .select((refresh_tokens::id, users::email))
                .load(c)
                .unwrap();
            assert_eq!(joined.len(), 2, "{l}");
            let joined: Vec<(i64, Option<String>)> = audit_events::table
                .left_join(users::table)
                .select((audit_events::id, users::email.nullable()))
                .load(c)
                .unwrap();
            assert_eq!(joined, vec![(e.id, Some(u.email.clone()))], "{l}");
            let n: i64 = login_sessions::table.inner_join(users::table).count().get_result(c).unwrap();
            assert_eq!(n, 1, "{l}");
        });
    }
}

/// `INSERT …` through diesel so the error kind is classified.
fn try_sql(conn: &mut DbConn, sql: &str) -> Result<usize, DieselError> {
    with_conn!(conn, c => diesel::sql_query(sql).execute(c))
}

fn kind_of(r: Result<usize, DieselError>, what: &str) -> DatabaseErrorKind {
    match r {
        Err(DieselError::DatabaseError(kind, _)) => kind,
        other => panic!("{what}: expected a database error, got {other:?}"),
    }
}

#[test]
fn email_is_unique_ignoring_case_in_the_database() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        try_sql(
            &mut conn,
            "INSERT INTO users (email, password_hash) VALUES ('x@y.com', 'h')",
        )
        .unwrap_or_else(|e| panic!("{l}: {e}"));
        for dup in ["X@Y.COM", "x@y.com", "X@y.com"] {
            let r = try_sql(
                &mut conn,
                &format!("INSERT INTO users (email, password_hash) VALUES ('{dup}', 'h')"),
            );
            assert_eq!(
                kind_of(r, dup),
                DatabaseErrorKind::UniqueViolation,
                "{l}: {dup}"
            );
        }
        // The other direction: an upper-case row blocks its lower-case twin.
        try_sql(
            &mut conn,
            "INSERT INTO users (email, password_hash) VALUES ('Z@Y.COM', 'h')",
        )
        .unwrap_or_else(|e| panic!("{l}: {e}"));
        let r = try_sql(
            &mut conn,
            "INSERT INTO users (email, password_hash) VALUES ('z@y.com', 'h')",
        );
        assert_eq!(
            kind_of(r, "z@y.com"),
            DatabaseErrorKind::UniqueViolation,
            "{l}"
        );
        // An UPDATE into a collision is rejected too.
        let r = try_sql(
            &mut conn,
            "UPDATE users SET email = 'X@y.Com' WHERE email = 'Z@Y.COM'",
        );
        assert_eq!(
            kind_of(r, "update"),
            DatabaseErrorKind::UniqueViolation,
            "{l}"
        );
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM users"),
            2,
            "{l}"
        );
        // Defaults fill in the rest of a raw row.
        let row = repo::users::find_by_email(&mut conn, "x@y.com")
            .unwrap()
            .unwrap();
        assert_eq!(row.role, "user", "{l}");
        assert!(row.is_active && !row.must_change_password, "{l}");
        assert_eq!(row.failed_login_count, 0, "{l}");
        let age = UtcDateTime::now().0 - row.created_at.0;
        assert!(
            age.num_seconds().abs() < 60,
            "{l}: default created_at is now (UTC): {}",
            row.created_at
        );
    }
}

#[test]
fn token_hash_check_rejects_anything_but_64_lowercase_hex_digits() {
    let good = "0123456789abcdef".repeat(4);
    let bad = [
        "abc".to_owned(),
        String::new(),
        "g".repeat(64),
        "0123456789ABCDEF".repeat(4),
        "a".repeat(63),
        "a".repeat(65),
        format!("{} ", &good[..63]),
        format!("{}-", &good[..63]),
    ];
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        try_sql(
            &mut conn,
            "INSERT INTO users (id, email, password_hash) VALUES (1, 'u@example.com', 'h')",
        )
        .unwrap();
        for table in ["refresh_tokens", "login_sessions"] {
            let insert = |hash: &str| {
                format!(
                    "INSERT INTO {table} (user_id, token_hash, expires_at) \
                     VALUES (1, '{hash}', '2030-01-01 00:00:00.000000')"
                )
            };
            for value in &bad {
                let r = try_sql(&mut conn, &insert(value));
                assert_eq!(
                    kind_of(r, value),
                    DatabaseErrorKind::CheckViolation,
                    "{l}: {table}.token_hash = {value:?}"
                );
            }
            assert_eq!(
                try_sql(&mut conn, &insert(&good)).unwrap(),
                1,
                "{l}: {table}"
            );
            let r = try_sql(&mut conn, &insert(&good));
            assert_eq!(
                kind_of(r, "dup"),
                DatabaseErrorKind::UniqueViolation,
                "{l}: {table}"
            );
            // A token for a user that does not exist is refused.
            let r = try_sql(
                &mut conn,
                &format!(
                    "INSERT INTO {table} (user_id, token_hash, expires_at) \
                     VALUES (999, '{}', '2030-01-01 00:00:00.000000')",
                    "f".repeat(64)
                ),
            );
            assert_eq!(
                kind_of(r, "fk"),
                DatabaseErrorKind::ForeignKeyViolation,
                "{l}: {table}"
            );
        }
        // The application's own hashes pass the check.
        let raw = RawToken::generate();
        assert_eq!(
            try_sql(&mut conn, &insert_hash(&raw.hash())).unwrap(),
            1,
            "{l}"
        );
    }
}

fn insert_hash(hash: &str) -> String {
    format!(
        "INSERT INTO refresh_tokens (user_id, token_hash, expires_at) \
         VALUES (1, '{hash}', '2030-01-01 00:00:00.000000')"
    )
}

#[test]
fn deleting_a_user_cascades_tokens_and_sessions_and_nulls_audit_events() {
    let hash = quick_hash();
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let (u, _, _, _) = fill_every_column(&mut conn, &hash);
        let other = NewUser::new("other@example.com", &hash)
            .insert(&mut conn)
            .unwrap();
        NewAuditEvent {
            actor: "ops",
            action: "other",
            user_id: Some(other.id),
            detail: None,
            ip_address: None,
        }
        .append(&mut conn)
        .unwrap();
        let q = |sql: &str| common::count(&db, sql);
        assert_eq!(q("SELECT count(*) AS n FROM refresh_tokens"), 2, "{l}");
        assert_eq!(q("SELECT count(*) AS n FROM login_sessions"), 1, "{l}");

        // Raw SQL, not the repository: the database itself enforces it.
        db.exec(&format!("DELETE FROM users WHERE id = {}", u.id));
        assert_eq!(q("SELECT count(*) AS n FROM refresh_tokens"), 0, "{l}");
        assert_eq!(q("SELECT count(*) AS n FROM login_sessions"), 0, "{l}");
        assert_eq!(q("SELECT count(*) AS n FROM audit_events"), 2, "{l}");
        assert_eq!(
            q("SELECT count(*) AS n FROM audit_events WHERE user_id IS NULL"),
            1,
            "{l}"
        );
        assert_eq!(
            q(&format!(
                "SELECT count(*) AS n FROM audit_events WHERE user_id = {}",
                other.id
            )),
            1,
            "{l}"
        );
        assert_eq!(
            common::query_strings(
                &db,
                "SELECT action AS v FROM audit_events WHERE user_id IS NULL"
            ),
            vec!["user.create"],
            "{l}"
        );

        // replaced_by_id is SET NULL when the replacement is deleted.
        let (t1, raw) = repo::refresh_tokens::issue(
            &mut conn,
            &IssueToken {
                user_id: other.id,
                ttl: chrono::Duration::days(1),
                user_agent: None,
                ip_address: None,
            },
        )
        .unwrap();
        let (t2, _) = repo::refresh_tokens::rotate(&mut conn, &raw, chrono::Duration::days(1))
            .unwrap()
            .unwrap();
        db.exec(&format!("DELETE FROM refresh_tokens WHERE id = {}", t2.id));
        let t1 = repo::refresh_tokens::find(&mut conn, t1.id)
            .unwrap()
            .unwrap();
        assert_eq!(t1.replaced_by_id, None, "{l}");
        assert_eq!(t1.revoked_reason.as_deref(), Some("rotated"), "{l}");
    }
}

// ---------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------

#[test]
fn postgres_every_time_column_is_timestamptz() {
    let Some(db) = TestDb::postgres() else { return };
    let _conn = db.migrated();
    let tables = "('users', 'refresh_tokens', 'login_sessions', 'audit_events')";
    let without = common::query_strings(
        &db,
        &format!(
            "SELECT table_name::text || '.' || column_name::text AS v FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name IN {tables} \
             AND data_type = 'timestamp without time zone'"
        ),
    );
    assert!(
        without.is_empty(),
        "timestamp without time zone: {without:?}"
    );
    let mut with_tz = common::query_strings(
        &db,
        &format!(
            "SELECT table_name::text || '.' || column_name::text AS v FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name IN {tables} \
             AND data_type = 'timestamp with time zone'"
        ),
    );
    with_tz.sort();
    let mut expected: Vec<String> = schema_tables()
        .into_iter()
        .flat_map(|(t, cols)| {
            cols.into_iter()
                .filter(|c| c.time)
                .map(move |c| format!("{t}.{}", c.name))
        })
        .collect();
    expected.sort();
    assert_eq!(
        with_tz, expected,
        "every UtcTimestamp column and only those"
    );
    // No other date/time types (date, time, interval) crept in either.
    let other = common::query_strings(
        &db,
        &format!(
            "SELECT table_name::text || '.' || column_name::text || ' ' || data_type::text AS v \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name IN {tables} AND data_type NOT IN \
             ('bigint', 'integer', 'text', 'boolean', 'timestamp with time zone')"
        ),
    );
    assert!(other.is_empty(), "{other:?}");
}

#[derive(QueryableByName)]
struct ShowTimeZone {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "TimeZone")]
    tz: String,
}

fn show_timezone(conn: &mut PgConnection) -> String {
    diesel::sql_query("SHOW timezone")
        .get_result::<ShowTimeZone>(conn)
        .unwrap()
        .tz
}

#[derive(QueryableByName)]
struct V {
    #[diesel(sql_type = Text)]
    v: String,
}

fn raw_strings(conn: &mut PgConnection, sql: &str) -> Vec<String> {
    diesel::sql_query(sql)
        .load::<V>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .map(|r| r.v)
        .collect()
}

fn at(s: &str) -> UtcDateTime {
    UtcDateTime::parse_text(s).unwrap()
}

fn micros(t: UtcDateTime) -> String {
    t.timestamp_micros().to_string()
}

#[test]
fn postgres_times_are_exact_when_the_server_time_zone_is_not_utc() {
    let hash = quick_hash();
    for zone in ["America/New_York", "Asia/Kolkata"] {
        let Some(db) = TestDb::postgres() else { return };
        let TestDb::Postgres(pg) = &db else {
            unreachable!()
        };
        pg.admin(&format!(
            "ALTER DATABASE {} SET timezone TO '{zone}'",
            pg.name
        ));
        // A plain client session really is in that zone (diesel's `establish` sets
        // UTC, so go back to the database's default like any other client would have).
        let mut raw = PgConnection::establish(&pg.url).unwrap();
        raw.batch_execute("RESET TIME ZONE").unwrap();
        assert_eq!(show_timezone(&mut raw), zone);

        // (c) Library connections are UTC anyway.
        let mut conn = db.migrated();
        for mut c in [db.connect(), conn_via_pool(pg)] {
            let DbConn::Postgres(c) = &mut c else {
                unreachable!()
            };
            assert_eq!(show_timezone(c), "UTC", "{zone}: library session time zone");
        }

        // (a) Values written through the library read back identically.
        // 2026-03-08 07:30 UTC is inside New York's spring-forward gap; 05:30 UTC on
        // 2026-11-01 is the repeated 01:30 hour; Kolkata is +05:30.
        let created = at("2026-03-08T07:30:00.654321Z");
        let changed = at("2026-11-01T05:30:00.000001Z");
        let updated = at("1999-12-31T23:59:59.999999Z");
        let mut new = NewUser::new("tz@example.com", &hash);
        new.created_at = created;
        new.password_changed_at = changed;
        new.updated_at = updated;
        let u = new.insert(&mut conn).unwrap();
        assert_eq!(u.created_at, created, "{zone}");
        assert_eq!(u.password_changed_at, changed, "{zone}");
        assert_eq!(u.updated_at, updated, "{zone}");
        let locked = at("2026-07-04T16:00:00.500000Z");
        let u = repo::users::update(
            &mut conn,
            u.id,
            &UserChanges {
                locked_until: Some(Some(locked)),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(u.locked_until, Some(locked), "{zone}");

        let ttl = chrono::Duration::days(90) + chrono::Duration::microseconds(123_456);
        let (t, _) = repo::refresh_tokens::issue(
            &mut conn,
            &IssueToken {
                user_id: u.id,
                ttl,
                user_agent: None,
                ip_address: None,
            },
        )
        .unwrap();
        assert_eq!(t.expires_at, t.created_at + ttl, "{zone}");
        let expires = at("2027-03-14T06:59:59.999999Z");
        with_conn!(&mut conn, c => diesel::update(schema::refresh_tokens::table.find(t.id))
            .set(schema::refresh_tokens::expires_at.eq(expires))
            .execute(c))
        .unwrap();
        let t2 = repo::refresh_tokens::find(&mut conn, t.id)
            .unwrap()
            .unwrap();
        assert_eq!(t2.expires_at, expires, "{zone}");
        assert_eq!(t2.created_at, t.created_at, "{zone}");

        // (b) Raw SQL agrees: epoch microseconds, in the library's session and in a
        // session in the database's own time zone.
        let epoch_sql = |col: &str, table: &str, id: i64| {
            format!(
                "SELECT (extract(epoch FROM {col}) * 1000000)::bigint::text AS v \
                 FROM {table} WHERE id = {id}"
            )
        };
        for (col, table, id, want) in [
            ("expires_at", "refresh_tokens", t.id, expires),
            ("created_at", "refresh_tokens", t.id, t.created_at),
            ("created_at", "users", u.id, created),
            ("password_changed_at", "users", u.id, changed),
            ("updated_at", "users", u.id, u.updated_at),
            ("locked_until", "users", u.id, locked),
        ] {
            let sql = epoch_sql(col, table, id);
            assert_eq!(
                common::query_strings(&db, &sql),
                vec![micros(want)],
                "{zone}: {table}.{col}"
            );
            assert_eq!(
                raw_strings(&mut raw, &sql),
                vec![micros(want)],
                "{zone}: {table}.{col} (raw)"
            );
            let utc_text = raw_strings(
                &mut raw,
                &format!(
                    "SELECT to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS v \
                     FROM {table} WHERE id = {id}"
                ),
            );
            assert_eq!(
                utc_text,
                vec![want.to_sqlite_text()],
                "{zone}: {table}.{col} as UTC text"
            );
        }

        // A value written by a client in the database's zone is read as the same instant.
        raw_strings(
            &mut raw,
            &format!(
                "UPDATE users SET last_login_at = '2026-07-04 12:00:00.25' WHERE id = {} \
                 RETURNING 'ok'::text AS v",
                u.id
            ),
        );
        let local =
            chrono::NaiveDateTime::parse_from_str("2026-07-04 12:00:00.25", "%Y-%m-%d %H:%M:%S%.f")
                .unwrap();
        let offset = match zone {
            "America/New_York" => chrono::Duration::hours(-4),
            _ => chrono::Duration::minutes(330),
        };
        let expected = UtcDateTime((local - offset).and_utc());
        let back = repo::users::find(&mut conn, u.id).unwrap().unwrap();
        assert_eq!(back.last_login_at, Some(expected), "{zone}");

        // Comparisons made by the library use the same instants.
        let listed = repo::users::list(
            &mut conn,
            &repo::UserFilter {
                created_since: Some(created),
                limit: 10,
                ..Default::default()
            },
            UtcDateTime::now(),
        )
        .unwrap();
        assert_eq!(
            listed.len(),
            1,
            "{zone}: created_since is inclusive at the exact instant"
        );
        let listed = repo::users::list(
            &mut conn,
            &repo::UserFilter {
                created_since: Some(created + chrono::Duration::microseconds(1)),
                limit: 10,
                ..Default::default()
            },
            UtcDateTime::now(),
        )
        .unwrap();
        assert!(listed.is_empty(), "{zone}");
        assert_eq!(
            repo::refresh_tokens::delete_expired(
                &mut conn,
                expires - chrono::Duration::microseconds(1),
                10
            )
            .unwrap(),
            0,
            "{zone}"
        );
        assert_eq!(
            repo::refresh_tokens::delete_expired(&mut conn, expires, 10).unwrap(),
            1,
            "{zone}"
        );
    }
}

fn conn_via_pool(pg: &PgDb) -> DbConn {
    // What a pooled connection would be: the same `connect`.
    db::connect(&ConnectOptions::new(
        DatabaseTarget::parse(&pg.url).unwrap(),
    ))
    .unwrap()
}

// ---------------------------------------------------------------------------
// SQLite
// ---------------------------------------------------------------------------

/// `YYYY-MM-DD HH:MM:SS.ffffff`.
fn is_sqlite_utc_text(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 26
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            _ => c.is_ascii_digit(),
        })
}

#[test]
fn sqlite_stores_times_as_fixed_width_utc_text() {
    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    let hash = quick_hash();
    let created = at("2026-01-02T03:04:05.000007Z");
    let mut new = NewUser::new("text@example.com", &hash);
    new.created_at = created;
    let u = new.insert(&mut conn).unwrap();
    let before = chrono::Utc::now();
    fill_every_column(&mut conn, &hash);
    let after = chrono::Utc::now();
    repo::users::record_login_failure(&mut conn, u.id, 1, chrono::Duration::minutes(5)).unwrap();

    let mut checked = 0;
    for (table, cols) in schema_tables() {
        for c in cols.iter().filter(|c| c.time) {
            let name = c.name;
            let types = common::query_strings(
                &db,
                &format!(
                    "SELECT DISTINCT typeof({name}) AS v FROM {table} WHERE {name} IS NOT NULL"
                ),
            );
            assert_eq!(types, vec!["text"], "{table}.{name}");
            for v in common::query_strings(
                &db,
                &format!("SELECT {name} AS v FROM {table} WHERE {name} IS NOT NULL"),
            ) {
                assert!(is_sqlite_utc_text(&v), "{table}.{name} = {v:?}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} values checked");

    assert_eq!(
        common::query_strings(
            &db,
            &format!("SELECT created_at AS v FROM users WHERE id = {}", u.id)
        ),
        vec!["2026-01-02 03:04:05.000007"]
    );
    // Written "now" values are UTC, not local time.
    for v in common::query_strings(&db, "SELECT occurred_at AS v FROM audit_events") {
        let t = chrono::NaiveDateTime::parse_from_str(&v, "%Y-%m-%d %H:%M:%S%.f")
            .unwrap()
            .and_utc();
        assert!(
            t >= before - chrono::Duration::milliseconds(1) && t <= after,
            "{v} is not the UTC time of writing ({before} .. {after})"
        );
    }
    // Text order is time order (what every range filter relies on).
    let ordered = common::query_strings(
        &db,
        "SELECT expires_at AS v FROM refresh_tokens ORDER BY expires_at",
    );
    let mut sorted = ordered.clone();
    sorted.sort_by_key(|v| UtcDateTime::parse_text(v).unwrap());
    assert_eq!(ordered, sorted);
}

#[test]
fn sqlite_new_file_is_private_with_foreign_keys_and_wal() {
    let db = TestDb::sqlite();
    let TestDb::Sqlite(s) = &db else {
        unreachable!()
    };
    assert!(!s.path.exists());
    let _conn = db.migrated();
    let mode = std::fs::metadata(&s.path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "database file mode {mode:o}");
    for suffix in ["-wal", "-shm"] {
        let side = s.path.with_file_name(format!("auth.db{suffix}"));
        if let Ok(m) = std::fs::metadata(&side) {
            let mode = m.permissions().mode() & 0o777;
            assert_eq!(mode & 0o077, 0, "{} mode {mode:o}", side.display());
        }
    }

    // A missing parent directory is created private too.
    let nested = s.dir.path().join("a/b/nested.db");
    drop(db::connect(&ConnectOptions::new(DatabaseTarget::Sqlite(nested.clone()))).unwrap());
    let mode = std::fs::metadata(&nested).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let dir_mode = std::fs::metadata(nested.parent().unwrap())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(dir_mode, 0o700, "created directory mode {dir_mode:o}");

    #[derive(QueryableByName)]
    struct Fk {
        #[diesel(sql_type = BigInt)]
        foreign_keys: i64,
    }
    #[derive(QueryableByName)]
    struct Journal {
        #[diesel(sql_type = Text)]
        journal_mode: String,
    }
    for mut c in [db.connect(), conn_sqlite(&s.path)] {
        let DbConn::Sqlite(c) = &mut c else {
            unreachable!()
        };
        let fk: Fk = diesel::sql_query("PRAGMA foreign_keys")
            .get_result(c)
            .unwrap();
        assert_eq!(fk.foreign_keys, 1);
        let j: Journal = diesel::sql_query("PRAGMA journal_mode")
            .get_result(c)
            .unwrap();
        assert_eq!(j.journal_mode, "wal");
    }
    assert_eq!(
        common::count(&db, "SELECT foreign_keys AS n FROM pragma_foreign_keys"),
        1
    );
}

fn conn_sqlite(path: &std::path::Path) -> DbConn {
    db::connect(&ConnectOptions::new(DatabaseTarget::Sqlite(
        path.to_owned(),
    )))
    .unwrap()
}
