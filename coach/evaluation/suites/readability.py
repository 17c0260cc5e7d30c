"""Reading level against people's levels: OneStopEnglish articles (../shared/data/dev/readability/),
each written by teachers at three levels. The measure is the share of articles whose three versions
the reading grade puts in order (elementary < intermediate < advanced), with the analyser's own
grade (`metrics.grade`, a U.S. grade): on the whole article, and on reply-sized excerpts (the first
1, 3 and 5 sentences of each version, which tell how the grade does on a short reply).

Two article sets, both reported:
- all 189 articles as distributed;
- the "aligned" ones: articles whose three versions are one article, by a content test that
  needs no names (every pair of versions shares at least MIN_SHARED_WORDS of its words of 4+
  letters; versions of one article share 29-84%, different articles under 15%). Five fail it, and
  `version_defects` says why, from the text alone: three have an elementary text that is a copy
  of another article's (so no elementary version of their own), and two have each other's
  intermediate text. No grade can order those honestly, so they are left out of the aligned
  figures and of the fit. A sixth defect passes the test: "WNL shark" has its elementary and
  advanced texts swapped (the same article, so the content test can't see it); it stays in both.
So 99% of all 189 (188 ordered) is out of reach for an honest grade; 99% of the aligned 184 is not.

The grade model was fitted on these articles (scripts/fit_readability.py), so the live figures of
the shipped model are in-sample; the cross-validated ones (10 folds by article: no article scored
by a model that saw it) are the ones to quote, and are read from the model file, where the fit
recorded them. The live figures are checked against the fit's own record: if they differ, the
code changed after the fit and the cross-validated figures are reported as stale (refit).
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
# Two texts sharing this much of their words are one text (the copies here share 0.99-1.0).
COPY_SHARED_WORDS = 0.9
LEVEL_NAMES = ("elementary", "intermediate", "advanced")
EXCERPT_SENTENCES = (1, 3, 5)


def corpus_path() -> Path:
    """COACH_READABILITY_CORPUS, else ../shared/... beside the project (or beside its worktree folder)."""
    if os.environ.get("COACH_READABILITY_CORPUS", "").strip():
        return Path(os.environ["COACH_READABILITY_CORPUS"])
    candidates = [PROJECT_ROOT.parent / _RELATIVE, PROJECT_ROOT.parent.parent / _RELATIVE]
    return next((c for c in candidates if c.exists()), candidates[0])


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{4,}", text.lower()))


def _shared(first: set[str], second: set[str]) -> float:
    return len(first & second) / len(first | second) if first | second else 0.0


def mismatched_articles(corpus: pd.DataFrame) -> set[str]:
    """text_ids where two versions share under MIN_SHARED_WORDS of their words (a version is another article)."""
    mismatched = set()
    for text_id, versions in corpus.groupby("text_id"):
        words = [_words(text) for text in versions["text"]]
        for i, first in enumerate(words):
            for second in words[i + 1:]:
                if _shared(first, second) < MIN_SHARED_WORDS:
                    mismatched.add(str(text_id))
    return mismatched


def version_defects(corpus: pd.DataFrame) -> dict[str, str]:
    """For each mismatched article, what is wrong, found from the texts: the version that shares
    least with the other two, and whether it is a copy of another article's text or belongs with
    another article's versions. Reported, never used to pick articles."""
    words = [_words(text) for text in corpus["text"]]
    ids, levels = corpus["text_id"].astype(str).tolist(), corpus["level_code"].tolist()
    defects = {}
    for text_id in sorted(mismatched_articles(corpus)):
        rows = [i for i, other in enumerate(ids) if other == text_id]
        odd = min(rows, key=lambda i: sum(_shared(words[i], words[j]) for j in rows if j != i))
        share, best = max((_shared(words[odd], words[j]), j) for j in range(len(ids)) if ids[j] != text_id)
        kind = "is a copy of" if share >= COPY_SHARED_WORDS else "belongs with"
        defects[text_id] = (f"its {LEVEL_NAMES[levels[odd]]} text {kind} the {LEVEL_NAMES[levels[best]]} "
                            f"text of '{ids[best]}' (shared words {share:.2f})")
    return defects


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
    defects = version_defects(corpus)
    aligned = measured[~measured["text_id"].isin(defects)]
    n_all, n_aligned = int(measured["text_id"].nunique()), int(aligned["text_id"].nunique())
    live_all, live_aligned = ordered_share(measured), ordered_share(aligned)
    figures = grade_model().figures
    # the fit recorded the in-sample figures it saw; different ones now mean the code changed since
    stale = (figures.get("ordered"), figures.get("ordered_aligned")) != (live_all, live_aligned)
    note = {"skipped": "the model file's figures are stale (the grade changed since the fit): "
                       "run scripts/fit_readability.py"} if stale else {}
    aligned_test = (f"{n_aligned} whose three versions share at least {MIN_SHARED_WORDS:.0%} of their words "
                    f"pairwise (a content test)")
    out: dict[str, Any] = {
        "onestopenglish-ordered-cv": {
            "measure": f"share of all {n_all} articles with the three levels in order, cross-validated by article "
                       f"({len(defects)} have a version from another article, see onestopenglish-defects)",
            "value": None if stale else figures.get("ordered_cv"), "n": n_all, "path": str(path), **note},
        "onestopenglish-ordered-aligned-cv": {
            "measure": f"same, on the {aligned_test}, cross-validated",
            "value": None if stale else figures.get("ordered_aligned_cv"), "n": n_aligned, "path": str(path),
            **note},
        "onestopenglish-ordered": {
            "measure": f"share of all {n_all} in order, shipped model (in-sample: fitted on them)",
            "value": live_all, "n": n_all, "path": str(path)},
        "onestopenglish-ordered-aligned": {
            "measure": f"same, on the {n_aligned} aligned articles (in-sample)",
            "value": live_aligned, "n": n_aligned, "path": str(path)},
        "onestopenglish-defects": {
            "measure": "articles failing the content test, and why (found from the texts: "
                       + "; ".join(f"{text_id}: {why}" for text_id, why in defects.items()) + ")",
            "value": len(defects), "n": n_all, "path": str(path)},
    }
    for n in EXCERPT_SENTENCES:
        out[f"onestopenglish-first-{n}-sentences-ordered"] = {
            "measure": f"share of aligned articles whose first {n} sentence(s) per level are in order "
                       f"(in-sample; cross-validated when fitted: {figures.get(f'first_{n}_ordered_cv')})",
            "value": ordered_share(aligned, f"first_{n}"), "n": n_aligned, "path": str(path)}
    out["onestopenglish-mean-grade"] = {
        "measure": "mean U.S. grade per level (elementary, intermediate, advanced)",
        "value": [round(float(g), 1) for g in measured.groupby("level_code")["grade"].mean()],
        "n": len(measured), "path": str(path)}
    return out
