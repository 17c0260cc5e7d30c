"""Redaction: every example in coach/data/redaction.yaml, plus whole replies as agents write them."""
from __future__ import annotations

import pytest

from coach.errors import DataFileError
from coach.secrets import load_detectors
from coach.store.redact import load_patterns, redact, redact_data

PATTERNS = load_patterns()
REDACT_CASES = [pytest.param(p, ex, id=f"{p.id}-{i}") for p in PATTERNS for i, ex in enumerate(p.redact_examples)]
KEEP_CASES = [pytest.param(p, text, id=f"{p.id}-{i}") for p in PATTERNS for i, text in enumerate(p.keep_examples)]


@pytest.mark.parametrize("pattern", [pytest.param(p, id=p.id) for p in PATTERNS])
def test_redact_every_pattern_has_examples(pattern):
    assert pattern.redact_examples and pattern.keep_examples


@pytest.mark.parametrize(("pattern", "example"), REDACT_CASES)
def test_redact_removes_the_secret(pattern, example):
    out = redact(example.text)
    assert example.secret not in out
    assert pattern.label in out


@pytest.mark.parametrize(("pattern", "text"), KEEP_CASES)
def test_redact_keeps_harmless_text(pattern, text):
    assert redact(text) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi Sam, I've reset it. Your new password is Tr0ub4dor&3 and I'll call you on 07700 900123. "
     "The invoice went to sam@example.com and was charged to 4111 1111 1111 1111.",
     "Hi Sam, I've reset it. Your new password is [credential] and I'll call you on [phone]. "
     "The invoice went to [email] and was charged to [card number]."),
    ("Could you read me the verification code: 493027?", "Could you read me the verification code: [credential]?"),
    ("No personal data here, just a restart at 2pm.", "No personal data here, just a restart at 2pm."),
])
def test_redact_whole_reply(text, expected):
    assert redact(text) == expected


def test_redact_none_stays_none():
    assert redact(None) is None


def test_redact_data_walks_nested_values_but_not_keys():
    data = {"sam@example.com": ["call +44 20 7946 0958", {"quote": "password: hunter22"}], "n": 3}
    assert redact_data(data) == {"sam@example.com": ["call [phone]", {"quote": "password: [credential]"}], "n": 3}


def test_redact_broken_pattern_file_names_the_field(tmp_path):
    path = tmp_path / "redaction.yaml"
    path.write_text("patterns:\n  - {id: x, label: '[x]', regex: '(', examples: {redact: [], keep: []}}\n")
    with pytest.raises(DataFileError, match=r"patterns\[0\]\.regex"):
        load_patterns(path)


# ---------------------------------------------------------------- secrets (coach/data/secrets.yaml)

DETECTORS = load_detectors().detectors
SECRET_CASES = [pytest.param(d, ex, id=f"{d.id}-{i}") for d in DETECTORS for i, ex in enumerate(d.secret_examples)]
NEAR_MISS_CASES = [pytest.param(d, text, id=f"{d.id}-{i}") for d in DETECTORS for i, text in enumerate(d.near_misses)]


def test_redact_secret_detectors_have_enough_examples_half_near_misses():
    secrets, near = len(SECRET_CASES), len(NEAR_MISS_CASES)
    assert secrets + near >= 60
    assert near >= (secrets + near) / 2 - 5 and near >= 30


@pytest.mark.parametrize(("detector", "example"), SECRET_CASES)
def test_redact_removes_every_detected_secret(detector, example):
    out = redact(example.text)
    assert example.secret not in out
    assert "[credential]" in out


@pytest.mark.parametrize(("detector", "text"), NEAR_MISS_CASES)
def test_redact_keeps_near_misses(detector, text):
    assert redact(text) == text


@pytest.mark.parametrize(("text", "expected"), [
    # the whole passphrase, not its first word
    ("Your new password is correct horse battery staple", "Your new password is [credential]"),
    ("Your new password is correct horse battery staple. Change it after you sign in.",
     "Your new password is [credential]. Change it after you sign in."),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRf iCYEXAMPLEKEY", "aws_secret_access_key = [credential]"),
    ("user sam pw: Gr33nTea, then call me on 07700 900123",
     "user sam pw: [credential], then call me on [phone]"),
    ("Connect with postgres://admin:s3cret@db.example.com/app",
     "Connect with postgres://admin:[credential]@db.example.com/app"),
])
def test_redact_secrets_in_whole_replies(text, expected):
    assert redact(text) == expected


def test_redact_broken_secrets_file_names_the_field(tmp_path):
    path = tmp_path / "secrets.yaml"
    path.write_text("settings: {min_secret_length: 4, symbols: '!'}\n"
                    "detectors:\n  - {id: x, kind: pattern, regex: '(', examples: {secret: [], near_miss: [a]}}\n")
    with pytest.raises(DataFileError, match=r"detectors\[0\]\.regex"):
        load_detectors(path)


@pytest.mark.parametrize(("detector", "where"), [
    ("{id: x, kind: magic, examples: {secret: [], near_miss: [a]}}", r"detectors\[0\]\.kind"),
    ("{id: x, kind: pattern, regex: 'ab', examples: {secret: [{text: abc, secret: zz}], near_miss: [a]}}",
     r"detectors\[0\]\.examples\.secret\[0\]\.secret"),
    ("{id: x, kind: pattern, regex: 'ab', quote: all, examples: {secret: [{text: abc, secret: ab}], near_miss: [a]}}",
     r"detectors\[0\]\.quote"),
])
def test_redact_bad_secret_detector_names_the_field(tmp_path, detector, where):
    path = tmp_path / "secrets.yaml"
    path.write_text(f"settings: {{min_secret_length: 4, symbols: '!'}}\ndetectors:\n  - {detector}\n")
    with pytest.raises(DataFileError, match=where):
        load_detectors(path)

