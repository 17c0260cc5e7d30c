"""Page "Progress": Team progress for managers, My progress for everyone signed in.

Thin: rows come from coach.store.repository (which already limits them to what the viewer may
see), numbers from coach.store.progress, downloads from coach.store.export; this file only lays
them out and draws the Altair charts.
"""
from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from coach.errors import CoachError
from coach.practice import load_library
from coach.practice.path import team_practice
from coach.store import export, glossary, practice_progress, progress, repository
from coach.store.models import UserInfo, utcnow
from webapp.markdown import plain
from webapp.session import current_user, store

VIEW_KEY = "progress.view"
RANGE_KEY = "progress.range"
PERSON_KEY = "progress.person"
CSV_KEY = "progress.csv"
HTML_KEY = "progress.html"
TERMS_KEY = "progress.team_terms"
TEAM, MINE = "Team progress", "My progress"
DEFAULT_DAYS = 28
TRANSCRIPTS = 3


def _period() -> progress.Period:
    today = utcnow().date()
    chosen = st.date_input("Period", key=RANGE_KEY, value=(today - timedelta(days=DEFAULT_DAYS - 1), today),
                           max_value=today, help="Compared with the period of the same length just before it.")
    if isinstance(chosen, (tuple, list)) and len(chosen) == 2:
        start, end = chosen
    else:  # the second date is still being picked
        start = end = chosen[0] if isinstance(chosen, (tuple, list)) and chosen else today
    return progress.Period(start, end + timedelta(days=1))


def _load(viewer: UserInfo, period: progress.Period, user_id: int | None = None):
    """All visible history up to the end of the period (earlier weeks give baselines and trends)."""
    _, end = period.bounds()
    with store().read() as session:
        attempts = repository.attempt_rows(session, viewer, end=end, user_id=user_id)
        findings = repository.finding_rows(session, viewer, end=end, user_id=user_id)
    return progress.attempts_frame(attempts), progress.findings_frame(findings)


def _trend_chart(trend: pd.DataFrame, title: str) -> alt.Chart:
    return (alt.Chart(trend, title=title)
            .mark_line(point=True)
            .encode(x=alt.X("yearmonthdate(week):O", title="Week of", axis=alt.Axis(format="%d %b", labelAngle=0)),
                    y=alt.Y("score:Q", title="Average score", scale=alt.Scale(domain=[0, 100])),
                    color=alt.Color("dimension:N", title="Skill"),
                    strokeDash=alt.condition(alt.datum.dimension == progress.OVERALL, alt.value([1, 0]),
                                             alt.value([4, 2])),
                    tooltip=["week:T", "dimension:N", alt.Tooltip("score:Q", format=".0f"), "attempts:Q"]))


def _heatmap(matrix: pd.DataFrame) -> alt.Chart:
    base = alt.Chart(matrix, title="Skills by person (average score in the period)").encode(
        x=alt.X("dimension:N", title=None), y=alt.Y("name:N", title=None))
    cells = base.mark_rect().encode(color=alt.Color("score:Q", title="Score", scale=alt.Scale(
        scheme="redyellowgreen", domain=[40, 100])), tooltip=["name", "dimension", alt.Tooltip("score:Q", format=".0f")])
    # white numbers on the dark ends of the scale, black in the pale middle
    labels = base.mark_text(baseline="middle").encode(
        text=alt.Text("score:Q", format=".0f"),
        color=alt.condition((alt.datum.score < 55) | (alt.datum.score > 90), alt.value("white"), alt.value("black")))
    return cells + labels


def _period_metrics(comparison: pd.DataFrame) -> None:
    for column, (name, row) in zip(st.columns(len(comparison)), comparison.iterrows()):
        now, change = row["this period"], row["change"]
        column.metric(name, "–" if pd.isna(now) else f"{now:.0f}",
                      delta=None if pd.isna(change) else f"{change:+.1f}", border=True)


def _coaching_points(points: pd.DataFrame, title: str) -> None:
    st.subheader(title)
    if points.empty:
        st.caption("No coaching points in this period.")
        return
    for row in points.itertuples(index=False):
        with st.container(border=True):
            st.markdown(f"**{plain(row.point)}**")
            st.caption(f"`{row.rule}` · {row.occurrences} {'time' if row.occurrences == 1 else 'times'} in "
                       f"{row.replies} {'reply' if row.replies == 1 else 'replies'} · "
                       f"{row.people} {'person' if row.people == 1 else 'people'}")
            for quote in row.examples:
                st.text(f"“{quote}”")


def _transcripts(viewer: UserInfo, person: UserInfo) -> None:
    st.subheader("Recent practice")
    with store().read() as session:
        runs = repository.practice_transcripts(session, viewer, person.id, limit=TRANSCRIPTS)
    if not runs:
        st.caption("No practice yet.")
    for run in runs:
        debrief = run["debrief"] or {}
        score = debrief.get("average_overall")
        label = f"{run['scenario_id']} · {run['started_at']:%d %b %Y}" + (
            f" · average {score:.0f}" if score is not None else "")
        with st.expander(label):
            for turn in run["turns"]:
                if turn["customer"]:
                    st.markdown("**Customer**")
                    st.text(turn["customer"])
                overall = "n/a" if turn["overall"] is None else f"{turn['overall']:.0f}"
                st.markdown(f"**{plain(person.name)}** (turn {turn['turn']}: {plain(turn['outcome'] or 'n/a')}, "
                            f"overall {overall})")
                st.text(turn["reply"] or "")
            if debrief:
                st.markdown("**Debrief**")
                goals = debrief.get("goals", [])
                if goals:
                    st.dataframe(pd.DataFrame([{"goal": g.get("text"), "met": g.get("met")} for g in goals]),
                                 hide_index=True)
                for point in debrief.get("practice", []):
                    advice = f": {plain(point['advice'])}" if point.get("advice") else ""
                    st.markdown(f"- {plain(point.get('title'))}{advice}")
            else:
                st.caption("Not finished.")


