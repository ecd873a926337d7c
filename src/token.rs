//! Bearer secrets the application stores raw (refresh JWTs, session tokens):
//! authctl never prints them, only a short fingerprint.

use std::io::Read;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, ExitCode};
use crate::secret::Secret;

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

/// The longest token [`read_token`] accepts.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Read one bearer token an operator pipes in (`--token-stdin`): at most
/// [`MAX_TOKEN_BYTES`], one trailing newline (`\n` or `\r\n`) stripped, UTF-8, not
/// empty. The buffer is wiped after use, and no error quotes the input.
pub fn read_token(input: impl Read) -> Result<Secret, Error> {
    let mut buf = Zeroizing::new(Vec::with_capacity(MAX_TOKEN_BYTES + 1));
    input
        .take(MAX_TOKEN_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| {
            Error::new(
                ExitCode::NoInput,
                format!("cannot read the token from stdin: {e}"),
            )
        })?;
    if buf.len() > MAX_TOKEN_BYTES {
        return Err(Error::data(format!(
            "the token on stdin is longer than {} KiB",
            MAX_TOKEN_BYTES / 1024
        )));
    }
    let mut end = buf.len();
    if buf[..end].ends_with(b"\n") {
        end -= 1;
        if buf[..end].ends_with(b"\r") {
            end -= 1;
        }
    }
    if end == 0 {
        return Err(Error::data("no token on stdin: it is empty"));
    }
    let text = std::str::from_utf8(&buf[..end])
        .map_err(|_| Error::data("the token on stdin is not UTF-8 text"))?;
    // No stored token holds a control character, and PostgreSQL refuses a NUL in a
    // text parameter outright.
    if text.chars().any(char::is_control) {
        return Err(Error::data(
            "the token on stdin contains control characters (no stored token does)",
        ));
    }
    Ok(Secret::new(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_token() {
        let read = |b: &[u8]| read_token(b).map(|s| s.expose().to_owned());
        assert_eq!(read(b"abc\n").unwrap(), "abc");
        assert_eq!(read(b"abc\r\n").unwrap(), "abc");
        assert_eq!(read(b"abc").unwrap(), "abc");
        // Only one newline is stripped: a second one is a control character no
        // stored token holds, refused like a NUL.
        let e = read(b"abc\n\n").unwrap_err();
        assert!(e.message.contains("control characters"), "{}", e.message);
        assert_eq!(read(b" abc ").unwrap(), " abc ");
        for bad in [
            &b""[..],
            b"\n",
            b"\r\n",
            b"\xff\xfe\n",
            b"ab\0c\n",
            b"a\x1bc",
        ] {
            let e = read(bad).unwrap_err();
            assert_eq!(e.kind, ExitCode::Data, "{bad:?}");
        }
        assert!(read(&vec![b'a'; MAX_TOKEN_BYTES]).is_ok());
        let e = read(&vec![b'a'; MAX_TOKEN_BYTES + 1]).unwrap_err();
        assert!(e.message.contains("8 KiB"), "{}", e.message);
        assert!(!e.message.contains("aaaa"));
    }

    #[test]
    fn fingerprint_is_a_short_sha256_prefix() {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assert_eq!(fingerprint("abc"), "sha256:ba7816bf8f01cfea");
    }
}
