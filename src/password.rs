//! Password hashing and verification: bcrypt (the default, because the
//! application verifies passwords with bcryptjs) or argon2id (opt-in with
//! `AUTHCTL_PASSWORD_HASH=argon2id` for deployments whose application verifies
//! argon2id). [`PasswordHasher`] hashes with the configured scheme and verifies
//! either; a *disabled* hash ([`disable`]) verifies with neither — nor with the
//! application's bcryptjs, which answers false for any string that is not a
//! 60-character bcrypt hash.
//!
//! bcrypt hashes are `$2b$`, cost 12 by default (10 to 15 accepted). bcrypt reads
//! only the first 72 bytes of a password, so a longer password is refused rather
//! than silently truncated.
//!
//! argon2id hashes are version 19 (0x13), with a fresh 16-byte
//! salt from the operating system's CSPRNG and a 32-byte output, encoded as a
//! PHC string such as `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
//!
//! Verification accepts any argon2 PHC string (argon2id, argon2i or argon2d,
//! version 16 or 19, any cost parameters) including strings written by other
//! implementations such as argon2-cffi, node-argon2 or libsodium. The
//! comparison of the computed and stored outputs is the constant-time one
//! done inside the `argon2` crate's verifier.
//!
//! Limits inherited from the `phc` crate that parses PHC strings: the salt must
//! decode to 8..=48 bytes and the hash output to 10..=64 bytes. Strings outside
//! these ranges are reported as [`PasswordError::UnsupportedHash`]. Every
//! mainstream implementation defaults to a 16-byte salt and a 32-byte output.
//!
//! Verification uses the cost parameters stored in the PHC string, so a
//! string with absurd costs (for example `m=4194304`, 4 GiB) makes
//! verification allocate that much memory: only verify strings that come from
//! the authentication database, not from untrusted input.

use argon2::password_hash::{self, PasswordHasher as _, PasswordVerifier as _, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};

/// Version assumed for a PHC string without a `v=` field.
///
/// The reference implementation (which argon2-cffi and node-argon2 wrap)
/// started writing `$v=` with version 19, and reads a string without it as
/// version 16. The `argon2` crate on its own would assume version 19, which
/// fails to verify such legacy hashes.
const LEGACY_VERSION: u32 = 0x10;

/// Errors returned by password hashing and verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// The requested cost parameters are below the OWASP Password Storage
    /// Cheat Sheet minimum for argon2id.
    #[error(
        "argon2 parameters m={memory_kib} KiB, t={iterations}, p={parallelism} are below the OWASP minimum (m=19456 KiB, t=2, p=1 or an equivalent pair)"
    )]
    WeakParams {
        /// Requested memory cost in KiB.
        memory_kib: u32,
        /// Requested number of iterations.
        iterations: u32,
        /// Requested number of lanes.
        parallelism: u32,
    },

    /// The requested cost parameters are not usable by argon2 at all (zero
    /// iterations or lanes, more lanes than argon2 allows, or less than 8 KiB
    /// of memory per lane).
    #[error("invalid argon2 parameters: {0}")]
    InvalidParams(String),

    /// The stored string is not a well-formed argon2 PHC string (for example a
    /// bcrypt hash, an unknown algorithm, a missing parameter, salt or hash, or
    /// an unsupported argon2 version).
    #[error("stored password hash is not an argon2 PHC string")]
    UnsupportedHash,

    /// bcrypt cost outside the accepted range.
    #[error("bcrypt cost {0} is outside the accepted range {min}..={max} (the application needs at least {min})", min = BCRYPT_MIN_COST, max = BCRYPT_MAX_COST)]
    BcryptCost(u32),

    /// A password bcrypt cannot hash without silently ignoring part of it.
    #[error(
        "the password is {0} bytes long; bcrypt uses only the first 72 bytes and would silently ignore the rest: choose a password of at most 72 bytes (UTF-8)"
    )]
    TooLongForBcrypt(usize),

    /// A stored hash whose recorded cost is above what authctl computes (see
    /// [`check_verify_cost`]): it is not verified.
    #[error(
        "the stored hash's cost ({0}) exceeds what authctl will compute (at most bcrypt cost {max_bcrypt}; argon2 m={max_m} KiB, t={max_t}, p={max_p}); it was not verified",
        max_bcrypt = BCRYPT_MAX_COST,
        max_m = ARGON2_MAX_MEMORY_KIB,
        max_t = ARGON2_MAX_ITERATIONS,
        max_p = ARGON2_MAX_PARALLELISM
    )]
    CostTooHigh(String),

    /// Hashing itself failed (out of memory, OS random generator failure, or
    /// a password longer than argon2's 4 GiB limit).
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

/// argon2id cost parameters (memory in KiB, iterations, lanes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct HashParams {
    /// Memory cost `m`, in KiB.
    pub memory_kib: u32,
    /// Time cost `t`: number of passes over memory.
    pub iterations: u32,
    /// Degree of parallelism `p`: number of lanes.
    pub parallelism: u32,
}

impl HashParams {
    /// OWASP Password Storage Cheat Sheet minimum for argon2id: m=19456 KiB
    /// (19 MiB), t=2, p=1. This is also the [`Default`].
    pub const OWASP_MINIMUM: HashParams = HashParams {
        memory_kib: 19_456,
        iterations: 2,
        parallelism: 1,
    };

    /// Smallest memory cost accepted by [`HashParams::validate`], in KiB: the
    /// lowest memory of OWASP's equivalent pairs (m=7168 KiB with t=5).
    pub const MIN_MEMORY_KIB: u32 = 7_168;

    /// Smallest `memory_kib * iterations` accepted by
    /// [`HashParams::validate`].
    ///
    /// OWASP lists the equivalent argon2id settings 47104/1, 19456/2, 12288/3,
    /// 9216/4 and 7168/5 (KiB/iterations, p=1). Their products range from
    /// 35840 (7168 × 5) to 47104, so this floor is the smallest of them.
    pub const MIN_MEMORY_ITERATIONS: u64 = 35_840;

    /// Checks these parameters against the OWASP floor and argon2's limits.
    ///
    /// Accepted when `memory_kib >= 7168`, `memory_kib * iterations >= 35840`
    /// (so every OWASP-listed pair passes), and argon2 itself accepts the
    /// combination (at least one lane, at most 2^24 - 1 lanes, and at least
    /// 8 KiB of memory per lane).
    ///
    /// # Errors
    ///
    /// - [`PasswordError::InvalidParams`] when `iterations` or `parallelism` is
    ///   zero, or argon2 rejects the combination.
    /// - [`PasswordError::WeakParams`] when the costs are below the OWASP floor.
    pub fn validate(&self) -> Result<(), PasswordError> {
        if self.iterations == 0 {
            return Err(PasswordError::InvalidParams(
                "iterations (t) must be at least 1".to_owned(),
            ));
        }
        if self.parallelism == 0 {
            return Err(PasswordError::InvalidParams(
                "parallelism (p) must be at least 1".to_owned(),
            ));
        }
        let product = u64::from(self.memory_kib) * u64::from(self.iterations);
        if self.memory_kib < Self::MIN_MEMORY_KIB || product < Self::MIN_MEMORY_ITERATIONS {
            return Err(PasswordError::WeakParams {
                memory_kib: self.memory_kib,
                iterations: self.iterations,
                parallelism: self.parallelism,
            });
        }
        self.to_argon2().map(|_| ())
    }

