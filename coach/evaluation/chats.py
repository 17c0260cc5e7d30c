"""The MAIA-DQE support chats (../shared/data/dev/support-chats), read for measuring only.

The chats are CC BY-ND: they are read where they lie, never copied or shipped. Each agent turn
becomes a `ChatTurn` with the customer's message it answers and the conversation before it, with
the anonymisation masks (#NAME#, #PRS_ORG#...) replaced by realistic values, since a mask looks
like shouting or jargon to a text checker. Dialogues repeated across files are read once, and
turns that upstream spreadsheet errors damaged (#NAME?) are skipped. A turn is stored as its
lines (a step number, a step, one chat message of several): they are joined with line breaks, as
the customer saw them, so a list of steps does not read as one run-on sentence.
"""
from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from coach.config import PROJECT_ROOT
from coach.context import Turn
from coach.errors import InputError

CHATS_ENV = "COACH_SUPPORT_CHATS"
DEFAULT_CHATS_DIR = PROJECT_ROOT.parent / "shared" / "data" / "dev" / "support-chats"
MASKS = {
    "#PRS_ORG#": "Nova", "#NAME#": "Alex", "#NUMBER#": "48213", "#URL#": "https://example.com/help",
    "#EMAIL#": "alex@example.com", "#ALPHANUMERIC_ID#": "74291185", "#PHONENUMBER#": "555 0142",
    "#PHONE_NUMBER#": "555 0142", "#ADDRESS#": "12 High Street", "#DEVICEID#": "N4421",
}
# Upstream sometimes lost one of a mask's hashes or wrote a hyphen ("PRS_ORG#", "#PRS-ORG#"):
# any of those is the same mask. A plain word ("name") is not.
_MASK = re.compile(r"#(?P<a>[A-Z_-]+?)#|#(?P<b>[A-Z_]+)\b(?!\?)|\b(?P<c>[A-Z_]+)#|\b(?P<d>PRS[_-]ORG)\b")


def _mask_value(match: re.Match[str]) -> str:
    name = next(g for g in match.groups() if g is not None).replace("-", "_")
    return MASKS.get(f"#{name}#", match.group(0))


@dataclass(frozen=True)
class ChatTurn:
    """One agent turn of a chat, with its human labels (None where the annotators gave none)."""

    file: str
    dialogue: int
    turn: int
    reply: str
    customer: str | None
    history: tuple[Turn, ...]
    iq: int | None
    politeness: int | None
    empathy_sentences: int


def chats_dir() -> Path:
    return Path(os.environ.get(CHATS_ENV, DEFAULT_CHATS_DIR))


def unmask(text: str) -> str:
    return _MASK.sub(_mask_value, text)


def _sentences(turn: dict, agent: bool) -> list[str]:
    return turn["text_src"] if agent else turn["text_mt"]


@functools.cache
def _dialogues(file: str) -> list[dict]:
    path = chats_dir() / file
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: the support chats are not there (set {CHATS_ENV}).") from None


def turn_text(file: str, dialogue: int, turn: int) -> tuple[str, str | None, tuple[Turn, ...]]:
    """(the agent's reply, the customer message it answers, the earlier turns) of one turn."""
    turns = _dialogues(file)[dialogue]["turns"]
    if not 0 <= turn < len(turns) or turns[turn]["floor"] != "outbound":
        raise InputError(f"{file} dialogue {dialogue} turn {turn} is not an agent turn.")
    messages = [("agent" if t["floor"] == "outbound" else "customer",
                 unmask("\n".join(_sentences(t, t["floor"] == "outbound")))) for t in turns[: turn + 1]]
    reply = messages[-1][1]
    earlier = messages[:-1]
    customer = None
    # the customer's message is everything they wrote since the agent's previous turn
    trailing = []
    while earlier and earlier[-1][0] == "customer":
        trailing.insert(0, earlier.pop()[1])
    if trailing:
        customer = "\n".join(trailing)
    return reply, customer, tuple(Turn(role, text) for role, text in earlier)


def agent_turns() -> list[ChatTurn]:
    """Every usable agent turn of every chat file, each dialogue once."""
    seen: set[tuple[str, ...]] = set()
    turns = []
    for path in sorted(chats_dir().glob("data/*.json")):
        file = f"data/{path.name}"
        for index, dialogue in enumerate(_dialogues(file)):
            key = tuple(" ".join(t["text_src"]) for t in dialogue["turns"])
            if key in seen:
                continue
            seen.add(key)
            for number, turn in enumerate(dialogue["turns"]):
                if turn["floor"] != "outbound":
                    continue
                raw = " ".join(turn["text_src"])
                if "#NAME?" in raw or not raw.strip():
                    continue
                reply, customer, history = turn_text(file, index, number)
                turns.append(ChatTurn(file, index, number, reply, customer, history, turn.get("IQ"),
                                      turn.get("Politeness"),
                                      sum(1 for e in turn.get("Emotion") or [] if e == 0)))
    return turns
