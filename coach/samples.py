"""sample_replies/*.yaml: customer messages with good and poor replies (tests, benchmark, demo)."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from coach.analyzers import REGISTRY
from coach.config import PROJECT_ROOT
from coach.datafiles import field, load_yaml, string_list
from coach.errors import DataFileError

SAMPLES_DIR = PROJECT_ROOT / "sample_replies"
QUALITIES = ("good", "poor")
CHANNELS = ("chat", "email")


@dataclass(frozen=True)
class SampleReply:
    case: str
    id: str
    quality: str
    text: str
    fails: tuple[str, ...]
    top_rule: str | None


@dataclass(frozen=True)
class SampleCase:
    id: str
    topic: str
    customer: str
    channel: str  # where the conversation happens: a one-line poor reply alone can't tell
    replies: tuple[SampleReply, ...]

    def reply(self, reply_id: str) -> SampleReply:
        return next(r for r in self.replies if r.id == reply_id)


def load_case(path: Path) -> SampleCase:
    raw = load_yaml(path)
    case_id = field(raw, "id", str, path, "")
    if case_id != path.stem:
        raise DataFileError(path, "id", f"must match the file name ({path.stem!r})")
    channel = field(raw, "channel", str, path, "")
    if channel not in CHANNELS:
        raise DataFileError(path, "channel", f"must be one of {', '.join(CHANNELS)}")
    replies = []
    for index, item in enumerate(field(raw, "replies", list, path, "")):
        where = f"replies[{index}]"
        quality = field(item, "quality", str, path, where)
        if quality not in QUALITIES:
            raise DataFileError(path, f"{where}.quality", f"must be one of {', '.join(QUALITIES)}")
        fails = string_list(item, "fails", path, where, [])
        for name in fails:
            if name not in REGISTRY:
                raise DataFileError(path, f"{where}.fails", f"unknown dimension {name!r}")
        replies.append(SampleReply(case_id, field(item, "id", str, path, where), quality,
                                   field(item, "text", str, path, where), tuple(fails),
                                   field(item, "top_rule", str, path, where, None)))
    return SampleCase(case_id, field(raw, "topic", str, path, ""), field(raw, "customer", str, path, ""),
                      channel, tuple(replies))


@functools.cache
def load_samples(folder: Path = SAMPLES_DIR) -> tuple[SampleCase, ...]:
    return tuple(load_case(path) for path in sorted(folder.glob("*.yaml")))
