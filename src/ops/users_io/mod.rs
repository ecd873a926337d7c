//! `users import` / `users export`: other auth systems' user files (Auth0, Ory
//! Kratos, Supabase, and authctl's own CSV) in and out. One file per format reads
//! its records into [`Incoming`] and writes users in its documented shape; this
//! module validates, checks conflicts and writes everything in one transaction.
//!
//! Rules: bcrypt hashes (`$2a$`, `$2b$`, `$2y$`) are carried verbatim; any other
//! hash (or none) is never stored as usable — the record is refused, or with
//! [`Unverifiable::Disable`] created disabled with the bare marker `!` (no
//! password verifies it; the application's reset flow sets one). A record blocked
//! in its source is created disabled (`!` + its hash: `users enable` restores it).
//! Nothing is written when any record is refused, unless `partial`.

mod auth0;
mod csv;
mod kratos;
mod supabase;

use std::collections::HashMap;
use std::io::Write;

use anyhow::Context as _;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::db::{DbConn, UserId, UtcDateTime};
use crate::error::Error;
use crate::parse::{Name, Role};
use crate::repo::{self, AuditAction, NewAuditEvent, User};

/// A file format of another system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Auth0 bulk user import: a JSON array of users
    Auth0,
    /// Ory Kratos identities: a JSON array (or one identity object)
    Kratos,
    /// Supabase (GoTrue) `auth.users` rows as JSON (array) or CSV with a header (import only)
    Supabase,
    /// authctl's CSV: a header row, one user per line
    Csv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auth0 => "auth0",
            Format::Kratos => "kratos",
            Format::Supabase => "supabase",
            Format::Csv => "csv",
        }
    }
}

/// What to do with a record whose email is already taken (in the database or by
/// an earlier record of the file), in any letter case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OnConflict {
    /// Refuse the record (nothing is written without --partial)
    #[default]
    Fail,
    /// Skip the record, leaving the existing user unchanged
    Skip,
}

/// What to do with a record whose hash the application cannot verify (or that has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Unverifiable {
    /// Refuse the record
    #[default]
    Refuse,
    /// Create the user disabled, with no usable hash (it logs in after a password reset)
    Disable,
}

/// One user as read from a file, before validation. `at` names it for the
/// report (`record 3`, `line 4`).
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    pub at: String,
    pub email: Option<String>,
    pub hash: Option<String>,
    /// The scheme a format names outside the hash (Auth0's `custom_password_hash.algorithm`).
    pub scheme: Option<String>,
    pub name: Option<String>,
    pub role: Option<String>,
    pub verified: bool,
    pub verified_at: Option<UtcDateTime>,
    pub created_at: Option<UtcDateTime>,
    /// Blocked / inactive / banned in its source: created disabled.
    pub blocked: bool,
    /// A reason found while reading that refuses the record whatever the options.
    pub problem: Option<String>,
}

/// Parse a whole input file. A file that cannot be read as the format at all is
/// a data error (65) naming the line or record.
pub fn parse(format: Format, bytes: &[u8]) -> Result<Vec<Incoming>, Error> {
    match format {
        Format::Auth0 => auth0::parse(bytes),
        Format::Kratos => kratos::parse(bytes),
        Format::Supabase => supabase::parse(bytes),
        Format::Csv => csv::parse(bytes),
    }
}

/// How a stored hash would fare with the application (bcryptjs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashKind {
    /// A 60-character `$2a$`/`$2b$`/`$2y$` hash, cost 4–31: stored verbatim.
    Bcrypt,
    /// Anything else, with a name for its scheme (never the hash itself).
    Unverifiable(String),
}

