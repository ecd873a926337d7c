//! Bad and hostile input, table-driven ([`cases`]): every case exits with its documented
//! code, names the bad value on stderr (never a secret), prints nothing on stdout and
//! leaves every table as its snapshot was ([`check`], [`run_table`]).

use crate::common;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

use authctl::db::{DbConn, RefreshTokenId, SessionId, SessionToken, UserId, UtcDateTime};
use authctl::repo::{self, AuditAction, NewAuditEvent, NewRefreshToken, NewSession, NewUser};

use crate::common::{TestDb, query_strings};

/// A policy-compliant password, in `PW` for every case.
const GOOD: &str = "Pelican orbit 7 marmalade";
/// The password inside the database URLs of the URL cases.
const URL_SECRET: &str = "S3cretPw";
/// A bcrypt-shaped hash (60 characters); no case verifies it.
const FAKE_HASH: &str = "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123456";

/// The seeded rows, with fixed ids so that the cases can name them.
const ANN: &str = "0a0a0a0a-0000-4000-8000-00000000a000";
const BOB: &str = "0b0b0b0b-0000-4000-8000-00000000b000";
/// Ann's active session, and its (secret) session token.
const ANN_SESSION: &str = "5e5e0000-0000-4000-8000-00000000a001";
const ANN_SESSION_TOKEN: &str = "c0ffee00-1111-4222-8333-444455556666";
/// Ann's inactive session, idle for 40 days (purgeable).
const ANN_OLD_SESSION: &str = "5e5e0000-0000-4000-8000-00000000a002";
const BOB_SESSION: &str = "5e5e0000-0000-4000-8000-00000000b001";
/// Ann's active refresh token and its raw value (a bearer secret).
const ANN_TOKEN: &str = "70700000-0000-4000-8000-00000000a001";
const ANN_TOKEN_VALUE: &str = "eyJhbGciOiJIUzI1NiJ9.ann-active-refresh-token.c2lnbmF0dXJl";
/// Ann's token revoked 10 days ago (purgeable), and one that expired yesterday.
const ANN_REVOKED_TOKEN: &str = "70700000-0000-4000-8000-00000000a002";
const ANN_EXPIRED_TOKEN: &str = "70700000-0000-4000-8000-00000000a003";
const BOB_TOKEN: &str = "70700000-0000-4000-8000-00000000b001";
/// A uuid no row has.
const UNKNOWN: &str = "99999999-9999-4999-8999-999999999999";

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

/// A policy-compliant ASCII password of exactly `n` bytes.
fn password_of(n: usize) -> String {
    GOOD.chars().cycle().take(n).collect()
}

