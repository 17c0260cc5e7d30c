"""Rule precision on findings judged one by one as an experienced support lead would.

`eval/judged/*.yaml` hold replies (our own writing, or references to agent turns of the support
chats, whose text is never copied) and a verdict for each finding the coach reported on them:

    items:
      - id: vpn-001
        channel: email                      # optional
        customer: "My VPN drops every hour"  # optional
        reply: "Hi Sam, ..."                 # or ref: {file: data/x.json, dialogue: 3, turn: 5}
        verdicts:
          - {rule: tone.blame, text: "you should have", right: true}

A verdict on a `ref:` item names its finding by rule and character offsets into the reply as the
loader builds it (`span: [start, end]`, `[n, n]` for an absence), never by the chat's words, so no
chat text is copied into the verdicts. Each finding the current code reports is matched to a
verdict by (rule, quoted text) or (rule, span); the precision of a rule is right / judged. Findings nobody has judged yet are listed, so the set keeps
up with the rules; verdicts whose finding no longer fires are counted as retired.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.config import PROJECT_ROOT
from coach.context import Turn
from coach.datafiles import field, load_yaml
from coach.errors import DataFileError
from coach.evaluation.chats import turn_text
from coach.findings import Finding

JUDGED_DIR = PROJECT_ROOT / "eval" / "judged"


@dataclass(frozen=True)
class JudgedItem:
    source: str  # "<file>#<id>"
    reply: str
    customer: str | None
    channel: str | None
    history: tuple[Turn, ...]
    # (rule, quoted text) or, on references to the chats, (rule, (start, end)) -> right?
    verdicts: dict[tuple[str, str | tuple[int, int]], bool]

    def verdict(self, finding: Finding) -> bool | None:
        """The verdict on this finding (matched by span, else by text), or None if unjudged."""
        by_span = self.verdicts.get((finding.rule, (finding.start, finding.end)))
        return by_span if by_span is not None else self.verdicts.get((finding.rule, finding.text))


def _span(verdict: Any, path: Path, label: str, reply: str) -> tuple[int, int]:
    span = field(verdict, "span", list, path, label)
    if len(span) != 2 or not all(isinstance(n, int) and not isinstance(n, bool) for n in span) \
            or not 0 <= span[0] <= span[1] <= len(reply):
        raise DataFileError(path, f"{label}.span",
                            f"must be [start, end] offsets within the reply (0-{len(reply)})")
    return span[0], span[1]


def _item(raw: Any, path: Path, where: str) -> JudgedItem:
    item_id = field(raw, "id", str, path, where)
    ref = field(raw, "ref", dict, path, where, None)
    if ref is not None:
        reply, customer, history = turn_text(field(ref, "file", str, path, f"{where}.ref"),
                                             field(ref, "dialogue", int, path, f"{where}.ref"),
                                             field(ref, "turn", int, path, f"{where}.ref"))
        channel = "chat"
    else:
        reply = field(raw, "reply", str, path, where)
        customer = field(raw, "customer", str, path, where, None)
        channel = field(raw, "channel", str, path, where, None)
        history = tuple(Turn(field(t, "role", str, path, f"{where}.history"),
                             field(t, "text", str, path, f"{where}.history"))
                        for t in field(raw, "history", list, path, where, []))
    verdicts: dict[tuple[str, str | tuple[int, int]], bool] = {}
    for index, verdict in enumerate(field(raw, "verdicts", list, path, where, [], allow_empty=True)):
        label = f"{where}.verdicts[{index}]"
        rule = field(verdict, "rule", str, path, label)
        if ref is not None:
            if "text" in verdict:
                raise DataFileError(path, f"{label}.text", "a verdict on a chat reference names its "
                                    "finding by span: [start, end], never by the chat's text")
            key: str | tuple[int, int] = _span(verdict, path, label, reply)
        else:
            key = field(verdict, "text", str, path, label, "", allow_empty=True)
        verdicts[rule, key] = field(verdict, "right", bool, path, label)
    return JudgedItem(f"{path.name}#{item_id}", reply, customer, channel, history, verdicts)


def load_judged(folder: Path = JUDGED_DIR) -> list[JudgedItem]:
    items = []
    for path in sorted(folder.glob("*.yaml")):
        raw = load_yaml(path)
        entries = field(raw, "items", list, path, "")
        ids = set()
        for index, entry in enumerate(entries):
            item = _item(entry, path, f"items[{index}]")
            if item.source in ids:
                raise DataFileError(path, f"items[{index}].id", f"duplicate id {item.source}")
            ids.add(item.source)
            items.append(item)
    return items


def precision(items: list[JudgedItem]) -> dict[str, Any]:
    """Per-rule and overall precision of what the code reports today on the judged replies."""
    from coach.engine import analyze

    right: dict[str, int] = defaultdict(int)
    judged: dict[str, int] = defaultdict(int)
    hints: dict[str, bool] = {}
    unjudged: list[dict[str, str]] = []
    wrong: list[dict[str, str]] = []
    for item in items:
        report = analyze(item.reply, customer_message=item.customer, channel=item.channel,
                         history=item.history)
        for finding in report.findings:
            hints[finding.rule] = hints.get(finding.rule, True) and finding.severity == "hint"
            verdict = item.verdict(finding)
            entry = {"source": item.source, "rule": finding.rule, "text": finding.text,
                     "span": [finding.start, finding.end]}
            if verdict is None:
                unjudged.append(entry)
                continue
            judged[finding.rule] += 1
            if verdict:
                right[finding.rule] += 1
            else:
                wrong.append(entry)
    rules = {rule: {"precision": round(right[rule] / judged[rule], 3), "judged": judged[rule],
                    "scored": not hints.get(rule, False)}
             for rule in sorted(judged)}
    scored = [rule for rule, entry in rules.items() if entry["scored"]]

    def share(rule_ids: list[str]) -> float | None:
        count = sum(judged[r] for r in rule_ids)
        return round(sum(right[r] for r in rule_ids) / count, 3) if count else None

    return {
        "overall": share(list(rules)),
        "judged": sum(judged.values()),
        "scored_rules": share(scored),
        "hints_judged": sum(judged[r] for r in rules if r not in scored),
        "replies": len(items),
        "rules": rules,
        "unjudged": unjudged,
        "wrong": wrong,
    }
