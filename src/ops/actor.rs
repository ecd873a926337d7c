//! Who is acting, for the audit trail: `--actor`, `AUTHCTL_ACTOR`, or the OS user
//! and host (`alice@bastion`).

use crate::config::Environment;

/// The actor recorded in audit events.
pub fn resolve(flag: Option<&str>, env: &Environment) -> String {
    if let Some(a) = flag.map(str::trim).filter(|a| !a.is_empty()) {
        return a.to_owned();
    }
    if let Some(a) = env
        .get("AUTHCTL_ACTOR")
        .map(|a| a.value.trim().to_owned())
        .filter(|a| !a.is_empty())
    {
        return a;
    }
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| whoami::username().ok())
        .unwrap_or_else(|| "unknown".into());
    let host = whoami::hostname().unwrap_or_else(|_| "localhost".into());
    format!("{user}@{host}")
}
