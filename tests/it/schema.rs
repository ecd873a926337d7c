//! `src/schema.rs` against the migrations, and what each backend really stores and
//! enforces: the application's types, nullability, constraints, cascades, triggers and SQL
//! functions, and SQLite's conventions (canonical UTC text times and uuids, WAL, foreign keys).

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::PermissionsExt;

use authctl::db::{
    self, AttemptId, ConnectOptions, DatabaseTarget, DbConn, DbInet, DbUuid, Inet, RefreshTokenId,
    SessionId, UserId, UtcDateTime, UtcTimestamp,
};
use authctl::password::PasswordHasher;
use authctl::repo::{
    self, AuditAction, AuditEvent, AuditFilter, LoginSession, NewAuditEvent, NewRefreshToken,
    NewSession, NewUser, RefreshToken, SessionChanges, User, UserChanges,
};
use authctl::schema;
use authctl::with_conn;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::is_nullable::{IsNullable, NotNull};
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, SqlType, Text};

use crate::common::{PgDb, TestDb};

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
impl Kind for DbUuid {
    const PG: &'static str = "uuid";
    const SQLITE: &'static str = "TEXT";
}
impl Kind for DbInet {
    const PG: &'static str = "inet";
    const SQLITE: &'static str = "TEXT";
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
        columns!(users: id, email, password_hash, name, role, created_at, updated_at, last_login,
            email_verified, email_verified_at, reset_token, reset_token_expires),
        columns!(auth_attempts: id, user_id, email, ip_address, user_agent, success,
            failure_reason, timestamp, attempt_type),
        columns!(refresh_tokens: id, user_id, token, expires_at, created_at, revoked_at,
            is_revoked, user_agent, ip_address),
        columns!(login_sessions: session_id, user_id, session_token, ip_address, user_agent,
            created_at, expires_at, last_activity_at, is_active),
        columns!(authctl_audit_events: id, occurred_at, actor, action, user_id, user_email,
            detail),
    ]
}

/// The application's `VARCHAR(n)` columns (its DDL), which schema.rs reads as Text.
const PG_VARCHAR: &[(&str, &str, u32)] = &[
    ("users", "email", 255),
    ("users", "password_hash", 255),
    ("users", "name", 255),
    ("users", "role", 50),
    ("users", "reset_token", 255),
    ("auth_attempts", "email", 255),
    ("auth_attempts", "failure_reason", 255),
    ("auth_attempts", "attempt_type", 50),
];

/// The NOT NULL columns of the application's DDL (and of authctl's audit table);
/// every other column is nullable.
const NOT_NULL: &[(&str, &[&str])] = &[
    ("users", &["id", "email", "password_hash"]),
    ("auth_attempts", &["id", "ip_address", "success"]),
    ("refresh_tokens", &["id", "user_id", "token", "expires_at"]),
    (
        "login_sessions",
        &["session_id", "user_id", "session_token", "expires_at"],
    ),
    (
        "authctl_audit_events",
        &["id", "occurred_at", "actor", "action"],
    ),
];

/// Time columns of `device_fingerprints` (a table of the application's step 006
/// that authctl does not query, so it is not in schema.rs).
const FINGERPRINT_TIMES: &[&str] = &["first_seen", "last_seen"];

