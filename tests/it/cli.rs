//! The command line as an operator meets it: help, configuration precedence and
//! errors, connection failures, SQLite file safety, pipes and shell completions.

use crate::common;

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

use crate::common::{Run, TestDb, run};

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

/// The `users` commands are the application's operations on its own schema: no
/// lockout (`unlock`), no must-change-password, statuses active|disabled only.
#[test]
fn users_subcommands_match_the_applications_schema() {
    let r = authctl(&["users", "--help"]);
    assert_eq!(r.code, 0, "{r}");
    let listed: Vec<&str> = r
        .stdout
        .split("Commands:")
        .nth(1)
        .and_then(|rest| rest.split("Options:").next())
        .unwrap_or_else(|| panic!("no command list\n{r}"))
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        listed,
        [
            "create",
            "list",
            "show",
            "update",
            "disable",
            "enable",
            "reset-password",
            "delete",
            "import",
            "export",
            "help"
        ],
        "{r}"
    );
    for (args, what) in [
        (&["users", "unlock", "a@example.com"][..], "unlock"),
        (
            &[
                "users",
                "create",
                "a@example.com",
                "--must-change-password",
                "--generate-password",
            ][..],
            "--must-change-password",
        ),
        (&["users", "list", "--status", "locked"][..], "locked"),
    ] {
        let r = authctl(args);
        assert_eq!(r.code, 64, "{args:?}\n{r}");
        assert!(r.stderr.contains(what), "{args:?}: names {what}\n{r}");
        assert!(r.stdout.is_empty(), "{args:?}\n{r}");
    }
}

