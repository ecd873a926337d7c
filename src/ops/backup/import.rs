//! `authctl import`: read and verify a whole export file first ([`verify`]: format,
//! version, line sizes, UTF-8, every record, duplicate ids and e-mails, counts and
//! the trailer's SHA-256, bounded decompression), spooling it to an unnamed
//! temporary file; only then write it, in one transaction ([`apply`]): all of it
//! or nothing, with one audit event.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, Write};
use std::rc::Rc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::format::{FORMAT_NAME, FORMAT_VERSION, Header, Line, MAX_LINE, TableName, Trailer};
use crate::db::{DbConn, UserId};
use crate::error::{Error, ExitCode};
use crate::repo::audit_events::{AuditAction, NewAuditEvent};
use crate::repo::records::Records;
use crate::repo::{audit_events, auth_attempts, login_sessions, refresh_tokens, users};

/// Records written per statement.
const BATCH: usize = 500;
/// Decompressed output beyond this must stay within [`MAX_RATIO`] of the input.
const RATIO_FLOOR: u64 = 64 * 1024 * 1024;
/// The most a compressed input may expand (an export compresses about 2–10×).
const MAX_RATIO: u64 = 100;
/// Refusals listed by name in the report and the error (the counts cover all).
const LISTED: usize = 20;

/// `--on-conflict`: what to do with a record whose id, or a user whose e-mail (in
/// any letter case), is already in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnConflict {
    /// Refuse the whole import.
    Fail,
    /// Keep the database's row; leave the record (and, for a user kept under
    /// another id, that user's records) out.
    Skip,
    /// Overwrite the row with the same id; a user whose e-mail belongs to another
    /// id is refused.
    Update,
}

/// A file that is not a sound export: what is wrong and where.
fn bad(source: &str, line: u64, what: impl std::fmt::Display) -> anyhow::Error {
    let at = if line == 0 {
        String::new()
    } else {
        format!(" line {line}:")
    };
    Error::data(format!("{source}:{at} {what}; nothing was imported")).into()
}

/// Counts the bytes read from the compressed input.
struct Counted<R> {
    inner: R,
    n: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n.set(self.n.get() + k as u64);
        Ok(k)
    }
}

/// Refuses a decompressed stream that grows beyond [`RATIO_FLOOR`] and
/// [`MAX_RATIO`] times the compressed bytes read (a decompression bomb).
struct Bounded<R> {
    inner: R,
    out: u64,
    compressed: Rc<Cell<u64>>,
}

#[derive(Debug)]
struct Expansion;

impl std::fmt::Display for Expansion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the compressed data expands more than {MAX_RATIO} times (a decompression bomb?)"
        )
    }
}

impl std::error::Error for Expansion {}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.out += k as u64;
        if self.out > RATIO_FLOOR && self.out > MAX_RATIO.saturating_mul(self.compressed.get()) {
            return Err(io::Error::new(io::ErrorKind::InvalidData, Expansion));
        }
        Ok(k)
    }
}

/// The input, decompressed when it starts with the gzip or zstd magic bytes
/// (whatever its name: stdin has none), and bounded.
pub fn decoder<'a, R: Read + 'a>(input: R) -> io::Result<Box<dyn BufRead + 'a>> {
    let compressed = Rc::new(Cell::new(0));
    let mut raw = BufReader::with_capacity(
        256 * 1024,
        Counted {
            inner: input,
            n: compressed.clone(),
        },
    );
    let head = raw.fill_buf()?;
    let inner: Box<dyn Read + 'a> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::bufread::MultiGzDecoder::new(raw))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(zstd::Decoder::with_buffer(raw)?)
    } else {
        return Ok(Box::new(raw));
    };
    Ok(Box::new(BufReader::with_capacity(
        256 * 1024,
        Bounded {
            inner,
            out: 0,
            compressed,
        },
    )))
}

/// A verified file: its header, counts and checksum, and its records spooled
/// (uncompressed, the header and trailer left out) to an unnamed temporary file.
pub struct Verified {
    pub header: Header,
    pub trailer: Trailer,
    spool: std::fs::File,
}

