"""Reliable messaging: topology, transactional outbox and relay, idempotent batch consumers."""
