"""Report parts as safely-escaped HTML: the reply with flagged passages marked in place, a legend,
the list of findings, and the suggestion cards.

Pure Python, no Streamlit, so it is unit-tested on its own. Everything that can contain user text
(the reply, quotes, finding messages and suggestions, which may quote the reply) goes through
`html.escape`: a pasted `<script>` is shown as text, never run. Findings and suggestions are the
dicts of `report.to_dict()` (the coach.report/1 contract), so stored reports render the same way.
"""
from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# One background per dimension, light enough for dark text in either Streamlit theme.
DIMENSION_COLOURS = {
    "jargon": "#fde68a",
    "readability": "#bfdbfe",
    "tone": "#fecaca",
    "empathy": "#ddd6fe",
    "grammar": "#bbf7d0",
    "security": "#fdba74",
    # placeholders left to fill in ("[your name]"): not a scored dimension, but must stand out
    "draft": "#f9a8d4",
}
DIMENSION_LABELS = {"draft": "Placeholder"}
# A dimension added later gets one of these, always the same one for the same name.
SPARE_COLOURS = ("#a5f3fc", "#f5d0fe", "#d9f99d", "#e7e5e4")
MARK_TEXT_COLOUR = "#111827"

_REPLY_STYLE = ("white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.8;padding:0.75rem 1rem;"
                "border:1px solid rgba(128,128,128,0.35);border-radius:0.5rem")
_MARK_STYLE = "background:{colour};color:{text};border-radius:3px;padding:0 1px"
_GAP_STYLE = ("background:{colour};color:{text};border-radius:999px;padding:0 0.35em;margin:0 1px;"
              "font-size:0.75em;font-weight:600;vertical-align:super;cursor:help")
_SWATCH_STYLE = ("display:inline-block;width:0.9em;height:0.9em;border-radius:3px;margin-right:0.3em;"
                 "vertical-align:-0.1em;background:{colour}")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def dimension_label(name: str) -> str:
    """'jargon' -> 'Jargon' (the name shown next to scores and in the legend)."""
    if name in DIMENSION_LABELS:
        return DIMENSION_LABELS[name]
    return name.replace("_", " ").replace("-", " ").capitalize()


def colour_for(analyzer: str) -> str:
    if analyzer in DIMENSION_COLOURS:
        return DIMENSION_COLOURS[analyzer]
    return SPARE_COLOURS[sum(map(ord, analyzer)) % len(SPARE_COLOURS)]


def _explanation(finding: Mapping[str, Any]) -> str:
    """The hover text of one finding: dimension, message, and the suggestion when there is one."""
    line = f"{dimension_label(finding['analyzer'])}: {finding['message']}"
    if finding.get("suggestion"):
        line += f" Try: {finding['suggestion']}"
    return line


def _clip(value: int, length: int) -> int:
    return max(0, min(int(value), length))


