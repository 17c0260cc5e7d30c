"""The empathy analyser: exact spans for each element, absence findings, mood weights and score order.

Replies go through the real pipeline (the shared `nlp`, the customer's persona inferred as
coach.analyze does) into the empathy analyser alone, so these tests don't wait on the others.
"""
from __future__ import annotations

import dataclasses
import re

import pytest

from coach import analyze
from coach.analyzers import REGISTRY
from coach.analyzers.empathy import AbsenceWording, EmpathySettings, analyzer, element_weights
from coach.context import AnalysisContext
from coach.datafiles import validate
from coach.customer import infer_persona
from coach.errors import DataFileError
from coach.rules import load_ruleset
from coach.textprep import prepare

UPSET_CUSTOMER = "This is the THIRD time this week our office wifi has gone down!!! I'm really fed up with this."
WAITING_CUSTOMER = "Your service has been down for two hours. When will it be back?"
HOWTO_CUSTOMER = "How do I get my calendar on my new phone?"
FULL_REPLY = ("I understand how disruptive this is. I'll send our engineer to replace the box, "
              "and I'll call you by 5pm today. Let me know if there's anything else I can do.")
BARE_FIX = "Restart the router and renew the lease on the clients."


def run(nlp, text, customer=None, mood=None):
    customer_doc = nlp(prepare(customer)) if customer else None
    persona = infer_persona(customer_doc, nlp)
    if mood is not None:
        persona = dataclasses.replace(persona, mood=mood)
    context = AnalysisContext(text, nlp(prepare(text)), persona, customer, customer_doc)
    return analyzer.analyze(context)


def evidence_texts(result, rule):
    return [e.text for e in result.evidence if e.rule == rule]


def findings_of(result, rule):
    return [f for f in result.findings if f.rule == rule]


def test_empathy_is_registered_under_its_name():
    assert REGISTRY["empathy"] is analyzer
    assert analyzer.name == "empathy"


# ---------------------------------------------------------------- strengths, with exact spans

@pytest.mark.parametrize(("rule", "text", "span"), [
    ("empathy.acknowledgement", "I understand how frustrating this must be. I'll fix it.", "I understand how frustrating this must be"),
    ("empathy.acknowledgement", "Hi Sam, I can see this has been a difficult week.", "I can see this has been a difficult week"),
    ("empathy.acknowledgement", "I know you've had this happen three times, so I've escalated it.", "I know you've had this happen three times"),
    ("empathy.acknowledgement", "Losing the shared drive? That's really disruptive.", "That's really disruptive"),
    ("empathy.acknowledgement", "I can imagine how worrying that is, and I'm here to help.", "I can imagine how worrying that is"),
    ("empathy.acknowledgement", "I understand, and I'm on it right now.", "I understand"),
    ("empathy.acknowledgement", "Sorry about this, I know invoices can't wait.", "I know invoices can't wait"),
    ("empathy.apology", "I'm sorry the wifi has dropped again.", "I'm sorry the wifi has dropped again"),
    ("empathy.apology", "I apologise for the delay in getting back to you.", "I apologise for the delay in getting back to you"),
    ("empathy.apology", "Thanks for your patience, and sorry for the trouble.", "sorry for the trouble"),
    ("empathy.apology", "My apologies, I sent the wrong link.", "My apologies"),
    ("empathy.apology", "Sorry you're stuck with a report due, let's get you back in.", "Sorry you're stuck with a report due"),
    ("empathy.ownership", "I'll call you this afternoon.", "I'll call"),
    ("empathy.ownership", "I've escalated this to our network team.", "I've escalated"),
    ("empathy.ownership", "I'm going to check the settings myself.", "I'm going to check"),
    ("empathy.ownership", "Let me look into this for you.", "Let me look"),
    ("empathy.ownership", "I have arranged a replacement for Monday.", "I have arranged"),
    ("empathy.next-step", "I'll call you tomorrow to check it's working.", "I'll call you tomorrow to check it's working"),
    ("empathy.next-step", "Our engineer will visit on Monday morning.", "Our engineer will visit on Monday morning"),
    ("empathy.next-step", "The next step is a quick check of your router.", "The next step is a quick check of your router"),
    ("empathy.next-step", "Please try restarting the app and reply with what you see.", "Please try restarting the app and reply with what you see"),
    ("empathy.time-frame", "I'll update you within two hours.", "within two hours"),
    ("empathy.time-frame", "It will be fixed by 5pm today.", "by 5pm today"),
    ("empathy.time-frame", "I'll call you tomorrow morning.", "tomorrow morning"),
    ("empathy.time-frame", "Please sign in again in the next 30 minutes.", "in the next 30 minutes"),
    ("empathy.time-frame", "I'll confirm the new price by Friday.", "by Friday"),
    ("empathy.time-frame", "The refund will reach your card within 24 hours.", "within 24 hours"),
    ("empathy.time-frame", "I'll email you on Wednesday afternoon.", "on Wednesday afternoon"),
    ("empathy.further-help", "Let me know if there's anything else.", "Let me know if there's anything else"),
    ("empathy.further-help", "I'm here if you need anything.", "I'm here if you need anything"),
    ("empathy.further-help", "Feel free to reply if the message comes back.", "Feel free to reply if the message comes back"),
    ("empathy.further-help", "If you notice anything odd, call us straight away.", "If you notice anything odd, call us straight away"),
    ("empathy.further-help", "If you need a file sooner, tell me its name and I'll restore it first.",
     "If you need a file sooner, tell me its name"),
    ("empathy.exploring-question", "Thanks. Could you tell me when it started?", "Could you tell me when it started?"),
    ("empathy.exploring-question", "Which device are you using?", "Which device are you using?"),
])
def test_empathy_finds_element_with_exact_span(nlp, rule, text, span):
    result = run(nlp, text)
    assert span in evidence_texts(result, rule)
    for evidence in result.evidence:
        assert text[evidence.start:evidence.end] == evidence.text


