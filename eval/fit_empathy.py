"""Refit the empathy score model (coach/data/empathy_weights.yaml) and the overall score's weights
(coach/data/overall_weights.yaml) on a lead's ratings of realistic support replies.

    /work/main/.venv/bin/python eval/fit_empathy.py [--set PATH] [--folds 5] [--l2 ...] [--dry-run]
                                                    [--empathy-only]

Data: eval/sets/empathy-fit.yaml (written for Support Coach; each reply rated 1-5 for empathy and
overall). The MAIA-DQE support chats are for measuring only and are never used here.

Empathy: a ridge regression of the rating, on the 0-100 scale ((rating - 1) x 25) plus the
penalty points the analyser takes off for problems it found (those stay a judgement), on the
analyser's own features (coach.analyzers.empathy FEATURES). The weights are points per feature.

Overall: `overall = intercept + scale x (weighted mean of the dimension scores) + answer points`
(what the reply tells the customer: informative words, questions left unanswered), the weights
kept non-negative (a better score in one dimension never lowers overall). A ridge regression of
the overall rating on the dimension scores and answer features gives them, the dimensions'
coefficients held towards the judgement weights of coach/data/scoring.yaml (this set is small and
its ratings hardly vary in some dimensions): scale = the sum of the coefficients, weights = each
coefficient over the sum. The caps of coach/data/scoring.yaml (critical finding, weakest dimension,
unanswered question...) apply on top, as in the product.

Cross-validation holds out whole customers (every reply to one customer message is in the same
fold), and reports the Spearman correlation of the product's score with the ratings and the share
of pairs of replies to the same customer that the score orders as the lead did.
"""
from __future__ import annotations

import argparse
import datetime
import sys
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach import scoring  # noqa: E402
from coach.analyzers import empathy  # noqa: E402
from coach.analyzers.empathy import FEATURES, WEIGHTS_FILE, EmpathyAnalyzer  # noqa: E402
from coach.context import AnalysisContext  # noqa: E402
from coach.customer import infer_persona  # noqa: E402
from coach.datafiles import field, load_yaml  # noqa: E402
from coach.engine import analyze  # noqa: E402
from coach.evaluation.stats import spearman  # noqa: E402
from coach.nlp import load_nlp  # noqa: E402
from coach.textprep import prepare  # noqa: E402

SET_FILE = ROOT / "eval" / "sets" / "empathy-fit.yaml"
DIMENSIONS = ("jargon", "readability", "tone", "empathy", "grammar", "security")
ANSWER_FEATURES = ("substance", "unanswered")


def load_set(path: Path) -> list[dict]:
    """Every rated reply: {case, channel, customer, text, empathy, overall}."""
    raw = load_yaml(path)
    rows = []
    for index, case in enumerate(field(raw, "cases", list, path, "")):
        where = f"cases[{index}]"
        channel = field(case, "channel", str, path, where)
        customer = field(case, "customer", str, path, where)
        for number, reply in enumerate(field(case, "replies", list, path, where)):
            at = f"{where}.replies[{number}]"
            rows.append({"case": field(case, "id", str, path, where), "channel": channel, "customer": customer,
                         "text": field(reply, "text", str, path, at),
                         "empathy": field(reply, "empathy", int, path, at),
                         "overall": field(reply, "overall", int, path, at)})
    return rows


def empathy_readings(rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, penalty points, says-nothing flags) of each reply, as the analyser reads them."""
    nlp = load_nlp()
    analyzer = EmpathyAnalyzer()
    x, penalties, empty = [], [], []
    for row in rows:
        customer_doc = nlp(prepare(row["customer"]))
        persona = infer_persona(customer_doc, nlp)
        context = AnalysisContext(row["text"], nlp(prepare(row["text"])), persona, row["customer"], customer_doc,
                                  channel=row["channel"])
        reading = analyzer.read(context)
        x.append([reading.features[name] for name in FEATURES])
        penalties.append(reading.penalty)
        empty.append(reading.empty)
    return np.array(x, dtype=float), np.array(penalties), np.array(empty)


def fit_ridge(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Weights (last one the intercept, not penalised) of a ridge regression."""
    design = np.hstack([x, np.ones((len(x), 1))])
    penalty = np.diag(np.r_[np.full(x.shape[1], l2), 0.0])
    return np.linalg.solve(design.T @ design + penalty, design.T @ y)


def empathy_scores(weights: np.ndarray, x: np.ndarray, penalties: np.ndarray, empty: np.ndarray) -> np.ndarray:
    """The product's empathy score (coach.analyzers.empathy: model minus penalties, 0 when empty)."""
    scores = np.clip(x @ weights[:-1] + weights[-1] - penalties, 0.0, 100.0)
    return np.where(empty, 0.0, scores)


