//! Diesel table definitions shared by both backends.
//!
//! Written to match `migrations/postgres` and `migrations/sqlite` (diesel's
//! `print-schema` would emit `Timestamptz`; every time column here is
//! [`UtcTimestamp`](crate::db::UtcTimestamp) so one definition serves both
//! backends). `tests/it/schema.rs` selects every column on both backends, so a
//! drift between this file and the migrations fails the tests.

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::UtcTimestamp;

    users (id) {
        id -> BigInt,
        email -> Text,
        display_name -> Nullable<Text>,
        password_hash -> Text,
        role -> Text,
        is_active -> Bool,
        disabled_at -> Nullable<UtcTimestamp>,
        disabled_reason -> Nullable<Text>,
        failed_login_count -> Integer,
        locked_until -> Nullable<UtcTimestamp>,
        must_change_password -> Bool,
        password_changed_at -> UtcTimestamp,
        last_login_at -> Nullable<UtcTimestamp>,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::UtcTimestamp;

    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> UtcTimestamp,
        expires_at -> UtcTimestamp,
        last_used_at -> Nullable<UtcTimestamp>,
        revoked_at -> Nullable<UtcTimestamp>,
        revoked_reason -> Nullable<Text>,
        replaced_by_id -> Nullable<BigInt>,
        user_agent -> Nullable<Text>,
        ip_address -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::UtcTimestamp;

    login_sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        ip_address -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        created_at -> UtcTimestamp,
        last_activity_at -> UtcTimestamp,
        expires_at -> UtcTimestamp,
        revoked_at -> Nullable<UtcTimestamp>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::UtcTimestamp;

    audit_events (id) {
        id -> BigInt,
        occurred_at -> UtcTimestamp,
        actor -> Text,
        action -> Text,
        user_id -> Nullable<BigInt>,
        detail -> Nullable<Text>,
        ip_address -> Nullable<Text>,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(login_sessions -> users (user_id));
diesel::joinable!(audit_events -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(users, refresh_tokens, login_sessions, audit_events);
