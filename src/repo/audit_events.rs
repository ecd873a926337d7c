//! `authctl_audit_events`: authctl's append-only trail of what operators did.
//! Each event keeps the email of its user, so the history of a deleted user stays
//! findable (its `user_id` becomes NULL when the user row goes).

use diesel::prelude::*;

use crate::db::{DbConn, UserId, UtcDateTime};
use crate::schema::authctl_audit_events as audit;
use crate::schema::authctl_audit_events;
use crate::with_conn;

/// Every action authctl records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum AuditAction {
    #[serde(rename = "user.create")]
    UserCreate,
    #[serde(rename = "user.update")]
    UserUpdate,
    #[serde(rename = "user.disable")]
    UserDisable,
    #[serde(rename = "user.enable")]
    UserEnable,
    #[serde(rename = "user.reset_password")]
    UserResetPassword,
    #[serde(rename = "user.delete")]
    UserDelete,
    #[serde(rename = "session.revoke")]
    SessionRevoke,
    #[serde(rename = "token.revoke")]
    TokenRevoke,
    #[serde(rename = "audit.purge")]
    AuditPurge,
    #[serde(rename = "attempts.clear")]
    AttemptsClear,
    #[serde(rename = "data.import")]
    DataImport,
}

impl AuditAction {
    pub const ALL: &'static [AuditAction] = &[
        AuditAction::UserCreate,
        AuditAction::UserUpdate,
        AuditAction::UserDisable,
        AuditAction::UserEnable,
        AuditAction::UserResetPassword,
        AuditAction::UserDelete,
        AuditAction::SessionRevoke,
        AuditAction::TokenRevoke,
        AuditAction::AuditPurge,
        AuditAction::AttemptsClear,
        AuditAction::DataImport,
    ];

    /// The text stored in the `action` column.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::UserCreate => "user.create",
            AuditAction::UserUpdate => "user.update",
            AuditAction::UserDisable => "user.disable",
            AuditAction::UserEnable => "user.enable",
            AuditAction::UserResetPassword => "user.reset_password",
            AuditAction::UserDelete => "user.delete",
            AuditAction::SessionRevoke => "session.revoke",
            AuditAction::TokenRevoke => "token.revoke",
            AuditAction::AuditPurge => "audit.purge",
            AuditAction::AttemptsClear => "attempts.clear",
            AuditAction::DataImport => "data.import",
        }
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = audit)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: UtcDateTime,
    pub actor: String,
    pub action: String,
    pub user_id: Option<UserId>,
    /// The user's email when the event was recorded.
    pub user_email: Option<String>,
    /// A JSON object as text.
    pub detail: Option<String>,
}

impl serde::Serialize for AuditEvent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let detail: Option<serde_json::Value> = self.detail.as_deref().map(|d| {
            serde_json::from_str(d).unwrap_or_else(|_| serde_json::Value::String(d.to_owned()))
        });
        let mut st = s.serialize_struct("AuditEvent", 7)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("occurred_at", &self.occurred_at)?;
        st.serialize_field("actor", &self.actor)?;
        st.serialize_field("action", &self.action)?;
        st.serialize_field("user_id", &self.user_id)?;
        st.serialize_field("user_email", &self.user_email)?;
        st.serialize_field("detail", &detail)?;
        st.end()
    }
}

/// An event to append. `detail` must never contain a password or a raw token.
#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    pub actor: &'a str,
    pub action: AuditAction,
    pub user_id: Option<UserId>,
    pub user_email: Option<&'a str>,
    pub detail: Option<serde_json::Value>,
}

#[derive(Insertable)]
#[diesel(table_name = audit)]
struct Row<'a> {
    occurred_at: UtcDateTime,
    actor: &'a str,
    action: &'a str,
    user_id: Option<UserId>,
    user_email: Option<&'a str>,
    detail: Option<String>,
}

impl NewAuditEvent<'_> {
    /// Append the event, at the database's time ([`crate::db::clock::now`]). Call it
    /// inside the transaction that makes the change, so the change and its record
    /// commit or roll back together.
    pub fn append(&self, conn: &mut DbConn) -> QueryResult<()> {
        self.append_returning_id(conn).map(|_| ())
    }

    /// [`append`](Self::append), returning the new event's id.
    pub fn append_returning_id(&self, conn: &mut DbConn) -> QueryResult<i64> {
        let row = Row {
            // The database's clock, as every time the application judges by.
            occurred_at: crate::db::clock::now(conn)?,
            actor: self.actor,
            action: self.action.as_str(),
            user_id: self.user_id,
            user_email: self.user_email,
            detail: self.detail.as_ref().map(|d| d.to_string()),
        };
        with_conn!(conn, c => diesel::insert_into(audit::table)
            .values(&row)
            .returning(audit::id)
            .get_result(c))
    }
}

