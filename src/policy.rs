//! Password policy after NIST SP 800-63B: a minimum length, a generous maximum, any
//! Unicode, no composition rules, and a block list (common passwords, the user's
//! own email). Length is counted in Unicode scalar values.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::error::Error;

/// 20,000 common passwords (lower-case), the list Django ships, created by Royce
/// Williams (see src/data/README.md).
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("data/common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
});

/// What a new password must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Minimum length in characters (NIST: at least 8).
    pub min_chars: usize,
    /// Maximum length in characters (NIST: allow at least 64; authctl allows 1024).
    pub max_chars: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_chars: 8,
            max_chars: 1024,
        }
    }
}

impl PasswordPolicy {
    /// Check a password for the account `email`. With `allow_weak` only the hard
    /// limits apply (not empty, no NUL, at most `max_chars`): for operators who must
    /// set a specific password. Messages never contain the password.
    pub fn check(&self, password: &str, email: &str, allow_weak: bool) -> Result<(), Error> {
        let n = password.chars().count();
        if password.is_empty() {
            return Err(Error::data("password is empty"));
        }
        if password.contains('\0') {
            return Err(Error::data("password contains a NUL character"));
        }
        if n > self.max_chars {
            return Err(Error::data(format!(
                "password is {n} characters long; the maximum is {}",
                self.max_chars
            )));
        }
        if allow_weak {
            return Ok(());
        }
        if password.trim().is_empty() {
            return Err(Error::data(
                "password consists only of whitespace (use --allow-weak-password to override)",
            ));
        }
        if n < self.min_chars {
            return Err(Error::data(format!(
                "password is {n} characters long; the minimum is {} (use --allow-weak-password to override)",
                self.min_chars
            )));
        }
        let lower = password.to_lowercase();
        if COMMON.contains(lower.as_str()) || COMMON.contains(lower.trim()) {
            return Err(Error::data(
                "password is on the list of 20,000 most common passwords (use --allow-weak-password to override)",
            ));
        }
        let email = email.to_lowercase();
        let local = crate::email::local_part(&email);
        if lower == email || lower == local {
            return Err(Error::data(
                "password is the account's email address or its local part (use --allow-weak-password to override)",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nist_rules() {
        let p = PasswordPolicy::default();
        let ok = |s: &str| p.check(s, "alice.smith@example.com", false);
        assert!(ok("correct horse battery staple").is_ok());
        assert!(ok("пароль-очень-длинный").is_ok(), "any Unicode");
        assert!(ok("        ").is_err(), "whitespace only");
        assert!(ok("short").is_err());
        assert!(ok("password").is_err());
        assert!(ok("PassWord").is_err(), "common list is case-insensitive");
        assert!(ok("qwertyuiop").is_err());
        assert!(ok("alice.smith").is_err());
        assert!(ok("ALICE.SMITH@example.com").is_err());
        assert!(ok(&"x".repeat(256)).is_ok(), "256 characters accepted");
        assert!(ok(&"x".repeat(1025)).is_err());
        assert!(ok("abc\0defghij").is_err());
        assert!(ok("").is_err());
        assert!(p.check("password", "a@b.co", true).is_ok(), "override");
        assert!(p.check("", "a@b.co", true).is_err(), "never empty");
        let e = ok("password").unwrap_err();
        assert!(
            !e.message.contains("\"password\""),
            "message must not echo the password"
        );
        assert!(COMMON.len() > 19_000);
    }
}
