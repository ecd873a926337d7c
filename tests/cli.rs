//! The command line as an operator meets it: help, configuration precedence and
//! errors, connection failures, SQLite file safety, pipes and shell completions.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use authctl::cli::completions;
use serde_json::Value;

use crate::common::{self, TestDb};

/// The outcome of one authctl run.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// stdout and stderr together, for "never printed anywhere" checks.
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn run(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run authctl");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `authctl ARGS…` without a database, in a clean environment.
fn authctl(args: &[&str]) -> Run {
    run(common::authctl().args(args))
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{run}"))
}

/// `authctl config -o json` in `dir` with extra environment variables.
fn config_in(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = common::authctl();
    cmd.current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(args).args(["config", "-o", "json"]);
    run(&mut cmd)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

// ---------------------------------------------------------------- help, usage

#[test]
fn help_documents_configuration_and_default_path() {
    let r = authctl(&["--help"]);
    assert_eq!(r.code, 0, "{r}");
    for needle in [
        "DATABASE_URL",
        "USE_POSTGRES",
        "~/.local/share/authctl/authctl.db",
        "Exit codes",
    ] {
        assert!(r.stdout.contains(needle), "--help lacks {needle:?}\n{r}");
    }
}

#[test]
fn version_prints_the_crate_version() {
    let r = authctl(&["--version"]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        r.stdout.trim(),
        format!("authctl {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let r = authctl(&["--no-such-flag", "config"]);
    assert_eq!(r.code, 64, "{r}");
    assert!(r.stderr.contains("--no-such-flag"), "{r}");
    assert!(r.stdout.is_empty(), "{r}");
}

#[test]
fn missing_subcommand_is_a_usage_error() {
    let r = authctl(&[]);
    assert_eq!(r.code, 64, "{r}");
}

// ---------------------------------------------------------------- configuration

#[test]
fn config_default_is_sqlite_under_xdg_data_home() {
    let mut cmd = common::authctl();
    let home = cmd
        .get_current_dir()
        .expect("harness sets a cwd")
        .to_owned();
    let expected = home.join("data/authctl/authctl.db");
    let r = run(cmd.args(["config", "-o", "json"]));
    assert_eq!(r.code, 0, "{r}");
    let v = json(&r);
    assert_eq!(v["backend"]["value"], "sqlite", "{r}");
    assert_eq!(v["backend"]["source"], "default", "{r}");
    assert_eq!(
        v["database"]["value"],
        format!("sqlite://{}", expected.display()),
        "{r}"
    );
    assert_eq!(v["database"]["source"], "default", "{r}");
    assert!(!expected.exists(), "config created the default database");
}

#[test]
fn config_default_falls_back_to_home_local_share() {
    let mut cmd = common::authctl();
    let home = cmd
        .get_current_dir()
        .expect("harness sets a cwd")
        .to_owned();
    cmd.env_remove("XDG_DATA_HOME");
    let r = run(cmd.args(["config", "-o", "json"]));
    assert_eq!(r.code, 0, "{r}");
    let expected = home.join(".local/share/authctl/authctl.db");
    assert_eq!(
        json(&r)["database"]["value"],
        format!("sqlite://{}", expected.display()),
        "{r}"
    );
}

#[test]
fn config_table_shows_sources() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(common::authctl()
        .current_dir(dir.path())
        .env("AUTHCTL_BUSY_TIMEOUT", "9s")
        .arg("config"));
    assert_eq!(r.code, 0, "{r}");
    let busy = r
        .stdout
        .lines()
        .find(|l| l.contains("busy_timeout"))
        .unwrap_or_else(|| panic!("no busy_timeout row\n{r}"));
    assert!(
        busy.contains("9s") && busy.contains("AUTHCTL_BUSY_TIMEOUT"),
        "{busy}"
    );
}

/// A working directory with a `.env` setting DATABASE_URL to `<dir>/from-file.db`.
fn dir_with_dotenv() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-file.db");
    std::fs::write(
        dir.path().join(".env"),
        format!("# comment\nDATABASE_URL=sqlite://{}\n", db.display()),
    )
    .unwrap();
    (dir, db)
}

#[test]
fn dotenv_in_working_dir_is_read() {
    let (dir, db) = dir_with_dotenv();
    let r = config_in(dir.path(), &[], &[]);
    assert_eq!(r.code, 0, "{r}");
    let v = json(&r);
    assert_eq!(
        v["database"]["value"],
        format!("sqlite://{}", db.display()),
        "{r}"
    );
    assert_eq!(v["database"]["source"], "DATABASE_URL in .env", "{r}");
    assert_eq!(v["env_file"]["source"], "loaded", "{r}");
}

#[test]
fn env_var_beats_dotenv() {
    let (dir, _) = dir_with_dotenv();
    let from_env = dir.path().join("from-env.db");
    let url = format!("sqlite://{}", from_env.display());
    let r = config_in(dir.path(), &[("DATABASE_URL", &url)], &[]);
    assert_eq!(r.code, 0, "{r}");
    let v = json(&r);
    assert_eq!(v["database"]["value"], url, "{r}");
    assert_eq!(
        v["database"]["source"], "environment variable DATABASE_URL",
        "{r}"
    );
}

#[test]
fn database_url_flag_beats_env_var() {
    let (dir, _) = dir_with_dotenv();
    let from_env = format!("sqlite://{}", dir.path().join("from-env.db").display());
    let from_flag = dir.path().join("from-flag.db");
    let r = config_in(
        dir.path(),
        &[("DATABASE_URL", &from_env)],
        &["--database-url", from_flag.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{r}");
    let v = json(&r);
    assert_eq!(
        v["database"]["value"],
        format!("sqlite://{}", from_flag.display()),
        "{r}"
    );
    assert_eq!(v["database"]["source"], "flag --database-url", "{r}");
}

#[test]
fn env_file_flag_replaces_dotenv() {
    let (dir, _) = dir_with_dotenv();
    let other = dir.path().join("other.env");
    let other_db = dir.path().join("other.db");
    std::fs::write(&other, format!("DATABASE_URL={}\n", other_db.display())).unwrap();
    let r = config_in(dir.path(), &[], &["--env-file", other.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r}");
    let v = json(&r);
    assert_eq!(
        v["database"]["value"],
        format!("sqlite://{}", other_db.display()),
        "{r}"
    );
    assert_eq!(
        v["database"]["source"],
        format!("DATABASE_URL in {}", other.display()),
        "{r}"
    );
}

#[test]
fn authctl_env_file_variable_picks_the_file() {
    let (dir, _) = dir_with_dotenv();
    let other = dir.path().join("other.env");
    std::fs::write(&other, "AUTHCTL_CONNECT_TIMEOUT=7s\n").unwrap();
    let r = config_in(
        dir.path(),
        &[("AUTHCTL_ENV_FILE", other.to_str().unwrap())],
        &[],
    );
    assert_eq!(r.code, 0, "{r}");
    let v = json(&r);
    assert_eq!(v["connect_timeout"]["value"], "7s", "{r}");
    assert_eq!(
        v["database"]["source"], "default",
        "./.env must not be read when another file is named\n{r}"
    );
}

#[test]
fn missing_env_file_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.env");
    let r = config_in(dir.path(), &[], &["--env-file", missing.to_str().unwrap()]);
    assert_eq!(r.code, 78, "{r}");
    assert!(
        r.stderr.contains(missing.to_str().unwrap()),
        "names the file\n{r}"
    );
}

#[test]
fn malformed_dotenv_is_a_config_error_that_hides_the_line() {
    for (case, content) in [
        (
            "unterminated quote",
            "OK=1\nAPI_SECRET=\"hunter2-in-dotenv\nOTHER=2\n",
        ),
        ("empty name", "OK=1\n=hunter2-in-dotenv\n"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), content).unwrap();
        let r = config_in(dir.path(), &[], &[]);
        assert_eq!(r.code, 78, "{case}\n{r}");
        assert!(r.stderr.contains(".env"), "{case}: names the file\n{r}");
        assert!(
            !r.all().contains("hunter2-in-dotenv"),
            "{case}: echoed the secret\n{r}"
        );

        let explicit = dir.path().join("explicit.env");
        std::fs::write(&explicit, content).unwrap();
        let r = config_in(dir.path(), &[], &["--env-file", explicit.to_str().unwrap()]);
        assert_eq!(r.code, 78, "{case}: --env-file\n{r}");
        assert!(
            r.stderr.contains(explicit.to_str().unwrap()),
            "{case}: names the file\n{r}"
        );
        assert!(!r.all().contains("hunter2-in-dotenv"), "{case}\n{r}");
    }
}

const SEED_PASSWORD: &str = "p@ss:w/rd";

fn seed_env(db_name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("USE_POSTGRES", "true".into()),
        ("DB_HOST", "127.0.0.1".into()),
        ("DB_PORT", "5432".into()),
        ("DB_NAME", db_name.into()),
        ("DB_USER", "postgres".into()),
        ("DB_PASSWORD", SEED_PASSWORD.into()),
    ]
}

fn assert_no_seed_password(r: &Run, what: &str) {
    for leak in ["p@ss", "p%40ss", "w/rd", "w%2Frd"] {
        assert!(!r.all().contains(leak), "{what}: shows {leak:?}\n{r}");
    }
}

#[test]
fn seed_variables_build_a_redacted_postgres_url() {
    for args in [
        &["config", "-o", "json"][..],
        &["config"][..],
        &["-v", "config"][..],
    ] {
        let mut cmd = common::authctl();
        for (k, v) in seed_env("x") {
            cmd.env(k, v);
        }
        let r = run(cmd.args(args));
        assert_eq!(r.code, 0, "{args:?}\n{r}");
        assert!(r.stdout.contains("postgres"), "{args:?}\n{r}");
        assert!(
            r.stdout
                .contains("postgres://postgres:***@127.0.0.1:5432/x"),
            "{args:?}: redacted URL\n{r}"
        );
        assert_no_seed_password(&r, &format!("{args:?}"));
    }
    let mut cmd = common::authctl();
    for (k, v) in seed_env("x") {
        cmd.env(k, v);
    }
    let v = json(&run(cmd.args(["config", "-o", "json"])));
    assert_eq!(v["backend"]["value"], "postgres");
    assert!(
        v["database"]["source"]
            .as_str()
            .unwrap()
            .contains("USE_POSTGRES"),
        "{v}"
    );
}

#[test]
fn seed_variables_in_dotenv_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let body: String = seed_env("x")
        .into_iter()
        .map(|(k, v)| format!("{k}='{v}'\n"))
        .collect();
    std::fs::write(dir.path().join(".env"), body).unwrap();
    let r = config_in(dir.path(), &[], &[]);
    assert_eq!(r.code, 0, "{r}");
    let v = json(&r);
    assert_eq!(v["backend"]["value"], "postgres", "{r}");
    assert_eq!(
        v["database"]["value"], "postgres://postgres:***@127.0.0.1:5432/x",
        "{r}"
    );
    assert!(
        v["database"]["source"].as_str().unwrap().contains(".env"),
        "{r}"
    );
    assert_no_seed_password(&r, "dotenv");
}

#[test]
fn seed_variables_connection_error_hides_the_password() {
    let mut cmd = common::authctl();
    for (k, v) in seed_env("authctl_no_such_db_seed") {
        cmd.env(k, v);
    }
    let r = run(cmd.args(["migrate", "status"]));
    assert_eq!(r.code, 69, "{r}");
    assert!(r.stderr.contains("127.0.0.1"), "{r}");
    assert_no_seed_password(&r, "connect error");
}

#[test]
fn use_postgres_with_a_sqlite_url_is_contradictory() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("a.db").display());
    let r = config_in(
        dir.path(),
        &[("USE_POSTGRES", "true"), ("DATABASE_URL", &url)],
        &[],
    );
    assert_eq!(r.code, 78, "{r}");
    assert!(
        r.stderr.contains("USE_POSTGRES") && r.stderr.contains("DATABASE_URL"),
        "names both\n{r}"
    );
}

