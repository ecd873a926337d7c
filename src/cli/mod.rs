//! The command line: global options, the command tree, and the context every
//! command gets. One file per command group; each exposes `Args` and `run`, parses
//! (value enums and value parsers live here), calls [`crate::ops`] and prints.

pub mod attempts;
pub mod audit;
pub mod backup;
pub mod common;
pub mod completions;
pub mod config;
pub mod migrate;
pub mod purge;
pub mod sessions;
pub mod stats;
pub mod tokens;
pub mod users;
pub mod users_io;

use anyhow::Context as _;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, Environment, Overrides, settings};
use crate::db::{self, DbConn};
use crate::error::Error;
use crate::output::{ColorChoice, Format, Output};

/// Administer the application's auth database: users, refresh tokens, login
/// sessions and authctl's audit trail, on PostgreSQL or the embedded SQLite default.
#[derive(Debug, Parser)]
#[command(name = "authctl", version, about, after_long_help = settings::help(), propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts. Shown under their own heading, after the
/// command's own options.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path
    /// [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]
    #[arg(long, global = true, value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,

    // Read variables from this .env file instead of ./.env.
    #[arg(long, global = true, value_name = "PATH", help = settings::ENV_FILE.flag_help())]
    pub env_file: Option<PathBuf>,

    // Give up connecting to PostgreSQL after this long.
    #[arg(long, global = true, value_name = "DURATION", value_parser = crate::config::parse_positive_timeout,
          help = settings::CONNECT_TIMEOUT.flag_help())]
    pub connect_timeout: Option<Duration>,

    /// Output format: table, json or csv (and prometheus, only for `authctl stats`)
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputArg::Table)]
    pub output: OutputArg,

    /// Print nothing on success, in every format (errors still go to stderr; a
    /// generated password is still printed)
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Diagnostics on stderr: -v the database (password redacted), connect and total
    /// time; -vv also each SQL statement (never its values) and transaction; -vvv
    /// also each statement's duration
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Answer yes to confirmations (required for destructive commands without a terminal)
    #[arg(long, short, global = true)]
    pub yes: bool,

    /// Colour table headers, state columns and the error/warning prefix (auto: only
    /// on a terminal, and not when NO_COLOR is set)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    // Who is acting, for the audit trail.
    #[arg(long, global = true, value_name = "NAME", help = settings::ACTOR.flag_help())]
    pub actor: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, find, change, disable, enable, reset and delete users
    #[command(subcommand)]
    Users(users::Command),
    /// List and revoke login sessions
    #[command(subcommand)]
    Sessions(sessions::Command),
    /// List and revoke refresh tokens
    #[command(subcommand)]
    Tokens(tokens::Command),
    /// Read the audit trail
    #[command(subcommand)]
    Audit(audit::Command),
    /// Watch failed logins and operate the application's IP rate limit
    #[command(subcommand)]
    Attempts(attempts::Command),
    /// One snapshot of the auth system's health (table, JSON or Prometheus)
    Stats(stats::Args),
    /// Delete what the application's cleanup deletes, in short batches (for cron)
    PurgeExpired(purge::Args),
    /// Apply, check, list or revert schema migrations
    Migrate(migrate::Args),
    /// Export the auth data to one verified file or stdout (it holds bearer secrets)
    Export(backup::ExportArgs),
    /// Import an export: verified whole first, then written in one transaction
    Import(backup::ImportArgs),
    /// Show the resolved configuration and where each value came from
    Config(config::Args),
    /// Print shell completions (bash, zsh, fish, elvish, powershell)
    Completions(completions::Args),
    /// Print the man page (roff)
    #[command(hide = true)]
    Man,
}

/// `--output`: the formats every command prints, plus Prometheus for `stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputArg {
    /// Aligned table for people
    Table,
    /// JSON (stable field names, RFC 3339 UTC times)
    Json,
    /// CSV with a header row
    Csv,
    /// Prometheus text exposition format (only `authctl stats`)
    Prometheus,
}

