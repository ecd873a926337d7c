//! Configuration: flag > environment > `.env` file > default, with the source of
//! every value kept so `authctl config` can show where it came from.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub mod settings;

use crate::db::target::{DatabaseTarget, pg_url_from_parts};
use crate::error::Error;
use crate::password::{BCRYPT_DEFAULT_COST, HashParams, HashPolicy, PasswordHasher};

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag, e.g. `--database-url`.
    Flag(&'static str),
    /// A process environment variable.
    Env(String),
    /// A variable read from a `.env` file.
    EnvFile { path: PathBuf, var: String },
    /// Several variables together (the seed application's `USE_POSTGRES` + `DB_*`).
    Derived(String),
    /// authctl's built-in default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::Env(var) => write!(f, "environment variable {var}"),
            Source::EnvFile { path, var } => write!(f, "{var} in {}", path.display()),
            Source::Derived(what) => f.write_str(what),
            Source::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Sourced<T> {
    fn new(value: T, source: Source) -> Self {
        Self { value, source }
    }
}

/// The settings that can be given as flags (the global CLI options).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub database_url: Option<String>,
    pub connect_timeout: Option<Duration>,
}

/// Variables visible to authctl: the process environment first, then the `.env` file.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    process: HashMap<String, String>,
    file: HashMap<String, String>,
    file_path: Option<PathBuf>,
}

impl Environment {
    /// Snapshot the process environment and load the `.env` file: the explicit one
    /// (`--env-file` / `AUTHCTL_ENV_FILE`, which must exist) or `./.env` when present.
    pub fn load(explicit_file: Option<&Path>) -> Result<Self, Error> {
        let process: HashMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let mut env = Environment {
            process,
            ..Default::default()
        };
        let from_env_var = env.process.get(settings::ENV_FILE.var).map(PathBuf::from);
        let (path, required) = match (explicit_file, from_env_var) {
            (Some(p), _) => (p.to_path_buf(), true),
            (None, Some(p)) => (p, true),
            (None, None) => (PathBuf::from(".env"), false),
        };
        if !required && !path.is_file() {
            return Ok(env);
        }
        env.file = read_env_file(&path)?;
        env.file_path = Some(path);
        Ok(env)
    }

    /// An environment made of the given variables (tests, library callers).
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Environment {
            process: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            ..Default::default()
        }
    }

    /// Add variables as if read from a `.env` file at `path` (tests, library callers).
    pub fn with_file_vars<I, K, V>(mut self, path: &Path, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.file = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.file_path = Some(path.to_path_buf());
        self
    }

    /// The `.env` file that was read, if any.
    pub fn file_path(&self) -> Option<&Path> {
        self.file_path.as_deref()
    }

    /// A variable's value and source; empty values count as unset.
    /// Whether `var` is set (in the process or the `.env` file) to a blank value.
    pub fn is_set_blank(&self, var: &str) -> bool {
        self.process
            .get(var)
            .or_else(|| self.file.get(var))
            .is_some_and(|v| v.trim().is_empty())
    }

    pub fn get(&self, var: &str) -> Option<Sourced<String>> {
        if let Some(v) = self.process.get(var).filter(|v| !v.is_empty()) {
            return Some(Sourced::new(v.clone(), Source::Env(var.to_owned())));
        }
        let v = self.file.get(var).filter(|v| !v.is_empty())?;
        Some(Sourced::new(
            v.clone(),
            Source::EnvFile {
                path: self.file_path.clone().unwrap_or_default(),
                var: var.to_owned(),
            },
        ))
    }
}

/// The largest `.env` file read (an endless one, such as `/dev/zero`, is refused
/// instead of filling memory).
pub const MAX_ENV_FILE_BYTES: u64 = 1024 * 1024;