    /// Converts to the `argon2` crate's parameters (default 32-byte output).
    fn to_argon2(self) -> Result<Params, PasswordError> {
        Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| PasswordError::InvalidParams(e.to_string()))
    }
}

impl Default for HashParams {
    /// Returns [`HashParams::OWASP_MINIMUM`].
    fn default() -> Self {
        Self::OWASP_MINIMUM
    }
}

/// Hashes and verifies passwords with argon2id at fixed, validated costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Argon2Hasher {
    params: HashParams,
}

impl Argon2Hasher {
    /// Creates a hasher that makes new hashes with `params`.
    ///
    /// # Errors
    ///
    /// Whatever [`HashParams::validate`] returns for `params`.
    pub fn new(params: HashParams) -> Result<Self, PasswordError> {
        params.validate()?;
        Ok(Self { params })
    }

    /// The cost parameters used for new hashes.
    #[must_use]
    pub fn params(&self) -> HashParams {
        self.params
    }

    /// Hashes `password` into an argon2id v19 PHC string with a fresh 16-byte
    /// salt from the OS CSPRNG.
    ///
    /// The exact bytes are hashed: no Unicode normalization, no trimming, no
    /// truncation, and NUL bytes are allowed. Any length up to argon2's limit
    /// of 2^32 - 1 bytes is accepted.
    ///
    /// # Errors
    ///
    /// [`PasswordError::Hashing`] when the password is longer than argon2
    /// allows, the OS random generator fails, or the memory cannot be
    /// allocated.
    pub fn hash(&self, password: &[u8]) -> Result<String, PasswordError> {
        if password.len() > argon2::MAX_PWD_LEN {
            return Err(PasswordError::Hashing(format!(
                "password is longer than argon2's limit of {} bytes",
                argon2::MAX_PWD_LEN
            )));
        }
        let params = self.params.to_argon2()?;
        let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(password)
            .map_err(|e| PasswordError::Hashing(e.to_string()))?;
        Ok(hash.to_string())
    }

    /// Checks `password` against the argon2 PHC string `phc`.
    ///
    /// Works for argon2id, argon2i and argon2d, version 16 or 19 (a string
    /// without `v=` is version 16, as in the reference implementation), and
    /// whatever costs, salt and output length the string records, within the
    /// limits given in the module documentation. The costs used are those in
    /// `phc`, not this hasher's. The comparison is constant-time.
    ///
    /// Returns `Ok(true)` when the password matches and `Ok(false)` when it
    /// does not.
    ///
    /// # Errors
    ///
    /// - [`PasswordError::UnsupportedHash`] when `phc` is not a well-formed
    ///   argon2 PHC string (e.g. a bcrypt `$2b$` hash or garbage).
    /// - [`PasswordError::Hashing`] when recomputing the hash fails (e.g. the
    ///   memory recorded in `phc` cannot be allocated).
    pub fn verify(&self, password: &[u8], phc: &str) -> Result<bool, PasswordError> {
        let parsed = Parsed::new(phc)?;
        // `Argon2::default()` only supplies the (absent) pepper: the
        // algorithm, version and costs are taken from `parsed.hash`.
        match Argon2::default().verify_password(password, &parsed.hash) {
            Ok(()) => Ok(true),
            Err(password_hash::Error::PasswordInvalid) => Ok(false),
            Err(e) => Err(PasswordError::Hashing(e.to_string())),
        }
    }

    /// Whether the stored hash should be replaced by a fresh [`hash`] of the
    /// password after the next successful login.
    ///
    /// `true` when `phc` is not argon2id, is not version 19, or records a
    /// memory, iteration or lane count below this hasher's. A hash with
    /// stronger costs does not need rehashing.
    ///
    /// [`hash`]: Argon2Hasher::hash
    ///
    /// # Errors
    ///
    /// [`PasswordError::UnsupportedHash`] when `phc` is not a well-formed argon2
    /// PHC string.
    pub fn needs_rehash(&self, phc: &str) -> Result<bool, PasswordError> {
        let parsed = Parsed::new(phc)?;
        Ok(parsed.algorithm != Algorithm::Argon2id
            || parsed.version != Version::V0x13
            || parsed.params.m_cost() < self.params.memory_kib
            || parsed.params.t_cost() < self.params.iterations
            || parsed.params.p_cost() < self.params.parallelism)
    }
}

/// Summary of an argon2 PHC string for display. Never holds the salt or the
/// hash output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HashInfo {
    /// `"argon2id"`, `"argon2i"` or `"argon2d"`.
    pub algorithm: String,
    /// argon2 version: 16 or 19 (16 when the string has no `v=` field).
    pub version: u32,
    /// Memory cost `m`, in KiB.
    pub memory_kib: u32,
    /// Time cost `t`.
    pub iterations: u32,
    /// Lanes `p`.
    pub parallelism: u32,
}

/// Parses an argon2 PHC string into a [`HashInfo`].
///
/// # Errors
///
/// [`PasswordError::UnsupportedHash`] when `phc` is not a well-formed argon2 PHC
/// string (the same check as [`Argon2Hasher::verify`]).
pub fn inspect(phc: &str) -> Result<HashInfo, PasswordError> {
    let parsed = Parsed::new(phc)?;
    Ok(HashInfo {
        algorithm: parsed.algorithm.as_str().to_owned(),
        version: u32::from(parsed.version),
        memory_kib: parsed.params.m_cost(),
        iterations: parsed.params.t_cost(),
        parallelism: parsed.params.p_cost(),
    })
}

/// Maps any parse error to [`PasswordError::UnsupportedHash`].
fn unsupported<E>(_: E) -> PasswordError {
    PasswordError::UnsupportedHash
}

/// A PHC string checked to be a complete argon2 hash.
struct Parsed {
    /// The parsed string, with `version` always set.
    hash: PasswordHash,
    algorithm: Algorithm,
    version: Version,
    params: Params,
}

