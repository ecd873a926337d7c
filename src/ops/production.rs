//! Production readiness checks for `migrate --check-production`, in the spirit of
//! Django's `check --deploy`: every problem is reported, each with a one-line fix.

use crate::config::{Config, Environment};
use crate::db::{DatabaseTarget, DbConn, migrations};
use crate::output::terminal_safe;

/// How bad a finding is. Errors fail the check; warnings fail it only with `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// Stable identifier, e.g. `jwt_secret.too_short`.
    pub id: String,
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

impl Finding {
    fn new(
        id: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Finding {
            id: id.into(),
            severity,
            message: message.into(),
            fix: fix.into(),
        }
    }
}

/// Fragments (ignoring case) with which the application refuses a JWT secret.
pub const APP_REFUSED_MARKERS: &[&str] = &[
    "your-secret-key",
    "change-in-production",
    "EXAMPLE",
    "CHANGE_THIS",
    "your-refresh-secret",
];

/// The application's development accounts and their default passwords.
pub const APP_DEFAULT_ACCOUNTS: &[(&str, &str)] = &[
    ("admin@restoreassist.com", "admin123"),
    ("demo@restoreassist.com", "demo123"),
];

/// Minimum HS256 key length (RFC 7518 §3.2: at least 256 bits).
pub const MIN_SECRET_BYTES: usize = 32;
/// Fewer distinct characters than this is "low variety".
pub const MIN_DISTINCT_CHARS: usize = 10;

/// Values and fragments that mark a placeholder or a default secret.
const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "change-me",
    "change_me",
    "change-this",
    "change_this",
    "replace-me",
    "replace_me",
    "replaceme",
    "your-secret",
    "your_secret",
    "yoursecret",
    "your-jwt",
    "your_jwt",
    "generate-secure",
    "generate_secure",
    "placeholder",
    "insecure",
    "example",
    "secretkey",
    "secret-key",
    "secret_key",
    "jwt-secret",
    "jwt_secret",
    "jwtsecret",
    "refresh-secret",
    "refresh_secret",
    "default",
    "notasecret",
    "not-a-secret",
    "password",
    "xxxxxxxx",
    "todo",
    "fixme",
];
const PLACEHOLDER_EXACT: &[&str] = &[
    "secret",
    "changeme",
    "test",
    "dev",
    "development",
    "admin",
    "key",
];

/// Static checks: backend, secrets, database password and TLS, plus the
/// application's own rules. `strict` turns every warning into an error.
pub fn check_config(config: &Config, env: &Environment, strict: bool) -> Vec<Finding> {
    let mut findings = check_env(env);
    findings.extend(check_target(config));
    if strict {
        make_strict(&mut findings);
    }
    findings
}

/// `--strict`: warnings fail the check too.
pub fn make_strict(findings: &mut [Finding]) {
    for f in findings {
        f.severity = Severity::Error;
    }
}

/// A configuration authctl cannot resolve (it is reported with the other findings,
/// not instead of them).
pub fn invalid_config(err: &anyhow::Error) -> Finding {
    Finding::new(
        "config.invalid",
        Severity::Error,
        format!("{err:#}"),
        "fix the setting named above (`authctl config` shows where each value comes from)",
    )
}

/// Checks of the database the configuration names: not SQLite, a password, TLS to a
/// remote host.
pub fn check_target(config: &Config) -> Vec<Finding> {
    let mut findings = Vec::new();
    let target = &config.database.value;
    match target {
        DatabaseTarget::Sqlite(path) => findings.push(Finding::new(
            "database.not_postgres",
            Severity::Error,
            format!(
                "the database is SQLite ({}, from {}); production must not run on embedded storage",
                path.display(),
                config.database.source
            ),
            "set USE_POSTGRES=true with DB_HOST, DB_NAME, DB_USER, DB_PASSWORD (or DATABASE_URL=postgres://…)",
        )),
        DatabaseTarget::Postgres(url) => {
            // Ask libpq's rules, not the URL alone: the password may come from
            // PGPASSWORD or the password file, and a client certificate needs none;
            // PGSSLMODE sets the TLS mode when the URL does not.
            let libpq = url.libpq_view();
            if libpq.password_source.is_none() && libpq.client_cert.is_none() {
                findings.push(Finding::new(
                    "database.password_empty",
                    Severity::Error,
                    format!(
                        "libpq has no password for this connection ({}): none in the URL, PGPASSWORD or a matching \
                         password file line (PGPASSFILE or ~/.pgpass, mode 0600), and no client certificate",
                        target.redacted()
                    ),
                    "set DB_PASSWORD (or the password in DATABASE_URL, PGPASSWORD or ~/.pgpass) to a strong password, or use a client certificate",
                ));
            }
            let host = url.host();
            let local = host.is_empty()
                || host.starts_with('/')
                || matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]" | "::1");
            let tls = matches!(
                libpq.sslmode.as_str(),
                "require" | "verify-ca" | "verify-full"
            );
            if !local && !tls {
                findings.push(Finding::new(
                    "database.no_tls",
                    Severity::Warning,
                    format!(
                        "the database host {host} is not local and TLS is not required (sslmode={}, from {})",
                        libpq.sslmode, libpq.sslmode_source
                    ),
                    "add ?sslmode=verify-full (or require) to DATABASE_URL, or set PGSSLMODE=verify-full",
                ));
            }
        }
    }
    findings
}

