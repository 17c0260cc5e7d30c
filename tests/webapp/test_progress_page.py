"""The Progress and Account pages, through Streamlit's AppTest, on a small demo workspace."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach.practice import load_library
from coach.store import auth, repository
from coach.store.db import open_store
from coach.store.models import User
from coach.store.demo import create_demo, load_demo_spec

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300  # the first run loads the spaCy pipeline (the landing page warms the coach up)
PROGRESS, ACCOUNT = "webapp/pages/progress.py", "webapp/pages/account.py"
SPEC = load_demo_spec()
PEOPLE = 3


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'coach.db'}"
    store = open_store(url)
    create_demo(store, weeks=3, people=PEOPLE)
    store.dispose()
    return url


@pytest.fixture
def app(demo_url, monkeypatch) -> AppTest:
    monkeypatch.setenv("COACH_DATABASE_URL", demo_url)
    at = AppTest.from_file(ROOT / "app.py", default_timeout=TIMEOUT).run()
    assert not at.exception
    return at


def _user_id(url: str, email: str) -> int:
    store = open_store(url)
    with store.read() as session:
        user = next(u for u in repository.list_all_users(session) if u.email == email)
    store.dispose()
    return user.id


def _become(at: AppTest, url: str, email: str) -> None:
    """Signed in as `email` without the form: the session holds the user id and sign-in token."""
    store = open_store(url)
    with store.read() as session:
        user = auth.identity(session.get(User, _user_id(url, email)))
    store.dispose()
    at.session_state["auth.user_id"], at.session_state["auth.token"] = user.id, user.token


def _sign_in(at: AppTest, email: str, password: str) -> AppTest:
    at.switch_page(ACCOUNT).run()
    at.text_input(key="account.email").set_value(email)
    at.text_input(key="account.password").set_value(password)
    return at.button(key="account.sign_in").click().run()


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def test_progress_page_asks_to_sign_in(app):
    app.switch_page(PROGRESS).run()
    assert not app.exception
    assert "Sign in" in app.info[0].value and not app.dataframe


def test_progress_page_manager_signs_in_and_sees_the_team(app):
    _sign_in(app, SPEC.manager["email"], SPEC.manager["password"])
    assert not app.exception and "Morgan Lee" in app.success[0].value
    app.switch_page(PROGRESS).run()
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["Name"]) == sorted(p.name for p in SPEC.people[:PEOPLE])
    assert {"Checks", "Practice sessions", "Overall", "Empathy", "Change since first two weeks"} <= set(table.columns)
    assert (table["Checks"] > 0).all()
    titles = [chart.get("title") for chart in _charts(app)]
    assert "Team: weekly average per skill" in titles
    assert any("Skills by person" in str(chart) for chart in _charts(app))
    assert [m.label for m in app.metric][:2] == ["Overall", "Jargon"]
    assert {b.key for b in app.get("download_button")} == {"progress.csv", "progress.html", "progress.team_terms"}


def test_progress_page_manager_drills_down_into_a_person(app, demo_url):
    sam = next(p for p in SPEC.people[:PEOPLE] if p.role == "trainee")
    _become(app, demo_url, SPEC.manager["email"])
    app.switch_page(PROGRESS).run()
    app.selectbox(key="progress.person").set_value(_user_id(demo_url, sam.email)).run()
    assert not app.exception
    assert f"{sam.name}: weekly average per skill" in [c.get("title") for c in _charts(app)]
    # runs are named by their scenario's title, never its id
    titles = tuple(load_library().scenarios[s].title for s in SPEC.practice)
    assert any(e.label.startswith(titles) for e in app.expander)
    assert not any(e.label.startswith(tuple(SPEC.practice)) for e in app.expander)


def test_progress_page_agent_sees_only_their_own_progress(app, demo_url):
    alex = SPEC.people[0]
    _become(app, demo_url, alex.email)
    app.switch_page(PROGRESS).run()
    assert not app.exception
    assert not app.get("button_group")  # no Team view to switch to
    assert not app.dataframe and not app.get("download_button")
    assert [c.get("title") for c in _charts(app)] == [f"{alex.name}: weekly average per skill"]


MARKDOWN_NAME = "Eve ![](https://tracker.example/p.png) [win](https://evil.example) **bold**"


def test_pages_show_a_persons_name_as_written_not_as_markdown(demo_url, monkeypatch):
    """A name is person-supplied: no link, image or emphasis may come out of it."""
    store = open_store(demo_url)
    with store.write() as session:
        repository.add_user(session, MARKDOWN_NAME, "eve@a.example", "agent", "a long password", "Evil team")
    store.dispose()
    monkeypatch.setenv("COACH_DATABASE_URL", demo_url)
    at = AppTest.from_file(ROOT / "app.py", default_timeout=TIMEOUT).run()
    _sign_in(at, "eve@a.example", "a long password")
    shown = [at.success[0].value]
    at.switch_page(PROGRESS).run()
    assert not at.exception
    shown.append(at.info[0].value)
    for text in shown:
        assert "![](" not in text and "](https" not in text and "**bold**" not in text
        assert r"\!\[\]\(https" in text and r"\*\*bold\*\*" in text


def test_account_page_wrong_password_then_sign_out(app):
    _sign_in(app, SPEC.manager["email"], "not the password")
    assert "Wrong e-mail or password." in app.error[0].value
    _sign_in(app, SPEC.manager["email"], SPEC.manager["password"])
    app.button(key="account.sign_out").click().run()
    assert "auth.user_id" not in app.session_state
    assert app.text_input(key="account.email") is not None


def test_account_page_creates_the_first_manager_in_an_empty_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    at = AppTest.from_file(ROOT / "app.py", default_timeout=TIMEOUT).run()
    at.switch_page(ACCOUNT).run()
    assert "no accounts yet" in at.info[0].value
    for key, value in {"name": "Ann Lee", "email": "ann@corp.example", "team": "Service desk",
                       "password": "a long password", "again": "a long password"}.items():
        at.text_input(key=f"account.setup.{key}").set_value(value)
    at.button(key="account.setup.create").click().run()
    assert not at.exception
    assert "Ann Lee" in at.success[0].value and "Service desk" in at.success[0].value


def _recording_script(keep_text: bool, sign_in_as: str | None, scenario_id: str) -> None:
    """Runs inside AppTest: what the check and practice pages do after a check and a practice run."""
    import streamlit as st

    import coach
    from coach.practice import load_library, run_scripted
    from coach.store.demo import load_demo_spec
    from webapp import session

    if sign_in_as:
        session.sign_in(sign_in_as, "a long password")
    report = coach.analyze("Hi Sam, I reset your DNS. Call me on 07700 900123. Best, Al",
                           customer_message="My internet is down")
    st.session_state["checked"] = session.record_check(report, report.text, store_text=keep_text)
    scenario = load_library().get(scenario_id)
    run = run_scripted(scenario, list(load_demo_spec().practice[scenario_id]["strong"][: len(scenario.turns)]))
    st.session_state["turns"] = [session.record_practice_turn(scenario_id, turn) for turn in run.turns]
    st.session_state["debriefed"] = session.record_practice_debrief(
        scenario_id, run.debrief(previous=session.previous_practice(scenario_id)))


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    monkeypatch.setenv("COACH_DATABASE_URL", url)
    store = open_store(url)
    with store.write() as session:
        repository.add_user(session, "Al", "al@a.example", "agent", "a long password", "A")
    yield store
    store.dispose()


def _history(store):
    with store.read() as session:
        al = repository.list_all_users(session)[0]
        return repository.attempt_rows(session, al), repository.practice_transcripts(session, al, al.id)


@pytest.mark.parametrize("keep_text", [True, False])
def test_session_records_checks_and_practice_of_the_signed_in_user(workspace, keep_text):
    scenario_id = next(iter(SPEC.practice))
    at = AppTest.from_function(_recording_script, args=(keep_text, "al@a.example", scenario_id),
                               default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.session_state["checked"] and all(at.session_state["turns"]) and at.session_state["debriefed"]
    rows, runs = _history(workspace)
    check, = [r for r in rows if r["source"] == "check"]
    assert check["reply_text"] == ("Hi Sam, I reset your DNS. Call me on [phone]. Best, Al" if keep_text else None)
    assert check["overall"] is not None
    run, = runs
    assert run["scenario_id"] == scenario_id and run["debrief"]["scenario"] == scenario_id
    assert [t["turn"] for t in run["turns"]] == list(range(1, len(run["turns"]) + 1))
    assert all(t["reply"] for t in run["turns"])


def test_session_stores_nothing_without_sign_in(workspace):
    at = AppTest.from_function(_recording_script, args=(True, None, next(iter(SPEC.practice))),
                               default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.session_state["checked"] is False and not any(at.session_state["turns"])
    assert at.session_state["debriefed"] is False
    assert _history(workspace) == ([], [])


@pytest.mark.parametrize("keep_text", [False, True])
def test_check_page_records_checks_of_a_signed_in_agent(demo_url, monkeypatch, keep_text):
    monkeypatch.setenv("COACH_DATABASE_URL", demo_url)
    agent = SPEC.people[0]
    at = AppTest.from_file(ROOT / "app.py", default_timeout=TIMEOUT).run()
    _sign_in(at, agent.email, agent.password)
    at.switch_page("webapp/pages/check.py").run()
    reply = f"Hi Sam, I reset your DNS ({keep_text}). Call me on 020 7946 0018."
    at.text_area(key="check.reply").set_value(reply)
    at.checkbox(key="check.keep_text").set_value(keep_text)
    at.button(key="check.run").click().run()
    assert not at.exception
    store = open_store(demo_url)
    with store.read() as session:
        me = next(u for u in repository.list_all_users(session) if u.email == agent.email)
        checks = [r for r in repository.attempt_rows(session, me) if r["source"] == "check"]
    store.dispose()
    latest = max(checks, key=lambda r: r["attempt_id"])
    assert latest["overall"] is not None
    if keep_text:
        assert latest["reply_text"] == "Hi Sam, I reset your DNS (True). Call me on [phone]."
    else:
        assert latest["reply_text"] is None


def test_progress_page_team_view_shows_practice_first_to_best(app):
    _sign_in(app, SPEC.manager["email"], SPEC.manager["password"])
    app.switch_page(PROGRESS).run()
    assert not app.exception
    assert "Practice: first attempt → best attempt" in [h.value for h in app.subheader]
    table = next(d.value for d in app.dataframe if "Weakest skill" in d.value.columns)
    assert {"Name", "Scenarios", "Runs", "First", "Best", "Weakest skill", "Next scenario"} <= set(table.columns)
    assert len(table) >= 1
    assert (table["Best"] >= table["First"]).all()
    assert table["Next scenario"].notna().all()
