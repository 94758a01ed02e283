"""Run the test suite several times in fresh clones and list every test that failed at least once.

    uv run python -m tests.flaky --runs 3 [--hog] [--ci]    (or: make flaky RUNS=3 HOG=1)

Each run clones the repository's committed HEAD into a temporary directory and runs `make test`
there (with `--ci`, the whole `.ci/run`), as CI does on a clean clone; `--hog` keeps one core busy
with a second process meanwhile, as a loaded CI machine would. A test that fails in any run is a
defect to find the cause of, never one to retry away. The failures are read from pytest's short
summary (`FAILED ...` / `ERROR ...` lines); every run's output and a JSON summary are kept under
`artifacts/flaky/`.
"""

import argparse
import contextlib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "artifacts" / "flaky"
# pytest's short test summary: "FAILED tests/x.py::test_y - reason" or "ERROR tests/x.py::..."
SUMMARY_LINE = re.compile(r"^(FAILED|ERROR) (\S+)")


@dataclass
class Run:
    """One run of the suite in a fresh clone."""

    number: int
    command: str
    exit_code: int
    seconds: float
    failed: list[str] = field(default_factory=list)


def failures(output: str) -> list[str]:
    """The tests pytest reported as failed or erroring, from its short summary."""
    return [m.group(2) for line in output.splitlines() if (m := SUMMARY_LINE.match(line))]


@contextlib.contextmanager
def cpu_hog(enabled: bool) -> Iterator[None]:
    """A second process keeping one core busy for the duration, if enabled."""
    if not enabled:
        yield
        return
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        hog.kill()
        hog.wait()


def run_once(number: int, ci: bool) -> Run:
    """Clone HEAD into a temporary directory and run the suite (or `.ci/run`) there."""
    command = ["bash", ".ci/run"] if ci else ["make", "test"]
    with tempfile.TemporaryDirectory(prefix="buurtwerk-flaky-") as clone:
        subprocess.run(["git", "clone", "-q", str(ROOT), clone], check=True)
        log = OUTPUT / f"run-{number}.log"
        began = time.monotonic()
        with log.open("w") as out:
            code = subprocess.run(
                command, cwd=clone, stdout=out, stderr=subprocess.STDOUT, check=False
            ).returncode
        seconds = time.monotonic() - began
    return Run(number, " ".join(command), code, round(seconds), failures(log.read_text()))


def main() -> int:
    """Run the suite `--runs` times; exit 1 if any test failed in any run."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.flaky",
        description="Run the suite in fresh clones; list every test that failed at least once.",
    )
    parser.add_argument("--runs", type=int, default=3, help="how many fresh clones to run in")
    parser.add_argument("--hog", action="store_true", help="keep one core busy meanwhile")
    parser.add_argument("--ci", action="store_true", help="run .ci/run instead of make test")
    args = parser.parse_args()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    with cpu_hog(args.hog):
        for number in range(1, args.runs + 1):
            run = run_once(number, args.ci)
            runs.append(run)
            print(
                f"run {number}: exit {run.exit_code} in {run.seconds} s, "
                f"{len(run.failed)} failed {run.failed or ''}",
                flush=True,
            )
    failed = Counter(test for run in runs for test in run.failed)
    broken = [run.number for run in runs if run.exit_code != 0 and not run.failed]
    summary = {
        "runs": [asdict(run) for run in runs],
        "hog": args.hog,
        "failed_at_least_once": dict(failed),
    }
    (OUTPUT / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    for test, times in failed.most_common():
        print(f"{times} of {len(runs)}: {test}")
    if broken:
        print(f"runs {broken} failed outside any test: see {OUTPUT}/run-<n>.log")
    if not failed and not broken:
        print(f"no test failed in {len(runs)} runs{' with a core kept busy' if args.hog else ''}")
    return 1 if failed or broken else 0


if __name__ == "__main__":
    sys.exit(main())