/// Checks of the environment alone (what the application itself reads): its
/// `USE_POSTGRES` rule, its default database password, its JWT secrets.
pub fn check_env(env: &Environment) -> Vec<Finding> {
    let mut findings = Vec::new();
    // The application counts USE_POSTGRES only as the exact string `true`; anything
    // else and it keeps users, tokens and sessions in memory.
    match env.get("USE_POSTGRES") {
        Some(v) if v.value != "true" => findings.push(Finding::new(
            "app.use_postgres_not_true",
            Severity::Error,
            format!(
                "USE_POSTGRES is {} (from {}); the application uses PostgreSQL only when it is exactly \"true\" and otherwise keeps users, tokens and sessions in memory",
                crate::email::printable(&v.value),
                v.source
            ),
            "set USE_POSTGRES=true",
        )),
        None => findings.push(Finding::new(
            "app.use_postgres_unset",
            Severity::Error,
            "USE_POSTGRES is not set: the application keeps users, tokens and sessions in memory (and refuses NODE_ENV=production)",
            "set USE_POSTGRES=true with DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD for the application",
        )),
        _ => {}
    }
    if env.get("USE_POSTGRES").is_some_and(|v| v.value == "true") {
        match env.secret("DB_PASSWORD") {
            None => findings.push(Finding::new(
                "database.password_default",
                Severity::Error,
                format!(
                    "DB_PASSWORD is not set: the application (and authctl) then use its default password {:?}",
                    crate::config::APP_DEFAULT_DB_PASSWORD
                ),
                "set DB_PASSWORD to a strong password",
            )),
            Some(v) if v.value.expose() == crate::config::APP_DEFAULT_DB_PASSWORD => {
                findings.push(Finding::new(
                    "database.password_default",
                    Severity::Error,
                    format!("DB_PASSWORD (from {}) is the application's default password", v.source),
                    "set DB_PASSWORD to a strong password",
                ))
            }
            _ => {}
        }
    }
    // Secrets: wiped from memory when dropped.
    let jwt = env.secret("JWT_SECRET").map(|s| s.value);
    let refresh = env.secret("JWT_REFRESH_SECRET").map(|s| s.value);
    for (name, value) in [("JWT_SECRET", &jwt), ("JWT_REFRESH_SECRET", &refresh)] {
        findings.extend(check_secret(name, value.as_ref().map(|s| s.expose())));
    }
    if let (Some(a), Some(b)) = (&jwt, &refresh)
        && a.expose() == b.expose()
    {
        findings.push(Finding::new(
            "jwt_secrets.equal",
            Severity::Error,
            "JWT_SECRET and JWT_REFRESH_SECRET are the same: a refresh token would verify as an access token",
            "generate two different secrets",
        ));
    }
    findings
}

