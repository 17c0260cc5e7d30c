"""The manager's "Flags and rules" view (on the Progress page): per rule, how often it fired on the
team and how often people said it was wrong, with their examples; turning a rule off or down to a
hint for the team, or adding a word people said their customers know to the team's approved words;
and the audit log of such changes. Thin: numbers from coach.store.rules."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from coach.errors import CoachError
from coach.rule_names import dimension_name, rule_name
from coach.glossary import normal_form as glossary_key
from coach.store import audit, glossary, progress, repository, rules
from coach.store.models import SignedIn
from webapp.markdown import plain
from webapp.session import flash, show_flash, store

TEAM_KEY = "rules.team"
OTHER_KEY = "rules.other"
MODES = list(rules.MODE_LABELS)
AUDIT_ROWS = 50


def mode_key(rule: str) -> str:
    return f"rules.mode.{rule}"


def apply_key(rule: str) -> str:
    return f"rules.apply.{rule}"


def _team(viewer: SignedIn) -> tuple[int, str]:
    teams = dict(zip(viewer.team_ids, viewer.team_names))
    if len(teams) == 1:
        return next(iter(teams.items()))
    chosen = st.selectbox("Team", list(teams), key=TEAM_KEY, format_func=teams.get)
    return chosen, teams[chosen]


def _rule_control(viewer: SignedIn, team_id: int, team_name: str, rule: str, mode: str) -> None:
    if rule.split(".")[0] in rules.PROTECTED_ANALYZERS:
        st.caption(":material/lock: Security rules stay on for every team.")
        return
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(f"For {team_name}", MODES, index=MODES.index(mode), key=mode_key(rule),
                            format_func=rules.MODE_LABELS.get)
    if right.button("Apply", key=apply_key(rule), disabled=chosen == mode):
        try:
            with store().write() as session:
                rules.set_rule_mode(session, viewer, team_id, rule, chosen)
        except CoachError as error:
            st.error(str(error))
            return
        flash(plain(f"{rule_name(rule)}: {rules.MODE_LABELS[chosen].lower()} for {team_name} from the next check."))
        st.rerun()


def approve_key(rule: str, term: str) -> str:
    return f"rules.approve.{rule}.{glossary_key(term)}"


def _approve_controls(viewer: SignedIn, team_id: int, team_name: str, rule: str, terms: list[str],
                      approved: set[str]) -> None:
    """One button per word not yet approved: add it to the team's approved words (Team terms page)."""
    for term in terms:
        if glossary_key(term) in approved:
            st.caption(f":material/check: {plain(term)} is one of {plain(team_name)}'s approved words.")
            continue
        if st.button(f"Add “{term}” to {team_name}'s approved words", key=approve_key(rule, term),
                     icon=":material/playlist_add_check:"):
            try:
                with store().write() as session:
                    rules.approve_term(session, viewer, team_id, term)
            except CoachError as error:
                st.error(str(error))
                return
            flash(plain(f"“{term}” is now an approved word for {team_name}: their checks no longer flag it."))
            st.rerun()


def _examples(row: pd.Series) -> None:
    for example in row["examples"]:
        quote = f"“{example['text']}”" if example["text"] else "(something missing)"
        st.markdown(f"**{rules.REASON_LABELS[example['reason']]}** · {plain(example['name'])} · "
                    f"{example['created_at']:%d %b %Y}")
        st.text(f"{quote}  in: {example['context'] or '(reply not kept)'}")
        if example["note"]:
            st.text(f"Note: {example['note']}")


def _table(activity: pd.DataFrame) -> None:
    table = pd.DataFrame({
        "Rule": activity["rule"].map(rule_name),
        "Skill": activity["analyzer"].map(dimension_name),
        "Fired": activity["fired"], "Replies": activity["replies"], "Dismissed": activity["dismissed"],
        "Share dismissed": activity["share dismissed"] * 100,
        "For the team": activity["mode"].map(rules.MODE_LABELS),
    })
    st.dataframe(table, hide_index=True, column_config={
        "Share dismissed": st.column_config.NumberColumn(format="%.0f%%")})


