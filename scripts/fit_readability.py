"""Fit the reading-grade model (coach/data/readability_grade.yaml) on OneStopEnglish.

    python scripts/fit_readability.py [--corpus ../shared/data/dev/readability/onestopenglish_texts.csv]
                                      [--reuse] [--use FEATURE ...]

OneStopEnglish (Vajjala & Lucic 2018, CC BY-SA 4.0) has 189 news articles, each written by
teachers at three levels. The grade must put each article's three versions in order, also on
reply-sized text, and stay a U.S. grade:
1. units: each version whole, and its consecutive chunks of 3 and of 5 sentences (the first six
   chunks; reply-sized text), with coach.textstats.grade_features on the sentences the analyser
   grades (one parse per version). The 5 articles where one version is another article
   (coach.evaluation.suites.readability.mismatched_articles) are left out of the fit.
2. weights: a pairwise logistic regression (a ranking objective): for every article, and every
   chunk position, each easier -> harder pair of versions is one example of its feature differences
   (standardised; whole versions weigh 1, chunks EXCERPT_WEIGHT; L2-regularised; Newton's method).
3. scale: the model's score mapped linearly so that its grades have the mean and spread of the
   classic U.S. grade (the mean of Flesch-Kincaid, Coleman-Liau and ARI, on the same units), so
   grades keep their usual meaning.
Everything is also done in 10-fold cross-validation grouped by article (an article's three versions
and their chunks are always in one fold), so the figures in the model file come from articles the
model did not see.
"""
from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from spacy.tokens import Doc, DocBin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach import textstats  # noqa: E402
from coach.analyzers import readability  # noqa: E402
from coach.evaluation.suites.readability import (EXCERPT_SENTENCES, corpus_path,  # noqa: E402
                                                 mismatched_articles)
from coach.nlp import load_nlp  # noqa: E402

FOLDS, L2, SEED = 10, 0.1, 0
CHUNK_SENTENCES, CHUNKS = (1, 3, 5), 6  # 1-sentence chunks are measured, not trained on
TRAIN_SENTENCES = (3, 5)
EXCERPT_WEIGHT = 0.3
MODEL_FEATURES = ("rms_sentence_words", "syllables_per_word", "letters_per_word", "rare_word_share",
                  "unfamiliar_word_share")
LEVELS = (0, 1, 2)


def parse(texts: list[str], cache: Path, reuse: bool) -> list[Doc]:
    """The parsed versions; kept in `cache` (a spaCy DocBin) so that a refit with --reuse skips the parse."""
    nlp = load_nlp()
    if reuse and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [doc.text for doc in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, disable=["ner"], batch_size=16))
    cache.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(cache)
    return docs


