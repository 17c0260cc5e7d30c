"""Coach vs reviewers: how far the coach's scores agree with the team's QA reviewers (pandas).

Input is coach.store.calibration.review_rows() for one viewer. Per dimension: how many replies
both scored, the rank correlation (Spearman: reviewers' 1-5 habits and the coach's 0-100 scale
need not line up, only their order), the mean difference (coach minus reviewer: positive = the
coach is more generous) and the mean absolute gap. Pass/fail: the coach "passes" a reply whose
overall score is at least PASS_MARK, the usual QA pass line on a 0-100 scorecard.
"""
from __future__ import annotations

import pandas as pd

from coach.calibration_csv import DIMENSIONS, ReviewerRow

PASS_MARK = 70.0
# Below this many replies scored by both, a correlation says nothing; it is left out.
MIN_FOR_CORRELATION = 5
ALL = "all skills"


def reviews_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=["review_id", "replied_at", "reviewer", "agent", "passed", "coach_overall"])
    for dimension in DIMENSIONS:
        for who in ("coach", "reviewer"):
            column = f"{who}_{dimension}"
            frame[column] = pd.to_numeric(frame[column], errors="coerce") if column in frame else float("nan")
    frame["replied_at"] = pd.to_datetime(frame["replied_at"])
    frame["week"] = (frame["replied_at"] - pd.to_timedelta(frame["replied_at"].dt.day_of_week, unit="D")).dt.normalize()
    return frame


def file_frame(rows: list[ReviewerRow], reports: list[dict]) -> pd.DataFrame:
    """reviews_frame() of a reviewer-scores CSV (coach.calibration_csv) and the coach's report.to_dict()
    of each of its replies: `coach calibrate import` and `coach eval --qa` measure a file with it."""
    records = []
    for index, (row, report) in enumerate(zip(rows, reports, strict=True)):
        scores = report.get("scores") or {}
        records.append({"review_id": index, "replied_at": row.date, "passed": row.passed,
                        "coach_overall": report.get("overall"),
                        **{f"coach_{d}": scores.get(d) for d in row.scores},
                        **{f"reviewer_{d}": value for d, value in row.scores.items()}})
    return reviews_frame(records)


def _pairs(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    return frame[[f"coach_{dimension}", f"reviewer_{dimension}"]].dropna()


def per_dimension(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per dimension: replies (scored by both), correlation, mean difference, mean gap."""
    rows = []
    for dimension in DIMENSIONS:
        pairs = _pairs(frame, dimension)
        coach, reviewer = pairs.iloc[:, 0], pairs.iloc[:, 1]
        correlation = None
        if len(pairs) >= MIN_FOR_CORRELATION and coach.nunique() > 1 and reviewer.nunique() > 1:
            correlation = float(coach.rank().corr(reviewer.rank()))
        rows.append({"dimension": dimension, "replies": len(pairs), "correlation": correlation,
                     "mean difference": float((coach - reviewer).mean()) if len(pairs) else None,
                     "mean gap": float((coach - reviewer).abs().mean()) if len(pairs) else None})
    return pd.DataFrame(rows)


def pass_fail(frame: pd.DataFrame) -> dict[str, float | int | None]:
    """How often the coach's pass (overall >= PASS_MARK) matches the reviewer's verdict."""
    both = frame.dropna(subset=["passed", "coach_overall"])
    if both.empty:
        return {"replies": 0, "agreement": None, "reviewer pass rate": None, "coach pass rate": None}
    coach_pass = both["coach_overall"].astype(float) >= PASS_MARK
    reviewer_pass = both["passed"].astype(bool)
    return {"replies": len(both), "agreement": float((coach_pass == reviewer_pass).mean()),
            "reviewer pass rate": float(reviewer_pass.mean()), "coach pass rate": float(coach_pass.mean())}


def disagreements(frame: pd.DataFrame, limit: int = 5) -> pd.DataFrame:
    """The reviews where coach and reviewer differ most (mean absolute gap over the dimensions both
    scored), with the dimension of the largest gap."""
    columns = ["review_id", "replied_at", "agent", "reviewer", "gap", "widest", "coach", "reviewer score",
               "passed", "coach_overall", "reply_text", "note"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    gaps = pd.DataFrame({d: (frame[f"coach_{d}"] - frame[f"reviewer_{d}"]) for d in DIMENSIONS}, index=frame.index)
    absolute = gaps.abs()
    scored = absolute.notna().any(axis=1)
    if not scored.any():
        return pd.DataFrame(columns=columns)
    out = frame.loc[scored].copy()
    out["gap"] = absolute.loc[scored].mean(axis=1)
    out["widest"] = absolute.loc[scored].idxmax(axis=1)
    out["coach"] = [out.at[i, f"coach_{d}"] for i, d in out["widest"].items()]
    out["reviewer score"] = [out.at[i, f"reviewer_{d}"] for i, d in out["widest"].items()]
    out = out.sort_values(["gap", "review_id"], ascending=[False, True]).head(limit)
    return out.reindex(columns=columns).reset_index(drop=True)


def weekly_gap(frame: pd.DataFrame) -> pd.DataFrame:
    """Long table (week, dimension, gap, replies): the mean absolute gap per week and dimension, and
    over all dimensions (ALL): the trend of agreement (lower is closer)."""
    if frame.empty:
        return pd.DataFrame(columns=["week", "dimension", "gap", "replies"])
    parts = []
    for dimension in DIMENSIONS:
        gap = (frame[f"coach_{dimension}"] - frame[f"reviewer_{dimension}"]).abs()
        parts.append(pd.DataFrame({"week": frame["week"], "dimension": dimension, "gap": gap}).dropna())
    long = pd.concat(parts, ignore_index=True)
    if long.empty:
        return pd.DataFrame(columns=["week", "dimension", "gap", "replies"])
    per_dim = long.groupby(["week", "dimension"], as_index=False).agg(gap=("gap", "mean"), replies=("gap", "size"))
    overall = long.groupby("week", as_index=False).agg(gap=("gap", "mean"), replies=("gap", "size"))
    overall["dimension"] = ALL
    return pd.concat([per_dim, overall[["week", "dimension", "gap", "replies"]]], ignore_index=True)


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The reviews for a CSV export: one row per review, integer ids, ISO 8601 times, the coach's and
    the reviewer's score per dimension side by side, and the verdicts as pass / fail."""
    columns = ["review_id", "replied_at", "reviewed_at", "agent", "reviewer", "source", "passed",
               "coach_overall", *[f"{who}_{d}" for d in DIMENSIONS for who in ("coach", "reviewer")], "note"]
    out = frame.reindex(columns=columns).copy()
    out["review_id"] = pd.to_numeric(out["review_id"], errors="coerce").round().astype("Int64")
    for column in ("replied_at", "reviewed_at"):
        out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    out["passed"] = out["passed"].map(lambda v: "" if v is None or pd.isna(v) else "pass" if v else "fail")
    return out.rename(columns={"passed": "reviewer_verdict"})