@dataclass
class Overall:
    intercept: float
    scale: float
    weights: np.ndarray  # per dimension, summing to 1
    answer: np.ndarray  # per ANSWER_FEATURES

    def predict(self, scores: np.ndarray, answer: np.ndarray) -> np.ndarray:
        return self.intercept + self.scale * (scores @ self.weights) + answer @ self.answer


def fit_overall(scores: np.ndarray, answer: np.ndarray, y: np.ndarray, l2: float, l2_answer: float) -> Overall:
    """overall = intercept + scale x weighted mean + answer points. The dimensions' coefficients are
    shrunk towards the judgement weights of coach/data/scoring.yaml (the prior: overall = their
    weighted mean), not towards 0, and kept non-negative (one whose coefficient comes out negative
    is held at 0 and the rest refitted); the answer points are shrunk towards 0."""
    prior_weights = scoring.scoring_settings()["weights"]
    prior = np.array([prior_weights.get(name, 0.0) for name in DIMENSIONS])
    prior = prior / prior.sum()
    active = list(range(scores.shape[1]))
    while True:
        x = np.hstack([scores[:, active], answer])
        design = np.hstack([x, np.ones((len(x), 1))])
        penalty = np.r_[np.full(len(active), l2), np.full(answer.shape[1], l2_answer), 0.0]
        target = np.r_[prior[active], np.zeros(answer.shape[1]), 0.0]
        coefficients = np.linalg.solve(design.T @ design + np.diag(penalty), design.T @ y + penalty * target)
        negative = [a for a, c in zip(active, coefficients[:len(active)]) if c <= 0]
        if not negative:
            break
        active = [a for a in active if a not in negative]
    weights = np.zeros(scores.shape[1])
    weights[active] = coefficients[:len(active)]
    scale = float(weights.sum())
    return Overall(float(coefficients[-1]), scale, weights / scale, coefficients[len(active):-1])


def folds_by_case(rows: list[dict], folds: int) -> np.ndarray:
    cases = sorted({row["case"] for row in rows})
    fold_of = {case: index % folds for index, case in enumerate(cases)}
    return np.array([fold_of[row["case"]] for row in rows])


def pair_agreement(scores: np.ndarray, ratings: np.ndarray, rows: list[dict]) -> float:
    ordered = pairs = 0
    for i, j in combinations(range(len(rows)), 2):
        if rows[i]["case"] == rows[j]["case"] and ratings[i] != ratings[j]:
            pairs += 1
            ordered += (scores[i] - scores[j]) * (ratings[i] - ratings[j]) > 0
    return round(ordered / pairs, 3) if pairs else 0.0


