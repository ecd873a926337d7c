//! Configuration: flag > environment > `.env` file > default, with the source of
//! every value kept so `authctl config` can show where it came from.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub mod settings;

use zeroize::Zeroizing;

use crate::db::target::{DatabaseTarget, pg_url_from_parts};
use crate::error::Error;
use crate::password::{BCRYPT_DEFAULT_COST, HashParams, HashPolicy, PasswordHasher};
use crate::secret::Secret;

/// How strongly a source speaks. A higher rank wins, value by value; a
/// contradiction is reported only between sources of the same rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// authctl's built-in default (or the application's defaults for unset `DB_*`).
    Default,
    /// A variable read from the `.env` file.
    EnvFile,
    /// A process environment variable.
    Environment,
    /// A command-line flag.
    Flag,
}

impl Rank {
    /// The name `authctl config -o json` shows (`rank`).
    pub fn name(self) -> &'static str {
        match self {
            Rank::Default => "default",
            Rank::EnvFile => "env-file",
            Rank::Environment => "environment",
            Rank::Flag => "flag",
        }
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag, e.g. `--database-url`.
    Flag(&'static str),
    /// A process environment variable.
    Env(String),
    /// A variable read from a `.env` file.
    EnvFile { path: PathBuf, var: String },
    /// Several variables together (the seed application's `USE_POSTGRES` + `DB_*`,
    /// the argon2id costs): described in `what`, ranked as the strongest of them.
    Derived { rank: Rank, what: String },
    /// authctl's built-in default.
    Default,
}

impl Source {
    /// The rank of this source.
    pub fn rank(&self) -> Rank {
        match self {
            Source::Flag(_) => Rank::Flag,
            Source::Env(_) => Rank::Environment,
            Source::EnvFile { .. } => Rank::EnvFile,
            Source::Derived { rank, .. } => *rank,
            Source::Default => Rank::Default,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::Env(var) => write!(f, "environment variable {var}"),
            Source::EnvFile { path, var } => write!(f, "{var} in {}", path.display()),
            Source::Derived { what, .. } => f.write_str(what),
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

/// Variables visible to authctl: the process environment first, then the `.env`
/// file. Every value is wiped from memory when the environment is dropped (the
/// `.env` file holds `DB_PASSWORD` and the JWT secrets), and `Debug` shows names only.
#[derive(Clone, Default)]
pub struct Environment {
    process: HashMap<String, Zeroizing<String>>,
    file: HashMap<String, Zeroizing<String>>,
    file_path: Option<PathBuf>,
    /// Where the `.env` file's name came from (`--env-file`, `AUTHCTL_ENV_FILE`,
    /// or the default `./.env`).
    file_source: Option<Source>,
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |m: &HashMap<String, Zeroizing<String>>| {
            let mut v: Vec<String> = m.keys().cloned().collect();
            v.sort_unstable();
            v
        };
        f.debug_struct("Environment")
            .field("process", &names(&self.process))
            .field("file", &names(&self.file))
            .field("file_path", &self.file_path)
            .finish()
    }
}

impl Environment {
    /// Snapshot the process environment and load the `.env` file: the explicit one
    /// (`--env-file` / `AUTHCTL_ENV_FILE`, which must exist) or `./.env` when present.
    pub fn load(explicit_file: Option<&Path>) -> Result<Self, Error> {
        let process: HashMap<String, Zeroizing<String>> = std::env::vars_os()
            .filter_map(|(k, v)| {
                Some((k.into_string().ok()?, Zeroizing::new(v.into_string().ok()?)))
            })
            .collect();
        let mut env = Environment {
            process,
            ..Default::default()
        };
        let from_env_var = env
            .process
            .get(settings::ENV_FILE.var)
            .map(|v| PathBuf::from(v.as_str()));
        let (path, source) = match (explicit_file, from_env_var) {
            (Some(p), _) => (p.to_path_buf(), Source::Flag("--env-file")),
            (None, Some(p)) => (p, Source::Env(settings::ENV_FILE.var.to_owned())),
            (None, None) => (PathBuf::from(".env"), Source::Default),
        };
        if source == Source::Default && !path.is_file() {
            return Ok(env);
        }
        env.file = read_env_file(&path)?;
        env.file_path = Some(path);
        env.file_source = Some(source);
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
                .map(|(k, v)| (k.into(), Zeroizing::new(v.into())))
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
            .map(|(k, v)| (k.into(), Zeroizing::new(v.into())))
            .collect();
        self.file_path = Some(path.to_path_buf());
        self.file_source = Some(Source::Flag("--env-file"));
        self
    }

    /// The `.env` file that was read, if any.
    pub fn file_path(&self) -> Option<&Path> {
        self.file_path.as_deref()
    }

    /// The `.env` file that was read and where its name came from.
    pub fn file(&self) -> Option<Sourced<PathBuf>> {
        Some(Sourced::new(
            self.file_path.clone()?,
            self.file_source.clone().unwrap_or(Source::Default),
        ))
    }

    /// Whether `var` is set (in the process or the `.env` file) to a blank value.
    pub fn is_set_blank(&self, var: &str) -> bool {
        self.process
            .get(var)
            .or_else(|| self.file.get(var))
            .is_some_and(|v| v.trim().is_empty())
    }

    /// A variable's value and source, the process environment before the `.env`
    /// file; empty values count as unset. For a secret use [`secret`](Self::secret).
    pub fn get(&self, var: &str) -> Option<Sourced<String>> {
        self.get_raw(var)
            .map(|(v, source)| Sourced::new(v.to_owned(), source))
    }

    /// [`get`](Self::get) for a secret (`DB_PASSWORD`, `--password-env`'s variable):
    /// the copy is wiped from memory when dropped.
    pub fn secret(&self, var: &str) -> Option<Sourced<Secret>> {
        self.get_raw(var)
            .map(|(v, source)| Sourced::new(Secret::new(v.to_owned()), source))
    }

    /// Where a variable's value comes from, without copying the value.
    pub fn source(&self, var: &str) -> Option<Source> {
        self.get_raw(var).map(|(_, source)| source)
    }

    /// The variable as set at `rank` alone (the environment or the `.env` file),
    /// whether or not a higher rank overrides it; empty values count as unset.
    pub fn get_at(&self, rank: Rank, var: &str) -> Option<Sourced<String>> {
        let map = match rank {
            Rank::Environment => &self.process,
            Rank::EnvFile => &self.file,
            Rank::Flag | Rank::Default => return None,
        };
        let v = map.get(var).filter(|v| !v.is_empty())?;
        Some(Sourced::new(
            v.as_str().to_owned(),
            self.source_at(rank, var),
        ))
    }

    fn source_at(&self, rank: Rank, var: &str) -> Source {
        match rank {
            Rank::EnvFile => Source::EnvFile {
                path: self.file_path.clone().unwrap_or_default(),
                var: var.to_owned(),
            },
            _ => Source::Env(var.to_owned()),
        }
    }

    fn get_raw(&self, var: &str) -> Option<(&str, Source)> {
        if let Some(v) = self.process.get(var).filter(|v| !v.is_empty()) {
            return Some((v.as_str(), self.source_at(Rank::Environment, var)));
        }
        let v = self.file.get(var).filter(|v| !v.is_empty())?;
        Some((v.as_str(), self.source_at(Rank::EnvFile, var)))
    }
}

/// The largest `.env` file read (an endless one, such as `/dev/zero`, is refused
/// instead of filling memory).
pub const MAX_ENV_FILE_BYTES: u64 = 1024 * 1024;

fn read_env_file(path: &Path) -> Result<HashMap<String, Zeroizing<String>>, Error> {
    use std::io::Read as _;
    let cannot = |e: &dyn std::fmt::Display| {
        Error::config(format!("cannot read env file {}: {e}", path.display()))
    };
    let mut bytes = Zeroizing::new(Vec::new());
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_ENV_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > MAX_ENV_FILE_BYTES {
        return Err(cannot(&format!(
            "it is larger than {} KiB",
            MAX_ENV_FILE_BYTES / 1024
        )));
    }
    parse_env_file(&bytes)
        .map_err(|e| Error::config(format!("env file {} is malformed: {e}", path.display())))
}

/// Parse `.env` text (dotenvy's syntax; a UTF-8 byte order mark, as some Windows
/// editors write, is skipped). A parse error names the line — never its text, which
/// may hold a secret — and says how to fix it.
fn parse_env_file(bytes: &[u8]) -> Result<HashMap<String, Zeroizing<String>>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let served = std::rc::Rc::new(std::cell::Cell::new(0usize));
    let reader = LineByLine {
        rest: bytes,
        served: served.clone(),
    };
    let mut map = HashMap::new();
    for item in dotenvy::from_read_iter(reader) {
        match item {
            Ok((k, v)) => {
                map.insert(k, Zeroizing::new(v));
            }
            Err(e) => return Err(env_file_error(bytes, served.get(), e)),
        }
    }
    Ok(map)
}

/// Hands dotenvy its input one line per `read`, so the bytes served when it fails
/// end with the line it was parsing (its buffered reader never reads ahead of the
/// line it needs).
struct LineByLine<'a> {
    rest: &'a [u8],
    served: std::rc::Rc<std::cell::Cell<usize>>,
}

impl std::io::Read for LineByLine<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let line_end = self
            .rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.rest.len(), |i| i + 1);
        let n = line_end.min(buf.len());
        buf[..n].copy_from_slice(&self.rest[..n]);
        self.rest = &self.rest[n..];
        self.served.set(self.served.get() + n);
        Ok(n)
    }
}

