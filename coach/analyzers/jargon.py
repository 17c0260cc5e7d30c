"""Jargon: technical terms, acronyms and rare technical words a customer may not know.

Sources: plain-language guidance asks writers to avoid jargon and to explain a technical term the
first time it is needed (GOV.UK content design, "Writing for GOV.UK: plain English"; Microsoft
Writing Style Guide, "Use simple words, concise sentences"; plainlanguage.gov, "Minimize
abbreviations"). The terms live in glossary/*.yaml, thresholds and wording in coach/data/jargon.yaml.

Three kinds of finding, for the audience the settings allow:
- `jargon.glossary-term`: a glossary term; the suggestion is its plain alternative.
- `jargon.acronym`: capitals that are neither in the glossary nor in everyday use ("TTL").
- `jargon.rare-technical-word`: a rare word that looks technical ("idempotent"), not a name or typo.
For a technical audience only unknown acronyms are noted, as suggestions (coach/data/jargon.yaml).

Never flagged: a term the customer used first, and a term the reply explains ("DNS (the internet's
address book)", "your router, the box that ..."); the explanation is evidence of a strength
(`jargon.explained-term`).

Score = 100 - penalties x density scale: each distinct unexplained term costs its severity's penalty,
scaled by terms per 100 words, so one term in a long reply costs less than five in a short one.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator, KeysView
from dataclasses import dataclass

from pydantic import Field
from spacy.tokens import Doc, Token
from wordfreq import zipf_frequency

from coach import glossary, textstats
from coach.context import AUDIENCES, AnalysisContext
from coach.customer import customer_terms
from coach.datafiles import StrictSettings, validate
from coach.errors import DataFileError
from coach.findings import SEVERITIES, AnalyzerResult, Evidence, Finding
from coach.rules import RuleSet, load_ruleset

NAME = "jargon"
GLOSSARY_TERM, ACRONYM, RARE_WORD, EXPLAINED = (
    "jargon.glossary-term", "jargon.acronym", "jargon.rare-technical-word", "jargon.explained-term")
# Entity types that mark names of people, places, companies and products, which are not jargon.
_NAME_ENTITIES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT",
                  "LAW", "LANGUAGE"}
_CLAUSE_MARKS = {",", ";", ")", "—", "–", ":"}
_CLAUSE_OPENERS = _CLAUSE_MARKS | {"("}
_CLAUSE_CLOSERS = _CLAUSE_MARKS | {".", "!", "?"}


class _Density(StrictSettings):
    reference: float = Field(gt=0, description="terms per 100 words that cost exactly the penalty")
    min_scale: float = Field(ge=0, description="smallest multiplier (one term in a long reply)")
    max_scale: float = Field(ge=0, description="largest multiplier (a jargon-packed short reply)")


class _Acronym(StrictSettings):
    pattern: str = Field(description="regular expression a token must match to be an acronym")
    everyday_zipf: float = Field(description="wordfreq zipf at which an acronym is everyday")
    allowed: list[str] = Field(description="everyday acronyms below that frequency")


class _RareWord(StrictSettings):
    max_zipf: float = Field(description="rarer than this (wordfreq zipf) is rare")
    min_letters: int = Field(ge=1, description="shorter words are never flagged")
    technical_fragments: list[str] = Field(description="parts that make a dictionary word technical")
    spelling_swaps: list[tuple[str, str]] = Field(description="British -> American spelling swaps")
    typo_neighbour_zipf: float = Field(description="a one-edit neighbour this common makes it a typo")
    part_zipf: float = Field(description="parts this common make a word guessable")
    prefixes: list[str] = Field(description="prefixes that keep a word guessable (un-mute)")
    suffixes: list[str] = Field(description="suffixes that keep a word guessable (lagg-y)")


class _Explanation(StrictSettings):
    min_words: int = Field(ge=1, description="words an explanation in parentheses/apposition needs")
    window: int = Field(ge=1, description="tokens searched for a relative word after 'term, the'")
    after: list[str] = Field(description="cues right after the term")
    before: list[str] = Field(description="cues right before the term")
    marks: list[str] = Field(description="dashes/colons that start an explanation before a determiner")
    determiners: list[str] = Field(description="words that start an appositive explanation")
    relatives: list[str] = Field(description="words that make 'term, the ...' an explanation")


class JargonSettings(StrictSettings):
    audiences: dict[str, dict[str, str]] = Field(description="rule id -> severity, per audience")
    penalties: dict[str, float] = Field(description="score points per distinct term, by severity")
    density: _Density
    acronym: _Acronym
    rare_word: _RareWord
    explanation: _Explanation


@dataclass(frozen=True)
class _Config:
    ruleset: RuleSet
    settings: JargonSettings
    acronym: re.Pattern[str]
    allowed: frozenset[str]
    after: tuple[tuple[str, ...], ...]
    before: tuple[tuple[str, ...], ...]


def _cue_tokens(cues: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(cue.lower().split()) for cue in cues)


@functools.cache
def _config() -> _Config:
    return build_config(load_ruleset(NAME))


def build_config(ruleset: RuleSet) -> _Config:
    """Check the settings of coach/data/jargon.yaml; errors name the file and the field."""
    settings = validate(JargonSettings, ruleset.settings, ruleset.path, "settings")
    for severity in settings.penalties:
        if severity not in SEVERITIES:
            raise DataFileError(ruleset.path, f"settings.penalties.{severity}",
                                f"must be one of {', '.join(SEVERITIES)}")
    for audience, rules in settings.audiences.items():
        if audience not in AUDIENCES:
            raise DataFileError(ruleset.path, f"settings.audiences.{audience}",
                                f"unknown audience (use {', '.join(AUDIENCES)})")
        for rule_id, severity in rules.items():
            if rule_id not in {rule.id for rule in ruleset.rules}:
                raise DataFileError(ruleset.path, f"settings.audiences.{audience}.{rule_id}", "unknown rule")
            if severity not in settings.penalties:
                raise DataFileError(ruleset.path, f"settings.audiences.{audience}.{rule_id}",
                                    f"no penalty for severity {severity!r}")
    try:
        acronym = re.compile(settings.acronym.pattern)
    except re.error as exc:
        raise DataFileError(ruleset.path, "settings.acronym.pattern", f"invalid regex ({exc})") from None
    return _Config(ruleset, settings, acronym, frozenset(a.upper() for a in settings.acronym.allowed),
                   _cue_tokens(settings.explanation.after), _cue_tokens(settings.explanation.before))


def _dictionary() -> KeysView[str]:
    """General-English words: the CMU pronouncing dictionary's, as loaded for syllable counting."""
    return textstats.syllable_counts().keys()