impl OutputArg {
    /// The listing format (Prometheus is `stats`' own; it prints no listing).
    pub fn format(self) -> Format {
        match self {
            OutputArg::Table | OutputArg::Prometheus => Format::Table,
            OutputArg::Json => Format::Json,
            OutputArg::Csv => Format::Csv,
        }
    }
}

/// What a command needs: parsed global options, output, and the environment.
pub struct Context {
    pub global: GlobalArgs,
    pub out: Output,
    env: Environment,
    /// The configuration, resolved once (on first use) for the whole command.
    config: std::cell::OnceCell<Config>,
    /// What the command has committed so far ([`Context::committed`]).
    committed: std::cell::RefCell<Option<String>>,
}

impl Context {
    pub fn new(global: GlobalArgs) -> anyhow::Result<Self> {
        let out = Output::new(
            global.output.format(),
            global.quiet,
            global.verbose,
            global.color,
        );
        let env = Environment::load(global.env_file.as_deref())?;
        Ok(Context {
            global,
            out,
            env,
            config: std::cell::OnceCell::new(),
            committed: std::cell::RefCell::new(None),
        })
    }

    /// Record that a change is committed (`what`: "disabled user ID EMAIL"), before
    /// its report is printed: if stdout then fails, the error says the change was
    /// made (exit 74) instead of leaving the operator to guess.
    pub fn committed(&self, what: impl Into<String>) {
        let what = what.into();
        let mut c = self.committed.borrow_mut();
        *c = Some(match c.take() {
            Some(before) => format!("{before}; {what}"),
            None => what,
        });
    }

    /// The configuration (flags, environment, .env, defaults), resolved on first
    /// use and then reused for the rest of the command.
    pub fn config(&self) -> anyhow::Result<Config> {
        if let Some(config) = self.config.get() {
            return Ok(config.clone());
        }
        let overrides = Overrides {
            database_url: self.global.database_url.clone(),
            connect_timeout: self.global.connect_timeout,
        };
        let config = Config::resolve(&overrides, &self.env)?;
        self.out.verbose(format!(
            "database {} (from {})",
            config.database.value.redacted(),
            config.database.source
        ));
        let _ = self.config.set(config.clone());
        Ok(config)
    }

    /// The environment (process variables and the `.env` file).
    pub fn env(&self) -> &Environment {
        &self.env
    }

    /// The actor for audit events.
    pub fn actor(&self) -> anyhow::Result<String> {
        Ok(self.actor_sourced()?.value)
    }

    /// The actor for audit events and where it came from.
    pub fn actor_sourced(&self) -> anyhow::Result<crate::config::Sourced<String>> {
        Ok(crate::ops::actor::resolve_sourced(
            self.global.actor.as_deref(),
            &self.env,
        )?)
    }

    /// Connect without checking the schema (for `migrate`, which may create the
    /// SQLite file), to write.
    pub fn connect(&self) -> anyhow::Result<(Config, DbConn)> {
        self.connect_with(true, db::Access::Write)
    }

    /// Connect; with `create_if_missing = false` a missing SQLite file is an error
    /// (66, naming the file and how to create it) instead of a new empty database.
    /// The default embedded database (no URL given at all) is created either way.
    /// With [`db::Access::Write`] a PostgreSQL standby is refused (75) before
    /// anything is done; a read says in `-v` which server answered and whether it
    /// is a standby.
    pub fn connect_with(
        &self,
        create_if_missing: bool,
        access: db::Access,
    ) -> anyhow::Result<(Config, DbConn)> {
        let (config, options) = self.connect_options(create_if_missing, access)?;
        let mut conn = db::connect(&options)?;
        self.say_server_role(&mut conn, access);
        Ok((config, conn))
    }

    /// `-v`: which PostgreSQL server answered, and whether it is a standby (a
    /// write connection got this far only on a primary).
    fn say_server_role(&self, conn: &mut DbConn, access: db::Access) {
        if self.out.verbose == 0 {
            return;
        }
        if let Ok(Some(role)) = conn.server_role() {
            self.out.verbose(if role.in_recovery {
                format!(
                    "connected to {}, a standby (in recovery, read-only): this command only \
                     reads; what it shows may lag the primary (`authctl stats` shows by how much)",
                    role.server
                )
            } else if access == db::Access::Write {
                format!("connected to {}, a primary (not in recovery)", role.server)
            } else {
                format!("connected to {}, not a standby", role.server)
            });
        }
    }