@pytest.mark.parametrize(("text", "customer", "span"), [
    ("Hi Maria, I've restarted the box.", "The wifi is down.\nThanks,\nMaria", "Maria"),
    ("I know you need those contracts printed this afternoon.",
     "Our printer is offline. We need to print contracts this afternoon.", "contracts"),
    ("I'll make sure you're ready for your board meeting.",
     "I'm locked out and I have a board meeting in 45 minutes.", "board meeting"),
])
def test_empathy_personalisation_finds_name_or_detail(nlp, text, customer, span):
    assert span in evidence_texts(run(nlp, text, customer), "empathy.personalisation")


@pytest.mark.parametrize(("rule", "text"), [
    ("empathy.acknowledgement", "I know the fix for this."),
    ("empathy.acknowledgement", "I can see your disk is almost full."),
    ("empathy.acknowledgement", "I don't understand the error yet."),
    ("empathy.ownership", "You will need to restart the router."),
    ("empathy.ownership", "Let me know if that helps."),
    ("empathy.next-step", "Have you tried clearing your cache? That usually fixes it."),
    ("empathy.time-frame", "This has happened three times in one week."),
    ("empathy.time-frame", "I reported it last week, five days ago."),
    ("empathy.time-frame", "Call me on extension 2244."),
    ("empathy.further-help", "I'll let you know when it's done."),
    ("empathy.exploring-question", "Have you tried restarting it?"),
    ("empathy.exploring-question", "Does that work for you?"),
    ("empathy.personalisation", "Hi, I've restarted the box."),
])
def test_empathy_stays_quiet_on_lookalikes(nlp, rule, text):
    assert evidence_texts(run(nlp, text), rule) == []


# ---------------------------------------------------------------- problems in the text

@pytest.mark.parametrize(("text", "span"), [
    ("I'm sorry you feel that way, but the policy is clear.", "I'm sorry you feel that way"),
    ("Sorry if you were confused by the instructions.", "Sorry if you were confused by the instructions"),
    ("We're sorry you're unhappy with the service.", "We're sorry you're unhappy with the service"),
])
def test_empathy_non_apology_is_a_problem_not_an_apology(nlp, text, span):
    result = run(nlp, text)
    assert [f.text for f in findings_of(result, "empathy.non-apology")] == [span]
    assert evidence_texts(result, "empathy.apology") == []


