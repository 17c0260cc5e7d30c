"""The "Check a reply" page in a real browser: highlights, pasted markup shown as text, screenshots.

Timings of the first and a repeated check are printed to the test log (and written to
test-output/browser-timings.txt); they are measured, not asserted.
"""
from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

import coach
from coach import feedback
from webapp import highlight

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "test-output"
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
    # the report streams in element by element: wait until every part is drawn before reading it
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(1 + len(coach.analyze(POOR_REPLY).scores))
    expect(marks).to_have_count(len(expected))
    shown = list(zip(marks.evaluate_all("els => els.map(e => e.textContent)"),
                     marks.evaluate_all("els => els.map(e => e.title)")))
    assert shown == expected

    OUTPUT_DIR.mkdir(exist_ok=True)
    full_page_screenshot(page, OUTPUT_DIR / "check.png")

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


def reply_box(page):
    return page.get_by_label("Your draft reply")


def wait_for_draft(page, expected: str) -> None:
    page.wait_for_function("([label, text]) => [...document.querySelectorAll('textarea')]"
                           ".some(t => t.getAttribute('aria-label') === label && t.value === text)",
                           arg=["Your draft reply", expected])


def checked(page, app_url: str):
    """The check page with the poor reply checked, and the library's report of it."""
    open_check_page(page, app_url)
    fill_draft(page, POOR_REPLY, CUSTOMER)
    click_check(page)
    page.locator(".coach-reply").wait_for()
    return coach.analyze(POOR_REPLY, customer_message=CUSTOMER)


def card(page, suggestion):
    return page.locator(f".st-key-check-card-{re.sub(r'[^A-Za-z0-9_-]', '-', suggestion.id)}")


def test_check_page_accept_one_suggestion_on_its_card(page, app_url):
    report = checked(page, app_url)
    chosen = next(s for s in report.suggestions[:3] if len(s.changes) == 1)
    (change,) = chosen.changes
    box = card(page, chosen)
    assert box.locator(".coach-diff").first.is_visible()
    box.get_by_role("button", name="Accept").click()
    wait_for_draft(page, POOR_REPLY[:change.start] + change.text + POOR_REPLY[change.end:])
    page.locator('[data-testid="stMetricDelta"]').first.wait_for()
    full_page_screenshot(page, OUTPUT_DIR / "check-accepted.png")


def test_check_page_skip_one_suggestion_on_its_card(page, app_url):
    report = checked(page, app_url)
    chosen = next(s for s in report.suggestions[:3] if len(s.changes) == 1)
    card(page, chosen).get_by_role("button", name="Skip").click()
    card(page, chosen).wait_for(state="detached")
    assert reply_box(page).input_value() == POOR_REPLY
    page.get_by_role("button", name=re.compile(r"Show the 1 skipped again")).wait_for()


def test_check_page_accept_from_the_highlight_popover(page, app_url):
    report = checked(page, app_url)
    mark = page.locator(".coach-reply mark[data-changes]").first
    mark.wait_for()
    identifier = mark.get_attribute("data-changes").split()[0]
    suggestion, change = next((s, c) for s in report.suggestions for c in s.changes if c.id == identifier)
    mark.click()
    popover = page.locator(".coach-popover")
    popover.wait_for()
    assert suggestion.title in popover.text_content()
    assert popover.locator("ins, del").count() >= 1
    page.screenshot(path=str(OUTPUT_DIR / "check-popover.png"))
    popover.get_by_role("button", name="Accept").first.click()
    wait_for_draft(page, POOR_REPLY[:change.start] + change.text + POOR_REPLY[change.end:])


def test_check_page_skip_from_the_highlight_popover(page, app_url):
    checked(page, app_url)
    mark = page.locator(".coach-reply mark[data-changes]").first
    mark.wait_for()
    mark.click()
    page.locator(".coach-popover").get_by_role("button", name="Skip").first.click()
    page.get_by_role("button", name=re.compile(r"Show the 1 skipped again")).wait_for()
    assert reply_box(page).input_value() == POOR_REPLY


def test_check_page_fill_in_a_placeholder_after_apply_all(page, app_url):
    report = checked(page, app_url)
    revised = feedback.apply_suggestions(report)
    assert "[next step]" in revised
    page.get_by_role("button", name=re.compile(r"Apply all")).click()
    wait_for_draft(page, revised)
    page.get_by_text("Not ready to send", exact=False).first.wait_for()
    page.locator('.coach-reply mark[data-rule="draft.placeholder"]').first.wait_for()
    field = page.get_by_label("What goes in place of [next step]?")
    field.fill("call you at 3pm once the engineer has been")
    field.press("Enter")
    # the revision has other placeholders too ("[say what you understand about their situation]"):
    # the "Fill in" button on the same row as the [next step] box
    shown = list(dict.fromkeys(f.text for f in coach.analyze(revised, customer_message=CUSTOMER).findings
                               if f.rule == "draft.placeholder"))
    page.locator(f".st-key-check-fill-{shown.index('[next step]')}-apply").get_by_role("button").click()
    wait_for_draft(page, revised.replace("[next step]", "call you at 3pm once the engineer has been"))
    full_page_screenshot(page, OUTPUT_DIR / "check-filled.png")
