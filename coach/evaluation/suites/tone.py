"""Tone against people: the politeness model's cross-validated accuracy, agreement with politeness
ratings of support replies, and rude/polite pairs.

- wikipedia-politeness-cv: top-vs-bottom quartile accuracy of the tone score on the Wikipedia
  requests, k-fold cross-validated by eval/fit_tone.py when it fitted the weights (refitting takes
  minutes, so the figure is read from coach/data/tone_weights.yaml);
- support-politeness: Spearman of the tone score with the 1-5 politeness ratings of
  eval/sets/support-politeness.yaml;
- rude-polite-pairs: share of eval/sets/rude-polite-pairs.yaml where the polite version wins on
  tone by at least `MARGIN` points; `rude_praised` counts rude versions whose tone is praised
  (a strength or summary quoting tone evidence, or the tone dimension's praise).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.config import PROJECT_ROOT
from coach.datafiles import field, load_yaml
from coach.errors import DataFileError
from coach.evaluation.stats import spearman

SETS_DIR = PROJECT_ROOT / "eval" / "sets"
RATINGS_FILE = SETS_DIR / "support-politeness.yaml"
PAIRS_FILE = SETS_DIR / "rude-polite-pairs.yaml"
MARGIN = 10.0


@dataclass(frozen=True)
class RatedReply:
    id: str
    reply: str
    channel: str | None
    rating: int


@dataclass(frozen=True)
class Pair:
    id: str
    kinds: tuple[str, ...]
    channel: str | None
    rude: str
    polite: str


def rated_replies(path: Path = RATINGS_FILE) -> list[RatedReply]:
    raw = load_yaml(path)
    items = []
    for index, item in enumerate(field(raw, "items", list, path, "")):
        where = f"items[{index}]"
        rating = field(item, "politeness", int, path, where)
        if not 1 <= rating <= 5:
            raise DataFileError(path, f"{where}.politeness", "must be 1-5")
        items.append(RatedReply(field(item, "id", str, path, where), field(item, "reply", str, path, where),
                                field(item, "channel", str, path, where, None), rating))
    return items


def pairs(path: Path = PAIRS_FILE) -> list[Pair]:
    raw = load_yaml(path)
    found = []
    for index, item in enumerate(field(raw, "pairs", list, path, "")):
        where = f"pairs[{index}]"
        kinds = field(item, "kind", list, path, where)
        found.append(Pair(field(item, "id", str, path, where), tuple(kinds),
                          field(item, "channel", str, path, where, None),
                          field(item, "rude", str, path, where), field(item, "polite", str, path, where)))
    return found


def tone_praise(report: Any) -> list[str]:
    """The strengths (and summary) that praise the reply's tone: ones quoting a tone evidence
    passage, or the tone dimension's own praise."""
    from coach.feedback import voice
    from coach.feedback.templates import load_templates

    dimension = load_templates().dimension_strengths.get("tone")
    quotes = {voice.short(e.text) for e in report.evidence if e.analyzer == "tone" and e.text.strip()}
    praised = []
    for text in [*report.strengths, report.summary]:
        if any(f"'{quote}'" in text for quote in quotes) or (
                dimension is not None and dimension.praise.split("{")[0].lower() in text.lower()):
            praised.append(text)
    return praised


def run() -> dict[str, Any]:
    from coach.analyzers.tone import WEIGHTS_FILE, tone_weights
    from coach.engine import analyze

    weights = tone_weights()
    results: dict[str, Any] = {"wikipedia-politeness-cv": {
        "measure": f"accuracy ({weights.folds}-fold cross-validated, top vs bottom quartile)",
        "value": weights.cv_accuracy, "n": weights.n, "path": str(WEIGHTS_FILE.relative_to(PROJECT_ROOT))}}

    rated = rated_replies()
    scores = [analyze(item.reply, channel=item.channel).scores["tone"] for item in rated]
    results["support-politeness"] = {"measure": "spearman", "value": spearman(scores, [i.rating for i in rated]),
                                     "n": len(rated), "path": str(RATINGS_FILE.relative_to(PROJECT_ROOT))}

    wins, praised, margins = 0, 0, []
    for pair in pairs():
        rude = analyze(pair.rude, channel=pair.channel)
        polite = analyze(pair.polite, channel=pair.channel)
        margin = polite.scores["tone"] - rude.scores["tone"]
        margins.append(margin)
        wins += margin >= MARGIN
        praised += bool(tone_praise(rude))
    count = len(margins)
    results["rude-polite-pairs"] = {
        "measure": f"share of pairs the polite version wins by >= {MARGIN:g} points",
        "value": round(wins / count, 3) if count else None, "n": count, "rude_praised": praised,
        "smallest_margin": round(min(margins), 1) if margins else None,
        "path": str(PAIRS_FILE.relative_to(PROJECT_ROOT))}
    return results
