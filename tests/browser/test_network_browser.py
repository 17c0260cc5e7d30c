"""Private by default, in a real browser (skipped without Chromium): every request of a full session,
every page opened by its URL, nothing sent to any host but the app's own server; no Deploy button.

The session: each page opened directly by its URL (none may be "not found"), a reply checked,
a practice reply sent, then signed in as the demo manager: the three team views, the Team terms
page, the QA review page and the Account page. Every request and WebSocket the browser opens is recorded; the list
is written to test-output/network-requests.txt.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from coach.store.db import open_store
from coach.store.demo import create_demo, load_demo_spec

from .conftest import running_app
from .test_progress_browser import open_progress, sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "test-output"
SPEC = load_demo_spec()
PAGES = {"": "Check a reply", "practice": "Practice", "progress": "Progress", "team_terms": "Team terms",
         "review": "QA review", "account": "Account"}


@pytest.fixture(scope="module")
def app_url(chromium, tmp_path_factory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('network-demo') / 'coach.db'}"
    store = open_store(url)
    create_demo(store, weeks=2, people=2)
    store.dispose()
    with running_app("streamlit-network-server.log", {"COACH_DATABASE_URL": url}) as served:
        yield served


def test_a_full_session_sends_nothing_to_another_host(chromium, app_url):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.on("websocket", lambda socket: requests.append(socket.url))
    try:
        for path, heading in PAGES.items():
            response = page.goto(f"{app_url}/{path}")
            assert response is not None and response.status == 200, path
            page.get_by_role("heading", name=heading, exact=True).wait_for()
            expect(page.get_by_text("Page not found")).to_have_count(0)
        # Streamlit's developer tools are hidden: no Deploy button, no main menu of developer items
        expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
        expect(page.get_by_role("button", name="Deploy")).to_have_count(0)

        page.goto(app_url)
        page.get_by_label("Your draft reply").fill("Hi Sam, I reset the DNS on your router. It works now.")
        page.locator(".st-key-check-run button").click()
        page.locator(".coach-reply").wait_for()

        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Practice").click()
        page.get_by_test_id("stChatInput").locator("textarea").fill(
            "Hi, I'm sorry about this. I'll look at it now and call you back within the hour.")
        page.keyboard.press("Enter")
        page.get_by_text("Turn 2 of").wait_for()

        sign_in(page, app_url, SPEC.manager["email"], SPEC.manager["password"])
        open_progress(page)
        page.get_by_role("heading", name="Team average per skill").wait_for()
        page.get_by_test_id("stVegaLiteChart").first.locator("svg.marks").wait_for()
        page.get_by_role("radio", name="Flags and rules").click()
        page.get_by_role("heading", name="Changes to your teams").wait_for()
        page.get_by_role("radio", name="Coach vs reviewers").click()
        page.get_by_role("heading", name="Agreement per skill").wait_for()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Team terms").click()
        page.get_by_role("heading", name="Team terms", exact=True).wait_for()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="QA review").click()
        page.get_by_role("heading", name="QA review", exact=True).wait_for()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Account").click()
        page.get_by_role("heading", name="Your people").wait_for()
        page.wait_for_timeout(1000)   # anything loaded lazily (fonts, icons) has been asked for by now
    finally:
        context.close()

    OUTPUT_DIR.mkdir(exist_ok=True)
    (OUTPUT_DIR / "network-requests.txt").write_text("\n".join(requests) + "\n")
    own = urlsplit(app_url).netloc
    assert len(requests) > 20   # the session really ran (scripts, styles, fonts, the WebSocket)
    assert any(url.startswith("ws") for url in requests)
    elsewhere = sorted({url for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                        and urlsplit(url).netloc != own})
    assert elsewhere == []
    assert all(urlsplit(url).scheme in ("http", "ws", "data", "blob") for url in requests)
