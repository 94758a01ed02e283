"""The HACCP HTTP API: thin routes under `/haccp` and their request and response bodies."""
