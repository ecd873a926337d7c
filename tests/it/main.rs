//! Integration tests: the real binary and the library against real SQLite files and
//! a real PostgreSQL server. One test binary (faster to link); one module per area.

mod common;
mod migrate;
mod cli;
mod repo;
mod schema;
