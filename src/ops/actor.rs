//! Who is acting, for the audit trail: `--actor`, `AUTHCTL_ACTOR`, or the OS user
//! and host (`alice@bastion`).

use crate::config::{Environment, Source, Sourced};
use crate::error::Error;

/// Longest actor accepted, in characters.
pub const ACTOR_MAX_LEN: usize = 200;

/// The actor recorded in audit events. An actor with control or bidi characters
/// (which would reach an operator's terminal through `audit list`) or over
/// [`ACTOR_MAX_LEN`] characters is refused: a usage error from `--actor`, a
/// configuration error from `AUTHCTL_ACTOR`.
pub fn resolve(flag: Option<&str>, env: &Environment) -> Result<String, Error> {
    resolve_sourced(flag, env).map(|a| a.value)
}

/// [`resolve`], with where the actor came from (for `authctl config`).
pub fn resolve_sourced(flag: Option<&str>, env: &Environment) -> Result<Sourced<String>, Error> {
    let check = |a: &str, from: &str, err: fn(String) -> Error| {
        crate::parse::operator_text(a, from, ACTOR_MAX_LEN, err)
    };
    if let Some(a) = flag.map(str::trim).filter(|a| !a.is_empty()) {
        return Ok(Sourced {
            value: check(a, "--actor", Error::usage)?,
            source: Source::Flag("--actor"),
        });
    }
    if let Some(v) = env.get(crate::config::settings::ACTOR.var) {
        let a = v.value.trim();
        if !a.is_empty() {
            return Ok(Sourced {
                value: check(a, &v.source.to_string(), Error::config)?,
                source: v.source,
            });
        }
    }
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| whoami::username().ok())
        .unwrap_or_else(|| "unknown".into());
    let host = whoami::hostname().unwrap_or_else(|_| "localhost".into());
    Ok(Sourced {
        value: format!("{user}@{host}"),
        source: Source::Derived {
            rank: crate::config::Rank::Default,
            what: "default (the OS user and host)".into(),
        },
    })
}
