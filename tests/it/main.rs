//! Integration tests: the real binary and the library against real SQLite files and
//! a real PostgreSQL server. One test binary (faster to link); one module per area.

mod audit;
mod cli;
mod common;
mod credentials;
mod migrate;
mod production;
mod purge;
mod repo;
mod schema;
mod users;
mod reliability;
mod bad_input;
mod properties;