def features(docs: list[Doc]) -> pd.DataFrame:
    """One row per unit: version (sentences 0 = whole) or chunk (sentences n, chunk k) of text `row`."""
    settings = readability.readability_settings()
    rows = []
    for index, doc in enumerate(docs):
        spans = readability.graded_spans(doc, settings)
        units = [(0, 0, spans)] + [(n, k, spans[k * n:(k + 1) * n]) for n in CHUNK_SENTENCES
                                   for k in range(min(len(spans) // n, CHUNKS))]
        for n, k, unit in units:
            classic = readability.classic_grade(" ".join(readability._grade_text(s) for s in unit), settings)
            rows.append({"row": index, "sentences": n, "chunk": k, **textstats.grade_features(unit),
                         "classic": classic})
    return pd.DataFrame(rows)


def wide(frame: pd.DataFrame, names: list[str]) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """Units that exist at all three levels: their keys, and each level's feature matrix."""
    keyed = frame.set_index(["text_id", "sentences", "chunk", "level_code"])[names].unstack("level_code").dropna()
    return keyed.index.to_frame(index=False), [keyed.xs(level, axis=1, level="level_code")[names].to_numpy(float)
                                               for level in LEVELS]


def logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        hessian = (x * (weight * p * (1 - p))[:, None]).T @ x + L2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, x.T @ (weight * (p - y)) + L2 * w)
    return w


def fit_weights(keys: pd.DataFrame, levels: list[np.ndarray], rows: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Pairwise logistic weights (on the features' own scale) from the units in `rows`."""
    rows = rows & keys["sentences"].isin((0, *TRAIN_SENTENCES)).to_numpy()
    unit_weight = np.where(keys["sentences"].to_numpy()[rows] == 0, 1.0, EXCERPT_WEIGHT)
    diffs = np.vstack([(levels[hard][rows] - levels[easy][rows]) / scale for easy, hard in ((0, 1), (1, 2), (0, 2))])
    weight = np.tile(unit_weight, 3)
    x = np.vstack([diffs, -diffs])
    y = np.r_[np.ones(len(diffs)), np.zeros(len(diffs))]
    return logistic(x, y, np.r_[weight, weight]) / scale


def ordered(scores: list[np.ndarray], rows: np.ndarray) -> float:
    return round(float(((scores[0] < scores[1]) & (scores[1] < scores[2]))[rows].mean()), 4)


def pairs_ordered(scores: list[np.ndarray], rows: np.ndarray) -> float:
    right = [(scores[hard] > scores[easy])[rows] for easy, hard in ((0, 1), (1, 2), (0, 2))]
    return round(float(np.mean(right)), 4)


def figures(keys: pd.DataFrame, scores: list[np.ndarray], aligned: np.ndarray, suffix: str) -> dict[str, float]:
    sentences, chunk = keys["sentences"].to_numpy(), keys["chunk"].to_numpy()
    out = {f"ordered{suffix}": ordered(scores, sentences == 0),
           f"ordered_aligned{suffix}": ordered(scores, (sentences == 0) & aligned)}
    for n in EXCERPT_SENTENCES:
        first = (sentences == n) & (chunk == 0) & aligned
        out[f"first_{n}_ordered{suffix}"] = ordered(scores, first)
        out[f"chunks_{n}_pairs_ordered{suffix}"] = pairs_ordered(scores, (sentences == n) & aligned)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=corpus_path())
    parser.add_argument("--out", type=Path, default=textstats.GRADE_MODEL_FILE)
    parser.add_argument("--docs", type=Path, default=ROOT / "test-output" / "readability-docs.spacy",
                        help="cache of the parsed corpus (reused with --reuse)")
    parser.add_argument("--reuse", action="store_true", help="reuse the cached parse instead of parsing again")
    parser.add_argument("--use", nargs="+", default=list(MODEL_FEATURES), choices=textstats.GRADE_FEATURES,
                        help="the features the model weighs")
    args = parser.parse_args()
    corpus = pd.read_csv(args.corpus)
    units = features(parse(corpus["text"].tolist(), args.docs, args.reuse))
    units = units.join(corpus[["text_id", "level_code"]], on="row")
    names = list(args.use)
    keys, levels = wide(units, [*names, "classic"])
    classic = [matrix[:, -1] for matrix in levels]
    levels = [matrix[:, :-1] for matrix in levels]
    aligned = ~keys["text_id"].isin(mismatched_articles(corpus)).to_numpy()
    scale = units.loc[units["sentences"] == 0, names].std().to_numpy()

    ids = np.array(sorted(keys["text_id"].unique()))
    np.random.default_rng(SEED).shuffle(ids)
    held_out = [np.zeros(len(keys)) for _ in LEVELS]
    for fold in np.array_split(ids, FOLDS):
        test = keys["text_id"].isin(fold).to_numpy()
        w = fit_weights(keys, levels, aligned & ~test, scale)
        for level in LEVELS:
            held_out[level][test] = levels[level][test] @ w
    w = fit_weights(keys, levels, aligned, scale)
    in_sample = [levels[level] @ w for level in LEVELS]

    # the U.S. grade scale: same mean and spread as the classic formulas on the units trained on
    trained = aligned & keys["sentences"].isin((0, *TRAIN_SENTENCES)).to_numpy()
    score = np.concatenate([s[trained] for s in in_sample])
    target = np.concatenate([c[trained] for c in classic])
    slope = target.std() / score.std()
    intercept = target.mean() - slope * score.mean()
    grades = np.concatenate([slope * s + intercept for s in in_sample])
    classic_all = np.concatenate(classic)
    whole = np.tile(keys["sentences"].to_numpy() == 0, len(LEVELS))
    figures_out = {**figures(keys, held_out, aligned, "_cv"), **figures(keys, in_sample, aligned, ""),
                   "r_with_classic_grade": round(float(np.corrcoef(grades[whole], classic_all[whole])[0, 1]), 4)}
    model = {
        "source": f"{args.corpus.name}: OneStopEnglish (Vajjala & Lucic 2018), CC BY-SA 4.0",
        "fitted": f"{datetime.date.today()} by scripts/fit_readability.py (pairwise logistic over versions and "
                  f"{'/'.join(map(str, TRAIN_SENTENCES))}-sentence chunks, weight {EXCERPT_WEIGHT}; L2 {L2}; "
                  f"{FOLDS}-fold CV by article; scaled to the classic grades' mean and spread)",
        "articles": int(keys["text_id"].nunique()),
        "figures": figures_out,
        "intercept": round(float(intercept), 4),
        "weights": {name: round(float(slope * weight), 4) for name, weight in zip(names, w)},
    }
    header = ("# The reading-grade model: grade = intercept + sum(weight x feature) (coach/textstats.py).\n"
              "# Written by scripts/fit_readability.py; refit instead of editing by hand. `figures`: share of\n"
              "# articles (or first-N-sentence excerpts) with the three levels in order, _cv = cross-validated.\n")
    args.out.write_text(header + yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
    print(yaml.safe_dump(model, sort_keys=False))


if __name__ == "__main__":
    main()