/// Files the cases read, in the fixture directory.
fn write_fixtures(dir: &Path, long: &str) {
    let files: [(&str, Vec<u8>); 9] = [
        ("pw-empty", Vec::new()),
        ("pw-blank", b"        \n".to_vec()),
        ("pw-long", format!("{long}\n").into_bytes()),
        ("pw-73", format!("{}\n", password_of(73)).into_bytes()),
        ("pw-nul", b"Correct\0horse battery\n".to_vec()),
        ("pw-latin1", b"Correct horse \xe9t\xe9\n".to_vec()),
        (
            "unterminated.env",
            format!("DATABASE_URL=x.db\nDB_PASSWORD=\"{URL_SECRET}\nAUTHCTL_ACTOR=a\n")
                .into_bytes(),
        ),
        ("latin1.env", b"AUTHCTL_ACTOR=caf\xe9\n".to_vec()),
        ("nul-actor.env", b"AUTHCTL_ACTOR=ops\0evil\n".to_vec()),
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
    let pw73 = password_of(73);
    // 37 characters, 74 bytes: bcrypt's limit is in bytes, not characters.
    let pw_accents = "é".repeat(37);
    let long_email = format!("{}@example.com", "a".repeat(290));
    // 256 characters: one more than the application's varchar(255).
    let email_256 = format!("{}@example.com", "e".repeat(256 - "@example.com".len()));
    let long_name = "n".repeat(256);
    let long_reason = "r".repeat(501);
    let big_token = format!("Zq9leaked{}", "t".repeat(8 * 1024));
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
    let create_pw = ["users", "create", "new@example.com", "--password-env", "PW"];

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
            &["robert');DELETE", "not allowed before '@'"],
        ),
        email_case(
            "email: UNION SELECT",
            "x@x.com'/**/UNION/**/SELECT/**/password_hash/**/FROM/**/users--",
            &["invalid email address", "not allowed in the domain"],
        ),
        email_case(
            "email: right-to-left override",
            "\u{202e}moc.elpmaxe@nimda",
            &["\\u{202e}", "ASCII"],
        ),
        email_case(
            "email: zero-width space",
            "ad\u{200b}min@example.com",
            &["\\u{200b}", "ASCII"],
        ),
        email_case(
            "email: fullwidth at sign",
            "admin＠example.com",
            &["'＠'", "ASCII"],
        ),
        email_case(
            "email: accented local part (the CHECK is ASCII)",
            "élodie@exemple.fr",
            &["élodie@exemple.fr", "ASCII"],
        ),
        email_case(
            "email: accented domain (the CHECK is ASCII)",
            "bob@exämple.com",
            &["'ä'", "ASCII"],
        ),
        email_case(
            "email: ANSI escape",
            "\u{1b}[31mred@example.com",
            &["\\u{1b}", "control"],
        ),
        email_case("email: newline", "a\nb@example.com", &["\\n", "control"]),
        email_case("email: tab", "a\tb@example.com", &["\\t"]),
        email_case(
            "email: DEL character",
            "a\u{7f}b@example.com",
            &["\\u{7f}", "control"],
        ),
        email_case("email: 300 characters", &long_email, &["longer than 255"]),
        email_case(
            "email: 256 characters (one over varchar(255))",
            &email_256,
            &["longer than 255"],
        ),
        email_case(
            "email: '!' in the local part",
            "a!b@example.com",
            &["'!'", "not allowed before '@'"],
        ),
        email_case(
            "email: quote in the local part",
            "o\"neil@example.com",
            &["not allowed before '@'"],
        ),
        email_case(
            "email: underscore in the domain",
            "a@ex_ample.com",
            &["'_'", "domain"],
        ),
        email_case("email: empty", "", &["\"\"", "empty"]),
        email_case("email: whitespace only", "   \t ", &["empty"]),
        email_case("email: no at sign", "plain.example.com", &["no '@'"]),
        email_case(
            "email: nothing before the at sign",
            "@example.com",
            &["before '@' is empty"],
        ),
        email_case(
            "email: nothing after the at sign",
            "a@",
            &["domain is empty"],
        ),
        email_case(
            "email: two at signs",
            "a@b@example.com",
            &["more than one '@'"],
        ),
        email_case("email: IP literal", "a@[127.0.0.1]", &["'['"]),
        email_case(
            "email: numeric top-level domain",
            "a@10.0.0.1",
            &["top-level domain"],
        ),
        email_case(
            "email: one-letter top-level domain",
            "a@example.c",
            &["top-level domain", "2 letters"],
        ),
        email_case(
            "email: digit in the top-level domain",
            "a@example.c0m",
            &["top-level domain"],
        ),
        email_case(
            "email: nothing before the domain's dot",
            "a@.com",
            &["nothing before the domain's last dot"],
        ),
        email_case("email: no domain dot", "a@intranet", &["needs a dot"]),
        email_case("email: localhost", "root@localhost", &["needs a dot"]),
        case(
            "email: not UTF-8",
            64,
            &["users", "create", "X", "--password-env", "PW"],
            &["invalid UTF-8"],
        )
        .raw_arg(2, b"\xffa@example.com"),
        case(
            "email: duplicate of an existing user",
            65,
            &["users", "create", "ann@example.com", "--password-stdin"],
            &["ann@example.com", "already exists", ANN],
        )
        .stdin(format!("{GOOD}\n"))
        .secret(GOOD),
        case(
            "email: duplicate in another letter case",
            65,
            &[
                "users",
                "create",
                "  ANN@Example.COM ",
                "--password-env",
                "PW",
            ],
            &["ann@example.com", "already exists"],
        ),
        case(
            "email: SQL in users show",
            64,
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
                "ann@example.com",
                "--email",
                "a'; DROP TABLE users;--@x.com",
            ],
            &["DROP TABLE users"],
        ),
        case(
            "email: users update --email to another user's address",
            65,
            &["users", "update", ANN, "--email", "Bob@Example.com"],
            &["bob@example.com", "already exists"],
        ),
        case(
            "email: quote and comment in sessions list --user",
            64,
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
            &["longer than 4096 bytes", "1024 characters"],
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
            "password: stdin 73 bytes (bcrypt would ignore the rest)",
            65,
            &stdin,
            &["73 bytes", "72"],
        )
        .stdin(format!("{pw73}\n"))
        .secret(&pw73),
        pw_case(
            "password: stdin 37 characters in 74 bytes",
            65,
            &stdin,
            &["74 bytes", "72"],
        )
        .stdin(format!("{pw_accents}\n"))
        .secret(&pw_accents),
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
            &["longer than 4096 bytes"],
        )
        .secret(&long_pw[..2000]),
        pw_case(
            "password: file 73 bytes",
            65,
            &["--password-file", "{dir}/pw-73"],
            &["73 bytes"],
        )
        .secret(&pw73),
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
            &["--password-file", "No such file"],
        )
        .secret("no-such-file"),
        pw_case(
            "password: file is a directory",
            66,
            &["--password-file", "{dir}/a-directory"],
            &["--password-file", "directory"],
        )
        .secret("a-directory"),
        // A password typed where the path goes is never echoed.
        pw_case(
            "password: a password given as --password-file",
            66,
            &["--password-file", "hunter2!Pass"],
            &["--password-file", "No such file", "not shown"],
        )
        .secret("hunter2"),
        // …nor one given as an extra argument (clap would echo it).
        pw_case(
            "password: a password as an extra argument to users create",
            64,
            &["hunter2!Pass"],
            &[
                "unexpected argument",
                "never go on the command line",
                "--password-stdin",
            ],
        )
        .secret("hunter2")
        .once(),
        case(
            "password: a password as an extra argument to users reset-password",
            64,
            &["users", "reset-password", "ann@example.com", "hunter2!Pass"],
            &["unexpected argument", "never go on the command line"],
        )
        .secret("hunter2")
        .once(),
        pw_case("password: env empty", 65, &env2, &["password is empty"]).env("PW2", ""),
        pw_case("password: env whitespace only", 65, &env2, &["whitespace"])
            .env("PW2", "  \t   \t  "),
        pw_case(
            "password: env 100k characters",
            65,
            &env2,
            &["longer than 4096 bytes"],
        )
        .env("PW2", long_pw.as_str())
        .secret(&long_pw[..2000]),
        pw_case("password: env 73 bytes", 65, &env2, &["73 bytes"])
            .env("PW2", pw73.as_str())
            .secret(&pw73),
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
            "password: env variable name with '=' (not echoed: it could be the password)",
            64,
            &["--password-env", "A=B"],
            &["not shown"],
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
            &["users", "reset-password", ANN, "--password-stdin"],
            &["longer than 4096 bytes"],
        )
        .stdin(format!("{long_pw}\n"))
        .secret(&long_pw[..2000]),
        case(
            "password: reset-password with 73 bytes",
            65,
            &[
                "users",
                "reset-password",
                "ann@example.com",
                "--password-stdin",
            ],
            &["73 bytes"],
        )
        .stdin(format!("{pw73}\n"))
        .secret(&pw73),
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
            &["--password-file", "No such file"],
        )
        .secret("nope"),
        case(
            "password: reset-password with whitespace from env",
            65,
            &["users", "reset-password", BOB, "--password-env", "PW2"],
            &["whitespace"],
        )
        .env("PW2", "    "),
        case(
            "password: reset-password equal to the email",
            65,
            &[
                "users",
                "reset-password",
                "bob@example.com",
                "--password-env",
                "PW2",
            ],
            &["email address"],
        )
        .env("PW2", "Bob@Example.com")
        .secret("Bob@Example.com"),
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
        // ------------------------------------------------------------ hashing settings
        case(
            "config: AUTHCTL_BCRYPT_COST=9 (below the application's 10)",
            78,
            &create_pw,
            &["AUTHCTL_BCRYPT_COST", "cost 9"],
        )
        .env("AUTHCTL_BCRYPT_COST", "9"),
        case(
            "config: AUTHCTL_BCRYPT_COST=16",
            78,
            &["users", "list"],
            &["AUTHCTL_BCRYPT_COST", "cost 16"],
        )
        .env("AUTHCTL_BCRYPT_COST", "16"),
        case(
            "config: AUTHCTL_BCRYPT_COST not a number",
            78,
            &["users", "reset-password", ANN, "--password-env", "PW"],
            &["AUTHCTL_BCRYPT_COST", "twelve"],
        )
        .env("AUTHCTL_BCRYPT_COST", "twelve"),
        case(
            "config: AUTHCTL_PASSWORD_HASH=md5",
            78,
            &create_pw,
            &["AUTHCTL_PASSWORD_HASH", "md5", "bcrypt or argon2id"],
        )
        .env("AUTHCTL_PASSWORD_HASH", "md5"),
        case(
            "config: AUTHCTL_PASSWORD_MIN_LENGTH below 8",
            78,
            &create_pw,
            &["AUTHCTL_PASSWORD_MIN_LENGTH"],
        )
        .env("AUTHCTL_PASSWORD_MIN_LENGTH", "4"),
        case(
            "config: weak AUTHCTL_ARGON2_MEMORY_KIB",
            78,
            &create_pw,
            &["AUTHCTL_ARGON2_MEMORY_KIB"],
        )
        .env("AUTHCTL_PASSWORD_HASH", "argon2id")
        .env("AUTHCTL_ARGON2_MEMORY_KIB", "1024"),
        case(
            "config: AUTHCTL_ARGON2_ITERATIONS not a number",
            78,
            &["users", "list"],
            &["AUTHCTL_ARGON2_ITERATIONS", "abc"],
        )
        .env("AUTHCTL_PASSWORD_HASH", "argon2id")
        .env("AUTHCTL_ARGON2_ITERATIONS", "abc"),
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
            "conflict: sessions revoke ID --all-active",
            64,
            &["sessions", "revoke", ANN_SESSION, "--all-active"],
            &["--all-active"],
        ),
        case(
            "conflict: tokens revoke --user and ID",
            64,
            &["tokens", "revoke", "--user", "ann@example.com", ANN_TOKEN],
            &["--user"],
        ),
        case(
            "conflict: tokens revoke --token-stdin and --all-active",
            64,
            &["tokens", "revoke", "--token-stdin", "--all-active"],
            &["--token-stdin"],
        )
        .stdin(format!("{ANN_TOKEN_VALUE}\n"))
        .secret(ANN_TOKEN_VALUE),
        case(
            "conflict: sessions revoke with no target",
            64,
            &["sessions", "revoke"],
            &["--all-active"],
        ),
        case(
            "conflict: users update --name and --clear-name",
            64,
            &["users", "update", ANN, "--name", "X", "--clear-name"],
            &["--clear-name"],
        ),
        case(
            "conflict: users update --verified and --unverified",
            64,
            &["users", "update", ANN, "--verified", "--unverified"],
            &["--unverified"],
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
        case(
            "conflict: purge --only attempts,audit without --audit-retention",
            64,
            &["purge-expired", "--only", "attempts,audit"],
            &["--audit-retention"],
        ),
        case(
            "conflict: migrate --check and --dry-run",
            64,
            &["migrate", "--check", "--dry-run"],
            &["--dry-run"],
        ),
        case(
            "conflict: migrate --strict without --check-production",
            64,
            &["migrate", "--strict"],
            &["--check-production"],
        ),
        case(
            "conflict: migrate revert --steps and --all",
            64,
            &["--yes", "migrate", "revert", "--steps", "1", "--all"],
            &["--all"],
        ),
        // ------------------------------------------------------------ removed features
        case(
            "removed: users unlock",
            64,
            &["users", "unlock", "ann@example.com"],
            &["unlock"],
        ),
        case(
            "removed: users create --must-change-password",
            64,
            &[
                "users",
                "create",
                "new@example.com",
                "--password-env",
                "PW",
                "--must-change-password",
            ],
            &["--must-change-password"],
        ),
        case(
            "removed: users list --status locked",
            64,
            &["users", "list", "--status", "locked"],
            &["locked"],
        ),
        case(
            "removed: tokens revoke --all (now --all-active)",
            64,
            &["--yes", "tokens", "revoke", "--all"],
            &["--all"],
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
            &["users", "reset-password", ANN],
            &["no terminal"],
        ),
        case(
            "no tty: users delete without --yes",
            64,
            &["users", "delete", "ann@example.com"],
            &["--yes"],
        ),
        case(
            "no tty: sessions revoke --all-active without --yes",
            64,
            &["sessions", "revoke", "--all-active"],
            &["--yes"],
        ),
        case(
            "no tty: tokens revoke --all-active without --yes",
            64,
            &["tokens", "revoke", "--all-active"],
            &["--yes"],
        ),
        case(
            "no tty: migrate revert without --yes",
            64,
            &["migrate", "revert"],
            &["--yes"],
        ),
        // ------------------------------------------------------------ migrations
        case(
            "migrate: revert of an application step without --destroy-data",
            64,
            &["--yes", "migrate", "revert", "--steps", "3"],
            &[
                "--destroy-data",
                "008_create_login_sessions_table",
                "login_sessions",
            ],
        ),
        case(
            "migrate: revert --all without --destroy-data",
            64,
            &["--yes", "migrate", "revert", "--all"],
            &["--destroy-data", "Nothing was reverted"],
        ),
        case(
            "migrate: revert --steps 0",
            64,
            &["--yes", "migrate", "revert", "--steps", "0"],
            &["0"],
        ),
        case(
            "migrate: revert --steps=-1",
            64,
            &["--yes", "migrate", "revert", "--steps=-1"],
            &["-1"],
        ),
        case(
            "migrate: status with --check",
            64,
            &["migrate", "--check", "status"],
            &["status"],
        ),
        // ------------------------------------------------------------ user ids
        case(
            "id: users show 0 (integer ids are gone)",
            64,
            &["users", "show", "0"],
            &["\"0\"", "neither a user id (uuid) nor an email address"],
        ),
        case(
            "id: users show 1",
            64,
            &["users", "show", "1"],
            &["\"1\"", "neither a user id (uuid) nor an email address"],
        ),
        case(
            "id: users show -- -1",
            64,
            &["users", "show", "--", "-1"],
            &["\"-1\"", "neither a user id"],
        ),
        case(
            "id: users show -1 (looks like a flag)",
            64,
            &["users", "show", "-1"],
            &["'-1'"],
        ),
        case(
            "id: users show 99999999999999999999",
            64,
            &["users", "show", "99999999999999999999"],
            &["99999999999999999999", "neither a user id"],
        ),
        case(
            "id: users show text",
            64,
            &["users", "show", "abc"],
            &["\"abc\"", "neither a user id"],
        ),
        case(
            "id: users show 1.5",
            64,
            &["users", "show", "1.5"],
            &["\"1.5\""],
        ),
        case(
            "id: users show a uuid one digit short",
            64,
            &["users", "show", "0a0a0a0a-0000-4000-8000-00000000a00"],
            &["0a0a0a0a-0000-4000-8000-00000000a00", "neither a user id"],
        ),
        case(
            "id: users show a uuid with a non-hex digit",
            64,
            &["users", "show", "0a0a0a0a-0000-4000-8000-00000000a00g"],
            &["00000000a00g"],
        ),
        case(
            "id: users show an unknown uuid",
            65,
            &["users", "show", UNKNOWN],
            &["no user with id", UNKNOWN],
        ),
        case(
            "id: users show a session id (not a user)",
            65,
            &["users", "show", ANN_SESSION],
            &["no user with id", ANN_SESSION],
        ),
        case(
            "id: users disable an unknown uuid",
            65,
            &["users", "disable", UNKNOWN],
            &[UNKNOWN],
        ),
        case(
            "id: users enable an unknown uuid",
            65,
            &["users", "enable", UNKNOWN],
            &[UNKNOWN],
        ),
        case(
            "id: users delete 0",
            64,
            &["--yes", "users", "delete", "0"],
            &["\"0\""],
        ),
        case(
            "id: users delete an unknown email",
            65,
            &["--yes", "users", "delete", "nobody@example.com"],
            &["no user with email nobody@example.com"],
        ),
        case(
            "id: users update i64::MAX",
            64,
            &["users", "update", "9223372036854775807", "--name", "X"],
            &["9223372036854775807"],
        ),
        // ------------------------------------------------------------ session and token ids
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
            &["\"0\"", "uuid"],
        ),
        case(
            "id: sessions revoke i64::MIN",
            64,
            &["sessions", "revoke", "-9223372036854775808"],
            &["'-9'", "-- -9"],
        ),
        case(
            "id: tokens revoke i64::MAX + 1",
            64,
            &["tokens", "revoke", "9223372036854775808"],
            &["9223372036854775808", "not a valid id"],
        ),
        case(
            "id: tokens revoke text",
            64,
            &["tokens", "revoke", "abc"],
            &["abc", "uuid"],
        ),
        case(
            "id: sessions revoke hex",
            64,
            &["sessions", "revoke", "0x1"],
            &["0x1"],
        ),
        case(
            "id: sessions revoke unknown uuid",
            65,
            &["sessions", "revoke", UNKNOWN],
            &[UNKNOWN, "nothing was revoked"],
        ),
        case(
            "id: tokens revoke unknown uuid",
            65,
            &["tokens", "revoke", UNKNOWN],
            &[UNKNOWN, "nothing was revoked"],
        ),
        case(
            "id: sessions revoke a known and an unknown id revokes neither",
            65,
            &["sessions", "revoke", ANN_SESSION, UNKNOWN],
            &[UNKNOWN, "nothing was revoked"],
        ),
        case(
            "id: tokens revoke a known and an unknown id revokes neither",
            65,
            &["tokens", "revoke", BOB_TOKEN, ANN_TOKEN, UNKNOWN],
            &[UNKNOWN, "nothing was revoked"],
        ),
        case(
            "id: tokens revoke a session id",
            65,
            &["tokens", "revoke", ANN_SESSION],
            &[ANN_SESSION],
        ),
        case(
            "id: sessions revoke a token id",
            65,
            &["sessions", "revoke", BOB_TOKEN],
            &[BOB_TOKEN],
        ),
        case(
            "id: tokens revoke --user with an unknown email",
            65,
            &["tokens", "revoke", "--user", "nobody@example.com"],
            &["no user with email nobody@example.com"],
        ),
        case(
            "id: sessions revoke --user with an unknown uuid",
            65,
            &["sessions", "revoke", "--user", UNKNOWN],
            &["no user with id", UNKNOWN],
        ),
        case(
            "id: tokens list --user 42",
            64,
            &["tokens", "list", "--user", "42"],
            &["\"42\"", "neither a user id"],
        ),
        case(
            "id: sessions list --after 0",
            64,
            &["sessions", "list", "--after", "0"],
            &["\"0\""],
        ),
        case(
            "id: tokens list --after an unknown uuid",
            65,
            &["tokens", "list", "--after", UNKNOWN],
            &["--after", UNKNOWN],
        ),
        case(
            "id: users list --after not an email",
            64,
            &["users", "list", "--after", "not an email"],
            &["--after", "\"not an email\"", "invalid email address"],
        ),
        case(
            "id: users list --after an address without a domain",
            64,
            &["users", "list", "--after", "bob@"],
            &["--after", "\"bob@\""],
        ),
        case(
            "id: audit list --before 0",
            64,
            &["audit", "list", "--before", "0"],
            &["\"0\""],
        ),
        case(
            "id: audit list --user=-3",
            64,
            &["audit", "list", "--user=-3"],
            &["-3"],
        ),
        case(
            "id: audit list --user not an email",
            64,
            &["audit", "list", "--user", "nobody"],
            &["\"nobody\""],
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
        case(
            "id: sessions list --limit=-1",
            64,
            &["sessions", "list", "--limit=-1"],
            &["-1"],
        ),
        // ------------------------------------------------------------ piped tokens
        case(
            "token: --token-stdin empty",
            65,
            &["tokens", "revoke", "--token-stdin"],
            &["empty"],
        ),
        case(
            "token: --token-stdin a blank line",
            65,
            &["tokens", "revoke", "--token-stdin"],
            &["empty"],
        )
        .stdin("\n"),
        case(
            "token: --token-stdin CRLF only",
            65,
            &["sessions", "revoke", "--token-stdin"],
            &["empty"],
        )
        .stdin("\r\n"),
        case(
            "token: --token-stdin over 8 KiB",
            65,
            &["tokens", "revoke", "--token-stdin"],
            &["8 KiB"],
        )
        .stdin(big_token.clone())
        .secret(&big_token[..64]),
        case(
            "token: --token-stdin not UTF-8",
            65,
            &["tokens", "revoke", "--token-stdin"],
            &["UTF-8"],
        )
        .stdin(b"Zq9leaked\xff\xfe-token-value-0123456789abcdef\n".to_vec())
        .secret("-token-value-0123456789abcdef"),
        case(
            "token: --token-stdin unknown token",
            65,
            &["tokens", "revoke", "--token-stdin"],
            &["no refresh token or session matches", "fingerprint sha256:"],
        )
        .stdin("eyJhbGciOiJIUzI1NiJ9.Zq9-unknown-refresh-token.c2ln\n")
        .secret("Zq9-unknown-refresh-token"),
        case(
            "token: --token-stdin is not trimmed (trailing space)",
            65,
            &["tokens", "revoke", "--token-stdin"],
            &["no refresh token or session matches"],
        )
        .stdin(format!("{ANN_TOKEN_VALUE} \n"))
        .secret(ANN_TOKEN_VALUE),
        case(
            "token: --token-stdin strips one newline only",
            65,
            &["tokens", "revoke", "--token-stdin"],
            &["control characters"],
        )
        .stdin(format!("{ANN_TOKEN_VALUE}\n\n"))
        .secret(ANN_TOKEN_VALUE),
        case(
            "token: unknown session token",
            65,
            &["sessions", "revoke", "--token-stdin"],
            &["no refresh token or session matches"],
        )
        .stdin("c0ffee00-1111-4222-8333-999999999999\n")
        .secret("c0ffee00-1111-4222-8333-999999999999"),
        case(
            "token: --token-stdin with a control character in --reason",
            65,
            &["tokens", "revoke", "--token-stdin", "--reason", "x\u{7}y"],
            &["control characters"],
        )
        .stdin(format!("{ANN_TOKEN_VALUE}\n"))
        .secret(ANN_TOKEN_VALUE),
        // ------------------------------------------------------------ durations and times
        case(
            "duration: --since 5x",
            64,
            &["audit", "list", "--since", "5x"],
            &["\"5x\""],
        ),
        case(
            "duration: --since=-1h",
            64,
            &["audit", "list", "--since=-1h"],
            &["\"-1h\""],
        ),
        case(
            "duration: --since too large",
            64,
            &["audit", "list", "--since", "99999999999999d"],
            &["99999999999999d"],
        ),
        case(
            "duration: --since impossible date",
            64,
            &["audit", "list", "--since", "2026-13-45"],
            &["2026-13-45"],
        ),
        case(
            "duration: --created-since tomorrow",
            64,
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
            "duration: --revoked-retention seven days",
            64,
            &["purge-expired", "--revoked-retention", "seven days"],
            &["seven days", "--revoked-retention"],
        ),
        case(
            "duration: --inactive-retention=-30d",
            64,
            &["purge-expired", "--inactive-retention=-30d"],
            &["-30d", "--inactive-retention"],
        ),
        case(
            "duration: --attempts-retention 30x with --only attempts",
            64,
            &[
                "purge-expired",
                "--only",
                "attempts",
                "--attempts-retention",
                "30x",
            ],
            &["30x", "--attempts-retention"],
        ),
        case(
            "duration: --audit-retention forever",
            64,
            &[
                "purge-expired",
                "--only",
                "audit",
                "--audit-retention",
                "forever",
            ],
            &["forever", "--audit-retention"],
        ),
        case(
            "duration: --sleep forever",
            64,
            &["purge-expired", "--sleep", "forever"],
            &["forever"],
        ),
        case(
            "duration: --statement-timeout 5q",
            64,
            &["purge-expired", "--statement-timeout", "5q"],
            &["5q"],
        ),
        case(
            "duration: --wait=soon",
            64,
            &["purge-expired", "--wait=soon"],
            &["soon"],
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
            "duration: AUTHCTL_LOCK_TIMEOUT=later",
            78,
            &["purge-expired"],
            &["AUTHCTL_LOCK_TIMEOUT", "later"],
        )
        .env("AUTHCTL_LOCK_TIMEOUT", "later"),
        case(
            "duration: AUTHCTL_MIGRATE_LOCK_WAIT=2 fortnights",
            78,
            &["migrate"],
            &["AUTHCTL_MIGRATE_LOCK_WAIT"],
        )
        .env("AUTHCTL_MIGRATE_LOCK_WAIT", "2 fortnights"),
        // ------------------------------------------------------------ purge options
        case(
            "purge: --only attempt (typo)",
            64,
            &["purge-expired", "--only", "attempt"],
            &["attempt"],
        ),
        case(
            "purge: --only tokens,bogus",
            64,
            &["purge-expired", "--only", "tokens,bogus"],
            &["bogus"],
        ),
        case(
            "purge: --only lockouts (removed)",
            64,
            &["purge-expired", "--only", "lockouts"],
            &["lockouts"],
        ),
        case(
            "purge: --batch-size 0",
            64,
            &["purge-expired", "--batch-size", "0"],
            &["--batch-size"],
        ),
        case(
            "purge: --max-rows 0",
            64,
            &["purge-expired", "--max-rows", "0"],
            &["--max-rows"],
        ),
        case(
            "purge: --strategy bogus",
            64,
            &["purge-expired", "--strategy", "bogus"],
            &["bogus"],
        ),
        // ------------------------------------------------------------ other values
        case(
            "value: name with an ANSI escape",
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
            &["invalid name", "control"],
        ),
        case(
            "value: name of 256 characters",
            65,
            &[
                "users",
                "create",
                "new@example.com",
                "--password-env",
                "PW",
                "--name",
                &long_name,
            ],
            &["longer than 255"],
        ),
        case(
            "value: name blank",
            65,
            &["users", "update", ANN, "--name", "   "],
            &["invalid name", "empty"],
        ),
        case(
            "value: name with a newline on update",
            65,
            &["users", "update", "bob@example.com", "--name", "Bob\nSmith"],
            &["name", "control characters"],
        ),
        case(
            "value: name with a right-to-left override",
            65,
            &[
                "users",
                "update",
                "bob@example.com",
                "--name",
                "Bob\u{202e}gnp.exe",
            ],
            &["name", "bidirectional controls"],
        ),
        case(
            "value: disable --reason with a bidi isolate",
            65,
            &[
                "users",
                "disable",
                "bob@example.com",
                "--reason",
                "r\u{2067}x",
            ],
            &["reason", "bidirectional controls"],
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
            "value: role superuser",
            65,
            &[
                "users",
                "create",
                "new@example.com",
                "--password-env",
                "PW",
                "--role",
                "superuser",
            ],
            &["\"superuser\"", "user, admin, premium"],
        ),
        case(
            "value: role Admin (roles are case-sensitive)",
            65,
            &["users", "update", ANN, "--role", "Admin"],
            &["\"Admin\"", "user, admin, premium"],
        ),
        case(
            "value: role moderator on update",
            65,
            &["users", "update", "bob@example.com", "--role", "moderator"],
            &["\"moderator\""],
        ),
        case(
            "value: blank disable reason",
            65,
            &["users", "disable", ANN, "--reason", "   "],
            &["reason"],
        ),
        case(
            "value: disable reason of 501 characters",
            65,
            &["users", "disable", ANN, "--reason", &long_reason],
            &["longer than 500"],
        ),
        case(
            "value: disable reason with an ANSI escape",
            65,
            &["users", "disable", ANN, "--reason", "ok\u{1b}[2Jgone"],
            &["control characters"],
        ),
        case(
            "value: session revoke reason with a newline",
            65,
            &[
                "sessions",
                "revoke",
                ANN_SESSION,
                "--reason",
                "line1\nline2",
            ],
            &["control characters"],
        ),
        case(
            "value: token revoke reason of 501 characters",
            65,
            &["tokens", "revoke", ANN_TOKEN, "--reason", &long_reason],
            &["longer than 500"],
        ),
        case(
            "value: revoke reason not UTF-8",
            64,
            &["tokens", "revoke", ANN_TOKEN, "--reason", "X"],
            &["invalid UTF-8"],
        )
        .raw_arg(4, b"caf\xe9"),
        case(
            "value: users update with nothing",
            64,
            &["users", "update", ANN],
            &["nothing to change"],
        ),
        case(
            "value: users list --role Admin",
            64,
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
            "value: audit list --action user.unlock (removed)",
            64,
            &["audit", "list", "--action", "user.unlock"],
            &["user.unlock"],
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
            "url: USE_POSTGRES=1 (the application wants exactly true)",
            78,
            &["users", "list"],
            &["USE_POSTGRES", "\"1\"", "exactly"],
        )
        .no_url()
        .env("USE_POSTGRES", "1"),
        case(
            "url: USE_POSTGRES=TRUE (the application wants exactly true)",
            78,
            &["users", "list"],
            &["USE_POSTGRES", "\"TRUE\"", "exactly"],
        )
        .no_url()
        .env("USE_POSTGRES", "TRUE")
        .env("DB_PASSWORD", URL_SECRET)
        .secret(URL_SECRET),
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
            "url: USE_POSTGRES with DB_PORT=0",
            78,
            &["users", "list"],
            &["DB_PORT", "\"0\""],
        )
        .no_url()
        .env("USE_POSTGRES", "true")
        .env("DB_PORT", "0")
        .env("DB_PASSWORD", URL_SECRET)
        .secret(URL_SECRET),
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

fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

/// Two users; Ann with an active and a long-idle inactive session, an active, a
/// long-revoked and an expired refresh token; Bob with an active session and token;
/// an old and a fresh auth attempt; an old and a fresh audit event. Every
/// purgeable row is one a wrongly-run purge would delete.
fn seed(db: &TestDb, conn: &mut DbConn) {
    let now = UtcDateTime::now();
    let days = chrono::Duration::days;
    for (uid, email) in [(ANN, "ann@example.com"), (BOB, "bob@example.com")] {
        let mut u = NewUser::new(email, FAKE_HASH);
        u.id = id::<UserId>(uid);
        u.name = Some("Seeded User");
        u.insert(conn).unwrap();
    }
    let session = |sid: &str, uid: &str, token: SessionToken, active: bool, idle_days: i64| {
        let mut s = NewSession::new(id::<UserId>(uid), chrono::Duration::hours(1));
        s.session_id = id::<SessionId>(sid);
        s.session_token = token;
        s.is_active = active;
        s.created_at = now - days(idle_days + 1);
        s.last_activity_at = now - days(idle_days);
        s.user_agent = Some("Mozilla/5.0 (seed)");
        s.ip_address = Some("192.0.2.10".parse().unwrap());
        s
    };
    for s in [
        session(ANN_SESSION, ANN, id(ANN_SESSION_TOKEN), true, 0),
        session(ANN_OLD_SESSION, ANN, SessionToken::new_v4(), false, 40),
        session(BOB_SESSION, BOB, SessionToken::new_v4(), true, 0),
    ] {
        repo::login_sessions::create(conn, &s).unwrap();
    }
    let token = |tid: &str, uid: &str, value: &'static str, expires: UtcDateTime| {
        let mut t = NewRefreshToken::new(id::<UserId>(uid), value, expires);
        t.id = id::<RefreshTokenId>(tid);
        t.created_at = now - days(20);
        t.ip_address = Some("2001:db8::1".parse().unwrap());
        t
    };
    for t in [
        token(ANN_TOKEN, ANN, ANN_TOKEN_VALUE, now + days(7)),
        token(
            ANN_REVOKED_TOKEN,
            ANN,
            "eyJhbGciOiJIUzI1NiJ9.ann-revoked-refresh-token.c2lnbmF0dXJl",
            now + days(7),
        ),
        token(
            ANN_EXPIRED_TOKEN,
            ANN,
            "eyJhbGciOiJIUzI1NiJ9.ann-expired-refresh-token.c2lnbmF0dXJl",
            now - days(1),
        ),
        token(
            BOB_TOKEN,
            BOB,
            "eyJhbGciOiJIUzI1NiJ9.bob-active-refresh-token.c2lnbmF0dXJl",
            now + days(7),
        ),
    ] {
        repo::refresh_tokens::create(conn, &t).unwrap();
    }
    let revoked = repo::refresh_tokens::revoke_ids(
        conn,
        &[id::<RefreshTokenId>(ANN_REVOKED_TOKEN)],
        now - days(10),
    )
    .unwrap();
    assert_eq!(revoked, 1);
    for action in [AuditAction::UserCreate, AuditAction::UserUpdate] {
        NewAuditEvent {
            actor: "seed",
            action,
            user_id: Some(id(ANN)),
            user_email: Some("ann@example.com"),
            detail: Some(serde_json::json!({ "seed": true })),
        }
        .append(conn)
        .unwrap();
    }
    // One SQL text for both backends: uuid and inet from string literals, the
    // canonical UTC text that SQLite's CHECK wants and PostgreSQL reads.
    let old = "2020-01-01 00:00:00.000000";
    db.exec(&format!(
        "INSERT INTO auth_attempts (id, user_id, email, ip_address, failure_reason, \"timestamp\")
             VALUES ('a77e0000-0000-4000-8000-000000000001', '{ANN}', 'ann@example.com',
                     '198.51.100.7', 'invalid password', '{old}');
         INSERT INTO auth_attempts (id, email, ip_address, attempt_type)
             VALUES ('a77e0000-0000-4000-8000-000000000002', 'bob@example.com',
                     '198.51.100.8', 'register');
         UPDATE authctl_audit_events SET occurred_at = '{old}'
             WHERE id = (SELECT min(id) FROM authctl_audit_events);"
    ));
}