/// Read one line of at most [`MAX_LINE`] bytes into `buf`; `false` at the end.
fn read_line(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    source: &str,
    line: u64,
) -> anyhow::Result<bool> {
    buf.clear();
    let n = r
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', buf)
        .map_err(|e| read_error(e, source, line))?;
    if n == 0 {
        return Ok(false);
    }
    if buf.last() != Some(&b'\n') {
        if buf.len() > MAX_LINE {
            return Err(bad(
                source,
                line,
                format!(
                    "longer than {} KiB (the most a record may be)",
                    MAX_LINE / 1024
                ),
            ));
        }
        return Err(bad(
            source,
            line,
            "ends without a newline: the file is truncated",
        ));
    }
    Ok(true)
}

fn read_error(e: io::Error, source: &str, line: u64) -> anyhow::Error {
    if let Some(x) = e.get_ref().and_then(|i| i.downcast_ref::<Expansion>()) {
        return bad(source, line, x);
    }
    match e.kind() {
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput | io::ErrorKind::UnexpectedEof => {
            bad(source, line, format!("cannot decompress: {e}"))
        }
        _ => Error::new(ExitCode::NoInput, format!("cannot read {source}: {e}")).into(),
    }
}

/// Parse one record against its table's columns; returns its key bits and, for a
/// user, its folded e-mail.
fn check_record<T: Records>(
    mut row: serde_json::Value,
    secrets: bool,
) -> Result<(T::Row, bool), String> {
    let mut present = true;
    if let (Some((field, nullable)), false) = (T::SECRET, secrets)
        && let Some(o) = row.as_object_mut()
        && !o.contains_key(field)
    {
        present = false;
        if !nullable {
            // A placeholder only to check the other columns; never written.
            let stub = if field == "session_token" {
                serde_json::Value::String(uuid::Uuid::nil().to_string())
            } else {
                serde_json::Value::String("x".repeat(32))
            };
            o.insert(field.to_owned(), stub);
        }
    }
    let row: T::Row = serde_json::from_value(row).map_err(|e| e.to_string())?;
    Ok((row, present))
}

/// The key of a record as 128 bits, for the duplicate check.
fn key_bits(v: &serde_json::Value, pk: &str) -> u128 {
    match &v[pk] {
        serde_json::Value::String(s) => uuid::Uuid::try_parse(s).map_or(0, |u| u.as_u128()),
        serde_json::Value::Number(n) => n.as_i64().unwrap_or(0) as u64 as u128,
        _ => 0,
    }
}

fn pk(t: TableName) -> &'static str {
    match t {
        TableName::LoginSessions => "session_id",
        _ => "id",
    }
}

