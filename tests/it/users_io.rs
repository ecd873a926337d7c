//! `authctl users import` / `users export` with other systems' user files (Auth0,
//! Ory Kratos, Supabase, CSV; fixtures written from docs/commands.md and the
//! systems' documented shapes): bcrypt hashes carried verbatim and verified by the
//! application's own bcryptjs (PostgreSQL, `tests/app`), unverifiable hashes
//! refused or disabled, roles, any-case duplicates, --partial, --dry-run, malformed
//! files, and the export → import round trip. Assertions read the database.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::common::{self, Run, TestDb, count, query_strings};

const PASSWORD: &str = "Imported quartz 🔑 kestrel 58";

/// bcrypt hashes of [`PASSWORD`] with each prefix the application verifies (cost
/// 4: bcryptjs accepts 4–31), made here by the bcrypt crate.
fn hashes() -> &'static [String; 3] {
    static H: OnceLock<[String; 3]> = OnceLock::new();
    H.get_or_init(|| {
        let parts = bcrypt::hash_with_result(PASSWORD, 4).expect("bcrypt");
        [
            parts.format_for_version(bcrypt::Version::TwoA),
            parts.format_for_version(bcrypt::Version::TwoB),
            parts.format_for_version(bcrypt::Version::TwoY),
        ]
    })
}

const ARGON2: &str =
    "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";