impl Parsed {
    /// Parses and checks `phc`; every failure is
    /// [`PasswordError::UnsupportedHash`].
    ///
    /// Beyond what `PasswordHash::new` checks, requires an argon2 algorithm,
    /// version 16 or 19, each of `m`, `t` and `p` exactly once (the `argon2`
    /// crate would otherwise silently fall back to its defaults for a missing
    /// one), parameters argon2 accepts, and both a salt and a hash.
    fn new(phc: &str) -> Result<Self, PasswordError> {
        let mut hash = PasswordHash::new(phc).map_err(unsupported)?;
        let algorithm = Algorithm::new(hash.algorithm.as_str()).map_err(unsupported)?;
        let version =
            Version::try_from(hash.version.unwrap_or(LEGACY_VERSION)).map_err(unsupported)?;
        hash.version = Some(version.into());

        for name in ["m", "t", "p"] {
            let count = hash
                .params
                .iter()
                .filter(|(ident, _)| ident.as_str() == name)
                .count();
            if count != 1 {
                return Err(PasswordError::UnsupportedHash);
            }
        }
        let params = Params::try_from(&hash).map_err(unsupported)?;
        if hash.salt.is_none() || hash.hash.is_none() {
            return Err(PasswordError::UnsupportedHash);
        }

        Ok(Self {
            hash,
            algorithm,
            version,
            params,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWORD: &[u8] = b"correct horse battery staple";

    // Interoperability vectors made by independent implementations, all of the
    // password "correct horse battery staple" unless stated otherwise.
    //
    // Produced with Python 3.11.7 and, from PyPI, argon2-cffi 25.1.0 (its
    // argon2-cffi-bindings 26.2.0 wraps the phc-winner-argon2 reference C
    // implementation) and PyNaCl 1.6.2 (bundles libsodium), by running
    //
    //   from argon2 import PasswordHasher as PH, Type
    //   from argon2.low_level import hash_secret
    //   import nacl.pwhash, os
    //   pw = b"correct horse battery staple"
    //   CFFI_ID_DEFAULT = PH().hash(pw)
    //   CFFI_ID_OWASP = PH(time_cost=2, memory_cost=19456, parallelism=1).hash(pw)
    //   CFFI_I = PH(time_cost=3, memory_cost=19456, parallelism=1, type=Type.I).hash(pw)
    //   CFFI_D = PH(time_cost=2, memory_cost=19456, parallelism=2, type=Type.D).hash(pw)
    //   CFFI_ID_V16 = hash_secret(pw, os.urandom(16), time_cost=2, memory_cost=19456,
    //       parallelism=1, hash_len=32, type=Type.ID, version=16)
    //   CFFI_I_V16 = hash_secret(pw, os.urandom(16), time_cost=3, memory_cost=4096,
    //       parallelism=1, hash_len=32, type=Type.I, version=16)
    //   CFFI_ID_WEAK = PH(time_cost=1, memory_cost=8192, parallelism=1).hash(pw)
    //   CFFI_ID_LONG = PH(time_cost=2, memory_cost=19456, parallelism=1, hash_len=64,
    //       salt_len=32).hash("pässwörd 🔑 with\0nul")
    //   CFFI_ID_OUT65 = PH(time_cost=1, memory_cost=8192, parallelism=1, hash_len=65).hash(pw)
    //   SODIUM_ID = nacl.pwhash.argon2id.str(pw, opslimit=2, memlimit=19456 * 1024)
    //   SODIUM_I = nacl.pwhash.argon2i.str(pw, opslimit=3, memlimit=32 * 1024 * 1024)

    /// argon2-cffi defaults: argon2id, m=65536, t=3, p=4.
    const CFFI_ID_DEFAULT: &str = "$argon2id$v=19$m=65536,t=3,p=4$1foQoPTVM04jqu+POj1AhA$/yzlcjYeOqTkt/2f6+PdVVmKSTwl9me5IiwHV58KID4";
    const CFFI_ID_OWASP: &str = "$argon2id$v=19$m=19456,t=2,p=1$7n+qnw3DuVsBNuQHFIn4xQ$6racHLLHtwbfHYkpn8jxb6ZGdGV2FtJEAW3lmpIGbWs";
    const CFFI_I: &str = "$argon2i$v=19$m=19456,t=3,p=1$3XebEENRwV6QcFLYNXslig$kfJ5PjVkZP6/ypGv7dNnUcAXUHVlK5wALbhvGFc5Jxo";
    const CFFI_D: &str = "$argon2d$v=19$m=19456,t=2,p=2$iQxcYoGCCnvYtfzuQEIxvQ$dU/oG5Hpnu4Xp95Mnj22DLosdkAAL++rrYcSkntUc/c";
    const CFFI_ID_V16: &str = "$argon2id$v=16$m=19456,t=2,p=1$RKTBhurM3svnJoivlFp0SQ$elx2khe9G5kWDA2+TgHhH4ohcCKRry/NKIIfAs7j/iQ";
    const CFFI_I_V16: &str = "$argon2i$v=16$m=4096,t=3,p=1$LKrea8O5SJNE2wdkkmZEaA$I0DTXwLvDFamM0yF9lkJ+Jr9+c9VfWp3DYZsSbLpZMA";
    /// `CFFI_ID_V16` with `$v=16` removed, as written by argon2 before version
    /// 19. argon2-cffi 25.1.0 `argon2.low_level.verify_secret(..., Type.ID)`
    /// returns True for it (the reference implementation reads a missing
    /// version as 16).
    const CFFI_ID_NO_VERSION: &str = "$argon2id$m=19456,t=2,p=1$RKTBhurM3svnJoivlFp0SQ$elx2khe9G5kWDA2+TgHhH4ohcCKRry/NKIIfAs7j/iQ";
    /// Below the OWASP floor (m=8192, t=1).
    const CFFI_ID_WEAK: &str = "$argon2id$v=19$m=8192,t=1,p=1$A1SXBeQ82p4EF05/LSgvVA$bufAfcbSKNwcr2f0keK+WFrRVp/i5wBgfgR/FLKpPeM";
    /// 32-byte salt, 64-byte output; password `CFFI_ID_LONG_PASSWORD`.
    const CFFI_ID_LONG: &str = "$argon2id$v=19$m=19456,t=2,p=1$SpRizoivFgeGS6bU7BT3pYCvh9J0tCQPoj6kwtJJGXM$UYllrV0t/AT+XOkPbfytgJmVRet2xY8woolw0hZQY9cXNG5EeYDE5CYAROe9/PhzrYuZub8foegFKkdR0idBSw";
    const CFFI_ID_LONG_PASSWORD: &str = "pässwörd 🔑 with\0nul";
    /// 65-byte output: valid for the reference implementation, but beyond the
    /// 64 bytes the `phc` crate can parse.
    const CFFI_ID_OUT65: &str = "$argon2id$v=19$m=8192,t=1,p=1$imJwaJ4A9gzLWL56MgZLOg$+M7X70GiramcD+X9CvgrBEG8t67ucsYtQpumPyG4N//0PnqNNcvp1OCShvHeKcPdakIEWlrWn5w84cpXcKhrGes";
    const SODIUM_ID: &str = "$argon2id$v=19$m=19456,t=2,p=1$xUEfT00OErGDSxNOZ3mt2A$/+Aci+SKllpDEnGDWMKYmACzAdeAXAUHH67GRjs8r1k";
    const SODIUM_I: &str = "$argon2i$v=19$m=32768,t=3,p=1$aNEXAjm/ChbQcLGQVmUC5Q$B4yEeBw5JwXVB3oCDnQQg+gu8pSaUs/k9O+V5OuIqgU";

    /// A real bcrypt hash shape (cost 12).
    const BCRYPT: &str = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";

    fn hasher() -> Argon2Hasher {
        Argon2Hasher::new(HashParams::default()).expect("default params are valid")
    }

    fn params(memory_kib: u32, iterations: u32, parallelism: u32) -> HashParams {
        HashParams {
            memory_kib,
            iterations,
            parallelism,
        }
    }

    #[test]
    fn hash_then_verify() {
        let h = hasher();
        let phc = h.hash(b"hunter2").unwrap();
        assert!(h.verify(b"hunter2", &phc).unwrap());
        assert!(!h.verify(b"hunter3", &phc).unwrap());
        assert!(!h.verify(b"", &phc).unwrap());
    }

    #[test]
    fn default_hash_format() {
        let phc = hasher().hash(PASSWORD).unwrap();
        assert!(
            phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "unexpected prefix: {phc}"
        );
        let fields: Vec<&str> = phc.split('$').collect();
        assert_eq!(fields.len(), 6, "{phc}");
        // 16-byte salt and 32-byte output, unpadded base64.
        assert_eq!(fields[4].len(), 22, "salt field: {}", fields[4]);
        assert_eq!(fields[5].len(), 43, "hash field: {}", fields[5]);
    }

    #[test]
    fn fresh_salt_every_time() {
        let h = hasher();
        let a = h.hash(PASSWORD).unwrap();
        let b = h.hash(PASSWORD).unwrap();
        assert_ne!(a, b);
        assert!(h.verify(PASSWORD, &a).unwrap());
        assert!(h.verify(PASSWORD, &b).unwrap());
    }

    #[test]
    fn hashes_exact_bytes_trailing_space() {
        let h = hasher();
        let phc = h.hash(b"secret ").unwrap();
        assert!(h.verify(b"secret ", &phc).unwrap());
        assert!(!h.verify(b"secret", &phc).unwrap());
        let phc = h.hash(b"secret").unwrap();
        assert!(!h.verify(b"secret ", &phc).unwrap());
    }

    #[test]
    fn hashes_long_unicode_password_without_truncation() {
        let h = hasher();
        let password = "ü🔑".repeat(150);
        assert_eq!(password.chars().count(), 300);
        let phc = h.hash(password.as_bytes()).unwrap();
        assert!(h.verify(password.as_bytes(), &phc).unwrap());
        // No truncation: dropping the last character, or cutting at bcrypt's
        // 72-byte limit, gives a different password.
        let shorter: String = password.chars().take(299).collect();
        assert!(!h.verify(shorter.as_bytes(), &phc).unwrap());
        assert!(!h.verify(&password.as_bytes()[..72], &phc).unwrap());
    }

    #[test]
    fn hashes_no_unicode_normalization() {
        let h = hasher();
        let composed = "caf\u{e9}"; // é as one code point
        let decomposed = "cafe\u{301}"; // e + combining acute accent
        let phc = h.hash(composed.as_bytes()).unwrap();
        assert!(h.verify(composed.as_bytes(), &phc).unwrap());
        assert!(!h.verify(decomposed.as_bytes(), &phc).unwrap());
    }

    #[test]
    fn hashes_password_with_nul_byte() {
        let h = hasher();
        let phc = h.hash(b"abc\0def").unwrap();
        assert!(h.verify(b"abc\0def", &phc).unwrap());
        assert!(!h.verify(b"abc", &phc).unwrap());
        assert!(!h.verify(b"abc\0deg", &phc).unwrap());
    }

    #[test]
    fn hashes_empty_password() {
        let h = hasher();
        let phc = h.hash(b"").unwrap();
        assert!(h.verify(b"", &phc).unwrap());
        assert!(!h.verify(b"\0", &phc).unwrap());
    }

    #[test]
    fn tampered_hash_does_not_verify() {
        let h = hasher();
        let phc = h.hash(PASSWORD).unwrap();
        let (head, last) = phc.split_at(phc.len() - 1);
        // The last base64 digit of a 32-byte output carries 4 bits and 2 zero bits:
        // 'A' and 'E' both keep the zero bits, so the string stays canonical.
        let flipped = if last == "A" { "E" } else { "A" };
        let tampered = format!("{head}{flipped}");
        assert!(!h.verify(PASSWORD, &tampered).unwrap());
        // A different cost in the string changes the computed hash.
        let tampered = phc.replace("t=2", "t=3");
        assert!(!h.verify(PASSWORD, &tampered).unwrap());
    }

    #[test]
    fn hash_uses_configured_params() {
        let h = Argon2Hasher::new(params(12_288, 3, 2)).unwrap();
        assert_eq!(h.params(), params(12_288, 3, 2));
        let phc = h.hash(PASSWORD).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=12288,t=3,p=2$"), "{phc}");
        assert!(h.verify(PASSWORD, &phc).unwrap());
        // Verification uses the costs in the string, not the hasher's.
        assert!(hasher().verify(PASSWORD, &phc).unwrap());
    }

    #[test]
    fn needs_rehash_own_hash_is_false() {
        let h = hasher();
        let phc = h.hash(PASSWORD).unwrap();
        assert!(!h.needs_rehash(&phc).unwrap());
    }

    #[test]
    fn needs_rehash_lower_memory_or_iterations_or_lanes() {
        let h = hasher();
        // Lower memory (even with more iterations).
        let lower_m = Argon2Hasher::new(params(12_288, 3, 1))
            .unwrap()
            .hash(PASSWORD)
            .unwrap();
        assert!(h.needs_rehash(&lower_m).unwrap());
        // Lower iterations (even with more memory).
        let lower_t = Argon2Hasher::new(params(47_104, 1, 1))
            .unwrap()
            .hash(PASSWORD)
            .unwrap();
        assert!(h.needs_rehash(&lower_t).unwrap());
        // Lower lanes than the current setting.
        let own = h.hash(PASSWORD).unwrap();
        let four_lanes = Argon2Hasher::new(params(19_456, 2, 4)).unwrap();
        assert!(four_lanes.needs_rehash(&own).unwrap());
        // Below the OWASP floor, made by argon2-cffi.
        assert!(h.needs_rehash(CFFI_ID_WEAK).unwrap());
    }

    #[test]
    fn needs_rehash_stronger_params_is_false() {
        let h = hasher();
        let stronger = Argon2Hasher::new(params(47_104, 3, 2))
            .unwrap()
            .hash(PASSWORD)
            .unwrap();
        assert!(!h.needs_rehash(&stronger).unwrap());
        assert!(!h.needs_rehash(CFFI_ID_DEFAULT).unwrap());
    }

    #[test]
    fn needs_rehash_other_algorithm_or_version() {
        let h = hasher();
        // argon2i / argon2d even with costs at or above the current ones.
        assert!(h.needs_rehash(CFFI_I).unwrap());
        assert!(h.needs_rehash(SODIUM_I).unwrap());
        assert!(h.needs_rehash(CFFI_D).unwrap());
        // Version 16, explicit or implied.
        assert!(h.needs_rehash(CFFI_ID_V16).unwrap());
        assert!(h.needs_rehash(CFFI_ID_NO_VERSION).unwrap());
    }

    #[test]
    fn validate_owasp_floor() {
        for ok in [
            HashParams::OWASP_MINIMUM,
            params(19_456, 2, 1),
            params(47_104, 1, 1),
            params(12_288, 3, 1),
            params(9_216, 4, 1),
            params(7_168, 5, 1),
            params(65_536, 3, 4),
        ] {
            assert_eq!(ok.validate(), Ok(()), "{ok:?}");
            assert!(Argon2Hasher::new(ok).is_ok(), "{ok:?}");
        }
        for weak in [
            params(4_096, 3, 1),
            params(19_456, 1, 1),
            params(7_167, 6, 1),
            params(7_168, 4, 1),
            params(8, 1_000_000, 1),
            params(0, 2, 1),
        ] {
            let expected = PasswordError::WeakParams {
                memory_kib: weak.memory_kib,
                iterations: weak.iterations,
                parallelism: weak.parallelism,
            };
            assert_eq!(weak.validate(), Err(expected.clone()), "{weak:?}");
            assert_eq!(Argon2Hasher::new(weak), Err(expected), "{weak:?}");
        }
    }

    #[test]
    fn validate_argon2_limits() {
        for invalid in [
            params(19_456, 0, 1),
            params(19_456, 2, 0),
            // Less than 8 KiB per lane.
            params(19_456, 2, 4_096),
            // More lanes than argon2 allows (2^24 - 1).
            params(u32::MAX, 2, 0x0100_0000),
        ] {
            assert!(
                matches!(invalid.validate(), Err(PasswordError::InvalidParams(_))),
                "{invalid:?}: {:?}",
                invalid.validate()
            );
        }
    }

    #[test]
    fn default_params() {
        assert_eq!(HashParams::default(), HashParams::OWASP_MINIMUM);
        assert_eq!(
            HashParams::OWASP_MINIMUM,
            params(19_456, 2, 1),
            "OWASP minimum"
        );
        assert_eq!(Argon2Hasher::default().params(), HashParams::OWASP_MINIMUM);
        assert_eq!(Argon2Hasher::default(), hasher());
    }

    #[test]
    fn error_messages() {
        let err = params(4_096, 3, 1).validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "argon2 parameters m=4096 KiB, t=3, p=1 are below the OWASP minimum \
             (m=19456 KiB, t=2, p=1 or an equivalent pair)"
        );
        assert_eq!(
            PasswordError::UnsupportedHash.to_string(),
            "stored password hash is not an argon2 PHC string"
        );
    }

    #[test]
    fn interop_argon2_cffi_argon2id() {
        let h = hasher();
        for phc in [CFFI_ID_DEFAULT, CFFI_ID_OWASP, CFFI_ID_WEAK] {
            assert!(h.verify(PASSWORD, phc).unwrap(), "{phc}");
            assert!(
                !h.verify(b"correct horse battery stapler", phc).unwrap(),
                "{phc}"
            );
        }
        assert!(!h.needs_rehash(CFFI_ID_DEFAULT).unwrap());
        assert!(!h.needs_rehash(CFFI_ID_OWASP).unwrap());
        assert!(h.needs_rehash(CFFI_ID_WEAK).unwrap());
    }

    #[test]
    fn interop_argon2_cffi_argon2i_argon2d() {
        let h = hasher();
        for phc in [CFFI_I, CFFI_D] {
            assert!(h.verify(PASSWORD, phc).unwrap(), "{phc}");
            assert!(
                !h.verify(b"Correct horse battery staple", phc).unwrap(),
                "{phc}"
            );
            assert!(h.needs_rehash(phc).unwrap(), "{phc}");
        }
    }

    #[test]
    fn interop_argon2_cffi_version_16() {
        let h = hasher();
        for phc in [CFFI_ID_V16, CFFI_I_V16, CFFI_ID_NO_VERSION] {
            assert!(h.verify(PASSWORD, phc).unwrap(), "{phc}");
            assert!(!h.verify(b"wrong", phc).unwrap(), "{phc}");
            assert!(h.needs_rehash(phc).unwrap(), "{phc}");
        }
        // A v=19 hash stripped of its version is read as v=16 and no longer
        // matches, exactly as argon2-cffi (the reference code) behaves.
        let stripped = CFFI_ID_OWASP.replace("$v=19", "");
        assert!(!h.verify(PASSWORD, &stripped).unwrap());
    }

    #[test]
    fn interop_argon2_cffi_long_salt_and_output() {
        let h = hasher();
        let password = CFFI_ID_LONG_PASSWORD.as_bytes();
        assert!(h.verify(password, CFFI_ID_LONG).unwrap());
        assert!(
            !h.verify(&password[..password.len() - 4], CFFI_ID_LONG)
                .unwrap()
        );
        assert!(!h.needs_rehash(CFFI_ID_LONG).unwrap());
    }

    #[test]
    fn interop_output_longer_than_64_bytes_is_unsupported() {
        // Documented limit of the `phc` crate: an error, never a panic.
        assert_eq!(
            hasher().verify(PASSWORD, CFFI_ID_OUT65),
            Err(PasswordError::UnsupportedHash)
        );
    }

    #[test]
    fn interop_libsodium() {
        let h = hasher();
        for phc in [SODIUM_ID, SODIUM_I] {
            assert!(h.verify(PASSWORD, phc).unwrap(), "{phc}");
            assert!(!h.verify(b"correct horse battery", phc).unwrap(), "{phc}");
        }
        assert!(!h.needs_rehash(SODIUM_ID).unwrap());
        assert!(h.needs_rehash(SODIUM_I).unwrap());
    }

    #[test]
    fn inspect_reports_params_without_secrets() {
        let info = inspect(CFFI_ID_DEFAULT).unwrap();
        assert_eq!(
            info,
            HashInfo {
                algorithm: "argon2id".to_owned(),
                version: 19,
                memory_kib: 65_536,
                iterations: 3,
                parallelism: 4,
            }
        );
        let info = inspect(CFFI_I_V16).unwrap();
        assert_eq!(
            (info.algorithm.as_str(), info.version, info.memory_kib),
            ("argon2i", 16, 4_096)
        );
        assert_eq!(inspect(CFFI_D).unwrap().algorithm, "argon2d");
        assert_eq!(inspect(CFFI_ID_NO_VERSION).unwrap().version, 16);

        let json = serde_json::to_string(&inspect(CFFI_ID_OWASP).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"algorithm":"argon2id","version":19,"memory_kib":19456,"iterations":2,"parallelism":1}"#
        );
        assert!(!json.contains("7n+qnw3DuVsBNuQHFIn4xQ"));
    }

    #[test]
    fn non_argon2_strings_are_unsupported() {
        let h = hasher();
        let salt_and_hash = "$7n+qnw3DuVsBNuQHFIn4xQ$6racHLLHtwbfHYkpn8jxb6ZGdGV2FtJEAW3lmpIGbWs";
        let cases = [
            BCRYPT.to_owned(),
            "$2y$10$abcdefghijklmnopqrstuu5Tj6yD5q0bGbd6yEfc5R8FfzW0hKp1G".to_owned(),
            String::new(),
            "$".to_owned(),
            "$$$$$$".to_owned(),
            "hunter2".to_owned(),
            "argon2id$v=19$m=19456,t=2,p=1".to_owned(),
            "$argon2id".to_owned(),
            "$argon2id$v=19$m=19456,t=2,p=1".to_owned(),
            "$argon2id$v=19$m=19456,t=2,p=1$7n+qnw3DuVsBNuQHFIn4xQ".to_owned(),
            "$6$rounds=5000$saltsalt$hash".to_owned(),
            "$pbkdf2-sha256$29000$N2bsXQ$PVG2Ng".to_owned(),
            "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E".to_owned(),
            format!("$argon2x$v=19$m=19456,t=2,p=1{salt_and_hash}"),
            format!("$ARGON2ID$v=19$m=19456,t=2,p=1{salt_and_hash}"),
            // Unsupported versions.
            format!("$argon2id$v=20$m=19456,t=2,p=1{salt_and_hash}"),
            format!("$argon2id$v=0$m=19456,t=2,p=1{salt_and_hash}"),
            // Missing, duplicated, unknown or out-of-range parameters.
            format!("$argon2id$v=19{salt_and_hash}"),
            format!("$argon2id$v=19$m=19456,t=2{salt_and_hash}"),
            format!("$argon2id$v=19$t=2,p=1{salt_and_hash}"),
            format!("$argon2id$v=19$m=19456,m=8,t=2,p=1{salt_and_hash}"),
            format!("$argon2id$v=19$m=19456,t=2,p=1,x=1{salt_and_hash}"),
            format!("$argon2id$v=19$m=19456,t=0,p=1{salt_and_hash}"),
            format!("$argon2id$v=19$m=19456,t=2,p=0{salt_and_hash}"),
            format!("$argon2id$v=19$m=7,t=2,p=1{salt_and_hash}"),
            format!("$argon2id$v=19$m=4294967296,t=2,p=1{salt_and_hash}"),
            format!("$argon2id$v=19$m=-1,t=2,p=1{salt_and_hash}"),
            // Bad salt or hash encoding, short salt, trailing data.
            "$argon2id$v=19$m=19456,t=2,p=1$!!!!!!!!!!!!!!!!$6racHLLHtwbfHYkpn8jxb6ZGdGV2FtJEAW3lmpIGbWs".to_owned(),
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$6racHLLHtwbfHYkpn8jxb6ZGdGV2FtJEAW3lmpIGbWs".to_owned(),
            "$argon2id$v=19$m=19456,t=2,p=1$7n+qnw3DuVsBNuQHFIn4xQ$***".to_owned(),
            format!("$argon2id$v=19$m=19456,t=2,p=1{salt_and_hash}$extra"),
            format!(" $argon2id$v=19$m=19456,t=2,p=1{salt_and_hash}"),
            format!("$argon2id$v=19$m=19456,t=2,p=1{salt_and_hash}\n"),
            "$argon2id$v=19$m=19456,t=2,p=1$7n+qnw3DuVsBNuQHFIn4xQ$6racHLLHtwbfHYkpn8jxb6ZGdGV2FtJEAW3lmpIGbWs🔑".to_owned(),
        ];
        for phc in &cases {
            assert_eq!(
                h.verify(PASSWORD, phc),
                Err(PasswordError::UnsupportedHash),
                "verify {phc:?}"
            );
            assert_eq!(
                h.needs_rehash(phc),
                Err(PasswordError::UnsupportedHash),
                "needs_rehash {phc:?}"
            );
            assert_eq!(
                inspect(phc),
                Err(PasswordError::UnsupportedHash),
                "inspect {phc:?}"
            );
        }
    }

    mod never_panics {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn on_arbitrary_strings(phc in any::<String>()) {
                let h = hasher();
                let _ = h.verify(PASSWORD, &phc);
                let _ = h.needs_rehash(&phc);
                let _ = inspect(&phc);
            }

            #[test]
            fn on_argon2_like_strings(
                phc in r"\$argon2(id|i|d|x)(\$v=[0-9]{1,3})?(\$[mtpxv]=[0-9]{1,3}(,[mtpk]=[0-9]{1,3}){0,3})?(\$[A-Za-z0-9+/]{0,30}){0,3}"
            ) {
                // Costs are capped at three digits so a string that happens to
                // be valid is cheap to verify.
                let h = hasher();
                let _ = h.verify(PASSWORD, &phc);
                let _ = h.needs_rehash(&phc);
                let _ = inspect(&phc);
            }
        }
    }
}

