"""Small-count suppression: primary and secondary, within a cell and across the centres."""

from buurtwerk_shared.contracts.events.reporting import IndicatorValue
from reporting.catalogue.plan import BreakdownKey, Indicator
from reporting.indicators.suppression import suppress
from reporting.indicators.table import CITY, Cell

PERSONS = Indicator(
    id="offer.participants_by_target_group",
    node="AP1.2.b",
    unit="persons",
    persons=True,
    nl="x",
    en="x",
    definition_nl="x",
    definition_en="x",
    breakdown=(
        BreakdownKey(key="target_group:*", persons=True, nl="x", en="x"),
        BreakdownKey(key="drop_in_attendances", nl="x", en="x"),
        BreakdownKey(key="joined", persons=True, nl="x", en="x"),
        BreakdownKey(key="joined_share", derived_from="joined", nl="x", en="x"),
    ),
)
NOT_PERSONS = PERSONS.model_copy(update={"persons": False, "breakdown": ()})


def test_counts_below_the_threshold_are_withheld_and_zero_is_not() -> None:
    table = {CITY: Cell(12), "a": Cell(4), "b": Cell(0), "c": Cell(8)}
    out = suppress(PERSONS, table, 5)
    assert (out["a"].value, out["a"].suppressed) == (None, True)
    assert (out["b"].value, out["b"].suppressed) == (0, False)
    assert out[CITY].value == 12


def test_a_single_withheld_centre_takes_the_smallest_other_with_it() -> None:
    # city 12 = a 4 + c 8 (+ b 0): with only a withheld, 12 - 8 would give a away.
    table = {CITY: Cell(12), "a": Cell(4), "b": Cell(0), "c": Cell(8), "d": Cell(9)}
    out = suppress(PERSONS, table, 5)
    assert [k for k, v in out.items() if v.suppressed] == ["a", "c"]
    assert out["d"].value == 9 and out[CITY].value == 12


def test_without_another_centre_the_city_is_withheld() -> None:
    table = {CITY: Cell(4 + 0), "a": Cell(4), "b": Cell(0)}
    out = suppress(PERSONS, table, 3)
    assert not out["a"].suppressed
    table = {CITY: Cell(9), "a": Cell(2), "b": Cell(0)}
    out = suppress(PERSONS, table, 3)
    assert out["a"].suppressed and out[CITY].suppressed


def test_a_single_withheld_group_member_takes_the_smallest_other_with_it() -> None:
    breakdown: dict[str, IndicatorValue] = {
        "target_group:seniors": 2,
        "target_group:youth": 7,
        "target_group:families": 6,
        "drop_in_attendances": 3,
    }
    out = suppress(PERSONS, {CITY: Cell(15, breakdown)}, 5)
    assert out[CITY].breakdown == {
        "target_group:seniors": None,
        "target_group:youth": 7,
        "target_group:families": None,
        "drop_in_attendances": 3,
    }
    assert out[CITY].value == 15


def test_a_withheld_total_withholds_its_groups_and_derived_shares() -> None:
    breakdown = {"target_group:seniors": 6, "joined": 6, "joined_share": 0.5}
    table = {
        CITY: Cell(20, dict(breakdown)),
        "a": Cell(3, {"joined": 1, "joined_share": 1.0}),
        "b": Cell(17, dict(breakdown)),
    }
    out = suppress(PERSONS, table, 5)
    assert out["a"].breakdown == {"joined": None, "joined_share": None}
    # b is withheld with a (smallest other centre): its groups go too; "joined" alone does not
    # rebuild anything, but b's share follows b's total.
    assert out["b"].suppressed
    assert out["b"].breakdown["target_group:seniors"] is None
    assert out["b"].breakdown["joined_share"] is None


def test_indicators_that_do_not_count_persons_are_never_withheld() -> None:
    table = {CITY: Cell(3), "a": Cell(1), "b": Cell(2)}
    out = suppress(NOT_PERSONS, table, 5)
    assert [(v.value, v.suppressed) for v in out.values()] == [(3, False), (1, False), (2, False)]
