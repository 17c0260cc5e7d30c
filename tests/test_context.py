"""Conversation context and team settings: channel, history, hints."""
import pytest

from coach import InputError, analyze
from coach.context import TeamSettings, Turn
from coach.engine import infer_channel, read_history


@pytest.mark.parametrize("text, history, channel", [
    ("Investigating.", (), "email"),
    ("Hi Sam,\n\nYour refund went out today.\n\nBest regards,\nJo", (), "email"),
    ("Sure, one moment while I check that for you.", (Turn("customer", "hi"), Turn("agent", "hello")), "chat"),
    ("You're welcome! Is there anything else I can help with?", (Turn("customer", "hi"),), "chat"),
])
def test_channel_is_inferred_from_the_reply(text, history, channel):
    assert infer_channel(text, history) == channel


@pytest.mark.parametrize("history, message", [
    ("hello", "History must be a list"),
    ([{"role": "boss", "text": "x"}], "History turn 1 needs a role"),
    ([{"role": "agent"}], "History turn 1 needs a role"),
])
def test_bad_history_is_a_clear_input_error(history, message):
    with pytest.raises(InputError, match=message):
        read_history(history)


def test_unknown_channel_is_refused():
    with pytest.raises(InputError, match="Unknown channel 'sms'"):
        analyze("Your refund went out today.", channel="sms")


def test_report_says_which_channel_it_judged():
    assert analyze("Your refund went out today.", channel="email").to_dict()["channel"] == "email"


def test_team_can_turn_a_rule_off_or_down_to_a_hint():
    text = "Hi Sam,\n\nPlease flush your DNS cache and renew the DHCP lease.\n\nBest,\nJo"
    plain = analyze(text)
    jargon_rules = {f.rule for f in plain.findings if f.analyzer == "jargon"}
    assert jargon_rules, "the draft uses glossary terms"
    off = analyze(text, team=TeamSettings(disabled_rules=frozenset(jargon_rules)))
    assert not [f for f in off.findings if f.rule in jargon_rules]
    down = analyze(text, team=TeamSettings(hint_rules=frozenset(jargon_rules)))
    assert {f.severity for f in down.findings if f.rule in jargon_rules} == {"hint"}