@pytest.mark.parametrize(("text", "spans"), [
    ("Calm down, it's not a big deal.", ["Calm down", "it's not a big deal"]),
    ("Relax, your files are fine.", ["Relax"]),
    ("You're overreacting, the outage was short.", ["You're overreacting"]),
    ("There's no need to panic.", ["no need to panic"]),
])
def test_empathy_flags_dismissive_phrases(nlp, text, spans):
    found = findings_of(run(nlp, text), "empathy.dismissive")
    assert [f.text for f in found] == spans
    assert all(f.severity == "error" and f.suggestion for f in found)


@pytest.mark.parametrize("text", ["Please don't worry, this happens to lots of people.",
                                  "You can relax knowing your files are backed up."])
def test_empathy_reassurance_is_not_dismissive(nlp, text):
    assert findings_of(run(nlp, text), "empathy.dismissive") == []


def test_empathy_dismissive_and_non_apology_lower_the_score(nlp):
    clean = run(nlp, FULL_REPLY).score
    assert run(nlp, "Calm down. " + FULL_REPLY).score < clean
    assert run(nlp, "I'm sorry you feel that way. " + FULL_REPLY).score < clean


# ---------------------------------------------------------------- absences

# (rule, reply without the element, reply with it, customer message)
ABSENCES = [
    ("empathy.no-acknowledgement", "I'll restart the router today.",
     "I understand how frustrating this is. I'll restart the router today.", None),
    ("empathy.no-apology", "I understand how frustrating this is. I'll restart the router today.",
     "I'm sorry the wifi dropped again. I'll restart the router today.", UPSET_CUSTOMER),
    ("empathy.no-ownership", "The ticket is with second-line support. They will look at it.",
     "I've passed this to second-line support and I'll chase them today.", None),
    ("empathy.no-next-step", "There is a known fault with the router.",
     "There is a known fault with the router, so I'll replace it.", None),
    ("empathy.no-time-frame", "I'll call you to check it's working.",
     "I'll call you tomorrow morning to check it's working.", None),
    ("empathy.no-further-help", "I've reset your password.",
     "I've reset your password. Let me know if there's anything else.", None),
]
AT_START = {"empathy.no-acknowledgement", "empathy.no-apology"}


@pytest.mark.parametrize(("rule", "missing", "present", "customer"), ABSENCES)
def test_empathy_absence_appears_when_missing_and_vanishes_when_present(nlp, rule, missing, present, customer):
    found = findings_of(run(nlp, missing, customer), rule)
    assert len(found) == 1
    finding = found[0]
    anchor = 0 if rule in AT_START else len(missing)
    assert (finding.start, finding.end, finding.text) == (anchor, anchor, "")
    assert finding.message and finding.suggestion
    assert findings_of(run(nlp, present, customer), rule) == []


@pytest.mark.parametrize(("customer", "mood", "due"), [
    (None, None, False),
    (HOWTO_CUSTOMER, None, False),
    (UPSET_CUSTOMER, None, True),
    ("My laptop won't start since the update.", None, True),
    (None, "anxious", True),
])
def test_empathy_apology_is_required_only_when_due(nlp, customer, mood, due):
    result = run(nlp, "I'll restart the router today.", customer, mood)
    assert bool(findings_of(result, "empathy.no-apology")) is due


@pytest.mark.parametrize(("text", "customer", "due"), [
    ("There is a known fault with the router.", None, False),
    ("There is a known fault with the router.", WAITING_CUSTOMER, True),
    ("I'll call you to check it's working.", None, True),
])
def test_empathy_time_frame_is_required_with_a_next_step_or_a_waiting_customer(nlp, text, customer, due):
    assert bool(findings_of(run(nlp, text, customer), "empathy.no-time-frame")) is due


def test_empathy_absence_messages_quote_the_customer(nlp):
    result = run(nlp, "The ticket is with second-line support.", WAITING_CUSTOMER)
    time_frame = findings_of(result, "empathy.no-time-frame")[0]
    assert '"When will it be back?"' in time_frame.message
    assert time_frame.severity == "warning"
    acknowledgement = findings_of(run(nlp, BARE_FIX, UPSET_CUSTOMER), "empathy.no-acknowledgement")[0]
    assert "THIRD time this week" in acknowledgement.message
    assert acknowledgement.severity == "warning"


def test_empathy_absence_without_customer_is_a_gentle_general_message(nlp):
    finding = findings_of(run(nlp, BARE_FIX), "empathy.no-acknowledgement")[0]
    assert finding.severity == "suggestion"
    assert '"' not in finding.message


