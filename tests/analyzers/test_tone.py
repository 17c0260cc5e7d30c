"""The tone analyser: politeness strategies raise the score; blame, condescension, shouting, curt
commands, negative framing and a missing greeting or closing lower it."""
from __future__ import annotations

import pytest

from coach.analyzers.tone import analyzer
from coach.context import AnalysisContext
from coach.textprep import prepare

POLITE = ("Hi Sam,\n\nThank you for sending the screenshot, and sorry the printer let you down again. "
          "Could you please check that the blue light is on? If it is, I'll connect remotely at 2pm "
          "and set it up again.\n\nLet me know if 2pm doesn't suit you.\n\nBest regards,\nAlex")
NEUTRAL = ("Hi Sam,\n\nThe printer needs its driver reinstalled. I'll connect remotely at 2pm and "
           "set it up again.\n\nAlex")
BLAMING = ("Hi Sam,\n\nYou should have checked the cable before contacting us. Obviously the printer "
           "is offline because someone unplugged it. As I already said last time, this is user error.\n\nAlex")
CONDESCENDING = ("Hi,\n\nObviously the old system is being retired, as was clearly explained in the "
                 "announcement. The new app is simply easier, any user can figure it out. Just read the guide.\n\nChloe")
SHOUTING = "Hi,\n\nYOU SIGNED THE CONTRACT FOR 50 SEATS!!! Read your agreement. There is NOTHING we can do.\n\nHana"
CURT = "Restart the router. Clear the cache. Try again."


def run(nlp, text):
    return analyzer.analyze(AnalysisContext(text, nlp(prepare(text))))


def found(result, rule):
    return [f.text for f in result.findings if f.rule == rule]


@pytest.mark.parametrize(("text", "rule", "expected"), [
    ("Thank you for sending the screenshot.", "tone.gratitude", ["Thank you"]),
    ("Thanks for your patience, I appreciate it.", "tone.gratitude", ["Thanks", "I appreciate"]),
    ("Please restart the router.", "tone.please", ["Please"]),
    ("Could you send me a screenshot?", "tone.hedge", ["Could you"]),
    ("Would you mind restarting it?", "tone.hedge", ["Would you mind"]),
    ("I'm sorry the printer let you down.", "tone.apology", ["sorry"]),
    ("Hi Sam,\n\nYour laptop is ready.", "tone.greeting", ["Hi"]),
    ("Good morning Sam, your laptop is ready.", "tone.greeting", ["Good morning"]),
    ("Your laptop is ready. Say hello to the team.", "tone.greeting", []),
    ("Your laptop is ready.\n\nBest regards,\nAlex", "tone.closing", ["Best regards"]),
    ("Your laptop is ready.\n\nBest,\nAlex", "tone.closing", ["Best,"]),
    ("Your laptop is ready.\n\nThanks, Alex", "tone.closing", ["Thanks, Alex"]),
    ("Your laptop is ready. Let me know if it gives you trouble.", "tone.closing", ["Let me know if"]),
])
def test_tone_politeness_strategies_are_evidence(nlp, text, rule, expected):
    result = run(nlp, text)
    assert [e.text for e in result.evidence if e.rule == rule] == expected
    assert not [f for f in result.findings if f.rule == rule]


