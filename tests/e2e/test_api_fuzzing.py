"""Schemathesis against every service's OpenAPI, on the real processes: whatever it sends, valid
or not, with a city-wide admin's token and a centre coordinator's, no answer is a 5xx.

To stay quick the suite runs few examples: the admin gets the boundary values of every field
(the coverage phase) and random ones, the centre coordinator random ones. `FUZZ_EXAMPLES` and
`FUZZ_PHASES` make a longer run (the README gives the command). Outputs go to `artifacts/`.
One worker: CPython 3.11 can fail parsing in two threads at once ("AST constructor recursion
depth mismatch"), which schemathesis then reports as an error of the API operation.
"""

import os
import subprocess
import sys
from pathlib import Path

from buurtwerk_shared.web.auth import mint_dev_token
from tests.e2e.conftest import Stack
from tests.support.apps import ARTIFACTS

SERVICES = ("meals", "volunteers", "courses", "reporting")
EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "5")
SCHEMATHESIS = Path(sys.executable).with_name("st")
# Role → (token, phases).
CALLERS = {
    "admin": (
        mint_dev_token("admin", ["all"], sub="fuzz-admin"),
        os.environ.get("FUZZ_PHASES", "coverage,fuzzing"),
    ),
    "centre_coordinator": (
        mint_dev_token("centre_coordinator", ["mannenstraat"], sub="fuzz-coordinator"),
        os.environ.get("FUZZ_PHASES", "fuzzing"),
    ),
}


def fuzz(url: str, token: str, phases: str) -> subprocess.CompletedProcess[str]:
    """One schemathesis run that checks only for 5xx answers."""
    return subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{url}/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            EXAMPLES,
            "--phases",
            phases,
            "--seed",
            "20260312",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )


async def test_no_input_makes_any_service_answer_with_a_5xx(stack: Stack) -> None:
    failed = []
    for name in SERVICES:
        service = stack.service(name)
        for role, (token, phases) in CALLERS.items():
            result = fuzz(service.url, token, phases)
            output = ARTIFACTS / f"schemathesis-{name}-{role}.txt"
            output.write_text(result.stdout + result.stderr)
            if result.returncode != 0:
                failed.append(f"{name} as {role}: see {output} and {service.log_path}")
    assert not failed, "schemathesis found 5xx answers: " + "; ".join(failed)
