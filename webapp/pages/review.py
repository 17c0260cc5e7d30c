"""Page "QA review": a manager or QA reviewer scores their team's kept replies on the coach's six
dimensions and an overall pass/fail, as in a QA scorecard. The coach's own scores are hidden while
scoring, so they cannot anchor the reviewer; the agreement is on the Progress page.
"""
from __future__ import annotations

import streamlit as st

from coach.calibration_csv import DIMENSIONS
from coach.errors import CoachError
from coach.rule_names import dimension_name
from coach.store import calibration
from webapp.markdown import plain
from webapp.session import current_user, flash, show_flash, store

REPLY_KEY = "review.reply"
NOTE_KEY = "review.note"
VERDICT_KEY = "review.verdict"
SAVE_KEY = "review.save"
NOT_SCORED = "not scored"
SCALE = [NOT_SCORED, *range(0, 101, 10)]
VERDICTS = {"pass": "Pass", "fail": "Fail", "none": "No verdict"}


def score_key(dimension: str) -> str:
    return f"review.score.{dimension}"


def _clear() -> None:
    for key in [NOTE_KEY, VERDICT_KEY, *map(score_key, DIMENSIONS)]:
        st.session_state.pop(key, None)


def main() -> None:
    st.title("QA review")
    show_flash()
    try:
        user = current_user()
    except CoachError as error:
        st.error(str(error), icon=":material/database:")
        st.stop()
    if user is None or not user.can_review:
        st.info("Managers and QA reviewers score their team's replies here. Sign in with such an account.",
                icon=":material/lock:")
        st.page_link("webapp/pages/account.py", label="Account", icon=":material/login:")
        return
    with store().read() as session:
        queue = calibration.reviewable_replies(session, user)
    if not queue:
        st.info("No replies to score: your team's checks appear here when their authors keep the reply text.")
        return
    replies = {r["attempt_id"]: r for r in queue}
    st.caption(f"{len(queue)} {'reply' if len(queue) == 1 else 'replies'} of your team to score, newest first. "
               "Score what you would score in your QA scorecard (0 worst, 100 best); leave a skill "
               "\"not scored\" when it does not apply. The coach's scores stay hidden until you save.")
    chosen = st.selectbox("Reply", list(replies), key=REPLY_KEY, on_change=_clear, format_func=lambda i: (
        f"{replies[i]['name']} · {replies[i]['created_at']:%d %b %Y %H:%M} · "
        f"{'practice' if replies[i]['source'] == 'practice' else 'check'}"))
    reply = replies[chosen]
    if reply["customer_text"]:
        st.markdown("**The customer wrote**")
        st.text(reply["customer_text"])
    st.markdown(f"**{plain(reply['name'])} replied**")
    st.text(reply["reply_text"])
    columns = st.columns(3)
    scores = {}
    for index, dimension in enumerate(DIMENSIONS):
        with columns[index % 3]:
            value = st.select_slider(dimension_name(dimension), SCALE, value=NOT_SCORED, key=score_key(dimension))
            scores[dimension] = None if value == NOT_SCORED else float(value)
    verdict = st.radio("Overall", list(VERDICTS), format_func=VERDICTS.get, key=VERDICT_KEY, horizontal=True,
                       index=2)
    note = st.text_area("Note (optional)", key=NOTE_KEY, max_chars=calibration.MAX_NOTE, height=80)
    if not st.button("Save the review", key=SAVE_KEY, type="primary", icon=":material/save:"):
        return
    try:
        with store().write() as session:
            calibration.record_review(session, user, chosen, scores,
                                      {"pass": True, "fail": False}.get(verdict), note)
    except CoachError as error:
        st.warning(str(error), icon=":material/edit_note:")
        return
    _clear()
    st.session_state.pop(REPLY_KEY, None)
    flash("Review saved: see Coach vs reviewers on the Progress page.")
    st.rerun()


main()
