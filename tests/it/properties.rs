//! Property tests: email normalization (against the application's CHECK), user
//! references, durations, database URLs, and values that go through the binary and both
//! databases and come back unchanged (ids, addresses, names, hashes, paging, fingerprints).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use serde_json::Value;

use authctl::db::target::pg_url_from_parts;
use authctl::db::{
    DatabaseTarget, DbConn, Inet, RefreshTokenId, SessionId, SessionToken, UserId, UtcDateTime,
};
use authctl::email::normalize;
use authctl::parse::{UserRef, parse_duration, parse_since};
use authctl::password::{HashParams, HashPolicy, PasswordHasher};
use authctl::repo::{self, NewRefreshToken, NewSession, NewUser, UserFilter};

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

/// A password every policy accepts.
const GOOD: &str = "Pelican orbit 7 marmalade";
/// A bcrypt-shaped hash for users whose password no property checks.
const FAKE_HASH: &str = "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123456";

/// The application's CHECK on `users.email`, as PostgreSQL evaluates it (`~*`).
const APP_EMAIL_REGEX: &str = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$";

/// Arbitrary text: any Unicode including controls, printable Unicode, text shaped
/// like an address with non-ASCII letters, and ASCII address-shaped text with the
/// characters the application's CHECK is about (so that the accepting paths are
/// exercised too).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,60}",
        "[ \t]{0,2}[A-Za-zÀ-ÖØ-öø-ÿΑ-Ωα-ωа-яА-Я0-9._%+'!#-]{1,20}@[A-Za-zà-öø-ÿ0-9-]{1,15}(\\.[A-Za-z0-9-]{1,10}){0,3}[ \t\n]{0,2}",
        ascii_address(),
    ]
}

/// ASCII text shaped like an address: mostly valid, often off by one character.
fn ascii_address() -> impl Strategy<Value = String> {
    "[ \t]{0,1}[A-Za-z0-9._%+!'\"(),:;<>\\[\\]@ -]{0,16}@[A-Za-z0-9._%+@ -]{0,16}(\\.[A-Za-z0-9-]{0,6}){0,2}[ \n]{0,1}"
}

/// Text the application's CHECK accepts (in any letter case, of any length up to
/// about 50 characters), dots and dashes anywhere its classes allow them.
fn check_shaped_address() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._%+-]{1,20}@[A-Za-z0-9.-]{1,20}\\.[A-Za-z]{2,6}"
}

/// ASCII address-shaped text, half of it valid.
fn any_ascii_address() -> impl Strategy<Value = String> {
    prop_oneof![ascii_address(), check_shaped_address()]
}

