"""Page "Team terms": a manager's list of the team's own terms and approved words.

Thin: reading, validating and saving are coach.store.glossary's (which also checks that the
signed-in user manages the team); this file lays out the list and the two forms.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from coach.errors import CoachError
from coach.store import glossary
from webapp.session import current_user, store

TEAM_KEY = "team_terms.team"
KIND_KEY = "team_terms.kind"
TERM_KEY, PLAIN_KEY, EXPLANATION_KEY = "team_terms.term", "team_terms.plain", "team_terms.explanation"
SAVE_KEY = "team_terms.save"
REMOVE_CHOICE_KEY, REMOVE_KEY = "team_terms.remove_choice", "team_terms.remove"
TERM_KIND, APPROVED_KIND = "A term to explain", "A word our customers know"


def _team(user) -> int:
    if len(user.team_ids) == 1:
        return user.team_ids[0]
    names = dict(zip(user.team_ids, user.team_names))
    return st.selectbox("Team", options=list(names), format_func=names.get, key=TEAM_KEY)


def _list(user, team_id: int) -> list[glossary.TeamWordInfo]:
    with store().read() as session:
        words = glossary.list_team_terms(session, user, team_id)
    if not words:
        st.info("No terms yet. Add the words your team uses that customers may not know, and the product "
                "names your customers know.", icon=":material/info:")
        return words
    st.dataframe(pd.DataFrame([{"kind": "term" if w.kind == glossary.TERM else "approved", "word": w.text,
                                "plain words": w.plain or "", "explanation": w.explanation or ""} for w in words]),
                 hide_index=True)
    return words


def _add_form(user, team_id: int) -> None:
    st.subheader("Add or change a word")
    kind = st.radio("Kind", [TERM_KIND, APPROVED_KIND], key=KIND_KEY, horizontal=True)
    with st.form("team_terms.form", clear_on_submit=False):
        st.text_input("Word or phrase", key=TERM_KEY, max_chars=glossary.MAX_TERM_CHARS)
        if kind == TERM_KIND:
            st.text_input("Plain words to use instead (up to 8)", key=PLAIN_KEY, max_chars=glossary.MAX_PLAIN_CHARS)
            st.text_input("Explanation for a customer (optional)", key=EXPLANATION_KEY,
                          max_chars=glossary.MAX_EXPLANATION_CHARS)
        if not st.form_submit_button("Save", type="primary"):
            return
    approved = kind == APPROVED_KIND
    try:
        with store().write() as session:
            word = glossary.add_team_term(session, user, team_id, st.session_state[TERM_KEY],
                                          None if approved else st.session_state.get(PLAIN_KEY),
                                          approved=approved,
                                          explanation=None if approved else st.session_state.get(EXPLANATION_KEY))
    except CoachError as error:
        st.warning(str(error), icon=":material/edit_note:")
        return
    st.success(f"Saved '{word.text}'.", icon=":material/check:")


def _remove_form(user, team_id: int, words: list[glossary.TeamWordInfo]) -> None:
    if not words:
        return
    st.subheader("Remove a word")
    choice = st.selectbox("Word", options=[w.text for w in words], key=REMOVE_CHOICE_KEY, index=None,
                          placeholder="Choose a word to remove")
    if st.button("Remove", key=REMOVE_KEY, disabled=choice is None, icon=":material/delete:"):
        try:
            with store().write() as session:
                glossary.remove_team_term(session, user, team_id, choice)
        except CoachError as error:
            st.warning(str(error))
            return
        st.rerun()


def main() -> None:
    st.title("Team terms")
    user = current_user()
    if user is None or not user.is_manager or not user.team_ids:
        st.info("Managers keep their team's own terms and approved words here. Sign in as a team's manager "
                "on the Account page.", icon=":material/lock:")
        return
    st.caption("Agents' checks flag your team's terms like glossary jargon, suggesting your plain words, and "
               "never flag the approved words.")
    team_id = _team(user)
    _add_form(user, team_id)
    st.subheader("The team's list")
    words = _list(user, team_id)
    _remove_form(user, team_id, words)


main()
