"""Audited, idempotent writes: one transaction for the state change, its events and its audit row.

A route hands its work to `Writes.run`. The work gets a `WriteContext` with the connection of an
open transaction; the events it emits go to the outbox and its audit rows to the audit log in
that same transaction. With an `Idempotency-Key` header, the key and the response are stored in
the transaction too: a retry with the same key gets the stored response and changes nothing, a
concurrent retry waits for the first to commit, and a key reused for another request is refused.
"""

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from uuid import UUID

import asyncpg
from fastapi import Depends, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.outbox import emit
from buurtwerk_shared.observability.tracing import current_trace_id
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.problems import Problem

IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,200}$"

_CLAIM_KEY = """
INSERT INTO idempotency_keys (actor, key, method, path, request_hash)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING
RETURNING true
"""
_STORED = """
SELECT method, path, request_hash, status_code, response
FROM idempotency_keys WHERE actor = $1 AND key = $2
"""
_STORE_RESPONSE = """
UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE actor = $1 AND key = $2
"""
_AUDIT = """
INSERT INTO audit_log (actor, role, action, record_type, record_id, details, trace_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)
"""


class WriteContext:
    """The open transaction of one write, with its caller."""

    def __init__(self, conn: Connection, principal: Principal) -> None:
        self.conn = conn
        self.principal = principal

    async def emit(self, event: EventData, event_id: UUID | None = None) -> UUID:
        """Add an event to the outbox, committed with the write."""
        return await emit(self.conn, event, event_id)

    async def audit(
        self,
        action: str,
        record_type: str,
        record_id: object,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Record who did what to which record, committed with the write."""
        await audit(self.conn, self.principal, action, record_type, record_id, details)


async def audit(
    conn: Connection,
    principal: Principal,
    action: str,
    record_type: str,
    record_id: object,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one audit row (also used for audited reads of personal data)."""
    await conn.execute(
        _AUDIT,
        principal.sub,
        principal.role,
        action,
        record_type,
        None if record_id is None else str(record_id),
        jsonable_encoder(details or {}),
        current_trace_id(),
    )


Work = Callable[[WriteContext], Awaitable[BaseModel]]


def _fingerprint(request: Request, body: bytes) -> str:
    # Keyed with the service's pseudonym secret: a plain hash of a body that carries an
    # identifier with few possible values (a diner card number) could be reversed by hashing
    # guesses, and the fingerprint is stored with the idempotency key.
    secret = request.app.state.settings.pseudonym_secrets[0].get_secret_value()
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Writes:
    """Runs the write of one request as described in this module."""

    def __init__(self, request: Request, idempotency_key: str | None) -> None:
        self._request = request
        self._key = idempotency_key

    async def run(self, principal: Principal, work: Work, status_code: int = 201) -> JSONResponse:
        """Run `work` in one transaction and answer with its result as JSON."""
        pool: asyncpg.Pool = self._request.app.state.pool
        request_hash = _fingerprint(self._request, await self._request.body())
        method, path = self._request.method, self._request.url.path
        async with pool.acquire() as conn, conn.transaction():
            if self._key is not None:
                claimed = await conn.fetchval(
                    _CLAIM_KEY, principal.sub, self._key, method, path, request_hash
                )
                if not claimed:
                    return await self._replay(conn, principal, method, path, request_hash)
            result = await work(WriteContext(conn, principal))
            body = jsonable_encoder(result)
            if self._key is not None:
                await conn.execute(_STORE_RESPONSE, principal.sub, self._key, status_code, body)
        return JSONResponse(body, status_code=status_code)

    async def _replay(
        self,
        conn: Connection,
        principal: Principal,
        method: str,
        path: str,
        request_hash: str,
    ) -> JSONResponse:
        stored = await conn.fetchrow(_STORED, principal.sub, self._key)
        assert stored is not None  # claimed by a committed request: we waited for its lock
        if (stored["method"], stored["path"], stored["request_hash"]) != (
            method,
            path,
            request_hash,
        ):
            raise Problem(
                422,
                "Idempotency key reused",
                "this Idempotency-Key was already used for a different request",
                field="header.Idempotency-Key",
                code="idempotency-key-reused",
            )
        return JSONResponse(
            stored["response"],
            status_code=stored["status_code"],
            headers={"Idempotent-Replayed": "true"},
        )


async def _writes(
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            pattern=IDEMPOTENCY_KEY_PATTERN,
            description="Repeat a request safely: the same key returns the first response.",
        ),
    ] = None,
) -> Writes:
    # async: FastAPI runs a plain function (or a class) dependency in its thread pool.
    return Writes(request, idempotency_key)


WritesDep = Annotated[Writes, Depends(_writes)]
