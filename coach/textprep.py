"""Turning what a user pasted into text we can analyse, or a clear InputError.

HTML e-mail pastes keep their length: tags and entities are blanked out with spaces, so every
offset found in the cleaned copy is also an offset into the text as given.
"""
from __future__ import annotations

import re
from pathlib import Path

from coach.errors import InputError

MAX_CHARS = 20_000
_TAG = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|</?[A-Za-z][^<>]*>", re.S | re.I)
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,6});")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def read_file_bytes(source: str) -> bytes:
    """A file's bytes, or InputError saying why it cannot be read."""
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{source} is a folder, not a file.")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{source}: no such file.") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror}).") from None


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


def prepare(text: object) -> str:
    """Return a same-length copy of `text` ready for spaCy, or raise InputError saying what is wrong."""
    if not isinstance(text, str):
        raise InputError("The reply must be text.")
    if not text.strip():
        raise InputError("The reply is empty. Paste the draft you want to check.")
    if len(text) > MAX_CHARS:
        raise InputError(
            f"The text is {len(text):,} characters long; Support Coach checks one reply at a time, "
            f"up to {MAX_CHARS:,} characters. For many replies, use `coach batch` on a CSV."
        )
    if len(_CONTROL.findall(text)) > max(3, len(text) // 100):
        raise InputError("The text contains binary data, not a reply. Paste the reply as plain text.")
    cleaned = _CONTROL.sub(" ", text)
    if "<" in cleaned and _TAG.search(cleaned):
        cleaned = _TAG.sub(_blank, cleaned)
        cleaned = _ENTITY.sub(_blank, cleaned)
    if not cleaned.strip():
        raise InputError("The reply has no text once the HTML markup is set aside.")
    return cleaned
