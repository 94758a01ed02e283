"""What the coordinator's routes of the self-service take and answer."""

import datetime as dt
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class ReminderReply(BaseModel):
    """A reminder sent to a volunteer on the shift, and their answer."""

    volunteer_id: UUID
    given_name: str | None
    family_name: str | None
    reminded_at: dt.datetime
    mailed: bool
    answer: Literal["confirmed", "declined"] | None
    answered_at: dt.datetime | None


class InvitationReply(BaseModel):
    """An invitation to fill a gap on the shift, and its answer."""

    volunteer_id: UUID
    given_name: str | None
    family_name: str | None
    invited_at: dt.datetime
    answer: Literal["taken", "already_filled", "not_possible"] | None
    answered_at: dt.datetime | None


class ShiftReplies(BaseModel):
    """Who was reminded of a shift and who was invited to fill it, with every answer: who
    declined and when, who took a freed place."""

    shift_id: UUID
    reminders: list[ReminderReply]
    invitations: list[InvitationReply]


class LinkRevocation(BaseModel):
    """Revoke the open links of a shift: all of them, or one volunteer's."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"volunteer_id": "0b7e6c9a-4a52-4a4e-9b7e-2f1d3c4b5a69"}]},
    )

    volunteer_id: UUID | None = None


class RevokedLinks(BaseModel):
    """How many open links were revoked."""

    shift_id: UUID
    volunteer_id: UUID | None
    revoked: int


class MailLanguage(BaseModel):
    """The language a volunteer's mail and link pages are in."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"language": "en"}]})

    language: Literal["nl", "en"]


class MailLanguageView(MailLanguage):
    """A volunteer's mail language."""

    volunteer_id: UUID
