"""Security headers on every answer, from one middleware.

- `Content-Security-Policy`: everything from the service's own origin, nothing inline (no inline
  scripts, styles or style attributes: the pages and apps load their scripts and styles as
  files), images also as `data:` URLs (Swagger UI's icons), no plugins, no `<base>`, forms only
  to the service, and no framing by any site. `connect-src` adds the identity provider's origin
  where a page logs in with OpenID Connect (`BUURTWERK_CSP_CONNECT_SOURCES`, and reporting adds
  its dashboard's issuer).
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (a URL never leaves with a
  link), `X-Frame-Options: DENY` (for browsers without `frame-ancestors`),
  `Cross-Origin-Opener-Policy` and `Cross-Origin-Resource-Policy: same-origin`.
- `Cache-Control: no-store` on every answer to a request that carries an `Authorization` header:
  everything behind a token may hold personal data, and nothing else does (public pages, the page
  shells, scripts and styles, health and metrics keep what the route says).

HSTS is left to the TLS-terminating proxy in front (README, "What the proxy in front adds"): a
service behind it speaks plain HTTP and cannot know the scheme the browser used.

Plain ASGI, like `TraceAndMeasure`: a header set on the response start, no task per request.
"""

from collections.abc import Sequence

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A page whose script inserts style elements of fixed content (ReDoc's bundle) puts their hashes
# (`'sha256-...'`) under this name in the request's state: the policy of that answer admits those
# exact elements, and nothing else inline.
STYLE_HASHES = "csp_style_hashes"


def content_security_policy(
    connect_sources: Sequence[str] = (), style_hashes: Sequence[str] = ()
) -> str:
    """The policy of every answer; `connect_sources` are origins scripts may call besides self,
    `style_hashes` the hashes of style elements a page's script inserts (ReDoc's)."""
    connect = " ".join(("'self'", *connect_sources))
    style = " ".join(("style-src 'self'", *style_hashes))
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            style,
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """ASGI middleware adding the security headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp, connect_sources: Sequence[str] = ()) -> None:
        self.app = app
        self.connect_sources = tuple(connect_sources)
        self.policy = content_security_policy(self.connect_sources)
        self.headers = (
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        authenticated = any(name == b"authorization" for name, _ in scope["headers"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                hashes = scope.get("state", {}).get(STYLE_HASHES)
                headers["Content-Security-Policy"] = (
                    content_security_policy(self.connect_sources, hashes) if hashes else self.policy
                )
                for name, value in self.headers:
                    headers[name] = value
                if authenticated:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
