# Two commands for users: `make run` (the app) and `make test` (the whole suite).
# Both build .venv from requirements.txt first; nothing needs installing by hand.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test bench eval browser-deps clean

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

test: install browser-deps
	$(PY) -m pytest

# Agreement with people: rule precision on judged findings and the labelled sets (eval/results/latest.json).
eval: install
	$(PY) -m coach eval

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-output
