"""coach/feedback/plain_phrases.yaml: whole-phrase plain rewrites for jargon inside a compound."""
from __future__ import annotations

import pytest

from coach import analyze
from coach.errors import DataFileError
from coach.feedback import plain_phrases
from coach.feedback.plain_phrases import load_plain_phrases

ENTRIES = load_plain_phrases()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.phrase for e in ENTRIES])
def test_plain_phrases_hold_no_jargon_of_their_own(entry):
    """The plain wording, read by the coach, raises no jargon finding: a rewrite that trades one
    term for another fixes nothing."""
    report = analyze(f"We looked at the {entry.plain} this morning.")
    assert [f.text for f in report.findings if f.analyzer == "jargon"] == []


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.phrase for e in ENTRIES])
def test_plain_phrases_are_jargon_the_coach_flags(entry):
    """Every listed phrase holds a term the jargon check flags: the table rewrites flaws, it doesn't
    reword what the coach never questioned."""
    carriers = (f"We looked at the {entry.phrase} this morning.", f"Please {entry.phrase} now.",
                f"Please update the {entry.phrase}.")
    assert any(f.analyzer == "jargon" for text in carriers for f in analyze(text).findings), entry.phrase


@pytest.mark.parametrize(("text", "term", "expected"), [
    ("The issue was a BGP misconfiguration on the core router.", "BGP", "BGP misconfiguration"),
    ("The issue was a BGP misconfiguration on the core router.", "router", "core router"),
    ("Please power-cycle the WAP now.", "WAP", "power-cycle the WAP"),
    ("The router is fine.", "router", None),
])
def test_plain_phrases_longest_listed_phrase_around_a_term(text, term, expected):
    start = text.index(term)
    found = plain_phrases.around(text, start, start + len(term))
    assert (None if found is None else text[found[0]:found[1]]) == expected


@pytest.mark.parametrize(("content", "field"), [
    ("phrases:\n  - {phrase: DNS cache}\n", "phrases[0].plain"),
    ("phrases:\n  - {phrase: DNS cache, plain: a}\n  - {phrase: dns  cache, plain: b}\n", "phrases[1].phrase"),
])
def test_plain_phrases_bad_file_names_the_field(tmp_path, content, field):
    path = tmp_path / "plain_phrases.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        load_plain_phrases(path)
    assert "plain_phrases.yaml" in str(raised.value) and field in str(raised.value)