def _change_ids(findings: Iterable[Mapping[str, Any]], changes: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    """The ids of the changes offered for these findings: for a passage, its rule's changes that
    overlap it; for something missing, all of its rule's changes."""
    ids: list[str] = []
    for finding in findings:
        for change in changes.get(finding["rule"], ()):
            empty = finding["start"] == finding["end"]
            if empty or (change["start"] < finding["end"] and finding["start"] < change["end"]):
                ids.append(change["id"])
    return " ".join(dict.fromkeys(ids))


def _changes_attribute(findings: Iterable[Mapping[str, Any]], changes: Mapping[str, Sequence[Mapping[str, Any]]] | None) -> str:
    ids = _change_ids(findings, changes) if changes else ""
    return f' data-changes="{_e(ids)}"' if ids else ""


def highlight_html(text: str, findings: Sequence[Mapping[str, Any]], css_class: str = "coach-reply",
                   changes: Mapping[str, Sequence[Mapping[str, Any]]] | None = None) -> str:
    """The reply as HTML, each flagged passage in a <mark> coloured by its dimension.

    Overlapping findings (a jargon term inside a long sentence) split the text into pieces; each
    piece takes the colour of the shortest finding covering it, and its title lists every finding
    covering it. A finding about something missing (empty span) becomes a small "+" badge at its
    position, with the message on hover. `changes` (rule -> the changes its suggestion offers, as
    in the report's `feedback[].changes`) marks each passage with the ids of the changes that fix
    it (`data-changes`), for the page's popover.
    """
    length = len(text)
    spans = [(_clip(f["start"], length), _clip(f["end"], length), f) for f in findings]
    passages = [(start, end, f) for start, end, f in spans if start < end]
    gaps: dict[int, list[Mapping[str, Any]]] = {}
    for start, end, finding in spans:
        if start == end:
            gaps.setdefault(start, []).append(finding)
    cuts = sorted({0, length, *(s for s, _, _ in passages), *(e for _, e, _ in passages)})
    parts: list[str] = []
    for piece_start, piece_end in zip(cuts, cuts[1:]):
        parts.extend(_gap_html(f, changes) for f in gaps.get(piece_start, ()))
        covering = sorted((f for s, e, f in passages if s <= piece_start and piece_end <= e),
                          key=lambda f: f["end"] - f["start"])
        piece = _e(text[piece_start:piece_end])
        if covering:
            innermost = covering[0]
            parts.append(
                f'<mark class="coach-mark" data-analyzer="{_e(innermost["analyzer"])}" '
                f'data-rule="{_e(innermost["rule"])}"{_changes_attribute(covering, changes)} '
                f'title="{_e(chr(10).join(_explanation(f) for f in covering))}" '
                f'style="{_MARK_STYLE.format(colour=colour_for(innermost["analyzer"]), text=MARK_TEXT_COLOUR)}">'
                f"{piece}</mark>"
            )
        else:
            parts.append(piece)
    # A gap at the very end (a missing closing) has no piece starting there.
    parts.extend(_gap_html(f, changes) for f in gaps.get(length, ()))
    return f'<div class="{_e(css_class)}" style="{_REPLY_STYLE}">{"".join(parts)}</div>'


def _gap_html(finding: Mapping[str, Any], changes: Mapping[str, Sequence[Mapping[str, Any]]] | None = None) -> str:
    explanation = _e(_explanation(finding))
    style = _GAP_STYLE.format(colour=colour_for(finding["analyzer"]), text=MARK_TEXT_COLOUR)
    return (f'<span class="coach-gap" data-analyzer="{_e(finding["analyzer"])}" '
            f'data-rule="{_e(finding["rule"])}"{_changes_attribute([finding], changes)} title="{explanation}" aria-label="{explanation}" '
            f'style="{style}">+</span>')


def legend_html(dimensions: Iterable[str]) -> str:
    """A colour key for the given dimensions."""
    items = "".join(
        f'<span style="margin-right:1em;white-space:nowrap">'
        f'<span style="{_SWATCH_STYLE.format(colour=colour_for(name))}"></span>{_e(dimension_label(name))}</span>'
        for name in dimensions
    )
    return f'<div class="coach-legend" style="font-size:0.85em;margin:0.25rem 0 0.5rem">{items}</div>'


def findings_list_html(findings: Sequence[Mapping[str, Any]]) -> str:
    """Every finding in reading order: dimension swatch, the quoted passage, message, suggestion."""
    if not findings:
        return '<p class="coach-findings">Nothing flagged.</p>'
    items = []
    for finding in findings:
        quote = (f"&ldquo;{_e(finding['text'])}&rdquo;" if finding["text"]
                 else "<em>something missing</em>")
        severity = (f' <strong>({_e(finding["severity"])})</strong>'
                    if finding["severity"] in ("error", "critical") else "")
        suggestion = (f'<br><span style="opacity:0.85">Try: {_e(finding["suggestion"])}</span>'
                      if finding.get("suggestion") else "")
        items.append(
            f'<li data-rule="{_e(finding["rule"])}" style="margin-bottom:0.5em">'
            f'<span style="{_SWATCH_STYLE.format(colour=colour_for(finding["analyzer"]))}"></span>'
            f'<strong>{_e(dimension_label(finding["analyzer"]))}</strong>{severity}: {quote}<br>'
            f'{_e(finding["message"])}{suggestion}</li>'
        )
    # Scrolls on its own past a screenful, so the suggestions stay close to the reply.
    return (f'<ul class="coach-findings" style="padding-left:1em;list-style:none;max-height:28rem;'
            f'overflow-y:auto">{"".join(items)}</ul>')


def suggestion_html(suggestion: Mapping[str, Any]) -> str:
    """One mentor suggestion: its rank and title, the passage it is about, and why."""
    quote = (f'<blockquote style="margin:0.4em 0;padding-left:0.75em;border-left:3px solid '
             f'{colour_for(suggestion["analyzer"])}">{_e(suggestion["quote"])}</blockquote>'
             if suggestion.get("quote") else "")
    return (f'<div class="coach-suggestion" data-rule="{_e(suggestion["rule"])}">'
            f'<strong>{_e(suggestion["priority"])}. {_e(suggestion["title"])}</strong>'
            f'{quote}<p style="margin:0.25em 0">{_e(suggestion["detail"])}</p></div>')


_DIFF_STYLE = ("white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.7;margin:0.35em 0;padding:0.4em 0.6em;"
               "border-radius:0.4rem;background:rgba(128,128,128,0.08)")
_DELETED_STYLE = "background:#fecaca;color:#7f1d1d;text-decoration:line-through"
_INSERTED_STYLE = "background:#bbf7d0;color:#14532d;text-decoration:none;margin-left:0.15em"
_PIECES = re.compile(r"\s+|\w+|[^\w\s]")


def diff_pieces(before: str, after: str) -> list[tuple[str, str]]:
    """The change word by word: ("same" | "del" | "ins", text) pieces in reading order."""
    old, new = _PIECES.findall(before), _PIECES.findall(after)
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(new[j1:j2])))
    return pieces


def diff_html(before: str, after: str, note: str | None = None) -> str:
    """A change as the agent sees it before taking it: the sentence with the words it removes struck
    through in red and the words it adds in green (a drafted sentence is all green)."""
    styles = {"del": _DELETED_STYLE, "ins": _INSERTED_STYLE}
    parts = [_e(text) if kind == "same" else f'<{kind} style="{styles[kind]}">{_e(text)}</{kind}>'
             for kind, text in diff_pieces(before, after)]
    remark = f'<p class="coach-change-note" style="margin:0.2em 0;font-size:0.9em">{_e(note)}</p>' if note else ""
    return f'<div class="coach-diff" style="{_DIFF_STYLE}">{"".join(parts)}</div>{remark}'


def paragraph_html(text: str) -> str:
    return f'<p style="margin:0">{_e(text)}</p>'


def bullets_html(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in items) + "</ul>"
