"""Page "Check a reply" (the landing page).

The agent pastes a draft reply (and, optionally, the customer's message), clicks Check, and sees
the scores, the flagged passages in place, and the mentor's suggestions. Each change a suggestion
offers is shown as a diff and taken ("Accept") or left ("Skip") on its own; "Apply all" takes
exactly the changes listed. Taking a change or filling in a placeholder puts the new draft in the
editor and checks it again, so the deltas show how each score moved.
"""
from __future__ import annotations

import json
from typing import Any

import streamlit as st

import coach
from coach import feedback, placeholders
from coach.errors import CoachError
from coach.report import PLACEHOLDER_RULE, Change, Report, Suggestion
from webapp import change_popover, highlight
from webapp.dismiss import dismiss_findings
from webapp.resources import load_coach
from webapp.session import current_user, record_check, team_settings

CUSTOMER_KEY = "check.customer"
REPLY_KEY = "check.reply"
AUDIENCE_KEY = "check.audience"
CHECK_KEY = "check.run"
APPLY_KEY = "check.apply"
DOWNLOAD_KEY = "check.download"
KEEP_TEXT_KEY = "check.keep_text"
# ids of the suggestions and changes the agent skipped (kept across checks: ids are stable)
SKIPPED_KEY = "check.skipped"
# set by a button that changed the draft: check the new draft in this run
RECHECK_KEY = "check.recheck"
ACCEPT_PREFIX = "check.accept."
SKIP_PREFIX = "check.skip."
FILL_PREFIX = "check.fill."
CARD_PREFIX = "check.card."
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
LANGUAGETOOL_NOTE = (":material/info: Grammar: spelling only, as the Harper grammar checker (harper-py) "
                     "could not load. Reinstall it, or start the app with "
                     "`COACH_LANGUAGETOOL_URL=http://host:8081`.")


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


def _known() -> dict[str, str]:
    """Placeholders the page can fill itself: the agent's name from the signed-in account."""
    user = current_user()
    return {"your name": user.name} if user is not None and user.name.strip() else {}


def _skipped() -> set[str]:
    return st.session_state.setdefault(SKIPPED_KEY, set())


def _revise(revised: str) -> None:
    # A callback runs before the widgets are drawn, which is when a text_area's value may change.
    st.session_state[REPLY_KEY] = revised
    st.session_state[RECHECK_KEY] = True


def _report() -> Report:
    return st.session_state[RESULT_KEY]["report"]


def _accept(identifier: str) -> None:
    _revise(feedback.apply_suggestion(_report(), identifier, known=_known()))


def _apply_all() -> None:
    _revise(feedback.apply_suggestions(_report(), skip=_skipped(), known=_known()))


def _skip(identifier: str) -> None:
    _skipped().add(identifier)


def _popover_choice() -> None:
    picked = change_popover.choice()
    if picked is None:
        return
    (_accept if picked["choice"] == "accept" else _skip)(picked["id"])


def _unskip() -> None:
    _skipped().clear()


def _fill(placeholder: str, key: str) -> None:
    try:
        _revise(feedback.fill_placeholder(st.session_state[REPLY_KEY], placeholder, st.session_state.get(key, "")))
    except CoachError as error:
        st.session_state[FILL_PREFIX + "error"] = str(error)


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
            # The one line under the scores already explains a spelling-only grammar check.
            quiet = status == "ok" or (name == "grammar" and status.startswith("partial: spelling only"))
            help_text = OVERALL_HELP if name == "overall" else (None if quiet else status)
            st.metric(label, f"{score:.0f}", delta=delta, help=help_text, border=True)
    if data["status"].get("grammar", "").startswith("partial: spelling only"):
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


def _change_buttons(identifier: str, stale: bool) -> None:
    """Accept / Skip for one change (or a suggestion with one change): separate from any button
    another feature adds to the card."""
    accept, skip, _ = st.columns([1, 1, 4])
    with accept:
        st.button("Accept", key=ACCEPT_PREFIX + identifier, on_click=_accept, args=(identifier,),
                  disabled=stale, icon=":material/check:", type="primary",
                  help="Put this change in your draft and check it again.")
    with skip:
        st.button("Skip", key=SKIP_PREFIX + identifier, on_click=_skip, args=(identifier,),
                  icon=":material/close:", help="Leave your wording as it is; Apply all won't take this.")


def _change_diff(change: Change, known: dict[str, str]) -> None:
    st.html(highlight.diff_html(change.before, feedback.fill_placeholders(change.after, known), change.note))


def _placeholder_inputs(report: Report, stale: bool) -> None:
    """A box per placeholder left in the draft; "Fill in" writes the detail in its place."""
    shown = dict.fromkeys(f.text for f in report.findings if f.rule == PLACEHOLDER_RULE)
    for number, placeholder in enumerate(shown):
        key = f"{FILL_PREFIX}{number}"
        field, button = st.columns([4, 1], vertical_alignment="bottom")
        with field:
            st.text_input(f"What goes in place of {placeholder}?", key=key)
        with button:
            st.button("Fill in", key=f"{key}.apply", on_click=_fill, args=(placeholder, key), disabled=stale,
                      icon=":material/edit:")


