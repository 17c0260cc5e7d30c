"""The "Practice" page, driven through Streamlit's AppTest with the real engine and analysers."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from coach.practice import load_library, run_scripted

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180
CONVERSATIONS = yaml.safe_load((ROOT / "tests" / "practice" / "conversations.yaml").read_text(encoding="utf-8"))
SCENARIO = "third-outage-this-week"


def _text(markdown: str) -> str:
    """The page escapes Markdown characters; undo that to compare with the scenario's words."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n")


def messages(at: AppTest) -> list[tuple[str, str]]:
    return [(m.name, _text(m.markdown[0].value)) for m in at.chat_message]


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(ROOT / "app.py", default_timeout=TIMEOUT).run()
    at.switch_page("webapp/pages/practice.py").run()
    assert not at.exception
    return at


def start(at: AppTest, scenario_id: str) -> AppTest:
    return at.selectbox(key="practice.scenario").set_value(scenario_id).run()


def send(at: AppTest, reply: str) -> AppTest:
    at.chat_input(key="practice.reply").set_value(reply).run()
    assert not at.exception
    return at


def test_practice_page_shows_the_opening_message(app):
    scenario = load_library().get(SCENARIO)
    start(app, SCENARIO)
    assert messages(app) == [("customer", scenario.opening)]
    assert "Dan Okafor" in app.caption[0].value


@pytest.mark.parametrize(("path", "first_outcome"), [("good", "good"), ("poor", "jargon")])
def test_practice_page_reply_gets_the_next_customer_message(app, path, first_outcome):
    scenario = load_library().get(SCENARIO)
    start(app, SCENARIO)
    reply = CONVERSATIONS[SCENARIO][path]["replies"][0]
    send(app, reply)
    assert messages(app) == [("customer", scenario.opening), ("agent", reply),
                             ("customer", scenario.turns[0].responses[first_outcome].message)]


def test_practice_page_live_coaching_shows_outcome_and_goals(app):
    start(app, SCENARIO)
    app.toggle(key="practice.coaching").set_value(True).run()
    send(app, CONVERSATIONS[SCENARIO]["poor"]["replies"][0])
    captions = [_text(c.value) for c in app.caption]
    assert any(c.startswith(":orange[Confusing: unexplained jargon] · overall ") for c in captions)
    assert ":material/cancel: Do not tell him to restart the router again" in captions


def test_practice_page_full_run_reaches_the_debrief_and_compares_attempts(app):
    scenario = load_library().get(SCENARIO)
    poor = run_scripted(scenario, CONVERSATIONS[SCENARIO]["poor"]["replies"]).debrief()
    start(app, SCENARIO)
    for reply in CONVERSATIONS[SCENARIO]["poor"]["replies"]:
        send(app, reply)
    assert [m.name for m in app.chat_message] == ["customer", "agent"] * 3 + ["customer"]
    assert len(app.chat_input) == 0
    assert "Debrief" in [h.value for h in app.subheader]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Goals met"] == f"{poor.goals_met} of 8"
    assert metrics["Attempt"] == "1"
    assert 'turn 1: "restart the router"' in [_text(c.value) for c in app.caption]
    practise = [_text(m.value) for m in app.markdown if m.value.startswith(("1. ", "2. ", "3. "))]
    assert [p.split("\n")[0].split(" (turn")[0] for p in practise] == [
        f"{i}. {point.title}" for i, point in enumerate(poor.practice, 1)]

    app.button(key="practice.restart").click().run()
    assert len(app.chat_message) == 1
    for reply in CONVERSATIONS[SCENARIO]["good"]["replies"]:
        send(app, reply)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Goals met"] == "8 of 8"
    assert metrics["Attempt"] == "2"
    assert any(_text(m.value).startswith("Attempt 2 at this scenario: ") and "points up" in _text(m.value)
               for m in app.markdown)
    assert messages(app)[-1] == ("customer", scenario.turns[-1].responses["resolved"].message)


def test_practice_page_empty_reply_warns_and_stays(app):
    start(app, "printer-first-day")
    send(app, "   ")
    assert len(app.chat_message) == 1
    assert app.warning[0].value.startswith("The reply is empty.")


def test_practice_page_lists_broken_files_and_keeps_the_others(tmp_path, monkeypatch):
    (tmp_path / "printer-first-day.yaml").write_text(
        (ROOT / "scenarios" / "printer-first-day.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("COACH_SCENARIOS_DIR", str(tmp_path))
    at = AppTest.from_file(ROOT / "app.py", default_timeout=TIMEOUT).run()
    at.switch_page("webapp/pages/practice.py").run()
    assert not at.exception
    assert at.expander[0].label == "1 scenario file(s) could not be loaded"
    assert at.text[0].value.startswith(f"{tmp_path / 'broken.yaml'}: line 3: invalid YAML")
    assert at.selectbox(key="practice.scenario").options == ["★☆☆  A new starter who can't print (chat)"]