@dataclass(frozen=True)
class _Candidate:
    """One possible jargon occurrence: `key` groups mentions of the same term; `start`/`end` are
    character offsets, `token_start`/`token_end` token indices. A `repeat` is a bracketed repeat of
    the mention before it ("two-factor authentication (2FA)"): part of the term, never flagged."""

    rule: str
    key: str
    start: int
    end: int
    token_start: int
    token_end: int
    suggestion: str | None = None
    repeat: bool = False


# --- explanations ------------------------------------------------------------------------------

def _starts_with(tokens: list[str], cue: tuple[str, ...]) -> bool:
    return tuple(tokens[: len(cue)]) == cue


def _explanation(doc: Doc, start: int, end: int, same: set[int]) -> tuple[int, int] | None:
    """The token span of the term plus its plain-words explanation, or None when it has none.

    `same` holds token indices covered by other mentions of the same term: a parenthesis holding
    only another form of the term ("2FA (two-factor authentication)") explains nothing.
    """
    config = _config()
    rules = config.settings.explanation
    sent = doc[start].sent
    after = [t.lower_ for t in doc[end:sent.end]]
    # "DNS (the internet's address book)"
    if after[:1] == ["("]:
        close = next((i for i in range(end + 1, sent.end) if doc[i].text == ")"), None)
        if close is not None:
            inside = doc[end + 1:close]
            if sum(t.is_alpha for t in inside) >= rules.min_words and not same & set(range(end + 1, close)):
                return start, close + 1
    # "the internet's address book (DNS)"
    if start > sent.start and doc[start - 1].text == "(" and end < sent.end and doc[end].text == ")":
        clause = _clause_start(doc, start - 1)
        words = doc[clause:start - 1]
        if sum(t.is_alpha for t in words) >= rules.min_words and not same & set(range(clause, start - 1)):
            return clause, end + 1
    lead = 1 if after[:1] and after[0] in {",", *rules.marks} else 0
    rest = after[lead:]
    # "DNS, which is the ...", "a VPN means ..."
    if any(_starts_with(rest, cue) for cue in config.after):
        return start, _clause_end(doc, end + lead + 1)
    # "a VPN — a secure tunnel ...", "your router, the box that ..."
    if lead and rest[:1] and rest[0] in rules.determiners:
        if after[0] in rules.marks or set(rest[1:rules.window]) & set(rules.relatives):
            return start, _clause_end(doc, end + lead + 1)
    # "a secure tunnel called a VPN"
    before = [t.lower_ for t in doc[sent.start:start]]
    if before and before[-1] in rules.determiners:
        before.pop()
    if any(tuple(before[-len(cue):]) == cue for cue in config.before):
        return _clause_start(doc, start), end
    return None


