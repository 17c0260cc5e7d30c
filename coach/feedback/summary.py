"""The one-line summary in a mentor's voice: the reply's strongest point, then the change that
would help this customer most. Built from the reply's own strength and top suggestion, so it
changes with the reply (the phrasings are templates.yaml `summary`)."""
from __future__ import annotations

from coach.feedback import voice
from coach.feedback.strengths import Strength
from coach.feedback.templates import Templates, render
from coach.report import Report


def compose(report: Report, templates: Templates, strength: Strength | None, action: str | None) -> str:
    values = {**voice.customer_values(report), "praise": strength.praise if strength else "",
              "action": action or ""}
    key = ("both" if strength and action else "praise_only" if strength
           else "action_only" if action else "neither")
    tone = report.scores.get("tone")
    if not action and tone is not None and tone < templates.cold_tone_below:
        key = "praise_cold" if strength else "cold"
    return render(templates.summary[key], values)
