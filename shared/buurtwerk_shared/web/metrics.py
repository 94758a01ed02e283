"""Prometheus metrics at `/metrics`, answered in place (a mount would redirect to `/metrics/`)."""

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

router = APIRouter()


@router.api_route("/metrics", methods=["GET", "HEAD"], include_in_schema=False)
async def metrics() -> Response:
    """The process's metrics in the Prometheus text format."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