/// The line (1-based) holding byte `offset` of `text`.
fn line_of(text: &[u8], offset: usize) -> usize {
    1 + text[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// dotenvy's parse errors quote the offending text, which may hold a secret: keep
/// only where it is (the line) and what to do about it.
fn env_file_error(bytes: &[u8], served: usize, e: dotenvy::Error) -> String {
    // `text` is what dotenvy was parsing: the rest of the file from the start of a
    // quoted value that never closed (then `index` is its length), or one logical
    // line (several physical ones when a quoted value spans lines) or its value
    // part, ending where the served bytes end.
    let dotenvy::Error::LineParse(text, index) = e else {
        return e.to_string();
    };
    let text = Zeroizing::new(text);
    let unclosed = text.contains(['"', '\'']) || text.trim_end().ends_with('\\');
    if served >= bytes.len() && index >= text.len() && unclosed {
        let start = bytes.len() - text.len().min(bytes.len());
        let line = line_of(bytes, start);
        return format!(
            "line {line}: a quote (or a trailing backslash) opened on line {line} is never closed, \
             so the value runs to the end of the file; close the quote on that line \
             (the line is not shown: it may hold a secret)"
        );
    }
    let last = line_of(bytes, served.saturating_sub(1));
    let after = text
        .get(index.min(text.len())..)
        .map_or(0, |t| t.matches('\n').count());
    let line = last.saturating_sub(after).max(1);
    format!(
        "line {line} is not NAME=VALUE: a name is letters, digits and _ (not starting with a digit), \
         and a value with spaces, #, quotes or backslashes must be quoted ('…' keeps it as written); \
         fix or remove that line (it is not shown: it may hold a secret)"
    )
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
    /// The window `stats` counts dormant users for (no login for this long).
    pub dormant_after: Sourced<Duration>,
    /// How many instances of the application share the database, each with its own
    /// pool of `DB_POOL_SIZE` connections (`migrate --check-production`).
    pub app_instances: Sourced<u32>,
    /// The `.env` file that was read, if any, and where its name came from.
    pub env_file: Option<Sourced<PathBuf>>,
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
            access: crate::db::Access::Read,
            connect_timeout: self.connect_timeout.value,
            busy_timeout: self.busy_timeout.value,
            create_if_missing: true,
        }
    }

    /// Resolve every setting from flags, the environment and the `.env` file.
    pub fn resolve(flags: &Overrides, env: &Environment) -> Result<Config, Error> {
        let database = resolve_database(flags, env)?;
        let connect_timeout = resolve_connect_timeout(flags, env, &database)?;
        let busy_timeout = duration_var(env, &settings::BUSY_TIMEOUT)?;
        let lock_timeout = duration_var(env, &settings::LOCK_TIMEOUT)?;
        let migrate_lock_wait = duration_var(env, &settings::MIGRATE_LOCK_WAIT)?;
        let password_policy = resolve_password_policy(env)?;
        let dormant_after = match env.get(settings::DORMANT_AFTER.var) {
            Some(v) => parse_duration(&v.value)
                .map(|d| Sourced::new(d, v.source.clone()))
                .map_err(|e| Error::config(format!("{}: {e}", v.source)))?,
            None => Sourced::new(settings::DORMANT_AFTER.default_duration(), Source::Default),
        };
        let app_instances = match env.get(settings::APP_INSTANCES.var) {
            Some(v) => match v.value.trim().parse::<u32>() {
                Ok(n) if n >= 1 => Sourced::new(n, v.source),
                _ => {
                    return Err(Error::config(format!(
                        "{} must be a whole number of at least 1, not {:?}",
                        v.source,
                        crate::email::printable(&v.value)
                    )));
                }
            },
            None => Sourced::new(1, Source::Default),
        };
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
            dormant_after,
            app_instances,
            env_file: env.file(),
            production: production_mode(env),
        })
    }

    /// The rows of `authctl config`: every resolved value, secrets redacted, with
    /// where it came from. The audit actor is resolved by the caller (it has the
    /// `--actor` flag) and passed in.
    pub fn rows(&self, actor: &Sourced<String>) -> Vec<ConfigRow> {
        let d = |v: &Duration| humantime::format_duration(*v).to_string();
        let row = |key: &'static str, value: String, source: &Source| ConfigRow {
            key,
            value,
            source: source.to_string(),
            rank: source.rank(),
        };
        let not_production = Source::Derived {
            rank: Rank::Default,
            what: "NODE_ENV/AUTHCTL_ENV not production".into(),
        };
        let no_env_file = Source::Derived {
            rank: Rank::Default,
            what: "no .env in the current directory".into(),
        };
        vec![
            row(
                "backend",
                self.database.value.backend().to_string(),
                &self.database.source,
            ),
            row(
                "database",
                self.database.value.redacted(),
                &self.database.source,
            ),
            row(
                settings::CONNECT_TIMEOUT.key,
                d(&self.connect_timeout.value),
                &self.connect_timeout.source,
            ),
            row(
                settings::BUSY_TIMEOUT.key,
                d(&self.busy_timeout.value),
                &self.busy_timeout.source,
            ),
            row(
                settings::LOCK_TIMEOUT.key,
                d(&self.lock_timeout.value),
                &self.lock_timeout.source,
            ),
            row(
                settings::MIGRATE_LOCK_WAIT.key,
                d(&self.migrate_lock_wait.value),
                &self.migrate_lock_wait.source,
            ),
            row(
                settings::PASSWORD_HASH.key,
                self.password_policy.value.to_string(),
                &self.password_policy.source,
            ),
            row(
                settings::PASSWORD_MIN_LENGTH.key,
                self.password_min_length.value.to_string(),
                &self.password_min_length.source,
            ),
            row(
                settings::DORMANT_AFTER.key,
                d(&self.dormant_after.value),
                &self.dormant_after.source,
            ),
            row(
                settings::APP_INSTANCES.key,
                self.app_instances.value.to_string(),
                &self.app_instances.source,
            ),
            row(settings::ACTOR.key, actor.value.clone(), &actor.source),
            row(
                "production",
                if self.production.is_some() {
                    "yes".into()
                } else {
                    "no".into()
                },
                self.production.as_ref().unwrap_or(&not_production),
            ),
            match &self.env_file {
                Some(f) => row(
                    settings::ENV_FILE.key,
                    f.value.display().to_string(),
                    &f.source,
                ),
                None => row(settings::ENV_FILE.key, "(none)".into(), &no_env_file),
            },
        ]
    }
}

