"""Preparing pasted text: same length always, slow-input runs blanked, mangled punctuation read right,
binary refused, files read only as far as one reply can go, and a work budget per request."""
from __future__ import annotations

import re
import time

import pytest

from coach import analyze
from coach.engine import report_for_doc
from coach.errors import InputError
from coach.textprep import MAX_FILE_BYTES, RUN_KEEP, Budget, parse, prepare, read_file_bytes


@pytest.mark.parametrize("text", ["?" * 19999, "=" * 4999, "Thanks" + "!" * 4990, "Hi (" + "(" * 3000 + " ok",
                                  "Ok " + "\U0001f600" * 5000, "Hi " + "?!" * 4000 + " there"])
def test_textprep_long_punctuation_runs_are_blanked_after_the_first_characters(text):
    cleaned = prepare(text)
    assert len(cleaned) == len(text)
    assert not re.search(r"[^\w\s]{%d}" % (RUN_KEEP + 1), cleaned)
    assert all(a == b for a, b in zip(text, cleaned) if not b.isspace())  # only blanked, never moved


@pytest.mark.parametrize("text", ["~ " * 5000, "Hi Sam " + "- " * 300 + "thanks", "? ! " * 2000])
def test_textprep_spaced_out_symbol_runs_are_blanked_too(text):
    cleaned = prepare(text)
    assert len(cleaned) == len(text) and len(cleaned.split()) <= 12


@pytest.mark.parametrize("text", ["Sorry!!! That's on us...", "-----Original Message-----", "Call 020-7946-0018 :-)", "Thanks!!! :) :) see you - Alex",
                                  "See https://example.com/a?b=c&d=e"])
def test_textprep_ordinary_punctuation_is_untouched(text):
    assert prepare(text) == text


@pytest.mark.parametrize(("text", "reads"), [
    ("I\x19m sorry, it\x19s fixed.", "I’m sorry, it’s fixed."),
    ("Back at 3\x134 pm \x14 promise.", "Back at 3–4 pm — promise."),
    ("You said \x1cit froze\x1d.", "You said “it froze”."),
    ("The \x18Reset\x19 button.", "The ‘Reset’ button."),
])
def test_textprep_mangled_curly_punctuation_reads_as_what_it_stands_for(text, reads):
    assert prepare(text) == reads


def test_textprep_a_reply_full_of_mangled_apostrophes_is_not_binary():
    text = ("Hi Sam, I\x19m sorry you\x19ve waited. It\x19s fixed now and you\x19ll get mail again; we\x19re "
            "watching it and I\x19ll check in tomorrow. Don\x19t hesitate to reply.")
    report = analyze(text)
    assert report.text == text and report.overall is not None
    assert all(text[f.start:f.end] == f.text for f in report.findings)


@pytest.mark.parametrize("text", ["\x00\x01\x02\x03\x04 hello there", "ab\x07\x08\x0e\x0f\x10\x11 xyz " * 3])
def test_textprep_real_binary_is_still_refused(text):
    with pytest.raises(InputError, match="binary"):
        prepare(text)


@pytest.mark.parametrize("text", ["\ud800", "Hi Sam \udc00 thanks", "ok \ud83d"])
def test_textprep_lone_surrogates_are_a_clear_error(text):
    with pytest.raises(InputError, match="invalid character at position"):
        prepare(text)


def test_textprep_reads_a_file_only_as_far_as_one_reply_can_go(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_FILE_BYTES + 10))
    with pytest.raises(InputError, match="too long for one reply"):
        read_file_bytes(str(big))
    started = time.monotonic()
    with pytest.raises(InputError, match="too long for one reply"):
        read_file_bytes("/dev/zero")
    assert time.monotonic() - started < 5


def test_textprep_budget_refuses_too_many_tokens(nlp):
    with pytest.raises(InputError, match="splits into 10 words and symbols; Support Coach checks up to 5"):
        parse(nlp, "one two three four five six seven eight nine ten", Budget(max_tokens=5))


def test_textprep_budget_ends_a_request_that_runs_out_of_time(nlp):
    budget = Budget(seconds=0.0)
    doc = nlp("Hi Sam, I reset your password. Thanks for waiting.")
    time.sleep(0.01)
    with pytest.raises(InputError, match="took longer than 0 seconds"):
        report_for_doc(doc.text, doc, budget=budget)


def test_textprep_jargon_dense_english_is_english():
    report = analyze("NTLM auth fails bc SPN mismatch; re-register SPN, purge kerberos tickets")
    assert report.overall is not None


@pytest.mark.parametrize("text", ["Bonjour, votre mot de passe a été réinitialisé, merci de patienter un peu.",
                                  "Hallo, Ihr Passwort wurde zurückgesetzt, bitte warten Sie noch einen Moment."])
def test_textprep_other_languages_are_still_refused(text):
    with pytest.raises(InputError, match="doesn't look like English"):
        analyze(text)
