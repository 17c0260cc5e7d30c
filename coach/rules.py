"""Phrase-and-pattern rules kept as data (coach/data/<analyzer>.yaml), matched on one spaCy Doc.

A rules file looks like this (Vale's rules and LanguageTool's examples in spirit):

    rules:
      - id: tone.blame                 # "<analyzer>.<name>"
        polarity: problem              # problem (default) or strength
        severity: warning              # suggestion | warning | error | critical (problems only)
        message: "'{text}' puts the blame on the customer."
        suggestion: "Describe what happened instead of what they did."   # optional
        penalty: 12                    # score points off per match (optional)
        phrases: ["you should have"]   # token sequences, case-insensitive
        lemmas: ["forget to"]          # lemma sequences: matches "forgot to", "forgetting to"
        patterns: [[{LOWER: "you"}, {LEMMA: "fail"}]]   # spaCy Matcher token patterns
        regex: ["\\b(?:asap)\\b"]      # Python regular expressions on the text
        examples:                       # each rule must be flagged by `flag` and quiet on `pass`
          flag: ["You should have restarted it."]
          pass: ["Restarting it should help."]

Rules with no phrases/lemmas/patterns/regex are `custom`: their analyser finds them in code, but
their wording and examples still live here. Examples may be a string or {text, customer, channel}.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from coach.config import DATA_DIR
from coach.datafiles import field, load_yaml, string_list
from coach.errors import DataFileError
from coach.findings import SEVERITIES, Evidence, Finding
from coach.nlp import doc_cache

POLARITIES = ("problem", "strength")


@dataclass(frozen=True)
class RuleExample:
    text: str
    customer: str | None = None
    channel: str | None = None  # "email" or "chat"; inferred from the text when absent


@dataclass(frozen=True)
class Rule:
    id: str
    analyzer: str
    polarity: str
    severity: str
    message: str
    suggestion: str | None
    penalty: float | None
    phrases: tuple[str, ...]
    lemmas: tuple[str, ...]
    patterns: tuple[Any, ...]
    regex: tuple[re.Pattern[str], ...]
    flag_examples: tuple[RuleExample, ...]
    pass_examples: tuple[RuleExample, ...]
    extra: dict[str, Any] = dc_field(default_factory=dict, hash=False, compare=False)

    @property
    def custom(self) -> bool:
        return not (self.phrases or self.lemmas or self.patterns or self.regex)

    def format_message(self, text: str) -> str:
        return self.message.replace("{text}", text)

    def format_suggestion(self, text: str) -> str | None:
        return self.suggestion.replace("{text}", text) if self.suggestion else None


@dataclass(frozen=True)
class RuleMatch:
    rule: Rule
    start: int
    end: int


_KNOWN_KEYS = {"id", "polarity", "severity", "message", "suggestion", "penalty", "phrases",
               "lemmas", "patterns", "regex", "examples"}


def _examples(raw: Any, path: Path, where: str) -> tuple[RuleExample, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise DataFileError(path, where, "must be a list")
    examples = []
    for index, item in enumerate(raw):
        if isinstance(item, str) and item.strip():
            examples.append(RuleExample(item))
        elif isinstance(item, dict):
            examples.append(RuleExample(field(item, "text", str, path, f"{where}[{index}]"),
                                        field(item, "customer", str, path, f"{where}[{index}]", None),
                                        field(item, "channel", str, path, f"{where}[{index}]", None)))
        else:
            raise DataFileError(path, f"{where}[{index}]", "must be a string or {text, customer, channel}")
    return tuple(examples)


def parse_rule(raw: Any, analyzer: str, path: Path, where: str) -> Rule:
    rule_id = field(raw, "id", str, path, where)
    if not rule_id.startswith(analyzer + "."):
        raise DataFileError(path, f"{where}.id", f"must start with '{analyzer}.' (got {rule_id!r})")
    polarity = field(raw, "polarity", str, path, where, "problem")
    if polarity not in POLARITIES:
        raise DataFileError(path, f"{where}.polarity", f"must be one of {', '.join(POLARITIES)}")
    severity = field(raw, "severity", str, path, where, "warning")
    if severity not in SEVERITIES:
        raise DataFileError(path, f"{where}.severity", f"must be one of {', '.join(SEVERITIES)}")
    message = field(raw, "message", str, path, where, "" if polarity == "strength" else ...)
    patterns = field(raw, "patterns", list, path, where, [])
    for index, pattern in enumerate(patterns):
        if not isinstance(pattern, list) or not all(isinstance(t, dict) for t in pattern):
            raise DataFileError(path, f"{where}.patterns[{index}]", "must be a list of token mappings")
    compiled = []
    for index, expression in enumerate(string_list(raw, "regex", path, where, [])):
        try:
            compiled.append(re.compile(expression))
        except re.error as exc:
            raise DataFileError(path, f"{where}.regex[{index}]", f"invalid regex ({exc})") from None
    examples = field(raw, "examples", dict, path, where, {})
    return Rule(
        id=rule_id,
        analyzer=analyzer,
        polarity=polarity,
        severity=severity,
        message=message,
        suggestion=field(raw, "suggestion", str, path, where, None),
        penalty=field(raw, "penalty", (int, float), path, where, None),
        phrases=tuple(string_list(raw, "phrases", path, where, [])),
        lemmas=tuple(string_list(raw, "lemmas", path, where, [])),
        patterns=tuple(patterns),
        regex=tuple(compiled),
        flag_examples=_examples(examples.get("flag"), path, f"{where}.examples.flag"),
        pass_examples=_examples(examples.get("pass"), path, f"{where}.examples.pass"),
        extra={k: v for k, v in raw.items() if k not in _KNOWN_KEYS},
    )


@dataclass(frozen=True)
class RuleSet:
    """The rules of one analyser, loaded from coach/data/<analyzer>.yaml, plus that file's settings."""

    analyzer: str
    path: Path
    rules: tuple[Rule, ...]
    settings: dict[str, Any]

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"{self.path}: no rule {rule_id!r}")


