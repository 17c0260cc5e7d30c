"""Secret detectors shared by the security analyser (a secret pasted into a reply is a finding) and
redaction (a secret is removed before anything is stored): cloud keys (AWS, GCP, Azure), private
keys, JWTs, code-host tokens, connection strings with passwords, labelled passwords and
passphrases ("password is correct horse battery staple", "pw: ..."), one-time codes,
password-shaped words and high-entropy tokens.

The detectors and their examples are data (coach/data/secrets.yaml); this module loads, validates
and runs them. Plain regular expressions and word lists only: storage uses it without spaCy.
"""
from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.config import DATA_DIR
from coach.datafiles import field, load_yaml, string_list
from coach.errors import DataFileError

SECRETS_FILE = DATA_DIR / "secrets.yaml"
KINDS = ("pattern", "labelled-value", "password-shaped", "high-entropy")

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
# the end of a clause: punctuation followed by a space or the end, or a line break
_CLAUSE_END = re.compile(r"[.,;!?)](?=\s|$)|[;\n]|\s[-–—]\s")
_TRAILING = ".,;:)\"'`"
_WORD = re.compile(r"\S+")
_VALUE_WINDOW = 200
_TOKEN = r"(?<![\w/.+=@:-])[A-Za-z0-9_+=-]{%d,}(?![\w/+=@-]|\.\w)"


@dataclass(frozen=True)
class SecretExample:
    text: str
    secret: str


@dataclass(frozen=True)
class SecretMatch:
    """One secret in a text: `start`/`end` cover the passage a reader would point at (the label and
    the value, "temporary password is X7k#9pQ2"); `secret_start`/`secret_end` the secret itself."""

    detector: str
    start: int
    end: int
    secret_start: int
    secret_end: int
    in_url: bool = False
    quote_secret: bool = False


QUOTES = ("match", "secret")


@dataclass(frozen=True)
class Detector:
    id: str
    kind: str
    quote: str
    options: dict[str, Any]
    compiled: dict[str, re.Pattern[str]]
    secret_examples: tuple[SecretExample, ...]
    near_misses: tuple[str, ...]


def entropy(value: str) -> float:
    """Shannon entropy in bits per character: H = -sum(p_c * log2(p_c)) over the characters c."""
    counts, total = Counter(value), len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


# ---------------------------------------------------------------- loading

def _regex(raw: str, path: Path, where: str) -> re.Pattern[str]:
    try:
        return re.compile(raw)
    except re.error as exc:
        raise DataFileError(path, where, f"invalid regex ({exc})") from None


_OPTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "pattern": {"regex": str},
    "labelled-value": {"label": str, "joiners": str, "placeholders": str, "descriptions": list,
                       "description_starts": list, "clause_stops": list, "pin_labels": list},
    "password-shaped": {"min_length": int, "max_length": int, "not_like": str},
    "high-entropy": {"min_length": int, "label_window": int, "labels": list,
                     "labelled_entropy": (int, float), "entropy": (int, float)},
}
_REGEX_OPTIONS = {"regex", "label", "joiners", "placeholders", "not_like"}


def _load_detector(item: Any, path: Path, where: str) -> Detector:
    detector_id = field(item, "id", str, path, where)
    kind = field(item, "kind", str, path, where)
    if kind not in KINDS:
        raise DataFileError(path, f"{where}.kind", f"must be one of {', '.join(KINDS)}")
    options = {key: field(item, key, expected, path, where) for key, expected in _OPTIONS[kind].items()}
    for key, value in options.items():
        if isinstance(value, list):
            options[key] = frozenset(string_list(item, key, path, where))
    compiled = {key: _regex(options[key], path, f"{where}.{key}") for key in _REGEX_OPTIONS if key in options}
    if kind == "pattern":
        options["groups"] = tuple(name for name in compiled["regex"].groupindex if name.startswith("secret"))
    if kind == "high-entropy":
        compiled["token"] = re.compile(_TOKEN % options["min_length"])
        compiled["label_before"] = re.compile(r"(?i)\b(?:%s)\b[^\n]{0,%d}$" % (
            "|".join(map(re.escape, sorted(options["labels"]))), options["label_window"]))
    examples = field(item, "examples", dict, path, where)
    secrets = []
    for index, example in enumerate(field(examples, "secret", list, path, f"{where}.examples")):
        place = f"{where}.examples.secret[{index}]"
        text, secret = field(example, "text", str, path, place), field(example, "secret", str, path, place)
        if secret not in text:
            raise DataFileError(path, f"{place}.secret", "must be part of the example's text")
        secrets.append(SecretExample(text, secret))
    near = string_list(examples, "near_miss", path, f"{where}.examples")
    quote = field(item, "quote", str, path, where, "match")
    if quote not in QUOTES:
        raise DataFileError(path, f"{where}.quote", f"must be one of {', '.join(QUOTES)}")
    return Detector(detector_id, kind, quote, options, compiled, tuple(secrets), tuple(near))


