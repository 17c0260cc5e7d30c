"""The team's feedback loop through Streamlit's AppTest: an agent dismisses a flag, the manager reads
the rule view and turns the rule off for the team (the agent's next check no longer shows it), a
reviewer scores a reply and the manager reads the agreement view, and the manager adds and
deactivates a person on the Account page."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach.store import audit, auth, calibration, glossary, people, repository, rules
from coach.store.auth import AuthError, sign_in
from coach.store.db import open_store
from coach.store.models import User
from webapp.rules_view import apply_key, approve_key, mode_key

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300
CHECK, PROGRESS, ACCOUNT, REVIEW = ("webapp/pages/check.py", "webapp/pages/progress.py", "webapp/pages/account.py",
                                    "webapp/pages/review.py")
PASSWORD = "a long password"
JARGON_REPLY = ("Hi Sam, sorry about the trouble. I flushed the DNS cache on your firewall, so the pages should load "
                "again. I'll check tomorrow morning that it holds. Best regards, Al")


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """Manager Ann and agent Al in team A; a fresh SQLite database the app uses."""
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    monkeypatch.setenv("COACH_DATABASE_URL", url)
    store = open_store(url)
    with store.write() as session:
        repository.add_user(session, "Ann Lee", "ann@a.example", "manager", PASSWORD, "A")
        repository.add_user(session, "Al Green", "al@a.example", "agent", PASSWORD, "A")
    yield store
    store.dispose()


def _user(store, email: str):
    with store.read() as session:
        return next(u for u in repository.list_all_users(session) if u.email == email)


def _app(store, email: str | None) -> AppTest:
    at = AppTest.from_file(ROOT / "app.py", default_timeout=TIMEOUT).run()
    assert not at.exception
    if email:
        with store.read() as session:
            user = auth.identity(session.get(User, _user(store, email).id))
        at.session_state["auth.user_id"], at.session_state["auth.token"] = user.id, user.token
    return at


def _check(at: AppTest, reply: str, keep_text: bool = False) -> dict:
    at.switch_page(CHECK).run()
    at.text_area(key="check.reply").set_value(reply)
    at.checkbox(key="check.keep_text").set_value(keep_text)
    at.button(key="check.run").click().run()
    assert not at.exception
    return at.session_state["check.result"]["report"].to_dict()


def test_agent_dismisses_a_flag_and_the_manager_turns_the_rule_off(workspace):
    agent = _app(workspace, "al@a.example")
    report = _check(agent, JARGON_REPLY, keep_text=True)
    index, finding = next((i, f) for i, f in enumerate(report["findings"]) if f["analyzer"] == "jargon")
    agent.selectbox(key="dismiss.check.finding").set_value(index)
    agent.radio(key="dismiss.check.reason").set_value("known-term")
    agent.text_input(key="dismiss.check.note").set_value("Our customers are network admins")
    agent.button(key="dismiss.check.send").click().run()
    assert not agent.exception
    assert any("Sent:" in c.value for c in agent.caption)
    manager_info = _user(workspace, "ann@a.example")
    with workspace.read() as session:
        dismissal, = rules.dismissal_rows(session, manager_info)
    assert (dismissal["rule"], dismissal["text"], dismissal["name"]) == (finding["rule"], finding["text"], "Al Green")
    assert dismissal["note"] == "Our customers are network admins" and finding["text"] in dismissal["context"]

    manager = _app(workspace, "ann@a.example")
    manager.session_state["progress.view"] = "Flags and rules"
    manager.switch_page(PROGRESS).run()
    assert not manager.exception
    table = manager.dataframe[0].value
    row = table[table["Dismissed"] > 0].iloc[0]
    assert row["Fired"] >= 1 and row["For the team"] == "On" and "." not in row["Rule"]
    assert any(finding["text"] in t.value for t in manager.text)   # the dismissed passage, as an example
    assert any("customers know" in c.value and finding["text"] in c.value for c in manager.caption)
    manager.selectbox(key=mode_key(finding["rule"])).set_value("off").run()
    manager.button(key=apply_key(finding["rule"])).click().run()
    assert not manager.exception
    with workspace.read() as session:
        assert finding["rule"] in rules.rule_modes_for(session, _user(workspace, "al@a.example").id)[0]
        entry = audit.audit_entries(session, manager_info)[0]
    assert (entry["who"], entry["action"], entry["detail"]["rule"]) == ("Ann Lee", "rule.off", finding["rule"])
    assert manager.dataframe[-1].value.iloc[0]["Who"] == "Ann Lee"   # the audit log, newest first

    again = _check(agent, JARGON_REPLY + " ")
    assert finding["rule"] not in {f["rule"] for f in again["findings"]}
    assert any(f["rule"] == finding["rule"] for f in report["findings"])


def test_manager_adds_a_dismissed_term_to_the_teams_approved_words(workspace):
    """"Our customers know this term" -> the manager's button -> the team's approved words (issue 12's
    team glossary): the agent's next check no longer flags that word, other jargon still is."""
    agent = _app(workspace, "al@a.example")
    report = _check(agent, JARGON_REPLY)
    index, finding = next((i, f) for i, f in enumerate(report["findings"])
                          if f["analyzer"] == "jargon" and "DNS" in f["text"])
    agent.selectbox(key="dismiss.check.finding").set_value(index)
    agent.radio(key="dismiss.check.reason").set_value("known-term")
    agent.button(key="dismiss.check.send").click().run()
    assert not agent.exception

    manager = _app(workspace, "ann@a.example")
    manager.session_state["progress.view"] = "Flags and rules"
    manager.switch_page(PROGRESS).run()
    manager.button(key=approve_key(finding["rule"], finding["text"])).click().run()
    assert not manager.exception
    assert "now an approved word for A" in manager.success[0].value
    assert any(f"{finding['text']} is one of A's approved words" in c.value for c in manager.caption)
    log = manager.dataframe[-1].value
    assert (log.iloc[0]["Who"], log.iloc[0]["What"]) == ("Ann Lee", f"added an approved word: {finding['text']}")
    with workspace.read() as session:
        words = glossary.team_settings(session, _user(workspace, "al@a.example")).approved_words
    assert words == {finding["text"]}

    again = _check(agent, JARGON_REPLY + " ")
    assert finding["text"] not in {f["text"] for f in again["findings"]}
    assert any(f["analyzer"] == "jargon" for f in again["findings"])   # "firewall" is still jargon


