"""Page "Account": sign in, sign out, and (in an empty workspace) create the first manager; after a
password reset, choose a new password; for managers, their people: add, reset a password (a
temporary password shown once), deactivate or reactivate, move between teams, QA reviewer.

Checking a reply needs no account; signing in records each check and practice turn in the
person's history, which their manager's Team progress page reads. Every people action is
authorised and logged by coach.store.people; this page only lays it out.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from coach.errors import CoachError
from coach.store import people, repository
from coach.store.models import ROLES, SignedIn
from webapp.markdown import plain
from webapp.session import current_user, flash, keep_identity, show_flash, sign_in, sign_out, store

EMAIL_KEY = "account.email"
PASSWORD_KEY = "account.password"
SIGN_IN_KEY = "account.sign_in"
SIGN_OUT_KEY = "account.sign_out"
SETUP_KEYS = {"name": "account.setup.name", "email": "account.setup.email", "team": "account.setup.team",
              "password": "account.setup.password", "again": "account.setup.again"}
SETUP_KEY = "account.setup.create"
NEW_PASSWORD_KEYS = ("account.new_password", "account.new_password_again")
NEW_PASSWORD_SAVE = "account.new_password_save"
ADD_KEYS = {"name": "people.add.name", "email": "people.add.email", "role": "people.add.role",
            "team": "people.add.team", "reviewer": "people.add.reviewer"}
ADD_SAVE = "people.add.save"
PERSON_KEY = "people.person"
# The temporary password of the last add or reset, shown once: popped as soon as it is drawn.
SHOW_ONCE_KEY = "people.show_once"
ROLE_LABELS = {"agent": "Agent", "trainee": "Trainee", "manager": "Manager"}


def _new_password_form(user: SignedIn) -> None:
    st.warning("Your manager reset your password: the temporary one worked once. Choose your own now.",
               icon=":material/key:")
    first = st.text_input("New password (at least 8 characters)", key=NEW_PASSWORD_KEYS[0], type="password",
                          autocomplete="new-password")
    again = st.text_input("New password again", key=NEW_PASSWORD_KEYS[1], type="password",
                          autocomplete="new-password")
    if not st.button("Save my password", key=NEW_PASSWORD_SAVE, type="primary"):
        return
    if first != again:
        st.error("The two passwords differ.")
        return
    try:
        with store().write() as session:
            renewed = people.change_password(session, user, first)
    except CoachError as error:
        st.error(str(error))
        return
    keep_identity(renewed)  # the old token died with the temporary password
    for key in NEW_PASSWORD_KEYS:
        st.session_state.pop(key, None)
    st.rerun()


def _show_once() -> None:
    shown = st.session_state.pop(SHOW_ONCE_KEY, None)
    if shown:
        st.success(f"{plain(shown['what'])} Temporary password for **{plain(shown['name'])}** ({plain(shown['email'])}): "
                   "give it to them in person or by phone; it works for one sign-in, then they choose their own. "
                   "It is not shown again.", icon=":material/key:")
        st.code(shown["password"], language=None)


def _add_person(manager: SignedIn) -> None:
    teams = dict(zip(manager.team_ids, manager.team_names))
    if not teams:
        st.caption("You are in no team yet, so there is no team to add people to (`coach users add --team`).")
        return
    with st.expander("Add a person", icon=":material/person_add:"):
        st.text_input("Name", key=ADD_KEYS["name"], max_chars=120)
        st.text_input("E-mail", key=ADD_KEYS["email"], max_chars=254)
        st.selectbox("Role", ROLES, key=ADD_KEYS["role"], format_func=ROLE_LABELS.get)
        st.selectbox("Team", list(teams), key=ADD_KEYS["team"], format_func=teams.get)
        st.checkbox("May score replies as a QA reviewer", key=ADD_KEYS["reviewer"])
        if not st.button("Add", key=ADD_SAVE, type="primary"):
            return
        values = {name: st.session_state[key] for name, key in ADD_KEYS.items()}
        try:
            with store().write() as session:
                added, password = people.add_person(session, manager, values["name"], values["email"],
                                                    values["role"], values["team"], values["reviewer"])
        except CoachError as error:
            st.error(str(error))
            return
    for key in ADD_KEYS.values():
        st.session_state.pop(key, None)
    st.session_state[SHOW_ONCE_KEY] = {"what": f"{added.name} was added.", "name": added.name,
                                       "email": added.email, "password": password}
    st.rerun()


def _act(action, *args, done: str) -> None:
    try:
        with store().write() as session:
            result = action(session, *args)
    except CoachError as error:
        st.error(str(error))
        return
    if isinstance(result, str):  # a temporary password
        person = st.session_state["people.chosen"]
        st.session_state[SHOW_ONCE_KEY] = {"what": done, "name": person["name"], "email": person["email"],
                                           "password": result}
    else:
        flash(plain(done))
    st.rerun()


def _manage_person(manager: SignedIn, everyone: list[dict]) -> None:
    others = {p["id"]: p for p in everyone if not p["is_me"]}
    if not others:
        return
    chosen = st.selectbox("Change someone", list(others), key=PERSON_KEY, index=None,
                          placeholder="Choose a person", format_func=lambda i: others[i]["name"])
    if chosen is None:
        return
    person = st.session_state["people.chosen"] = others[chosen]
    teams = dict(zip(manager.team_ids, manager.team_names))
    left, middle, right = st.columns(3)
    if left.button("Reset password", key="people.reset", icon=":material/key:"):
        _act(people.reset_password, manager, chosen, done=f"{person['name']}'s password was reset.")
    if person["active"]:
        if middle.button("Deactivate", key="people.deactivate", icon=":material/person_off:"):
            _act(people.set_active, manager, chosen, False, done=f"{person['name']} can no longer sign in.")
    elif middle.button("Reactivate", key="people.reactivate", icon=":material/person_check:"):
        _act(people.set_active, manager, chosen, True, done=f"{person['name']} can sign in again.")
    flag = not person["reviewer"]
    if right.button("Let them score replies" if flag else "Stop them scoring replies", key="people.reviewer",
                    icon=":material/rate_review:"):
        _act(people.set_reviewer, manager, chosen, flag, done=f"{person['name']}: QA reviewer {'on' if flag else 'off'}.")
    destinations = [t for t in teams if t not in person["team_ids"]]
    if destinations:
        where, go = st.columns([3, 1], vertical_alignment="bottom")
        target = where.selectbox("Move to team", destinations, key="people.move_to", format_func=teams.get)
        if go.button("Move", key="people.move", icon=":material/swap_horiz:"):
            _act(people.move_person, manager, chosen, target, done=f"{person['name']} moved to {teams[target]}.")


def _people_section(manager: SignedIn) -> None:
    st.subheader("Your people")
    show_flash()
    _show_once()
    try:
        with store().read() as session:
            everyone = people.team_people(session, manager)
    except CoachError as error:
        st.error(str(error))
        return
    table = pd.DataFrame([{"Name": p["name"], "E-mail": p["email"], "Role": ROLE_LABELS.get(p["role"], p["role"]),
                           "Team": ", ".join(p["teams"]), "QA reviewer": p["reviewer"] or p["role"] == "manager",
                           "Active": p["active"]} for p in everyone])
    st.dataframe(table, hide_index=True)
    _add_person(manager)
    _manage_person(manager, everyone)
    st.caption("Every change is listed under Progress → Flags and rules → Changes to your teams.")


def _signed_in(user) -> None:
    if user.must_change_password:
        _new_password_form(user)
        return
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
    if user.is_manager:
        _people_section(user)


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
            "progress of the people in your team, and can add them here once signed in.",
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