@dataclass(frozen=True)
class Detectors:
    path: Path
    min_secret_length: int
    symbols: frozenset[str]
    detectors: tuple[Detector, ...]


@functools.cache
def load_detectors(path: Path = SECRETS_FILE) -> Detectors:
    raw = load_yaml(path)
    settings = field(raw, "settings", dict, path, "")
    items = field(raw, "detectors", list, path, "")
    detectors = tuple(_load_detector(item, path, f"detectors[{index}]") for index, item in enumerate(items))
    seen: set[str] = set()
    for index, detector in enumerate(detectors):
        if detector.id in seen:
            raise DataFileError(path, f"detectors[{index}].id", f"duplicate detector id {detector.id!r}")
        seen.add(detector.id)
    return Detectors(path, field(settings, "min_secret_length", int, path, "settings"),
                     frozenset(field(settings, "symbols", str, path, "settings")), detectors)


# ---------------------------------------------------------------- finding secrets

def find_secrets(text: str, detectors: Detectors | None = None) -> list[SecretMatch]:
    """Every secret in `text`, in text order; where two detectors' passages overlap, the one listed
    first in secrets.yaml wins."""
    detectors = detectors or load_detectors()
    urls = [m.span() for m in _URL.finditer(text)]
    url_starts = [start for start, _ in urls]
    found: list[SecretMatch] = []
    taken: list[tuple[int, int]] = []  # secret spans kept so far, sorted, never overlapping
    for detector in detectors.detectors:
        for match in _FINDERS[detector.kind](detector, detectors, text):
            index = bisect.bisect_left(taken, (match.secret_start, match.secret_end))
            neighbours = taken[max(0, index - 1):index + 1]
            if any(match.secret_start < end and start < match.secret_end for start, end in neighbours):
                continue
            taken.insert(index, (match.secret_start, match.secret_end))
            url = bisect.bisect_right(url_starts, match.secret_start) - 1
            in_url = url >= 0 and match.secret_end <= urls[url][1]
            found.append(SecretMatch(detector.id, match.start, match.end, match.secret_start, match.secret_end,
                                     in_url, detector.quote == "secret"))
    return sorted(found, key=lambda m: (m.start, m.end))


def _patterns(detector: Detector, detectors: Detectors, text: str) -> list[SecretMatch]:
    found = []
    for match in detector.compiled["regex"].finditer(text):
        group = next((g for g in detector.options["groups"] if match.group(g) is not None), None)
        start, end = match.span(group) if group else match.span()
        if end - start >= detectors.min_secret_length:
            found.append(SecretMatch(detector.id, match.start(), match.end(), start, end))
    return found


def _password_like(word: str, symbols: frozenset[str]) -> bool:
    """Letters with digits or symbols ("Hunter2!", "sunflower42"), or mixed case inside a word."""
    letters = any(c.isalpha() for c in word)
    return letters and (any(c.isdigit() or c in symbols for c in word) or any(c.isupper() for c in word[1:]))


def _labelled(detector: Detector, detectors: Detectors, text: str) -> list[SecretMatch]:
    compiled, found = detector.compiled, []
    for label in compiled["label"].finditer(text):
        joiner = compiled["joiners"].match(text, label.end())
        if joiner is None or joiner.end() == label.end() and not text[label.end():label.end() + 1].isspace():
            continue
        value_start = joiner.end()
        # a value is read to the end of its line, at most `_VALUE_WINDOW` characters: a passphrase is
        # never longer, and a bounded window keeps a text full of labels linear
        line_end = text.find("\n", value_start, value_start + _VALUE_WINDOW)
        line_end = min(len(text), value_start + _VALUE_WINDOW) if line_end < 0 else line_end
        clause = _CLAUSE_END.search(text, value_start, line_end)
        clause_end = clause.start() if clause else line_end
        words = [(m.start() + value_start, m.end() + value_start, m.group(0))
                 for m in _WORD.finditer(text[value_start:line_end])]
        value = _secret_value(words, clause_end, label.group(0).lower(), detector, detectors)
        if value is None:
            continue
        start, end = value
        found.append(SecretMatch(detector.id, label.start(), end, start, end))
    return found


