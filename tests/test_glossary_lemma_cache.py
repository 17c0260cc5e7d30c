"""The glossary's base-form lemmas are tagged once per pipeline version and read back on later
starts (tagging thousands of forms took seconds at every start); the matches are the same."""
from __future__ import annotations

import pytest

from coach import glossary

TEXT = "I rebooted the router, then re-authenticated and flushed the DNS cache."


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "support-coach"


def _matches(compiled, nlp):
    return [(m.term.id, TEXT[m.start:m.end]) for m in compiled.find(nlp(TEXT))]


def test_glossary_lemmas_are_cached_and_give_the_same_matches(nlp, fresh_cache, monkeypatch):
    built = glossary.CompiledGlossary(glossary.load_glossary(), nlp)
    assert [p.name for p in fresh_cache.glob("glossary-lemmas-*.json")] != []

    def no_tagging(*args, **kwargs):
        raise AssertionError("the cached lemmas should have been used")

    monkeypatch.setattr(nlp, "pipe", no_tagging)
    from_cache = glossary.CompiledGlossary(glossary.load_glossary(), nlp)
    assert _matches(from_cache, nlp) == _matches(built, nlp)
    assert ("reboot", "rebooted") in _matches(from_cache, nlp)


@pytest.mark.parametrize("content", ["{", '{"format": 1, "lemmas": ["reboot"]}',
                                     '{"format": 1, "lemmas": {"reboot": "not a list"}}',
                                     '{"format": 1, "lemmas": {"reboot": ["reboot", "extra"]}}'])
def test_damaged_lemma_cache_still_finds_inflected_terms(nlp, fresh_cache, content):
    fresh_cache.mkdir()
    glossary._lemma_cache_file(nlp).write_text(content)
    compiled = glossary.CompiledGlossary(glossary.load_glossary(), nlp)
    assert ("reboot", "rebooted") in _matches(compiled, nlp)


def test_team_terms_new_since_the_cache_are_tagged(nlp, fresh_cache):
    glossary.CompiledGlossary(glossary.load_glossary(), nlp)
    term = glossary.Term(id="recalibrate", term="recalibrate", aliases=(), plain="tidy up", explanation="Tidy up.",
                         domain="team")
    compiled = glossary.compile_terms((term,), nlp)
    found = compiled.find(nlp("I recalibrated the screen."))
    assert [m.term.id for m in found] == ["recalibrate"]