/// Lowest bcrypt cost accepted (the application's own registrations use 10).
pub const BCRYPT_MIN_COST: u32 = 10;
/// Largest argon2 costs accepted: 1 GiB of memory, 100 passes, 64 lanes.
pub const ARGON2_MAX_MEMORY_KIB: u32 = 1024 * 1024;
pub const ARGON2_MAX_ITERATIONS: u32 = 100;
pub const ARGON2_MAX_PARALLELISM: u32 = 64;
/// Highest bcrypt cost accepted (15 takes seconds per hash already).
pub const BCRYPT_MAX_COST: u32 = 15;
/// Default bcrypt cost for new hashes.
pub const BCRYPT_DEFAULT_COST: u32 = 12;
/// bcrypt reads at most this many bytes of a password.
pub const BCRYPT_MAX_BYTES: usize = 72;
/// Prefix of a disabled ("unusable") hash: `!` followed by the hash it replaced,
/// which `users enable` restores. No verifier accepts it (bcryptjs answers false
/// for anything that is not a 60-character bcrypt hash).
pub const DISABLED_PREFIX: char = '!';

/// The scheme new hashes are made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "scheme", rename_all = "lowercase")]
pub enum HashPolicy {
    /// bcrypt `$2b$` at `cost`.
    Bcrypt { cost: u32 },
    /// argon2id v19 at these parameters.
    Argon2id(HashParams),
}

