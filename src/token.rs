//! Opaque bearer secrets (refresh tokens, session tokens): generated from the OS
//! CSPRNG, shown once, stored only as a SHA-256 hash.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Bytes of entropy in every token (256 bits).
pub const TOKEN_BYTES: usize = 32;

/// A freshly generated raw token. Its `Debug` output is redacted; the value is
/// available only through [`RawToken::expose`] so it is never logged by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct RawToken(String);

impl RawToken {
    /// 32 bytes from the OS CSPRNG, base64url without padding (43 characters).
    pub fn generate() -> Self {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
        RawToken(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Wrap a raw token received from a client.
    pub fn from_client(value: impl Into<String>) -> Self {
        RawToken(value.into())
    }

    /// The raw value, to hand to the client exactly once.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The value stored in the database: lower-case hex SHA-256 of the raw token's
    /// UTF-8 bytes.
    pub fn hash(&self) -> String {
        hash_token(&self.0)
    }
}

impl std::fmt::Debug for RawToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawToken(***)")
    }
}

/// Lower-case hex SHA-256 of a raw token — what the application must compute too.
pub fn hash_token(raw: &str) -> String {
    hex::encode(Sha256::digest(raw.as_bytes()))
}

/// Compare two stored hashes in constant time.
pub fn hashes_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// A short, non-secret identifier for displaying a stored hash (first 12 hex digits).
pub fn hash_prefix(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_long_unique_and_hash_to_hex() {
        let a = RawToken::generate();
        let b = RawToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 43);
        assert_eq!(a.hash().len(), 64);
        assert!(
            a.hash()
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_eq!(format!("{a:?}"), "RawToken(***)");
        // Known vector: SHA-256("abc").
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(hashes_equal(&a.hash(), &a.hash()));
        assert!(!hashes_equal(&a.hash(), &b.hash()));
        assert!(!hashes_equal("ab", "abc"));
    }
}
