//! Email addresses: validation, the normalized form stored in `users.email`, and
//! escaping of values for the terminal.

use crate::error::Error;

/// Longest address accepted: the application's `email varchar(255)`.
pub const MAX_LEN: usize = 255;

/// Characters the application's CHECK allows before the '@'.
fn local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Characters the application's CHECK allows after the '@'.
fn domain_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Validate and normalize an address: trimmed and lower-cased (as the application
/// registers users), so that uniqueness and look-ups are case-insensitive.
///
/// Accepted are exactly the addresses the application's CHECK constraint accepts,
/// `^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$` (ASCII only), of at most
/// [`MAX_LEN`] characters: PostgreSQL refuses any other, so authctl refuses them
/// first, with the reason.
pub fn normalize(input: &str) -> Result<String, Error> {
    let shown = printable(input);
    let bad = |why: &str| Error::data(format!("invalid email address {shown}: {why}"));
    let email = input.trim().to_ascii_lowercase();
    if email.is_empty() {
        return Err(bad("it is empty"));
    }
    if let Some(c) = email.chars().find(|c| !c.is_ascii()) {
        return Err(bad(&format!(
            "character {c:?} is not ASCII (the application accepts ASCII addresses only)"
        )));
    }
    if email.len() > MAX_LEN {
        return Err(bad(&format!("longer than {MAX_LEN} characters")));
    }
    if email.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad("it contains whitespace or control characters"));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(bad("it has no '@'"));
    };
    if local.is_empty() {
        return Err(bad("the part before '@' is empty"));
    }
    if domain.contains('@') {
        return Err(bad("it has more than one '@'"));
    }
    if let Some(c) = local.bytes().find(|b| !local_char(*b)) {
        return Err(bad(&format!(
            "character {:?} is not allowed before '@' (allowed: letters, digits and . _ % + -)",
            c as char
        )));
    }
    if domain.is_empty() {
        return Err(bad("the domain is empty"));
    }
    if let Some(c) = domain.bytes().find(|b| !domain_char(*b)) {
        return Err(bad(&format!(
            "character {:?} is not allowed in the domain (allowed: letters, digits, '.' and '-')",
            c as char
        )));
    }
    let Some((head, tld)) = domain.rsplit_once('.') else {
        return Err(bad("the domain needs a dot (e.g. example.com)"));
    };
    if head.is_empty() {
        return Err(bad("nothing before the domain's last dot"));
    }
    if tld.len() < 2 || !tld.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(bad(
            "the top-level domain (after the last dot) must be at least 2 letters",
        ));
    }
    Ok(email)
}

/// The local part (before '@') of a normalized address.
pub fn local_part(email: &str) -> &str {
    email.rsplit_once('@').map(|(l, _)| l).unwrap_or(email)
}

/// Quote a user-supplied value for an error message: escaped, and cut at 80 characters.
pub fn printable(s: &str) -> String {
    let cut: String = s.chars().take(80).collect();
    let mut out = format!("{cut:?}");
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// A value read from the database, safe to show in a table or message (one
/// implementation: [`crate::output::terminal_safe`]).
pub use crate::output::terminal_safe;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(
            normalize("  Alice@Example.COM ").unwrap(),
            "alice@example.com"
        );
        assert_eq!(
            normalize("a.b+tag@sub.example.org").unwrap(),
            "a.b+tag@sub.example.org"
        );
        assert_eq!(normalize("x_y%z-1@a-b.io").unwrap(), "x_y%z-1@a-b.io");
        assert_eq!(local_part("a.b+tag@x.org"), "a.b+tag");
        // What the CHECK accepts is accepted, even where RFC 5321 is stricter.
        assert_eq!(normalize("a..b@x..com").unwrap(), "a..b@x..com");
        let long_local = format!("{}@example.com", "a".repeat(100));
        assert_eq!(normalize(&long_local).unwrap(), long_local);
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            " ",
            "plain",
            "@example.com",
            "a@",
            "a@@example.com",
            "a@b@example.com",
            "a b@example.com",
            "a@intranet",
            "root@localhost",
            "a@.com",
            "a@x.c",
            "a@x.c0m",
            "a\"b@x.com",
            "a!b@x.com",
            "a@x.com'; DROP TABLE users;--",
            "a@1.2.3.4",
            "a\0@x.com",
            "\u{1b}[31mred@example.com",
            "élodie@exemple.fr",
            "bob@exämple.com",
        ] {
            assert!(normalize(bad).is_err(), "{bad:?} accepted");
        }
        let long = format!("{}@example.com", "a".repeat(MAX_LEN));
        assert!(normalize(&long).is_err());
        let e = normalize("élodie@exemple.fr").unwrap_err();
        assert!(e.message.contains("ASCII"), "{e}");
    }

    #[test]
    fn terminal_escaping() {
        assert_eq!(terminal_safe("Ann Lee"), "Ann Lee");
        assert_eq!(terminal_safe("Zoë"), "Zoë");
        assert_eq!(terminal_safe("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(terminal_safe("x\ny"), "x\\ny");
        assert_eq!(terminal_safe("\u{202e}txt"), "\\u{202e}txt");
    }

    /// The application's CHECK, written out as a plain matcher, for the properties.
    fn check_constraint(s: &str) -> bool {
        let Some((local, domain)) = s.split_once('@') else {
            return false;
        };
        let Some((head, tld)) = domain.rsplit_once('.') else {
            return false;
        };
        !local.is_empty()
            && local.bytes().all(local_char)
            && !head.is_empty()
            && head.bytes().all(domain_char)
            && tld.len() >= 2
            && tld.bytes().all(|b| b.is_ascii_alphabetic())
    }

    proptest::proptest! {
        #[test]
        fn normalize_is_idempotent_and_satisfies_the_check(s in "\\PC{0,40}") {
            if let Ok(n) = normalize(&s) {
                proptest::prop_assert_eq!(normalize(&n).unwrap(), n.clone());
                proptest::prop_assert_eq!(n.to_lowercase(), n.clone());
                proptest::prop_assert!(check_constraint(&n), "{:?}", n);
            }
        }

        #[test]
        fn check_accepted_addresses_are_accepted(s in "[A-Za-z0-9._%+-]{1,20}@[A-Za-z0-9.-]{1,20}\\.[A-Za-z]{2,6}") {
            proptest::prop_assert_eq!(normalize(&s).unwrap(), s.to_ascii_lowercase());
        }
    }
}
