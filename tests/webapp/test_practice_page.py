"""The "Practice" page, driven through Streamlit's AppTest with the real engine and analysers."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach.practice import load_library, run_scripted
from tests.practice.scripts import JARGON_TERMS, script

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180
SCENARIO = "third-outage-this-week"


def replies(kind: str, scenario_id: str = SCENARIO) -> list[str]:
    return [script(kind, turn.model) for turn in load_library().get(scenario_id).turns]


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


def _brief_text(at: AppTest) -> str:
    return "\n".join(_text(m.value) for m in at.markdown)


def test_practice_page_shows_the_brief_and_opening_before_the_first_reply(app):
    scenario = load_library().get(SCENARIO)
    start(app, SCENARIO)
    assert messages(app) == [("customer", scenario.opening)]
    assert "Dan Okafor" in app.caption[0].value
    brief = _brief_text(app)
    assert "Your brief" in brief
    assert scenario.brief.situation in brief
    assert all(fact in brief for fact in scenario.brief.facts)
    assert all(goal.text in brief for goal in scenario.goals)


def test_practice_page_customer_quotes_the_trainees_own_jargon(app):
    start(app, SCENARIO)
    reply = replies("jargon")[0]
    send(app, reply)
    (_, opening), (_, sent), (_, answer) = messages(app)
    assert sent == reply
    assert any(f'"{term}"' in answer for term in JARGON_TERMS)


def test_practice_page_live_coaching_shows_outcome_and_goals(app):
    start(app, SCENARIO)
    app.toggle(key="practice.coaching").set_value(True).run()
    send(app, "Hi Dan, please restart the router and check your DHCP lease.")
    captions = [_text(c.value) for c in app.caption]
    assert any(c.startswith(":orange[Confusing: unexplained jargon] · overall ") for c in captions)
    assert ":material/cancel: Do not tell him to restart the router again" in captions


def test_practice_page_full_run_reaches_the_debrief_path_and_compares_attempts(app):
    scenario = load_library().get(SCENARIO)
    cold = run_scripted(scenario, replies("cold")).debrief()
    start(app, SCENARIO)
    for reply in replies("cold"):
        send(app, reply)
    assert [m.name for m in app.chat_message] == ["customer", "agent"] * 3 + ["customer"]
    assert len(app.chat_input) == 0
    assert "Debrief" in [h.value for h in app.subheader]
    assert "Your path" in [h.value for h in app.subheader]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Goals met"] == f"{cold.goals_met} of {len(cold.goals)}"
    assert metrics["Attempt"] == "1"
    assert "Your brief" in _brief_text(app)

    app.button(key="practice.restart").click().run()
    assert len(app.chat_message) == 1
    for reply in replies("good"):
        send(app, reply)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Goals met"] == f"{len(cold.goals)} of {len(cold.goals)}"
    assert metrics["Attempt"] == "2"
    assert any(_text(m.value).startswith("Attempt 2 at this scenario: ") and "points up" in _text(m.value)
               for m in app.markdown)
    assert messages(app)[-1][1].endswith(scenario.turns[-1].reactions["resolved"].message)
    assert any(_text(m.value).startswith("**Next:** ") for m in app.markdown)


def test_practice_page_play_next_switches_to_the_recommended_scenario(app):
    start(app, "printer-first-day")
    for reply in replies("jargon", "printer-first-day"):
        send(app, reply)
    next_up = [_text(m.value) for m in app.markdown if _text(m.value).startswith("**Next:** ")][0]
    app.button(key="practice.play_next").click().run()
    chosen = load_library().get(app.selectbox(key="practice.scenario").value)
    assert chosen.id != "printer-first-day"
    assert chosen.title in next_up
    assert messages(app) == [("customer", chosen.opening)]


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
    assert at.selectbox(key="practice.scenario").options == ["★☆☆  First day, no printer in the list (chat)"]
