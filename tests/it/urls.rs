//! Database URLs and the files behind them: a missing
//! SQLite file is never silently created by a command other than `migrate`; the SQLite
//! URL forms SQLite, diesel and sqlx users write open the file they name (mode 0600)
//! and forms that cannot persist are refused; libpq's Unix-socket URLs work; invalid
//! connection parameters are configuration errors (78) and missing privileges are
//! permission errors (77).

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{PgDb, Run, run};

/// `authctl --database-url URL ARGS…` in `cwd`.
fn at(cwd: &Path, url: &str, args: &[&str]) -> Run {
    run(common::authctl()
        .current_dir(cwd)
        .args(["--database-url", url])
        .args(args))
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every entry under `dir`, relative, sorted (what "nothing else created" compares).
fn tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            out.push(p.strip_prefix(root).unwrap().display().to_string());
            if p.is_dir() {
                walk(root, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    // WAL side files come and go with connections.
    out.retain(|p| !p.ends_with("-wal") && !p.ends_with("-shm"));
    out.sort();
    out
}

/// The commands that read or change data (everything but `migrate`, `config`,
/// `completions`).
const DATA_COMMANDS: &[&[&str]] = &[
    &["users", "list"],
    &["users", "create", "a@example.com", "--generate-password"],
    &["users", "show", "a@example.com"],
    &["sessions", "list"],
    &["tokens", "list"],
    &["audit", "list"],
    &["attempts", "list"],
    &["stats"],
    &["purge-expired"],
];

// ---------------------------------------------------------------- missing files

#[test]
fn a_missing_sqlite_file_is_not_found_and_not_created() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in DATA_COMMANDS {
        for url in ["typo.db", "sub/typo.db", "sqlite://typo.db", "file:typo.db"] {
            let r = at(dir.path(), url, cmd);
            assert_eq!(r.code, 66, "{url} {cmd:?}\n{r}");
            assert!(
                r.stderr.contains("typo.db")
                    && r.stderr.contains("does not exist")
                    && r.stderr.contains("authctl migrate --database-url"),
                "{url} {cmd:?}: names the file and how to create it\n{r}"
            );
            assert!(r.stdout.is_empty(), "{url} {cmd:?}\n{r}");
            assert_eq!(
                tree(dir.path()),
                Vec::<String>::new(),
                "{url} {cmd:?}: nothing created"
            );
        }
    }
    // DATABASE_URL from the environment: the same.
    let r = run(common::authctl()
        .current_dir(dir.path())
        .env("DATABASE_URL", "typo.db")
        .args(["users", "list"]));
    assert_eq!(r.code, 66, "{r}");
    assert!(r.stderr.contains("DATABASE_URL"), "names the source\n{r}");
    assert_eq!(tree(dir.path()), Vec::<String>::new());

    // The hint is a working command: `migrate` creates the file (mode 0600)…
    let r = at(dir.path(), "typo.db", &["migrate"]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(mode(&dir.path().join("typo.db")), 0o600);
    // …after which every command works on it.
    for cmd in DATA_COMMANDS {
        let r = at(dir.path(), "typo.db", cmd);
        assert_eq!(r.code, 0, "{cmd:?}\n{r}");
    }
}

#[test]
fn the_default_embedded_database_is_still_created_by_any_command() {
    let home = tempfile::tempdir().unwrap();
    let r = run(common::authctl()
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .args(["users", "list"]));
    assert_eq!(r.code, 0, "{r}");
    let db = home.path().join("data/authctl/authctl.db");
    assert!(db.is_file(), "default database created\n{r}");
    assert_eq!(mode(&db), 0o600);
}

// ---------------------------------------------------------------- SQLite URL forms

/// Each accepted form opens exactly the file it names, created 0600 by `migrate`,
/// and nothing else appears (no `file:` directory, no file named after the URL).
#[test]
fn sqlite_url_forms_open_the_named_file_with_mode_0600() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    // (URL, the file it names, relative to `dir`)
    let cases: Vec<(String, &str)> = vec![
        ("rel1.db".into(), "rel1.db"),
        ("sqlite:rel2.db".into(), "rel2.db"),
        ("sqlite://rel3.db".into(), "rel3.db"),
        ("sqlite://rel4.db?mode=rwc".into(), "rel4.db"),
        (format!("sqlite://{d}/abs5.db"), "abs5.db"),
        (format!("sqlite:{d}/abs6.db"), "abs6.db"),
        ("file:rel7.db".into(), "rel7.db"),
        (format!("file:{d}/abs8.db"), "abs8.db"),
        (format!("file://{d}/abs9.db"), "abs9.db"),
        (format!("file://localhost{d}/abs10.db"), "abs10.db"),
        (format!("file:{d}/with%20space.db?mode=rw"), "with space.db"),
        ("sqlite://pct%3Fq.db".into(), "pct?q.db"),
        // A plain path is a file name, whatever it contains.
        ("plain?mode=ro.db".into(), "plain?mode=ro.db"),
        ("plain#frag.db".into(), "plain#frag.db"),
    ];
    let mut expected: Vec<String> = Vec::new();
    for (url, file) in &cases {
        let r = at(dir.path(), url, &["migrate"]);
        assert_eq!(r.code, 0, "{url}\n{r}");
        let path = dir.path().join(file);
        assert!(path.is_file(), "{url}: {} not created\n{r}", path.display());
        assert_eq!(mode(&path), 0o600, "{url}: file mode");
        expected.push(file.to_string());
        expected.sort();
        assert_eq!(tree(dir.path()), expected, "{url}: only that file");
        // The same file, through the URL: a user created there is seen by its path.
        let r = at(
            dir.path(),
            url,
            &["users", "create", "u@example.com", "--generate-password"],
        );
        assert_eq!(r.code, 0, "{url}\n{r}");
        let r = at(
            dir.path(),
            path.to_str().unwrap(),
            &["-o", "json", "users", "list"],
        );
        assert_eq!(r.code, 0, "{url}\n{r}");
        assert!(
            r.stdout.contains("u@example.com"),
            "{url}: the user persisted\n{r}"
        );
    }
}

/// In-memory forms, read-only and unknown query parameters, remote hosts: exit 78,
/// nothing created.
#[test]
fn sqlite_forms_that_cannot_persist_or_are_unknown_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for url in [
        ":memory:",
        "sqlite::memory:",
        "sqlite://:memory:",
        "file::memory:",
        "file::memory:?cache=shared",
        "file:x.db?mode=memory",
        "file:x.db?vfs=memdb",
        "sqlite://x.db?mode=ro",
        "file:x.db?mode=ro",
        "sqlite://x.db?cache=shared",
        "file:x.db?immutable=1",
        "file://otherhost/x.db",
        "file:x.db#frag",
        "sqlite://x%zz.db",
        "sqlite://",
        "file:",
    ] {
        for cmd in [
            &["migrate"][..],
            &["users", "create", "a@example.com", "--generate-password"],
        ] {
            let r = at(dir.path(), url, cmd);
            assert_eq!(r.code, 78, "{url} {cmd:?}\n{r}");
            assert!(r.stdout.is_empty(), "{url}\n{r}");
            assert_eq!(
                tree(dir.path()),
                Vec::<String>::new(),
                "{url}: nothing created"
            );
        }
    }
    let r = at(dir.path(), ":memory:", &["users", "list"]);
    assert!(r.stderr.contains("persist"), "says why\n{r}");
    let r = at(dir.path(), "file:x.db?mode=ro", &["users", "list"]);
    assert!(r.stderr.contains("mode=ro"), "names the parameter\n{r}");
}

