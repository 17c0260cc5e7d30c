"""Page "Practice": role-play a difficult customer, turn by turn, then read the debrief.

The trainee picks a scenario and reads its brief (situation, facts they may give, what they may
offer, what not to do, the goals), shown beside the chat from before the first reply; then writes
replies; the simulated customer (coach.practice) answers from what each reply said. Live coaching
(optional) shows the mentor's feedback after each reply. The debrief compares the attempt with
earlier ones at the same scenario, and "Your path" shows first-to-best progress and the next
scenario for the weakest skill: from the signed-in user's stored runs, or else this browser
session's. Each turn and the debrief are recorded for a signed-in user.
"""
from __future__ import annotations

import re
from typing import Any

import streamlit as st

from sqlalchemy.exc import SQLAlchemyError

from coach.errors import CoachError
from coach.practice import PracticeSession, Scenario, TurnResult, load_library, path
from coach.practice.debrief import Debrief, GoalSummary
from coach.store import practice_progress
from webapp.dismiss import dismiss_findings
from webapp.resources import load_coach
from webapp.session import (current_user, previous_practice, record_practice_debrief, record_practice_turn,
                            store)

SCENARIO_KEY = "practice.scenario"
REPLY_KEY = "practice.reply"
COACHING_KEY = "practice.coaching"
RESTART_KEY = "practice.restart"
# {"scenario": id, "session": PracticeSession, "debrief": Debrief | None}; the debrief is made once,
# when the run ends, so it compares with the attempts before it and not with itself.
RUN_KEY = "practice.run"
PLAY_NEXT_KEY = "practice.play_next"
# Finished attempts of this browser session: {scenario id: [Debrief.summary(), ...]}, oldest first;
# used when nobody is signed in (nothing is stored then).
HISTORY_KEY = "practice.history"

CUSTOMER_AVATAR = ":material/person:"
AGENT_AVATAR = ":material/support_agent:"
OUTCOME_LABELS = {
    "unsafe": ":red[Unsafe: a security problem]",
    "jargon": ":orange[Confusing: unexplained jargon]",
    "cold": ":orange[Cold: the customer felt unheard]",
    "vague": ":orange[Vague: a goal was missed]",
    "good": ":green[Good]",
    "resolved": ":green[Resolved]",
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~])")


def _plain(text: str) -> str:
    """Show text as written: Markdown characters escaped, line breaks kept."""
    return "  \n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in text.splitlines())


def _label(scenario: Scenario) -> str:
    return f"{'★' * scenario.difficulty}{'☆' * (3 - scenario.difficulty)}  {scenario.title} ({scenario.channel})"


def _new_run(scenario: Scenario) -> dict[str, Any]:
    run = {"scenario": scenario.id, "session": PracticeSession(scenario), "debrief": None}
    st.session_state[RUN_KEY] = run
    return run


def _current_run(scenario: Scenario) -> dict[str, Any]:
    run = st.session_state.get(RUN_KEY)
    if run is None or run["scenario"] != scenario.id:
        run = _new_run(scenario)
    return run


def _show_persona(scenario: Scenario) -> None:
    persona = scenario.persona
    role = f" · {_plain(persona.role)}" if persona.role else ""
    st.caption(f"**{_plain(persona.name)}**{role} · technical level: {persona.technical_level} · mood: "
               f"{persona.mood} · cares about: {_plain(persona.cares_about)}")


def _show_brief(scenario: Scenario) -> None:
    """The brief and the goals, beside the chat for the whole run."""
    brief = scenario.brief
    with st.container(border=True, key="practice-brief"):
        st.markdown("**Your brief**")
        st.markdown(_plain(brief.situation))
        for heading, items in (("Facts you may give", brief.facts), ("You may offer", brief.offers),
                               ("Do not", brief.must_not)):
            st.markdown(f"**{heading}**  \n" + "  \n".join(f"• {_plain(item)}" for item in items))
        st.markdown("**Goals**  \n" + "  \n".join(f"• {_plain(goal.text)}" for goal in scenario.goals))