/// Classify a hash by its form (nothing is verified).
pub fn classify(hash: &str) -> HashKind {
    let b64 = |c: u8| c.is_ascii_alphanumeric() || c == b'.' || c == b'/';
    let b = hash.as_bytes();
    if ["$2a$", "$2b$", "$2y$"].iter().any(|p| hash.starts_with(p)) {
        let cost = hash.get(4..6).and_then(|c| c.parse::<u32>().ok());
        let ok = b.len() == 60
            && b[6] == b'$'
            && b[4].is_ascii_digit()
            && b[5].is_ascii_digit()
            && cost.is_some_and(|c| (4..=31).contains(&c))
            && b[7..].iter().all(|c| b64(*c));
        return if ok {
            HashKind::Bcrypt
        } else {
            HashKind::Unverifiable("a malformed bcrypt hash".into())
        };
    }
    if hash.starts_with("$2x$") {
        return HashKind::Unverifiable("bcrypt $2x$ (the old buggy variant)".into());
    }
    let name = if let Some(rest) = hash.strip_prefix('$') {
        rest.split('$').next().unwrap_or("")
    } else if let Some(rest) = hash.strip_prefix('{') {
        rest.split('}').next().unwrap_or("")
    } else {
        ""
    };
    let named = !name.is_empty()
        && name.len() <= 32
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
    HashKind::Unverifiable(if named {
        name.to_owned()
    } else {
        "an unrecognised format".into()
    })
}

/// Options of [`import`].
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub format: Format,
    pub on_conflict: OnConflict,
    pub unverifiable: Unverifiable,
    pub partial: bool,
    pub dry_run: bool,
    /// The file name (or `-`), for the audit trail.
    pub source: String,
}

/// What happened to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Imported,
    /// `--dry-run`: would be imported.
    WouldImport,
    Skipped,
    Refused,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Imported => "imported",
            Outcome::WouldImport => "would import",
            Outcome::Skipped => "skipped",
            Outcome::Refused => "refused",
        }
    }
}

/// One line of the report. Never a hash.
#[derive(Debug, Clone, Serialize)]
pub struct RecordReport {
    pub record: String,
    /// The normalized email, or the value as given when it is invalid.
    pub email: Option<String>,
    pub outcome: Outcome,
    /// The new user's id (imported), or the existing user's (a conflict in the database).
    pub id: Option<UserId>,
    pub role: Option<&'static str>,
    /// Created disabled (blocked in the source, or no usable hash).
    pub disabled: bool,
    pub reason: Option<String>,
}

/// The report of [`import`].
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub format: &'static str,
    pub dry_run: bool,
    /// Whether anything was committed.
    pub written: bool,
    pub imported: usize,
    pub skipped: usize,
    pub refused: usize,
    pub records: Vec<RecordReport>,
}

/// A record that passed validation.
struct Valid {
    email: String,
    name: Option<Name>,
    role: Role,
    /// The hash to store (`!` + hash when blocked; `!` alone when unusable).
    stored: String,
    scheme: String,
    verified: bool,
    verified_at: Option<UtcDateTime>,
    created_at: Option<UtcDateTime>,
}

/// Whether a value in a field that is printed (email, role) looks like a password
/// hash (`$…` or `{…}`: no valid email or role starts so) — a misplaced column —
/// and must not be shown.
fn looks_like_hash(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with('$') || s.starts_with('{')
}

/// A field's value as a report may show it: never one that looks like a hash.
pub(super) fn shown(s: &str) -> String {
    if looks_like_hash(s) {
        "(a value that looks like a password hash, not shown: is a column misplaced?)".to_owned()
    } else {
        crate::email::printable(s)
    }
}

fn misplaced(field: &str) -> String {
    format!("the {field} looks like a password hash (not shown): is a column misplaced?")
}

