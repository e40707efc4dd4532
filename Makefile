# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run serve test test-sync test-serve lint bench clean

# The stamp files re-install only when pyproject.toml changes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/tracker $(ARGS)

# The app in a web browser (tracker serve): the same venv with the serve extra.
$(VENV)/.installed-serve: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[serve]'
	touch $@ $(VENV)/.installed-run

serve: $(VENV)/.installed-serve
	$(BIN)/tracker serve $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: lint
	@{ command -v chromium && command -v pdftotext; } >/dev/null || \
		echo "*** WARNING: chromium or pdftotext missing: the report printing tests are SKIPPED ***"
	@command -v syncthing >/dev/null || \
		echo "*** WARNING: syncthing missing: the sync folder test is SKIPPED ***"
	@test -x /usr/bin/chromium || \
		echo "*** WARNING: /usr/bin/chromium missing: tracker serve's browser test is SKIPPED ***"
	$(BIN)/python -m pytest

# Only the sync folder tests: two real Syncthing instances on 127.0.0.1 (tests/syncthing.py).
test-sync: $(VENV)/.installed-test
	@command -v syncthing >/dev/null || \
		echo "*** WARNING: syncthing missing: the sync folder test is SKIPPED ***"
	$(BIN)/python -m pytest -m syncthing tests/test_sync_syncthing.py

# Only `tracker serve`: its unit tests, and Playwright driving Debian's chromium against it.
test-serve: $(VENV)/.installed-test
	@test -x /usr/bin/chromium || \
		echo "*** WARNING: /usr/bin/chromium missing: tracker serve's browser test is SKIPPED ***"
	$(BIN)/python -m pytest tests/test_serve.py tests/test_serve_browser.py

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
