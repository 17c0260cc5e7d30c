"""Jargon: technical terms, acronyms and technical text a customer may not know.

Sources: plain-language guidance asks writers to avoid jargon and to explain a technical term the
first time it is needed (GOV.UK content design, "Writing for GOV.UK: plain English"; Microsoft
Writing Style Guide, "Use simple words, concise sentences"; plainlanguage.gov, "Minimize
abbreviations"). The terms live in glossary/*.yaml, thresholds, patterns and wording in
coach/data/jargon.yaml.

Kinds of finding, for the audience the settings allow:
- `jargon.glossary-term`: a glossary term, in its technical sense, or one of the team's own terms
  (stored per team, coach/store/glossary.py); the suggestion is its plain alternative.
- `jargon.technical-text`: the shapes of technical text: commands and flags, file paths and registry
  keys, network addresses and ports, version strings, error codes, identifiers, headers.
- `jargon.technical-phrase`: two everyday words that together are technical ("core switch").
- `jargon.acronym`: capitals that are neither in the glossary nor in everyday use ("TTL").
- `jargon.shorthand`: office shorthand ("TBD", "EOD") that reads as insider talk.
- `jargon.rare-technical-word`: a rare word that looks technical ("idempotent"), not a name or typo.
For a technical audience only unknown acronyms and shorthand are noted, as suggestions.

Never flagged: a term the customer used first, a term the reply explains ("DNS (the internet's
address book)", "your router, the box that ..."; the explanation is evidence of a strength,
`jargon.explained-term`), a team's approved words, part of a product name ("Microsoft
Authenticator"), and rude shorthand ("RTFM": a tone problem, not an unknown acronym). Nor are a
glossary's workplace terms ("VPN", "intranet", "shared mailbox") to a reader who writes from work
(their message says "my work laptop", "our office", "the team drive"; or the reply comes from their
own IT desk), nor a term for a thing the reply shows the customer holds: what it asks them to send
("send over the recovery key") or says they did ("the codes you saved when you set up 2FA").

Score = 100 - penalties x density scale: each distinct unexplained term costs its severity's penalty,
scaled by terms per 100 words, so one term in a long reply costs less than five in a short one.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator, KeysView
from dataclasses import dataclass

from pydantic import Field
from spacy.tokens import Doc, Token
from wordfreq import zipf_frequency

from coach import glossary, textstats
from coach.context import AUDIENCES, AnalysisContext, TeamTerm
from coach.customer import customer_terms
from coach.datafiles import StrictSettings, validate
from coach.errors import DataFileError
from coach.findings import SEVERITIES, AnalyzerResult, Evidence, Finding
from coach.rules import RuleSet, load_ruleset
from coach.signoff import sign_off_start

NAME = "jargon"
GLOSSARY_TERM, ACRONYM, RARE_WORD, EXPLAINED = (
    "jargon.glossary-term", "jargon.acronym", "jargon.rare-technical-word", "jargon.explained-term")
TECHNICAL_TEXT, TECHNICAL_PHRASE, SHORTHAND = (
    "jargon.technical-text", "jargon.technical-phrase", "jargon.shorthand")
# A link or an e-mail address is something a customer can follow or type: never technical text.
_ARGUMENT = re.compile(r"[ \t]+(\S+)")
_PREVIOUS_WORD = re.compile(r"(\w+)\W{0,3}$")
_LINK = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Entity types that mark names of people, places, companies and products, which are not jargon.
_NAME_ENTITIES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT",
                  "LAW", "LANGUAGE"}
_CLAUSE_MARKS = {",", ";", ")", "—", "–", ":"}
_CLAUSE_OPENERS = _CLAUSE_MARKS | {"("}
_CLAUSE_CLOSERS = _CLAUSE_MARKS | {".", "!", "?"}
_SUBJECTS = {"nsubj", "nsubjpass"}
_CLOSING_QUOTES = {"'", '"', "’", "”"}


class _Density(StrictSettings):
    reference: float = Field(gt=0, description="terms per 100 words that cost exactly the penalty")
    min_scale: float = Field(ge=0, description="smallest multiplier (one term in a long reply)")
    max_scale: float = Field(ge=0, description="largest multiplier (a jargon-packed short reply)")


class _Acronym(StrictSettings):
    pattern: str = Field(description="regular expression a token must match to be an acronym")
    everyday_zipf: float = Field(description="wordfreq zipf at which an acronym is everyday")
    allowed: list[str] = Field(description="everyday acronyms below that frequency")
    shouted_min_letters: int = Field(ge=2, description="a dictionary word this long in capitals is shouted")
    shouted_zipf: float = Field(description="... and at least this frequent (wordfreq zipf)")
    shorthand: dict[str, str] = Field(description="office shorthand -> spelled-out form")
    rude: list[str] = Field(description="rude shorthand, left to the tone analyser")
    code_cues: list[str] = Field(description="words before capitals that are part of a code to look for")


class _TechnicalKind(StrictSettings):
    kind: str = Field(min_length=1)
    message: str = Field(min_length=1, description="the finding's message; {text} is the match")
    patterns: list[str] = Field(min_length=1, description="regular expressions on the reply")


class _TechnicalText(StrictSettings):
    kinds: list[_TechnicalKind]
    commands: list[str] = Field(description="command names that start a command line")
    command_cues: list[str] = Field(description="words that announce a command ('run', 'type')")
    argument_stops: list[str] = Field(description="words that end a command's arguments")
    system_folders: list[str] = Field(description="folders that make a path cryptic (AppData, System32)")
    version_labels: list[str] = Field(description="words that name a version string as one ('version')")
    reader_kinds: list[str] = Field(description="kinds that, in the customer's message, make them a technical reader")
    reader_domains: list[str] = Field(description="glossary domains whose terms, called 'our'/'my', do the same")


class _Workplace(StrictSettings):
    customer_cues: list[str] = Field(description="regexes: the customer writes from work ('my work laptop')")
    reply_cues: list[str] = Field(description="regexes: the reply comes from the customer's own IT desk")


class _Holding(StrictSettings):
    send_verbs: frozenset[str] = Field(description="verbs that ask the customer to send a thing ('send', 'email')")
    done_verbs: frozenset[str] = Field(description="verbs (with particle) of what the customer did to it ('set up')")
    object_preps: frozenset[str] = Field(description="prepositions that tie a thing to the object ('password for')")
    conditions: frozenset[str] = Field(description="words that make a clause a condition or an instruction ('if')")


class _TechnicalPhrase(StrictSettings):
    modifiers: list[str] = Field(description="words that make a following head noun technical")
    heads: list[str] = Field(description="head nouns that are technical after such a modifier")
    everyday: list[str] = Field(description="compounds of those words that customers know")


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
    technical_text: _TechnicalText
    technical_phrase: _TechnicalPhrase
    workplace: _Workplace
    holding: _Holding
    brands: list[str] = Field(description="names that make a following capitalised term a product name")
    screen_verbs: frozenset[str] = Field(description="verbs before a capitalised on-screen label (lowercase)")
    app_verbs: frozenset[str] = Field(description="verbs before an app's name in title case (lowercase)")
    asks_meaning: list[str] = Field(description="regexes: a customer sentence asking what a word means")
    customer_phrase_zipf: float = Field(description="words this common after the customer's own word keep a phrase known")
    customer_modifier_zipf: float = Field(description="a term's hyphenated modifier rarer than this names it alone")


@dataclass(frozen=True)
class _Config:
    ruleset: RuleSet
    settings: JargonSettings
    acronym: re.Pattern[str]
    allowed: frozenset[str]
    after: tuple[tuple[str, ...], ...]
    before: tuple[tuple[str, ...], ...]
    # (kind, message, compiled pattern) per technical-text pattern, in the file's order
    technical: tuple[tuple[str, str, re.Pattern[str]], ...]
    command: re.Pattern[str]
    command_message: str
    modifiers: frozenset[str]
    heads: frozenset[str]
    everyday: frozenset[str]
    brands: frozenset[str]
    asks_meaning: re.Pattern[str]
    workplace_customer: tuple[re.Pattern[str], ...]
    workplace_reply: tuple[re.Pattern[str], ...]


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
    technical = []
    for k, kind in enumerate(settings.technical_text.kinds):
        for p, expression in enumerate(kind.patterns):
            try:
                technical.append((kind.kind, kind.message, re.compile(expression)))
            except re.error as exc:
                raise DataFileError(ruleset.path, f"settings.technical_text.kinds[{k}].patterns[{p}]",
                                    f"invalid regex ({exc})") from None
    commands = sorted(settings.technical_text.commands, key=len, reverse=True)
    command = re.compile(r"(?<![\w./\\-])(?:" + "|".join(re.escape(c) for c in commands) + r")(?![\w-])",
                         re.IGNORECASE)
    code_message = next((k.message for k in settings.technical_text.kinds if k.kind == "code"), None)
    if code_message is None:
        raise DataFileError(ruleset.path, "settings.technical_text.kinds", "needs a kind 'code' (for commands)")
    for index, expression in enumerate(settings.asks_meaning):
        try:
            re.compile(expression)
        except re.error as exc:
            raise DataFileError(ruleset.path, f"settings.asks_meaning[{index}]", f"invalid regex ({exc})") from None
    asks_meaning = re.compile("|".join(f"(?:{e})" for e in settings.asks_meaning) or r"(?!)", re.IGNORECASE)
    workplace_customer = _patterns(settings.workplace.customer_cues, ruleset.path, "settings.workplace.customer_cues")
    workplace_reply = _patterns(settings.workplace.reply_cues, ruleset.path, "settings.workplace.reply_cues")
    phrase = settings.technical_phrase
    return _Config(ruleset, settings, acronym, frozenset(a.upper() for a in settings.acronym.allowed),
                   _cue_tokens(settings.explanation.after), _cue_tokens(settings.explanation.before),
                   tuple(technical), command, code_message,
                   frozenset(w.lower() for w in phrase.modifiers), frozenset(w.lower() for w in phrase.heads),
                   frozenset(" ".join(w.lower().split()) for w in phrase.everyday),
                   frozenset(settings.brands), asks_meaning, workplace_customer, workplace_reply)


def _patterns(expressions: list[str], path: object, where: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for index, expression in enumerate(expressions):
        try:
            compiled.append(re.compile(expression, re.MULTILINE))
        except re.error as exc:
            raise DataFileError(path, f"{where}[{index}]", f"invalid regex ({exc})") from None
    return tuple(compiled)


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
    message: str | None = None  # instead of the rule's message (technical text says what kind it is)
    kind: str | None = None  # the kind of technical text (code, path, version...)
    everyday: bool = False  # a term most customers know: an explanation still counts, never flagged
    workplace: bool = False  # a term office staff use every day: known to a reader writing from work


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
    if end < sent.end and doc[end].text in _CLOSING_QUOTES and doc[end].is_punct:
        end += 1  # "the error 'ERR_CERT_DATE_INVALID' means ...": the explanation follows the quote
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
    # "DRM protected, that is the copyright protection": the word the term describes goes with it
    if len(after) > 2 and after[1] == "," and doc[end - 1].head.i == end and (
            doc[end].pos_ in ("NOUN", "PROPN", "ADJ") or doc[end].tag_ == "VBN"):
        if any(_starts_with(after[2:], cue) for cue in config.after):
            return start, _clause_end(doc, end + 3)
    # "a VPN — a secure tunnel ...", "your router, the box that ..."
    if lead and rest[:1] and rest[0] in rules.determiners:
        # after a colon or dash, a noun phrase, not a clause whose subject the determiner opens
        # ("conditional access: your phone isn't enrolled" gives the cause, not a meaning)
        if after[0] in rules.marks and doc[end + lead].head.dep_ not in _SUBJECTS:
            return start, _clause_end(doc, end + lead + 1)
        if set(rest[1:rules.window]) & set(rules.relatives):
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

def _product_name(doc: Doc, text: str, token_start: int) -> bool:
    """True when the term is part of a product's name: "Microsoft Authenticator", "Windows Hello"."""
    return (token_start > 0 and doc[token_start - 1].text in _config().brands
            and text[doc[token_start].idx].isupper())


