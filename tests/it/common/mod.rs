//! Test harness: every test gets its own real database — a fresh SQLite file in a
//! temporary directory, or a PostgreSQL database created for it (empty, or copied
//! from a migrated template) and dropped after; `per_backend!` makes a test per
//! backend; authctl runs in the foreground ([`run`]) or background ([`Background`]),
//! and [`wait_until`] waits for a condition instead of sleeping.
//!
//! PostgreSQL tests run when `AUTHCTL_TEST_POSTGRES_URL` points at a server whose
//! user may `CREATE DATABASE`; otherwise they are skipped with a notice on the
//! terminal. With `AUTHCTL_TEST_REQUIRE_POSTGRES=1` (set by `.ci/run`) a missing
//! server fails the test instead.
#![allow(dead_code)]

pub mod pgbouncer;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use authctl::db::{self, ConnectOptions, DatabaseTarget, DbConn};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use tempfile::TempDir;

static SKIP_NOTICE: Once = Once::new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A test cannot run its case on this machine: a notice locally, a failure in CI
/// (`AUTHCTL_TEST_REQUIRE_POSTGRES=1`, set by `.ci/run`), where every check must run.
pub fn skip(why: &str) {
    if std::env::var("AUTHCTL_TEST_REQUIRE_POSTGRES").as_deref() == Ok("1") {
        panic!("required check cannot run (AUTHCTL_TEST_REQUIRE_POSTGRES=1): {why}");
    }
    let _ = writeln!(std::io::stderr().lock(), "NOTE: skipped: {why}");
}

/// libfaketime's preload library (Debian package `faketime`; `.ci/run` installs it).
pub const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

/// Whether libfaketime is installed; if not, a skip notice (a failure in CI).
pub fn has_faketime() -> bool {
    let there = Path::new(LIBFAKETIME).exists();
    if !there {
        skip(&format!(
            "{LIBFAKETIME} missing: install the Debian package faketime (.ci/run does)"
        ));
    }
    there
}

/// Run `cmd` with this machine's wall clock shifted by `shift` (libfaketime syntax:
/// `+1h`, `-11m`); monotonic time, which timeouts count, stays real.
pub fn shift_clock<'c>(
    cmd: &'c mut assert_cmd::Command,
    shift: &str,
) -> &'c mut assert_cmd::Command {
    assert!(
        Path::new(LIBFAKETIME).exists(),
        "{LIBFAKETIME} missing: install the Debian package faketime (.ci/run does)"
    );
    cmd.env("LD_PRELOAD", LIBFAKETIME)
        .env("FAKETIME", shift)
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
}

/// The admin URL of the test PostgreSQL server, or `None` (after a visible notice).
pub fn pg_admin_url() -> Option<String> {
    match std::env::var("AUTHCTL_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("AUTHCTL_TEST_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("AUTHCTL_TEST_REQUIRE_POSTGRES=1 but AUTHCTL_TEST_POSTGRES_URL is not set");
            }
            SKIP_NOTICE.call_once(|| {
                // Written straight to the process's stderr so the test harness's
                // output capture does not hide it.
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "\nNOTE: AUTHCTL_TEST_POSTGRES_URL is not set: PostgreSQL tests are SKIPPED \
                     (e.g. AUTHCTL_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres)\n"
                );
            });
            None
        }
    }
}