def test_dismissing_needs_a_note_for_other_and_an_account(workspace):
    anonymous = _app(workspace, None)
    anonymous.switch_page(CHECK).run()
    anonymous.text_area(key="check.reply").set_value(JARGON_REPLY)
    anonymous.button(key="check.run").click().run()
    assert any("Sign in on the Account page" in c.value for c in anonymous.caption)
    agent = _app(workspace, "al@a.example")
    _check(agent, JARGON_REPLY)
    agent.radio(key="dismiss.check.reason").set_value("other")
    agent.button(key="dismiss.check.send").click().run()
    assert "Say in a few words" in agent.warning[0].value
    with workspace.read() as session:
        assert rules.dismissal_rows(session, _user(workspace, "ann@a.example")) == []


def test_reviewer_scores_a_reply_and_the_manager_reads_the_agreement(workspace):
    agent = _app(workspace, "al@a.example")
    coach_scores = _check(agent, JARGON_REPLY, keep_text=True)["scores"]
    manager = _app(workspace, "ann@a.example")
    manager.switch_page(REVIEW).run()
    assert not manager.exception
    assert JARGON_REPLY in [t.value for t in manager.text]
    assert not manager.metric   # the coach's scores stay hidden while scoring
    manager.select_slider(key="review.score.tone").set_value(40)
    manager.select_slider(key="review.score.jargon").set_value(30)
    manager.radio(key="review.verdict").set_value("fail")
    manager.text_area(key="review.note").set_value("Too technical for a home user")
    manager.button(key="review.save").click().run()
    assert not manager.exception
    assert "No replies to score" in manager.info[0].value
    with workspace.read() as session:
        review, = calibration.review_rows(session, _user(workspace, "ann@a.example"))
    assert (review["reviewer_tone"], review["reviewer_jargon"], review["passed"]) == (40.0, 30.0, False)
    assert review["coach_tone"] == pytest.approx(coach_scores["tone"])

    manager.session_state["progress.view"] = "Coach vs reviewers"
    manager.switch_page(PROGRESS).run()
    assert not manager.exception
    assert {m.label: m.value for m in manager.metric}["Reviewed replies"] == "1"
    per_skill = manager.dataframe[0].value.set_index("Skill")
    assert per_skill.loc["Tone", "Replies"] == 1
    assert per_skill.loc["Tone", "Coach minus reviewer"] == pytest.approx(coach_scores["tone"] - 40)
    assert per_skill.loc["Empathy", "Replies"] == 0
    assert any("Tone" in m.value or "Jargon" in m.value for m in manager.markdown)   # the widest gap
    assert [b.key for b in manager.get("download_button")] == ["calibration.csv"]


