"""The jargon analyser: what an agent sees flagged, what stays quiet, and how the score moves."""
from __future__ import annotations

import pytest
import yaml

from coach import glossary
from coach.analyzers.jargon import analyzer, build_config
from coach.context import AnalysisContext
from coach.customer import infer_persona
from coach.errors import DataFileError
from coach.rules import load_ruleset
from coach.samples import load_samples

GLOSSARY = glossary.load_glossary()
FORMS = [pytest.param(term, form, id=f"{term.domain}:{form}") for term in GLOSSARY.terms for form in term.forms]


def check(nlp, text, customer=None, audience=None):
    """Run the analyser the way coach.analyze does, on the real pipeline."""
    customer_doc = nlp(customer) if customer else None
    persona = infer_persona(customer_doc, nlp, audience)
    return analyzer.analyze(AnalysisContext(text, nlp(text), persona, customer, customer_doc))


def flagged(result, rule=None):
    return [f.text for f in result.findings if rule is None or f.rule == rule]


def explained(result):
    return [e.text for e in result.evidence if e.rule == "jargon.explained-term"]


@pytest.mark.parametrize(("term", "form"), FORMS)
def test_jargon_flags_every_glossary_term_and_alias(nlp, term, form):
    text = f"Please check your {form}."
    result = check(nlp, text)
    [finding] = result.findings
    assert (finding.rule, finding.severity) == ("jargon.glossary-term", "warning")
    assert (finding.start, finding.end) == (len("Please check your "), len("Please check your ") + len(form))
    assert text[finding.start:finding.end] == finding.text == form
    assert finding.message == f"'{form}' is jargon for most customers."
    assert finding.suggestion == term.plain


@pytest.mark.parametrize("text", [
    "Your DNS (the internet's address book) needs a small change.",
    "The internet's address book (DNS) needs a small change.",
    "Please restart your router, the box that brings the internet into your home.",
    "DNS, which is the internet's address book, needs a small change.",
    "You'll need a VPN — a secure tunnel into the office network.",
    "You'll need a VPN: a secure tunnel into the office network.",
    "You'll need a secure tunnel called a VPN.",
    "A VPN is a way to reach the office network safely from home.",
    "Two-factor authentication means we also text you a code when you sign in.",
    "Your router, the box we sent you last year, needs a restart.",
    "The SSID, in other words the name of your Wi-Fi network, has changed.",
])
def test_jargon_explained_term_is_not_flagged_and_counts_as_strength(nlp, text):
    result = check(nlp, text)
    assert flagged(result) == []
    assert explained(result)
    assert result.score == 100.0


@pytest.mark.parametrize(("text", "evidence"), [
    ("Your DNS (the internet's address book) needs a small change.", "DNS (the internet's address book)"),
    ("Please restart your router, the box that brings the internet into your home.",
     "router, the box that brings the internet into your home"),
    ("It's on, and it uses a secure tunnel called a VPN.", "it uses a secure tunnel called a VPN"),
])
def test_jargon_explained_term_evidence_quotes_term_and_explanation(nlp, text, evidence):
    assert explained(check(nlp, text)) == [evidence]


@pytest.mark.parametrize(("text", "expected"), [
    # a list, not an explanation
    ("Please restart the router, the modem and the computer.", ["router", "modem"]),
    # the bracket only repeats the term
    ("Turn on two-factor authentication (2FA) today.", ["two-factor authentication"]),
    ("Turn on MFA (multi-factor authentication) today.", ["MFA"]),
    # "is a" without a definition
    ("The router is a bit old, so I'll replace it.", ["router"]),
])
def test_jargon_unexplained_term_stays_flagged(nlp, text, expected):
    assert flagged(check(nlp, text)) == expected


def test_jargon_explained_once_covers_every_mention(nlp):
    text = "Your DNS (the internet's address book) is out of date. I've updated the DNS for you."
    assert flagged(check(nlp, text)) == []


def test_jargon_every_unexplained_mention_is_flagged_but_scored_once(nlp):
    once = check(nlp, "Please restart the router today, and thank you for your patience with this.")
    twice = check(nlp, "Please restart the router today, and the router will thank you for it.")
    assert flagged(twice) == ["router", "router"]
    assert twice.metrics["jargon_terms"] == once.metrics["jargon_terms"] == 1