/// One row of `authctl config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigRow {
    pub key: &'static str,
    pub value: String,
    /// Where the value came from, as a sentence fragment (`flag --database-url`,
    /// `AUTHCTL_BUSY_TIMEOUT in ./.env`, `default`).
    pub source: String,
    /// The rank of that source.
    pub rank: Rank,
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

/// The application's variables that name its database (`DB_PASSWORD` names none).
const DB_TARGET_VARS: [&str; 4] = ["DB_HOST", "DB_PORT", "DB_NAME", "DB_USER"];

/// The database, from the highest rank that says anything about it:
///
/// 1. `--database-url`;
/// 2. the process environment: `DATABASE_URL`, or the application's set
///    (`USE_POSTGRES` and `DB_*`, when `USE_POSTGRES` is `true`);
/// 3. the same in the `.env` file;
/// 4. the SQLite default.
///
/// The application's set is merged variable by variable (the environment over
/// `.env`, then the application's defaults), as the application itself reads it.
/// Within one rank, a `DATABASE_URL` and the application's set must agree: see
/// [`check_same_rank`]. A lower rank never contradicts a higher one: it is
/// overridden (so `--database-url` or an exported `DATABASE_URL` points authctl at
/// a restored copy from the application's own directory).
fn resolve_database(
    flags: &Overrides,
    env: &Environment,
) -> Result<Sourced<DatabaseTarget>, Error> {
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
    let parse_url = |url: &Sourced<String>| {
        DatabaseTarget::parse(&url.value)
            .map_err(|e| Error::config(format!("{} (from {})", e.message, url.source)))
    };
    // The flag outranks everything: the application's variables are not even read
    // (`migrate --check-production` still reports a bad USE_POSTGRES).
    if let Some(url) = &flags.database_url {
        let url = Sourced::new(url.clone(), Source::Flag("--database-url"));
        return Ok(Sourced::new(parse_url(&url)?, url.source));
    }
    // Otherwise USE_POSTGRES is checked wherever it is set: a value the
    // application reads differently than the operator meant is a mistake to report.
    let use_postgres = match env.get("USE_POSTGRES") {
        Some(v) => Some(Sourced::new(parse_use_postgres(&v)?, v.source)),
        None => None,
    };
    let app_on = use_postgres.as_ref().is_some_and(|u| u.value);
    for rank in [Rank::Environment, Rank::EnvFile] {
        let use_pg_here = use_postgres.as_ref().filter(|u| u.source.rank() == rank);
        // The application's DB_* in effect at this rank (an exported one hides the
        // .env one); they matter only when the application uses PostgreSQL.
        let db_here: Vec<(&str, Sourced<String>)> = if app_on {
            DB_TARGET_VARS
                .iter()
                .filter_map(|&v| Some((v, env.get(v).filter(|s| s.source.rank() == rank)?)))
                .collect()
        } else {
            Vec::new()
        };
        // An exported DB_PASSWORD (from a secret store, the rest in .env) makes the
        // environment speak for the application's set too; its value is not copied.
        let password_here = app_on && env.source("DB_PASSWORD").is_some_and(|s| s.rank() == rank);
        if let Some(url) = env.get_at(rank, "DATABASE_URL") {
            let target = parse_url(&url)?;
            check_same_rank(&url, &target, use_pg_here, &db_here)?;
            return Ok(Sourced::new(target, url.source));
        }
        if app_on && (use_pg_here.is_some() || !db_here.is_empty() || password_here) {
            return db_vars_target(env);
        }
    }
    Ok(Sourced::new(
        DatabaseTarget::Sqlite(default_sqlite_path()?),
        Source::Default,
    ))
}

