"""The "Practice" page in a real browser: one full conversation, from the brief and the opening
message to the debrief (fixtures `page` and `app_url` in tests/browser/conftest.py; skipped without
Chromium)."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from coach.practice import load_library, run_scripted

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "test-output"
SCENARIO = "clicked-phishing-link"


def opening_words(message: str) -> str:
    """The message's first words, which the page shows on one line."""
    return message.splitlines()[0][:40]


def send_reply(page, reply: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(reply)
    box.press("Enter")


def test_practice_page_full_conversation(page, app_url):
    scenario = load_library().get(SCENARIO)
    page.goto(f"{app_url}/practice")
    page.get_by_test_id("stChatMessage").first.wait_for()
    # the option list is virtualised: type to filter it, then pick the one match
    page.get_by_test_id("stSelectbox").click()
    page.keyboard.type(scenario.title)
    page.keyboard.press("Enter")
    page.get_by_text(opening_words(scenario.opening)).wait_for()
    # the brief is beside the chat before the first reply
    brief = page.locator(".st-key-practice-brief")
    expect(brief).to_contain_text("Your brief")
    expect(brief).to_contain_text(scenario.brief.must_not[0])

    replies = [turn.model for turn in scenario.turns]
    expected = run_scripted(scenario, replies)
    for reply, turn in zip(replies, expected.turns):
        send_reply(page, reply)
        page.get_by_text(turn.next_message[-40:]).wait_for()

    page.get_by_role("heading", name="Debrief").wait_for()
    # the reply box goes once the run is over (Streamlit removes it when the rerun finishes)
    expect(page.get_by_test_id("stChatInputTextArea")).to_have_count(0)
    # the debrief streams in element by element after its heading: wait for each part
    expect(page.get_by_test_id("stChatMessage")).to_have_count(2 * len(replies) + 1)
    expect(page.get_by_text("Goals met", exact=True)).to_have_count(1)
    expect(page.get_by_text("Turn by turn", exact=True)).to_have_count(1)
    expect(page.locator(".st-key-practice-brief")).to_contain_text("Your brief")
    OUTPUT_DIR.mkdir(exist_ok=True)
    # Streamlit scrolls inside its main element: grow the viewport to its height for the whole page
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": height})
    # the tables are drawn again after the resize: wait for them before the picture
    page.get_by_text("Plain words").first.wait_for()
    page.get_by_text("Turn by turn").wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=str(OUTPUT_DIR / "practice-debrief.png"))
