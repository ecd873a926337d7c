//! authctl against a replicated PostgreSQL: a throwaway primary and hot standby made
//! here (`initdb`, `pg_basebackup -R`, loopback ports, run as the `postgres` OS
//! user) and removed after — multi-host URLs, writes refused on the standby, reads
//! served by it, and a failover (`pg_ctl stop -m immediate`, `pg_ctl promote`).

use crate::common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::PgDb;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};

const PASSWORD: &str = "correct horse battery staple 42";
/// The server binaries (`initdb`, `pg_ctl`, `pg_basebackup`): Debian's
/// `/usr/lib/postgresql/N/bin` (the newest), else `pg_config --bindir`.
fn bin_dir() -> Option<PathBuf> {
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists())
        .collect();
    debian.sort_by_key(|b| {
        b.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
    });
    debian.pop().or_else(|| {
        let out = Command::new("pg_config").arg("--bindir").output().ok()?;
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        dir.join("initdb").exists().then_some(dir)
    })
}

fn bin(name: &str) -> PathBuf {
    bin_dir().expect("checked by Pair::start").join(name)
}

/// One PostgreSQL server of the pair: its data directory and port.
struct Server {
    dir: PathBuf,
    port: u16,
}

impl Server {
    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

/// A primary and a streaming hot standby, stopped (`-m immediate`) and deleted when
/// dropped.
struct Pair {
    base: tempfile::TempDir,
    primary: Server,
    standby: Server,
}

/// Run a PostgreSQL server binary as the `postgres` OS user (the servers refuse
/// root); panics with its output when it fails.
fn as_postgres(bin: &str, args: &[&str]) {
    let out = Command::new("runuser")
        .args(["-u", "postgres", "--"])
        .arg(self::bin(bin))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("runuser {bin}: {e}"));
    assert!(
        out.status.success(),
        "{bin} {args:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

#[derive(QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    v: String,
}

/// The first column of the first row of `sql` (cast to text) on `url`.
fn query(url: &str, sql: &str) -> String {
    let mut c = PgConnection::establish(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    let rows: Vec<Text> = diesel::sql_query(format!("SELECT CAST(({sql}) AS text) AS v"))
        .load(&mut c)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter().next().map(|r| r.v).unwrap_or_default()
}

fn wait_for(what: &str, timeout: Duration, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Pair {
    /// Make and start the pair, with database `auth` migrated by authctl on the
    /// primary and replayed on the standby. `None` (skipped, a failure in CI) when
    /// the server binaries or `runuser` are missing.
    fn start() -> Option<Pair> {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        if bin_dir().is_none() || !root || !Path::new("/usr/sbin/runuser").exists() {
            common::skip(
                "a primary + standby needs the PostgreSQL server binaries (initdb, pg_ctl, \
                 pg_basebackup: /usr/lib/postgresql/N/bin or pg_config --bindir), root and \
                 runuser (the servers run as the postgres OS user)",
            );
            return None;
        }
        let base = tempfile::Builder::new()
            .prefix("authctl-repl-")
            .tempdir()
            .expect("tempdir");
        let status = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(base.path())
            .status()
            .expect("chown");
        assert!(status.success(), "chown the pair's directory to postgres");
        let primary = Server {
            dir: base.path().join("primary"),
            port: free_port(),
        };
        let standby = Server {
            dir: base.path().join("standby"),
            port: free_port(),
        };
        let pair = Pair {
            base,
            primary,
            standby,
        };
        let pdir = pair.primary.dir.to_str().unwrap().to_owned();
        let sdir = pair.standby.dir.to_str().unwrap().to_owned();
        let socket = pair.base.path().to_str().unwrap().to_owned();
        as_postgres(
            "initdb",
            &[
                "-D",
                &pdir,
                "-U",
                "postgres",
                "--auth=trust",
                "-N",
                "-E",
                "UTF8",
            ],
        );
        // Settings for a fast throwaway server; replication uses initdb's defaults
        // (wal_level replica, max_wal_senders 10, a trusted `replication` line).
        std::fs::OpenOptions::new()
            .append(true)
            .open(pair.primary.dir.join("postgresql.conf"))
            .and_then(|mut f| {
                use std::io::Write;
                writeln!(
                    f,
                    "listen_addresses = '127.0.0.1'\nunix_socket_directories = '{socket}'\n\
                     fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n\
                     shared_buffers = 16MB\nmax_connections = 30\nwal_keep_size = 64MB"
                )
            })
            .expect("write postgresql.conf");
        let start = |dir: &str, port: u16, log: &str| {
            let log = format!("{socket}/{log}");
            as_postgres(
                "pg_ctl",
                &[
                    "-D",
                    dir,
                    "-l",
                    &log,
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    &format!("-p {port}"),
                    "start",
                ],
            );
        };
        start(&pdir, pair.primary.port, "primary.log");
        as_postgres(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &pair.primary.port.to_string(),
                "-U",
                "postgres",
                "-D",
                &sdir,
                "-R",
                "-X",
                "stream",
                "--checkpoint=fast",
            ],
        );
        start(&sdir, pair.standby.port, "standby.log");
        let primary_admin = pair.primary.url("postgres");
        wait_for("the standby to stream", Duration::from_secs(60), || {
            query(
                &primary_admin,
                "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'",
            ) == "1"
        });
        PgConnection::establish(&primary_admin)
            .unwrap()
            .batch_execute("CREATE DATABASE auth")
            .unwrap();
        let out = common::run(
            common::authctl()
                .env("DATABASE_URL", pair.primary.url("auth"))
                .arg("migrate"),
        );
        assert_eq!(out.code, 0, "migrate the primary\n{out}");
        pair.wait_replayed();
        Some(pair)
    }

    /// Wait until the standby has replayed everything the primary wrote so far.
    fn wait_replayed(&self) {
        let lsn = query(&self.primary.url("postgres"), "pg_current_wal_insert_lsn()");
        let standby = self.standby.url("postgres");
        wait_for("the standby to replay", Duration::from_secs(30), || {
            query(
                &standby,
                &format!("pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"),
            ) == "true"
        });
    }

    /// Crash the primary (`pg_ctl stop -m immediate`).
    fn crash_primary(&self) {
        as_postgres(
            "pg_ctl",
            &[
                "-D",
                self.primary.dir.to_str().unwrap(),
                "-m",
                "immediate",
                "stop",
            ],
        );
    }

    /// Promote the standby and wait until it takes writes.
    fn promote_standby(&self) {
        as_postgres(
            "pg_ctl",
            &["-D", self.standby.dir.to_str().unwrap(), "-w", "promote"],
        );
        let url = self.standby.url("postgres");
        wait_for(
            "the promoted standby to leave recovery",
            Duration::from_secs(30),
            || query(&url, "pg_is_in_recovery()") == "false",
        );
    }

    /// A URL listing the standby first, then the primary, for `target_session_attrs`.
    fn multi_host_url(&self, attrs: &str) -> String {
        format!(
            "postgres://postgres:not-a-real-secret@127.0.0.1:{},127.0.0.1:{}/auth?target_session_attrs={attrs}",
            self.standby.port, self.primary.port
        )
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        for s in [&self.standby, &self.primary] {
            if s.dir.join("postmaster.pid").exists() {
                let _ = Command::new("runuser")
                    .args(["-u", "postgres", "--"])
                    .arg(bin("pg_ctl"))
                    .args(["-D", s.dir.to_str().unwrap(), "-m", "immediate", "stop"])
                    .output();
            }
        }
        // The TempDir removes both data directories.
    }
}

fn authctl(url: &str, args: &[&str], stdin: &str) -> common::Run {
    common::run(
        common::authctl()
            .env("DATABASE_URL", url)
            .args(args)
            .write_stdin(stdin.to_owned()),
    )
}

fn users_on(url: &str) -> String {
    query(url, "SELECT count(*) FROM users")
}

/// Items 1, 2 and 4 of issue 20 on one real pair: a multi-host URL reaches the
/// primary whichever host is listed first; the standby refuses every write command
/// (75, naming it and the fix, nothing changed) and serves reads (`-v` says it is
/// a standby); `authctl config` shows every host and no secret; after the primary
/// crashes and the standby is promoted, the same URL reaches the new primary.
#[test]
fn primary_and_standby() {
    let Some(pair) = Pair::start() else { return };
    let primary = pair.primary.url("auth");
    let standby = pair.standby.url("auth");

    // Multi-host, standby listed first: read-write lands on the primary.
    let multi = pair.multi_host_url("read-write");
    let out = authctl(
        &multi,
        &[
            "-v",
            "users",
            "create",
            "first@example.com",
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "connected to 127.0.0.1:{}, a primary",
            pair.primary.port
        )),
        "-v names the primary it reached: {out}"
    );
    assert!(!out.all().contains("not-a-real-secret"), "{out}");
    assert_eq!(users_on(&primary), "1");

    // `authctl config`: both hosts, in order; the password and sslpassword hidden.
    let with_secrets = format!("{multi}&sslpassword=key-secret-9");
    let out = authctl(&with_secrets, &["config", "-o", "json"], "");
    assert_eq!(out.code, 0, "{out}");
    let hosts = format!(
        "host=127.0.0.1,127.0.0.1&port={},{}",
        pair.standby.port, pair.primary.port
    );
    assert!(out.stdout.contains(&hosts), "every host shown: {out}");
    assert!(
        !out.all().contains("not-a-real-secret") && !out.all().contains("key-secret-9"),
        "{out}"
    );

    // The standby itself: every write command is refused before it changes anything.
    pair.wait_replayed();
    let before = users_on(&standby);
    for (args, stdin) in [
        (
            &["users", "create", "second@example.com", "--password-stdin"][..],
            PASSWORD,
        ),
        (&["users", "disable", "first@example.com"][..], ""),
        (&["purge-expired"][..], ""),
        (&["migrate"][..], ""),
        (
            &["sessions", "revoke", "--user", "first@example.com"][..],
            "",
        ),
    ] {
        let out = authctl(&standby, args, stdin);
        assert_eq!(out.code, 75, "{args:?} on the standby: {out}");
        assert!(
            out.stderr.contains("is a standby")
                && out.stderr.contains("target_session_attrs=read-write")
                && out
                    .stderr
                    .contains(&format!("127.0.0.1:{}", pair.standby.port))
                && out.stderr.contains("nothing was changed"),
            "{args:?}: names the standby and the fix: {out}"
        );
    }
    // The same through a multi-host URL that accepts any server and lists the standby first.
    let out = authctl(
        &pair.multi_host_url("any"),
        &["users", "create", "third@example.com", "--password-stdin"],
        PASSWORD,
    );
    assert_eq!(out.code, 75, "{out}");
    assert!(!out.all().contains("not-a-real-secret"), "{out}");
    pair.wait_replayed();
    assert_eq!(users_on(&primary), "1", "nothing was written");
    assert_eq!(users_on(&standby), before);

    // Reads work on the standby, and -v says where they ran.
    let out = authctl(&standby, &["-v", "users", "list", "-o", "json"], "");
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("first@example.com"), "{out}");
    assert!(out.stderr.contains("a standby"), "-v says so: {out}");
    let out = authctl(&standby, &["purge-expired", "--dry-run"], "");
    assert_eq!(out.code, 0, "a dry run only counts: {out}");
    let out = authctl(&standby, &["migrate", "status"], "");
    assert_eq!(out.code, 0, "{out}");