/// Write `text` into the database's scratch directory.
fn file(db: &TestDb, name: &str, text: &str) -> PathBuf {
    let p = db.scratch().join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

fn users_import(db: &TestDb, format: &str, path: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["-o", "json", "users", "import", "--format", format];
    args.push(path.to_str().unwrap());
    args.extend_from_slice(extra);
    common::run(db.authctl().arg("--actor").arg("importer").args(&args))
}

/// `email|password_hash|role|name|verified|verified_at set` of every user, by email.
fn rows(db: &TestDb) -> Vec<String> {
    query_strings(
        db,
        "SELECT email || '|' || password_hash || '|' || COALESCE(role, '') || '|' || \
         COALESCE(name, '') || '|' || CASE WHEN email_verified THEN 'verified' ELSE 'unverified' END \
         || '|' || CASE WHEN email_verified_at IS NULL THEN 'no-time' ELSE 'time' END AS v \
         FROM users ORDER BY email",
    )
}

fn n_users(db: &TestDb) -> i64 {
    count(db, "SELECT count(*) AS n FROM users")
}

fn n_audit(db: &TestDb) -> i64 {
    count(db, "SELECT count(*) AS n FROM authctl_audit_events")
}

/// Each format's file for three users on `domain` (bcrypt `$2a$`, `$2b$`, `$2y$`;
/// emails in mixed case), and the rows they must become.
fn fixture(format: &str, domain: &str) -> (String, Vec<String>) {
    let [a, b, y] = hashes().clone();
    let text = match format {
        "auth0" => json!([
            { "email": format!("Ann@{domain}"), "email_verified": true, "name": "Ann Lee",
              "password_hash": a, "app_metadata": { "role": "admin" } },
            { "email": format!("ben@{domain}"), "email_verified": false, "given_name": "Ben",
              "family_name": "Okafor", "password_hash": b },
            { "email": format!("CY@{domain}"), "custom_password_hash": {
                "algorithm": "bcrypt", "hash": { "value": y } },
              "app_metadata": { "role": "premium" } },
        ])
        .to_string(),
        "kratos" => json!([
            { "id": "0e3f4a4c-1111-4a4a-8a8a-000000000001", "schema_id": "default", "state": "active",
              "traits": { "email": format!("Ann@{domain}"), "name": { "first": "Ann", "last": "Lee" } },
              "verifiable_addresses": [ { "value": format!("ann@{domain}"), "verified": true, "via": "email",
                "status": "completed", "verified_at": "2024-03-01T10:00:00Z" } ],
              "credentials": { "password": { "type": "password", "identifiers": [format!("ann@{domain}")],
                "config": { "hashed_password": a } } },
              "metadata_public": { "role": "admin" }, "created_at": "2023-01-02T03:04:05Z" },
            { "id": "0e3f4a4c-1111-4a4a-8a8a-000000000002", "schema_id": "default", "state": "active",
              "traits": { "email": format!("ben@{domain}"), "name": "Ben Okafor" },
              "verifiable_addresses": [ { "value": format!("ben@{domain}"), "verified": false, "via": "email",
                "status": "pending" } ],
              "credentials": { "password": { "type": "password", "identifiers": [format!("ben@{domain}")],
                "config": { "hashed_password": b } } } },
            { "id": "0e3f4a4c-1111-4a4a-8a8a-000000000003", "schema_id": "default", "state": "active",
              "traits": { "email": format!("CY@{domain}") },
              "credentials": { "password": { "type": "password", "identifiers": [format!("cy@{domain}")],
                "config": { "hashed_password": y } } },
              "metadata_public": { "role": "premium" } },
        ])
        .to_string(),
        "supabase" => json!([
            { "id": "7d1c1e7e-2222-4b4b-9b9b-000000000001", "email": format!("Ann@{domain}"),
              "encrypted_password": a, "email_confirmed_at": "2024-03-01T10:00:00.123456+00:00",
              "created_at": "2023-01-02T03:04:05+00:00", "role": "authenticated",
              "raw_user_meta_data": { "name": "Ann Lee" }, "raw_app_meta_data": { "provider": "email", "role": "admin" },
              "banned_until": null, "deleted_at": null },
            { "id": "7d1c1e7e-2222-4b4b-9b9b-000000000002", "email": format!("ben@{domain}"),
              "encrypted_password": b, "email_confirmed_at": null, "role": "authenticated",
              "raw_user_meta_data": { "full_name": "Ben Okafor" }, "raw_app_meta_data": { "provider": "email" } },
            { "id": "7d1c1e7e-2222-4b4b-9b9b-000000000003", "email": format!("CY@{domain}"),
              "encrypted_password": y, "role": "authenticated",
              "raw_app_meta_data": { "role": "premium" } },
        ])
        .to_string(),
        // psql's CSV of auth.users: t/f, empty = NULL, jsonb as JSON text.
        "supabase-csv" => format!(
            "id,email,encrypted_password,email_confirmed_at,created_at,role,raw_user_meta_data,raw_app_meta_data,banned_until,deleted_at\n\
             7d1c1e7e-2222-4b4b-9b9b-000000000001,Ann@{domain},{a},2024-03-01 10:00:00.123456+00,2023-01-02 03:04:05+00,authenticated,\"{{\"\"name\"\": \"\"Ann Lee\"\"}}\",\"{{\"\"role\"\": \"\"admin\"\"}}\",,\n\
             7d1c1e7e-2222-4b4b-9b9b-000000000002,ben@{domain},{b},,2023-01-02 03:04:05+00,authenticated,\"{{\"\"full_name\"\": \"\"Ben Okafor\"\"}}\",{{}},,\n\
             7d1c1e7e-2222-4b4b-9b9b-000000000003,CY@{domain},{y},,,authenticated,{{}},\"{{\"\"role\"\": \"\"premium\"\"}}\",,\n"
        ),
        "csv" => format!(
            "email,password_hash,name,role,email_verified,email_verified_at,ignored\n\
             Ann@{domain},{a},Ann Lee,admin,true,2024-03-01T10:00:00Z,x\n\
             ben@{domain},{b},Ben Okafor,,false,,x\n\
             CY@{domain},{y},,premium,,,x\n"
        ),
        other => panic!("no fixture for {other}"),
    };
    let expected = vec![
        format!("ann@{domain}|{a}|admin|Ann Lee|verified|time"),
        format!("ben@{domain}|{b}|user|Ben Okafor|unverified|no-time"),
        format!("cy@{domain}|{y}|premium||unverified|no-time"),
    ];
    (text, expected)
}

const FORMATS: [(&str, &str); 5] = [
    ("auth0", "auth0"),
    ("kratos", "kratos"),
    ("supabase", "supabase"),
    ("supabase", "supabase-csv"),
    ("csv", "csv"),
];

/// Log in through the application (PostgreSQL only): true when it let the user in.
fn app_login(db: &TestDb, email: &str, password: &str) -> bool {
    let r = common::app(&db.url(), &["login", email], &format!("{password}\n"));
    match r.code {
        0 => true,
        1 => false,
        _ => panic!("application login crashed: {}\n{}", r.json, r.stderr),
    }
}

per_backend! {
    /// Every format's fixture is imported with the hashes byte for byte, emails
    /// lower-cased, roles, names and verification carried over, one audit event per
    /// user; on PostgreSQL the application then logs each user in with its old
    /// password ($2a$, $2b$ and $2y$).
    fn every_format_imports_users_that_log_in_with_their_old_passwords(db: migrated) {
        for (format, variant) in FORMATS {
            let domain = format!("{}.example.com", variant.replace('-', ""));
            let (text, expected) = fixture(variant, &domain);
            let path = file(&db, &format!("{variant}.in"), &text);
            let before = n_audit(&db);
            let o = users_import(&db, format, &path, &[]).expect_code(0, variant);
            let report = o.json();
            assert_eq!(report["imported"], json!(3), "{variant}: {o}");
            assert!(!o.all().contains("$2"), "no hash printed: {o}");
            let got: Vec<String> = rows(&db)
                .into_iter()
                .filter(|r| r.contains(&format!("@{domain}|")))
                .collect();
            assert_eq!(got, expected, "{variant}");
            assert_eq!(n_audit(&db) - before, 3, "{variant}: one audit event per user");
            if db.is_postgres() && common::has_app() {
                for who in ["ann", "ben", "cy"] {
                    let email = format!("{who}@{domain}");
                    assert!(app_login(&db, &email, PASSWORD), "{variant}: {email} logs in");
                    assert!(!app_login(&db, &email, "wrong password"), "{variant}: {email}");
                }
            }
        }
        // Kratos's and Supabase's created_at and verified_at are kept.
        let kept = query_strings(
            &db,
            "SELECT email AS v FROM users WHERE email LIKE 'ann@%' AND created_at < '2023-06-01' \
             AND email_verified_at < '2024-06-01' ORDER BY email",
        );
        assert_eq!(
            kept,
            ["ann@kratos.example.com", "ann@supabase.example.com", "ann@supabasecsv.example.com"]
        );
        let audit = query_strings(
            &db,
            "SELECT DISTINCT action AS v FROM authctl_audit_events",
        );
        assert_eq!(audit, ["user.create"]);
    }
}

per_backend! {
    /// A hash the application cannot verify (argon2id, pbkdf2, $2x$, malformed
    /// bcrypt, Auth0's custom md5) or none: by default the record is refused with
    /// the scheme named and nothing at all is written (65); with
    /// --unverifiable-hash=disable the user is created disabled with the bare
    /// marker `!` (no password verifies it), the good one usable.
    fn unverifiable_hashes_are_refused_or_created_disabled(db: migrated) {
        let good = &hashes()[1];
        let text = json!([
            { "email": "good@example.com", "password_hash": good },
            { "email": "argon@example.com", "password_hash": ARGON2 },
            { "email": "pbkdf@example.com", "password_hash": "$pbkdf2-sha256$i=100000$c2FsdA$aGFzaA" },
            { "email": "old2x@example.com", "password_hash": good.replace("$2b$", "$2x$") },
            { "email": "short@example.com", "password_hash": &good[..59] },
            { "email": "md5@example.com", "custom_password_hash": {
                "algorithm": "md5", "hash": { "value": "5f4dcc3b5aa765d61d8327deb882cf99" } } },
            { "email": "nohash@example.com" },
        ])
        .to_string();
        let path = file(&db, "u.json", &text);
        let o = users_import(&db, "auth0", &path, &[]).expect_code(65, "refused");
        assert_eq!(n_users(&db), 0, "nothing written: {o}");
        assert_eq!(n_audit(&db), 0);
        assert!(o.stderr.contains("6 of 7 records refused") && o.stderr.contains("nothing was written"), "{o}");
        let report = o.json();
        let reasons: Vec<String> = report["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| format!("{} {} {}", r["email"].as_str().unwrap(), r["outcome"], r["reason"]))
            .collect();
        for (email, why) in [
            ("argon@", "argon2id"),
            ("pbkdf@", "pbkdf2-sha256"),
            ("old2x@", "$2x$"),
            ("short@", "malformed bcrypt"),
            ("md5@", "(md5)"),
            ("nohash@", "no password hash"),
        ] {
            assert!(
                reasons.iter().any(|r| r.starts_with(email) && r.contains("\"refused\"") && r.contains(why)),
                "{email} refused naming {why}: {reasons:#?}"
            );
        }
        for secret in [ARGON2, good.as_str(), "5f4dcc3b5aa765d61d8327deb882cf99"] {
            assert!(!o.all().contains(secret), "a hash was printed: {o}");
        }

        let o = users_import(&db, "auth0", &path, &["--unverifiable-hash=disable"]).expect_code(0, "disable");
        assert_eq!(o.json()["imported"], json!(7));
        let stored = query_strings(&db, "SELECT email || ' ' || password_hash AS v FROM users ORDER BY email");
        for row in &stored {
            if row.starts_with("good@") {
                assert_eq!(row, &format!("good@example.com {good}"));
            } else {
                assert!(row.ends_with(" !"), "disabled with no usable hash: {row}");
            }
        }
        let disabled = db.run(&["-o", "json", "users", "list", "--status", "disabled"]).expect_code(0, "list");
        assert_eq!(disabled.json().as_array().unwrap().len(), 6);
        if db.is_postgres() && common::has_app() {
            assert!(app_login(&db, "good@example.com", PASSWORD));
            assert!(!app_login(&db, "argon@example.com", PASSWORD));
        }
    }
}

per_backend! {
    /// A role outside the application's CHECK is refused per record, naming it;
    /// nothing is written (65). With --partial the good record is written and the
    /// exit code (1) says some were refused; the report names each outcome.
    fn bad_roles_are_refused_and_partial_writes_the_rest(db: migrated) {
        let text = format!(
            "email,password_hash,role\nok@example.com,{h},admin\nroot@example.com,{h},root\ncap@example.com,{h},Admin\n",
            h = hashes()[0]
        );
        let path = file(&db, "u.csv", &text);
        let o = users_import(&db, "csv", &path, &[]).expect_code(65, "bad role");
        assert_eq!(n_users(&db), 0, "{o}");
        let r = o.json();
        assert_eq!(r["records"][1]["record"], json!("line 3"));
        assert!(r["records"][1]["reason"].as_str().unwrap().contains("invalid role \"root\""), "{o}");
        assert!(r["records"][2]["reason"].as_str().unwrap().contains("invalid role \"Admin\""), "{o}");

        // Columns swapped: the hash would land in the email and role; never shown.
        let swapped = file(&db, "swapped.csv", &format!("password_hash,email,role\n{h},x@example.com,{h}\nok@example.com,{h},user\n", h = hashes()[0]));
        let o = users_import(&db, "csv", &swapped, &[]).expect_code(65, "swapped");
        assert!(!o.all().contains(&hashes()[0][7..]), "a hash was printed: {o}");
        assert!(o.stdout.contains("looks like a password hash"), "{o}");
        assert_eq!(n_users(&db), 0);
        // Or in a name, a time or the status: never shown, never stored as a name.
        let shifted = file(&db, "shifted.csv", &format!(
            "email,name,password_hash,created_at,status\n\
             n@example.com,{h},{h},2026-01-01T00:00:00Z,active\n\
             t@example.com,T,{h},{h},active\n\
             s@example.com,S,{h},2026-01-01T00:00:00Z,{h}\n", h = hashes()[0]));
        let o = users_import(&db, "csv", &shifted, &[]).expect_code(65, "shifted");
        assert!(!o.all().contains(&hashes()[0][7..]), "a hash was printed: {o}");
        let refused = o.json()["records"].as_array().unwrap().iter().filter(|r| r["outcome"] == "refused").count();
        assert_eq!(refused, 3, "{o}");
        assert_eq!(n_users(&db), 0);

        let o = users_import(&db, "csv", &path, &["--partial"]).expect_code(1, "partial");
        assert!(o.stderr.contains("2 records refused") && o.stderr.contains("were written"), "{o}");
        let r = o.json();
        assert_eq!((r["imported"].clone(), r["refused"].clone(), r["written"].clone()), (json!(1), json!(2), json!(true)));
        assert_eq!(rows(&db), [format!("ok@example.com|{}|admin||unverified|no-time", hashes()[0])]);
    }
}

per_backend! {
    /// Duplicates by email in any letter case, in the file and against the
    /// database: refused by default (nothing written), skipped with
    /// --on-conflict skip (the existing user unchanged).
    fn duplicates_in_any_letter_case_fail_or_skip(db: migrated) {
        let [a, b, _] = hashes().clone();
        let first = file(&db, "first.json", &json!([{ "email": "alice@example.com", "password_hash": a }]).to_string());
        users_import(&db, "auth0", &first, &[]).expect_code(0, "first");
        let text = json!([
            { "email": "ALICE@Example.COM", "password_hash": b },
            { "email": "Bob@example.com", "password_hash": b },
            { "email": "bob@EXAMPLE.com", "password_hash": a },
        ])
        .to_string();
        let path = file(&db, "dups.json", &text);
        let o = users_import(&db, "auth0", &path, &[]).expect_code(65, "duplicates");
        assert_eq!(n_users(&db), 1, "{o}");
        let r = o.json();
        assert!(r["records"][0]["reason"].as_str().unwrap().contains("exists"), "{o}");
        assert!(r["records"][2]["reason"].as_str().unwrap().contains("record 2 of this file"), "{o}");

        let o = users_import(&db, "auth0", &path, &["--on-conflict", "skip"]).expect_code(0, "skip");
        let r = o.json();
        assert_eq!((r["imported"].clone(), r["skipped"].clone()), (json!(1), json!(2)), "{o}");
        assert_eq!(
            rows(&db),
            [
                format!("alice@example.com|{a}|user||unverified|no-time"),
                format!("bob@example.com|{b}|user||unverified|no-time"),
            ]
        );
    }
}

per_backend! {
    /// --dry-run reports what would be imported and refused, and writes nothing:
    /// no user, no audit event.
    fn dry_run_changes_nothing(db: migrated) {
        let (text, _) = fixture("auth0", "dry.example.com");
        let path = file(&db, "u.json", &text);
        let o = users_import(&db, "auth0", &path, &["--dry-run"]).expect_code(0, "dry run");
        let r = o.json();
        assert_eq!((r["dry_run"].clone(), r["written"].clone(), r["imported"].clone()), (json!(true), json!(false), json!(3)));
        assert_eq!(r["records"][0]["outcome"], json!("would_import"));
        assert_eq!(n_users(&db), 0);
        assert_eq!(n_audit(&db), 0);
        // The same file from stdin (`-`), for real this time.
        let o = common::run(
            db.authctl()
                .args(["-o", "json", "users", "import", "--format", "auth0", "-"])
                .write_stdin(text),
        )
        .expect_code(0, "stdin");
        assert_eq!(o.json()["written"], json!(true));
        assert_eq!(n_users(&db), 3);
    }
}

per_backend! {
    /// A file that is not the format — a JSON syntax error, a record that is not
    /// an object, a CSV line with the wrong number of fields, a CSV without an
    /// email column, non-UTF-8 — is 65 naming the line or record; nothing written.
    fn malformed_files_are_65_naming_where_and_write_nothing(db: migrated) {
        let h = &hashes()[1];
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("auth0", format!("[\n{{\"email\": \"a@example.com\", \"password_hash\": \"{h}\"}},\n{{\"email\": \n]").into_bytes(), "line 4"),
            ("kratos", br#"[{"traits": {"email": "a@example.com"}}, 42]"#.to_vec(), "record 2 is not a JSON object"),
            ("csv", format!("email,password_hash\na@example.com,{h}\nb@example.com,{h},extra\n").into_bytes(), "line 3"),
            ("csv", b"mail,hash\na@example.com,x\n".to_vec(), "no header with an `email` column"),
            ("supabase", b"email,encrypted_password\na@example.com,\xff\xfe\n".to_vec(), "line 2"),
        ];
        for (format, bytes, want) in cases {
            let path = db.scratch().join("bad.in");
            std::fs::write(&path, &bytes).unwrap();
            let o = users_import(&db, format, &path, &[]).expect_code(65, format);
            assert!(o.stderr.contains(want), "{format}: {want}\n{o}");
            assert_eq!(n_users(&db), 0, "{o}");
        }
        let missing = db.scratch().join("missing.json");
        users_import(&db, "auth0", &missing, &[]).expect_code(66, "missing file");
    }
}

/// A second database of the same backend.
fn another(db: &TestDb) -> TestDb {
    if db.is_postgres() {
        TestDb::postgres_migrated().expect("postgres")
    } else {
        TestDb::sqlite_migrated()
    }
}

per_backend! {
    /// Export in each format (file mode 0600, no temp file left) and import into
    /// another database: the same emails, hashes, roles, names, verification and
    /// disabled state; a disabled user keeps its hash (enable restores it).
    fn export_then_import_round_trips(db: migrated) {
        let (text, _) = fixture("auth0", "round.example.com");
        users_import(&db, "auth0", &file(&db, "u.json", &text), &[]).expect_code(0, "seed");
        db.run(&["--actor", "t", "users", "disable", "ben@round.example.com"]).expect_code(0, "disable");
        let before = rows(&db);
        assert!(before[1].contains(&format!("|!{}|", hashes()[1])), "{before:?}");
        for format in ["auth0", "kratos", "csv"] {
            let out = db.scratch().join(format!("export.{format}"));
            let o = db.run(&["users", "export", "--format", format, out.to_str().unwrap()]).expect_code(0, format);
            assert!(o.stderr.contains("exported 3 users"), "{o}");
            let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{format}");
            let leftovers: Vec<_> = std::fs::read_dir(db.scratch()).unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".tmp"))
                .collect();
            assert!(leftovers.is_empty(), "{leftovers:?}");
            let target = another(&db);
            users_import(&target, format, &out, &[]).expect_code(0, format);
            assert_eq!(rows(&target), before, "{format} round trip");
        }
        // To stdout (not a terminal here), the same document.
        let o = db.run(&["users", "export", "--format", "auth0", "-"]).expect_code(0, "stdout");
        let doc: Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(doc.as_array().unwrap().len(), 3);
        assert_eq!(doc[1]["blocked"], json!(true));
        db.run(&["users", "export", "--format", "supabase", "x.json"]).expect_code(64, "no supabase export");
    }
}