impl Default for HashPolicy {
    fn default() -> Self {
        HashPolicy::Bcrypt {
            cost: BCRYPT_DEFAULT_COST,
        }
    }
}

impl std::fmt::Display for HashPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HashPolicy::Bcrypt { cost } => write!(f, "bcrypt $2b$, cost {cost}"),
            HashPolicy::Argon2id(p) => write!(
                f,
                "argon2id m={} KiB, t={}, p={}",
                p.memory_kib, p.iterations, p.parallelism
            ),
        }
    }
}

/// Hashes with the configured [`HashPolicy`]; verifies bcrypt and argon2 hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PasswordHasher {
    policy: HashPolicy,
}

/// Which family a stored hash belongs to.
fn is_bcrypt(stored: &str) -> bool {
    ["$2a$", "$2b$", "$2y$"]
        .iter()
        .any(|p| stored.starts_with(p))
}

impl PasswordHasher {
    /// A hasher for `policy`, after checking its costs.
    ///
    /// # Errors
    /// [`PasswordError::BcryptCost`] or whatever [`HashParams::validate`] returns.
    pub fn new(policy: HashPolicy) -> Result<Self, PasswordError> {
        match policy {
            HashPolicy::Bcrypt { cost } => {
                if !(BCRYPT_MIN_COST..=BCRYPT_MAX_COST).contains(&cost) {
                    return Err(PasswordError::BcryptCost(cost));
                }
            }
            HashPolicy::Argon2id(params) => params.validate()?,
        }
        Ok(PasswordHasher { policy })
    }

