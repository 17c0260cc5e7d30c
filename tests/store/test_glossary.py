"""A team's own terms and approved words in the database: who may change them, what checks get."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coach.context import TeamSettings, TeamTerm
from coach.errors import InputError
from coach.store import glossary
from coach.store.models import TeamWordChange


def _add(store, info, who, team_id, term, **kwargs):
    with store.write() as session:
        return glossary.add_team_term(session, info(who), team_id, term, **kwargs)


def _list(store, info, who, team_id):
    with store.read() as session:
        return [(w.kind, w.text, w.plain) for w in glossary.list_team_terms(session, info(who), team_id)]


def test_glossary_store_manager_adds_terms_and_approved_words_the_team_reads(store, info):
    team = info("Ann").team_ids[0]
    _add(store, info, "Ann", team, "Zephyr  queue", plain="repair waiting list", explanation="Where repairs wait.")
    _add(store, info, "Ann", team, "Acme Sync", approved=True)
    expected = [("term", "Zephyr queue", "repair waiting list"), ("approved", "Acme Sync", None)]
    assert _list(store, info, "Ann", team) == expected
    assert _list(store, info, "Al", team) == expected  # an agent of the team reads it
    assert _list(store, info, "Bob", team) == []  # another team's manager sees nothing


def test_glossary_store_adding_again_changes_the_entry_and_records_each_change(store, info):
    team = info("Ann").team_ids[0]
    _add(store, info, "Ann", team, "RMA", plain="return form")
    _add(store, info, "Ann", team, "rma", plain="returns form")
    _add(store, info, "Ann", team, "RMA", approved=True)
    with store.write() as session:
        assert glossary.remove_team_term(session, info("Ann"), team, "Rma")
        assert not glossary.remove_team_term(session, info("Ann"), team, "Rma")
    assert _list(store, info, "Ann", team) == []
    with store.read() as session:
        changes = session.execute(select(TeamWordChange.action, TeamWordChange.kind, TeamWordChange.user_id)
                                  .order_by(TeamWordChange.id)).all()
    ann = info("Ann").id
    assert changes == [("add", "term", ann), ("update", "term", ann), ("update", "approved", ann),
                       ("remove", "approved", ann)]


@pytest.mark.parametrize("who", ["Al", "Tia", "Bob", "Zed"])
def test_glossary_store_only_the_teams_managers_may_change_it(store, info, who):
    team = info("Ann").team_ids[0]
    with pytest.raises(glossary.NotAllowedError), store.write() as session:
        glossary.add_team_term(session, info(who), team, "Zephyr queue", plain="repair waiting list")
    _add(store, info, "Ann", team, "Zephyr queue", plain="repair waiting list")
    with pytest.raises(glossary.NotAllowedError), store.write() as session:
        glossary.remove_team_term(session, info(who), team, "Zephyr queue")
    assert len(_list(store, info, "Ann", team)) == 1


@pytest.mark.parametrize(("term", "plain", "approved", "message"), [
    ("", "x", False, "term is missing"),
    ("   ", "x", False, "term is missing"),
    ("!!!", "x", False, "no letters or digits"),
    ("Zephyr queue", None, False, "plain alternative is missing"),
    ("Zephyr queue", "the list of repairs that are waiting for an engineer to pick them up", False, "keep it to 8"),
    ("Zephyr queue", "zephyr  QUEUE", False, "differently from the term"),
    ("Zephyr\nqueue", "repair list", False, "one line"),
    ("x" * 121, "repair list", False, "under 120"),
    ("Acme Sync", "our app", True, "no plain alternative"),
])
def test_glossary_store_bad_entries_are_refused_with_a_clear_message(store, info, term, plain, approved, message):
    team = info("Ann").team_ids[0]
    with pytest.raises(InputError, match=message), store.write() as session:
        glossary.add_team_term(session, info("Ann"), team, term, plain=plain, approved=approved)
    assert _list(store, info, "Ann", team) == []


def test_glossary_store_team_settings_for_a_users_checks(store, info):
    team = info("Ann").team_ids[0]
    _add(store, info, "Ann", team, "Zephyr queue", plain="repair waiting list", explanation="Where repairs wait.")
    _add(store, info, "Ann", team, "dashboard", approved=True)
    _add(store, info, "Bob", info("Bob").team_ids[0], "Blue desk", plain="front desk")
    base = TeamSettings(disabled_rules=frozenset({"tone.curt-command"}))
    with store.read() as session:
        settings = glossary.team_settings(session, info("Al"), base)
        outsider = glossary.team_settings(session, info("Zed"))
    assert settings.terms == (TeamTerm("Zephyr queue", "repair waiting list", "Where repairs wait."),)
    assert settings.approved_words == frozenset({"dashboard"})
    assert settings.disabled_rules == frozenset({"tone.curt-command"})  # other settings kept
    assert outsider == TeamSettings()


def test_glossary_store_export_frame_has_the_managers_teams_words_only(store, info):
    _add(store, info, "Ann", info("Ann").team_ids[0], "Zephyr queue", plain="repair waiting list")
    _add(store, info, "Bob", info("Bob").team_ids[0], "Blue desk", plain="front desk")
    with store.read() as session:
        frame = glossary.team_words_frame(session, info("Ann"))
        agent = glossary.team_words_frame(session, info("Al"))
    assert frame[["team", "kind", "term", "plain"]].values.tolist() == [["A", "term", "Zephyr queue",
                                                                          "repair waiting list"]]
    assert agent.empty