/// Replace the detail of event `id`. Only for an event that records work still in
/// progress (`audit.purge` is written before its first batch and completed as it
/// goes), so the trail shows the work even when the process dies mid-way.
pub fn set_detail(conn: &mut DbConn, id: i64, detail: &serde_json::Value) -> QueryResult<()> {
    let text = detail.to_string();
    with_conn!(conn, c => diesel::update(audit::table.find(id))
        .set(audit::detail.eq(Some(text)))
        .execute(c))
    .map(|_| ())
}

/// The email a deleted user had, from the `user.delete` event that recorded its id
/// (the user's own events lost the id when the row went: `ON DELETE SET NULL`).
pub fn email_of_deleted_user(conn: &mut DbConn, id: UserId) -> QueryResult<Option<String>> {
    // serde_json writes the detail compactly: `{"id":"<uuid>",…}`.
    let needle = format!("%\"id\":\"{id}\"%");
    let email: Option<Option<String>> = with_conn!(conn, c => audit::table
        .filter(audit::action.eq(AuditAction::UserDelete.as_str()))
        .filter(audit::detail.like(needle))
        .order(audit::id.desc())
        .select(audit::user_email)
        .first(c)
        .optional())?;
    Ok(email.flatten())
}

/// Filters for [`list`]; newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Events of this user (by id), or recorded with this email (a deleted user's
    /// history is found by its email).
    pub user_id: Option<UserId>,
    pub user_email: Option<String>,
    /// With both `user_id` and `user_email`: match the email only on events whose
    /// user row is gone (a user's own history, not that of another user who once
    /// had the address).
    pub email_of_deleted_only: bool,
    pub action: Option<String>,
    pub since: Option<UtcDateTime>,
    /// Keyset pagination: only events with `id < before_id`.
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// Events matching `filter`, newest first. `user_email` matches in any letter case
/// (an event keeps the email as the user row had it; another writer may have
/// stored it in mixed case).
pub fn list(conn: &mut DbConn, filter: &AuditFilter) -> QueryResult<Vec<AuditEvent>> {
    let (email_before, email_after) = conn
        .dialect()
        .fold_compare("authctl_audit_events.user_email", crate::db::FoldOp::Equals);
    let email_is = |email: &String| {
        diesel::dsl::sql::<diesel::sql_types::Bool>(&email_before)
            .bind::<diesel::sql_types::Text, _>(email.clone())
            .sql(email_after)
    };
    with_conn!(conn, c => {
        let mut q = audit::table
            .select(AuditEvent::as_select())
            .order((audit::occurred_at.desc(), audit::id.desc()))
            .into_boxed();
        match (filter.user_id, &filter.user_email) {
            (Some(uid), Some(email)) if filter.email_of_deleted_only => {
                q = q.filter(
                    audit::user_id
                        .eq(uid)
                        .or(audit::user_id.is_null().and(email_is(email))),
                )
            }
            (Some(uid), Some(email)) => {
                q = q.filter(audit::user_id.eq(uid).or(email_is(email)))
            }
            (Some(uid), None) => q = q.filter(audit::user_id.eq(uid)),
            (None, Some(email)) => q = q.filter(email_is(email)),
            (None, None) => {}
        }
        if let Some(action) = &filter.action {
            q = q.filter(audit::action.eq(action.clone()));
        }
        if let Some(since) = filter.since {
            q = q.filter(audit::occurred_at.ge(since));
        }
        if let Some(before) = filter.before_id {
            // Page on the same key the list is ordered by: (occurred_at, id).
            let pivot: Option<UtcDateTime> = audit::table
                .find(before)
                .select(audit::occurred_at)
                .first(c)
                .optional()?;
            q = match pivot {
                Some(t) => q.filter(
                    audit::occurred_at
                        .lt(t)
                        .or(audit::occurred_at.eq(t).and(audit::id.lt(before))),
                ),
                None => q.filter(audit::id.lt(before)),
            };
        }
        q.limit(filter.limit.max(0)).load(c)
    })
}

/// `authctl_audit_events`, every column, as export and import carry it
/// ([`Records`](crate::repo::records::Records)).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    serde::Serialize,
    serde::Deserialize,
)]
#[diesel(table_name = authctl_audit_events, treat_none_as_default_value = false, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct AuditRecord {
    pub id: i64,
    pub occurred_at: UtcDateTime,
    pub actor: String,
    pub action: String,
    pub user_id: Option<UserId>,
    pub user_email: Option<String>,
    pub detail: Option<String>,
}

crate::records!(
    Table,
    AuditRecord,
    i64,
    authctl_audit_events,
    id,
    None,
    |r| r.user_id
);
