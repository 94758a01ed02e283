"""The inspector export: a kitchen's HACCP log over a date range, as CSV and as a printable page."""
