//! Integration tests: the real binary and the library against real SQLite files and
//! a real PostgreSQL server. One test binary (faster to link); one module per area.

mod audit;
mod bad_input;
mod cli;
mod common;
mod credentials;
mod migrate;
mod production;
mod properties;
mod purge;
mod reliability;
mod repo;
mod schema;
mod users;
