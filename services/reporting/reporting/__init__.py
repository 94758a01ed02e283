"""Reporting service: indicators per action point of the policy plan, and HACCP reminders."""