#[test]
fn unknown_url_scheme_is_a_config_error() {
    let r = authctl(&["--database-url", "mongodb://x", "migrate", "status"]);
    assert_eq!(r.code, 78, "{r}");
    assert!(
        r.stderr.contains("unknown database URL scheme"),
        "explains\n{r}"
    );
    let r = authctl(&["--database-url", " ", "migrate", "status"]);
    assert_eq!(r.code, 78, "empty URL\n{r}");
}

#[test]
fn malformed_postgres_url_is_a_config_error_without_password() {
    let r = authctl(&[
        "--database-url",
        "postgres://u:hunter2secret@h:99999/db",
        "migrate",
        "status",
    ]);
    assert_eq!(r.code, 78, "{r}");
    assert!(!r.all().contains("hunter2secret"), "{r}");
}

// ---------------------------------------------------------------- connection failures

#[test]
fn connection_refused_is_unavailable_and_redacted() {
    let started = Instant::now();
    let r = authctl(&[
        "--database-url",
        "postgres://u:hunter2secret@127.0.0.1:1/db",
        "migrate",
    ]);
    assert_eq!(r.code, 69, "{r}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(r.stderr.contains("127.0.0.1:1 "), "host and port\n{r}");
    assert!(r.stderr.contains("Connection refused"), "cause\n{r}");
    assert!(!r.all().contains("hunter2secret"), "password shown\n{r}");

    let r = authctl(&[
        "--database-url",
        "postgres://u@127.0.0.1:1/db?password=hunter2query&sslmode=prefer",
        "migrate",
    ]);
    assert_eq!(r.code, 69, "{r}");
    assert!(
        !r.all().contains("hunter2query"),
        "query password shown\n{r}"
    );
}

/// A TCP server on 127.0.0.1 that accepts connections and never says a word.
struct SilentServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SilentServer {
    fn start() -> SilentServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => held.push(stream),
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        SilentServer {
            port,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn silent_server_respects_connect_timeout() {
    let server = SilentServer::start();
    let url = format!("postgres://u:hunter2secret@127.0.0.1:{}/db", server.port);
    let started = Instant::now();
    let r = authctl(&[
        "--database-url",
        &url,
        "--connect-timeout",
        "2s",
        "migrate",
        "status",
    ]);
    let elapsed = started.elapsed();
    assert_eq!(r.code, 69, "{r}");
    assert!(
        elapsed < Duration::from_secs(4),
        "--connect-timeout 2s took {elapsed:?}\n{r}"
    );
    assert!(
        r.stderr.contains(&format!("127.0.0.1:{}", server.port)),
        "{r}"
    );
    assert!(r.stderr.to_lowercase().contains("timeout"), "cause\n{r}");
    assert!(!r.all().contains("hunter2secret"), "password shown\n{r}");
}

#[test]
fn connect_timeout_variable_is_honoured() {
    let server = SilentServer::start();
    let url = format!("postgres://u:pw@127.0.0.1:{}/db", server.port);
    let started = Instant::now();
    let r = run(common::authctl()
        .env("AUTHCTL_CONNECT_TIMEOUT", "2s")
        .args(["--database-url", &url, "migrate", "status"]));
    assert_eq!(r.code, 69, "{r}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn missing_postgres_database_is_unavailable_and_redacted() {
    let Some(admin) = common::pg_admin_url() else {
        return;
    };
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_password(Some("wrongpw")).unwrap();
    url.set_path("/authctl_no_such_db_xyz");
    let r = authctl(&["--database-url", url.as_str(), "migrate"]);
    assert_eq!(r.code, 69, "{r}");
    assert!(
        r.stderr.contains("authctl_no_such_db_xyz"),
        "names the database\n{r}"
    );
    assert!(!r.all().contains("wrongpw"), "password shown\n{r}");
}

// ---------------------------------------------------------------- SQLite files

#[test]
fn new_sqlite_database_is_private_and_parents_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/auth.db");
    let r = run(common::authctl().args(["--database-url", path.to_str().unwrap(), "migrate"]));
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(mode(&path), 0o600, "database file mode");
    for parent in [dir.path().join("a"), dir.path().join("a/b")] {
        assert!(parent.is_dir(), "{} not created", parent.display());
        assert_eq!(mode(&parent), 0o700, "{}", parent.display());
    }
}

#[test]
fn sqlite_side_files_are_private() {
    let db = TestDb::sqlite();
    let TestDb::Sqlite(s) = &db else {
        unreachable!()
    };
    let r = run(db.authctl().arg("migrate"));
    assert_eq!(r.code, 0, "{r}");
    // Keep a reader open so the -wal and -shm files outlive the next run.
    let mut reader = db.connect();
    reader.batch_execute("SELECT count(*) FROM users").unwrap();
    let r = run(db.authctl().args(["--yes", "migrate", "revert"]));
    assert_eq!(r.code, 0, "{r}");
    let mut seen = 0;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", s.path.display()));
        if side.exists() {
            seen += 1;
            assert_eq!(mode(&side), 0o600, "{}", side.display());
        }
    }
    assert!(seen > 0, "expected WAL side files while a reader is open");
    assert_eq!(mode(&s.path), 0o600);
}

#[test]
fn sqlite_in_unwritable_location_is_unavailable() {
    let r = authctl(&["--database-url", "/proc/authctl/x.db", "migrate"]);
    assert_eq!(r.code, 69, "{r}");
    assert!(r.stderr.contains("/proc/authctl"), "names the path\n{r}");
    assert!(r.stderr.contains("cannot create"), "says what failed\n{r}");
}

// ---------------------------------------------------------------- pipes

#[test]
fn broken_pipe_in_a_shell_pipeline_is_not_an_error() {
    for db in TestDb::all() {
        let label = db.label();
        let script = r#""$0" --database-url "$1" migrate status -o json | head -c 10; exit "${PIPESTATUS[0]}""#;
        let out = std::process::Command::new("bash")
            .args(["-c", script, env!("CARGO_BIN_EXE_authctl"), &db.url()])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .current_dir(db.scratch())
            .output()
            .expect("bash");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.stdout.len(), 10, "{label}: head output");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{label}: authctl's exit status in the pipeline; stderr: {stderr}"
        );
        assert!(
            !stderr.to_lowercase().contains("broken pipe") && !stderr.contains("panicked"),
            "{label}: {stderr}"
        );
    }
}

