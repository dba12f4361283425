# Thin wrappers; the real work is in the Python packages. `make demo` and `make test`
# work on a fresh machine: they create the virtualenv and install what is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench lint system-deps clean

demo: $(STAMP)
	$(BIN)/scrapy demo

# One pytest worker per CPU, each test file whole in one worker (its module fixtures, e.g.
# a crawl several tests read, run once). Most tests wait on crawls, servers and sleeps.
test: $(STAMP) system-deps
	$(BIN)/pytest -n auto --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# Debian's postgresql, redis-server and chromium for the real-component tests (skipped if
# present).
system-deps:
	@bash .ci/system-deps

# Upgrade pip first: pip 23 installs trafilatura without lxml_html_clean (ENVIRONMENT.md);
# uv then resolves the whole stack in seconds.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip uv
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[test,bench]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) data build *.egg-info
