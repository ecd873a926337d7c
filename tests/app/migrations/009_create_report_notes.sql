-- authctl fixture: a second non-auth table, sorted after the auth versions.
CREATE TABLE IF NOT EXISTS report_notes (
    note_id    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    report_id  UUID NOT NULL REFERENCES reports (report_id) ON DELETE CASCADE,
    note       TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_report_notes_report_id ON report_notes (report_id);
