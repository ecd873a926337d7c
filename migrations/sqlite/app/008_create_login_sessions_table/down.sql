DROP TABLE IF EXISTS login_sessions;
