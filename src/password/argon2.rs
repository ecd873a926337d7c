//! argon2: new hashes are argon2id v19 with a fresh 16-byte salt from the OS CSPRNG
//! and a 32-byte output, at validated [`HashParams`]; verification accepts any
//! argon2 PHC string (argon2id/i/d, version 16 or 19) from any implementation.
//!
//! PHC strings look like `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`. Strings
//! written by argon2-cffi, node-argon2 or libsodium verify; the comparison of the
//! computed and stored outputs is the constant-time one inside the `argon2` crate.
//!
//! Limits inherited from the `phc` crate that parses PHC strings: the salt must
//! decode to 8..=48 bytes and the hash output to 10..=64 bytes. Strings outside
//! these ranges are [`PasswordError::UnsupportedHash`]. Every mainstream
//! implementation defaults to a 16-byte salt and a 32-byte output.
//!
//! Verification uses the cost parameters stored in the PHC string, so a string with
//! absurd costs makes it allocate that much memory: the caller checks the costs
//! first ([`super::check_verify_cost`]).

use argon2::password_hash::{self, PasswordHasher as _, PasswordVerifier as _, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};

use super::PasswordError;

/// Version assumed for a PHC string without a `v=` field.
///
/// The reference implementation (which argon2-cffi and node-argon2 wrap)
/// started writing `$v=` with version 19, and reads a string without it as
/// version 16. The `argon2` crate on its own would assume version 19, which
/// fails to verify such legacy hashes.
const LEGACY_VERSION: u32 = 0x10;

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

/// Hashes `password` into an argon2id v19 PHC string at `params`, with a fresh
/// 16-byte salt from the OS CSPRNG.
///
/// The exact bytes are hashed: no Unicode normalization, no trimming, no
/// truncation, and NUL bytes are allowed. Any length up to argon2's limit of
/// 2^32 - 1 bytes is accepted.
///
/// # Errors
///
/// [`PasswordError::InvalidParams`] when argon2 refuses `params`;
/// [`PasswordError::Hashing`] when the password is longer than argon2 allows, the
/// OS random generator fails, or the memory cannot be allocated.
pub(super) fn hash(params: HashParams, password: &[u8]) -> Result<String, PasswordError> {
    if password.len() > argon2::MAX_PWD_LEN {
        return Err(PasswordError::Hashing(format!(
            "password is longer than argon2's limit of {} bytes",
            argon2::MAX_PWD_LEN
        )));
    }
    let params = params.to_argon2()?;
    let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password)
        .map_err(|e| PasswordError::Hashing(e.to_string()))?;
    Ok(hash.to_string())
}

/// Checks `password` against the argon2 PHC string `phc`.
///
/// Works for argon2id, argon2i and argon2d, version 16 or 19 (a string without
/// `v=` is version 16, as in the reference implementation), and whatever costs,
/// salt and output length the string records, within the limits given in the
/// module documentation. The comparison is constant-time.
///
/// # Errors
///
/// - [`PasswordError::UnsupportedHash`] when `phc` is not a well-formed argon2 PHC
///   string (e.g. a bcrypt `$2b$` hash or garbage).
/// - [`PasswordError::Hashing`] when recomputing the hash fails (e.g. the memory
///   recorded in `phc` cannot be allocated).
pub(super) fn verify(password: &[u8], phc: &str) -> Result<bool, PasswordError> {
    let parsed = Parsed::new(phc)?;
    // `Argon2::default()` only supplies the (absent) pepper: the algorithm,
    // version and costs are taken from `parsed.hash`.
    match Argon2::default().verify_password(password, &parsed.hash) {
        Ok(()) => Ok(true),
        Err(password_hash::Error::PasswordInvalid) => Ok(false),
        Err(e) => Err(PasswordError::Hashing(e.to_string())),
    }
}

/// Whether `phc` is weaker than a fresh hash at `params`: not argon2id, not
/// version 19, or a memory, iteration or lane count below `params`. Stronger costs
/// do not need rehashing.
///
/// # Errors
///
/// [`PasswordError::UnsupportedHash`] when `phc` is not a well-formed argon2 PHC
/// string.
pub(super) fn needs_rehash(params: HashParams, phc: &str) -> Result<bool, PasswordError> {
    let parsed = Parsed::new(phc)?;
    Ok(parsed.algorithm != Algorithm::Argon2id
        || parsed.version != Version::V0x13
        || parsed.params.m_cost() < params.memory_kib
        || parsed.params.t_cost() < params.iterations
        || parsed.params.p_cost() < params.parallelism)
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
/// string (the same check as [`verify`]).
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

    /// The scheme's functions at fixed costs, as [`super::super::PasswordHasher`]
    /// calls them.
    #[derive(Debug, PartialEq)]
    struct Hasher(HashParams);

    impl Hasher {
        fn new(params: HashParams) -> Result<Self, PasswordError> {
            params.validate()?;
            Ok(Hasher(params))
        }
        fn hash(&self, password: &[u8]) -> Result<String, PasswordError> {
            hash(self.0, password)
        }
        fn verify(&self, password: &[u8], phc: &str) -> Result<bool, PasswordError> {
            verify(password, phc)
        }
        fn needs_rehash(&self, phc: &str) -> Result<bool, PasswordError> {
            needs_rehash(self.0, phc)
        }
    }

    fn hasher() -> Hasher {
        Hasher::new(HashParams::default()).expect("default params are valid")
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
        let h = Hasher::new(params(12_288, 3, 2)).unwrap();
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
        let lower_m = Hasher::new(params(12_288, 3, 1))
            .unwrap()
            .hash(PASSWORD)
            .unwrap();
        assert!(h.needs_rehash(&lower_m).unwrap());
        // Lower iterations (even with more memory).
        let lower_t = Hasher::new(params(47_104, 1, 1))
            .unwrap()
            .hash(PASSWORD)
            .unwrap();
        assert!(h.needs_rehash(&lower_t).unwrap());
        // Lower lanes than the current setting.
        let own = h.hash(PASSWORD).unwrap();
        let four_lanes = Hasher::new(params(19_456, 2, 4)).unwrap();
        assert!(four_lanes.needs_rehash(&own).unwrap());
        // Below the OWASP floor, made by argon2-cffi.
        assert!(h.needs_rehash(CFFI_ID_WEAK).unwrap());
    }

    #[test]
    fn needs_rehash_stronger_params_is_false() {
        let h = hasher();
        let stronger = Hasher::new(params(47_104, 3, 2))
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
            assert!(Hasher::new(ok).is_ok(), "{ok:?}");
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
            assert_eq!(Hasher::new(weak), Err(expected), "{weak:?}");
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
        assert_eq!(hasher(), Hasher(HashParams::OWASP_MINIMUM));
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