/// Only `migrate` (apply) creates a missing SQLite file: `migrate revert` is "not
/// found" (66) and creates nothing; `migrate status`, `--check` and `--dry-run`
/// report everything pending without creating it.
#[test]
fn only_migrate_apply_creates_a_missing_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in [
        &["migrate", "revert", "--yes"][..],
        &["migrate", "revert", "--all", "--yes"],
    ] {
        let r = at(dir.path(), "typo.db", cmd);
        assert_eq!(r.code, 66, "{cmd:?}\n{r}");
        assert!(
            r.stderr.contains("typo.db") && r.stderr.contains("does not exist"),
            "{cmd:?}: names the file\n{r}"
        );
        assert_eq!(
            tree(dir.path()),
            Vec::<String>::new(),
            "{cmd:?}: nothing created"
        );
    }
    for cmd in [
        &["migrate", "status"][..],
        &["migrate", "--check"],
        &["migrate", "--dry-run"],
    ] {
        let r = at(dir.path(), "typo.db", cmd);
        assert!(r.code == 0 || r.code == 1, "{cmd:?}\n{r}");
        assert!(r.stderr.contains("does not exist"), "{cmd:?}\n{r}");
        assert_eq!(
            tree(dir.path()),
            Vec::<String>::new(),
            "{cmd:?}: nothing created"
        );
    }
    let r = at(dir.path(), "typo.db", &["migrate"]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(tree(dir.path()), ["typo.db"], "{r}");
}

