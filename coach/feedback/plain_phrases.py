"""Whole-phrase plain rewrites for jargon inside a compound (coach/feedback/plain_phrases.yaml),
loaded and validated once."""
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


@functools.cache
def load_plain_phrases(path: Path = PLAIN_PHRASES_FILE) -> tuple[PlainPhrase, ...]:
    raw = load_yaml(path)
    entries = field(raw, "phrases", list, path, "")
    loaded, seen = [], set()
    for index, entry in enumerate(entries):
        where = f"phrases[{index}]"
        phrase = field(entry, "phrase", str, path, where).strip()
        plain = field(entry, "plain", str, path, where).strip()
        if not phrase or not plain:
            raise DataFileError(path, where, "phrase and plain must be non-empty")
        key = " ".join(re.split(r"[\s-]+", phrase.lower()))
        if key in seen:
            raise DataFileError(path, f"{where}.phrase", f"{phrase!r} is listed twice")
        seen.add(key)
        loaded.append(PlainPhrase(phrase, plain, _pattern(phrase)))
    return tuple(loaded)


def around(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The longest listed phrase in `text` that holds text[start:end], as (start, end, plain)."""
    best = None
    for entry in load_plain_phrases():
        for found in entry.pattern.finditer(text, max(0, start - 80), min(len(text), end + 80)):
            if found.start() <= start and end <= found.end():
                if best is None or found.end() - found.start() > best[1] - best[0]:
                    best = (found.start(), found.end(), entry.plain)
    return best
