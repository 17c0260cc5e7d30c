""""This flag is wrong": dismissed findings, and what a manager does about a rule on their team.

- `dismiss_finding`: a signed-in person says a finding is wrong for their reply, with a reason;
  the rule, the passage, the sentence around it and the note are stored, redacted.
- `rule_activity`: per rule, how often it fired on the manager's team and how often it was
  dismissed, with the latest dismissals as examples (pandas, from rows the viewer may see).
- `set_rule_mode`: a manager turns a rule off, down to a hint (shown, but no effect on scores), or
  back on, for one of their teams; logged in the audit log.
- `rule_modes_for`: the disabled and hint rules that apply to a person's checks (all their teams);
  `team_settings_of`: one team's settings (rules and words) for `coach check --team` and `coach serve`.
- `approve_term`: a word people said their customers know, added to the team's approved words.

Security rules cannot be turned off or down: a team setting must never let a reply that asks
for a password through.
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.errors import InputError
from coach.store import audit
from coach.store.models import (
    DISMISS_REASONS,
    RULE_MODES,
    SOURCES,
    Attempt,
    Dismissal,
    Membership,
    SignedIn,
    TeamRuleSetting,
    User,
    UserInfo,
    utcnow,
)
from coach.store.auth import verify
from coach.store.redact import redact
from coach.store.repository import visible_user_ids

REASON_LABELS = {
    "wrong": "This is wrong",
    "not-relevant": "Not relevant here",
    "known-term": "Our customers know this term",
    "other": "Other",
}
MODE_LABELS = {"on": "On", "hint": "Hint only (no effect on scores)", "off": "Off"}
PROTECTED_ANALYZERS = ("security",)
MAX_NOTE = 500
# How much of the reply either side of the passage is kept, so a manager can judge the dismissal.
CONTEXT_CHARS = 80
EXAMPLES_PER_RULE = 3
_RULE_ID = re.compile(r"^[a-z]+\.[A-Za-z0-9_.-]{1,70}$")


def _context(reply: str, start: int, end: int) -> str:
    """The passage with up to CONTEXT_CHARS either side, cut at spaces, "…" where cut."""
    start, end = max(0, min(start, len(reply))), max(0, min(end, len(reply)))
    left, right = max(0, start - CONTEXT_CHARS), min(len(reply), end + CONTEXT_CHARS)
    if left > 0 and " " in reply[left:start]:
        left = reply.index(" ", left, start) + 1
    if right < len(reply) and " " in reply[end:right]:
        right = reply.rindex(" ", end, right)
    text = " ".join(reply[left:right].split())
    return ("…" if left > 0 else "") + text + ("…" if right < len(reply) else "")


def check_rule_id(rule: object) -> str:
    if not isinstance(rule, str) or not _RULE_ID.match(rule):
        raise InputError(f"{str(rule)[:80]!r} is not a rule of the coach.")
    return rule


def dismiss_finding(session: Session, actor: SignedIn, finding: dict[str, Any], reason: str, reply: str,
                    note: str | None = None, source: str = "check", scenario_id: str | None = None,
                    attempt_id: int | None = None, when: datetime | None = None) -> int:
    """Store that the signed-in person dismissed `finding` (a report.to_dict() finding of `reply`)."""
    user = verify(session, actor)
    rule = check_rule_id(finding.get("rule"))
    if reason not in DISMISS_REASONS:
        raise InputError(f"Unknown reason {reason!r}: use one of {', '.join(DISMISS_REASONS)}.")
    if source not in SOURCES:
        raise InputError(f"Unknown source {source!r}.")
    note = (note or "").strip() or None
    if reason == "other" and not note:
        raise InputError("Say in a few words why this flag is wrong.")
    if note and len(note) > MAX_NOTE:
        raise InputError(f"The note can have at most {MAX_NOTE} characters ({len(note)} given).")
    if attempt_id is not None:
        attempt = session.get(Attempt, attempt_id)
        if attempt is None or attempt.user_id != user.id:
            attempt_id = None  # not theirs: keep the dismissal, without the link
    start, end = int(finding.get("start") or 0), int(finding.get("end") or 0)
    dismissal = Dismissal(
        user_id=user.id, created_at=when or utcnow(), source=source,
        scenario_id=scenario_id if source == "practice" else None, attempt_id=attempt_id, rule=rule,
        analyzer=str(finding.get("analyzer") or rule.split(".")[0])[:32], reason=reason, note=redact(note),
        span_text=redact(finding.get("text") or None), context=redact(_context(reply, start, end)) if reply else None,
        message=redact(finding.get("message") or None))
    session.add(dismissal)
    session.flush()
    return dismissal.id


def dismissal_rows(session: Session, viewer: UserInfo, start: datetime | None = None,
                   end: datetime | None = None) -> list[dict[str, Any]]:
    """The dismissals of the people `viewer` may see, in [start, end), newest first."""
    query = (select(Dismissal, User.name).join(User, User.id == Dismissal.user_id)
             .where(Dismissal.user_id.in_(visible_user_ids(viewer.id))))
    if start is not None:
        query = query.where(Dismissal.created_at >= start)
    if end is not None:
        query = query.where(Dismissal.created_at < end)
    query = query.order_by(Dismissal.created_at.desc(), Dismissal.id.desc())
    return [{"id": d.id, "user_id": d.user_id, "name": name, "created_at": d.created_at, "source": d.source,
             "scenario_id": d.scenario_id, "rule": d.rule, "analyzer": d.analyzer, "reason": d.reason,
             "note": d.note, "text": d.span_text, "context": d.context, "message": d.message}
            for d, name in session.execute(query)]


def rule_activity(findings: pd.DataFrame, dismissals: list[dict[str, Any]],
                  modes: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per rule that fired or was dismissed: fired (occurrences), replies, dismissed, the share
    dismissed, the reasons given, the latest examples and the team's current mode ("on", "hint", "off").

    `findings` is progress.findings_frame() of the period; `dismissals` is dismissal_rows() of it.
    Sorted by dismissals, then share, then occurrences: the rules most worth a look first."""
    modes = modes or {}
    fired: dict[str, dict[str, Any]] = {}
    if not findings.empty:
        for rule, group in findings.groupby("rule"):
            fired[rule] = {"analyzer": group["analyzer"].iloc[0], "fired": int(group["count"].sum()),
                           "replies": int(group["attempt_id"].nunique())}
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for row in dismissals:
        by_rule.setdefault(row["rule"], []).append(row)
    rows = []
    for rule in sorted(set(fired) | set(by_rule)):
        dismissed = by_rule.get(rule, [])
        base = fired.get(rule) or {"analyzer": dismissed[0]["analyzer"], "fired": 0, "replies": 0}
        count = len(dismissed)
        rows.append({
            "rule": rule, "analyzer": base["analyzer"], "fired": base["fired"], "replies": base["replies"],
            "dismissed": count,
            "share dismissed": count / base["fired"] if base["fired"] else None,
            "reasons": dict(Counter(d["reason"] for d in dismissed).most_common()),
            "examples": dismissed[:EXAMPLES_PER_RULE],
            "terms": list(dict.fromkeys(d["text"] for d in dismissed
                                        if d["reason"] == "known-term" and d["text"])),
            "mode": modes.get(rule, "on"),
        })
    columns = ["rule", "analyzer", "fired", "replies", "dismissed", "share dismissed", "reasons", "examples",
               "terms", "mode"]
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table
    table["_share"] = table["share dismissed"].fillna(float(1 + len(table)))
    table = table.sort_values(["dismissed", "_share", "fired", "rule"], ascending=[False, False, False, True])
    return table.drop(columns="_share").reset_index(drop=True)


