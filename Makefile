# Two commands for users: `make run` (the app) and `make test` (the whole suite).
# Both build .venv from requirements.txt first; nothing needs installing by hand.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run serve test bench eval browser-deps clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools wheel
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the real-browser tests (Playwright drives it; it never downloads a browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed (sudo apt-get install chromium); browser tests will be skipped"; fi; }

run: install
	$(VENV)/bin/streamlit run app.py --server.headless true --server.port 8501 --browser.gatherUsageStats false

# The HTTP server for help-desk add-ons and LanguageTool clients (127.0.0.1:8081; SERVE_ARGS for more,
# e.g. make serve SERVE_ARGS="--host 0.0.0.0 --require-token --workers 2").
serve: install
	$(PY) -m coach serve $(SERVE_ARGS)

test: install browser-deps
	$(PY) -m pytest

# Agreement with people: rule precision on judged findings and the labelled sets (eval/results/latest.json).
eval: install
	$(PY) -m coach eval

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-output