@pytest.mark.parametrize(("customer", "reply"), [
    ("My router keeps dropping the connection.", "Thanks for checking the router. I'll send a new one today."),
    ("My wifi router keeps dropping.", "I'll replace your Wi-Fi router today."),
    ("Is your NOC aware of the outage?", "Yes, the NOC is looking at it now."),
    ("The app says the request is not idempotent.", "Sending it twice is safe: the request is idempotent."),
])
def test_jargon_term_the_customer_used_first_is_not_flagged(nlp, customer, reply):
    assert flagged(check(nlp, reply, customer=customer)) == []
    assert flagged(check(nlp, reply)) != []


@pytest.mark.parametrize("reply", [
    "The 502 errors came from a load balancer timeout; the DNS record and TLS certificate are fine.",
    "Retrying with backoff is safe: the endpoint is idempotent.",
])
def test_jargon_technical_audience_glossary_terms_and_rare_words_not_flagged(nlp, reply):
    result = check(nlp, reply, audience="technical")
    assert flagged(result) == []
    assert result.score == 100.0
    assert flagged(check(nlp, reply, audience="non-technical"))


def test_jargon_technical_audience_unknown_acronym_is_only_a_suggestion(nlp):
    text = "Our NOC has raised the TTL on the record."
    technical = check(nlp, text, audience="technical")
    assert [(f.text, f.severity) for f in technical.findings] == [("NOC", "suggestion"), ("TTL", "suggestion")]
    assert technical.score > check(nlp, text).score


def test_jargon_technical_audience_inferred_from_customer_message(nlp):
    customer = "Our API returns HTTP 502 on the /v2/orders endpoint; curl shows a TLS handshake timeout."
    assert flagged(check(nlp, "It was a load balancer fault and a DNS record typo.", customer=customer)) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("I've lowered the TTL on your record.", ["TTL"]),
    ("Our NOC will update you, and the NOCs share notes.", ["NOC", "NOCs"]),
    ("The B2B portal is down.", ["B2B"]),
])
def test_jargon_flags_unknown_acronyms(nlp, text, expected):
    result = check(nlp, text)
    assert flagged(result, "jargon.acronym") == expected
    assert all(f.suggestion == f"Spell out '{f.text}' and say what it does in plain words, or leave it out."
               for f in result.findings)


@pytest.mark.parametrize("text", [
    "Please send me a PDF of the invoice by 5 PM.",
    "I'll call you ASAP, FYI the ETA is 3 PM UTC.",
    "Plug it into a USB3 port and check the TV.",
    "PLEASE DO NOT RESTART THE COMPUTER until the update has finished.",
    "I've lowered the TTL (time to live) on your record.",
    "I've lowered the time to live (TTL) on your record.",
    "We need the CVV from the back of your card, not the full number.",
])
def test_jargon_everyday_or_explained_acronyms_not_flagged(nlp, text):
    assert flagged(check(nlp, text), "jargon.acronym") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Trying again is safe because the request is idempotent.", ["idempotent"]),
    ("The jobs run asynchronously, so the report may take a minute.", ["asynchronously"]),
])
def test_jargon_flags_rare_technical_words_as_suggestions(nlp, text, expected):
    result = check(nlp, text)
    assert flagged(result, "jargon.rare-technical-word") == expected
    assert {f.severity for f in result.findings} == {"suggestion"}


@pytest.mark.parametrize("text", [
    "The delay was serendipitous: it helped us find a second fault.",   # rare but ordinary English
    "Hi Priya, Siobhan from Ballymena will call you.",                   # names
    "I've recieved your message and definately will help.",              # typos: grammar's job
    "Untick the box, unmute the headset and check the touchpad.",       # made of everyday parts
    "I'll finalise the licence and prioritise your enrolment.",          # British spellings
    "Your order number is 48213 and your reference is ab7f.",            # numbers and codes
])
def test_jargon_ordinary_rare_words_not_flagged(nlp, text):
    assert flagged(check(nlp, text)) == []


def test_jargon_suggestion_is_capitalised_at_sentence_start(nlp):
    [finding] = check(nlp, "Thanks for waiting. Firmware is the cause.").findings
    assert (finding.text, finding.suggestion) == ("Firmware", "Built-in device software")


def test_jargon_offsets_hold_after_emoji_and_html(nlp):
    text = "Hi 👋🏽 <b>there</b>! Please restart the router 🙂 and check the DNS."
    result = check(nlp, text)
    assert [(f.text, text[f.start:f.end]) for f in result.findings] == [("router", "router"), ("DNS", "DNS")]


