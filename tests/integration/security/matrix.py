"""The authorisation matrix: every route of a service's OpenAPI × every caller, with the status
each one must get.

A service's expectations are a table keyed by `(method, path)` as the OpenAPI spells them, one
`Rule` per route: which roles may call it (admin always may, unless the route is public) and how
the centre scope applies. The callers are: no token, a bad token, and every role with a token for
the own centre (where the test's records are), for another centre, and for all centres.

- `public()`: everyone passes, without a token too.
- `any_scope(*roles)`: those roles pass whatever their centre scope (reference data).
- `own_centre(*roles)`: a record (or a centre) of the own centre: callers for another centre get
  403 or 404, and nothing of the record.
- `listing(*roles)`: a listing that shows each caller their own centres: another centre's caller
  gets 200 without any of the own centre's records.
- `city_wide(*roles)`: only a token for all centres passes.

A new route: add `(method, path): rule` to its service's table in `<service>_matrix.py` (the
shared ones, `/health/*` and `/audit`, are in `shared_routes.py`); give `body=` (and `query=`)
built from the world's records when the route takes them, and `path=` to aim it at a record of
its own when it ends one (cancel, erase). Path parameters are filled from `World.ids` by their
name; the service's `*_world` function makes the records through the API. A route in the
OpenAPI without an entry fails the test, and so does an entry whose route is gone.

Everyone else gets 401 (no token or a bad one) or 403 (role). A refused call writes nothing (no
audited change) and its answer holds none of the own centre's secrets. Every answer carries the
security headers, and every answer to a call with a token `Cache-Control: no-store`. A
call that passes gets neither 401 nor 403 nor a 5xx; its body and path are filled from real
records so that it reaches the centre check.
"""

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args

import asyncpg
import httpx
import jwt

from buurtwerk_shared.web.auth import Role
from tests.support.tokens import bearer

OWN = "mannenstraat"
OWN_KITCHEN = "mannenstraat-keuken"
OTHER = "sint-maartensdal"
ROLES: tuple[Role, ...] = get_args(Role)
SCOPES: dict[str, list[str]] = {"own": [OWN], "other": [OTHER], "all": ["all"]}


class Access(enum.Enum):
    """How the centre scope of a token applies to a route."""

    PUBLIC = "public"
    ANY_SCOPE = "any scope"
    OWN_CENTRE = "own centre"
    LISTING = "listing"
    CITY_WIDE = "city-wide"


@dataclass
class World:
    """Real records of the own centre that fill the requests, and what must not leak."""

    ids: dict[str, str]
    # Ids, names and contact data of the own centre's records: never in a refused answer, nor in
    # another centre's listing.
    secrets: set[str] = field(default_factory=set)

    def add(self, name: str, value: str, *, secret: bool = True) -> str:
        """Keep a record's id under a path-parameter name (a secret unless said otherwise)."""
        self.ids[name] = value
        if secret:
            self.secrets.add(value)
        return value


Build = Callable[[World], Any]
# A route as the OpenAPI names it: (method, path template).
Route = tuple[str, str]


@dataclass(frozen=True)
class Rule:
    """Who may call one route, and how to call it."""

    access: Access
    roles: frozenset[Role]
    body: Build | None = None
    query: Build | None = None
    # Path parameters taken from another record of the world than their own name says, e.g.
    # `{"service_id": "cancellable_service_id"}` for a route that ends a record.
    path: Mapping[str, str] = field(default_factory=dict)


def public(**how: Any) -> Rule:
    """No token needed."""
    return Rule(Access.PUBLIC, frozenset(ROLES), **how)


def any_scope(*roles: Role, **how: Any) -> Rule:
    """These roles (and admin), whatever centres their token covers."""
    return Rule(Access.ANY_SCOPE, frozenset((*roles, "admin")), **how)


def own_centre(*roles: Role, **how: Any) -> Rule:
    """These roles (and admin), for a record or centre their token covers."""
    return Rule(Access.OWN_CENTRE, frozenset((*roles, "admin")), **how)


def listing(*roles: Role, **how: Any) -> Rule:
    """These roles (and admin); each sees only the centres of their token."""
    return Rule(Access.LISTING, frozenset((*roles, "admin")), **how)


def city_wide(*roles: Role, **how: Any) -> Rule:
    """These roles (and admin), with a token for all centres only."""
    return Rule(Access.CITY_WIDE, frozenset((*roles, "admin")), **how)


class Expect(enum.Enum):
    """What a caller must get."""

    PASS = "passes (not 401, 403 or 5xx)"
    UNAUTHORIZED = "401"
    FORBIDDEN = "403"
    HIDDEN = "403 or 404"
    OWN_ONLY = "200 without the own centre's records"


@dataclass(frozen=True)
class Caller:
    """One column of the matrix."""

    name: str
    headers: dict[str, str]
    role: Role | None = None
    scope: str | None = None


def _bad_token() -> dict[str, str]:
    claims = {
        "sub": "intruder",
        "role": "admin",
        "centres": ["all"],
        "iss": "buurtwerk-dev",
        "aud": "buurtwerk",
        "exp": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
    }
    token = jwt.encode(claims, "a-key-the-services-do-not-know-of-32-bytes", algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}


CALLERS: tuple[Caller, ...] = (
    Caller("no token", {}),
    Caller("bad token", _bad_token()),
    *(
        Caller(f"{role}@{scope}", bearer(role, centres, sub=f"matrix-{role}-{scope}"), role, scope)
        for role in ROLES
        for scope, centres in SCOPES.items()
    ),
)