def _clause_start(doc: Doc, index: int) -> int:
    """The first token of the clause that ends just before `index`."""
    sent_start = doc[index].sent.start
    i = index
    while i > sent_start and doc[i - 1].text not in _CLAUSE_OPENERS and "\n" not in doc[i - 1].text:
        i -= 1
    while i < index and (doc[i].pos_ == "CCONJ" or doc[i].is_space):
        i += 1  # "and a secure tunnel called a VPN" -> "a secure tunnel called a VPN"
    return i


def _clause_end(doc: Doc, index: int) -> int:
    """The token after the clause that starts at `index` (stops at a comma, dash or sentence end)."""
    sent_end = doc[min(index, len(doc) - 1)].sent.end
    i = index
    while i < sent_end and doc[i].text not in _CLAUSE_CLOSERS and "\n" not in doc[i].text:
        i += 1
    return max(i, index)


# --- candidates --------------------------------------------------------------------------------

def _glossary_candidates(doc: Doc, matches: list[glossary.TermMatch]) -> Iterator[_Candidate]:
    text = doc.text  # Doc.text joins every token anew on each access: read it once
    for index, match in enumerate(matches):
        previous = matches[index - 1] if index else None
        repeat = bool(previous and previous.term.id == match.term.id
                      and match.token_start == previous.token_end + 1 and doc[previous.token_end].text == "(")
        suggestion = match.term.plain
        if doc[match.token_start].is_sent_start and text[match.start].isupper():
            suggestion = suggestion[:1].upper() + suggestion[1:]
        yield _Candidate(GLOSSARY_TERM, match.term.id, match.start, match.end, match.token_start,
                         match.token_end, suggestion, repeat)


def _is_everyday_acronym(word: str) -> bool:
    config = _config()
    base = word[:-1] if word.endswith("s") else word
    return (base in config.allowed or base.rstrip("0123456789") in config.allowed
            or zipf_frequency(base.lower(), "en") >= config.settings.acronym.everyday_zipf)


def _acronym_candidates(doc: Doc, covered: set[int]) -> Iterator[_Candidate]:
    pattern = _config().acronym
    for token in doc:
        if token.i in covered or not pattern.match(token.text) or _is_everyday_acronym(token.text):
            continue
        key = token.text[:-1] if token.text.endswith("s") else token.text
        yield _Candidate(ACRONYM, key.lower(), token.idx, token.idx + len(token), token.i, token.i + 1)


def _known_spelling(word: str) -> bool:
    """True when `word` (or its American spelling) is in the general-English dictionary."""
    words = _dictionary()
    if word in words:
        return True
    return any(old in word and word.replace(old, new) in words
               for old, new in _config().settings.rare_word.spelling_swaps)


