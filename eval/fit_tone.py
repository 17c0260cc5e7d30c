"""Refit the tone model's weights (coach/data/tone_weights.yaml) on people's politeness ratings.

    /work/main/.venv/bin/python eval/fit_tone.py [--csv PATH] [--folds 5] [--l2 1.0]

Data: the Wikipedia requests of the Stanford politeness corpus (Danescu-Niculescu-Mizil et al.,
ACL 2013; Apache-2.0), `../shared/data/dev/politeness/wikipedia.annotated.csv` by default (looked
for in the folders above the checkout). A ridge
regression of the raters' normalised score on the features the analyser's own code computes
(coach.analyzers.tone: politeness_features, lexicon_grams), rescaled by a logistic regression on
the top (polite) and bottom (impolite) quartiles, so that the weights are log-odds of "people
would call this polite". numpy only: the product needs no scikit-learn.

It prints the k-fold cross-validated accuracy of the product's tone score (the fitted model with
the courtesy-marker cap and the manner penalties, 'polite' when the score is above the score at
which the model's odds are even), then fits
on every quartile request and writes the weights file. Each request is read as a mid-chat
message (no greeting or sign-off is expected of it).
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.analyzers.tone import (FEATURES, WEIGHTS_FILE, ToneAnalyzer, ToneWeights, _ruleset,  # noqa: E402
                                  lexicon_logit, model_logit, model_score, tone_settings)
from coach.context import AnalysisContext, Turn  # noqa: E402
from coach.nlp import load_nlp  # noqa: E402
from coach.textprep import prepare  # noqa: E402

CSV_IN_SHARED = Path("shared", "data", "dev", "politeness", "wikipedia.annotated.csv")
# ../shared next to the checkout (a worktree sits one folder deeper, so look further up too)
DEFAULT_CSV = next((folder / CSV_IN_SHARED for folder in ROOT.parents if (folder / CSV_IN_SHARED).exists()),
                   ROOT.parent / CSV_IN_SHARED)
_MID_CHAT = (Turn("agent", "(an earlier message)"),)


def read_requests(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every request, its normalised politeness score and its quartile label."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return ([row["Request"] for row in rows], np.array([float(row["Normalized Score"]) for row in rows]),
            np.array([row["quartile_label"] for row in rows]))


@dataclass
class Readings:
    x: np.ndarray  # the strategy features
    penalties: np.ndarray  # manner penalty points, as the analyser takes them off
    grams: list[list[frozenset[str]]]  # lexicon words and pairs per sentence
    hostile: list[set[int]]


def featurise(texts: list[str]) -> Readings:
    nlp = load_nlp()
    analyzer, ruleset, settings = ToneAnalyzer(), _ruleset(), tone_settings()
    rows, penalties, grams, hostile = [], [], [], []
    cleaned = [prepare(text) for text in texts]
    for text, doc in zip(texts, nlp.pipe(cleaned, batch_size=256)):
        context = AnalysisContext(text, doc, channel="chat", history=_MID_CHAT)
        reading = analyzer.assess(context)
        scored, _hints = context.split_hints(reading.findings)
        rows.append([reading.features[name] for name in FEATURES])
        penalties.append(sum(min((ruleset.get(rule).penalty or 0.0) * count, settings.rule_penalty_cap)
                             for rule, count in Counter(f.rule for f in scored).items()))
        grams.append(reading.grams)
        hostile.append(reading.hostile)
    return Readings(np.array(rows, dtype=float), np.array(penalties, dtype=float), grams, hostile)


def vocabulary(readings: Readings, rows: np.ndarray, min_count: int) -> list[str]:
    counts = Counter(gram for i in rows for gram in set().union(*readings.grams[i]) if readings.grams[i])
    return sorted(gram for gram, count in counts.items() if count >= min_count)


def design(readings: Readings, rows: np.ndarray, vocab: list[str]) -> np.ndarray:
    index = {gram: j for j, gram in enumerate(vocab)}
    words = np.zeros((len(rows), len(vocab)))
    for r, i in enumerate(rows):
        for sentence in readings.grams[i]:
            for gram in sentence:
                if gram in index:
                    words[r, index[gram]] = 1.0
    return np.hstack([readings.x[rows], words])


def fit_logistic(x: np.ndarray, y: np.ndarray, penalty: np.ndarray, iterations: int = 30) -> np.ndarray:
    """Weights (last one the intercept) of an L2-penalised logistic regression, by Newton's method;
    `penalty` is each column's L2 strength."""
    design_matrix = np.hstack([x, np.ones((len(x), 1))])
    penalty = np.r_[penalty, 0.0]
    weights = np.zeros(design_matrix.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-design_matrix @ weights))
        gradient = design_matrix.T @ (p - y) + penalty * weights
        hessian = (design_matrix * (p * (1 - p))[:, None]).T @ design_matrix + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


def fit_ridge(x: np.ndarray, y: np.ndarray, penalty: np.ndarray) -> np.ndarray:
    """Weights (last one the intercept) of a ridge regression; `penalty` is each column's L2 strength."""
    design_matrix = np.hstack([x, np.ones((len(x), 1))])
    return np.linalg.solve(design_matrix.T @ design_matrix + np.diag(np.r_[penalty, 0.0]), design_matrix.T @ y)