/// Read all of `input` and check it; nothing touches a database. `source` names
/// the input in messages (the file name, or `stdin`).
pub fn verify(input: &mut dyn BufRead, source: &str) -> anyhow::Result<Verified> {
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut hasher = Sha256::new();
    // Line 1: the header.
    if !read_line(input, &mut buf, source, 1)? {
        return Err(bad(source, 0, "is empty: not an authctl export"));
    }
    let foreign = || {
        bad(
            source,
            1,
            format!("not an authctl export (no `{FORMAT_NAME}` header)"),
        )
    };
    let text = std::str::from_utf8(&buf).map_err(|_| foreign())?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| foreign())?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT_NAME) {
        return Err(foreign());
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) if v > u64::from(FORMAT_VERSION) => {
            return Err(bad(
                source,
                1,
                format!(
                    "format version {v} is newer than this authctl reads ({FORMAT_VERSION}): \
                     import it with the authctl that wrote it ({}) or a newer one",
                    value
                        .get("authctl_version")
                        .and_then(|v| v.as_str())
                        .map(crate::email::printable)
                        .unwrap_or_else(|| "unknown".into())
                ),
            ));
        }
        _ => return Err(bad(source, 1, "the header has no valid format version")),
    }
    let header: Header =
        serde_json::from_value(value).map_err(|e| bad(source, 1, format!("bad header: {e}")))?;
    let mut declared = HashSet::new();
    for t in &header.tables {
        let Some(name) = TableName::parse(t) else {
            return Err(bad(
                source,
                1,
                format!(
                    "unknown table {:?} in the header",
                    crate::email::printable(t)
                ),
            ));
        };
        declared.insert(name);
    }
    hasher.update(&buf);

    let mut spool = BufWriter::new(tempfile::tempfile()?);
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut keys: HashSet<(TableName, u128)> = HashSet::new();
    let mut emails: HashSet<String> = HashSet::new();
    let mut line = 1u64;
    let trailer = loop {
        line += 1;
        if !read_line(input, &mut buf, source, line)? {
            return Err(bad(
                source,
                line - 1,
                "the file ends without its trailer: it is truncated",
            ));
        }
        let text = std::str::from_utf8(&buf).map_err(|e| {
            bad(
                source,
                line,
                format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1),
            )
        })?;
        let parsed: Line = serde_json::from_str(text)
            .map_err(|e| bad(source, line, format!("not a record: {e}")))?;
        match parsed {
            Line {
                trailer: Some(trailer),
                table: None,
                row: None,
            } => break trailer,
            Line {
                table: Some(table),
                row: Some(row),
                trailer: None,
            } => {
                let name = TableName::parse(&table).ok_or_else(|| {
                    bad(
                        source,
                        line,
                        format!(
                            "record for unknown table {:?}",
                            crate::email::printable(&table)
                        ),
                    )
                })?;
                if !declared.contains(&name) {
                    return Err(bad(
                        source,
                        line,
                        format!("record for table {table}, which the header does not list"),
                    ));
                }
                let bits = key_bits(&row, pk(name));
                let email = match name {
                    TableName::Users => row["email"].as_str().map(crate::db::fold_case),
                    _ => None,
                };
                let checked = match name {
                    TableName::Users => {
                        check_record::<users::Table>(row, header.secrets).map(|_| ())
                    }
                    TableName::AuthAttempts => {
                        check_record::<auth_attempts::Table>(row, header.secrets).map(|_| ())
                    }
                    TableName::RefreshTokens => {
                        check_record::<refresh_tokens::Table>(row, header.secrets).map(|_| ())
                    }
                    TableName::LoginSessions => {
                        check_record::<login_sessions::Table>(row, header.secrets).map(|_| ())
                    }
                    TableName::AuditEvents => {
                        check_record::<audit_events::Table>(row, header.secrets).map(|_| ())
                    }
                };
                checked.map_err(|e| bad(source, line, format!("bad {table} record: {e}")))?;
                if !keys.insert((name, bits)) {
                    return Err(bad(
                        source,
                        line,
                        format!("duplicate {table} {}: the file has this id twice", pk(name)),
                    ));
                }
                if let Some(email) = email
                    && !emails.insert(email)
                {
                    return Err(bad(
                        source,
                        line,
                        "duplicate user e-mail (in some letter case): the file has it twice",
                    ));
                }
                *counts.entry(table).or_default() += 1;
                hasher.update(&buf);
                spool.write_all(&buf)?;
            }
            _ => {
                return Err(bad(
                    source,
                    line,
                    "not a record: a line has either `table` and `row`, or `trailer`",
                ));
            }
        }
    };
    // Nothing may follow the trailer.
    if read_line(input, &mut buf, source, line + 1)? {
        return Err(bad(source, line + 1, "data after the trailer"));
    }
    let sha = hex::encode(hasher.finalize());
    if sha != trailer.sha256.to_ascii_lowercase() {
        return Err(bad(
            source,
            line,
            "the SHA-256 in the trailer does not match the file: it is corrupted or was edited",
        ));
    }
    for t in &header.tables {
        let expected = trailer.counts.get(t).copied().unwrap_or(0);
        let found = counts.get(t).copied().unwrap_or(0);
        if expected != found {
            return Err(bad(
                source,
                line,
                format!("the trailer counts {expected} {t} record(s), the file holds {found}"),
            ));
        }
    }
    let mut spool = spool.into_inner().map_err(|e| e.into_error())?;
    spool.rewind()?;
    Ok(Verified {
        header,
        trailer,
        spool,
    })
}

/// Per table: what the import did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct TableCounts {
    pub table: String,
    pub in_file: u64,
    pub inserted: u64,
    pub updated: u64,
    pub skipped: u64,
    pub refused: u64,
}