def team_rule_modes(session: Session, viewer: UserInfo, team_id: int) -> dict[str, str]:
    """rule -> "off" | "hint" for one of the viewer's teams (empty for a team that is not theirs)."""
    if team_id not in viewer.team_ids:
        return {}
    query = select(TeamRuleSetting.rule, TeamRuleSetting.mode).where(TeamRuleSetting.team_id == team_id)
    return dict(session.execute(query).all())


def rule_modes_for(session: Session, user_id: int) -> tuple[frozenset[str], frozenset[str]]:
    """(disabled, hint) rules for a person's checks: the settings of every team they belong to; a rule
    off in one of their teams is off, else a hint in any of them is a hint."""
    query = (select(TeamRuleSetting.rule, TeamRuleSetting.mode)
             .join(Membership, Membership.team_id == TeamRuleSetting.team_id)
             .where(Membership.user_id == user_id))
    disabled, hints = set(), set()
    for rule, mode in session.execute(query):
        (disabled if mode == "off" else hints).add(rule)
    return frozenset(disabled), frozenset(hints - disabled)


def team_settings_for(session: Session, user_id: int):
    """The coach.context.TeamSettings of a person's checks (coach.analyze(team=...)): the rules their
    teams turned off or down to hints. Their teams' words come on top (coach.store.glossary:
    `glossary.team_settings(session, user, base=team_settings_for(session, user.id))`)."""
    from coach.context import TeamSettings  # the analysis context (spaCy) only when a check needs it

    disabled, hints = rule_modes_for(session, user_id)
    return TeamSettings(disabled_rules=disabled, hint_rules=hints)


