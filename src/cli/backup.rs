//! `authctl export` and `authctl import`: the auth data to one verified file and
//! back (docs/backup.md). Parses, calls [`crate::ops::backup`], prints.
//!
//! Output (`--output json`):
//! - `export FILE`: `{"header": {…}, "counts": {table: n}, "sha256", "file",
//!   "compression"}`; `export -` prints nothing but the file on stdout.
//! - `import`: `{"source", "header", "dry_run", "on_conflict", "tables": [{"table",
//!   "in_file", "inserted", "updated", "skipped", "refused"}], "refusals": [{"table",
//!   "line", "id", "reason"}], "without_secret"}`.

use std::io::{self, IsTerminal};
use std::path::PathBuf;

use crate::cli::Context;
use crate::error::Error;
use crate::ops::backup::{self, ExportOptions, ImportOptions, OnConflict, TableName};

/// Arguments of `authctl export`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The file holds password hashes and, unless --exclude-secrets, refresh \
tokens, session tokens and password-reset tokens: BEARER SECRETS that log in as their users. \
Keep it like the database itself. Format and recipes: docs/backup.md"
)]
pub struct ExportArgs {
    /// Where to write: a file (`.gz` gzip, `.zst` zstd by the name; created 0600,
    /// appears only when complete) or `-` for stdout (refused on a terminal)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Only these tables (comma-separated or repeated; default: all)
    #[arg(long, value_enum, value_delimiter = ',', value_name = "TABLE")]
    pub only: Vec<TableArg>,

    /// Leave out the bearer secrets (refresh tokens, session tokens, password-reset
    /// tokens): such a file restores users and their passwords, and every user logs
    /// in again
    #[arg(long)]
    pub exclude_secrets: bool,
}

/// `--only` of `export`: the tables by their database names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableArg {
    #[value(name = "users")]
    Users,
    #[value(name = "auth_attempts")]
    AuthAttempts,
    #[value(name = "refresh_tokens")]
    RefreshTokens,
    #[value(name = "login_sessions")]
    LoginSessions,
    #[value(name = "authctl_audit_events")]
    AuditEvents,
}

impl From<TableArg> for TableName {
    fn from(t: TableArg) -> TableName {
        match t {
            TableArg::Users => TableName::Users,
            TableArg::AuthAttempts => TableName::AuthAttempts,
            TableArg::RefreshTokens => TableName::RefreshTokens,
            TableArg::LoginSessions => TableName::LoginSessions,
            TableArg::AuditEvents => TableName::AuditEvents,
        }
    }
}

/// `--on-conflict` of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnConflictArg {
    /// Refuse the whole import when any record's id, or a user's e-mail in any letter case, is already there
    Fail,
    /// Keep the rows already there; leave those records (and a skipped user's tokens, sessions, attempts, events) out
    Skip,
    /// Overwrite the rows with the same id; a user whose e-mail belongs to another id is refused
    Update,
}

/// Arguments of `authctl import`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The whole file is read and checked first (format, version, SHA-256, \
counts, every record, duplicate ids); a bad file exits 65 and changes nothing. Then every record \
is written in one transaction, with one data.import audit event. The database must be migrated \
first (`authctl migrate`). Details: docs/backup.md"
)]
pub struct ImportArgs {
    /// The export file (gzip or zstd recognised by content) or `-` for stdin
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// What to do with a record already in the database
    #[arg(long, value_enum, default_value_t = OnConflictArg::Fail)]
    pub on_conflict: OnConflictArg,

    /// Verify the file and report what would be inserted, updated, skipped and
    /// refused; write nothing (exit 65 when something would be refused, as the
    /// import would)
    #[arg(long)]
    pub dry_run: bool,
}

fn is_stdio(path: &std::path::Path) -> bool {
    path.as_os_str() == "-"
}

