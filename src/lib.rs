//! authctl: administer the auth database of the application described in
//! `migrations/README.md` — its users (bcrypt hashes the application verifies),
//! refresh tokens, login sessions and auth attempts, plus authctl's own audit trail
//! — on PostgreSQL (the application's database) or the embedded SQLite default
//! (the same logical schema).
//!
//! The library is the application's three repositories in Rust, synchronous Diesel
//! on both backends: [`repo::users`], [`repo::refresh_tokens`],
//! [`repo::login_sessions`] (plus [`repo::audit_events`]). [`db::connect`] or
//! [`db::pool::build_pool`] open connections, [`db::migrations`] adopts or creates
//! the schema, [`password`] hashes and verifies, [`token`] fingerprints bearer
//! secrets.
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
pub mod tty;

pub use error::{Error, ExitCode};