/// Run authctl with stdout connected to a socket whose reader is already gone, so
/// the first write fails with EPIPE every time.
fn run_with_closed_stdout(cmd: &assert_cmd::Command) -> (Option<i32>, String) {
    let (writer, reader) = std::os::unix::net::UnixStream::pair().unwrap();
    drop(reader);
    let mut std_cmd = std::process::Command::new(cmd.get_program());
    std_cmd.args(cmd.get_args()).env_clear();
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            std_cmd.env(k, v);
        }
    }
    if let Some(dir) = cmd.get_current_dir() {
        std_cmd.current_dir(dir);
    }
    let mut child = std_cmd
        .stdin(Stdio::null())
        .stdout(Stdio::from(std::os::fd::OwnedFd::from(writer)))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap().code(), stderr)
}

#[test]
fn closed_stdout_is_not_an_error() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        for args in [
            &["migrate", "status", "-o", "json"][..],
            &["migrate", "status"][..],
            &["migrate", "--dry-run"][..],
            &["config", "-o", "json"][..],
            &["completions", "bash"][..],
            &["--help"][..],
        ] {
            let mut cmd = db.authctl();
            cmd.args(args);
            let (code, stderr) = run_with_closed_stdout(&cmd);
            assert_eq!(code, Some(0), "{label} {args:?}: {stderr}");
            assert!(
                !stderr.to_lowercase().contains("broken pipe") && !stderr.contains("panicked"),
                "{label} {args:?}: {stderr}"
            );
        }
    }
}