    // stats on the standby says it is one and how far it lags, in every format.
    let out = authctl(&standby, &["stats", "-o", "json"], "");
    assert_eq!(out.code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["replication"]["role"], "standby", "{out}");
    assert!(
        v["replication"]["replay_lag_seconds"].as_f64().is_some(),
        "{out}"
    );
    assert!(
        v["replication"]["receive_replay_lag_bytes"]
            .as_i64()
            .is_some(),
        "{out}"
    );
    let out = authctl(&standby, &["stats"], "");
    assert!(
        out.stdout.contains("a standby") && out.stdout.contains("replay lag"),
        "{out}"
    );
    let out = authctl(&standby, &["stats", "--prometheus"], "");
    assert!(
        out.stdout.contains("\nauthctl_postgres_in_recovery 1\n")
            && out
                .stdout
                .contains("\nauthctl_postgres_replay_lag_seconds ")
            && out.stdout.contains("\nauthctl_postgres_replay_lag_bytes "),
        "{out}"
    );
    let out = authctl(&standby, &["stats", "-o", "csv"], "");
    assert!(
        out.stdout.contains("authctl_postgres_replay_lag_bytes,"),
        "{out}"
    );
    // On the primary: the one standby streaming from it, with its lag.
    let out = authctl(&primary, &["stats", "-o", "json"], "");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["replication"]["role"], "primary", "{out}");
    let links = v["replication"]["standbys"].as_array().unwrap();
    assert_eq!(links.len(), 1, "{out}");
    assert_eq!(links[0]["state"], "streaming", "{out}");
    assert!(links[0]["replay_lag_bytes"].as_i64().is_some(), "{out}");
    let out = authctl(&primary, &["stats", "--prometheus"], "");
    assert!(
        out.stdout.contains("\nauthctl_postgres_in_recovery 0\n")
            && out.stdout.contains("\nauthctl_postgres_standbys 1\n")
            && out
                .stdout
                .contains("authctl_postgres_standby_replay_lag_bytes{"),
        "{out}"
    );

    // Failover in the middle of a purge: 4000 expired refresh tokens and 50 live
    // ones; small batches with pauses make it last a few seconds.
    let user_id = query(&primary, "SELECT id FROM users LIMIT 1");
    PgConnection::establish(&primary)
        .unwrap()
        .batch_execute(&format!(
            "INSERT INTO refresh_tokens (user_id, token, expires_at) \
             SELECT '{user_id}', md5(g::text) || md5(g::text), now() - interval '30 days' \
             FROM generate_series(1, 4000) g; \
             INSERT INTO refresh_tokens (user_id, token, expires_at) \
             SELECT '{user_id}', 'live' || md5(g::text) || md5(g::text), now() + interval '30 days' \
             FROM generate_series(1, 50) g"
        ))
        .unwrap();
    pair.wait_replayed();
    let purge = [
        "purge-expired",
        "--only",
        "tokens",
        "--strategy",
        "keyset",
        "--batch-size",
        "50",
        "--sleep",
        "50ms",
    ];
    let running =
        common::Background::start(common::authctl().env("DATABASE_URL", &multi).args(purge));
    wait_for(
        "the purge to delete some rows",
        Duration::from_secs(30),
        || query(&primary, "SELECT count(*) FROM refresh_tokens") != "4050",
    );
    pair.crash_primary();
    let started = Instant::now();
    let out = running.finish();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "exits within its timeouts"
    );
    assert_eq!(out.code, 69, "{out}");
    assert!(
        out.stderr
            .contains("connection lost during the purge of refresh_tokens")
            && out.stderr.contains("deleted and committed before that")
            && out.stderr.contains("rerun"),
        "{out}"
    );
    assert!(!out.all().contains("not-a-real-secret"), "{out}");

    // No primary while the standby is still one: retry later, nothing written.
    let out = authctl(
        &multi,
        &["users", "create", "during@example.com", "--password-stdin"],
        PASSWORD,
    );
    assert!(matches!(out.code, 69 | 75), "retry later: {out}");

    // The standby is promoted: the same command with the same URL finishes the job.
    pair.promote_standby();
    let out = authctl(&multi, &["-v", "purge-expired", "-o", "json"], "");
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "connected to 127.0.0.1:{}, a primary",
            pair.standby.port
        )),
        "{out}"
    );
    let new_primary = standby;
    assert_eq!(
        query(
            &new_primary,
            "SELECT count(*) FROM refresh_tokens WHERE expires_at < now()"
        ),
        "0",
        "no expired row left"
    );
    assert_eq!(
        query(&new_primary, "SELECT count(*) FROM refresh_tokens"),
        "50",
        "no live row lost"
    );
    // purge_runs: the crashed run recorded nothing (it could not); the rerun
    // recorded what it deleted itself, complete.
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let deleted = v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["deleted"].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(
        query(
            &new_primary,
            "SELECT coalesce(sum(deleted), 0) FROM authctl_purge_runs"
        ),
        deleted.to_string(),
        "{out}"
    );
    let out = authctl(
        &multi,
        &["users", "create", "after@example.com", "--password-stdin"],
        PASSWORD,
    );
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(users_on(&new_primary), "2");
}

