"""Page "Account": sign in, sign out, and (in an empty workspace) create the first manager.

Checking a reply needs no account; signing in records each check and practice turn in the
person's history, which their manager's Team progress page reads.
"""
from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from coach.store import repository
from webapp.markdown import plain
from webapp.session import current_user, sign_in, sign_out, store

EMAIL_KEY = "account.email"
PASSWORD_KEY = "account.password"
SIGN_IN_KEY = "account.sign_in"
SIGN_OUT_KEY = "account.sign_out"
SETUP_KEYS = {"name": "account.setup.name", "email": "account.setup.email", "team": "account.setup.team",
              "password": "account.setup.password", "again": "account.setup.again"}
SETUP_KEY = "account.setup.create"


def _signed_in(user) -> None:
    teams = ", ".join(user.team_names) or "no team yet"
    st.success(f"Signed in as **{plain(user.name)}** ({plain(user.email)}), {user.role}; team: {plain(teams)}.",
               icon=":material/verified_user:")
    st.caption("Your checks and practice turns are saved to your history. "
               "Reply texts are kept only when you tick \"keep my reply\"; "
               "e-mail addresses, phone numbers, card numbers and passwords are removed before saving.")
    st.page_link("webapp/pages/progress.py", label="See your progress", icon=":material/trending_up:")
    if st.button("Sign out", key=SIGN_OUT_KEY, icon=":material/logout:"):
        sign_out()
        st.rerun()


def _sign_in_form() -> None:
    st.write("Sign in to keep a history of your checks and practice, and to see your progress.")
    with st.form("account.sign_in_form"):
        st.text_input("E-mail", key=EMAIL_KEY, autocomplete="username")
        st.text_input("Password", key=PASSWORD_KEY, type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", key=SIGN_IN_KEY, type="primary", icon=":material/login:")
    if not submitted:
        return
    email, password = st.session_state[EMAIL_KEY], st.session_state[PASSWORD_KEY]
    try:
        sign_in(email, password)
    except CoachError as error:
        st.error(str(error), icon=":material/lock:")
        return
    st.rerun()


def _first_manager_form() -> None:
    st.info("This workspace has no accounts yet. Create the first manager account: you will see the "
            "progress of the people in your team, and can add them with `coach users add`.",
            icon=":material/person_add:")
    with st.form("account.setup_form"):
        st.text_input("Your name", key=SETUP_KEYS["name"])
        st.text_input("E-mail", key=SETUP_KEYS["email"], autocomplete="username")
        st.text_input("Team", key=SETUP_KEYS["team"], placeholder="e.g. Service desk")
        st.text_input("Password (at least 8 characters)", key=SETUP_KEYS["password"], type="password",
                      autocomplete="new-password")
        st.text_input("Password again", key=SETUP_KEYS["again"], type="password", autocomplete="new-password")
        submitted = st.form_submit_button("Create the manager account", key=SETUP_KEY, type="primary")
    if not submitted:
        return
    values = {name: st.session_state[key] for name, key in SETUP_KEYS.items()}
    if values["password"] != values["again"]:
        st.error("The two passwords differ.")
        return
    if not values["team"].strip():
        st.error("Give your team a name: your people will be added to it.")
        return
    try:
        repository.create_first_manager(store(), values["name"], values["email"], values["password"],
                                        values["team"])
        sign_in(values["email"], values["password"])
    except CoachError as error:
        st.error(str(error))
        return
    st.rerun()


def main() -> None:
    st.title("Account")
    try:
        user = current_user()
        if user is not None:
            _signed_in(user)
            return
        with store().read() as session:
            empty = repository.count_users(session) == 0
    except CoachError as error:
        st.error(str(error), icon=":material/database:")
        st.stop()
    if empty:
        _first_manager_form()
    else:
        _sign_in_form()


main()
