"""The reviewer-scores CSV: replies scored by human QA reviewers, as `coach calibrate import` and
`coach eval` read it. No database, no analysis: this module only reads and validates the file.

One row per (reply, reviewer). Columns (header names are case-insensitive; order is free):

| column            | required | what                                                              |
| ----------------- | -------- | ----------------------------------------------------------------- |
| reply             | yes      | the agent's reply as sent                                         |
| reviewer          | yes      | who scored it (a name or e-mail address)                          |
| jargon, readability, tone, empathy, grammar, security | at least one column | the reviewer's score of that dimension; empty = not scored |
| scale             | no       | `0-100` (default: 0 worst, 100 best) or `1-5` (1 worst, 5 best; read as 0, 25, 50, 75, 100) |
| pass              | no       | the overall verdict: pass/fail, yes/no, true/false or 1/0; empty = none |
| customer_message  | no       | the customer's message the reply answers                          |
| channel           | no       | `chat` or `email`                                                 |
| agent             | no       | the e-mail address of the agent who wrote the reply               |
| date              | no       | when the reply was sent, ISO 8601 (`2026-11-23` or `2026-11-23T14:05:00`) |
| id                | no       | the help desk's id of the reply, for your reference               |

Scores are returned on the coach's own 0-100 scale (higher is better) whatever the file's scale.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from coach.errors import InputError

DIMENSIONS = ("jargon", "readability", "tone", "empathy", "grammar", "security")
SCALES = ("0-100", "1-5")
CHANNELS = ("chat", "email")
REQUIRED = ("reply", "reviewer")
OPTIONAL = ("scale", "pass", "customer_message", "channel", "agent", "date", "id")
PASS_WORDS = {"pass": True, "passed": True, "yes": True, "y": True, "true": True, "1": True,
              "fail": False, "failed": False, "no": False, "n": False, "false": False, "0": False}
MAX_ROWS = 100_000


@dataclass(frozen=True)
class ReviewerRow:
    """One reviewed reply. `scores` maps dimension -> 0-100 (only the dimensions the reviewer scored)."""

    line: int
    reply: str
    reviewer: str
    scores: dict[str, float] = field(default_factory=dict)
    passed: bool | None = None
    customer_message: str | None = None
    channel: str | None = None
    agent: str | None = None
    date: datetime | None = None
    id: str | None = None


def _score(raw: str, scale: str, where: str) -> float | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{where}: {raw[:20]!r} is not a number.") from None
    if scale == "1-5":
        if not 1 <= value <= 5:
            raise InputError(f"{where}: {raw} is outside the 1-5 scale.")
        return (value - 1) * 25
    if not 0 <= value <= 100:
        raise InputError(f"{where}: {raw} is outside the 0-100 scale (add a `scale` column with 1-5 for 1-5 scores).")
    return value


def _date(raw: str, where: str) -> datetime | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{where}: {raw[:30]!r} is not an ISO 8601 date.") from None
    if value.tzinfo is not None:  # stored as naive UTC, like every timestamp of the coach
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def parse(text: str, name: str = "the CSV") -> list[ReviewerRow]:
    """The rows of a reviewer-scores CSV; InputError naming the line and column of the first problem."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    if not reader.fieldnames:
        raise InputError(f"{name} is empty: it needs a header row (reply, reviewer, jargon, ...).")
    header = {column.strip().lower(): column for column in reader.fieldnames if column}
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"{name} has no column {', '.join(repr(m) for m in missing)} "
                         f"(its columns: {', '.join(header)}).")
    dims = [d for d in DIMENSIONS if d in header]
    if not dims:
        raise InputError(f"{name} has no score column: add at least one of {', '.join(DIMENSIONS)}.")
    rows = []
    for raw in reader:
        line = reader.line_num
        if len(rows) >= MAX_ROWS:
            raise InputError(f"{name} has more than {MAX_ROWS} rows: split it.")

        def cell(column: str) -> str:
            return (raw.get(header[column]) or "").strip() if column in header else ""

        where = f"{name} line {line}"
        reply = cell("reply")
        if not reply:
            if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
                continue  # a blank line
            raise InputError(f"{where}: the reply is empty.")
        reviewer = cell("reviewer")
        if not reviewer:
            raise InputError(f"{where}: say who reviewed the reply (column 'reviewer').")
        scale = cell("scale") or "0-100"
        if scale not in SCALES:
            raise InputError(f"{where}, column 'scale': {scale[:20]!r} is not one of {', '.join(SCALES)}.")
        scores = {d: s for d in dims if (s := _score(cell(d), scale, f"{where}, column '{d}'")) is not None}
        verdict = cell("pass").lower()
        if verdict and verdict not in PASS_WORDS:
            raise InputError(f"{where}, column 'pass': {verdict[:20]!r} is not pass or fail.")
        if not scores and not verdict:
            raise InputError(f"{where}: no score and no pass/fail: nothing to compare.")
        channel = cell("channel").lower() or None
        if channel is not None and channel not in CHANNELS:
            raise InputError(f"{where}, column 'channel': {channel[:20]!r} is not chat or email.")
        rows.append(ReviewerRow(line=line, reply=reply, reviewer=reviewer[:120], scores=scores,
                                passed=PASS_WORDS[verdict] if verdict else None,
                                customer_message=cell("customer_message") or None, channel=channel,
                                agent=cell("agent").lower() or None,
                                date=_date(cell("date"), f"{where}, column 'date'"), id=cell("id") or None))
    if not rows:
        raise InputError(f"{name} has a header but no rows.")
    return rows


def read(path: str | Path) -> list[ReviewerRow]:
    """parse() of a file; InputError when it cannot be read as UTF-8 text."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text: save the CSV as UTF-8.") from None
    return parse(text, str(path))
