"""Reading level against people's levels: OneStopEnglish articles (../shared/data/dev/readability/),
each written by teachers at three levels. The measure is the share of articles whose three versions
the reading grade puts in order (elementary < intermediate < advanced), with the analyser's own
grade (`metrics.grade`, a U.S. grade) on the whole article.

The grade model was fitted on these articles (scripts/fit_readability.py); its cross-validated
ordering, where no article was scored by a model that saw it, is reported beside the live figure.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from coach.config import PROJECT_ROOT

_RELATIVE = Path("shared") / "data" / "dev" / "readability" / "onestopenglish_texts.csv"


def corpus_path() -> Path:
    """COACH_READABILITY_CORPUS, else ../shared/... beside the project (or beside its worktree folder)."""
    if os.environ.get("COACH_READABILITY_CORPUS", "").strip():
        return Path(os.environ["COACH_READABILITY_CORPUS"])
    candidates = [PROJECT_ROOT.parent / _RELATIVE, PROJECT_ROOT.parent.parent / _RELATIVE]
    return next((c for c in candidates if c.exists()), candidates[0])


def ordered_share(grades: pd.DataFrame) -> float:
    """Share of articles (text_id) whose levels 0 < 1 < 2 have strictly rising grades."""
    table = grades.pivot_table(index="text_id", columns="level_code", values="grade")
    return round(float(((table[0] < table[1]) & (table[1] < table[2])).mean()), 4)


def run(path: Path | None = None) -> dict[str, Any]:
    from coach.analyzers import readability
    from coach.nlp import load_nlp

    path = Path(path or corpus_path())
    if not path.exists():
        return {"onestopenglish-ordered": {"measure": "share of articles ordered", "value": None, "n": 0,
                                           "skipped": f"{path} not found"}}
    corpus = pd.read_csv(path)
    settings = readability.readability_settings()
    grades = []
    for doc in load_nlp().pipe(corpus["text"].tolist(), batch_size=16):
        grades.append(readability._grade(readability.graded_spans(doc, settings), settings))
    measured = corpus[["text_id", "level_code"]].assign(grade=grades)
    model = readability.grade_model()
    return {
        "onestopenglish-ordered": {"measure": "share of articles with the three levels in order",
                                   "value": ordered_share(measured), "n": int(measured["text_id"].nunique()),
                                   "path": str(path)},
        "onestopenglish-ordered-cv": {"measure": "same, cross-validated by article when the model was fitted",
                                      "value": model.cross_validated_ordering, "n": model.articles,
                                      "path": str(path)},
        "onestopenglish-mean-grade": {"measure": "mean U.S. grade per level (elementary, intermediate, advanced)",
                                      "value": [round(float(g), 1) for g in
                                                measured.groupby("level_code")["grade"].mean()],
                                      "n": len(measured), "path": str(path)},
    }