per_backend! {
    /// A user blocked in its source — Auth0 `blocked`, Kratos `state: inactive`,
    /// Supabase `banned_until` in the future, CSV `status: disabled` — is created
    /// disabled the way `users disable` does it (`!` + its hash): the application
    /// refuses it, `users enable` restores the old password. A Supabase row with
    /// `deleted_at` is refused; a ban that has ended is not a block.
    fn users_blocked_in_their_source_are_created_disabled_with_their_hash(db: migrated) {
        let h = hashes()[1].clone();
        let files = [
            ("auth0", json!([{ "email": "a0@example.com", "password_hash": h, "blocked": true }]).to_string()),
            ("kratos", json!([{ "state": "inactive", "traits": { "email": "kr@example.com" },
                "credentials": { "password": { "config": { "hashed_password": h } } } }]).to_string()),
            ("supabase", json!([
                { "email": "sb@example.com", "encrypted_password": h, "banned_until": "2999-01-01T00:00:00+00:00" },
                { "email": "sb-was@example.com", "encrypted_password": h, "banned_until": "2001-01-01T00:00:00+00:00" },
            ]).to_string()),
            ("csv", format!("email,password_hash,status\ncsv@example.com,{h},disabled\n")),
        ];
        for (format, text) in &files {
            let path = file(&db, &format!("{format}.blocked"), text);
            users_import(&db, format, &path, &[]).expect_code(0, format);
        }
        let stored = query_strings(&db, "SELECT email || ' ' || password_hash AS v FROM users ORDER BY email");
        assert_eq!(
            stored,
            [
                format!("a0@example.com !{h}"),
                format!("csv@example.com !{h}"),
                format!("kr@example.com !{h}"),
                format!("sb-was@example.com {h}"),
                format!("sb@example.com !{h}"),
            ]
        );
        let deleted = file(&db, "deleted.json", &json!([{ "email": "gone@example.com",
            "encrypted_password": h, "deleted_at": "2024-01-01T00:00:00+00:00" }]).to_string());
        let o = users_import(&db, "supabase", &deleted, &[]).expect_code(65, "deleted");
        assert!(o.json()["records"][0]["reason"].as_str().unwrap().contains("deleted_at"), "{o}");
        if db.is_postgres() && common::has_app() {
            assert!(!app_login(&db, "kr@example.com", PASSWORD), "disabled");
            db.run(&["--actor", "t", "users", "enable", "kr@example.com"]).expect_code(0, "enable");
            assert!(app_login(&db, "kr@example.com", PASSWORD), "enabled: the old password");
        }
    }
}
