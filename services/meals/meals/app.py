"""ASGI entry point: `uvicorn meals.app:app`."""

from buurtwerk_shared.service.app import create_app
from meals.service import definition

app = create_app(definition())
