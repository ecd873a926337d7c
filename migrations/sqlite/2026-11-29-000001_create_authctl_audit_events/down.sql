DROP TABLE authctl_audit_events;
