"""What the customer's message tells the coach: mood, technical level and name."""
from __future__ import annotations

import pytest

from coach.customer import infer_persona
from coach.rules import compiled_rules, load_ruleset

RULES = load_ruleset("customer").rules


@pytest.mark.parametrize(("rule", "example"), [pytest.param(r, e, id=f"{r.id}-{i}")
                                               for r in RULES for i, e in enumerate(r.flag_examples)])
def test_customer_cue_flags_its_examples(nlp, rule, example):
    assert any(m.rule.id == rule.id for m in compiled_rules("customer", nlp).match(nlp(example.text)))


@pytest.mark.parametrize(("rule", "example"), [pytest.param(r, e, id=f"{r.id}-{i}")
                                               for r in RULES for i, e in enumerate(r.pass_examples)])
def test_customer_cue_passes_its_examples(nlp, rule, example):
    if rule.id == "customer.name":  # the name rule's regexes look for a sign-off; check the result instead
        assert infer_persona(nlp(example.text), nlp).name is None
    else:
        assert not any(m.rule.id == rule.id for m in compiled_rules("customer", nlp).match(nlp(example.text)))


@pytest.mark.parametrize(("message", "mood"), [
    ("This is the THIRD time this week our wifi is down!!! Unacceptable.", "upset"),
    ("I'm really fed up, it's still not working after your last fix.", "upset"),
    ("I think I've been hacked, I'm so worried. What do I do?", "anxious"),
    ("I have a board meeting in 45 minutes and I'm locked out.", "anxious"),
    ("Hi, could you tell me how to add a printer? Thanks.", "calm"),
])
def test_customer_mood(nlp, message, mood):
    assert infer_persona(nlp(message), nlp).mood == mood


@pytest.mark.parametrize(("message", "audience"), [
    ("Since 09:40 UTC our calls to the /v2/orders endpoint return HTTP 502; curl shows the TLS handshake "
     "completing, then a timeout. Request IDs in the logs.", "technical"),
    ("My email stopped working this morning, can you help?", "non-technical"),
])
def test_customer_audience_inferred(nlp, message, audience):
    assert infer_persona(nlp(message), nlp).audience == audience


def test_customer_audience_given_wins(nlp):
    assert infer_persona(nlp("My email is broken."), nlp, "technical").audience == "technical"


@pytest.mark.parametrize(("message", "name"), [
    ("My laptop won't start.\nThanks,\nMaria", "Maria"),
    ("It is down again.\nLucy", "Lucy"),
    ("I'm locked out NOW.\n- Richard", "Richard"),
    ("Errors since 9am.\nPriya Nair, platform team", "Priya"),
    ("It is down again.\nThanks", None),
    ("Is it down?\nPlease help", None),
])
def test_customer_name_from_sign_off(nlp, message, name):
    assert infer_persona(nlp(message), nlp).name == name


@pytest.mark.parametrize(("message", "cue"), [
    ("This is the THIRD time this week our wifi is down!!! I'm fed up.", "THIRD time"),
    ("I think I've been hacked, what do I do?", "hacked"),
    ("Why is this broken!!!", None),
    ("Hi, could you tell me how to add a printer? Thanks.", None),
])
def test_customer_mood_cue_is_their_own_words(nlp, message, cue):
    assert infer_persona(nlp(message), nlp).mood_cue == cue
