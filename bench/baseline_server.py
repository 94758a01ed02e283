"""The HTTP write baseline: a bare ASGI app on the same server (uvicorn, uvloop, httptools) that
registers a meal with the same database writes as meals does, and nothing around them.

`POST /services/{service_id}/registrations` inserts the registration, its outbox row and its
audit row in one transaction and answers 201 with the registration as JSON: no framework, no
token check, no validation model, no idempotency key, no capacity or reservation reads.

    BENCH_DATABASE_URL=postgresql://... BENCH_PORT=8099 python -m bench.baseline_server
"""

import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import asyncpg
import uvicorn

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_REGISTRATION = """
INSERT INTO meal_registrations
    (registration_id, service_id, tariff, unit_price, count, current_count, takeaway,
     diner_key, registered_by)
VALUES ($1, $2, $3, 650, $4, $4, $5, $6, 'till')
"""
_OUTBOX = """
INSERT INTO outbox (event_id, event_type, source, subject, occurred_at, traceparent, data)
VALUES ($1, 'meals.meal_served.v1', '/buurtwerk/meals', $2, $3, NULL, $4)
"""
_AUDIT = """
INSERT INTO audit_log (actor, role, action, record_type, record_id, details)
VALUES ('till', 'kitchen_staff', 'meal.register', 'meal_registration', $1, $2::jsonb)
"""
_pool: asyncpg.Pool | None = None


async def _register(service_id: str, body: dict[str, Any]) -> dict[str, Any]:
    assert _pool is not None
    registration_id = uuid.uuid4()
    now = dt.datetime.now(dt.UTC)
    count = int(body.get("count", 1))
    card = body.get("diner_card")
    diner_key = hashlib.sha256(card.encode()).hexdigest()[:32] if card else None
    registration = {
        "registration_id": str(registration_id),
        "service_id": service_id,
        "tariff": body["tariff"],
        "count": count,
        "takeaway": bool(body.get("takeaway", False)),
        "diner_key": diner_key,
        "registered_at": now.isoformat(),
    }
    async with _pool.acquire() as conn, conn.transaction():
        await conn.execute(
            _REGISTRATION,
            registration_id,
            uuid.UUID(service_id),
            body["tariff"],
            count,
            registration["takeaway"],
            diner_key,
        )
        await conn.execute(
            _OUTBOX, uuid.uuid4(), str(registration_id), now, json.dumps(registration)
        )
        await conn.execute(_AUDIT, str(registration_id), json.dumps({"service_id": service_id}))
    return registration


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """The ASGI application."""
    global _pool
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                _pool = await asyncpg.create_pool(os.environ["BENCH_DATABASE_URL"], max_size=10)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if _pool is not None:
                    await _pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    parts = scope["path"].strip("/").split("/")
    if scope["method"] == "GET":
        status, payload = 200, b'{"status": "ready"}'
    else:
        status = 201
        payload = json.dumps(await _register(parts[1], json.loads(body))).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["BENCH_PORT"]), log_level="warning")
