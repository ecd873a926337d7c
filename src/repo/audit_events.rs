//! `audit_events`: the append-only trail of what operators and the application did.

use diesel::prelude::*;

use crate::db::{DbConn, UtcDateTime};
use crate::schema::audit_events;
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: UtcDateTime,
    pub actor: String,
    pub action: String,
    pub user_id: Option<i64>,
    /// A JSON object as text.
    pub detail: Option<String>,
    pub ip_address: Option<String>,
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
        st.serialize_field("detail", &detail)?;
        st.serialize_field("ip_address", &self.ip_address)?;
        st.end()
    }
}

/// An event to append. `detail` is serialized to JSON text; it must never contain a
/// password or a raw token.
#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub user_id: Option<i64>,
    pub detail: Option<serde_json::Value>,
    pub ip_address: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = audit_events)]
struct Row<'a> {
    occurred_at: UtcDateTime,
    actor: &'a str,
    action: &'a str,
    user_id: Option<i64>,
    detail: Option<String>,
    ip_address: Option<&'a str>,
}

impl NewAuditEvent<'_> {
    /// Append the event. Call it inside the transaction that makes the change, so the
    /// change and its record commit or roll back together.
    pub fn append(&self, conn: &mut DbConn) -> QueryResult<()> {
        let row = Row {
            occurred_at: UtcDateTime::now(),
            actor: self.actor,
            action: self.action,
            user_id: self.user_id,
            detail: self.detail.as_ref().map(|d| d.to_string()),
            ip_address: self.ip_address,
        };
        with_conn!(conn, c => diesel::insert_into(audit_events::table).values(&row).execute(c))
            .map(|_| ())
    }
}

/// Filters for [`list`]; newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user_id: Option<i64>,
    pub action: Option<String>,
    pub since: Option<UtcDateTime>,
    /// Keyset pagination: only events with `id < before_id`.
    pub before_id: Option<i64>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConn, filter: &AuditFilter) -> QueryResult<Vec<AuditEvent>> {
    with_conn!(conn, c => {
        let mut q = audit_events::table
            .select(AuditEvent::as_select())
            .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
            .into_boxed();
        if let Some(uid) = filter.user_id {
            q = q.filter(audit_events::user_id.eq(uid));
        }
        if let Some(action) = &filter.action {
            q = q.filter(audit_events::action.eq(action.clone()));
        }
        if let Some(since) = filter.since {
            q = q.filter(audit_events::occurred_at.ge(since));
        }
        if let Some(before) = filter.before_id {
            // Page on the same key the list is ordered by: (occurred_at, id).
            let pivot: Option<UtcDateTime> = audit_events::table
                .find(before)
                .select(audit_events::occurred_at)
                .first(c)
                .optional()?;
            q = match pivot {
                Some(t) => q.filter(
                    audit_events::occurred_at
                        .lt(t)
                        .or(audit_events::occurred_at.eq(t).and(audit_events::id.lt(before))),
                ),
                None => q.filter(audit_events::id.lt(before)),
            };
        }
        q.limit(filter.limit.max(0)).load(c)
    })
}

/// An event with the current email of its user. Serializes as the event's fields
/// plus `user_email`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventWithEmail {
    #[serde(flatten)]
    pub event: AuditEvent,
    /// `None` when the event names no user or the user no longer exists.
    pub user_email: Option<String>,
}

/// [`list`], with the email of each event's user looked up in one more query.
pub fn list_with_emails(
    conn: &mut DbConn,
    filter: &AuditFilter,
) -> QueryResult<Vec<EventWithEmail>> {
    use crate::schema::users;
    let events = list(conn, filter)?;
    let mut ids: Vec<i64> = events.iter().filter_map(|e| e.user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    // Chunked: SQLite limits the number of bound parameters per statement.
    let mut emails = std::collections::HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows = with_conn!(conn, c => users::table
            .filter(users::id.eq_any(chunk))
            .select((users::id, users::email))
            .load::<(i64, String)>(c))?;
        emails.extend(rows);
    }
    Ok(events
        .into_iter()
        .map(|event| EventWithEmail {
            user_email: event.user_id.and_then(|id| emails.get(&id).cloned()),
            event,
        })
        .collect())
}
