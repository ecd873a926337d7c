//! Property tests: email normalization, user references, durations and times,
//! database URLs (parsing, redaction, building from parts), and values that go
//! through the binary and the database and come back unchanged in JSON and CSV.

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use serde_json::Value;

use authctl::db::target::pg_url_from_parts;
use authctl::db::{DatabaseTarget, UtcDateTime};
use authctl::email::normalize;
use authctl::parse::{UserRef, parse_duration, parse_since};

use crate::common::TestDb;

/// Library properties are cheap: many cases. Failures are reported, not persisted
/// (no regression files written into the source tree).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Arbitrary text: any Unicode including controls, printable Unicode, and text shaped
/// like an address (so that the accepting paths are exercised too).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,60}",
        "[ \t]{0,2}[A-Za-zÀ-ÖØ-öø-ÿΑ-Ωα-ωа-яА-Я0-9._%+'!#-]{1,20}@[A-Za-zà-öø-ÿ0-9-]{1,15}(\\.[A-Za-z0-9-]{1,10}){0,3}[ \t\n]{0,2}",
    ]
}

// ---------------------------------------------------------------------------------
// Email normalization

proptest! {
    #![proptest_config(config(2000))]

    /// Never panics; anything accepted is trimmed, lower-case, at most 254
    /// characters with one '@' and no whitespace or controls, and normalizes to
    /// itself, also when padded with whitespace.
    #[test]
    fn email_normalization(s in text()) {
        match normalize(&s) {
            Ok(n) => {
                prop_assert_eq!(normalize(&n).ok(), Some(n.clone()), "idempotent");
                prop_assert_eq!(n.to_lowercase(), n.clone(), "lower-case");
                prop_assert_eq!(n.trim(), n.as_str(), "trimmed");
                prop_assert!(n.chars().count() <= authctl::email::MAX_LEN);
                prop_assert_eq!(n.matches('@').count(), 1);
                prop_assert!(!n.chars().any(|c| c.is_whitespace() || c.is_control()));
                prop_assert_eq!(normalize(&format!(" \t{s}\n ")).ok(), Some(n.clone()), "padding");
            }
            Err(e) => {
                prop_assert_eq!(e.kind, authctl::ExitCode::Data);
                prop_assert!(e.message.starts_with("invalid email address "), "{}", e.message);
            }
        }
    }

    /// Well-formed addresses in any ASCII letter case are accepted and stored
    /// lower-case, Unicode letters included.
    #[test]
    fn valid_addresses_are_accepted_in_any_case(
        local in "[a-z0-9à-öø-ÿα-ωа-я]([a-z0-9à-öø-ÿ_+'-]|\\.[a-z0-9]){0,20}",
        labels in proptest::collection::vec("[a-z0-9à-ÿ]([a-z0-9-]{0,10}[a-z0-9])?", 1..4),
        tld in "[a-z]{2,8}",
        upper in proptest::collection::vec(any::<bool>(), 0..40),
    ) {
        prop_assume!(!labels.iter().any(|l| l.contains('÷')));
        let email = format!("{local}@{}.{tld}", labels.join("."));
        let mixed: String = email
            .chars()
            .zip(upper.iter().copied().chain(std::iter::repeat(false)))
            .map(|(c, up)| if up { c.to_ascii_uppercase() } else { c })
            .collect();
        prop_assert_eq!(normalize(&mixed).ok(), Some(email.clone()));
        prop_assert_eq!(mixed.parse::<UserRef>().ok(), Some(UserRef::Email(email)));
    }
}

// ---------------------------------------------------------------------------------
// User references

