"""`python -m bench [--quick] [names...]`: run the benchmarks, one JSON line per figure.

Every figure that has a baseline was measured beside it in the same run (plain aio-pika or
asyncpg doing the same transport work), so the ratio holds on a busy machine too. The exit code
is non-zero when a benchmark failed to run, never because a figure missed its target.
"""

import argparse
import importlib
import sys
import time
import traceback

import uvloop

from bench.city import use_bench_city

# In the order they run: memory last, it reports the peaks seen while the others ran.
BENCHES = (
    "publish",
    "projection",
    "rebuild",
    "http_write",
    "end_to_end",
    "reads",
    "kitchen_app",
    "memory",
)


def main() -> int:
    """Run the chosen benchmarks; 1 when any of them broke."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small loads, for CI (< 2 minutes)")
    parser.add_argument("names", nargs="*", help=f"any of {', '.join(BENCHES)}; default: all")
    args = parser.parse_args()
    unknown = set(args.names) - set(BENCHES)
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(sorted(unknown))}")
    chosen = [name for name in BENCHES if name in (args.names or BENCHES)]
    # Before anything imports the event contracts: they read the reference data on import.
    use_bench_city()
    failed = []
    for name in chosen:
        started = time.monotonic()
        module = importlib.import_module(f"bench.{name}")
        try:
            uvloop.run(module.run(args.quick))
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"[bench] {name}: {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
    if failed:
        print(f"[bench] failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