fn read_env_file(path: &Path) -> Result<HashMap<String, String>, Error> {
    use std::io::Read as _;
    let cannot = |e: &dyn std::fmt::Display| {
        Error::config(format!("cannot read env file {}: {e}", path.display()))
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_ENV_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > MAX_ENV_FILE_BYTES {
        return Err(cannot(&format!(
            "it is larger than {} KiB",
            MAX_ENV_FILE_BYTES / 1024
        )));
    }
    let iter = dotenvy::from_read_iter(bytes.as_slice());
    let mut map = HashMap::new();
    for item in iter {
        let (k, v) = item.map_err(|e| {
            Error::config(format!(
                "env file {} is malformed: {}",
                path.display(),
                env_file_error(&e)
            ))
        })?;
        map.insert(k, v);
    }
    Ok(map)
}

/// dotenvy's parse errors quote the offending line, which may hold a secret: keep only
/// the position.
fn env_file_error(e: &dotenvy::Error) -> String {
    match e {
        dotenvy::Error::LineParse(_, index) => format!("cannot parse line at byte {index}"),
        dotenvy::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// The resolved configuration of one authctl run.
#[derive(Debug, Clone)]
pub struct Config {
    pub database: Sourced<DatabaseTarget>,
    /// Wait at most this long for a PostgreSQL connection (libpq `connect_timeout`).
    pub connect_timeout: Sourced<Duration>,
    /// SQLite: how long a writer waits for another writer's lock.
    pub busy_timeout: Sourced<Duration>,
    /// PostgreSQL: `lock_timeout` for migration DDL, so it never queues the application's
    /// queries behind it for long.
    pub lock_timeout: Sourced<Duration>,
    /// How long `migrate` waits for another runner's migration lock.
    pub migrate_lock_wait: Sourced<Duration>,
    /// Scheme and cost of new password hashes: bcrypt (default, what the
    /// application verifies) or argon2id (`AUTHCTL_PASSWORD_HASH=argon2id`).
    pub password_policy: Sourced<HashPolicy>,
    /// Minimum length of new passwords, in characters (at least 8, NIST SP 800-63B).
    pub password_min_length: Sourced<usize>,
    /// The `.env` file that was read, if any.
    pub env_file: Option<PathBuf>,
    /// Set when `NODE_ENV=production` or `AUTHCTL_ENV=production`: the variable that
    /// said so. Production refuses SQLite.
    pub production: Option<Source>,
}

/// Default SQLite database: `$XDG_DATA_HOME/authctl/authctl.db`
/// (`~/.local/share/authctl/authctl.db` on Linux).
pub fn default_sqlite_path() -> Result<PathBuf, Error> {
    dirs::data_dir()
        .map(|d| d.join("authctl").join("authctl.db"))
        .ok_or_else(|| {
            Error::config(
                "cannot find a data directory for the default database (HOME is not set); set DATABASE_URL",
            )
        })
}

impl Config {
    /// How to open the configured database (the library's `db` layer knows nothing of
    /// the CLI configuration).
    pub fn connect_options(&self) -> crate::db::ConnectOptions {
        crate::db::ConnectOptions {
            target: self.database.value.clone(),
            connect_timeout: self.connect_timeout.value,
            busy_timeout: self.busy_timeout.value,
            create_if_missing: true,
        }
    }

    /// Resolve every setting from flags, the environment and the `.env` file.
    pub fn resolve(flags: &Overrides, env: &Environment) -> Result<Config, Error> {
        let database = resolve_database(flags, env)?;
        let connect_timeout = match flags.connect_timeout {
            Some(d) => Sourced::new(d, Source::Flag("--connect-timeout")),
            None => duration_var(env, &settings::CONNECT_TIMEOUT)?,
        };
        let busy_timeout = duration_var(env, &settings::BUSY_TIMEOUT)?;
        let lock_timeout = duration_var(env, &settings::LOCK_TIMEOUT)?;
        let migrate_lock_wait = duration_var(env, &settings::MIGRATE_LOCK_WAIT)?;
        let password_policy = resolve_password_policy(env)?;
        let password_min_length = match env.get(settings::PASSWORD_MIN_LENGTH.var) {
            Some(v) => match v.value.trim().parse::<usize>() {
                Ok(n) if (8..=1024).contains(&n) => Sourced::new(n, v.source),
                _ => {
                    return Err(Error::config(format!(
                        "{} must be a number from 8 to 1024, not {:?}",
                        v.source, v.value
                    )));
                }
            },
            None => Sourced::new(
                settings::PASSWORD_MIN_LENGTH
                    .default
                    .parse()
                    .expect("a number (settings test)"),
                Source::Default,
            ),
        };
        Ok(Config {
            database,
            connect_timeout,
            busy_timeout,
            lock_timeout,
            migrate_lock_wait,
            password_policy,
            password_min_length,
            env_file: env.file_path().map(Path::to_path_buf),
            production: production_mode(env),
        })
    }

    /// `(setting, value, source)` rows for `authctl config`; secrets redacted.
    pub fn rows(&self) -> Vec<(&'static str, String, String)> {
        let d = |v: &Duration| humantime::format_duration(*v).to_string();
        vec![
            (
                "backend",
                self.database.value.backend().to_string(),
                self.database.source.to_string(),
            ),
            (
                "database",
                self.database.value.redacted(),
                self.database.source.to_string(),
            ),
            (
                settings::CONNECT_TIMEOUT.key,
                d(&self.connect_timeout.value),
                self.connect_timeout.source.to_string(),
            ),
            (
                settings::BUSY_TIMEOUT.key,
                d(&self.busy_timeout.value),
                self.busy_timeout.source.to_string(),
            ),
            (
                settings::LOCK_TIMEOUT.key,
                d(&self.lock_timeout.value),
                self.lock_timeout.source.to_string(),
            ),
            (
                settings::MIGRATE_LOCK_WAIT.key,
                d(&self.migrate_lock_wait.value),
                self.migrate_lock_wait.source.to_string(),
            ),
            (
                settings::PASSWORD_HASH.key,
                self.password_policy.value.to_string(),
                self.password_policy.source.to_string(),
            ),
            (
                settings::PASSWORD_MIN_LENGTH.key,
                self.password_min_length.value.to_string(),
                self.password_min_length.source.to_string(),
            ),
            (
                "production",
                if self.production.is_some() {
                    "yes".into()
                } else {
                    "no".into()
                },
                self.production
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| "NODE_ENV/AUTHCTL_ENV not production".into()),
            ),
            (
                settings::ENV_FILE.key,
                self.env_file
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "(none)".into()),
                if self.env_file.is_some() {
                    "loaded".into()
                } else {
                    "no .env in the current directory".into()
                },
            ),
        ]
    }
}

/// `USE_POSTGRES` the application's way: only the exact string `true` selects
/// PostgreSQL. Other spellings of "yes" (`TRUE`, `1`, `on` …) are refused rather
/// than guessed: the application would run in memory with them while authctl
/// administered a database nobody uses.
fn parse_use_postgres(s: &Sourced<String>) -> Result<bool, Error> {
    match s.value.as_str() {
        "true" => Ok(true),
        v => match v.trim().to_ascii_lowercase().as_str() {
            "false" | "0" | "no" | "off" | "" => Ok(false),
            _ => Err(Error::config(format!(
                "{} is {}: the application uses PostgreSQL only when it is exactly \"true\" \
                 (with anything else it keeps users, tokens and sessions in memory); set USE_POSTGRES=true or false",
                s.source,
                crate::email::printable(v)
            ))),
        },
    }
}

/// The application's defaults for the `DB_*` variables `USE_POSTGRES=true` leaves
/// unset (its `src/db/connection.ts`), so authctl reaches the server and account
/// the application does.
pub const APP_DEFAULT_DB_HOST: &str = "localhost";
pub const APP_DEFAULT_DB_PORT: u16 = 5433;
pub const APP_DEFAULT_DB_NAME: &str = "restoreassist";
pub const APP_DEFAULT_DB_USER: &str = "restoreassist";
pub const APP_DEFAULT_DB_PASSWORD: &str = "dev_password_change_me";

fn resolve_database(
    flags: &Overrides,
    env: &Environment,
) -> Result<Sourced<DatabaseTarget>, Error> {
    let explicit = match &flags.database_url {
        Some(u) => Some(Sourced::new(u.clone(), Source::Flag("--database-url"))),
        None => env.get("DATABASE_URL"),
    };
    // A blank DATABASE_URL (or flag) is a mistake, not "use the default": the
    // default is an empty embedded database, silently not the one meant.
    let blank = match &flags.database_url {
        Some(u) if u.trim().is_empty() => Some("--database-url".to_owned()),
        Some(_) => None,
        None => env
            .is_set_blank("DATABASE_URL")
            .then(|| "DATABASE_URL".to_owned()),
    };
    if let Some(what) = blank {
        return Err(Error::config(format!(
            "{what} is set but empty: give a database URL, or unset it to use the default"
        )));
    }
    let use_postgres = match env.get("USE_POSTGRES") {
        Some(v) => Some((parse_use_postgres(&v)?, v.source)),
        None => None,
    };
    if let Some(url) = explicit {
        let target = DatabaseTarget::parse(&url.value)
            .map_err(|e| Error::config(format!("{} (from {})", e.message, url.source)))?;
        match (&use_postgres, target.backend()) {
            (Some((true, src)), crate::db::Backend::Sqlite) => {
                return Err(Error::config(format!(
                    "contradictory configuration: {src} is true but the database URL from {} is SQLite ({})",
                    url.source,
                    target.redacted()
                )));
            }
            (Some((false, src)), crate::db::Backend::Postgres) => {
                return Err(Error::config(format!(
                    "contradictory configuration: {src} is false but the database URL from {} is PostgreSQL ({})",
                    url.source,
                    target.redacted()
                )));
            }
            (Some((true, src)), crate::db::Backend::Postgres)
                if ["DB_HOST", "DB_PORT", "DB_NAME", "DB_USER"]
                    .iter()
                    .any(|v| env.get(v).is_some()) =>
            {
                // The application connects with DB_*: a URL naming another
                // database means authctl would administer a different one.
                let app = db_vars_target(env)?;
                if let (DatabaseTarget::Postgres(a), DatabaseTarget::Postgres(b)) =
                    (&target, &app.value)
                    && (a.host(), a.port(), a.database(), a.user())
                        != (b.host(), b.port(), b.database(), b.user())
                {
                    return Err(Error::config(format!(
                        "contradictory configuration: the database URL from {} is {} but {src} with DB_* \
                         (what the application uses) is {}; unset one of them",
                        url.source,
                        target.redacted(),
                        app.value.redacted()
                    )));
                }
            }
            _ => {}
        }
        return Ok(Sourced::new(target, url.source));
    }
    if let Some((true, _)) = use_postgres {
        return db_vars_target(env);
    }
    Ok(Sourced::new(
        DatabaseTarget::Sqlite(default_sqlite_path()?),
        Source::Default,
    ))
}

/// The PostgreSQL URL the application builds from `USE_POSTGRES=true` and `DB_*`.
fn db_vars_target(env: &Environment) -> Result<Sourced<DatabaseTarget>, Error> {
    // The application's defaults, so authctl reaches the database it does.
    let get = |k: &str| env.get(k).map(|s| s.value);
    let name = get("DB_NAME").unwrap_or_else(|| APP_DEFAULT_DB_NAME.into());
    let user = get("DB_USER").unwrap_or_else(|| APP_DEFAULT_DB_USER.into());
    let host = get("DB_HOST").unwrap_or_else(|| APP_DEFAULT_DB_HOST.into());
    let port = match env.get("DB_PORT") {
        Some(p) => p
            .value
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| {
                Error::config(format!(
                    "{} must be a port number (1-65535), not {:?}",
                    p.source, p.value
                ))
            })?,
        None => APP_DEFAULT_DB_PORT,
    };
    let password = get("DB_PASSWORD").unwrap_or_else(|| APP_DEFAULT_DB_PASSWORD.into());
    let target = pg_url_from_parts(&host, port, &name, &user, &password)?;
    let origin = env
        .get("USE_POSTGRES")
        .map(|s| match s.source {
            Source::EnvFile { path, .. } => {
                format!("USE_POSTGRES and DB_* in {}", path.display())
            }
            _ => "USE_POSTGRES and DB_* environment variables".to_owned(),
        })
        .unwrap_or_default();
    Ok(Sourced::new(target, Source::Derived(origin)))
}

