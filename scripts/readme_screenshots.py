"""Refresh the README's pictures of the demo manager's reports, on purpose (tests never write docs/).

    python scripts/readme_screenshots.py                # both pictures
    python scripts/readme_screenshots.py calibration    # only docs/screenshot-calibration.png

Makes a fresh demo database (`coach demo`: 8 weeks, simulated QA reviews) in a temporary folder,
serves the app on it with `streamlit run` on a free loopback port, signs in as the demo manager in
Debian's headless Chromium (Playwright, nothing downloaded) and saves:
- docs/screenshot-progress.png: Progress → Team progress;
- docs/screenshot-calibration.png: Progress → Coach vs reviewers.
Look at the pictures before committing them.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.store.db import open_store  # noqa: E402 - after the project is on the path
from coach.store.demo import create_demo, load_demo_spec  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WEEKS = 8
PICTURES = {"progress": ROOT / "docs" / "screenshot-progress.png",
            "calibration": ROOT / "docs" / "screenshot-calibration.png"}
START_TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"streamlit did not answer within {START_TIMEOUT_S}s")


def _full_page(page, path: Path) -> None:
    """Streamlit scrolls inside its main element: grow the viewport to its height, then shoot."""
    content = "() => document.querySelector('[data-testid=stMainBlockContainer]').scrollHeight + 160"
    for _ in range(2):  # charts fit their width again after a resize: measure once more
        page.set_viewport_size({"width": page.viewport_size["width"], "height": page.evaluate(content)})
        page.wait_for_timeout(1500)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})


def _shoot(url: str, wanted: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    spec = load_demo_spec()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(180_000)
        page.goto(f"{url}/account")
        page.get_by_label("E-mail", exact=True).fill(spec.manager["email"])
        page.get_by_label("Password", exact=True).fill(spec.manager["password"])
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.get_by_text("Signed in as").wait_for()
        # through the sidebar: a new URL would open a new session, signed out
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Progress").click()
        page.get_by_role("heading", name="Most frequent coaching points across the team").wait_for()
        if "progress" in wanted:
            _full_page(page, PICTURES["progress"])
            print(f"wrote {PICTURES['progress'].relative_to(ROOT)}")
        if "calibration" in wanted:
            page.get_by_role("radio", name="Coach vs reviewers").click()
            page.get_by_role("heading", name="Where the coach and reviewers disagree most").wait_for()
            _full_page(page, PICTURES["calibration"])
            print(f"wrote {PICTURES['calibration'].relative_to(ROOT)}")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pictures", nargs="*", metavar="PICTURE", help=f"{' or '.join(PICTURES)} (default: both)")
    wanted = parser.parse_args().pictures or list(PICTURES)
    unknown = set(wanted) - set(PICTURES)
    if unknown:
        parser.error(f"unknown picture(s) {', '.join(sorted(unknown))}: use {' or '.join(PICTURES)}")
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: `make browser-deps` installs it.")
    with tempfile.TemporaryDirectory(prefix="coach-screenshots-") as folder:
        database = f"sqlite:///{Path(folder) / 'coach.db'}"
        store = open_store(database)
        create_demo(store, weeks=WEEKS)
        store.dispose()
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "COACH_DATABASE_URL": database, "PYTHONUNBUFFERED": "1"})
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_healthy(url, server)
            _shoot(url, wanted)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
