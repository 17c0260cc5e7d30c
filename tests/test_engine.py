"""The engine: one report per reply, each problem told once."""
from __future__ import annotations

import pytest

from coach import analyze, analyze_stream
from coach.engine import said_once
from coach.findings import Finding


@pytest.mark.parametrize(("reply", "words"), [
    pytest.param("Hi Sam, thats fixed now and u can sign in again. Thanks, Jo", ["thats", "u"], id="two-words"),
    pytest.param("Hi Sam, pls restart the app and let me know if it works. Thanks, Jo", ["pls"], id="pls"),
])
def test_text_speak_is_told_once_with_its_correction_and_still_lowers_tone(reply, words):
    report = analyze(reply)
    for word in words:
        rules = [f.rule for f in report.findings if f.text == word and f.rule.endswith("text-speak")]
        assert rules == ["grammar.text-speak"], word
    polite = analyze(reply.replace("pls", "please").replace("thats", "that's").replace(" u ", " you "))
    assert report.scores["tone"] < polite.scores["tone"]


def _finding(rule, start, end, text):
    return Finding(rule.split(".")[0], rule, "warning", start, end, text, "message")


def test_said_once_keeps_a_finding_whose_better_twin_flags_another_passage():
    tone = _finding("tone.text-speak", 0, 1, "u")
    grammar = _finding("grammar.text-speak", 5, 6, "u")
    assert said_once([tone, grammar]) == [tone, grammar]
    same = _finding("grammar.text-speak", 0, 1, "u")
    assert said_once([tone, same]) == [same]


ONE_LINE_EMAIL = "There is an upstream issue at the provider; we are waiting for them to fix it."


@pytest.mark.parametrize(("row", "channel"), [
    ((ONE_LINE_EMAIL, "Is the office internet down?"), None),
    ((ONE_LINE_EMAIL, "Is the office internet down?", "email"), "email"),
    ((ONE_LINE_EMAIL, "Is the office internet down?", "chat"), "chat"),
    ((ONE_LINE_EMAIL, None, None), None),
])
def test_analyze_stream_judges_each_row_in_its_channel(row, channel):
    (item,) = analyze_stream([row])
    expected = analyze(row[0], customer_message=row[1], channel=channel)
    assert item.report.channel == expected.channel
    assert item.report.overall == expected.overall
    assert [f.rule for f in item.report.findings] == [f.rule for f in expected.findings]


def test_analyze_stream_reports_an_unknown_channel_for_its_row_only():
    items = list(analyze_stream([(ONE_LINE_EMAIL, None, "fax"), (ONE_LINE_EMAIL, None, "email")]))
    assert items[0].report is None and "fax" in items[0].error
    assert items[1].report is not None and items[1].report.channel == "email"