/// The application's CHECK written out (ASCII classes, one '@', a top-level part of
/// two or more letters after the last dot), applied case-insensitively like `~*`.
fn matches_app_check(s: &str) -> bool {
    let local_ok = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let domain_ok = |b: u8| b.is_ascii_alphanumeric() || b".-".contains(&b);
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let Some((head, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    !local.is_empty()
        && local.bytes().all(local_ok)
        && !head.is_empty()
        && head.bytes().all(domain_ok)
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
}

// ---------------------------------------------------------------------------------
// Email normalization

proptest! {
    #![proptest_config(config(2000))]

    /// Never panics; anything accepted is trimmed, lower-case ASCII, at most 255
    /// characters (the application's varchar(255)), satisfies the application's
    /// CHECK, and normalizes to itself, also when padded with whitespace or written
    /// in upper case. Refusals are data errors naming the input.
    #[test]
    fn email_normalization(s in text()) {
        match normalize(&s) {
            Ok(n) => {
                prop_assert_eq!(normalize(&n).ok(), Some(n.clone()), "idempotent");
                prop_assert_eq!(n.to_ascii_lowercase(), n.clone(), "lower-case");
                prop_assert!(n.is_ascii(), "{:?}", n);
                prop_assert_eq!(n.trim(), n.as_str(), "trimmed");
                prop_assert!(n.len() <= authctl::email::MAX_LEN);
                prop_assert!(matches_app_check(&n), "{:?} fails the application's CHECK", n);
                prop_assert_eq!(normalize(&format!(" \t{s}\n ")).ok(), Some(n.clone()), "padding");
                prop_assert_eq!(normalize(&n.to_ascii_uppercase()).ok(), Some(n.clone()), "case");
            }
            Err(e) => {
                prop_assert_eq!(e.kind, authctl::ExitCode::Data);
                prop_assert!(e.message.starts_with("invalid email address "), "{}", e.message);
            }
        }
    }

    /// For ASCII input authctl accepts exactly what the application's CHECK accepts
    /// (after trimming and lower-casing, up to 255 characters): it is neither
    /// stricter nor looser than the application.
    #[test]
    fn ascii_emails_are_accepted_exactly_when_the_check_accepts(s in any_ascii_address()) {
        let t = s.trim().to_ascii_lowercase();
        let check = matches_app_check(&t) && t.len() <= authctl::email::MAX_LEN;
        prop_assert_eq!(normalize(&s).is_ok(), check, "{:?}", s);
    }

    /// Well-formed addresses in any letter case are accepted and stored lower-case;
    /// as a user reference they are that email.
    #[test]
    fn valid_addresses_are_accepted_in_any_case(
        local in "[A-Za-z0-9._%+-]{1,30}",
        labels in proptest::collection::vec("[A-Za-z0-9-]{1,12}", 1..4),
        tld in "[A-Za-z]{2,8}",
    ) {
        let email = format!("{local}@{}.{tld}", labels.join("."));
        let lower = email.to_ascii_lowercase();
        prop_assert_eq!(normalize(&email).ok(), Some(lower.clone()));
        prop_assert_eq!(email.parse::<UserRef>().ok(), Some(UserRef::Email(lower)));
    }

    /// Any non-ASCII character makes an address invalid (the CHECK's classes are
    /// ASCII), and the message says so.
    #[test]
    fn non_ascii_addresses_are_refused(
        local in "[a-z]{1,5}",
        c in any::<char>().prop_filter("non-ASCII, not whitespace", |c| !c.is_ascii() && !c.is_whitespace() && !c.is_control()),
        at in 0usize..3,
    ) {
        let email = match at {
            0 => format!("{c}{local}@example.com"),
            1 => format!("{local}@ex{c}ample.com"),
            _ => format!("{local}@example.c{c}m"),
        };
        let e = normalize(&email).unwrap_err();
        prop_assert!(e.message.contains("ASCII"), "{}", e.message);
    }
}

per_backend! {
    /// Every address authctl accepts is stored by the CHECKed `users` table; on
    /// PostgreSQL, the server itself: every address authctl accepts matches the
    /// application's CHECK as PostgreSQL evaluates it (`~*`, the exact expression),
    /// and every ASCII string PostgreSQL's CHECK accepts (up to 255 characters,
    /// lower-cased) authctl accepts.
    fn emails_agree_with_the_check_in_the_databases(db) {
        let label = db.label();
        let conn = RefCell::new(db.migrated());
        let pg_check = db.is_postgres().then(|| {
            let pg = PgConnection::establish(&db.url()).expect("connect to the test database");
            RefCell::new(pg)
        });
        let inserted = Cell::new(0u32);
        let mut runner = TestRunner::new(config(300));
        let result = runner.run(&prop_oneof![3 => any_ascii_address(), 1 => text()], |s| {
            prop_assume!(!s.contains('\0'));
            let accepted = normalize(&s);
            if let Some(pg) = &pg_check {
                #[derive(QueryableByName)]
                struct Row {
                    #[diesel(sql_type = diesel::sql_types::Bool)]
                    ok: bool,
                }
                let lowered = s.trim().to_ascii_lowercase();
                let row: Row =
                    diesel::sql_query(format!("SELECT ($1 ~* '{APP_EMAIL_REGEX}') AS ok"))
                        .bind::<diesel::sql_types::Text, _>(&lowered)
                        .get_result(&mut *pg.borrow_mut())
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                if let Ok(n) = &accepted {
                    prop_assert!(
                        row.ok,
                        "authctl accepts {:?}, PostgreSQL's CHECK refuses it",
                        n
                    );
                } else if s.is_ascii() && lowered.len() <= authctl::email::MAX_LEN {
                    prop_assert!(
                        !row.ok,
                        "PostgreSQL's CHECK accepts {:?}, authctl refuses it",
                        s
                    );
                }
            }
            if let Ok(n) = accepted {
                let conn = &mut *conn.borrow_mut();
                if repo::users::find_by_email(conn, &n).unwrap().is_none() {
                    NewUser::new(&n, FAKE_HASH).insert(conn).map_err(|e| {
                        TestCaseError::fail(format!("{label}: {n:?} not stored: {e}"))
                    })?;
                    inserted.set(inserted.get() + 1);
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        assert!(
            inserted.get() > 20,
            "too few accepted addresses: {}",
            inserted.get()
        );
    }
}

// ---------------------------------------------------------------------------------
// User references

/// A uuid written in any of the forms an operator might paste.
fn uuid_forms(u: uuid::Uuid) -> Vec<String> {
    vec![
        u.hyphenated().to_string(),
        u.hyphenated().to_string().to_uppercase(),
        u.simple().to_string(),
        u.braced().to_string(),
        u.urn().to_string(),
    ]
}

proptest! {
    #![proptest_config(config(1000))]

    /// User ids are uuids: every form, padded or not, is that id; it displays in
    /// canonical lower-case form and parses back to itself.
    #[test]
    fn user_ref_ids_roundtrip(n in any::<u128>(), pad in "[ \t]{0,3}") {
        let u = uuid::Uuid::from_u128(n);
        for form in uuid_forms(u) {
            let r: UserRef = format!("{pad}{form}{pad}").parse().map_err(|e: authctl::Error| TestCaseError::fail(e.message))?;
            prop_assert_eq!(&r, &UserRef::Id(UserId(u)));
            prop_assert_eq!(r.to_string(), format!("id {}", u.hyphenated()));
        }
        let id = UserId(u);
        prop_assert_eq!(id.to_string().parse::<UserId>().ok(), Some(id));
        prop_assert_eq!(id.to_string(), id.to_string().to_lowercase());
    }

    /// The integer ids of old are neither ids nor emails: refused as data errors
    /// naming the value (a 32-digit number is a uuid in simple form, so it is not
    /// generated here).
    #[test]
    fn integer_ids_are_refused(n in any::<i64>(), big in any::<u128>()) {
        for s in [n.to_string(), big.to_string()] {
            prop_assume!(s.len() != 32);
            let e = s.parse::<UserRef>().unwrap_err();
            prop_assert_eq!(e.kind, authctl::ExitCode::Data);
            prop_assert!(e.message.contains(&format!("{s:?}")), "{}", e.message);
            prop_assert!(e.message.contains("neither a user id (uuid) nor an email address"), "{}", e.message);
        }
    }

    /// Text with an '@' is an email reference exactly when it normalizes, to the
    /// normalized address, which parses to itself again; text without one is an id
    /// exactly when it is a uuid; nothing panics.
    #[test]
    fn user_refs_are_emails_or_uuids(s in prop_oneof![text(), "[0-9a-fA-F-]{30,40}"]) {
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
        } else {
            match uuid::Uuid::try_parse(s.trim()) {
                Ok(u) => prop_assert_eq!(parsed.ok(), Some(UserRef::Id(UserId(u)))),
                Err(_) => prop_assert!(parsed.is_err(), "{:?} accepted", s),
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// IP addresses

/// An IPv4 or IPv6 address, as a host or with any prefix length (PostgreSQL's inet
/// keeps host bits, and so does ipnet).
fn inet() -> impl Strategy<Value = Inet> {
    prop_oneof![
        (any::<[u8; 4]>(), 0u8..=32, any::<bool>()).prop_map(|(a, p, host)| {
            let addr = std::net::IpAddr::from(a);
            if host {
                Inet::host(addr)
            } else {
                Inet(ipnet::IpNet::new(addr, p).unwrap())
            }
        }),
        (any::<[u8; 16]>(), 0u8..=128, any::<bool>()).prop_map(|(a, p, host)| {
            let addr = std::net::IpAddr::from(a);
            if host {
                Inet::host(addr)
            } else {
                Inet(ipnet::IpNet::new(addr, p).unwrap())
            }
        }),
        // IPv4-mapped and well-known IPv6 shapes.
        any::<[u8; 4]>().prop_map(|a| Inet::host(std::net::IpAddr::V6(
            std::net::Ipv4Addr::from(a).to_ipv6_mapped()
        ))),
        Just(Inet::host("::".parse().unwrap())),
        Just(Inet::host("::1".parse().unwrap())),
    ]
}

proptest! {
    #![proptest_config(config(2000))]

    /// The text form (what SQLite stores and listings print) parses back to the
    /// same value; a host prints without a prefix length.
    #[test]
    fn inet_text_roundtrip(ip in inet()) {
        let text = ip.to_string();
        prop_assert_eq!(text.parse::<Inet>().ok(), Some(ip), "{}", text);
        prop_assert_eq!(text.contains('/'), ip.0.prefix_len() != ip.0.max_prefix_len());
    }
}
// ---------------------------------------------------------------------------------
// Durations and points in time

proptest! {
    #![proptest_config(config(1000))]

    /// Every unit means what it says; a bare number (no unit) is refused; whitespace
    /// around does not matter; combinations add up.
    #[test]
    fn durations_mean_what_they_say(n in 0i64..=1_000_000_000, small in 0i64..=36_499, m in 0i64..60) {
        let d = |s: String| parse_duration(&s).map_err(|e| TestCaseError::fail(e.message));
        prop_assert_eq!(d(format!("{n}s"))?, chrono::Duration::seconds(n));
        prop_assert_eq!(d(format!(" {n}s "))?, chrono::Duration::seconds(n));
        prop_assert!(parse_duration(&format!("{}", n)).is_err(), "bare {} accepted", n);
        prop_assert_eq!(d(format!("{n}ms"))?, chrono::Duration::milliseconds(n));
        prop_assert_eq!(d(format!("{small}m"))?, chrono::Duration::minutes(small));
        prop_assert_eq!(d(format!("{small}h"))?, chrono::Duration::hours(small));
        prop_assert_eq!(d(format!("{small}d"))?, chrono::Duration::days(small));
        prop_assert_eq!(
            d(format!("{small}h {m}m"))?,
            chrono::Duration::hours(small) + chrono::Duration::minutes(m)
        );
    }

    /// Nothing longer than 100 years (36,525 days: a `y` is 365.25 days) is accepted:
    /// every cutoff stays a time both backends can store.
    #[test]
    fn durations_beyond_100_years_are_refused(days in 36_526i64..=10_000_000) {
        let text = format!("{}d", days);
        prop_assert!(parse_duration(&text).is_err(), "{} accepted", text);
        prop_assert!(parse_since(&text, UtcDateTime::now()).is_err(), "{} accepted", text);
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
                // A bad duration or time is a bad flag value: usage (64).
                prop_assert_eq!(e.kind, authctl::ExitCode::Usage);
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
            // libpq refuses a raw '=' inside a query value ("extra key/value
            // separator"), and so does authctl's parser now: encode it.
            let q = pass.replace('=', "%3D");
            format!("postgres://{user}@{host}:{port}/{db}?password={q}{extra}")
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

    /// Issue 18: however short the password, no error text that shows the URL
    /// (as libpq quotes it, or as it is handed to libpq) shows the password: it is
    /// scrubbed by its place in the URL, the rest of the message kept.
    #[test]
    fn scrubbing_hides_passwords_of_any_length(
        user in "[a-z][a-z0-9_]{0,10}",
        // (not '*', the mask itself)
        pass in "[A-Za-z0-9._~!$'(),;=-]{1,3}",
        host in host(),
        port in 1u16..=65535,
        db in "[a-z_][a-z0-9_]{0,12}",
        in_query in any::<bool>(),
    ) {
        let url = if in_query {
            let q = pass.replace('=', "%3D");
            format!("postgres://{user}@{host}:{port}/{db}?password={q}")
        } else {
            format!("postgres://{user}:{pass}@{host}:{port}/{db}")
        };
        let t = DatabaseTarget::parse(&url).map_err(|e| TestCaseError::fail(e.message))?;
        let DatabaseTarget::Postgres(pg) = &t else {
            return Err(TestCaseError::fail("not PostgreSQL"));
        };
        for shown in [url.clone(), pg.expose().to_owned(), pg.with_defaults(5)] {
            let msg = format!("invalid URI: \"{shown}\" (user {user:?}, database {db:?})");
            let out = t.scrub(&msg);
            prop_assert!(
                !out.contains(&format!(":{pass}@")) && !out.contains(&format!("password={pass}")),
                "{}", out
            );
            let tail = format!("(user {user:?}, database {db:?})");
            prop_assert!(out.ends_with(&tail), "{}", out);
        }
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
// Ids and addresses through both backends

fn json_of(stdout: &[u8]) -> Result<Value, TestCaseError> {
    serde_json::from_slice(stdout).map_err(|e| {
        TestCaseError::fail(format!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(stdout)
        ))
    })
}

/// Run authctl; the exit code must be 0. Returns stdout.
fn ok(cmd: &mut assert_cmd::Command) -> Result<Vec<u8>, TestCaseError> {
    let o = cmd
        .output()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    if o.status.code() != Some(0) {
        return Err(TestCaseError::fail(format!(
            "exit {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        )));
    }
    Ok(o.stdout)
}

/// A refresh token as the application stores it: a JWT-shaped string of at least
/// 32 characters, or (rarely) any printable text of that length.
fn raw_token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "eyJ[A-Za-z0-9_-]{17}\\.[A-Za-z0-9_-]{20,80}\\.[A-Za-z0-9_-]{43}",
        1 => "[!-~]{32,64}",
        1 => "\\PC{32,48}".prop_filter("no NUL", |s| !s.contains('\0')),
    ]
}

per_backend! {
    /// User ids, session and token ids, session tokens and IP addresses are stored and
    /// read back unchanged on both backends (uuid/inet on PostgreSQL, text on SQLite),
    /// and the binary prints them in canonical form, finding the user by an upper-case
    /// id.
    fn ids_and_addresses_roundtrip_through_both_backends(db) {
        let l = db.label();
        let conn_cell = RefCell::new(db.migrated());
        let n = Cell::new(0u32);
        let mut runner = TestRunner::new(config(16));
        let u128s = || prop_oneof![8 => any::<u128>(), 1 => Just(0u128), 1 => Just(u128::MAX)];
        let strategy = (
            u128s(),
            u128s(),
            u128s(),
            any::<u128>(),
            inet(),
            inet(),
            raw_token(),
        );
        let result = runner.run(&strategy, |(uid, sid, tid, stok, sip, tip, token)| {
            let mut conn = conn_cell.borrow_mut();
            n.set(n.get() + 1);
            let uid = UserId(uuid::Uuid::from_u128(uid));
            let sid = SessionId(uuid::Uuid::from_u128(sid));
            let tid = RefreshTokenId(uuid::Uuid::from_u128(tid));
            let stok = SessionToken(uuid::Uuid::from_u128(stok));
            // Ids are primary keys: a repeated draw (the nil or max uuid) is a new
            // database state, not a new case.
            prop_assume!(repo::users::find(&mut conn, uid).unwrap().is_none());
            prop_assume!(
                repo::login_sessions::find(&mut conn, sid)
                    .unwrap()
                    .is_none()
            );
            prop_assume!(
                repo::refresh_tokens::find(&mut conn, tid)
                    .unwrap()
                    .is_none()
            );
            prop_assume!(
                repo::refresh_tokens::find_by_token(&mut conn, &token)
                    .unwrap()
                    .is_none()
            );
            let email = format!("ip{}@example.com", n.get());
            let mut u = NewUser::new(&email, FAKE_HASH);
            u.id = uid;
            let stored = u
                .insert(&mut conn)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(stored.id, uid);
            prop_assert_eq!(
                repo::users::find_by_email(&mut conn, &email)
                    .unwrap()
                    .map(|u| u.id),
                Some(uid)
            );

            let mut s = NewSession::new(uid, chrono::Duration::hours(1));
            s.session_id = sid;
            s.session_token = stok;
            s.ip_address = Some(sip);
            let s = repo::login_sessions::create(&mut conn, &s)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(
                (s.session_id, s.user_id, s.session_token, s.ip_address),
                (sid, uid, stok, Some(sip))
            );
            let found = repo::login_sessions::find_by_token(&mut conn, stok)
                .unwrap()
                .map(|s| s.session_id);
            prop_assert_eq!(found, Some(sid));

            let mut t =
                NewRefreshToken::new(uid, &token, UtcDateTime::now() + chrono::Duration::days(7));
            t.id = tid;
            t.ip_address = Some(tip);
            let t = repo::refresh_tokens::create(&mut conn, &t)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(
                (t.id, t.user_id, t.ip_address, t.token.as_str()),
                (tid, uid, Some(tip), token.as_str())
            );
            let found = repo::refresh_tokens::find_by_token(&mut conn, &token)
                .unwrap()
                .map(|t| t.id);
            prop_assert_eq!(found, Some(tid));

            let upper = uid.to_string().to_uppercase();
            let out = ok(db.authctl().args([
                "-o", "json", "sessions", "list", "--state", "all", "--user", &upper,
            ]))?;
            let v = json_of(&out)?;
            let rows = v.as_array().cloned().unwrap_or_default();
            prop_assert_eq!(rows.len(), 1, "{}", v);
            prop_assert_eq!(
                rows[0]["id"].as_str().map(str::to_owned),
                Some(sid.to_string())
            );
            prop_assert_eq!(
                rows[0]["user_id"].as_str().map(str::to_owned),
                Some(uid.to_string())
            );
            prop_assert_eq!(
                rows[0]["ip_address"].as_str().map(str::to_owned),
                Some(sip.to_string())
            );
            let out = ok(db.authctl().args([
                "-o", "json", "tokens", "list", "--state", "all", "--user", &email,
            ]))?;
            let v = json_of(&out)?;
            let rows = v.as_array().cloned().unwrap_or_default();
            prop_assert_eq!(rows.len(), 1, "{}", v);
            prop_assert_eq!(
                rows[0]["id"].as_str().map(str::to_owned),
                Some(tid.to_string())
            );
            prop_assert_eq!(
                rows[0]["ip_address"].as_str().map(str::to_owned),
                Some(tip.to_string())
            );
            Ok(())
        });
        if let Err(e) = result {
            panic!("{l}: {e}");
        }
    }
}

// ---------------------------------------------------------------------------------
// Keyset paging

/// Addresses that sort differently bytewise and under a linguistic collation
/// (punctuation, digits, the same local part at different domains).
fn emails() -> impl Strategy<Value = Vec<(String, usize)>> {
    proptest::collection::vec(
        (
            "[a-z0-9._%+-]{1,8}",
            prop_oneof![
                Just("example.com"),
                Just("ex-ample.org"),
                Just("a.io"),
                Just("z9.co")
            ],
            0usize..3,
        )
            .prop_map(|(local, domain, role)| (format!("{local}@{domain}"), role)),
        1..30,
    )
}

const ROLES: [&str; 3] = ["user", "admin", "premium"];

/// Replace every user with these (normalized, deduplicated); returns email → role.
fn load_users(conn: &mut DbConn, users: &[(String, usize)]) -> BTreeMap<String, &'static str> {
    conn.batch_execute("DELETE FROM users").unwrap();
    let mut wanted = BTreeMap::new();
    for (email, role) in users {
        let email = normalize(email).expect("generated addresses are valid");
        if wanted.contains_key(&email) {
            continue;
        }
        let mut u = NewUser::new(&email, FAKE_HASH);
        u.role = ROLES[*role];
        u.insert(conn).unwrap();
        wanted.insert(email, ROLES[*role]);
    }
    wanted
}

/// Page through the users with `--limit k` (library and binary), following the last
/// email of each page: every user (of the role) appears exactly once, in the order
/// of one unpaged listing — on SQLite (bytewise) and PostgreSQL with the server's
/// collation.
fn check_keyset_paging_by_email(l: &str, db: &TestDb) {
    let conn_cell = RefCell::new(db.migrated());
    let binary_runs = Cell::new(0u32);
    let mut runner = TestRunner::new(config(16));
    let strategy = (emails(), 1i64..=8, proptest::option::of(0usize..3));
    let result = runner.run(&strategy, |(users, k, role)| {
        let mut conn = conn_cell.borrow_mut();
        let wanted = load_users(&mut conn, &users);
        let role = role.map(|r| ROLES[r]);
        let expected: BTreeSet<&String> = wanted
            .iter()
            .filter(|(_, r)| role.is_none_or(|x| x == **r))
            .map(|(e, _)| e)
            .collect();
        let filter = UserFilter {
            role: role.map(str::to_owned),
            limit: 10_000,
            ..Default::default()
        };
        let unpaged: Vec<String> = repo::users::list(&mut conn, &filter)
            .unwrap()
            .into_iter()
            .map(|u| u.email)
            .collect();
        prop_assert_eq!(unpaged.iter().collect::<BTreeSet<_>>(), expected.clone());

        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let page = repo::users::list(
                &mut conn,
                &UserFilter {
                    after_email: after.clone(),
                    limit: k,
                    ..filter.clone()
                },
            )
            .unwrap();
            prop_assert!(page.len() as i64 <= k);
            prop_assert!(paged.len() <= unpaged.len(), "paging does not end");
            let Some(last) = page.last() else { break };
            after = Some(last.email.clone());
            paged.extend(page.into_iter().map(|u| u.email));
        }
        prop_assert_eq!(&paged, &unpaged, "library pages of {}", k);

        // The binary, for the first cases of each database (each page is a process).
        if binary_runs.get() < 4 {
            binary_runs.set(binary_runs.get() + 1);
            let mut paged = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let mut cmd = db.authctl();
                cmd.args(["-o", "json", "users", "list", "--limit", &k.to_string()]);
                if let Some(r) = role {
                    cmd.args(["--role", r]);
                }
                if let Some(a) = &after {
                    cmd.arg(format!("--after={a}"));
                }
                let page = json_of(&ok(&mut cmd)?)?;
                let page: Vec<String> = page
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u["email"].as_str().unwrap().to_owned())
                    .collect();
                prop_assert!(page.len() as i64 <= k);
                prop_assert!(paged.len() <= unpaged.len(), "paging does not end");
                let Some(last) = page.last() else { break };
                after = Some(last.clone());
                paged.extend(page);
            }
            prop_assert_eq!(&paged, &unpaged, "authctl users list --limit {}", k);
            let mut cmd = db.authctl();
            cmd.args(["-o", "json", "users", "list", "--all"]);
            if let Some(r) = role {
                cmd.args(["--role", r]);
            }
            let all: Vec<String> = json_of(&ok(&mut cmd)?)?
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["email"].as_str().unwrap().to_owned())
                .collect();
            prop_assert_eq!(&all, &unpaged, "authctl users list --all");
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{l}: {e}");
    }
}

per_backend! {
    fn keyset_paging_by_email_visits_every_user_once(db) {
        check_keyset_paging_by_email(db.label(), &db);
    }
}

/// [`check_keyset_paging_by_email`] on PostgreSQL with
/// `users.email` under a linguistic (ICU en-US) collation, as an application
/// database created with an `en_US` locale has.
#[test]
fn keyset_paging_by_email_visits_every_user_once_under_an_icu_collation() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    db.migrated();
    db.exec(r#"ALTER TABLE users ALTER COLUMN email TYPE varchar(255) COLLATE "en-US-x-icu""#);
    // The collation is in effect: ICU sorts '_' before digits, bytes do not.
    let mut conn = db.connect();
    load_users(&mut conn, &[("0@a.io".into(), 0), ("_@a.io".into(), 0)]);
    let order: Vec<String> = repo::users::list(
        &mut conn,
        &UserFilter {
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap()
    .into_iter()
    .map(|u| u.email)
    .collect();
    assert_eq!(
        order,
        ["_@a.io", "0@a.io"],
        "users.email is not under the ICU collation"
    );
    check_keyset_paging_by_email("postgres, email collated en-US (ICU)", &db);
}

// ---------------------------------------------------------------------------------
// Disable and enable

/// A stored password hash: real bcrypt (`$2b$`, cost 10) or argon2id of a known
/// password, a bcryptjs-shaped `$2a$` string, or another scheme's text.
#[derive(Debug, Clone)]
enum StoredHash {
    Real { password: String, argon2: bool },
    Shaped(String),
}

fn stored_hash() -> impl Strategy<Value = StoredHash> {
    prop_oneof![
        ("[A-Za-z0-9 ]{8,40}", any::<bool>())
            .prop_map(|(password, argon2)| StoredHash::Real { password, argon2 }),
        "\\$2[aby]\\$1[0-2]\\$[./A-Za-z0-9]{53}".prop_map(StoredHash::Shaped),
        // At least 20 characters: a shorter arbitrary string (say "0") appears in
        // any JSON output, so "the hash is never printed" could not be checked.
        "[\"-~][ -~]{19,150}".prop_map(StoredHash::Shaped),
    ]
}

per_backend! {
    /// `users disable` stores `!` + the hash (no password verifies it), a second
    /// disable changes nothing, and `users enable` restores the exact hash, byte for
    /// byte, so the same password works again. The hash is never printed.
    fn disable_then_enable_restores_the_exact_hash(db) {
        let bcrypt = PasswordHasher::new(HashPolicy::Bcrypt { cost: 10 }).unwrap();
        let argon2 = PasswordHasher::new(HashPolicy::Argon2id(HashParams::OWASP_MINIMUM)).unwrap();
        let l = db.label();
        let conn_cell = RefCell::new(db.migrated());
        let n = Cell::new(0u32);
        let mut runner = TestRunner::new(config(8));
        let result = runner.run(&(stored_hash(), any::<bool>()), |(h, by_id)| {
            let mut conn = conn_cell.borrow_mut();
            n.set(n.get() + 1);
            let (hash, password) = match &h {
                StoredHash::Real {
                    password,
                    argon2: a,
                } => {
                    let hasher = if *a { &argon2 } else { &bcrypt };
                    (
                        hasher.hash(password.as_bytes()).unwrap(),
                        Some(password.clone()),
                    )
                }
                StoredHash::Shaped(s) => (s.clone(), None),
            };
            let email = format!("dis{}@example.com", n.get());
            let user = NewUser::new(&email, &hash).insert(&mut conn).unwrap();
            let who = if by_id {
                user.id.to_string()
            } else {
                email.to_uppercase()
            };
            let stored = |conn: &mut DbConn| {
                repo::users::find(conn, user.id)
                    .unwrap()
                    .unwrap()
                    .password_hash
            };
            let verifies = |conn: &mut DbConn| {
                password
                    .as_ref()
                    .map(|p| bcrypt.verify(p.as_bytes(), &stored(conn)).unwrap())
            };
            prop_assert_eq!(verifies(&mut conn), password.as_ref().map(|_| true));

            for round in 0..2 {
                let out = ok(db.authctl().args([
                    "-o", "json", "users", "disable", &who, "--reason", "property",
                ]))?;
                prop_assert!(
                    !String::from_utf8_lossy(&out).contains(&hash),
                    "hash printed"
                );
                prop_assert_eq!(json_of(&out)?["changed"].as_bool(), Some(round == 0));
                prop_assert_eq!(stored(&mut conn), format!("!{hash}"), "round {}", round);
                prop_assert_eq!(verifies(&mut conn), password.as_ref().map(|_| false));
            }
            let shown = ok(db.authctl().args(["-o", "json", "users", "show", &who]))?;
            prop_assert_eq!(
                json_of(&shown)?["status"].as_str().map(str::to_owned),
                Some("disabled".to_owned())
            );
            prop_assert!(
                !String::from_utf8_lossy(&shown).contains(&hash),
                "hash printed"
            );

            let out = ok(db.authctl().args(["-o", "json", "users", "enable", &who]))?;
            prop_assert_eq!(
                json_of(&out)?["status"].as_str().map(str::to_owned),
                Some("active".to_owned())
            );
            prop_assert_eq!(
                stored(&mut conn),
                hash.clone(),
                "enable restores the exact hash"
            );
            prop_assert_eq!(verifies(&mut conn), password.as_ref().map(|_| true));
            Ok(())
        });
        if let Err(e) = result {
            panic!("{l}: {e}");
        }
    }
}

// ---------------------------------------------------------------------------------
// Token fingerprints

/// `sha256:` and the first 16 hex digits of the SHA-256 of the token, computed here
/// independently of authctl.
fn expected_fingerprint(token: &str) -> String {
    use sha2::Digest;
    let hex = hex::encode(sha2::Sha256::digest(token.as_bytes()));
    format!("sha256:{}", &hex[..16])
}

proptest! {
    #![proptest_config(config(1000))]

    /// The fingerprint is the documented SHA-256 prefix, and never contains the
    /// token (nor does its hex part contain a sizeable piece of it).
    #[test]
    fn fingerprint_is_a_short_sha256_prefix(token in prop_oneof![raw_token(), any::<u128>().prop_map(|u| uuid::Uuid::from_u128(u).to_string())]) {
        let f = authctl::token::fingerprint(&token);
        prop_assert_eq!(&f, &expected_fingerprint(&token));
        prop_assert_eq!(f.len(), "sha256:".len() + authctl::token::FINGERPRINT_LEN);
        prop_assert!(!f.contains(&token));
        let chars: Vec<char> = token.chars().collect();
        for w in chars.windows(12) {
            let piece: String = w.iter().collect();
            prop_assert!(!f.contains(&piece), "{} contains {:?}", f, piece);
        }
    }
}

per_backend! {
    /// Listings and `users show`, in every format, show tokens and session tokens only
    /// as their fingerprints (the documented SHA-256 prefix), never the raw value; a
    /// token piped to `--token-stdin` is revoked without being echoed.
    fn tokens_are_shown_only_as_fingerprints(db) {
        let l = db.label();
        let conn_cell = RefCell::new(db.migrated());
        let n = Cell::new(0u32);
        let mut runner = TestRunner::new(config(6));
        let strategy = (
            proptest::collection::vec(raw_token(), 1..4),
            proptest::collection::vec(any::<u128>(), 1..3),
        );
        let result = runner.run(&strategy, |(tokens, sessions)| {
            let mut conn = conn_cell.borrow_mut();
            n.set(n.get() + 1);
            let tokens: Vec<String> = tokens
                .into_iter()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            for t in &tokens {
                prop_assume!(
                    repo::refresh_tokens::find_by_token(&mut conn, t)
                        .unwrap()
                        .is_none()
                );
            }
            let email = format!("fp{}@example.com", n.get());
            let user = NewUser::new(&email, FAKE_HASH).insert(&mut conn).unwrap();
            let mut secrets = BTreeMap::new();
            for t in &tokens {
                let row = NewRefreshToken::new(
                    user.id,
                    t,
                    UtcDateTime::now() + chrono::Duration::days(7),
                );
                let row = repo::refresh_tokens::create(&mut conn, &row).unwrap();
                secrets.insert(row.id.to_string(), t.clone());
            }
            for s in &sessions {
                let mut row = NewSession::new(user.id, chrono::Duration::hours(2));
                row.session_token = SessionToken(uuid::Uuid::from_u128(*s));
                prop_assume!(
                    repo::login_sessions::find_by_token(&mut conn, row.session_token)
                        .unwrap()
                        .is_none()
                );
                let row = repo::login_sessions::create(&mut conn, &row).unwrap();
                secrets.insert(row.session_id.to_string(), row.session_token.to_string());
            }
            let shows_secret = |out: &[u8]| {
                let text = String::from_utf8_lossy(out);
                secrets
                    .values()
                    .find(|s| text.contains(s.as_str()) || text.contains(&s.replace('-', "")))
                    .cloned()
            };
            for kind in ["tokens", "sessions"] {
                for format in ["json", "csv", "table"] {
                    let out = ok(db.authctl().args([
                        "-o", format, kind, "list", "--state", "all", "--user", &email,
                    ]))?;
                    prop_assert_eq!(shows_secret(&out), None, "{} list -o {}", kind, format);
                    if format == "json" {
                        for row in json_of(&out)?.as_array().unwrap() {
                            let id = row["id"].as_str().unwrap();
                            let raw = &secrets[id];
                            prop_assert_eq!(
                                row["fingerprint"].as_str().map(str::to_owned),
                                Some(expected_fingerprint(raw))
                            );
                        }
                    }
                }
            }
            for format in ["json", "table"] {
                let out = ok(db.authctl().args(["-o", format, "users", "show", &email]))?;
                prop_assert_eq!(shows_secret(&out), None, "users show -o {}", format);
            }
            // Revoke one of each by its raw value on stdin.
            let token = &tokens[0];
            let o = db
                .authctl()
                .args(["tokens", "revoke", "--token-stdin"])
                .write_stdin(format!("{token}\n"))
                .output()
                .unwrap();
            prop_assert_eq!(
                o.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            prop_assert_eq!(shows_secret(&o.stdout), None);
            prop_assert_eq!(shows_secret(&o.stderr), None);
            let row = repo::refresh_tokens::find_by_token(&mut conn, token)
                .unwrap()
                .unwrap();
            prop_assert_eq!(row.is_revoked, Some(true));
            let session = SessionToken(uuid::Uuid::from_u128(sessions[0]));
            let o = db
                .authctl()
                .args(["sessions", "revoke", "--token-stdin"])
                .write_stdin(session.to_string())
                .output()
                .unwrap();
            prop_assert_eq!(
                o.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            prop_assert_eq!(shows_secret(&o.stdout), None);
            prop_assert_eq!(shows_secret(&o.stderr), None);
            let row = repo::login_sessions::find_by_token(&mut conn, session)
                .unwrap()
                .unwrap();
            prop_assert_eq!(row.is_active, Some(false));
            Ok(())
        });
        if let Err(e) = result {
            panic!("{l}: {e}");
        }
    }
}

// ---------------------------------------------------------------------------------
// Values through the binary

/// Names with quotes, commas, semicolons, backslashes, line separators,
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
        1 => "\\PC{250,260}",
    ]
}

/// What authctl stores for a name: `None` when it must refuse it (empty, a
/// character that could steer a terminal — control, bidi, line separators — or
/// too long).
fn stored_name(name: &str) -> Option<String> {
    let t = name.trim();
    (!t.is_empty()
        && !t.chars().any(authctl::output::is_terminal_unsafe)
        && t.chars().count() <= authctl::ops::users::NAME_MAX_LEN)
        .then(|| t.to_owned())
}

/// `(id, email, name)` of every row of `users list -o csv`.
fn csv_rows(stdout: &[u8]) -> Result<Vec<(String, String, String)>, TestCaseError> {
    let fail = |e: csv::Error| TestCaseError::fail(format!("bad CSV: {e}"));
    let mut r = csv::Reader::from_reader(stdout);
    let headers = r.headers().map_err(fail)?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, email, name) = (col("id"), col("email"), col("name"));
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(fail)?;
        prop_assert_eq!(rec.len(), headers.len());
        rows.push((
            rec[id].to_owned(),
            rec[email].to_owned(),
            rec[name].to_owned(),
        ));
    }
    Ok(rows)
}

per_backend! {
    /// Users created through the binary with generated names and addresses (passed in
    /// upper case) come back byte for byte from `users show -o json`, `users list -o
    /// json` and `users list -o csv` (CSV escapes control characters, which are refused
    /// anyway); a name authctl must refuse is refused with 65 and creates nothing.
    fn names_and_emails_roundtrip_through_json_and_csv(db) {
        let l = db.label();
        db.migrated();
        let n = Cell::new(0u32);
        let mut runner = TestRunner::new(config(8));
        let strategy =
            proptest::collection::vec((display_name(), "[a-z0-9][a-z0-9._%+-]{0,10}"), 1..=2);
        let result = runner.run(&strategy, |batch| {
            let mut created = Vec::new();
            for (name, local) in batch {
                n.set(n.get() + 1);
                let email = format!("{local}.{}@ex-ample.org", n.get());
                let o = db
                    .authctl()
                    .env("PW", GOOD)
                    .env("AUTHCTL_BCRYPT_COST", "10")
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
                        prop_assert!(String::from_utf8_lossy(&o.stderr).contains("invalid name"));
                        let exists = ok(db
                            .authctl()
                            .args(["-o", "json", "users", "list", "--search", &email]))?;
                        prop_assert_eq!(json_of(&exists)?.as_array().map(Vec::len), Some(0));
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
                        prop_assert_eq!(v["name"].as_str(), Some(stored.as_str()));
                        prop_assert_eq!(v["email"].as_str(), Some(email.as_str()));
                        let id = v["id"].as_str().unwrap().to_owned();
                        prop_assert!(id.parse::<UserId>().is_ok(), "{}", id);
                        created.push((id, email, stored));
                    }
                }
            }
            for (id, email, name) in &created {
                for who in [id, email] {
                    let v = json_of(&ok(db
                        .authctl()
                        .args(["-o", "json", "users", "show", who]))?)?;
                    prop_assert_eq!(v["id"].as_str(), Some(id.as_str()));
                    prop_assert_eq!(v["name"].as_str(), Some(name.as_str()), "users show");
                }
            }
            let list = json_of(&ok(db
                .authctl()
                .args(["-o", "json", "users", "list", "--all"]))?)?;
            let rows = csv_rows(&ok(db
                .authctl()
                .args(["-o", "csv", "users", "list", "--all"]))?)?;
            prop_assert_eq!(rows.len(), list.as_array().unwrap().len());
            for (id, email, name) in &created {
                let j = list
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|u| u["id"].as_str() == Some(id.as_str()))
                    .ok_or_else(|| TestCaseError::fail("missing from users list -o json"))?;
                prop_assert_eq!(j["name"].as_str(), Some(name.as_str()), "list json");
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

// ---------------------------------------------------------------------------------
// Names in any script; hashes at full length

/// Names as people write them, with letters whose lower case depends on context or
/// expands (Greek final sigma, Turkish dotted I, German sharp s).
fn cased_name() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[A-Za-zÀ-ÖØ-öø-ÿΑ-Ωα-ωА-Яа-я]{1,6}",
        1 => prop_oneof![
            Just("ΝΙΚΟΣ"), Just("Οδυσσέας"), Just("ΣΟΦΟΣ"), Just("İstanbul"), Just("STRAẞE"),
            Just("Straße"), Just("ǅemal"), Just(" "),
        ]
        .prop_map(str::to_owned),
    ];
    proptest::collection::vec(piece, 1..4).prop_map(|v| v.concat())
}

per_backend! {
    /// `users list --search TEXT` finds a user by any piece of its name exactly as
    /// stored, on both backends.
    fn search_finds_a_user_by_any_piece_of_its_name(db) {
        let l = db.label();
        let conn_cell = RefCell::new(db.migrated());
        // The shortest known failures first, then the property.
        for (i, (name, piece)) in [("ΝΙΚΟΣ", "ΝΙΚΟΣ"), ("ΝΙΚΟΣ", "Σ"), ("İstanbul", "İst")]
            .into_iter()
            .enumerate()
        {
            let conn = &mut *conn_cell.borrow_mut();
            let email = format!("example{i}@example.com");
            let mut u = NewUser::new(&email, FAKE_HASH);
            u.name = Some(name);
            u.insert(conn).unwrap();
            let filter = UserFilter {
                search: Some(piece.to_owned()),
                limit: 10_000,
                ..Default::default()
            };
            let found = repo::users::list(conn, &filter).unwrap();
            assert!(
                found.iter().any(|u| u.email == email),
                "{l}: --search {piece:?} does not find the user named {name:?}"
            );
        }
        let n = Cell::new(0u32);
        let mut runner = TestRunner::new(config(64));
        let result = runner.run(
            &(cased_name(), any::<usize>(), any::<usize>()),
            |(name, a, b)| {
                let mut conn = conn_cell.borrow_mut();
                let name = name.trim().to_owned();
                prop_assume!(!name.is_empty());
                n.set(n.get() + 1);
                let email = format!("search{}@example.com", n.get());
                let mut u = NewUser::new(&email, FAKE_HASH);
                u.name = Some(&name);
                u.insert(&mut conn).unwrap();
                let chars: Vec<char> = name.chars().collect();
                let (from, to) = (a % chars.len(), b % chars.len());
                let piece: String = chars[from.min(to)..=from.max(to)].iter().collect();
                prop_assume!(!piece.trim().is_empty());
                let found: Vec<String> = repo::users::list(
                    &mut conn,
                    &UserFilter {
                        search: Some(piece.clone()),
                        limit: 10_000,
                        ..Default::default()
                    },
                )
                .unwrap()
                .into_iter()
                .map(|u| u.email)
                .collect();
                prop_assert!(
                    found.contains(&email),
                    "--search {:?} does not find the user named {:?}",
                    piece,
                    name
                );
                Ok(())
            },
        );
        if let Err(e) = result {
            panic!("{l}: {e}");
        }
    }
}

per_backend! {
    /// A stored hash of the column's full 255 characters cannot take the `!` marker:
    /// `users disable` must refuse it as a data error that says why, and change
    /// nothing — not fail inside the database (PostgreSQL: "value too long", exit 70;
    /// SQLite: a raw CHECK message).
    fn disabling_a_full_length_hash_is_refused_cleanly(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let hash = format!("$argon2id$v=19$m=19456,t=2,p=1${}", "A".repeat(224));
        assert_eq!(hash.len(), 255);
        NewUser::new("full@example.com", &hash)
            .insert(&mut conn)
            .unwrap();
        let o = db
            .authctl()
            .args(["users", "disable", "full@example.com"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(65), "{l}: {stderr}");
        assert!(stderr.contains("255"), "{l}: {stderr}");
        assert!(
            !stderr.contains("CHECK constraint") && !stderr.contains("character varying"),
            "{l}: {stderr}"
        );
        let stored = repo::users::find_by_email(&mut conn, "full@example.com")
            .unwrap()
            .unwrap();
        assert_eq!(stored.password_hash, hash, "{l}");
    }
}
