DROP TRIGGER IF EXISTS update_login_sessions_activity ON login_sessions;
DROP FUNCTION IF EXISTS update_session_activity();
DROP FUNCTION IF EXISTS get_active_session_count(UUID);
DROP FUNCTION IF EXISTS clean_expired_sessions();
DROP TABLE IF EXISTS login_sessions;
