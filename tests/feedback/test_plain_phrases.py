"""coach/feedback/plain_phrases.yaml: whole-phrase plain rewrites for jargon inside a compound."""
from __future__ import annotations

import pytest

from coach import analyze
from coach.errors import DataFileError
from coach.feedback import apply_suggestions, plain_phrases
from coach.feedback.plain_phrases import load_plain_phrases, load_technical_steps

ENTRIES = load_plain_phrases()
STEPS = load_technical_steps()


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


@pytest.mark.parametrize("step", STEPS, ids=[s.phrase for s in STEPS])
def test_plain_phrases_technical_steps_are_jargon_the_coach_flags(step):
    assert any(f.analyzer == "jargon" for f in analyze(f"Please {step.phrase} now.").findings), step.phrase


@pytest.mark.parametrize(("reply", "expected"), [
    ("Hi Leo,\n\nPlease flush your DNS cache and restart your laptop.\n\nThanks,\nKim",
     "Please [steps they can follow for 'flush your DNS cache'] and restart your laptop."),
    ("Hi Leo,\n\nFirst, flush the DNS cache.\n\nThanks,\nKim", "First, [steps they can follow for 'flush the DNS cache']."),
])
def test_plain_phrases_technical_step_becomes_a_placeholder_for_the_steps(reply, expected):
    """"Flush your saved list of website addresses" is plainer but no step a customer can take: the
    agent writes the steps in the placeholder."""
    revised = apply_suggestions(analyze(reply, customer_message="My internet is slow at home."))
    assert expected in revised and "saved list of website addresses" not in revised


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
    ("phrases:\n  - {phrase: DNS cache, plain: a}\nsteps:\n  - flush DNS\n  - ''\n", "steps[1]"),
    ("phrases:\n  - {phrase: flush DNS, plain: a}\nsteps:\n  - flush  DNS\n", "steps[0]"),
])
def test_plain_phrases_bad_file_names_the_field(tmp_path, content, field):
    path = tmp_path / "plain_phrases.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        load_technical_steps(path)
    assert "plain_phrases.yaml" in str(raised.value) and field in str(raised.value)
