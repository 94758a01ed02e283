"""The services' HTTP APIs as the demo loader calls them.

Every call carries a development token (as `make token` mints them) for a fixed demo staff id per
role, so that the services keep each write's `Idempotency-Key` under the same caller from one run
to the next. Every write sends a key derived from the demo item it loads: a second run gets the
first run's responses back (`Idempotent-Replayed`) and changes nothing. The tally counts what was
new, what the service already had, and what a read found already there.
"""

import asyncio
from collections.abc import Coroutine, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from buurtwerk_shared.web.auth import ALL_CENTRES, Role, mint_dev_token
from buurtwerk_shared.web.pagination import MAX_PAGE_SIZE, Page

Model = TypeVar("Model", bound=BaseModel)
Result = TypeVar("Result")
Body = BaseModel | Mapping[str, Any] | None


@dataclass
class Tally:
    """What one run's calls to a service did."""

    created: int = 0
    replayed: int = 0
    found: int = 0

    def add(self, other: "Tally") -> None:
        """Add another tally's counts to this one."""
        self.created += other.created
        self.replayed += other.replayed
        self.found += other.found


class Refused(Exception):
    """A service answered a demo request with an error."""

    def __init__(self, service: str, method: str, path: str, status: int, detail: str) -> None:
        super().__init__(f"{service}: {method} {path} answered {status}: {detail}")
        self.status = status


def _detail(response: httpx.Response) -> str:
    """What a refusal says: the fields at fault and why, or the problem's detail."""
    try:
        problem = response.json()
    except ValueError:
        return response.text[:300]
    if not isinstance(problem, dict):
        return str(problem)[:300]
    errors = problem.get("errors") or []
    if errors:
        detail = "; ".join(f"{error.get('field')}: {error.get('reason')}" for error in errors)
    else:
        detail = str(problem.get("detail", ""))
    if str(problem.get("type", "")).endswith("/idempotency-key-reused"):
        detail += (
            " (the services hold demo data that another version of the demo loaded "
            "differently: load the demo into fresh databases)"
        )
    elif response.status_code == 401:
        detail += (
            " (the demo signs its tokens with the development key, which a service "
            "accepts only with BUURTWERK_ENVIRONMENT=development)"
        )
    return detail


def _json(body: Body) -> Any:
    if isinstance(body, BaseModel):
        # In the demo's bodies None always means "left out" (a null would mean "none" to some
        # routes, e.g. a check's limits), so it is not sent.
        return body.model_dump(mode="json", by_alias=True, exclude_none=True)
    return body


class ServiceApi:
    """One service's API: reads, and writes with an idempotency key."""

    def __init__(
        self, name: str, base_url: str, http: httpx.AsyncClient, gate: asyncio.Semaphore
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.tally = Tally()
        self._http = http
        self._gate = gate
        self._tokens: dict[Role, str] = {}

    def _headers(self, role: Role, key: str | None = None) -> dict[str, str]:
        if role not in self._tokens:
            self._tokens[role] = mint_dev_token(
                role, [ALL_CENTRES], sub=f"demo-{role.replace('_', '-')}"
            )
        headers = {"Authorization": f"Bearer {self._tokens[role]}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    async def _call(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: Body = None,
        params: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        async with self._gate:
            response = await self._http.request(
                method, self.base_url + path, headers=headers, json=_json(body), params=params
            )
        if response.status_code >= 400:
            raise Refused(self.name, method, path, response.status_code, _detail(response))
        return response

    async def read(
        self,
        role: Role,
        path: str,
        model: type[Model],
        params: Mapping[str, Any] | None = None,
    ) -> Model:
        """GET one resource."""
        response = await self._call("GET", path, self._headers(role), params=params)
        return model.model_validate(response.json())

    async def read_all(
        self,
        role: Role,
        path: str,
        model: type[Model],
        params: Mapping[str, Any] | None = None,
        search: Body = None,
    ) -> list[Model]:
        """Every item of a paginated listing (a POST with `search` as its body, if given)."""
        items: list[Model] = []
        while True:
            paging = {**(params or {}), "limit": MAX_PAGE_SIZE, "offset": len(items)}
            method = "GET" if search is None else "POST"
            response = await self._call(method, path, self._headers(role), search, paging)
            page = Page[model].model_validate(response.json())  # type: ignore[valid-type]
            items.extend(page.items)
            if not page.items or len(items) >= page.total:
                return items

    async def write(
        self,
        role: Role,
        method: str,
        path: str,
        key: str,
        model: type[Model],
        body: Body = None,
    ) -> Model:
        """A write with an `Idempotency-Key`; counted as new or as replayed."""
        response = await self._call(method, path, self._headers(role, key), body)
        if response.headers.get("Idempotent-Replayed") == "true":
            self.tally.replayed += 1
        else:
            self.tally.created += 1
        return model.model_validate(response.json())

    def found(self) -> None:
        """Count a record a read found already there (so it was not written again)."""
        self.tally.found += 1


async def together(coroutines: Iterable[Coroutine[Any, Any, Result]]) -> list[Result]:
    """Run side by side; the first failure cancels the others and is raised as it is."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(coroutine) for coroutine in coroutines]
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return [task.result() for task in tasks]