def _show_turn(turn: TurnResult, coaching: bool) -> None:
    with st.chat_message("customer", avatar=CUSTOMER_AVATAR):
        st.markdown(_plain(turn.customer))
    with st.chat_message("agent", avatar=AGENT_AVATAR):
        st.markdown(_plain(turn.reply))
        if coaching:
            overall = "n/a" if turn.report.overall is None else f"{turn.report.overall:.0f}/100"
            st.caption(f"{OUTCOME_LABELS[turn.outcome]} · overall {overall}")
            for goal in turn.goals:
                icon = ":material/check_circle:" if goal.met else ":material/cancel:"
                st.caption(f"{icon} {_plain(goal.goal.text)}")
            for suggestion in turn.coaching:
                st.info(f"**{_plain(suggestion.title)}**  \n{_plain(suggestion.detail)}",
                        icon=":material/school:")
            dismiss_findings(turn.report, "practice", st.session_state.get(SCENARIO_KEY), turn.number)


def _show_goal(summary: GoalSummary) -> None:
    icon = {True: ":material/check_circle:", False: ":material/cancel:", None: ":material/remove:"}[summary.met]
    st.markdown(f"{icon} **{_plain(summary.goal.text)}**")
    lines = []
    for result in summary.results:
        quotes = ", ".join(f'"{_plain(text)}"' for text in result.shown_quotes())
        if quotes:
            lines.append(f"turn {result.turn}: {quotes}")
        if not result.met:
            lines += [f"turn {result.turn}: {_plain(note)}" for note in result.notes]
    if summary.met is None:
        lines.append("not reached in this run")
    if not summary.met and summary.goal.tip:
        lines.append(f"tip: {_plain(summary.goal.tip)}")
    for line in lines:
        st.caption(line)


def _show_debrief(debrief: Debrief, scenario: Scenario) -> None:
    st.divider()
    st.subheader("Debrief")
    comparison = debrief.comparison
    columns = st.columns(3)
    average = debrief.average_overall
    change = comparison["change_from_last"] if comparison else None
    columns[0].metric("Average overall", "n/a" if average is None else f"{average:.0f}",
                      delta=None if change is None else round(change), border=True)
    columns[1].metric("Goals met", f"{debrief.goals_met} of {len(debrief.goals)}", border=True)
    columns[2].metric("Attempt", str(comparison["attempts_before"] + 1 if comparison else 1), border=True)
    if comparison:
        st.markdown(debrief.comparison_text())
    st.markdown("**Turn by turn**")
    st.table([{"turn": t.number, "outcome": t.outcome,
               "overall": None if t.report.overall is None else round(t.report.overall),
               **{name: None if score is None else round(score) for name, score in t.report.scores.items()}}
              for t in debrief.turns])
    st.markdown("**Goals**")
    for summary in debrief.goals:
        _show_goal(summary)
    if debrief.practice:
        st.markdown("**Practise next**")
        for index, point in enumerate(debrief.practice, 1):
            example = f' (turn {point.example_turn}: "{_plain(point.example)}")' if point.example else ""
            advice = f"  \n{_plain(point.advice)}" if point.advice else ""
            st.markdown(f"{index}. {_plain(point.title)}{example}{advice}")
    with st.expander("One way to answer each turn"):
        for number, turn in enumerate(scenario.turns, 1):
            st.markdown(f"**Turn {number}**  \n{_plain(turn.model)}")


def _attempts() -> list[dict[str, Any]]:
    """Finished runs for the path: the signed-in user's stored ones, else this browser session's."""
    user = current_user()
    if user is not None:
        try:
            with store().read() as session:
                return practice_progress.finished_practice(session, user, user.id)
        except SQLAlchemyError:
            return []
    return [{"scenario_id": scenario_id, "debrief": summary}
            for scenario_id, runs in st.session_state.get(HISTORY_KEY, {}).items() for summary in runs]


def _whole(score: float | None) -> int | None:
    return None if score is None else round(score)


def _choose(scenario_id: str) -> None:
    st.session_state[SCENARIO_KEY] = scenario_id


