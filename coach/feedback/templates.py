"""The mentor's phrasings (coach/feedback/templates.yaml): loaded and validated once.

Every sentence the feedback shows comes from that file, keyed by rule id, with named placeholders
filled in at render time. Rules without their own entry use their analyser's fallback entry.
Errors name the file and the field, e.g. `templates.yaml: rules.tone.blame.why.upset: unknown
placeholder {mood}`.
"""
from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.datafiles import field, load_yaml, string_list
from coach.errors import DataFileError

TEMPLATES_FILE = Path(__file__).resolve().parent / "templates.yaml"

# Every placeholder a phrasing may use (see the top of templates.yaml for what each one holds).
PLACEHOLDERS = frozenset({"quote", "count", "quotes", "suggestion", "customer", "comma_name",
                          "hello_name", "cue", "rewrite", "praise", "action", "last_four", "finding",
                          "question"})
REWRITE_KINDS = ("suggestion", "phrases", "delete", "calm", "mask", "sentence", "please", "active",
                 "insert", "split", "none")
# what a `phrases` rewrite does with a passage its map does not know (drop-sentence: the sentence
# the passage opens goes, when all it says is what the customer should have done)
FALLBACK_KINDS = ("suggestion", "delete", "drop-sentence", "none")
PLACES = ("start", "after-greeting", "after-acknowledgement", "before-closing", "end")
LAYOUTS = ("sentence", "line")
VARIANTS = ("default", "upset", "anxious", "calm", "technical", "non-technical",
            "upset_cue", "anxious_cue")
SUMMARY_KEYS = ("both", "praise_only", "action_only", "neither", "praise_cold", "cold")
# typo: only corrections shaped like a slip of the keyboard; checker: the checker's own correction
# (it offers one only when sure), checked as a sentence, not word for word
SAFE_KINDS = ("typo", "checker", "placeholder")


@dataclass(frozen=True)
class Phrasing:
    """A phrasing with variants for the customer: `default`, a mood, an audience, `<mood>_cue`."""

    variants: dict[str, str]

    def pick(self, keys: tuple[str, ...]) -> str:
        """The first variant among `keys` (most specific first), else `default`."""
        for key in keys:
            if key in self.variants:
                return self.variants[key]
        return self.variants["default"]


@dataclass(frozen=True)
class AskedStep:
    """phrases: a stock first step asked as if the customer's message hadn't been read ("Have you
    tried clearing your cache?", tone.yaml `stock_step`), found by how the question opens."""

    openings: tuple[str, ...]
    # what takes its place: a placeholder for a step that fits what they reported
    text: str
    # first words of a short sentence after it that only leans on it ("That usually fixes it.")
    leaning: tuple[str, ...]
    # the rule whose drafted placeholder answers their question: with it, the step simply goes
    covered_by: str
    replaced_note: str
    dropped_note: str

    def asks(self, quote: str) -> bool:
        return phrase_key(quote).startswith(tuple(o + " " for o in self.openings))


@dataclass(frozen=True)
class Rewrite:
    kind: str
    max_words: int | None = None
    phrases: tuple[tuple[str, str], ...] = ()
    # phrases: passage words -> a sentence that takes the whole sentence's place ("There is nothing
    # we can do." -> "What I can do is [what you can do instead].")
    sentences: tuple[tuple[str, str], ...] = ()
    # phrases: passages whose clause goes when it trails the sentence after a comma ("The app is
    # easier, any user can figure it out." -> "The app is easier.")
    clauses: tuple[str, ...] = ()
    # phrases: map replacements only where no other clause follows the passage in its sentence
    # ("You didn't follow the steps, that's why it failed": advice there would garble the reason)
    lone_clause: bool = False
    otherwise: str = "none"
    text: str | None = None
    place: str | None = None
    layout: str = "sentence"
    order: int = 0
    draft: Phrasing | None = None
    words: tuple[str, ...] = ()
    keep_before: tuple[str, ...] = ()
    # insert: sentences the drafted one contradicts ("do not contact us" vs "let me know"); the
    # draft replaces the first such sentence instead of being added next to it
    replaces: tuple[re.Pattern[str], ...] = ()
    # suggestion: "typo" applies only corrections shaped like a slip of the keyboard ("recieve" ->
    # "receive"); any other correction is shown, never applied ("shud" -> "shed")
    safe: str | None = None
    # suggestion with safe: placeholder: the words the placeholder is read as when the sentence is
    # parsed again ("[when it will be done]" as "tomorrow")
    stand_in: str | None = None
    # insert: add the signature line (Templates.signature) when the reply ends without a name
    sign: bool = False
    # suggestion: a passage inside a phrase listed in coach/feedback/plain_phrases.yaml has the
    # whole phrase rewritten ("BGP misconfiguration" -> "mistake in the network settings")
    whole_phrases: bool = False
    # phrases: a stock first step asked as a question, and what takes its place
    asked_step: AskedStep | None = None

    def replacement_for(self, quote: str) -> str | None:
        return dict(self.phrases).get(phrase_key(quote))

    def sentence_for(self, quote: str) -> str | None:
        return dict(self.sentences).get(phrase_key(quote))


