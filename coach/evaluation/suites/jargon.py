"""Jargon spans in replies labelled by people: precision and recall of the jargon analyser.

`eval/sets/jargon-*.yaml` (our own replies, see eval/sets/jargon-terms.yaml for the label rule):

    items:
      - id: jt-001
        customer: "..."            # optional: the message the reply answers
        audience: non-technical    # optional
        reply: "The ETA is TBD."
        jargon: [ETA, TBD]          # spans a non-technical customer wouldn't know (every occurrence)
        borderline: []              # optional: spans where findings count neither way

A jargon finding is right when it overlaps a labelled span, and is not counted when it only
overlaps a borderline one; a labelled term is found when any finding overlaps one of its
occurrences. A held-out set in the same format is measured with `run(paths=[...])`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.config import PROJECT_ROOT
from coach.datafiles import field, load_yaml, string_list
from coach.errors import DataFileError

SETS_DIR = PROJECT_ROOT / "eval" / "sets"
_STRENGTH = "jargon.explained-term"


@dataclass(frozen=True)
class LabelledReply:
    source: str
    reply: str
    customer: str | None
    audience: str | None
    jargon: tuple[tuple[tuple[int, int], ...], ...]  # per labelled term, its occurrences
    borderline: tuple[tuple[int, int], ...]


def _occurrences(reply: str, span: object, path: Path, where: str) -> tuple[tuple[int, int], ...]:
    if not isinstance(span, str) or not span:
        raise DataFileError(path, where, "must be non-empty text (quote values like 0x80070005)")
    found, start = [], reply.find(span)
    while start >= 0:
        found.append((start, start + len(span)))
        start = reply.find(span, start + 1)
    if not found:
        raise DataFileError(path, where, f"{span!r} does not occur in the reply")
    return tuple(found)


def load_set(path: Path) -> list[LabelledReply]:
    items = []
    for index, raw in enumerate(field(load_yaml(path), "items", list, path, "")):
        where = f"items[{index}]"
        reply = field(raw, "reply", str, path, where)
        jargon = tuple(_occurrences(reply, span, path, f"{where}.jargon[{i}]")
                       for i, span in enumerate(field(raw, "jargon", list, path, where, allow_empty=True)))
        borderline = tuple(occurrence for i, span in enumerate(string_list(raw, "borderline", path, where, []))
                           for occurrence in _occurrences(reply, span, path, f"{where}.borderline[{i}]"))
        items.append(LabelledReply(f"{path.name}#{field(raw, 'id', str, path, where)}", reply,
                                   field(raw, "customer", str, path, where, None),
                                   field(raw, "audience", str, path, where, None), jargon, borderline))
    return items


def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def score(items: list[LabelledReply]) -> dict[str, Any]:
    """Precision over findings, recall over labelled terms, and the misses for reading."""
    from coach.engine import analyze

    right = wrong = found = terms = 0
    wrong_findings, missed = [], []
    for item in items:
        report = analyze(item.reply, customer_message=item.customer, audience=item.audience,
                         dimensions=["jargon"])
        spans = [(f.start, f.end) for f in report.findings if f.analyzer == "jargon" and f.rule != _STRENGTH]
        labelled = [occurrence for term in item.jargon for occurrence in term]
        for span in spans:
            if _overlaps(span, labelled):
                right += 1
            elif not _overlaps(span, item.borderline):
                wrong += 1
                wrong_findings.append(f"{item.source}: {item.reply[span[0]:span[1]]!r}")
        for term in item.jargon:
            terms += 1
            if any(_overlaps(occurrence, spans) for occurrence in term):
                found += 1
            else:
                start, end = term[0]
                missed.append(f"{item.source}: {item.reply[start:end]!r}")
    return {"precision": round(right / (right + wrong), 3) if right + wrong else None, "findings": right + wrong,
            "recall": round(found / terms, 3) if terms else None, "terms": terms,
            "wrong": wrong_findings, "missed": missed}


def run(paths: Iterable[Path] | None = None) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for path in sorted(paths or SETS_DIR.glob("jargon-*.yaml")):
        name = Path(path).stem
        measured = score(load_set(Path(path)))
        results[f"{name}-precision"] = {"measure": "precision", "value": measured["precision"],
                                        "n": measured["findings"], "path": str(path), "wrong": measured["wrong"]}
        results[f"{name}-recall"] = {"measure": "recall", "value": measured["recall"], "n": measured["terms"],
                                     "path": str(path), "missed": measured["missed"]}
    return results