/// The help is the first documentation an operator reads: it must not advertise
/// the removed `unlock`, and must name the password-hash settings that replaced
/// the argon2-only ones.
#[test]
fn help_describes_the_current_users_commands_and_password_settings() {
    let r = authctl(&["--help"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(!r.stdout.contains("unlock"), "--help mentions unlock\n{r}");
    for needle in ["AUTHCTL_PASSWORD_HASH", "AUTHCTL_BCRYPT_COST"] {
        assert!(r.stdout.contains(needle), "--help lacks {needle}\n{r}");
    }
    let r = authctl(&["users", "--help"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        !r.stdout.contains("unlock"),
        "users --help mentions unlock\n{r}"
    );
}

/// Ids are uuids: a value that is not one is refused by the argument parser (64);
/// a well-formed uuid that names nothing is bad data (65).
#[test]
fn ids_are_uuids_parser_errors_are_64_unknown_ids_65() {
    for args in [
        &["sessions", "revoke", "not-a-uuid"][..],
        &["tokens", "revoke", "12"][..],
        &["sessions", "list", "--after", "abc"][..],
        &["tokens", "list", "--after=-5"][..],
    ] {
        let r = authctl(args);
        assert_eq!(r.code, 64, "{args:?}\n{r}");
        assert!(r.stderr.contains("uuid"), "{args:?}: explains\n{r}");
    }
    let db = TestDb::sqlite();
    db.migrated();
    let unknown = "3f2b1c9e-0000-4000-8000-000000000000";
    for args in [
        &["users", "show", unknown][..],
        &["sessions", "revoke", unknown][..],
        &["tokens", "revoke", unknown][..],
    ] {
        let r = run(db.authctl().args(args));
        assert_eq!(r.code, 65, "{args:?}\n{r}");
        assert!(r.stderr.contains(unknown), "{args:?}: names the id\n{r}");
        assert!(r.stdout.is_empty(), "{args:?}\n{r}");
    }
}

/// README "Exit codes": a value that does not parse is 64 wherever it is given —
/// a user reference that cannot name a user (neither an email nor a uuid), as an
/// argument (`users show abc`) or a flag (`--user abc`), a role filter outside the
/// allowed ones, a value outside a flag's fixed set; a well-formed reference to a
/// user that does not exist is 65, like a role to store.
#[test]
fn malformed_values_are_64_everywhere_unknown_references_65() {
    let db = TestDb::sqlite();
    db.migrated();
    for args in [
        &["users", "show", "abc"][..],
        &["audit", "list", "--user", "abc"],
        &["sessions", "list", "--user", "abc"],
        &["tokens", "list", "--user", "abc"],
        &["attempts", "list", "--user", "abc"],
        &["users", "list", "--role", "superuser"],
        &["users", "list", "--status", "bogus"],
        &["audit", "list", "--since", "abc"],
        &["sessions", "list", "--after", "abc"],
    ] {
        let r = run(db.authctl().args(args));
        assert_eq!(r.code, 64, "{args:?}\n{r}");
        assert!(r.stdout.is_empty(), "{args:?}\n{r}");
    }
    for args in [
        &["users", "show", "nobody@example.com"][..],
        &["sessions", "list", "--user", "nobody@example.com"],
        &[
            "sessions",
            "list",
            "--user",
            "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab",
        ],
        &[
            "users",
            "create",
            "new@example.com",
            "--role",
            "superuser",
            "--generate-password",
        ],
    ] {
        let r = run(db.authctl().args(args));
        assert_eq!(r.code, 65, "{args:?}\n{r}");
        assert!(r.stdout.is_empty(), "{args:?}\n{r}");
    }
}

/// A rejected command-line value reaches the terminal escaped (an OSC title
/// sequence, a bidi override) and cut after 200 characters with its size.
#[test]
fn rejected_values_are_escaped_and_cut() {
    let r = authctl(&["-o", "\u{1b}]0;PWNED\u{7}x\u{202e}", "config"]);
    assert_eq!(r.code, 64, "{r}");
    assert!(
        !r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'),
        "{r:?}",
        r = r.stderr
    );
    assert!(!r.stderr.contains('\u{202e}'), "{}", r.stderr);
    assert!(
        r.stderr.contains("\\u{1b}]0;PWNED\\u{7}x\\u{202e}"),
        "shown escaped: {}",
        r.stderr
    );
    let long = "v".repeat(100_000);
    let r = authctl(&["-o", &long, "config"]);
    assert_eq!(r.code, 64, "{r}");
    assert!(r.stderr.len() < 2_000, "cut: {} bytes", r.stderr.len());
    assert!(r.stderr.contains("… (100000 bytes)"), "{}", r.stderr);
    // An unknown subcommand and a value a parser of authctl refuses alike.
    let r = authctl(&["bogus\u{1b}[2J"]);
    assert_eq!(r.code, 64, "{r}");
    assert!(
        !r.stderr.contains('\u{1b}') && r.stderr.contains("\\u{1b}[2J"),
        "{}",
        r.stderr
    );
    let r = authctl(&[
        "audit",
        "list",
        "--since",
        &format!("{long}\u{1b}]52;c;x\u{7}"),
    ]);
    assert_eq!(r.code, 64, "{r}");
    assert!(
        !r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'),
        "{}",
        r.stderr
    );
    assert!(r.stderr.len() < 2_000, "cut: {} bytes", r.stderr.len());
}

/// Text the server sends in an error (here PostgreSQL's FATAL naming a database
/// whose name holds an OSC 52 clipboard sequence) is escaped where authctl prints
/// errors.
#[test]
fn server_error_text_is_escaped() {
    let Some(db) = TestDb::postgres() else { return };
    let mut u = url::Url::parse(&db.url()).unwrap();
    u.set_path("/x%1B%5D52%3Bc%3BcHduZWQ%3D%07%E2%80%AEy");
    let r = run(common::authctl().args(["--database-url", u.as_str(), "users", "list"]));
    assert_eq!(r.code, 69, "{r}");
    assert!(
        r.stderr.contains("does not exist"),
        "the server's text: {r}"
    );
    for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!r.stderr.contains(raw), "{raw:?} raw in {:?}", r.stderr);
    }
    assert!(r.stderr.contains("\\u{1b}]52;"), "{}", r.stderr);
}

per_backend! {
    /// CSV cells of nested JSON (`users show`'s `recent_events`) are escaped like every
    /// other cell: no raw CSI (U+009B), bidi control (U+202E, U+061C) or line/paragraph
    /// separator (U+2028/U+2029) from the database reaches the terminal.
    fn csv_nested_json_cells_are_terminal_safe(db) {
        db.migrated();
        let r =
            run(db
                .authctl()
                .args(["users", "create", "ann@example.com", "--generate-password"]));
        assert_eq!(r.code, 0, "{}: {r}", db.label());
        db.exec(
            "UPDATE authctl_audit_events SET detail = '{\"note\": \"a\u{9b}31m\u{202e}b\u{61c}c\u{2028}d\u{2029}e\"}', \
             actor = 'x\u{9b}2J'",
        );
        for format in ["csv", "json", "table"] {
            let r = run(db
                .authctl()
                .args(["-o", format, "users", "show", "ann@example.com"]));
            assert_eq!(r.code, 0, "{} {format}: {r}", db.label());
            for raw in ['\u{9b}', '\u{202e}', '\u{61c}', '\u{2028}', '\u{2029}'] {
                assert!(
                    !r.stdout.contains(raw),
                    "{} {format}: {raw:?} raw in {:?}",
                    db.label(),
                    r.stdout
                );
            }
            assert!(
                r.stdout.contains("31m"),
                "{} {format}: the event is shown\n{r}",
                db.label()
            );
        }
    }
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
    assert_eq!(v["env_file"]["value"], ".env", "{r}");
    assert_eq!(v["env_file"]["source"], "default", "{r}");
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
    for (case, content, line) in [
        (
            "unterminated quote",
            "OK=1\nAPI_SECRET=\"hunter2-in-dotenv\nOTHER=2\n",
            "line 2",
        ),
        ("empty name", "OK=1\n=hunter2-in-dotenv\n", "line 2"),
        (
            "unquoted space after a comment and a blank line",
            "# app settings\n\nOK=1\nAPI_SECRET=hunter2-in-dotenv and more\n",
            "line 4",
        ),
        (
            "after a value spanning lines",
            "CERT=\"a\nb\nc\"\nhunter2-in-dotenv\n",
            "line 4",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), content).unwrap();
        let r = config_in(dir.path(), &[], &[]);
        assert_eq!(r.code, 78, "{case}\n{r}");
        assert!(r.stderr.contains(".env"), "{case}: names the file\n{r}");
        // Issue 18: the line, not a byte offset, and what to do.
        assert!(
            r.stderr.contains(line) && !r.stderr.contains("byte"),
            "{case}: names {line}\n{r}"
        );
        assert!(r.stderr.contains("quote"), "{case}: says what to fix\n{r}");
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

/// `authctl config -o json` with extra environment variables, asserting success.
fn config_json(env: &[(&str, &str)]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let r = config_in(dir.path(), env, &[]);
    assert_eq!(r.code, 0, "{env:?}\n{r}");
    json(&r)
}

#[test]
fn config_shows_the_password_hash_scheme_bcrypt_cost_12_by_default() {
    let v = config_json(&[]);
    assert_eq!(v["password_hash"]["value"], "bcrypt $2b$, cost 12", "{v}");
    assert_eq!(v["password_hash"]["source"], "default", "{v}");
    assert!(
        v.get("argon2").is_none(),
        "the old argon2 row is still shown: {v}"
    );

    for cost in ["10", "15"] {
        let v = config_json(&[("AUTHCTL_BCRYPT_COST", cost)]);
        assert_eq!(
            v["password_hash"]["value"],
            format!("bcrypt $2b$, cost {cost}"),
            "{v}"
        );
        assert_eq!(
            v["password_hash"]["source"], "environment variable AUTHCTL_BCRYPT_COST",
            "{v}"
        );
    }

    let v = config_json(&[("AUTHCTL_PASSWORD_HASH", "argon2id")]);
    let value = v["password_hash"]["value"].as_str().unwrap();
    assert!(
        value.starts_with("argon2id") && value.contains("19456"),
        "argon2id with its default cost: {v}"
    );
    assert!(
        v["password_hash"]["source"]
            .as_str()
            .unwrap()
            .contains("AUTHCTL_PASSWORD_HASH"),
        "{v}"
    );

    // In a .env file, the source names the file.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "AUTHCTL_BCRYPT_COST=11\n").unwrap();
    let r = config_in(dir.path(), &[], &[]);
    assert_eq!(r.code, 0, "{r}");
    let v = json(&r);
    assert_eq!(v["password_hash"]["value"], "bcrypt $2b$, cost 11", "{r}");
    assert!(
        v["password_hash"]["source"]
            .as_str()
            .unwrap()
            .contains(".env"),
        "{r}"
    );

    let r = run(common::authctl()
        .env("AUTHCTL_BCRYPT_COST", "13")
        .arg("config"));
    assert_eq!(r.code, 0, "{r}");
    let row = r
        .stdout
        .lines()
        .find(|l| l.contains("password_hash"))
        .unwrap_or_else(|| panic!("no password_hash row\n{r}"));
    assert!(
        row.contains("bcrypt $2b$, cost 13") && row.contains("AUTHCTL_BCRYPT_COST"),
        "{row}"
    );
}

#[test]
fn bad_password_hash_settings_are_config_errors() {
    for (env, names) in [
        (&[("AUTHCTL_BCRYPT_COST", "9")][..], "AUTHCTL_BCRYPT_COST"),
        (&[("AUTHCTL_BCRYPT_COST", "16")][..], "AUTHCTL_BCRYPT_COST"),
        (
            &[("AUTHCTL_BCRYPT_COST", "twelve")][..],
            "AUTHCTL_BCRYPT_COST",
        ),
        (
            &[("AUTHCTL_PASSWORD_HASH", "md5")][..],
            "AUTHCTL_PASSWORD_HASH",
        ),
        (
            &[
                ("AUTHCTL_PASSWORD_HASH", "argon2id"),
                ("AUTHCTL_ARGON2_MEMORY_KIB", "1024"),
            ][..],
            "AUTHCTL_ARGON2_MEMORY_KIB",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let r = config_in(dir.path(), env, &[]);
        assert_eq!(r.code, 78, "{env:?}\n{r}");
        assert!(r.stderr.contains(names), "{env:?}: names {names}\n{r}");
        assert!(r.stdout.is_empty(), "{env:?}\n{r}");
        // A data command refuses the same way before touching the database.
        let db = TestDb::sqlite();
        let mut cmd = db.authctl();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let r = run(cmd.args(["users", "create", "a@example.com", "--generate-password"]));
        assert_eq!(r.code, 78, "{env:?}: users create\n{r}");
        let TestDb::Sqlite(s) = &db else {
            unreachable!()
        };
        assert!(!s.path.exists(), "{env:?}: the database was created");
    }
}

/// What `authctl config` shows is what `users create` uses.
#[test]
fn the_configured_password_hash_is_the_one_stored() {
    let db = TestDb::sqlite();
    db.migrated();
    for (i, (env, prefix)) in [
        (&[][..], "$2b$12$"),
        (&[("AUTHCTL_BCRYPT_COST", "10")][..], "$2b$10$"),
        (
            &[("AUTHCTL_PASSWORD_HASH", "argon2id")][..],
            "$argon2id$v=19$m=19456,t=2,p=1$",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("user{i}@example.com");
        let mut cmd = db.authctl();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let r = run(cmd.args(["users", "create", &email, "--generate-password"]));
        assert_eq!(r.code, 0, "{env:?}\n{r}");
        let hash = common::query_strings(
            &db,
            &format!("SELECT password_hash AS v FROM users WHERE email = '{email}'"),
        );
        assert_eq!(hash.len(), 1, "{env:?}");
        assert!(
            hash[0].starts_with(prefix),
            "{env:?}: stored {:?}, expected {prefix}…",
            hash[0]
        );
    }
}

/// `USE_POSTGRES=true` with only some `DB_*` set: the missing ones take the
/// application's defaults, so authctl opens the database the application uses.
#[test]
fn use_postgres_fills_the_applications_defaults() {
    for (env, url) in [
        (
            &[("USE_POSTGRES", "true")][..],
            "postgres://restoreassist:***@localhost:5433/restoreassist",
        ),
        (
            &[
                ("USE_POSTGRES", "true"),
                ("DB_NAME", "auth"),
                ("DB_PASSWORD", "hunter2-partial"),
            ][..],
            "postgres://restoreassist:***@localhost:5433/auth",
        ),
        (
            &[
                ("USE_POSTGRES", "true"),
                ("DB_HOST", "db.internal"),
                ("DB_PORT", "6543"),
                ("DB_USER", "app"),
            ][..],
            "postgres://app:***@db.internal:6543/restoreassist",
        ),
    ] {
        let v = config_json(env);
        assert_eq!(v["backend"]["value"], "postgres", "{env:?}: {v}");
        assert_eq!(v["database"]["value"], url, "{env:?}: {v}");
        assert!(
            v["database"]["source"]
                .as_str()
                .unwrap()
                .contains("USE_POSTGRES"),
            "{env:?}: {v}"
        );
        assert!(
            !v.to_string().contains("hunter2"),
            "{env:?}: password shown: {v}"
        );

        let mut cmd = common::authctl();
        for (k, val) in env {
            cmd.env(k, val);
        }
        let r = run(cmd.arg("config"));
        assert_eq!(r.code, 0, "{env:?}\n{r}");
        let row = r
            .stdout
            .lines()
            .find(|l| l.contains("database") && !l.contains("backend"))
            .unwrap_or_else(|| panic!("no database row\n{r}"));
        assert!(row.contains(url), "{env:?}: {row}");
        assert!(!r.all().contains("hunter2"), "{env:?}\n{r}");
    }
}

/// With the test server's host, port and database name, the application's
/// default user `restoreassist` (its default password, which a trust-authenticated
/// server ignores) reaches the real database — made for the test and dropped after.
#[test]
fn use_postgres_defaults_reach_the_database() {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, PgConnection};
    let Some(pg) = common::PgDb::create() else {
        return;
    };
    let url = url::Url::parse(&pg.url).unwrap();
    if url.username() != "postgres" || url.password().is_some() {
        common::skip("the test server's user is not a password-less `postgres`");
        return;
    }
    let admin_url = common::pg_admin_url().unwrap();
    pg.admin(
        "DO $$ BEGIN CREATE ROLE restoreassist LOGIN; \
         EXCEPTION WHEN duplicate_object THEN NULL; END $$",
    );
    pg.admin(&format!(
        "ALTER DATABASE {} OWNER TO restoreassist",
        pg.name
    ));
    let port = url.port().unwrap_or(5432).to_string();
    let mut cmd = common::authctl();
    cmd.env("USE_POSTGRES", "true")
        .env("DB_HOST", url.host_str().unwrap())
        .env("DB_PORT", &port)
        .env("DB_NAME", &pg.name);
    let r = run(cmd.args(["-o", "json", "migrate"]));
    let migrated = pg.has_table("users");
    let owner = pg.strings("SELECT tableowner::text AS v FROM pg_tables WHERE tablename = 'users'");
    drop(pg);
    // The role owns nothing once its database is gone.
    let _ = PgConnection::establish(&admin_url)
        .map(|mut c| c.batch_execute("DROP ROLE IF EXISTS restoreassist"));
    assert_eq!(r.code, 0, "{r}");
    assert!(migrated, "migrated another database\n{r}");
    assert_eq!(
        owner,
        ["restoreassist"],
        "as the application's default user\n{r}"
    );
}

/// The application uses PostgreSQL only when `USE_POSTGRES` is exactly `true`
/// (anything else: its in-memory store). authctl must not administer a PostgreSQL
/// database the application does not use: a value the application reads as false
/// is either a configuration error naming the variable or the SQLite default.
#[test]
fn use_postgres_counts_only_the_exact_string_true() {
    for value in ["1", "TRUE", "True", "yes", "on"] {
        let dir = tempfile::tempdir().unwrap();
        let r = config_in(dir.path(), &[("USE_POSTGRES", value)], &[]);
        match r.code {
            78 => assert!(r.stderr.contains("USE_POSTGRES"), "{value}: names it\n{r}"),
            0 => assert_eq!(json(&r)["backend"]["value"], "sqlite", "{value}\n{r}"),
            _ => panic!("USE_POSTGRES={value}: unexpected exit\n{r}"),
        }
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

/// The application's `.env` (as in its own directory): PostgreSQL on port 1 of
/// 127.0.0.1, where nothing listens, with a password that must never be shown.
const APP_DOTENV: &str = "USE_POSTGRES=true\nDB_HOST=127.0.0.1\nDB_PORT=1\n\
     DB_NAME=restoreassist\nDB_USER=app\nDB_PASSWORD=hunter2-app\n";

per_backend! {
    /// Issue 18: from the application's directory (its `.env` names its own
    /// database), `--database-url` or an exported `DATABASE_URL` points authctl at
    /// a restored copy — a higher rank overrides `.env`, it does not contradict it.
    /// Only two sources of the same rank can contradict each other (78, naming
    /// both, nothing written).
    fn a_restored_copy_is_reachable_from_the_applications_directory(db: migrated) {
        let r = run(db
            .authctl()
            .args(["users", "create", "restored@example.com", "--generate-password"]));
        assert_eq!(r.code, 0, "{}: {r}", db.label());
        let app_dir = db.scratch().join("app");
        std::fs::create_dir_all(&app_dir).unwrap();
        std::fs::write(app_dir.join(".env"), APP_DOTENV).unwrap();
        let in_app_dir = || {
            let mut cmd = common::authctl();
            cmd.current_dir(&app_dir);
            cmd
        };
        let listed = |r: &Run, how: &str| {
            assert_eq!(r.code, 0, "{} {how}: {r}", db.label());
            assert!(
                r.stdout.contains("restored@example.com"),
                "{} {how}: the restored copy is listed\n{r}",
                db.label()
            );
            assert!(!r.all().contains("hunter2"), "{} {how}\n{r}", db.label());
        };
        let url = db.url();
        let r = run(in_app_dir()
            .args(["--database-url", &url])
            .args(["-o", "json", "users", "list"]));
        listed(&r, "--database-url");
        let r = run(in_app_dir()
            .env("DATABASE_URL", &url)
            .args(["-o", "json", "users", "list"]));
        listed(&r, "DATABASE_URL exported");
        // Without either, the application's database (unreachable here).
        let r = run(in_app_dir().args(["users", "list"]));
        assert_eq!(r.code, 69, "{}: {r}", db.label());
        assert!(r.stderr.contains("127.0.0.1:1"), "{}: {r}", db.label());
        assert!(!r.all().contains("hunter2"), "{}: {r}", db.label());
        // Exported DATABASE_URL and DB_NAME disagree: a contradiction in one rank.
        let r = run(in_app_dir()
            .env("DATABASE_URL", &url)
            .env("DB_NAME", "restoreassist")
            .args(["users", "create", "new@example.com", "--generate-password"]));
        assert_eq!(r.code, 78, "{}: {r}", db.label());
        assert!(
            r.stderr.contains("contradictory")
                && r.stderr.contains("environment variable DATABASE_URL")
                && r.stderr.contains("environment variable DB_NAME"),
            "{}: names both\n{r}",
            db.label()
        );
        assert!(!r.all().contains("hunter2"), "{}: {r}", db.label());
        assert_eq!(
            common::count(&db, "SELECT COUNT(*) AS n FROM users"),
            1,
            "{}: nothing written",
            db.label()
        );
    }
}

/// Issue 18: the contradiction check compares only what is explicitly set, as
/// libpq would connect: `USE_POSTGRES=true` with a `DATABASE_URL` and a matching
/// `DB_NAME` is accepted (it was refused: the default `localhost`/5433 were
/// compared with the URL's `127.0.0.1`/5432), a differing one is refused in the
/// environment and in `.env` alike, naming both.
#[test]
fn only_explicit_db_vars_of_the_same_rank_contradict_a_url() {
    let url = "postgres://app@127.0.0.1:5432/restoreassist";
    for extra in [&[][..], &[("DB_NAME", "restoreassist")][..]] {
        let dir = tempfile::tempdir().unwrap();
        let mut env = vec![("USE_POSTGRES", "true"), ("DATABASE_URL", url)];
        env.extend_from_slice(extra);
        let r = config_in(dir.path(), &env, &[]);
        assert_eq!(r.code, 0, "{extra:?}\n{r}");
        let v = json(&r);
        assert_eq!(v["database"]["value"], url, "{r}");
        assert_eq!(v["database"]["rank"], "environment", "{r}");
    }
    let dir = tempfile::tempdir().unwrap();
    let r = config_in(
        dir.path(),
        &[
            ("USE_POSTGRES", "true"),
            ("DATABASE_URL", url),
            ("DB_HOST", "localhost"),
        ],
        &[],
    );
    assert_eq!(r.code, 78, "{r}");
    assert!(
        r.stderr.contains("environment variable DB_HOST")
            && r.stderr.contains("environment variable DATABASE_URL"),
        "{r}"
    );
    std::fs::write(
        dir.path().join(".env"),
        format!("USE_POSTGRES=true\nDB_NAME=prod\nDATABASE_URL={url}\n"),
    )
    .unwrap();
    let r = config_in(dir.path(), &[], &[]);
    assert_eq!(r.code, 78, "{r}");
    assert!(
        r.stderr.contains("DB_NAME in .env") && r.stderr.contains("DATABASE_URL in .env"),
        "{r}"
    );
    // The same file under an exported DATABASE_URL: overridden, not contradicted.
    let r = config_in(dir.path(), &[("DATABASE_URL", "/tmp/x.db")], &[]);
    assert_eq!(r.code, 0, "{r}");
}

/// Issue 18: `authctl config` lists every resolved value with its source and rank,
/// the audit actor included.
#[test]
fn config_lists_the_actor_and_every_rank() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&config_in(dir.path(), &[], &[]));
    assert_eq!(v["actor"]["rank"], "default", "{v}");
    assert!(
        v["actor"]["value"]
            .as_str()
            .is_some_and(|a| a.contains('@')),
        "{v}"
    );
    for (key, row) in v.as_object().unwrap() {
        assert!(
            row["value"].is_string() && row["source"].is_string() && row["rank"].is_string(),
            "{key}: {row}"
        );
    }
    std::fs::write(dir.path().join(".env"), "AUTHCTL_ACTOR=from-dotenv\n").unwrap();
    let v = json(&config_in(dir.path(), &[], &[]));
    assert_eq!(v["actor"]["value"], "from-dotenv", "{v}");
    assert_eq!(v["actor"]["rank"], "env-file", "{v}");
    assert_eq!(v["env_file"]["rank"], "default", "{v}");
    let v = json(&config_in(
        dir.path(),
        &[("AUTHCTL_ACTOR", "from-env")],
        &[],
    ));
    assert_eq!(v["actor"]["value"], "from-env", "{v}");
    assert_eq!(
        v["actor"]["source"], "environment variable AUTHCTL_ACTOR",
        "{v}"
    );
    let v = json(&config_in(
        dir.path(),
        &[("AUTHCTL_ACTOR", "from-env")],
        &["--actor", "alice"],
    ));
    assert_eq!(v["actor"]["value"], "alice", "{v}");
    assert_eq!(v["actor"]["source"], "flag --actor", "{v}");
    assert_eq!(v["actor"]["rank"], "flag", "{v}");
    let r = run(common::authctl()
        .current_dir(dir.path())
        .args(["--actor", "alice", "config"]));
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout
            .lines()
            .any(|l| l.contains(" actor ") && l.contains("alice") && l.contains("flag --actor")),
        "{r}"
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

per_backend! {
    fn broken_pipe_in_a_shell_pipeline_is_not_an_error(db) {
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

per_backend! {
    fn closed_stdout_is_not_an_error(db) {
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

// ---------------------------------------------------------------- output failures

/// How a test breaks authctl's stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BrokenStdout {
    /// Closed before authctl starts (`>&-`).
    Closed,
    /// `/dev/full`: every write fails with ENOSPC.
    Full,
    /// A socket whose reader is gone: every write fails with EPIPE.
    ReaderGone,
}

/// Run `cmd` (a [`TestDb::authctl`] command) with its stdout broken `how`,
/// `stdin` piped in; stderr captured.
fn run_broken_stdout(cmd: &assert_cmd::Command, how: BrokenStdout, stdin: &[u8]) -> Run {
    use std::io::Write;
    let mut std_cmd = common::spawnable(cmd);
    if how == BrokenStdout::Closed {
        // `exec … >&-`: authctl itself starts with fd 1 closed.
        let mut wrapped = std::process::Command::new("bash");
        wrapped
            .arg("-c")
            .arg(r#"exec "$0" "$@" >&-"#)
            .arg(cmd.get_program())
            .args(cmd.get_args())
            .env_clear();
        for (k, v) in cmd.get_envs() {
            if let Some(v) = v {
                wrapped.env(k, v);
            }
        }
        if let Some(dir) = cmd.get_current_dir() {
            wrapped.current_dir(dir);
        }
        std_cmd = wrapped;
    }
    let stdout = match how {
        BrokenStdout::Closed => Stdio::null(),
        BrokenStdout::Full => Stdio::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        ),
        BrokenStdout::ReaderGone => {
            let (writer, reader) = std::os::unix::net::UnixStream::pair().unwrap();
            drop(reader);
            Stdio::from(std::os::fd::OwnedFd::from(writer))
        }
    };
    let started = Instant::now();
    let mut child = std_cmd
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    Run::from_output(out, started.elapsed())
}

per_backend! {
    /// A change that was committed and whose report then cannot be written — stdout
    /// closed, a full disk, a reader that went away — exits 74 (the output-failure
    /// code, not 70 "a bug", not 0) and says that the change WAS committed, naming
    /// it; the database holds the change. Before, `users disable … >/dev/full` exited
    /// 70 and `>&-` or a broken pipe exited 0.
    fn a_committed_change_whose_report_cannot_be_written_exits_74_saying_so(db) {
        use BrokenStdout::*;
        let l = db.label();
        let mut conn = db.migrated();
        let ok = |args: &[&str], stdin: &str| {
            run(db.authctl().args(args).write_stdin(stdin.to_owned()))
                .expect_code(0, format_args!("{l}: {args:?}"))
        };
        let one = |sql: &str| common::query_strings(&db, sql).remove(0);
        for (i, (how, format)) in [(Closed, "table"), (Full, "json"), (ReaderGone, "csv")]
            .into_iter()
            .enumerate()
        {
            let email = format!("u{i}@example.com");
            let what = format!("{l} {how:?} -o {format}");
            let expect_74 = |args: &[&str], stdin: &str, names: &str| {
                let mut cmd = db.authctl();
                cmd.args(["--actor", "tester", "-o", format]).args(args);
                let r = run_broken_stdout(&cmd, how, stdin.as_bytes());
                assert_eq!(r.code, 74, "{what} {args:?}\n{r}");
                assert!(r.stderr.contains("the change WAS committed"), "{what} {args:?}\n{r}");
                assert!(r.stderr.contains(names), "{what} {args:?}: names {names:?}\n{r}");
                assert!(!r.stderr.contains("panicked"), "{what} {args:?}\n{r}");
                let reason = match how {
                    Closed => "stdout is closed",
                    Full => "No space left on device",
                    ReaderGone => "broken pipe",
                };
                assert!(r.stderr.contains(reason), "{what} {args:?}: {reason:?}\n{r}");
            };

            expect_74(
                &["users", "create", &email, "--password-stdin"],
                "Correct horse 42 battery\n",
                "created user",
            );
            assert_eq!(
                common::count(&db, &format!("SELECT count(*) AS n FROM users WHERE email = '{email}'")),
                1,
                "{what}: create committed"
            );
            expect_74(&["users", "disable", &email], "", "disabled user");
            assert!(
                one(&format!("SELECT password_hash AS v FROM users WHERE email = '{email}'"))
                    .starts_with('!'),
                "{what}: disable committed"
            );
            expect_74(&["users", "enable", &email], "", &email);
            assert!(
                !one(&format!("SELECT password_hash AS v FROM users WHERE email = '{email}'"))
                    .starts_with('!'),
                "{what}: enable committed"
            );
            expect_74(&["users", "update", &email, "--name", "Renamed"], "", "updated user");
            assert_eq!(
                one(&format!("SELECT name AS v FROM users WHERE email = '{email}'")),
                "Renamed",
                "{what}: update committed"
            );

            // A refresh token revoked by id.
            let user_id = authctl::repo::users::find_by_email(&mut conn, &email)
                .unwrap()
                .unwrap()
                .id;
            let token = authctl::repo::refresh_tokens::create(
                &mut conn,
                &authctl::repo::refresh_tokens::NewRefreshToken::new(
                    user_id,
                    &format!("eyJ.{}.{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple()),
                    authctl::db::UtcDateTime::now() + chrono::Duration::days(1),
                ),
            )
            .unwrap();
            expect_74(
                &["tokens", "revoke", &token.id.to_string()],
                "",
                "revoked 1 refresh token",
            );
            assert_eq!(
                one(&format!(
                    "SELECT CAST(is_revoked AS TEXT) AS v FROM refresh_tokens WHERE id = '{}'",
                    token.id
                ))
                .to_lowercase()
                .chars()
                .next(),
                Some(if db.is_postgres() { 't' } else { '1' }),
                "{what}: revoke committed"
            );

            expect_74(&["--yes", "users", "delete", &email], "", "deleted user");
            assert_eq!(
                common::count(&db, &format!("SELECT count(*) AS n FROM users WHERE email = '{email}'")),
                0,
                "{what}: delete committed"
            );
        }
        // Control: with --quiet there is nothing to write, so nothing fails.
        ok(&["users", "create", "quiet@example.com", "--password-stdin"], "Correct horse 42 battery\n");
        let mut cmd = db.authctl();
        cmd.args(["-q", "users", "disable", "quiet@example.com"]);
        let r = run_broken_stdout(&cmd, Closed, b"");
        assert_eq!(r.code, 0, "{l}: -q to a closed stdout\n{r}");
    }
}

per_backend! {
    /// A read-only command whose output cannot be written — stdout closed (`>&-`)
    /// or a full disk — exits 74 saying why, in every format; it never pretends to
    /// have printed (exit 0, as `users list >&-` did) nor calls it a bug (70). With
    /// `--quiet` there is nothing to print and nothing fails; `>/dev/null` is a
    /// working stdout; a reader that went away (`| head`) is not an error
    /// (`broken_pipe_in_a_shell_pipeline_is_not_an_error`).
    fn a_listing_to_a_closed_or_full_stdout_exits_74(db) {
        let l = db.label();
        drop(db.migrated());
        run(db
            .authctl()
            .args(["users", "create", "list@example.com", "--password-stdin"])
            .write_stdin("Correct horse 42 battery\n"))
        .expect_code(0, l);
        let commands: &[&[&str]] = &[
            &["users", "list"],
            &["users", "show", "list@example.com"],
            &["tokens", "list"],
            &["sessions", "list"],
            &["audit", "list"],
            &["attempts", "list"],
            &["stats"],
            &["migrate", "status"],
            &["config"],
        ];
        for args in commands {
            for format in ["table", "json", "csv"] {
                for (how, reason) in [
                    (BrokenStdout::Closed, "stdout is closed"),
                    (BrokenStdout::Full, "No space left on device"),
                ] {
                    let mut cmd = db.authctl();
                    cmd.args(["-o", format]).args(*args);
                    let r = run_broken_stdout(&cmd, how, b"");
                    let what = format!("{l} {args:?} -o {format} {how:?}");
                    assert_eq!(r.code, 74, "{what}\n{r}");
                    assert!(
                        r.stderr.contains("cannot write the output to stdout")
                            && r.stderr.contains(reason),
                        "{what}\n{r}"
                    );
                    assert!(!r.stderr.contains("committed"), "{what}\n{r}");
                }
                let mut cmd = db.authctl();
                cmd.args(["-q", "-o", format]).args(*args);
                let r = run_broken_stdout(&cmd, BrokenStdout::Closed, b"");
                assert_eq!(r.code, 0, "{l} {args:?} -q -o {format} >&-\n{r}");
            }
            let mut base = db.authctl();
            base.args(*args);
            let mut cmd = common::spawnable(&base);
            let status = cmd.stdout(Stdio::null()).status().unwrap();
            assert_eq!(status.code(), Some(0), "{l} {args:?} >/dev/null");
        }
    }
}

per_backend! {
    /// An export to stdout that cannot be written — closed (`>&-`, which the runtime
    /// reopens on /dev/null), full, or a reader that went away — exits 74 saying so:
    /// the backup is not whole. Before, `export - >&-` wrote into /dev/null and
    /// exited 0, and `users export … - | dead-reader` exited 0 with a cut file.
    fn an_export_to_a_broken_stdout_exits_74(db) {
        let l = db.label();
        drop(db.migrated());
        run(db
            .authctl()
            .args(["users", "create", "exp@example.com", "--password-stdin"])
            .write_stdin("Correct horse 42 battery\n"))
        .expect_code(0, l);
        let commands: &[&[&str]] = &[
            &["export", "-"],
            &["users", "export", "--format", "csv", "-"],
            &["users", "export", "--format", "auth0", "-"],
        ];
        for args in commands {
            for how in [
                BrokenStdout::Closed,
                BrokenStdout::Full,
                BrokenStdout::ReaderGone,
            ] {
                let mut cmd = db.authctl();
                cmd.args(*args);
                let r = run_broken_stdout(&cmd, how, b"");
                let what = format!("{l} {args:?} {how:?}");
                assert_eq!(r.code, 74, "{what}\n{r}");
                assert!(r.stderr.contains("cannot write the export"), "{what}\n{r}");
                assert!(!r.stderr.contains("$2"), "no hash in the message: {what}\n{r}");
            }
        }
    }
}

per_backend! {
    /// `--generate-password | head -1` keeps the password: stdout holds the secret
    /// alone, the status line goes to stderr. Before, the status line came first
    /// on stdout, `head -1` took it, and the user existed with a password nobody had.
    fn a_generated_password_is_alone_on_stdout(db) {
        let l = db.label();
        drop(db.migrated());
        for args in [
            "users create gen@example.com --generate-password",
            "users reset-password gen@example.com --generate-password",
        ] {
            let script = format!(
                r#""$0" --database-url "$1" --actor tester {args} | head -1; exit "${{PIPESTATUS[0]}}""#
            );
            let out = std::process::Command::new("bash")
                .args(["-c", &script, env!("CARGO_BIN_EXE_authctl"), &db.url()])
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", db.scratch())
                .current_dir(db.scratch())
                .output()
                .expect("bash");
            let r = Run::from(out);
            assert_eq!(r.code, 0, "{l} {args}\n{r}");
            let password = r.stdout.trim_end_matches('\n');
            assert_eq!(r.stdout.lines().count(), 1, "{l} {args}\n{r}");
            assert_eq!(password.chars().count(), 24, "{l} {args}: {r}");
            assert!(r.stderr.contains("shown only this once"), "{l} {args}\n{r}");
            let hash = common::query_strings(
                &db,
                "SELECT password_hash AS v FROM users WHERE email = 'gen@example.com'",
            )
            .remove(0);
            assert!(
                authctl::password::PasswordHasher::default()
                    .verify(password.as_bytes(), &hash)
                    .unwrap(),
                "{l} {args}: the password head printed is not the stored one"
            );
        }
    }
}

per_backend! {
    /// `changed` has one JSON shape: a boolean, in every command that reports it
    /// (`users update` lists the fields in `changed_fields`). Before, `users update`
    /// made it an array while `disable`/`enable` made it a boolean.
    fn changed_is_a_boolean_in_every_command(db) {
        let l = db.label();
        drop(db.migrated());
        run(db
            .authctl()
            .args(["users", "create", "c@example.com", "--password-stdin"])
            .write_stdin("Correct horse 42 battery\n"))
        .expect_code(0, l);
        let json_of = |args: &[&str]| -> Value {
            let r = db.run(&[&["-o", "json"], args].concat()).expect_code(0, format_args!("{l} {args:?}"));
            json(&r)
        };
        for (args, changed) in [
            (&["users", "update", "c@example.com", "--name", "C"][..], true),
            (&["users", "update", "c@example.com", "--name", "C"][..], false),
            (&["users", "disable", "c@example.com"][..], true),
            (&["users", "disable", "c@example.com"][..], false),
            (&["users", "enable", "c@example.com"][..], true),
            (&["users", "enable", "c@example.com"][..], false),
            (&["tokens", "revoke", "--user", "c@example.com"][..], false),
            (&["sessions", "revoke", "--user", "c@example.com"][..], false),
        ] {
            let v = json_of(args);
            assert_eq!(v["changed"], Value::Bool(changed), "{l} {args:?}: {v}");
        }
        let v = json_of(&["users", "update", "c@example.com", "--name", "D", "--verified"]);
        assert_eq!(v["changed_fields"], serde_json::json!(["name", "email_verified"]), "{l}: {v}");
    }
}

per_backend! {
    /// `stats --textfile` writes the file and prints nothing on stdout, whatever
    /// `--output` says (before, `-o json|csv` printed the figures too).
    fn stats_textfile_prints_nothing_in_any_format(db) {
        let l = db.label();
        drop(db.migrated());
        let file = db.scratch().join("authctl.prom");
        for format in ["table", "json", "csv", "prometheus"] {
            let _ = std::fs::remove_file(&file);
            let r = db
                .run(&["-o", format, "stats", "--textfile", file.to_str().unwrap()])
                .expect_code(0, format_args!("{l} -o {format}"));
            assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""), "{l} -o {format}");
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(text.contains("authctl_up 1"), "{l} -o {format}: {text}");
        }
    }
}

/// `--output` is described alike in `--help` and in the README: the values help
/// lists are the ones the README names.
#[test]
fn help_and_readme_agree_on_output() {
    let help = authctl(&["--help"]);
    assert_eq!(help.code, 0, "{help}");
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = help
        .stdout
        .split("--output <OUTPUT>")
        .nth(1)
        .expect("--output in --help");
    let section = section.split("\n  -").next().unwrap();
    let values: Vec<&str> = section
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- "))
        .filter_map(|v| v.split(':').next())
        .collect();
    assert_eq!(values, ["table", "json", "csv", "prometheus"], "{section}");
    assert!(
        readme.contains("`--output table|json|csv`"),
        "the README names the --output values"
    );
    assert!(
        section.contains("only `authctl stats`")
            && readme.contains("`stats` also takes `prometheus`"),
        "both say prometheus is for stats only"
    );
}

/// Each setting is defined once (`authctl::config::settings`); the configuration
/// table of the reference (`SETTINGS_DOC`) must list every one with its flag and
/// default, and `authctl --help` too — a setting added or changed in one place only
/// fails here.
#[test]
fn readme_and_help_list_every_setting() {
    /// The document whose `## Configuration` section holds the settings table,
    /// relative to the repository root.
    const SETTINGS_DOC: &str = "docs/configuration.md";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SETTINGS_DOC);
    let readme = std::fs::read_to_string(&path).expect(SETTINGS_DOC);
    let section = readme
        .split("\n## Configuration\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_else(|| panic!("{SETTINGS_DOC} has a Configuration section"));
    let help = authctl(&["--help"]);
    assert_eq!(help.code, 0, "{help}");
    for s in authctl::config::settings::SETTINGS {
        let row = section
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("`{}`", s.var)))
            .unwrap_or_else(|| {
                panic!(
                    "{SETTINGS_DOC}'s configuration table has no row for {}",
                    s.var
                )
            });
        assert!(
            row.contains(s.default),
            "{}: default {:?} not in {row}",
            s.var,
            s.default
        );
        if let Some(flag) = s.flag {
            assert!(
                row.contains(&format!("`{flag}`")),
                "{}: flag {flag} not in {row}",
                s.var
            );
        }
        assert!(
            help.stdout.contains(s.var),
            "{} not in authctl --help:\n{help}",
            s.var
        );
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
        "completions/{{{}}} missing or out of date: run `AUTHCTL_BLESS=1 cargo test --test it cli::completions` to refresh",
        stale.join(",")
    );
}