/// SQLSTATE 25006 is a backstop: a server that turns out read-only after the
/// connection check (`default_transaction_read_only`, or a primary demoted
/// meanwhile) refuses the write with the same explanation and exit 75, not 70.
#[test]
fn read_only_refusal_is_temporary() {
    let Some(db) = PgDb::create_migrated() else {
        return;
    };
    db.admin(&format!(
        "ALTER DATABASE \"{}\" SET default_transaction_read_only = on",
        db.name
    ));
    let out = authctl(
        &db.url,
        &["users", "create", "ro@example.com", "--password-stdin"],
        PASSWORD,
    );
    assert_eq!(out.code, 75, "{out}");
    assert!(
        out.stderr.contains("accepts no writes")
            && out.stderr.contains("target_session_attrs=read-write")
            && out.stderr.contains("nothing was changed"),
        "{out}"
    );
    db.admin(&format!(
        "ALTER DATABASE \"{}\" RESET default_transaction_read_only",
        db.name
    ));
    assert_eq!(users_on(&db.url), "0");
}

/// Issue 20 item 4: a connection lost in the middle of `users list --all` (here
/// `pg_terminate_backend` while authctl waits for its reader) ends the listing with
/// a non-zero exit that says it is incomplete and how many rows it printed.
#[test]
fn listing_cut_by_a_lost_connection_says_it_is_incomplete() {
    let Some(db) = PgDb::create_migrated() else {
        return;
    };
    db.psql(
        "INSERT INTO users (email, password_hash) \
         SELECT 'u' || g || '@example.com', '$2b$12$' || repeat('a', 53) \
         FROM generate_series(1, 20000) g",
    );
    let child = common::spawnable(
        common::authctl()
            .env("DATABASE_URL", &db.url)
            .args(["users", "list", "--all", "-o", "csv"]),
    )
    .spawn()
    .expect("spawn authctl");
    // Nobody reads its stdout yet: it fills the pipe and waits, between pages.
    let admin = db.url.clone();
    let authctl_backend = "SELECT count(*) FROM pg_stat_activity \
         WHERE application_name LIKE 'authctl@%' AND datname = current_database()";
    wait_for("authctl to connect", Duration::from_secs(30), || {
        query(&admin, authctl_backend) == "1"
    });
    std::thread::sleep(Duration::from_millis(500));
    query(
        &admin,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE application_name LIKE 'authctl@%' AND datname = current_database()",
    );
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rows = String::from_utf8_lossy(&out.stdout).lines().count();
    assert_eq!(out.status.code(), Some(69), "{stderr}");
    assert!(rows > 1 && rows < 20001, "a part was printed: {rows} lines");
    assert!(
        stderr.contains("the listing is INCOMPLETE") && stderr.contains("rows were printed"),
        "{stderr}"
    );
}

