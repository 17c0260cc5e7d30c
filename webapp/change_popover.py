"""A popover on the highlighted reply: click a marked passage (or a "+" badge) to see the change the
coach offers for it as a diff, with Accept and Skip, without scrolling to its card.

A Streamlit component (st.components.v2) with no area of its own: its script finds the marks the
page drew with webapp.highlight (those with `data-changes`) and opens the popover next to the one
clicked. Every piece of text reaches the browser as data and is set with `textContent`, never as
HTML, so the reply's own text can never run. A click sends {"id", "choice"} back to Python.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from coach.feedback import fill_placeholders
from coach.report import Suggestion
from webapp import highlight

KEY = "check.popover"

_JS = """
export default function(component) {
  const { data, setTriggerValue } = component;
  const changes = data.changes || {};
  const close = () => document.querySelectorAll('.coach-popover').forEach((box) => box.remove());
  const button = (label, choice, id, primary) => {
    const element = document.createElement('button');
    element.type = 'button';
    element.textContent = label;
    element.className = 'coach-popover-' + choice;
    element.dataset.primary = primary ? 'true' : 'false';
    element.onclick = (event) => {
      event.stopPropagation();
      close();
      setTriggerValue('choice', { id: id, choice: choice });
    };
    return element;
  };
  const open = (mark) => {
    close();
    const box = document.createElement('div');
    box.className = 'coach-popover';
    box.setAttribute('role', 'dialog');
    for (const id of mark.dataset.changes.split(' ')) {
      const change = changes[id];
      if (!change) continue;
      const title = document.createElement('strong');
      title.textContent = change.title;
      const diff = document.createElement('div');
      diff.className = 'coach-popover-diff';
      for (const [kind, text] of change.pieces) {
        const piece = document.createElement(kind === 'same' ? 'span' : kind);
        piece.textContent = text;
        diff.appendChild(piece);
      }
      box.append(title, diff);
      if (change.note) {
        const note = document.createElement('p');
        note.textContent = change.note;
        box.appendChild(note);
      }
      const row = document.createElement('div');
      row.className = 'coach-popover-buttons';
      row.append(button('Accept', 'accept', change.id, true), button('Skip', 'skip', change.id, false));
      box.appendChild(row);
    }
    if (!box.childElementCount) return;
    mark.scrollIntoView({ block: 'nearest' });
    const where = mark.getBoundingClientRect();
    box.style.left = Math.round(Math.max(8, Math.min(where.left, window.innerWidth - 440))) + 'px';
    box.style.top = '0px';
    document.body.appendChild(box);
    // below the passage when it fits, else above it, always inside the window
    const height = box.getBoundingClientRect().height;
    const below = where.bottom + 6;
    const top = below + height <= window.innerHeight ? below : Math.max(8, where.top - 6 - height);
    box.style.top = Math.round(top) + 'px';
  };
  const attach = () => {
    document.querySelectorAll('.coach-reply [data-changes]').forEach((mark) => {
      if (mark.dataset.coachPopover === data.version) return;
      mark.dataset.coachPopover = data.version;
      mark.classList.add('coach-has-change');
      mark.onclick = (event) => { event.stopPropagation(); open(mark); };
    });
  };
  const observer = new MutationObserver(attach);
  observer.observe(document.body, { childList: true, subtree: true });
  document.addEventListener('click', close);
  attach();
  return () => {
    observer.disconnect();
    document.removeEventListener('click', close);
    close();
  };
}
"""

_CSS = """
.coach-has-change { cursor: pointer; outline: 1px dashed rgba(17, 24, 39, 0.35); }
.coach-popover { position: fixed; z-index: 1000; max-width: 420px; padding: 0.6rem 0.8rem;
  border-radius: 0.5rem; background: #ffffff; color: #111827; font-size: 0.9rem; line-height: 1.5;
  box-shadow: 0 6px 24px rgba(0, 0, 0, 0.25); border: 1px solid rgba(128, 128, 128, 0.4); }
.coach-popover p { margin: 0.3em 0; }
.coach-popover-diff { margin: 0.3em 0; white-space: pre-wrap; }
.coach-popover-diff del { background: #fecaca; color: #7f1d1d; }
.coach-popover-diff ins { background: #bbf7d0; color: #14532d; text-decoration: none; margin-left: 0.15em; }
.coach-popover-buttons { display: flex; gap: 0.5rem; margin: 0.3em 0 0.6em; }
.coach-popover-buttons button { border-radius: 0.4rem; padding: 0.2rem 0.8rem; cursor: pointer;
  border: 1px solid rgba(128, 128, 128, 0.6); background: #f3f4f6; color: #111827; }
.coach-popover-buttons button[data-primary="true"] { background: #ff4b4b; border-color: #ff4b4b; color: #ffffff; }
"""

_popover = st.components.v2.component("support_coach.change_popover", js=_JS, css=_CSS, isolate_styles=False)


def changes_by_rule(suggestions: Iterable[Suggestion], skipped: set[str]) -> dict[str, list[dict[str, Any]]]:
    """rule -> the changes still on offer, as webapp.highlight.highlight_html takes them."""
    return {s.rule: [c.to_dict() for c in s.changes if c.id not in skipped]
            for s in suggestions if s.id not in skipped}


def mount(suggestions: Iterable[Suggestion], skipped: set[str], known: dict[str, str], version: str,
          on_choice: Callable[[], None]) -> None:
    """Mount the popover for the marks of the reply drawn this run (`version` changes with the report)."""
    offered = {}
    for suggestion in suggestions:
        if suggestion.id in skipped:
            continue
        for change in suggestion.changes:
            if change.id in skipped:
                continue
            # a suggestion with one change is accepted or skipped as a whole, like its card
            target = suggestion.id if len(suggestion.changes) == 1 else change.id
            offered[change.id] = {"target": target, "title": suggestion.title, "note": change.note,
                                  "pieces": highlight.diff_pieces(change.before,
                                                                  fill_placeholders(change.after, known))}
    # the marks name changes by their own id; the choice is sent for the card's target
    data = {"version": version, "changes": {cid: {**item, "id": item["target"]} for cid, item in offered.items()}}
    _popover(data=data, key=KEY, on_choice_change=on_choice, height=0)


def choice() -> dict[str, str] | None:
    """The {"id", "choice"} of the popover button just clicked (in the callback), else None."""
    value = st.session_state.get(KEY)
    picked = value.get("choice") if hasattr(value, "get") else None
    return picked if isinstance(picked, dict) and picked.get("choice") in ("accept", "skip") else None
