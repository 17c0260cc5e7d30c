"""The manager's "Coach vs reviewers" view (on the Progress page): how far the coach's scores agree
with the team's QA reviewers, per dimension, on pass/fail, where they disagree most, and over time.
Thin: rows from coach.store.calibration, numbers from coach.store.agreement."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from coach.rule_names import dimension_name
from coach.store import agreement, calibration, export, progress
from coach.store.models import UserInfo
from webapp.charts import trend_chart
from webapp.markdown import plain
from webapp.session import store

GAP_TITLE = "Gap between the coach and reviewers per week (lower is closer)"
DISAGREEMENTS = 5
CSV_KEY = "calibration.csv"


def _summary(frame: pd.DataFrame) -> None:
    verdicts = agreement.pass_fail(frame)
    table = agreement.per_dimension(frame)
    scored = table[table["replies"] > 0]
    columns = st.columns(3)
    columns[0].metric("Reviewed replies", len(frame), border=True)
    columns[1].metric("Pass/fail agreement", "–" if verdicts["agreement"] is None else f"{verdicts['agreement']:.0%}",
                      help=f"The coach passes a reply whose overall score is at least {agreement.PASS_MARK:.0f}.",
                      border=True)
    mean_gap = (scored["mean gap"] * scored["replies"]).sum() / scored["replies"].sum() if not scored.empty else None
    columns[2].metric("Average gap", "–" if mean_gap is None else f"{mean_gap:.0f} points", border=True,
                      help="The mean absolute difference between the coach's and the reviewer's score, 0-100.")
    st.subheader("Agreement per skill")
    shown = pd.DataFrame({
        "Skill": table["dimension"].map(dimension_name), "Replies": table["replies"],
        "Correlation": table["correlation"].map(lambda v: "–" if v is None or pd.isna(v) else f"{v:+.2f}"),
        "Coach minus reviewer": table["mean difference"],
        "Average gap": table["mean gap"]})
    st.dataframe(shown, hide_index=True, column_config={
        "Correlation": st.column_config.TextColumn(help=(
            "Rank correlation (Spearman) of the two scores: 1 = same order, 0 = unrelated. Shown from "
            f"{agreement.MIN_FOR_CORRELATION} replies, when both vary.")),
        "Coach minus reviewer": st.column_config.NumberColumn(format="%+.1f", help=(
            "Positive: the coach is more generous than the reviewers on this skill.")),
        "Average gap": st.column_config.NumberColumn(format="%.1f")})


def _disagreements(frame: pd.DataFrame) -> None:
    st.subheader("Where the coach and reviewers disagree most")
    worst = agreement.disagreements(frame, limit=DISAGREEMENTS)
    if worst.empty:
        st.caption("No reply scored by both yet.")
        return
    for row in worst.to_dict("records"):
        with st.container(border=True):
            who = f" by {plain(row['agent'])}" if isinstance(row["agent"], str) else ""
            st.markdown(f"**{dimension_name(row['widest'])}: coach {row['coach']:.0f}, "
                        f"{plain(row['reviewer'])} {row['reviewer score']:.0f}**")
            verdict = "no verdict" if pd.isna(row["passed"]) else "pass" if row["passed"] else "fail"
            st.caption(f"Reply{who}, {row['replied_at']:%d %b %Y} · average gap {row['gap']:.0f} points · "
                       f"reviewer: {verdict}")
            st.text(row["reply_text"] if isinstance(row["reply_text"], str) else "(text not kept)")
            if isinstance(row["note"], str) and row["note"]:
                st.text(f"Reviewer's note: {row['note']}")


def calibration_view(viewer: UserInfo, period: progress.Period) -> None:
    start, end = period.bounds()
    with store().read() as session:
        rows = calibration.review_rows(session, viewer, start=start, end=end)
    st.caption("Your QA reviewers' scores of replies next to the coach's scores of the same replies. Score "
               "replies on the QA review page, or import a CSV with `coach calibrate import`.")
    st.page_link("webapp/pages/review.py", label="Score replies", icon=":material/rate_review:")
    if not rows:
        st.info("No reviewed replies in this period.")
        return
    frame = agreement.reviews_frame(rows)
    _summary(frame)
    gap = agreement.weekly_gap(frame)
    if not gap.empty:
        # the scale fits the gaps (at least 0-20), so small differences between skills stay visible
        top = max(20, math.ceil(gap["gap"].max() / 10) * 10)
        st.altair_chart(trend_chart(gap, GAP_TITLE, "gap", "Average gap (points)", (0, top),
                                    extra_tooltip=("replies:Q",)))
    _disagreements(frame)
    st.download_button("Reviews (CSV)", key=CSV_KEY, data=export.csv_bytes(agreement.export_frame(frame)),
                       file_name=f"qa-reviews-{period.start}.csv", mime="text/csv", on_click="ignore",
                       icon=":material/download:")