    /// The configuration and how to connect, after the checks that come before any
    /// connection: the production backend, and (unless `create_if_missing`) that a
    /// SQLite file other than the default one exists.
    fn connect_options(
        &self,
        create_if_missing: bool,
        access: db::Access,
    ) -> anyhow::Result<(Config, db::ConnectOptions)> {
        let config = self.config()?;
        config.check_production_backend()?;
        let create_if_missing =
            create_if_missing || config.database.source == crate::config::Source::Default;
        if !create_if_missing
            && let Some(path) = config.database.value.sqlite_path()
            && std::fs::symlink_metadata(path)
                .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        {
            return Err(missing_sqlite(path, &config.database.source).into());
        }
        let options = db::ConnectOptions {
            create_if_missing,
            access,
            ..config.connect_options()
        };
        Ok((config, options))
    }

    /// Connect to change data and make sure the schema is current: on SQLite
    /// pending migrations are applied (with a notice); on PostgreSQL the command is
    /// refused, and so is a standby (75). Only the default embedded database is
    /// created when missing: any other SQLite file must exist (`authctl migrate`
    /// creates it), so a mistyped path is an error instead of a new empty database.
    pub fn connect_ready(&self) -> anyhow::Result<(Config, DbConn)> {
        self.connect_ready_for(db::Access::Write)
    }

    /// [`connect_ready`](Self::connect_ready) for a command that only reads: a
    /// PostgreSQL standby will do.
    pub fn connect_ready_read(&self) -> anyhow::Result<(Config, DbConn)> {
        self.connect_ready_for(db::Access::Read)
    }

    /// [`connect_ready`](Self::connect_ready) for `access`.
    pub fn connect_ready_for(&self, access: db::Access) -> anyhow::Result<(Config, DbConn)> {
        let (config, mut conn) = self.connect_with(false, access)?;
        self.ensure_current(&config, &mut conn)?;
        Ok((config, conn))
    }

    /// [`connect_ready_for`](Self::connect_ready_for) for a command that holds more
    /// than one connection: a pool of at most `max_size` (every connection it opens
    /// checked for `access`) and its first connection, checked out, with the same
    /// checks and the schema made current.
    pub fn pool_ready(
        &self,
        max_size: u32,
        access: db::Access,
    ) -> anyhow::Result<(Config, db::pool::Pool, db::pool::PooledConn)> {
        let (config, options) = self.connect_options(false, access)?;
        let pool = db::pool::build_pool(options, max_size);
        let mut conn = db::pool::get(&pool)?;
        self.say_server_role(&mut conn, access);
        self.ensure_current(&config, &mut conn)?;
        Ok((config, pool, conn))
    }

    /// [`db::migrations::ensure_current`], its notice printed.
    fn ensure_current(&self, config: &Config, conn: &mut DbConn) -> anyhow::Result<()> {
        if let Some(notice) =
            db::migrations::ensure_current(conn, &lock_options(config), self.global.quiet)
                .with_context(|| format!("database {}", config.database.value.redacted()))?
        {
            self.out.note(notice);
        }
        Ok(())
    }

    /// Ask before a destructive action. `--yes` skips the question; without a
    /// terminal and without `--yes` it is a usage error; "no" is exit code 1.
    pub fn confirm(&self, prompt: &str) -> anyhow::Result<()> {
        if self.global.yes {
            return Ok(());
        }
        // Asked on the terminal itself (/dev/tty), so `2>log` still asks; Ctrl-C
        // restores the terminal and exits 130.
        let Some(tty) = crate::output::prompt::terminal() else {
            return Err(Error::usage(format!(
                "{prompt} — refusing without confirmation: no terminal to ask on; pass --yes to proceed"
            ))
            .into());
        };
        let yes = tty.confirm(prompt)?;
        if yes {
            Ok(())
        } else {
            Err(Error::check_failed("aborted: not confirmed").into())
        }
    }
}