def phrase_key(quote: str) -> str:
    """A passage as a map key: lower case, one space between words, straight apostrophes."""
    return " ".join(quote.lower().replace("’", "'").split())


@dataclass(frozen=True)
class RuleTemplate:
    """How the mentor talks about one rule: title, why it matters, the summary action, the fix."""

    key: str
    title: str
    title_many: str | None
    action: str
    why: Phrasing
    repeat: str | None
    rewrite: Rewrite
    fills: str | None
    # rules whose drafted sentence this rule's rewrite makes unnecessary (a real apology for a
    # non-apology covers the missing apology)
    covers: tuple[str, ...] = ()
    # what a change of this rule that takes out the reply's only answer to a question leaves in its
    # place, and says ({quote} is the question); None: Templates.answer_again
    answer_again: str | None = None
    answer_again_note: str | None = None


@dataclass(frozen=True)
class StrengthTemplate:
    key: str
    text: str
    praise: str


@dataclass(frozen=True)
class Templates:
    path: Path
    repeat: str
    greeting_rules: tuple[str, ...]
    closing_rules: tuple[str, ...]
    # evidence of the sentences that open a reply by thanking or acknowledging the customer: an
    # answer placed "after-acknowledgement" goes after them
    acknowledgement_rules: tuple[str, ...]
    # the layout fallback when the report has no greeting or closing evidence
    greeting_line: re.Pattern[str]
    closing_line: re.Pattern[str]
    rules: dict[str, RuleTemplate]
    fallbacks: dict[str, RuleTemplate]
    strengths: dict[str, StrengthTemplate]
    strength_fallbacks: dict[str, StrengthTemplate]
    dimension_strengths: dict[str, StrengthTemplate]
    summary: dict[str, str]
    # a tone score below this, with nothing to suggest, is a reply people would call cold
    cold_tone_below: float
    # said on a suggestion whose sentence replaces one the reply had ("This replaces '{quote}'...")
    replaces: str
    signature: str
    # said when a plain alternative can't go into the noun compound or name around the passage
    rephrase: str
    # said on a suggestion whose drafted sentence another suggestion already offers
    covered: str
    # said on a change that rewrites a whole sentence of the reply (a request for a password)
    rewrites_sentence: str
    # said on a change that takes a whole sentence out (what the customer should have done)
    drops_sentence: str
    # said on a change that splits a long sentence in two
    splits_sentence: str
    # said on a change that lays a sentence of steps out as a numbered list
    lists_steps: str
    # said when the coach has no safe rewrite for passages the suggestion is about: {quotes}
    no_rewrite: str
    # what takes the place of a phrase only the agent can put in plain words: {quote}
    reword_placeholder: str
    # what takes the place of a technical step no plain words make followable ("flush your DNS
    # cache"), and what is said on it: {quote}
    step_placeholder: str
    technical_step: str
    # what takes the place of a sentence too technical to swap word by word, and what is said on it
    technical_placeholder: str
    technical_sentence: str
    # what a change that takes out the reply's only answer to a question leaves in its place, and
    # what is said on it: {quote} is the question (a rule may say it its own way: RuleTemplate)
    answer_again: str
    answer_again_note: str
    # how a sentence that tells the customer what to do opens ("You need to", "Please"): one with
    # many technical terms is theirs to follow, so swapping each term is not enough
    step_opening: re.Pattern[str]

    def for_rule(self, rule: str, analyzer: str) -> RuleTemplate:
        """The rule's own entry, else its analyser's fallback, else the `any` fallback."""
        return self.rules.get(rule) or self.fallbacks.get(analyzer) or self.fallbacks["any"]

    def for_strength(self, rule: str, analyzer: str) -> StrengthTemplate | None:
        return self.strengths.get(rule) or self.strength_fallbacks.get(analyzer)