/// A `scheme:` prefix authctl does not know is refused (78) naming the accepted
/// forms — never a SQLite path that creates `./sqlite3:/…` — and so is a Windows
/// drive letter (`C:x.db`); `./NAME` still names a file with a colon.
#[test]
fn unknown_scheme_prefixes_are_refused_not_created_as_paths() {
    let dir = tempfile::tempdir().unwrap();
    let abs = format!("sqlite3:{}/x/y.db", dir.path().display());
    for url in [
        abs.as_str(),
        "sqlite3:y.db",
        "sqlite3://y.db",
        "C:x.db",
        "pg:auth.db",
    ] {
        for cmd in [&["migrate"][..], &["users", "list"]] {
            let r = at(dir.path(), url, cmd);
            assert_eq!(r.code, 78, "{url} {cmd:?}\n{r}");
            assert!(
                r.stderr.contains("postgres://") && r.stderr.contains("./"),
                "{url}: says which forms are accepted\n{r}"
            );
            assert_eq!(
                tree(dir.path()),
                Vec::<String>::new(),
                "{url}: nothing created"
            );
        }
    }
    let r = at(dir.path(), "./sqlite3:y.db", &["migrate"]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(tree(dir.path()), ["sqlite3:y.db"], "{r}");
}

// ---------------------------------------------------------------- permission denied (77)

fn as_nobody(url: &str, args: &[&str]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin("authctl");
    let out = std::process::Command::new("runuser")
        .args([
            "-u",
            "nobody",
            "--",
            "env",
            "-i",
            "HOME=/tmp",
            "PATH=/usr/bin:/bin",
        ])
        .arg(bin)
        .args(["--database-url", url])
        .args(args)
        .current_dir("/")
        .output()
        .expect("runuser");
    Run::from(out)
}

/// A SQLite file another OS user owns: read-only to us (mode 0644) or unreadable
/// (0600) — permission denied (77), not "unavailable, retry" (69).
#[test]
fn sqlite_file_without_permission_is_77() {
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !is_root || !Path::new("/usr/sbin/runuser").exists() && !Path::new("/sbin/runuser").exists()
    {
        common::skip("needs root and runuser to act as another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = dir.path().join("auth.db");
    let url = path.to_str().unwrap();
    let r = at(dir.path(), url, &["migrate"]);
    assert_eq!(r.code, 0, "{r}");
    let r = at(
        dir.path(),
        url,
        &["users", "create", "a@example.com", "--generate-password"],
    );
    assert_eq!(r.code, 0, "{r}");
    let before = std::fs::read(&path).unwrap();

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    for args in [
        &["users", "create", "b@example.com", "--generate-password"][..],
        &["users", "list"],
        &["migrate"],
    ] {
        let r = as_nobody(url, args);
        assert_eq!(r.code, 77, "read-only {args:?}\n{r}");
        assert!(r.stderr.contains("auth.db"), "names the file\n{r}");
        assert!(r.stdout.is_empty(), "{r}");
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let r = as_nobody(url, &["users", "list"]);
    assert_eq!(r.code, 77, "unreadable\n{r}");
    assert!(r.stderr.contains("ermission denied"), "{r}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing changed");
}

/// A PostgreSQL role without privileges: on the tables, on the schema, on the
/// database itself — 77 each, naming the privilege problem.
#[test]
fn postgres_permission_denied_is_77() {
    let Some(db) = PgDb::create() else { return };
    let role = format!("{}_r", db.name);
    db.admin(&format!("CREATE ROLE {role} LOGIN"));
    struct DropRole<'a>(&'a PgDb, String);
    impl Drop for DropRole<'_> {
        fn drop(&mut self) {
            let db = self.0;
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                db.admin(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.name))
            }));
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                db.admin(&format!("DROP ROLE IF EXISTS {}", self.1))
            }));
        }
    }
    let _guard = DropRole(&db, role.clone());
    let tmp = tempfile::tempdir().unwrap();
    let r = at(tmp.path(), &db.url, &["migrate"]);
    assert_eq!(r.code, 0, "{r}");
    let mut u = url::Url::parse(&db.url).unwrap();
    u.set_username(&role).unwrap();
    let as_role = u.to_string();

    // Tables it may not read or write.
    for args in [
        &["users", "list"][..],
        &["users", "create", "a@example.com", "--generate-password"],
        &["migrate", "status"],
    ] {
        let r = at(tmp.path(), &as_role, args);
        assert_eq!(r.code, 77, "{args:?}\n{r}");
        assert!(r.stderr.contains("permission denied"), "{args:?}\n{r}");
    }
    // A schema it may not create in (since PostgreSQL 15 public is not writable by
    // all; revoked explicitly for older servers).
    let empty = PgDb::create().unwrap();
    empty.psql("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    let mut e = url::Url::parse(&empty.url).unwrap();
    e.set_username(&role).unwrap();
    let r = at(tmp.path(), e.as_str(), &["migrate"]);
    assert_eq!(r.code, 77, "migrate without CREATE\n{r}");
    assert!(r.stderr.contains("permission denied for schema"), "{r}");
    // A database it may not connect to.
    empty.admin(&format!(
        "REVOKE CONNECT ON DATABASE {} FROM PUBLIC",
        empty.name
    ));
    let r = at(tmp.path(), e.as_str(), &["users", "list"]);
    assert_eq!(r.code, 77, "no CONNECT\n{r}");
    assert!(r.stderr.contains("permission denied for database"), "{r}");
    drop(empty);
}

