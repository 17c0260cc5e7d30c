"""A team's own glossary, kept in the database: its terms and its approved words.

- A **term** is jargon of the team's own ("Zephyr queue", "RMA") with the plain words agents should
  use instead; agents' checks flag it like a glossary term, suggesting those words.
- An **approved word** is one its customers know (a product name, "dashboard" for a team of
  developers' support desk); agents' checks never flag it as jargon.

Only the team's managers change its list (checked here, from the database); everyone in the team
reads it, because their checks use it. Every change is recorded in `team_word_changes`. The
operator's command line (`coach glossary ...`) owns the database and works on a team by name.

    from coach.store.glossary import add_team_term, team_settings
    add_team_term(session, manager, team_id, "Zephyr queue", plain="repair waiting list")
    report = analyze(text, team=team_settings(session, agent))
"""
from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.context import TeamSettings, TeamTerm
from coach.errors import CoachError, InputError
from coach.glossary import normal_form
from coach.store.models import Team, TeamWord, TeamWordChange, UserInfo

TERM, APPROVED = "term", "approved"
MAX_TERM_CHARS, MAX_PLAIN_CHARS, MAX_EXPLANATION_CHARS = 120, 200, 300
# a plain alternative replaces the term in the agent's sentence, so it stays short (as in glossary/*.yaml)
MAX_PLAIN_WORDS = 8


class NotAllowedError(CoachError):
    """The user may not change this team's words (only the team's managers may)."""


@dataclass(frozen=True)
class TeamWordInfo:
    """One entry of a team's list as front ends show it."""

    team: str
    kind: str
    text: str
    plain: str | None
    explanation: str | None
    updated_at: datetime


def _clean(value: str | None, label: str, limit: int, required: bool) -> str | None:
    """One line of text, spaces collapsed; InputError naming the field when it is unusable."""
    if value is None or not value.strip():
        if required:
            raise InputError(f"The {label} is missing.")
        return None
    if any(unicodedata.category(c) == "Cc" for c in value.strip()):
        raise InputError(f"The {label} must be one line of plain text.")
    text = " ".join(value.split())
    if len(text) > limit:
        raise InputError(f"The {label} is {len(text)} characters long; keep it under {limit}.")
    return text


def validate_entry(text: str, plain: str | None, explanation: str | None,
                   approved: bool) -> tuple[str, str | None, str | None]:
    """The entry cleaned, or InputError saying what to fix (the checks glossary/*.yaml terms pass)."""
    text = _clean(text, "term", MAX_TERM_CHARS, required=True)
    if not any(c.isalnum() for c in text):
        raise InputError(f"The term {text!r} has no letters or digits.")
    if approved:
        if plain or explanation:
            raise InputError("An approved word has no plain alternative: it is a word your customers know.")
        return text, None, None
    plain = _clean(plain, "plain alternative", MAX_PLAIN_CHARS, required=True)
    if len(plain.split()) > MAX_PLAIN_WORDS:
        raise InputError(f"The plain alternative has {len(plain.split())} words; keep it to {MAX_PLAIN_WORDS} "
                         "so it fits in the agent's sentence (put more in the explanation).")
    if normal_form(plain) == normal_form(text):
        raise InputError("The plain alternative must say it differently from the term.")
    return text, plain, _clean(explanation, "explanation", MAX_EXPLANATION_CHARS, required=False)


def _managed_team(session: Session, actor: UserInfo, team_id: int) -> Team:
    if not actor.is_manager or team_id not in actor.team_ids:
        raise NotAllowedError("Only the team's managers can change its terms and approved words.")
    team = session.get(Team, team_id)
    if team is None:
        raise NotAllowedError("Only the team's managers can change its terms and approved words.")
    return team


def team_by_name(session: Session, name: str) -> Team:
    """A team by its exact name (the operator's CLI), or InputError listing the teams there are."""
    team = session.scalars(select(Team).where(Team.name == name.strip())).one_or_none()
    if team is None:
        names = session.scalars(select(Team.name).order_by(Team.name)).all()
        raise InputError(f"No team called {name!r}" + (f": teams are {', '.join(names)}." if names else
                                                      ": there are no teams yet (`coach users add --team`)."))
    return team


def _put(session: Session, team: Team, user_id: int | None, text: str, plain: str | None,
         explanation: str | None, approved: bool) -> TeamWord:
    text, plain, explanation = validate_entry(text, plain, explanation, approved)
    key = normal_form(text)
    kind = APPROVED if approved else TERM
    word = session.scalars(select(TeamWord).where(TeamWord.team_id == team.id, TeamWord.key == key)).one_or_none()
    action = "update" if word is not None else "add"
    if word is None:
        word = TeamWord(team_id=team.id, key=key)
        session.add(word)
    word.kind, word.text, word.plain, word.explanation, word.updated_by = kind, text, plain, explanation, user_id
    session.add(TeamWordChange(team_id=team.id, user_id=user_id, action=action, kind=kind, text=text))
    session.flush()
    return word


