//! `authctl users import` / `users export`: other systems' user files (Auth0, Ory
//! Kratos, Supabase, CSV). Parsing and printing only; the work is done by
//! [`crate::ops::users_io`].

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use crate::cli::Context;
use crate::error::{Error, ExitCode};
use crate::ops::users_io::{self as ops, Format, ImportOptions, OnConflict, Unverifiable};
use crate::output::{self, terminal_safe};

pub const IMPORT_HELP: &str = "\
Examples:
  authctl users import --format auth0 users.json --dry-run
  authctl users import --format kratos identities.json --on-conflict skip
  psql -c \"copy (select json_agg(u) from auth.users u) to stdout\" \\
    | authctl users import --format supabase - --unverifiable-hash=disable

bcrypt hashes ($2a$, $2b$, $2y$) are stored as they are: users log in with their old
passwords. Any other hash (argon2, pbkdf2, scrypt, md5, $2x$, …) or none is refused,
or with --unverifiable-hash=disable the user is created disabled with no usable hash
(it logs in after the application's password reset). A user blocked in its source
(Auth0 blocked, Kratos inactive, Supabase banned) is created disabled with its hash
(`users enable` restores it). Emails are normalized as `users create` does; a role
outside user, admin, premium is refused. All records are written in one
transaction: when any record is refused nothing is written (exit 65) unless
--partial, which writes the others and exits 1. Each imported user gets a
`user.create` audit event. The report never shows a hash.";

pub const EXPORT_HELP: &str = "\
Examples:
  authctl users export --format auth0 users.json
  authctl users export --format csv - | gzip > users.csv.gz

The file holds password hashes: it is created mode 0600 under a temporary name in
the target directory and renamed when complete; `-` writes to stdout, never to a
terminal. Every user is exported with its bcrypt hash; a disabled user is marked
(Auth0 \"blocked\": true, Kratos \"state\": \"inactive\", CSV status disabled) and
carries the hash it keeps, or none when it has none.";

/// `users import` options.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The file's format
    #[arg(long, value_enum)]
    pub format: Format,

    /// The file to read (`-` reads stdin)
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,

    /// A record whose email already exists (in the database or earlier in the file,
    /// any letter case): fail refuses it, skip leaves the existing user unchanged
    #[arg(long, value_enum, default_value_t = OnConflict::Fail)]
    pub on_conflict: OnConflict,

    /// A record whose hash the application cannot verify, or with none: refuse it,
    /// or create the user disabled (no usable hash)
    #[arg(long, value_enum, default_value_t = Unverifiable::Refuse)]
    pub unverifiable_hash: Unverifiable,

    /// Write the good records even when others are refused (exit 1 then)
    #[arg(long)]
    pub partial: bool,

    /// Report what would be imported, skipped and refused; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `users export` options.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The file's format
    #[arg(long, value_enum)]
    pub format: ExportFormat,

    /// The file to write (created 0600, replaced when complete; `-` writes stdout)
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
}

/// The formats `users export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Auth0 bulk user import: a JSON array of users
    Auth0,
    /// Ory Kratos identities: a JSON array
    Kratos,
    /// authctl's CSV: a header row, one user per line
    Csv,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Auth0 => Format::Auth0,
            ExportFormat::Kratos => Format::Kratos,
            ExportFormat::Csv => Format::Csv,
        }
    }
}

fn record_noun(n: usize) -> &'static str {
    if n == 1 { "record" } else { "records" }
}

fn is_stdio(p: &Path) -> bool {
    p.as_os_str() == "-"
}

fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if is_stdio(path) {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::no_input(format!("cannot read stdin: {e}")))?;
        return Ok(bytes);
    }
    if path.is_dir() {
        return Err(Error::no_input(format!("{} is a directory", path.display())).into());
    }
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| Error::no_input(format!("cannot read {}: {e}", path.display())))?;
    Ok(bytes)
}

