"""The deployment files: valid offline, wired as operations needs, refusing example secrets."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from buurtwerk_shared.contracts.envelope import MAX_MESSAGE_BYTES
from buurtwerk_shared.messaging.accounts import service_definitions

ROOT = Path(__file__).parents[3]
DEPLOY = ROOT / "deploy"
SERVICES = ("meals", "volunteers", "courses", "reporting")
GOOD_SECRETS = {
    "POSTGRES_PASSWORD": "pg-0123456789abcdef",
    "RABBITMQ_ADMIN_PASSWORD": "admin-0123456789abcdef",
    "RABBITMQ_MEALS_PASSWORD": "meals.0123456789~x",
    "RABBITMQ_VOLUNTEERS_PASSWORD": "volunteers.0123456789",
    "RABBITMQ_COURSES_PASSWORD": "courses.0123456789~x",
    "RABBITMQ_REPORTING_PASSWORD": "reporting.0123456789",
    "RABBITMQ_SUBSCRIBER_PASSWORD": "subscriber_0123456789",
    "MEALS_PSEUDONYM_SECRETS": '["m-secret"]',
    "VOLUNTEERS_PSEUDONYM_SECRETS": '["v-secret"]',
    "COURSES_PSEUDONYM_SECRETS": '["c-secret"]',
    "REPORTING_PSEUDONYM_SECRETS": '["r-secret"]',
    "BUURTWERK_AUTH__JWKS_URL": "https://login.leuven.be/certs",
}


def load_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("deploy_check", DEPLOY / "check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = load_check()


def env_example() -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in (DEPLOY / "env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    return dict(pairs)


def compose_model(env_file: Path) -> dict[str, Any]:
    result = subprocess.run(
        [
            str(check.compose_binary()),
            "--file",
            str(check.COMPOSE_FILE),
            "--env-file",
            str(env_file),
            "--profile",
            "tools",
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    model: dict[str, Any] = json.loads(result.stdout)
    return model


def test_the_compose_file_and_both_kustomizations_validate_offline() -> None:
    check.check_compose()
    for directory in check.KUSTOMIZATIONS:
        assert check.check_kustomization(directory) >= 17


def test_an_invalid_compose_file_fails_the_check(tmp_path: Path) -> None:
    broken = tmp_path / "compose.yaml"
    broken.write_text(
        check.COMPOSE_FILE.read_text().replace(
            "migrate-meals: {condition: service_completed_successfully}",
            "migrate-meals: {condition: service_finished}",
        )
    )
    with pytest.raises(check.InvalidDeployment, match="condition"):
        check.check_compose(broken)


def test_the_compose_file_needs_the_secrets_set(tmp_path: Path) -> None:
    empty = tmp_path / "empty.env"
    empty.write_text("")
    with pytest.raises(check.InvalidDeployment, match=r"set it in deploy/\.env"):
        check.check_compose(env_file=empty)


def test_an_unknown_kubernetes_field_fails_the_strict_check(tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(DEPLOY / "kubernetes" / "base", base)
    meals = base / "meals.yaml"
    meals.write_text(meals.read_text().replace("readinessProbe:", "readynessProbe:"))
    with pytest.raises(check.InvalidDeployment, match="readynessProbe"):
        check.check_kustomization(base)


def test_compose_starts_each_service_after_its_migration_on_healthy_servers(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    settings = {**GOOD_SECRETS, "BUURTWERK_AUTH__ISSUER": "https://login.leuven.be"}
    env_file.write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    services = compose_model(env_file)["services"]
    assert services["rabbitmq"]["image"].startswith("rabbitmq:4.")
    assert services["rabbitmq"]["image"].endswith("-management")
    for name in ("rabbitmq", "postgres"):
        assert services[name]["depends_on"]["preflight"]["condition"] == (
            "service_completed_successfully"
        )
        assert "healthcheck" in services[name]
    for name in SERVICES:
        migration = services[f"migrate-{name}"]
        assert migration["command"] == ["python", "-m", name, "migrate"]
        assert migration["build"]["args"] == {"PACKAGE": f"buurtwerk-{name}"}
        assert migration["depends_on"]["postgres"]["condition"] == "service_healthy"
        server = services[name]
        assert server["command"] == ["python", "-m", name, "serve"]
        assert server["image"] == migration["image"]
        assert server["environment"][f"{name.upper()}_HTTP_HOST"] == "0.0.0.0"
        assert server["environment"]["BUURTWERK_ENVIRONMENT"] == "production"
        assert server["depends_on"] == {
            "rabbitmq": {"condition": "service_healthy", "required": True},
            "postgres": {"condition": "service_healthy", "required": True},
            f"migrate-{name}": {"condition": "service_completed_successfully", "required": True},
        }
        assert "/health/ready" in " ".join(server["healthcheck"]["test"])
        database = server["environment"][f"{name.upper()}_DATABASE_URL"]
        assert database.endswith(f"@postgres:5432/buurtwerk_{name}")
    assert services["ops"]["build"]["args"] == {"PACKAGE": "buurtwerk"}


def run_preflight(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(DEPLOY / "preflight.sh")],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_stack_refuses_to_start_with_the_example_secrets() -> None:
    refused = run_preflight(env_example())
    assert refused.returncode == 1
    assert "POSTGRES_PASSWORD still holds the example value" in refused.stderr
    assert "BUURTWERK_AUTH__JWKS_URL still holds the example value" in refused.stderr
    missing = run_preflight({})
    assert missing.returncode == 1
    assert "RABBITMQ_MEALS_PASSWORD is not set" in missing.stderr
    unsafe = run_preflight({**GOOD_SECRETS, "POSTGRES_PASSWORD": "p@ss/word:0123456789"})
    assert unsafe.returncode == 1
    assert "POSTGRES_PASSWORD may hold only" in unsafe.stderr
    accepted = run_preflight(GOOD_SECRETS)
    assert accepted.returncode == 0, accepted.stderr


def test_the_broker_definitions_hold_accounts_only_and_a_read_only_subscriber(
    tmp_path: Path,
) -> None:
    rendered = tmp_path / "definitions.json"
    subprocess.run(
        [
            "sh",
            str(DEPLOY / "rabbitmq" / "render-definitions.sh"),
            str(DEPLOY / "rabbitmq" / "definitions.json"),
            str(rendered),
        ],
        env={"PATH": os.environ["PATH"], **GOOD_SECRETS},
        check=True,
    )
    definitions = json.loads(rendered.read_text())
    passwords = {user["name"]: user["password"] for user in definitions["users"]}
    assert passwords == {
        "buurtwerk-admin": GOOD_SECRETS["RABBITMQ_ADMIN_PASSWORD"],
        "buurtwerk-meals": GOOD_SECRETS["RABBITMQ_MEALS_PASSWORD"],
        "buurtwerk-volunteers": GOOD_SECRETS["RABBITMQ_VOLUNTEERS_PASSWORD"],
        "buurtwerk-courses": GOOD_SECRETS["RABBITMQ_COURSES_PASSWORD"],
        "buurtwerk-reporting": GOOD_SECRETS["RABBITMQ_REPORTING_PASSWORD"],
        "city-datawarehouse": GOOD_SECRETS["RABBITMQ_SUBSCRIBER_PASSWORD"],
    }
    assert oct(rendered.stat().st_mode & 0o777) == "0o600"
    # The services declare the topology; the definitions never do.
    assert not {"queues", "exchanges", "bindings"} & definitions.keys()
    [subscriber] = [p for p in definitions["permissions"] if p["user"] == "city-datawarehouse"]
    assert subscriber["vhost"] == "buurtwerk"
    for queue in ("buurtwerk.events", "buurtwerk.archive", "city-datawarehouse.indicators"):
        assert re.fullmatch(subscriber["read"], queue)
    assert re.fullmatch(subscriber["configure"], "city-datawarehouse.indicators")
    for forbidden in ("buurtwerk.events", "reporting.projections", "buurtwerk.archive"):
        assert not re.fullmatch(subscriber["write"], forbidden)
        assert not re.fullmatch(subscriber["configure"], forbidden)
    assert not re.fullmatch(subscriber["read"], "reporting.projections")
    # Each service's account as `messaging.accounts` renders it, under the real passwords.
    accounts = service_definitions("buurtwerk", passwords)
    for kind in ("permissions", "topic_permissions"):
        services = [p for p in definitions[kind] if p["user"].startswith("buurtwerk-")]
        assert [p for p in services if p["user"] != "buurtwerk-admin"] == accounts[kind]
    for user in accounts["users"]:
        assert user in definitions["users"]
    [admin] = [u for u in definitions["users"] if u["name"] == "buurtwerk-admin"]
    assert "impersonator" in admin["tags"], "the dead-letter tool replays as the publisher"
    [meals] = [p for p in definitions["topic_permissions"] if p["user"] == "buurtwerk-meals"]
    assert re.fullmatch(meals["write"], "meals.meal_served.v1")
    assert not re.fullmatch(meals["write"], "volunteers.shift_completed.v1")
    [reporting] = [p for p in definitions["permissions"] if p["user"] == "buurtwerk-reporting"]
    assert re.fullmatch(reporting["read"], "reporting.projections")
    assert not re.fullmatch(reporting["read"], "city-datawarehouse.indicators")
    rabbitmq_conf = (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text()
    assert f"max_message_size = {MAX_MESSAGE_BYTES}" in rabbitmq_conf


def kubernetes_resources() -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = check.build_kustomization(check.KUSTOMIZATIONS[1])
    return resources


def test_kubernetes_runs_three_probed_replicas_and_a_migrations_job_per_service() -> None:
    resources = kubernetes_resources()
    by_kind: dict[tuple[str, str], dict[str, Any]] = {
        (r["kind"], r["metadata"]["name"]): r for r in resources
    }
    for name in SERVICES:
        deployment = by_kind[("Deployment", name)]
        assert deployment["metadata"]["namespace"] == "buurtwerk"
        assert deployment["spec"]["replicas"] == 3
        pod = deployment["spec"]["template"]["spec"]
        [server] = pod["containers"]
        assert server["command"] == ["python", "-m", name, "serve"]
        assert server["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http"}
        assert server["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
        [init] = pod["initContainers"]
        assert init["command"] == ["python", "-m", name, "migrate"]
        job = by_kind[("Job", f"{name}-migrations")]
        [migrate] = job["spec"]["template"]["spec"]["containers"]
        assert migrate["command"] == ["python", "-m", name, "migrate"]
        assert migrate["image"] == server["image"] == f"registry.leuven.be/buurtwerk/{name}:1.0.0"
        assert by_kind[("PodDisruptionBudget", name)]["spec"]["minAvailable"] == 1
        assert (
            by_kind[("Service", name)]["spec"]["selector"]
            == (deployment["spec"]["selector"]["matchLabels"])
        )


def test_the_dockerfile_installs_only_the_locked_runtime_dependencies_of_one_package() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert 'uv sync --frozen --no-dev --no-editable --package "${PACKAGE}"' in dockerfile
    assert "USER 10001" in dockerfile
    members = {"buurtwerk-" + p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml")}
    assert members == {f"buurtwerk-{name}" for name in SERVICES}
    # The packages allow 3.11 to 3.13; the image runs 3.11, the Python CI tests on.
    assert "python:3.11" in dockerfile