/// `NODE_ENV=production` or `AUTHCTL_ENV=production` (case-insensitive), and where it was set.
pub fn production_mode(env: &Environment) -> Option<Source> {
    ["AUTHCTL_ENV", "NODE_ENV"].into_iter().find_map(|var| {
        env.get(var)
            .filter(|v| v.value.trim().eq_ignore_ascii_case("production"))
            .map(|v| v.source)
    })
}

impl Config {
    /// In production mode, refuse SQLite: the application must not run on embedded
    /// storage in production, and neither should its operators' tool.
    pub fn check_production_backend(&self) -> Result<(), Error> {
        match (&self.production, self.database.value.backend()) {
            (Some(src), crate::db::Backend::Sqlite) => Err(Error::config(format!(
                "production mode ({src} is \"production\"): refusing to use SQLite database {} (from {}); \
                 production requires PostgreSQL: set USE_POSTGRES=true with DB_HOST/DB_NAME/DB_USER/DB_PASSWORD, or DATABASE_URL=postgres://…",
                self.database.value.redacted(),
                self.database.source
            ))),
            _ => Ok(()),
        }
    }
}

/// Parse a duration with its unit: humantime (`5s`, `1m 30s`, `250ms`, `7d`). A bare
/// number is an error (which unit was meant?).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty duration".into());
    }
    // A bare number is refused: `--audit-retention 90` meaning 90 seconds deleted
    // an audit trail once. Every duration names its unit.
    if t.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "duration {t:?} has no unit: write it with one (e.g. {t}s, {t}m, {t}h or {t}d)"
        ));
    }
    let d = humantime::parse_duration(t)
        .map_err(|e| format!("invalid duration {t:?}: {e} (examples: 30s, 15m, 24h, 7d)"))?;
    if d > MAX_DURATION {
        return Err(format!(
            "duration {t:?} is longer than 100 years ({} days, the longest accepted)",
            MAX_DURATION.as_secs() / 86_400
        ));
    }
    Ok(d)
}

