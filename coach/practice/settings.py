"""The practice settings (coach/data/practice.yaml): how a reply's outcome is decided, and costs."""
from __future__ import annotations

import functools
import re
from typing import Any

from coach.config import DATA_DIR
from coach.context import AUDIENCES, MOODS
from coach.datafiles import field, load_yaml, string_list
from coach.errors import DataFileError
from coach.findings import SEVERITIES

SETTINGS_FILE = DATA_DIR / "practice.yaml"
# The outcomes a reply can have besides good/resolved; scenario goals name one as `on_miss`.
PROBLEM_OUTCOMES = ("unsafe", "jargon", "cold", "vague")
OUTCOMES = (*PROBLEM_OUTCOMES, "good", "resolved")
# The words the practice texts use for a customer, by a persona's `pronouns`.
PRONOUNS = {"he": {"they": "he", "them": "him", "their": "his"},
            "she": {"they": "she", "them": "her", "their": "her"},
            "they": {"they": "they", "them": "them", "their": "their"}}
# The quotes a `heard` template may use (coach/practice/reactions.py finds them in the reply).
QUOTE_FIELDS = ("term", "blame", "unsafe", "promise", "step")


@functools.cache
def practice_settings() -> dict[str, Any]:
    path = SETTINGS_FILE
    raw = load_yaml(path)
    precedence = string_list(raw, "precedence", path, "")
    if sorted(precedence) != sorted(PROBLEM_OUTCOMES):
        raise DataFileError(path, "precedence", f"must list each of {', '.join(PROBLEM_OUTCOMES)} once")
    levels = field(raw, "audience_for_level", dict, path, "")
    for level, audience in levels.items():
        if audience not in AUDIENCES:
            raise DataFileError(path, f"audience_for_level.{level}", f"must be one of {', '.join(AUDIENCES)}")
    for key in ("unsafe_severities", "jargon_rules", "acknowledgement_rules", "cold_moods", "cold_rules"):
        string_list(raw, key, path, "")
    for severity in raw["unsafe_severities"]:
        if severity not in SEVERITIES:
            raise DataFileError(path, "unsafe_severities", f"unknown severity {severity!r}")
    mood_after = field(raw, "mood_after", dict, path, "")
    for outcome in OUTCOMES:
        mood = field(mood_after, outcome, str, path, "mood_after")
        if mood != "keep" and mood not in MOODS:
            raise DataFileError(path, f"mood_after.{outcome}", f"must be keep or one of {', '.join(MOODS)}")
    costs = field(raw, "practice_costs", dict, path, "")
    for key in (*SEVERITIES, "missed_goal"):
        field(costs, key, (int, float), path, "practice_costs")
    field(raw, "practice_points", int, path, "")
    for name, expression in field(raw, "shared_patterns", dict, path, "").items():
        if not isinstance(expression, str):
            raise DataFileError(path, f"shared_patterns.{name}", "must be a regular expression")
        _compile(expression, path, f"shared_patterns.{name}")
    _check_reactions(raw, path)
    string_list(raw, "topics", path, "")
    for rule, when in field(raw, "chat_due_only", dict, path, "").items():
        if when not in ("first", "last"):
            raise DataFileError(path, f"chat_due_only.{rule}", "must be first or last")
    field(field(raw, "path", dict, path, ""), "good_overall", (int, float), path, "path")
    for key in ("skill_labels", "goal_library", "not_meant"):
        field(raw, key, dict, path, "")
    for rule in raw["not_meant"]:
        for index, expression in enumerate(string_list(raw["not_meant"], rule, path, "not_meant")):
            _compile(expression, path, f"not_meant.{rule}[{index}]")
    return raw


def _compile(expression: str, path: Any, where: str) -> None:
    try:
        re.compile(expression)
    except re.error as exc:
        raise DataFileError(path, where, f"invalid regular expression ({exc})") from None


def _check_reactions(raw: dict[str, Any], path: Any) -> None:
    field(raw, "quote_max_chars", int, path, "")
    heard = field(raw, "heard", dict, path, "")
    defaults = field(raw, "default_reactions", dict, path, "")
    for outcome in OUTCOMES:
        field(defaults, outcome, str, path, "default_reactions")
        templates = field(heard, outcome, list, path, "heard")
        for index, template in enumerate(templates):
            where = f"heard.{outcome}[{index}]"
            if not isinstance(template, str):
                raise DataFileError(path, where, "must be text")
            unknown = set(re.findall(r"{(\w*)}", template)) - set(QUOTE_FIELDS)
            if unknown:
                raise DataFileError(path, where, f"unknown quote {{{sorted(unknown)[0]}}} "
                                                 f"(known: {', '.join(QUOTE_FIELDS)})")
        if re.search(r"{\w*}", templates[-1]):
            raise DataFileError(path, f"heard.{outcome}", "the last template must quote nothing "
                                                          "(it is used when the reply has nothing to quote)")
