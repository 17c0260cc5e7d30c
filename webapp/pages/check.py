"""Page "Check a reply" (the landing page).

The agent pastes a draft reply (and, optionally, the customer's message), clicks Check, and sees
the scores, the flagged passages in place, and the mentor's suggestions; "Apply suggestions" puts
the revised draft in the editor, and the next check shows how each score moved.
"""
from __future__ import annotations

import json
from typing import Any

import streamlit as st

import coach
from coach import feedback
from coach.errors import CoachError
from coach.report import Report
from webapp import highlight
from webapp.resources import load_coach
from webapp.session import current_user, record_check, team_settings

CUSTOMER_KEY = "check.customer"
REPLY_KEY = "check.reply"
AUDIENCE_KEY = "check.audience"
CHECK_KEY = "check.run"
APPLY_KEY = "check.apply"
DOWNLOAD_KEY = "check.download"
KEEP_TEXT_KEY = "check.keep_text"
# The last successful check: {"report", "audience_inferred", "previous_scores"} (the scores of the
# check before it, for the deltas). A dict, not a class: this script's classes are redefined each run.
RESULT_KEY = "check.result"
DRAFT_KEYS = (CUSTOMER_KEY, REPLY_KEY, AUDIENCE_KEY)
SAVED_PREFIX = "check.saved."

INFERRED = "inferred"
AUDIENCE_LABELS = {INFERRED: "Infer from the customer's message", "non-technical": "Non-technical",
                   "technical": "Technical"}
OVERALL_HELP = ("Weighted mean of the dimensions that ran. Asking for a password or pasting a "
                "credential caps it, however good the rest is.")
LANGUAGETOOL_NOTE = (":material/info: Grammar: spelling only, as no LanguageTool server is connected. "
                     "For grammar too, start the app with `COACH_LANGUAGETOOL_URL=http://host:8081`.")


def _scores_of(data: dict[str, Any]) -> dict[str, float | None]:
    return {"overall": data["overall"], **data["scores"]}


def _keep_draft() -> None:
    """Streamlit drops a widget's value when another page runs; bring the draft back from its copy."""
    for key in DRAFT_KEYS:
        if key not in st.session_state and SAVED_PREFIX + key in st.session_state:
            st.session_state[key] = st.session_state[SAVED_PREFIX + key]
    st.session_state.setdefault(AUDIENCE_KEY, INFERRED)


def _save_draft() -> None:
    for key in DRAFT_KEYS:
        st.session_state[SAVED_PREFIX + key] = st.session_state[key]


def _apply(revised: str) -> None:
    # A callback runs before the widgets are drawn, which is when a text_area's value may change.
    st.session_state[REPLY_KEY] = revised


def _inputs() -> bool:
    """Draw the editor; True when Check was clicked."""
    left, right = st.columns(2)
    with left:
        st.text_area("The customer's message (optional)", key=CUSTOMER_KEY, height=220,
                     placeholder="Paste what the customer wrote, so the coach can tell how they feel "
                                 "and which words they already know.")
    with right:
        st.text_area("Your draft reply", key=REPLY_KEY, height=220,
                     placeholder="Paste or write the reply you are about to send.")
    st.radio("Who is the customer?", options=list(AUDIENCE_LABELS), format_func=AUDIENCE_LABELS.get,
             key=AUDIENCE_KEY, horizontal=True,
             help="How much technical language the coach tolerates.")
    if st.session_state[AUDIENCE_KEY] == INFERRED and not st.session_state[CUSTOMER_KEY].strip():
        st.caption("Without the customer's message, the coach assumes a non-technical customer.")
    user = current_user()
    if user is None:
        st.caption("Not signed in: checks are not saved. Sign in on the Account page to keep your progress.")
    else:
        st.checkbox("Keep my reply text in my history (e-mail addresses, phone and card numbers, passwords "
                    "are removed first)", key=KEEP_TEXT_KEY, value=False,
                    help="Without this, only the scores and the kinds of finding are saved.")
    return st.button("Check", key=CHECK_KEY, type="primary", icon=":material/fact_check:")


def _check() -> bool:
    """Analyse the draft and keep the result; on unusable input, say why and return False."""
    choice = st.session_state[AUDIENCE_KEY]
    customer = st.session_state[CUSTOMER_KEY]
    try:
        with st.spinner("Checking your reply…"):
            report = coach.analyze(st.session_state[REPLY_KEY], customer_message=customer or None,
                                   audience=None if choice == INFERRED else choice, team=team_settings())
    except CoachError as error:
        st.warning(str(error), icon=":material/edit_note:")
        return False
    record_check(report, st.session_state[REPLY_KEY], store_text=st.session_state.get(KEEP_TEXT_KEY, False))
    last = st.session_state.get(RESULT_KEY)
    st.session_state[RESULT_KEY] = {
        "report": report,
        "audience_inferred": choice == INFERRED and report.customer_message is not None,
        "previous_scores": _scores_of(last["report"].to_dict()) if last else None,
    }
    return True