/// Everything a command could have written: the table list, every column of the
/// application's tables, authctl's audit trail and the migration ledgers.
fn snapshot(db: &TestDb) -> String {
    let tables = if db.is_postgres() {
        "SELECT CAST(tablename AS TEXT) AS v FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    } else {
        "SELECT name AS v FROM sqlite_master ORDER BY name"
    };
    // NULL-safe text of a column.
    let t = |col: &str| format!("COALESCE(CAST({col} AS TEXT), '-')");
    let row = |cols: &[&str]| {
        cols.iter()
            .map(|c| t(c))
            .collect::<Vec<_>>()
            .join(" || '|' || ")
    };
    let queries = [
        tables.to_owned(),
        format!(
            "SELECT {} AS v FROM users ORDER BY email",
            row(&[
                "id",
                "email",
                "password_hash",
                "name",
                "role",
                "created_at",
                "updated_at",
                "last_login",
                "email_verified",
                "email_verified_at",
                "reset_token",
                "reset_token_expires",
            ])
        ),
        format!(
            "SELECT {} AS v FROM refresh_tokens ORDER BY id",
            row(&[
                "id",
                "user_id",
                "token",
                "expires_at",
                "created_at",
                "revoked_at",
                "is_revoked",
                "user_agent",
                "ip_address",
            ])
        ),
        format!(
            "SELECT {} AS v FROM login_sessions ORDER BY session_id",
            row(&[
                "session_id",
                "user_id",
                "session_token",
                "ip_address",
                "user_agent",
                "created_at",
                "expires_at",
                "last_activity_at",
                "is_active",
            ])
        ),
        format!(
            "SELECT {} AS v FROM auth_attempts ORDER BY id",
            row(&[
                "id",
                "user_id",
                "email",
                "ip_address",
                "user_agent",
                "success",
                "failure_reason",
                "\"timestamp\"",
                "attempt_type",
            ])
        ),
        "SELECT 'device_fingerprints ' || CAST(count(*) AS TEXT) AS v FROM device_fingerprints"
            .to_owned(),
        format!(
            "SELECT {} AS v FROM authctl_audit_events ORDER BY id",
            row(&[
                "id",
                "occurred_at",
                "actor",
                "action",
                "user_id",
                "user_email",
                "detail",
            ])
        ),
        format!(
            "SELECT {} AS v FROM schema_migrations ORDER BY version",
            row(&["version", "executed_at"])
        ),
        "SELECT CAST(version AS TEXT) AS v FROM __diesel_schema_migrations ORDER BY version"
            .to_owned(),
        format!(
            "SELECT {} AS v FROM __authctl_migration_checksums ORDER BY version",
            row(&["version", "checksum"])
        ),
        format!(
            "SELECT {} AS v FROM __authctl_app_steps ORDER BY version",
            row(&["version", "origin"])
        ),
    ];
    queries
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

/// Run `cases` on `db`, seeded once (the backend-independent ones on SQLite only);
/// panic with every failure (wrong code, missing message, output on stdout, a shown
/// secret, a panic, a changed database).
fn run_table(db: &TestDb, cases: &[Case]) {
    let mut names = std::collections::HashSet::new();
    for c in cases {
        assert!(names.insert(&c.name), "duplicate case name {:?}", c.name);
    }
    let mut failures = Vec::new();
    let mut ran = 0;
    let l = db.label();
    seed(db, &mut db.migrated());
    let dir = tempfile::tempdir().unwrap();
    write_fixtures(dir.path(), &"Q".repeat(100_000));
    let mut before = snapshot(db);
    // The snapshot must see the seed, or "unchanged" proves nothing.
    for needle in [
        ANN,
        ANN_TOKEN_VALUE,
        ANN_SESSION_TOKEN,
        "a77e0000-0000-4000-8000-000000000001",
        "user.update",
        "008_create_login_sessions_table",
        "20261129000001",
        "login_sessions",
    ] {
        assert!(
            before.contains(needle),
            "[{l}] snapshot lacks {needle}:\n{before}"
        );
    }
    for c in cases.iter().filter(|c| !(c.once && db.is_postgres())) {
        ran += 1;
        if let Err(e) = check(db, dir.path(), c) {
            failures.push(format!("[{l}] {}: {e}", c.name));
        }
        let after = snapshot(db);
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
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

per_backend! {
    fn bad_input_is_refused_clearly_and_writes_nothing(db) {
        let cases = cases();
        // The table had 135 cases before the move to the application's schema.
        assert!(cases.len() >= 135, "{} cases", cases.len());
        run_table(&db, &cases);
    }
}

// ---------------------------------------------------------------------------------
// Bad input at the edges: values that overflow a date or a database type, NUL
// bytes, endless inputs.

per_backend! {
    /// Durations within chrono's range but beyond what a date can hold make
    /// `now - duration` overflow: purge must refuse them as usage errors, not panic.
    fn huge_purge_durations_are_refused_not_panicking(db) {
        let flag = |f: &str| {
            case(
                &format!("purge {f} 100000000d"),
                64,
                &[
                    "purge-expired",
                    "--only",
                    "tokens,sessions,attempts,audit",
                    "--audit-retention",
                    "7d",
                    f,
                    "100000000d",
                ],
                &["100000000d", f],
            )
        };
        run_table(&db, &[
            flag("--grace"),
            flag("--revoked-retention"),
            flag("--inactive-retention"),
            flag("--attempts-retention"),
            case(
                "purge --audit-retention 100000000d",
                64,
                &[
                    "purge-expired",
                    "--only",
                    "audit",
                    "--audit-retention",
                    "100000000d",
                ],
                &["100000000d", "--audit-retention"],
            ),
            case(
                "purge --dry-run --grace 100000000d",
                64,
                &["purge-expired", "--dry-run", "--grace", "100000000d"],
                &["100000000d"],
            ),
        ]);
    }
}

per_backend! {
    /// PostgreSQL's timestamptz starts in 4713 BC: a duration reaching further back
    /// (about 6,700 years) fails there with "timestamp out of range" (exit 70) while
    /// SQLite accepts it. Both must refuse it, naming the value.
    fn durations_beyond_the_database_range_are_refused(db) {
        run_table(&db, &[
            case(
                "audit list --since 3000000d",
                64,
                &["audit", "list", "--since", "3000000d"],
                &["3000000d"],
            ),
            case(
                "users list --created-since 3000000d",
                64,
                &["users", "list", "--created-since", "3000000d"],
                &["3000000d"],
            ),
            case(
                "purge --grace 3000000d",
                64,
                &["purge-expired", "--grace", "3000000d"],
                &["3000000d", "--grace"],
            ),
            case(
                "purge --dry-run --revoked-retention 3000000d",
                64,
                &[
                    "purge-expired",
                    "--dry-run",
                    "--revoked-retention",
                    "3000000d",
                ],
                &["3000000d", "--revoked-retention"],
            ),
            case(
                "purge --only attempts --attempts-retention 3000000d",
                64,
                &[
                    "purge-expired",
                    "--only",
                    "attempts",
                    "--attempts-retention",
                    "3000000d",
                ],
                &["3000000d", "--attempts-retention"],
            ),
        ]);
    }
}

per_backend! {
    /// A token piped with a NUL byte (or any control character) cannot match a stored
    /// token (PostgreSQL text cannot even hold NUL): refused as bad data (65) on both
    /// backends, never a database error (70), never echoed.
    fn a_piped_token_with_nul_matches_nothing(db) {
        run_table(&db, &[case(
            "tokens revoke --token-stdin with NUL",
            65,
            &["tokens", "revoke", "--token-stdin"],
            &["control characters"],
        )
        .stdin(b"eyJhbGciOiJIUzI1NiJ9.Zq9nul\0-refresh-token-0123456789\n".to_vec())
        .secret("-refresh-token-0123456789")]);
    }
}

per_backend! {
    /// The audit actor from a `.env` file with a NUL byte: PostgreSQL refuses the
    /// insert (exit 70), SQLite stores it. It is a configuration error, before any
    /// write, on both.
    fn an_actor_with_nul_is_refused(db) {
        run_table(&db, &[case(
            "AUTHCTL_ACTOR with NUL in --env-file",
            78,
            &[
                "--env-file",
                "{dir}/nul-actor.env",
                "users",
                "create",
                "new@example.com",
                "--password-env",
                "PW",
            ],
            &["AUTHCTL_ACTOR"],
        )]);
    }
}

per_backend! {
    /// PostgreSQL takes at most 2147483647 ms for lock_timeout and statement_timeout,
    /// and libpq an int of seconds for connect_timeout. Larger values are refused as
    /// usage (flag) or configuration (variable) errors on every backend, before
    /// anything runs — not a database error (70) or "unavailable" (69).
    fn timeouts_postgres_cannot_take_are_refused(db) {
        run_table(&db, &[
            case(
                "purge --statement-timeout 30d",
                64,
                &["purge-expired", "--statement-timeout", "30d"],
                &["30d", "--statement-timeout"],
            ),
            case(
                "AUTHCTL_LOCK_TIMEOUT=30d migrate",
                78,
                &["migrate"],
                &["AUTHCTL_LOCK_TIMEOUT"],
            )
            .env("AUTHCTL_LOCK_TIMEOUT", "30d"),
            case(
                "--connect-timeout 100000000d",
                64,
                &["--connect-timeout", "100000000d", "users", "list"],
                &["100000000d"],
            ),
            case(
                "AUTHCTL_CONNECT_TIMEOUT=100000000d",
                78,
                &["users", "list"],
                &["AUTHCTL_CONNECT_TIMEOUT"],
            )
            .env("AUTHCTL_CONNECT_TIMEOUT", "100000000d"),
        ]);
    }
}

/// A password source or `.env` file that never ends (`/dev/zero`, a huge file
/// named by mistake) must be read only as far as a password or a line can go and
/// refused; today authctl reads it all into memory. Run under a 1 GiB address-space
/// limit, so the unbounded read fails (abort or "out of memory") instead of
/// exhausting the machine.
#[test]
fn endless_inputs_are_read_bounded() {
    let db = TestDb::sqlite();
    seed(&db, &mut db.migrated());
    let before = snapshot(&db);
    let url = db.url();
    let runs = [
        (
            "--password-stdin < /dev/zero",
            "users create new@example.com --password-stdin < /dev/zero",
            65,
        ),
        (
            "--password-file /dev/zero",
            "users create new@example.com --password-file /dev/zero",
            65,
        ),
        (
            "--env-file /dev/zero",
            "--env-file /dev/zero users list",
            78,
        ),
    ];
    let mut failures = Vec::new();
    for (name, args, want) in runs {
        let bin = assert_cmd::cargo::cargo_bin("authctl");
        let script = format!(
            "ulimit -v 1048576 && exec '{}' --database-url '{url}' {args}",
            bin.display()
        );
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if code != want || stderr.contains("memory") || stderr.contains("panicked") {
            failures.push(format!("{name}: exit {code}, expected {want}: {stderr}"));
        }
    }
    assert_eq!(snapshot(&db), before, "the database changed");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