@pytest.mark.parametrize(("text", "rule", "expected"), [
    ("You should have checked the cable first.", "tone.blame", ["You should have"]),
    ("You didn't follow the steps I sent.", "tone.blame", ["You didn't follow"]),
    ("This is user error.", "tone.blame", ["user error"]),
    ("If you didn't get the e-mail, check your junk folder.", "tone.blame", []),
    ("Obviously the printer is offline.", "tone.condescension", ["Obviously"]),
    ("As I already said, restart the router.", "tone.condescension", ["As I already said"]),
    ("Just read the guide.", "tone.condescension", ["Just read"]),
    ("Just reply here if it happens again.", "tone.condescension", []),
    ("I just checked your account.", "tone.condescension", []),
    ("Please do NOT restart the server.", "tone.shouting", ["NOT"]),
    ("DO NOT TOUCH the cable.", "tone.shouting", ["DO NOT TOUCH"]),
    ("That will not work!!", "tone.shouting", ["!!"]),
    ("Why would you do that?!", "tone.shouting", ["?!"]),
    ("Please connect to the VPN and check the DNS settings.", "tone.shouting", []),
    ("Check the USB SSD cable.", "tone.shouting", []),
    ("Your new laptop is ready!", "tone.shouting", []),
    ("We can't unlock accounts without a ticket.", "tone.negative-framing", ["We can't"]),
    ("We can’t unlock accounts without a ticket.", "tone.negative-framing", ["We can’t"]),
    ("That's not possible.", "tone.negative-framing", ["That's not possible"]),
    ("That’s not possible.", "tone.negative-framing", ["That’s not possible"]),
    ("Unfortunately there is nothing we can do.", "tone.negative-framing", ["Unfortunately there is nothing"]),
    ("What I can do is unlock it when your manager approves.", "tone.negative-framing", []),
    (CURT, "tone.curt-command", ["Restart the router.", "Clear the cache.", "Try again."]),
    ("Please restart the router. Then clear the cache. After that, could you try again?", "tone.curt-command", []),
    ("Restart the router.", "tone.curt-command", []),
    ("Hope this helps. Let me know how it goes. Have a great day.", "tone.curt-command", []),
])
def test_tone_problem_spans(nlp, text, rule, expected):
    assert found(run(nlp, text), rule) == expected


@pytest.mark.parametrize(("text", "greeting", "closing"), [
    ("Your laptop is ready. You can collect it from the front desk.", True, True),
    ("Hi Sam,\n\nYour laptop is ready. You can collect it from the front desk.\n\nAlex", False, True),
    ("Your laptop is ready. You can collect it today.\n\nBest regards,\nAlex", True, False),
    ("Hi Sam,\n\nYour laptop is ready.\n\nKind regards,\nAlex", False, False),
    ("Done, your password is reset.", False, False),  # a one-sentence chat reply needs neither
])
def test_tone_missing_greeting_and_closing_are_empty_spans_at_the_ends(nlp, text, greeting, closing):
    result = run(nlp, text)
    greetings = [(f.start, f.end) for f in result.findings if f.rule == "tone.missing-greeting"]
    closings = [(f.start, f.end) for f in result.findings if f.rule == "tone.missing-closing"]
    assert greetings == ([(0, 0)] if greeting else [])
    assert closings == ([(len(text), len(text))] if closing else [])


@pytest.mark.parametrize("rude", [BLAMING, CONDESCENDING, SHOUTING])
def test_tone_polite_reply_scores_high_and_rude_ones_low(nlp, rude):
    assert run(nlp, POLITE).score > 85
    assert run(nlp, rude).score < 50


@pytest.mark.parametrize("ordered", [[POLITE, NEUTRAL, BLAMING], [POLITE, NEUTRAL, CURT]])
def test_tone_score_orders_polite_neutral_rude(nlp, ordered):
    scores = [run(nlp, text).score for text in ordered]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


@pytest.mark.parametrize(("cheerful", "gloomy"), [
    ("Hi Sam,\n\nGreat news, the wonderful new laptop is ready and it is lovely.\n\nAlex",
     "Hi Sam,\n\nSadly the broken old laptop failed, and the terrible crash lost data.\n\nAlex"),
])
def test_tone_sentiment_only_nudges_the_score(nlp, cheerful, gloomy):
    happy, sad = run(nlp, cheerful), run(nlp, gloomy)
    assert happy.score > sad.score
    assert happy.score - sad.score <= 10  # at most sentiment_points * 2


@pytest.mark.parametrize("text", [POLITE, BLAMING, SHOUTING, CURT, "<p>Hi Jo,</p><p>You should have restarted it!!</p>"])
def test_tone_findings_and_evidence_quote_the_text_at_their_offsets(nlp, text):
    result = run(nlp, text)
    for item in (*result.findings, *result.evidence):
        assert text[item.start:item.end] == item.text
