"""The sign-off's name lines, one rule for the grammar and jargon checks."""
from __future__ import annotations

import pytest

from coach.signoff import find_sign_off, sign_off_start

BODY = "Hi Sam,\n\nYour laptop is ready at the desk.\n\n"


@pytest.mark.parametrize(("sign_off", "name_lines", "names"), [
    ("Best regards,\nTom", "Tom", {"tom"}),
    ("Thanks,\nMina Patel\nSupport team", "Mina Patel\nSupport team", {"mina", "patel"}),
    ("Cheers\n\nMina", "Mina", {"mina"}),
    ("Kind regards,\nAlex from Support", "Alex from Support", {"alex", "support"}),
    ("Cheers,\nDev Team", "Dev Team", {"dev", "team"}),
    ("Many thanks,\nJo O'Neill\nAcme Ltd | +44 20 7946 0000", "Jo O'Neill\nAcme Ltd | +44 20 7946 0000", {"jo", "o'neill"}),
    ("Thanks,\nPriyanka, SRE Support", "Priyanka, SRE Support", {"priyanka"}),  # name, then team
    ("Best regards,\nNora, HR", "Nora, HR", {"nora"}),
    ("Mina", "Mina", {"mina"}),                                    # the last line alone after a blank line
])
def test_signoff_name_lines_are_found(sign_off, name_lines, names):
    text = BODY + sign_off + "\n"
    found = find_sign_off(text)
    assert found is not None
    assert text[found.start:found.end] == name_lines
    assert found.name_words == names
    assert sign_off_start(text) == found.start


@pytest.mark.parametrize("text", [
    BODY + "Thanks for waiting",                                   # a last line that is a sentence
    BODY + "Let me know if it works.",
    "Hi Sam,\nPlease restart the laptop.",                         # a greeting's comma is no closing
    "Hi Sam,\nPlease restart it\nThanks",
    "Your laptop is ready.",
    BODY + "Best regards,\nplease call me back tomorrow if it fails",
    BODY + "Thanks,\nSam, call me if it fails again.",
    "",
])
def test_signoff_none_where_the_reply_has_no_name_lines(text):
    assert find_sign_off(text) is None
    assert sign_off_start(text) == len(text)
