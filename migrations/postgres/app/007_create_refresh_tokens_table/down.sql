DROP FUNCTION IF EXISTS clean_expired_refresh_tokens();
DROP TABLE IF EXISTS refresh_tokens;