def _person_view(viewer: UserInfo, person: UserInfo, period: progress.Period) -> None:
    attempts, findings = _load(viewer, period, person.id)
    current = progress.within(attempts, period)
    if attempts.empty:
        st.info(f"No history for {plain(person.name)} yet: checks made while signed in, and practice runs, "
                "show up here.")
        return
    _period_metrics(progress.period_comparison(attempts, period))
    checks = int((current["source"] == "check").sum())
    sessions = current["practice_session_id"].nunique()
    st.caption(f"{checks} checks and {sessions} practice sessions in the period.")
    st.altair_chart(_trend_chart(progress.weekly_trend(attempts), f"{person.name}: weekly average per skill"))
    _coaching_points(progress.coaching_points(progress.within(findings, period), current),
                     "Most frequent coaching points")
    _transcripts(viewer, person)


def _team_view(viewer: UserInfo, period: progress.Period) -> None:
    attempts, findings = _load(viewer, period)
    current = progress.within(attempts, period)
    if current.empty:
        st.info("No checks or practice from your team in this period. Pick a longer period, or ask your "
                "team to sign in when they check replies.")
        return
    comparison = progress.period_comparison(attempts, period)
    st.subheader("Team average per skill")
    _period_metrics(comparison)
    st.subheader("People")
    people = progress.person_table(attempts, period)
    scores = {column: st.column_config.NumberColumn(format="%.0f") for column in people.columns
              if column == progress.OVERALL or column in progress.dimensions(attempts)}
    st.dataframe(people.drop(columns=["user_id"]), hide_index=True,
                 column_config={**scores, "change since first two weeks": st.column_config.NumberColumn(format="%+.1f")})
    _team_practice(viewer)
    st.altair_chart(_trend_chart(progress.weekly_trend(current), "Team: weekly average per skill"))
    st.altair_chart(_heatmap(progress.skills_matrix(current)))
    points = progress.coaching_points(progress.within(findings, period), current)
    _coaching_points(points, "Most frequent coaching points across the team")

    st.subheader("Export")
    with store().read() as session:
        team_words = glossary.team_words_frame(session, viewer)
    left, right, terms = st.columns(3)
    left.download_button("Rows (CSV)", key=CSV_KEY, data=export.csv_bytes(progress.export_frame(current)),
                         file_name=f"team-progress-{period.start}.csv", mime="text/csv", on_click="ignore",
                         icon=":material/download:")
    report = export.html_report(f"Team progress: {', '.join(viewer.team_names)}", period, comparison, people,
                                points, utcnow(), team_words)
    right.download_button("Report (HTML)", key=HTML_KEY, data=report, file_name=f"team-progress-{period.start}.html",
                          mime="text/html", on_click="ignore", icon=":material/description:")
    terms.download_button("Team terms (CSV)", key=TERMS_KEY, data=export.csv_bytes(team_words),
                          file_name="team-terms.csv", mime="text/csv", on_click="ignore", icon=":material/menu_book:")

    st.subheader("One person")
    choices = {p.id: p for p in _people(viewer) if p.id != viewer.id}
    chosen = st.selectbox("Person", options=list(choices), key=PERSON_KEY, format_func=lambda i: choices[i].name,
                          index=None, placeholder="Choose someone to see their trend, findings and practice")
    if chosen is not None:
        _person_view(viewer, choices[chosen], period)


def _team_practice(viewer: UserInfo) -> None:
    """Practice progress per person, all time: first attempt against best, weakest skill, next scenario."""
    with store().read() as session:
        rows = practice_progress.finished_practice(session, viewer)
    table = team_practice(rows, load_library().scenarios)
    st.subheader("Practice: first attempt → best attempt")
    if not table:
        st.caption("Nobody in the team has finished a practice scenario yet.")
        return
    st.dataframe([{k: v for k, v in row.items() if k != "user_id"} for row in table], hide_index=True,
                 column_config={"first": st.column_config.NumberColumn("first (avg overall)", format="%.0f"),
                                "best": st.column_config.NumberColumn("best (avg overall)", format="%.0f")})


def _people(viewer: UserInfo) -> list[UserInfo]:
    with store().read() as session:
        return repository.people(session, viewer)


def main() -> None:
    st.title("Progress")
    try:
        viewer = current_user()
    except CoachError as error:
        st.error(str(error), icon=":material/database:")
        st.stop()
    if viewer is None:
        st.info("Sign in to see your progress (and, as a manager, your team's).", icon=":material/lock:")
        st.page_link("webapp/pages/account.py", label="Sign in", icon=":material/login:")
        return
    view = MINE
    if viewer.is_manager:
        view = st.segmented_control("View", [TEAM, MINE], key=VIEW_KEY, default=TEAM) or TEAM
    period = _period()
    if view == TEAM:
        _team_view(viewer, period)
    else:
        _person_view(viewer, viewer, period)


main()
