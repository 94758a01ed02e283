"""Which broker account may publish which events: the table every consumer checks.

Every event type has one source (`EventData.source`), and every source one RabbitMQ account. A
publisher sets the AMQP `user_id` property to its account, and RabbitMQ refuses a `user_id` that
is not the connection's user; so a consumer that finds an event's `user_id` equal to the account
of its source knows which account published it, whatever its `ce-source` header claims.
"""

from collections.abc import Mapping

from buurtwerk_shared.contracts.events import courses, meals, operations, reporting, volunteers

# The account of each service's source, as deploy/rabbitmq/definitions.json and `make run` create
# it (each with the permissions of `messaging.accounts`).
SERVICE_ACCOUNTS: Mapping[str, str] = {
    meals.SOURCE: "buurtwerk-meals",
    volunteers.SOURCE: "buurtwerk-volunteers",
    courses.SOURCE: "buurtwerk-courses",
    reporting.SOURCE: "buurtwerk-reporting",
}
# Every source and its account: the services', and the operators' (voids, published by the
# dead-letter tool as the broker's administrator account).
PUBLISHER_ACCOUNTS: Mapping[str, str] = {**SERVICE_ACCOUNTS, operations.SOURCE: "buurtwerk-admin"}

# RabbitMQ's default account: development only, never allowed to publish an event.
GUEST = "guest"
