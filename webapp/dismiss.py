""""This flag is wrong": the control under a report's findings, on the check and practice pages.

    from webapp.dismiss import dismiss_findings
    dismiss_findings(report)                                         # check page
    dismiss_findings(turn.report, "practice", scenario_id, turn.number)  # practice page, per turn

A signed-in person picks a flagged passage, says why it is wrong (wrong, not relevant here, our
customers know this term, other + a note) and sends it: it is stored (redacted) for their manager's
rule view (coach.store.rules). Nothing is stored for someone not signed in.
"""
from __future__ import annotations

import hashlib
import json

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from coach.errors import CoachError
from coach.report import Report
from coach.rule_names import dimension_name, rule_name
from coach.store import rules
from webapp.markdown import plain
from webapp.session import current_user, recorded_attempt, store

# {fingerprint of the report: [indexes of the findings dismissed]}, for this browser session
DISMISSED_KEY = "dismiss.done"
MAX_QUOTE = 60


def _fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps([data["findings"], len(data.get("feedback", []))], sort_keys=True,
                                     default=str).encode()).hexdigest()[:16]


def _label(finding: dict) -> str:
    quote = " ".join((finding.get("text") or "").split())
    if len(quote) > MAX_QUOTE:
        quote = quote[: MAX_QUOTE - 1] + "…"
    where = f"“{quote}”" if quote else "something missing"
    return f"{dimension_name(finding['analyzer'])}: {rule_name(finding['rule'])} ({where})"


def dismiss_findings(report: Report, source: str = "check", scenario_id: str | None = None,
                     turn: int | None = None) -> None:
    """Draw the "Is a flag wrong?" control for `report`'s findings."""
    data = report.to_dict()
    if not data["findings"]:
        return
    prefix = f"dismiss.{source}" + (f".{turn}" if turn is not None else "")
    done = st.session_state.setdefault(DISMISSED_KEY, {}).setdefault(_fingerprint(data), [])
    with st.expander("Is a flag wrong? Tell us why", icon=":material/flag:"):
        user = current_user()
        if user is None:
            st.caption("Sign in on the Account page to send a wrong flag to your manager, who can turn the rule "
                       "off or down for your team.")
            return
        for index in done:
            st.caption(f":material/check: Sent: {plain(_label(data['findings'][index]))}")
        open_indexes = [i for i in range(len(data["findings"])) if i not in done]
        if not open_indexes:
            return
        chosen = st.selectbox("Which flag?", open_indexes, key=f"{prefix}.finding",
                              format_func=lambda i: _label(data["findings"][i]))
        reason = st.radio("Why is it wrong?", list(rules.REASON_LABELS), key=f"{prefix}.reason",
                          format_func=rules.REASON_LABELS.get, horizontal=True)
        note = st.text_input("A few words for your manager" + (" (needed for Other)" if reason == "other" else
                                                                 " (optional)"),
                             key=f"{prefix}.note", max_chars=rules.MAX_NOTE)
        if not st.button("Send", key=f"{prefix}.send", icon=":material/send:"):
            return
        try:
            with store().write() as session:
                rules.dismiss_finding(session, user, data["findings"][chosen], reason, report.text, note=note,
                                      source=source, scenario_id=scenario_id,
                                      attempt_id=recorded_attempt(source, scenario_id, turn))
        except CoachError as error:
            st.warning(str(error), icon=":material/edit_note:")
            return
        except SQLAlchemyError as error:
            st.warning(f"This could not be saved ({type(error).__name__}); try again.", icon=":material/cloud_off:")
            return
        done.append(chosen)
        st.rerun()
