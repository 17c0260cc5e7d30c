"""Real-browser tests: the app served by `streamlit run`, driven by Debian's Chromium through Playwright.

Playwright never downloads a browser here: it launches /usr/bin/chromium (`make browser-deps`
installs it). Without it, these tests are skipped with the reason.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.processes import serving

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_TIMEOUT = 90


def _python() -> str:
    venv_python = ROOT / ".venv" / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium browser (Playwright), or a skip when Debian's Chromium is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (run `make browser-deps` or `apt-get install chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def running_app(log_name: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a free port until the block ends; its log goes to test-output/."""
    def command(port: int) -> list[str]:
        return [_python(), "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
                str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]

    with serving("streamlit", command, "/_stcore/health", OUTPUT_DIR / log_name, env=env,
                 start_timeout_s=SERVER_START_TIMEOUT) as url:
        yield url


@pytest.fixture(scope="session")
def app_url(chromium) -> Iterator[str]:
    """The app for the whole session, on the default (empty) history database."""
    with running_app("streamlit-server.log") as url:
        yield url


@pytest.fixture
def page(chromium, app_url):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    yield page
    context.close()