PLAIN = ("Hi Sam,\n\nI'm sorry the internet keeps dropping. I've found the cause: the box that shares "
         "your connection keeps restarting. I'll send a new one today, and our engineer will fit it "
         "tomorrow morning.\n\nBest regards,\nAlex")
HEAVY = ("Hi Sam,\n\nThe AP firmware has a DHCP lease bug, so the SSID drops. Power cycle the WAP and "
         "check the subnet mask.\n\nBest regards,\nAlex")


def test_jargon_plain_reply_scores_high_and_jargon_heavy_low(nlp):
    plain, heavy = check(nlp, PLAIN), check(nlp, HEAVY)
    assert plain.score > 90 and heavy.score < 70
    assert plain.metrics == {"jargon_terms": 0, "jargon_density": 0.0}
    assert heavy.metrics["jargon_terms"] >= 5 and heavy.metrics["jargon_density"] > 10


LONG = ("Hi Sam,\n\nI'm sorry the internet keeps dropping, and I know how disruptive that is when you "
        "have clients in the office all afternoon. I've looked at the history of your connection "
        "this week and found the cause: the router keeps restarting itself, usually a few minutes "
        "after it gets warm. It isn't anything you did, and you don't need to change any settings.\n\n"
        "I'll post you a replacement today by next-day delivery, and our engineer will come to fit it "
        "tomorrow morning between nine and eleven. It takes about twenty minutes, and everything will "
        "work as before afterwards. Until then, switching it off and on again will bring the internet "
        "back for a few hours.\n\nI'll call you tomorrow at noon to make sure everything is working. "
        "Let me know if anything else comes up before then.\n\nBest regards,\nAlex")


def test_jargon_one_term_in_a_long_reply_costs_less_than_in_a_short_one(nlp):
    short = check(nlp, "Please restart the router.")
    long = check(nlp, LONG)
    assert 90 < long.score < 100
    assert short.score < long.score


def test_jargon_score_falls_as_unexplained_terms_add_up(nlp):
    scores = [check(nlp, text).score for text in (
        "Please restart the box your internet comes through, then try again.",
        "Please restart the router, then try again.",
        "Please restart the router and the modem, then try again.",
        "Please restart the router, the modem and the access point, then flush the DNS cache.",
    )]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4


@pytest.mark.parametrize(("case", "good", "poor"), [
    pytest.param(case, good, poor, id=f"{case.id}:{poor.id}")
    for case in load_samples() for good in case.replies if good.quality == "good"
    for poor in case.replies if "jargon" in poor.fails])
def test_jargon_sample_replies_plain_beats_jargon(nlp, case, good, poor):
    good_result = check(nlp, good.text, customer=case.customer)
    poor_result = check(nlp, poor.text, customer=case.customer)
    assert good_result.score > 90 > 70 > poor_result.score
    assert flagged(good_result) == []


@pytest.mark.parametrize(("change", "where"), [
    ({"penalties": {"warning": "lots", "suggestion": 4}}, "settings.penalties.warning"),
    ({"penalties": {"warning": 12, "suggestion": 4, "loud": 3}}, "settings.penalties.loud"),
    ({"density": {"reference": 0, "min_scale": 0.5, "max_scale": 1.5}}, "settings.density.reference"),
    ({"audiences": {"technical": {"jargon.nonsense": "warning"}}}, "settings.audiences.technical.jargon.nonsense"),
    ({"audiences": {"technical": {"jargon.acronym": "error"}}}, "settings.audiences.technical.jargon.acronym"),
    ({"acronym": {"pattern": "[", "everyday_zipf": 4, "allowed": []}}, "settings.acronym.pattern"),
    ({"colour": "blue"}, "settings.colour"),
    ({"audiences": {"engineers": {"jargon.acronym": "warning"}}}, "settings.audiences.engineers"),
])
def test_jargon_malformed_settings_name_file_and_field(tmp_path, change, where):
    raw = yaml.safe_load(load_ruleset("jargon").path.read_text(encoding="utf-8"))
    raw["settings"].update(change)
    broken = tmp_path / "jargon.yaml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        build_config(load_ruleset("jargon", broken))
    assert f"jargon.yaml: {where}" in str(caught.value)