/// The longest duration accepted anywhere (retentions, `--since`): 100 years as
/// the duration syntax counts them (a `y` is 365.25 days, so `100y` itself is
/// accepted), so every cutoff stays a valid time on both backends.
pub const MAX_DURATION: Duration = Duration::from_secs(100 * 31_557_600);
/// The longest timeout or wait accepted (PostgreSQL takes at most ~24.8 days in
/// milliseconds; nobody means more than a day).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// A timeout or wait: a [`parse_duration`] of at most [`MAX_TIMEOUT`].
pub fn parse_timeout(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    if d > MAX_TIMEOUT {
        return Err(format!(
            "{:?} is longer than {} (the longest timeout or wait accepted)",
            s.trim(),
            humantime::format_duration(MAX_TIMEOUT)
        ));
    }
    Ok(d)
}

fn duration_var(
    env: &Environment,
    setting: &settings::Setting,
) -> Result<Sourced<Duration>, Error> {
    match env.get(setting.var) {
        Some(v) => parse_timeout(&v.value)
            .map(|d| Sourced::new(d, v.source.clone()))
            .map_err(|e| Error::config(format!("{}: {e}", v.source))),
        None => Ok(Sourced::new(setting.default_duration(), Source::Default)),
    }
}

/// `AUTHCTL_PASSWORD_HASH` (`bcrypt`, the default, or `argon2id`) with
/// `AUTHCTL_BCRYPT_COST` or the `AUTHCTL_ARGON2_*` costs; weak or absurd costs are
/// configuration errors.
fn resolve_password_policy(env: &Environment) -> Result<Sourced<HashPolicy>, Error> {
    let scheme = env.get(settings::PASSWORD_HASH.var);
    // The argon2 costs are checked even when bcrypt is in use: a bad value is a
    // mistake to report, not to ignore until someone switches schemes.
    let argon2 = resolve_argon2(env)?;
    let policy = match scheme.as_ref().map(|v| v.value.trim().to_ascii_lowercase()) {
        None => None,
        Some(s) if s == "bcrypt" => None,
        Some(s) if s == "argon2id" => {
            let source = match &scheme {
                Some(v) => Source::Derived(format!("{}, {}", v.source, argon2.source)),
                None => argon2.source,
            };
            Some(Sourced::new(HashPolicy::Argon2id(argon2.value), source))
        }
        Some(_) => {
            let v = scheme.as_ref().expect("matched Some");
            return Err(Error::config(format!(
                "{} must be bcrypt or argon2id, not {:?}",
                v.source, v.value
            )));
        }
    };
    if let Some(p) = policy {
        return Ok(p);
    }
    let (cost, source) = match env.get(settings::BCRYPT_COST.var) {
        Some(v) => (
            v.value.trim().parse::<u32>().map_err(|_| {
                Error::config(format!("{} must be a number, not {:?}", v.source, v.value))
            })?,
            v.source.clone(),
        ),
        None => (
            BCRYPT_DEFAULT_COST,
            scheme.map(|v| v.source).unwrap_or(Source::Default),
        ),
    };
    let policy = HashPolicy::Bcrypt { cost };
    PasswordHasher::new(policy).map_err(|e| Error::config(format!("{source}: {e}")))?;
    Ok(Sourced::new(policy, source))
}