def team_settings_of(session: Session, team_name: str):
    """One team's settings, by name: its terms and approved words (coach.store.glossary) and the rules it
    turned off or down to hints. What `coach check --team NAME` and a team's API token on `coach serve`
    apply; InputError naming the teams when there is no such team."""
    from coach.store import glossary  # its TeamSettings import loads the analysis context (spaCy)

    team = glossary.team_by_name(session, team_name)
    words = glossary.operator_team_settings(session, team.name)
    modes = dict(session.execute(select(TeamRuleSetting.rule, TeamRuleSetting.mode)
                                 .where(TeamRuleSetting.team_id == team.id)).all())
    disabled = frozenset(rule for rule, mode in modes.items() if mode == "off")
    return dataclasses.replace(words, disabled_rules=disabled,
                               hint_rules=frozenset(modes) - disabled)


def approve_term(session: Session, actor: SignedIn, team_id: int, term: str):
    """A manager adds a word people said their customers know to the team's approved words (issue 12's
    team glossary), so their checks stop flagging it as jargon; recorded in the team's word changes,
    which the audit log lists. Returns the glossary entry (coach.store.glossary.TeamWordInfo)."""
    from coach.store import glossary

    manager = audit.managing_user(session, actor)
    team = audit.managed_team(session, manager, team_id)
    return glossary.add_team_term(session, actor, team.id, term, approved=True)


def set_rule_mode(session: Session, actor: SignedIn, team_id: int, rule: str, mode: str,
                  when: datetime | None = None) -> bool:
    """A manager sets `rule` to "on", "hint" or "off" for one of their teams; logged. False when it
    already was so (nothing changed, nothing logged)."""
    manager = audit.managing_user(session, actor)
    team = audit.managed_team(session, manager, team_id)
    rule = check_rule_id(rule)
    if mode not in ("on", *RULE_MODES):
        raise InputError(f"Unknown mode {mode!r}: use on, hint or off.")
    if rule.split(".")[0] in PROTECTED_ANALYZERS and mode != "on":
        raise audit.NotAllowedError("Security rules stay on for every team: they stop replies that put "
                                    "the customer at risk.")
    setting = session.get(TeamRuleSetting, (team.id, rule), with_for_update=True)
    before = setting.mode if setting is not None else "on"
    if before == mode:
        return False
    if mode == "on":
        session.delete(setting)
    elif setting is None:
        session.add(TeamRuleSetting(team_id=team.id, rule=rule, mode=mode, updated_by=manager.id,
                                    updated_at=when or utcnow()))
    else:
        setting.mode, setting.updated_by, setting.updated_at = mode, manager.id, when or utcnow()
    audit.log(session, manager, f"rule.{mode}", team.id, detail={"rule": rule, "before": before, "after": mode},
              when=when)
    session.flush()
    return True