def _secret_value(words: list[tuple[int, int, str]], clause_end: int, label: str, detector: Detector,
                  detectors: Detectors) -> tuple[int, int] | None:
    """The secret's span among the words after the label (to the end of the line), or None when
    they describe the password ("is case-sensitive", "was reset yesterday") or are a placeholder.
    A password-shaped first word is the secret whatever follows it ("Hunter2! and then"); plain
    words are a passphrase up to the end of the clause."""
    if not words:
        return None
    options = detector.options
    first_start, _, first = words[0]
    first = first.strip("\"'`“”‘’")
    bare = first.rstrip(_TRAILING).lower()
    if not bare or detector.compiled["placeholders"].fullmatch(bare):
        return None
    if any(label.endswith(pin) for pin in options["pin_labels"]):
        digits = first.rstrip(_TRAILING)
        if re.fullmatch(r"\d{4,8}", digits):
            offset = words[0][2].index(digits)
            return first_start + offset, first_start + offset + len(digits)
        return None
    if bare in options["description_starts"] or bare.endswith(("ed", "ing")) and not _password_like(first, detectors.symbols):
        return None
    if _password_like(first, detectors.symbols):
        # a password-shaped first word is the whole secret: "X7k#9pQ2 for today"
        value = words[0][2].strip("\"'`“”‘’").rstrip(".,;:)\"'`")
        offset = words[0][2].index(value)
        return first_start + offset, first_start + offset + len(value)
    # plain words: a passphrase, up to the end of the clause or a word that starts a new part of it
    if bare.isdigit() and len(words) > 1 and words[1][0] < clause_end:
        return None  # "12 characters long", "3 attempts left"
    kept = [words[0]]
    for word in words[1:]:
        if word[0] >= clause_end or word[2].lower().strip(_TRAILING) in options["clause_stops"]:
            break
        kept.append(word)
    if len(kept) == 1 and (bare in options["descriptions"] or len(bare) < detectors.min_secret_length):
        return None
    if len(kept) < 3 and bare in options["descriptions"]:
        return None  # "long enough", "correct now"; a passphrase has three or more words
    if len(kept) > 1 and kept[1][2].lower() in options["description_starts"]:
        return None  # "is correct on our side", "is valid for 90 days"
    start = kept[0][0] + (len(kept[0][2]) - len(kept[0][2].lstrip("\"'`“”‘’")))
    last = kept[-1][2].rstrip(_TRAILING + "“”’")
    return start, kept[-1][0] + len(last)


def _password_shaped(detector: Detector, detectors: Detectors, text: str) -> list[SecretMatch]:
    low, high = detector.options["min_length"], detector.options["max_length"]
    found = []
    for match in _WORD.finditer(text):
        word = match.group(0).strip("\"'`“”‘’(").rstrip(".,;:)\"'`")
        if (not low <= len(word) <= high or "@" in word and "." in word.split("@")[-1] or "://" in word
                or detector.compiled["not_like"].search(word)):
            continue
        if (any(c.islower() for c in word) and any(c.isupper() for c in word) and any(c.isdigit() for c in word)
                and any(c in detectors.symbols for c in word)):
            start = match.start() + match.group(0).index(word)
            found.append(SecretMatch(detector.id, start, start + len(word), start, start + len(word)))
    return found


def _high_entropy(detector: Detector, detectors: Detectors, text: str) -> list[SecretMatch]:
    options, found = detector.options, []
    for match in detector.compiled["token"].finditer(text):
        value = match.group(0)
        if detector.compiled["label_before"].search(text, 0, match.start()):
            secret = entropy(value) >= options["labelled_entropy"] and any(c.isdigit() for c in value)
        else:
            longest_lower_run = max((len(run) for run in re.findall(r"[a-z]+", value)), default=0)
            secret = (entropy(value) >= options["entropy"] and longest_lower_run < 5
                      and any(c.isupper() for c in value) and any(c.islower() for c in value)
                      and any(c.isdigit() for c in value))
        if secret:
            found.append(SecretMatch(detector.id, match.start(), match.end(), match.start(), match.end()))
    return found


_FINDERS = {"pattern": _patterns, "labelled-value": _labelled, "password-shaped": _password_shaped,
            "high-entropy": _high_entropy}
