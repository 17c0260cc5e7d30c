"""Combining dimension scores into `overall`, with weights from coach/data/scoring.yaml."""
from __future__ import annotations

import functools
from typing import Any

from coach.config import DATA_DIR
from coach.context import Persona
from coach.datafiles import field, load_yaml
from coach.errors import DataFileError
from coach.findings import Finding

SCORING_FILE = DATA_DIR / "scoring.yaml"


@functools.cache
def scoring_settings() -> dict[str, Any]:
    raw = load_yaml(SCORING_FILE)
    weights = field(raw, "weights", dict, SCORING_FILE, "")
    for name, weight in weights.items():
        if not isinstance(weight, (int, float)) or weight < 0:
            raise DataFileError(SCORING_FILE, f"weights.{name}", "must be a number >= 0")
    field(raw, "persona_weights", dict, SCORING_FILE, "")
    field(raw, "critical_cap", (int, float), SCORING_FILE, "")
    for rule, cap in field(raw, "rule_caps", dict, SCORING_FILE, "").items():
        if not isinstance(cap, (int, float)) or not 0 <= cap <= 100:
            raise DataFileError(SCORING_FILE, f"rule_caps.{rule}", "must be a number from 0 to 100")
    field(raw, "language", dict, SCORING_FILE, "")
    channel = field(raw, "channel", dict, SCORING_FILE, "")
    field(channel, "chat_max_words", int, SCORING_FILE, "channel")
    return raw


def weights_for(persona: Persona) -> dict[str, float]:
    settings = scoring_settings()
    weights = dict(settings["weights"])
    for trait in (persona.audience, persona.mood):
        for name, factor in settings["persona_weights"].get(trait, {}).items():
            weights[name] = weights.get(name, 1.0) * factor
    return weights


def overall_score(scores: dict[str, float | None], findings: list[Finding], persona: Persona) -> float | None:
    """Weighted mean of the scores that ran, capped by a critical finding or a finding in `rule_caps`."""
    weights = weights_for(persona)
    ran = {name: score for name, score in scores.items() if score is not None}
    total_weight = sum(weights.get(name, 1.0) for name in ran)
    if not ran or total_weight == 0:
        return None
    overall = sum(score * weights.get(name, 1.0) for name, score in ran.items()) / total_weight
    settings = scoring_settings()
    if any(f.severity == "critical" for f in findings):
        overall = min(overall, float(settings["critical_cap"]))
    for finding in findings:
        if finding.severity != "hint" and finding.rule in settings["rule_caps"]:
            overall = min(overall, float(settings["rule_caps"][finding.rule]))
    return round(overall, 1)


def penalty_score(findings: list[Finding] | tuple[Finding, ...], penalties: dict[str, float],
                  floor: float = 0.0) -> float:
    """100 minus a penalty per finding by severity (`penalties` maps severity to points)."""
    return round(max(floor, 100.0 - sum(penalties.get(f.severity, 0.0) for f in findings)), 1)
