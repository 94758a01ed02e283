"""The policy tree and its indicator catalogue, loaded from a data file.

The bundled file is the 2013-2018 plan; a next plan (another tree, more indicators) is another
file of the same form, named by `REPORTING_PLAN_FILE`.
"""

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

BUNDLED_PLAN = Path(__file__).with_name("plan_2013_2018.toml")

NodeLevel = Literal["goal", "action_plan", "action_point"]
Source = Literal["events", "manual", "reminders"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlanInfo(_Frozen):
    """The plan's id and title."""

    id: str
    nl: str
    en: str


class Node(_Frozen):
    """A goal, action plan or action point of the policy tree."""

    id: str
    level: NodeLevel
    parent: str | None = None
    nl: str
    en: str


class BreakdownKey(_Frozen):
    """A breakdown key (or a group of keys `prefix:*`) and whether its cells count persons."""

    key: str
    persons: bool = False
    # A share computed from this person-count key: withheld whenever that key is withheld.
    derived_from: str | None = None
    nl: str
    en: str

    @property
    def group(self) -> str | None:
        """The prefix of a key group (`tariff` for `tariff:*`), or None for a single key."""
        return self.key[:-2] if self.key.endswith(":*") else None

    def matches(self, key: str) -> bool:
        """Whether a concrete breakdown key belongs to this entry."""
        group = self.group
        return key.startswith(group + ":") if group is not None else key == self.key


class Indicator(_Frozen):
    """An indicator of the catalogue, attached to one node of the tree."""

    id: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    node: str
    unit: str
    source: Source = "events"
    persons: bool = False
    nl: str
    en: str
    definition_nl: str
    definition_en: str
    breakdown: tuple[BreakdownKey, ...] = ()

    def breakdown_entry(self, key: str) -> BreakdownKey | None:
        """The catalogue entry a concrete breakdown key belongs to."""
        return next((entry for entry in self.breakdown if entry.matches(key)), None)


class Plan(_Frozen):
    """A policy plan: its tree of nodes and the indicators attached to them."""

    plan: PlanInfo
    nodes: tuple[Node, ...]
    indicators: tuple[Indicator, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        node_ids = [node.id for node in self.nodes]
        if len(set(node_ids)) != len(node_ids):
            raise ValueError("node ids must be unique")
        for node in self.nodes:
            if node.parent is not None and node.parent not in node_ids:
                raise ValueError(f"node {node.id} names unknown parent {node.parent}")
        indicator_ids = [indicator.id for indicator in self.indicators]
        if len(set(indicator_ids)) != len(indicator_ids):
            raise ValueError("indicator ids must be unique")
        for indicator in self.indicators:
            if indicator.node not in node_ids:
                raise ValueError(f"indicator {indicator.id} names unknown node {indicator.node}")
        return self

    def indicator(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, if the plan has it."""
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def children(self, node_id: str | None) -> list[Node]:
        """The nodes directly under a node (the roots for None), in file order."""
        return [node for node in self.nodes if node.parent == node_id]

    def indicators_of(self, node_id: str) -> list[Indicator]:
        """The indicators attached to a node, in file order."""
        return [i for i in self.indicators if i.node == node_id]

    def node(self, node_id: str) -> Node:
        """The node with this id."""
        return next(node for node in self.nodes if node.id == node_id)


def load_plan(path: Path) -> Plan:
    """Read and check a plan file."""
    with path.open("rb") as f:
        return Plan.model_validate(tomllib.load(f))


@cache
def plan_from(path: Path = BUNDLED_PLAN) -> Plan:
    """A plan file, read once per process."""
    return load_plan(path)
