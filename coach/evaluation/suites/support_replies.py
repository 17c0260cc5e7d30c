"""Agreement with a lead's overall ratings of realistic support replies (eval/sets/support-replies.yaml).

Spearman of `overall` with the 1-5 rating over all replies, and the share of pairs answering the
same customer where the better-rated reply also scores higher (ties in rating skipped).
"""
from __future__ import annotations

from itertools import combinations
from typing import Any

from coach.config import PROJECT_ROOT
from coach.datafiles import field, load_yaml
from coach.evaluation.stats import spearman

SET_FILE = PROJECT_ROOT / "eval" / "sets" / "support-replies.yaml"


def load_cases(path=SET_FILE) -> list[tuple[str, list[tuple[str, int]]]]:
    raw = load_yaml(path)
    cases = []
    for index, case in enumerate(field(raw, "cases", list, path, "")):
        where = f"cases[{index}]"
        replies = [(field(r, "text", str, path, f"{where}.replies"), field(r, "rating", int, path, f"{where}.replies"))
                   for r in field(case, "replies", list, path, where)]
        cases.append((field(case, "customer", str, path, where), replies))
    return cases


def run() -> dict[str, Any]:
    from coach.engine import analyze

    scores, ratings, ordered, pairs = [], [], 0, 0
    for customer, replies in load_cases():
        overall = [(analyze(text, customer_message=customer).overall, rating) for text, rating in replies]
        for score, rating in overall:
            scores.append(score)
            ratings.append(rating)
        for (score_a, rating_a), (score_b, rating_b) in combinations(overall, 2):
            if rating_a != rating_b:
                pairs += 1
                ordered += (score_a - score_b) * (rating_a - rating_b) > 0
    path = str(SET_FILE.relative_to(PROJECT_ROOT))
    return {
        "support-replies-overall": {"measure": "spearman", "value": spearman(scores, ratings), "n": len(scores),
                                    "path": path},
        "support-replies-pairs": {"measure": "better-rated reply scores higher", "n": pairs, "path": path,
                                  "value": round(ordered / pairs, 3) if pairs else None},
    }
