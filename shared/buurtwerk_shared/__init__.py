"""Buurtwerk's common package: event contracts, reference data, messaging, database and HTTP
plumbing, and the skeleton every service is built from."""
