"""The sign-off's name lines at the end of a reply ("Best regards,\nTom", "Cheers\n\nMina").

One rule for every analyser that must leave the agent's name, title and team alone: the grammar
check (a name is not a typo) and the jargon check (a team's name is not jargon to decode). It
reads only the text's lines, so any module can import it without importing an analyser.

The name lines are either
- up to `MAX_LINES` short lines under a closing line that ends with a comma ("Thanks,\nMina
  Patel\nSupport team"), the first of them shaped like a name, or a name and, after a comma, a
  title or team ("Priyanka, SRE Support"); the closing line is not the
  reply's first line (that is the greeting, "Hi Sam,"), unless nothing comes before it; or
- the reply's last paragraph, after a blank line, when its first line is shaped like a name and
  the rest are short title or team lines ("...tomorrow.\n\nMina", "...\n\nMina Patel\nAcme Support").
A line that reads as a sentence (it ends with . ! ? or has a lower-case word that isn't a
connector) is never a name: "...\n\nThanks for waiting" has no sign-off.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# lines a sign-off's name block may have: name, title, team, company
MAX_LINES = 4
# a name: one to four words, each capitalised, or a connector inside ("Alex from Support")
_CONNECTORS = ("from", "at", "of", "and", "&", "the", "de", "van", "von", "da")
_NAME = re.compile(r"[-–—]?\s*[A-Z][\w'.-]*(?:[ \t]+(?:(?:" + "|".join(_CONNECTORS)
                   + r")[ \t]+)?[A-Z][\w'.-]*){0,3}")
# a title or team line under the name: short, and not a sentence
_TITLE_WORDS = 8
_SENTENCE_END = (".", "!", "?", ":")


@dataclass(frozen=True)
class SignOff:
    """Where the name lines start and end (character offsets), and the words of the name line
    itself, lower-cased (title and team lines are ordinary words a spelling check still reads)."""

    start: int
    end: int
    name_words: frozenset[str]


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for every line of `text`, without the line breaks."""
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    return lines


def _name_part(line: str) -> str:
    """The name on a name line: all of it, or what comes before a title or team after a comma
    ("Priyanka, SRE Support", "Nora, HR")."""
    name, comma, title = line.strip().partition(", ")
    return name if comma and _title_line(title) else line.strip()


def _name_line(line: str) -> bool:
    return _NAME.fullmatch(_name_part(line)) is not None


def _title_line(line: str) -> bool:
    stripped = line.strip()
    # "Support team", "Acme Ltd | +44 20 7946 0000", "support@acme.example"; not "It's fixed."
    return (bool(stripped) and len(stripped.split()) <= _TITLE_WORDS and not stripped.endswith(_SENTENCE_END)
            and (stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in "+@(" or "@" in stripped))


def _block(lines: list[tuple[int, str]]) -> bool:
    """Whether these lines are a sign-off's name block: a name, then title or team lines."""
    return 0 < len(lines) <= MAX_LINES and _name_line(lines[0][1]) and all(_title_line(line) for _, line in lines[1:])


def find_sign_off(text: str) -> SignOff | None:
    """The sign-off's name lines at the end of `text`, or None when the reply has none."""
    lines = _lines(text.rstrip())
    filled = [index for index, (_, line) in enumerate(lines) if line.strip()]
    if len(filled) < 2:
        return None
    first = filled[0]
    # under a closing line that ends with a comma: "Best regards,\nTom"
    for closing in range(len(lines) - 2, max(-1, len(lines) - 2 - MAX_LINES), -1):
        line = lines[closing][1].strip()
        if not line:
            break
        if line.endswith(",") and (closing != first or closing == 0 and len(filled) <= MAX_LINES + 1):
            block = lines[closing + 1:]
            if _block(block):
                return _sign_off(block)
            break
    # the last paragraph on its own after a blank line: "...tomorrow.\n\nMina"
    paragraph_start = max(index for index in range(len(lines)) if not lines[index][1].strip()) + 1 \
        if any(not line.strip() for _, line in lines) else None
    if paragraph_start is not None and paragraph_start > first:
        block = lines[paragraph_start:]
        if _block(block):
            return _sign_off(block)
    return None


def _sign_off(block: list[tuple[int, str]]) -> SignOff:
    start_offset, first_line = block[0]
    start = start_offset + len(first_line) - len(first_line.lstrip())
    end_offset, last_line = block[-1]
    words = frozenset(word.lower() for word in re.findall(r"[^\W\d_][\w'-]*", _name_part(first_line))
                      if word.lower() not in _CONNECTORS)
    return SignOff(start, end_offset + len(last_line.rstrip()), words)


def sign_off_start(text: str) -> int:
    """Where the sign-off's name lines begin, or len(text) when the reply has none."""
    found = find_sign_off(text)
    return len(text) if found is None else found.start
