"""The WHERE clause of filtered listings and the callers' centre scope."""

import pytest

from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.problems import Problem
from courses.domain.listing import Filters


def test_only_given_filters_become_numbered_conditions() -> None:
    filters = Filters()
    filters.add("kind = {}", "teen")
    filters.add("partner_id = {}", None)
    filters.add("(a = {0} OR b = {0})", 7)
    assert filters.where() == "WHERE kind = $1 AND (a = $2 OR b = $2)"
    assert filters.args == ["teen", 7]
    assert Filters().where() == ""


def test_centre_scope_follows_the_token() -> None:
    local = Principal(sub="x", role="course_coordinator", centres=("mannenstraat", "koksijdewijk"))
    everywhere = Principal(sub="y", role="course_coordinator", centres=("all",))

    scoped = Filters()
    scoped.centre_scope(local, "centre_id", None)
    assert (scoped.where(), scoped.args) == (
        "WHERE centre_id = ANY($1)",
        [["mannenstraat", "koksijdewijk"]],
    )
    unscoped = Filters()
    unscoped.centre_scope(everywhere, "centre_id", None)
    assert unscoped.where() == ""
    with pytest.raises(Problem) as refused:
        Filters().centre_scope(local, "centre_id", "sint-maartensdal")
    assert refused.value.status == 403