// ---------------------------------------------------------------- invalid parameters are 78

#[test]
fn invalid_connection_parameters_are_configuration_errors() {
    let Some(db) = PgDb::create() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let base = {
        let mut u = url::Url::parse(&db.url).unwrap();
        u.set_password(Some("Sekr1t-pw-xyz")).unwrap();
        u.to_string()
    };
    for (suffix, names) in [
        ("?sslmode=bogus", "sslmode"),
        ("?sslmod=require", "sslmod"),
        ("?gssencmode=always", "gssencmode"),
        ("?target_session_attrs=writable", "target_session_attrs"),
        ("?connect_timeout=soon", "connect_timeout"),
        ("?port=99999", "port"),
        ("?application_name=a%zz", "percent"),
        ("?options=%00", "%00"),
    ] {
        let url = format!("{base}{suffix}");
        for args in [&["users", "list"][..], &["migrate"]] {
            let r = at(tmp.path(), &url, args);
            assert_eq!(r.code, 78, "{suffix} {args:?}\n{r}");
            assert!(r.stderr.contains(names), "{suffix}: names {names}\n{r}");
            assert!(
                !r.stderr.contains("Sekr1t-pw-xyz"),
                "{suffix}: password printed\n{r}"
            );
        }
    }
    let r = at(
        tmp.path(),
        &base.replacen("Sekr1t", "Se%kr1t", 1),
        &["users", "list"],
    );
    assert_eq!(r.code, 78, "bad % escape in the password\n{r}");
    assert!(!r.stderr.contains("kr1t-pw-xyz"), "{r}");

    // The same values from libpq's environment variables.
    for (var, value) in [("PGSSLMODE", "bogus"), ("PGCONNECT_TIMEOUT", "soon")] {
        let r = run(common::authctl()
            .current_dir(tmp.path())
            .env(var, value)
            .args(["--database-url", &base, "users", "list"]));
        assert_eq!(r.code, 78, "{var}={value}\n{r}");
        assert!(!r.stderr.contains("Sekr1t-pw-xyz"), "{r}");
    }
    // The control: valid parameters connect.
    let r = at(
        tmp.path(),
        &format!("{base}?sslmode=disable&connect_timeout=3&target_session_attrs=any"),
        &["migrate"],
    );
    assert_eq!(r.code, 0, "{r}");
}