def _screen_label(doc: Doc, text: str, token_start: int) -> bool:
    """A term the customer must find on screen, so it has to be quoted as it is: capitalised right
    after "tap", "click", "select"... ("Tap Factory reset"), in quotes ("Registry Edit"), on a menu
    path ("Start > Run > Regedit"), or heading a numbered step that the lines below carry out
    ("1) Deauthorize your reader"). `text` is doc.text."""
    token = doc[token_start]
    line_start = text.rfind("\n", 0, token.idx) + 1
    line_end = text.find("\n", token.idx)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    before = text[line_start:token.idx]
    capitalised = token.text[:1].isupper()
    return (_after_screen_verb(doc, token_start)
            or (capitalised and before.rstrip().endswith(('"', "'", "“", "‘", ">")))
            or (capitalised and _STEP_HEADING.match(before) is not None and not line.rstrip().endswith(".")
                and line_end >= 0))


def _after_screen_verb(doc: Doc, token_start: int) -> bool:
    """Whether the term opens, or is inside, a capitalised label right after "tap", "choose"...:
    "Tap Factory reset", "choose Wipe cache partition" (up to three label words before the term)."""
    settings = _config().settings
    for first in range(token_start, max(0, token_start - 3) - 1, -1):
        token = doc[first]
        if first < token_start and (not token.is_alpha or token.pos_ in _FUNCTION_POS):
            return False  # "click OK and the DNS cache": the label ended before the term
        verb = doc[first - 1].lower_ if first > 0 else ""
        if token.text[:1].isupper() and (verb in settings.screen_verbs
                                         or verb in settings.app_verbs and _title_case(doc, first, token_start)):
            return True
    return False


