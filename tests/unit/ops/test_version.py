"""One version for the packages, the APIs and the images, and a changelog entry for it."""

import re
import tomllib
from pathlib import Path

import yaml

from buurtwerk_shared import VERSION

ROOT = Path(__file__).parents[3]
SERVICES = sorted((ROOT / "services").glob("*/pyproject.toml"))
PROJECTS = [ROOT / "pyproject.toml", ROOT / "shared" / "pyproject.toml", *SERVICES]


def test_every_package_has_the_platform_version_and_licence() -> None:
    assert len(PROJECTS) == 6
    for path in PROJECTS:
        project = tomllib.loads(path.read_text())["project"]
        assert (project["version"], project["license"]) == (VERSION, "EUPL-1.2"), path
        assert project["requires-python"] == ">=3.11,<3.14", path
    assert (ROOT / "LICENSE").read_text().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")


def test_images_default_to_the_platform_version() -> None:
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    tags = set(re.findall(r"image: buurtwerk/[a-z]+:\$\{BUURTWERK_VERSION:-([^}]+)\}", compose))
    assert tags == {VERSION}
    assert f"BUURTWERK_VERSION={VERSION}\n" in (ROOT / "deploy" / "env.example").read_text()
    production = ROOT / "deploy" / "kubernetes" / "overlays" / "production" / "kustomization.yaml"
    images = yaml.safe_load(production.read_text())["images"]
    assert {image["newTag"] for image in images} == {VERSION}


def test_the_changelog_starts_with_the_platform_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.findall(r"^## \[([^\]]+)\]", changelog, flags=re.MULTILINE)[0] == VERSION