@functools.cache
def load_ruleset(analyzer: str, path: Path | None = None) -> RuleSet:
    path = path or DATA_DIR / f"{analyzer}.yaml"
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(path, "", "must be a mapping with a 'rules' list")
    raw_rules = field(raw, "rules", list, path, "")
    rules = tuple(parse_rule(item, analyzer, path, f"rules[{i}]") for i, item in enumerate(raw_rules))
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        if rule.id in seen:
            raise DataFileError(path, f"rules[{index}].id", f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)
    settings = field(raw, "settings", dict, path, "", {})
    return RuleSet(analyzer, path, rules, settings)


# What a Matcher costs, per token it reads, in units of one pattern whose first token is a plain
# value ({LOWER: "you"}): the call itself (a Token object per token) about five such patterns, a set
# ({LOWER: {IN: [...]}}, a Python call per token) about four more; starting a call costs about 55
# units once. Measured with spaCy 3.8 on a 750-token reply: 0.22 ms a call, 0.04 ms a plain
# pattern, 0.2 ms a set; 3 microseconds to start a call.
_CALL_COST = 5
_SET_COST = 4
_START_COST = 55
# the token attributes whose values a pattern can require, and the Token attribute holding each
_FORM_ATTRS = {"LOWER": "lower_", "ORTH": "orth_", "TEXT": "orth_", "LEMMA": "lemma_"}


def token_positions(doc: Doc, attr: str) -> dict[str, list[int]]:
    """Where each value of `attr` (LOWER, ORTH/TEXT or LEMMA) is in the Doc: value -> token indexes.
    Worked out once per Doc: every analyser's matchers ask the same Doc."""
    cache = doc_cache(doc, "token_positions")
    if attr not in cache:
        name = _FORM_ATTRS[attr]
        positions: dict[str, list[int]] = {}
        for token in doc:
            positions.setdefault(getattr(token, name), []).append(token.i)
        cache[attr] = positions
    return cache[attr]


_OPS = {None: (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}


def _op_range(op: Any) -> tuple[int, int | None] | None:
    """How many tokens a pattern token with this OP matches: (least, most; None for no limit), or
    None for an operator not read here ("!")."""
    if op in _OPS:
        return _OPS[op]
    found = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op) if isinstance(op, str) else None
    if found is None:
        return None
    least = int(found.group(1) or 0)
    return least, int(found.group(3)) if found.group(3) else (None if found.group(2) else least)


