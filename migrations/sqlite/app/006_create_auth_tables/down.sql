DROP TABLE IF EXISTS device_fingerprints;
DROP TABLE IF EXISTS auth_attempts;
