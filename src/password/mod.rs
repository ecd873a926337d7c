//! Password hashing and verification. The policy ([`HashPolicy`]) picks the scheme
//! of new hashes: bcrypt (the default, because the application verifies with
//! bcryptjs) or argon2id (`AUTHCTL_PASSWORD_HASH=argon2id`). [`PasswordHasher`] is
//! the one way in: it hashes by the policy, and its one `verify` and `needs_rehash`
//! take a stored hash of either scheme. A *disabled* hash ([`disable`]) verifies
//! with neither — nor with the application's bcryptjs, which answers false for any
//! string that is not a 60-character bcrypt hash. The schemes live in `bcrypt`
//! and `argon2` (private modules).

mod argon2;
mod bcrypt;

pub use self::argon2::{HashInfo, HashParams, inspect};

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
            HashPolicy::Bcrypt { cost } => bcrypt::hash(password, cost),
            HashPolicy::Argon2id(params) => argon2::hash(params, password),
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
        if bcrypt::is_bcrypt(stored) {
            return bcrypt::verify(password, stored);
        }
        argon2::verify(password, stored)
    }

    /// Whether `stored` is weaker than this policy or of another scheme (a
    /// disabled hash is judged by the hash it keeps).
    pub fn needs_rehash(&self, stored: &str) -> Result<bool, PasswordError> {
        let stored = enabled_form(stored);
        match self.policy {
            HashPolicy::Bcrypt { cost } => {
                if bcrypt::is_bcrypt(stored) {
                    Ok(bcrypt::cost(stored)? < cost)
                } else {
                    inspect(stored).map(|_| true)
                }
            }
            HashPolicy::Argon2id(params) => {
                if bcrypt::is_bcrypt(stored) {
                    bcrypt::cost(stored).map(|_| true)
                } else {
                    argon2::needs_rehash(params, stored)
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
    if bcrypt::is_bcrypt(stored) {
        return match bcrypt::cost(stored) {
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

/// Whether enabling a disabled hash gives back something to verify: not so for a
/// bare `!` (enabling it would store an empty hash) nor for `!!…` (still
/// disabled after). Any other text behind the marker is restored byte for byte,
/// whatever scheme wrote it.
pub fn restorable(stored: &str) -> bool {
    let inner = enabled_form(stored);
    !inner.is_empty() && !is_disabled(inner)
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
    /// Weaker than the weakest hash the policy accepts ([`below_minimum`]: bcrypt
    /// below cost 10, argon2 below the OWASP floor, or unverifiable): replace it
    /// at the next password reset. A hash merely below the configured cost of new
    /// hashes (the application's cost 10 under authctl's default 12) is not.
    pub below_policy: bool,
}

/// Whether a stored hash (a disabled one judged by the hash it keeps) is weaker
/// than the weakest authctl's policy accepts for a new hash: bcrypt below
/// [`BCRYPT_MIN_COST`]; argon2 that is not argon2id v19 or below the OWASP floor
/// ([`HashParams::validate`]); anything else (no verifier accepts it). Not the
/// configured cost of new hashes: the application's own cost-10 bcrypt
/// registrations are within the policy, though authctl's default makes new
/// hashes at 12 ([`PasswordHasher::needs_rehash`] says that).
pub fn below_minimum(stored: &str) -> bool {
    let inner = enabled_form(stored);
    if bcrypt::is_bcrypt(inner) {
        return bcrypt::cost(inner).map_or(true, |c| c < BCRYPT_MIN_COST);
    }
    match inspect(inner) {
        Ok(i) => {
            i.algorithm != "argon2id"
                || i.version != 19
                || HashParams {
                    memory_kib: i.memory_kib,
                    iterations: i.iterations,
                    parallelism: i.parallelism,
                }
                .validate()
                .is_err()
        }
        Err(_) => true,
    }
}

/// Describe a stored hash; `below_policy` is [`below_minimum`].
pub fn describe(stored: &str) -> SchemeInfo {
    let disabled = is_disabled(stored);
    let inner = enabled_form(stored);
    let below_policy = below_minimum(inner);
    if bcrypt::is_bcrypt(inner) {
        return SchemeInfo {
            scheme: "bcrypt".into(),
            variant: inner.get(1..3).map(str::to_owned),
            cost: bcrypt::cost(inner).ok(),
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
mod tests {
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
        let info = describe(&hash);
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
        assert!(describe(&off).disabled);
        assert_eq!(enabled_form(&off), hash);
        assert_eq!(disable(&off), off, "disabling twice keeps the original");
    }

    use super::bcrypt::tests::{BCRYPTJS_2A, BCRYPTJS_10, BCRYPTJS_UNICODE};

    #[test]
    fn bcryptjs_hashes_verify_and_fall_below_the_default_policy() {
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
        let info = describe(BCRYPTJS_2A);
        assert_eq!((info.variant.as_deref(), info.cost), (Some("2a"), Some(4)));
        assert!(info.below_policy);
        // Below the default for new hashes (12) is not below the policy: cost 10 is
        // the weakest it accepts, the application's own.
        assert!(!describe(BCRYPTJS_10).below_policy);
        assert!(!below_minimum(BCRYPTJS_10) && !below_minimum(&disable(BCRYPTJS_10)));
        assert!(below_minimum(&disable(BCRYPTJS_2A)));
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