@dataclass(frozen=True)
class _PatternToken:
    """One token of a pattern: how many tokens it matches (`least`, `most`; None for no limit) and
    the (attribute, values) pairs it names: each token it matches has one of those values."""

    least: int
    most: int | None
    values: tuple[tuple[str, frozenset[str]], ...]
    sets: int  # conditions on a set of values or a regex: a Python call per token tried

    @classmethod
    def read(cls, spec: dict[str, Any]) -> _PatternToken:
        sets = sum(isinstance(value, dict) for attr, value in spec.items() if attr != "OP")
        quantity = _op_range(spec.get("OP"))
        if quantity is None:
            return cls(0, None, (), sets)  # it promises nothing
        values = []
        for attr, value in spec.items():
            attr = str(attr).upper()
            if attr not in _FORM_ATTRS:
                continue  # POS, NOT_IN, REGEX...: left to the Matcher
            if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
                value = value["IN"]
            elif isinstance(value, str):
                value = [value]
            else:
                continue
            if all(isinstance(v, str) for v in value):
                values.append(("ORTH" if attr == "TEXT" else attr, frozenset(value)))
        return cls(*quantity, tuple(values), sets)

    def longest_in(self, doc: Doc) -> int | None:
        """The most tokens this pattern token can match in `doc`: its `most`, or, with no limit, the
        longest run of consecutive tokens holding its values; None when nothing bounds it."""
        if self.most is not None:
            return self.most
        if not self.values:
            return None
        attr, values = self.values[0]
        positions = token_positions(doc, attr)
        longest = run = 0
        previous = -2
        for i in sorted(i for value in values & positions.keys() for i in positions[value]):
            run = run + 1 if i == previous + 1 else 1
            longest, previous = max(longest, run), i
        return longest


@dataclass(frozen=True)
class _Pattern:
    key: str
    matcher: Matcher  # this pattern alone
    tokens: tuple[_PatternToken, ...]
    # (attribute, values) pairs: for each, every match holds a token with one of the values
    requirements: tuple[tuple[str, frozenset[str]], ...]
    # the pattern's cost per token read (in _CALL_COST's units): its tokens up to the first
    # required one are tried at every token
    cost: int

    @classmethod
    def compile(cls, key: str, pattern: list[dict[str, Any]], vocab: Vocab) -> _Pattern:
        alone = Matcher(vocab)
        alone.add(key, [pattern])
        tokens = tuple(_PatternToken.read(spec) for spec in pattern)
        cost = 0
        for token in tokens:
            cost += 1 + _SET_COST * token.sets
            if token.least >= 1:
                break
        return cls(key, alone, tokens, tuple(pair for token in tokens if token.least >= 1 for pair in token.values),
                   cost)

    def windows(self, doc: Doc) -> list[tuple[int, int]] | None:
        """The token ranges every match of the pattern in `doc` lies in: None when it cannot match
        (a required word is missing); else, when the longest match it can have in `doc` is bounded,
        the tokens around each place where its rarest required word is, or the whole Doc."""
        anchors: list[int] | None = None
        for attr, values in self.requirements:
            positions = token_positions(doc, attr)
            found = [i for value in values & positions.keys() for i in positions[value]]
            if not found:
                return None
            if anchors is None or len(found) < len(anchors):
                anchors = found
        lengths = [token.longest_in(doc) for token in self.tokens]
        if anchors is None or None in lengths:
            return [(0, len(doc))]
        reach = sum(lengths) - 1
        windows: list[tuple[int, int]] = []
        for anchor in sorted(anchors):
            start, end = max(0, anchor - reach), min(len(doc), anchor + reach + 1)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        return windows


def add_patterns(matcher: KeyedMatcher, key: str, patterns: Any, path: Path, where: str) -> None:
    """Add a data file's token patterns to `matcher` under `key`, with an error naming the file and
    field (`where`) when they are not a non-empty list of token patterns or spaCy rejects one."""
    if not isinstance(patterns, list) or not patterns or not all(
            isinstance(p, list) and p and all(isinstance(t, dict) for t in p) for p in patterns):
        raise DataFileError(path, where, "must be a non-empty list of token patterns (lists of token mappings)")
    try:
        matcher.add(key, patterns)
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(path, where, f"invalid token pattern ({exc})") from None


