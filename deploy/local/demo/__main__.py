"""`python -m deploy.local.demo`: check the four services are up, load the demo, say what it did."""

import argparse
import asyncio
import datetime as dt
import json
import sys
from pathlib import Path

import httpx

from deploy.local.demo.api import Refused
from deploy.local.demo.days import brussels_today
from deploy.local.demo.loader import Report, load, not_ready, service_urls

NOT_RUNNING = """\
make demo loads the demo through the running services, and these do not answer yet:
{problems}
Start the four services with `make run` in another terminal, wait until it prints their
/docs addresses, then run `make demo` again."""


def _day(text: str) -> dt.date:
    day = dt.date.fromisoformat(text)
    if day > brussels_today():
        raise argparse.ArgumentTypeError("the services take nothing dated after today")
    return day


def _summary(report: Report, dashboard: str) -> str:
    calendar = report.calendar
    lines = [
        f"Demo data for {calendar.first} to {calendar.last} (today {calendar.today}):",
        f"  {'service':<12}{'new':>8}{'already there':>16}",
    ]
    for name, tally in report.tallies.items():
        lines.append(f"  {name:<12}{tally.created:>8}{tally.replayed + tally.found:>16}")
    total = report.total()
    if total.created == 0:
        lines.append("Everything was already loaded: nothing was added.")
    lines.append(
        f"Dashboard: {dashboard}/dashboard/ (token: `make -s token ROLE=analyst`); "
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
        report = await load(urls, args.today)
    except (Refused, httpx.HTTPError) as exc:
        print(  # noqa: T201
            f"make demo stopped: {exc}\n"
            "What was loaded stays; `make demo` again goes on from there.",
            file=sys.stderr,
        )
        return 1
    print(_summary(report, urls["reporting"]))  # noqa: T201
    if args.report is not None:
        args.report.write_text(json.dumps(report.as_dict(), indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, load, and return the exit code."""
    parser = argparse.ArgumentParser(prog="make demo", description=__doc__)
    parser.add_argument(
        "--today",
        type=_day,
        default=brussels_today(),
        help="the day the demo's weeks are arranged around (default: today in Brussels)",
    )
    parser.add_argument(
        "--report", type=Path, help="also write what was loaded, and its totals, as JSON here"
    )
    return asyncio.run(_run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
