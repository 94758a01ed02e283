"""PostgreSQL plumbing: connection pools, database creation and migrations."""
