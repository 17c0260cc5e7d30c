"""Dismissed findings, the manager's per-rule view and team rule settings (with the audit log)."""
from __future__ import annotations

from datetime import datetime

import pytest

from coach.errors import CoachError, InputError
from coach.store import audit, glossary, progress, repository, rules
from coach.store.audit import NotAllowedError
from coach.store.auth import NotSignedInError

from .conftest import report_dict

REPLY = "Hi Sam, I flushed the DNS cache on your router. Email me at sam@example.com if it drops again."


def _finding(rule: str, text: str, message: str) -> dict:
    start = REPLY.index(text)
    return {"analyzer": rule.split(".")[0], "rule": rule, "severity": "warning", "start": start,
            "end": start + len(text), "text": text, "message": message}


DNS = _finding("jargon.acronym", "DNS", "'DNS' is jargon for most customers.")
EMAIL_FINDING = _finding("tone.curt-command", "Email me at sam@example.com", "Sounds curt.")


def _dismiss(store, who, finding=DNS, reason="known-term", note=None, **kwargs):
    with store.write() as session:
        return rules.dismiss_finding(session, who, finding, reason, REPLY, note=note, **kwargs)


def test_dismiss_finding_stores_rule_reason_and_redacted_context(store, info, me):
    _dismiss(store, me("Al"), EMAIL_FINDING, "other", note="It's their own address, sam@example.com")
    with store.read() as session:
        row, = rules.dismissal_rows(session, info("Ann"))
    assert row["rule"] == "tone.curt-command" and row["reason"] == "other" and row["name"] == "Al"
    assert "sam@example.com" not in (row["text"] + row["context"] + row["note"])
    assert row["context"].startswith("Hi Sam, I flushed the DNS")


@pytest.mark.parametrize("reason, note, problem", [
    ("other", None, "Say in a few words"),
    ("because", None, "Unknown reason"),
    ("wrong", "x" * 501, "at most 500"),
])
def test_dismiss_finding_refuses_bad_input(store, info, me, reason, note, problem):
    with pytest.raises(InputError, match=problem):
        _dismiss(store, me("Al"), reason=reason, note=note)


def test_dismiss_finding_links_only_the_persons_own_attempt(store, info, me):
    with store.write() as session:
        bea_attempt = repository.record_check(session, me("Bea"), report_dict(), REPLY, True)
        own = repository.record_check(session, me("Al"), report_dict(), REPLY, True)
    first = _dismiss(store, me("Al"), attempt_id=bea_attempt)
    second = _dismiss(store, me("Al"), attempt_id=own)
    from coach.store.models import Dismissal
    with store.read() as session:
        assert session.get(Dismissal, first).attempt_id is None
        assert session.get(Dismissal, second).attempt_id == own


def test_dismissals_are_seen_by_the_team_manager_only(store, info, me):
    _dismiss(store, me("Al"))
    _dismiss(store, me("Bea"))
    with store.read() as session:
        assert [r["name"] for r in rules.dismissal_rows(session, info("Ann"))] == ["Al"]
        assert [r["name"] for r in rules.dismissal_rows(session, info("Bob"))] == ["Bea"]
        assert [r["name"] for r in rules.dismissal_rows(session, info("Al"))] == ["Al"]
        assert rules.dismissal_rows(session, info("Tia")) == []


def test_rule_activity_counts_fires_and_dismissals_per_rule(store, info, me):
    with store.write() as session:
        for _ in range(3):
            repository.record_check(session, me("Al"), report_dict(), REPLY, True)
    _dismiss(store, me("Al"))
    _dismiss(store, me("Tia"), reason="wrong")
    with store.read() as session:
        findings = progress.findings_frame(repository.finding_rows(session, info("Ann")))
        dismissals = rules.dismissal_rows(session, info("Ann"))
    table = rules.rule_activity(findings, dismissals, {"empathy.no-apology": "hint"})
    assert list(table["rule"]) == ["jargon.acronym", "empathy.no-apology"]
    acronym = table.iloc[0]
    assert (acronym["fired"], acronym["replies"], acronym["dismissed"]) == (6, 3, 2)
    assert acronym["share dismissed"] == pytest.approx(2 / 6)
    assert acronym["reasons"] == {"known-term": 1, "wrong": 1}
    assert acronym["terms"] == ["DNS"] and len(acronym["examples"]) == 2
    assert table.iloc[1]["mode"] == "hint" and table.iloc[1]["dismissed"] == 0