/// `authctl export FILE|-`.
pub fn export(ctx: &Context, args: ExportArgs) -> anyhow::Result<()> {
    let to_stdout = is_stdio(&args.file);
    if to_stdout && io::stdout().is_terminal() {
        return Err(Error::usage(
            "refusing to write the export to a terminal: it holds password hashes and bearer \
             secrets; redirect stdout (`authctl export - > file`) or give a FILE",
        )
        .into());
    }
    let opts = ExportOptions {
        tables: if args.only.is_empty() {
            TableName::ALL.to_vec()
        } else {
            args.only.into_iter().map(TableName::from).collect()
        },
        secrets: !args.exclude_secrets,
    };
    let (_, mut conn) = ctx.connect_ready_read()?;
    if to_stdout {
        // Through the one stdout writer: a closed stdout (`>&-`, which the runtime
        // reopens on /dev/null) fails instead of swallowing the backup.
        let mut lock = io::BufWriter::with_capacity(256 * 1024, crate::output::Stdout::new(false));
        let report = backup::export(&mut conn, &opts, &mut lock)?;
        let total: u64 = report.counts.values().sum();
        ctx.out.note(format!(
            "exported {total} record(s) to stdout (sha256 {})",
            report.sha256
        ));
        return Ok(());
    }
    let report = backup::export_to_file(&mut conn, &opts, &args.file)?;
    let rows: Vec<Vec<String>> = report
        .counts
        .iter()
        .map(|(t, n)| vec![t.clone(), n.to_string()])
        .collect();
    ctx.out.records(&["TABLE", "RECORDS"], &rows, &report)?;
    ctx.out.note(format!(
        "wrote {} (sha256 {})",
        args.file.display(),
        report.sha256
    ));
    Ok(())
}

/// `authctl import FILE|-`.
pub fn import(ctx: &Context, args: ImportArgs) -> anyhow::Result<()> {
    let from_stdin = is_stdio(&args.file);
    if from_stdin && io::stdin().is_terminal() {
        return Err(Error::usage(
            "import - reads the export from stdin, but stdin is a terminal: pipe or redirect it \
             (`authctl import - < backup.jsonl`)",
        )
        .into());
    }
    let source = if from_stdin {
        "stdin".to_owned()
    } else {
        crate::email::printable(&args.file.display().to_string())
    };
    let input: Box<dyn io::Read> = if from_stdin {
        Box::new(io::stdin().lock())
    } else {
        match std::fs::File::open(&args.file) {
            Ok(f) if f.metadata().is_ok_and(|m| m.is_dir()) => {
                return Err(
                    Error::no_input(format!("cannot read {source}: it is a directory")).into(),
                );
            }
            Ok(f) => Box::new(f),
            Err(e) => {
                return Err(Error::no_input(format!("cannot open {source}: {e}")).into());
            }
        }
    };
    let opts = ImportOptions {
        on_conflict: match args.on_conflict {
            OnConflictArg::Fail => OnConflict::Fail,
            OnConflictArg::Skip => OnConflict::Skip,
            OnConflictArg::Update => OnConflict::Update,
        },
        dry_run: args.dry_run,
        actor: ctx.actor()?,
    };
    // The database first: an unreachable or unmigrated one fails before a long read.
    let (_, mut conn) = ctx.connect_ready()?;
    let mut reader = backup::decoder(input)
        .map_err(|e| Error::no_input(format!("cannot read {source}: {e}")))?;
    let verified = backup::verify(&mut reader, &source)?;
    let report = backup::apply(&mut conn, verified, &source, &opts)?;
    if !report.dry_run {
        let total: u64 = report.tables.iter().map(|t| t.inserted + t.updated).sum();
        ctx.committed(format!("imported {total} record(s) from {source}"));
    }
    let rows: Vec<Vec<String>> = report
        .tables
        .iter()
        .map(|t| {
            vec![
                t.table.clone(),
                t.in_file.to_string(),
                t.inserted.to_string(),
                t.updated.to_string(),
                t.skipped.to_string(),
                t.refused.to_string(),
            ]
        })
        .collect();
    ctx.out.records(
        &[
            "TABLE", "IN FILE", "INSERTED", "UPDATED", "SKIPPED", "REFUSED",
        ],
        &rows,
        &report,
    )?;
    for r in &report.refusals {
        ctx.out.note(format!(
            "refused: {} line {} ({}): {}",
            r.table, r.line, r.id, r.reason
        ));
    }
    if report.without_secret > 0 {
        ctx.out.note(format!(
            "{} token/session record(s) were exported without their secrets (--exclude-secrets) \
             and were not imported: those users log in again",
            report.without_secret
        ));
    }
    if report.dry_run {
        ctx.out
            .note("dry run: nothing was written (the counts say what an import would do)");
        // The exit code the import itself would have (as `users import --dry-run`).
        if report.refused() > 0 {
            return Err(Error::data(format!(
                "{} record(s) would be refused (see the report): an import would write nothing",
                report.refused()
            ))
            .into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum as _;

    use super::*;

    #[test]
    fn every_table_is_offered_under_its_database_name() {
        let offered: Vec<TableName> = TableArg::value_variants()
            .iter()
            .map(|&a| {
                let name = a.to_possible_value().unwrap();
                let t = TableName::from(a);
                assert_eq!(name.get_name(), t.as_str());
                t
            })
            .collect();
        assert_eq!(offered, TableName::ALL);
    }
}