def fit(readings: Readings, politeness: np.ndarray, labels: np.ndarray, rows: np.ndarray,
        args: argparse.Namespace, **meta: float | int | str) -> ToneWeights:
    """A ridge regression of the people's politeness score on the features (every request, the
    middle ones included), rescaled by a one-variable logistic regression on the top and bottom
    quartiles, so that the model's log-odds say how likely people would call the text polite."""
    vocab = vocabulary(readings, rows, args.min_count) if args.lexicon_cap > 0 else []
    x = design(readings, rows, vocab)
    penalty = np.r_[np.full(len(FEATURES), args.l2), np.full(len(vocab), args.l2_lexicon)]
    weights = fit_ridge(x, politeness[rows], penalty)
    predicted = x @ weights[:-1] + weights[-1]
    quartiles = labels[rows] != "middle"
    scale, shift = fit_logistic(predicted[quartiles][:, None], (labels[rows][quartiles] == "polite").astype(float),
                                np.zeros(1))
    weights = weights * scale
    lexicon = {gram: round(float(w), 3) for gram, w in zip(vocab, weights[len(FEATURES):-1])
               if abs(w) >= args.min_weight}
    return ToneWeights(intercept=round(float(weights[-1] + shift), 4),
                       weights={name: round(float(w), 4) for name, w in zip(FEATURES, weights[:len(FEATURES)])},
                       lexicon=lexicon, lexicon_cap=args.lexicon_cap,
                       **{"fitted_on": "", "cv_accuracy": 0.0, "folds": 0, "l2": args.l2, "n": 0, **meta})


def product_scores(model: ToneWeights, readings: Readings, rows: np.ndarray) -> np.ndarray:
    settings = tone_settings()
    scores = []
    for i in rows:
        score = model_score(model_logit(dict(zip(FEATURES, readings.x[i])), model, settings)
                            + lexicon_logit(readings.grams[i], readings.hostile[i], model.lexicon,
                                            model.lexicon_cap), model, settings)
        if readings.hostile[i]:
            score = min(score, settings.neutral_score)
        scores.append(score - readings.penalties[i])
    return np.array(scores)


def polite_threshold(model: ToneWeights) -> float:
    """The tone score at which the model's odds of 'polite' are even (log-odds 0)."""
    return model_score(0.0, model, tone_settings())


def cross_validate(readings: Readings, politeness: np.ndarray, labels: np.ndarray,
                   args: argparse.Namespace) -> list[float]:
    """Accuracy of the product's score (above polite_threshold means polite) on each fold's top and bottom quartile
    requests, fitted on the other folds."""
    order = np.random.default_rng(0).permutation(len(labels))
    accuracies = []
    for test in np.array_split(order, args.folds):
        train = np.setdiff1d(order, test)
        model = fit(readings, politeness, labels, train, args)
        quartiles = test[labels[test] != "middle"]
        predicted = product_scores(model, readings, quartiles) > polite_threshold(model)
        accuracies.append(float((predicted == (labels[quartiles] == "polite")).mean()))
    return accuracies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=1.0, help="L2 strength on the strategy weights")
    parser.add_argument("--l2-lexicon", type=float, default=30.0, help="L2 strength on the lexicon weights")
    parser.add_argument("--min-count", type=int, default=5, help="fewest requests a lexicon word is in")
    parser.add_argument("--min-weight", type=float, default=0.05, help="smaller lexicon weights are dropped")
    parser.add_argument("--lexicon-cap", type=float, default=12.0, help="most log-odds the lexicon adds or takes (0: no lexicon)")
    parser.add_argument("--dry-run", action="store_true", help="report the figures, write nothing")
    args = parser.parse_args(argv)
    texts, politeness, labels = read_requests(args.csv)
    readings = featurise(texts)
    accuracies = cross_validate(readings, politeness, labels, args)
    accuracy = round(sum(accuracies) / len(accuracies), 4)
    quartile_rows = np.flatnonzero(labels != "middle")
    print(f"{args.folds}-fold cross-validated top-vs-bottom quartile accuracy: {accuracy:.4f} "
          f"(folds: {', '.join(f'{a:.3f}' for a in accuracies)}; n={len(quartile_rows)})")
    model = fit(readings, politeness, labels, np.arange(len(labels)), args,
                fitted_on=f"{args.csv.name} (ridge on the mean rating, calibrated on the quartiles)",
                cv_accuracy=accuracy, folds=args.folds, n=len(quartile_rows))
    fitted = product_scores(model, readings, quartile_rows) > polite_threshold(model)
    training = float((fitted == (labels[quartile_rows] == "polite")).mean())
    print(f"accuracy on the data it was fitted on: {training:.4f}; lexicon: {len(model.lexicon)} entries; "
          f"'polite' above a tone score of {polite_threshold(model):.1f}")
    for name, weight in sorted(model.weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {name:<18} {weight:+.3f}")
    if not args.dry_run:
        header = ("# The tone model's weights (log-odds per feature; features: coach/analyzers/tone.py\n"
                  "# politeness_features, lexicon_grams). Written by eval/fit_tone.py; do not edit by hand, refit.\n")
        body = yaml.safe_dump(model.model_dump(), sort_keys=False, allow_unicode=True, width=100)
        WEIGHTS_FILE.write_text(header + body, encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
