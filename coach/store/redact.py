"""Redaction: secrets, e-mail addresses, phone numbers and card numbers are replaced by a label
("[credential]", "[email]", "[phone]", "[card number]") before anything is stored.

Secrets are found by the detectors the security analyser uses too (coach/secrets.py,
coach/data/secrets.yaml), so whatever the coach calls a pasted credential is never stored; the
personal-data patterns are data (coach/data/redaction.yaml), loaded, validated and applied here.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from coach.config import DATA_DIR
from coach.datafiles import field, load_yaml
from coach.errors import DataFileError
from coach.secrets import find_secrets

REDACTION_FILE = DATA_DIR / "redaction.yaml"


@dataclass(frozen=True)
class RedactionExample:
    text: str
    secret: str


@dataclass(frozen=True)
class RedactionPattern:
    id: str
    label: str
    regex: re.Pattern[str]
    group: int | str
    min_digits: int
    redact_examples: tuple[RedactionExample, ...]
    keep_examples: tuple[str, ...]

    def apply(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            secret = match.group(self.group)
            if sum(ch.isdigit() for ch in secret) < self.min_digits:
                return match.group(0)
            start, end = match.span(self.group)
            whole_start = match.start()
            return text[whole_start:start] + self.label + text[end:match.end()]

        return self.regex.sub(replace, text)


def _load_pattern(item: Any, path, where: str) -> RedactionPattern:
    flags = re.IGNORECASE if field(item, "ignore_case", bool, path, where, False) else 0
    source = field(item, "regex", str, path, where)
    try:
        regex = re.compile(source, flags)
    except re.error as exc:
        raise DataFileError(path, f"{where}.regex", f"invalid regular expression ({exc})") from None
    group = field(item, "group", (int, str), path, where, 0)
    if isinstance(group, str) and group not in regex.groupindex:
        raise DataFileError(path, f"{where}.group", f"the regex has no group named {group!r}")
    examples = field(item, "examples", dict, path, where)
    redact_examples = []
    for index, example in enumerate(field(examples, "redact", list, path, f"{where}.examples")):
        place = f"{where}.examples.redact[{index}]"
        redact_examples.append(RedactionExample(field(example, "text", str, path, place),
                                                field(example, "secret", str, path, place)))
    keep = field(examples, "keep", list, path, f"{where}.examples")
    for index, text in enumerate(keep):
        if not isinstance(text, str) or not text.strip():
            raise DataFileError(path, f"{where}.examples.keep[{index}]", "must be a non-empty string")
    return RedactionPattern(field(item, "id", str, path, where), field(item, "label", str, path, where), regex,
                            group, field(item, "min_digits", int, path, where, 0), tuple(redact_examples),
                            tuple(keep))


@functools.cache
def load_patterns(path=REDACTION_FILE) -> tuple[RedactionPattern, ...]:
    raw = load_yaml(path)
    items = field(raw, "patterns", list, path, "")
    return tuple(_load_pattern(item, path, f"patterns[{index}]") for index, item in enumerate(items))


@functools.cache
def secret_label(path=REDACTION_FILE) -> str:
    return field(load_yaml(path), "secret_label", str, path, "")


def redact_secrets(text: str) -> str:
    """`text` with every secret the shared detectors find replaced by the secret label."""
    label, parts, last = secret_label(), [], 0
    for match in find_secrets(text):
        parts += [text[last:match.secret_start], label]
        last = match.secret_end
    return "".join(parts) + text[last:]


def redact(text: str | None) -> str | None:
    """`text` with every secret and personal value replaced by its label; None stays None."""
    if text is None:
        return None
    text = redact_secrets(text)
    for pattern in load_patterns():
        text = pattern.apply(text)
    return text


def redact_data(value: Any) -> Any:
    """Every string inside nested lists and dicts (a debrief, feedback) redacted; keys are left alone."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_data(item) for item in value]
    return value
