"""Print a development bearer token: `python -m buurtwerk_shared.tokens --role ROLE --centre ID`.

Signed with the local development key, which the services accept only when
`BUURTWERK_ENVIRONMENT=development` (the default on one machine).
"""

import argparse
from datetime import timedelta
from typing import get_args

from buurtwerk_shared.web.auth import ALL_CENTRES, Role, mint_dev_token


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments and print the token."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", required=True, choices=get_args(Role))
    parser.add_argument(
        "--centre",
        default=ALL_CENTRES,
        help="a centre id, several separated by commas, or 'all' (default)",
    )
    parser.add_argument("--sub", default="dev-user", help="the staff id the token speaks for")
    parser.add_argument("--hours", type=float, default=12.0, help="validity in hours")
    args = parser.parse_args(argv)
    token = mint_dev_token(
        args.role, args.centre.split(","), sub=args.sub, ttl=timedelta(hours=args.hours)
    )
    print(token)  # noqa: T201


if __name__ == "__main__":
    main()
