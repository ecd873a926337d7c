//! Bad and hostile input, table-driven, through the real binary on every backend:
//! malformed and hostile emails, unusable passwords from every source, ids,
//! durations, URLs, conflicting flags, prompts without a terminal, unreadable files
//! and broken `.env` files.
//!
//! Every case must exit with the documented code, say on stderr what was wrong
//! (naming the value or flag, never a password), print nothing on stdout, and write
//! nothing: the database is compared with a snapshot after every case. All cases run;
//! the failures are reported together at the end.

mod common;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

use authctl::db::DbConn;
use authctl::repo::{self, IssueToken, NewSession, NewUser};

use crate::common::{self, TestDb, query_strings};

/// A policy-compliant password, in `PW` for every case.
const GOOD: &str = "Pelican orbit 7 marmalade";
/// The password inside the database URLs of the URL cases.
const URL_SECRET: &str = "S3cretPw";
const FAKE_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

/// Where a case points authctl.
#[derive(Clone)]
enum Target {
    /// `--database-url` of the test database.
    Db,
    /// `--database-url` with this value instead.
    Url(String),
    /// No `--database-url` (the case sets the database through variables or files).
    Env,
}

/// One bad invocation and what authctl must answer.
#[derive(Clone)]
struct Case {
    name: String,
    args: Vec<OsString>,
    stdin: Vec<u8>,
    env: Vec<(String, OsString)>,
    expect_code: i32,
    /// Every one of these must be on stderr (`{dir}` is the fixture directory).
    stderr_contains: Vec<String>,
    target: Target,
    /// Run in the fixture directory (where a broken `./.env` may be).
    in_dir: bool,
    /// Must appear nowhere in the output.
    secret: Option<String>,
    /// Independent of the backend: run once, not for every backend.
    once: bool,
}

/// `authctl ARGS…` must exit `code` with every `says` on stderr.
fn case(name: &str, code: i32, args: &[&str], says: &[&str]) -> Case {
    Case {
        name: name.to_owned(),
        args: args.iter().map(OsString::from).collect(),
        stdin: Vec::new(),
        env: vec![("PW".to_owned(), GOOD.into())],
        expect_code: code,
        stderr_contains: says.iter().map(|s| s.to_string()).collect(),
        target: Target::Db,
        in_dir: false,
        secret: None,
        once: false,
    }
}

impl Case {
    fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = bytes.into();
        self
    }
    fn env(mut self, var: &str, value: impl Into<OsString>) -> Self {
        self.env.push((var.to_owned(), value.into()));
        self
    }
    fn secret(mut self, s: &str) -> Self {
        self.secret = Some(s.to_owned());
        self
    }
    /// With `--database-url URL` instead of the test database; backend-independent.
    fn url(mut self, url: &str) -> Self {
        self.target = Target::Url(url.to_owned());
        self.once = true;
        self
    }
    /// Without `--database-url`; backend-independent.
    fn no_url(mut self) -> Self {
        self.target = Target::Env;
        self.once = true;
        self
    }
    fn in_dir(mut self) -> Self {
        self.in_dir = true;
        self
    }
    fn once(mut self) -> Self {
        self.once = true;
        self
    }
    /// Replace the argument at `index` with raw bytes (e.g. invalid UTF-8).
    fn raw_arg(mut self, index: usize, bytes: &[u8]) -> Self {
        self.args[index] = OsString::from_vec(bytes.to_vec());
        self
    }
}

fn non_utf8(prefix: &[u8], rest: &str) -> OsString {
    let mut v = prefix.to_vec();
    v.extend_from_slice(rest.as_bytes());
    OsString::from_vec(v)
}

/// Files the cases read, in the fixture directory.
fn write_fixtures(dir: &Path, long: &str) {
    let files: [(&str, Vec<u8>); 7] = [
        ("pw-empty", Vec::new()),
        ("pw-blank", b"        \n".to_vec()),
        ("pw-long", format!("{long}\n").into_bytes()),
        ("pw-nul", b"Correct\0horse battery\n".to_vec()),
        ("pw-latin1", b"Correct horse \xe9t\xe9\n".to_vec()),
        (
            "unterminated.env",
            format!("DATABASE_URL=x.db\nDB_PASSWORD=\"{URL_SECRET}\nAUTHCTL_ACTOR=a\n")
                .into_bytes(),
        ),
        ("latin1.env", b"AUTHCTL_ACTOR=caf\xe9\n".to_vec()),
    ];
    for (name, content) in files {
        std::fs::write(dir.join(name), content).unwrap();
    }
    std::fs::create_dir_all(dir.join("a-directory")).unwrap();
    std::fs::create_dir_all(dir.join("dotenv")).unwrap();
    std::fs::write(dir.join("dotenv/.env"), "this is = not \"valid\n").unwrap();
}

