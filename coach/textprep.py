"""Turning what a user pasted into text we can analyse, or a clear InputError.

Everything here keeps the text's length: prepare() returns a same-length copy for spaCy, so every
offset found in it is also an offset into the text as given.
- HTML e-mail pastes: tags and entities are blanked out with spaces.
- Curly quotes and dashes that lost their high byte in a copy-paste (U+2019 arriving as the control
  character U+0019, U+2013 as U+0013, U+201C as U+001C...) read as what they stand for.
- Long runs of punctuation or symbols ("??????", "=====", emoji): spaCy's tokenizer takes time
  quadratic in a run's length (20,000 "?" took 40 s), so only the first RUN_KEEP characters of a
  run are kept and the rest blanked; the analysis stays linear in the input. Runs whose symbols
  are spaced out ("~ ~ ~ ~") are blanked the same way: each symbol would be a token of its own.
And a Budget caps the work of one request: at most MAX_TOKENS tokens, and TIME_BUDGET seconds
checked between pipeline steps and analysers, after which the request ends with an InputError
instead of holding a worker.
"""
from __future__ import annotations

import errno
import os
import re
import time
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from coach.errors import InputError

MAX_CHARS = 20_000
# Files are read only this far: one reply is at most MAX_CHARS characters of up to 4 UTF-8 bytes.
MAX_FILE_BYTES = 4 * MAX_CHARS + 4
MAX_TOKENS = 6_000
TIME_BUDGET = float(os.environ.get("COACH_TIME_BUDGET", "") or 30.0)
RUN_KEEP = 8
_TAG = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|</?[A-Za-z][^<>]*>", re.S | re.I)
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,6});")
# The low byte of ‘ ’ – — “ ” (U+2018, U+2019, U+2013, U+2014, U+201C, U+201D): what a bad copy-paste leaves.
_MANGLED = str.maketrans({"\x18": "\u2018", "\x19": "\u2019", "\x13": "\u2013", "\x14": "\u2014",
                          "\x1c": "\u201c", "\x1d": "\u201d"})
# Other control characters (not tab, line breaks, form feed, nor the mangled punctuation above).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x12\x15-\x17\x1a\x1b\x1e\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_RUN = re.compile(r"[^\w\s]{%d,}" % (RUN_KEEP + 1))
# The same run with spaces between its symbols ("~ ~ ~ ~", "- - - -"): one token each, and no words.
_SPACED_RUN = re.compile(r"(?:[^\w\s]{1,%d}[ \t]+){%d,}" % (RUN_KEEP, RUN_KEEP + 1))


def read_limited(handle, source: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most `limit` bytes of an open binary stream (so /dev/zero or a huge file cannot fill the
    memory), or InputError saying it is too long to be one reply."""
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{source} is too long for one reply (more than {limit:,} bytes); Support Coach "
                         f"checks up to {MAX_CHARS:,} characters. For many replies, use `coach batch` on a CSV.")
    return data


def read_file_bytes(source: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes (see read_limited), or InputError saying why it cannot be read."""
    path = Path(source)
    try:
        if path.is_dir():
            raise InputError(f"{source} is a folder, not a file.")
        with path.open("rb") as handle:
            return read_limited(handle, source, limit)
    except FileNotFoundError:
        raise InputError(f"{source}: no such file.{_text_hint(source)}") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise InputError(f"{source[:40]}...: not a file name.{_text_hint(source)}") from None
        raise InputError(f"{source}: cannot read ({exc.strerror}).") from None


def _text_hint(source: str) -> str:
    """People often pass the reply itself where a file name goes; say how to do that."""
    if len(source.split()) < 3:
        return ""
    return " To check text directly, pipe it in: echo \"your reply\" | coach check"


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a file's bytes as text, refusing binary files."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{source} looks like a binary file, not text. Paste or save the reply as plain text.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text
    raise InputError(f"{source} is not readable text (unknown encoding). Save it as UTF-8 and try again.")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _blank_run(match: re.Match[str]) -> str:
    return match.group(0)[:RUN_KEEP] + re.sub(r"[^\n]", " ", match.group(0)[RUN_KEEP:])


def prepare(text: object) -> str:
    """Return a same-length copy of `text` ready for spaCy, or raise InputError saying what is wrong."""
    if not isinstance(text, str):
        raise InputError(f"The reply must be text, not {type(text).__name__}.")
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise InputError(f"The text has an invalid character at position {surrogate.start()} (half of an "
                         "emoji or accented letter, cut in two). Copy the reply again from its source.")
    if not text.strip():
        raise InputError("The reply is empty. Paste the draft you want to check.")
    if len(text) > MAX_CHARS:
        raise InputError(
            f"The text is {len(text):,} characters long; Support Coach checks one reply at a time, "
            f"up to {MAX_CHARS:,} characters. For many replies, use `coach batch` on a CSV."
        )
    if len(_CONTROL.findall(text)) > max(3, len(text) // 100):
        raise InputError("The text contains binary data, not a reply. Paste the reply as plain text.")
    cleaned = _CONTROL.sub(" ", text.translate(_MANGLED))
    if not cleaned.strip():
        raise InputError("The reply has no text, only control characters. Paste the reply as plain text.")
    if "<" in cleaned and _TAG.search(cleaned):
        cleaned = _TAG.sub(_blank, cleaned)
        cleaned = _ENTITY.sub(_blank, cleaned)
    if not cleaned.strip():
        raise InputError("The reply has no text once the HTML markup is set aside.")
    return _SPACED_RUN.sub(_blank_run, _RUN.sub(_blank_run, cleaned))


class Budget:
    """The work one request may take: MAX_TOKENS tokens and `seconds` of time (checked between steps)."""

    def __init__(self, seconds: float = TIME_BUDGET, max_tokens: int = MAX_TOKENS) -> None:
        self.seconds = seconds
        self.max_tokens = max_tokens
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise InputError(f"This reply took longer than {self.seconds:g} seconds to analyse, so the check "
                             "was stopped. Check a shorter part of it.")

    def check_tokens(self, doc: Doc) -> None:
        if len(doc) > self.max_tokens:
            raise InputError(f"The text splits into {len(doc):,} words and symbols; Support Coach checks up to "
                             f"{self.max_tokens:,}. Check a shorter part of it.")


def parse(nlp: Language, text: str, budget: Budget, disable: tuple[str, ...] | list[str] = ()) -> Doc:
    """`nlp(text)`, one pipeline step at a time, within `budget`."""
    doc = nlp.make_doc(text)
    budget.check_tokens(doc)
    for name, step in nlp.pipeline:
        if name in disable:
            continue
        budget.check()
        doc = step(doc)
    budget.check()
    return doc
