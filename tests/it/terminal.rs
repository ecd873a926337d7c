//! The terminal: prompts on a real pseudo-terminal (a python3 `pty` driver runs the
//! binary as the session leader of a new terminal), `--color`, and the `-v` levels.

use crate::common;

use std::process::Command;

use authctl::repo;
use serde_json::Value;

use crate::common::TestDb;

const STRONG: &str = "Quartz zebra 81 lantern";

/// Drives a command on a new pseudo-terminal: argv[1] is a JSON plan of steps —
/// `["expect", TEXT]` waits (10 s at most) for TEXT after the previous match,
/// `["send", TEXT]` types it (after a pause, so a prompt that flushes typed-ahead
/// input has turned echo off first), `["kill", "TERM"]` sends the child that signal
/// (after the same pause) — argv[2] a file for the child's stderr ("" to
/// keep the terminal), the rest the command. Prints JSON: the exit code (negative:
/// killed by that signal; null: it hung and was killed), what the terminal showed,
/// whether the plan completed, and whether the terminal's ECHO flag was on after.
const DRIVER: &str = r#"
import json, os, pty, select, signal, sys, termios, time
plan, err_file, argv = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    if err_file:
        f = os.open(err_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(f, 2)
    os.execv(argv[0], argv)
buf, pos, done = b"", 0, True
def pump(timeout):
    global buf
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return True
    try:
        data = os.read(fd, 4096)
    except OSError:
        return False
    if not data:
        return False
    buf += data
    return True
for kind, text in plan:
    if kind == "expect":
        deadline = time.time() + 10
        while text.encode() not in buf[pos:] and time.time() < deadline:
            if not pump(0.1):
                break
        at = buf.find(text.encode(), pos)
        if at < 0:
            done = False
            break
        pos = at + len(text.encode())
    elif kind == "kill":
        time.sleep(0.4)
        os.kill(pid, getattr(signal, "SIG" + text))
    else:
        time.sleep(0.4)
        os.write(fd, text.encode())
echo = None
deadline = time.time() + 15
code = None
while time.time() < deadline:
    alive = pump(0.1)
    wpid, status = os.waitpid(pid, os.WNOHANG)
    if wpid:
        code = os.waitstatus_to_exitcode(status)
        while pump(0.1):
            pass
        # The terminal's settings as the child left them.
        try:
            echo = bool(termios.tcgetattr(fd)[3] & termios.ECHO)
        except termios.error:
            pass
        break
if code is None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
print(json.dumps({"code": code, "shown": buf.decode("utf-8", "replace"), "done": done, "echo": echo}))
"#;

struct Pty {
    code: Option<i64>,
    shown: String,
    done: bool,
    echo: Option<bool>,
}

/// Run `authctl --database-url DB ARGS` on a pseudo-terminal, following `plan`.
/// `None` (with a skip notice; a failure in CI) where python3, which runs the
/// pty driver, is missing.
fn on_pty(
    db: &TestDb,
    args: &[&str],
    plan: &[(&str, &str)],
    stderr_file: Option<&str>,
) -> Option<Pty> {
    if !common::has_python3() {
        return None;
    }
    let home = tempfile::tempdir().unwrap();
    let plan: Vec<[&str; 2]> = plan.iter().map(|(k, t)| [*k, *t]).collect();
    let out = Command::new("python3")
        .arg("-c")
        .arg(DRIVER)
        .arg(serde_json::to_string(&plan).unwrap())
        .arg(stderr_file.unwrap_or(""))
        .arg(env!("CARGO_BIN_EXE_authctl"))
        .args(["--database-url", &db.url(), "--actor", "tester"])
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("TERM", "xterm")
        .env("AUTHCTL_BCRYPT_COST", "10")
        .current_dir(home.path())
        .output()
        .expect("python3 runs the pty driver");
    assert!(
        out.status.success(),
        "driver failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("driver JSON");
    Some(Pty {
        code: v["code"].as_i64(),
        shown: v["shown"].as_str().unwrap_or_default().to_owned(),
        done: v["done"].as_bool().unwrap_or(false),
        echo: v["echo"].as_bool(),
    })
}

fn user_exists(db: &TestDb, email: &str) -> bool {
    repo::users::find_by_email(&mut db.connect(), email)
        .unwrap()
        .is_some()
}

fn add_user(db: &TestDb, email: &str) {
    let mut conn = db.migrated();
    repo::NewUser::new(
        email,
        "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123456",
    )
    .insert(&mut conn)
    .unwrap();
}

/// Interrupted at a confirmation by `step` (Ctrl-C typed, or a signal sent): the
/// terminal gets its cursor back (ESC[?25h after the prompt hid it), authctl exits
/// `code`, nothing is deleted.
fn interrupted_confirmation_restores_the_cursor(step: (&str, &str), code: i64) {
    let db = TestDb::sqlite();
    add_user(&db, "ann@example.com");
    let Some(r) = on_pty(
        &db,
        &["users", "delete", "ann@example.com"],
        &[("expect", "[y/N]"), step],
        None,
    ) else {
        return;
    };
    assert!(r.done, "asked: {}", r.shown);
    assert_eq!(r.code, Some(code), "{:?}", r.shown);
    let asked = r.shown.find("[y/N]").unwrap();
    assert!(
        r.shown[asked..].contains("\u{1b}[?25h"),
        "cursor shown again: {:?}",
        r.shown
    );
    assert!(user_exists(&db, "ann@example.com"));
}

/// Ctrl-C at a confirmation: cursor back, exit 130, nothing deleted.
#[test]
fn ctrl_c_at_a_confirmation_restores_the_cursor() {
    interrupted_confirmation_restores_the_cursor(("send", "\u{3}"), 130);
}

/// Ctrl-C at the hidden password prompt: echo is on again afterwards, exit 130,
/// no user.
#[test]
fn ctrl_c_at_the_password_prompt_restores_echo() {
    let db = TestDb::sqlite();
    db.migrated();
    let Some(r) = on_pty(
        &db,
        &["users", "create", "new@example.com"],
        &[("expect", "New password"), ("send", "\u{3}")],
        None,
    ) else {
        return;
    };
    assert!(r.done, "asked: {}", r.shown);
    assert_eq!(r.code, Some(130), "{:?}", r.shown);
    assert_eq!(r.echo, Some(true), "echo restored: {:?}", r.shown);
    assert!(!user_exists(&db, "new@example.com"));
}

/// SIGTERM, SIGHUP and SIGQUIT at the hidden password prompt restore echo like
/// Ctrl-C does, and exit 128 + the signal; no user.
#[test]
fn other_signals_at_the_password_prompt_restore_echo() {
    let db = TestDb::sqlite();
    db.migrated();
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("QUIT", 3)] {
        let Some(r) = on_pty(
            &db,
            &["users", "create", "new@example.com"],
            &[("expect", "New password"), ("kill", signal)],
            None,
        ) else {
            return;
        };
        assert!(r.done, "SIG{signal}: asked: {}", r.shown);
        assert_eq!(r.code, Some(128 + number), "SIG{signal}: {:?}", r.shown);
        assert_eq!(
            r.echo,
            Some(true),
            "SIG{signal}: echo restored: {:?}",
            r.shown
        );
        assert!(!user_exists(&db, "new@example.com"), "SIG{signal}");
    }
}

/// SIGTERM at a confirmation shows the cursor again and exits 143; nothing deleted.
#[test]
fn sigterm_at_a_confirmation_restores_the_cursor() {
    interrupted_confirmation_restores_the_cursor(("kill", "TERM"), 143);
}

/// With stderr redirected (`2>log`) the confirmation is still asked — on the
/// terminal itself — and answered.
#[test]
fn a_prompt_works_with_stderr_redirected() {
    let db = TestDb::sqlite();
    add_user(&db, "ann@example.com");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("err.log");
    let Some(r) = on_pty(
        &db,
        &["users", "delete", "ann@example.com"],
        &[("expect", "[y/N]"), ("send", "y")],
        Some(log.to_str().unwrap()),
    ) else {
        return;
    };
    assert!(r.done, "asked on the terminal: {:?}", r.shown);
    assert_eq!(r.code, Some(0), "{:?}", r.shown);
    assert!(!user_exists(&db, "ann@example.com"), "deleted");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(!log.contains("terminal"), "{log}");

    // The password prompt too.
    let log = dir.path().join("err2.log");
    let Some(r) = on_pty(
        &db,
        &["users", "create", "ben@example.com"],
        &[
            ("expect", "New password"),
            ("send", &format!("{STRONG}\r")),
            ("expect", "Repeat password"),
            ("send", &format!("{STRONG}\r")),
        ],
        Some(log.to_str().unwrap()),
    ) else {
        return;
    };
    assert!(r.done, "{:?}", r.shown);
    assert_eq!(r.code, Some(0), "{:?}", r.shown);
    assert!(user_exists(&db, "ben@example.com"));
}

/// `--password-stdin` with stdin on a terminal is refused at once (typing would
/// echo the password): exit 64 with what to do, no user.
#[test]
fn password_stdin_refuses_a_terminal() {
    let db = TestDb::sqlite();
    db.migrated();
    let Some(r) = on_pty(
        &db,
        &["users", "create", "new@example.com", "--password-stdin"],
        &[],
        None,
    ) else {
        return;
    };
    assert_eq!(r.code, Some(64), "{:?}", r.shown);
    assert!(
        r.shown.contains("stdin is a terminal") && r.shown.contains("echo"),
        "{:?}",
        r.shown
    );
    assert!(!user_exists(&db, "new@example.com"));
}

/// `export -` with stdout on a terminal is refused (64) before anything is read:
/// the file holds password hashes and bearer secrets. `import -` with stdin on a
/// terminal is refused too, and imports nothing.
#[test]
fn export_and_import_refuse_a_terminal() {
    let db = TestDb::sqlite();
    db.migrated();
    add_user(&db, "kept@example.com");
    let Some(r) = on_pty(&db, &["export", "-"], &[], None) else {
        return;
    };
    assert_eq!(r.code, Some(64), "{:?}", r.shown);
    assert!(
        r.shown
            .contains("refusing to write the export to a terminal"),
        "{:?}",
        r.shown
    );
    assert!(!r.shown.contains("$2"), "no hash shown: {:?}", r.shown);
    let Some(r) = on_pty(&db, &["import", "-"], &[], None) else {
        return;
    };
    assert_eq!(r.code, Some(64), "{:?}", r.shown);
    assert!(r.shown.contains("stdin is a terminal"), "{:?}", r.shown);
    assert!(user_exists(&db, "kept@example.com"));
}

/// A weak password typed at the prompt is asked again with the reason; a strong
/// one then succeeds. Three refusals end the command (65) with the last reason.
#[test]
fn a_refused_password_at_the_prompt_is_asked_again() {
    let db = TestDb::sqlite();
    db.migrated();
    let Some(r) = on_pty(
        &db,
        &["users", "create", "new@example.com"],
        &[
            ("expect", "New password"),
            ("send", "password\r"),
            ("expect", "Repeat password"),
            ("send", "password\r"),
            ("expect", "try again"),
            ("expect", "New password"),
            ("send", &format!("{STRONG}\r")),
            ("expect", "Repeat password"),
            ("send", &format!("{STRONG}\r")),
        ],
        None,
    ) else {
        return;
    };
    assert!(r.done, "asked again: {:?}", r.shown);
    assert_eq!(r.code, Some(0), "{:?}", r.shown);
    assert!(
        r.shown.contains("password rejected"),
        "the reason: {:?}",
        r.shown
    );
    assert!(!r.shown.contains(STRONG), "never echoed");
    let u = repo::users::find_by_email(&mut db.connect(), "new@example.com")
        .unwrap()
        .expect("created");
    assert!(
        authctl::password::PasswordHasher::default()
            .verify(STRONG.as_bytes(), &u.password_hash)
            .unwrap()
    );

    let mut plan = Vec::new();
    for _ in 0..3 {
        plan.extend([
            ("expect", "New password"),
            ("send", "short\r"),
            ("expect", "Repeat password"),
            ("send", "short\r"),
        ]);
    }
    let Some(r) = on_pty(&db, &["users", "create", "other@example.com"], &plan, None) else {
        return;
    };
    assert!(r.done, "{:?}", r.shown);
    assert_eq!(r.code, Some(65), "{:?}", r.shown);
    assert!(r.shown.contains("after 3 attempts"), "{:?}", r.shown);
    assert!(!user_exists(&db, "other@example.com"));
}

/// A password typed differently the second time is asked again with the reason,
/// and mismatches count toward the same 3 attempts as refusals: the prompt never
/// loops without end (it used to, for mismatches). The third failure ends the
/// command (65) and nothing is created.
#[test]
fn mismatched_passwords_share_the_prompts_three_attempts() {
    let db = TestDb::sqlite();
    db.migrated();
    let attempt = |first: &str, again: &str| {
        [
            ("expect", "New password".to_owned()),
            ("send", format!("{first}\r")),
            ("expect", "Repeat password".to_owned()),
            ("send", format!("{again}\r")),
        ]
    };
    let other = "Quartz zebra 81 lanterns";
    for (what, attempts) in [
        (
            "three mismatches",
            vec![
                attempt(STRONG, other),
                attempt(STRONG, other),
                attempt(other, STRONG),
            ],
        ),
        (
            "mismatch, refusal, mismatch",
            vec![
                attempt(STRONG, other),
                attempt("short", "short"),
                attempt(STRONG, other),
            ],
        ),
    ] {
        let plan: Vec<(&str, String)> = attempts.into_iter().flatten().collect();
        let plan: Vec<(&str, &str)> = plan.iter().map(|(k, t)| (*k, t.as_str())).collect();
        let Some(r) = on_pty(&db, &["users", "create", "new@example.com"], &plan, None) else {
            return;
        };
        assert!(r.done, "{what}: {:?}", r.shown);
        assert_eq!(
            r.code,
            Some(65),
            "{what}: ends after 3 attempts: {:?}",
            r.shown
        );
        assert!(
            r.shown
                .contains("the passwords do not match; try again (2 of 3 attempts left)"),
            "{what}: {:?}",
            r.shown
        );
        assert!(
            r.shown.contains("(1 of 3 attempts left)"),
            "{what}: {:?}",
            r.shown
        );
        assert!(
            r.shown.contains("after 3 attempts"),
            "{what}: {:?}",
            r.shown
        );
        assert!(
            !r.shown.contains(STRONG) && !r.shown.contains(other),
            "{what}: never echoed"
        );
        assert_eq!(r.echo, Some(true), "{what}: echo restored");
        assert!(
            !user_exists(&db, "new@example.com"),
            "{what}: nothing created"
        );
    }

    // A mismatch, then the same password twice: created with it.
    let plan: Vec<(&str, String)> = [attempt(STRONG, other), attempt(STRONG, STRONG)]
        .into_iter()
        .flatten()
        .collect();
    let plan: Vec<(&str, &str)> = plan.iter().map(|(k, t)| (*k, t.as_str())).collect();
    let Some(r) = on_pty(&db, &["users", "create", "new@example.com"], &plan, None) else {
        return;
    };
    assert_eq!(r.code, Some(0), "{:?}", r.shown);
    let u = repo::users::find_by_email(&mut db.connect(), "new@example.com")
        .unwrap()
        .expect("created");
    assert!(
        authctl::password::PasswordHasher::default()
            .verify(STRONG.as_bytes(), &u.password_hash)
            .unwrap()
    );
}

fn run(db: &TestDb, env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let mut cmd = db.authctl();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let r = common::run(cmd.args(args));
    (r.code, r.stdout, r.stderr)
}

per_backend! {
    /// `--color always` colours table headers, the state column and the error prefix;
    /// `never`, and `auto` off a terminal or with NO_COLOR, colour nothing.
    fn color_colours_headers_states_and_errors(db) {
        let l = db.label();
        add_user(&db, "ann@example.com");
        for all in [false, true] {
            let mut args = vec!["--color", "always", "users", "list"];
            if all {
                args.push("--all");
            }
            let (code, out, _) = run(&db, &[], &args);
            assert_eq!(code, 0, "{l}");
            assert!(
                out.contains("\u{1b}[1m"),
                "{l} {args:?}: bold header: {out:?}"
            );
            assert!(
                out.contains("\u{1b}[3"),
                "{l} {args:?}: coloured state: {out:?}"
            );
        }
        let (code, _, err) = run(
            &db,
            &[],
            &["--color", "always", "users", "show", "x@example.com"],
        );
        assert_eq!(code, 65, "{l}");
        assert!(
            err.starts_with("authctl: \u{1b}[31merror:\u{1b}[0m "),
            "{l}: {err:?}"
        );
        for (env, choice) in [
            (&[][..], "never"),
            (&[][..], "auto"),
            (&[("NO_COLOR", "1")][..], "auto"),
        ] {
            for args in [
                &["--color", choice, "users", "list"][..],
                &["--color", choice, "users", "show", "x@example.com"][..],
            ] {
                let (_, out, err) = run(&db, env, args);
                assert!(
                    !out.contains('\u{1b}') && !err.contains('\u{1b}'),
                    "{l} {env:?} {args:?}: {out:?} {err:?}"
                );
            }
        }
    }
}

per_backend! {
    /// Each `-v` level adds something: -v the database and timings, -vv the SQL
    /// statements and transaction boundaries, -vvv each statement's duration — and no
    /// level prints a password or a hash.
    fn verbose_levels_add_detail_and_never_secrets(db) {
        let l = db.label();
        add_user(&db, "ann@example.com");
        // A different name each time, so every run updates.
        let args = |v: &'static str| {
            let name = format!("Ann {v}");
            let name: &'static str = Box::leak(name.into_boxed_str());
            vec![v, "users", "update", "ann@example.com", "--name", name]
        };
        let (_, _, quiet) = run(&db, &[], &args("-q"));
        let (_, _, v1) = run(&db, &[], &args("-v"));
        let (_, _, v2) = run(&db, &[], &args("-vv"));
        let (_, _, v3) = run(&db, &[], &args("-vvv"));
        assert_eq!(quiet, "", "{l}");
        for (text, level) in [(&v1, 1), (&v2, 2), (&v3, 3)] {
            assert!(text.contains("authctl: database "), "{l} -v{level}: {text}");
            assert!(
                text.contains("authctl: connected in "),
                "{l} -v{level}: {text}"
            );
            assert!(
                text.contains("authctl: finished in "),
                "{l} -v{level}: {text}"
            );
        }
        assert!(!v1.contains("sql:"), "{l}: -v shows no SQL: {v1}");
        for text in [&v2, &v3] {
            assert!(text.contains("authctl: sql: UPDATE"), "{l}: {text}");
            assert!(text.contains("authctl: sql: BEGIN"), "{l}: {text}");
            assert!(text.contains("authctl: sql: COMMIT"), "{l}: {text}");
        }
        assert!(!v2.contains("sql: done in"), "{l}: {v2}");
        assert!(v3.contains("sql: done in"), "{l}: {v3}");

        // Secrets: the password and the stored hash never appear.
        let (code, _, v3) = run(
            &db,
            &[("NEWPW", STRONG), ("AUTHCTL_BCRYPT_COST", "10")],
            &[
                "-vvv",
                "users",
                "create",
                "pw@example.com",
                "--password-env",
                "NEWPW",
            ],
        );
        assert_eq!(code, 0, "{l}: {v3}");
        assert!(v3.contains("sql: INSERT"), "{l}: {v3}");
        assert!(!v3.contains(STRONG) && !v3.contains("$2b$"), "{l}: {v3}");
    }
}

/// `users export -` with stdout on a terminal is refused (64: the export holds
/// password hashes); no hash is shown.
#[test]
fn users_export_refuses_to_write_hashes_to_a_terminal() {
    let db = TestDb::sqlite();
    db.migrated();
    add_user(&db, "held@example.com");
    let Some(r) = on_pty(&db, &["users", "export", "--format", "csv", "-"], &[], None) else {
        return;
    };
    assert_eq!(r.code, Some(64), "{:?}", r.shown);
    assert!(r.shown.contains("terminal"), "{:?}", r.shown);
    assert!(!r.shown.contains("$2"), "no hash shown: {:?}", r.shown);
}
