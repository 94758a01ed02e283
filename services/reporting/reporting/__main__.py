"""`python -m reporting serve | migrate | rebuild`."""

import json
import sys

import uvloop

from buurtwerk_shared.observability.logging import configure_logging
from buurtwerk_shared.service.cli import main
from reporting.rebuild import rebuild
from reporting.service import definition
from reporting.settings import ReportingSettings

if sys.argv[1:2] == ["rebuild"]:
    settings = ReportingSettings()
    configure_logging("reporting", settings.platform.log_level)
    report = uvloop.run(rebuild(settings))
    print(  # noqa: T201 - the command's result, for the operator
        json.dumps(
            {
                "events_read": report.events_read,
                "events_applied": report.events_applied,
                "invalid": report.invalid,
                "seconds": round(report.seconds, 2),
                "events_per_second": round(report.events_per_second),
            }
        )
    )
else:
    main(definition)
