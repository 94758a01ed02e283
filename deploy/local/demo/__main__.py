"""`python -m deploy.local.demo`: check the four services are up, load the demo, say what it did."""

import argparse
import asyncio
import datetime as dt
import json
import sys
from pathlib import Path

import httpx

from deploy.local.demo.api import Refused
from deploy.local.demo.days import BRUSSELS
from deploy.local.demo.haccp import LOOK_BACK
from deploy.local.demo.loader import Report, load, not_ready, service_urls

MAX_AGE = dt.timedelta(hours=1)
NOT_RUNNING = """\
make demo loads the demo through the running services, and these do not answer yet:
{problems}
Start the four services with `make run` in another terminal, wait until it prints their
/docs addresses, then run `make demo` again."""


def _moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give the offset, e.g. 2026-11-26T10:30:00+01:00")
    # The kitchen log takes readings of at most a day ago, and the demo's go back 22 hours.
    if not dt.timedelta(0) <= dt.datetime.now(dt.UTC) - moment <= MAX_AGE:
        raise argparse.ArgumentTypeError("give a moment of the last hour")
    return moment


def _summary(report: Report, urls: dict[str, str]) -> str:
    calendar = report.calendar
    log_from = (report.at - LOOK_BACK).astimezone(BRUSSELS)
    lines = [
        f"Demo data for {calendar.first} to {calendar.last} (today {calendar.today}), "
        f"kitchen logs from {log_from:%Y-%m-%d %H:%M}:",
        f"  {'service':<12}{'new':>8}{'already there':>16}",
    ]
    for name, tally in report.tallies.items():
        lines.append(f"  {name:<12}{tally.created:>8}{tally.replayed + tally.found:>16}")
    total = report.total()
    if total.created == 0:
        lines.append("Everything was already loaded: nothing was added.")
    lines.append(
        f"Kitchen tablet: {urls['meals']}/kitchen/ (log in as kitchen staff of Mannenstraat or "
        "Sint-Maartensdal: the till and the HACCP log)."
    )
    lines.append(
        f"Volunteer coordinator: {urls['volunteers']}/coordinator/ (log in as volunteer "
        "coordinator of a centre: volunteers, pipeline, shifts and their gaps, hours)."
    )
    lines.append(
        f"Course coordinator: {urls['courses']}/coordinator/ (log in as course coordinator of a "
        "centre: activities, enrolment, attendance, tallies, referrals)."
    )
    lines.append(
        f"Dashboard: {urls['reporting']}/dashboard/ (log in as analyst, all centres); "
        "reporting takes a few seconds to count it all."
    )
    return "\n".join(lines)


async def _run(args: argparse.Namespace) -> int:
    urls = service_urls()
    problems = await not_ready(urls)
    if problems:
        print(NOT_RUNNING.format(problems="\n".join(f"  - {p}" for p in problems)), file=sys.stderr)  # noqa: T201
        return 2
    print(f"Loading the demo into {', '.join(f'{n} ({u})' for n, u in urls.items())} ...")  # noqa: T201
    try:
        report = await load(urls, args.at)
    except (Refused, httpx.HTTPError) as exc:
        print(  # noqa: T201
            f"make demo stopped: {exc}\n"
            "What was loaded stays; `make demo` again goes on from there.",
            file=sys.stderr,
        )
        return 1
    print(_summary(report, urls))  # noqa: T201
    if args.report is not None:
        args.report.write_text(json.dumps(report.as_dict(), indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, load, and return the exit code."""
    parser = argparse.ArgumentParser(
        prog="make demo",
        description="Load demo data into the four running services (`make run` in another "
        "terminal), through their HTTP APIs.",
    )
    parser.add_argument(
        "--at",
        type=_moment,
        default=dt.datetime.now(BRUSSELS),
        help=(
            "the moment the demo is loaded as of, within the last hour (default: now); "
            "two runs with the same moment load exactly the same"
        ),
    )
    parser.add_argument(
        "--report", type=Path, help="also write what was loaded, and its totals, as JSON here"
    )
    return asyncio.run(_run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
