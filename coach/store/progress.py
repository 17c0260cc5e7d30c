"""Progress computations (pandas) behind the Team progress and My progress pages.

Input is what coach.store.repository returns for one viewer (so role filtering has already
happened): attempt rows, with a `score_<dimension>` column per dimension, and finding rows.
Everything here is arithmetic over stored numbers; no text is analysed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from coach.analyzers import REGISTRY
from coach.rule_names import rule_name

OVERALL = "overall"
# How long "their first two weeks" is, the baseline a person's change is measured against.
BASELINE = timedelta(days=14)
EXAMPLES_PER_POINT = 3


@dataclass(frozen=True)
class Period:
    """[start, end) as dates; `previous` is the period of the same length just before it."""

    start: date
    end: date

    @classmethod
    def ending(cls, last_day: date, days: int) -> Period:
        return cls(last_day - timedelta(days=days - 1), last_day + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def previous(self) -> Period:
        return Period(self.start - timedelta(days=self.days), self.start)

    def bounds(self) -> tuple[datetime, datetime]:
        return (datetime.combine(self.start, datetime.min.time()), datetime.combine(self.end, datetime.min.time()))


def attempts_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Attempt rows as a DataFrame with a `week` column (the Monday of the week)."""
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=["attempt_id", "user_id", "name", "created_at", "source",
                                      "practice_session_id", OVERALL])
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    frame["week"] = (frame["created_at"] - pd.to_timedelta(frame["created_at"].dt.day_of_week, unit="D")).dt.normalize()
    for column in [c for c in frame.columns if c.startswith("score_")] + [OVERALL]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def findings_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=["attempt_id", "user_id", "name", "created_at", "rule", "analyzer",
                                      "severity", "count", "example", "message"])
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    return frame


def dimensions(frame: pd.DataFrame) -> list[str]:
    """The dimensions present, in the registry's order (any unknown ones after, by name)."""
    present = {c.removeprefix("score_") for c in frame.columns if c.startswith("score_")}
    return [d for d in REGISTRY if d in present] + sorted(present - set(REGISTRY))


def _score_columns(frame: pd.DataFrame) -> list[str]:
    return [OVERALL] + [f"score_{d}" for d in dimensions(frame)]


def within(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    start, end = period.bounds()
    return frame[(frame["created_at"] >= start) & (frame["created_at"] < end)]


def period_comparison(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Average overall and per-dimension score in `period` and in the period before it, and the change."""
    columns = _score_columns(frame)
    now = within(frame, period)[columns].mean()
    before = within(frame, period.previous)[columns].mean()
    table = pd.DataFrame({"this period": now, "previous period": before})
    table["change"] = table["this period"] - table["previous period"]
    table.index = [c.removeprefix("score_") for c in table.index]
    table.index.name = "dimension"
    return table


def person_table(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    """One row per person active in `period`: checks, practice sessions, average overall and per
    dimension, and the change of their overall since their first two weeks (from `frame`'s history up
    to the period's end)."""
    columns = _score_columns(frame)
    current = within(frame, period)
    if current.empty:
        return pd.DataFrame(columns=["user_id", "name", "checks", "practice sessions", *columns,
                                     "change since first two weeks"])
    grouped = current.groupby(["user_id", "name"])
    table = pd.DataFrame({
        "checks": grouped["source"].apply(lambda s: int((s == "check").sum())),
        "practice sessions": grouped["practice_session_id"].nunique(),
    })
    table = table.join(grouped[columns].mean())
    history = frame[frame["created_at"] < period.bounds()[1]]
    first_seen = history.groupby("user_id")["created_at"].transform("min")
    baseline = history[history["created_at"] < first_seen + BASELINE].groupby("user_id")[OVERALL].mean()
    table = table.reset_index()
    table["change since first two weeks"] = table[OVERALL] - table["user_id"].map(baseline)
    table.columns = [c.removeprefix("score_") for c in table.columns]
    return table.sort_values("name").reset_index(drop=True)


def weekly_trend(frame: pd.DataFrame) -> pd.DataFrame:
    """Long table (week, dimension, score, attempts): the average per week and dimension, overall included."""
    columns = _score_columns(frame)
    if frame.empty:
        return pd.DataFrame(columns=["week", "dimension", "score", "attempts"])
    weekly = frame.groupby("week")[columns].mean()
    counts = frame.groupby("week").size().rename("attempts")
    long = weekly.reset_index().melt(id_vars="week", var_name="dimension", value_name="score")
    long["dimension"] = long["dimension"].str.removeprefix("score_")
    return long.merge(counts.reset_index(), on="week").dropna(subset=["score"])


def skills_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """Long table (name, dimension, score): each person's average per dimension, for a heatmap."""
    dims = dimensions(frame)
    if frame.empty or not dims:
        return pd.DataFrame(columns=["name", "dimension", "score"])
    means = frame.groupby("name")[[f"score_{d}" for d in dims]].mean().reset_index()
    long = means.melt(id_vars="name", var_name="dimension", value_name="score")
    long["dimension"] = long["dimension"].str.removeprefix("score_")
    return long.dropna(subset=["score"])


def coaching_points(findings: pd.DataFrame, limit: int = 8) -> pd.DataFrame:
    """The most frequent finding rules: how often, in how many replies, for how many people, the rule's
    name as people read it (coach.rule_names: "Start by showing you understand") and up to three
    example quotes."""
    columns = ["rule", "analyzer", "point", "occurrences", "replies", "people", "examples"]
    if findings.empty:
        return pd.DataFrame(columns=columns)
    grouped = findings.groupby("rule")
    table = pd.DataFrame({
        "analyzer": grouped["analyzer"].first(),
        "occurrences": grouped["count"].sum(),
        "replies": grouped["attempt_id"].nunique(),
        "people": grouped["user_id"].nunique(),
    }).reset_index()
    def examples(rule: str) -> list[str]:
        quotes = findings.loc[findings["rule"] == rule].sort_values("created_at", ascending=False)["example"]
        return list(dict.fromkeys(q.strip() for q in quotes.dropna() if q.strip()))[:EXAMPLES_PER_POINT]

    table["point"] = table["rule"].map(rule_name)
    table["examples"] = table["rule"].map(examples)
    table = table.sort_values(["occurrences", "replies", "rule"], ascending=[False, False, True]).head(limit)
    return table[columns].reset_index(drop=True)


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The underlying rows for a CSV export: one per check or practice turn, scores as columns, ids as
    integers, `created_at` as ISO 8601 UTC."""
    columns = ["attempt_id", "name", "created_at", "source", "scenario_id", "practice_session_id", "turn",
               "outcome", *_score_columns(frame), "words", "coaching_points", "reply_text"]
    out = frame.copy()
    out["coaching_points"] = out.get("feedback", pd.Series(index=out.index, dtype=object)).map(
        lambda items: "; ".join(rule_name(i["rule"]) for i in items if i.get("rule"))
        if isinstance(items, list) else "")
    out = out.reindex(columns=columns)
    # integer ids stay integers in the CSV (a missing id is empty, not "3.0"); times are ISO 8601
    for column in ("attempt_id", "practice_session_id", "turn", "words"):
        out[column] = pd.to_numeric(out[column], errors="coerce").round().astype("Int64")
    out["created_at"] = pd.to_datetime(out["created_at"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    out.columns = [c.removeprefix("score_") for c in out.columns]
    return out