def _title_case(doc: Doc, first: int, token_start: int) -> bool:
    """Whether the words from `first` to the term's first word are each capitalised and not in
    capitals: "Credential Manager", not "DNS"."""
    return all(t.is_title for t in doc[first:token_start + 1])


_FUNCTION_POS = {"DET", "CCONJ", "SCONJ", "PRON", "ADP", "AUX", "PART"}


# a numbered step's heading: "1) ", "2. ", "a) " at the start of a line, then the term
_STEP_HEADING = re.compile(r"^\s*(?:\d{1,2}|[a-z])[.):]\s*$")


def _glossary_candidates(doc: Doc, text: str, matches: list[glossary.TermMatch],
                         rule: str = GLOSSARY_TERM) -> Iterator[_Candidate]:
    matches = [m for m in matches if not _product_name(doc, text, m.token_start)
               and not _screen_label(doc, text, m.token_start)]
    for index, match in enumerate(matches):
        previous = matches[index - 1] if index else None
        repeat = bool(previous and previous.term.id == match.term.id
                      and match.token_start == previous.token_end + 1 and doc[previous.token_end].text == "(")
        suggestion = match.term.plain
        if doc[match.token_start].is_sent_start and text[match.start].isupper():
            suggestion = suggestion[:1].upper() + suggestion[1:]
        yield _Candidate(rule, match.term.id, match.start, match.end, match.token_start,
                         match.token_end, suggestion, repeat, everyday=match.term.everyday,
                         workplace=match.term.workplace)


