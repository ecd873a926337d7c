-- authctl fixture: a non-auth application table, so the ledger holds more
-- than the auth versions (as a real deployment's does).
CREATE TABLE IF NOT EXISTS reports (
    report_id  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    title      VARCHAR(255) NOT NULL,
    body       TEXT,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_reports_created_at ON reports (created_at DESC);