def test_set_rule_mode_applies_to_the_team_and_is_logged(store, info, me):
    team_a = info("Ann").team_ids[0]
    when = datetime(2026, 11, 20, 10, 0)
    with store.write() as session:
        assert rules.set_rule_mode(session, me("Ann"), team_a, "jargon.acronym", "off", when=when)
        assert rules.set_rule_mode(session, me("Ann"), team_a, "empathy.no-apology", "hint", when=when)
        assert not rules.set_rule_mode(session, me("Ann"), team_a, "jargon.acronym", "off")
    with store.read() as session:
        assert rules.rule_modes_for(session, info("Al").id) == (frozenset({"jargon.acronym"}),
                                                               frozenset({"empathy.no-apology"}))
        assert rules.rule_modes_for(session, info("Bea").id) == (frozenset(), frozenset())
        log = audit.audit_entries(session, info("Ann"))
        assert audit.audit_entries(session, info("Bob")) == [] and audit.audit_entries(session, info("Al")) == []
    assert [(e["who"], e["action"], e["detail"]["rule"]) for e in log] == [
        ("Ann", "rule.hint", "empathy.no-apology"), ("Ann", "rule.off", "jargon.acronym")]
    assert log[0]["team"] == "A" and log[0]["when"] == when
    with store.write() as session:
        rules.set_rule_mode(session, me("Ann"), team_a, "jargon.acronym", "on")
    with store.read() as session:
        assert rules.rule_modes_for(session, info("Al").id)[0] == frozenset()
        assert audit.audit_entries(session, info("Ann"))[0]["detail"] == {
            "rule": "jargon.acronym", "before": "off", "after": "on"}


@pytest.mark.parametrize("who, team, rule, error", [
    ("Al", "A", "jargon.acronym", NotAllowedError),          # not a manager
    ("Ann", "B", "jargon.acronym", NotAllowedError),         # not their team
    ("Ann", "A", "security.asks-for-password", NotAllowedError),  # security stays on
    ("Ann", "A", "<script>", InputError),
])
def test_set_rule_mode_is_authorised_in_the_data_layer(store, info, me, who, team, rule, error):
    team_id = info("Ann" if team == "A" else "Bob").team_ids[0]
    with pytest.raises(error), store.write() as session:
        rules.set_rule_mode(session, me(who), team_id, rule, "off")
    with store.read() as session:
        assert rules.rule_modes_for(session, info("Al").id) == (frozenset(), frozenset())


def test_a_teams_settings_join_its_rule_settings_and_its_words(store, info, me):
    """What a person's checks, `coach check --team` and the team's API token apply: the team's rules
    turned off or down and its glossary, composed (issue 12's words, issue 15's rules)."""
    team_a = info("Ann").team_ids[0]
    with store.write() as session:
        rules.set_rule_mode(session, me("Ann"), team_a, "tone.blame", "off")
        rules.set_rule_mode(session, me("Ann"), team_a, "empathy.no-apology", "hint")
        glossary.add_team_term(session, me("Ann"), team_a, "Zephyr queue", plain="repair waiting list")
        rules.approve_term(session, me("Ann"), team_a, "DNS")
    with store.read() as session:
        of_team = rules.team_settings_of(session, "A")
        al = glossary.team_settings(session, info("Al"), base=rules.team_settings_for(session, info("Al").id))
        bea = glossary.team_settings(session, info("Bea"), base=rules.team_settings_for(session, info("Bea").id))
        assert rules.team_settings_of(session, "B") == bea
        with pytest.raises(InputError, match="No team called"):
            rules.team_settings_of(session, "Nobody's team")
    assert of_team == al
    assert al.disabled_rules == {"tone.blame"} and al.hint_rules == {"empathy.no-apology"}
    assert al.approved_words == {"DNS"} and [t.term for t in al.terms] == ["Zephyr queue"]
    assert not (bea.disabled_rules or bea.hint_rules or bea.approved_words or bea.terms)


def test_approving_a_dismissed_term_is_for_the_teams_managers_and_is_logged(store, info, me):
    _dismiss(store, me("Al"))   # "DNS": our customers know this term
    team_a, team_b = info("Ann").team_ids[0], info("Bob").team_ids[0]
    with store.write() as session:
        entry = rules.approve_term(session, me("Ann"), team_a, "DNS")
    assert (entry.kind, entry.text, entry.team) == ("approved", "DNS", "A")
    for who, team in (("Al", team_a), ("Ann", team_b)):
        with pytest.raises(CoachError), store.write() as session:
            rules.approve_term(session, me(who), team, "ISP")
    with pytest.raises(NotSignedInError), store.write() as session:
        rules.approve_term(session, info("Ann"), team_a, "ISP")
    with store.read() as session:
        log = audit.audit_entries(session, info("Ann"))
        assert glossary.team_settings(session, info("Al")).approved_words == {"DNS"}
        assert audit.audit_entries(session, info("Bob")) == []
    assert [(e["who"], e["what"], e["detail"], e["team"]) for e in log] == [
        ("Ann", "added an approved word", {"word": "DNS"}, "A")]
