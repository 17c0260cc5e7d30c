"""Reading level against people's levels: OneStopEnglish articles (../shared/data/dev/readability/),
each written by teachers at three levels. The measure is the share of articles whose three versions
the reading grade puts in order (elementary < intermediate < advanced), with the analyser's own
grade (`metrics.grade`, a U.S. grade): on the whole article, and on reply-sized excerpts (the first
1, 3 and 5 sentences of each version, which tell how the grade does on a short reply).

Five articles are defective upstream: one of their three versions is a different article (found by
word overlap, `mismatched_articles`); they are counted in the "all" figures and left out of the
"aligned" ones (and out of the fit). One more, "WNL shark", has its elementary and advanced texts
swapped; no honest grade orders it, and it stays in both.

The grade model was fitted on these articles (scripts/fit_readability.py); its cross-validated
figures, where no article was scored by a model that saw it, are reported beside the live ones.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from coach.config import PROJECT_ROOT

_RELATIVE = Path("shared") / "data" / "dev" / "readability" / "onestopenglish_texts.csv"
# Versions of one article share about half their words of 4+ letters (Jaccard 0.29-0.84 here); a
# pair sharing under a fifth is two different articles.
MIN_SHARED_WORDS = 0.2
EXCERPT_SENTENCES = (1, 3, 5)


def corpus_path() -> Path:
    """COACH_READABILITY_CORPUS, else ../shared/... beside the project (or beside its worktree folder)."""
    if os.environ.get("COACH_READABILITY_CORPUS", "").strip():
        return Path(os.environ["COACH_READABILITY_CORPUS"])
    candidates = [PROJECT_ROOT.parent / _RELATIVE, PROJECT_ROOT.parent.parent / _RELATIVE]
    return next((c for c in candidates if c.exists()), candidates[0])


def mismatched_articles(corpus: pd.DataFrame) -> set[str]:
    """text_ids where two versions share under MIN_SHARED_WORDS of their words (a version is another article)."""
    mismatched = set()
    for text_id, versions in corpus.groupby("text_id"):
        words = [set(re.findall(r"[a-z]{4,}", text.lower())) for text in versions["text"]]
        for i, first in enumerate(words):
            for second in words[i + 1:]:
                if len(first & second) < MIN_SHARED_WORDS * len(first | second):
                    mismatched.add(str(text_id))
    return mismatched


def ordered_share(grades: pd.DataFrame, column: str = "grade") -> float:
    """Share of articles (text_id) whose levels 0 < 1 < 2 have strictly rising grades."""
    table = grades.pivot_table(index="text_id", columns="level_code", values=column)
    return round(float(((table[0] < table[1]) & (table[1] < table[2])).mean()), 4)


def run(path: Path | None = None) -> dict[str, Any]:
    from coach.analyzers import readability
    from coach.nlp import load_nlp
    from coach.textstats import grade_model

    path = Path(path or corpus_path())
    if not path.exists():
        return {"onestopenglish-ordered": {"measure": "share of articles ordered", "value": None, "n": 0,
                                           "skipped": f"{path} not found"}}
    corpus = pd.read_csv(path)
    settings = readability.readability_settings()
    rows = []
    for doc in load_nlp().pipe(corpus["text"].tolist(), batch_size=16):
        spans = readability.graded_spans(doc, settings)
        row = {"grade": readability._grade(spans, settings)}
        for n in EXCERPT_SENTENCES:
            row[f"first_{n}"] = readability._grade(spans[:n], settings)
        rows.append(row)
    measured = pd.concat([corpus[["text_id", "level_code"]], pd.DataFrame(rows)], axis=1)
    aligned = measured[~measured["text_id"].isin(mismatched_articles(corpus))]
    n_all, n_aligned = int(measured["text_id"].nunique()), int(aligned["text_id"].nunique())
    figures = grade_model().figures
    out: dict[str, Any] = {
        "onestopenglish-ordered": {"measure": "share of articles with the three levels in order",
                                   "value": ordered_share(measured), "n": n_all, "path": str(path)},
        "onestopenglish-ordered-aligned": {"measure": "same, without the 5 articles whose versions are different "
                                                      "articles", "value": ordered_share(aligned), "n": n_aligned,
                                           "path": str(path)},
        "onestopenglish-ordered-cv": {"measure": "share ordered, cross-validated by article when the model was fitted",
                                      "value": figures.get("ordered_cv"), "n": n_all, "path": str(path)},
        "onestopenglish-ordered-aligned-cv": {"measure": "same, aligned articles",
                                              "value": figures.get("ordered_aligned_cv"), "n": n_aligned,
                                              "path": str(path)},
    }
    for n in EXCERPT_SENTENCES:
        out[f"onestopenglish-first-{n}-sentences-ordered"] = {
            "measure": f"share of aligned articles whose first {n} sentence(s) per level are in order "
                       f"(cross-validated when fitted: {figures.get(f'first_{n}_ordered_cv')})",
            "value": ordered_share(aligned, f"first_{n}"), "n": n_aligned, "path": str(path)}
    out["onestopenglish-mean-grade"] = {
        "measure": "mean U.S. grade per level (elementary, intermediate, advanced)",
        "value": [round(float(g), 1) for g in measured.groupby("level_code")["grade"].mean()],
        "n": len(measured), "path": str(path)}
    return out
