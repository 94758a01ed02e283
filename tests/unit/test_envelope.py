"""The CloudEvents envelope maps to the AMQP binding other city systems read."""

from datetime import UTC, datetime
from uuid import uuid4

from cloudevents.core.bindings import rabbitmq

from buurtwerk_shared.contracts.envelope import CONTENT_TYPE, Envelope
from tests.support.events import meal_served


def test_headers_are_read_back_by_the_cloudevents_sdk() -> None:
    event = meal_served()
    envelope = Envelope(
        id=uuid4(),
        source=event.source,
        type=event.event_type,
        time=datetime(2026, 3, 12, 11, 30, tzinfo=UTC),
        subject=event.subject(),
    )
    message = rabbitmq.RabbitMQMessage(
        headers=envelope.amqp_headers(),
        content_type=CONTENT_TYPE,
        body=event.to_json().encode(),
    )
    read = rabbitmq.from_rabbitmq_event(message)
    assert read.get_id() == str(envelope.id)
    assert read.get_type() == "meals.meal_served.v1"
    assert read.get_source() == "/buurtwerk/meals"
    assert read.get_subject() == str(event.registration_id)
    assert read.get_time() == envelope.time
    data = read.get_data()
    assert isinstance(data, dict)
    assert data["registration_id"] == str(event.registration_id)


def test_envelope_round_trips_through_amqp_headers() -> None:
    envelope = Envelope(
        id=uuid4(),
        source="/buurtwerk/meals",
        type="meals.meal_served.v1",
        time=datetime.now(UTC),
        traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    )
    raw = {k: v.encode() for k, v in envelope.amqp_headers().items()}
    assert Envelope.from_amqp_headers(raw) == envelope
