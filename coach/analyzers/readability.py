"""Readability: can a customer read the reply at a glance?

A U.S. reading grade (coach/textstats.py: sentence length, syllables, rare and unfamiliar words,
fitted on teacher-written reading levels and scaled to the classic grade formulas), long sentences,
passive voice (from the dependency parse), formal words, walls of text, and the wording of formal
notices: a promise gated on an approval nobody is named for ("once the necessary approval is
obtained"), and padding that restates what the customer told us ("which has been experienced over
recent weeks").

Sources: U.S. federal plain language guidelines (plainlanguage.gov: "Write short sentences",
"Use active voice", "Use simple words and phrases", whose word list is coach/data/plain_words.csv),
and the common advice to keep customer-facing text at grade 8 or below.
Thresholds, messages and examples: coach/data/readability.yaml.
"""
from __future__ import annotations

import csv
import functools
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, field_validator
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from coach import textstats
from coach.config import DATA_DIR
from coach.context import AnalysisContext
from coach.datafiles import StrictSettings, validate
from coach.errors import DataFileError
from coach.findings import AnalyzerResult, Finding
from coach.nlp import load_nlp
from coach.rules import Rule, RuleSet, compiled_rules, load_ruleset

NAME = "readability"
PLAIN_WORDS_FILE = DATA_DIR / "plain_words.csv"
# In plain_words.csv, "(omit)" marks a phrase that can simply be left out.
# "by Friday", "by 5 PM", "by 10%": a time or an amount, not the doer of a passive
_NOT_DOER_ENTITIES = {"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
# a proper name that is an organisation or a product ("by Outlook") is not taken as a doer
_THING_ENTITIES = {"ORG", "PRODUCT", "WORK_OF_ART", "FAC", "LAW", "LANGUAGE", "EVENT"}
_OMIT = "(omit)"
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# "one of our engineers", "the team from our partner": prepositions whose phrase is part of a doer's name
_DOER_PREPOSITIONS = ("of", "from")
# the words that open the clause an empty "it" stands for ("It was decided by the board that ...")
_CLAUSE_MARKS = ("that", "whether")
# what the parser may hang on a doer that is not part of its name and can't follow the verb's
# object either: "by our engineer, who called you" -> "Our engineer reset it, who called you"
# misleads; a place or time ("left by the driver in your safe place", "checked by our engineer at
# 2pm") may belong to the verb, and a status report about the thing reads best with it in front
_DOER_CLAUSES = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj", "prep"})


class ReadabilitySettings(StrictSettings):
    """`settings:` of coach/data/readability.yaml."""


    max_grade: float = Field(gt=0, description="replies at or below this grade score 100 on grade")
    grade_formulas: tuple[str, ...] = Field(min_length=1, description="textstat formulas averaged")
    grade_ceiling: float = Field(gt=0, description="highest grade reported")
    min_sentence_words: int = Field(ge=1, description="shorter lines are left out of the grade")
    points_per_grade: float = Field(ge=0, description="score points off per grade above max_grade")
    high_grade_finding: float = Field(gt=0, description="grade above which the hardest sentence is pointed out")
    high_grade_sentence_words: int = Field(gt=0, description="the grade hint points only at a sentence longer than this")
    long_sentence_words: int = Field(gt=0, description="sentences longer than this are flagged")
    wall_words: int = Field(gt=0, description="a paragraph longer than this is a wall of text")
    wall_sentences: int = Field(gt=0, description="a paragraph with more sentences (wall_steps of them steps) is a wall")
    wall_steps: int = Field(gt=0, description="steps (instructions) in a many-sentence paragraph that make it a wall")
    passive_allow: frozenset[str] = Field(description="verb lemmas whose passive is idiomatic")
    not_doers: frozenset[str] = Field(description="'by ...' words that say how or when, not who (lower case)")
    doer_nouns: frozenset[str] = Field(min_length=1, description="lemmas of people and organisations that act")
    doer_focus_words: frozenset[str] = Field(description="'only by ...': words before 'by' that stress the doer")
    doer_contrast_words: frozenset[str] = Field(description="'by X, not by Y': words after the doer that contrast it")
    topic_pronouns: frozenset[str] = Field(description="pronoun subjects that carry a sentence's topic on")
    topic_possessives: frozenset[str] = Field(description="'your refund': a subject that is the customer's own thing")
    doer_questions: frozenset[str] = Field(description="question words asking for the doer ('who changed it?')")
    rewrite_max_words: int = Field(gt=0, description="longest subject or doer put in a rewrite")
    no_rewrite_subjects: frozenset[str] = Field(description="subject words that rule out a rewrite")
    doer_pronouns: dict[str, str] = Field(description="'by us' -> 'we': object to subject pronoun")
    object_pronouns: dict[str, str] = Field(description="'I' -> 'me': subject to object pronoun")
    complex_word_skip: frozenset[str] = Field(description="plain_words.csv entries not used")
    complex_word_prefer: dict[str, str] = Field(description="entry -> alternative to suggest")
    complex_word_extra: dict[str, str] = Field(description="formal phrases the list lacks -> plain words")
    promise_words: frozenset[str] = Field(min_length=1, description="auxiliaries that make a sentence a promise ('will')")
    named_approver_words: frozenset[str] = Field(description="words after an approval that name who gives it ('from')")
    process_tail: re.Pattern[str] = Field(description="'in accordance with established procedures' after a condition")
    padding_verbs: frozenset[str] = Field(min_length=1, description="lemmas of a relative clause that only restates having or using the thing")
    padding_subjects: frozenset[str] = Field(description="subjects of such a clause ('you')")
    padding_vague_words: frozenset[str] = Field(description="lemmas such a clause may hold without saying anything new")
    padding_min_words: int = Field(gt=0, description="shortest such clause flagged ('you are facing' is ordinary wording)")
    penalty_caps: dict[str, float] = Field(description="rule id -> most points it can take off")

    @field_validator("grade_formulas")
    @classmethod
    def _known_formulas(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in names if name not in textstats.GRADE_FORMULAS]
        if unknown:
            raise ValueError(f"unknown formula(s) {unknown}; use {sorted(textstats.GRADE_FORMULAS)}")
        return names


# Wording a rule needs beyond message/suggestion (kept in the rule's own YAML entry).
_EXTRA_WORDING = {"readability.passive-voice": ("message_with_agent",)}


@functools.cache
def _ruleset() -> RuleSet:
    ruleset = load_ruleset(NAME)
    for rule_id, keys in _EXTRA_WORDING.items():
        rule = ruleset.get(rule_id)
        for key in keys:
            if not isinstance(rule.extra.get(key), str) or not rule.extra[key]:
                raise DataFileError(ruleset.path, f"{rule_id}.{key}", "missing (must be a string)")
    return ruleset


@functools.cache
def readability_settings() -> ReadabilitySettings:
    ruleset = _ruleset()
    return validate(ReadabilitySettings, ruleset.settings, ruleset.path, "settings")


def _fill(template: str, **values: object) -> str:
    """Fill {name} placeholders; unlike str.format, stray braces in the wording stay as they are."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", str(value))
    return template


# ---------------------------------------------------------------- plain-language word list

@dataclass(frozen=True)
class PlainWords:
    """plain_words.csv compiled for one pipeline: a PhraseMatcher on LOWER, one on the lemma for the
    inflected forms of one-word verbs ("utilizing", "commenced"), and each entry's plain word."""

    matcher: PhraseMatcher
    verb_lemmas: frozenset[str]
    plain: dict[str, str]


def load_plain_words(path: Path = PLAIN_WORDS_FILE) -> dict[str, str]:
    """{formal phrase (lowercase): plainer alternative} from the plainlanguage.gov word list.

    The suggestion is the first 'say' alternative that is not "(omit)", unless
    settings.complex_word_prefer names another; skipped entries are left out.
    """
    settings = readability_settings()
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise DataFileError(path, "", f"cannot read ({exc.strerror})") from None
    plain: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        if not row.get("dont_say") or not row.get("say"):
            raise DataFileError(path, f"line {line}", "needs both 'dont_say' and 'say'")
        alternatives = [a.replace(_OMIT, "").strip() for a in row["say"].split(",")]
        alternatives = [a for a in alternatives if a and "(" not in a]
        for phrase in (p.strip().lower() for p in row["dont_say"].split(",")):
            # entries like "a and/or b", "/ (slash)" or "not later than 10 May" are templates, not phrases
            template = any(not c.isalpha() and c not in " -'" for c in phrase)
            if not phrase or template or phrase in settings.complex_word_skip:
                continue
            choice = settings.complex_word_prefer.get(phrase) or (alternatives[0] if alternatives else None)
            if choice and choice.lower() != phrase:  # "for example" -> "for example" is no advice
                plain[phrase] = choice
    for phrase, choice in settings.complex_word_extra.items():
        plain[phrase.lower()] = choice
    return plain


@functools.cache
def plain_words(nlp: Language) -> PlainWords:
    plain = load_plain_words()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for phrase in plain:
        matcher.add(phrase, [nlp.make_doc(phrase)])
    # one-word entries whose plain word is a verb we can inflect the same way ("utilize" -> "use")
    verbs = frozenset(phrase for phrase, word in plain.items()
                      if " " not in phrase and "-" not in phrase and _inflectable(word))
    return PlainWords(matcher, verbs, plain)


# "-ing", "-ed" and "-s" forms of a verb (Penn tags) the plain word is put in
_INFLECTED_TAGS = ("VBG", "VBD", "VBN", "VBZ")
# plain words whose past is irregular: their "-ed" form would be wrong ("began", not "beginned")
_IRREGULAR_VERBS = frozenset({"begin", "get", "give", "take", "make", "send", "find", "do", "go", "buy", "pay",
                              "tell", "keep", "leave", "show", "set", "put", "cut", "let", "say", "see", "think",
                              "know", "come", "run", "hold", "bring", "build", "choose", "feel", "lead", "mean",
                              "meet", "sell", "spend", "stand", "understand", "write", "win", "have", "be",
                              "read", "break", "fall", "forget", "hide", "speak", "stop", "plan", "drop", "ship"})


def _inflectable(plain: str) -> bool:
    first = plain.split(" ")[0]
    return first.isalpha() and first.islower() and first not in _IRREGULAR_VERBS and len(plain.split()) <= 2


def _inflect(plain: str, tag: str) -> str:
    """The plain verb in the form of the word it replaces: "use" as VBG -> "using", "carry out" as
    VBD -> "carried out", "help" as VBZ -> "helps" (regular English spelling; irregular verbs are
    never inflected: see _inflectable)."""
    first, _, rest = plain.partition(" ")
    if tag == "VBZ":
        word = _present_third(first)
    elif tag == "VBG":
        word = (first[:-1] if first.endswith("e") and not first.endswith(("ee", "ye", "oe")) else first) + "ing"
    elif first.endswith("e"):
        word = first + "d"
    elif first.endswith("y") and first[-2:-1] not in "aeiou":
        word = first[:-1] + "ied"
    else:
        word = first + "ed"
    return " ".join(part for part in (word, rest) if part)


# ---------------------------------------------------------------- sentences and grade

@dataclass(frozen=True)
class Sentence:
    span: Span
    words: int
    grade: float | None  # None when too short to count towards the grade


def _words(span: Span) -> int:
    return sum(1 for token in span if token.is_alpha or token.like_num)


def _trim(doc: Doc, start: int, end: int) -> Span | None:
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    span = doc[start:end]
    return span if _words(span) else None


def _lines(doc: Doc) -> Iterator[Span]:
    """spaCy's sentences, split again at line breaks: spaCy often runs a greeting line or a
    sign-off into the next sentence, and a line break always ends a sentence in a reply."""
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            if token.is_space and "\n" in token.text:
                if (span := _trim(doc, start, token.i)) is not None:
                    yield span
                start = token.i + 1
        if (span := _trim(doc, start, sent.end)) is not None:
            yield span


def _grade_text(span: Span) -> str:
    """The sentence as textstat should see it: one sentence, with no links or addresses (their dots
    would split it and their length would inflate the grade)."""
    kept = "".join(t.text_with_ws for t in span if not (t.like_url or t.like_email or t.is_space))
    body = "".join(" " if c in ".!?\n" else c for c in kept).strip()
    return body + "."


def classic_grade(text: str, settings: ReadabilitySettings) -> float:
    """The mean of the textstat formulas in `settings.grade_formulas` (the U.S. grade scale the fitted
    model is calibrated to; scripts/fit_readability.py)."""
    grade = statistics.fmean(textstats.GRADE_FORMULAS[name](text) for name in settings.grade_formulas)
    return min(max(grade, 0.0), settings.grade_ceiling)


def _grade(spans: list[Span], settings: ReadabilitySettings) -> float:
    """The reading grade (coach/textstats.py, fitted on teacher-written levels), kept in range."""
    return min(max(textstats.reading_grade(spans), 0.0), settings.grade_ceiling)


def graded_spans(doc: Doc, settings: ReadabilitySettings) -> list[Span]:
    """The sentences (and lines) long enough to count towards the grade."""
    return [span for span in _lines(doc) if _words(span) >= settings.min_sentence_words]


def _sentences(doc: Doc, settings: ReadabilitySettings) -> list[Sentence]:
    sentences = []
    for span in _lines(doc):
        words = _words(span)
        counted = words >= settings.min_sentence_words
        sentences.append(Sentence(span, words, _grade([span], settings) if counted else None))
    return sentences


def _hardest_sentence(graded: list[Sentence], grade: float, settings: ReadabilitySettings) -> Span | None:
    """The sentence the reading-grade hint points at when the reply reads above `high_grade_finding`:
    the hardest one above it too that is longer than `high_grade_sentence_words`. A shorter sentence
    is hard, if at all, for a few of its words ("The crash is a null pointer exception in the
    thumbnail renderer"), and those words are the jargon and formal-word findings' to point out,
    each with a plainer alternative; "use shorter sentences" would be the wrong advice there."""
    if grade <= settings.high_grade_finding:
        return None
    hard = [s for s in graded if s.grade is not None and s.grade > settings.high_grade_finding
            and s.words > settings.high_grade_sentence_words]
    return max(hard, key=lambda s: s.grade or 0.0).span if hard else None


def _steps(sentences: list[Sentence]) -> int:
    """How many sentences are instructions ("Tap Mail.", "Please restart it."): sentences with no
    subject. (Their verb is no help: the parser often reads "Tap Mail." as a noun phrase.)"""
    return sum(1 for s in sentences if not any(t.dep_ in _SUBJECT_DEPS for t in s.span))


# ---------------------------------------------------------------- passive voice

@dataclass(frozen=True)
class Passive:
    """A passive verb phrase ("has been reset") and, for the rewrite, what it happened to and who did it."""

    start: int
    end: int
    subject: Span
    agent: Span
    active: str


def _phrase(head: Token) -> Span:
    doc = head.doc
    return doc[head.left_edge.i: head.right_edge.i + 1]


def _doer_phrase(head: Token) -> Span:
    """The doer's own words: up to its head, and an "of"/"from" phrase right after it ("one of our
    engineers", "the team from our partner"). What the parser hangs on the doer after that ("the
    department subsequent to the approval", "in your safe place") says when, where or what, and is
    the rest of the clause, not part of the doer's name."""
    end = head.i + 1
    for child in head.rights:
        if child.dep_ != "prep" or child.lower_ not in _DOER_PREPOSITIONS or child.i != end:
            break
        end = child.right_edge.i + 1
    return head.doc[head.left_edge.i:end]


def _extraposed(subject_head: Token, agent: Span) -> bool:
    """"It has been determined by our monitoring that ...", "It was decided by the board whether
    ...": an empty "it" whose content is the clause after the doer. There is no topic in front to
    keep, and the active ("Our monitoring has determined that ...") is plainly better."""
    doc = agent.doc
    return (subject_head.lower_ == "it" and agent.end < len(doc)
            # "that" opening a clause (the parser may take it for an object), not "that morning"
            and doc[agent.end].lower_ in _CLAUSE_MARKS and doc[agent.end].dep_ != "det")


def _third_singular(doer: str, doer_token: Token) -> bool:
    if doer_token.pos_ == "PRON":
        return doer.lower() in ("he", "she", "it")
    return doer_token.tag_ in ("NN", "NNP")


def _present_third(lemma: str) -> str:
    """'reset' -> 'resets', 'fix' -> 'fixes', 'apply' -> 'applies' (regular English spelling)."""
    if lemma.endswith(("s", "x", "z", "ch", "sh", "o")):
        return lemma + "es"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + "s"


def _active_verb(verb: Token, passive_aux: Token, auxiliaries: list[Token], third: bool) -> str | None:
    """The active form of a passive verb phrase: 'will be sent' -> 'will send', 'was reset' ->
    'have reset' (the present perfect keeps the participle, which spaCy gives us, so irregular
    verbs come out right), 'is deleted' -> 'delete(s)'. None for forms we can't turn around."""
    others = [t for t in auxiliaries if t.i != passive_aux.i]
    if (any(t.dep_ == "neg" for t in others) or passive_aux.lemma_ not in ("be", "get")
            or passive_aux.lower_ == "being"):
        return None
    participle = verb.lower_
    if others:
        if others[-1].lemma_ == "have":
            words = [t.lower_ for t in others[:-1]]
            have = others[-1].lower_ if others[-1].lower_ == "had" or words else ("has" if third else "have")
            return " ".join([*words, have, participle])
        if all(t.tag_ == "MD" for t in others):
            return " ".join([*(t.lower_ for t in others), verb.lemma_])
        return None
    if passive_aux.tag_ == "VBD":
        return _simple_past(participle)
    return _present_third(verb.lemma_) if third else verb.lemma_


# past participle -> simple past, where they differ ("was written by" -> "wrote")
_IRREGULAR_PAST = {"given": "gave", "taken": "took", "written": "wrote", "done": "did", "seen": "saw",
                   "known": "knew", "shown": "showed", "chosen": "chose", "broken": "broke", "stolen": "stole",
                   "frozen": "froze", "forgotten": "forgot", "gotten": "got", "driven": "drove", "spoken": "spoke",
                   "begun": "began", "drawn": "drew", "grown": "grew", "thrown": "threw", "woken": "woke",
                   "hidden": "hid", "ridden": "rode", "shaken": "shook", "sworn": "swore", "torn": "tore",
                   "worn": "wore", "beaten": "beat", "bitten": "bit", "eaten": "ate", "fallen": "fell",
                   "flown": "flew", "mistaken": "mistook", "overtaken": "overtook", "undone": "undid",
                   "rewritten": "rewrote", "withdrawn": "withdrew", "forbidden": "forbade", "run": "ran",
                   "come": "came", "become": "became", "overcome": "overcame"}
# participles that are also the simple past of an irregular verb ("was sent" -> "sent")
_SAME_PAST = frozenset({"sent", "told", "made", "found", "paid", "bought", "built", "set", "reset", "put", "cut",
                        "shut", "sold", "held", "kept", "left", "lost", "meant", "read", "spent", "brought",
                        "caught", "taught", "got", "heard", "said", "sought", "thought", "won", "understood",
                        "sent", "lent", "lit", "led", "fed", "hit", "let", "hurt", "quit", "upset", "spread",
                        "split", "cast", "broadcast", "forecast", "bound", "wound", "ground", "struck", "stuck",
                        "hung", "dealt", "built", "rebuilt", "resent", "mislaid", "laid", "misled", "shot"})


def _simple_past(participle: str) -> str | None:
    """'updated' -> 'updated', 'sent' -> 'sent', 'written' -> 'wrote'; None when we don't know it."""
    if participle.endswith("ed") or participle in _SAME_PAST:
        return participle
    return _IRREGULAR_PAST.get(participle)


def _passive_parts(verb: Token) -> tuple[Token, Token] | None:
    """(subject, passive auxiliary) when `verb` heads a passive clause, else None.

    The parser marks passives with nsubjpass/auxpass. For verbs whose participle looks like their
    base form ("reset", "set", "put") the small pipeline often tags 'was reset' as aux + VB
    instead; 'be' + a base-form verb is not grammatical English, so that is a passive too.
    """
    children = list(verb.children)
    subjects = [c for c in children if c.dep_ == "nsubjpass"]
    auxpass = [c for c in children if c.dep_ == "auxpass"]
    if subjects and auxpass:
        # the subject nearest the verb: a greeting before it ("Hi Jonah, your laptop has been ...")
        # is sometimes parsed as a second subject
        return subjects[-1], auxpass[0]
    if verb.tag_ == "VB":
        subjects = [c for c in children if c.dep_ == "nsubj"]
        be = [c for c in children if c.dep_ == "aux" and c.lemma_ == "be" and c.i < verb.i]
        if subjects and be:
            return subjects[0], be[-1]
    return None


def _passives(doc: Doc, settings: ReadabilitySettings, customer: Doc | None = None,
              formal: dict[int, FormalWord] | None = None, rewritten: set[int] | None = None) -> Iterator[Passive]:
    """The passives a rewrite with the doer first would improve; `customer` is the message the reply
    answers (its topics and its questions). The rewrite says the formal words it moves plainly
    (`formal`, by first token); their indices go in `rewritten`."""
    formal = formal or {}
    rewritten = rewritten if rewritten is not None else set()
    if customer is not None and any(t.lower_ in settings.doer_questions and t.sent.text.rstrip().endswith("?")
                                    for t in customer):
        return  # "Who changed my address?": the doer is the answer, and the end is where it belongs
    topics = frozenset(t.lemma_.lower() for t in customer if t.pos_ in ("NOUN", "PROPN")) if customer else frozenset()
    for verb in doc:
        parts = _passive_parts(verb)
        if parts is None:
            continue
        subject_head, passive_aux = parts
        children = list(verb.children)
        auxiliaries = [c for c in children if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i]
        by_phrases = [c for c in children if c.dep_ == "agent"]
        agent_heads = [p for c in by_phrases for p in c.children if p.dep_ == "pobj"]
        # Only a passive whose doer the sentence names ("... was reset by our team") can be turned
        # around without guessing who acted; a question ("Was it sent by ...?") is left alone.
        if (len(agent_heads) != 1 or passive_aux.i < subject_head.i
                or verb.lemma_.lower() in settings.passive_allow):
            continue
        agent = _doer_phrase(agent_heads[0])
        extraposed = _extraposed(subject_head, agent)
        if extraposed:
            # the doer of an empty "it" may be a thing too ("by our monitoring", "by the logs"): the
            # passive keeps nothing in front, and only the bureaucratic "It has been ..." goes
            if not _names_an_actor(agent, settings):
                continue
        elif (not (_is_doer(agent, settings) or _heavy_finding(verb, subject_head, agent, settings))
                or _doer_in_focus(by_phrases[0], agent, settings)
                or _keeps_the_topic(verb, subject_head, topics, settings)):
            continue
        # a particle belongs to the verb: "are backed up", "was set up"
        particles = [c for c in children if c.dep_ == "prt" and c.i == verb.i + 1]
        last = particles[0] if particles else verb
        start = min(t.i for t in auxiliaries)
        subject = _phrase(subject_head)
        if extraposed:
            active = _active_extraposed(verb, particles, passive_aux, auxiliaries, by_phrases[0], agent, settings,
                                        formal, used := set())
        else:
            active = _active_clause(verb, particles, passive_aux, auxiliaries, subject_head, subject, agent,
                                    settings, formal, used := set())
        if active is not None:
            rewritten |= used
            yield Passive(doc[start].idx, last.idx + len(last), subject, agent, active)


def _is_doer(agent: Span, settings: ReadabilitySettings) -> bool:
    """Whether a "by ..." phrase names people who acted ("by our team", "by Sam", "by them"), not
    when or how ("by Friday", "by email", "by default"), nor a thing or a cause ("by our fraud
    check", "by a faulty cable", "by the system"): with a thing as the doer the passive usually
    reads naturally (the reply is about what happened to the customer's card, not the check's
    doings), and an active rewrite makes a machine the actor of the sentence."""
    root = agent.root
    if root.lower_ in ("one", "some", "all", "each", "both", "two", "several", "members"):
        # "one of our engineers": the people are named after "of"
        of = [o for p in root.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
        root = of[0] if of else root
    lemma = root.lemma_.lower()
    if root.ent_type_ in _NOT_DOER_ENTITIES and root.i == agent.root.i or lemma in settings.not_doers or root.lower_ in settings.not_doers:
        return False
    if root.pos_ == "PRON":
        return root.lower_ in settings.doer_pronouns and root.lower_ != "it"
    if root.pos_ == "PROPN":
        # a person's name; an organisation's or a product's ("by Outlook", "by Microsoft Defender")
        # can't be told apart by the small pipeline, so only people are taken
        return root.ent_type_ not in _THING_ENTITIES
    return root.pos_ == "NOUN" and lemma in settings.doer_nouns


def _heavy_finding(verb: Token, subject_head: Token, agent: Span, settings: ReadabilitySettings) -> bool:
    """A reported finding whose passive puts a long subject before a short doer, where the doer may
    be a thing: "(we found) that the storage capacity of the device has been consumed by temporary
    files". A thing as the doer usually reads best in the passive, with the customer's topic in front
    ("Your card was frozen by our fraud check"); but a "that" clause reports news, and a subject
    longer than its doer goes against English's long-words-last order: the clause reads like a
    notice, and the active ("temporary files have consumed the storage capacity of the device")
    reads plainly."""
    reported = any(c.dep_ == "mark" and c.lower_ == "that" and c.i < subject_head.i for c in verb.children)
    return reported and _names_an_actor(agent, settings) and _words(_phrase(subject_head)) > _words(agent)


def _holds_a_clause(agent: Span) -> bool:
    """Whether the doer's words hold a clause of their own ("the system using historic consumption"):
    moved first, it would read as part of the doer's name. A participle describing the doer's
    head before it ("accumulated temporary files", "our trained staff") is an adjective, not a clause."""
    return any(t.is_punct or (t.pos_ in ("VERB", "AUX") and not (t.dep_ == "amod" and t.i < agent.root.i))
               for t in agent)


def _names_an_actor(agent: Span, settings: ReadabilitySettings) -> bool:
    """Whether a "by ..." phrase names anyone or anything that acts ("by the board", "by our
    monitoring", "by the logs"), not when or how ("by Friday", "by email", "by default")."""
    root = agent.root
    if root.ent_type_ in _NOT_DOER_ENTITIES or root.lemma_.lower() in settings.not_doers \
            or root.lower_ in settings.not_doers:
        return False
    if root.pos_ == "PRON":
        return root.lower_ in settings.doer_pronouns and root.lower_ != "it"
    return root.pos_ in ("NOUN", "PROPN")


def _doer_in_focus(by_phrase: Token, agent: Span, settings: ReadabilitySettings) -> bool:
    """"stored by our payment provider, not by us", "approved only by the account owner": the
    sentence is about who does it, and the passive puts that last, where the stress falls."""
    doc = by_phrase.doc
    before = doc[by_phrase.i - 1] if by_phrase.i > 0 else None
    after = [t for t in doc[agent.end:min(agent.end + 3, len(doc))] if not t.is_punct]
    return ((before is not None and before.lower_ in settings.doer_focus_words)
            or (bool(after) and after[0].lower_ in settings.doer_contrast_words)
            or any(t.lower_ in settings.doer_contrast_words for t in agent))


def _keeps_the_topic(verb: Token, subject_head: Token, topics: frozenset[str],
                     settings: ReadabilitySettings) -> bool:
    """The passive keeps what the reply is about in front, and the active would push it to the end:
    the customer's own thing ("Your refund was approved by our billing team"), what the customer
    asked about ("Was my complaint looked at?" -> "The complaint was reviewed by ..."), or, in a
    second clause, a pronoun that carries the sentence's topic on ("the payment failed as it was
    declined by your bank")."""
    if any(c.dep_ == "poss" and c.lower_ in settings.topic_possessives for c in subject_head.children):
        return True
    if subject_head.lemma_.lower() in topics:
        return True
    # a pronoun refers back to what the reply is already about, in a clause or a sentence of its
    # own ("Your parcel hasn't turned up. It was left by the driver in your safe place.")
    return subject_head.lower_ in settings.topic_pronouns


def _doer_and_verb(verb: Token, passive_aux: Token, auxiliaries: list[Token], agent: Span,
                   settings: ReadabilitySettings, formal: dict[int, FormalWord],
                   used: set[int]) -> tuple[str, str] | None:
    """The doer as a subject ("by us" -> "we") and the active verb phrase in the passive's tense,
    with an adverb inside it kept ("was quickly fixed" -> "quickly fixed") and a formal verb in plain
    words ("will be implemented" -> "will carry out"); None when it can't be done safely."""
    doer = settings.doer_pronouns.get(agent.text.lower(), agent.text)
    verb_phrase = _active_verb(verb, passive_aux, auxiliaries, _third_singular(doer, agent.root))
    if verb_phrase is None:
        return None
    found = formal.get(verb.i)
    plain = plain_words(load_nlp()).plain.get(verb.lemma_.lower())
    if found is not None and len(found.span) == 1 and plain is not None and _inflectable(plain):
        *head, form = verb_phrase.split(" ")
        forms = {verb.lemma_.lower(): plain, _present_third(verb.lemma_.lower()): _inflect(plain, "VBZ"),
                 verb.lower_: _inflect(plain, "VBN")}
        if form in forms:
            verb_phrase = " ".join([*head, forms[form]])
            used.add(verb.i)
    # "can only be granted by the owner" stresses the doer, and "can only grant" would not say that
    inside = [t for t in verb.children if t.dep_ == "advmod" and min(a.i for a in auxiliaries) < t.i < verb.i]
    if any(t.lower_ in settings.doer_focus_words for t in inside):
        return None
    if inside:
        *head, last_word = verb_phrase.split(" ")
        verb_phrase = " ".join([*head, *(t.lower_ for t in inside), last_word])
    return doer, verb_phrase


def _active_extraposed(verb: Token, particles: list[Token], passive_aux: Token, auxiliaries: list[Token],
                       by_phrase: Token, agent: Span, settings: ReadabilitySettings,
                       formal: dict[int, FormalWord], used: set[int]) -> str | None:
    """"It has been determined by our monitoring" -> "Our monitoring has determined": the clause the
    empty "it" stood for stays where it is, after the doer."""
    if len(agent) > settings.rewrite_max_words or _holds_a_clause(agent):
        return None
    doc = verb.doc
    last = particles[-1].i if particles else verb.i
    # words between the verb and "by" go with the verb ("It was explained to me by ...")
    between = [t for t in doc[last + 1:by_phrase.i] if not t.is_space]
    if any(t.is_punct for t in between) or len(between) > settings.rewrite_max_words:
        return None
    parts = _doer_and_verb(verb, passive_aux, auxiliaries, agent, settings, formal, used)
    if parts is None:
        return None
    doer, verb_phrase = parts
    return _clause(doer, verb_phrase, *(p.lower_ for p in particles), _plainly(between, formal, used))


def _active_clause(verb: Token, particles: list[Token], passive_aux: Token, auxiliaries: list[Token],
                   subject_head: Token, subject: Span, agent: Span, settings: ReadabilitySettings,
                   formal: dict[int, FormalWord], used: set[int]) -> str | None:
    """'Your password was reset' -> 'We have reset your password'; None when it can't be done safely
    (relative pronouns like 'that', negations, 'is being', long phrases, unusual auxiliaries)."""
    if (subject_head.tag_ in ("WDT", "WP")
            or any(t.is_punct for t in subject)  # "Hi Owen, your laptop": a greeting parsed into it
            or len(agent) > settings.rewrite_max_words
            or _holds_a_clause(agent)
            # "by our engineer, who called you", "by the driver in your safe place" (see
            # _DOER_CLAUSES); a formal "subsequent to ..." the parser hangs on the doer is the rest
            or any(c.dep_ in _DOER_CLAUSES for c in agent.root.rights if c.i >= agent.end)
            or any(t.lower_ in settings.no_rewrite_subjects for t in subject)
            or subject.text.lower() in settings.no_rewrite_subjects):
        return None
    parts = _doer_and_verb(verb, passive_aux, auxiliaries, agent, settings, formal, used)
    if parts is None:
        return None
    doer, verb_phrase = parts
    if len(subject) == 1 and subject.text.lower() in settings.object_pronouns:
        patient = settings.object_pronouns[subject.text.lower()]
    else:
        patient = _plainly(list(subject), formal, used)
        if subject[0].pos_ != "PROPN":
            patient = patient[0].lower() + patient[1:]
    # "the aforementioned condition" is said "this condition": the subject's length as written
    if len(patient.split()) > settings.rewrite_max_words:
        return None
    rest = _rest_of_clause(verb, particles, agent, formal, used)
    if rest is None or len(rest.split()) > 2 * settings.rewrite_max_words:
        return None
    return _clause(doer, verb_phrase, *(p.lower_ for p in particles), patient, rest)


def _clause(*parts: str) -> str:
    """The active clause's words in order, the empty parts left out, with a capital first letter."""
    clause = " ".join(part for part in parts if part)
    return clause[0].upper() + clause[1:]


def _rest_of_clause(verb: Token, particles: list[Token], agent: Span, formal: dict[int, FormalWord],
                    used: set[int]) -> str | None:
    """What follows the verb in its clause, without the "by ..." phrase ("that the fix is ready",
    "before the upload"), so the rewrite keeps the whole meaning; None when the clause runs on
    before the verb phrase ends or holds a quote we can't move."""
    doc = verb.doc
    last = particles[-1].i if particles else verb.i
    agent_tokens = set(range(agent.start - 1, agent.end))
    # a second clause joined by "and"/"but" keeps its own subject in the reply: stop before it
    # (from the joined clause's first word: "..., so please ask ...")
    joined = [c.left_edge.i for c in verb.children if c.dep_ in ("cc", "conj") and c.i > last]
    end = min([*joined, verb.right_edge.i + 1])
    words = [t for t in doc[last + 1:end] if t.i not in agent_tokens and not t.is_space]
    while words and words[-1].is_punct:
        words.pop()
    if any(t.text in ('"', "“", "”", "(", ")") for t in words):
        return None
    # words the active moves (before "by") are said plainly; those after the doer stay in the reply
    # as they are, with their own plain-word swaps
    moved = [t for t in words if t.i < agent.start]
    kept = [t for t in words if t.i >= agent.start]
    return " ".join(part for part in (_plainly(moved, formal, used), "".join(t.text_with_ws for t in kept).strip())
                    if part)


# ---------------------------------------------------------------- the analyser

# a demonstrative plain word agrees with the noun after it ("the aforementioned steps" -> "these steps")
_PLURAL_DEMONSTRATIVES = {"this": "these", "that": "those"}


def _agreeing(word: str, span: Span) -> str:
    doc = span.doc
    following = next((t for t in doc[span.end:span.end + 4] if t.pos_ in ("NOUN", "PROPN")), None)
    if word.lower() in _PLURAL_DEMONSTRATIVES and following is not None and following.tag_ in ("NNS", "NNPS"):
        return _PLURAL_DEMONSTRATIVES[word.lower()]
    return word


@dataclass(frozen=True)
class FormalWord:
    """A formal word or phrase of the reply and the plain words for it, in the same form ("utilizing"
    -> "using")."""

    span: Span
    plain: str


def _formal_words(context: AnalysisContext) -> dict[int, FormalWord]:
    """The reply's formal words and phrases (plain_words.csv), by the index of their first token; the
    customer's own words are left alone (echoing them is fine)."""
    plain = plain_words(load_nlp())
    doc = context.doc
    # "utilizing", "commenced": an entry's verb in another form, matched by its lemma
    inflected = [doc[t.i:t.i + 1] for t in doc if t.tag_ in _INFLECTED_TAGS and t.lower_ != t.lemma_.lower()
                 and t.lemma_.lower() in plain.verb_lemmas]
    spans = filter_spans([doc[start:end] for _, start, end in plain.matcher(doc)] + inflected)
    customer = _customer_words(context)
    formal = {}
    for span in spans:
        if all(t.lower_ in customer or t.lemma_.lower() in customer for t in span):
            continue
        key = span.text.lower()
        word = plain.plain[key] if key in plain.plain else _inflect(plain.plain[span[0].lemma_.lower()], span[0].tag_)
        formal[span.start] = FormalWord(span, _agreeing(word, span))
    return formal


def _plainly(tokens: list[Token], formal: dict[int, FormalWord], used: set[int]) -> str:
    """The tokens' text with the formal words among them in plain words (their indices go in `used`)."""
    parts: list[str] = []
    indices = {t.i for t in tokens}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        found = formal.get(token.i)
        if found is not None and all(t.i in indices for t in found.span):
            used.add(token.i)
            parts.append(found.plain + found.span[-1].whitespace_)
            index += len(found.span)
            continue
        parts.append(token.text_with_ws)
        index += 1
    return "".join(parts).strip()


def _process_conditions(context: AnalysisContext, settings: ReadabilitySettings) -> list[tuple[int, int]]:
    """Promises gated on an approval nobody is named for ("... will be replaced once the necessary
    approval is obtained in accordance with established procedures"), as character spans: in a
    sentence that promises (settings.promise_words before the condition) and names no day or time,
    with no "from/by ..." after the approval, and an approval the customer didn't bring up."""
    doc = context.doc
    customer = _customer_words(context)
    spans = []
    for match in compiled_rules(NAME, load_nlp()).match(doc):
        span = doc.char_span(match.start, match.end)
        if span is None:
            continue
        sentence = span.sent
        if (not any(t.lower_ in settings.promise_words for t in doc[sentence.start:span.start])
                or any(e.label_ in ("DATE", "TIME") for e in sentence.ents)
                or (span.end < sentence.end and doc[span.end].lower_ in settings.named_approver_words)
                or any(t.lemma_.lower() in customer for t in span if t.pos_ == "NOUN")):
            continue
        span = _whole_condition(span)
        if span is None:
            continue
        tail = settings.process_tail.match(context.text, span.end_char)
        spans.append((span.start_char, tail.end() if tail else span.end_char))
    return spans


# words a matched condition may need after it to be a whole phrase ("once the necessary approval
# | is in place", "following the usual approval | process")
_CONDITION_RUN_ON = 4


def _whole_condition(span: Span) -> Span | None:
    """The condition as a whole phrase: extended to the word its last words lean on when that
    follows closely ("the usual approval process"), else None (a placeholder in its place would
    leave a stump)."""
    doc = span.doc
    leaning = [t.head for t in span if t.head.i >= span.end]
    if not leaning:
        return span
    head = max(leaning, key=lambda t: t.i)
    end = head.right_edge.i + 1
    run_on = doc[span.end:end]
    if end - span.end > _CONDITION_RUN_ON or any(t.is_punct for t in run_on) \
            or any(t.head.i >= end for t in doc[span.start:end]):
        return None
    return doc[span.start:end]


_RELATIVE_TAGS = ("WDT", "WP")
# a joined clause ("... and which is inconvenient") is not part of the clause before it
_JOINED_DEPS = ("cc", "conj", "punct")


def _padding(sentences: list[Sentence], context: AnalysisContext, settings: ReadabilitySettings) -> list[Span]:
    """Relative clauses of long sentences that only restate that the customer has, uses or suffers
    the thing ("which has been experienced over recent weeks"), whose words are vague or the
    customer's own: taking them out loses nothing the customer doesn't know."""
    customer = _customer_words(context)
    found = []
    for sentence in sentences:
        if sentence.words <= settings.long_sentence_words:
            continue
        for verb in sentence.span:
            if verb.dep_ != "relcl" or verb.lemma_.lower() not in settings.padding_verbs:
                continue
            kept = [c for c in verb.children if c.dep_ not in _JOINED_DEPS or c.i < verb.i]
            tokens = sorted({t for c in kept for t in c.subtree} | {verb}, key=lambda t: t.i)
            # "... over the last few days, which must be frustrating": the clause after the comma
            # is a sentence of its own to the reader, and stays
            comma = next((t.i for t in tokens if t.is_punct and t.i > verb.i), None)
            if comma is not None:
                tokens = [t for t in tokens if t.i < comma]
            clause = verb.doc[tokens[0].i:tokens[-1].i + 1]
            if (len(tokens) != len(clause) or any(c.dep_ == "agent" for c in kept)
                    or sum(not t.is_punct for t in clause) < settings.padding_min_words):
                continue
            subjects = [c for c in kept if c.dep_ in ("nsubj", "nsubjpass")]
            passive = any(c.dep_ == "auxpass" for c in kept)
            if not subjects or not (subjects[0].lower_ in settings.padding_subjects
                                    or (passive and subjects[0].tag_ in _RELATIVE_TAGS)):
                continue
            said = [t for t in clause if t.pos_ in ("NOUN", "PROPN", "ADJ", "ADV", "NUM", "VERB") and t.i != verb.i]
            if all(t.lemma_.lower() in settings.padding_vague_words or t.lower_ in settings.padding_vague_words
                   or t.lemma_.lower() in customer for t in said):
                found.append(clause)
    return found


def _customer_words(context: AnalysisContext) -> frozenset[str]:
    """The customer's words and their lemmas (lower case): a reply may use them back."""
    if context.customer_doc is None:
        return frozenset()
    return frozenset(form for t in context.customer_doc for form in (t.lower_, t.lemma_.lower()))


class ReadabilityAnalyzer:
    name = NAME
    version = 1

    def analyze(self, context: AnalysisContext) -> AnalyzerResult:
        settings = readability_settings()
        rules = _ruleset()
        doc = context.doc
        sentences = _sentences(doc, settings)
        graded = [s for s in sentences if s.grade is not None]
        grade = round(_grade([s.span for s in graded], settings), 1) if graded else 0.0

        findings: list[Finding] = []
        findings += self._long_sentences(context, sentences, rules.get("readability.long-sentence"), settings)
        formal = _formal_words(context)
        rewritten: set[int] = set()  # formal words a passive's active rewrite puts plainly already
        passives = list(_passives(doc, settings, context.customer_doc, formal, rewritten))
        findings += [self._passive_finding(context, p, rules.get("readability.passive-voice")) for p in passives]
        conditions = _process_conditions(context, settings)
        rule = rules.get("readability.process-condition")
        findings += [context.finding(NAME, rule.id, rule.severity, start, end,
                                     _fill(rule.message, text=context.text[start:end]), rule.suggestion)
                     for start, end in conditions]
        padding = _padding(sentences, context, settings)
        rule = rules.get("readability.padding")
        findings += [context.finding(NAME, rule.id, rule.severity, span.start_char, span.end_char,
                                     _fill(rule.message, text=span.text), rule.suggestion) for span in padding]
        # formal words inside such a condition or clause go with it ("subsequent to" needs no "after")
        taken_out = conditions + [(span.start_char, span.end_char) for span in padding]
        unrewritten = {i: found for i, found in formal.items() if i not in rewritten
                       and not any(start <= found.span.start_char < end for start, end in taken_out)}
        findings += self._complex_words(context, unrewritten, rules.get("readability.complex-word"))
        findings += self._walls(context, sentences, rules.get("readability.wall-of-text"), settings)
        hardest = _hardest_sentence(graded, grade, settings)
        if hardest is not None:
            rule = rules.get("readability.high-grade")
            findings.append(context.finding(
                NAME, rule.id, rule.severity, hardest.start_char, hardest.end_char,
                _fill(rule.message, grade=grade, limit=f"{settings.max_grade:g}"), rule.suggestion))

        passive_sentences = {s.span.start_char for s in sentences for p in passives
                             if s.span.start_char <= p.start < s.span.end_char}
        metrics = {
            "grade": grade,
            "avg_sentence_words": round(statistics.fmean(s.words for s in graded), 1) if graded else 0.0,
            "passive_sentences": len(passive_sentences),
        }
        findings.sort(key=lambda f: (f.start, f.end, f.rule))
        return AnalyzerResult(self._score(grade, findings, rules, settings), tuple(findings), metrics=metrics)

    @staticmethod
    def _score(grade: float, findings: list[Finding], rules: RuleSet, settings: ReadabilitySettings) -> float:
        score = 100.0 - settings.points_per_grade * max(0.0, grade - settings.max_grade)
        for rule_id, count in Counter(f.rule for f in findings).items():
            penalty = (rules.get(rule_id).penalty or 0.0) * count
            score -= min(penalty, settings.penalty_caps.get(rule_id, penalty))
        return round(min(100.0, max(0.0, score)), 1)

    @staticmethod
    def _long_sentences(context: AnalysisContext, sentences: list[Sentence], rule: Rule,
                        settings: ReadabilitySettings) -> list[Finding]:
        return [context.finding(NAME, rule.id, rule.severity, s.span.start_char, s.span.end_char,
                                _fill(rule.message, words=s.words, limit=settings.long_sentence_words),
                                rule.suggestion)
                for s in sentences if s.words > settings.long_sentence_words]

    @staticmethod
    def _passive_finding(context: AnalysisContext, passive: Passive, rule: Rule) -> Finding:
        verb_phrase = context.text[passive.start:passive.end]
        values = {"text": verb_phrase, "subject": passive.subject.text, "agent": passive.agent.text}
        message = _fill(rule.extra["message_with_agent"], **values)
        suggestion = _fill(rule.suggestion or "", active=passive.active)
        return context.finding(NAME, rule.id, rule.severity, passive.start, passive.end, message, suggestion)

    @staticmethod
    def _complex_words(context: AnalysisContext, formal: dict[int, FormalWord], rule: Rule) -> list[Finding]:
        findings = []
        for found in formal.values():
            span, word = found.span, found.plain
            if span.text[0].isupper():
                word = word[0].upper() + word[1:]
            findings.append(context.finding(NAME, rule.id, rule.severity, span.start_char, span.end_char,
                                            _fill(rule.message, text=span.text, plain=word),
                                            _fill(rule.suggestion or "", plain=word)))
        return findings

    @staticmethod
    def _walls(context: AnalysisContext, sentences: list[Sentence], rule: Rule,
               settings: ReadabilitySettings) -> list[Finding]:
        findings = []
        start = 0
        text = context.doc.text
        for paragraph in text.split("\n"):
            end = start + len(paragraph)
            inside = [s for s in sentences if start <= s.span.start_char < end]
            words = sum(s.words for s in inside)
            if inside and (words > settings.wall_words or (len(inside) > settings.wall_sentences
                                                           and _steps(inside) >= settings.wall_steps)):
                first, last = inside[0].span.start_char, inside[-1].span.end_char
                findings.append(context.finding(
                    NAME, rule.id, rule.severity, first, last,
                    _fill(rule.message, words=words, sentences=len(inside)), rule.suggestion))
            start = end + 1
        return findings


analyzer = ReadabilityAnalyzer()