def test_agents_cannot_review(workspace):
    agent = _app(workspace, "al@a.example")
    agent.switch_page(REVIEW).run()
    assert "Managers and QA reviewers" in agent.info[0].value and not agent.get("select_slider")


def test_manager_adds_a_person_then_deactivates_them(workspace):
    manager = _app(workspace, "ann@a.example")
    manager.switch_page(ACCOUNT).run()
    assert list(manager.dataframe[0].value["Name"]) == ["Al Green", "Ann Lee"]
    manager.text_input(key="people.add.name").set_value("Cas Diaz")
    manager.text_input(key="people.add.email").set_value("cas@a.example")
    manager.selectbox(key="people.add.role").set_value("trainee")
    manager.button(key="people.add.save").click().run()
    assert not manager.exception
    temporary = manager.code[0].value
    assert "Cas Diaz" in manager.success[-1].value and "not shown again" in manager.success[-1].value
    assert list(manager.dataframe[0].value["Name"]) == ["Al Green", "Ann Lee", "Cas Diaz"]
    manager.run()
    assert not manager.code   # shown once
    signed = sign_in(workspace, "cas@a.example", temporary)
    assert signed.must_change_password
    with workspace.write() as session:
        people.change_password(session, signed, "cas's own password")

    cas = _user(workspace, "cas@a.example")
    manager.selectbox(key="people.person").set_value(cas.id).run()
    manager.button(key="people.deactivate").click().run()
    assert not manager.exception
    table = manager.dataframe[0].value.set_index("Name")
    assert not table.loc["Cas Diaz", "Active"] and table.loc["Al Green", "Active"]
    with pytest.raises(AuthError, match="deactivated"):
        sign_in(workspace, "cas@a.example", "cas's own password")
    with workspace.read() as session:
        actions = [e["action"] for e in audit.audit_entries(session, _user(workspace, "ann@a.example"))]
    assert actions == ["person.deactivate", "person.add"]


def test_a_reset_person_must_choose_a_new_password(workspace):
    manager = _app(workspace, "ann@a.example")
    manager.switch_page(ACCOUNT).run()
    manager.selectbox(key="people.person").set_value(_user(workspace, "al@a.example").id).run()
    manager.button(key="people.reset").click().run()
    temporary = manager.code[0].value
    agent = AppTest.from_file(ROOT / "app.py", default_timeout=TIMEOUT).run()
    agent.switch_page(ACCOUNT).run()
    agent.text_input(key="account.email").set_value("al@a.example")
    agent.text_input(key="account.password").set_value(temporary)
    agent.button(key="account.sign_in").click().run()
    assert "Choose your own now" in agent.warning[0].value
    agent.text_input(key="account.new_password").set_value("al's own password")
    agent.text_input(key="account.new_password_again").set_value("al's own password")
    agent.button(key="account.new_password_save").click().run()
    assert not agent.exception and "Signed in as" in agent.success[0].value
    assert sign_in(workspace, "al@a.example", "al's own password").name == "Al Green"


def test_trainee_dismisses_a_flag_in_practice(workspace):
    agent = _app(workspace, "al@a.example")
    agent.switch_page("webapp/pages/practice.py").run()
    agent.selectbox(key="practice.scenario").set_value("third-outage-this-week").run()
    agent.toggle(key="practice.coaching").set_value(True).run()
    agent.chat_input(key="practice.reply").set_value(
        "Please reboot the ONT and check the SSID again. Obviously it works for everyone else.").run()
    assert not agent.exception
    agent.radio(key="dismiss.practice.1.reason").set_value("not-relevant")
    agent.button(key="dismiss.practice.1.send").click().run()
    assert not agent.exception
    with workspace.read() as session:
        dismissal, = rules.dismissal_rows(session, _user(workspace, "ann@a.example"))
    assert (dismissal["source"], dismissal["scenario_id"], dismissal["reason"]) == (
        "practice", "third-outage-this-week", "not-relevant")


def test_a_manager_without_a_team_is_told_so(workspace):
    with workspace.write() as session:
        repository.add_user(session, "Zed Park", "zed@z.example", "manager", PASSWORD)
    manager = _app(workspace, "zed@z.example")
    manager.session_state["progress.view"] = "Flags and rules"
    manager.switch_page(PROGRESS).run()
    assert not manager.exception and "no team yet" in manager.info[0].value
    manager.switch_page(ACCOUNT).run()
    assert not manager.exception and any("no team yet" in c.value for c in manager.caption)
