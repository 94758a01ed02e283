"""ASGI entry point: `uvicorn courses.app:app`."""

from buurtwerk_shared.service.app import create_app
from courses.service import definition

app = create_app(definition())