pub fn import(ctx: &Context, args: ImportArgs) -> anyhow::Result<()> {
    let bytes = read_input(&args.file)?;
    let source = args.file.display().to_string();
    let records = ops::parse(args.format, &bytes).map_err(|e| {
        Error::data(format!(
            "{}: {} ({} format)",
            terminal_safe(&source),
            e.message,
            args.format.as_str()
        ))
    })?;
    let (_config, mut conn) = ctx.connect_ready()?;
    let opts = ImportOptions {
        format: args.format,
        on_conflict: args.on_conflict,
        unverifiable: args.unverifiable_hash,
        partial: args.partial,
        dry_run: args.dry_run,
        source: source.clone(),
    };
    let report = ops::import(&mut conn, &records, &opts, &ctx.actor()?)?;
    let summary = format!(
        "{} {} of {} {} from {}, skipped {}, refused {}",
        if report.dry_run {
            "dry run: would import"
        } else {
            "imported"
        },
        report.imported,
        report.records.len(),
        record_noun(report.records.len()),
        terminal_safe(&source),
        report.skipped,
        report.refused,
    );
    if report.written {
        ctx.committed(summary.clone());
    }
    let rows: Vec<Vec<String>> = report
        .records
        .iter()
        .map(|r| {
            vec![
                r.record.clone(),
                terminal_safe(r.email.as_deref().unwrap_or("")).into_owned(),
                r.outcome.as_str().to_owned(),
                r.id.map(|i| i.to_string()).unwrap_or_default(),
                r.role.unwrap_or("").to_owned(),
                String::from(if r.disabled { "yes" } else { "no" }),
                terminal_safe(r.reason.as_deref().unwrap_or("")).into_owned(),
            ]
        })
        .collect();
    let headers: &[&str] = match ctx.out.format {
        output::Format::Csv => &[
            "record", "email", "outcome", "id", "role", "disabled", "reason",
        ],
        _ => &[
            "RECORD", "EMAIL", "OUTCOME", "ID", "ROLE", "DISABLED", "REASON",
        ],
    };
    ctx.out.records(headers, &rows, &report)?;
    if report.refused > 0 && !args.partial {
        return Err(Error::data(format!(
            "{} of {} {} refused (see the report); nothing was written — fix them, or pass --partial to write the others",
            report.refused,
            report.records.len(),
            record_noun(report.records.len())
        ))
        .into());
    }
    if report.refused > 0 {
        let what = if report.dry_run {
            "would be written"
        } else {
            "were written"
        };
        return Err(Error::new(
            ExitCode::CheckFailed,
            format!(
                "{summary}: {} {} refused (see the report); the other {} {what} (--partial)",
                report.refused,
                record_noun(report.refused),
                report.imported + report.skipped
            ),
        )
        .into());
    }
    ctx.out.note(summary);
    Ok(())
}

/// A write of the export that failed (a closed or full stdout, a reader that went
/// away, a full disk): 74 — the file is not whole — rather than a bare I/O error
/// (70, or 0 for a broken pipe). Database errors keep their own code.
fn write_failure(e: anyhow::Error, target: &str) -> anyhow::Error {
    let is_write = e
        .chain()
        .any(|c| c.is::<std::io::Error>() || c.is::<serde_json::Error>() || c.is::<::csv::Error>());
    if is_write && e.downcast_ref::<Error>().is_none() {
        return Error::new(
            crate::error::ExitCode::IoErr,
            format!("cannot write the export to {target}: {e:#}"),
        )
        .into();
    }
    e
}

pub fn export(ctx: &Context, args: ExportArgs) -> anyhow::Result<()> {
    let format = Format::from(args.format);
    if is_stdio(&args.file) {
        if std::io::stdout().is_terminal() {
            return Err(Error::usage(
                "refusing to write password hashes to a terminal: give a file, or redirect stdout",
            )
            .into());
        }
        let (_config, mut conn) = ctx.connect_ready_read()?;
        let mut w = std::io::BufWriter::new(output::Stdout::new(false));
        let n = ops::export(&mut conn, format, &mut w).map_err(|e| write_failure(e, "stdout"))?;
        w.flush().map_err(|e| write_failure(e.into(), "stdout"))?;
        ctx.out
            .note(format!("exported {n} users ({})", format.as_str()));
        return Ok(());
    }
    let path = &args.file;
    output::textfile::check_target("users export", path)?;
    let (_config, mut conn) = ctx.connect_ready_read()?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::usage(format!("{} names no file", path.display())))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.", name.to_string_lossy()))
        .suffix(".tmp")
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(|e| Error::no_perm(format!("cannot create a file in {}: {e}", dir.display())))?;
    let shown = terminal_safe(&path.display().to_string()).to_string();
    let fail = |e: anyhow::Error| write_failure(e, &shown);
    let n = {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        let n = ops::export(&mut conn, format, &mut w).map_err(fail)?;
        w.flush().map_err(|e| fail(e.into()))?;
        n
    };
    tmp.as_file().sync_all().map_err(|e| fail(e.into()))?;
    tmp.persist(path).map_err(|e| fail(e.error.into()))?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| fail(e.into()))?;
    let what = format!(
        "exported {n} users to {} ({})",
        terminal_safe(&path.display().to_string()),
        format.as_str()
    );
    ctx.out.note(what);
    Ok(())
}