def _one_edit(word: str) -> Iterator[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    for i in range(len(word) + 1):
        left, right = word[:i], word[i:]
        if right:
            yield left + right[1:]
            yield from (left + c + right[1:] for c in letters)
        if len(right) > 1:
            yield left + right[1] + right[0] + right[2:]
        yield from (left + c + right for c in letters)


def _guessable(word: str) -> bool:
    """True when `word` is made of everyday parts: "checkbox", "unmute", "laggy", "unticked"."""
    rules = _config().settings.rare_word

    def everyday(part: str) -> bool:
        return len(part) >= 2 and zipf_frequency(part, "en") >= rules.part_zipf

    for prefix in rules.prefixes:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 3 and (everyday(rest) or _guessable(rest)):
            return True
    if any(everyday(word[:i]) and everyday(word[i:]) for i in range(3, len(word) - 2)):
        return True
    for suffix in rules.suffixes:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3:
            undoubled = stem[:-1] if stem[-1] == stem[-2] else stem  # "lagg-y" -> "lag"
            if any(everyday(s) for s in (stem, stem + "e", undoubled)):
                return True
    return False


def _looks_technical(token: Token) -> bool:
    rules = _config().settings.rare_word
    word, lemma = token.lower_, token.lemma_.lower()
    zipf = max(zipf_frequency(word, "en"), zipf_frequency(lemma, "en"))
    if not 0 < zipf < rules.max_zipf:
        return False  # common, or unknown to wordfreq (a typo or a name: not ours to judge)
    if (_known_spelling(word) or _known_spelling(lemma)) and not any(
            fragment in word for fragment in rules.technical_fragments):
        return False  # a rare but ordinary English word ("serendipitous")
    if _guessable(word):
        return False
    return not any(zipf_frequency(near, "en") >= rules.typo_neighbour_zipf
                   for near in _one_edit(word) if near != word)


def _rare_word_candidates(doc: Doc, covered: set[int]) -> Iterator[_Candidate]:
    min_letters = _config().settings.rare_word.min_letters
    for token in doc:
        if (token.i in covered or not token.is_alpha or len(token) < min_letters
                or token.pos_ == "PROPN" or token.ent_type_ in _NAME_ENTITIES
                or (token.text[0].isupper() and not token.is_sent_start) or token.is_upper):
            continue
        if _looks_technical(token):
            yield _Candidate(RARE_WORD, token.lemma_.lower(), token.idx, token.idx + len(token),
                             token.i, token.i + 1)


def _customer_words(context: AnalysisContext) -> set[str]:
    if context.customer_doc is None:
        return set()
    return {form for t in context.customer_doc for form in (t.lower_, t.lemma_.lower())}


# --- the analyser ------------------------------------------------------------------------------

class JargonAnalyzer:
    name = NAME
    version = 1

    def analyze(self, context: AnalysisContext) -> AnalyzerResult:
        config = _config()
        doc = context.doc
        severities = config.settings.audiences.get(context.audience, {})
        candidates = list(_glossary_candidates(doc, glossary.find_terms(doc)))
        covered = {i for c in candidates for i in range(c.token_start, c.token_end)}
        candidates += _acronym_candidates(doc, covered)
        candidates += _rare_word_candidates(doc, covered)
        used_by_customer = customer_terms(context.customer_doc) | _customer_words(context)

        by_key: dict[tuple[str, str], list[_Candidate]] = {}
        for candidate in candidates:
            by_key.setdefault((candidate.rule, candidate.key), []).append(candidate)
        findings: list[Finding] = []
        evidence: list[Evidence] = []
        flagged: dict[tuple[str, str], str] = {}
        for (rule_id, key), mentions in by_key.items():
            same = {i for c in mentions for i in range(c.token_start, c.token_end)}
            mentions = [c for c in mentions if not c.repeat]
            explained = None
            for c in mentions:
                explained = _explanation(doc, c.token_start, c.token_end,
                                         same - set(range(c.token_start, c.token_end)))
                if explained:
                    break
            if explained:
                span = doc[explained[0]:explained[1]]
                evidence.append(Evidence(NAME, EXPLAINED, span.start_char, span.end_char,
                                         context.text[span.start_char:span.end_char]))
                continue
            severity = severities.get(rule_id)
            if severity is None or key in used_by_customer:
                continue
            rule = config.ruleset.get(rule_id)
            flagged[rule_id, key] = severity
            for c in mentions:
                quoted = context.text[c.start:c.end]
                findings.append(context.finding(NAME, rule_id, severity, c.start, c.end,
                                                rule.format_message(quoted),
                                                c.suggestion or rule.format_suggestion(quoted)))
        words = sum(1 for t in doc if t.is_alpha or t.like_num)
        density = 100.0 * len(flagged) / max(words, 1)
        scaling = config.settings.density
        scale = min(scaling.max_scale, max(scaling.min_scale, density / scaling.reference))
        penalty = sum(config.settings.penalties[severity] for severity in flagged.values())
        score = round(max(0.0, 100.0 - penalty * scale), 1)
        return AnalyzerResult(score, tuple(sorted(findings, key=lambda f: (f.start, f.end))),
                              tuple(sorted(evidence, key=lambda e: (e.start, e.end))),
                              {"jargon_terms": len(flagged), "jargon_density": round(density, 2)})


analyzer = JargonAnalyzer()