proptest! {
    #![proptest_config(config(1000))]

    /// Positive ids round-trip, with surrounding whitespace too.
    #[test]
    fn user_ref_ids_roundtrip(n in 1i64..=i64::MAX, pad in "[ \t]{0,3}") {
        let r: UserRef = format!("{pad}{n}{pad}").parse().unwrap();
        prop_assert_eq!(&r, &UserRef::Id(n));
        prop_assert_eq!(r.to_string(), format!("id {n}"));
        prop_assert_eq!(authctl::parse::parse_id(&n.to_string()).ok(), Some(n));
    }

    /// Zero, negative and too-large ids are refused, naming the value.
    #[test]
    fn user_ref_bad_ids_are_refused(n in i64::MIN..=0, big in (i64::MAX as u128 + 1)..=u128::MAX) {
        for s in [n.to_string(), big.to_string()] {
            let e = s.parse::<UserRef>().unwrap_err();
            prop_assert_eq!(e.kind, authctl::ExitCode::Data);
            prop_assert!(e.message.contains(&s), "{}", e.message);
        }
        let e = big.to_string().parse::<UserRef>().unwrap_err();
        prop_assert!(e.message.contains("too large"), "{}", e.message);
    }

    /// Text with an '@' is an email reference exactly when it normalizes, to the
    /// normalized address, which parses to itself again; nothing panics.
    #[test]
    fn user_ref_emails_roundtrip_through_normalize(s in text()) {
        let parsed = s.parse::<UserRef>();
        if s.contains('@') {
            match normalize(s.trim()) {
                Ok(n) => {
                    prop_assert_eq!(parsed.as_ref().ok(), Some(&UserRef::Email(n.clone())));
                    prop_assert_eq!(parsed.unwrap().to_string(), n.clone());
                    prop_assert_eq!(n.parse::<UserRef>().ok(), Some(UserRef::Email(n)));
                }
                Err(_) => prop_assert!(parsed.is_err()),
            }
        } else if let Ok(r) = parsed {
            prop_assert!(matches!(r, UserRef::Id(n) if n > 0), "{:?} from {:?}", r, s);
        }
    }
}

// ---------------------------------------------------------------------------------
// Durations and points in time

