"""The grammar analyser through coach.analyze(): Harper out of the box (exact spans, corrections,
dialect, no false alarms on names, tech words, addresses, code and quotes), our own text-speak and
word-confusion checks, the sample replies, the spelling fallback when Harper can't run, and a live
LanguageTool server when COACH_LANGUAGETOOL_URL is set.
The LanguageTool adapter itself is tested against a fake server in tests/test_grammar_checkers.py."""
from __future__ import annotations

import os

import pytest

from coach import analyze, revise
from coach.analyzers import grammar as grammar_module
from coach.grammar_checkers import CheckerUnavailable, harper_checker
from coach.samples import load_samples

SPELLING_ONLY = "partial: spelling only, no Harper (test), no LanguageTool"


@pytest.fixture
def no_languagetool(monkeypatch):
    monkeypatch.delenv("COACH_LANGUAGETOOL_URL", raising=False)
    monkeypatch.delenv("COACH_LANGUAGETOOL_DIR", raising=False)
    monkeypatch.delenv("COACH_ENGLISH_DIALECT", raising=False)


@pytest.fixture
def spelling_only(no_languagetool, monkeypatch):
    def missing():
        raise CheckerUnavailable("no Harper (test)")

    monkeypatch.setattr(grammar_module, "harper_checker", missing)


def grammar_findings(report):
    return [(f.rule, f.text, f.suggestion) for f in report.findings_of("grammar")]


# ---------------------------------------------------------------- Harper, the default

@pytest.mark.parametrize(("text", "expected"), [
    # the replies from the issue that used to score grammar 100
    ("thats fine, its not hard.",
     [("grammar.text-speak", "thats", "that's"), ("grammar.word-confusion", "its", "it's")]),
    ("Sorry, u shud of done the training first.",
     [("grammar.text-speak", "u", "you"), ("grammar.text-speak", "shud", "should"),
      ("grammar.word-confusion", "of", "have")]),
    ("I'm afraid their is a fault effecting business lines.",
     [("grammar.word-confusion", "their", "there"), ("grammar.word-confusion", "effecting", "affecting")]),
    ("Three times in one week is to many, I agree.", [("grammar.word-confusion", "to", "too")]),
    ("I have updated you're tickets.", [("grammar.word-confusion", "you're", "your")]),
    ("The printer keep's jamming, so we'll replace it.", [("grammar.word-confusion", "keep's", "keeps")]),
    # Harper's own findings
    ("We was unable to reach the server.", [("grammar.agreement", "was", "were")]),
    ("I checked the the router this morning.", [("grammar.repeated-word", "the the", "the")]),
    ("Can you you send me the file?", [("grammar.repeated-word", "you you", "you")]),
    ("Thanks for waiting. i will call you tomorow.",
     [("grammar.capitalization", "i", "I"), ("grammar.spelling", "tomorow", "tomorrow")]),
    ("Their going to call you this afternoon.", [("grammar.grammar", "Their", "They're")]),
    ("Hi Sam, you will recieve teh new invoice today.",
     [("grammar.spelling", "recieve", "receive"), ("grammar.spelling", "teh", "the")]),
    ("Please open Setings on your phone, then remove your work acount.",
     [("grammar.spelling", "Setings", "Settings"), ("grammar.spelling", "acount", "account")]),
    ("Thanks 😊🎉 for waiting, the update has definately finished.",
     [("grammar.spelling", "definately", "definitely")]),
    ("I checked <b>your</b> acount and it's active again.", [("grammar.spelling", "acount", "account")]),
])
def test_grammar_harper_flags_exact_spans_and_corrections(no_languagetool, text, expected):
    report = analyze(text)
    assert report.status["grammar"] == "ok"
    assert report.metrics["grammar_backend"] == "harper"
    assert grammar_findings(report) == expected
    for finding in report.findings_of("grammar"):
        assert text[finding.start:finding.end] == finding.text
        assert f"'{finding.text}'" in finding.message


