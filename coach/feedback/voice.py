"""Who the mentor is talking about: the placeholder values that make a phrasing fit this customer.

The customer's name and mood come from report.persona. `cue` is the customer's own words that
showed their mood ("third time", "worried"): the first phrase of coach/data/customer.yaml's mood
rule found in their message, so the feedback can say why an acknowledgement matters to *them*.
"""
from __future__ import annotations

import functools
import re

from coach.report import Report
from coach.rules import load_ruleset

MOOD_RULES = {"upset": "customer.upset", "anxious": "customer.anxious"}
QUOTE_LIMIT = 70


@functools.cache
def _cue_pattern(mood: str) -> re.Pattern[str] | None:
    rule_id = MOOD_RULES.get(mood)
    if rule_id is None:
        return None
    phrases = sorted(load_ruleset("customer").get(rule_id).phrases, key=len, reverse=True)
    if not phrases:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)", re.IGNORECASE)


def mood_cue(report: Report) -> str | None:
    """The customer's own words that show their mood, as they wrote them, or None."""
    pattern = _cue_pattern(report.persona.mood)
    if pattern is None or not report.customer_message:
        return None
    found = pattern.search(report.customer_message)
    return found.group(0) if found else None


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
    return {
        "customer": name or "your customer",
        "comma_name": f", {name}" if name else "",
        "hello_name": name or "there",
        "cue": mood_cue(report) or "",
    }


def variant_keys(report: Report, has_cue: bool) -> tuple[str, ...]:
    """Phrasing variants for this customer, most specific first."""
    mood, audience = report.persona.mood, report.persona.audience
    keys = (f"{mood}_cue",) if has_cue else ()
    return (*keys, mood, audience)