/// What the catalog must say for `c` on this backend.
fn expected_type(table: &str, c: &Col, postgres: bool) -> String {
    if !postgres {
        return c.sqlite_type.to_owned();
    }
    match PG_VARCHAR
        .iter()
        .find(|(t, name, _)| *t == table && *name == c.name)
    {
        Some((_, _, n)) => format!("character varying({n})"),
        None => c.pg_type.to_owned(),
    }
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
            "SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS data_type, \
             NOT a.attnotnull AS nullable \
             FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid \
             JOIN pg_namespace n ON n.oid = r.relnamespace \
             WHERE n.nspname = current_schema() AND r.relname = $1 \
             AND a.attnum > 0 AND NOT a.attisdropped",
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

/// Compare every schema.rs table with the catalog of `conn`.
fn assert_schema_matches(conn: &mut DbConn, postgres: bool, what: &str) {
    for (table, cols) in schema_tables() {
        let actual = db_columns(conn, table);
        let expected: BTreeMap<String, (String, bool)> = cols
            .iter()
            .map(|c| {
                (
                    c.name.to_owned(),
                    (expected_type(table, c, postgres), c.nullable),
                )
            })
            .collect();
        assert_eq!(
            actual, expected,
            "{what}: table {table}: database vs src/schema.rs"
        );
    }
}

fn quick_hash() -> String {
    // The default policy (bcrypt cost 12) is what the application verifies.
    PasswordHasher::default()
        .hash(b"schema test password")
        .unwrap()
}

/// A raw refresh token as long as the application's (a JWT is far over 32 chars).
fn raw_token() -> String {
    format!(
        "eyJ{}.{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn at(s: &str) -> UtcDateTime {
    UtcDateTime::parse_text(s).unwrap()
}

fn ip(s: &str) -> Inet {
    s.parse().unwrap()
}

/// A row of `auth_attempts`, every column (schema.rs order).
type AttemptRow = (
    AttemptId,
    Option<UserId>,
    Option<String>,
    Inet,
    Option<String>,
    bool,
    Option<String>,
    Option<UtcDateTime>,
    Option<String>,
);

/// Insert one auth attempt through the schema.rs columns.
fn insert_attempt(
    conn: &mut DbConn,
    user: Option<UserId>,
    address: Inet,
    success: bool,
    when: UtcDateTime,
) -> AttemptId {
    use schema::auth_attempts as a;
    let id = AttemptId::new_v4();
    with_conn!(conn, c => diesel::insert_into(a::table)
        .values((
            a::id.eq(id),
            a::user_id.eq(user),
            a::email.eq(Some("attempt@example.com")),
            a::ip_address.eq(address),
            a::user_agent.eq(Some("curl/8")),
            a::success.eq(success),
            a::failure_reason.eq((!success).then_some("invalid password")),
            a::timestamp.eq(Some(when)),
            a::attempt_type.eq(Some("login")),
        ))
        .execute(c))
    .unwrap();
    id
}

struct Filled {
    user: User,
    attempt: AttemptRow,
    /// A revoked token (every column set) and an active one.
    revoked: RefreshToken,
    active: RefreshToken,
    session: LoginSession,
    event: AuditEvent,
}

/// One row in every table with every nullable column filled in, through the
/// repositories (and schema.rs for auth_attempts, which has no repository).
fn fill_every_column(conn: &mut DbConn, hash: &str, email: &str) -> Filled {
    let now = UtcDateTime::now();
    let mut new = NewUser::new(email, hash);
    new.name = Some("Full Row");
    new.role = "premium";
    new.email_verified = true;
    let u = new.insert(conn).unwrap();
    let user = repo::users::update(
        conn,
        u.id,
        &UserChanges {
            last_login: Some(Some(now)),
            email_verified_at: Some(Some(now)),
            reset_token: Some(Some("reset-0123456789abcdef".into())),
            reset_token_expires: Some(Some(now + chrono::Duration::hours(1))),
            ..Default::default()
        },
    )
    .unwrap()
    .unwrap();

    let attempt_id = insert_attempt(conn, Some(user.id), ip("192.0.2.7"), false, now);
    let attempt: AttemptRow = with_conn!(conn, c => schema::auth_attempts::table
        .find(attempt_id)
        .first(c))
    .unwrap();

    let raw = raw_token();
    let mut t = NewRefreshToken::new(user.id, &raw, now + chrono::Duration::days(7));
    t.user_agent = Some("Mozilla/5.0");
    t.ip_address = Some(ip("192.0.2.1"));
    let t = repo::refresh_tokens::create(conn, &t).unwrap();
    assert!(repo::refresh_tokens::revoke(conn, &raw, now).unwrap());
    let revoked = repo::refresh_tokens::find(conn, t.id).unwrap().unwrap();
    let raw2 = raw_token();
    let active = repo::refresh_tokens::create(
        conn,
        &NewRefreshToken::new(user.id, &raw2, now + chrono::Duration::days(7)),
    )
    .unwrap();

    let mut s = NewSession::new(user.id, chrono::Duration::hours(1));
    s.ip_address = Some(ip("2001:db8::1"));
    s.user_agent = Some("Mozilla/5.0");
    let session = repo::login_sessions::create(conn, &s).unwrap();

    NewAuditEvent {
        actor: "ops@bastion",
        action: AuditAction::UserCreate,
        user_id: Some(user.id),
        user_email: Some(&user.email),
        detail: Some(serde_json::json!({ "role": "premium" })),
    }
    .append(conn)
    .unwrap();
    let event = repo::audit_events::list(
        conn,
        &AuditFilter {
            user_id: Some(user.id),
            limit: 1,
            ..Default::default()
        },
    )
    .unwrap()
    .remove(0);
    Filled {
        user,
        attempt,
        revoked,
        active,
        session,
        event,
    }
}

/// `INSERT …`/`UPDATE …` through diesel so the error kind is classified.
fn try_sql(conn: &mut DbConn, sql: &str) -> Result<usize, DieselError> {
    with_conn!(conn, c => diesel::sql_query(sql).execute(c))
}

#[track_caller]
fn ok_sql(conn: &mut DbConn, sql: &str) -> usize {
    try_sql(conn, sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[track_caller]
fn refused(conn: &mut DbConn, sql: &str, kind: DatabaseErrorKind, what: &str) {
    match try_sql(conn, sql) {
        Err(DieselError::DatabaseError(k, info)) => assert_eq!(
            std::mem::discriminant(&k),
            std::mem::discriminant(&kind),
            "{what}: {sql}: expected {kind:?}, got {k:?}: {}",
            info.message()
        ),
        other => panic!("{what}: {sql}: expected {kind:?}, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Both backends
// ---------------------------------------------------------------------------

per_backend! {
    fn schema_rs_matches_the_migrated_tables(db) {
        // The lists above are the application's DDL; schema.rs agrees with them.
        for (table, cols) in schema_tables() {
            let not_null: BTreeSet<&str> = cols
                .iter()
                .filter(|c| !c.nullable)
                .map(|c| c.name)
                .collect();
            let app: BTreeSet<&str> = NOT_NULL
                .iter()
                .find(|(t, _)| *t == table)
                .map(|(_, c)| c.iter().copied().collect())
                .unwrap_or_else(|| panic!("{table} missing from NOT_NULL"));
            assert_eq!(
                not_null, app,
                "{table}: NOT NULL columns of schema.rs vs the application's DDL"
            );
        }
        for (table, name, _) in PG_VARCHAR {
            let (_, cols) = schema_tables()
                .into_iter()
                .find(|(t, _)| t == table)
                .unwrap();
            let c = cols.iter().find(|c| c.name == *name).unwrap();
            assert_eq!(c.pg_type, "text", "{table}.{name} is Text in schema.rs");
        }

        let l = db.label();
        let mut conn = db.migrated();
        assert_schema_matches(&mut conn, db.is_postgres(), l);
        // The other tables of the application's step 006 are there too.
        let fp = db_columns(&mut conn, "device_fingerprints");
        assert_eq!(
            fp.keys().map(String::as_str).collect::<Vec<_>>(),
            [
                "blocked_reason",
                "device_count",
                "fingerprint",
                "first_seen",
                "id",
                "ip_address",
                "is_blocked",
                "language",
                "last_seen",
                "platform",
                "screen_resolution",
                "timezone",
                "trust_score",
                "user_agent",
                "user_id",
            ],
            "{l}"
        );

        // A database the application's own runner migrated, then adopted by authctl,
        // matches schema.rs as well.
        if let Some(pg) = PgDb::app_migrated(None) {
            let db = TestDb::Postgres(pg);
            let mut conn = db.migrated();
            assert_schema_matches(&mut conn, true, "application-migrated postgres");
        }
    }
}

per_backend! {
    fn every_column_of_every_table_can_be_selected(db) {
        let hash = quick_hash();
        let l = db.label();
        let mut conn = db.migrated();
        let f = fill_every_column(&mut conn, &hash, "full@example.com");

        // Nullable columns really hold values, so each one's type is decoded.
        let u = &f.user;
        assert_eq!(u.name.as_deref(), Some("Full Row"), "{l}");
        assert_eq!(u.role.as_deref(), Some("premium"), "{l}");
        assert_eq!(u.email_verified, Some(true), "{l}");
        assert!(u.created_at.is_some() && u.updated_at.is_some(), "{l}");
        assert!(
            u.last_login.is_some() && u.email_verified_at.is_some(),
            "{l}"
        );
        assert!(
            u.reset_token.is_some() && u.reset_token_expires.is_some(),
            "{l}"
        );
        let a = &f.attempt;
        assert!(
            a.1 == Some(u.id) && a.2.is_some() && a.4.is_some() && !a.5,
            "{l}: {a:?}"
        );
        assert!(
            a.6.is_some() && a.7.is_some() && a.8.as_deref() == Some("login"),
            "{l}: {a:?}"
        );
        let t = &f.revoked;
        assert!(t.created_at.is_some() && t.revoked_at.is_some(), "{l}");
        assert_eq!(t.is_revoked, Some(true), "{l}");
        assert_eq!(f.active.is_revoked, Some(false), "{l}");
        assert_eq!(t.user_agent.as_deref(), Some("Mozilla/5.0"), "{l}");
        assert_eq!(t.ip_address, Some(ip("192.0.2.1")), "{l}");
        let s = &f.session;
        assert_eq!(s.ip_address, Some(ip("2001:db8::1")), "{l}");
        assert!(s.user_agent.is_some() && s.created_at.is_some(), "{l}");
        assert!(s.last_activity_at.is_some(), "{l}");
        assert_eq!(s.is_active, Some(true), "{l}");
        let e = &f.event;
        assert_eq!(e.user_id, Some(u.id), "{l}");
        assert_eq!(e.user_email.as_deref(), Some("full@example.com"), "{l}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(e.detail.as_deref().unwrap()).unwrap(),
            serde_json::json!({ "role": "premium" }),
            "{l}"
        );

        let mut tokens = vec![f.revoked.clone(), f.active.clone()];
        tokens.sort_by_key(|t| t.id);
        with_conn!(&mut conn, c => {
            use schema::{auth_attempts, authctl_audit_events, login_sessions, refresh_tokens, users};
            // Through the Selectable structs.
            let users_sel: Vec<User> = users::table.select(User::as_select()).load(c).unwrap();
            let tokens_sel: Vec<RefreshToken> = refresh_tokens::table
                .select(RefreshToken::as_select())
                .order(refresh_tokens::id)
                .load(c)
                .unwrap();
            let sessions_sel: Vec<LoginSession> =
                login_sessions::table.select(LoginSession::as_select()).load(c).unwrap();
            let events_sel: Vec<AuditEvent> = authctl_audit_events::table
                .select(AuditEvent::as_select())
                .load(c)
                .unwrap();
            // Through each table's all_columns (the default select).
            let users_all: Vec<User> = users::table.load(c).unwrap();
            let tokens_all: Vec<RefreshToken> =
                refresh_tokens::table.order(refresh_tokens::id).load(c).unwrap();
            let sessions_all: Vec<LoginSession> = login_sessions::table.load(c).unwrap();
            let events_all: Vec<AuditEvent> = authctl_audit_events::table.load(c).unwrap();
            let attempts_all: Vec<AttemptRow> = auth_attempts::table.load(c).unwrap();

            assert_eq!(users_sel, vec![f.user.clone()], "{l}");
            assert_eq!(users_all, users_sel, "{l}");
            assert_eq!(tokens_sel, tokens, "{l}");
            assert_eq!(tokens_all, tokens_sel, "{l}");
            assert_eq!(sessions_sel, vec![f.session.clone()], "{l}");
            assert_eq!(sessions_all, sessions_sel, "{l}");
            assert_eq!(events_sel, vec![f.event.clone()], "{l}");
            assert_eq!(events_all, events_sel, "{l}");
            assert_eq!(attempts_all, vec![f.attempt.clone()], "{l}");

            // Joins declared in schema.rs work.
            let joined: Vec<(RefreshTokenId, String)> = refresh_tokens::table
                .inner_join(users::table)
                .select((refresh_tokens::id, users::email))
                .load(c)
                .unwrap();
            assert_eq!(joined.len(), 2, "{l}");
            let joined: Vec<(i64, Option<String>)> = authctl_audit_events::table
                .left_join(users::table)
                .select((authctl_audit_events::id, users::email.nullable()))
                .load(c)
                .unwrap();
            assert_eq!(joined, vec![(f.event.id, Some(f.user.email.clone()))], "{l}");
            let joined: Vec<(SessionId, Option<String>)> = login_sessions::table
                .inner_join(users::table)
                .select((login_sessions::session_id, users::name))
                .load(c)
                .unwrap();
            assert_eq!(joined, vec![(f.session.session_id, Some("Full Row".into()))], "{l}");
            let joined: Vec<(AttemptId, Option<String>)> = auth_attempts::table
                .left_join(users::table)
                .select((auth_attempts::id, users::email.nullable()))
                .load(c)
                .unwrap();
            assert_eq!(joined, vec![(f.attempt.0, Some(f.user.email.clone()))], "{l}");
        });
    }
}

per_backend! {
    fn the_database_enforces_the_applications_constraints(db) {
        use DatabaseErrorKind::{
            CheckViolation, ForeignKeyViolation, NotNullViolation, UniqueViolation,
        };
        let hash = quick_hash();
        let l = db.label();
        let mut conn = db.migrated();
        let u = NewUser::new("owner@example.com", &hash)
            .insert(&mut conn)
            .unwrap();
        let user_sql = |email: &str, role: &str| {
            format!(
                "INSERT INTO users (email, password_hash, role) VALUES ('{email}', 'h', {role})"
            )
        };

        // users.email UNIQUE (raw SQL: the database itself enforces it).
        ok_sql(&mut conn, &user_sql("dup@example.com", "'user'"));
        refused(
            &mut conn,
            &user_sql("dup@example.com", "'admin'"),
            UniqueViolation,
            l,
        );
        refused(
            &mut conn,
            "UPDATE users SET email = 'dup@example.com' WHERE email = 'owner@example.com'",
            UniqueViolation,
            l,
        );
        refused(
            &mut conn,
            "INSERT INTO users (email) VALUES ('nohash@example.com')",
            NotNullViolation,
            l,
        );

        // users.role CHECK (user, admin, premium); NULL is allowed (nullable).
        for (i, role) in ["'user'", "'admin'", "'premium'", "NULL"]
            .iter()
            .enumerate()
        {
            ok_sql(&mut conn, &user_sql(&format!("role{i}@example.com"), role));
        }
        for role in ["'superuser'", "'Admin'", "''", "'moderator'"] {
            refused(
                &mut conn,
                &user_sql("badrole@example.com", role),
                CheckViolation,
                &format!("{l}: role {role}"),
            );
        }
        refused(
            &mut conn,
            &format!("UPDATE users SET role = 'root' WHERE id = '{}'", u.id),
            CheckViolation,
            l,
        );

        // users.email format CHECK: the application's regular expression on
        // PostgreSQL; SQLite refuses what is clearly not an address.
        let mut bad_emails = vec!["not-an-email", "a@b", "@example.com"];
        if db.is_postgres() {
            bad_emails.extend([
                "a@b.c",
                "a b@example.com",
                "user@exa_mple.com",
                "user@example.c0m",
                "üser@example.com",
            ]);
        }
        for email in bad_emails {
            refused(
                &mut conn,
                &user_sql(email, "'user'"),
                CheckViolation,
                &format!("{l}: email {email:?}"),
            );
        }
        for email in ["Good.Name+tag@Example.co.uk", "x_y%z@sub-1.example.io"] {
            ok_sql(&mut conn, &user_sql(email, "'user'"));
        }

        // Defaults fill in the rest of a raw row, with a v4 uuid.
        let before = UtcDateTime::now() - chrono::Duration::milliseconds(1);
        ok_sql(
            &mut conn,
            "INSERT INTO users (email, password_hash) VALUES ('defaults@example.com', 'h')",
        );
        let after = UtcDateTime::now();
        let d = repo::users::find_by_email(&mut conn, "defaults@example.com")
            .unwrap()
            .unwrap();
        assert_eq!(d.role.as_deref(), Some("user"), "{l}");
        assert_eq!(d.email_verified, Some(false), "{l}");
        assert_eq!(d.name, None, "{l}");
        assert_eq!(d.id.0.get_version_num(), 4, "{l}: {}", d.id);
        for t in [d.created_at.unwrap(), d.updated_at.unwrap()] {
            assert!(
                before <= t && t <= after,
                "{l}: default time {t} is now in UTC ({before} .. {after})"
            );
        }

        // refresh_tokens: token length >= 32, UNIQUE, FK to users.
        let token_sql = |user: &str, token: &str| {
            format!(
                "INSERT INTO refresh_tokens (user_id, token, expires_at) \
                 VALUES ('{user}', '{token}', '2030-01-01 00:00:00.000000')"
            )
        };
        let uid = u.id.to_string();
        for token in [String::new(), "a".repeat(31), "short".into()] {
            refused(
                &mut conn,
                &token_sql(&uid, &token),
                CheckViolation,
                &format!("{l}: token of {} chars", token.len()),
            );
        }
        let t32 = "b".repeat(32);
        assert_eq!(ok_sql(&mut conn, &token_sql(&uid, &t32)), 1, "{l}");
        refused(&mut conn, &token_sql(&uid, &t32), UniqueViolation, l);
        let nobody = UserId::new_v4().to_string();
        refused(
            &mut conn,
            &token_sql(&nobody, &"c".repeat(40)),
            ForeignKeyViolation,
            l,
        );
        refused(
            &mut conn,
            &format!(
                "INSERT INTO refresh_tokens (user_id, token) VALUES ('{uid}', '{}')",
                "d".repeat(40)
            ),
            NotNullViolation,
            &format!("{l}: expires_at"),
        );
        assert_eq!(
            common::query_strings(
                &db,
                &format!(
                    "SELECT CASE WHEN is_revoked THEN 'revoked' ELSE 'active' END AS v \
                     FROM refresh_tokens WHERE token = '{t32}'"
                )
            ),
            ["active"],
            "{l}: is_revoked defaults to false"
        );
        // The application's own tokens (signed JWTs) pass.
        assert_eq!(ok_sql(&mut conn, &token_sql(&uid, &raw_token())), 1, "{l}");

        // login_sessions: expires_at > created_at, session_token UNIQUE, FK.
        let session_sql = |user: &str, token: &str, created: &str, expires: &str| {
            format!(
                "INSERT INTO login_sessions (user_id, session_token, created_at, expires_at) \
                 VALUES ('{user}', '{token}', '{created}', '{expires}')"
            )
        };
        let t0 = "2030-01-01 00:00:00.000000";
        let t1 = "2030-01-01 00:00:00.000001";
        let tok = || uuid::Uuid::new_v4().to_string();
        refused(
            &mut conn,
            &session_sql(&uid, &tok(), t0, t0),
            CheckViolation,
            &format!("{l}: expires_at = created_at"),
        );
        refused(
            &mut conn,
            &session_sql(&uid, &tok(), t1, t0),
            CheckViolation,
            &format!("{l}: expires_at < created_at"),
        );
        let st = tok();
        assert_eq!(ok_sql(&mut conn, &session_sql(&uid, &st, t0, t1)), 1, "{l}");
        refused(
            &mut conn,
            &session_sql(&uid, &st, t0, t1),
            UniqueViolation,
            &format!("{l}: session_token"),
        );
        refused(
            &mut conn,
            &session_sql(&nobody, &tok(), t0, t1),
            ForeignKeyViolation,
            l,
        );
        refused(
            &mut conn,
            &format!(
                "UPDATE login_sessions SET expires_at = created_at WHERE session_token = '{st}'"
            ),
            CheckViolation,
            &format!("{l}: update into expires_at = created_at"),
        );
        assert_eq!(
            common::count(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM login_sessions WHERE session_token = '{st}' \
                     AND is_active AND last_activity_at IS NOT NULL"
                )
            ),
            1,
            "{l}: is_active defaults to true, last_activity_at to now"
        );

        // auth_attempts: attempt_type CHECK, ip_address NOT NULL, defaults.
        let attempt_sql = |ty: &str| {
            format!(
                "INSERT INTO auth_attempts (user_id, ip_address, attempt_type) \
                 VALUES ('{uid}', '192.0.2.9', {ty})"
            )
        };
        for ty in [
            "'login'",
            "'register'",
            "'reset_password'",
            "'verify_email'",
        ] {
            ok_sql(&mut conn, &attempt_sql(ty));
        }
        for ty in ["'logout'", "'LOGIN'", "''"] {
            refused(
                &mut conn,
                &attempt_sql(ty),
                CheckViolation,
                &format!("{l}: attempt_type {ty}"),
            );
        }
        refused(
            &mut conn,
            "INSERT INTO auth_attempts (email) VALUES ('x@example.com')",
            NotNullViolation,
            &format!("{l}: auth_attempts.ip_address"),
        );
        ok_sql(
            &mut conn,
            "INSERT INTO auth_attempts (ip_address) VALUES ('198.51.100.1')",
        );
        assert_eq!(
            common::count(
                &db,
                "SELECT count(*) AS n FROM auth_attempts WHERE ip_address = '198.51.100.1' \
                 AND attempt_type = 'login' AND NOT success AND \"timestamp\" IS NOT NULL"
            ),
            1,
            "{l}: attempt defaults"
        );

        // device_fingerprints: trust_score 0..100, fingerprint UNIQUE.
        let fp_sql = |fp: &str, score: i32| {
            format!(
                "INSERT INTO device_fingerprints (fingerprint, user_id, trust_score) \
                 VALUES ('{fp}', '{uid}', {score})"
            )
        };
        for score in [-1, 101] {
            refused(
                &mut conn,
                &fp_sql("fp-bad", score),
                CheckViolation,
                &format!("{l}: trust_score {score}"),
            );
        }
        ok_sql(&mut conn, &fp_sql("fp-1", 0));
        ok_sql(&mut conn, &fp_sql("fp-2", 100));
        refused(&mut conn, &fp_sql("fp-1", 50), UniqueViolation, l);
    }
}

per_backend! {
    fn deleting_a_user_cascades_and_keeps_the_audit_trail_by_email(db) {
        let hash = quick_hash();
        let l = db.label();
        let mut conn = db.migrated();
        let f = fill_every_column(&mut conn, &hash, "gone@example.com");
        let other = fill_every_column(&mut conn, &hash, "stays@example.com");
        for u in [&f.user, &other.user] {
            ok_sql(
                &mut conn,
                &format!(
                    "INSERT INTO device_fingerprints (fingerprint, user_id) VALUES ('fp-{}', '{}')",
                    u.id, u.id
                ),
            );
        }
        let tables = [
            ("refresh_tokens", 2),
            ("login_sessions", 1),
            ("auth_attempts", 1),
            ("device_fingerprints", 1),
            ("authctl_audit_events", 1),
        ];
        let per_user = |table: &str, id: UserId| {
            common::count(
                &db,
                &format!("SELECT count(*) AS n FROM {table} WHERE user_id = '{id}'"),
            )
        };
        for (table, n) in tables {
            assert_eq!(per_user(table, f.user.id), n, "{l}: {table}");
            assert_eq!(per_user(table, other.user.id), n, "{l}: {table}");
        }

        // Raw SQL, not the repository: the database itself enforces it.
        db.exec(&format!("DELETE FROM users WHERE id = '{}'", f.user.id));
        for (table, n) in tables {
            assert_eq!(
                per_user(table, f.user.id),
                0,
                "{l}: {table} of the deleted user"
            );
            assert_eq!(
                per_user(table, other.user.id),
                n,
                "{l}: {table} of the other user"
            );
        }
        for table in [
            "refresh_tokens",
            "login_sessions",
            "auth_attempts",
            "device_fingerprints",
        ] {
            assert_eq!(
                common::count(&db, &format!("SELECT count(*) AS n FROM {table}")),
                per_user(table, other.user.id),
                "{l}: {table}: only the other user's rows are left"
            );
        }
        // The audit event stays, user_id NULL, user_email still naming the user.
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM authctl_audit_events"),
            2,
            "{l}"
        );
        assert_eq!(
            common::query_strings(
                &db,
                "SELECT user_email AS v FROM authctl_audit_events WHERE user_id IS NULL"
            ),
            ["gone@example.com"],
            "{l}"
        );
        let history = repo::audit_events::list(
            &mut conn,
            &AuditFilter {
                user_email: Some("gone@example.com".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(history.len(), 1, "{l}");
        assert_eq!(history[0].id, f.event.id, "{l}");
        assert_eq!(history[0].user_id, None, "{l}");
        assert_eq!(history[0].detail, f.event.detail, "{l}");
    }
}

per_backend! {
    /// The `inet` columns hold IPv4, IPv6 and networks; `authctl::db::Inet` writes and
    /// reads them exactly, on both backends.
    fn inet_columns_round_trip_ipv4_ipv6_and_cidr(db) {
        let hash = quick_hash();
        let values = [
            "192.0.2.1",
            "2001:db8::1",
            "10.0.0.0/8",
            "192.0.2.1/24",
            "2001:db8::/32",
            "::ffff:192.0.2.1",
        ];
        let l = db.label();
        let mut conn = db.migrated();
        let u = NewUser::new("inet@example.com", &hash)
            .insert(&mut conn)
            .unwrap();
        for v in values {
            let addr = ip(v);
            assert_eq!(addr.to_string(), v, "Inet displays {v} canonically");
            let raw = raw_token();
            let mut t =
                NewRefreshToken::new(u.id, &raw, UtcDateTime::now() + chrono::Duration::days(1));
            t.ip_address = Some(addr);
            let t = repo::refresh_tokens::create(&mut conn, &t).unwrap();
            let mut s = NewSession::new(u.id, chrono::Duration::hours(1));
            s.ip_address = Some(addr);
            let s = repo::login_sessions::create(&mut conn, &s).unwrap();
            let a = insert_attempt(&mut conn, Some(u.id), addr, true, UtcDateTime::now());

            assert_eq!(
                repo::refresh_tokens::find(&mut conn, t.id)
                    .unwrap()
                    .unwrap()
                    .ip_address,
                Some(addr),
                "{l}: refresh_tokens {v}"
            );
            assert_eq!(
                repo::login_sessions::find(&mut conn, s.session_id)
                    .unwrap()
                    .unwrap()
                    .ip_address,
                Some(addr),
                "{l}: login_sessions {v}"
            );
            let back: Inet = with_conn!(&mut conn, c => schema::auth_attempts::table
                .find(a)
                .select(schema::auth_attempts::ip_address)
                .first(c))
            .unwrap();
            assert_eq!(back, addr, "{l}: auth_attempts {v}");

            let prefix = addr.0.prefix_len();
            if db.is_postgres() {
                // A real inet value: the application's comparisons find it.
                for (table, key, id) in [
                    ("refresh_tokens", "id", t.id.to_string()),
                    ("login_sessions", "session_id", s.session_id.to_string()),
                    ("auth_attempts", "id", a.to_string()),
                ] {
                    assert_eq!(
                        common::query_strings(
                            &db,
                            &format!(
                                "SELECT host(ip_address) || '/' || masklen(ip_address) AS v \
                                 FROM {table} WHERE {key} = '{id}' AND ip_address = '{v}'::inet"
                            )
                        ),
                        [format!("{}/{prefix}", addr.0.addr())],
                        "{l}: {table} {v}"
                    );
                }
            } else {
                // SQLite keeps the canonical text.
                assert_eq!(
                    common::query_strings(
                        &db,
                        &format!(
                            "SELECT ip_address AS v FROM refresh_tokens WHERE id = '{}'",
                            t.id
                        )
                    ),
                    [v],
                    "{l}: {v}"
                );
            }
        }

        // Text written by another client in a non-canonical form reads as the same address.
        ok_sql(
            &mut conn,
            &format!(
                "INSERT INTO auth_attempts (id, ip_address) VALUES ('{}', '2001:DB8:0:0::1')",
                AttemptId::new_v4()
            ),
        );
        let n: i64 = with_conn!(&mut conn, c => schema::auth_attempts::table
            .filter(schema::auth_attempts::user_id.is_null())
            .count()
            .get_result(c))
        .unwrap();
        assert_eq!(n, 1, "{l}");
        let back: Inet = with_conn!(&mut conn, c => schema::auth_attempts::table
            .filter(schema::auth_attempts::user_id.is_null())
            .select(schema::auth_attempts::ip_address)
            .first(c))
        .unwrap();
        assert_eq!(back, ip("2001:db8::1"), "{l}");
        if db.is_postgres() {
            assert!(
                try_sql(
                    &mut conn,
                    "INSERT INTO auth_attempts (ip_address) VALUES ('not-an-address')"
                )
                .is_err(),
                "{l}: inet refuses text that is not an address"
            );
        }
    }
}

per_backend! {
    /// `updated_at` is bumped by every UPDATE of a user; `last_activity_at` by an UPDATE
    /// that leaves a session active, not by one that deactivates it (the application's
    /// triggers, and their SQLite equivalents).
    fn triggers_bump_updated_at_and_last_activity_at(db) {
        let hash = quick_hash();
        let old = at("2000-01-01T00:00:00Z");
        let l = db.label();
        let mut conn = db.migrated();
        let mut new = NewUser::new("trigger@example.com", &hash);
        new.created_at = old;
        new.updated_at = old;
        let u = new.insert(&mut conn).unwrap();
        assert_eq!(u.updated_at, Some(old), "{l}: insert keeps the given value");
        let updated_at = || {
            repo::users::find(&mut db.connect(), u.id)
                .unwrap()
                .unwrap()
                .updated_at
                .unwrap()
        };

        // A raw UPDATE that does not name updated_at bumps it to now.
        let before = UtcDateTime::now() - chrono::Duration::milliseconds(1);
        ok_sql(
            &mut conn,
            &format!("UPDATE users SET name = 'Renamed' WHERE id = '{}'", u.id),
        );
        let after = UtcDateTime::now();
        let t = updated_at();
        assert!(before <= t && t <= after, "{l}: {t} in {before} .. {after}");
        // So does one that changes nothing (a second user, still at the old value).
        let mut new = NewUser::new("noop@example.com", &hash);
        new.updated_at = old;
        let u2 = new.insert(&mut conn).unwrap();
        let before = UtcDateTime::now() - chrono::Duration::milliseconds(1);
        ok_sql(
            &mut conn,
            &format!("UPDATE users SET role = role WHERE id = '{}'", u2.id),
        );
        let t = repo::users::find(&mut conn, u2.id)
            .unwrap()
            .unwrap()
            .updated_at
            .unwrap();
        assert!(
            before <= t && t <= UtcDateTime::now(),
            "{l}: no-op update: {t}"
        );
        assert_eq!(
            repo::users::find(&mut conn, u.id)
                .unwrap()
                .unwrap()
                .created_at,
            Some(old),
            "{l}: created_at is never touched"
        );

        // Sessions: one inserted with an old last_activity_at per case.
        let session = |active: bool| {
            let mut s = NewSession::new(u.id, chrono::Duration::hours(1));
            s.last_activity_at = old;
            s.is_active = active;
            repo::login_sessions::create(&mut conn_for(&db), &s).unwrap()
        };
        let activity = |id: SessionId| {
            repo::login_sessions::find(&mut db.connect(), id)
                .unwrap()
                .unwrap()
                .last_activity_at
                .unwrap()
        };
        let (s_raw, s_repo, s_off, s_inactive) =
            (session(true), session(true), session(true), session(false));
        for s in [&s_raw, &s_repo, &s_off, &s_inactive] {
            assert_eq!(
                s.last_activity_at,
                Some(old),
                "{l}: insert keeps the given value"
            );
        }

        let before = UtcDateTime::now() - chrono::Duration::milliseconds(1);
        ok_sql(
            &mut conn,
            &format!(
                "UPDATE login_sessions SET user_agent = 'changed' WHERE session_id = '{}'",
                s_raw.session_id
            ),
        );
        repo::login_sessions::update(
            &mut conn,
            s_repo.session_id,
            &SessionChanges {
                expires_at: Some(UtcDateTime::now() + chrono::Duration::hours(2)),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        let after = UtcDateTime::now();
        for s in [&s_raw, &s_repo] {
            let t = activity(s.session_id);
            assert!(
                before <= t && t <= after,
                "{l}: an active session's update bumps last_activity_at: {t}"
            );
        }

        // Deactivating (the application's logout) leaves it alone.
        assert!(repo::login_sessions::invalidate(&mut conn, s_off.session_id).unwrap());
        let off = repo::login_sessions::find(&mut conn, s_off.session_id)
            .unwrap()
            .unwrap();
        assert_eq!(off.is_active, Some(false), "{l}");
        assert_eq!(off.last_activity_at, Some(old), "{l}: deactivation");
        // An inactive session's update does too.
        ok_sql(
            &mut conn,
            &format!(
                "UPDATE login_sessions SET user_agent = 'changed' WHERE session_id = '{}'",
                s_inactive.session_id
            ),
        );
        assert_eq!(
            activity(s_inactive.session_id),
            old,
            "{l}: inactive session"
        );

        // device_fingerprints.last_seen (the application's third trigger).
        ok_sql(
            &mut conn,
            &format!(
                "INSERT INTO device_fingerprints (fingerprint, user_id, first_seen, last_seen) \
                 VALUES ('fp-trigger', '{}', '2000-01-01 00:00:00.000000', '2000-01-01 00:00:00.000000')",
                u.id
            ),
        );
        let before = UtcDateTime::now() - chrono::Duration::milliseconds(1);
        ok_sql(
            &mut conn,
            "UPDATE device_fingerprints SET trust_score = 80 WHERE fingerprint = 'fp-trigger'",
        );
        let after = UtcDateTime::now();
        let seen = time_value(
            &db,
            "device_fingerprints",
            "last_seen",
            "fingerprint = 'fp-trigger'",
        );
        assert!(before <= seen && seen <= after, "{l}: last_seen {seen}");
    }
}

fn conn_for(db: &TestDb) -> DbConn {
    db.connect()
}

/// A time column of one row read with raw SQL (for tables outside schema.rs).
fn time_value(db: &TestDb, table: &str, column: &str, filter: &str) -> UtcDateTime {
    let expr = if db.is_postgres() {
        format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')")
    } else {
        column.to_owned()
    };
    let v = common::query_strings(
        db,
        &format!("SELECT {expr} AS v FROM {table} WHERE {filter}"),
    );
    assert_eq!(v.len(), 1, "{table}.{column} where {filter}: {v:?}");
    UtcDateTime::parse_text(&v[0]).unwrap()
}

per_backend! {
    /// SQLite's triggers do what PostgreSQL's do in the cases where they are written
    /// differently: PostgreSQL's `BEFORE UPDATE` triggers overwrite an explicitly set
    /// `updated_at` / `last_activity_at` with now, and `update_login_sessions_activity`
    /// fires only `WHEN (OLD.* IS DISTINCT FROM NEW.*)`.
    fn sqlite_triggers_match_postgres_on_explicit_and_unchanged_updates(db) {
        let hash = quick_hash();
        let old = at("2000-01-01T00:00:00Z");
        let set = "2001-01-01 00:00:00.000000";
        let l = db.label();
        let mut conn = db.migrated();
        let mut new = NewUser::new("explicit@example.com", &hash);
        new.updated_at = old;
        let u = new.insert(&mut conn).unwrap();
        ok_sql(
            &mut conn,
            &format!(
                "UPDATE users SET name = 'x', updated_at = '{set}' WHERE id = '{}'",
                u.id
            ),
        );
        let user_bumped = repo::users::find(&mut conn, u.id)
            .unwrap()
            .unwrap()
            .updated_at
            > Some(at("2001-01-02T00:00:00Z"));

        let mut s = NewSession::new(u.id, chrono::Duration::hours(1));
        s.last_activity_at = old;
        let s1 = repo::login_sessions::create(&mut conn, &s).unwrap();
        let mut s = NewSession::new(u.id, chrono::Duration::hours(1));
        s.last_activity_at = old;
        let s2 = repo::login_sessions::create(&mut conn, &s).unwrap();
        ok_sql(
            &mut conn,
            &format!(
                "UPDATE login_sessions SET last_activity_at = '{set}' WHERE session_id = '{}'",
                s1.session_id
            ),
        );
        ok_sql(
            &mut conn,
            &format!(
                "UPDATE login_sessions SET user_agent = user_agent WHERE session_id = '{}'",
                s2.session_id
            ),
        );
        let act = |id| {
            repo::login_sessions::find(&mut db.connect(), id)
                .unwrap()
                .unwrap()
                .last_activity_at
        };
        let explicit_bumped = act(s1.session_id) > Some(at("2001-01-02T00:00:00Z"));
        let unchanged_bumped = act(s2.session_id) != Some(old);
        // PostgreSQL's behaviour, written down so the SQLite run is held to it even
        // without a server.
        let postgres = [true, true, false];
        assert_eq!(
            [user_bumped, explicit_bumped, unchanged_bumped],
            postgres,
            "{l}: [explicit updated_at overwritten, explicit last_activity_at overwritten, \
             unchanged session row bumped]"
        );
    }
}

// ---------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------

/// Tables whose time columns are not the application's or authctl's to choose:
/// the application's own ledger and diesel's.
const FOREIGN_LEDGERS: &[(&str, &str)] = &[
    ("schema_migrations", "executed_at"),
    ("__diesel_schema_migrations", "run_on"),
];

#[test]
fn postgres_every_time_column_is_timestamptz() {
    let Some(db) = TestDb::postgres() else { return };
    drop(db.migrated());
    let app_tables = "('users', 'auth_attempts', 'device_fingerprints', 'refresh_tokens', \
                      'login_sessions', 'authctl_audit_events')";
    let without = common::query_strings(
        &db,
        "SELECT table_name::text || '.' || column_name::text AS v FROM information_schema.columns \
         WHERE table_schema = current_schema() AND data_type = 'timestamp without time zone' \
         ORDER BY 1",
    );
    let exempt: Vec<String> = FOREIGN_LEDGERS
        .iter()
        .map(|(t, c)| format!("{t}.{c}"))
        .chain(["__authctl_app_steps.recorded_at".to_owned()])
        .collect();
    let offending: Vec<&String> = without.iter().filter(|c| !exempt.contains(c)).collect();
    assert!(
        offending.is_empty(),
        "timestamp without time zone: {offending:?}"
    );
    // The application's ledger is its own plain timestamp (the exemption is real).
    assert!(
        without.contains(&"schema_migrations.executed_at".to_owned()),
        "{without:?}"
    );

    let mut with_tz = common::query_strings(
        &db,
        &format!(
            "SELECT table_name::text || '.' || column_name::text AS v FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name IN {app_tables} \
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
        .chain(
            FINGERPRINT_TIMES
                .iter()
                .map(|c| format!("device_fingerprints.{c}")),
        )
        .collect();
    expected.sort();
    assert_eq!(
        with_tz, expected,
        "every UtcTimestamp column (and device_fingerprints') and only those"
    );
    // No other date/time types (date, time, interval) crept in either.
    let other = common::query_strings(
        &db,
        &format!(
            "SELECT table_name::text || '.' || column_name::text || ' ' || data_type::text AS v \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name IN {app_tables} AND data_type NOT IN \
             ('bigint', 'integer', 'text', 'boolean', 'timestamp with time zone', 'uuid', \
              'inet', 'character varying')"
        ),
    );
    assert!(other.is_empty(), "{other:?}");
}

/// authctl's own bookkeeping follows its convention too (PostgreSQL times are
/// `timestamptz`, never `timestamp`).
#[test]
fn postgres_authctl_bookkeeping_times_are_timestamptz() {
    let Some(db) = TestDb::postgres() else { return };
    drop(db.migrated());
    let types = common::query_strings(
        &db,
        "SELECT table_name::text || '.' || column_name::text || ' ' || data_type::text AS v \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name LIKE '\\_\\_authctl%' AND data_type LIKE 'timestamp%'",
    );
    assert_eq!(
        types,
        ["__authctl_app_steps.recorded_at timestamp with time zone"]
    );
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
        let updated = at("1999-12-31T23:59:59.999999Z");
        let mut new = NewUser::new("tz@example.com", &hash);
        new.created_at = created;
        new.updated_at = updated;
        let u = new.insert(&mut conn).unwrap();
        assert_eq!(u.created_at, Some(created), "{zone}");
        assert_eq!(u.updated_at, Some(updated), "{zone}");
        let verified = at("2026-11-01T05:30:00.000001Z");
        let reset = at("2026-07-04T16:00:00.500000Z");
        let u = repo::users::update(
            &mut conn,
            u.id,
            &UserChanges {
                email_verified_at: Some(Some(verified)),
                reset_token_expires: Some(Some(reset)),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(u.email_verified_at, Some(verified), "{zone}");
        assert_eq!(u.reset_token_expires, Some(reset), "{zone}");
        assert_eq!(u.created_at, Some(created), "{zone}");

        let ttl = chrono::Duration::days(90) + chrono::Duration::microseconds(123_456);
        let token = raw_token();
        let issued = UtcDateTime::now();
        let mut nt = NewRefreshToken::new(u.id, &token, issued + ttl);
        nt.created_at = issued;
        let t = repo::refresh_tokens::create(&mut conn, &nt).unwrap();
        assert_eq!(t.created_at, Some(issued), "{zone}");
        assert_eq!(t.expires_at, issued + ttl, "{zone}");
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

        let mut ns = NewSession::new(u.id, chrono::Duration::hours(1));
        let s_created = at("2026-03-08T06:59:59.999999Z");
        let s_expires = at("2026-03-08T07:00:00.000001Z");
        ns.created_at = s_created;
        ns.last_activity_at = s_created;
        ns.expires_at = s_expires;
        let s = repo::login_sessions::create(&mut conn, &ns).unwrap();
        assert_eq!(
            (s.created_at, s.expires_at),
            (Some(s_created), s_expires),
            "{zone}"
        );

        // (b) Raw SQL agrees: epoch microseconds, in the library's session and in a
        // session in the database's own time zone.
        let epoch_sql = |col: &str, table: &str, key: &str, id: &str| {
            format!(
                "SELECT (extract(epoch FROM {col}) * 1000000)::bigint::text AS v \
                 FROM {table} WHERE {key} = '{id}'"
            )
        };
        let (uid, tid, sid) = (u.id.to_string(), t.id.to_string(), s.session_id.to_string());
        for (col, table, key, id, want) in [
            ("expires_at", "refresh_tokens", "id", &tid, expires),
            ("created_at", "refresh_tokens", "id", &tid, issued),
            ("created_at", "users", "id", &uid, created),
            ("email_verified_at", "users", "id", &uid, verified),
            ("updated_at", "users", "id", &uid, u.updated_at.unwrap()),
            ("reset_token_expires", "users", "id", &uid, reset),
            (
                "created_at",
                "login_sessions",
                "session_id",
                &sid,
                s_created,
            ),
            (
                "expires_at",
                "login_sessions",
                "session_id",
                &sid,
                s_expires,
            ),
        ] {
            let sql = epoch_sql(col, table, key, id);
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
                     FROM {table} WHERE {key} = '{id}'"
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
                "UPDATE users SET last_login = '2026-07-04 12:00:00.25' WHERE id = '{uid}' \
                 RETURNING 'ok'::text AS v"
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
        assert_eq!(back.last_login, Some(expected), "{zone}");

        // Comparisons made by the library use the same instants.
        let listed = repo::users::list(
            &mut conn,
            &repo::UserFilter {
                created_since: Some(created),
                limit: 10,
                ..Default::default()
            },
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
        )
        .unwrap();
        assert!(listed.is_empty(), "{zone}");
        // The application's rule: a token is expired once expires_at < now.
        assert_eq!(
            repo::refresh_tokens::delete_expired(&mut conn, expires).unwrap(),
            0,
            "{zone}"
        );
        assert_eq!(
            repo::refresh_tokens::delete_expired(
                &mut conn,
                expires + chrono::Duration::microseconds(1)
            )
            .unwrap(),
            1,
            "{zone}"
        );
        // And a session valid for 2 µs around the zone's gap is active in between only.
        assert!(
            repo::login_sessions::validate(
                &mut conn,
                s.session_token,
                s_expires - chrono::Duration::microseconds(1)
            )
            .unwrap(),
            "{zone}"
        );
        assert!(
            !repo::login_sessions::validate(&mut conn, s.session_token, s_expires).unwrap(),
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

/// One text value of a query on PostgreSQL.
fn pg_value(db: &TestDb, sql: &str) -> String {
    let mut v = common::query_strings(db, sql);
    assert_eq!(v.len(), 1, "{sql}: {v:?}");
    v.remove(0)
}

/// The application's SQL functions and triggers exist with their signatures.
#[test]
fn postgres_application_functions_and_triggers_exist() {
    let Some(db) = TestDb::postgres() else { return };
    drop(db.migrated());
    let mut functions = common::query_strings(
        &db,
        "SELECT p.proname || '(' || oidvectortypes(p.proargtypes) || ') -> ' || \
         format_type(p.prorettype, NULL) || ' defaults ' || p.pronargdefaults AS v \
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname = current_schema()",
    );
    functions.sort();
    assert_eq!(
        functions,
        [
            "check_rate_limit(inet, integer, integer) -> boolean defaults 2",
            "clean_expired_refresh_tokens() -> integer defaults 0",
            "clean_expired_sessions() -> integer defaults 0",
            "clean_old_auth_attempts() -> integer defaults 0",
            "get_active_session_count(uuid) -> integer defaults 0",
            "update_device_last_seen() -> trigger defaults 0",
            "update_session_activity() -> trigger defaults 0",
            "update_updated_at_column() -> trigger defaults 0",
        ]
    );
    let mut triggers = common::query_strings(
        &db,
        "SELECT c.relname || ': ' || t.tgname || ' -> ' || p.proname AS v \
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid \
         WHERE NOT t.tgisinternal",
    );
    triggers.sort();
    assert_eq!(
        triggers,
        [
            "device_fingerprints: update_device_fingerprints_last_seen -> update_device_last_seen",
            "login_sessions: update_login_sessions_activity -> update_session_activity",
            "users: update_users_updated_at -> update_updated_at_column",
        ]
    );
}

#[test]
fn postgres_check_rate_limit_blocks_an_ip_after_five_failures_in_fifteen_minutes() {
    let Some(db) = TestDb::postgres() else { return };
    let mut conn = db.migrated();
    let allowed = |ip: &str| pg_value(&db, &format!("SELECT check_rate_limit('{ip}')::text AS v"));
    let attacker = ip("192.0.2.50");
    let now = UtcDateTime::now();
    assert_eq!(allowed("192.0.2.50"), "true");

    // Four failures, a success and a failure 16 minutes ago: still allowed.
    for _ in 0..4 {
        insert_attempt(&mut conn, None, attacker, false, now);
    }
    insert_attempt(&mut conn, None, attacker, true, now);
    insert_attempt(
        &mut conn,
        None,
        attacker,
        false,
        now - chrono::Duration::minutes(16),
    );
    assert_eq!(allowed("192.0.2.50"), "true", "4 recent failures");
    // The fifth recent failure blocks the address …
    insert_attempt(&mut conn, None, attacker, false, now);
    assert_eq!(allowed("192.0.2.50"), "false", "5 recent failures");
    // … and only that address.
    assert_eq!(allowed("192.0.2.51"), "true");
    insert_attempt(&mut conn, None, ip("2001:db8::50"), false, now);
    assert_eq!(allowed("2001:db8::50"), "true");
    // The window and the limit are parameters.
    assert_eq!(
        pg_value(
            &db,
            "SELECT check_rate_limit('192.0.2.50', 15, 6)::text AS v"
        ),
        "true"
    );
    assert_eq!(
        pg_value(
            &db,
            "SELECT check_rate_limit('192.0.2.50', 30, 6)::text AS v"
        ),
        "false",
        "the 16-minute-old failure counts in a 30-minute window"
    );
    // The application fixture's own query agrees.
    let TestDb::Postgres(pg) = &db else {
        unreachable!()
    };
    if !common::has_app() {
        return;
    }
    assert_eq!(
        common::app_ok(&pg.url, &["rate-limit", "192.0.2.50"], "", 1)["allowed"],
        false
    );
    assert_eq!(
        common::app_ok(&pg.url, &["rate-limit", "192.0.2.51"], "", 0)["allowed"],
        true
    );
}

#[test]
fn postgres_session_count_and_cleanup_functions() {
    let Some(db) = TestDb::postgres() else { return };
    let hash = quick_hash();
    let mut conn = db.migrated();
    let u = NewUser::new("fn@example.com", &hash)
        .insert(&mut conn)
        .unwrap();
    let other = NewUser::new("fn-other@example.com", &hash)
        .insert(&mut conn)
        .unwrap();
    let now = UtcDateTime::now();
    let days = chrono::Duration::days;

    // get_active_session_count: is_active AND expires_at > now.
    let session = |user: UserId,
                   active: bool,
                   created: UtcDateTime,
                   expires: UtcDateTime,
                   last: UtcDateTime| {
        let mut s = NewSession::new(user, chrono::Duration::hours(1));
        s.is_active = active;
        s.created_at = created;
        s.expires_at = expires;
        s.last_activity_at = last;
        repo::login_sessions::create(&mut conn_for(&db), &s).unwrap()
    };
    let hour = chrono::Duration::hours(1);
    let a1 = session(u.id, true, now, now + hour, now);
    let a2 = session(u.id, true, now, now + hour, now);
    let expired = session(u.id, true, now - days(2), now - days(1), now - days(1));
    let idle_old = session(u.id, false, now - days(40), now + days(1), now - days(31));
    let idle_new = session(u.id, false, now - days(2), now + days(1), now - days(1));
    let _other_active = session(other.id, true, now, now + hour, now);
    let count = |id: UserId| {
        pg_value(
            &db,
            &format!("SELECT get_active_session_count('{id}')::text AS v"),
        )
    };
    assert_eq!(count(u.id), "2");
    assert_eq!(count(other.id), "1");
    assert_eq!(count(UserId::new_v4()), "0");
    assert_eq!(
        repo::login_sessions::count_active_for_user(&mut conn, u.id, UtcDateTime::now()).unwrap(),
        2,
        "the repository counts like the function"
    );

    // clean_expired_sessions: expired, or inactive and idle for more than 30 days.
    assert_eq!(
        pg_value(&db, "SELECT clean_expired_sessions()::text AS v"),
        "2"
    );
    assert_eq!(
        pg_value(&db, "SELECT clean_expired_sessions()::text AS v"),
        "0"
    );
    let mut left = common::query_strings(
        &db,
        "SELECT session_id::text AS v FROM login_sessions WHERE user_id = (SELECT id FROM users WHERE email = 'fn@example.com')",
    );
    left.sort();
    let mut want: Vec<String> = [a1.session_id, a2.session_id, idle_new.session_id]
        .iter()
        .map(ToString::to_string)
        .collect();
    want.sort();
    assert_eq!(left, want);
    assert!(
        repo::login_sessions::find(&mut conn, expired.session_id)
            .unwrap()
            .is_none()
            && repo::login_sessions::find(&mut conn, idle_old.session_id)
                .unwrap()
                .is_none()
    );

    // clean_expired_refresh_tokens: expired, or revoked more than 7 days ago.
    let token = |expires: UtcDateTime, revoked: Option<UtcDateTime>| {
        let raw = raw_token();
        let t = repo::refresh_tokens::create(
            &mut conn_for(&db),
            &NewRefreshToken::new(u.id, &raw, expires),
        )
        .unwrap();
        if let Some(at) = revoked {
            assert!(repo::refresh_tokens::revoke(&mut conn_for(&db), &raw, at).unwrap());
        }
        t.id
    };
    let live = token(now + days(7), None);
    let _expired = token(now - days(1), None);
    let _revoked_old = token(now + days(7), Some(now - days(8)));
    let revoked_new = token(now + days(7), Some(now - days(1)));
    assert_eq!(
        pg_value(&db, "SELECT clean_expired_refresh_tokens()::text AS v"),
        "2"
    );
    assert_eq!(
        pg_value(&db, "SELECT clean_expired_refresh_tokens()::text AS v"),
        "0"
    );
    let mut left = common::query_strings(&db, "SELECT id::text AS v FROM refresh_tokens");
    left.sort();
    let mut want = vec![live.to_string(), revoked_new.to_string()];
    want.sort();
    assert_eq!(left, want);

    // clean_old_auth_attempts: older than 30 days.
    for age in [31, 29, 0] {
        insert_attempt(
            &mut conn,
            Some(u.id),
            ip("192.0.2.60"),
            false,
            now - days(age),
        );
    }
    assert_eq!(
        pg_value(&db, "SELECT clean_old_auth_attempts()::text AS v"),
        "1"
    );
    assert_eq!(
        pg_value(&db, "SELECT clean_old_auth_attempts()::text AS v"),
        "0"
    );
    assert_eq!(
        common::count(&db, "SELECT count(*) AS n FROM auth_attempts"),
        2
    );
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

/// Every time column, schema.rs's and device_fingerprints'.
fn time_columns() -> Vec<(&'static str, &'static str)> {
    schema_tables()
        .into_iter()
        .flat_map(|(t, cols)| {
            cols.into_iter()
                .filter(|c| c.time)
                .map(move |c| (t, c.name))
        })
        .chain(
            FINGERPRINT_TIMES
                .iter()
                .map(|c| ("device_fingerprints", *c)),
        )
        .collect()
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
    fill_every_column(&mut conn, &hash, "full@example.com");
    let after = chrono::Utc::now();
    // Defaults (strftime in the DDL) and triggers write times too.
    ok_sql(
        &mut conn,
        &format!(
            "INSERT INTO device_fingerprints (fingerprint, user_id) VALUES ('fp', '{}')",
            u.id
        ),
    );
    ok_sql(&mut conn, "UPDATE device_fingerprints SET trust_score = 60");
    ok_sql(
        &mut conn,
        "INSERT INTO auth_attempts (ip_address) VALUES ('192.0.2.1')",
    );
    ok_sql(
        &mut conn,
        &format!("UPDATE users SET name = 'n' WHERE id = '{}'", u.id),
    );

    let mut checked = 0;
    for (table, name) in time_columns() {
        let types = common::query_strings(
            &db,
            &format!(
                "SELECT DISTINCT typeof(\"{name}\") AS v FROM {table} WHERE \"{name}\" IS NOT NULL"
            ),
        );
        assert_eq!(types, vec!["text"], "{table}.{name}");
        for v in common::query_strings(
            &db,
            &format!("SELECT \"{name}\" AS v FROM {table} WHERE \"{name}\" IS NOT NULL"),
        ) {
            assert!(is_sqlite_utc_text(&v), "{table}.{name} = {v:?}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} values checked");

    assert_eq!(
        common::query_strings(
            &db,
            &format!("SELECT created_at AS v FROM users WHERE id = '{}'", u.id)
        ),
        vec!["2026-01-02 03:04:05.000007"]
    );
    // Written "now" values are UTC, not local time.
    for v in common::query_strings(&db, "SELECT occurred_at AS v FROM authctl_audit_events") {
        let t = chrono::NaiveDateTime::parse_from_str(&v, "%Y-%m-%d %H:%M:%S%.f")
            .unwrap()
            .and_utc();
        assert!(
            t >= before - chrono::Duration::milliseconds(1) && t <= after,
            "{v} is not the UTC time of writing ({before} .. {after})"
        );
    }
    // Text order is time order (what every range filter relies on).
    let ordered =
        common::query_strings(&db, "SELECT created_at AS v FROM users ORDER BY created_at");
    let mut sorted = ordered.clone();
    sorted.sort_by_key(|v| UtcDateTime::parse_text(v).unwrap());
    assert_eq!(ordered, sorted);
    assert_eq!(ordered.len(), 2);
}

#[test]
fn sqlite_check_refuses_times_in_other_forms() {
    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    let hash = quick_hash();
    let f = fill_every_column(&mut conn, &hash, "forms@example.com");
    ok_sql(
        &mut conn,
        &format!(
            "INSERT INTO device_fingerprints (fingerprint, user_id) VALUES ('fp', '{}')",
            f.user.id
        ),
    );
    let bad = [
        "2026-01-02T03:04:05.000007Z",
        "2026-01-02T03:04:05.000007",
        "2026-01-02 03:04:05",
        "2026-01-02 03:04:05.123",
        "2026-01-02 03:04:05.000007+00:00",
        "2026-01-02 03:04:05.000007Z",
        " 2026-01-02 03:04:05.000007",
        "2026/01/02 03:04:05.000007",
        "1767322800",
        "",
    ];
    for (table, name) in time_columns() {
        for v in bad {
            refused(
                &mut conn,
                &format!("UPDATE {table} SET \"{name}\" = '{v}'"),
                DatabaseErrorKind::CheckViolation,
                &format!("{table}.{name} = {v:?}"),
            );
        }
        // A number is not a time either (STRICT keeps it an integer).
        assert!(
            try_sql(
                &mut conn,
                &format!("UPDATE {table} SET \"{name}\" = 1767322800")
            )
            .is_err(),
            "{table}.{name} = integer"
        );
    }
    // The canonical form passes.
    assert_eq!(
        ok_sql(
            &mut conn,
            "UPDATE users SET last_login = '2026-01-02 03:04:05.000007'"
        ),
        1
    );
    // Booleans are 0/1 only.
    for (table, column) in [
        ("users", "email_verified"),
        ("refresh_tokens", "is_revoked"),
        ("login_sessions", "is_active"),
        ("auth_attempts", "success"),
        ("device_fingerprints", "is_blocked"),
    ] {
        refused(
            &mut conn,
            &format!("UPDATE {table} SET {column} = 2"),
            DatabaseErrorKind::CheckViolation,
            &format!("{table}.{column} = 2"),
        );
    }
}

/// An impossible date in the canonical shape is not a time.
#[test]
fn sqlite_check_refuses_impossible_times() {
    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    let u = NewUser::new("when@example.com", &quick_hash())
        .insert(&mut conn)
        .unwrap();
    for v in [
        "2026-13-45 99:99:99.000000",
        "2026-02-30 00:00:00.000000",
        "2026-01-01 24:00:00.000000",
    ] {
        refused(
            &mut conn,
            &format!("UPDATE users SET last_login = '{v}' WHERE id = '{}'", u.id),
            DatabaseErrorKind::CheckViolation,
            v,
        );
    }
}

#[test]
fn sqlite_uuid_check_refuses_non_canonical_text() {
    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    let u = NewUser::new("uuid@example.com", &quick_hash())
        .insert(&mut conn)
        .unwrap();
    let canonical = "0123abcd-89ab-4def-8123-456789abcdef";
    let bad = [
        "0123ABCD-89AB-4DEF-8123-456789ABCDEF",
        "0123abcd-89ab-4def-8123-456789ABCDEF",
        "{0123abcd-89ab-4def-8123-456789abcdef}",
        "0123abcd89ab4def8123456789abcdef",
        "urn:uuid:0123abcd-89ab-4def-8123-456789abcdef",
        "0123abcd-89ab-4def-8123-456789abcde",
        "0123abcd-89ab-4def-8123-456789abcdef0",
        "0123abcd-89ab-4def-8123-456789abcdeg",
        " 0123abcd-89ab-4def-8123-456789abcde",
        "not-a-uuid",
        "",
    ];
    let uid = u.id.to_string();
    // (column, the INSERT that puts a value into it)
    type Insert = Box<dyn Fn(&str) -> String>;
    let inserts: Vec<(&str, Insert)> = vec![
        (
            "users.id",
            Box::new(|v: &str| {
                format!(
                    "INSERT INTO users (id, email, password_hash) VALUES ('{v}', 'u{}@example.com', 'h')",
                    v.len()
                )
            }),
        ),
        (
            "auth_attempts.id",
            Box::new(|v: &str| {
                format!("INSERT INTO auth_attempts (id, ip_address) VALUES ('{v}', '192.0.2.1')")
            }),
        ),
        (
            "refresh_tokens.id",
            Box::new(move |v: &str| {
                format!(
                    "INSERT INTO refresh_tokens (id, user_id, token, expires_at) \
                     VALUES ('{v}', '{uid}', 'tok-{v}-0123456789abcdef0123456789', '2030-01-01 00:00:00.000000')"
                )
            }),
        ),
        (
            "login_sessions.session_id",
            Box::new({
                let uid = u.id.to_string();
                move |v: &str| {
                    format!(
                        "INSERT INTO login_sessions (session_id, user_id, expires_at) \
                         VALUES ('{v}', '{uid}', '2030-01-01 00:00:00.000000')"
                    )
                }
            }),
        ),
        (
            "login_sessions.session_token",
            Box::new({
                let uid = u.id.to_string();
                move |v: &str| {
                    format!(
                        "INSERT INTO login_sessions (user_id, session_token, expires_at) \
                         VALUES ('{uid}', '{v}', '2030-01-01 00:00:00.000000')"
                    )
                }
            }),
        ),
        (
            "device_fingerprints.id",
            Box::new(|v: &str| {
                format!(
                    "INSERT INTO device_fingerprints (id, fingerprint) VALUES ('{v}', 'fp-{v}')"
                )
            }),
        ),
    ];
    for (what, insert) in &inserts {
        for v in bad {
            refused(
                &mut conn,
                &insert(v),
                DatabaseErrorKind::CheckViolation,
                &format!("{what} = {v:?}"),
            );
        }
        assert_eq!(ok_sql(&mut conn, &insert(canonical)), 1, "{what}");
    }
    // What SQLite generates by default is canonical v4 and reads back as a uuid.
    for _ in 0..50 {
        ok_sql(
            &mut conn,
            "INSERT INTO auth_attempts (ip_address) VALUES ('192.0.2.2')",
        );
    }
    let ids: Vec<AttemptId> = with_conn!(&mut conn, c => schema::auth_attempts::table
        .filter(schema::auth_attempts::ip_address.eq(ip("192.0.2.2")))
        .select(schema::auth_attempts::id)
        .load(c))
    .unwrap();
    assert_eq!(ids.len(), 50);
    for id in ids {
        assert_eq!(id.0.get_version_num(), 4, "{id}");
        assert_eq!(id.0.get_variant(), uuid::Variant::RFC4122, "{id}");
    }
}

/// Hyphens in the wrong places are not a uuid either.
#[test]
fn sqlite_uuid_check_refuses_misplaced_hyphens() {
    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    for (i, v) in [
        "01234567------------------------abcd",
        "01234567-89ab4-def-8123-456789abcdef",
        "01234567-89ab-4def-8123456789abcdef-",
    ]
    .iter()
    .enumerate()
    {
        refused(
            &mut conn,
            &format!(
                "INSERT INTO users (id, email, password_hash) VALUES ('{v}', 'h{i}@example.com', 'h')"
            ),
            DatabaseErrorKind::CheckViolation,
            v,
        );
    }
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
