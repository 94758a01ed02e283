"""Volunteers service: the people the centres run on, their shifts, hours and appreciation."""
