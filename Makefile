# The commands a newcomer needs. Everything runs through uv in the project's locked environment.
UV ?= uv
ROLE ?= admin
CENTRE ?= all

.PHONY: install run test lint schemas token migrate

install:  ## install the locked dependencies of every package
	$(UV) sync --all-packages --locked

run: install  ## run the four services locally against the local RabbitMQ and PostgreSQL
	$(UV) run python deploy/local/run.py

test: install  ## run every test (unit, integration, end-to-end) against the real servers
	$(UV) run pytest

lint: install  ## ruff and mypy, as CI runs them
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy

schemas: install  ## regenerate docs/events/*.json from the event contracts
	$(UV) run python -m buurtwerk_shared.contracts.schemas docs/events

token:  ## print a development token: make token ROLE=kitchen_staff CENTRE=mannenstraat
	@$(UV) run --frozen python -m buurtwerk_shared.tokens --role $(ROLE) --centre $(CENTRE)

migrate: install  ## migrate every service's database (creating it if needed)
	for s in meals volunteers courses reporting; do $(UV) run python -m $$s migrate || exit 1; done