fn validate(r: &Incoming, unverifiable: Unverifiable) -> Result<Valid, String> {
    if let Some(p) = &r.problem {
        return Err(p.clone());
    }
    let email = match r.email.as_deref() {
        None => return Err("no email address".into()),
        Some(e) if looks_like_hash(e) => return Err(misplaced("email")),
        Some(e) => crate::email::normalize(e).map_err(|e| e.message)?,
    };
    let role = match r.role.as_deref() {
        None => Role::DEFAULT,
        Some(s) if looks_like_hash(s) => return Err(misplaced("role")),
        Some(s) => Role::parse(s).map_err(|e| e.message)?,
    };
    let name = match r.name.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(n) if looks_like_hash(n) => return Err(misplaced("name")),
        Some(n) => Some(Name::parse(n).map_err(|e| e.message)?),
    };
    let kind = match (r.hash.as_deref().filter(|h| !h.is_empty()), &r.scheme) {
        (None, _) => HashKind::Unverifiable("no password hash".into()),
        (Some(_), Some(s)) if !s.eq_ignore_ascii_case("bcrypt") => {
            HashKind::Unverifiable(s.clone())
        }
        (Some(h), _) => classify(h),
    };
    let (stored, scheme) = match kind {
        HashKind::Bcrypt => {
            let h = r.hash.clone().unwrap_or_default();
            let stored = if r.blocked {
                crate::password::disable(&h)
            } else {
                h
            };
            (stored, "bcrypt".to_owned())
        }
        HashKind::Unverifiable(what) => match unverifiable {
            Unverifiable::Refuse => {
                let what = if what == "no password hash" {
                    what
                } else {
                    format!("a password hash the application cannot verify ({what})")
                };
                return Err(format!(
                    "{what}; --unverifiable-hash=disable creates such users disabled (they log in after a password reset)"
                ));
            }
            Unverifiable::Disable => (crate::password::DISABLED_PREFIX.to_string(), what),
        },
    };
    Ok(Valid {
        email,
        name,
        role,
        stored,
        scheme,
        verified: r.verified,
        verified_at: r.verified_at,
        created_at: r.created_at,
    })
}

/// Import `records`: validate each, check its email against the file's earlier
/// records and the database (any letter case), then — in one transaction, unless
/// `dry_run` — insert every valid one with a `user.create` audit event (detail
/// `imported`). When any record is refused nothing is written unless `partial`.
pub fn import(
    conn: &mut DbConn,
    records: &[Incoming],
    opts: &ImportOptions,
    actor: &str,
) -> anyhow::Result<ImportReport> {
    let mut reports = Vec::with_capacity(records.len());
    let mut valid: Vec<(usize, Valid)> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for r in records {
        let mut rep = RecordReport {
            record: r.at.clone(),
            email: r.email.clone().filter(|e| !looks_like_hash(e)),
            outcome: Outcome::Refused,
            id: None,
            role: None,
            disabled: false,
            reason: None,
        };
        match validate(r, opts.unverifiable) {
            Err(why) => rep.reason = Some(why),
            Ok(v) => {
                rep.email = Some(v.email.clone());
                rep.role = Some(v.role.as_str());
                rep.disabled = crate::password::is_disabled(&v.stored);
                let key = crate::db::fold_case(&v.email);
                if let Some(first) = seen.get(&key) {
                    let why = format!("the email is also in {first} of this file");
                    match opts.on_conflict {
                        OnConflict::Fail => rep.reason = Some(why),
                        OnConflict::Skip => {
                            rep.outcome = Outcome::Skipped;
                            rep.reason = Some(why);
                        }
                    }
                } else {
                    seen.insert(key, r.at.clone());
                    valid.push((reports.len(), v));
                }
            }
        }
        reports.push(rep);
    }

    let format = opts.format.as_str();
    let work = |conn: &mut DbConn, reports: &mut Vec<RecordReport>| -> anyhow::Result<bool> {
        let existing: HashMap<String, UserId> = repo::users::all_emails(conn)
            .context("failed to read the existing users' emails")?
            .into_iter()
            .map(|(id, e)| (crate::db::fold_case(&e), id))
            .collect();
        let mut insert = Vec::new();
        for (i, v) in &valid {
            let rep = &mut reports[*i];
            match existing.get(&crate::db::fold_case(&v.email)) {
                Some(id) => {
                    rep.id = Some(*id);
                    rep.reason = Some(format!("a user with this email exists (id {id})"));
                    rep.outcome = match opts.on_conflict {
                        OnConflict::Fail => Outcome::Refused,
                        OnConflict::Skip => Outcome::Skipped,
                    };
                }
                None => {
                    rep.outcome = Outcome::WouldImport;
                    insert.push((*i, v));
                }
            }
        }
        let refused = reports.iter().any(|r| r.outcome == Outcome::Refused);
        if opts.dry_run || (refused && !opts.partial) {
            return Ok(false);
        }
        let now = crate::db::clock::now(conn)?;
        for (i, v) in insert {
            let mut new = repo::NewUser::new(&v.email, &v.stored);
            new.created_at = v.created_at.unwrap_or(now);
            new.updated_at = now;
            new.name = v.name.as_ref().map(Name::as_str);
            new.role = v.role.as_str();
            new.email_verified = v.verified;
            new.email_verified_at = if v.verified {
                Some(v.verified_at.unwrap_or(now))
            } else {
                None
            };
            let user = new
                .insert(conn)
                .with_context(|| format!("failed to insert {} ({})", v.email, reports[i].record))?;
            NewAuditEvent {
                actor,
                action: AuditAction::UserCreate,
                user_id: Some(user.id),
                user_email: Some(&user.email),
                detail: Some(json!({
                    "imported": { "format": format, "file": opts.source, "record": reports[i].record },
                    "name": user.name,
                    "role": user.role(),
                    "email_verified": v.verified,
                    "password_scheme": v.scheme,
                    "disabled": crate::password::is_disabled(&user.password_hash),
                })),
            }
            .append(conn)?;
            reports[i].id = Some(user.id);
            reports[i].outcome = Outcome::Imported;
        }
        Ok(true)
    };
    let written = if opts.dry_run {
        conn.read(|c| work(c, &mut reports))?
    } else {
        conn.transaction(|c| work(c, &mut reports))?
    };
    let count = |o: Outcome| reports.iter().filter(|r| r.outcome == o).count();
    Ok(ImportReport {
        format,
        dry_run: opts.dry_run,
        written,
        imported: count(Outcome::Imported) + count(Outcome::WouldImport),
        skipped: count(Outcome::Skipped),
        refused: count(Outcome::Refused),
        records: reports,
    })
}

