"""`make demo`: demo data for the centres, loaded through the running services' HTTP APIs.

Run it while `make run` runs in another terminal. It talks only to the services' APIs (never to
their databases), with development tokens, and sends every write with an `Idempotency-Key`
derived from the demo item, so running it again the same day adds nothing; on a later day it adds
what the days since have brought (new services, shifts and sessions) and keeps the rest.
"""
