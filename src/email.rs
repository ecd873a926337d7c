//! Email addresses: validation and the normalized form stored in `users.email`.

use crate::error::Error;

/// Longest address accepted (RFC 5321 path limit minus the angle brackets).
pub const MAX_LEN: usize = 254;

/// Validate and normalize an address: trimmed and lower-cased (Unicode), so that
/// uniqueness and look-ups are case-insensitive. Internationalized addresses
/// (RFC 6531) are accepted; quoted local parts, comments and IP-literal domains are not.
pub fn normalize(input: &str) -> Result<String, Error> {
    let shown = printable(input);
    let bad = |why: &str| Error::data(format!("invalid email address {shown}: {why}"));
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err(bad("it is empty"));
    }
    if email.chars().count() > MAX_LEN {
        return Err(bad(&format!("longer than {MAX_LEN} characters")));
    }
    if email.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad("it contains whitespace or control characters"));
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err(bad("it has no '@'"));
    };
    if local.is_empty() {
        return Err(bad("the part before '@' is empty"));
    }
    if local.contains('@') {
        return Err(bad("it has more than one '@'"));
    }
    if local.chars().count() > 64 {
        return Err(bad("the part before '@' is longer than 64 characters"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(bad(
            "dots in the part before '@' must not lead, trail or repeat",
        ));
    }
    if let Some(c) = local
        .chars()
        .find(|c| !(c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(*c)))
    {
        return Err(bad(&format!("character {c:?} is not allowed before '@'")));
    }
    if domain.is_empty() {
        return Err(bad("the domain is empty"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 && domain != "localhost" {
        return Err(bad("the domain needs a dot (e.g. example.com)"));
    }
    for label in &labels {
        if label.is_empty() {
            return Err(bad("the domain has an empty label"));
        }
        if label.chars().count() > 63 {
            return Err(bad("a domain label is longer than 63 characters"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad("a domain label starts or ends with '-'"));
        }
        if let Some(c) = label.chars().find(|c| !(c.is_alphanumeric() || *c == '-')) {
            return Err(bad(&format!(
                "character {c:?} is not allowed in the domain"
            )));
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(bad("the top-level domain is numeric"));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(
            normalize("  Alice@Example.COM ").unwrap(),
            "alice@example.com"
        );
        assert_eq!(normalize("ÉLODIE@exemple.fr").unwrap(), "élodie@exemple.fr");
        assert_eq!(
            normalize("a.b+tag@sub.example.org").unwrap(),
            "a.b+tag@sub.example.org"
        );
        assert_eq!(local_part("a.b+tag@x.org"), "a.b+tag");
        assert_eq!(normalize("root@localhost").unwrap(), "root@localhost");
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
            "a@-x.com",
            "a@x..com",
            ".a@x.com",
            "a..b@x.com",
            "a\"b@x.com",
            "a@x.com'; DROP TABLE users;--",
            "a@1.2.3.4",
            "a\0@x.com",
        ] {
            assert!(normalize(bad).is_err(), "{bad:?} accepted");
        }
        let long = format!("{}@example.com", "a".repeat(65));
        assert!(normalize(&long).is_err());
    }

    proptest::proptest! {
        #[test]
        fn normalize_is_idempotent(s in "\\PC{0,40}") {
            if let Ok(n) = normalize(&s) {
                proptest::prop_assert_eq!(normalize(&n).unwrap(), n.clone());
                proptest::prop_assert_eq!(n.to_lowercase(), n);
            }
        }

        #[test]
        fn valid_addresses_roundtrip(local in "[a-z0-9]([a-z0-9_+-]|\\.[a-z0-9]){0,20}", domain in "[a-z][a-z0-9-]{0,10}[a-z0-9]", tld in "[a-z]{2,6}") {
            let e = format!("{local}@{domain}.{tld}");
            proptest::prop_assert_eq!(normalize(&e.to_uppercase()).unwrap(), e);
        }
    }
}