def suggestion_card(report: Report, suggestion: Suggestion, known: dict[str, str], stale: bool) -> None:
    """One suggestion: what and why, then each change it offers as a diff with Accept / Skip."""
    skipped = _skipped()
    with st.container(border=True, key=CARD_PREFIX + suggestion.id):
        st.html(highlight.suggestion_html(suggestion.to_dict()))
        changes = [c for c in suggestion.changes if c.id not in skipped]
        if suggestion.rule == PLACEHOLDER_RULE:
            _placeholder_inputs(report, stale)
        elif len(suggestion.changes) == 1:
            _change_diff(suggestion.changes[0], known)
            _change_buttons(suggestion.id, stale)
        else:
            for change in changes:
                _change_diff(change, known)
                _change_buttons(change.id, stale)
            if not suggestion.changes:
                st.button("Skip", key=SKIP_PREFIX + suggestion.id, on_click=_skip, args=(suggestion.id,),
                          icon=":material/close:", help="Hide this suggestion.")


def _listed(report: Report) -> list[Suggestion]:
    skipped = _skipped()
    return [s for s in report.suggestions if s.id not in skipped
            and (not s.changes or any(c.id not in skipped for c in s.changes))]


def _show_suggestions(report: Report, stale: bool) -> None:
    st.subheader("What to change")
    error = st.session_state.pop(FILL_PREFIX + "error", None)
    if error:
        st.warning(error, icon=":material/edit_note:")
    listed = _listed(report)
    if not report.suggestions:
        st.caption("No suggestions: this reply is ready to send.")
    known = _known()
    for suggestion in listed[:Report.MAX_SHOWN_SUGGESTIONS]:
        suggestion_card(report, suggestion, known, stale)
    more = listed[Report.MAX_SHOWN_SUGGESTIONS:]
    if more:
        with st.expander(f"{len(more)} more suggestion{'s' if len(more) > 1 else ''}"):
            for suggestion in more:
                suggestion_card(report, suggestion, known, stale)
    ids = {s.id for s in report.suggestions} | {c.id for s in report.suggestions for c in s.changes}
    hidden = len(_skipped() & ids)
    if hidden:
        st.button(f"Show the {hidden} skipped again", key=SKIP_PREFIX + "undo", on_click=_unskip,
                  icon=":material/undo:")
    revised = feedback.apply_suggestions(report, skip=_skipped(), known=known)
    count = sum(1 for s in listed for c in s.changes if c.id not in _skipped())
    st.button(f"Apply all {count} listed change{'s' if count != 1 else ''}", key=APPLY_KEY, on_click=_apply_all,
              disabled=stale or revised == report.text, icon=":material/auto_fix_high:",
              help="Put every change listed above (not the skipped ones) in your draft and check it again.")
    if revised != report.text:
        st.caption("Your reply with all of them (placeholders marked: fill them in before sending)")
        st.html(highlight.highlight_html(revised, [f.to_dict() for f in placeholders.find(revised)],
                                         css_class="coach-revised"))


def _not_ready(report: Report) -> str:
    left = list(dict.fromkeys(f.text for f in report.findings if f.rule == PLACEHOLDER_RULE))
    reasons = []
    if left:
        reasons.append("fill in " + ", ".join(left))
    if any(f.severity == "critical" for f in report.findings):
        reasons.append("take out what is marked critical")
    return "Not ready to send: " + " and ".join(reasons) + "."


def _show_result(result: dict[str, Any]) -> None:
    report = result["report"]
    data = report.to_dict()
    st.divider()
    stale = report.text != st.session_state[REPLY_KEY]
    if stale:
        st.info("The draft has changed since this check: click Check to score the new version.",
                icon=":material/update:")
    if not report.ready_to_send:
        st.warning(_not_ready(report), icon=":material/block:")
    _show_scores(data, result["previous_scores"])
    st.caption(_describe_check(data, result["audience_inferred"]))
    if data["summary"]:
        st.html(highlight.paragraph_html(data["summary"]))

    reply_column, findings_column = st.columns([3, 2])
    with reply_column:
        st.subheader("Your reply")
        st.html(highlight.legend_html(data["scores"]))
        st.html(highlight.highlight_html(report.text, data["findings"],
                                         changes=change_popover.changes_by_rule(report.suggestions, _skipped())))
        if not stale:
            change_popover.mount(report.suggestions, _skipped(), _known(), str(id(report)), _popover_choice)
        st.caption("Hover over a highlighted passage to see what to change; click one with a dashed outline "
                   "to see the change and take it.")
    with findings_column:
        st.subheader("What was flagged")
        st.html(highlight.findings_list_html(data["findings"]))
        dismiss_findings(report)

    _show_suggestions(report, stale)
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
    recheck = st.session_state.pop(RECHECK_KEY, False)
    if (clicked or recheck) and not _check():
        return
    result = st.session_state.get(RESULT_KEY)
    if result is not None:
        _show_result(result)


main()
