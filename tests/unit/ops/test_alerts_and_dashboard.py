"""Alert rules and the Grafana dashboard: valid PromQL over metrics the services really export."""

import json
from pathlib import Path
from typing import Any

import promql_parser
import pytest
import yaml
from prometheus_client import REGISTRY

import buurtwerk_shared.observability.queue_depths  # noqa: F401  (registers its gauges)
import reporting.reminders.metrics  # noqa: F401  (registers the HACCP reminders' metrics)
from buurtwerk_shared.service.app import create_broker
from meals.service import definition

ROOT = Path(__file__).parents[3]
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "buurtwerk.json"
REQUIRED_ALERTS = {
    "BuurtwerkServiceDown",
    "BuurtwerkDeadLetterQueueNotEmpty",
    "BuurtwerkOutboxBacklogGrowing",
    "BuurtwerkHaccpRemindersLate",
    "BuurtwerkHaccpOverdueNotHandled",
}


def exported_metric_names() -> set[str]:
    create_broker(definition())  # FastStream's middleware registers its metrics
    names = set(REGISTRY._names_to_collectors)
    return names | {"up"}


def metric_names(expr: str) -> set[str]:
    names: set[str] = set()

    def visit(node: Any) -> bool:
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            names.add(node.name)
        return True

    promql_parser.walk(promql_parser.parse(expr), visit)
    return names


def alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_every_alert_the_issue_names_is_there() -> None:
    assert {rule["alert"] for rule in alert_rules()} >= REQUIRED_ALERTS


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda rule: rule["alert"])
def test_each_alert_is_valid_promql_on_exported_metrics_with_a_runbook(
    rule: dict[str, Any],
) -> None:
    unknown = metric_names(rule["expr"]) - exported_metric_names()
    assert not unknown, f"{rule['alert']} uses metrics nobody exports: {unknown}"
    assert rule["labels"]["severity"] in {"page", "ticket"}
    assert rule["annotations"]["summary"]
    runbook = ROOT / rule["annotations"]["runbook"]
    assert runbook.is_file(), f"missing runbook {runbook}"
    assert rule["alert"] in runbook.read_text(), "the runbook names the alert it answers"


def test_every_dashboard_query_is_valid_promql_on_exported_metrics() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["timezone"] == "Europe/Brussels"
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    assert len(exprs) >= 10
    known = exported_metric_names()
    for expr in exprs:
        used = metric_names(expr.replace("$__rate_interval", "5m"))
        assert used, expr
        assert used <= known, f"unknown metrics in {expr}: {used - known}"
