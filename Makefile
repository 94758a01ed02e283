# The commands a newcomer needs. Everything runs through uv in the project's locked environment:
# the uv on the PATH, or else one that make installs into .tools/ the first time.
UV ?= $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
ROLE ?= admin
CENTRE ?= all

.PHONY: install web run demo test test-cluster lint schemas token migrate check-deploy dead-letters backup \
	restore bench bench-quick flaky

install: web | $(UV)  ## install the locked dependencies of every package, and build the web apps
	$(UV) sync --all-packages --locked

$(CURDIR)/.tools/bin/uv:
	@echo "uv is not on the PATH: installing it into .tools/ (python3 -m venv, pip install uv)"
	python3 -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet --disable-pip-version-check uv

# The web apps (web/): npm's locked packages, then the build into the services that serve them.
# Each step runs again only when what it is made from changed.
NPM ?= npm
WEB_PACKAGES := web/node_modules/.package-lock.json
WEB_BUILT := services/meals/meals/kitchen/static/index.html \
	services/reporting/reporting/dashboard/static/index.html \
	services/courses/courses/coordinator/static/index.html \
	services/volunteers/volunteers/coordinator/static/index.html
WEB_SOURCES := web/build.mjs $(shell find web/kit web/kitchen web/dashboard web/courses \
	web/volunteers -type f \
	-not -path '*/node_modules/*' 2>/dev/null)

web: $(WEB_BUILT)  ## build the web apps (the kitchen tablet, the dashboard) with npm

$(WEB_PACKAGES): web/package.json web/package-lock.json web/kit/package.json \
		web/kitchen/package.json web/dashboard/package.json web/courses/package.json \
		web/volunteers/package.json
	cd web && $(NPM) ci --no-audit --no-fund
	@touch $@

$(WEB_BUILT) &: $(WEB_PACKAGES) $(WEB_SOURCES)
	cd web && $(NPM) run build
	@touch $(WEB_BUILT)

run: install  ## run the four services locally against the local RabbitMQ and PostgreSQL
	$(UV) run python deploy/local/run.py

demo: install  ## load demo data into the running services (`make run` in another terminal)
	$(UV) run python -m deploy.local.demo

test: install  ## run every test: the suite, then the fault-injection tests as a second step
	@echo "== tests, step 1 of 2: unit, integration, end-to-end (pytest -m 'not faults')"
	$(UV) run pytest
	@echo "== tests, step 2 of 2: fault injection on a private RabbitMQ and PostgreSQL (pytest -m faults)"
	$(UV) run pytest -m "faults and not cluster"

test-cluster: install  ## the fault tests on a private three-node RabbitMQ cluster (minutes)
	$(UV) run pytest -m cluster

RUNS ?= 3
flaky: install  ## the suite RUNS times in fresh clones (HOG=1: a core kept busy); what failed once
	$(UV) run python -m tests.flaky --runs $(RUNS) $(if $(HOG),--hog)

bench: install  ## every benchmark beside its raw baseline, one JSON line per figure (< 15 min)
	$(UV) run python -m bench

bench-quick: install  ## the benchmarks with small loads, as CI runs them (< 2 min)
	$(UV) run python -m bench --quick

lint: install  ## ruff and mypy, as CI runs them
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy

schemas: install  ## regenerate docs/events/*.json and docs/asyncapi/*.json from the contracts
	$(UV) run python -m buurtwerk_shared.contracts.schemas docs/events
	$(UV) run python -m buurtwerk_shared.tools.asyncapi docs/asyncapi

token: | $(UV)  ## print a development token: make token ROLE=kitchen_staff CENTRE=mannenstraat
	@$(UV) run --frozen python -m buurtwerk_shared.tokens --role $(ROLE) --centre $(CENTRE)

migrate: install  ## migrate every service's database (creating it if needed)
	for s in meals volunteers courses reporting; do $(UV) run python -m $$s migrate || exit 1; done

check-deploy: install  ## validate deploy/compose.yaml and the Kubernetes manifests offline
	$(UV) run python deploy/check.py

DLQ ?= list
dead-letters: install  ## dead letters: make dead-letters DLQ="inspect reporting.projections.dlq"
	$(UV) run python -m buurtwerk_shared.tools.dead_letters $(DLQ)

BACKUP ?= backups/$(shell date -u +%Y%m%dT%H%M%SZ)
backup: install  ## dump every service database and the broker definitions into $(BACKUP)
	$(UV) run python -m buurtwerk_shared.tools.backup backup --to $(BACKUP)

restore: install  ## restore a backup into fresh databases: make restore BACKUP=backups/<time>
	$(UV) run python -m buurtwerk_shared.tools.backup restore --from $(BACKUP)
