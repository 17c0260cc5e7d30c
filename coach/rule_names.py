"""What a person reads instead of a rule id: "Start by showing you understand", not
"empathy.no-acknowledgement". Names come from the mentor's titles (coach/feedback/templates.yaml)
and, where a title quotes the reply, from coach/data/rule_names.yaml.
"""
from __future__ import annotations

import functools

from coach.config import DATA_DIR
from coach.datafiles import load_yaml
from coach.errors import DataFileError
from coach.feedback.templates import load_templates

NAMES_FILE = DATA_DIR / "rule_names.yaml"
# How a title's placeholders read when no particular reply is meant.
_GENERIC = {"customer": "the customer", "hello_name": "there", "comma_name": ""}


@functools.cache
def _names() -> dict[str, str]:
    raw = load_yaml(NAMES_FILE)
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                            for k, v in raw.items()):
        raise DataFileError(NAMES_FILE, "", "must map rule ids to names")
    return dict(raw)


def dimension_name(name: str) -> str:
    """'jargon' -> 'Jargon', 'overall' -> 'Overall': one capitalisation on every page and export."""
    return name.replace("_", " ").replace("-", " ").capitalize()


def rule_name(rule: str) -> str:
    """The readable name of a rule id."""
    if rule in _names():
        return _names()[rule]
    template = load_templates().rules.get(rule)
    if template is not None:
        try:
            return template.title.format(**_GENERIC)
        except (KeyError, IndexError):
            pass
    dimension, _, tail = rule.partition(".")
    return f"{dimension_name(dimension)}: {tail.replace('-', ' ').replace('_', ' ').lower()}" if tail \
        else dimension_name(rule)