/// Within one rank, a database URL contradicts
///
/// - `USE_POSTGRES=true` when it is SQLite, and `USE_POSTGRES=false` when it is
///   PostgreSQL;
/// - an explicitly set `DB_HOST`, `DB_PORT`, `DB_NAME` or `DB_USER` that differs
///   from what libpq connects to for the URL (the URL's part, or the one libpq
///   fills in: `PGPORT`/5432, `PGUSER`/the OS user, `PGDATABASE`/the user). Host
///   names compare without regard to case and IPv6 brackets, otherwise as written:
///   `localhost` and `127.0.0.1` are different targets to libpq (another password
///   file entry, another TLS name, maybe `::1`). With a multi-host URL, `DB_HOST`
///   and `DB_PORT` agree when they name any of its hosts and ports (the
///   application reaches one server of the cluster). A `DB_*` left unset — the
///   application's default — never contradicts, and neither does `DB_PASSWORD`.
fn check_same_rank(
    url: &Sourced<String>,
    target: &DatabaseTarget,
    use_postgres: Option<&Sourced<bool>>,
    db_vars: &[(&str, Sourced<String>)],
) -> Result<(), Error> {
    let contradiction = |other: String| {
        Error::config(format!(
            "contradictory configuration: the database URL from {} is {} but {other}; both are set at the same \
             level ({}), so authctl cannot tell which database is meant: unset one of them, or give the one \
             to use at a higher level (--database-url beats the environment, which beats the .env file)",
            url.source,
            target.redacted(),
            rank_place(url.source.rank()),
        ))
    };
    match (use_postgres.map(|u| u.value), target) {
        (Some(true), DatabaseTarget::Sqlite(_)) => {
            return Err(contradiction(format!(
                "{} is true (the application uses PostgreSQL)",
                use_postgres.expect("matched Some").source
            )));
        }
        (Some(false), DatabaseTarget::Postgres(_)) => {
            return Err(contradiction(format!(
                "{} is false (the application keeps its data in memory, in no database)",
                use_postgres.expect("matched Some").source
            )));
        }
        _ => {}
    }
    if db_vars.is_empty() {
        return Ok(());
    }
    let DatabaseTarget::Postgres(pg) = target else {
        let vars: Vec<String> = db_vars.iter().map(|(_, v)| v.source.to_string()).collect();
        return Err(contradiction(format!(
            "{} set{} where the application's PostgreSQL database is (USE_POSTGRES is true)",
            vars.join(", "),
            if vars.len() == 1 { "s" } else { "" }
        )));
    };
    let libpq = pg.libpq_target();
    let mut differences = Vec::new();
    for (var, v) in db_vars {
        let given = v.value.as_str();
        let (same, url_value) = match *var {
            // A multi-host URL (`h1,h2`): the application names one server; any of
            // the URL's hosts (and ports) may be the one it uses.
            "DB_HOST" => (
                libpq.host.split(',').any(|h| same_host(given, h)),
                &libpq.host,
            ),
            "DB_PORT" => (
                libpq.port.split(',').any(|p| {
                    let p = if p.trim().is_empty() { "5432" } else { p };
                    given.trim().parse::<u16>().ok() == p.trim().parse::<u16>().ok()
                }),
                &libpq.port,
            ),
            "DB_NAME" => (given == libpq.database, &libpq.database),
            _ => (given == libpq.user, &libpq.user),
        };
        if !same {
            differences.push(format!(
                "{} is {} where the URL has {}",
                v.source,
                crate::email::printable(given),
                crate::email::printable(url_value)
            ));
        }
    }
    if differences.is_empty() {
        return Ok(());
    }
    Err(contradiction(format!(
        "{} (the application connects with USE_POSTGRES and DB_*)",
        differences.join(", ")
    )))
}