def _phrase(value: Any, path: Path, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(path, where, "must be a non-empty string")
    try:
        names = {name for _, name, spec, conv in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise DataFileError(path, where, f"malformed placeholder ({exc})") from None
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        raise DataFileError(path, where, f"unknown placeholder {{{unknown[0]}}}; use one of "
                            + ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS)))
    return value


def _phrasing(raw: Any, path: Path, where: str) -> Phrasing:
    if isinstance(raw, str):
        return Phrasing({"default": _phrase(raw, path, where)})
    if not isinstance(raw, dict):
        raise DataFileError(path, where, "must be a string or a mapping of variants")
    for key in raw:
        if key not in VARIANTS:
            raise DataFileError(path, f"{where}.{key}", f"unknown variant; use one of {', '.join(VARIANTS)}")
    if "default" not in raw:
        raise DataFileError(path, f"{where}.default", "missing")
    return Phrasing({key: _phrase(value, path, f"{where}.{key}") for key, value in raw.items()})


def _choice(raw: Any, key: str, choices: tuple[str, ...], path: Path, where: str, default: Any = ...) -> str:
    value = field(raw, key, str, path, where, default)
    if value not in choices:
        raise DataFileError(path, f"{where}.{key}", f"must be one of {', '.join(choices)} (got {value!r})")
    return value


