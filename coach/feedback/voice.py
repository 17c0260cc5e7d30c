"""Who the mentor is talking about: the placeholder values that make a phrasing fit this customer.

The customer's name and mood come from report.persona. `cue` is the customer's own words that
showed their mood ("third time", "worried"), found by coach.customer.infer_persona, so the feedback can
say why an acknowledgement matters to *them*.
"""
from __future__ import annotations

from coach.report import Report

QUOTE_LIMIT = 70


def short(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A passage short enough to quote inside a sentence: cut at a word boundary, with '…'."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def customer_values(report: Report) -> dict[str, str]:
    """Placeholder values about the customer; see the top of templates.yaml."""
    name = report.persona.name
    # a reply that already says "Hi Jo," reads oddly with a drafted "…, Jo." right after it
    named = any(e.rule == "empathy.personalisation" and e.text == name for e in report.evidence)
    return {
        "customer": name or "your customer",
        "comma_name": f", {name}" if name and not named else "",
        "hello_name": name or "there",
        "cue": report.persona.mood_cue or "",
    }


def variant_keys(report: Report, has_cue: bool) -> tuple[str, ...]:
    """Phrasing variants for this customer, most specific first."""
    mood, audience = report.persona.mood, report.persona.audience
    keys = (f"{mood}_cue",) if has_cue else ()
    return (*keys, mood, audience)