    pub fn policy(&self) -> HashPolicy {
        self.policy
    }

    /// Refuse a password this policy cannot hash faithfully (bcrypt: over 72 bytes).
    pub fn check_length(&self, password: &[u8]) -> Result<(), PasswordError> {
        match self.policy {
            HashPolicy::Bcrypt { .. } if password.len() > BCRYPT_MAX_BYTES => {
                Err(PasswordError::TooLongForBcrypt(password.len()))
            }
            _ => Ok(()),
        }
    }

    /// Hash `password` (its exact bytes) with the configured scheme.
    pub fn hash(&self, password: &[u8]) -> Result<String, PasswordError> {
        self.check_length(password)?;
        match self.policy {
            HashPolicy::Bcrypt { cost } => bcrypt::hash_with_result(password, cost)
                .map(|parts| parts.format_for_version(bcrypt::Version::TwoB))
                .map_err(|e| PasswordError::Hashing(e.to_string())),
            HashPolicy::Argon2id(params) => Argon2Hasher::new(params)?.hash(password),
        }
    }

    /// Check `password` against a stored hash of either scheme. A disabled hash
    /// never verifies. A hash whose recorded cost is above what authctl computes is
    /// not verified ([`check_verify_cost`]): a `$2b$22$` hash runs for minutes, an
    /// argon2 string with `m=4194304` allocates 4 GiB.
    ///
    /// # Errors
    /// [`PasswordError::UnsupportedHash`] for a string that is neither bcrypt nor
    /// argon2; [`PasswordError::CostTooHigh`] for one that costs too much.
    pub fn verify(&self, password: &[u8], stored: &str) -> Result<bool, PasswordError> {
        if is_disabled(stored) {
            return Ok(false);
        }
        check_verify_cost(stored)?;
        if is_bcrypt(stored) {
            return bcrypt::verify(password, stored).map_err(|_| PasswordError::UnsupportedHash);
        }
        Argon2Hasher::default().verify(password, stored)
    }