fn unique_name(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// A PostgreSQL database created for one test and dropped (forcefully) afterwards.
pub struct PgDb {
    pub name: String,
    admin_url: String,
    pub url: String,
    /// The database's [`TestDb::scratch`] directory.
    scratch: TempDir,
}

/// `admin_url` with its database replaced by `name`.
fn url_of(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("AUTHCTL_TEST_POSTGRES_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

fn admin_connection(admin_url: &str) -> PgConnection {
    PgConnection::establish(admin_url)
        .unwrap_or_else(|e| panic!("cannot connect to the test server {admin_url}: {e}"))
}

impl PgDb {
    /// An empty database (no migrations applied).
    pub fn create() -> Option<PgDb> {
        PgDb::create_as("")
    }

    /// A migrated database: a copy of the migrated template ([`migrated_template`]),
    /// the same as an empty one migrated by [`TestDb::migrated`] except for the
    /// times in the migration ledgers (those of the template's migration).
    /// A test run of another checkout (other migrations, another template) may
    /// have dropped this build's template since it was made: then it is made
    /// again and the copy retried, once.
    pub fn create_migrated() -> Option<PgDb> {
        let admin_url = pg_admin_url()?;
        let template = migrated_template(&admin_url);
        let name = unique_name("authctl_test");
        let create = format!("CREATE DATABASE {name} TEMPLATE {template}");
        let mut admin = admin_connection(&admin_url);
        if let Err(e) = admin.batch_execute(&create) {
            if !e.to_string().contains("does not exist") {
                panic!("{create}: {e}");
            }
            ensure_template(&admin_url, template);
            admin
                .batch_execute(&create)
                .unwrap_or_else(|e| panic!("{create} (template made again): {e}"));
        }
        Some(PgDb::named(admin_url, name))
    }

    /// `CREATE DATABASE <new name><options>`.
    fn create_as(options: &str) -> Option<PgDb> {
        let admin_url = pg_admin_url()?;
        let name = unique_name("authctl_test");
        admin_connection(&admin_url)
            .batch_execute(&format!("CREATE DATABASE {name}{options}"))
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}{options}: {e}"));
        Some(PgDb::named(admin_url, name))
    }

    /// The handle of the test database `name`, just created.
    fn named(admin_url: String, name: String) -> PgDb {
        let url = url_of(&admin_url, &name);
        PgDb {
            name,
            admin_url,
            url,
            scratch: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// Run SQL as the admin user against this test database.
    pub fn psql(&self, sql: &str) {
        let mut c = PgConnection::establish(&self.url).expect("connect to test database");
        c.batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Run SQL as admin against the server's maintenance database.
    pub fn admin(&self, sql: &str) {
        let mut c = PgConnection::establish(&self.admin_url).expect("connect admin");
        c.batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = PgConnection::establish(&self.admin_url) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The migrated template database of this authctl build, made once (per server,
/// across test processes and runs) and then only copied: `authctl_tpl_<hash>`,
/// the hash over authctl's version, `migrations/` and `src/db/` (the migrations
/// and the code that records them), so a changed migration gets a new template.
/// Made under an advisory lock (one builder at a time across processes), migrated
/// by the library under a temporary name and renamed when complete, then closed
/// to connections: `CREATE DATABASE … TEMPLATE` needs nobody connected to it.
pub fn migrated_template(admin_url: &str) -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = template_name();
        ensure_template(admin_url, &name);
        name
    })
}

/// Make the template database `name` unless it exists ([`migrated_template`]).
fn ensure_template(admin_url: &str, name: &str) {
    {
        let exists = |admin: &mut PgConnection| {
            use diesel::prelude::*;
            #[derive(QueryableByName)]
            struct Row {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let row: Row = diesel::sql_query(format!(
                "SELECT count(*) AS n FROM pg_database WHERE datname = '{name}'"
            ))
            .get_result(admin)
            .expect("look for the template database");
            row.n > 0
        };
        let mut admin = admin_connection(admin_url);
        if exists(&mut admin) {
            return;
        }
        admin
            .batch_execute(&format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"))
            .expect("take the template lock");
        if !exists(&mut admin) {
            // Under the lock, a half-built template is a dead builder's: start over.
            let building = format!("{name}_building");
            for sql in [
                format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
                format!("CREATE DATABASE {building}"),
            ] {
                admin
                    .batch_execute(&sql)
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
            {
                let target = DatabaseTarget::parse(&url_of(admin_url, &building)).unwrap();
                let mut conn = db::connect(&ConnectOptions::new(target)).expect("connect");
                db::migrations::run_pending(&mut conn, &Default::default())
                    .expect("migrate the template database");
            }
            for sql in [
                format!("ALTER DATABASE {building} RENAME TO {name}"),
                format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false"),
            ] {
                admin
                    .batch_execute(&sql)
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
            // Templates of older migrations are never used again: drop them (a
            // failure — one still being copied by another run — is left for later).
            for old in template_names(&mut admin) {
                if old != name {
                    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {old}"));
                }
            }
        }
        admin
            .batch_execute(&format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"))
            .expect("release the template lock");
    }
}

/// Every template database on the server (any migrations' hash).
fn template_names(admin: &mut PgConnection) -> Vec<String> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    diesel::sql_query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'authctl\\_tpl\\_%' \
         AND datname NOT LIKE '%\\_building'",
    )
    .load::<Row>(admin)
    .expect("list template databases")
    .into_iter()
    .map(|r| r.datname)
    .collect()
}

/// The advisory lock (on the admin database) of template builders.
const TEMPLATE_LOCK: i64 = 0x6175_7468_7465_6d70; // "authtemp"

/// `authctl_tpl_` + a hash of what makes a migrated database.
fn template_name() -> String {
    use sha2::{Digest, Sha256};
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("read_dir").path();
            if path.is_dir() {
                walk(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("migrations"), &mut files);
    walk(&root.join("src/db"), &mut files);
    files.sort();
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    for f in files {
        hash.update(f.strip_prefix(root).unwrap().to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(std::fs::read(&f).expect("read a migration file"));
        hash.update([0]);
    }
    format!("authctl_tpl_{}", hex::encode(&hash.finalize()[..8]))
}

/// A SQLite database file in its own temporary directory (not created yet: only
/// `authctl migrate` creates a missing file — other commands refuse it with 66 —
/// so a test that runs data commands first migrates, through [`TestDb::migrated`]
/// or `authctl migrate`, or starts from [`TestDb::sqlite_existing`]).
pub struct SqliteDb {
    pub dir: TempDir,
    pub path: PathBuf,
}

impl SqliteDb {
    pub fn new() -> SqliteDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("auth.db");
        SqliteDb { dir, path }
    }

    /// Create the database file empty (mode 0600, no tables): what a data command
    /// then finds is an existing, unmigrated database, which it migrates itself.
    pub fn create_empty(&self) {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&self.path)
            .expect("create the empty SQLite file");
    }
}

/// One test database on either backend.
pub enum TestDb {
    Sqlite(SqliteDb),
    Postgres(PgDb),
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        TestDb::Sqlite(SqliteDb::new())
    }

    /// A SQLite database whose file exists but is empty (no migrations applied).
    pub fn sqlite_existing() -> TestDb {
        let s = SqliteDb::new();
        s.create_empty();
        TestDb::Sqlite(s)
    }

    pub fn postgres() -> Option<TestDb> {
        PgDb::create().map(TestDb::Postgres)
    }

    /// A fully migrated SQLite database.
    pub fn sqlite_migrated() -> TestDb {
        let db = TestDb::sqlite();
        db.migrated();
        db
    }

    /// A fully migrated PostgreSQL database, copied from the migrated template
    /// ([`PgDb::create_migrated`]): cheaper than migrating an empty one.
    pub fn postgres_migrated() -> Option<TestDb> {
        PgDb::create_migrated().map(TestDb::Postgres)
    }

    /// SQLite always, plus PostgreSQL when configured.
    pub fn all() -> Vec<TestDb> {
        let mut v = vec![TestDb::sqlite()];
        v.extend(TestDb::postgres());
        v
    }

    /// [`TestDb::all`], fully migrated.
    pub fn all_migrated() -> Vec<TestDb> {
        let mut v = vec![TestDb::sqlite_migrated()];
        v.extend(TestDb::postgres_migrated());
        v
    }

    pub fn url(&self) -> String {
        match self {
            TestDb::Sqlite(s) => s.path.display().to_string(),
            TestDb::Postgres(p) => p.url.clone(),
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            TestDb::Sqlite(_) => "sqlite",
            TestDb::Postgres(_) => "postgres",
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDb::Postgres(_))
    }

    /// A library connection (no migrations run).
    pub fn connect(&self) -> DbConn {
        let target = DatabaseTarget::parse(&self.url()).unwrap();
        db::connect(&ConnectOptions::new(target)).expect("connect to test database")
    }

    /// A library connection to a fully migrated database: migrates what is pending
    /// (nothing on a database made by [`TestDb::sqlite_migrated`] /
    /// [`TestDb::postgres_migrated`]).
    pub fn migrated(&self) -> DbConn {
        let mut conn = self.connect();
        db::migrations::run_pending(&mut conn, &Default::default()).expect("migrate");
        conn
    }

    /// Run raw SQL (setup or inspection) through a fresh connection.
    pub fn exec(&self, sql: &str) {
        self.connect()
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// A scratch directory that lives as long as the database (for .env files etc.).
    pub fn scratch(&self) -> &Path {
        match self {
            TestDb::Sqlite(s) => s.dir.path(),
            TestDb::Postgres(p) => p.scratch.path(),
        }
    }

    /// `authctl` pointed at this database, with a clean environment.
    pub fn authctl(&self) -> assert_cmd::Command {
        let mut cmd = authctl();
        cmd.arg("--database-url").arg(self.url());
        cmd
    }
}

/// The authctl binary with a minimal environment: no inherited `DATABASE_URL`,
/// `USE_POSTGRES`, `DB_*` or `AUTHCTL_*`; HOME (also the working directory, so no
/// `.env`) is a new empty directory of its own — see [`new_home`].
pub fn authctl() -> assert_cmd::Command {
    let home = new_home();
    let mut cmd = assert_cmd::Command::cargo_bin("authctl").expect("authctl binary");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .current_dir(&home);
    cmd
}

/// A new empty directory for one command's HOME, under this test process's
/// `authctl-it-homes-<pid>` in the temporary directory. A command may write there
/// (the default SQLite database lives under `$XDG_DATA_HOME`), so each gets its
/// own; the command owns nothing, so the whole tree is removed when the process
/// exits (and a killed process's tree by the next test process).
pub fn new_home() -> PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    static N: AtomicU32 = AtomicU32::new(0);
    extern "C" fn remove_root() {
        if let Some(root) = ROOT.get() {
            let _ = std::fs::remove_dir_all(root);
        }
    }
    let root = ROOT.get_or_init(|| {
        let tmp = std::env::temp_dir();
        // Trees of test processes that died without their exit handler.
        for entry in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("authctl-it-homes-")
                && !Path::new("/proc").join(pid).exists()
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let root = tmp.join(format!("authctl-it-homes-{}", std::process::id()));
        std::fs::create_dir_all(&root).expect("create the homes directory");
        // SAFETY: registers a plain function without arguments to run at exit.
        assert_eq!(unsafe { libc::atexit(remove_root) }, 0, "atexit");
        root
    });
    let home = root.join(N.fetch_add(1, Ordering::SeqCst).to_string());
    std::fs::create_dir(&home).expect("create a home directory");
    home
}

/// The longest one authctl run may take in a test: a command that should give up
/// (a lock wait, a lock timeout) but hangs is killed and fails its exit-code check.
pub const HANG_GUARD: Duration = Duration::from_secs(180);

/// The outcome of one authctl run: the one runner every test file uses.
#[derive(Debug)]
pub struct Run {
    /// The exit code; -1 when a signal ended the process (see `signal`).
    pub code: i32,
    /// The signal that ended the process, if one did.
    pub signal: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Wall time of the run.
    pub elapsed: Duration,
}

impl Run {
    pub fn from_output(out: std::process::Output, elapsed: Duration) -> Run {
        use std::os::unix::process::ExitStatusExt;
        Run {
            code: out.status.code().unwrap_or(-1),
            signal: out.status.signal(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed,
        }
    }

    /// stdout and stderr together, for "never printed anywhere" checks.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// stdout as JSON (a test failure showing the run when it is not).
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.signal {
            Some(sig) => write!(f, "killed by signal {sig}")?,
            None => write!(f, "exit {}", self.code)?,
        }
        write!(
            f,
            " after {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.elapsed, self.stdout, self.stderr
        )
    }
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run::from_output(out, Duration::ZERO)
    }
}

/// Run `cmd` (an [`authctl`] or [`TestDb::authctl`] command) to its end, within
/// [`HANG_GUARD`].
pub fn run(cmd: &mut assert_cmd::Command) -> Run {
    let started = std::time::Instant::now();
    let out = cmd.timeout(HANG_GUARD).output().expect("run authctl");
    Run::from_output(out, started.elapsed())
}

impl Run {
    /// Assert the exit code, showing `what` and the whole run when it differs;
    /// returns the run for further checks.
    #[track_caller]
    pub fn expect_code(self, code: i32, what: impl std::fmt::Display) -> Run {
        assert_eq!(self.code, code, "{what}\n{self}");
        self
    }
}

impl TestDb {
    /// `authctl --database-url <db> ARGS…` run to its end ([`run`]).
    pub fn run(&self, args: &[&str]) -> Run {
        run(self.authctl().args(args))
    }
}

/// The same command as a `std::process::Command` (program, arguments, environment,
/// working directory), to start in the background: stdin null, output piped.
pub fn spawnable(cmd: &assert_cmd::Command) -> std::process::Command {
    use std::process::Stdio;
    let mut std_cmd = std::process::Command::new(cmd.get_program());
    std_cmd.args(cmd.get_args()).env_clear();
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => std_cmd.env(key, v),
            None => std_cmd.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        std_cmd.current_dir(dir);
    }
    std_cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std_cmd
}

/// A background process, killed (and reaped) if the test fails before waiting for it.
pub struct Background {
    child: Option<std::process::Child>,
    started: Instant,
}

impl Background {
    /// Start `cmd` (e.g. from [`spawnable`]).
    pub fn spawn(cmd: &mut std::process::Command) -> Background {
        Background {
            child: Some(cmd.spawn().expect("spawn")),
            started: Instant::now(),
        }
    }

    /// Start an [`authctl`]/[`TestDb::authctl`] command in the background.
    pub fn start(cmd: &assert_cmd::Command) -> Background {
        Background::spawn(&mut spawnable(cmd))
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .expect("running")
            .try_wait()
            .expect("try_wait")
            .is_none()
    }

    /// `kill SIG PID`, e.g. `signal("-TERM")` (the `libc` crate is not a dependency).
    pub fn signal(&self, sig: &str) {
        let status = std::process::Command::new("kill")
            .args([sig, &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill {sig} failed");
    }

    /// SIGKILL, then reap; proves the process did not end on its own first.
    pub fn kill9(&mut self) {
        let mut child = self.child.take().expect("running");
        child.kill().expect("kill -9");
        let status = child.wait().expect("wait");
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(9),
            "killed by SIGKILL, not finished on its own: {status}"
        );
    }

    /// Wait for the process to end (killing it after [`HANG_GUARD`]). The run's
    /// elapsed time counts from the spawn.
    pub fn finish(mut self) -> Run {
        let mut child = self.child.take().expect("running");
        let waiting = Instant::now();
        while child.try_wait().expect("try_wait").is_none() {
            if waiting.elapsed() > HANG_GUARD {
                let _ = child.kill();
                let out = child.wait_with_output().expect("wait");
                panic!(
                    "did not finish within {HANG_GUARD:?} (hung)\n{}",
                    Run::from_output(out, self.started.elapsed())
                );
            }
            std::thread::sleep(POLL);
        }
        Run::from_output(
            child.wait_with_output().expect("wait"),
            self.started.elapsed(),
        )
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// How often the condition waits below look again.
pub const POLL: Duration = Duration::from_millis(20);

/// Wait until `cond` holds, looking every [`POLL`]; panic with `what` after
/// [`HANG_GUARD`] (a hang guard, not a timing claim). Use it instead of a sleep
/// wherever the awaited state can be observed.
#[track_caller]
pub fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    wait_for(what, || cond().then_some(()))
}

/// Wait until `probe` returns a value, and return it; like [`wait_until`].
#[track_caller]
pub fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(
            started.elapsed() < HANG_GUARD,
            "never happened within {HANG_GUARD:?}: {what}"
        );
        std::thread::sleep(POLL);
    }
}

/// Read one value with a raw query (for assertions), as text.
pub fn query_strings(db: &TestDb, sql: &str) -> Vec<String> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let mut conn = db.connect();
    let rows: Vec<Row> = authctl::with_conn!(&mut conn, c => diesel::sql_query(sql).load(c))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter().map(|r| r.v).collect()
}

/// `SELECT count(*) …` as an integer.
pub fn count(db: &TestDb, sql: &str) -> i64 {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = db.connect();
    let row: Row = authctl::with_conn!(&mut conn, c => diesel::sql_query(sql).get_result(c))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    row.n
}

/// The application fixture in `tests/app/` (its migration runner, migrations and
/// repository SQL, written from the application's facts) run by node with the
/// application's own libraries (bcryptjs, jsonwebtoken, pg-promise).
pub struct AppRun {
    pub code: i32,
    pub json: serde_json::Value,
    pub stderr: String,
}

/// Whether python3 runs (the pseudo-terminal driver of the prompt tests is a
/// python3 script); if not, a skip notice (a failure in CI).
pub fn has_python3() -> bool {
    static THERE: OnceLock<bool> = OnceLock::new();
    let there = *THERE.get_or_init(|| {
        std::process::Command::new("python3")
            .arg("-c")
            .arg("import pty, termios")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if !there {
        skip("python3 is not on PATH: the prompt tests drive a pseudo-terminal with it");
    }
    there
}

/// Whether the application fixture can run (node on `PATH`, `npm ci --prefix
/// tests/app` done); if not, a skip notice (a failure in CI, which installs it).
pub fn has_app() -> bool {
    static THERE: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    let there = THERE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/app");
        let node = std::process::Command::new("node")
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        if !node.is_ok_and(|s| s.success()) {
            Err("node is not on PATH: the application fixture (tests/app) cannot run".into())
        } else if !dir.join("node_modules/bcryptjs").is_dir() {
            Err("the application fixture is not installed: run `npm ci --prefix tests/app`".into())
        } else {
            Ok(())
        }
    });
    match there {
        Ok(()) => true,
        Err(why) => {
            skip(why);
            false
        }
    }
}

/// Run `node tests/app/app.js ARGS` against `url` with `stdin`.
pub fn app(url: &str, args: &[&str], stdin: &str) -> AppRun {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/app");
    assert!(
        dir.join("node_modules/bcryptjs").is_dir(),
        "the application fixture is not installed: run `npm ci --prefix tests/app` (.ci/run does)"
    );
    let out = assert_cmd::Command::new("node")
        .arg(dir.join("app.js"))
        .args(args)
        .env("DATABASE_URL", url)
        .env(
            "JWT_REFRESH_SECRET",
            "fixture-refresh-secret-0123456789abcdef",
        )
        .env("JWT_SECRET", "fixture-access-secret-0123456789abcdef")
        .write_stdin(stdin)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("fixture JSON {l}: {e}")))
        .unwrap_or(serde_json::Value::Null);
    AppRun {
        code: out.status.code().unwrap_or(-1),
        json,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// [`app`], asserting the exit code.
#[track_caller]
pub fn app_ok(url: &str, args: &[&str], stdin: &str, code: i32) -> serde_json::Value {
    let r = app(url, args, stdin);
    assert_eq!(
        r.code, code,
        "node app.js {args:?}: {}\nstderr: {}",
        r.json, r.stderr
    );
    r.json
}

impl PgDb {
    /// A database migrated by the application's own runner (all its migrations,
    /// or only the versions starting with the given prefixes).
    /// `None` (with a skip notice) without PostgreSQL or without the fixture.
    pub fn app_migrated(only: Option<&str>) -> Option<PgDb> {
        let db = PgDb::create()?;
        if !has_app() {
            return None;
        }
        let mut args = vec!["migrate"];
        if let Some(o) = only {
            args.push("--only");
            args.push(o);
        }
        app_ok(&db.url, &args, "", 0);
        Some(db)
    }
}

impl PgDb {
    /// One text column of a query, through a fresh connection.
    pub fn strings(&self, sql: &str) -> Vec<String> {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            v: String,
        }
        let mut c = PgConnection::establish(&self.url).expect("connect to test database");
        diesel::sql_query(sql)
            .load::<Row>(&mut c)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .into_iter()
            .map(|r| r.v)
            .collect()
    }

    /// Whether a table exists in the public schema.
    pub fn has_table(&self, table: &str) -> bool {
        !self
            .strings(&format!(
                "SELECT tablename::text AS v FROM pg_tables WHERE schemaname = 'public' AND tablename = '{table}'"
            ))
            .is_empty()
    }
}

/// One test per backend, so each passes or fails on its own:
/// `per_backend! { fn lists_page(db) { … } }` makes `lists_page::sqlite` and
/// `lists_page::postgres` (the latter skipped with a notice without a server, and
/// failed in CI, see [`skip`]). The body gets `db: TestDb`, a fresh database.
///
/// `fn name(db: migrated)` gives a fully migrated database instead
/// ([`TestDb::sqlite_migrated`], [`TestDb::postgres_migrated`]).
macro_rules! per_backend {
    ($(#[$m:meta])* fn $name:ident($db:ident: migrated) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$m])*
            #[test]
            fn sqlite() {
                let $db = $crate::common::TestDb::sqlite_migrated();
                $body
            }

            $(#[$m])*
            #[test]
            fn postgres() {
                let Some($db) = $crate::common::TestDb::postgres_migrated() else {
                    return;
                };
                $body
            }
        }
    };
    ($(#[$m:meta])* fn $name:ident($db:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$m])*
            #[test]
            fn sqlite() {
                let $db = $crate::common::TestDb::sqlite();
                $body
            }

            $(#[$m])*
            #[test]
            fn postgres() {
                let Some($db) = $crate::common::TestDb::postgres() else {
                    return;
                };
                $body
            }
        }
    };
}
