"""Ordering the reply's problems by how much fixing each would improve the customer's experience.

Findings of one rule form one Group (a reply that uses five jargon terms gets one suggestion about
jargon, which quotes the worst and says how many). Each group's impact combines its severity, its
dimension's weight for this persona (coach.scoring.weights_for), how low that dimension scored,
how often it happens, and per-rule, per-mood and extra (e.g. practice goal) weights, all from
coach/feedback/ranking.yaml.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.datafiles import field, load_yaml
from coach.errors import DataFileError
from coach.findings import SEVERITIES, Finding
from coach.report import Report
from coach.scoring import weights_for

RANKING_FILE = Path(__file__).resolve().parent / "ranking.yaml"


def _weights(raw: Any, key: str, path: Path, where: str) -> dict[str, float]:
    values = field(raw, key, dict, path, where, {}, allow_empty=True)
    label = f"{where}.{key}" if where else key
    for name, value in values.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise DataFileError(path, f"{label}.{name}", "must be a number >= 0")
    return {str(name): float(value) for name, value in values.items()}


@functools.cache
def ranking_settings(path: Path = RANKING_FILE) -> dict[str, Any]:
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(path, "", "must be a mapping")
    severity = _weights(raw, "severity", path, "")
    for name in SEVERITIES:
        if name not in severity:
            raise DataFileError(path, f"severity.{name}", "missing")
    moods = field(raw, "moods", dict, path, "")
    settings = {"severity": severity, "rules": _weights(raw, "rules", path, ""),
                "strengths": _weights(raw, "strengths", path, ""),
                "moods": {str(mood): _weights(moods, mood, path, "moods") for mood in moods}}
    for key in ("deficit", "repeat", "repeat_cap", "goal"):
        value = field(raw, key, (int, float), path, "")
        if value < 0:
            raise DataFileError(path, key, "must be >= 0")
        settings[key] = float(value)
    return settings


@dataclass(frozen=True)
class Group:
    """All findings of one rule in one reply, in document order; `lead` is the one quoted."""

    rule: str
    analyzer: str
    findings: tuple[Finding, ...]

    @property
    def lead(self) -> Finding:
        """The worst finding (most severe), the first one among equals."""
        return max(self.findings, key=lambda f: (SEVERITIES.index(f.severity), -f.start, -f.end))

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def severity(self) -> str:
        return self.lead.severity


def group_findings(findings: Iterable[Finding]) -> list[Group]:
    by_rule: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (f.start, f.end, f.rule)):
        by_rule.setdefault(finding.rule, []).append(finding)
    return [Group(rule, items[0].analyzer, tuple(items)) for rule, items in by_rule.items()]


def rule_weight(rule: str, weights: Mapping[str, float]) -> float:
    """Product of the weights whose key is the rule id or its `<analyzer>.*`."""
    analyzer_key = rule.split(".", 1)[0] + ".*"
    return weights.get(rule, 1.0) * weights.get(analyzer_key, 1.0)


def impact(group: Group, report: Report, extra_weights: Mapping[str, float] | None = None) -> float:
    """How much fixing this group would improve the customer's experience (higher first)."""
    settings = ranking_settings()
    score = report.scores.get(group.analyzer)
    deficit = 0.0 if score is None else max(0.0, 100.0 - score) / 100.0
    repeat = min(settings["repeat_cap"], 1.0 + settings["repeat"] * math.log2(group.count))
    mood = settings["moods"].get(report.persona.mood, {})
    return (settings["severity"][group.severity]
            * weights_for(report.persona).get(group.analyzer, 1.0)
            * (1.0 + settings["deficit"] * deficit)
            * repeat
            * rule_weight(group.rule, settings["rules"])
            * rule_weight(group.rule, mood)
            * rule_weight(group.rule, extra_weights or {}))


def goal_weights(goals: Iterable[str], fills: Mapping[str, str]) -> dict[str, float]:
    """Extra weights for scenario goals. A goal names a finding rule (`tone.blame`, `security.*`)
    or the evidence a good reply shows (`empathy.time-frame`), which `fills` maps to the absence
    it cures (`empathy.no-time-frame`)."""
    boost = ranking_settings()["goal"]
    absence_for = {evidence: rule for rule, evidence in fills.items()}
    return {absence_for.get(goal, goal): boost for goal in goals}


def rank(report: Report, extra_weights: Mapping[str, float] | None = None) -> list[Group]:
    """The report's finding groups, most helpful to fix first; deterministic on ties."""
    groups = group_findings(report.findings)
    scored = [(impact(g, report, extra_weights), g) for g in groups]
    scored.sort(key=lambda item: (-item[0], item[1].lead.start, item[1].rule))
    return [group for _, group in scored]
