"""HTTP plumbing shared by the services: errors, authentication, audited idempotent writes."""
