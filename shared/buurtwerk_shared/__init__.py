"""Buurtwerk's common package: event contracts, reference data, messaging, database and HTTP
plumbing, and the skeleton every service is built from."""

from importlib.metadata import version

# The platform's one version: packages, APIs (OpenAPI and AsyncAPI) and images carry it.
VERSION = version("buurtwerk-shared")
