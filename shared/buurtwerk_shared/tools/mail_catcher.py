"""The development mail catcher: a real SMTP server (aiosmtpd) that keeps what it receives and
delivers nothing. `make run` starts it; the services hand it their mail as they would a city's
relay. What arrived is printed to the terminal and shown on a small page (newest first).

    python -m buurtwerk_shared.tools.mail_catcher --smtp-port 1025 --http-port 8025

The tests use `MailCatcher` too: it can refuse chosen addresses with a 550 (a hard bounce) and be
stopped and started (a mail server that is down).
"""

import argparse
import asyncio
import email
import email.policy
import html
import logging
import signal
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger("mail-catcher")


@dataclass(frozen=True)
class CaughtMail:
    """One mail as the catcher received it."""

    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        """The decoded subject."""
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        """The plain-text body."""
        part = self.message.get_body(("plain",))
        return part.get_content() if part is not None else ""


@dataclass
class CatchingHandler:
    """aiosmtpd's handler: keeps every mail; refuses the addresses in `refuse` with a 550."""

    mails: list[CaughtMail] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        caught = CaughtMail(str(envelope.mail_from), tuple(envelope.rcpt_tos), message)
        with self.lock:
            self.mails.append(caught)
        log.info("mail to %s: %s\n%s", ", ".join(caught.recipients), caught.subject, caught.text)
        return "250 Message accepted"

    def snapshot(self) -> list[CaughtMail]:
        """The mails received so far, in order."""
        with self.lock:
            return list(self.mails)


class MailCatcher:
    """The SMTP server on 127.0.0.1:`port`, in a thread of its own."""

    def __init__(self, port: int, handler: CatchingHandler | None = None) -> None:
        self.port = port
        self.handler = handler or CatchingHandler()
        self._controller: Controller | None = None

    def start(self) -> None:
        """Listen (again)."""
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening: connections are refused until `start`."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def mails(self) -> list[CaughtMail]:
        """The mails received so far."""
        return self.handler.snapshot()


def _page(mails: list[CaughtMail]) -> bytes:
    items = "".join(
        f"<article><h2>{html.escape(m.subject)}</h2><p>To: {html.escape(', '.join(m.recipients))}"
        f"</p><pre>{html.escape(m.text)}</pre></article>"
        for m in reversed(mails)
    )
    body = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Mail catcher</title>'
        f"</head><body><h1>Mail catcher: {len(mails)} mails</h1>{items or '<p>No mail yet.</p>'}"
        "</body></html>"
    )
    return body.encode()


def serve_page(catcher: MailCatcher, port: int) -> ThreadingHTTPServer:
    """The page of caught mail on 127.0.0.1:`port`, in a thread."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            content = _page(catcher.mails)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", "default-src 'none'")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the SMTP side logs what matters."""

    server = ThreadingHTTPServer(("127.0.0.1", port), Page)
    threading.Thread(target=server.serve_forever, name="mail-catcher-page", daemon=True).start()
    return server


async def _main(smtp_port: int, http_port: int) -> None:
    catcher = MailCatcher(smtp_port)
    catcher.start()
    # Port 0: no page, the terminal only.
    server = serve_page(catcher, http_port) if http_port else None
    page = f", mail at http://127.0.0.1:{http_port}/" if server else ""
    print(f"mail catcher: SMTP on 127.0.0.1:{smtp_port}{page}", flush=True)  # noqa: T201
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        if server is not None:
            server.shutdown()
        catcher.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=8025, help="0: no page")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every SMTP command
    asyncio.run(_main(arguments.smtp_port, arguments.http_port))