@pytest.mark.parametrize("mood", ["upset", "anxious"])
def test_empathy_suggestion_fits_the_mood(nlp, mood):
    calm = findings_of(run(nlp, BARE_FIX), "empathy.no-acknowledgement")[0].suggestion
    moody = findings_of(run(nlp, BARE_FIX, mood=mood), "empathy.no-acknowledgement")[0].suggestion
    assert moody != calm


# ---------------------------------------------------------------- score and metrics

@pytest.mark.parametrize("mood", ["upset", "anxious"])
def test_empathy_mood_raises_weight_of_acknowledgement_and_apology(nlp, mood):
    calm, moody = element_weights("calm"), element_weights(mood)
    assert moody["acknowledgement"] > calm["acknowledgement"]
    assert moody["apology"] > calm["apology"]
    assert moody["ownership"] == calm["ownership"]
    caring = "I understand how frustrating this is, and I'm sorry."
    assert run(nlp, caring, mood=mood).score > run(nlp, caring).score
    cold = "I'll restart the router by 5pm today. Let me know if there's anything else."
    assert run(nlp, cold, mood=mood).score < run(nlp, cold).score


def test_empathy_full_reply_scores_high_and_bare_fix_low(nlp):
    full = run(nlp, FULL_REPLY)
    assert full.score > 85
    assert {"acknowledgement", "ownership", "next-step", "time-frame", "further-help"} <= set(
        full.metrics["empathy_elements"])
    bare = run(nlp, BARE_FIX)
    assert bare.score < 50


@pytest.mark.parametrize(("good", "poor", "customer"), [
    (FULL_REPLY, BARE_FIX, None),
    (FULL_REPLY, BARE_FIX, UPSET_CUSTOMER),
    ("I'm sorry, I know your customers are feeling this too. I'll update you by 3pm at the latest.",
     "Unfortunately there is nothing we can do. We don't know when it will be back.", WAITING_CUSTOMER),
    ("I'll call you tomorrow morning to check it's working.", "I'll call you to check it's working.", None),
    ("I understand how worrying this is. I've locked your account and I'll check it today.",
     "Calm down, it's not a big deal. I've locked your account.", "I think I've been hacked, what do I do?"),
])
def test_empathy_better_reply_scores_higher(nlp, good, poor, customer):
    assert run(nlp, good, customer).score > run(nlp, poor, customer).score


def test_empathy_metrics_list_elements_in_a_stable_order(nlp):
    result = run(nlp, "Hi Maria, I understand. I'll call you tomorrow.", "The wifi is down.\nThanks,\nMaria")
    assert result.metrics["empathy_elements"] == [
        "acknowledgement", "ownership", "personalisation", "next-step", "time-frame"]
    assert 0 <= result.score <= 100


# ---------------------------------------------------------------- data file

@pytest.mark.parametrize(("model", "raw", "where", "field"), [
    (EmpathySettings, {**load_ruleset("empathy").settings, "quote_max_chars": "long"}, "settings",
     "settings.quote_max_chars"),
    (AbsenceWording, {"anchor": "middle"}, "rules[9]", "rules[9].anchor"),
    (AbsenceWording, {"anchor": "end", "sugestion_by_mood": {}}, "rules[9]", "rules[9].sugestion_by_mood"),
])
def test_empathy_data_errors_name_the_field(model, raw, where, field):
    with pytest.raises(DataFileError, match=re.escape(field)):
        validate(model, raw, load_ruleset("empathy").path, where)


@pytest.mark.parametrize(("customer", "flagged"), [
    pytest.param("I've got a new work phone. How do I get my emails on it?", False, id="calm-how-to"),
    pytest.param("My emails stopped arriving on my phone yesterday.", True, id="fault"),
    pytest.param(None, True, id="no-customer-message"),
])
def test_empathy_acknowledgement_due_unless_calm_question(customer, flagged):
    reply = ("Hi Grace,\n\nOpen the Outlook app, tap Add account and enter your work email. "
             "I'll check tomorrow that it worked.\n\nBest regards,\nNoah")
    report = analyze(reply, customer_message=customer)
    assert report.has_rule("empathy.no-acknowledgement") is flagged