    /// Whether `stored` is weaker than this policy or of another scheme (a
    /// disabled hash is judged by the hash it keeps).
    pub fn needs_rehash(&self, stored: &str) -> Result<bool, PasswordError> {
        let stored = enabled_form(stored);
        match self.policy {
            HashPolicy::Bcrypt { cost } => {
                if is_bcrypt(stored) {
                    Ok(bcrypt_cost(stored)? < cost)
                } else {
                    inspect(stored).map(|_| true)
                }
            }
            HashPolicy::Argon2id(params) => {
                if is_bcrypt(stored) {
                    bcrypt_cost(stored).map(|_| true)
                } else {
                    Argon2Hasher::new(params)?.needs_rehash(stored)
                }
            }
        }
    }
}

/// Refuse to verify a stored hash whose recorded cost is above the largest authctl
/// accepts for its own hashes — bcrypt cost [`BCRYPT_MAX_COST`]; argon2
/// [`ARGON2_MAX_MEMORY_KIB`], [`ARGON2_MAX_ITERATIONS`],
/// [`ARGON2_MAX_PARALLELISM`] — read from the string before any
/// work. A string that is neither (or malformed) passes: the verifier refuses it.
///
/// # Errors
/// [`PasswordError::CostTooHigh`] naming the cost.
pub fn check_verify_cost(stored: &str) -> Result<(), PasswordError> {
    let stored = enabled_form(stored);
    if is_bcrypt(stored) {
        return match bcrypt_cost(stored) {
            Ok(cost) if cost > BCRYPT_MAX_COST => {
                Err(PasswordError::CostTooHigh(format!("bcrypt cost {cost}")))
            }
            _ => Ok(()),
        };
    }
    match inspect(stored) {
        Ok(i)
            if i.memory_kib > ARGON2_MAX_MEMORY_KIB
                || i.iterations > ARGON2_MAX_ITERATIONS
                || i.parallelism > ARGON2_MAX_PARALLELISM =>
        {
            Err(PasswordError::CostTooHigh(format!(
                "{} m={} KiB, t={}, p={}",
                i.algorithm, i.memory_kib, i.iterations, i.parallelism
            )))
        }
        _ => Ok(()),
    }
}

fn bcrypt_cost(stored: &str) -> Result<u32, PasswordError> {
    if stored.len() != 60 {
        return Err(PasswordError::UnsupportedHash);
    }
    stored
        .get(4..6)
        .and_then(|c| c.parse().ok())
        .ok_or(PasswordError::UnsupportedHash)
}

/// Whether a stored hash is disabled (see [`DISABLED_PREFIX`]).
pub fn is_disabled(stored: &str) -> bool {
    stored.starts_with(DISABLED_PREFIX)
}

/// The disabled form of a hash: nothing verifies it, [`enabled_form`] restores it.
pub fn disable(stored: &str) -> String {
    if is_disabled(stored) {
        stored.to_owned()
    } else {
        format!("{DISABLED_PREFIX}{stored}")
    }
}

/// The hash a disabled hash keeps (the hash itself when it is not disabled).
pub fn enabled_form(stored: &str) -> &str {
    stored.strip_prefix(DISABLED_PREFIX).unwrap_or(stored)
}

/// What `users show` reports about a stored hash. Never holds salt or output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SchemeInfo {
    /// `"bcrypt"`, `"argon2id"`, `"argon2i"`, `"argon2d"` or `"unknown"`.
    pub scheme: String,
    /// bcrypt: its version prefix (`2a`, `2b`, `2y`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// bcrypt cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<u32>,
    /// argon2 parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argon2: Option<HashInfo>,
    /// Disabled by `users disable` (no verifier accepts it).
    pub disabled: bool,
    /// Weaker than the configured policy, or another scheme: replace it at the next
    /// password reset.
    pub below_policy: bool,
}

