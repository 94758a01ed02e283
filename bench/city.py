"""The benchmarks' city: the catalogue's five centres and fifteen more, each with its kitchen.

Every process of a benchmark run (this one and the services it starts) reads this reference data
through `BUURTWERK_REFERENCE_FILE`, so the contracts accept the extra centres and reporting
computes a cell for each. `use_bench_city` must run before anything imports the contracts: they
read the reference data once, when they are imported.
"""

import os
import tempfile
from pathlib import Path

from buurtwerk_shared.reference import REFERENCE_FILE, REFERENCE_FILE_VARIABLE

EXTRA_CENTRES = 15


def _extra_entries(count: int) -> str:
    entries = []
    for i in range(1, count + 1):
        centre = f"bench-centrum-{i:02d}"
        entries.append(
            f'[[centres]]\nid = "{centre}"\nnl = "Benchcentrum {i}"\nen = "Bench centre {i}"\n'
        )
        entries.append(
            f'[[kitchens]]\nid = "{centre}-keuken"\ncentre = "{centre}"\n'
            f'nl = "Keuken benchcentrum {i}"\nen = "Bench centre {i} kitchen"\n'
        )
    return "\n".join(entries)


def use_bench_city() -> Path:
    """Write the 20-centre reference file, point this process's environment at it, return it."""
    directory = Path(tempfile.mkdtemp(prefix="buurtwerk-bench-"))
    path = directory / "reference.toml"
    # TOML allows an array of tables to continue later in the file.
    path.write_text(REFERENCE_FILE.read_text() + "\n" + _extra_entries(EXTRA_CENTRES))
    os.environ[REFERENCE_FILE_VARIABLE] = str(path)
    return path
