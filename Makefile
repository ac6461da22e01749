# Two commands do all the set-up on a fresh machine with Python 3.11+, pip and make:
#   make run    builds the environment from the lock file and runs the main job on its defaults
#   make test   builds the environment and runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast bench bench-warehouse bench-scale bench-report bench-gate eval lock clean server deploy worker serve docs report report-screenshot

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/paretl run --report

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not integration"

eval: $(STAMP)
	$(BIN)/paretl eval corpus --no-misses

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_warehouse.py
	$(BIN)/python benchmarks/bench_report.py

bench-report: $(STAMP)
	$(BIN)/python benchmarks/bench_report.py

# The relevance gate on the generated local web: requests, bytes, time and recall with the gate off and on.
bench-gate: $(STAMP)
	$(BIN)/python benchmarks/bench_gate.py --pages $(or $(PAGES_GATE),5000)

bench-warehouse: $(STAMP)
	$(BIN)/python benchmarks/bench_warehouse.py

# The data dictionary the README links, from the models' own headers.
docs: $(STAMP)
	$(BIN)/paretl docs > docs/data-dictionary.md

# The job on a generated local web of PAGES pages, twice, against scrapy (see README "Scale").
PAGES ?= 10000
BENCH_ARGS ?=
bench-scale: $(STAMP)
	PREFECT_HOME=$(CURDIR)/.prefect-home $(BIN)/python benchmarks/bench_scale.py --pages $(PAGES) $(BENCH_ARGS)

# The published rankings as one HTML file (data/report.html), and the README's example screenshot of it, taken by
# the system's Chromium (apt-get install -y chromium) as the browser test does.
report: $(STAMP)
	$(BIN)/paretl report

report-screenshot: report
	$(BIN)/python tests/browser.py data/report.html docs/report.png

# Scheduled runs (README, "Run it on a schedule"): a Prefect server, then in other terminals with
# PREFECT_API_URL=http://127.0.0.1:4200/api: the deployments of prefect.yaml and a worker, or `make serve` alone.
server: $(STAMP)
	$(BIN)/prefect server start

deploy: $(STAMP)
	$(BIN)/prefect work-pool create paretl-process --type process --overwrite
	PARETL_PROJECT_DIR=$(CURDIR) $(BIN)/prefect --no-prompt deploy --all

worker: $(STAMP)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/prefect worker start --pool paretl-process

serve: $(STAMP)
	$(BIN)/paretl serve $(if $(wildcard sources.toml),--sources sources.toml,)

# Re-resolve the pinned dependencies (needs the network to PyPI).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --upgrade pip
	.lockenv/bin/pip install --quiet ".[test,dask,bench]"
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^paretl' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) data .pytest_cache