// ---------------------------------------------------------------- completions

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = authctl(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}\n{r}");
        assert!(r.stdout.contains("authctl"), "{shell}\n{r}");
        assert!(r.stdout.contains("migrate"), "{shell}: subcommands\n{r}");
    }
    let r = authctl(&["completions", "tcsh"]);
    assert_eq!(r.code, 64, "{r}");
}

#[test]
fn completions_command_prints_the_library_output() {
    for (shell, _) in completions::SHELLS {
        let r = authctl(&["completions", &shell.to_string()]);
        assert_eq!(r.code, 0, "{shell}\n{r}");
        assert_eq!(
            r.stdout.as_bytes(),
            completions::generate(*shell),
            "{shell}"
        );
    }
    let r = authctl(&["man"]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(r.stdout.as_bytes(), completions::man_page().unwrap());
}

/// The generated files committed in `completions/` match the CLI. With
/// `AUTHCTL_BLESS=1` the test rewrites them instead.
#[test]
fn completions_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut files: Vec<(&str, Vec<u8>)> = completions::SHELLS
        .iter()
        .map(|(shell, file)| (*file, completions::generate(*shell)))
        .collect();
    files.push(("authctl.1", completions::man_page().expect("man page")));

    if std::env::var("AUTHCTL_BLESS").as_deref() == Ok("1") {
        std::fs::create_dir_all(&dir).unwrap();
        for (file, content) in &files {
            std::fs::write(dir.join(file), content).unwrap();
        }
        return;
    }
    let stale: Vec<&str> = files
        .iter()
        .filter(|(file, content)| std::fs::read(dir.join(file)).ok().as_ref() != Some(content))
        .map(|(file, _)| *file)
        .collect();
    assert!(
        stale.is_empty(),
        "completions/{{{}}} missing or out of date: run `AUTHCTL_BLESS=1 cargo test --test it completions` to refresh",
        stale.join(",")
    );
}
