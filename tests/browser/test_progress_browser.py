"""The "Progress" page in a real browser, on the demo team: the manager's team report and drill-down,
and what an agent sees instead (skipped without Chromium, like the other browser tests).

This module overrides `app_url` (tests/browser/conftest.py) with a server of its own: one whose
COACH_DATABASE_URL points at a fresh SQLite file filled by `create_demo` (8 weeks, every person), so
conftest's `page` fixture drives that server here. The time the demo took and the time from signing
in to the rendered report are written to test-output/progress-browser-timings.txt; measured, not asserted.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coach.practice import load_library
from coach.store import progress, repository
from coach.store.db import open_store
from coach.store.demo import create_demo, load_demo_spec
from coach.store.models import utcnow

from .conftest import running_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "test-output"
TIMINGS = OUTPUT_DIR / "progress-browser-timings.txt"
SPEC = load_demo_spec()
WEEKS = 8
DEFAULT_DAYS = 28  # the period the page shows first (DEFAULT_DAYS in webapp/pages/progress.py)
TEAM_POINTS = "Most frequent coaching points across the team"
TREND_TITLE = "Team: weekly average per skill"
HEATMAP_TITLE = "Skills by person (average score in the period)"


@dataclass(frozen=True)
class DemoDatabase:
    url: str
    seconds: float


@dataclass(frozen=True)
class TeamReport:
    """What the manager's report should show, worked out by the library from the same database."""

    names: list[str]
    metrics: int
    trend_lines: int
    heatmap_cells: int
    points: list[str]


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> DemoDatabase:
    url = f"sqlite:///{tmp_path_factory.mktemp('progress-demo') / 'coach.db'}"
    began = time.perf_counter()
    store = open_store(url)
    create_demo(store, weeks=WEEKS)
    store.dispose()
    return DemoDatabase(url, time.perf_counter() - began)


@pytest.fixture(scope="module")
def app_url(chromium, demo_database) -> Iterator[str]:
    """The app serving the demo database (replaces conftest's app_url for this file)."""
    with running_app("streamlit-progress-server.log", {"COACH_DATABASE_URL": demo_database.url}) as url:
        yield url


def expected_team_report(url: str) -> TeamReport:
    store = open_store(url)
    with store.read() as session:
        manager = next(u for u in repository.list_all_users(session) if u.email == SPEC.manager["email"])
        attempts = progress.attempts_frame(repository.attempt_rows(session, manager))
        findings = progress.findings_frame(repository.finding_rows(session, manager))
    store.dispose()
    period = progress.Period.ending(utcnow().date(), DEFAULT_DAYS)
    current = progress.within(attempts, period)
    points = progress.coaching_points(progress.within(findings, period))
    return TeamReport(names=list(progress.person_table(attempts, period)["name"]),
                      metrics=len(progress.period_comparison(attempts, period)),
                      trend_lines=progress.weekly_trend(current)["dimension"].nunique(),
                      heatmap_cells=len(progress.skills_matrix(current)), points=list(points["point"]))


def sign_in(page, app_url: str, email: str, password: str) -> None:
    page.goto(f"{app_url}/account")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_text("Signed in as").wait_for()


def open_progress(page) -> None:
    """Through the sidebar: a new URL would open a new Streamlit session, signed out."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Progress").click()
    page.get_by_role("heading", name="Progress", exact=True).wait_for()


def chart(page, title: str):
    """The Vega-Lite chart (rendered as SVG) whose title is `title`."""
    return page.get_by_test_id("stVegaLiteChart").filter(
        has=page.locator("svg.marks .role-title-text", has_text=title))


def full_page_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its main element, so grow the viewport to its height first."""
    content = "() => document.querySelector('[data-testid=stMainBlockContainer]').scrollHeight + 160"
    for _ in range(2):   # the charts fit their width again after a resize: measure once more after it
        page.set_viewport_size({"width": page.viewport_size["width"], "height": page.evaluate(content)})
        page.wait_for_timeout(1000)
    page.screenshot(path=str(path))