/// The level of a rank, as a contradiction names it.
fn rank_place(rank: Rank) -> &'static str {
    match rank {
        Rank::EnvFile => "both in the .env file",
        _ => "both in the process environment",
    }
}

/// Host names as libpq would compare them for one target: DNS names are
/// case-insensitive, and `[::1]` is `::1`; nothing is resolved.
fn same_host(a: &str, b: &str) -> bool {
    let norm = |h: &str| {
        h.trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase()
    };
    norm(a) == norm(b)
}

/// The PostgreSQL URL the application builds from `USE_POSTGRES=true` and `DB_*`,
/// each variable from the environment, else the `.env` file, else the
/// application's default (its `src/db/connection.ts`). The password is held as a
/// [`Secret`], wiped once the URL is built.
fn db_vars_target(env: &Environment) -> Result<Sourced<DatabaseTarget>, Error> {
    let mut from: Vec<Source> = env.source("USE_POSTGRES").into_iter().collect();
    let mut get = |k: &str, default: &str| match env.get(k) {
        Some(v) => {
            from.push(v.source);
            Zeroizing::new(v.value)
        }
        None => Zeroizing::new(default.to_owned()),
    };
    let host = get("DB_HOST", APP_DEFAULT_DB_HOST);
    let name = get("DB_NAME", APP_DEFAULT_DB_NAME);
    let user = get("DB_USER", APP_DEFAULT_DB_USER);
    let port = match env.get("DB_PORT") {
        Some(p) => {
            let n = p
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
                })?;
            from.push(p.source);
            n
        }
        None => APP_DEFAULT_DB_PORT,
    };
    let password = match env.secret("DB_PASSWORD") {
        Some(p) => {
            from.push(p.source);
            p.value
        }
        None => Secret::new(APP_DEFAULT_DB_PASSWORD.to_owned()),
    };
    let target = pg_url_from_parts(&host, port, &name, &user, password.expose())?;
    Ok(Sourced::new(target, app_set_source(&from)))
}