fn check_secret(name: &str, value: Option<&str>) -> Vec<Finding> {
    let id = name.to_ascii_lowercase();
    let fix = format!(
        "set {name} to a random value of at least {MIN_SECRET_BYTES} bytes, e.g. `openssl rand -base64 48`"
    );
    let Some(v) = value else {
        return vec![Finding::new(
            format!("{id}.missing"),
            Severity::Error,
            format!("{name} is not set"),
            fix,
        )];
    };
    let mut out = Vec::new();
    let lower = v.trim().to_lowercase();
    if let Some(marker) = APP_REFUSED_MARKERS
        .iter()
        .find(|m| lower.contains(&m.to_lowercase()))
    {
        out.push(Finding::new(
            format!("{id}.app_refuses"),
            Severity::Error,
            format!("{name} contains {marker:?}: the application refuses to start with it"),
            fix.clone(),
        ));
    }
    let placeholder = (lower.starts_with('<') && lower.ends_with('>'))
        || PLACEHOLDER_EXACT.contains(&lower.as_str())
        || PLACEHOLDERS.iter().any(|p| lower.contains(p));
    if placeholder {
        out.push(Finding::new(
            format!("{id}.placeholder"),
            Severity::Error,
            format!("{name} is a placeholder or well-known default value"),
            fix.clone(),
        ));
    }
    if v.len() < MIN_SECRET_BYTES {
        out.push(Finding::new(
            format!("{id}.too_short"),
            Severity::Error,
            format!(
                "{name} is {} bytes; HS256 keys must be at least {MIN_SECRET_BYTES} bytes (256 bits, RFC 7518 §3.2)",
                v.len()
            ),
            fix.clone(),
        ));
    }
    let distinct = v.chars().collect::<std::collections::HashSet<_>>().len();
    if distinct < MIN_DISTINCT_CHARS {
        out.push(Finding::new(
            format!("{id}.low_variety"),
            Severity::Error,
            format!("{name} has only {distinct} distinct characters"),
            fix,
        ));
    }
    out
}

/// Checks that need the database: reachable (done by the caller, who reports the
/// connection error as a finding) and migrations neither edited nor newer.
pub fn check_schema(conn: &mut DbConn) -> Vec<Finding> {
    match migrations::status(conn) {
        Ok(status) => match status.integrity_error() {
            Some(e) => vec![Finding::new(
                "migrations.integrity",
                Severity::Error,
                e.message,
                "deploy the authctl that matches the database, or restore the original migration files",
            )],
            None => Vec::new(),
        },
        Err(e) => vec![Finding::new(
            "migrations.status",
            Severity::Error,
            format!("cannot read the migration state: {e:#}"),
            "check the database user's privileges",
        )],
    }
}

/// Checks on the application's data: its development accounts must not answer to
/// their default passwords, in any letter case (error, naming the account) — an
/// account whose stored hash costs more than authctl computes is not verified but
/// reported (warning, naming it) —, emails stored twice in different letter cases
/// are listed (warning, [`check_email_case_duplicates`]), and bcrypt hashes below
/// cost 10 are counted (warning).
pub fn check_data(conn: &mut DbConn) -> Vec<Finding> {
    let mut out = Vec::new();
    let hasher = crate::password::PasswordHasher::default();
    for (email, password) in APP_DEFAULT_ACCOUNTS {
        // Every row with the address in any letter case: one another writer stored
        // as `Admin@…` answers to the password just the same.
        let users = match crate::repo::users::find_all_by_email(conn, email) {
            Ok(users) => users,
            Err(e) => {
                out.push(Finding::new(
                    "app.users_unreadable",
                    Severity::Error,
                    format!("cannot read the users table: {e}"),
                    "run `authctl migrate` and check the database user's privileges",
                ));
                continue;
            }
        };
        let several = users.len() > 1;
        for user in users {
            // Named by its id when the email alone would not name one user.
            let (shown, target) = if several {
                (
                    format!("{} (id {})", terminal_safe(&user.email), user.id),
                    user.id.to_string(),
                )
            } else {
                (terminal_safe(&user.email).into_owned(), (*email).to_owned())
            };
            match hasher.verify(password.as_bytes(), &user.password_hash) {
                Ok(true) => out.push(Finding::new(
                    "app.default_account",
                    Severity::Error,
                    format!("the application's default account {shown} still answers to its default password"),
                    format!("authctl users reset-password {target} (or authctl users delete {target})"),
                )),
                // Parsed before any work: a `$2b$22$` hash or a 4 GiB argon2 string
                // would stall the deploy check (and the application's logins).
                Err(e @ crate::password::PasswordError::CostTooHigh(_)) => out.push(Finding::new(
                    "app.default_account_unchecked",
                    Severity::Warning,
                    format!(
                        "the application's default account {shown} was not checked for its default password: {e}"
                    ),
                    format!(
                        "authctl users reset-password {target} (a new hash at the configured cost), or authctl users delete {target}"
                    ),
                )),
                Ok(false) | Err(_) => {}
            }
        }
    }
    out.extend(check_email_case_duplicates(conn));
    match crate::repo::users::count_weak_bcrypt(conn) {
        Ok(0) | Err(_) => {}
        Ok(n) => out.push(Finding::new(
            "passwords.weak_bcrypt",
            Severity::Warning,
            format!(
                "{n} user(s) have bcrypt hashes below cost {}",
                crate::password::BCRYPT_MIN_COST
            ),
            "reset those passwords (authctl users reset-password) or have the users change them",
        )),
    }
    out
}