/// One record refused (or skipped for a reason worth naming).
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    pub table: &'static str,
    pub line: u64,
    pub id: String,
    pub reason: String,
}

/// The outcome of [`apply`].
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub source: String,
    pub header: Header,
    pub dry_run: bool,
    pub on_conflict: OnConflict,
    pub tables: Vec<TableCounts>,
    /// The first refusals (all are counted in `tables`).
    pub refusals: Vec<Refusal>,
    /// Records left out because the file was written with `--exclude-secrets`
    /// (their users must log in again).
    pub without_secret: u64,
}

impl ImportReport {
    pub fn refused(&self) -> u64 {
        self.tables.iter().map(|t| t.refused).sum()
    }
}

/// What [`apply`] needs besides the file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub on_conflict: OnConflict,
    pub dry_run: bool,
    pub actor: String,
}

struct State<'a> {
    opts: &'a ImportOptions,
    /// Users of the file that will not be in the database (kept out by a conflict).
    absent_users: HashSet<UserId>,
    counts: BTreeMap<&'static str, TableCounts>,
    refusals: Vec<Refusal>,
    without_secret: u64,
    /// Records are written only while nothing was refused.
    write: bool,
    secrets: bool,
    audit_inserted: bool,
    /// The users already in the database before the import wrote any: folded
    /// e-mail → id (read once, at the first users batch).
    email_owners: Option<HashMap<String, UserId>>,
}

/// Write a verified file into `conn`: in one transaction (all or nothing), or,
/// with `dry_run`, only classify each record in one snapshot. Any refusal fails
/// the whole import (65), naming the first ones.
pub fn apply(
    conn: &mut DbConn,
    verified: Verified,
    source: &str,
    opts: &ImportOptions,
) -> anyhow::Result<ImportReport> {
    let Verified {
        header,
        trailer,
        spool,
    } = verified;
    let run =
        |conn: &mut DbConn| -> anyhow::Result<ImportReport> {
            let mut st = State {
                opts,
                absent_users: HashSet::new(),
                counts: BTreeMap::new(),
                refusals: Vec::new(),
                without_secret: 0,
                write: !opts.dry_run,
                secrets: header.secrets,
                audit_inserted: false,
                email_owners: None,
            };
            let mut reader = BufReader::with_capacity(256 * 1024, spool.try_clone()?);
            let mut buf = Vec::new();
            let mut line = 1u64;
            let mut batch: Vec<(u64, serde_json::Value)> = Vec::with_capacity(BATCH);
            let mut batch_table: Option<TableName> = None;
            loop {
                buf.clear();
                let more = reader.read_until(b'\n', &mut buf)? > 0;
                let parsed = if more {
                    line += 1;
                    let l: Line = serde_json::from_slice(&buf)?;
                    let table = l.table.as_deref().and_then(TableName::parse);
                    Some((
                        table.ok_or_else(|| anyhow::anyhow!("spooled line {line}"))?,
                        l.row,
                    ))
                } else {
                    None
                };
                let flush = match (&parsed, batch_table) {
                    (Some((t, _)), Some(b)) => *t != b || batch.len() >= BATCH,
                    (None, Some(_)) => true,
                    _ => false,
                };
                if flush && let Some(t) = batch_table {
                    apply_batch(conn, t, std::mem::take(&mut batch), &mut st)?;
                }
                match parsed {
                    Some((t, row)) => {
                        batch_table = Some(t);
                        batch.push((line, row.unwrap_or_default()));
                    }
                    None => break,
                }
            }
            let tables: Vec<TableCounts> = header
                .tables
                .iter()
                .map(|t| {
                    let name = TableName::parse(t).map_or("", TableName::as_str);
                    let mut c = st.counts.remove(name).unwrap_or_default();
                    c.table = t.clone();
                    c.in_file = trailer.counts.get(t).copied().unwrap_or(0);
                    c
                })
                .collect();
            let report = ImportReport {
                source: source.to_owned(),
                header: header.clone(),
                dry_run: opts.dry_run,
                on_conflict: opts.on_conflict,
                tables,
                refusals: st.refusals,
                without_secret: st.without_secret,
            };
            let refused = report.refused();
            if refused > 0 && !opts.dry_run {
                let first: Vec<String> = report
                    .refusals
                    .iter()
                    .take(5)
                    .map(|r| format!("{} line {} ({}): {}", r.table, r.line, r.id, r.reason))
                    .collect();
                return Err(Error::data(format!(
                "{source}: {refused} record(s) refused (--on-conflict {}); nothing was imported. \
                 First: {}. See them all with --dry-run{}",
                serde_json::to_value(opts.on_conflict)?.as_str().unwrap_or_default(),
                first.join("; "),
                if opts.on_conflict == OnConflict::Fail {
                    "; --on-conflict skip keeps the rows already there, update overwrites them"
                } else {
                    ""
                }
            ))
            .into());
            }
            if !opts.dry_run {
                if st.audit_inserted {
                    // Explicit ids do not advance the identity: move it past them.
                    crate::db::bulk::advance_identity(conn, "authctl_audit_events", "id")?;
                }
                let detail = serde_json::json!({
                    "source": source,
                    "format": FORMAT_NAME,
                    "format_version": header.version,
                    "authctl_version": header.authctl_version,
                    "source_backend": header.source_backend,
                    "database_time": header.database_time,
                    "schema": header.schema,
                    "secrets": header.secrets,
                    "sha256": trailer.sha256,
                    "on_conflict": opts.on_conflict,
                    "tables": report.tables,
                });
                NewAuditEvent {
                    actor: &opts.actor,
                    action: AuditAction::DataImport,
                    user_id: None,
                    user_email: None,
                    detail: Some(detail),
                }
                .append(conn)?;
            }
            Ok(report)
        };
    if opts.dry_run {
        conn.snapshot_read(run)
    } else {
        conn.transaction(|conn| {
            run(conn).map_err(|e| {
                crate::ops::nothing_changed_if_lost(
                    e,
                    &format!("the import of {source}: NOTHING was imported"),
                )
            })
        })
    }
}

