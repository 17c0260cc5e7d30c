"""Who is signed in (kept in st.session_state), and recording their checks and practice turns.

Only the user's id and sign-in token are kept in the browser session; every run checks them
against the database (coach.store.auth.resume): a deleted or deactivated account or a changed password
signs out. Nobody signed in means nothing is stored: the check page works without an account, and record_check() / record_practice_turn() then do nothing.

    from webapp.session import previous_practice, record_check, record_practice_debrief, record_practice_turn
    record_check(report, text, store_text=st.session_state["check.keep_text"])   # after each check
    record_practice_turn(scenario.id, turn_result)                               # after each session.reply()
    debrief = session.debrief(previous=previous_practice(scenario.id))           # once finished
    record_practice_debrief(scenario.id, debrief)
"""
from __future__ import annotations

import logging
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from coach.context import TeamSettings
from coach.errors import CoachError
from coach.report import Report
from coach.store import glossary, repository, rules
from coach.store.auth import resume
from coach.store.auth import sign_in as _sign_in
from coach.store.db import Store, database_url, shared_store
from coach.store.models import SignedIn

USER_KEY = "auth.user_id"
TOKEN_KEY = "auth.token"
# scenario id -> the id of the practice session being recorded (a new one starts at turn 1)
PRACTICE_KEY = "auth.practice_sessions"
# The stored attempt of each recorded check / practice turn, so a dismissal can point at it:
# {"check": id of the last check, ("practice", scenario id, turn number): id}
ATTEMPTS_KEY = "auth.attempts"
log = logging.getLogger(__name__)


def store() -> Store:
    """The history database of this server (COACH_DATABASE_URL), migrated on first use."""
    return shared_store(database_url())


def current_user() -> SignedIn | None:
    """The signed-in user, or None. Touches the database only when someone is signed in."""
    user_id = st.session_state.get(USER_KEY)
    if user_id is None:
        return None
    user = resume(store(), user_id, st.session_state.get(TOKEN_KEY, ""))
    if user is None:
        sign_out()
    return user


def _client() -> str | None:
    """Where the sign-in comes from, for the per-client throttle: the IP address when Streamlit knows it."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context: per-account throttling still applies
        return None
    # None on localhost; not a string under AppTest's mock runtime.
    return address if isinstance(address, str) and address else None


def sign_in(email: str, password: str) -> SignedIn:
    """Sign in (AuthError / SignInLockedError on failure, already counted by the throttle)."""
    user = _sign_in(store(), email, password, client=_client())
    keep_identity(user)
    st.session_state.pop(PRACTICE_KEY, None)
    return user


def keep_identity(user: SignedIn) -> None:
    """Keep `user` as this browser session's identity (after sign-in, or after the person changed their
    password, which gives a new token)."""
    st.session_state[USER_KEY] = user.id
    st.session_state[TOKEN_KEY] = user.token


def sign_out() -> None:
    for key in (USER_KEY, TOKEN_KEY, PRACTICE_KEY, ATTEMPTS_KEY):
        st.session_state.pop(key, None)


def _save_failed(what: str, error: Exception) -> None:
    # The coaching already happened; losing one history row must not break the page.
    log.warning("could not record %s: %s", what, type(error).__name__)
    st.warning(f"This {what} could not be saved to your history ({error}).", icon=":material/cloud_off:")


def record_check(report: Report, text: str, store_text: bool) -> bool:
    """Record one check of the signed-in user (scores, finding counts, feedback titles); the reply and
    customer texts only when `store_text` (the user opted in), redacted. False when nobody is signed in."""
    user = current_user()
    if user is None:
        return False
    try:
        with store().write() as session:
            attempt_id = repository.record_check(session, user, report.to_dict(), text, store_text,
                                                 report.customer_message)
    except (SQLAlchemyError, CoachError) as error:
        _save_failed("check", error)
        return False
    st.session_state.setdefault(ATTEMPTS_KEY, {})["check"] = attempt_id
    return True


def record_practice_turn(scenario_id: str, turn: Any) -> bool:
    """Record one practice turn of the signed-in user (texts kept, redacted). `turn` is a
    coach.practice TurnResult (number, customer, reply, report, outcome); turn 1 starts a new
    practice session in the history. False when nobody is signed in."""
    user = current_user()
    if user is None:
        return False
    sessions = st.session_state.setdefault(PRACTICE_KEY, {})
    try:
        with store().write() as session:
            practice_id = sessions.get(scenario_id)
            if turn.number == 1 or practice_id is None:
                practice_id = repository.start_practice(session, user, scenario_id)
            attempt_id = repository.record_practice_turn(session, user, practice_id, turn.number, turn.customer,
                                                         turn.reply, turn.report.to_dict(), turn.outcome)
    except (SQLAlchemyError, CoachError) as error:
        _save_failed("practice turn", error)
        return False
    sessions[scenario_id] = practice_id
    st.session_state.setdefault(ATTEMPTS_KEY, {})[("practice", scenario_id, turn.number)] = attempt_id
    return True


def record_practice_debrief(scenario_id: str, debrief: Any) -> bool:
    """Close the signed-in user's current run of `scenario_id` with its Debrief (redacted).
    False when nobody is signed in or no turn of this run was recorded."""
    user = current_user()
    practice_id = st.session_state.get(PRACTICE_KEY, {}).get(scenario_id)
    if user is None or practice_id is None:
        return False
    try:
        with store().write() as session:
            repository.finish_practice(session, user, practice_id, debrief.to_dict())
    except (SQLAlchemyError, CoachError) as error:
        _save_failed("debrief", error)
        return False
    return True


def previous_practice(scenario_id: str) -> list[dict[str, Any]]:
    """The signed-in user's earlier finished runs of `scenario_id` (debrief summaries, oldest first),
    for `PracticeSession.debrief(previous)`; empty when nobody is signed in."""
    user = current_user()
    if user is None:
        return []
    with store().read() as session:
        return repository.practice_summaries(session, user, user.id, scenario_id)


def recorded_attempt(source: str, scenario_id: str | None = None, turn: int | None = None) -> int | None:
    """The stored attempt of the last check (source "check") or of a practice turn, if it was recorded."""
    key = "check" if source == "check" else ("practice", scenario_id, turn)
    return st.session_state.get(ATTEMPTS_KEY, {}).get(key)


def team_settings() -> TeamSettings | None:
    """The signed-in person's team settings for `coach.analyze(team=...)`: the rules their teams turned
    off or down to hints, and their teams' terms and approved words; None when nobody is signed in."""
    user = current_user()
    if user is None:
        return None
    with store().read() as session:
        return glossary.team_settings(session, user, base=rules.team_settings_for(session, user.id))


FLASH_KEY = "flash.message"


def flash(message: str) -> None:
    """A confirmation to show once, at the top of the next run (a toast can be lost in st.rerun())."""
    st.session_state[FLASH_KEY] = message


def show_flash() -> None:
    """Show, once, the confirmation flash() left; the message is shown as plain text."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")