/// Rows per query when exporting.
const EXPORT_PAGE: i64 = 1000;

/// Write every user (by email, in one read snapshot) to `w` in `format`'s shape,
/// with its bcrypt hash; a disabled user is marked blocked/inactive/disabled and
/// carries the hash it keeps (none when it has none). Returns the number of users.
pub fn export(conn: &mut DbConn, format: Format, w: &mut dyn Write) -> anyhow::Result<usize> {
    conn.snapshot_read(|c| -> anyhow::Result<usize> {
        let mut out = Writer::new(format, w)?;
        let mut filter = repo::UserFilter {
            limit: EXPORT_PAGE,
            ..Default::default()
        };
        loop {
            let page = repo::users::list(c, &filter).context("failed to read users")?;
            for u in &page {
                out.user(u)?;
            }
            match page.last() {
                Some(last) if page.len() as i64 == EXPORT_PAGE => {
                    filter.after_email = Some(last.email.clone())
                }
                _ => break,
            }
        }
        out.finish()
    })
}

/// A user's hash for an export: the enabled form of a bcrypt hash (`None` for
/// anything else: a bare disabled marker, or a hash another writer stored).
fn export_hash(u: &User) -> Option<&str> {
    let h = crate::password::enabled_form(&u.password_hash);
    (classify(h) == HashKind::Bcrypt).then_some(h)
}

/// Streams users in one format.
enum Writer<'w> {
    Json {
        w: &'w mut dyn Write,
        n: usize,
        format: Format,
    },
    Csv {
        w: Box<::csv::Writer<&'w mut dyn Write>>,
        n: usize,
    },
}

impl<'w> Writer<'w> {
    fn new(format: Format, w: &'w mut dyn Write) -> anyhow::Result<Self> {
        Ok(match format {
            Format::Csv => {
                let mut w = ::csv::Writer::from_writer(w);
                w.write_record(csv::COLUMNS)?;
                Writer::Csv {
                    w: Box::new(w),
                    n: 0,
                }
            }
            Format::Supabase => {
                return Err(Error::usage(
                    "users export has no supabase format (GoTrue imports through its admin API); use auth0, kratos or csv",
                )
                .into());
            }
            format => {
                w.write_all(b"[")?;
                Writer::Json { w, n: 0, format }
            }
        })
    }

