"""Whole-phrase plain rewrites for jargon inside a compound, and technical steps no plain words make
followable (coach/feedback/plain_phrases.yaml), loaded and validated once."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from coach.datafiles import field, load_yaml
from coach.errors import DataFileError

PLAIN_PHRASES_FILE = Path(__file__).resolve().parent / "plain_phrases.yaml"


@dataclass(frozen=True)
class PlainPhrase:
    phrase: str
    plain: str
    pattern: re.Pattern[str]


def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in re.split(r"[\s-]+", phrase.strip())]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class TechnicalStep:
    phrase: str
    pattern: re.Pattern[str]


@functools.cache
def _load(path: Path) -> tuple[tuple[PlainPhrase, ...], tuple[TechnicalStep, ...]]:
    raw = load_yaml(path)
    loaded, seen = [], set()
    for index, entry in enumerate(field(raw, "phrases", list, path, "")):
        where = f"phrases[{index}]"
        phrase = field(entry, "phrase", str, path, where).strip()
        plain = field(entry, "plain", str, path, where).strip()
        if not phrase or not plain:
            raise DataFileError(path, where, "phrase and plain must be non-empty")
        _unique(phrase, seen, path, f"{where}.phrase")
        loaded.append(PlainPhrase(phrase, plain, _pattern(phrase)))
    steps = []
    for index, phrase in enumerate(field(raw, "steps", list, path, "") if "steps" in raw else []):
        where = f"steps[{index}]"
        if not isinstance(phrase, str) or not phrase.strip():
            raise DataFileError(path, where, "must be a non-empty string")
        _unique(phrase.strip(), seen, path, where)
        steps.append(TechnicalStep(phrase.strip(), _pattern(phrase)))
    return tuple(loaded), tuple(steps)


def _unique(phrase: str, seen: set[str], path: Path, where: str) -> None:
    key = " ".join(re.split(r"[\s-]+", phrase.lower()))
    if key in seen:
        raise DataFileError(path, where, f"{phrase!r} is listed twice")
    seen.add(key)


def load_plain_phrases(path: Path = PLAIN_PHRASES_FILE) -> tuple[PlainPhrase, ...]:
    return _load(path)[0]


def load_technical_steps(path: Path = PLAIN_PHRASES_FILE) -> tuple[TechnicalStep, ...]:
    return _load(path)[1]


def step_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The listed technical step in `text` that holds text[start:end] ("flush your DNS cache"), as
    (start, end), or None."""
    for entry in load_technical_steps():
        for found in entry.pattern.finditer(text, max(0, start - 80), min(len(text), end + 80)):
            if found.start() <= start and end <= found.end():
                return found.span()
    return None


def around(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The longest listed phrase in `text` that holds text[start:end], as (start, end, plain)."""
    best = None
    for entry in load_plain_phrases():
        for found in entry.pattern.finditer(text, max(0, start - 80), min(len(text), end + 80)):
            if found.start() <= start and end <= found.end():
                if best is None or found.end() - found.start() > best[1] - best[0]:
                    best = (found.start(), found.end(), entry.plain)
    return best
