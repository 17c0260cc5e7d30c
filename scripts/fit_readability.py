"""Fit the reading-grade model (coach/data/readability_grade.yaml) on OneStopEnglish.

    python scripts/fit_readability.py [--corpus ../shared/data/dev/readability/onestopenglish_texts.csv]

OneStopEnglish (Vajjala & Lucic 2018, CC BY-SA 4.0) has 189 news articles, each written by
teachers at three levels. The model must put each article's three versions in order, and stay
a U.S. grade:
1. features per version: coach.analyzers.readability.grade_features on the sentences the analyser
   grades (sentence length, syllables and letters per word, shares of rare words, mean word
   frequency);
2. weights from a pairwise logistic regression: for every article, easier -> harder version pairs
   (feature differences, standardised, L2-regularised, Newton's method); ordering is measured
   with 10-fold cross-validation grouped by article, so no article is scored by a model that saw it;
3. scale: a least-squares line from the model's score to the classic U.S. grade (the mean of
   Flesch-Kincaid, Coleman-Liau and ARI on the same text), so grades keep their usual meaning.
"""
from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.analyzers import readability  # noqa: E402
from coach.nlp import load_nlp  # noqa: E402

CORPUS = next((base / "shared" / "data" / "dev" / "readability" / "onestopenglish_texts.csv"
               for base in (ROOT.parent, ROOT.parent.parent)
               if (base / "shared" / "data" / "dev" / "readability").exists()), ROOT.parent / "shared")
FOLDS, L2, SEED = 10, 0.1, 0
# Few features whose weights keep their natural sign: with all eight, the collinear word-frequency
# features cancel each other out and short replies get grades far from the formulas'.
MODEL_FEATURES = ("words_per_sentence", "syllables_per_word", "rare_share_5")


def features(texts: list[str]) -> pd.DataFrame:
    settings = readability.readability_settings()
    rows = []
    for doc in load_nlp().pipe(texts, disable=["ner"], batch_size=16):
        spans = readability.graded_spans(doc, settings)
        row = readability.grade_features(spans)
        row["classic"] = readability.classic_grade(" ".join(readability._grade_text(s) for s in spans), settings)
        rows.append(row)
    return pd.DataFrame(rows)


def ordered(frame: pd.DataFrame, scores: np.ndarray) -> float:
    table = frame.assign(score=scores).pivot_table(index="text_id", columns="level_code", values="score")
    return float(((table[0] < table[1]) & (table[1] < table[2])).mean())


def pairs(frame: pd.DataFrame, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    diffs = []
    for _, article in frame.groupby("text_id"):
        levels = article.set_index("level_code")
        for easy, hard in ((0, 1), (1, 2), (0, 2)):
            if easy in levels.index and hard in levels.index:
                diffs.append(levels.loc[hard, names].to_numpy(float) - levels.loc[easy, names].to_numpy(float))
    x = np.array(diffs)
    return np.vstack([x, -x]), np.r_[np.ones(len(x)), np.zeros(len(x))]


def logistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(60):
        p = 1 / (1 + np.exp(-x @ w))
        hessian = (x * (p * (1 - p))[:, None]).T @ x + L2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, x.T @ (p - y) + L2 * w)
    return w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=readability.GRADE_MODEL_FILE)
    parser.add_argument("--features", type=Path, default=ROOT / "test-output" / "readability-features.csv",
                        help="cache of the parsed features (reused with --reuse)")
    parser.add_argument("--reuse", action="store_true", help="reuse the cached features instead of parsing again")
    parser.add_argument("--use", nargs="+", default=list(MODEL_FEATURES), choices=readability.GRADE_FEATURES,
                        help="the features the model weighs")
    args = parser.parse_args()
    corpus = pd.read_csv(args.corpus)
    if args.reuse and args.features.exists():
        frame = pd.read_csv(args.features)
    else:
        frame = pd.concat([corpus[["text_id", "level_code"]].reset_index(drop=True),
                           features(corpus["text"].tolist())], axis=1)
        args.features.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(args.features, index=False)
    names = list(args.use)
    scale = frame[names].std().to_numpy()
    ids = np.array(sorted(frame["text_id"].unique()))
    np.random.default_rng(SEED).shuffle(ids)
    held_out = np.zeros(len(frame))
    for fold in np.array_split(ids, FOLDS):
        test = frame["text_id"].isin(fold).to_numpy()
        x, y = pairs(frame[~test], names)
        w = logistic(x / scale, y) / scale
        held_out[test] = frame.loc[test, names].to_numpy() @ w
    x, y = pairs(frame, names)
    w = logistic(x / scale, y) / scale
    score = frame[names].to_numpy() @ w
    slope, intercept = np.polyfit(score, frame["classic"].to_numpy(), 1)
    model = {
        "source": f"{args.corpus.name}: OneStopEnglish (Vajjala & Lucic 2018), CC BY-SA 4.0",
        "fitted": f"{datetime.date.today()} by scripts/fit_readability.py ({FOLDS}-fold CV by article, L2 {L2})",
        "articles": int(frame["text_id"].nunique()),
        "cross_validated_ordering": round(ordered(frame, held_out), 4),
        "in_sample_ordering": round(ordered(frame, score), 4),
        "intercept": round(float(intercept), 4),
        "weights": {name: round(float(slope * weight), 4) for name, weight in zip(names, w)},
    }
    header = ("# The reading-grade model: grade = intercept + sum(weight x feature) (coach/analyzers/readability.py).\n"
              "# Written by scripts/fit_readability.py; refit instead of editing by hand.\n")
    args.out.write_text(header + yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
    print(yaml.safe_dump(model, sort_keys=False))


if __name__ == "__main__":
    main()
