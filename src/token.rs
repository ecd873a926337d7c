//! Bearer secrets the application stores raw (refresh JWTs, session tokens):
//! authctl never prints them, only a short fingerprint.

use sha2::{Digest, Sha256};

/// Hex digits of the SHA-256 shown as a fingerprint (64 bits: enough to tell
/// tokens apart, useless to an attacker).
pub const FINGERPRINT_LEN: usize = 16;

/// `sha256:` plus the first [`FINGERPRINT_LEN`] hex digits of the SHA-256 of the
/// token's UTF-8 bytes. Compute the same to find a token you hold:
/// `printf %s "$TOKEN" | sha256sum | cut -c1-16`.
pub fn fingerprint(raw: &str) -> String {
    let digest = hex::encode(Sha256::digest(raw.as_bytes()));
    format!("sha256:{}", &digest[..FINGERPRINT_LEN])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_a_short_sha256_prefix() {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assert_eq!(fingerprint("abc"), "sha256:ba7816bf8f01cfea");
    }
}
