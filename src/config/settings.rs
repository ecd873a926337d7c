//! Every setting authctl reads from its environment, defined once: its name in
//! `authctl config`, its variable, its flag, its default and its help. Resolution
//! ([`super::Config::resolve`]) reads variables and defaults from here, `authctl
//! config` names its rows from here, the configuration part of `authctl --help` is
//! generated from here ([`help`]), and a test checks that docs/configuration.md's
//! configuration table lists each one with its default.

use std::time::Duration;

/// One setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The row in `authctl config`.
    pub key: &'static str,
    /// The environment (or `.env`) variable.
    pub var: &'static str,
    /// The flag that overrides the variable, if any (`--connect-timeout`,
    /// `migrate --lock-wait`).
    pub flag: Option<&'static str>,
    /// The default, as written by an operator (durations in humantime form).
    pub default: &'static str,
    /// What it sets, in a few words.
    pub help: &'static str,
}

impl Setting {
    /// The default of a duration setting. Every duration default parses (a unit
    /// test checks), so this cannot fail at run time.
    pub fn default_duration(&self) -> Duration {
        humantime::parse_duration(self.default)
            .unwrap_or_else(|e| panic!("{}: bad default {:?}: {e}", self.var, self.default))
    }

    /// The flag's help line: the help, the variable and the default, as clap shows
    /// them for every other option.
    pub fn flag_help(&self) -> String {
        format!(
            "{} [env: {}] [default: {}]",
            capitalize(self.help),
            self.var,
            self.default
        )
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub const ENV_FILE: Setting = Setting {
    key: "env_file",
    var: "AUTHCTL_ENV_FILE",
    flag: Some("--env-file"),
    default: "./.env when present",
    help: "read variables from this .env file (it must exist)",
};

pub const CONNECT_TIMEOUT: Setting = Setting {
    key: "connect_timeout",
    var: "AUTHCTL_CONNECT_TIMEOUT",
    flag: Some("--connect-timeout"),
    default: "5s",
    help: "give up connecting to PostgreSQL after this long",
};

pub const BUSY_TIMEOUT: Setting = Setting {
    key: "busy_timeout",
    var: "AUTHCTL_BUSY_TIMEOUT",
    flag: None,
    default: "5s",
    help: "SQLite: how long a writer waits for another writer",
};

pub const LOCK_TIMEOUT: Setting = Setting {
    key: "lock_timeout",
    var: "AUTHCTL_LOCK_TIMEOUT",
    flag: None,
    default: "5s",
    help: "PostgreSQL lock_timeout of migration DDL",
};

pub const MIGRATE_LOCK_WAIT: Setting = Setting {
    key: "migrate_lock_wait",
    var: "AUTHCTL_MIGRATE_LOCK_WAIT",
    flag: Some("migrate --lock-wait"),
    default: "2m",
    help: "how long migrate waits for another runner's lock",
};

pub const PASSWORD_HASH: Setting = Setting {
    key: "password_hash",
    var: "AUTHCTL_PASSWORD_HASH",
    flag: None,
    default: "bcrypt",
    help: "scheme of new hashes: bcrypt or argon2id",
};

pub const BCRYPT_COST: Setting = Setting {
    key: "password_hash",
    var: "AUTHCTL_BCRYPT_COST",
    flag: None,
    default: "12",
    help: "bcrypt cost of new hashes (10-15)",
};

pub const ARGON2_MEMORY_KIB: Setting = Setting {
    key: "password_hash",
    var: "AUTHCTL_ARGON2_MEMORY_KIB",
    flag: None,
    default: "19456",
    help: "argon2id memory of new hashes, KiB",
};

pub const ARGON2_ITERATIONS: Setting = Setting {
    key: "password_hash",
    var: "AUTHCTL_ARGON2_ITERATIONS",
    flag: None,
    default: "2",
    help: "argon2id passes of new hashes",
};

pub const ARGON2_PARALLELISM: Setting = Setting {
    key: "password_hash",
    var: "AUTHCTL_ARGON2_PARALLELISM",
    flag: None,
    default: "1",
    help: "argon2id lanes of new hashes",
};

pub const PASSWORD_MIN_LENGTH: Setting = Setting {
    key: "password_min_length",
    var: "AUTHCTL_PASSWORD_MIN_LENGTH",
    flag: None,
    default: "8",
    help: "minimum length of new passwords (8-1024)",
};

pub const DORMANT_AFTER: Setting = Setting {
    key: "dormant_after",
    var: "AUTHCTL_DORMANT_AFTER",
    flag: None,
    default: "90d",
    help: "no login for this long makes a user dormant (stats)",
};

pub const APP_INSTANCES: Setting = Setting {
    key: "app_instances",
    var: "AUTHCTL_APP_INSTANCES",
    flag: None,
    default: "1",
    help: "application instances sharing the database (connection check of migrate --check-production)",
};

pub const ACTOR: Setting = Setting {
    key: "actor",
    var: "AUTHCTL_ACTOR",
    flag: Some("--actor"),
    default: "$USER@hostname",
    help: "who is acting, for the audit trail",
};

/// Every setting, in the order `authctl --help` lists them.
pub const SETTINGS: &[Setting] = &[
    ENV_FILE,
    CONNECT_TIMEOUT,
    BUSY_TIMEOUT,
    LOCK_TIMEOUT,
    MIGRATE_LOCK_WAIT,
    PASSWORD_HASH,
    BCRYPT_COST,
    ARGON2_MEMORY_KIB,
    ARGON2_ITERATIONS,
    ARGON2_PARALLELISM,
    PASSWORD_MIN_LENGTH,
    DORMANT_AFTER,
    APP_INSTANCES,
    ACTOR,
];

/// The configuration part of `authctl --help`: the database variables, then every
/// setting with its default.
pub fn help() -> String {
    let mut out = String::from(
        "Configuration (flag > environment > .env file > default):
  DATABASE_URL               postgres://USER:PASS@HOST:PORT/DB, sqlite://PATH or a file path
  USE_POSTGRES=true          with DB_HOST (localhost), DB_PORT (5433), DB_NAME (restoreassist),
                             DB_USER (restoreassist), DB_PASSWORD (dev_password_change_me): the
                             application's own variables and defaults build the PostgreSQL URL
  default database           SQLite at $XDG_DATA_HOME/authctl/authctl.db
                             (~/.local/share/authctl/authctl.db)
  NODE_ENV=production        (or AUTHCTL_ENV=production) refuses SQLite
",
    );
    for s in SETTINGS {
        let flag = s.flag.map(|f| format!(", flag {f}")).unwrap_or_default();
        out.push_str(&format!(
            "  {} [default: {}]{flag}\n      {}\n",
            s.var, s.default, s.help
        ));
    }
    out.push_str(
        "Run `authctl config` to see the resolved values and where each came from.

Exit codes: 0 ok, 1 check failed or declined, 64 usage, 65 bad data, 66 not found,
69 database unavailable, 70 internal error, 74 output failed, 75 busy (retry),
77 permission denied, 78 configuration, 130 interrupted.",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::password::{BCRYPT_DEFAULT_COST, HashParams};

    #[test]
    fn defaults_are_the_typed_ones() {
        for s in [
            CONNECT_TIMEOUT,
            BUSY_TIMEOUT,
            LOCK_TIMEOUT,
            MIGRATE_LOCK_WAIT,
            DORMANT_AFTER,
        ] {
            assert!(s.default_duration() > Duration::ZERO, "{}", s.var);
        }
        assert_eq!(BCRYPT_COST.default, BCRYPT_DEFAULT_COST.to_string());
        let p = HashParams::default();
        assert_eq!(ARGON2_MEMORY_KIB.default, p.memory_kib.to_string());
        assert_eq!(ARGON2_ITERATIONS.default, p.iterations.to_string());
        assert_eq!(ARGON2_PARALLELISM.default, p.parallelism.to_string());
    }

    #[test]
    fn each_variable_once() {
        let mut vars: Vec<&str> = SETTINGS.iter().map(|s| s.var).collect();
        vars.sort_unstable();
        vars.dedup();
        assert_eq!(vars.len(), SETTINGS.len());
        let h = help();
        for s in SETTINGS {
            assert!(h.contains(s.var), "{}", s.var);
        }
    }
}
