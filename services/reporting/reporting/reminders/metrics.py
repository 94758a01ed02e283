"""Prometheus metrics of the HACCP reminders."""

from prometheus_client import Histogram

REMINDER_DELAY = Histogram(
    "buurtwerk_haccp_reminder_delay_seconds",
    "Seconds between a check's due time (event=due) or the end of its grace time "
    "(event=overdue) and the commit that put the event in the outbox",
    ["event"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600),
)
