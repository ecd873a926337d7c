//! authctl: administer an authentication database — users with argon2id password
//! hashes, refresh tokens, login sessions and an audit trail — on SQLite (the
//! embedded default) or PostgreSQL.
//!
//! The library is usable on its own by a Rust service:
//! [`db::connect`] or [`db::pool::build_pool`] open connections,
//! [`db::migrations`] owns the schema, [`repo`] has one module per table,
//! [`password`] hashes and verifies, [`token`] makes and hashes bearer secrets.
//! The `authctl` binary is a thin layer over [`cli`].

pub mod cli;
pub mod config;
pub mod db;
pub mod email;
pub mod error;
pub mod ops;
pub mod output;
pub mod parse;
pub mod password;
pub mod policy;
pub mod repo;
pub mod schema;
pub mod secret;
pub mod token;

pub use error::{Error, ExitCode};
