"""The team's feedback loop in a real browser, on the demo team (skipped without Chromium):

- an agent says a flag is wrong; the manager finds it in "Flags and rules", turns the rule off for
  the team, and the agent's next check no longer shows it;
- the manager reads "Coach vs reviewers" on the demo's reviews (the view of the README's picture,
  which scripts/readme_screenshots.py takes on purpose), then scores a reply on
  the QA review page and sees it counted;
- the manager adds a person (temporary password shown once) and deactivates them.

Like test_progress_browser.py, this module serves its own demo database (`app_url` overridden).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coach.store import audit, calibration, progress, repository, rules
from coach.store.db import open_store
from coach.store.demo import create_demo, load_demo_spec
from coach.store.models import utcnow

from .conftest import running_app
from .test_progress_browser import DEFAULT_DAYS, full_page_screenshot, open_progress, sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "test-output"
SPEC = load_demo_spec()
AGENT = next(p for p in SPEC.people if p.email == "alex@demo.example")
JARGON_REPLY = ("Hi Sam, sorry about the trouble. I flushed the DNS cache on your router, so the pages should load "
                "again. I'll check tomorrow morning that it holds. Best regards, Alex")


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('feedback-demo') / 'coach.db'}"
    store = open_store(url)
    create_demo(store)
    store.dispose()
    return url


@pytest.fixture(scope="module")
def app_url(chromium, demo_url) -> Iterator[str]:
    with running_app("streamlit-feedback-server.log", {"COACH_DATABASE_URL": demo_url}) as url:
        yield url


@pytest.fixture
def second_page(chromium):
    """Another person's browser: its own cookies, so its own Streamlit session."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    yield page
    context.close()


def _user(url: str, email: str):
    store = open_store(url)
    with store.read() as session:
        user = next(u for u in repository.list_all_users(session) if u.email == email)
    store.dispose()
    return user