proptest! {
    #![proptest_config(config(1000))]

    /// Every unit means what it says; a bare number is seconds; whitespace around
    /// does not matter; combinations add up.
    #[test]
    fn durations_mean_what_they_say(n in 0i64..=1_000_000_000, small in 0i64..=100_000, m in 0i64..60) {
        let d = |s: String| parse_duration(&s).map_err(|e| TestCaseError::fail(e.message));
        prop_assert_eq!(d(format!("{n}s"))?, chrono::Duration::seconds(n));
        prop_assert_eq!(d(format!(" {n} "))?, chrono::Duration::seconds(n));
        prop_assert_eq!(d(format!("{n}ms"))?, chrono::Duration::milliseconds(n));
        prop_assert_eq!(d(format!("{small}m"))?, chrono::Duration::minutes(small));
        prop_assert_eq!(d(format!("{small}h"))?, chrono::Duration::hours(small));
        prop_assert_eq!(d(format!("{small}d"))?, chrono::Duration::days(small));
        prop_assert_eq!(
            d(format!("{small}h {m}m"))?,
            chrono::Duration::hours(small) + chrono::Duration::minutes(m)
        );
    }

    /// A duration for `--since` means that long before now.
    #[test]
    fn since_a_duration_is_that_long_ago(n in 0i64..=1_000_000_000, unit in prop_oneof![Just(("s", 1i64)), Just(("m", 60)), Just(("h", 3600))]) {
        let now = UtcDateTime::now();
        let n = n / unit.1;
        let t = parse_since(&format!("{n}{}", unit.0), now).map_err(|e| TestCaseError::fail(e.message))?;
        prop_assert_eq!(t, now - chrono::Duration::seconds(n * unit.1));
    }

    /// RFC 3339 times (any offset, any precision down to microseconds) and dates
    /// are the instants they name.
    #[test]
    fn since_a_time_is_that_instant(
        secs in 86_400i64..253_402_300_799 - 86_400,
        micros in 0u32..1_000_000,
        offset_min in -(23 * 60 + 59)..=(23 * 60 + 59i32),
    ) {
        let now = UtcDateTime::now();
        let t = chrono::DateTime::from_timestamp(secs, micros * 1000).unwrap();
        let offset = chrono::FixedOffset::east_opt(offset_min * 60).unwrap();
        for text in [
            t.to_rfc3339(),
            t.with_timezone(&offset).to_rfc3339(),
            t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        ] {
            let parsed = parse_since(&text, now).map_err(|e| TestCaseError::fail(e.message))?;
            prop_assert_eq!(parsed.0, t, "{}", text);
        }
        let date = t.date_naive();
        let parsed = parse_since(&date.format("%Y-%m-%d").to_string(), now)
            .map_err(|e| TestCaseError::fail(e.message))?;
        prop_assert_eq!(parsed.0, date.and_hms_opt(0, 0, 0).unwrap().and_utc());
    }

    /// Nothing panics, however long or odd the text: errors are data errors that
    /// quote (the start of) the input.
    #[test]
    fn time_parsers_never_panic(s in prop_oneof![
        text(),
        "[-+]?[0-9]{1,30}(\\.[0-9]{1,5})?[a-zµ ]{0,8}",
        "[0-9]{4,6}-[0-9]{1,3}-[0-9]{1,3}(T[0-9:.]{0,20}(Z|[+-][0-9:]{1,6})?)?",
    ]) {
        let now = UtcDateTime::now();
        for r in [parse_duration(&s).map(|_| ()), parse_since(&s, now).map(|_| ())] {
            if let Err(e) = r {
                prop_assert_eq!(e.kind, authctl::ExitCode::Data);
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Database URLs

/// A DNS host name as operators write it (lower-case ASCII).
fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]([a-z0-9-]{0,14}[a-z0-9])?(\\.[a-z]([a-z0-9-]{0,14}[a-z0-9])?){0,3}",
        (0u8..=255, 0u8..=255, 0u8..=255, 1u8..=254)
            .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
    ]
}

proptest! {
    #![proptest_config(config(2000))]

    /// Parsing never panics, whatever the input; redacting what parsed does not
    /// either, and failures are configuration errors.
    #[test]
    fn database_url_parsing_never_panics(s in prop_oneof![
        text(),
        "(postgres|postgresql|PostgreS|sqlite|mysql|x)(:|://)[a-zA-Z0-9:@/?#%=&.\\[\\]_-]{0,40}",
        "postgres://[^ ]{0,10}:[^ ]{0,10}@[^ ]{0,10}(:[0-9a-z]{0,7})?/[^ ]{0,10}(\\?[a-z_]{1,10}=[^ ]{0,10}){0,2}",
    ]) {
        match DatabaseTarget::parse(&s) {
            Ok(t) => {
                let _ = t.redacted();
                let _ = format!("{t} {t:?}");
            }
            Err(e) => prop_assert_eq!(e.kind, authctl::ExitCode::Config),
        }
    }

    /// The password of a `postgres://user:PASS@host:port/db` URL (also one given as
    /// a `password=` query parameter) is never in the redacted form, `Display`,
    /// `Debug`, or an error message scrubbed by the target.
    #[test]
    fn redaction_hides_url_passwords(
        user in "[a-z][a-z0-9_]{0,10}",
        pass in "Zq9[A-Za-z0-9._~!$'()*,;=-]{3,24}",
        host in host(),
        port in 1u16..=65535,
        db in "[a-z_][a-z0-9_]{0,12}",
        in_query in any::<bool>(),
        sslmode in prop_oneof![Just(""), Just("sslmode=require"), Just("application_name=x")],
    ) {
        let url = if in_query {
            let extra = if sslmode.is_empty() { String::new() } else { format!("&{sslmode}") };
            format!("postgres://{user}@{host}:{port}/{db}?password={pass}{extra}")
        } else {
            let q = if sslmode.is_empty() { String::new() } else { format!("?{sslmode}") };
            format!("postgres://{user}:{pass}@{host}:{port}/{db}{q}")
        };
        let t = DatabaseTarget::parse(&url).map_err(|e| TestCaseError::fail(e.message))?;
        let DatabaseTarget::Postgres(pg) = &t else {
            return Err(TestCaseError::fail("not PostgreSQL"));
        };
        prop_assert_eq!(pg.password(), pass.clone());
        for shown in [t.redacted(), t.to_string(), format!("{t:?}"), format!("{pg:?}")] {
            prop_assert!(!shown.contains(&pass), "{}", shown);
            prop_assert!(shown.contains("***"), "{}", shown);
        }
        let scrubbed = t.scrub(&format!("FATAL: password authentication failed ({pass})"));
        prop_assert!(!scrubbed.contains(&pass), "{}", scrubbed);
    }

    /// The application's `DB_*` parts, percent-encoded into a URL by
    /// `pg_url_from_parts`, come back unchanged (any Unicode in the database, user
    /// and password), and the redacted URL shows no password in either form.
    #[test]
    fn url_parts_roundtrip(
        host in host(),
        port in 1u16..=65535,
        database in "\\PC{1,30}",
        user in "\\PC{1,20}",
        password in prop_oneof![Just(String::new()), "Zq9\\PC{1,20}"],
    ) {
        // "." and ".." are dot segments of a URL path: see
        // `url_parts_keep_dot_database_names`.
        prop_assume!(database != "." && database != "..");
        let t = pg_url_from_parts(&host, port, &database, &user, &password)
            .map_err(|e| TestCaseError::fail(e.message))?;
        let DatabaseTarget::Postgres(pg) = &t else {
            return Err(TestCaseError::fail("not PostgreSQL"));
        };
        prop_assert_eq!(pg.host(), host);
        prop_assert_eq!(pg.port(), port);
        prop_assert_eq!(pg.database(), database);
        prop_assert_eq!(pg.user(), user);
        prop_assert_eq!(pg.password(), password.clone());
        if !password.is_empty() {
            let encoded = url::Url::parse(pg.expose()).unwrap().password().unwrap().to_owned();
            let shown = t.redacted();
            prop_assert!(!shown.contains(&password) && !shown.contains(&encoded), "{}", shown);
        }
    }
}

/// `DB_NAME=.` or `DB_NAME=..` (legal PostgreSQL database names) must name that
/// database, not be dropped as a URL dot segment (which connects to the database
/// named like the user instead).
#[test]
fn url_parts_keep_dot_database_names() {
    for name in [".", ".."] {
        let t = pg_url_from_parts("db.internal", 5432, name, "app", "pw").unwrap();
        let DatabaseTarget::Postgres(pg) = &t else {
            panic!("not PostgreSQL")
        };
        assert_eq!(pg.database(), name, "{}", t.redacted());
    }
}

// ---------------------------------------------------------------------------------
// Values through the binary and the database

/// Display names with quotes, commas, semicolons, backslashes, line separators,
/// CSV/HTML/JSON look-alikes, emoji, combining marks — and newlines, tabs and
/// padding, which authctl refuses (controls) or trims by design.
fn display_name() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "\\PC{1,8}",
        1 => prop_oneof![
            Just("\""), Just("'"), Just(","), Just(";"), Just("\\"), Just(" "), Just("  "),
            Just("\u{2028}"), Just("\u{a0}"), Just("=HYPERLINK(\"x\",\"y\")"), Just("😀"),
            Just("e\u{301}"), Just("\u{feff}"), Just("<script>"), Just("{\"a\":[1]}"),
            Just("\n"), Just("\r\n"), Just("\t"), Just("\u{1b}[0m"),
        ]
        .prop_map(str::to_owned),
    ];
    prop_oneof![
        9 => proptest::collection::vec(piece, 1..6).prop_map(|v| v.concat()),
        1 => "\\PC{195,205}",
    ]
}

