//! `authctl export`: one consistent snapshot of the chosen tables, streamed in
//! keyset pages into the format of [`super::format`], to stdout or to a file that
//! appears (renamed from a `0600` temporary file beside it) only when complete.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::format::{FORMAT_NAME, FORMAT_VERSION, Header, RecordOut, TableName, Trailer};
use crate::db::DbConn;
use crate::db::migrations::{self, State};
use crate::error::Error;
use crate::repo::records::Records;
use crate::repo::{audit_events, auth_attempts, login_sessions, refresh_tokens, users};

/// Rows per keyset page: memory holds one page at a time.
const PAGE: i64 = 1000;

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The tables, written in [`TableName::ALL`] order whatever the order given.
    pub tables: Vec<TableName>,
    /// False: leave out the bearer secrets (`--exclude-secrets`).
    pub secrets: bool,
}

/// How the file is compressed, chosen by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// `.gz` → gzip, `.zst` → zstd, anything else uncompressed.
    pub fn for_path(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    pub header: Header,
    pub counts: BTreeMap<String, u64>,
    pub sha256: String,
    /// The file written (`None` for stdout).
    pub file: Option<String>,
    pub compression: Compression,
}

/// The lines before the trailer go through here: hashed, then written.
struct Sink<'w> {
    out: &'w mut dyn Write,
    hasher: Sha256,
    buf: Vec<u8>,
}

impl Sink<'_> {
    fn line<T: Serialize + ?Sized>(&mut self, value: &T) -> anyhow::Result<()> {
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, value)?;
        self.buf.push(b'\n');
        self.hasher.update(&self.buf);
        self.out.write_all(&self.buf).map_err(write_error)
    }
}

fn write_error(e: io::Error) -> anyhow::Error {
    Error::new(
        crate::error::ExitCode::IoErr,
        format!("cannot write the export: {e}"),
    )
    .into()
}

/// Write the export of `conn` to `out` (uncompressed), all of it read in one
/// snapshot: PostgreSQL `REPEATABLE READ READ ONLY`, SQLite one read transaction.
pub fn export(
    conn: &mut DbConn,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> anyhow::Result<ExportReport> {
    let mut tables = opts.tables.clone();
    tables.sort();
    tables.dedup();
    conn.snapshot_read(|conn| {
        let status = migrations::status(conn)?;
        let schema = status
            .migrations
            .iter()
            .filter(|e| matches!(e.state, State::Applied | State::Adopted | State::Unverified))
            .map(|e| e.version.clone())
            .collect();
        let header = Header {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            authctl_version: env!("CARGO_PKG_VERSION").to_owned(),
            source_backend: conn.dialect().name().to_owned(),
            schema,
            database_time: crate::db::clock::now(conn)?,
            tables: tables.iter().map(|t| t.as_str().to_owned()).collect(),
            secrets: opts.secrets,
        };
        let mut sink = Sink {
            out: &mut *out,
            hasher: Sha256::new(),
            buf: Vec::with_capacity(4096),
        };
        sink.line(&header)?;
        let mut counts = BTreeMap::new();
        for t in &tables {
            let n = match t {
                TableName::Users => dump::<users::Table>(conn, &mut sink, opts.secrets)?,
                TableName::AuthAttempts => {
                    dump::<auth_attempts::Table>(conn, &mut sink, opts.secrets)?
                }
                TableName::RefreshTokens => {
                    dump::<refresh_tokens::Table>(conn, &mut sink, opts.secrets)?
                }
                TableName::LoginSessions => {
                    dump::<login_sessions::Table>(conn, &mut sink, opts.secrets)?
                }
                TableName::AuditEvents => {
                    dump::<audit_events::Table>(conn, &mut sink, opts.secrets)?
                }
            };
            counts.insert(t.as_str().to_owned(), n);
        }
        let sha256 = hex::encode(sink.hasher.finalize_reset());
        let trailer = Trailer {
            counts: counts.clone(),
            sha256: sha256.clone(),
        };
        serde_json::to_writer(&mut *out, &serde_json::json!({ "trailer": trailer }))
            .map_err(|e| write_error(e.into()))?;
        out.write_all(b"\n").map_err(write_error)?;
        out.flush().map_err(write_error)?;
        Ok(ExportReport {
            header,
            counts,
            sha256,
            file: None,
            compression: Compression::None,
        })
    })
}

/// Every row of table `T`, page by page in key order; returns how many.
fn dump<T: Records>(conn: &mut DbConn, sink: &mut Sink, secrets: bool) -> anyhow::Result<u64> {
    let mut after = None;
    let mut n = 0u64;
    loop {
        let page =
            T::page(conn, after, PAGE).with_context(|| format!("reading table {}", T::NAME))?;
        for row in &page {
            match T::SECRET {
                Some((field, _)) if !secrets => {
                    let mut v = serde_json::to_value(row)?;
                    if let Some(o) = v.as_object_mut() {
                        o.remove(field);
                    }
                    sink.line(&RecordOut {
                        table: T::NAME,
                        row: &v,
                    })?;
                }
                _ => sink.line(&RecordOut {
                    table: T::NAME,
                    row,
                })?,
            }
        }
        n += page.len() as u64;
        if (page.len() as i64) < PAGE {
            return Ok(n);
        }
        after = page.last().map(T::key);
    }
}

/// Export to the file `path`: written to a `0600` temporary file in the same
/// directory (`.NAME.XXXXXX.partial`), compressed by the name's extension,
/// synced, and renamed over `path` only when complete. On any failure — or a kill
/// — no file appears at `path` (a killed run leaves its `.partial` file).
pub fn export_to_file(
    conn: &mut DbConn,
    opts: &ExportOptions,
    path: &Path,
) -> anyhow::Result<ExportReport> {
    crate::output::textfile::check_target("export", path)?;
    let dir = crate::output::textfile::parent_dir(path);
    let name = path
        .file_name()
        .ok_or_else(|| Error::usage(format!("{} names no file", path.display())))?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.", name.to_string_lossy()))
        .suffix(".partial")
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    let file = BufWriter::with_capacity(256 * 1024, tmp.as_file().try_clone()?);
    let compression = Compression::for_path(path);
    let mut report = match compression {
        Compression::None => {
            let mut w = file;
            let r = export(conn, opts, &mut w)?;
            w.flush().map_err(write_error)?;
            r
        }
        Compression::Gzip => {
            let mut w = flate2::write::GzEncoder::new(file, flate2::Compression::default());
            let r = export(conn, opts, &mut w)?;
            w.finish()
                .and_then(|mut f| f.flush())
                .map_err(write_error)?;
            r
        }
        Compression::Zstd => {
            let mut w = zstd::Encoder::new(file, 3)?;
            let r = export(conn, opts, &mut w)?;
            w.finish()
                .and_then(|mut f| f.flush())
                .map_err(write_error)?;
            r
        }
    };
    tmp.as_file().sync_all().map_err(write_error)?;
    tmp.persist(path)
        .map_err(|e| write_error(e.error))
        .with_context(|| format!("renaming the export to {}", path.display()))?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(write_error)?;
    report.file = Some(path.display().to_string());
    report.compression = compression;
    Ok(report)
}
