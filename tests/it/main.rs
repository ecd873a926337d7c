//! The integration tests, one test program: a module per subject, shared helpers once in
//! [`common`]. Each test drives the built `authctl` binary or the library against real
//! SQLite files and a real PostgreSQL server (`AUTHCTL_TEST_POSTGRES_URL`).

#[macro_use]
mod common;

mod adopt;
mod app_interop;
mod attempts;
mod audit;
mod backup;
mod bad_input;
mod cli;
mod credentials;
mod dormant;
mod help;
mod lists;
mod migrate;
mod packaging;
mod pgbouncer;
mod production;
mod properties;
mod purge;
mod reliability;
mod replication;
mod repo;
mod schema;
mod stats;
mod terminal;
mod urls;
mod users;
mod users_io;