@pytest.mark.parametrize(("text", "customer"), [
    ("Hi Siobhan, Priya from our team moved ticket INC-48213 to Okta support.", None),
    ("Check https://status.example.com/x_y or write to it-help@example.com about config.yaml.", None),
    ("Run `sudo systemctl restart nginx` and send me the output of dmesg.", None),
    ('The app says "Cannot conect to host", which means the server is down.', None),
    ("Open the dropdown, tick the checkbox and take a screenshot of the popup in OneDrive.", None),
    ("Thanks Aoife, I've sent the link to you. Kind regards, Tariq", "Hi, I'm Aoife and I can't log in."),
    ("Hi Sam, Mia from our team will set up your M365 licence and the DHCP reservation.", None),
    ("You're welcome, and your busy season discount still applies.", None),
    ("The router lost its connection, so I restarted it.", None),
    ("The update should take effect tomorrow and won't affect your files.", None),
    ("If you feel ill, please take the day off; the U drive will wait.", None),
    ("G'day Bruce, the colour printer on level 3 is back online. Cheers, Kylie", None),
    ("Hello,\n\nThe parcel is delayed at the depot. It should arrive tomorrow.\n\nMina", None),
    ("Hi Jo,\n\nYour refund is on its way.\n\nThanks again,\nSiobhán Ní Bhriain", None),
    ("Run `Get-AppxPackage *Teams* | Remove-AppxPackage` in PowerShell, then reinstall Teams.", None),
    ("It's a caching issue in v3.2.1, i.e. the app keeps an old copy of your settings (ref ENG-4821).", None),
    ("1. Open Settings.\n2. Tap Wi-Fi.\n3. Choose 'CorpNet-5G' and enter the password on the card.", None),
    # a repeated word across a clause boundary is a missing comma: deleting one would change the meaning
    ("These are the two options I gave you you choose which one suits you.", None),
    ("If I send it to you you can sign it today.", None),
    # FYI is jargon's business (shorthand); "out of date" after a verb needs no hyphens
    ("Your saved sign-in details were out of date after the password change.", None),
    # British "greyed"; a prefix before a hyphen is not "there"; "it's" before a hyphenated
    # adjective is "it is"; "your correct code" is the code that belongs to you
    ("If the box is greyed out, your plan limits who can create projects.", None),
    ("If the framework parses the body first, the re-serialised bytes won't match.", None),
    ("Use it as the Audience URI in Okta; it's case-sensitive and includes your workspace slug.", None),
    ("Once they send your correct code, we'll use it and you'll get the tax back.", None),
])
def test_grammar_harper_no_false_alarms(no_languagetool, text, customer):
    report = analyze(text, customer_message=customer)
    assert grammar_findings(report) == []
    assert report.scores["grammar"] == 100.0


@pytest.mark.parametrize(("text", "dialect"), [
    ("The colour of the organisation's licence page changed and the old one was cancelled.", "uk"),
    ("The color of the organization's license page changed and the old one was canceled.", "us"),
    # British spellings the American suggestion shows: tyre/tire, storey/story, enrol/enroll,
    # fulfil/fulfill, instalment/installment
    ("Whilst the tyre is on order, the storey above is closed, so you can enrol online.", "uk"),
    ("We'll fulfil the order once the first instalment clears.", "uk"),
])
def test_grammar_dialect_inferred_from_the_reply(no_languagetool, text, dialect):
    report = analyze(text)
    assert report.metrics["grammar_dialect"] == dialect
    assert grammar_findings(report) == []


@pytest.mark.parametrize(("setting", "text", "flagged"), [
    ("us", "We apologise: the colour was wrong.", ["apologise", "colour"]),
    ("uk", "We apologise: the colour was wrong.", []),
    ("au", "We apologise: the colour was wrong.", []),
    ("ca", "The colour was wrong, and we apologize.", []),
])
def test_grammar_dialect_setting(no_languagetool, monkeypatch, setting, text, flagged):
    monkeypatch.setenv("COACH_ENGLISH_DIALECT", setting)
    report = analyze(text)
    assert report.metrics["grammar_dialect"] == setting
    assert [f.text for f in report.findings_of("grammar")] == flagged


def test_grammar_unknown_dialect_setting_is_reported(no_languagetool, monkeypatch):
    monkeypatch.setenv("COACH_ENGLISH_DIALECT", "klingon")
    report = analyze("You will recieve the invoice today.")
    assert "unknown English dialect 'klingon'" in report.status["grammar"]
    assert report.has_rule("grammar.spelling")  # the spelling fallback still runs


@pytest.mark.parametrize(("text", "word"), [
    ("Hi, we shipped the widgit yesterday.", "widgit"),
])
def test_grammar_unsure_correction_has_no_rewrite(no_languagetool, text, word):
    """Harper's guesses for a word only it knows are wrong ("shud" -> "scud"): flagged, no rewrite."""
    finding = next(f for f in analyze(text).findings_of("grammar") if f.text == word)
    assert finding.suggestion is None
    assert "check the spelling" in finding.message


@pytest.mark.parametrize(("text", "fixed", "never"), [
    ("Hi Sam, u shud of done the training.", "have done the training", "shed"),
])
def test_grammar_revise_applies_sure_corrections_only(no_languagetool, text, fixed, never):
    revised = revise(text)
    assert fixed in revised and never not in revised


def test_grammar_harper_is_loaded_once_per_process(no_languagetool):
    assert harper_checker() is harper_checker()


# ---------------------------------------------------------------- the sample replies

SAMPLES = load_samples()
# every deliberate error in the poor replies that fail grammar, with its correction
DELIBERATE_ERRORS = {
    ("email-not-syncing", "misspelled"): [
        ("descripton", "description"), ("alot", "a lot"), ("Setings", "Settings"), ("acount", "account"),
        ("pasword", "password"), ("apear", "appear"), ("togther", "together")],
}
GOOD = [pytest.param(case, reply, id=f"{case.id}:{reply.id}")
        for case in SAMPLES for reply in case.replies if reply.quality == "good"]


def test_grammar_sample_poor_replies_list_every_deliberate_error():
    failing = {(case.id, reply.id) for case in SAMPLES for reply in case.replies if "grammar" in reply.fails}
    assert failing == set(DELIBERATE_ERRORS)


