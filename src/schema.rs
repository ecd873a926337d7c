//! Diesel table definitions shared by both backends: the application's auth tables
//! (migrations `app/005`–`008`, written from the application's schema) and
//! authctl's own `authctl_audit_events`.
//!
//! Maintained by hand so one definition serves PostgreSQL and SQLite: time columns
//! are [`UtcTimestamp`](crate::db::UtcTimestamp), uuid columns
//! [`DbUuid`](crate::db::DbUuid), IP columns [`DbInet`](crate::db::DbInet).
//! Nullability follows the application's DDL exactly (its booleans and
//! `created_at` columns are nullable). `tests/it/schema.rs` selects every column on
//! both backends, so a drift between this file and the migrations fails the tests.

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::{DbUuid, UtcTimestamp};

    users (id) {
        id -> DbUuid,
        email -> Text,
        password_hash -> Text,
        name -> Nullable<Text>,
        role -> Nullable<Text>,
        created_at -> Nullable<UtcTimestamp>,
        updated_at -> Nullable<UtcTimestamp>,
        last_login -> Nullable<UtcTimestamp>,
        email_verified -> Nullable<Bool>,
        email_verified_at -> Nullable<UtcTimestamp>,
        reset_token -> Nullable<Text>,
        reset_token_expires -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::{DbInet, DbUuid, UtcTimestamp};

    auth_attempts (id) {
        id -> DbUuid,
        user_id -> Nullable<DbUuid>,
        email -> Nullable<Text>,
        ip_address -> DbInet,
        user_agent -> Nullable<Text>,
        success -> Bool,
        failure_reason -> Nullable<Text>,
        timestamp -> Nullable<UtcTimestamp>,
        attempt_type -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::{DbInet, DbUuid, UtcTimestamp};

    refresh_tokens (id) {
        id -> DbUuid,
        user_id -> DbUuid,
        token -> Text,
        expires_at -> UtcTimestamp,
        created_at -> Nullable<UtcTimestamp>,
        revoked_at -> Nullable<UtcTimestamp>,
        is_revoked -> Nullable<Bool>,
        user_agent -> Nullable<Text>,
        ip_address -> Nullable<DbInet>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::{DbInet, DbUuid, UtcTimestamp};

    login_sessions (session_id) {
        session_id -> DbUuid,
        user_id -> DbUuid,
        session_token -> DbUuid,
        ip_address -> Nullable<DbInet>,
        user_agent -> Nullable<Text>,
        created_at -> Nullable<UtcTimestamp>,
        expires_at -> UtcTimestamp,
        last_activity_at -> Nullable<UtcTimestamp>,
        is_active -> Nullable<Bool>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::{DbUuid, UtcTimestamp};

    authctl_audit_events (id) {
        id -> BigInt,
        occurred_at -> UtcTimestamp,
        actor -> Text,
        action -> Text,
        user_id -> Nullable<DbUuid>,
        user_email -> Nullable<Text>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::UtcTimestamp;

    authctl_purge_runs (id) {
        id -> BigInt,
        started_at -> UtcTimestamp,
        finished_at -> UtcTimestamp,
        actor -> Text,
        tables -> Text,
        deleted -> BigInt,
        interrupted -> Bool,
    }
}

diesel::joinable!(auth_attempts -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(login_sessions -> users (user_id));
diesel::joinable!(authctl_audit_events -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    auth_attempts,
    refresh_tokens,
    login_sessions,
    authctl_audit_events,
    authctl_purge_runs
);
