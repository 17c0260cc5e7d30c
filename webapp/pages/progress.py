"""Page "Progress": Team progress, Flags and rules, Coach vs reviewers for managers; My progress
for everyone signed in.

Thin: rows come from coach.store.repository (which already limits them to what the viewer may
see), numbers from coach.store.progress, downloads from coach.store.export; this file only lays
them out and draws the Altair charts (webapp.charts). The rule view and the calibration view are
webapp.rules_view and webapp.calibration_view.
"""
from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from coach.errors import CoachError
from coach.practice import load_library
from coach.practice.path import team_practice
from coach.rule_names import dimension_name
from coach.store import export, glossary, practice_progress, progress, repository
from coach.store.models import UserInfo, utcnow
from webapp.calibration_view import calibration_view
from webapp.charts import trend_chart
from webapp.rules_view import rules_view
from webapp.markdown import plain
from webapp.session import current_user, store

VIEW_KEY = "progress.view"
RANGE_KEY = "progress.range"
PERSON_KEY = "progress.person"
CSV_KEY = "progress.csv"
HTML_KEY = "progress.html"
TERMS_KEY = "progress.team_terms"
TEAM, RULES, CALIBRATION, MINE = "Team progress", "Flags and rules", "Coach vs reviewers", "My progress"
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


def _trend_chart(trend: pd.DataFrame, title: str):
    return trend_chart(trend, title, "score", "Average score", (0, 100), extra_tooltip=("attempts:Q",))


def _heatmap(matrix: pd.DataFrame) -> alt.Chart:
    matrix = matrix.assign(dimension=matrix["dimension"].map(dimension_name))
    base = alt.Chart(matrix, title="Skills by person (average score in the period)").encode(
        x=alt.X("dimension:N", title=None, axis=alt.Axis(labelAngle=0, orient="top")), y=alt.Y("name:N", title=None))
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
        column.metric(dimension_name(name), "–" if pd.isna(now) else f"{now:.0f}",
                      delta=None if pd.isna(change) else f"{change:+.1f}", border=True)


def _coaching_points(points: pd.DataFrame, title: str, team: bool = True) -> None:
    st.subheader(title)
    if points.empty:
        st.caption("No coaching points in this period.")
        return
    for row in points.itertuples(index=False):
        with st.container(border=True):
            st.markdown(f"**{plain(row.point)}**")
            people = f" · {row.people} {'person' if row.people == 1 else 'people'}" if team else ""
            st.caption(f"{dimension_name(row.analyzer)} · {row.occurrences} "
                       f"{'time' if row.occurrences == 1 else 'times'} in {row.replies} "
                       f"{'reply' if row.replies == 1 else 'replies'}{people}")
            for quote in row.examples:
                st.text(f"“{quote}”")


@st.cache_data(show_spinner=False)
def _scenario_titles() -> dict[str, str]:
    from coach.practice import load_library

    return {scenario_id: scenario.title for scenario_id, scenario in load_library().scenarios.items()}


def _scenario_title(scenario_id: str) -> str:
    return _scenario_titles().get(scenario_id, scenario_id.replace("-", " ").capitalize())


def _transcripts(viewer: UserInfo, person: UserInfo) -> None:
    st.subheader("Recent practice")
    with store().read() as session:
        runs = repository.practice_transcripts(session, viewer, person.id, limit=TRANSCRIPTS)
    if not runs:
        st.caption("No practice yet.")
    for run in runs:
        debrief = run["debrief"] or {}
        score = debrief.get("average_overall")
        label = f"{_scenario_title(run['scenario_id'])} · {run['started_at']:%d %b %Y}" + (
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
                    st.dataframe(pd.DataFrame([{"Goal": g.get("text"), "Met": g.get("met")} for g in goals]),
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
    st.caption(f"{checks} {'check' if checks == 1 else 'checks'} and {sessions} practice "
               f"{'session' if sessions == 1 else 'sessions'} in the period.")
    if not current.empty:
        st.altair_chart(_trend_chart(progress.weekly_trend(current), f"{person.name}: weekly average per skill"))
    _coaching_points(progress.coaching_points(progress.within(findings, period)),
                     "Most frequent coaching points", team=False)
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
    shown = people.drop(columns=["user_id"])
    st.dataframe(shown.rename(columns=_column_titles(shown)), hide_index=True,
                 column_config={**{_column_titles(shown)[c]: f for c, f in scores.items()},
                                "Change since first two weeks": st.column_config.NumberColumn(format="%+.1f")})
    _team_practice(viewer)
    st.altair_chart(_trend_chart(progress.weekly_trend(current), "Team: weekly average per skill"))
    st.altair_chart(_heatmap(progress.skills_matrix(current)))
    points = progress.coaching_points(progress.within(findings, period))
    _coaching_points(points, "Most frequent coaching points across the team")

    st.subheader("Export")
    with store().read() as session:
        team_words = glossary.team_words_frame(session, viewer)
    left, right, terms = st.columns(3)
    left.download_button("Rows (CSV)", key=CSV_KEY, data=export.csv_bytes(progress.export_frame(current)),
                         file_name=f"team-progress-{period.start}.csv", mime="text/csv", on_click="ignore",
                         icon=":material/download:")
    report = export.html_report(f"Team progress: {', '.join(viewer.team_names)}", period, comparison, people,
                                points, utcnow(), trend=progress.weekly_trend(current), team_words=team_words)
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
    # first letter capitalised only: the skill columns are already labels ("Tone")
    st.dataframe([{k[:1].upper() + k[1:]: v for k, v in row.items() if k != "user_id"} for row in table],
                 hide_index=True,
                 column_config={"First": st.column_config.NumberColumn("First (avg overall)", format="%.0f"),
                                "Best": st.column_config.NumberColumn("Best (avg overall)", format="%.0f")})


def _column_titles(frame: pd.DataFrame) -> dict[str, str]:
    """'overall' -> 'Overall', 'practice sessions' -> 'Practice sessions': one capitalisation everywhere."""
    return {c: dimension_name(c) for c in frame.columns}


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
    views = [TEAM, RULES, CALIBRATION, MINE] if viewer.is_manager else \
        [MINE, CALIBRATION] if viewer.can_review else [MINE]
    view = views[0]
    if len(views) > 1:
        view = st.segmented_control("View", views, key=VIEW_KEY, default=views[0]) or views[0]
    period = _period()
    if view == TEAM:
        _team_view(viewer, period)
    elif view == RULES:
        rules_view(viewer, period)
    elif view == CALIBRATION:
        calibration_view(viewer, period)
    else:
        _person_view(viewer, viewer, period)


main()