@pytest.mark.parametrize(("case_id", "reply_id"), list(DELIBERATE_ERRORS))
def test_grammar_sample_poor_replies_every_error_found(no_languagetool, case_id, reply_id):
    case = next(c for c in SAMPLES if c.id == case_id)
    report = analyze(case.reply(reply_id).text, customer_message=case.customer)
    assert [(f.text, f.suggestion) for f in report.findings_of("grammar")] == DELIBERATE_ERRORS[case_id, reply_id]


@pytest.mark.parametrize(("case", "reply"), GOOD)
def test_grammar_sample_good_replies_have_no_finding(no_languagetool, case, reply):
    report = analyze(reply.text, customer_message=case.customer)
    assert grammar_findings(report) == []


# ---------------------------------------------------------------- the spelling fallback

@pytest.mark.parametrize(("text", "expected"), [
    ("Hi Sam, you will recieve teh new invoice today.", [("recieve", "receive"), ("teh", "the")]),
    ("Recieve the file first, then restart the router.", [("Recieve", "Receive")]),
    ("Sorry, it happend because of a seperate billing problem.",
     [("happend", "happened"), ("seperate", "separate")]),
])
def test_grammar_fallback_flags_misspellings_with_exact_spans(spelling_only, text, expected):
    report = analyze(text)
    assert report.status["grammar"] == SPELLING_ONLY
    assert report.metrics["grammar_backend"] == "spelling"
    assert grammar_findings(report) == [("grammar.spelling", word, fix) for word, fix in expected]
    for finding in report.findings_of("grammar"):
        assert text[finding.start:finding.end] == finding.text
        assert finding.severity == "warning"


@pytest.mark.parametrize("text", [
    "Hi Sam, Kubernetes restarted the DNS pods, so your wifi should work again.",
    "Priya from the helpdesk reset your Okta login and your iPhone passcode prompt.",
    "Run `sudo systemctl restart nginx` and send me the output of dmesg.",
])
def test_grammar_fallback_leaves_names_and_tech_words_alone(spelling_only, text):
    assert grammar_findings(analyze(text)) == []


@pytest.mark.parametrize(("text", "expected"), [
    # "shud" is one letter from shed, shad and scud: the fallback used to offer "shed"
    ("u shud restart it.", [("grammar.text-speak", "u", "you"), ("grammar.text-speak", "shud", "should")]),
])
def test_grammar_fallback_text_speak_never_gets_a_lookalike_word(spelling_only, text, expected):
    assert grammar_findings(analyze(text)) == expected


@pytest.mark.parametrize(("fewer", "more"), [
    ("You will recieve the invoice today and the refund tomorrow.",
     "You will recieve teh invoice today and the refund tommorow."),
])
def test_grammar_score_drops_with_each_error(no_languagetool, fewer, more):
    assert analyze(fewer).scores["grammar"] > analyze(more).scores["grammar"]


@pytest.mark.parametrize("short_text", ["You will recieve the invoice today."])
def test_grammar_score_counts_errors_per_100_words(no_languagetool, short_text):
    filler = " We have checked your account and everything else looks fine." * 12
    assert analyze(short_text + filler).scores["grammar"] > analyze(short_text).scores["grammar"]


def test_grammar_unavailable_only_when_nothing_can_run(spelling_only, monkeypatch):
    def broken():
        raise CheckerUnavailable("no spelling dictionary (test)")

    monkeypatch.setattr(grammar_module, "spelling_checker", broken)
    report = analyze("You will recieve the invoice today.")
    assert report.scores["grammar"] is None
    assert report.status["grammar"] == "unavailable: no Harper (test), no LanguageTool; no spelling dictionary (test)"
    assert "grammar" not in [f.analyzer for f in report.findings]
    assert report.overall is not None


@pytest.mark.integration
@pytest.mark.skipif(not os.environ.get("COACH_LANGUAGETOOL_URL"),
                    reason="needs a live LanguageTool server: set COACH_LANGUAGETOOL_URL")
@pytest.mark.parametrize(("text", "word"), [
    ("Hi 😊 Sam, you will recieve the invoice today.", "recieve"),
    ("He go to the office every day.", "go"),
])
def test_grammar_live_languagetool(text, word):
    report = analyze(text)
    assert report.status["grammar"] == "ok"
    assert report.metrics["grammar_backend"] == "languagetool"
    spans = [f.text for f in report.findings_of("grammar")]
    assert any(word in span for span in spans), spans
    assert all(text[f.start:f.end] == f.text for f in report.findings_of("grammar"))


def test_grammar_team_switched_off_rule_does_not_count(no_languagetool):
    from coach.context import TeamSettings

    text = "You will recieve the invoice tomorow."
    team = TeamSettings(disabled_rules=frozenset({"grammar.spelling"}))
    assert analyze(text).scores["grammar"] < 100
    report = analyze(text, team=team)
    assert report.scores["grammar"] == 100.0 and not report.findings_of("grammar")
