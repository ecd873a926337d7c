//! What commands do, as library functions: no argument parsing, no printing, and
//! the only way into [`crate::repo`]. Each function that changes data runs in one transaction
//! together with its audit event; every listing walks [`pager`].

pub mod actor;
pub mod attempts;
pub mod audit;
pub mod backup;
pub mod connections;
pub mod credentials;
pub mod dormant;
pub mod migrate;
pub mod pager;
pub mod production;
pub mod purge;
pub mod replication;
pub mod stats;
pub mod users;
pub mod users_io;

use crate::db::DbConn;
use crate::error::Error;
use crate::parse::UserRef;
use crate::repo::{self, User};

/// An error from inside a one-transaction command (`import`, `users
/// reset-password`): when it is a lost connection (a server crash, a failover,
/// `pg_terminate_backend`), say so and that nothing was changed, which is true
/// because the loss came before `COMMIT` and the server rolls back the open
/// transaction of a connection it loses. Call it inside the transaction's closure
/// only: a loss at `COMMIT` itself leaves the outcome unknown (the database layer
/// says so). Other errors pass unchanged.
pub fn nothing_changed_if_lost(e: anyhow::Error, what: &str) -> anyhow::Error {
    let lost = crate::db::TxError::diesel(&e).is_some_and(crate::error::is_connection_lost);
    if !lost {
        return e;
    }
    e.context(format!(
        "connection lost during {what}; it is one transaction, which the server rolled back: \
         nothing was changed; run it again (a multi-host URL with \
         target_session_attrs=read-write follows a failover to the new primary)"
    ))
}

/// Find the user an operator named, or a data error naming the reference. An
/// email matches in any letter case; several users with it in different cases
/// are a data error naming their ids (never one picked).
pub fn resolve_user(conn: &mut DbConn, user: &UserRef) -> anyhow::Result<User> {
    let found = match user {
        UserRef::Id(id) => repo::users::find(conn, *id)?,
        UserRef::Email(email) => repo::users::find_by_email(conn, email)?,
    };
    found.ok_or_else(|| Error::data(format!("no user with {}", describe(user))).into())
}

/// [`resolve_user`], then lock the user's row for the rest of the transaction. Every
/// transaction that changes a user takes this lock first, so concurrent commands on
/// one user run one after the other (and cannot deadlock on sessions and tokens).
pub fn resolve_user_for_update(conn: &mut DbConn, user: &UserRef) -> anyhow::Result<User> {
    let found = resolve_user(conn, user)?;
    repo::users::find_for_update(conn, found.id)?
        .ok_or_else(|| Error::data(format!("user {} was deleted meanwhile", describe(user))).into())
}

fn describe(user: &UserRef) -> String {
    match user {
        UserRef::Id(id) => format!("id {id}"),
        UserRef::Email(e) => format!("email {e}"),
    }
}
