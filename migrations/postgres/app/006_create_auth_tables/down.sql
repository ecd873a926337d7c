DROP TRIGGER IF EXISTS update_device_fingerprints_last_seen ON device_fingerprints;
DROP FUNCTION IF EXISTS update_device_last_seen();
DROP FUNCTION IF EXISTS check_rate_limit(INET, INTEGER, INTEGER);
DROP FUNCTION IF EXISTS clean_old_auth_attempts();
DROP TABLE IF EXISTS device_fingerprints;
DROP TABLE IF EXISTS auth_attempts;