/// Classify and (unless refused or dry-run) write one batch of one table.
fn apply_batch(
    conn: &mut DbConn,
    table: TableName,
    batch: Vec<(u64, serde_json::Value)>,
    st: &mut State,
) -> anyhow::Result<()> {
    match table {
        TableName::Users => batch_of::<users::Table>(conn, batch, st),
        TableName::AuthAttempts => batch_of::<auth_attempts::Table>(conn, batch, st),
        TableName::RefreshTokens => batch_of::<refresh_tokens::Table>(conn, batch, st),
        TableName::LoginSessions => batch_of::<login_sessions::Table>(conn, batch, st),
        TableName::AuditEvents => {
            st.audit_inserted = true;
            batch_of::<audit_events::Table>(conn, batch, st)
        }
    }
}

fn batch_of<T: Records>(
    conn: &mut DbConn,
    batch: Vec<(u64, serde_json::Value)>,
    st: &mut State,
) -> anyhow::Result<()> {
    let first_line = batch.first().map_or(0, |b| b.0);
    let last_line = batch.last().map_or(0, |b| b.0);
    let mut rows = Vec::with_capacity(batch.len());
    let mut counts = st.counts.remove(T::NAME).unwrap_or_default();
    for (line, value) in batch {
        let email = (T::NAME == users::Table::NAME)
            .then(|| value["email"].as_str().map(crate::db::fold_case))
            .flatten();
        let (row, present) = check_record::<T>(value, st.secrets)
            .map_err(|e| anyhow::anyhow!("line {line}: {e}"))?;
        if !present && T::SECRET.is_some_and(|(_, nullable)| !nullable) {
            st.without_secret += 1;
            counts.skipped += 1;
            continue;
        }
        if T::user_id(&row).is_some_and(|u| st.absent_users.contains(&u)) {
            counts.skipped += 1;
            continue;
        }
        rows.push((line, row, email));
    }
    let existing: HashSet<T::Key> = T::existing(conn, rows.iter().map(|r| T::key(&r.1)).collect())?
        .into_iter()
        .collect();
    let is_users = T::NAME == users::Table::NAME;
    let owners = match (is_users, st.email_owners.take()) {
        (false, _) => HashMap::new(),
        (true, Some(read)) => read,
        (true, None) => users::ids_by_folded_email(conn)?,
    };
    let mut inserts = Vec::new();
    let mut updates = Vec::new();
    let on_conflict = st.opts.on_conflict;
    for (line, row, email) in rows {
        let key = T::key(&row);
        let id_taken = existing.contains(&key);
        let other_owner = email
            .as_ref()
            .and_then(|e| owners.get(e))
            .map(ToString::to_string)
            .filter(|owner| *owner != key.to_string());
        let user_id = is_users
            .then(|| key.to_string().parse::<UserId>().ok())
            .flatten();
        let taken =
            |owner: &str| format!("its e-mail (in some letter case) belongs to user {owner}");
        match (on_conflict, id_taken, other_owner) {
            (_, false, None) => inserts.push(row),
            (OnConflict::Fail, true, _) => refuse(
                st,
                &mut counts,
                T::NAME,
                line,
                key.to_string(),
                "its id is already in the database".into(),
            ),
            (OnConflict::Fail | OnConflict::Update, false, Some(owner)) => {
                refuse(
                    st,
                    &mut counts,
                    T::NAME,
                    line,
                    key.to_string(),
                    taken(&owner),
                );
                st.absent_users.extend(user_id);
            }
            (OnConflict::Update, true, Some(owner)) => refuse(
                st,
                &mut counts,
                T::NAME,
                line,
                key.to_string(),
                taken(&owner),
            ),
            (OnConflict::Skip, true, _) => counts.skipped += 1,
            (OnConflict::Skip, false, Some(_)) => {
                counts.skipped += 1;
                st.absent_users.extend(user_id);
            }
            (OnConflict::Update, true, None) => updates.push(row),
        }
    }
    if is_users {
        st.email_owners = Some(owners);
    }
    counts.inserted += inserts.len() as u64;
    counts.updated += updates.len() as u64;
    st.counts.insert(T::NAME, counts);
    if st.write {
        let context = || format!("{}: lines {first_line}–{last_line}", T::NAME);
        if !inserts.is_empty() {
            T::insert(conn, &inserts).map_err(|e| db_refusal(e, context()))?;
        }
        for row in &updates {
            T::update(conn, row).map_err(|e| db_refusal(e, context()))?;
        }
    }
    Ok(())
}

