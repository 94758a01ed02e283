"""The base class of every event's data model."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class EventData(BaseModel):
    """The JSON data of one event type and version.

    `event_type` is the CloudEvents `type` and the routing key; `source` is the only publisher
    allowed to send it. Unknown fields are ignored so that additive changes within a version do
    not break consumers.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    source: ClassVar[str]
    # The data field used as the CloudEvents `subject` (the record the event is about).
    subject_field: ClassVar[str | None] = None

    def subject(self) -> str | None:
        """The CloudEvents subject: the id of the record this event is about."""
        if self.subject_field is None:
            return None
        return str(getattr(self, self.subject_field))