def dimension_scores(rows: list[dict]) -> tuple[np.ndarray, list]:
    """Each reply's dimension scores (with the empathy model now in the weights file) and reports."""
    matrix, reports = [], []
    for row in rows:
        report = analyze(row["text"], customer_message=row["customer"], channel=row["channel"])
        matrix.append([report.scores[name] if report.scores.get(name) is not None else np.nan for name in DIMENSIONS])
        reports.append(report)
    return np.array(matrix, dtype=float), reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=SET_FILE)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=3.0, help="ridge strength of the empathy model")
    parser.add_argument("--l2-overall", type=float, default=1000000.0,
                        help="how strongly the overall weights are held to the judgement weights")
    parser.add_argument("--l2-answer", type=float, default=1.0, help="ridge strength of the answer points")
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    parser.add_argument("--empathy-only", action="store_true",
                        help="refit the empathy model only; the overall weights depend on every dimension, "
                             "so refit them once all analysers' changes are merged")
    args = parser.parse_args()

    rows = load_set(args.set)
    fold = folds_by_case(rows, args.folds)
    rated = np.array([row["empathy"] for row in rows], dtype=float)
    x, penalties, empty = empathy_readings(rows)
    target = (rated - 1.0) * 25.0 + penalties
    keep = ~empty  # a reply that says nothing scores 0 whatever the model says
    predicted = np.zeros(len(rows))
    for k in range(args.folds):
        train = (fold != k) & keep
        test = fold == k
        predicted[test] = empathy_scores(fit_ridge(x[train], target[train], args.l2), x[test], penalties[test],
                                         empty[test])
    cv_empathy = spearman(list(predicted), list(rated))
    cv_empathy_pairs = pair_agreement(predicted, rated, rows)
    weights = fit_ridge(x[keep], target[keep], args.l2)
    fitted = empathy_scores(weights, x, penalties, empty)
    print(f"empathy: n={len(rows)} cases={len(set(fold.tolist()) and {r['case'] for r in rows})} "
          f"cv spearman={cv_empathy} cv pairs={cv_empathy_pairs} "
          f"(in-sample spearman={spearman(list(fitted), list(rated))})")
    for name, weight in zip(FEATURES, weights[:-1]):
        print(f"  {name:16s} {weight:+7.2f}")
    print(f"  {'intercept':16s} {weights[-1]:+7.2f}")
    model = {"intercept": round(float(weights[-1]), 2),
             "weights": {name: round(float(w), 2) for name, w in zip(FEATURES, weights[:-1])},
             "fitted_on": str(args.set.relative_to(ROOT) if args.set.is_relative_to(ROOT) else args.set),
             "n": int(keep.sum()), "folds": args.folds, "l2": args.l2, "cv_spearman": cv_empathy}
    if not args.dry_run:
        write(WEIGHTS_FILE, EMPATHY_HEADER, model)
        empathy.empathy_weights.cache_clear()
    if args.empathy_only:
        return

    # overall: on the dimension scores the product now gives, empathy included
    scores, reports = dimension_scores(rows)
    scores = np.where(np.isnan(scores), np.nanmean(scores, axis=0), scores)
    answer = np.array([[scoring.answer_features(report.metrics, ANSWER_SHAPE, report.scores.get("tone"))[name]
                        for name in ANSWER_FEATURES] for report in reports])
    overall_rated = np.array([row["overall"] for row in rows], dtype=float)
    overall_target = (overall_rated - 1.0) * 25.0
    predicted = np.zeros(len(rows))
    for k in range(args.folds):
        model_k = fit_overall(scores[fold != k], answer[fold != k], overall_target[fold != k], args.l2_overall,
                              args.l2_answer)
        for i in np.flatnonzero(fold == k):
            predicted[i] = capped(float(model_k.predict(scores[i], answer[i])), reports[i])
    cv_overall = spearman(list(predicted), list(overall_rated))
    cv_overall_pairs = pair_agreement(predicted, overall_rated, rows)
    fit = fit_overall(scores, answer, overall_target, args.l2_overall, args.l2_answer)
    print(f"overall: cv spearman={cv_overall} cv pairs={cv_overall_pairs}")
    print(f"  intercept {fit.intercept:+.2f} scale {fit.scale:.3f} weights "
          + ", ".join(f"{name} {weight:.3f}" for name, weight in zip(DIMENSIONS, fit.weights))
          + " answer " + ", ".join(f"{name} {weight:+.2f}" for name, weight in zip(ANSWER_FEATURES, fit.answer)))
    overall = {"intercept": round(fit.intercept, 2), "scale": round(fit.scale, 3),
               "weights": {name: round(float(weight), 3) for name, weight in zip(DIMENSIONS, fit.weights)},
               "answer": {name: round(float(weight), 2) for name, weight in zip(ANSWER_FEATURES, fit.answer)},
               "substance_cap": ANSWER_SHAPE.substance_cap,
               "fitted_on": model["fitted_on"], "n": len(rows), "folds": args.folds, "l2": args.l2_overall,
               "cv_spearman": cv_overall}
    if not args.dry_run:
        write(scoring.OVERALL_WEIGHTS_FILE, OVERALL_HEADER, overall)


# the answer features' shape (their cap) is a judgement kept from the current weights file
ANSWER_SHAPE = scoring.overall_weights()


def capped(score: float, report) -> float:
    """The overall score the product gives for this model score (the caps of scoring.yaml)."""
    return scoring.apply_caps(score, {k: v for k, v in report.scores.items() if v is not None},
                              list(report.findings))


EMPATHY_HEADER = (f"# The empathy score model (coach/analyzers/empathy.py FEATURES): score = intercept + sum of\n"
                  f"# weight x feature, in points on the 0-100 scale, minus the penalties of the problems found.\n"
                  f"# Written by eval/fit_empathy.py on {datetime.date.today()}; do not edit by hand, refit.\n")
OVERALL_HEADER = (f"# How dimension scores combine into `overall` (coach/scoring.py): intercept + scale x the\n"
                  f"# weighted mean of the dimensions that ran (weights times the persona factors of\n"
                  f"# coach/data/scoring.yaml), then the caps of scoring.yaml.\n"
                  f"# Written by eval/fit_empathy.py on {datetime.date.today()}; do not edit by hand, refit.\n")


def write(path: Path, header: str, data: dict) -> None:
    path.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