/// Users whose emails differ only in letter case (one warning per address, naming
/// the ids). A warning, not an error: the application keeps working (its
/// registration lower-cases, so its logins reach the lower-case row), but
/// authctl refuses to act on such an address by email (exit 65, naming the ids)
/// until one of the rows is renamed or deleted.
pub fn check_email_case_duplicates(conn: &mut DbConn) -> Vec<Finding> {
    match crate::repo::users::case_duplicates(conn) {
        Ok(groups) => groups
            .iter()
            .map(|g| {
                let list = g
                    .iter()
                    .map(|(id, e)| format!("{} (id {id})", terminal_safe(e)))
                    .collect::<Vec<_>>()
                    .join(", ");
                Finding::new(
                    "users.email_case_duplicate",
                    Severity::Warning,
                    format!(
                        "{} users have one email in different letter cases: {list}; authctl refuses to name them by email",
                        g.len()
                    ),
                    "keep one: authctl users delete ID, or give the other an address of its own (authctl users update ID --email …)",
                )
            })
            .collect(),
        Err(e) => vec![Finding::new(
            "app.users_unreadable",
            Severity::Error,
            format!("cannot read the users table: {e}"),
            "run `authctl migrate` and check the database user's privileges",
        )],
    }
}

/// What `run` does once every check passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report pending migrations, apply nothing.
    Check,
    /// Migrate under the lock.
    Migrate,
}

/// The outcome of [`run`].
#[derive(Debug, Clone)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Migrations created, adopted or applied (in that order).
    pub applied: Vec<String>,
    /// Migrations still pending: after a migration none; otherwise the real list
    /// whenever the database was read, even when other checks failed. `None` when
    /// the database could not be read (unreachable, or SQLite, which is not opened).
    pub pending: Option<Vec<String>>,
}

/// The whole `migrate --check-production` flow: every check of the environment,
/// the configuration, the database and its data; then, only when nothing fails
/// (`strict`: not even a warning), check or migrate. `config` is the resolution
/// result: a configuration authctl cannot resolve is a finding like the others.
pub fn run(
    config: anyhow::Result<Config>,
    env: &Environment,
    strict: bool,
    mode: Mode,
    lock: &migrations::LockOptions,
) -> anyhow::Result<Report> {
    let mut findings = check_env(env);
    let mut report = Report {
        findings: Vec::new(),
        applied: Vec::new(),
        pending: None,
    };
    let config = match config {
        Ok(config) => config,
        Err(e) => {
            // Listed with everything else the environment gets wrong (unless it is
            // the USE_POSTGRES finding already there).
            if !findings.iter().any(|f| f.id == "app.use_postgres_not_true") {
                findings.push(invalid_config(&e));
            }
            if strict {
                make_strict(&mut findings);
            }
            report.findings = findings;
            return Ok(report);
        }
    };
    findings.extend(check_target(&config));
    let mut conn = None;
    // The schema and data checks read the server's database (production refuses
    // the embedded file in check_target).
    if config.database.value.is_server() {
        match crate::db::connect(&config.connect_options()) {
            Ok(mut c) => {
                findings.extend(check_schema(&mut c));
                findings.extend(check_connections(&mut c, &config, env));
                if migrations::table_exists(&mut c, "users").unwrap_or(false) {
                    findings.extend(check_data(&mut c));
                }
                conn = Some(c);
            }
            Err(e) => findings.push(unreachable(&e)),
        }
    }
    if strict {
        make_strict(&mut findings);
    }
    if let Some(conn) = conn.as_mut() {
        // What is pending is a fact of the database, reported whatever else failed.
        report.pending = migrations::status(conn)
            .ok()
            .map(|st| st.pending().filter_map(|e| e.name.clone()).collect());
    }
    if !fails(&findings)
        && let Some(conn) = conn.as_mut()
    {
        match mode {
            Mode::Check => {
                let st = migrations::status(conn)?;
                report.pending = Some(st.pending().filter_map(|e| e.name.clone()).collect());
            }
            Mode::Migrate => {
                let r = migrations::run_pending(conn, lock)?;
                report.applied = r
                    .created
                    .iter()
                    .chain(&r.adopted)
                    .chain(&r.applied)
                    .cloned()
                    .collect();
                let st = migrations::status(conn)?;
                if !st.is_current() {
                    return Err(crate::error::Error::data(
                        "migrations ran but the schema is still not current",
                    )
                    .into());
                }
                report.pending = Some(st.pending().filter_map(|e| e.name.clone()).collect());
            }
        }
    }
    report.findings = findings;
    Ok(report)
}

