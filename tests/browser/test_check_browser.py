"""The "Check a reply" page in a real browser: highlights, pasted markup shown as text, screenshots.

Timings of the first and a repeated check are printed to the test log (and written to
test-output/browser-timings.txt); they are measured, not asserted.
"""
from __future__ import annotations

import html
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

import coach
from webapp import highlight

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "test-output"
README_SCREENSHOT = ROOT / "docs" / "screenshot-check.png"
INJECTION = "<script>alert(1)</script>"
IMG_INJECTION = "<img src=x onerror=alert(1)>"


def _sample(name: str, reply_id: str) -> tuple[str, str]:
    data = yaml.safe_load((ROOT / "sample_replies" / f"{name}.yaml").read_text(encoding="utf-8"))
    reply = next(r for r in data["replies"] if r["id"] == reply_id)
    return data["customer"], reply["text"]


CUSTOMER, POOR_REPLY = _sample("wifi-third-outage", "cold-jargon")


def open_check_page(page, app_url: str) -> None:
    page.goto(app_url)
    page.get_by_label("Your draft reply").wait_for()


def fill_draft(page, reply: str, customer: str = "") -> None:
    page.get_by_label("The customer's message (optional)").fill(customer)
    page.get_by_label("Your draft reply").fill(reply)


def click_check(page) -> None:
    page.locator(".st-key-check-run button").click()


def timed(action, wait) -> float:
    start = time.perf_counter()
    action()
    wait()
    return time.perf_counter() - start


def full_page_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its main element, so grow the viewport to its height first."""
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": height})
    page.screenshot(path=str(path))


def expected_marks(reply: str, customer: str) -> list[tuple[str, str]]:
    """(text, title) of each <mark> the page should show, from the library's own report."""
    rendered = highlight.highlight_html(reply, coach.analyze(reply, customer_message=customer).to_dict()["findings"])
    return [(html.unescape(inner), html.unescape(title))
            for title, inner in re.findall(r'<mark [^>]*title="([^"]*)"[^>]*>(.*?)</mark>', rendered, re.S)]


def test_check_page_highlights_flagged_passages(page, app_url, capsys):
    # The session's first page view: it includes loading the pipeline and the warm-up analysis.
    load = timed(lambda: page.goto(app_url), lambda: page.get_by_label("Your draft reply").wait_for())
    fill_draft(page, POOR_REPLY, CUSTOMER)
    first = timed(lambda: click_check(page), lambda: page.locator(".coach-reply").wait_for())
    # Same draft again: the deltas ("0") appear only once the second check has rendered.
    repeated = timed(lambda: click_check(page),
                     lambda: page.locator('[data-testid="stMetricDelta"]').first.wait_for())

    expected = expected_marks(POOR_REPLY, CUSTOMER)
    assert expected, "the analysers flagged nothing in a cold, jargon-heavy reply"
    marks = page.locator(".coach-reply mark.coach-mark")
    shown = list(zip(marks.evaluate_all("els => els.map(e => e.textContent)"),
                     marks.evaluate_all("els => els.map(e => e.title)")))
    assert shown == expected
    assert page.locator('[data-testid="stMetric"]').count() == 1 + len(coach.analyze(POOR_REPLY).scores)

    OUTPUT_DIR.mkdir(exist_ok=True)
    full_page_screenshot(page, OUTPUT_DIR / "check.png")
    README_SCREENSHOT.parent.mkdir(exist_ok=True)
    shutil.copyfile(OUTPUT_DIR / "check.png", README_SCREENSHOT)

    timings = (f"browser timings: first page view {load:.2f}s, first check {first:.2f}s, "
               f"repeated check {repeated:.2f}s")
    (OUTPUT_DIR / "browser-timings.txt").write_text(timings + "\n")
    with capsys.disabled():
        print(f"\n{timings}")


@pytest.mark.parametrize("payload", [INJECTION, IMG_INJECTION, f"{INJECTION} {IMG_INJECTION}"])
def test_check_page_shows_pasted_markup_as_text(page, app_url, payload):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_check_page(page, app_url)
    reply = f"Hi Sam, {payload} I have reset your password link. Let me know if it works. Best, Ana"
    fill_draft(page, reply)
    click_check(page)
    shown = page.locator(".coach-reply")
    shown.wait_for()
    # Give an injected handler (onerror fires on load) time to run, were it ever rendered.
    page.wait_for_timeout(1000)

    assert dialogs == []
    assert payload in shown.text_content()
    assert page.get_by_text(INJECTION if INJECTION in payload else IMG_INJECTION, exact=False).first.is_visible()
    assert page.locator(".coach-reply img, .coach-reply script, img[src='x']").count() == 0
    OUTPUT_DIR.mkdir(exist_ok=True)
    full_page_screenshot(page, OUTPUT_DIR / f"check-injection-{len(payload)}.png")