def expectation(rule: Rule, caller: Caller) -> Expect:
    """The cell of the matrix: what this caller must get from a route with this rule."""
    if rule.access is Access.PUBLIC:
        return Expect.PASS
    if caller.role is None:
        return Expect.UNAUTHORIZED
    if caller.role not in rule.roles:
        return Expect.FORBIDDEN
    other = caller.scope == "other"
    match rule.access:
        case Access.ANY_SCOPE:
            return Expect.PASS
        case Access.CITY_WIDE:
            return Expect.PASS if caller.scope == "all" else Expect.FORBIDDEN
        case Access.OWN_CENTRE:
            return Expect.HIDDEN if other else Expect.PASS
        case Access.LISTING:
            return Expect.OWN_ONLY if other else Expect.PASS
    raise AssertionError(rule.access)


def _fill(template: str, rule: Rule, world: World) -> str:
    url = template
    while "{" in url:
        name = url[url.index("{") + 1 : url.index("}")]
        url = url.replace(f"{{{name}}}", world.ids[rule.path.get(name, name)])
    return url


def _leaks(response: httpx.Response, world: World, sent: str) -> list[str]:
    return sorted(s for s in world.secrets if s in response.text and s not in sent)


def _judge(expect: Expect, response: httpx.Response, world: World, sent: str) -> str | None:
    status = response.status_code
    if expect is Expect.PASS:
        return None if status not in (401, 403) and status < 500 else f"got {status}"
    wanted = {
        Expect.UNAUTHORIZED: (401,),
        Expect.FORBIDDEN: (403,),
        Expect.HIDDEN: (403, 404),
        Expect.OWN_ONLY: (200,),
    }[expect]
    if status not in wanted:
        return f"got {status}"
    if status >= 400 and response.headers.get("content-type") != "application/problem+json":
        return f"got {status} as {response.headers.get('content-type')}, not a problem document"
    leaked = _leaks(response, world, sent)
    return f"got {status} showing {leaked}" if leaked else None


def _headers_missing(response: httpx.Response, caller: Caller) -> str | None:
    """The security headers every answer carries, and no-store on every answer behind a token."""
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    if "default-src 'self'" not in policy or "frame-ancestors 'none'" not in policy:
        return f"Content-Security-Policy missing or loose: {policy!r}"
    if headers.get("x-content-type-options") != "nosniff" or "referrer-policy" not in headers:
        return "X-Content-Type-Options or Referrer-Policy missing"
    if caller.headers and headers.get("cache-control") != "no-store":
        return f"Cache-Control {headers.get('cache-control')!r} on an answer behind a token"
    return None


async def _writes(db: asyncpg.Connection) -> int:
    """How many writes the service has committed: every write leaves an audit row in its
    transaction (events are no measure: background work emits them too). Audited reads of
    personal data (`*.read`, `*.list`) are left out, as they are logged even when refused."""
    count: int = await db.fetchval(
        "SELECT count(*) FROM audit_log WHERE NOT (action LIKE '%.read' OR action LIKE '%.list')"
    )
    return count


async def _call(
    client: httpx.AsyncClient, route: Route, rule: Rule, world: World, caller: Caller
) -> str | None:
    method, path = route
    url = _fill(path, rule, world)
    body = rule.body(world) if rule.body else None
    params = rule.query(world) if rule.query else None
    response = await client.request(method, url, json=body, params=params, headers=caller.headers)
    expect = expectation(rule, caller)
    problem = _judge(expect, response, world, sent=f"{url} {params} {body}") or _headers_missing(
        response, caller
    )
    if problem is None:
        return None
    cell = f"{method} {path} as {caller.name}"
    return f"{cell}: expected {expect.value}, {problem}: {response.text[:300]}"


def routes_of(openapi: dict[str, Any]) -> list[Route]:
    """Every `(method, path)` of an OpenAPI document, in its order."""
    return [(method.upper(), path) for path, ops in openapi["paths"].items() for method in ops]


def coverage(routes: list[Route], rules: Mapping[Route, Rule]) -> list[str]:
    """A route without an expectation, or an expectation without a route, is a failure."""
    return [f"{m} {p}: no expectation in the matrix" for m, p in routes if (m, p) not in rules] + [
        f"{m} {p}: expected, but not in the OpenAPI" for m, p in rules if (m, p) not in routes
    ]


async def run_matrix(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    openapi: dict[str, Any],
    rules: Mapping[Route, Rule],
    world: World,
) -> list[str]:
    """Call every route of the OpenAPI as every caller; every cell that went wrong, described.

    The refused callers of a route go first, then those who pass, so that a refusal is judged
    against the records as the world built them.
    """
    routes = routes_of(openapi)
    failures = coverage(routes, rules)
    for route in routes:
        rule = rules.get(route)
        if rule is None:
            continue
        refused = [c for c in CALLERS if expectation(rule, c) is not Expect.PASS]
        passing = [c for c in CALLERS if expectation(rule, c) is Expect.PASS]
        before = await _writes(db)
        failures += [f for c in refused if (f := await _call(client, route, rule, world, c))]
        if (after := await _writes(db)) != before:
            failures.append(
                f"{route[0]} {route[1]}: refused calls wrote {after - before} audited changes"
            )
        failures += [f for c in passing if (f := await _call(client, route, rule, world, c))]
    return failures
