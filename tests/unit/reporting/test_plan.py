"""The policy tree and the indicator catalogue as data."""

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from reporting.catalogue.plan import BUNDLED_PLAN, load_plan
from reporting.indicators.registry import COMPUTATIONS

# The shared folder lies beside the repository (the catalogue is its contract).
CATALOGUE = Path(__file__).parents[3].parent / "shared" / "CATALOGUE.md"


def test_the_tree_is_the_plan_of_the_seed() -> None:
    plan = load_plan(BUNDLED_PLAN)
    assert [n.id for n in plan.children(None)] == ["BD1"]
    assert [n.id for n in plan.children("BD1")] == ["AP1.1", "AP1.2"]
    assert [n.id for n in plan.children("AP1.1")] == ["AP1.1.a", "AP1.1.b", "AP1.1.c"]
    assert [n.id for n in plan.children("AP1.2")] == [f"AP1.2.{c}" for c in "abcdefgh"]
    assert all(n.nl and n.en for n in plan.nodes)


def test_every_catalogue_indicator_is_attached_and_computed() -> None:
    plan = load_plan(BUNDLED_PLAN)
    ids = {i.id for i in plan.indicators}
    assert len(ids) == 24
    assert ids == set(COMPUTATIONS)
    if CATALOGUE.exists():  # the shared catalogue beside the repository, where it is checked out
        rows = re.findall(
            r"^\| `([a-z_]+\.[a-z_]+)` \| (AP[0-9.a-h]+) \|", CATALOGUE.read_text(), re.M
        )
        assert {(i.id, i.node) for i in plan.indicators} == set(rows)


def test_person_counts_are_marked() -> None:
    plan = load_plan(BUNDLED_PLAN)
    persons = {i.id for i in plan.indicators if i.persons}
    assert persons == {
        "offer.participants_by_target_group",
        "offer.conversation_group_participants",
        "meals.unique_diners",
        "meals.new_diners",
        "volunteers.active",
        "volunteers.new",
        "digital.computer_course_participants",
        "youth.referrals",
        "children.wilsele_participants",
    }


def test_a_plan_naming_an_unknown_node_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "plan.toml"
    bad.write_text(
        '[plan]\nid = "p"\nnl = "p"\nen = "p"\n'
        '[[nodes]]\nid = "G"\nlevel = "goal"\nnl = "g"\nen = "g"\n'
        '[[indicators]]\nid = "a.b"\nnode = "X"\nunit = "u"\nnl = "a"\nen = "a"\n'
        'definition_nl = "a"\ndefinition_en = "a"\n'
    )
    with pytest.raises(ValidationError, match="unknown node X"):
        load_plan(bad)
