"""The pure rules of the self-service: the mail back-off, the per-client request limit, link
tokens and the words of the mails."""

import datetime as dt

from buurtwerk_shared.mail.sender import RetryPolicy
from volunteers.domain.clock import BRUSSELS
from volunteers.selfservice.limits import RequestLimit
from volunteers.selfservice.links import TOKEN_PATTERN, token_hash
from volunteers.selfservice.texts import when


def test_the_back_off_doubles_per_attempt_up_to_the_most() -> None:
    policy = RetryPolicy(dt.timedelta(seconds=30), dt.timedelta(minutes=5))
    delays = [policy.delay(n).total_seconds() for n in range(1, 7)]
    assert delays == [30, 60, 120, 240, 300, 300]


def test_a_client_over_the_limit_waits_until_its_oldest_request_leaves_the_window() -> None:
    limit = RequestLimit(per_minute=3)
    assert [limit.allow("a", at=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limit.allow("b", at=3)  # another client counts apart
    assert not limit.allow("a", at=59.9)
    assert limit.allow("a", at=60.5)


def test_idle_clients_are_forgotten_when_the_table_is_full() -> None:
    limit = RequestLimit(per_minute=1, max_clients=2)
    assert limit.allow("a", at=0) and limit.allow("b", at=0)
    assert limit.allow("c", at=120)  # a and b idle for two minutes: dropped
    assert not limit.allow("c", at=121)


def test_a_token_is_checked_by_form_and_stored_only_as_its_hash() -> None:
    token = "A" * 43
    assert TOKEN_PATTERN.match(token)
    assert not TOKEN_PATTERN.match(token + "A") and not TOKEN_PATTERN.match("A" * 42 + "/")
    assert len(token_hash(token)) == 32 and token.encode() not in token_hash(token)


def test_the_shift_is_named_in_local_time_in_either_language() -> None:
    start = dt.datetime(2026, 3, 28, 10, 0, tzinfo=BRUSSELS)
    end = start + dt.timedelta(hours=3)
    assert when("nl", start, end) == "zaterdag 28 maart, 10:00–13:00"
    assert when("en", start.astimezone(dt.UTC), end) == "Saturday 28 March, 10:00–13:00"
