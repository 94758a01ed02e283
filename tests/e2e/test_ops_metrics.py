"""After some traffic, each service's `/metrics` shows the metrics operations watches."""

import re
from pathlib import Path

import aio_pika
import httpx
import yaml

from buurtwerk_shared.messaging.topology import ConsumerQueue
from reporting.service import definition as reporting_definition
from tests.e2e.conftest import Stack
from tests.support.broker import wait_for
from tests.support.events import meal_served, publish_raw
from tests.support.metrics import Scrape, scrape
from tests.support.tokens import bearer

CENTRE = "sint-maartensdal"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-metrics")
COOK = bearer("kitchen_staff", [CENTRE], sub="cook-metrics")
ANALYST = bearer("analyst", ["all"], sub="analyst-metrics")
SERVICE = {
    "centre_id": CENTRE,
    "kitchen_id": "sint-maartensdal-keuken",
    "date": "2026-05-05",
    "start_time": "12:00",
    "capacity": 30,
    "prices": {"standard": 650},
    "dishes": [{"name": "Stoofvlees", "allergens": []}],
}


ALERT_RULES = Path(__file__).parents[2] / "deploy" / "prometheus" / "alerts.yml"
# Prometheus makes `up` itself; every other series an alert reads must come from a service.
SCRAPER_SERIES = {"up"}
SAMPLE_SUFFIXES = re.compile(r"_(total|bucket|count|sum|created)$")


def metrics_alerts_read() -> set[str]:
    """The metric families the alert rules' expressions name."""
    rules = yaml.safe_load(ALERT_RULES.read_text())
    names: set[str] = set()
    for group in rules["groups"]:
        for rule in group["rules"]:
            for name in re.findall(r"\b([a-z_]+)(?=\{|\[|\)|\s|$)", rule["expr"]):
                if name.startswith("buurtwerk_") or name in SCRAPER_SERIES:
                    names.add(SAMPLE_SUFFIXES.sub("", name))
    return names - SCRAPER_SERIES


def projections_queue() -> ConsumerQueue:
    return reporting_definition().consumers[0].queue


async def test_metrics_name_http_events_outbox_lag_and_dead_letters(stack: Stack) -> None:
    meals = stack.service("meals", MEALS_QUEUE_SAMPLE_SECONDS="0.2")
    reporting = stack.service("reporting", REPORTING_QUEUE_SAMPLE_SECONDS="0.2")
    topology = stack.namespace.topology
    queue = topology.queue_name(projections_queue())
    dlq = topology.dead_letter_queue_name(projections_queue())

    async with httpx.AsyncClient(timeout=10) as client:
        planned = await client.post(f"{meals.url}/services", json=SERVICE, headers=COORDINATOR)
        assert planned.status_code == 201, planned.text
        service_id = planned.json()["service_id"]
        for count in (2, 3):
            registered = await client.post(
                f"{meals.url}/services/{service_id}/registrations",
                json={"tariff": "standard", "count": count},
                headers=COOK,
            )
            assert registered.status_code == 201, registered.text
        unauthorised = await client.post(f"{meals.url}/services", json=SERVICE)
        assert unauthorised.status_code == 401
        connection = await aio_pika.connect_robust(stack.servers.amqp_url)
        try:
            await publish_raw(connection, topology, meal_served(), body=b'{"count": "many"}')
        finally:
            await connection.close()

        async def reporting_caught_up() -> bool:
            seen = await scrape(client, reporting.url)
            consumed = seen.value(
                "buurtwerk_events_consumed_total",
                consumer=projections_queue().name,
                type="meals.meal_served.v1",
            )
            return (
                consumed == 2
                and seen.value("buurtwerk_dead_letter_queue_messages", queue=dlq) == 1
                and seen.value("buurtwerk_consumer_lag_messages", queue=queue) == 0
            )

        await wait_for(reporting_caught_up, within=30, interval=0.2)
        meals_metrics = await scrape(client, meals.url)
        reporting_metrics = await scrape(client, reporting.url)

    assert_meals_metrics(meals_metrics)
    assert_reporting_metrics(reporting_metrics, queue, dlq)
    exported = meals_metrics.families.keys() | reporting_metrics.families.keys()
    read = metrics_alerts_read()
    assert len(read) >= 7, read
    assert read <= exported, f"alert rules read metrics no service exports: {read - exported}"


def assert_meals_metrics(seen: Scrape) -> None:
    assert seen.value("buurtwerk_http_requests_total", route="/services", status="201") == 1
    assert seen.value("buurtwerk_http_requests_total", route="/services", status="401") == 1
    assert (
        seen.value(
            "buurtwerk_http_requests_total",
            route="/services/{service_id}/registrations",
            status="201",
        )
        == 2
    )
    assert seen.value("buurtwerk_http_request_seconds_count", route="/services") == 2
    assert seen.value("buurtwerk_events_published_total", type="meals.service_planned.v1") == 1
    assert seen.value("buurtwerk_events_published_total", type="meals.meal_served.v1") == 2
    assert seen.value("buurtwerk_outbox_backlog") == 0
    assert seen.value("buurtwerk_outbox_oldest_age_seconds") == 0
    assert "buurtwerk_outbox_publish_failures" in seen.families
    # FastStream's own middleware metrics are registered beside ours.
    assert "faststream_published_messages" in seen.families
    assert "faststream_received_messages" in seen.families


def assert_reporting_metrics(seen: Scrape, queue: str, dlq: str) -> None:
    consumer = projections_queue().name
    assert (
        seen.value(
            "buurtwerk_events_consumed_total", consumer=consumer, type="meals.meal_served.v1"
        )
        == 2
    )
    assert (
        seen.value(
            "buurtwerk_events_consumed_total", consumer=consumer, type="meals.service_planned.v1"
        )
        == 1
    )
    assert (
        seen.value("buurtwerk_events_dead_lettered_total", consumer=consumer, reason="invalid_data")
        == 1
    )
    assert seen.value("buurtwerk_consumer_batch_size_count", consumer=consumer) is not None
    assert seen.value("buurtwerk_consumer_lag_messages", queue=queue) == 0
    assert seen.value("buurtwerk_dead_letter_queue_messages", queue=dlq) == 1
    assert "buurtwerk_events_failed" in seen.families
    assert "buurtwerk_events_duplicate" in seen.families