/// Where the application's set came from: `USE_POSTGRES and DB_* in ./.env`,
/// `… environment variables`, or, when both places contribute, which variables
/// each gave.
fn app_set_source(from: &[Source]) -> Source {
    let rank = from.iter().map(Source::rank).max().unwrap_or(Rank::Default);
    let in_file: Vec<&str> = from
        .iter()
        .filter_map(|s| match s {
            Source::EnvFile { var, .. } => Some(var.as_str()),
            _ => None,
        })
        .collect();
    let in_env: Vec<&str> = from
        .iter()
        .filter_map(|s| match s {
            Source::Env(var) => Some(var.as_str()),
            _ => None,
        })
        .collect();
    let file = from.iter().find_map(|s| match s {
        Source::EnvFile { path, .. } => Some(path.display().to_string()),
        _ => None,
    });
    let what = match (in_env.is_empty(), file) {
        (_, None) => "USE_POSTGRES and DB_* environment variables".to_owned(),
        (true, Some(path)) => format!("USE_POSTGRES and DB_* in {path}"),
        (false, Some(path)) => format!(
            "USE_POSTGRES and DB_* ({} from the environment; {} in {path})",
            in_env.join(", "),
            in_file.join(", ")
        ),
    };
    Source::Derived { rank, what }
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

/// The one connect timeout of a run, from the first that sets it: `--connect-timeout`,
/// `AUTHCTL_CONNECT_TIMEOUT`, the PostgreSQL URL's `connect_timeout` parameter
/// (whole seconds), the default. The URL's parameter is replaced by this value when
/// connecting, so it never silently wins. Zero is refused wherever it is given:
/// libpq takes `connect_timeout=0` as "wait forever".
fn resolve_connect_timeout(
    flags: &Overrides,
    env: &Environment,
    database: &Sourced<DatabaseTarget>,
) -> Result<Sourced<Duration>, Error> {
    if let Some(d) = flags.connect_timeout {
        return Ok(Sourced::new(d, Source::Flag("--connect-timeout")));
    }
    if env.get(settings::CONNECT_TIMEOUT.var).is_some() {
        let d = duration_var(env, &settings::CONNECT_TIMEOUT)?;
        if d.value.is_zero() {
            return Err(Error::config(format!(
                "{}: a connect timeout of 0 would mean waiting forever; give a positive duration (e.g. 5s)",
                d.source
            )));
        }
        return Ok(d);
    }
    if let DatabaseTarget::Postgres(pg) = &database.value
        && let Some(raw) = pg.connect_timeout_param()
    {
        let secs = raw.trim().parse::<i64>().map_err(|_| {
            Error::config(format!(
                "the database URL (from {}) has connect_timeout={}: a whole number of seconds is expected",
                database.source,
                crate::email::printable(&raw)
            ))
        })?;
        if secs <= 0 {
            return Err(Error::config(format!(
                "the database URL (from {}) has connect_timeout={secs}, which libpq takes as \
                 \"wait forever\": give a number of seconds (at least 2), or set --connect-timeout \
                 or {} (either replaces the URL's value)",
                database.source,
                settings::CONNECT_TIMEOUT.var
            )));
        }
        let secs = u64::try_from(secs).unwrap_or(u64::MAX);
        let d = Duration::from_secs(secs).min(MAX_TIMEOUT);
        return Ok(Sourced::new(
            d,
            Source::Derived {
                rank: database.source.rank(),
                what: format!(
                    "connect_timeout in the database URL (from {})",
                    database.source
                ),
            },
        ));
    }
    duration_var(env, &settings::CONNECT_TIMEOUT)
}

/// A timeout that must not be zero (`--connect-timeout`, `--statement-timeout`):
/// libpq and PostgreSQL take 0 as "no limit", and authctl would have to make it
/// 1 ms; neither is what `0s` says. A [`parse_timeout`] of at least 1 ms.
pub fn parse_positive_timeout(s: &str) -> Result<Duration, String> {
    let d = parse_timeout(s)?;
    if d < Duration::from_millis(1) {
        return Err(format!(
            "{:?} is not a timeout: zero (or under 1ms) would mean no limit at all; give a positive duration such as 5s",
            s.trim()
        ));
    }
    Ok(d)
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
                Some(v) => Source::Derived {
                    rank: v.source.rank().max(argon2.source.rank()),
                    what: format!("{}, {}", v.source, argon2.source),
                },
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
    let mut rank = Rank::Default;
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
            rank = rank.max(v.source.rank());
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
        Source::Derived {
            rank,
            what: sources.join(", "),
        }
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

    /// Issue 20: a multi-host URL agrees with a `DB_HOST`/`DB_PORT` naming any of
    /// its servers; one naming none of them (or another database) still contradicts.
    #[test]
    fn multi_host_urls_contradict_only_db_vars_naming_none_of_their_hosts() {
        let url = "postgres://restoreassist@db1:5432,db2:5433/restoreassist?target_session_attrs=read-write";
        for (host, port) in [("db1", "5432"), ("DB2", "5433"), ("db2", "5432")] {
            resolve(&[
                ("DATABASE_URL", url),
                ("USE_POSTGRES", "true"),
                ("DB_HOST", host),
                ("DB_PORT", port),
            ])
            .unwrap();
        }
        for (var, value) in [
            ("DB_HOST", "db3"),
            ("DB_PORT", "6432"),
            ("DB_NAME", "other"),
        ] {
            let e = resolve(&[
                ("DATABASE_URL", url),
                ("USE_POSTGRES", "true"),
                (var, value),
            ])
            .unwrap_err();
            assert!(e.message.contains("contradictory"), "{var}: {e}");
            assert!(e.message.contains("db1,db2"), "every host is shown: {e}");
        }
    }

    /// Issue 20: flag > environment > the URL's `connect_timeout` > default; the
    /// URL's 0 ("wait forever" to libpq) is refused unless overridden.
    #[test]
    fn one_connect_timeout_whatever_its_source() {
        let url = |t: &str| format!("postgres://u@h/db?connect_timeout={t}");
        let c = resolve(&[("DATABASE_URL", url("7").as_str())]).unwrap();
        assert_eq!(c.connect_timeout.value, Duration::from_secs(7));
        assert!(
            c.connect_timeout
                .source
                .to_string()
                .contains("database URL")
        );
        let c = resolve(&[
            ("DATABASE_URL", url("7").as_str()),
            ("AUTHCTL_CONNECT_TIMEOUT", "3s"),
        ])
        .unwrap();
        assert_eq!(c.connect_timeout.value, Duration::from_secs(3));
        let e = resolve(&[("DATABASE_URL", url("0").as_str())]).unwrap_err();
        assert_eq!(e.kind, crate::error::ExitCode::Config);
        assert!(e.message.contains("wait forever"), "{e}");
        let c = resolve(&[
            ("DATABASE_URL", url("0").as_str()),
            ("AUTHCTL_CONNECT_TIMEOUT", "4s"),
        ])
        .unwrap();
        assert_eq!(c.connect_timeout.value, Duration::from_secs(4));
        let e = resolve(&[("AUTHCTL_CONNECT_TIMEOUT", "0s")]).unwrap_err();
        assert_eq!(e.kind, crate::error::ExitCode::Config);
        assert!(parse_positive_timeout("0s").is_err());
        assert!(parse_positive_timeout("0ms").is_err());
        assert_eq!(parse_positive_timeout("1ms"), Ok(Duration::from_millis(1)));
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
        let e = resolve(&[
            ("USE_POSTGRES", "false"),
            ("DATABASE_URL", "postgres://h/db"),
        ])
        .unwrap_err();
        assert!(
            e.message.contains("USE_POSTGRES") && e.message.contains("DATABASE_URL"),
            "{e}"
        );
    }

    /// The application's variables in `.env`, as in its own directory.
    fn app_dotenv() -> Environment {
        Environment::default().with_file_vars(
            Path::new("/app/.env"),
            [
                ("USE_POSTGRES", "true"),
                ("DB_HOST", "db.prod"),
                ("DB_PORT", "5432"),
                ("DB_NAME", "restoreassist"),
                ("DB_USER", "app"),
                ("DB_PASSWORD", "pw"),
            ],
        )
    }

    fn pg_parts(t: &DatabaseTarget) -> (String, u16, String, String) {
        let DatabaseTarget::Postgres(u) = t else {
            panic!("not PostgreSQL: {t}")
        };
        (u.host(), u.port(), u.database(), u.user())
    }

    #[test]
    fn a_higher_rank_overrides_the_applications_dotenv() {
        // The flag beats .env: no contradiction across ranks (issue 18).
        let flags = Overrides {
            database_url: Some("postgres://ops@restore.internal/restored".into()),
            ..Default::default()
        };
        let c = Config::resolve(&flags, &app_dotenv()).unwrap();
        assert_eq!(c.database.source, Source::Flag("--database-url"));
        assert_eq!(pg_parts(&c.database.value).0, "restore.internal");
        // Even an application variable authctl would refuse is not read then.
        let env = Environment::from_vars([("USE_POSTGRES", "TRUE"), ("DB_PORT", "x")]);
        Config::resolve(&flags, &env).unwrap();
        // So does an exported DATABASE_URL, SQLite too.
        let mut env = app_dotenv();
        env.process.insert(
            "DATABASE_URL".into(),
            Zeroizing::new("/tmp/copy.db".to_owned()),
        );
        let c = Config::resolve(&Overrides::default(), &env).unwrap();
        assert_eq!(
            c.database.value,
            DatabaseTarget::Sqlite("/tmp/copy.db".into())
        );
        assert_eq!(c.database.source.rank(), Rank::Environment);
        // Without them, the application's set from .env.
        let c = Config::resolve(&Overrides::default(), &app_dotenv()).unwrap();
        assert_eq!(c.database.source.rank(), Rank::EnvFile);
        assert_eq!(
            pg_parts(&c.database.value),
            ("db.prod".into(), 5432, "restoreassist".into(), "app".into())
        );
    }

    #[test]
    fn the_applications_set_merges_variable_by_variable() {
        // An exported DB_HOST (and a password from a secret store) with the rest in
        // .env: what the application connects to, ranked as the environment.
        let mut env = app_dotenv();
        env.process
            .insert("DB_HOST".into(), Zeroizing::new("db.other".to_owned()));
        let c = Config::resolve(&Overrides::default(), &env).unwrap();
        assert_eq!(pg_parts(&c.database.value).0, "db.other");
        assert_eq!(c.database.source.rank(), Rank::Environment);
        let shown = c.database.source.to_string();
        assert!(
            shown.contains("DB_HOST from the environment") && shown.contains("/app/.env"),
            "{shown}"
        );
        // An exported DB_PASSWORD alone speaks for the application's set as well:
        // it outranks a DATABASE_URL in .env.
        let mut env = Environment::from_vars([("DB_PASSWORD", "from-a-vault")]);
        env.file = app_dotenv().file;
        env.file.insert(
            "DATABASE_URL".into(),
            Zeroizing::new("/tmp/other.db".to_owned()),
        );
        env.file_path = Some("/app/.env".into());
        let c = Config::resolve(&Overrides::default(), &env).unwrap();
        assert_eq!(pg_parts(&c.database.value).0, "db.prod");
        let DatabaseTarget::Postgres(u) = &c.database.value else {
            panic!("not PostgreSQL")
        };
        assert_eq!(u.password(), "from-a-vault");
    }

    #[test]
    fn only_explicit_db_vars_of_the_same_rank_contradict_a_url() {
        // The application's defaults never contradict: 127.0.0.1 is not compared
        // with the default localhost, and a matching DB_NAME is accepted.
        for extra in [&[][..], &[("DB_NAME", "restoreassist")][..]] {
            let mut vars = vec![
                ("USE_POSTGRES", "true"),
                ("DATABASE_URL", "postgres://u@127.0.0.1:5432/restoreassist"),
            ];
            vars.extend_from_slice(extra);
            let c = resolve(&vars).unwrap_or_else(|e| panic!("{extra:?}: {e}"));
            assert_eq!(pg_parts(&c.database.value).0, "127.0.0.1");
        }
        // Explicit values compare as libpq would: host case and IPv6 brackets do
        // not matter; a port left out of the URL is 5432 (unless PGPORT is set).
        if std::env::var_os("PGPORT").is_none() {
            resolve(&[
                ("USE_POSTGRES", "true"),
                ("DB_HOST", "DB.Internal"),
                ("DB_PORT", "5432"),
                ("DATABASE_URL", "postgres://u@db.internal/x"),
            ])
            .unwrap();
        }
        resolve(&[
            ("USE_POSTGRES", "true"),
            ("DB_HOST", "::1"),
            ("DATABASE_URL", "postgres://u@[::1]:5433/x"),
        ])
        .unwrap();
        // A different explicit value in the same rank is a contradiction naming both.
        for (var, value) in [
            ("DB_HOST", "localhost"),
            ("DB_PORT", "5433"),
            ("DB_NAME", "other"),
            ("DB_USER", "someone"),
        ] {
            let e = resolve(&[
                ("USE_POSTGRES", "true"),
                (var, value),
                ("DATABASE_URL", "postgres://u@127.0.0.1:5432/restoreassist"),
            ])
            .unwrap_err();
            assert_eq!(e.kind, crate::error::ExitCode::Config);
            assert!(
                e.message.contains("contradictory")
                    && e.message.contains(&format!("environment variable {var}"))
                    && e.message.contains("environment variable DATABASE_URL"),
                "{var}: {e}"
            );
        }
        // DB_PASSWORD names no database.
        resolve(&[
            ("USE_POSTGRES", "true"),
            ("DB_PASSWORD", "other"),
            (
                "DATABASE_URL",
                "postgres://u:pw@127.0.0.1:5432/restoreassist",
            ),
        ])
        .unwrap();
        // Within the .env file too.
        let env = Environment::default().with_file_vars(
            Path::new("/app/.env"),
            [
                ("USE_POSTGRES", "true"),
                ("DB_NAME", "prod"),
                ("DATABASE_URL", "postgres://u@h/copy"),
            ],
        );
        let e = Config::resolve(&Overrides::default(), &env).unwrap_err();
        assert!(
            e.message.contains("DB_NAME in /app/.env")
                && e.message.contains("DATABASE_URL in /app/.env")
                && e.message.contains(".env file"),
            "{e}"
        );
    }

    #[test]
    fn environment_debug_shows_names_not_values() {
        let env = Environment::from_vars([("DB_PASSWORD", "hunter2-env")])
            .with_file_vars(Path::new("/x/.env"), [("JWT_SECRET", "hunter2-file")]);
        let shown = format!("{env:?}");
        assert!(
            shown.contains("DB_PASSWORD") && shown.contains("JWT_SECRET"),
            "{shown}"
        );
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(
            env.secret("DB_PASSWORD").unwrap().value.expose(),
            "hunter2-env"
        );
        assert_eq!(
            format!("{:?}", env.secret("JWT_SECRET").unwrap().value),
            "Secret(***)"
        );
    }

    #[test]
    fn env_file_errors_name_the_line_not_its_text() {
        let cases: [(&str, &[u8], usize); 6] = [
            ("bad name", b"A=1\n# c\n\n1BAD=hunter2\n", 4),
            ("no =", b"A=1\nB=2\nhunter2\n", 3),
            ("no = at the end", b"A=1\nhunter2", 2),
            ("unquoted space", b"A=1\nB=hunter2 and more\nC=3\n", 2),
            ("quote never closed", b"A=1\nB=\"hunter2\nC=3\nD=4\n", 2),
            (
                "multi-line value, then a bad line",
                b"A=\"one\ntwo\"\nB=hunter2 x\n",
                3,
            ),
        ];
        for (case, text, line) in cases {
            let e = parse_env_file(text).unwrap_err();
            assert!(e.contains(&format!("line {line}")), "{case}: {e}");
            assert!(!e.contains("hunter2"), "{case}: {e}");
        }
        // A byte order mark is not part of the first name.
        let vars = parse_env_file(b"\xEF\xBB\xBFA=1\nB='x y'\n").unwrap();
        assert_eq!(vars["A"].as_str(), "1");
        assert_eq!(vars["B"].as_str(), "x y");
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