def _patterns(raw: Any, key: str, path: Path, where: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for index, expression in enumerate(string_list(raw, key, path, where, [])):
        try:
            compiled.append(re.compile(expression, re.IGNORECASE))
        except re.error as exc:
            raise DataFileError(path, f"{where}.{key}[{index}]", f"invalid regex ({exc})") from None
    return tuple(compiled)


def _words_pattern(words: list[str], template: str) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    return re.compile(template.format(alternatives), re.IGNORECASE)


def _rewrite(raw: Any, path: Path, where: str) -> Rewrite:
    if raw is None:
        return Rewrite("none")
    kind = _choice(raw, "kind", REWRITE_KINDS, path, where)
    if kind == "suggestion":
        safe = field(raw, "safe", str, path, where, None)
        if safe is not None and safe not in SAFE_KINDS:
            raise DataFileError(path, f"{where}.safe", f"must be one of {', '.join(SAFE_KINDS)} (got {safe!r})")
        # a placeholder is read as these words when its sentence is parsed again ("tomorrow")
        stand_in = field(raw, "stand_in", str, path, where) if safe == "placeholder" else None
        return Rewrite(kind, max_words=field(raw, "max_words", int, path, where, None), safe=safe,
                       whole_phrases=field(raw, "whole_phrases", bool, path, where, False), stand_in=stand_in)
    if kind == "phrases":
        mapping = field(raw, "map", dict, path, where)
        pairs = tuple((phrase_key(str(k)), _phrase(v, path, f"{where}.map.{k}") if v != "" else "")
                      for k, v in mapping.items())
        whole = field(raw, "sentences", dict, path, where, {})
        sentences = tuple((phrase_key(str(k)), _phrase(v, path, f"{where}.sentences.{k}") if v != "" else "")
                          for k, v in whole.items())
        clauses = tuple(phrase_key(c) for c in string_list(raw, "clauses", path, where, []))
        return Rewrite(kind, phrases=pairs, sentences=sentences, clauses=clauses,
                       lone_clause=field(raw, "lone_clause", bool, path, where, False), otherwise=_choice(raw, "otherwise", FALLBACK_KINDS, path, where, "none"),
                       max_words=field(raw, "max_words", int, path, where, None),
                       words=tuple(w.lower() for w in string_list(raw, "words", path, where, [])),
                       asked_step=_asked_step(field(raw, "asked_step", dict, path, where, None), path, f"{where}.asked_step"))
    if kind in ("mask", "sentence"):
        # mask: the passage up to the last of these separators stays ("password is " + mask)
        keep = tuple(string_list(raw, "keep_before", path, where, [])) if kind == "mask" else ()
        return Rewrite(kind, text=_phrase(field(raw, "text", str, path, where), path, f"{where}.text"),
                       keep_before=keep)
    if kind in ("delete", "please"):
        # delete: only these words of the passage go ("Just read" -> "Read"); please: "please"
        # goes after these lead-in words ("Then restart it" -> "Then please restart it")
        words = string_list(raw, "words", path, where, [])
        return Rewrite(kind, words=tuple(w.lower() for w in words))
    if kind == "insert":
        return Rewrite(kind, place=_choice(raw, "place", PLACES, path, where),
                       layout=_choice(raw, "layout", LAYOUTS, path, where, "sentence"),
                       order=field(raw, "order", int, path, where, 0),
                       draft=_phrasing(field(raw, "draft", (str, dict), path, where), path, f"{where}.draft"),
                       otherwise=_choice(raw, "otherwise", FALLBACK_KINDS, path, where, "none"),
                       replaces=_patterns(raw, "replaces", path, where),
                       sign=field(raw, "sign", bool, path, where, False))
    return Rewrite(kind)


def _asked_step(raw: Any, path: Path, where: str) -> AskedStep | None:
    if raw is None:
        return None
    return AskedStep(openings=tuple(phrase_key(o) for o in string_list(raw, "openings", path, where)),
                     text=_phrase(field(raw, "text", str, path, where), path, f"{where}.text"),
                     leaning=tuple(phrase_key(w) for w in string_list(raw, "leaning", path, where, [])),
                     covered_by=field(raw, "covered_by", str, path, where),
                     replaced_note=_phrase(field(raw, "replaced_note", str, path, where), path, f"{where}.replaced_note"),
                     dropped_note=_phrase(field(raw, "dropped_note", str, path, where), path, f"{where}.dropped_note"))


def _optional_phrase(raw: dict[str, Any], key: str, path: Path, where: str) -> str | None:
    """raw[key] checked as a phrase, or None when the template leaves it out."""
    return _phrase(raw[key], path, f"{where}.{key}") if raw.get(key) else None


def _rule_template(raw: Any, key: str, path: Path, where: str) -> RuleTemplate:
    field(raw, "title", str, path, where)
    return RuleTemplate(
        key=key,
        title=_phrase(raw["title"], path, f"{where}.title"),
        title_many=_optional_phrase(raw, "title_many", path, where),
        action=_phrase(field(raw, "action", str, path, where), path, f"{where}.action"),
        why=_phrasing(field(raw, "why", (str, dict), path, where), path, f"{where}.why"),
        repeat=_optional_phrase(raw, "repeat", path, where),
        rewrite=_rewrite(field(raw, "rewrite", dict, path, where, None), path, f"{where}.rewrite"),
        fills=field(raw, "fills", str, path, where, None),
        covers=tuple(string_list(raw, "covers", path, where, [])),
        answer_again=_optional_phrase(raw, "answer_again", path, where),
        answer_again_note=_optional_phrase(raw, "answer_again_note", path, where),
    )


def _strength_template(raw: Any, key: str, path: Path, where: str) -> StrengthTemplate:
    return StrengthTemplate(key, _phrase(field(raw, "text", str, path, where), path, f"{where}.text"),
                            _phrase(field(raw, "praise", str, path, where), path, f"{where}.praise"))


def _entries(raw: Any, section: str, path: Path, build: Any) -> dict[str, Any]:
    entries = field(raw, section, dict, path, "")
    return {str(key): build(value, str(key), path, f"{section}.{key}") for key, value in entries.items()}


@functools.cache
def load_templates(path: Path = TEMPLATES_FILE) -> Templates:
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(path, "", "must be a mapping")
    anchors = field(raw, "anchors", dict, path, "")
    fallbacks = _entries(raw, "fallbacks", path, _rule_template)
    if "any" not in fallbacks:
        raise DataFileError(path, "fallbacks.any", "missing (used for analysers without a fallback)")
    summary = field(raw, "summary", dict, path, "")
    for key in SUMMARY_KEYS:
        _phrase(field(summary, key, str, path, "summary"), path, f"summary.{key}")
    cold_tone_below = field(summary, "cold_tone_below", (int, float), path, "summary")
    if not 0 <= cold_tone_below <= 100:
        raise DataFileError(path, "summary.cold_tone_below", "must be a tone score from 0 to 100")
    return Templates(
        path=path,
        repeat=_phrase(field(raw, "repeat", str, path, ""), path, "repeat"),
        greeting_rules=tuple(field(anchors, "greeting", list, path, "anchors")),
        closing_rules=tuple(field(anchors, "closing", list, path, "anchors")),
        acknowledgement_rules=tuple(field(anchors, "acknowledgement", list, path, "anchors")),
        greeting_line=_words_pattern(string_list(anchors, "greeting_words", path, "anchors"),
                                     r"\A\s*(?:{})\b[^\n,!.?]{{0,40}}[,!]"),
        closing_line=_words_pattern(string_list(anchors, "closing_lines", path, "anchors"),
                                    r"(?m)^[ \t]*(?:{})[ \t]*[,.!]?[ \t]*$"),
        rules=_entries(raw, "rules", path, _rule_template),
        fallbacks=fallbacks,
        strengths=_entries(raw, "strengths", path, _strength_template),
        strength_fallbacks=_entries(raw, "strength_fallbacks", path, _strength_template),
        dimension_strengths=_entries(raw, "dimension_strengths", path, _strength_template),
        summary={key: summary[key] for key in SUMMARY_KEYS},
        cold_tone_below=float(cold_tone_below),
        replaces=_phrase(field(raw, "replaces", str, path, ""), path, "replaces"),
        signature=_phrase(field(raw, "signature", str, path, ""), path, "signature"),
        rephrase=_phrase(field(raw, "rephrase", str, path, ""), path, "rephrase"),
        covered=_phrase(field(raw, "covered", str, path, ""), path, "covered"),
        rewrites_sentence=_phrase(field(raw, "rewrites_sentence", str, path, ""), path, "rewrites_sentence"),
        drops_sentence=_phrase(field(raw, "drops_sentence", str, path, ""), path, "drops_sentence"),
        splits_sentence=_phrase(field(raw, "splits_sentence", str, path, ""), path, "splits_sentence"),
        lists_steps=_phrase(field(raw, "lists_steps", str, path, ""), path, "lists_steps"),
        no_rewrite=_phrase(field(raw, "no_rewrite", str, path, ""), path, "no_rewrite"),
        reword_placeholder=_phrase(field(raw, "reword_placeholder", str, path, ""), path, "reword_placeholder"),
        step_placeholder=_phrase(field(raw, "step_placeholder", str, path, ""), path, "step_placeholder"),
        technical_step=_phrase(field(raw, "technical_step", str, path, ""), path, "technical_step"),
        technical_placeholder=_phrase(field(raw, "technical_placeholder", str, path, ""), path, "technical_placeholder"),
        technical_sentence=_phrase(field(raw, "technical_sentence", str, path, ""), path, "technical_sentence"),
        answer_again=_phrase(field(raw, "answer_again", str, path, ""), path, "answer_again"),
        answer_again_note=_phrase(field(raw, "answer_again_note", str, path, ""), path, "answer_again_note"),
        step_opening=_words_pattern(string_list(raw, "step_openers", path, ""), r"\s*(?:{})\b"),  # matched at a sentence's start
    )


_SENTENCE_START = re.compile(r"(?:\A|[.!?][\"']?\s+)\Z")


def render(phrase: str, values: dict[str, Any]) -> str:
    """Fill the placeholders; a value that opens a sentence ("your customer will...") gets a capital."""
    out = []
    for literal, name, spec, conversion in string.Formatter().parse(phrase):
        out.append(literal)
        if name is None:
            continue
        value = format(values[name], spec or "")
        if _SENTENCE_START.search("".join(out)):
            value = value[:1].upper() + value[1:]
        out.append(value)
    return "".join(out)