/// The table. `{dir}` in arguments and expected messages is the fixture directory.
fn cases() -> Vec<Case> {
    let long_pw = "Q".repeat(100_000);
    let long_email = format!("{}@example.com", "a".repeat(290));
    let long_local = format!("{}@example.com", "b".repeat(65));
    let long_label = format!("c@{}.com", "d".repeat(64));
    let create = |email: &str| {
        vec!["users", "create"]
            .into_iter()
            .map(str::to_owned)
            .chain([email.to_owned(), "--password-env".into(), "PW".into()])
            .collect::<Vec<String>>()
    };
    let email_case = |name: &str, email: &str, says: &[&str]| {
        let args = create(email);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        case(name, 65, &args, says)
    };
    let new = ["users", "create", "new@example.com"];
    let with = |extra: &[&str]| -> Vec<String> {
        new.iter().chain(extra).map(|s| s.to_string()).collect()
    };
    let pw_case = |name: &str, code: i32, extra: &[&str], says: &[&str]| {
        let args = with(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        case(name, code, &args, says)
    };
    let stdin = ["--password-stdin"];
    let env2 = ["--password-env", "PW2"];

    vec![
        // ------------------------------------------------------------ emails
        email_case(
            "email: SQL in the local part",
            "a'; DROP TABLE users;--@x.com",
            &["\"a'; DROP TABLE users;--@x.com\"", "whitespace"],
        ),
        email_case(
            "email: SQL after the domain",
            "x@example.com'; DROP TABLE users;--",
            &["invalid email address", "DROP TABLE"],
        ),
        email_case(
            "email: SQL with parentheses, no spaces",
            "robert');DELETE/**/FROM/**/users;--@x.com",
            &["robert');DELETE", "')'"],
        ),
        email_case(
            "email: UNION SELECT",
            "x@x.com'/**/UNION/**/SELECT/**/password_hash/**/FROM/**/users--",
            &["invalid email address"],
        ),
        email_case(
            "email: right-to-left override",
            "\u{202e}moc.elpmaxe@nimda",
            &["\\u{202e}"],
        ),
        email_case(
            "email: zero-width space",
            "ad\u{200b}min@example.com",
            &["\\u{200b}"],
        ),
        email_case(
            "email: fullwidth at sign",
            "admin＠example.com",
            &["no '@'"],
        ),
        email_case(
            "email: ANSI escape",
            "\u{1b}[31mred@example.com",
            &["\\u{1b}", "control"],
        ),
        email_case("email: newline", "a\nb@example.com", &["\\n", "control"]),
        email_case("email: tab", "a\tb@example.com", &["\\t"]),
        email_case("email: 300 characters", &long_email, &["longer than 254"]),
        email_case(
            "email: 65-character local part",
            &long_local,
            &["longer than 64"],
        ),
        email_case(
            "email: 64-character domain label",
            &long_label,
            &["longer than 63"],
        ),
        email_case("email: empty", "", &["\"\"", "empty"]),
        email_case("email: whitespace only", "   \t ", &["empty"]),
        email_case(
            "email: two at signs",
            "a@b@example.com",
            &["more than one '@'"],
        ),
        email_case("email: IP literal", "a@[127.0.0.1]", &["'['"]),
        email_case(
            "email: numeric top-level domain",
            "a@10.0.0.1",
            &["numeric"],
        ),
        email_case("email: dot at the start", ".a@example.com", &["dots"]),
        email_case("email: no domain dot", "a@intranet", &["needs a dot"]),
        case(
            "email: not UTF-8",
            64,
            &["users", "create", "X", "--password-env", "PW"],
            &["invalid UTF-8"],
        )
        .raw_arg(2, b"\xffa@example.com"),
        case(
            "email: SQL in users show",
            65,
            &["users", "show", "x' OR '1'='1@x.com"],
            &["x' OR '1'='1@x.com"],
        ),
        case(
            "email: LIKE wildcard is not a pattern",
            65,
            &["users", "show", "%@example.com"],
            &["no user with email %@example.com"],
        ),
        case(
            "email: LIKE underscore is not a pattern",
            65,
            &["users", "show", "_nn@example.com"],
            &["no user with email _nn@example.com"],
        ),
        case(
            "email: SQL in users update --email",
            65,
            &[
                "users",
                "update",
                "1",
                "--email",
                "a'; DROP TABLE users;--@x.com",
            ],
            &["DROP TABLE users"],
        ),
        case(
            "email: quote and comment in sessions list --user",
            65,
            &["sessions", "list", "--user", "x'--@x.com"],
            &["x'--@x.com"],
        ),
        // ------------------------------------------------------------ passwords
        pw_case("password: stdin empty", 65, &stdin, &["stdin", "empty"]),
        pw_case(
            "password: stdin blank line",
            65,
            &stdin,
            &["password is empty"],
        )
        .stdin("\n"),
        pw_case(
            "password: stdin whitespace only",
            65,
            &stdin,
            &["whitespace"],
        )
        .stdin("          \n"),
        pw_case(
            "password: stdin 100k characters",
            65,
            &stdin,
            &["100000 characters", "1024"],
        )
        .stdin(format!("{long_pw}\n"))
        .secret(&long_pw[..2000]),
        pw_case("password: stdin with NUL", 65, &stdin, &["NUL"])
            .stdin(b"Correct\0horse battery\n".to_vec())
            .secret("horse battery"),
        pw_case(
            "password: stdin not UTF-8",
            65,
            &stdin,
            &["stdin", "not valid UTF-8"],
        )
        .stdin(b"Correct horse \xe9t\xe9\n".to_vec())
        .secret("Correct horse"),
        pw_case(
            "password: file empty",
            65,
            &["--password-file", "{dir}/pw-empty"],
            &["password is empty"],
        ),
        pw_case(
            "password: file whitespace only",
            65,
            &["--password-file", "{dir}/pw-blank"],
            &["whitespace"],
        ),
        pw_case(
            "password: file 100k characters",
            65,
            &["--password-file", "{dir}/pw-long"],
            &["100000 characters"],
        )
        .secret(&long_pw[..2000]),
        pw_case(
            "password: file with NUL",
            65,
            &["--password-file", "{dir}/pw-nul"],
            &["NUL"],
        )
        .secret("horse battery"),
        pw_case(
            "password: file not UTF-8",
            65,
            &["--password-file", "{dir}/pw-latin1"],
            &["{dir}/pw-latin1", "not valid UTF-8"],
        )
        .secret("Correct horse"),
        pw_case(
            "password: file missing",
            66,
            &["--password-file", "{dir}/no-such-file"],
            &["{dir}/no-such-file", "No such file"],
        ),
        pw_case(
            "password: file is a directory",
            66,
            &["--password-file", "{dir}/a-directory"],
            &["{dir}/a-directory", "directory"],
        ),
        pw_case("password: env empty", 65, &env2, &["password is empty"]).env("PW2", ""),
        pw_case("password: env whitespace only", 65, &env2, &["whitespace"])
            .env("PW2", "  \t   \t  "),
        pw_case(
            "password: env 100k characters",
            65,
            &env2,
            &["100000 characters"],
        )
        .env("PW2", long_pw.as_str())
        .secret(&long_pw[..2000]),
        pw_case(
            "password: env not UTF-8",
            65,
            &env2,
            &["PW2", "not valid UTF-8"],
        )
        .env("PW2", non_utf8(b"\xe9\xe9", "Correct horse"))
        .secret("Correct horse"),
        pw_case(
            "password: env variable not set",
            64,
            &["--password-env", "NO_SUCH_VAR"],
            &["NO_SUCH_VAR", "not set"],
        ),
        pw_case(
            "password: env variable name with '='",
            64,
            &["--password-env", "A=B"],
            &["A=B"],
        ),
        pw_case(
            "password: env variable name empty",
            64,
            &["--password-env", ""],
            &["--password-env"],
        ),
        case(
            "password: reset-password with 100k characters",
            65,
            &["users", "reset-password", "1", "--password-stdin"],
            &["100000 characters"],
        )
        .stdin(format!("{long_pw}\n")),
        case(
            "password: reset-password with a missing file",
            66,
            &[
                "users",
                "reset-password",
                "ann@example.com",
                "--password-file",
                "{dir}/nope",
            ],
            &["{dir}/nope"],
        ),
        case(
            "password: reset-password with whitespace from env",
            65,
            &["users", "reset-password", "1", "--password-env", "PW2"],
            &["whitespace"],
        )
        .env("PW2", "    "),
        case(
            "password: reset-password of an unknown user reads no password",
            65,
            &[
                "users",
                "reset-password",
                "nobody@example.com",
                "--password-stdin",
            ],
            &["nobody@example.com"],
        )
        .stdin(format!("{GOOD}\n"))
        .secret(GOOD),
        // ------------------------------------------------------------ conflicting flags
        pw_case(
            "conflict: --password-stdin and --password-env",
            64,
            &["--password-stdin", "--password-env", "PW"],
            &["only one"],
        )
        .stdin(format!("{GOOD}\n")),
        pw_case(
            "conflict: --password-file and --generate-password",
            64,
            &["--password-file", "{dir}/pw-blank", "--generate-password"],
            &["only one"],
        ),
        case(
            "conflict: sessions revoke ID --all",
            64,
            &["sessions", "revoke", "1", "--all"],
            &["--all"],
        ),
        case(
            "conflict: tokens revoke --user and ID",
            64,
            &["tokens", "revoke", "--user", "ann@example.com", "1"],
            &["--user"],
        ),
        case(
            "conflict: users update --name and --clear-name",
            64,
            &["users", "update", "1", "--name", "X", "--clear-name"],
            &["--clear-name"],
        ),
        case(
            "conflict: users list --limit and --all",
            64,
            &["users", "list", "--limit", "5", "--all"],
            &["--all"],
        ),
        case(
            "conflict: purge --only audit without --audit-retention",
            64,
            &["purge-expired", "--only", "audit"],
            &["--audit-retention"],
        ),
        // ------------------------------------------------------------ no terminal
        case(
            "no tty: users create without a password source",
            64,
            &["users", "create", "x@example.com"],
            &["no terminal", "--password-stdin"],
        ),
        case(
            "no tty: users reset-password without a password source",
            64,
            &["users", "reset-password", "1"],
            &["no terminal"],
        ),
        case(
            "no tty: users delete without --yes",
            64,
            &["users", "delete", "1"],
            &["--yes"],
        ),
        case(
            "no tty: sessions revoke --all without --yes",
            64,
            &["sessions", "revoke", "--all"],
            &["--yes"],
        ),
        case(
            "no tty: tokens revoke --all without --yes",
            64,
            &["tokens", "revoke", "--all"],
            &["--yes"],
        ),
        // ------------------------------------------------------------ ids
        case(
            "id: users show 0",
            65,
            &["users", "show", "0"],
            &["\"0\"", "positive"],
        ),
        case(
            "id: users show -- -1",
            65,
            &["users", "show", "--", "-1"],
            &["\"-1\""],
        ),
        case(
            "id: users show -1 (looks like a flag)",
            64,
            &["users", "show", "-1"],
            &["'-1'"],
        ),
        case(
            "id: users show too large",
            65,
            &["users", "show", "99999999999999999999"],
            &["99999999999999999999", "too large"],
        ),
        case(
            "id: users show text",
            65,
            &["users", "show", "abc"],
            &["\"abc\""],
        ),
        case(
            "id: users show unknown",
            65,
            &["users", "show", "987654"],
            &["id 987654"],
        ),
        case(
            "id: users show 1.5",
            65,
            &["users", "show", "1.5"],
            &["\"1.5\""],
        ),
        case(
            "id: users disable i64::MAX (unknown)",
            65,
            &["users", "disable", "9223372036854775807"],
            &["9223372036854775807"],
        ),
        case(
            "id: users delete 0",
            65,
            &["--yes", "users", "delete", "0"],
            &["\"0\""],
        ),
        case(
            "id: sessions revoke -5",
            64,
            &["sessions", "revoke", "-5"],
            &["-5"],
        ),
        case(
            "id: sessions revoke 0",
            64,
            &["sessions", "revoke", "0"],
            &["\"0\""],
        ),
        case(
            "id: sessions revoke i64::MIN",
            64,
            &["sessions", "revoke", "-9223372036854775808"],
            &["-9223372036854775808"],
        ),
        case(
            "id: tokens revoke i64::MAX + 1",
            64,
            &["tokens", "revoke", "9223372036854775808"],
            &["9223372036854775808", "too large"],
        ),
        case(
            "id: tokens revoke text",
            64,
            &["tokens", "revoke", "abc"],
            &["abc"],
        ),
        case(
            "id: sessions revoke hex",
            64,
            &["sessions", "revoke", "0x1"],
            &["0x1"],
        ),
        case(
            "id: sessions revoke unknown",
            65,
            &["sessions", "revoke", "987654"],
            &["987654"],
        ),
        case(
            "id: tokens revoke i64::MAX (unknown)",
            65,
            &["tokens", "revoke", "9223372036854775807"],
            &["9223372036854775807"],
        ),
        case(
            "id: audit list --before 0",
            64,
            &["audit", "list", "--before", "0"],
            &["\"0\""],
        ),
        case(
            "id: users list --after=-1",
            64,
            &["users", "list", "--after=-1"],
            &["-1"],
        ),
        case(
            "id: audit list --user=-3",
            64,
            &["audit", "list", "--user=-3"],
            &["-3"],
        ),
        case(
            "id: users list --limit 0",
            64,
            &["users", "list", "--limit", "0"],
            &["--limit"],
        ),
        case(
            "id: users list --limit 100001",
            64,
            &["users", "list", "--limit", "100001"],
            &["100001"],
        ),
        // ------------------------------------------------------------ durations and times
        case(
            "duration: --since 5x",
            65,
            &["audit", "list", "--since", "5x"],
            &["\"5x\""],
        ),
        case(
            "duration: --since=-1h",
            65,
            &["audit", "list", "--since=-1h"],
            &["\"-1h\""],
        ),
        case(
            "duration: --since too large",
            65,
            &["audit", "list", "--since", "99999999999999d"],
            &["99999999999999d"],
        ),
        case(
            "duration: --since impossible date",
            65,
            &["audit", "list", "--since", "2026-13-45"],
            &["2026-13-45"],
        ),
        case(
            "duration: --created-since tomorrow",
            65,
            &["users", "list", "--created-since", "tomorrow"],
            &["\"tomorrow\""],
        ),
        case(
            "duration: --grace=-1h",
            64,
            &["purge-expired", "--grace=-1h"],
            &["-1h", "--grace"],
        ),
        case(
            "duration: --grace 5x",
            64,
            &["purge-expired", "--grace", "5x"],
            &["5x"],
        ),
        case(
            "duration: --revoked-retention overflow",
            64,
            &["purge-expired", "--revoked-retention", "1000000000000000d"],
            &["1000000000000000d"],
        ),
        case(
            "duration: --sleep forever",
            64,
            &["purge-expired", "--sleep", "forever"],
            &["forever"],
        ),
        case(
            "duration: --connect-timeout soon",
            64,
            &["--connect-timeout", "soon", "users", "list"],
            &["soon"],
        ),
        case(
            "duration: migrate --lock-wait=-5s",
            64,
            &["migrate", "--lock-wait=-5s"],
            &["-5s"],
        ),
        case(
            "duration: AUTHCTL_BUSY_TIMEOUT=5x",
            78,
            &["users", "list"],
            &["AUTHCTL_BUSY_TIMEOUT"],
        )
        .env("AUTHCTL_BUSY_TIMEOUT", "5x"),
        case(
            "duration: AUTHCTL_CONNECT_TIMEOUT=-1s",
            78,
            &["users", "list"],
            &["AUTHCTL_CONNECT_TIMEOUT"],
        )
        .env("AUTHCTL_CONNECT_TIMEOUT", "-1s"),
        case(
            "config: AUTHCTL_PASSWORD_MIN_LENGTH below 8",
            78,
            &["users", "create", "new@example.com", "--password-env", "PW"],
            &["AUTHCTL_PASSWORD_MIN_LENGTH"],
        )
        .env("AUTHCTL_PASSWORD_MIN_LENGTH", "4"),
        case(
            "config: weak AUTHCTL_ARGON2_MEMORY_KIB",
            78,
            &["users", "create", "new@example.com", "--password-env", "PW"],
            &["AUTHCTL_ARGON2_MEMORY_KIB"],
        )
        .env("AUTHCTL_ARGON2_MEMORY_KIB", "1024"),
        case(
            "config: AUTHCTL_ARGON2_ITERATIONS not a number",
            78,
            &["users", "list"],
            &["AUTHCTL_ARGON2_ITERATIONS", "abc"],
        )
        .env("AUTHCTL_ARGON2_ITERATIONS", "abc"),
        // ------------------------------------------------------------ other values
        case(
            "value: display name with an ANSI escape",
            65,
            &[
                "users",
                "create",
                "new@example.com",
                "--password-env",
                "PW",
                "--name",
                "\u{1b}[2Jevil",
            ],
            &["display name", "control"],
        ),
        case(
            "value: display name of 201 characters",
            65,
            &[
                "users",
                "create",
                "new@example.com",
                "--password-env",
                "PW",
                "--name",
                &"n".repeat(201),
            ],
            &["longer than 200"],
        ),
        case(
            "value: display name blank",
            65,
            &["users", "update", "1", "--name", "   "],
            &["display name", "empty"],
        ),
        case(
            "value: empty role",
            65,
            &[
                "users",
                "create",
                "new@example.com",
                "--password-env",
                "PW",
                "--role",
                "",
            ],
            &["invalid role \"\""],
        ),
        case(
            "value: blank disable reason",
            65,
            &["users", "disable", "1", "--reason", "   "],
            &["reason"],
        ),
        case(
            "value: disable reason of 501 characters",
            65,
            &["users", "disable", "1", "--reason", &"r".repeat(501)],
            &["longer than 500"],
        ),
        case(
            "value: disable reason with an ANSI escape",
            65,
            &["users", "disable", "1", "--reason", "ok\u{1b}[2Jgone"],
            &["control characters"],
        ),
        case(
            "value: session revoke reason with a newline",
            65,
            &["sessions", "revoke", "1", "--reason", "line1\nline2"],
            &["control characters"],
        ),
        case(
            "value: token revoke reason of 501 characters",
            65,
            &["tokens", "revoke", "1", "--reason", &"r".repeat(501)],
            &["longer than 500"],
        ),
        case(
            "value: users update with nothing",
            64,
            &["users", "update", "1"],
            &["nothing to change"],
        ),
        case(
            "value: users list --role Admin",
            65,
            &["users", "list", "--role", "Admin"],
            &["\"Admin\""],
        ),
        case(
            "value: users list --status bogus",
            64,
            &["users", "list", "--status", "bogus"],
            &["bogus"],
        ),
        case(
            "value: --output xml",
            64,
            &["-o", "xml", "users", "list"],
            &["xml"],
        ),
        case(
            "value: --color sometimes",
            64,
            &["--color", "sometimes", "users", "list"],
            &["sometimes"],
        ),
        case(
            "value: sessions list --state bogus",
            64,
            &["sessions", "list", "--state", "bogus"],
            &["bogus"],
        ),
        case(
            "value: audit list --user unknown",
            65,
            &["audit", "list", "--user", "nobody@example.com"],
            &["nobody@example.com"],
        ),
        // ------------------------------------------------------------ URLs
        case("url: unknown scheme", 78, &["users", "list"], &["'ftp'"]).url("ftp://h/db"),
        case(
            "url: mysql not supported yet",
            78,
            &["users", "list"],
            &["mysql", "not supported"],
        )
        .url(&format!("mysql://u:{URL_SECRET}@h/db"))
        .secret(URL_SECRET),
        case("url: missing host", 78, &["users", "list"], &["host"])
            .url(&format!("postgres://u:{URL_SECRET}@:5432/db"))
            .secret(URL_SECRET),
        case("url: port 99999", 78, &["users", "list"], &["port"])
            .url(&format!("postgres://u:{URL_SECRET}@127.0.0.1:99999/db"))
            .secret(URL_SECRET),
        case("url: port abc", 78, &["migrate", "status"], &["port"])
            .url(&format!("postgres://u:{URL_SECRET}@127.0.0.1:abc/db"))
            .secret(URL_SECRET),
        case("url: port 0", 78, &["users", "list"], &["port 0"])
            .url(&format!("postgres://u:{URL_SECRET}@127.0.0.1:0/db"))
            .secret(URL_SECRET),
        case(
            "url: unclosed IPv6 bracket",
            78,
            &["users", "list"],
            &["invalid PostgreSQL URL"],
        )
        .url(&format!("postgres://u:{URL_SECRET}@[::1/db"))
        .secret(URL_SECRET),
        case(
            "url: sqlite without a file",
            78,
            &["users", "list"],
            &["names no file"],
        )
        .url("sqlite://"),
        case("url: empty", 78, &["users", "list"], &["empty"]).url(""),
        case(
            "url: bad DATABASE_URL",
            78,
            &["users", "list"],
            &["DATABASE_URL", "'bogus'"],
        )
        .no_url()
        .env("DATABASE_URL", "bogus://x"),
        case(
            "url: DB_PORT out of range",
            78,
            &["users", "list"],
            &["DB_PORT", "99999"],
        )
        .no_url()
        .env("USE_POSTGRES", "true")
        .env("DB_NAME", "auth")
        .env("DB_USER", "app")
        .env("DB_PORT", "99999")
        .env("DB_PASSWORD", URL_SECRET)
        .secret(URL_SECRET),
        case(
            "url: USE_POSTGRES=maybe",
            78,
            &["users", "list"],
            &["USE_POSTGRES", "maybe"],
        )
        .no_url()
        .env("USE_POSTGRES", "maybe"),
        case(
            "url: USE_POSTGRES with a SQLite DATABASE_URL",
            78,
            &["users", "list"],
            &["USE_POSTGRES", "DATABASE_URL"],
        )
        .no_url()
        .env("USE_POSTGRES", "true")
        .env("DATABASE_URL", "sqlite:///nonexistent/x.db"),
        case(
            "url: USE_POSTGRES without DB_NAME",
            78,
            &["users", "list"],
            &["DB_NAME"],
        )
        .no_url()
        .env("USE_POSTGRES", "true")
        .env("DB_USER", "app"),
        // ------------------------------------------------------------ .env files
        case(
            "env file: unterminated quote",
            78,
            &["--env-file", "{dir}/unterminated.env", "users", "list"],
            &["{dir}/unterminated.env", "malformed"],
        )
        .no_url()
        .secret(URL_SECRET),
        case(
            "env file: not UTF-8",
            78,
            &["--env-file", "{dir}/latin1.env", "users", "list"],
            &["{dir}/latin1.env"],
        )
        .no_url(),
        case(
            "env file: a directory",
            78,
            &["--env-file", "{dir}/a-directory", "users", "list"],
            &["{dir}/a-directory"],
        )
        .no_url(),
        case(
            "env file: AUTHCTL_ENV_FILE missing",
            78,
            &["users", "list"],
            &["{dir}/missing.env"],
        )
        .no_url()
        .env("AUTHCTL_ENV_FILE", "{dir}/missing.env"),
        case(
            "env file: broken ./.env",
            78,
            &["users", "list"],
            &[".env", "malformed"],
        )
        .in_dir()
        .once(),
    ]
}

/// A user with two sessions and two tokens (one of each revoked), and a second user.
fn seed(conn: &mut DbConn) {
    for email in ["ann@example.com", "bob@example.com"] {
        let id = NewUser::new(email, FAKE_HASH).insert(conn).unwrap().id;
        for _ in 0..2 {
            repo::login_sessions::create(
                conn,
                &NewSession {
                    user_id: id,
                    ttl: chrono::Duration::hours(1),
                    ip_address: None,
                    user_agent: None,
                },
            )
            .unwrap();
            repo::refresh_tokens::issue(
                conn,
                &IssueToken {
                    user_id: id,
                    ttl: chrono::Duration::hours(1),
                    user_agent: None,
                    ip_address: None,
                },
            )
            .unwrap();
        }
    }
    conn.batch_execute(
        "UPDATE login_sessions SET revoked_at = expires_at, revoked_reason = 'old' WHERE id = 2;
         UPDATE refresh_tokens SET revoked_at = expires_at, revoked_reason = 'old' WHERE id = 2;",
    )
    .unwrap();
}

/// Everything a command could have written: tables, users, credential states and
/// the audit trail.
fn snapshot(db: &TestDb) -> String {
    let tables = if db.is_postgres() {
        "SELECT tablename AS v FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    } else {
        "SELECT name AS v FROM sqlite_master ORDER BY name"
    };
    [
        tables,
        "SELECT CAST(id AS TEXT) || '|' || email || '|' || COALESCE(display_name, '-') || '|' || role || '|' \
           || password_hash || '|' || CAST(is_active AS TEXT) || '|' || CAST(must_change_password AS TEXT) \
           || '|' || CAST(updated_at AS TEXT) AS v FROM users ORDER BY id",
        "SELECT CAST(id AS TEXT) || '|' || COALESCE(CAST(revoked_at AS TEXT), '-') || '|' \
           || COALESCE(revoked_reason, '-') AS v FROM login_sessions ORDER BY id",
        "SELECT CAST(id AS TEXT) || '|' || COALESCE(CAST(revoked_at AS TEXT), '-') || '|' \
           || COALESCE(revoked_reason, '-') AS v FROM refresh_tokens ORDER BY id",
        "SELECT CAST(id AS TEXT) AS v FROM audit_events ORDER BY id",
        "SELECT CAST(version AS TEXT) AS v FROM __diesel_schema_migrations ORDER BY version",
    ]
    .iter()
    .map(|sql| query_strings(db, sql).join("\n"))
    .collect::<Vec<_>>()
    .join("\n--\n")
}

/// Run one case; `Err` describes every way it failed.
fn check(db: &TestDb, dir: &Path, c: &Case) -> Result<(), String> {
    let fill = |s: &str| s.replace("{dir}", &dir.display().to_string());
    let mut cmd = match &c.target {
        Target::Db => db.authctl(),
        Target::Url(url) => {
            let mut cmd = common::authctl();
            cmd.arg("--database-url").arg(url);
            cmd
        }
        Target::Env => common::authctl(),
    };
    if c.in_dir {
        cmd.current_dir(dir.join("dotenv"));
    }
    for a in &c.args {
        match a.to_str() {
            Some(s) => cmd.arg(fill(s)),
            None => cmd.arg(a),
        };
    }
    for (k, v) in &c.env {
        match v.to_str() {
            Some(s) => cmd.env(k, fill(s)),
            None => cmd.env(k, v),
        };
    }
    let out = cmd
        .write_stdin(c.stdin.clone())
        .output()
        .expect("run authctl");
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();
    if code != c.expect_code {
        problems.push(format!("exit {code}, expected {}", c.expect_code));
    }
    for want in &c.stderr_contains {
        if !stderr.contains(&fill(want)) {
            problems.push(format!("stderr lacks {:?}", fill(want)));
        }
    }
    if !stdout.is_empty() {
        problems.push("stdout is not empty".to_owned());
    }
    if let Some(secret) = &c.secret
        && (stdout.contains(secret.as_str()) || stderr.contains(secret.as_str()))
    {
        problems.push("the secret is shown".to_owned());
    }
    if stderr.contains("panicked") {
        problems.push("authctl panicked".to_owned());
    }
    if problems.is_empty() {
        return Ok(());
    }
    let cut = |s: &str| s.chars().take(600).collect::<String>();
    Err(format!(
        "{}\n    stdout: {}\n    stderr: {}",
        problems.join("; "),
        cut(&stdout),
        cut(&stderr)
    ))
}

#[test]
fn bad_input_is_refused_clearly_and_writes_nothing() {
    let cases = cases();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut failures = Vec::new();
    let mut ran = 0;
    for (i, db) in TestDb::all().into_iter().enumerate() {
        let l = db.label();
        seed(&mut db.migrated());
        let dir = tempfile::tempdir().unwrap();
        write_fixtures(dir.path(), &"Q".repeat(100_000));
        let mut before = snapshot(&db);
        for c in cases.iter().filter(|c| i == 0 || !c.once) {
            ran += 1;
            if let Err(e) = check(&db, dir.path(), c) {
                failures.push(format!("[{l}] {}: {e}", c.name));
            }
            let after = snapshot(&db);
            if after != before {
                let gone: Vec<&str> = before.lines().filter(|x| !after.contains(x)).collect();
                let new: Vec<&str> = after.lines().filter(|x| !before.contains(x)).collect();
                failures.push(format!(
                    "[{l}] {}: the database changed: {gone:?} => {new:?}",
                    c.name
                ));
                before = after;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