class KeyedMatcher:
    """spaCy token patterns by key, matched on a Doc: (key, start, end) once each, by start, end and
    the order the keys were added.

    A Matcher tries every pattern at every token, so its time grows with tokens x patterns, while
    most patterns need words that most replies lack ("maiden name", "I know how"), and a match can
    only be near such a word. So only the patterns whose required words are all in the Doc run,
    each on the tokens around its rarest required word when its matches have a bounded length (a
    Span holds every match within it), else on the whole Doc; or, when that would cost more, one
    Matcher holding every pattern reads the Doc once. The matches are the same either way."""

    def __init__(self, vocab: Vocab) -> None:
        self._vocab = vocab
        self._all = Matcher(vocab)
        self._patterns: list[_Pattern] = []
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._patterns)

    def add(self, key: str, patterns: Iterable[list[dict[str, Any]]]) -> None:
        """Add `patterns` under `key`; spaCy's ValueError/KeyError/TypeError on a malformed one."""
        patterns = [list(pattern) for pattern in patterns]
        self._all.add(key, patterns)
        self._order.setdefault(key, len(self._order))
        self._patterns += [_Pattern.compile(key, pattern, self._vocab) for pattern in patterns]

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        runs = [(pattern, windows) for pattern in self._patterns
                if (windows := pattern.windows(doc)) is not None]
        if not runs:
            return []
        separate = sum(_START_COST + (end - start) * (_CALL_COST + pattern.cost)
                       for pattern, windows in runs for start, end in windows)
        if separate < _START_COST + len(doc) * (_CALL_COST + sum(pattern.cost for pattern in self._patterns)):
            found = {(pattern.key, start + offset, end + offset) for pattern, windows in runs
                     for offset, stop in windows for _, start, end in pattern.matcher(doc[offset:stop])}
        else:
            found = {(self._vocab.strings[key], start, end) for key, start, end in self._all(doc)}
        return sorted(found, key=lambda match: (match[1], match[2], self._order[match[0]]))


class CompiledRules:
    """A RuleSet compiled against one pipeline: a PhraseMatcher on LOWER, one on LEMMA, a KeyedMatcher."""

    def __init__(self, ruleset: RuleSet, nlp: Language) -> None:
        self.ruleset = ruleset
        self._by_key = {rule.id: rule for rule in ruleset.rules}
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._matcher = KeyedMatcher(nlp.vocab)
        for rule in ruleset.rules:
            if rule.phrases:
                self._lower.add(rule.id, list(nlp.tokenizer.pipe(rule.phrases)))
            if rule.lemmas:
                self._lemma.add(rule.id, list(nlp.pipe(rule.lemmas)))
            if rule.patterns:
                try:
                    self._matcher.add(rule.id, rule.patterns)
                except (ValueError, KeyError, TypeError) as exc:
                    raise DataFileError(ruleset.path, f"{rule.id}.patterns", str(exc)) from None

    def match(self, doc: Doc) -> list[RuleMatch]:
        """All matches in document order; overlapping matches of one rule keep the longest."""
        spans: list[tuple[str, int, int]] = []
        text = doc.text  # Doc.text joins every token anew on each access: read it once
        for matcher in (self._lower, self._lemma):
            if len(matcher) == 0:  # an empty matcher warns (W036) on every call
                continue
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                spans.append((doc.vocab.strings[match_id], span.start_char, span.end_char))
        for rule_id, start, end in self._matcher(doc):
            span = doc[start:end]
            spans.append((rule_id, span.start_char, span.end_char))
        for rule in self.ruleset.rules:
            for expression in rule.regex:
                spans.extend((rule.id, m.start(), m.end()) for m in expression.finditer(text) if m.end() > m.start())
        spans.sort(key=lambda s: (s[1], -(s[2] - s[1])))
        kept: list[RuleMatch] = []
        last_end: dict[str, int] = {}
        for rule_id, start, end in spans:
            if start < last_end.get(rule_id, -1):
                continue
            last_end[rule_id] = end
            kept.append(RuleMatch(self._by_key[rule_id], start, end))
        return kept


@functools.cache
def compiled_rules(analyzer: str, nlp: Language) -> CompiledRules:
    return CompiledRules(load_ruleset(analyzer), nlp)


def to_finding(match: RuleMatch, text: str) -> Finding:
    rule, quoted = match.rule, text[match.start:match.end]
    return Finding(rule.analyzer, rule.id, rule.severity, match.start, match.end, quoted,
                   rule.format_message(quoted), rule.format_suggestion(quoted))


def to_evidence(match: RuleMatch, text: str) -> Evidence:
    return Evidence(match.rule.analyzer, match.rule.id, match.start, match.end, text[match.start:match.end])