def _sidebar(page, name: str, heading: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
    page.get_by_role("heading", name=heading, exact=True).wait_for()


def _key(key: str) -> str:
    return ".st-key-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def _idle(page) -> None:
    """Wait until the app has finished its rerun (Streamlit's running indicator is gone): a click during
    a rerun can be lost, as it can for a person clicking too early."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)


def _check(page, reply: str) -> None:
    page.get_by_label("Your draft reply").fill(reply)
    page.locator(".st-key-check-run button").click()
    page.locator(".coach-reply").wait_for()


def _choose(page, key: str, option: str) -> None:
    """Pick `option` in a selectbox as a person does: open it, type, Enter."""
    box = page.locator(_key(key)).get_by_role("combobox")
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def test_a_dismissed_flag_leads_the_manager_to_turn_the_rule_off(page, second_page, app_url, demo_url):
    agent = second_page
    sign_in(agent, app_url, AGENT.email, AGENT.password)
    _sidebar(agent, "Check a reply", "Check a reply")
    _check(agent, JARGON_REPLY)
    flagged = agent.locator(".coach-findings li[data-rule^='jargon.']")
    rule = flagged.first.get_attribute("data-rule")
    _idle(agent)  # the check's rerun may still be running; a click during it is lost
    agent.get_by_text("Is a flag wrong? Tell us why").click()
    _idle(agent)
    agent.locator(_key("dismiss.check.finding")).get_by_test_id("stSelectbox").click()
    agent.get_by_role("option", name=re.compile(r"^Jargon: ")).first.click()
    _idle(agent)
    agent.get_by_text("Our customers know this term").click()
    _idle(agent)
    agent.get_by_label("A few words for your manager (optional)").fill("Our customers run their own routers")
    agent.get_by_label("A few words for your manager (optional)").press("Enter")
    _idle(agent)
    agent.locator(_key("dismiss.check.send") + " button").click()
    expect(agent.get_by_text(re.compile(r"Sent: Jargon: "))).to_be_visible()
    manager_info = _user(demo_url, SPEC.manager["email"])
    store = open_store(demo_url)
    with store.read() as session:
        dismissal, = [d for d in rules.dismissal_rows(session, manager_info)
                      if d["note"] == "Our customers run their own routers"]
    assert dismissal["rule"] == rule and dismissal["name"] == AGENT.name

    sign_in(page, app_url, SPEC.manager["email"], SPEC.manager["password"])
    open_progress(page)
    page.get_by_role("radio", name="Flags and rules").click()
    page.get_by_role("heading", name="Flags your team pushed back on").wait_for()
    expect(page.get_by_text("Our customers run their own routers")).to_be_visible()
    _choose(page, f"rules.mode.{rule}", "Off")
    apply = page.locator(_key(f"rules.apply.{rule}") + " button")
    expect(apply).to_be_enabled()
    apply.click()
    expect(page.get_by_text(re.compile(r": off for Demo Support Team from the next check"))).to_be_visible()
    OUTPUT_DIR.mkdir(exist_ok=True)
    full_page_screenshot(page, OUTPUT_DIR / "flags-and-rules.png")
    with store.read() as session:
        assert rule in rules.rule_modes_for(session, _user(demo_url, AGENT.email).id)[0]
        assert audit.audit_entries(session, manager_info)[0]["action"] == "rule.off"
    store.dispose()

    agent.get_by_label("Your draft reply").fill(JARGON_REPLY + " ")
    agent.locator(".st-key-check-run button").click()
    expect(agent.locator('[data-testid="stMetricDelta"]').first).to_be_visible()
    expect(agent.locator(f".coach-findings li[data-rule='{rule}']")).to_have_count(0)


def _open_agreement(page) -> None:
    open_progress(page)
    page.get_by_role("radio", name="Coach vs reviewers").click()
    page.get_by_role("heading", name="Where the coach and reviewers disagree most").wait_for()


def _reviews_in_period(url: str) -> list[dict]:
    store = open_store(url)
    with store.read() as session:
        rows = calibration.review_rows(session, _user(url, SPEC.manager["email"]))
    store.dispose()
    start, end = progress.Period.ending(utcnow().date(), DEFAULT_DAYS).bounds()
    return [r for r in rows if start <= r["replied_at"] < end]


def test_manager_reads_the_agreement_then_scores_a_reply(page, app_url, demo_url):
    sign_in(page, app_url, SPEC.manager["email"], SPEC.manager["password"])
    # the demo's own reviews first: this is the README's picture
    _open_agreement(page)
    reviewed = page.get_by_test_id("stMetric").filter(has_text="Reviewed replies")
    expect(reviewed).to_contain_text(str(len(_reviews_in_period(demo_url))))
    gap = page.get_by_test_id("stVegaLiteChart").filter(
        has=page.locator("svg.marks .role-title-text", has_text="Gap between the coach and reviewers"))
    expect(gap.locator("g.mark-line.role-mark path")).to_have_count(7)   # six skills and all skills
    labels = gap.locator("g.mark-text.role-mark text").all_text_contents()
    assert {"Tone", "Empathy", "All skills"} <= set(labels)   # lines named directly, no legend
    skills = page.get_by_test_id("stDataFrame").first.locator('[data-testid^="glide-cell-0-"]')
    expect(skills).to_have_text(["Jargon", "Readability", "Tone", "Empathy", "Grammar", "Security"])
    OUTPUT_DIR.mkdir(exist_ok=True)
    full_page_screenshot(page, OUTPUT_DIR / "calibration.png")
    page.set_viewport_size({"width": 1400, "height": 1000})

    before = len(_reviews_in_period(demo_url))
    _sidebar(page, "QA review", "QA review")
    for key, steps in (("review.score.tone", 5), ("review.score.jargon", 4)):  # 40 and 30
        slider = page.locator(_key(key)).get_by_role("slider")
        slider.focus()
        for _ in range(steps):
            slider.press("ArrowRight")
    _idle(page)
    page.get_by_text("Fail", exact=True).click()
    _idle(page)
    note = page.get_by_label("Note (optional)")
    note.fill("Too curt for this customer")
    note.press("Control+Enter")   # a text area sends its text on Ctrl+Enter or when it loses focus
    _idle(page)
    page.locator(_key("review.save") + " button").click()
    expect(page.get_by_text("Review saved")).to_be_visible(timeout=30_000)
    rows = _reviews_in_period(demo_url)
    assert len(rows) == before + 1
    mine = max(rows, key=lambda r: r["reviewed_at"])
    assert (mine["reviewer_tone"], mine["reviewer_jargon"], mine["passed"]) == (40.0, 30.0, False)
    assert mine["reviewer"] == SPEC.manager["name"] and mine["note"] == "Too curt for this customer"

    _open_agreement(page)
    expect(reviewed).to_contain_text(str(before + 1))


def test_manager_adds_a_person_then_deactivates_them(page, second_page, app_url, demo_url):
    sign_in(page, app_url, SPEC.manager["email"], SPEC.manager["password"])
    page.get_by_role("heading", name="Your people").wait_for()
    page.get_by_text("Add a person").click()
    page.get_by_label("Name", exact=True).fill("Casey Diaz")
    page.get_by_label("E-mail", exact=True).fill("casey@demo.example")
    page.get_by_label("E-mail", exact=True).press("Enter")
    _idle(page)
    page.locator(_key("people.add.save") + " button").click()
    expect(page.get_by_text("Casey Diaz was added.")).to_be_visible()
    temporary = page.get_by_test_id("stCode").inner_text().strip()
    assert re.fullmatch(r"([a-z]+-){4}\d{4}", temporary)

    _choose(page, "people.person", "Casey Diaz")
    page.locator(_key("people.deactivate") + " button").click()
    expect(page.get_by_text("Casey Diaz can no longer sign in.")).to_be_visible()
    expect(page.get_by_test_id("stCode")).to_have_count(0)   # the temporary password was shown once
    casey = _user(demo_url, "casey@demo.example")
    store = open_store(demo_url)
    with store.read() as session:
        assert repository.user_info(session, casey.id) is None
        actions = [e["action"] for e in audit.audit_entries(session, _user(demo_url, SPEC.manager["email"]))]
    store.dispose()
    assert actions[:2] == ["person.deactivate", "person.add"]

    second_page.goto(f"{app_url}/account")
    second_page.get_by_label("E-mail", exact=True).fill("casey@demo.example")
    second_page.get_by_label("Password", exact=True).fill(temporary)
    second_page.get_by_role("button", name="Sign in", exact=True).click()
    expect(second_page.get_by_text("This account was deactivated")).to_be_visible()
