//! bcrypt: new hashes are `$2b$` at the policy's cost; `$2a$`, `$2b$` and `$2y$`
//! hashes verify (the application's bcryptjs writes `$2b$`). bcrypt reads only the
//! first 72 bytes of a password, so the policy refuses longer ones.

use super::PasswordError;

/// Whether a stored hash is a bcrypt hash (by its version prefix).
pub(super) fn is_bcrypt(stored: &str) -> bool {
    ["$2a$", "$2b$", "$2y$"]
        .iter()
        .any(|p| stored.starts_with(p))
}

/// The cost recorded in a 60-character bcrypt hash.
///
/// # Errors
/// [`PasswordError::UnsupportedHash`] when `stored` is not one.
pub(super) fn cost(stored: &str) -> Result<u32, PasswordError> {
    if stored.len() != 60 {
        return Err(PasswordError::UnsupportedHash);
    }
    stored
        .get(4..6)
        .and_then(|c| c.parse().ok())
        .ok_or(PasswordError::UnsupportedHash)
}

/// A `$2b$` hash of `password` (its exact bytes, at most 72 of them: the caller
/// checks the length) at `cost`.
pub(super) fn hash(password: &[u8], cost: u32) -> Result<String, PasswordError> {
    bcrypt::hash_with_result(password, cost)
        .map(|parts| parts.format_for_version(bcrypt::Version::TwoB))
        .map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Check `password` against a bcrypt hash.
///
/// # Errors
/// [`PasswordError::UnsupportedHash`] when `stored` is not a well-formed bcrypt hash.
pub(super) fn verify(password: &[u8], stored: &str) -> Result<bool, PasswordError> {
    bcrypt::verify(password, stored).map_err(|_| PasswordError::UnsupportedHash)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Made by bcryptjs 3.0.3 (the application's library, `tests/app`):
    /// `hashSync(pw, 10)`, `hashSync("pässwörd 🔑 ünïcode", 11)`, and a cost-4 hash
    /// relabelled `$2a$` (bcryptjs's `compareSync` accepts it).
    pub(in crate::password) const BCRYPTJS_10: &str =
        "$2b$10$JgdsPWFjOOPTXQ6/pjJPw.J5tjWbeLunZNl9MFkHRSlxVlECglylK";
    pub(in crate::password) const BCRYPTJS_UNICODE: &str =
        "$2b$11$iogC9Be7SdxGdEFGE3EIIuUO9iUlsGsNd0U7v6.hylJFIYahfI3zO";
    pub(in crate::password) const BCRYPTJS_2A: &str =
        "$2a$04$Des4puUfCpID2AtsIPghSeJ/Xn2KWCsFY/7dZzZbI2hjENHfqqq0.";

    #[test]
    fn reads_the_cost_of_each_version() {
        assert_eq!(cost(BCRYPTJS_10), Ok(10));
        assert_eq!(cost(BCRYPTJS_UNICODE), Ok(11));
        assert_eq!(cost(BCRYPTJS_2A), Ok(4));
        assert_eq!(cost("$2b$10$short"), Err(PasswordError::UnsupportedHash));
        assert!(is_bcrypt(BCRYPTJS_2A) && is_bcrypt("$2y$"));
        assert!(!is_bcrypt("$argon2id$v=19$m=19456,t=2,p=1$x$y"));
    }

    #[test]
    fn verifies_hashes_made_by_the_applications_bcryptjs() {
        let pw = b"correct horse battery staple";
        assert_eq!(verify(pw, BCRYPTJS_10), Ok(true));
        assert_eq!(
            verify(b"correct horse battery stapl", BCRYPTJS_10),
            Ok(false)
        );
        assert_eq!(
            verify("pässwörd 🔑 ünïcode".as_bytes(), BCRYPTJS_UNICODE),
            Ok(true)
        );
        assert_eq!(verify(pw, BCRYPTJS_2A), Ok(true));
    }
}