def _is_everyday_acronym(word: str) -> bool:
    config = _config()
    base = word[:-1] if word.endswith("s") else word
    return (base in config.allowed or base.rstrip("0123456789") in config.allowed
            or zipf_frequency(base.lower(), "en") >= config.settings.acronym.everyday_zipf)


def _is_shouted_word(word: str) -> bool:
    """"VACUUM", "URGENT": an ordinary word set in capitals, not an acronym."""
    rules = _config().settings.acronym
    lower = word.lower()
    return (len(word) >= rules.shouted_min_letters and lower in _dictionary()
            and zipf_frequency(lower, "en") >= rules.shouted_zipf)


def _inside_name(text: str, token: Token) -> bool:
    """Capitals inside a hyphenated name ("PRN-FLOOR2-01"): part of a name, not an acronym."""
    end = token.idx + len(token)
    return (token.idx > 0 and text[token.idx - 1] == "-" and text[token.idx - 2:token.idx - 1].isalnum()) or (
        text[end:end + 1] == "-" and text[end + 1:end + 2].isalnum())


def _describes_a_code(doc: Doc, index: int) -> bool:
    """Capitals that say what a code looks like ("It starts with RB"): letters to look for, not
    an acronym to know."""
    before = " ".join(t.lower_ for t in doc[max(0, index - 3):index])
    return any(before.endswith(cue) for cue in _config().settings.acronym.code_cues)


def _acronym_candidates(doc: Doc, text: str, covered: set[int]) -> Iterator[_Candidate]:
    config = _config()
    rules = config.settings.acronym
    for token in doc:
        if token.i in covered or not config.acronym.match(token.text) or _inside_name(text, token):
            continue
        key = token.text[:-1] if token.text.endswith("s") and token.text[:-1] in rules.shorthand else token.text
        if key in rules.shorthand:
            yield _Candidate(SHORTHAND, key.lower(), token.idx, token.idx + len(token), token.i, token.i + 1,
                             rules.shorthand[key])
            continue
        if (key in rules.rude or _is_everyday_acronym(token.text) or _is_shouted_word(token.text)
                or _describes_a_code(doc, token.i)):
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
    # two everyday parts; a two-letter first part too: text-speak "urself" is "ur" + "self"
    if any(everyday(word[:i]) and everyday(word[i:]) for i in range(2, len(word) - 2)):
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