def _audit_log(viewer: SignedIn) -> None:
    st.subheader("Changes to your teams")
    with store().read() as session:
        entries = audit.audit_entries(session, viewer, limit=AUDIT_ROWS)
    if not entries:
        st.caption("No changes yet.")
        return
    rows = []
    for entry in entries:
        detail = entry["detail"]
        what = entry["what"]
        if "rule" in detail:
            what += f": {rule_name(detail['rule'])}"
        elif "word" in detail:
            what += f": {detail['word']}"
        elif entry["action"] == "person.move":
            what += f" ({', '.join(detail.get('from', [])) or 'no team'} → {detail.get('to')})"
        rows.append({"When (UTC)": entry["when"].strftime("%Y-%m-%d %H:%M"), "Who": entry["who"], "What": what,
                     "Person": entry["person"] or "", "Team": entry["team"] or ""})
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def rules_view(viewer: SignedIn, period: progress.Period) -> None:
    if not viewer.team_ids:
        st.info("You are in no team yet: rule settings are made for a team.")
        return
    team_id, team_name = _team(viewer)
    show_flash()
    start, end = period.bounds()
    with store().read() as session:
        findings = progress.findings_frame(repository.finding_rows(session, viewer, start=start, end=end))
        dismissals = rules.dismissal_rows(session, viewer, start=start, end=end)
        modes = rules.team_rule_modes(session, viewer, team_id)
        approved = {glossary_key(w.text) for w in glossary.list_team_terms(session, viewer, team_id)
                    if w.kind == glossary.APPROVED}
    activity = rules.rule_activity(findings, dismissals, modes)
    # rules turned off no longer fire: keep them listed so they can be turned back on
    for rule, mode in modes.items():
        if rule not in set(activity["rule"]):
            extra = {"rule": rule, "analyzer": rule.split(".")[0], "fired": 0, "replies": 0, "dismissed": 0,
                     "share dismissed": None, "reasons": {}, "examples": [], "terms": [], "mode": mode}
            activity = pd.concat([activity, pd.DataFrame([extra])], ignore_index=True)
    st.caption("How often each rule flagged your team's replies in the period, and how often someone said the "
               "flag was wrong. Turn a rule off, or down to a hint (still shown, never scored), for your team: "
               "it applies to their checks from then on.")
    if activity.empty:
        st.info("No flags in this period.")
        _audit_log(viewer)
        return
    _table(activity)
    st.subheader("Flags your team pushed back on")
    worth_a_look = activity[(activity["dismissed"] > 0) | (activity["mode"] != "on")]
    if worth_a_look.empty:
        st.caption("Nobody said a flag was wrong in this period.")
    for _, row in worth_a_look.iterrows():
        with st.container(border=True):
            st.markdown(f"**{rule_name(row['rule'])}** ({dimension_name(row['analyzer'])})")
            reasons = ", ".join(f"{rules.REASON_LABELS[r].lower()} {n}" for r, n in row["reasons"].items())
            st.caption(f"Fired {row['fired']} {'time' if row['fired'] == 1 else 'times'} in {row['replies']} "
                       f"{'reply' if row['replies'] == 1 else 'replies'}; dismissed {row['dismissed']}"
                       + (f" ({reasons})" if reasons else ""))
            if row["terms"]:
                st.caption("Words people said their customers know: " + ", ".join(plain(t) for t in row["terms"]))
                _approve_controls(viewer, team_id, team_name, row["rule"], row["terms"], approved)
            _examples(row)
            _rule_control(viewer, team_id, team_name, row["rule"], row["mode"])
    others = [r for r in activity["rule"] if r not in set(worth_a_look["rule"])]
    if others:
        with st.expander("Change another rule"):
            rule = st.selectbox("Rule", others, key=OTHER_KEY, format_func=rule_name)
            _rule_control(viewer, team_id, team_name, rule, "on")
    _audit_log(viewer)
