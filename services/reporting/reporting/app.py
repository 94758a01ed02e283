"""ASGI entry point: `uvicorn reporting.app:app`."""

from buurtwerk_shared.service.app import create_app
from reporting.service import definition

app = create_app(definition())