/// "Not found" for a SQLite file that does not exist, saying how to create it.
fn missing_sqlite(path: &std::path::Path, source: &crate::config::Source) -> Error {
    let shown = path.display().to_string();
    let safe = !shown.is_empty()
        && shown
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,=@%:".contains(c));
    let arg = if safe {
        shown.clone()
    } else {
        format!("'{}'", shown.replace('\'', r"'\''"))
    };
    let shown = crate::email::terminal_safe(&shown);
    let arg = crate::email::terminal_safe(&arg);
    Error::no_input(format!(
        "SQLite database {shown} (from {source}) does not exist; nothing was created. \
         Check the path, or create the database with `authctl migrate --database-url {arg}`"
    ))
}

/// Migration lock settings from the configuration.
pub fn lock_options(config: &Config) -> db::migrations::LockOptions {
    db::migrations::LockOptions {
        wait: config.migrate_lock_wait.value,
        lock_timeout: config.lock_timeout.value,
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Completions(args) => finish_output(completions::run(args, cli.global.quiet), None),
        Command::Man => finish_output(completions::man(cli.global.quiet), None),
        command => {
            if cli.global.output == OutputArg::Prometheus && !matches!(command, Command::Stats(_)) {
                return Err(Error::usage(
                    "--output prometheus is only for `authctl stats`; other commands print table, json or csv",
                )
                .into());
            }
            let ctx = Context::new(cli.global)?;
            let result = match command {
                Command::Users(cmd) => users::run(&ctx, cmd),
                Command::Sessions(cmd) => sessions::run(&ctx, cmd),
                Command::Tokens(cmd) => tokens::run(&ctx, cmd),
                Command::Audit(cmd) => audit::run(&ctx, cmd),
                Command::Attempts(cmd) => attempts::run(&ctx, cmd),
                Command::Stats(args) => stats::run(&ctx, args),
                Command::PurgeExpired(args) => purge::run(&ctx, args),
                Command::Migrate(args) => migrate::run(&ctx, args),
                Command::Export(args) => backup::export(&ctx, args),
                Command::Import(args) => backup::import(&ctx, args),
                Command::Config(args) => config::run(&ctx, args),
                Command::Completions(_) | Command::Man => unreachable!(),
            };
            let committed = ctx.committed.borrow().clone();
            finish_output(result, committed.as_deref())
        }
    }
}

/// The outcome of a command whose output may have failed, after a last flush of
/// stdout. A failed write or flush of stdout (closed, full disk, broken pipe) is
/// exit 74: after a commit the message names what was committed — the change
/// stands; its report is what was lost. Without a commit, a reader that went away
/// (`authctl users list | head`) is no error; anything else is 74. An error that
/// already says what happened (a generated password that could not be delivered,
/// rolled back) is kept as it is.
pub fn finish_output(result: anyhow::Result<()>, committed: Option<&str>) -> anyhow::Result<()> {
    let flushed = crate::output::flush_stdout();
    let result = match (result, flushed) {
        (Ok(()), Err(e)) => Err(e.into()),
        (result, _) => result,
    };
    let Err(e) = result else {
        return Ok(());
    };
    let Some(failure) = crate::output::stdout_failure() else {
        return Err(e);
    };
    if let Some(what) = committed {
        return Err(Error::new(
            crate::error::ExitCode::IoErr,
            format!(
                "cannot write the report to stdout ({}); the change WAS committed: {what}",
                failure.reason
            ),
        )
        .into());
    }
    if e.downcast_ref::<Error>().is_some() || e.chain().any(|c| c.is::<Error>()) {
        return Err(e);
    }
    if failure.is_broken_pipe() {
        // What was read was all the reader wanted; an exit code that is the
        // answer (`attempts check`) stays.
        return match e.downcast_ref::<crate::error::Answered>() {
            Some(_) => Err(e),
            None => Ok(()),
        };
    }
    Err(Error::new(
        crate::error::ExitCode::IoErr,
        format!("cannot write the output to stdout ({})", failure.reason),
    )
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
