"""The CloudEvents 1.0 envelope and its AMQP 0-9-1 binary-mode mapping (`ce-` headers).

The body of the AMQP message is the event's JSON data; the CloudEvents attributes travel in the
headers `ce-id`, `ce-source`, `ce-type`, `ce-specversion`, `ce-time` and `ce-subject`, plus the
W3C `traceparent` that carries the correlation id across services.
"""

from collections.abc import Mapping
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict

CONTENT_TYPE = "application/json"
# The largest message (its body) the platform accepts: the broker refuses larger ones
# (`max_message_size` in deploy/rabbitmq/rabbitmq.conf) and so do consumers (`too_large`). The
# largest real event is a few kilobytes; the contracts' bounds keep every event far below it.
MAX_MESSAGE_BYTES = 262_144
SPECVERSION: Literal["1.0"] = "1.0"


class Envelope(BaseModel):
    """CloudEvents context attributes of one event (its data travels beside it)."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    source: str
    type: str
    specversion: Literal["1.0"] = SPECVERSION
    time: AwareDatetime
    subject: str | None = None
    traceparent: str | None = None

    def amqp_headers(self) -> dict[str, str]:
        """The `ce-*` headers (and `traceparent`) for binary content mode."""
        headers = {
            "ce-id": str(self.id),
            "ce-source": self.source,
            "ce-type": self.type,
            "ce-specversion": self.specversion,
            "ce-time": self.time.isoformat(),
        }
        if self.subject is not None:
            headers["ce-subject"] = self.subject
        if self.traceparent is not None:
            headers["traceparent"] = self.traceparent
        return headers

    @classmethod
    def from_amqp_headers(cls, headers: Mapping[str, Any]) -> "Envelope":
        """Read the envelope back from AMQP headers; raises `pydantic.ValidationError`."""

        def text(name: str) -> str | None:
            value = headers.get(name)
            if isinstance(value, bytes):
                return value.decode()
            return None if value is None else str(value)

        return cls.model_validate(
            {
                "id": text("ce-id"),
                "source": text("ce-source"),
                "type": text("ce-type"),
                "specversion": text("ce-specversion"),
                "time": text("ce-time"),
                "subject": text("ce-subject"),
                "traceparent": text("traceparent"),
            }
        )
