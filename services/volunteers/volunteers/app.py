"""ASGI entry point: `uvicorn volunteers.app:app`."""

from buurtwerk_shared.service.app import create_app
from volunteers.service import definition

app = create_app(definition())
