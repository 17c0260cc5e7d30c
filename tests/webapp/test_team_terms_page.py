"""The Team terms page, through Streamlit's AppTest: managers keep their team's list; nobody else can."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach.store import glossary, repository
from coach.store.db import open_store
from webapp.pages import team_terms
from coach.store import auth
from coach.store.db import database_url
from coach.store.models import User
from webapp.session import TOKEN_KEY, USER_KEY

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "webapp" / "pages" / "team_terms.py"
PASSWORD = "correct horse battery"


@pytest.fixture
def people(tmp_path, monkeypatch) -> dict[str, int]:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    monkeypatch.setenv("COACH_DATABASE_URL", url)
    store = open_store(url)
    with store.write() as session:
        ids = {name: repository.add_user(session, name, f"{name.lower()}@a.example", role, PASSWORD, "Support").id
               for name, role in (("Ann", "manager"), ("Al", "agent"))}
    store.dispose()
    return ids


def _page(user_id: int | None) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    if user_id is not None:
        store = open_store(database_url())
        with store.read() as session:
            token = auth.identity(session.get(User, user_id)).token
        store.dispose()
        at.session_state[USER_KEY], at.session_state[TOKEN_KEY] = user_id, token
    return at.run()


def _save(at: AppTest, **fields: str) -> AppTest:
    for key, value in fields.items():
        at.text_input(key=key).set_value(value)
    return next(b for b in at.button if b.label == "Save").click().run()


@pytest.mark.parametrize("who", [None, "Al"])
def test_team_terms_page_is_for_managers_only(people, who):
    at = _page(people[who] if who else None)
    assert not at.exception
    assert "Managers keep their team's own terms" in at.info[0].value
    assert not at.text_input


def test_team_terms_page_manager_adds_lists_and_removes_words(people):
    at = _page(people["Ann"])
    assert "No terms yet" in at.info[0].value
    at = _save(at, **{team_terms.TERM_KEY: "Zephyr queue", team_terms.PLAIN_KEY: "repair waiting list"})
    assert not at.exception and at.success[0].value == "Saved 'Zephyr queue'."
    at.radio(key=team_terms.KIND_KEY).set_value(team_terms.APPROVED_KIND).run()
    at = _save(at, **{team_terms.TERM_KEY: "Acme Sync"})
    table = at.dataframe[0].value
    assert table[["kind", "word", "plain words"]].values.tolist() == [["term", "Zephyr queue", "repair waiting list"],
                                                                       ["approved", "Acme Sync", ""]]
    at.selectbox(key=team_terms.REMOVE_CHOICE_KEY).set_value("Acme Sync").run()
    at = at.button(key=team_terms.REMOVE_KEY).click().run()
    assert at.dataframe[0].value["word"].tolist() == ["Zephyr queue"]


def test_team_terms_page_says_what_is_wrong_with_an_entry(people):
    at = _save(_page(people["Ann"]), **{team_terms.TERM_KEY: "Zephyr queue", team_terms.PLAIN_KEY: ""})
    assert not at.exception
    assert at.warning[0].value == "The plain alternative is missing."
    store = open_store()
    with store.read() as session:
        assert glossary.operator_list(session, "Support") == []
    store.dispose()
