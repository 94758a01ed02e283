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

    def to_json(self) -> str:
        """The event's JSON data: an optional field without a value is left out, as the
        catalogue says ("only the changed fields", "absent for anonymous drop-ins"); a field
        that is required but may be null (a city-wide `centre_id`) is always written."""
        absent = {
            name
            for name, field in type(self).model_fields.items()
            if not field.is_required() and field.default is None and getattr(self, name) is None
        }
        return self.model_dump_json(by_alias=True, exclude=absent)

    def subject(self) -> str | None:
        """The CloudEvents subject: the id of the record this event is about."""
        if self.subject_field is None:
            return None
        return str(getattr(self, self.subject_field))