// ---------------------------------------------------------------- libpq socket URLs

/// libpq's Unix-socket URL forms, against the local server's socket.
#[test]
fn unix_socket_urls_reach_the_local_server() {
    let socket_dir = "/var/run/postgresql";
    if !Path::new(socket_dir).join(".s.PGSQL.5432").exists() {
        common::skip(&format!("no PostgreSQL socket in {socket_dir}"));
        return;
    }
    let Some(db) = PgDb::create() else { return };
    let user = url::Url::parse(&db.url).unwrap().username().to_owned();
    let user = if user.is_empty() {
        "postgres".into()
    } else {
        user
    };
    let name = &db.name;
    let tmp = tempfile::tempdir().unwrap();
    let forms = [
        format!("postgres://{user}@/{name}?host={socket_dir}"),
        format!("postgresql:///{name}?host={socket_dir}&user={user}"),
        format!("postgres://{user}@%2Fvar%2Frun%2Fpostgresql/{name}"),
        format!("postgres://{user}@%2Fvar%2Frun%2Fpostgresql:5432/{name}"),
        format!("postgres://{user}:pw-not-needed@/{name}?host={socket_dir}"),
        format!("postgres://{user}@:5432/{name}?host={socket_dir}"),
    ];
    for (i, url) in forms.iter().enumerate() {
        let r = at(tmp.path(), url, &["migrate"]);
        assert_eq!(r.code, 0, "{url}\n{r}");
        let email = format!("s{i}@example.com");
        let r = at(
            tmp.path(),
            url,
            &["users", "create", &email, "--generate-password"],
        );
        assert_eq!(r.code, 0, "{url}\n{r}");
        assert!(
            !r.stderr.contains("pw-not-needed"),
            "{url}: password printed\n{r}"
        );
        // It is the same database as the TCP URL names.
        let r = at(tmp.path(), &db.url, &["-o", "json", "users", "list"]);
        assert!(r.stdout.contains(&email), "{url}\n{r}");
        // `config` shows the socket directory as the host.
        let r = at(tmp.path(), url, &["config"]);
        assert_eq!(r.code, 0, "{url}\n{r}");
        assert!(!r.stdout.contains("pw-not-needed"), "{url}\n{r}");
    }
    // Without any host libpq would pick its compiled-in default: refused, saying how.
    let r = at(
        tmp.path(),
        &format!("postgres://{user}@/{name}"),
        &["users", "list"],
    );
    assert_eq!(r.code, 78, "{r}");
    assert!(r.stderr.contains("?host="), "{r}");
}