    fn user(&mut self, u: &User) -> anyhow::Result<()> {
        match self {
            Writer::Json { w, n, format } => {
                let v = match format {
                    Format::Auth0 => auth0::to_json(u, export_hash(u)),
                    _ => kratos::to_json(u, export_hash(u)),
                };
                w.write_all(if *n == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut **w, &v)?;
                *n += 1;
            }
            Writer::Csv { w, n } => {
                w.write_record(csv::row(u, export_hash(u)))?;
                *n += 1;
            }
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<usize> {
        match self {
            Writer::Json { w, n, .. } => {
                w.write_all(b"\n]\n")?;
                w.flush()?;
                Ok(n)
            }
            Writer::Csv { mut w, n } => {
                w.flush()?;
                Ok(n)
            }
        }
    }
}

// ---- helpers shared by the format readers ----

/// The records of a JSON file: an array of objects, or one object. A file that is
/// not that is a data error naming the line and column, or the record.
fn json_records(bytes: &[u8], what: &str) -> Result<Vec<Map<String, Value>>, Error> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::data(format!("the file is not valid JSON ({what} expected): {e}")))?;
    let items = match v {
        Value::Array(items) => items,
        Value::Object(o) => vec![Value::Object(o)],
        _ => {
            return Err(Error::data(format!(
                "the file holds no {what}: a JSON array of objects (or one object) expected"
            )));
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::Object(o) => Ok(o),
            other => Err(Error::data(format!(
                "record {} is not a JSON object (found {}); nothing was imported",
                i + 1,
                kind_of(&other)
            ))),
        })
        .collect()
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads typed fields of one JSON record, keeping the first problem.
struct Fields<'a> {
    obj: &'a Map<String, Value>,
    problem: Option<String>,
}

impl<'a> Fields<'a> {
    fn new(obj: &'a Map<String, Value>) -> Self {
        Fields { obj, problem: None }
    }

    fn bad(&mut self, path: &str, want: &str, got: &Value) {
        if self.problem.is_none() {
            self.problem = Some(format!("{path} is {}, {want} expected", kind_of(got)));
        }
    }

    fn value(&self, path: &str) -> Option<&'a Value> {
        let mut cur = self.obj.get(path.split('.').next()?)?;
        for part in path.split('.').skip(1) {
            cur = cur.as_object()?.get(part)?;
        }
        (!cur.is_null()).then_some(cur)
    }

    fn str(&mut self, path: &str) -> Option<String> {
        match self.value(path)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.bad(path, "a string", other);
                None
            }
        }
    }

    fn bool(&mut self, path: &str) -> Option<bool> {
        match self.value(path)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.bad(path, "true or false", other);
                None
            }
        }
    }

    fn time(&mut self, path: &str) -> Option<UtcDateTime> {
        let s = self.str(path)?;
        let t = UtcDateTime::parse_text(&s);
        if t.is_none() && self.problem.is_none() {
            self.problem = Some(format!("{path} {} is not a time", shown(&s)));
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_hashes_without_showing_them() {
        let b = "$2b$10$JgdsPWFjOOPTXQ6/pjJPw.J5tjWbeLunZNl9MFkHRSlxVlECglylK";
        assert_eq!(classify(b), HashKind::Bcrypt);
        assert_eq!(classify(&b.replace("$2b$", "$2a$")), HashKind::Bcrypt);
        assert_eq!(classify(&b.replace("$2b$", "$2y$")), HashKind::Bcrypt);
        let x = classify(&b.replace("$2b$", "$2x$"));
        assert!(
            matches!(&x, HashKind::Unverifiable(s) if s.contains("2x")),
            "{x:?}"
        );
        assert!(matches!(classify(&b[..59]), HashKind::Unverifiable(s) if s.contains("malformed")));
        assert!(matches!(
            classify(&b.replace("$10$", "$03$")),
            HashKind::Unverifiable(_)
        ));
        assert_eq!(
            classify("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"),
            HashKind::Unverifiable("argon2id".into())
        );
        assert_eq!(
            classify("$pbkdf2-sha256$i=1000$abc$def"),
            HashKind::Unverifiable("pbkdf2-sha256".into())
        );
        assert_eq!(
            classify("{SSHA}abcdef"),
            HashKind::Unverifiable("SSHA".into())
        );
        assert_eq!(
            classify("5f4dcc3b5aa765d61d8327deb882cf99"),
            HashKind::Unverifiable("an unrecognised format".into())
        );
    }
}
