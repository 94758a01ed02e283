"""Logs, metrics and the correlation id carried across HTTP calls and events."""