/// Whether the application's pools (`DB_POOL_SIZE`, default 20, per instance;
/// `AUTHCTL_APP_INSTANCES` instances) and authctl's own connections fit the
/// server's `max_connections` minus its reserved slots. Skipped behind a pooler
/// (authctl reached a server listening on another port than the one it dialled):
/// there the application's pools end at the pooler, whose own server pool is what
/// the server sees.
pub fn check_connections(conn: &mut DbConn, config: &Config, env: &Environment) -> Vec<Finding> {
    use crate::ops::connections::{
        APP_DEFAULT_POOL_SIZE, AUTHCTL_CONNECTIONS, pool_fit, server_limits,
    };
    let pool = match env.get("DB_POOL_SIZE") {
        None => APP_DEFAULT_POOL_SIZE,
        Some(v) => match v.value.trim().parse::<i64>() {
            Ok(n) if n >= 1 => n,
            _ => {
                return vec![Finding::new(
                    "app.db_pool_size_invalid",
                    Severity::Warning,
                    format!(
                        "DB_POOL_SIZE is {} (from {}): not a pool size, so the application's connections cannot be counted",
                        crate::email::printable(&v.value),
                        v.source
                    ),
                    "set DB_POOL_SIZE to the application's pool size (a whole number; the application's default is 20)",
                )];
            }
        },
    };
    let dialled = match &config.database.value {
        DatabaseTarget::Postgres(url) if !url.is_multi_host() && !url.host().starts_with('/') => {
            Some(url.port())
        }
        _ => None,
    };
    let Ok(Some((max, reserved, behind_pooler))) = server_limits(conn, dialled) else {
        return Vec::new();
    };
    if behind_pooler {
        return Vec::new();
    }
    let instances = i64::from(config.app_instances.value);
    let fit = pool_fit(pool, instances, max, reserved);
    if fit.fits() {
        return Vec::new();
    }
    vec![Finding::new(
        "connections.pools_exceed_server",
        Severity::Warning,
        format!(
            "the application may open {} connections (DB_POOL_SIZE {pool} × {instances} instance(s), AUTHCTL_APP_INSTANCES) and authctl {AUTHCTL_CONNECTIONS}: {} in all, but the server accepts {} (max_connections {max} minus {reserved} reserved); under load the last ones are refused",
            pool * instances,
            fit.needed,
            fit.available,
        ),
        "put PgBouncer (pool_mode = transaction) between the application and PostgreSQL and point DB_HOST/DB_PORT at it, or lower DB_POOL_SIZE or the number of instances, or raise max_connections",
    )]
}

/// A finding for a database that cannot be reached.
pub fn unreachable(err: &anyhow::Error) -> Finding {
    Finding::new(
        "database.unreachable",
        Severity::Error,
        format!("{err:#}"),
        "check DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASSWORD (or DATABASE_URL), the network and the server",
    )
}

/// Whether the findings fail the check.
pub fn fails(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: Option<&str>) -> Vec<String> {
        check_secret("JWT_SECRET", v)
            .into_iter()
            .map(|f| f.id)
            .collect()
    }

    #[test]
    fn secrets() {
        assert_eq!(ids(None), ["jwt_secret.missing"]);
        assert!(ids(Some("kQ3v9Zr8Xw2Lp5Tn7Ys1Bd4Hf6Jm0Gc+Ae/Ru=")).is_empty());
        assert!(ids(Some("short")).contains(&"jwt_secret.too_short".to_string()));
        assert!(ids(Some(&"ab".repeat(20))).contains(&"jwt_secret.low_variety".to_string()));
        assert!(
            ids(Some("<generate-secure-secret>")).contains(&"jwt_secret.placeholder".to_string())
        );
        assert!(ids(Some("secret")).contains(&"jwt_secret.placeholder".to_string()));
        assert!(
            ids(Some("please-changeme-0123456789abcdefghijklmnop"))
                .contains(&"jwt_secret.placeholder".to_string())
        );
    }
}
