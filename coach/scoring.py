"""Combining dimension scores into `overall`: a weighted mean with weights fitted on a lead's ratings
(coach/data/overall_weights.yaml, eval/fit_empathy.py), rescaled, then capped by the judgements of
coach/data/scoring.yaml (a critical finding, the weakest dimension, findings such as an unanswered
question)."""
from __future__ import annotations

import functools
import math
from typing import Any, Literal

from coach.config import DATA_DIR
from coach.context import Persona
from pydantic import Field

from coach.datafiles import StrictSettings, field, load_yaml, string_list, validate
from coach.errors import DataFileError
from coach.findings import Finding

SCORING_FILE = DATA_DIR / "scoring.yaml"
OVERALL_WEIGHTS_FILE = DATA_DIR / "overall_weights.yaml"


class OverallWeights(StrictSettings):
    """coach/data/overall_weights.yaml, written by eval/fit_empathy.py."""

    intercept: float
    scale: float = Field(gt=0)
    weights: dict[str, float]
    # points for what the reply tells the customer (the empathy analyser's metrics): `substance`
    # (informative words, up to `substance_cap`, as a share, full when the customer only thanked,
    # times the tone score's share)
    # and `unanswered` (share of the
    # customer's checked questions left unanswered)
    answer: dict[Literal["substance", "unanswered"], float]
    substance_cap: int = Field(ge=1)
    fitted_on: str
    n: int
    folds: int
    l2: float
    cv_spearman: float


@functools.cache
def overall_weights() -> OverallWeights:
    weights = validate(OverallWeights, load_yaml(OVERALL_WEIGHTS_FILE), OVERALL_WEIGHTS_FILE, "")
    for name, weight in weights.weights.items():
        if weight < 0:
            raise DataFileError(OVERALL_WEIGHTS_FILE, f"weights.{name}", "must be a number >= 0")
    return weights


@functools.cache
def scoring_settings() -> dict[str, Any]:
    raw = load_yaml(SCORING_FILE)
    for name, weight in field(raw, "weights", dict, SCORING_FILE, "").items():
        if not isinstance(weight, (int, float)) or weight < 0:
            raise DataFileError(SCORING_FILE, f"weights.{name}", "must be a number >= 0")
    for trait, factors in field(raw, "persona_weights", dict, SCORING_FILE, "").items():
        for name, factor in field(raw["persona_weights"], trait, dict, SCORING_FILE, "persona_weights").items():
            if not isinstance(factor, (int, float)) or factor < 0:
                raise DataFileError(SCORING_FILE, f"persona_weights.{trait}.{name}", "must be a number >= 0")
    field(raw, "critical_cap", (int, float), SCORING_FILE, "")
    if field(raw, "weakest_margin", (int, float), SCORING_FILE, "") < 0:
        raise DataFileError(SCORING_FILE, "weakest_margin", "must be a number >= 0")
    string_list(raw, "weakest_of", SCORING_FILE, "")
    if field(raw, "soft_floor", (int, float), SCORING_FILE, "") <= 0:
        raise DataFileError(SCORING_FILE, "soft_floor", "must be a number > 0")
    for rule, cap in field(raw, "rule_caps", dict, SCORING_FILE, "").items():
        if not isinstance(cap, (int, float)) or not 0 <= cap <= 100:
            raise DataFileError(SCORING_FILE, f"rule_caps.{rule}", "must be a number from 0 to 100")
    field(raw, "language", dict, SCORING_FILE, "")
    channel = field(raw, "channel", dict, SCORING_FILE, "")
    field(channel, "chat_max_words", int, SCORING_FILE, "channel")
    return raw


def weights_for(persona: Persona, fitted: bool = False) -> dict[str, float]:
    """Each dimension's weight for this customer: how much it matters to them (scoring.yaml
    `weights`, which the feedback's ranking uses), or, `fitted`, its weight in `overall`
    (overall_weights.yaml); both times the persona factors."""
    settings = scoring_settings()
    weights = dict(overall_weights().weights if fitted else settings["weights"])
    for trait in (persona.audience, persona.mood):
        for name, factor in settings["persona_weights"].get(trait, {}).items():
            weights[name] = weights.get(name, 1.0) * factor
    return weights


def answer_features(metrics: dict[str, Any], model: OverallWeights, tone: float | None = None) -> dict[str, float]:
    """What the reply tells the customer, from the empathy analyser's metrics, as kindly as it tells
    it (times the tone score's share: "You should have checked the cable. This is user error." tells
    the customer nothing they want to hear)."""
    checked = metrics.get("checked_requests") or 0
    # a customer who only thanks is owed nothing more to read
    told = model.substance_cap if metrics.get("nothing_owed") else metrics.get("informative_words") or 0
    kindly = 1.0 if tone is None else tone / 100.0
    return {"substance": min(told, model.substance_cap) / model.substance_cap * kindly,
            "unanswered": (metrics.get("unanswered_requests") or 0) / checked if checked else 0.0}


def overall_score(scores: dict[str, float | None], findings: list[Finding], persona: Persona,
                  metrics: dict[str, Any] | None = None) -> float | None:
    """intercept + scale x the weighted mean of the scores that ran + points for what the reply tells
    the customer (`answer_features` of the analysers' `metrics`), then `apply_caps`."""
    weights = weights_for(persona, fitted=True)
    ran = {name: score for name, score in scores.items() if score is not None}
    total_weight = sum(weights.get(name, 0.0) for name in ran)
    if not ran:
        return None
    if total_weight == 0:  # only dimensions the fit gave no weight ran: their plain mean
        mean = sum(ran.values()) / len(ran)
    else:
        mean = sum(score * weights.get(name, 0.0) for name, score in ran.items()) / total_weight
    model = overall_weights()
    answer = answer_features(metrics or {}, model, ran.get("tone")) if "empathy" in ran else {}
    raw = model.intercept + model.scale * mean + sum(model.answer[k] * v for k, v in answer.items())
    return round(apply_caps(raw, ran, findings), 1)


def apply_caps(overall: float, ran: dict[str, float], findings: list[Finding]) -> float:
    """`overall` kept within 0-100, at most the weakest score plus a margin, and capped by a critical
    finding or a finding in `rule_caps`."""
    settings = scoring_settings()
    floor = float(settings["soft_floor"])
    if overall < floor:  # approaches 0 without reaching it, so the worst replies keep their order
        overall = floor * math.exp((overall - floor) / floor)
    flawed = [score for name, score in ran.items() if name in settings["weakest_of"]]
    overall = min(overall, 100.0, min(flawed, default=100.0) + float(settings["weakest_margin"]))
    if any(f.severity == "critical" for f in findings):
        overall = min(overall, float(settings["critical_cap"]))
    for finding in findings:
        if finding.severity != "hint" and finding.rule in settings["rule_caps"]:
            overall = min(overall, float(settings["rule_caps"][finding.rule]))
    return overall


def penalty_score(findings: list[Finding] | tuple[Finding, ...], penalties: dict[str, float],
                  floor: float = 0.0) -> float:
    """100 minus a penalty per finding by severity (`penalties` maps severity to points)."""
    return round(max(floor, 100.0 - sum(penalties.get(f.severity, 0.0) for f in findings)), 1)