def _token_range(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return (span.start, span.end) if span is not None and len(span) else None


def _technical_argument(word: str, first: bool) -> bool:
    """Whether a word after a command is one of its arguments: a flag, a path, an address, a name
    with dots or digits, another command, or (right after the command) a lower-case subcommand."""
    config = _config()
    if not word or word.lower() in config.settings.technical_text.argument_stops:
        return False
    if word[0] in "-/\\~$%<\"'" or any(c in word[1:] for c in "._:/\\=@*<>|$%"):
        return True
    if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
        return True
    if config.command.fullmatch(word):
        return True
    return first and word.isalpha() and word.islower()


def _command_spans(text: str) -> Iterator[tuple[int, int]]:
    """Command lines: "ipconfig /flushdns", "sudo apt update", "ping 8.8.8.8" (a command that is also
    an everyday word counts only after "run"/"type" or with an argument that looks technical)."""
    config = _config()
    cues = set(config.settings.technical_text.command_cues)
    for match in config.command.finditer(text):
        name = match.group(0)
        previous = _PREVIOUS_WORD.search(text, max(0, match.start() - 40), match.start())
        cued = previous is not None and previous.group(1).lower() in cues
        everyday = name.lower() in _dictionary() or not name.islower()
        end, technical, first = match.end(), False, True
        while (argument := _ARGUMENT.match(text, end)) is not None:
            word = argument.group(1)
            stripped = word.rstrip(",;:.!?)\"'`")
            if not _technical_argument(stripped, first):
                break
            technical = technical or not (first and stripped.isalpha())
            # a word after a command name is its subcommand: "sudo apt update", "git pull"
            end, first = argument.start(1) + len(stripped), config.command.fullmatch(stripped) is not None
            if stripped != word:
                break
        if everyday and not (technical or (cued and end > match.end())):
            continue
        yield match.start(), end


def _technical_text_candidates(doc: Doc, text: str) -> list[_Candidate]:
    config = _config()
    links = [m.span() for m in _LINK.finditer(text)]
    found: list[tuple[int, int, str, str]] = []
    for kind, message, pattern in config.technical:
        found += [(m.start(), m.end(), kind, message) for m in pattern.finditer(text) if m.end() > m.start()]
    found += [(start, end, "code", config.command_message) for start, end in _command_spans(text)]
    candidates = []
    taken: list[tuple[int, int]] = []
    for start, end, kind, message in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        while end > start and text[end - 1] in ".,;:":
            end -= 1
        if (end <= start or any(s < end and start < e for s, e in taken)
                or any(s <= start and end <= e for s, e in links)):
            continue
        tokens = _token_range(doc, start, end)
        if tokens is None:
            continue
        taken.append((start, end))
        if _customer_can_follow(doc, kind, start, end, text[start:end]):
            continue
        candidates.append(_Candidate(TECHNICAL_TEXT, text[start:end].lower(), start, end, *tokens,
                                     message=message.replace("{text}", text[start:end]), kind=kind))
    return candidates


# the parts of a path: drive, folders, file; and the words inside a folder's name
_PATH_PARTS = re.compile(r"[\\/]+")
_CAMEL_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def _customer_can_follow(doc: Doc, kind: str, start: int, end: int, quoted: str) -> bool:
    """Technical-looking text a customer reads as it is: a folder path of everyday names to open or
    look in ("\\\\fileserver\\exports\\alejandro", "C:\\data\\my digital editions"), a version string the
    reply names as a version, to compare with what the screen shows ("A version number looks like
    this: 4.15.48213"), or mixed case that is no program's name: parts that are no words at all."""
    settings = _config().settings.technical_text
    if kind == "path":
        return _readable_path(quoted, frozenset(f.lower() for f in settings.system_folders))
    if kind == "version":
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        # the label may open the sentence before: "A version number looks like this: 4.15.48213"
        first = span.sent.start
        context = doc[doc[first - 1].sent.start if first else first:span.sent.end]
        labels = {label.lower() for label in settings.version_labels}
        return any(t.lower_ in labels for t in context if not start <= t.idx < end)
    if kind == "identifier" and quoted.isalpha():
        return not any(len(part) >= 3 and zipf_frequency(part.lower(), "en") >= _config().settings.rare_word.part_zipf
                       for part in _CAMEL_PARTS.findall(quoted))
    return False


def _readable_path(path: str, system_folders: frozenset[str]) -> bool:
    """A Windows or network folder path made of everyday folder names: no hidden or system folder
    (AppData, System32), no variable (%appdata%), no file name with an extension, no registry key."""
    if not re.match(r"[A-Za-z]:\\|\\\\", path) or any(c in path for c in "%$."):
        return False
    folders = [part for part in _PATH_PARTS.split(path[2:] if path[1:2] == ":" else path) if part]
    return all(part.lower() not in system_folders and not part.upper().startswith("HKEY") for part in folders)


def _modifier_start(doc: Doc, index: int) -> int:
    """The first token of the word that ends at token `index` ("Wi-Fi" is three tokens)."""
    while index > 0 and not doc[index - 1].whitespace_ and (doc[index - 1].text == "-" or doc[index].text == "-"):
        index -= 1
    return index


def _technical_phrase_candidates(doc: Doc, text: str) -> Iterator[_Candidate]:
    config = _config()
    for head in doc[1:]:
        if head.pos_ not in ("NOUN", "PROPN") or not ({head.lower_, head.lemma_.lower()} & config.heads):
            continue
        last = doc[head.i - 1]
        if last.whitespace_ != " " or not (last.pos_ in ("NOUN", "PROPN", "ADJ") or last.tag_ == "VBN"):
            continue
        first = _modifier_start(doc, last.i)
        modifier = doc[first:last.i + 1].text.lower()
        modifiers = {modifier, last.lemma_.lower()} if first == last.i else {modifier}
        if not modifiers & config.modifiers:
            continue
        compounds = {f"{m} {h}" for m in modifiers for h in (head.lower_, head.lemma_.lower())}
        if compounds & config.everyday or _screen_label(doc, text, first):
            continue
        yield _Candidate(TECHNICAL_PHRASE, f"{modifier} {head.lemma_.lower()}", doc[first].idx,
                         head.idx + len(head), first, head.i + 1)


def _longest_first(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, the longest (then the earliest) winning, in text order."""
    kept: list[_Candidate] = []
    taken: set[int] = set()
    for c in sorted(candidates, key=lambda c: (c.token_start - c.token_end, c.token_start)):
        tokens = set(range(c.token_start, c.token_end))
        if tokens & taken:
            continue
        taken |= tokens
        kept.append(c)
    return sorted(kept, key=lambda c: c.token_start)


def _customer_words(context: AnalysisContext) -> set[str]:
    if context.customer_doc is None:
        return set()
    return {form for t in context.customer_doc for form in (t.lower_, t.lemma_.lower())}


def _customer_text(context: AnalysisContext, asks_meaning: re.Pattern[str]) -> tuple[str, str]:
    """Everything the customer wrote in the conversation so far, normalised, split in two: what they
    said, and the sentences where they asked what a word means ("what is a VLAN?"): a word the
    customer asks about is one they don't know."""
    # The message this reply answers was parsed once: its Doc's sentences. Earlier turns have no Doc,
    # and parsing each again would cost a pipeline run per turn for a cue that only needs to know
    # where a sentence ends, so they are split at end marks and line breaks.
    sentences = [s for turn in context.history if turn.role == "customer" for s in _SENTENCE_END.split(turn.text)]
    if context.customer_doc is not None:
        sentences += [sentence.text for sentence in context.customer_doc.sents]
    elif context.customer_message:
        sentences += _SENTENCE_END.split(context.customer_message)
    known, asked = [], []
    for sentence in sentences:
        (asked if asks_meaning.search(sentence) else known).append(sentence)
    return _normal_text(" ".join(known)), _normal_text(" ".join(asked))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _customer_lemmas(context: AnalysisContext, asks_meaning: re.Pattern[str]) -> frozenset[str]:
    """Lemmas of the words in the customer's message, outside questions about a word's meaning: the
    reply's "bounced" is the customer's own "bouncing"."""
    if context.customer_doc is None:
        return frozenset()
    return frozenset(t.lemma_.lower() for sentence in context.customer_doc.sents
                     if not asks_meaning.search(sentence.text) for t in sentence if t.is_alpha)


# a status or error name as a system writes it ("OOMKilled", "CrashLoopBackOff"), not a word
_INSIDE_CAPITALS = re.compile(r"[A-Z]{2,}[a-z]|[a-z][A-Z]")


def _reader(context: AnalysisContext) -> str:
    """The audience the jargon rules apply for: the persona's, or technical when the customer's own
    message holds a system's inside text (a command, code, an identifier like "ImagePullBackOff"),
    or calls a developer's thing their own ("our webhook", "my database") or by a system's own name
    for it ("the pods keep getting OOMKilled"): someone who writes that reads the technical words of
    a reply about it."""
    if context.audience == "technical" or context.customer_doc is None:
        return context.audience
    settings = _config().settings.technical_text
    kinds = frozenset(settings.reader_kinds)
    doc = context.customer_doc
    text = doc.text
    for match in glossary.find_terms(doc):
        if match.term.domain in settings.reader_domains and not match.term.everyday and (
                (match.token_start > 0 and doc[match.token_start - 1].lower_ in ("our", "my"))
                or _INSIDE_CAPITALS.search(text[match.start:match.end])):
            return "technical"
    for candidate in _technical_text_candidates(doc, text):
        quoted = text[candidate.start:candidate.end]
        # an error name in capitals ("ERR_CONNECTION_REFUSED") is what a browser shows anyone
        if candidate.kind in kinds and not quoted.isupper():
            return "technical"
    return context.audience


def _writes_from_work(context: AnalysisContext, reply: str) -> bool:
    """Whether the reader is staff at work, who use the office's tools every day: their own message
    says so ("my work laptop", "our office", "the team drive", "the printer on floor 2"), or the reply
    comes from their own IT desk (signed "IT Service Desk", "bring it back to the IT desk")."""
    config = _config()
    if any(pattern.search(reply) for pattern in config.workplace_reply):
        return True
    said = [turn.text for turn in context.history if turn.role == "customer"]
    said += [context.customer_message] if context.customer_message else []
    return any(pattern.search(message) for message in said for pattern in config.workplace_customer)


_NOUNS = ("NOUN", "PROPN")


def _customer_holds(doc: Doc, candidate: _Candidate) -> bool:
    """Whether the reply shows the customer holds the thing the term names, so they know it by that
    name: it asks them to send it ("Send me your private key", "send over the recovery key", "the
    password for the shared mailbox"), or says they did something to it ("the codes you saved when
    you set up 2FA"). Read from the parse of the reply, up the tree from the term to the verb it is
    the object of. Not a term that only describes the thing ("your MFA code", "the code that calls
    the API"), nor an abbreviation for a thing to send: one can hold a code without knowing it is an
    "OTP"; having set it up, one has met its name."""
    holding = _config().settings.holding
    span = doc[candidate.token_start:candidate.token_end]
    abbreviated = any(t.is_upper and len(t) > 1 for t in span)
    token = span.root
    while token.head is not token:
        head = token.head
        if token.dep_ in ("conj", "appos") or (
                token.dep_ == "prep" and token.lower_ in holding.object_preps and head.pos_ in _NOUNS) or (
                token.dep_ == "pobj" and head.lower_ in holding.object_preps):
            token = head
            continue
        if token.dep_ != "dobj" or head.pos_ != "VERB":
            return False
        verbs = _verb_forms(head)
        if verbs & holding.send_verbs and not abbreviated and _asked_of_customer(head):
            return True
        return bool(verbs & holding.done_verbs) and _done_by_customer(head, holding.conditions)
    return False


def _verb_forms(verb: Token) -> frozenset[str]:
    """A verb's lemma, and with its particle: "set up", "turn on", "send over"."""
    particles = [child.lower_ for child in verb.children if child.dep_ == "prt"]
    lemma = verb.lemma_.lower()
    return frozenset([lemma, *(f"{lemma} {particle}" for particle in particles)])


def _subjects(verb: Token) -> list[Token]:
    return [child for child in verb.children if child.dep_ in _SUBJECTS]


def _asked_of_customer(verb: Token) -> bool:
    """An imperative ("Send me ...") or a request to "you" ("If you could send over ...")."""
    subjects = _subjects(verb)
    return not subjects or all(subject.lower_ == "you" for subject in subjects)


def _done_by_customer(verb: Token, conditions: frozenset[str]) -> bool:
    """"you set up 2FA", "you've saved the key": the customer did it, in the past, as a fact (not
    "if you set up 2FA", "once you have saved the key", nor a question)."""
    if [s.lower_ for s in _subjects(verb)] != ["you"] or verb.sent.text.rstrip().endswith("?"):
        return False
    if any(child.lower_ in conditions for child in verb.children if child.dep_ in ("mark", "advmod", "aux")):
        return False
    clause = verb
    while True:
        if clause.tag_ == "VBD" or (clause.tag_ == "VBN" and any(
                child.dep_ == "aux" and child.lemma_ == "have" for child in clause.children)):
            return True
        # "the codes you saved when you set up 2FA": the clause takes its tense from the one it is in
        if clause.dep_ not in ("advcl", "conj") or clause.head is clause:
            return False
        clause = clause.head


def _agent_text(context: AnalysisContext) -> str:
    """What the agent wrote in earlier turns, normalised: a term used there was raised (or explained)
    on that turn, and saying it again later in the conversation is nothing new to flag."""
    return _normal_text(" ".join(turn.text for turn in context.history if turn.role == "agent"))


def _built_on_customer_word(doc: Doc, candidate: _Candidate, customer_text: str) -> bool:
    """A phrase built on a technical word the customer used ("VPN profile" after "my VPN"): the
    customer knows the thing; the phrase only says which part of it. So is a phrase that opens
    with the customer's own word and goes on in everyday words ("admin rights" after "our shared
    admin account")."""
    tokens = doc[candidate.token_start:candidate.token_end]
    if len(tokens) < 2:
        return False
    terms = _one_word_terms()
    if any((t.is_upper and len(t) > 1 or t.lower_ in terms or t.lemma_.lower() in terms)
           and _in_text(t.lower_, customer_text) for t in tokens if t.is_alpha):
        return True
    # (not after a glossary word everyone uses: saying "sync" doesn't show one knows a "sync client")
    words = [t for t in tokens if t.is_alpha]
    everyday = _config().settings.customer_phrase_zipf
    return (len(words) > 1 and _in_text(words[0].lower_, customer_text)
            and not {words[0].lower_, words[0].lemma_.lower()} & _one_word_forms()
            and all(zipf_frequency(t.lower_, "en") >= everyday for t in words[1:]))


_HYPHENATED = re.compile(r"(?<![\w-])\w+(?:-\w+)+(?![\w-])")


def _terms_by_modifier(customer_text: str) -> set[str]:
    """Terms the customer named by their distinctive modifier alone: "I turned on two-factor" names
    two-factor authentication, so the reply's "2FA" is known to them."""
    by_modifier = _modifier_terms()
    return {by_modifier[word] for word in _HYPHENATED.findall(customer_text) if word in by_modifier}


@functools.cache
def _modifier_terms() -> dict[str, str]:
    """Hyphenated first words of two-word glossary terms ("two-factor" of "two-factor
    authentication", "dead-letter" of "dead-letter queue") that begin no other form and are no
    everyday word ("e-mail", "wi-fi"), mapped to the term's id. Only the term's own name: an alias's
    modifier may name something else ("open-source library" is an alias of "third-party library")."""
    rare = _config().settings.customer_modifier_zipf
    terms = glossary.load_glossary().terms
    starts = Counter(glossary.normal_form(form).split()[0] for term in terms for form in term.forms)
    return {words[0]: term.id for term in terms if len(words := term.id.split()) == 2
            and "-" in words[0] and starts[words[0]] == 1
            and zipf_frequency(words[0].replace("-", ""), "en") < rare}


@functools.cache
def _one_word_forms() -> frozenset[str]:
    """One-word forms of every glossary term, everyday ones included."""
    return frozenset(form.lower() for term in glossary.load_glossary().terms
                     for form in term.forms if " " not in form)


@functools.cache
def _one_word_terms() -> frozenset[str]:
    """One-word forms of the glossary's technical terms (not the everyday ones: a customer who
    says "sync" has not shown they know what a "sync client" is)."""
    return frozenset(form.lower() for term in glossary.load_glossary().terms if not term.everyday
                     for form in term.forms if " " not in form)


def _normal_text(text: str) -> str:
    return " ".join(text.lower().split())


def _in_text(phrase: str, text: str) -> bool:
    """Whether `phrase` occurs in `text` as whole words (both normalised)."""
    if not phrase or not text:
        return False
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None


def _approved(text: str, candidate: _Candidate, approved: frozenset[str]) -> bool:
    """A team's approved word or phrase: the candidate is one, or lies inside one in the reply."""
    quoted = _normal_text(text[candidate.start:candidate.end])
    if quoted in approved or candidate.key in approved:
        return True
    window = _normal_text(text[max(0, candidate.start - 60):candidate.end + 60])
    return any(quoted in phrase and _in_text(phrase, window) for phrase in approved if " " in phrase)


@functools.lru_cache(maxsize=64)
def team_glossary(terms: tuple[TeamTerm, ...]) -> glossary.CompiledGlossary:
    """A team's own terms compiled like the glossary (cached: a team's list changes rarely)."""
    return glossary.compile_terms(tuple(glossary.Term(id=glossary.normal_form(t.term), term=t.term, aliases=(),
                                                      plain=t.plain or "", explanation=t.explanation or "",
                                                      domain="team")
                                        for t in terms))


# --- the analyser ------------------------------------------------------------------------------

class JargonAnalyzer:
    name = NAME
    version = 1

    def analyze(self, context: AnalysisContext) -> AnalyzerResult:
        config = _config()
        doc = context.doc
        text = doc.text  # Doc.text joins every token anew on each access: read it once, pass it on
        severities = config.settings.audiences.get(_reader(context), {})
        team = context.team
        matches = glossary.find_terms(doc)
        terms = _glossary_candidates(doc, text, matches)
        if team.terms:
            terms = [*_glossary_candidates(doc, text, team_glossary(team.terms).find(doc)), *terms]
        candidates = _longest_first([*terms, *_technical_text_candidates(doc, text),
                                     *_technical_phrase_candidates(doc, text)])
        # a glossary term left alone (an on-screen label, a product's name) is no unknown acronym either
        covered = {i for c in candidates for i in range(c.token_start, c.token_end)}
        covered |= {i for m in matches for i in range(m.token_start, m.token_end)}
        candidates += _acronym_candidates(doc, text, covered)
        candidates += _rare_word_candidates(doc, covered)
        candidates = [c for c in candidates if not (c.rule == GLOSSARY_TERM and _customer_holds(doc, c))]
        if team.approved_words:
            approved = frozenset(_normal_text(word) for word in team.approved_words)
            candidates = [c for c in candidates if not _approved(text, c, approved)]
        customer_text, asked_text = _customer_text(context, config.asks_meaning)
        used_by_customer = (customer_terms(context.customer_doc) | _customer_words(context)
                            | _terms_by_modifier(customer_text))
        agent_text = _agent_text(context)
        at_work = _writes_from_work(context, text)
        signature = sign_off_start(text)  # the agent's name and team are not jargon to decode
        customer_lemmas = _customer_lemmas(context, config.asks_meaning)
        candidates = [c for c in candidates if not _in_text(_normal_text(text[c.start:c.end]), customer_text)
                      and not _built_on_customer_word(doc, c, customer_text) and c.start < signature
                      and not (c.token_end - c.token_start == 1 and doc[c.token_start].lemma_.lower() in customer_lemmas)]

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
            asked = any(_in_text(_normal_text(text[c.start:c.end]), asked_text) for c in mentions)
            said_before = any(_in_text(_normal_text(text[c.start:c.end]), agent_text) for c in mentions)
            # a workplace term is known to staff at work, unless they asked what it means
            known = key in used_by_customer or said_before or (at_work and any(c.workplace for c in mentions))
            if severity is None or (known and not asked) or any(c.everyday for c in mentions):
                continue
            rule = config.ruleset.get(rule_id)
            flagged[rule_id, key] = severity
            for c in mentions:
                quoted = context.text[c.start:c.end]
                message = c.message or rule.format_message(quoted).replace("{plain}", c.suggestion or "")
                findings.append(context.finding(NAME, rule_id, severity, c.start, c.end, message,
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