def _show_scores(data: dict[str, Any], previous: dict[str, float | None] | None) -> None:
    scores = _scores_of(data)
    for column, (name, score) in zip(st.columns(len(scores)), scores.items()):
        label = highlight.dimension_label(name)
        status = data["status"].get(name, "ok")
        with column:
            if score is None:
                st.metric(label, "n/a", help=status, border=True)
                st.caption(status)
                continue
            before = previous.get(name) if previous else None
            delta = None if before is None else round(score - before)
            # The one line under the scores already explains a grammar check without LanguageTool.
            quiet = status == "ok" or (name == "grammar" and status.startswith("partial"))
            help_text = OVERALL_HELP if name == "overall" else (None if quiet else status)
            st.metric(label, f"{score:.0f}", delta=delta, help=help_text, border=True)
    if data["status"].get("grammar", "").startswith("partial"):
        st.caption(LANGUAGETOOL_NOTE)


def _describe_check(data: dict[str, Any], audience_inferred: bool) -> str:
    metrics = data["metrics"]
    who = f"Checked for a {data['audience']} customer"
    if audience_inferred:
        who += " (inferred from their message)"
    if data["customer_mood"] != "calm":
        who += f", who sounds {data['customer_mood']}"
    grade = metrics.get("grade")
    grade_text = "n/a" if grade is None else f"{grade:g}"
    return (f"{who} · {metrics.get('words', 0)} words · {metrics.get('sentences', 0)} sentences · "
            f"reading grade {grade_text}")


def _show_suggestions(report: Report, data: dict[str, Any]) -> None:
    st.subheader("What to change")
    if not data["feedback"]:
        st.caption("No suggestions: this reply is ready to send.")
    for suggestion in data["feedback"]:
        with st.container(border=True):
            st.html(highlight.suggestion_html(suggestion))
            if suggestion["rewrite"] and suggestion["rewrite"].strip():
                st.caption("Suggested wording")
                # A rewrite carries the spacing that fits it into the reply; shown, that is noise.
                st.code(suggestion["rewrite"].strip(), language=None, wrap_lines=True)
    revised = feedback.apply_suggestions(report)
    st.button("Apply suggestions", key=APPLY_KEY, on_click=_apply, args=(revised,),
              disabled=revised == report.text, icon=":material/auto_fix_high:",
              help="Put the revised reply below in the editor; then Check again to see the scores move.")
    if revised != report.text:
        st.caption("Revised reply (copy it with the button at its top right)")
        st.code(revised, language=None, wrap_lines=True)


def _show_result(result: dict[str, Any]) -> None:
    report = result["report"]
    data = report.to_dict()
    st.divider()
    if report.text != st.session_state[REPLY_KEY]:
        st.info("The draft has changed since this check: click Check to score the new version.",
                icon=":material/update:")
    _show_scores(data, result["previous_scores"])
    st.caption(_describe_check(data, result["audience_inferred"]))
    if data["summary"]:
        st.html(highlight.paragraph_html(data["summary"]))

    reply_column, findings_column = st.columns([3, 2])
    with reply_column:
        st.subheader("Your reply")
        st.html(highlight.legend_html(data["scores"]))
        st.html(highlight.highlight_html(report.text, data["findings"]))
        st.caption("Hover over a highlighted passage to see what to change.")
    with findings_column:
        st.subheader("What was flagged")
        st.html(highlight.findings_list_html(data["findings"]))

    _show_suggestions(report, data)
    if data["strengths"]:
        st.subheader("What works")
        st.html(highlight.bullets_html(data["strengths"]))
    st.download_button("Download the report (JSON)", key=DOWNLOAD_KEY,
                       data=json.dumps(data, indent=2, ensure_ascii=False),
                       file_name="support-coach-report.json", mime="application/json",
                       on_click="ignore", icon=":material/download:")


def main() -> None:
    st.title("Check a reply")
    try:
        load_coach()
    except CoachError as error:
        st.error(str(error))
        st.stop()
    _keep_draft()
    clicked = _inputs()
    _save_draft()
    if clicked and not _check():
        return
    result = st.session_state.get(RESULT_KEY)
    if result is not None:
        _show_result(result)


main()