/// Count a refused record and name it (the first [`LISTED`]); nothing more is written.
fn refuse(
    st: &mut State,
    counts: &mut TableCounts,
    table: &'static str,
    line: u64,
    id: String,
    reason: String,
) {
    counts.refused += 1;
    st.write = false;
    if st.refusals.len() < LISTED {
        st.refusals.push(Refusal {
            table,
            line,
            id,
            reason,
        });
    }
}

/// A constraint the database enforces (a foreign key to a user not in the
/// database, a CHECK) refuses the whole import as bad data, naming where.
fn db_refusal(e: diesel::result::Error, at: String) -> anyhow::Error {
    let code = crate::error::classify_diesel(&e);
    if code == ExitCode::Data {
        Error::data(format!(
            "{at}: the database refused a record: {e}; nothing was imported"
        ))
        .into()
    } else {
        anyhow::Error::new(e).context(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A gzip stream that expands past the floor at more than the allowed ratio is
    /// cut off with [`Expansion`], whatever its lines look like.
    #[test]
    fn a_decompression_bomb_is_cut_off() {
        let mut bomb = Vec::new();
        {
            let mut gz = flate2::write::GzEncoder::new(&mut bomb, flate2::Compression::fast());
            let block = vec![b'\n'; 1 << 20];
            for _ in 0..(RATIO_FLOOR / (1 << 20) + 8) {
                gz.write_all(&block).unwrap();
            }
            gz.finish().unwrap();
        }
        let mut r = decoder(&bomb[..]).unwrap();
        let mut sink = Vec::new();
        let err = io::copy(&mut r, &mut sink).unwrap_err();
        assert!(err.get_ref().is_some_and(|e| e.is::<Expansion>()), "{err}");
        assert!(sink.len() as u64 <= RATIO_FLOOR + 256 * 1024);

        // Plain input is passed through untouched.
        let mut r = decoder(&b"plain\n"[..]).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, "plain\n");
    }
}
