"""The pseudonym secret comes from settings and has no default in production."""

import json

import pytest
from pydantic import ValidationError

from buurtwerk_shared.config import DEV_PSEUDONYM_SECRET, AuthSettings, PlatformSettings
from courses.settings import CoursesSettings
from meals.settings import MealsSettings

PRODUCTION = PlatformSettings(
    environment="production", auth=AuthSettings(jwks_url="https://login.leuven.be/jwks")
)
STRONG = "9f3c1d7e5b2a48f6a0c4e8d2b6f1a3c5e7d9b0a2"
OLDER = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d"


def test_development_runs_on_the_development_secret() -> None:
    settings = MealsSettings()
    assert [s.get_secret_value() for s in settings.pseudonym_secrets] == [DEV_PSEUDONYM_SECRET]


def test_production_refuses_to_start_without_its_own_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MEALS_PSEUDONYM_SECRETS", raising=False)
    with pytest.raises(ValidationError, match="the development secret is refused"):
        MealsSettings(platform=PRODUCTION)


@pytest.mark.parametrize(
    ("secrets", "reason"),
    [
        ([DEV_PSEUDONYM_SECRET], "the development secret is refused"),
        ([STRONG, DEV_PSEUDONYM_SECRET], "the development secret is refused"),
        (["CHANGE-ME-courses-pseudonym-secret-0123456789"], "example from deploy/env.example"),
        (["c-secret"], "at least 32 characters"),
        ([STRONG, "short-old-secret"], "at least 32 characters"),
    ],
)
def test_production_refuses_a_default_example_or_guessable_secret(
    monkeypatch: pytest.MonkeyPatch, secrets: list[str], reason: str
) -> None:
    monkeypatch.setenv("COURSES_PSEUDONYM_SECRETS", json.dumps(secrets))
    with pytest.raises(ValidationError, match=reason):
        CoursesSettings(platform=PRODUCTION)


def test_production_reads_the_secrets_current_first_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COURSES_PSEUDONYM_SECRETS", json.dumps([STRONG, OLDER]))
    settings = CoursesSettings(platform=PRODUCTION)
    assert [s.get_secret_value() for s in settings.pseudonym_secrets] == [STRONG, OLDER]
    assert STRONG not in repr(settings), "a secret is never printed"


def test_an_empty_list_of_secrets_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSES_PSEUDONYM_SECRETS", "[]")
    with pytest.raises(ValidationError, match="at least 1 item"):
        CoursesSettings()
