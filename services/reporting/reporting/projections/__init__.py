"""Projections of every service's events into the tables the indicators are computed from."""
