"""Prometheus metrics of the messaging plumbing and the HTTP layer (one process, one service)."""

from prometheus_client import Counter, Gauge, Histogram

EVENTS_PUBLISHED = Counter(
    "buurtwerk_events_published_total", "Events confirmed by the broker", ["type"]
)
OUTBOX_BACKLOG = Gauge("buurtwerk_outbox_backlog", "Outbox rows not yet published")
OUTBOX_OLDEST_AGE = Gauge(
    "buurtwerk_outbox_oldest_age_seconds", "Age of the oldest unpublished outbox row"
)
PUBLISH_FAILURES = Counter(
    "buurtwerk_outbox_publish_failures_total", "Outbox publish attempts that failed"
)
OUTBOX_REFUSED = Counter(
    "buurtwerk_outbox_refused_total",
    "Outbox rows set aside because the broker refuses them (too large, not permitted)",
    ["event_type"],
)
EVENTS_CONSUMED = Counter(
    "buurtwerk_events_consumed_total", "Events whose effect was committed", ["consumer", "type"]
)
EVENTS_DUPLICATE = Counter(
    "buurtwerk_events_duplicate_total", "Redelivered events skipped by the inbox", ["consumer"]
)
EVENTS_FAILED = Counter(
    "buurtwerk_events_failed_total", "Event deliveries that failed and were retried", ["consumer"]
)
EVENTS_DEAD_LETTERED = Counter(
    "buurtwerk_events_dead_lettered_total",
    "Messages sent to a dead-letter queue",
    ["consumer", "reason"],
)
CONSUMER_BATCH_SIZE = Histogram(
    "buurtwerk_consumer_batch_size",
    "Events committed per consumer transaction",
    ["consumer"],
    buckets=(1, 5, 20, 50, 100, 200, 500, 1000),
)
HTTP_REQUESTS = Counter(
    "buurtwerk_http_requests_total", "HTTP requests", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "buurtwerk_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
CONSUMER_LAG = Gauge(
    "buurtwerk_consumer_lag_messages",
    "Messages ready and not yet taken in a consumer queue (sampled)",
    ["queue"],
)
DEAD_LETTER_QUEUE_MESSAGES = Gauge(
    "buurtwerk_dead_letter_queue_messages",
    "Messages waiting in a dead-letter queue (sampled)",
    ["queue"],
)
QUEUE_SAMPLE_FAILURES = Counter(
    "buurtwerk_queue_sample_failures_total", "Queue depth samples that failed", ["queue"]
)
