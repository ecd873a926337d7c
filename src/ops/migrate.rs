//! `authctl migrate` as library functions: the schema's status, the steps a revert
//! would take, reverting them, and applying what is pending — each over
//! [`db::migrations`](crate::db::migrations), with the database named in errors.

use anyhow::Context as _;

use crate::db::migrations::{self, LockOptions};
use crate::db::{Backend, DbConn};

pub use crate::db::migrations::{Action, Origin, RunReport, State, Status, Step};

/// The status of every migration (applied, adopted, pending), in one read.
pub fn status(conn: &mut DbConn) -> anyhow::Result<Status> {
    conn.read(migrations::status)
}

/// The status of a SQLite database file that does not exist: everything pending.
pub fn missing(backend: Backend) -> Status {
    Status::missing(backend)
}

/// What `authctl migrate` would do, in order (empty: the schema is current), in
/// one read: the same decisions the run takes ([`migrations::plan`]).
pub fn plan(conn: &mut DbConn) -> anyhow::Result<Vec<Step>> {
    conn.read(migrations::plan)
}

/// [`plan`] for a SQLite database file that does not exist: everything created or
/// applied.
pub fn plan_for_missing(backend: Backend) -> Vec<Step> {
    migrations::plan_for_missing(backend)
}

/// The names of the steps `revert --steps steps` would revert, newest first
/// (empty: nothing is applied). A ledger that fails its integrity check is refused.
pub fn revert_plan(conn: &mut DbConn, steps: usize) -> anyhow::Result<Vec<String>> {
    let st = status(conn)?;
    if let Some(e) = st.integrity_error() {
        return Err(e.into());
    }
    Ok(migrations::revert_plan(&st, steps))
}

/// Revert the newest `steps` migrations under the migration lock; application
/// steps authctl created only with `destroy_data`. Returns what was reverted.
pub fn revert(
    conn: &mut DbConn,
    steps: usize,
    destroy_data: bool,
    lock: &LockOptions,
) -> anyhow::Result<Vec<String>> {
    migrations::revert(conn, steps, destroy_data, lock)
}

/// Apply what is pending under the migration lock (adopting the application's
/// steps where it ran them). Returns the report and how many migrations there are.
pub fn apply(
    conn: &mut DbConn,
    lock: &LockOptions,
    target: &str,
) -> anyhow::Result<(RunReport, usize)> {
    let report =
        migrations::run_pending(conn, lock).with_context(|| format!("database {target}"))?;
    let total =
        migrations::embedded(conn.backend()).len() + migrations::embedded_app(conn.backend()).len();
    Ok((report, total))
}