/// Describe a stored hash against `hasher`'s policy.
pub fn describe(stored: &str, hasher: &PasswordHasher) -> SchemeInfo {
    let disabled = is_disabled(stored);
    let inner = enabled_form(stored);
    let below_policy = hasher.needs_rehash(inner).unwrap_or(true);
    if is_bcrypt(inner) {
        return SchemeInfo {
            scheme: "bcrypt".into(),
            variant: inner.get(1..3).map(str::to_owned),
            cost: bcrypt_cost(inner).ok(),
            argon2: None,
            disabled,
            below_policy,
        };
    }
    match inspect(inner) {
        Ok(info) => SchemeInfo {
            scheme: info.algorithm.clone(),
            variant: None,
            cost: None,
            argon2: Some(info),
            disabled,
            below_policy,
        },
        Err(_) => SchemeInfo {
            scheme: "unknown".into(),
            variant: None,
            cost: None,
            argon2: None,
            disabled,
            below_policy: true,
        },
    }
}

#[cfg(test)]
mod scheme_tests {
    use super::*;

    #[test]
    fn bcrypt_default_is_2b_cost_12_and_verifies() {
        let h = PasswordHasher::default();
        let hash = h.hash(b"correct horse").unwrap();
        assert!(hash.starts_with("$2b$12$"), "{hash}");
        assert_eq!(hash.len(), 60);
        assert!(h.verify(b"correct horse", &hash).unwrap());
        assert!(!h.verify(b"correct horsE", &hash).unwrap());
        assert!(!h.needs_rehash(&hash).unwrap());
        let info = describe(&hash, &h);
        assert_eq!((info.scheme.as_str(), info.cost), ("bcrypt", Some(12)));
        assert!(!info.below_policy && !info.disabled);
    }

    /// A stored hash above the largest accepted costs is refused before any work:
    /// bcrypt cost 22 would run for minutes, argon2 m=4 GiB allocate 4 GiB. At the
    /// limits it is verified as usual.
    #[test]
    fn stored_hashes_above_the_largest_costs_are_not_verified() {
        let h = PasswordHasher::default();
        let salt_and_hash = "abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234";
        for cost in ["16", "22", "31"] {
            let stored = format!("$2b${cost}${salt_and_hash}");
            let e = h.verify(b"admin123", &stored).unwrap_err();
            assert_eq!(e, PasswordError::CostTooHigh(format!("bcrypt cost {cost}")));
            assert!(
                e.to_string().contains("exceeds what authctl will compute"),
                "{e}"
            );
        }
        let salt = "c2FsdHNhbHRzYWx0c2FsdA";
        let out = "aGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGg";
        for params in ["m=4194304,t=1,p=1", "m=19456,t=101,p=1", "m=65536,t=1,p=65"] {
            let stored = format!("$argon2id$v=19${params}${salt}${out}");
            assert!(
                matches!(h.verify(b"x", &stored), Err(PasswordError::CostTooHigh(_))),
                "{stored}"
            );
            // Disabled or not, the cost is read first.
            assert!(check_verify_cost(&disable(&stored)).is_err(), "{stored}");
        }
        let ok = format!("$argon2id$v=19$m=19456,t=2,p=1${salt}${out}");
        assert_eq!(h.verify(b"x", &ok), Ok(false));
        let fifteen = format!("$2b$15${salt_and_hash}");
        assert!(check_verify_cost(&fifteen).is_ok());
    }

    #[test]
    fn bcrypt_refuses_weak_costs_and_long_passwords() {
        assert_eq!(
            PasswordHasher::new(HashPolicy::Bcrypt { cost: 9 }),
            Err(PasswordError::BcryptCost(9))
        );
        assert!(PasswordHasher::new(HashPolicy::Bcrypt { cost: 16 }).is_err());
        let h = PasswordHasher::new(HashPolicy::Bcrypt { cost: 10 }).unwrap();
        assert_eq!(
            h.hash(&[b'a'; 73]),
            Err(PasswordError::TooLongForBcrypt(73))
        );
        assert!(h.hash(&[b'a'; 72]).is_ok());
        // Cost 10 is below the default policy.
        let weak = h.hash(b"pw").unwrap();
        assert!(PasswordHasher::default().needs_rehash(&weak).unwrap());
    }

    #[test]
    fn disabled_hash_never_verifies_and_is_restorable() {
        let h = PasswordHasher::new(HashPolicy::Bcrypt { cost: 10 }).unwrap();
        let hash = h.hash(b"secret").unwrap();
        let off = disable(&hash);
        assert_ne!(
            off.len(),
            60,
            "bcryptjs throws on 60-character non-bcrypt strings"
        );
        assert!(!h.verify(b"secret", &off).unwrap());
        assert!(describe(&off, &h).disabled);
        assert_eq!(enabled_form(&off), hash);
        assert_eq!(disable(&off), off, "disabling twice keeps the original");
    }

    /// Made by bcryptjs 3.0.3 (the application's library, `tests/app`):
    /// `hashSync(pw, 10)`, `hashSync("pässwörd 🔑 ünïcode", 11)`, and a cost-4 hash
    /// relabelled `$2a$` (bcryptjs's `compareSync` accepts it).
    const BCRYPTJS_10: &str = "$2b$10$JgdsPWFjOOPTXQ6/pjJPw.J5tjWbeLunZNl9MFkHRSlxVlECglylK";
    const BCRYPTJS_UNICODE: &str = "$2b$11$iogC9Be7SdxGdEFGE3EIIuUO9iUlsGsNd0U7v6.hylJFIYahfI3zO";
    const BCRYPTJS_2A: &str = "$2a$04$Des4puUfCpID2AtsIPghSeJ/Xn2KWCsFY/7dZzZbI2hjENHfqqq0.";

    #[test]
    fn verifies_hashes_made_by_the_applications_bcryptjs() {
        let h = PasswordHasher::default();
        let pw = b"correct horse battery staple";
        assert!(h.verify(pw, BCRYPTJS_10).unwrap());
        assert!(
            !h.verify(b"correct horse battery stapl", BCRYPTJS_10)
                .unwrap()
        );
        assert!(
            h.verify("pässwörd 🔑 ünïcode".as_bytes(), BCRYPTJS_UNICODE)
                .unwrap()
        );
        assert!(h.verify(pw, BCRYPTJS_2A).unwrap());
        // The application's cost 10 is below authctl's default policy (12); cost 4
        // is below the application's own floor.
        assert!(h.needs_rehash(BCRYPTJS_10).unwrap());
        let info = describe(BCRYPTJS_2A, &h);
        assert_eq!((info.variant.as_deref(), info.cost), (Some("2a"), Some(4)));
        assert!(info.below_policy);
    }

    #[test]
    fn argon2id_policy_and_cross_verification() {
        let a = PasswordHasher::new(HashPolicy::Argon2id(HashParams::OWASP_MINIMUM)).unwrap();
        let hash = a.hash(&[b'x'; 100]).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let b = PasswordHasher::default();
        assert!(b.verify(&[b'x'; 100], &hash).unwrap());
        assert!(
            b.needs_rehash(&hash).unwrap(),
            "argon2 under a bcrypt policy"
        );
        assert_eq!(b.verify(b"x", "plain"), Err(PasswordError::UnsupportedHash));
    }
}
