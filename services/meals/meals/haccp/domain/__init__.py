"""The HACCP log's rules, free of HTTP."""
