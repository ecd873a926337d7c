-- authctl fixture: users (schema of the application's version 005).
CREATE TABLE IF NOT EXISTS users (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email               VARCHAR(255) NOT NULL UNIQUE,
    password_hash       VARCHAR(255) NOT NULL,
    name                VARCHAR(255),
    role                VARCHAR(50) DEFAULT 'user'
                        CHECK (role IN ('user', 'admin', 'premium')),
    created_at          TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at          TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    last_login          TIMESTAMP WITH TIME ZONE,
    email_verified      BOOLEAN DEFAULT false,
    email_verified_at   TIMESTAMP WITH TIME ZONE,
    reset_token         VARCHAR(255),
    reset_token_expires TIMESTAMP WITH TIME ZONE,
    CONSTRAINT users_email_format
        CHECK (email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$')
);

-- Plain CREATE INDEX / CREATE TRIGGER on purpose: the application's file does
-- the same, so re-running this version against existing tables fails.
CREATE INDEX idx_users_email ON users (email);
CREATE INDEX idx_users_role ON users (role);
CREATE INDEX idx_users_created_at ON users (created_at);
CREATE INDEX idx_users_reset_token ON users (reset_token)
    WHERE reset_token IS NOT NULL;

CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS TRIGGER
LANGUAGE plpgsql AS $fn$
BEGIN
    NEW.updated_at := CURRENT_TIMESTAMP;
    RETURN NEW;
END
$fn$;

CREATE TRIGGER update_users_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