def _show_path(scenarios: dict[str, Scenario]) -> None:
    """First-to-best per scenario and per skill, and the next scenario for the weakest skill."""
    attempts = _attempts()
    st.divider()
    st.subheader("Your path")
    advice = path.recommend(scenarios, attempts)
    if advice is not None:
        st.markdown(f"**Next:** {_plain(advice.title)}  \n{_plain(advice.reason)}")
        st.button("Play it", key=PLAY_NEXT_KEY, icon=":material/play_arrow:", on_click=_choose,
                  args=(advice.scenario_id,))
    if not attempts:
        st.caption("Finish a scenario to see your first and best scores here.")
        return
    skills, runs = path.skill_progress(attempts), path.scenario_progress(attempts)
    st.markdown("**Skills, first attempt → best attempt** (average over the scenarios played)")
    st.table([{"skill": path.skill_label(s.key), "first": _whole(s.first), "best": _whole(s.best),
               "gain": _whole(s.gain)} for s in skills])
    st.markdown("**Scenarios, first attempt → best attempt**")
    st.table([{"scenario": scenarios[r.key].title if r.key in scenarios else r.key, "attempts": r.attempts,
               "first": _whole(r.first), "best": _whole(r.best), "gain": _whole(r.gain)} for r in runs])


def _finish(run: dict[str, Any]) -> None:
    """Make the debrief once, comparing with earlier attempts, then remember this attempt."""
    scenario_id = run["scenario"]
    attempts = st.session_state.setdefault(HISTORY_KEY, {}).setdefault(scenario_id, [])
    run["debrief"] = run["session"].debrief(previous=previous_practice(scenario_id) or attempts)
    record_practice_debrief(scenario_id, run["debrief"])
    attempts.append(run["debrief"].summary())


def main() -> None:
    st.title("Practice")
    try:
        load_coach()
    except CoachError as error:
        st.error(str(error))
        st.stop()
    library = load_library()
    if library.broken:
        with st.expander(f"{len(library.broken)} scenario file(s) could not be loaded", icon=":material/warning:"):
            for line in library.problems():
                st.text(line)
    if not library.scenarios:
        st.info("No practice scenarios are available yet.")
        return
    scenario_id = st.selectbox("Scenario", options=list(library.scenarios), key=SCENARIO_KEY,
                               format_func=lambda i: _label(library.scenarios[i]))
    scenario = library.scenarios[scenario_id]
    _show_persona(scenario)
    left, right = st.columns([1, 1])
    coaching = left.toggle("Live coaching after each reply", key=COACHING_KEY)
    run = _current_run(scenario)
    if right.button("Start again", key=RESTART_KEY, icon=":material/restart_alt:"):
        run = _new_run(scenario)

    session: PracticeSession = run["session"]
    reply = None if session.finished else st.chat_input(f"Your reply to {scenario.persona.first_name}…",
                                                       key=REPLY_KEY)
    if reply is not None:
        try:
            with st.spinner(f"{scenario.persona.first_name} is reading your reply…"):
                turn = session.reply(reply)
        except CoachError as error:
            st.warning(str(error), icon=":material/edit_note:")
        else:
            record_practice_turn(scenario.id, turn)
        if session.finished:
            _finish(run)
            st.rerun()  # the reply box was drawn before this reply ended the run; draw the page without it

    chat, side = st.columns([3, 2])
    with side:
        _show_brief(scenario)
    with chat:
        for turn in session.turns:
            _show_turn(turn, coaching)
        with st.chat_message("customer", avatar=CUSTOMER_AVATAR):
            st.markdown(_plain(session.closing_message if session.finished else session.current_message))
        if run["debrief"] is None and not session.turns:
            st.caption(f"Turn 1 of {len(scenario.turns)}. Read your brief, then write your reply in the box "
                       f"at the bottom of the page.")
        elif run["debrief"] is None:
            st.caption(f"Turn {session.turn_number} of {len(scenario.turns)}.")
    if run["debrief"] is not None:
        _show_debrief(run["debrief"], scenario)
    _show_path(library.scenarios)


main()
