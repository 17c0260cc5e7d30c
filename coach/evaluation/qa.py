"""A team's own QA reviews as a labelled set: `coach eval --qa FILE.csv`.

The file is the reviewer-scores CSV of `coach calibrate import` (coach.calibration_csv). Each reply
is analysed as that command analyses it (its customer message and channel when given), and the
coach's scores are compared with the reviewers' the way the app's "Coach vs reviewers" view does
(coach.store.agreement): per dimension, Spearman's rank correlation (left out below
agreement.MIN_FOR_CORRELATION replies), the mean difference (coach minus reviewer, on 0-100) and
how many replies both scored; and how often the coach's pass (overall at least
agreement.PASS_MARK) matches the reviewer's pass/fail.

    from coach.evaluation.qa import qa_runner
    run_eval(extra={"qa": qa_runner(Path("reviews.csv"))})
"""
from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coach import calibration_csv
from coach.store import agreement

SET_PREFIX = "qa"


def _rounded(value: float | None, digits: int) -> float | None:
    """`value` rounded; None for a missing one (None or NaN, as pandas gives it), so the JSON stays valid."""
    return None if value is None or math.isnan(value) else round(float(value), digits)


def agreement_entries(rows: list[calibration_csv.ReviewerRow], reports: list[dict[str, Any]],
                      path: str) -> dict[str, dict[str, Any]]:
    """The result entries of reviewed `rows` and the coach's report.to_dict() of each reply:
    "qa-<dimension>" for each dimension the file scores, and "qa-pass-fail" when it has verdicts."""
    frame = agreement.file_frame(rows, reports)
    scored = {dimension for row in rows for dimension in row.scores}
    entries: dict[str, dict[str, Any]] = {}
    for line in agreement.per_dimension(frame).to_dict("records"):
        if line["dimension"] not in scored:
            continue
        entries[f"{SET_PREFIX}-{line['dimension']}"] = {
            "measure": "spearman", "value": _rounded(line["correlation"], 3), "n": int(line["replies"]),
            "mean_difference": _rounded(line["mean difference"], 1), "path": path}
    verdicts = agreement.pass_fail(frame)
    if verdicts["replies"]:
        entries[f"{SET_PREFIX}-pass-fail"] = {
            "measure": f"pass/fail accuracy (coach passes at overall >= {agreement.PASS_MARK:.0f})",
            "value": _rounded(verdicts["agreement"], 3), "n": int(verdicts["replies"]),
            "reviewer_pass_rate": _rounded(verdicts["reviewer pass rate"], 3),
            "coach_pass_rate": _rounded(verdicts["coach pass rate"], 3), "path": path}
    return entries


def qa_runner(path: Path) -> Callable[[], dict[str, dict[str, Any]]]:
    """A runner for coach.evaluation.run_eval(extra=...). The file is read and checked at once, so a
    bad file is reported (InputError naming the line and column) before anything is analysed."""
    rows = calibration_csv.read(path)

    def run() -> dict[str, dict[str, Any]]:
        from coach.engine import analyze

        reports = [analyze(row.reply, customer_message=row.customer_message, channel=row.channel).to_dict()
                   for row in rows]
        return agreement_entries(rows, reports, str(path))

    return run
