"""Prometheus metrics of the HACCP reminders."""

from prometheus_client import Gauge, Histogram

REMINDER_DELAY = Histogram(
    "buurtwerk_haccp_reminder_delay_seconds",
    "Seconds between a check's due time (event=due) or the end of its grace time "
    "(event=overdue) and the commit that put the event in the outbox",
    ["event"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600),
)

# Seconds since the oldest required check of a kitchen became overdue, while no record closes it
# (what the alert BuurtwerkHaccpOverdueNotHandled pages on). A kitchen appears once it has one.
OVERDUE_UNHANDLED = Gauge(
    "buurtwerk_haccp_overdue_unhandled_seconds",
    "Seconds since the oldest overdue, unrecorded required check of the kitchen became overdue",
    ["kitchen_id"],
)
