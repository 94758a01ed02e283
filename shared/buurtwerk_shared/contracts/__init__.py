"""Public event contracts: the CloudEvents envelope and one Pydantic model per event type."""
