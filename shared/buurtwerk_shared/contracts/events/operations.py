"""Events published by the operators' tools (`/buurtwerk/operations`)."""

from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from buurtwerk_shared.contracts.events.base import EventData
from buurtwerk_shared.contracts.types import LongText, ShortText, StaffId

SOURCE = "/buurtwerk/operations"

# At most this many event ids per void event: 40 bytes of JSON each keeps a void event far under
# the broker's message size limit; the tool splits a larger void into several events.
MAX_VOIDED_PER_EVENT = 2000

EventType = Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z_]+\.v[0-9]+$", max_length=120)]


class VoidSelection(BaseModel):
    """How the operator chose the events: by source, type and publication time (`ce-time`)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    source: ShortText
    event_type: EventType
    time_from: AwareDatetime = Field(description="inclusive")
    time_until: AwareDatetime = Field(description="exclusive")


class EventsVoidedV1(EventData):
    """An operator voided events that reached the archive (forged, or published by mistake):
    every consumer takes what they contributed out of its projections, and every rebuild from
    the archive skips them. The ids are final: events published later are never voided by it."""

    source: ClassVar[str] = SOURCE
    event_type: ClassVar[str] = "operations.events_voided.v1"
    subject_field: ClassVar[str | None] = "void_id"

    void_id: UUID = Field(description="one operator command; several events when it is large")
    event_ids: list[UUID] = Field(min_length=1, max_length=MAX_VOIDED_PER_EVENT)
    selection: VoidSelection | None = Field(
        default=None, description="absent when the operator named the ids"
    )
    reason: LongText
    operator: StaffId
    voided_at: AwareDatetime