def _remove(session: Session, team: Team, user_id: int | None, text: str) -> bool:
    word = session.scalars(select(TeamWord).where(TeamWord.team_id == team.id,
                                                  TeamWord.key == normal_form(text))).one_or_none()
    if word is None:
        return False
    session.add(TeamWordChange(team_id=team.id, user_id=user_id, action="remove", kind=word.kind, text=word.text))
    session.delete(word)
    session.flush()
    return True


def _info(team: str, word: TeamWord) -> TeamWordInfo:
    return TeamWordInfo(team, word.kind, word.text, word.plain, word.explanation, word.updated_at)


# --- a team's managers (the web app, and other features such as "this flag is wrong") ------------

def add_team_term(session: Session, actor: UserInfo, team_id: int, term: str, plain: str | None = None,
                  approved: bool = False, explanation: str | None = None) -> TeamWordInfo:
    """Add or change one of the team's words: a term with its plain alternative, or (approved=True)
    a word its customers know. Only the team's managers may (NotAllowedError); bad text raises
    InputError. Adding a word the list already has replaces it (a term can become approved)."""
    team = _managed_team(session, actor, team_id)
    return _info(team.name, _put(session, team, actor.id, term, plain, explanation, approved))


def remove_team_term(session: Session, actor: UserInfo, team_id: int, term: str) -> bool:
    """Remove a term or approved word from the team's list; False when it was not on it."""
    return _remove(session, _managed_team(session, actor, team_id), actor.id, term)


def list_team_terms(session: Session, viewer: UserInfo, team_id: int) -> list[TeamWordInfo]:
    """The team's words, terms first, alphabetically; empty for someone outside the team."""
    if team_id not in viewer.team_ids:
        return []
    team = session.get(Team, team_id)
    if team is None:
        return []
    words = session.scalars(select(TeamWord).where(TeamWord.team_id == team_id)
                            .order_by(TeamWord.kind.desc(), TeamWord.key)).all()
    return [_info(team.name, w) for w in words]


def _settings(words: list[TeamWord], base: TeamSettings | None) -> TeamSettings:
    """`base` plus these words. A word one team approves stays approved even if another lists it."""
    approved = {w.key: w.text for w in words if w.kind == APPROVED}
    terms: dict[str, TeamTerm] = {}
    for word in words:
        if word.kind == TERM and word.key not in approved and word.key not in terms:
            terms[word.key] = TeamTerm(word.text, word.plain or "", word.explanation)
    base = base or TeamSettings()
    return dataclasses.replace(base, terms=base.terms + tuple(terms.values()),
                               approved_words=base.approved_words | frozenset(approved.values()))


def team_settings(session: Session, user: UserInfo, base: TeamSettings | None = None) -> TeamSettings:
    """`base` (default: no settings) with the terms and approved words of every team `user` is in,
    for analyze(..., team=...)."""
    if not user.team_ids:
        return base or TeamSettings()
    words = session.scalars(select(TeamWord).where(TeamWord.team_id.in_(user.team_ids))
                            .order_by(TeamWord.team_id, TeamWord.key)).all()
    return _settings(list(words), base)


def team_words_frame(session: Session, viewer: UserInfo) -> pd.DataFrame:
    """The words of the viewer's teams as rows for the team's data export (managers only)."""
    columns = ["team", "kind", "term", "plain", "explanation", "updated_at"]
    if not viewer.is_manager:
        return pd.DataFrame(columns=columns)
    rows = [(w.team, w.kind, w.text, w.plain, w.explanation, w.updated_at)
            for team_id in viewer.team_ids for w in list_team_terms(session, viewer, team_id)]
    return pd.DataFrame(rows, columns=columns)


# --- the operator's command line (whoever runs it owns the database) -----------------------------

def operator_add(session: Session, team_name: str, term: str, plain: str | None = None,
                 approved: bool = False, explanation: str | None = None) -> TeamWordInfo:
    team = team_by_name(session, team_name)
    return _info(team.name, _put(session, team, None, term, plain, explanation, approved))


def operator_remove(session: Session, team_name: str, term: str) -> bool:
    return _remove(session, team_by_name(session, team_name), None, term)


def operator_list(session: Session, team_name: str) -> list[TeamWordInfo]:
    team = team_by_name(session, team_name)
    words = session.scalars(select(TeamWord).where(TeamWord.team_id == team.id)
                            .order_by(TeamWord.kind.desc(), TeamWord.key)).all()
    return [_info(team.name, w) for w in words]


def operator_team_settings(session: Session, team_name: str) -> TeamSettings:
    """The settings `coach check --team NAME` applies."""
    team = team_by_name(session, team_name)
    return _settings(list(session.scalars(select(TeamWord).where(TeamWord.team_id == team.id))), None)