/// The pid of authctl's backend in `db` (its `application_name` is `authctl@…`), once
/// it is there and `ready` holds for it.
fn authctl_backend(db: &PgDb, ready: &str, what: &str) -> String {
    let sql = format!(
        "coalesce((SELECT pid::text FROM pg_stat_activity \
         WHERE application_name LIKE 'authctl@%' AND datname = current_database() \
         AND {ready} LIMIT 1), '')"
    );
    let mut pid = String::new();
    wait_for(what, Duration::from_secs(60), || {
        pid = query(&db.url, &sql);
        !pid.is_empty()
    });
    pid
}

/// Issue 20 item 4: `import`'s connection terminated while its one transaction
/// writes: exit 69, a message that the connection was lost and NOTHING was imported
/// (the server rolled the transaction back), and no row of the file in the target.
#[test]
fn import_cut_by_a_lost_connection_imports_nothing() {
    let Some(db) = PgDb::create_migrated() else {
        return;
    };
    let (_source, file) = crate::backup::big_export();
    let file = file.to_str().expect("utf-8 path");
    let bg = common::Background::start(
        common::authctl()
            .env("DATABASE_URL", &db.url)
            .args(["import", file]),
    );
    let pid = authctl_backend(
        &db,
        "xact_start IS NOT NULL AND (query LIKE 'INSERT INTO \"authctl_audit_events\"%' \
         OR query LIKE 'COPY \"authctl_audit_events\"%')",
        "the import to write inside its transaction",
    );
    query(&db.url, &format!("pg_terminate_backend({pid})"));
    let out = bg.finish();
    assert_eq!(out.code, 69, "{out}");
    assert!(
        out.stderr.contains("connection lost during the import")
            && out.stderr.contains("NOTHING was imported")
            && out.stderr.contains("rolled back"),
        "{out}"
    );
    assert_eq!(
        query(&db.url, "SELECT count(*) FROM authctl_audit_events"),
        "0",
        "no row of the file, no import event"
    );
}

