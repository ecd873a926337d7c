DROP TABLE authctl_purge_runs;
