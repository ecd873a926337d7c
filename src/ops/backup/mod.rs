//! `authctl export` / `authctl import`: the whole auth database (or chosen tables)
//! to one verified, versioned, line-oriented file and back, across backends.
//! [`format`] is the file (docs/backup.md), [`export`] writes it from one
//! snapshot, [`import`] verifies all of it and then writes it in one transaction.

pub mod export;
pub mod format;
pub mod import;

pub use export::{ExportOptions, ExportReport, export, export_to_file};
pub use format::TableName;
pub use import::{ImportOptions, ImportReport, OnConflict, Verified, apply, decoder, verify};