/// Issue 20 item 4: `users reset-password` whose connection is terminated inside its
/// transaction (while it waits for the user's row lock, held here): exit 69, a
/// message that the connection was lost and the password was NOT changed; the hash
/// is the old one and no audit event was written.
#[test]
fn reset_password_cut_by_a_lost_connection_changes_nothing() {
    use std::io::Write;
    let Some(db) = PgDb::create_migrated() else {
        return;
    };
    let created = authctl(
        &db.url,
        &["users", "create", "ann@example.com", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(created.code, 0, "{created}");
    let hash_sql = "SELECT password_hash FROM users WHERE email = 'ann@example.com'";
    let hash = query(&db.url, hash_sql);
    let events_sql = "SELECT count(*) FROM authctl_audit_events";
    let events = query(&db.url, events_sql);
    let mut locker = PgConnection::establish(&db.url).expect("connect");
    locker
        .batch_execute("BEGIN; SELECT id FROM users WHERE email = 'ann@example.com' FOR UPDATE")
        .expect("lock the user's row");
    let mut cmd = common::spawnable(common::authctl().env("DATABASE_URL", &db.url).args([
        "users",
        "reset-password",
        "ann@example.com",
        "--password-stdin",
    ]));
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("spawn authctl");
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "another horse battery staple 43").expect("write the password");
    drop(stdin);
    let pid = authctl_backend(
        &db,
        "wait_event_type = 'Lock'",
        "authctl to wait for the user's row lock",
    );
    query(&db.url, &format!("pg_terminate_backend({pid})"));
    locker.batch_execute("ROLLBACK").expect("release the lock");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(69), "{stderr}");
    assert!(
        stderr.contains("connection lost during `users reset-password`")
            && stderr.contains("the password was NOT changed")
            && stderr.contains("rolled back"),
        "{stderr}"
    );
    assert_eq!(query(&db.url, hash_sql), hash, "the old hash");
    assert_eq!(query(&db.url, events_sql), events, "no audit event");
}