/// What authctl stores for a display name: `None` when it must refuse it.
fn stored_name(name: &str) -> Option<String> {
    let t = name.trim();
    (!t.is_empty() && !t.chars().any(char::is_control) && t.chars().count() <= 200)
        .then(|| t.to_owned())
}

fn json_of(stdout: &[u8]) -> Result<Value, TestCaseError> {
    serde_json::from_slice(stdout).map_err(|e| {
        TestCaseError::fail(format!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(stdout)
        ))
    })
}

/// `(id, email, display_name)` of every row of `users list -o csv`.
fn csv_rows(stdout: &[u8]) -> Result<Vec<(i64, String, String)>, TestCaseError> {
    let fail = |e: csv::Error| TestCaseError::fail(format!("bad CSV: {e}"));
    let mut r = csv::Reader::from_reader(stdout);
    let headers = r.headers().map_err(fail)?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, email, name) = (col("id"), col("email"), col("display_name"));
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(fail)?;
        prop_assert_eq!(rec.len(), headers.len());
        rows.push((
            rec[id].parse().unwrap(),
            rec[email].to_owned(),
            rec[name].to_owned(),
        ));
    }
    Ok(rows)
}

/// Users created through the binary with generated display names and Unicode
/// addresses (passed in mixed case) come back byte for byte from `users show -o
/// json`, `users list -o json` and `users list -o csv`; a name authctl must refuse is
/// refused with 65 and creates nothing.
#[test]
fn names_and_emails_roundtrip_through_json_and_csv() {
    for db in TestDb::all() {
        let l = db.label();
        db.migrated();
        let n = std::cell::Cell::new(0u32);
        let mut runner = TestRunner::new(config(8));
        let strategy = proptest::collection::vec((display_name(), "[a-zà-öø-ÿα-ωа-я]{1,8}"), 1..=2);
        let result = runner.run(&strategy, |batch| {
            let mut created = Vec::new();
            for (name, local) in batch {
                n.set(n.get() + 1);
                let email = format!("{local}.{}@exämple.org", n.get());
                let o = db
                    .authctl()
                    .env("PW", "Pelican orbit 7 marmalade")
                    .args(["-o", "json", "users", "create"])
                    .arg(email.to_ascii_uppercase())
                    // `--name=VALUE`: a generated name may start with '-'.
                    .args(["--password-env", "PW", &format!("--name={name}")])
                    .output()
                    .unwrap();
                let code = o.status.code();
                match stored_name(&name) {
                    None => {
                        prop_assert_eq!(code, Some(65), "{:?} accepted", name);
                        prop_assert!(o.stdout.is_empty());
                        prop_assert!(String::from_utf8_lossy(&o.stderr).contains("display name"));
                    }
                    Some(stored) => {
                        prop_assert_eq!(
                            code,
                            Some(0),
                            "{:?}: {}",
                            name,
                            String::from_utf8_lossy(&o.stderr)
                        );
                        let v = json_of(&o.stdout)?;
                        prop_assert_eq!(v["display_name"].as_str(), Some(stored.as_str()));
                        prop_assert_eq!(v["email"].as_str(), Some(email.as_str()));
                        created.push((v["id"].as_i64().unwrap(), email, stored));
                    }
                }
            }
            for (id, email, name) in &created {
                let o = db
                    .authctl()
                    .args(["-o", "json", "users", "show", email])
                    .output()
                    .unwrap();
                prop_assert_eq!(o.status.code(), Some(0));
                let v = json_of(&o.stdout)?;
                prop_assert_eq!(v["id"].as_i64(), Some(*id));
                prop_assert_eq!(
                    v["display_name"].as_str(),
                    Some(name.as_str()),
                    "users show"
                );
            }
            let o = db
                .authctl()
                .args(["-o", "json", "users", "list", "--all"])
                .output()
                .unwrap();
            prop_assert_eq!(o.status.code(), Some(0));
            let list = json_of(&o.stdout)?;
            let o = db
                .authctl()
                .args(["-o", "csv", "users", "list", "--all"])
                .output()
                .unwrap();
            prop_assert_eq!(o.status.code(), Some(0));
            let rows = csv_rows(&o.stdout)?;
            prop_assert_eq!(rows.len(), list.as_array().unwrap().len());
            for (id, email, name) in &created {
                let j = list
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|u| u["id"].as_i64() == Some(*id))
                    .ok_or_else(|| TestCaseError::fail("missing from users list -o json"))?;
                prop_assert_eq!(j["display_name"].as_str(), Some(name.as_str()), "list json");
                prop_assert_eq!(j["email"].as_str(), Some(email.as_str()));
                let c = rows
                    .iter()
                    .find(|r| r.0 == *id)
                    .ok_or_else(|| TestCaseError::fail("missing from users list -o csv"))?;
                prop_assert_eq!(&c.2, name, "list csv");
                prop_assert_eq!(&c.1, email);
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{l}: {e}");
        }
    }
}