pub use crate::password::{ARGON2_MAX_ITERATIONS, ARGON2_MAX_MEMORY_KIB, ARGON2_MAX_PARALLELISM};

fn resolve_argon2(env: &Environment) -> Result<Sourced<HashParams>, Error> {
    let mut params = HashParams::default();
    let mut sources = Vec::new();
    for (var, field) in [
        (settings::ARGON2_MEMORY_KIB.var, &mut params.memory_kib),
        (settings::ARGON2_ITERATIONS.var, &mut params.iterations),
        (settings::ARGON2_PARALLELISM.var, &mut params.parallelism),
    ] {
        if let Some(v) = env.get(var) {
            *field = v.value.trim().parse().map_err(|_| {
                Error::config(format!(
                    "{} must be a positive integer, not {:?}",
                    v.source, v.value
                ))
            })?;
            sources.push(v.source.to_string());
        }
    }
    params
        .validate()
        .map_err(|e| Error::config(format!("{e} (from {})", sources.join(", "))))?;
    // Upper bounds: a typo of a few zeros must not make every hash take minutes or
    // gigabytes (on the operator's machine and on every login of the application).
    for (name, value, max) in [
        (
            settings::ARGON2_MEMORY_KIB.var,
            params.memory_kib,
            ARGON2_MAX_MEMORY_KIB,
        ),
        (
            settings::ARGON2_ITERATIONS.var,
            params.iterations,
            ARGON2_MAX_ITERATIONS,
        ),
        (
            settings::ARGON2_PARALLELISM.var,
            params.parallelism,
            ARGON2_MAX_PARALLELISM,
        ),
    ] {
        if value > max {
            return Err(Error::config(format!(
                "{name} is {value}, more than the largest accepted ({max})"
            )));
        }
    }
    let source = if sources.is_empty() {
        Source::Default
    } else {
        Source::Derived(sources.join(", "))
    };
    Ok(Sourced::new(params, source))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Backend;

    fn resolve(vars: &[(&str, &str)]) -> Result<Config, Error> {
        Config::resolve(
            &Overrides::default(),
            &Environment::from_vars(vars.iter().copied()),
        )
    }

    #[test]
    fn default_is_embedded_sqlite() {
        let c = resolve(&[("HOME", "/home/op")]).unwrap();
        assert_eq!(c.database.value.backend(), Backend::Sqlite);
        assert_eq!(c.database.source, Source::Default);
        let c = resolve(&[("USE_POSTGRES", "false")]).unwrap();
        assert_eq!(c.database.value.backend(), Backend::Sqlite);
    }

    #[test]
    fn flag_beats_env_beats_file() {
        let env = Environment::from_vars([("DATABASE_URL", "/env.db")]).with_file_vars(
            Path::new("/x/.env"),
            [("DATABASE_URL", "/file.db"), ("AUTHCTL_BUSY_TIMEOUT", "9s")],
        );
        let flags = Overrides {
            database_url: Some("/flag.db".into()),
            ..Default::default()
        };
        let c = Config::resolve(&flags, &env).unwrap();
        assert_eq!(c.database.value, DatabaseTarget::Sqlite("/flag.db".into()));
        assert_eq!(c.database.source, Source::Flag("--database-url"));
        let c = Config::resolve(&Overrides::default(), &env).unwrap();
        assert_eq!(c.database.value, DatabaseTarget::Sqlite("/env.db".into()));
        assert_eq!(c.busy_timeout.value, Duration::from_secs(9));
        assert!(c.busy_timeout.source.to_string().contains("/x/.env"));
        let env = Environment::default()
            .with_file_vars(Path::new("/x/.env"), [("DATABASE_URL", "/file.db")]);
        let c = Config::resolve(&Overrides::default(), &env).unwrap();
        assert_eq!(c.database.value, DatabaseTarget::Sqlite("/file.db".into()));
    }

    #[test]
    fn seed_variables_build_the_url() {
        let c = resolve(&[
            ("USE_POSTGRES", "true"),
            ("DB_HOST", "db.internal"),
            ("DB_NAME", "auth"),
            ("DB_USER", "app"),
            ("DB_PASSWORD", "p@ss word/#"),
        ])
        .unwrap();
        let DatabaseTarget::Postgres(u) = &c.database.value else {
            panic!("not pg")
        };
        assert_eq!((u.host().as_str(), u.port()), ("db.internal", 5433));
        assert_eq!(u.password(), "p@ss word/#");
        assert!(!c.database.value.redacted().contains("p@ss"));
        // Unset parts take the application's defaults.
        let c = resolve(&[("USE_POSTGRES", "true"), ("DB_USER", "app")]).unwrap();
        let DatabaseTarget::Postgres(u) = &c.database.value else {
            panic!("not pg")
        };
        assert_eq!(
            (
                u.host().as_str(),
                u.port(),
                u.database().as_str(),
                u.user().as_str()
            ),
            ("localhost", 5433, "restoreassist", "app")
        );
        assert_eq!(u.password(), "dev_password_change_me");
        // Only the exact string `true` means PostgreSQL, as in the application.
        for v in ["TRUE", "1", "yes", " true"] {
            let e = resolve(&[("USE_POSTGRES", v)]).unwrap_err();
            assert!(e.message.contains("exactly"), "{v}: {e}");
        }
        assert!(matches!(
            resolve(&[("USE_POSTGRES", "false"), ("HOME", "/h")])
                .unwrap()
                .database
                .value,
            DatabaseTarget::Sqlite(_)
        ));
        let e = resolve(&[
            ("USE_POSTGRES", "true"),
            ("DB_NAME", "a"),
            ("DB_USER", "b"),
            ("DB_PORT", "x"),
        ])
        .unwrap_err();
        assert!(e.message.contains("DB_PORT"), "{e}");
        let e = resolve(&[("USE_POSTGRES", "maybe")]).unwrap_err();
        assert!(e.message.contains("USE_POSTGRES"), "{e}");
    }

    #[test]
    fn blank_database_url_is_an_error_not_the_default() {
        for v in ["", "   "] {
            let e = resolve(&[("DATABASE_URL", v), ("HOME", "/h")]).unwrap_err();
            assert!(e.message.contains("DATABASE_URL is set but empty"), "{e}");
        }
        let e = Config::resolve(
            &Overrides {
                database_url: Some(" ".into()),
                ..Default::default()
            },
            &Environment::from_vars([("HOME", "/h")]),
        )
        .unwrap_err();
        assert!(e.message.contains("--database-url"), "{e}");
    }

    #[test]
    fn a_url_naming_another_database_than_db_vars_is_a_contradiction() {
        let e = resolve(&[
            ("DATABASE_URL", "postgres://ops@db.internal/other"),
            ("USE_POSTGRES", "true"),
            ("DB_HOST", "db.internal"),
            ("DB_NAME", "restoreassist"),
        ])
        .unwrap_err();
        assert!(
            e.message.contains("DATABASE_URL") && e.message.contains("DB_*"),
            "{e}"
        );
        // The same database by both: fine (the URL wins, e.g. for its TLS options).
        resolve(&[
            (
                "DATABASE_URL",
                "postgres://restoreassist@db.internal:5433/restoreassist?sslmode=require",
            ),
            ("USE_POSTGRES", "true"),
            ("DB_HOST", "db.internal"),
        ])
        .unwrap();
    }

    #[test]
    fn contradictions_name_both_sources() {
        let e = resolve(&[
            ("USE_POSTGRES", "true"),
            ("DATABASE_URL", "sqlite:///tmp/a.db"),
        ])
        .unwrap_err();
        assert!(
            e.message.contains("USE_POSTGRES") && e.message.contains("DATABASE_URL"),
            "{e}"
        );
        let e = Config::resolve(
            &Overrides {
                database_url: Some("postgres://h/db".into()),
                ..Default::default()
            },
            &Environment::from_vars([("USE_POSTGRES", "false")]),
        )
        .unwrap_err();
        assert!(
            e.message.contains("USE_POSTGRES") && e.message.contains("--database-url"),
            "{e}"
        );
    }

    #[test]
    fn a_hundred_years_is_the_longest_duration() {
        // docs/commands.md promises "at most 100 years": `100y` (humantime: 365.25 days
        // a year) is accepted, anything longer is refused, saying so in years.
        assert_eq!(parse_duration("100y").unwrap(), MAX_DURATION);
        let e = parse_duration("101y").unwrap_err();
        assert!(e.contains("longer than 100 years"), "{e}");
    }

    #[test]
    fn durations_and_password_policy() {
        // A bare number names no unit: refused, never guessed as seconds.
        let e = parse_duration("90").unwrap_err();
        assert!(e.contains("90s") && e.contains("90d"), "{e}");
        assert_eq!(parse_duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("1m 30s").unwrap(), Duration::from_secs(90));
        assert!(parse_duration("soon").is_err());
        let e = resolve(&[("AUTHCTL_ARGON2_MEMORY_KIB", "1024")]).unwrap_err();
        assert!(e.message.contains("AUTHCTL_ARGON2_MEMORY_KIB"), "{e}");
        let c = resolve(&[
            ("AUTHCTL_ARGON2_MEMORY_KIB", "65536"),
            ("AUTHCTL_ARGON2_ITERATIONS", "3"),
        ])
        .unwrap();
        // argon2 settings matter only with AUTHCTL_PASSWORD_HASH=argon2id.
        assert_eq!(
            c.password_policy.value,
            HashPolicy::Bcrypt {
                cost: BCRYPT_DEFAULT_COST
            }
        );
        let c = resolve(&[
            ("AUTHCTL_PASSWORD_HASH", "argon2id"),
            ("AUTHCTL_ARGON2_MEMORY_KIB", "65536"),
            ("AUTHCTL_ARGON2_ITERATIONS", "3"),
        ])
        .unwrap();
        let HashPolicy::Argon2id(p) = c.password_policy.value else {
            panic!("not argon2id")
        };
        assert_eq!((p.memory_kib, p.iterations), (65536, 3));
        // Absurd argon2 costs are refused too (10 GB of memory once was accepted).
        for bad in [
            ("AUTHCTL_ARGON2_MEMORY_KIB", "10485760"),
            ("AUTHCTL_ARGON2_ITERATIONS", "1000"),
            ("AUTHCTL_ARGON2_PARALLELISM", "1000"),
        ] {
            let e = resolve(&[bad]).unwrap_err();
            assert!(e.message.contains(bad.0), "{bad:?}: {e}");
        }
        let c = resolve(&[("AUTHCTL_BCRYPT_COST", "10")]).unwrap();
        assert_eq!(c.password_policy.value, HashPolicy::Bcrypt { cost: 10 });
        for bad in [
            ("AUTHCTL_BCRYPT_COST", "9"),
            ("AUTHCTL_BCRYPT_COST", "16"),
            ("AUTHCTL_PASSWORD_HASH", "md5"),
        ] {
            let e = resolve(&[bad]).unwrap_err();
            assert!(e.message.contains(bad.0), "{bad:?}: {e}");
        }
    }
}
