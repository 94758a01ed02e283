"""Errors as RFC 9457 problem details (`application/problem+json`), naming the field at fault."""

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from buurtwerk_shared.messaging.consumer import TRANSIENT_ERRORS

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 1


class Problem(Exception):
    """A refusal the caller can act on: raised by domain code and turned into a 4xx."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.field = field
        self.code = code

    def body(self, instance: str) -> dict[str, Any]:
        """The problem document."""
        body: dict[str, Any] = {
            "type": f"https://buurtwerk.leuven.be/problems/{self.code or self.status}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        if self.field is not None:
            body["errors"] = [{"field": self.field, "reason": self.detail}]
        return body


def not_found(what: str, field: str | None = None) -> Problem:
    """404 for a record that does not exist (or that the caller may not see)."""
    return Problem(404, "Not found", f"{what} does not exist", field=field, code="not-found")


def conflict(detail: str, field: str | None = None, code: str = "conflict") -> Problem:
    """409 for a request that contradicts the record's current state."""
    return Problem(409, "Conflict", detail, field=field, code=code)


def unprocessable(detail: str, field: str) -> Problem:
    """422 for a value that is well-formed but not acceptable."""
    return Problem(422, "Invalid request", detail, field=field, code="validation")


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def http_problem(
    instance: str, status: int, detail: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The problem document of a plain HTTP error (unknown route, wrong method, body too large)."""
    body = {
        "type": f"https://buurtwerk.leuven.be/problems/{status}",
        "title": HTTPStatus(status).phrase if status < 500 else "Server error",
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    """Register handlers so every error leaves as a problem document, never a bare 500."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return JSONResponse(
            exc.body(request.url.path), status_code=exc.status, media_type=PROBLEM_JSON
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field(error.get("loc", ())), "reason": error.get("msg", "invalid")}
            for error in exc.errors()
        ]
        summary = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
        body = {
            "type": "https://buurtwerk.leuven.be/problems/validation",
            "title": "Invalid request",
            "status": 422,
            "detail": summary,
            "instance": request.url.path,
            "errors": errors,
        }
        return JSONResponse(body, status_code=422, media_type=PROBLEM_JSON)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return http_problem(request.url.path, exc.status_code, str(exc.detail), exc.headers)

    async def _nul(request: Request, _exc: Exception) -> JSONResponse:
        problem = Problem(
            422,
            "Invalid request",
            "text may not contain the NUL character (U+0000)",
            code="validation",
        )
        return JSONResponse(
            problem.body(request.url.path), status_code=422, media_type=PROBLEM_JSON
        )

    # PostgreSQL text and jsonb cannot hold U+0000. Any text field or query string may carry it,
    # so it is refused where the database refuses it, for every route at once.
    for refused_by_postgres in (
        asyncpg.CharacterNotInRepertoireError,
        asyncpg.UntranslatableCharacterError,
    ):
        app.add_exception_handler(refused_by_postgres, _nul)

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        # The connection may have dropped after the commit reached the server, so whether the
        # write was saved is unknown: the same Idempotency-Key makes the retry safe either way.
        log.warning("database unavailable on %s %s: %r", request.method, request.url.path, exc)
        body = {
            "type": "https://buurtwerk.leuven.be/problems/unavailable",
            "title": "Service unavailable",
            "status": 503,
            "detail": "The database was unavailable or could not complete the request; it may "
            "or may not have been saved. Send it again with the same Idempotency-Key.",
            "instance": request.url.path,
        }
        return JSONResponse(
            body,
            status_code=503,
            media_type=PROBLEM_JSON,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    for error in TRANSIENT_ERRORS:
        app.add_exception_handler(error, _unavailable)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        body = {
            "type": "https://buurtwerk.leuven.be/problems/500",
            "title": "Server error",
            "status": 500,
            "detail": "The request could not be completed; nothing was saved.",
            "instance": request.url.path,
        }
        return JSONResponse(body, status_code=500, media_type=PROBLEM_JSON)