def test_progress_page_manager_sees_the_team_report_and_a_person(page, app_url, demo_database, capsys):
    expected = expected_team_report(demo_database.url)
    assert expected.names == sorted(p.name for p in SPEC.people)
    assert expected.points, "the demo team has no coaching points in the default period"

    began = time.perf_counter()
    sign_in(page, app_url, SPEC.manager["email"], SPEC.manager["password"])
    expect(page.get_by_text(f"Signed in as {SPEC.manager['name']}")).to_be_visible()
    open_progress(page)
    expect(page.get_by_role("heading", name=TEAM_POINTS)).to_be_visible()
    trend, heatmap = chart(page, TREND_TITLE), chart(page, HEATMAP_TITLE)
    # one line per skill (and overall), one cell per person and skill: the charts are drawn, not just placed
    expect(trend.locator("g.mark-line.role-mark path")).to_have_count(expected.trend_lines)
    expect(heatmap.locator("g.mark-rect.role-mark path")).to_have_count(expected.heatmap_cells)
    report_seconds = time.perf_counter() - began

    expect(page.get_by_role("radio", name="Team progress")).to_be_checked()
    # the grid is drawn on a canvas; its accessible table carries the cells, column 0 is the name
    # (the first grid is the team table; the practice section below has its own)
    names = page.get_by_test_id("stDataFrame").first.locator('[data-testid^="glide-cell-0-"]')
    expect(names).to_have_text(expected.names)
    heatmap_rows = heatmap.locator("svg.marks .role-axis-label text").all_text_contents()
    assert set(expected.names) <= set(heatmap_rows)
    # each coaching point's title is the one bold text of the report
    expect(page.get_by_test_id("stMain").locator("strong")).to_have_text(expected.points)
    expect(page.get_by_test_id("stMetric")).to_have_count(expected.metrics)
    # rows (CSV), the report (HTML) and the team's own terms (CSV)
    expect(page.get_by_test_id("stDownloadButton")).to_have_count(3)

    OUTPUT_DIR.mkdir(exist_ok=True)
    # the README's docs/screenshot-progress.png shows this view; scripts/readme_screenshots.py takes it on purpose
    full_page_screenshot(page, OUTPUT_DIR / "progress-team.png")

    sam = next(p for p in SPEC.people if p.name == "Sam Carter")
    page.get_by_test_id("stSelectbox").click()
    page.keyboard.type(sam.name)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Recent practice").wait_for()
    expect(chart(page, f"{sam.name}: weekly average per skill").locator("g.mark-line.role-mark path")).to_have_count(
        expected.trend_lines)
    page.get_by_test_id("stExpander").first.wait_for()
    runs = page.get_by_test_id("stExpander").locator("summary").all_text_contents()
    titles = [load_library().scenarios[s].title for s in SPEC.practice]
    assert runs and all(any(title in run for title in titles) for run in runs)   # titles, never ids
    full_page_screenshot(page, OUTPUT_DIR / "progress-person.png")

    timings = (f"progress browser timings: demo database ({WEEKS} weeks) {demo_database.seconds:.2f}s, "
               f"sign-in to rendered team report {report_seconds:.2f}s")
    TIMINGS.write_text(timings + "\n")
    with capsys.disabled():
        print(f"\n{timings}")


def test_progress_page_agent_sees_only_their_own_progress(page, app_url):
    alex = next(p for p in SPEC.people if p.email == "alex@demo.example")
    others = [SPEC.manager["name"], *(p.name for p in SPEC.people if p is not alex)]
    sign_in(page, app_url, alex.email, alex.password)
    open_progress(page)
    own = chart(page, f"{alex.name}: weekly average per skill")
    own.locator("g.mark-line.role-mark path").first.wait_for()
    # the practice runs are the last thing the page draws: once they are there, the page is complete
    page.get_by_role("heading", name="Recent practice").wait_for()
    page.get_by_test_id("stExpander").first.wait_for()

    expect(page.get_by_role("radiogroup", name="View")).to_have_count(0)
    expect(page.get_by_role("heading", name=TEAM_POINTS)).to_have_count(0)
    # the only tables are the debriefs' goals inside the practice runs, never the team's table
    expect(page.get_by_role("heading", name="People", exact=True)).to_have_count(0)
    expect(page.get_by_role("columnheader", name="practice sessions")).to_have_count(0)
    expect(page.get_by_test_id("stDownloadButton")).to_have_count(0)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(1)
    text = page.locator("body").text_content()
    assert alex.name in text
    assert [name for name in others if name in text] == []
    OUTPUT_DIR.mkdir(exist_ok=True)
    full_page_screenshot(page, OUTPUT_DIR / "progress-agent.png")
