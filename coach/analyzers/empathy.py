"""Empathy: does the reply acknowledge the customer, apologise when it is due, take ownership, say
what happens next and when, and offer further help?

These are the empathy and "setting expectations" items of customer-service QA scorecards and the
steps of the service-recovery models taught to support teams (HEARD: Hear, Empathise, Apologise,
Resolve, Diagnose; LAST: Listen, Apologise, Solve, Thank). Each element found becomes Evidence
with its exact span (strengths, practice goals); each element missing becomes a finding with an
empty span where the missing sentence would go: the start of the reply for acknowledgement and
apology, the end for the rest.

Score: the points of the elements present over the points of the elements due
(coach/data/empathy.yaml `settings.weights`, raised for acknowledgement and apology when the
customer is upset or anxious), plus small bonuses, minus penalties for dismissive phrases and
non-apologies. Phrases, patterns, weights and wording all live in coach/data/empathy.yaml.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import Field
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from coach.config import DATA_DIR
from coach.context import MOODS, AnalysisContext
from coach.customer import Request, has_phrase, only_thanks, phrase_spans, read_requests, request_settings, sentiment
from coach.datafiles import StrictSettings, WordSet, field, load_weights, load_yaml, string_list, validate
from coach.errors import DataFileError
from coach.findings import SEVERITIES, AnalyzerResult, Evidence, Finding
from coach.nlp import doc_cache, load_nlp
from coach.rules import KeyedMatcher, Rule, RuleSet, add_patterns, compiled_rules, load_ruleset

NAME = "empathy"
# Tokens that end a clause when a strength match is stretched to the end of its clause.
_CLAUSE_PUNCT = frozenset(".,;:!?()…—–")
# what may stand before a clause's first word
_LEADING = "".join(sorted(_CLAUSE_PUNCT)) + " \n"
_SUBJECTS = ("nsubj", "nsubjpass", "expl")
_PERSONAL_PRONOUNS = frozenset({"i", "we", "you", "they", "he", "she"})
CharSpan = tuple[int, int]  # (start, end) offsets into the reply


# ---------------------------------------------------------------- settings (coach/data/empathy.yaml)

class NextStepSettings(StrictSettings):
    agent_pronouns: WordSet = Field(description="subjects of 'X will <verb>' that make it a next step")
    agent_nouns: WordSet = Field(description="noun subjects (lemmas) of an expected next step ('should')")
    future_aux: WordSet = Field(description="auxiliaries marking the future: will, 'll, shall")
    expect_aux: WordSet = Field(
        description="auxiliaries of an expectation, a next step with a noun subject: 'the fix should arrive'")
    offer_aux: WordSet = Field(description="auxiliaries of an agent's offer: 'I can move you'")
    offer_excluded_verbs: WordSet = Field(description="verbs after 'I can' that are no step ('see')")
    instruction_verbs: WordSet = Field(description="verbs opening an instruction the parser may misread")
    intent_verbs: WordSet = Field(description="'X expects/plans to <verb>' is a next step too")
    excluded_verbs: WordSet = Field(description="verbs that hand the work back ('I'll need you to')")
    imperative_lead_ins: WordSet = Field(description="words allowed before an instruction's verb")
    not_instructions: WordSet = Field(description="sentence-opening verbs that are not instructions")


class TimeFrameSettings(StrictSettings):
    entity_labels: frozenset[str] = Field(description="spaCy entity labels that hold times and dates")
    lead_words: WordSet = Field(description="prepositions kept in the span before an entity")
    past_words: WordSet = Field(description="words that put a date or time in the past")
    forward_verbs: WordSet = Field(description="verbs whose date/time is an expectation")
    day_words: WordSet = Field(description="words naming a day or time to expect something")


class PersonalisationSettings(StrictSettings):
    max_specifics: int = Field(ge=0, description="at most this many customer details reported")
    generic_nouns: WordSet = Field(description="nouns too common to show the customer was heard")


class QualitySettings(StrictSettings):
    specific: float = Field(ge=0, le=1, description="share earned by words reflecting the customer's situation")
    own_words: float = Field(ge=0, le=1, description="share earned by the agent's own, general words")
    stock: float = Field(ge=0, le=1, description="share earned by a stock sentence")
    stock_overlap: float = Field(gt=0, le=1, description="share of words shared with a stock sentence")


class AnswerSettings(StrictSettings):
    generic_lemmas: WordSet = Field(description="words too general to show a question was taken up")
    causal_words: tuple[str, ...] = Field(description="words that give a cause (answer a why)")
    rule_words: tuple[str, ...] = Field(
        description="words pointing to a rule or an agreement: a cause of a charge, not of the rule itself")
    obligation_words: tuple[str, ...] = Field(
        description="words of a why about a rule ('why do I have to'), which restating the rule doesn't answer")
    news_nouns: WordSet = Field(description="objects of a promise of news, which answers a when ('an update')")
    activity_suffixes: tuple[str, ...] = Field(
        description="endings of nouns naming an activity ('configuration'), whose time is that activity's")
    yes_no_words: tuple[str, ...] = Field(description="words that answer a yes-or-no question")
    polar_openers: tuple[str, ...] = Field(description="clause openings that answer yes or no ('yes', 'of course')")
    not_polar: tuple[str, ...] = Field(description="what after a polar opener makes it none ('no problem')")
    mirror_subjects: WordSet = Field(description="subjects of a short mirrored answer ('you can', 'it is')")
    agent_subjects: WordSet = Field(description="subjects of a question asking the agent to act ('can you')")
    core_deps: WordSet = Field(description="dependencies of a yes/no question's core words")
    equivalents: tuple[WordSet, ...] = Field(description="words taken as the same ('fee', 'charge')")
    soon_words: tuple[str, ...] = Field(description="words that answer a when")
    deferral_words: tuple[str, ...] = Field(description="words that take a question away to answer it")
    steps_words: tuple[str, ...] = Field(description="words of steps, which answer a how")
    done_words: tuple[str, ...] = Field(description="words showing a request was carried out ('attached')")
    not_asking_back: WordSet = Field(description="two-word openings of questions that suggest, not ask")


class ResolutionSettings(StrictSettings):
    reports: tuple[str, ...] = Field(description="regular expressions of a sentence reporting the fix done")
    done_verbs: WordSet = Field(description="verbs (lemmas) of an action that fixes it: 'I've restored it'")
    conditions: WordSet = Field(description="words that make a sentence's fix conditional ('if', 'once')")
    lost_cues: tuple[str, ...] = Field(description="customer phrases of something they can't find")
    locations: WordSet = Field(description="prepositions of a sentence saying where it is")


class SubstanceSettings(StrictSettings):
    min_content_words: int = Field(ge=1, description="fewer content words than this say nothing")
    asks_action: tuple[str, ...] = Field(description="openings of a customer's request for the agent to act")
    asks_status: tuple[str, ...] = Field(description="openings of a customer's question about where things stand")
    done_words: WordSet = Field(description="a reply of these words reports the request done or the state asked about")


class EmpathySettings(StrictSettings):
    always_due: tuple[str, ...] = Field(description="elements every reply needs")
    caring_moods: frozenset[Literal[MOODS]] = Field(description="moods that make an apology due")
    stock_count_cap: int = Field(ge=1, description="distinct stock sentences counted at most")
    fault_cues: tuple[str, ...] = Field(min_length=1, description="customer phrases describing a fault")
    waiting_cues: tuple[str, ...] = Field(min_length=1, description="customer phrases asking when")
    waited_cues: tuple[str, ...] = Field(min_length=1, description="customer phrases showing they have waited")
    lasting_cues: tuple[str, ...] = Field(min_length=1, description="customer phrases showing the trouble lasts")
    repeat_cues: tuple[str, ...] = Field(min_length=1, description="customer phrases showing earlier fixes failed")
    service_failure_cues: tuple[str, ...] = Field(min_length=1, description="faults that are the service's doing")
    grievance_cues: tuple[str, ...] = Field(
        min_length=1, description="customer phrases of feeling treated unfairly or put upon ('a rip-off'): acknowledgement due")
    quote_max_chars: int = Field(gt=10, description="quoted customer sentences are cut to this length")
    deadline_common_words: WordSet = Field(
        description="words of a deadline too common to show a reply took it up ('pm', 'morning')")
    dismissal_cues: tuple[str, ...] = Field(min_length=1, description="phrases brushing the customer's concern aside")
    clause_break_words: WordSet = Field(description="words where a stretched span stops")
    next_step: NextStepSettings
    time_frame: TimeFrameSettings
    personalisation: PersonalisationSettings
    quality: QualitySettings
    answer: AnswerSettings
    resolution: ResolutionSettings
    substance: SubstanceSettings


# The keys absence rules (empathy.no-*) may add to the rule format of coach/rules.py.
class AbsenceWording(StrictSettings):
    anchor: Literal["start", "end"] = Field(description="where the missing sentence would go")
    quote: Literal["feeling", "waiting"] | None = Field(
        default=None, description="which customer sentence {quote} stands for")
    severity_when_due: Literal[SEVERITIES] | None = Field(
        default=None, description="severity when the element is pressing (upset customer, waiting)")
    message_with_customer: str | None = Field(default=None, min_length=1,
                                              description="message used when {quote} is known")
    suggestion_by_mood: dict[Literal[MOODS], str] = Field(
        default_factory=dict, description="drafted sentence by customer mood")


@dataclass(frozen=True)
class _Config:
    ruleset: RuleSet
    settings: EmpathySettings
    elements: tuple[str, ...]  # the strength rules' names, in file order
    absences: dict[str, tuple[Rule, AbsenceWording]]  # element -> its empathy.no-* rule
    fault_cues: re.Pattern[str]
    waiting_cues: re.Pattern[str]
    waited_cues: re.Pattern[str]
    lasting_cues: re.Pattern[str]
    repeat_cues: re.Pattern[str]
    service_failure_cues: re.Pattern[str]
    grievance_cues: re.Pattern[str]
    stock: tuple[frozenset[str], ...]  # the words of each stock sentence
    pleasantries: Pleasantries


STOCK_FILE = DATA_DIR / "stock_phrases.yaml"
WEIGHTS_FILE = DATA_DIR / "empathy_weights.yaml"

# The score model's features, in the order eval/fit_empathy.py writes them (see `features()`):
# how well the reply acknowledges, apologises and reacts (each 0 to 1 by how specific it is),
# whether it explores, personalises, owns, says what happens next and when, answers what was asked,
# shows care where the customer is upset or anxious, leaves due elements out, leans on stock
# sentences, and its overall sentiment.
FEATURES = ("acknowledgement", "apology", "warmth", "exploring", "personal", "ownership", "next_step",
            "time_frame", "further_help", "answered", "unanswered", "care_shown", "care_missing",
            "due_missing", "stock", "sentiment")


class EmpathyWeights(StrictSettings):
    """coach/data/empathy_weights.yaml, written by eval/fit_empathy.py."""

    intercept: float
    weights: dict[str, float]
    fitted_on: str
    n: int
    folds: int
    l2: float
    cv_spearman: float


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", text.lower().replace("’", "'").replace("'", "")))


def _stock_sentences(ruleset: RuleSet) -> tuple[frozenset[str], ...]:
    """The stock sentences, and every sentence the coach drafts itself (its own words earn no more)."""
    phrases = string_list(load_yaml(STOCK_FILE), "phrases", STOCK_FILE, "")
    for rule in ruleset.rules:
        phrases += [rule.suggestion or "", *rule.extra.get("suggestion_by_mood", {}).values()]
    return tuple(words for words in {_words(p) for p in phrases} if len(words) >= 2)


@dataclass(frozen=True)
class Pleasantries:
    """Greetings, thanks, offers to help and generic sympathy (STOCK_FILE `pleasantries`): token
    patterns of whole pleasantries, and the words that may join them without saying anything."""

    matcher: KeyedMatcher
    filler: frozenset[str]
    greetings: frozenset[str]  # kinds that open a chat ("Hi Alex! I hope you're having a good day.")


def _pleasantries() -> Pleasantries:
    raw = field(load_yaml(STOCK_FILE), "pleasantries", dict, STOCK_FILE, "")
    unknown = set(raw) - {"filler", "greetings", "tails", "patterns", "examples"}
    if unknown:
        raise DataFileError(STOCK_FILE, "pleasantries", f"unknown keys {sorted(unknown)}")
    filler = frozenset(w.lower() for w in string_list(raw, "filler", STOCK_FILE, "pleasantries"))
    kinds = field(raw, "patterns", dict, STOCK_FILE, "pleasantries")
    greetings = frozenset(string_list(raw, "greetings", STOCK_FILE, "pleasantries"))
    if greetings - set(kinds):
        raise DataFileError(STOCK_FILE, "pleasantries.greetings", f"no patterns for {sorted(greetings - set(kinds))}")
    matcher = KeyedMatcher(load_nlp().vocab)
    for kind, patterns in kinds.items():
        add_patterns(matcher, str(kind), patterns, STOCK_FILE, f"pleasantries.patterns.{kind}")
    return Pleasantries(matcher, filler, greetings)


def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """The phrases as whole words; one that opens with punctuation (", so") right after a word."""
    alternatives = "|".join((r"(?<!\w)" if p[:1].isalnum() else "") + re.escape(p)
                            for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?!\w)", re.IGNORECASE)


# the answer settings' phrase lists, matched where they occur (compiled once per list)
_answer_phrases = functools.lru_cache(maxsize=16)(_phrase_regex)


@functools.cache
def _config() -> _Config:
    ruleset = load_ruleset(NAME)
    settings = validate(EmpathySettings, ruleset.settings, ruleset.path, "settings")
    elements = tuple(r.id.removeprefix(f"{NAME}.") for r in ruleset.rules if r.polarity == "strength")
    for element in settings.always_due:
        if element not in elements:
            raise DataFileError(ruleset.path, f"settings.always_due.{element}", "no strength rule by that name")
    absences = {}
    for index, rule in enumerate(ruleset.rules):
        where = f"rules[{index}]"
        if rule.id.startswith(f"{NAME}.no-") and rule.id != f"{NAME}.no-substance":
            element = rule.id.removeprefix(f"{NAME}.no-")
            if element not in elements:
                raise DataFileError(ruleset.path, f"{where}.id", f"no strength rule {NAME}.{element}")
            absences[element] = (rule, validate(AbsenceWording, rule.extra, ruleset.path, where))
        elif set(rule.extra) - {"extend"}:
            raise DataFileError(ruleset.path, where, f"unknown keys {sorted(set(rule.extra) - {'extend'})}")
        elif rule.extra.get("extend", "clause") != "clause":
            raise DataFileError(ruleset.path, f"{where}.extend", "must be 'clause' (or left out)")
    return _Config(ruleset, settings, elements, absences,
                   _phrase_regex(settings.fault_cues), _phrase_regex(settings.waiting_cues),
                   _phrase_regex(settings.waited_cues), _phrase_regex(settings.lasting_cues),
                   _phrase_regex(settings.repeat_cues),
                   _phrase_regex(settings.service_failure_cues), _phrase_regex(settings.grievance_cues),
                   _stock_sentences(ruleset), _pleasantries())


@functools.cache
def empathy_weights() -> EmpathyWeights:
    return load_weights(EmpathyWeights, WEIGHTS_FILE, FEATURES)


def model_score(features: dict[str, float], weights: EmpathyWeights) -> float:
    """intercept + sum(weight x feature), on the 0-100 scale (before the problems' penalties)."""
    return weights.intercept + sum(w * features.get(name, 0.0) for name, w in weights.weights.items())


# ---------------------------------------------------------------- spans

def _breaks_clause(token: Token, break_words: frozenset[str]) -> bool:
    if token.text in _CLAUSE_PUNCT or (token.is_space and "\n" in token.text):
        return True
    if token.lower_ in break_words:
        return True
    # "..., and I'll call you": a new subject starts a new clause (the parser sometimes misses it)
    if token.lower_ in ("and", "or") and token.i + 1 < len(token.doc):
        after = token.doc[token.i + 1]
        return after.dep_ in _SUBJECTS or after.lower_ in _PERSONAL_PRONOUNS
    return False


def _clause_end(doc: Doc, last: Token, break_words: frozenset[str]) -> int:
    """The end offset of the clause that `last` is in, from `last` on."""
    end = last.idx + len(last.text)
    for token in doc[last.i + 1: last.sent.end]:
        if _breaks_clause(token, break_words):
            break
        end = token.idx + len(token.text)
    return end


def _extend_to_clause(doc: Doc, span: CharSpan, break_words: frozenset[str]) -> CharSpan:
    tokens = doc.char_span(span[0], span[1], alignment_mode="expand")
    if tokens is None or not len(tokens):
        return span
    return span[0], max(span[1], _clause_end(doc, tokens[-1], break_words))


def _from_first_word(text: str, start: int, end: int) -> CharSpan:
    """A pattern may start at the punctuation before a clause (". Please allow 5 days"): the evidence
    starts at the clause's first word."""
    words = text[start:end].lstrip(_LEADING)
    return (end - len(words), end) if words else (start, end)


def _merge(spans: list[CharSpan], text: str) -> list[CharSpan]:
    """Spans of one rule that overlap, or touch across spaces ("on Wednesday" + "afternoon"), become
    one span covering both."""
    merged: list[CharSpan] = []
    for start, end in sorted(spans):
        if merged and (start < merged[-1][1] or text[merged[-1][1]:start] == " "):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _overlaps(span: CharSpan, others: list[CharSpan]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


# ---------------------------------------------------------------- elements found in code

def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    # "Their engineer is on the way and expects to fix it": the subject of the first verb
    return _subject(verb.head) if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i else None


def _embedded_unknown(verb: Token) -> bool:
    """Is this verb's clause a "when/whether/if" clause, or under a negated verb?"""
    if any(c.lower_ in ("when", "whether", "if") and c.dep_ in ("advmod", "mark") for c in verb.children):
        return verb.dep_ in ("ccomp", "advcl", "xcomp", "pcomp") and any(
            c.dep_ == "neg" for c in verb.head.children) or verb.dep_ in ("ccomp", "pcomp")
    return verb.dep_ in ("ccomp", "xcomp") and any(c.dep_ == "neg" for c in verb.head.children)


def _future_actions(doc: Doc, settings: EmpathySettings) -> list[CharSpan]:
    """Someone will do something: "I'll call you", "our engineer will visit", "they expect to fix it"."""
    options = settings.next_step
    spans = []
    for token in doc:
        offer = token.dep_ == "aux" and token.lower_ in options.offer_aux
        expectation = token.dep_ == "aux" and token.lower_ in options.expect_aux
        if token.dep_ == "aux" and (token.lower_ in options.future_aux or offer or expectation):
            verb = token.head
        elif token.lemma_ in options.intent_verbs and any(c.dep_ == "xcomp" for c in token.children):
            verb = token
        else:
            continue
        if verb.lemma_ in options.excluded_verbs or any(c.dep_ == "neg" for c in verb.children):
            continue
        if _embedded_unknown(verb):  # "we don't know when it will be back"
            continue
        subject = _subject(verb)
        if subject is None or subject.i > token.i:  # "Will you...?" asks, it doesn't promise
            continue
        agent_noun = subject.lemma_.lower() in options.agent_nouns
        if subject.lower_ not in options.agent_pronouns and not agent_noun and subject.pos_ not in ("NOUN", "PROPN"):
            continue
        if expectation and not agent_noun:
            continue  # "it should work now" reports a fix; "the refund should arrive by Friday" is a next step
        if offer and (subject.lower_ not in ("i", "we") or verb.lemma_.lower() in options.offer_excluded_verbs
                      or verb.dep_ == "relcl"):  # "there is nothing we can do"
            continue
        spans.append((subject.left_edge.idx, _clause_end(doc, verb, settings.clause_break_words)))
    return spans


def _own_or_their_actions(context: AnalysisContext, settings: EmpathySettings) -> list[CharSpan]:
    """The future actions of the agent's side in person or of the customer ("we'll", "you can"),
    not of a third party ("the department will ...")."""
    text = context.text
    return [(start, end) for start, end in _future_actions(context.doc, settings)
            if re.match(r"(?:i|we|you)\b", text[start:end], re.IGNORECASE)]


def _instructions(doc: Doc, settings: EmpathySettings) -> list[CharSpan]:
    """Sentences that tell the customer what to do next: "Please restart the app and reply with..."."""
    options = settings.next_step
    spans = []
    for token in doc:
        # the small parser misreads some ("Set X to 2" as an adjective) or hangs them under a later clause
        # (lower case too: "close outlook, open it again")
        misread = token.lower_ in options.instruction_verbs and (token.is_title or token.is_lower)
        if not misread and (token.tag_ != "VB" or token.lemma_.lower() in options.not_instructions):
            continue
        if token.dep_ in ("aux", "auxpass") or any(c.dep_ == "neg" for c in (*token.children, *token.head.children)):
            continue  # "Please do not contact the helpdesk" is no step
        # a subject on an earlier line is the greeting the parser attached ("Hi Ana,\n\nRestore them...")
        if any(c.dep_ in (*_SUBJECTS, "aux", "auxpass") and "\n" not in doc[min(c.i, token.i):max(c.i, token.i)].text
               for c in token.children):
            continue
        if token.sent.text.rstrip().endswith("?"):
            continue
        first = token
        before = doc[token.i - 1] if token.i else None
        if before is not None and before.lower_ in options.imperative_lead_ins:
            first, before = before, (doc[before.i - 1] if before.i else None)
        if before is None or before.text in _CLAUSE_PUNCT or (before.is_space and "\n" in before.text):
            spans.append((first.idx, _clause_end(doc, token, settings.clause_break_words)))
    return spans


def _reports_fix(context: AnalysisContext, settings: EmpathySettings) -> bool:
    """Does the reply report the problem fixed or the request done ("We've rolled the update back and
    bookings are working again", "I've restored the folder"), or say where the thing the customer
    can't find is? Not in a question, under a condition ("once it's fixed") or negated."""
    options = settings.resolution
    doc = context.doc
    if _locates(context, options):
        return True
    for sentence in doc.sents:
        if sentence.text.rstrip().endswith("?") or any(t.lower_ in options.conditions for t in sentence):
            continue
        text = sentence.text.lower().replace("’", "'")
        if any(re.search(pattern, text) for pattern in options.reports) and not any(t.dep_ == "neg" for t in sentence):
            return True
        for verb in sentence:
            if verb.lemma_.lower() not in options.done_verbs or verb.tag_ not in ("VBD", "VBN"):
                continue
            auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
            if verb.tag_ == "VBN" and not any(a.lemma_ == "have" for a in auxiliaries):
                continue  # "a restore request has been logged", "the files restored by..." report no fix
            subject = _subject(verb)
            if subject is None or any(c.dep_ == "neg" for c in verb.children):
                continue
            if subject.lower_ in ("i", "we") or subject.lemma_.lower() in settings.next_step.agent_nouns:
                return True
    return False


def _locates(context: AnalysisContext, options: ResolutionSettings) -> bool:
    """"Old emails are in the Archive folder", to "I can't find my old emails"."""
    if context.customer_doc is None or not has_phrase(context.customer_doc.text.lower().replace("’", "'"),
                                                      options.lost_cues):
        return False
    theirs = {t.lemma_.lower() for t in context.customer_doc if t.pos_ in ("NOUN", "PROPN")}
    for verb in context.doc:
        if verb.lemma_ != "be" or verb.dep_ not in ("ROOT", "conj") or verb.sent.text.rstrip().endswith("?"):
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if any(s.lemma_.lower() in theirs for s in subjects) and any(
                c.dep_ == "prep" and c.lower_ in options.locations for c in verb.children):
            return True
    return False


_KNOWING = frozenset({"know", "realise", "realize", "understand", "appreciate"})


def _acknowledged_situations(doc: Doc, settings: EmpathySettings) -> list[CharSpan]:
    """"I know losing card payments is costing you sales": I/we know + a clause about the customer
    (a clause without "you" is news, not acknowledgement: "I know the engineer is on the way")."""
    spans = []
    for token in doc:
        if token.lemma_.lower() not in _KNOWING or token.pos_ != "VERB" or token.i == 0:
            continue
        subject = doc[token.i - 1]  # "I know", "we realise": the small parser often misattaches these
        if subject.lower_ not in ("i", "we"):
            continue
        end = _clause_end(doc, token, settings.clause_break_words)
        following = [t for t in doc[token.i + 1:] if t.idx < end]
        if not following or following[0].pos_ in ("DET", "PRON") and following[0].lower_ not in ("you", "your"):
            continue  # "I know the fix", "I know it": an object, not the customer's situation
        if any(t.lower_ in ("you", "your", "you're", "yours") for t in following):
            spans.append((subject.idx, end))
    return spans


def _deadline_mentions(context: AnalysisContext, settings: EmpathySettings) -> list[CharSpan]:
    """Clauses that take up the deadline that made the customer anxious ("You can file as normal
    before Friday" to "We have to file by Friday"): naming it shows it was heard."""
    if context.customer_doc is None:
        return []
    day_words = settings.time_frame.day_words
    cue_words: set[str] = set()
    for match in compiled_rules("customer", load_nlp()).match(context.customer_doc):
        if match.rule.id != "customer.anxious":
            continue
        cue = context.customer_doc.char_span(match.start, match.end, alignment_mode="expand")
        if cue is not None and any(t.like_num or t.lower_ in day_words for t in cue):  # a deadline
            cue_words |= {t.lower_ for t in cue if (t.pos_ in ("NOUN", "PROPN") or t.lower_ in day_words)
                          and not t.is_stop and t.lower_ not in settings.deadline_common_words}
    return [(t.sent.start_char, _clause_end(context.doc, t, settings.clause_break_words))
            for t in context.doc if t.lower_ in cue_words and not t.sent.text.rstrip().endswith("?")][:1]


def _governing_verb(token: Token) -> Token | None:
    while token.pos_ not in ("VERB", "AUX"):
        if token.head.i == token.i:  # Token objects are made on access: compare positions, not identity
            return None
        token = token.head
    return token


def _looks_ahead(verb: Token, settings: EmpathySettings) -> bool:
    auxiliaries = [c for c in verb.children if c.dep_ == "aux"]
    if any(aux.tag_ == "VBD" for aux in auxiliaries):  # "when did it start this morning?"
        return False
    return (verb.tag_ == "VB" or verb.lemma_ in settings.time_frame.forward_verbs
            or any(aux.lower_ in settings.next_step.future_aux for aux in auxiliaries))


def _time_entities(doc: Doc, settings: EmpathySettings) -> list[CharSpan]:
    """Dates and times spaCy found, when they are about what will happen ("I'll call you on
    Wednesday afternoon"), not about the past ("five days ago", "three outages in one week")."""
    options = settings.time_frame
    # spaCy splits "Wednesday afternoon" into a DATE and a TIME: judge them as one expression
    expressions: list[Span] = []
    for entity in doc.ents:
        if entity.label_ not in options.entity_labels:
            continue
        if expressions and expressions[-1].end == entity.start:
            expressions[-1] = doc[expressions[-1].start:entity.end]
        else:
            expressions.append(entity)
    spans = []
    for entity in expressions:
        if any(t.lower_ in options.past_words for t in entity):
            continue
        if all(t.like_num or t.is_punct for t in entity):  # "extension 2244" is not a time
            continue
        if entity.root.dep_ in ("amod", "compound"):  # "a 15-minute call" describes the call
            continue
        before = doc[entity.start - 1] if entity.start else None
        if before is not None and before.lower_ in options.past_words:
            continue
        if entity.sent.text.rstrip().endswith("?"):  # "anything else I can help with today?" promises nothing
            continue
        verb = _governing_verb(entity.root)
        if verb is None or not _looks_ahead(verb, settings):
            continue
        start = before.idx if before is not None and before.lower_ in options.lead_words else entity.start_char
        spans.append((start, entity.end_char))
    return spans


def _personal_details(context: AnalysisContext, settings: EmpathySettings) -> list[CharSpan]:
    """The customer's name, and things they mentioned (their board meeting, the contracts)."""
    options = settings.personalisation
    spans: list[CharSpan] = []
    name = context.persona.name
    if name:
        found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", context.text)
        if found:
            spans.append(found.span())
    if context.customer_doc is None:
        return spans
    mentioned = {t.lemma_.lower() for t in context.customer_doc
                 if t.pos_ in ("NOUN", "PROPN") and t.is_alpha and not t.is_stop}
    seen: set[str] = set()
    for chunk in context.doc.noun_chunks:
        if len(seen) >= options.max_specifics:
            break
        lemma = chunk.root.lemma_.lower()
        if (chunk.root.pos_ not in ("NOUN", "PROPN") or lemma in seen or lemma not in mentioned
                or lemma in options.generic_nouns or (name and name in chunk.text)):
            continue
        # "your board meeting" -> "board meeting", "Hi Grace" -> "Grace": the detail itself
        words = [t for t in chunk if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.dep_ != "poss"]
        if words:
            spans.append((words[0].idx, chunk.end_char))
            seen.add(lemma)
    return spans


# ---------------------------------------------------------------- the customer's side

def _customer_sentence(context: AnalysisContext, positions: list[int], max_chars: int) -> str | None:
    """The customer's sentence holding the first of `positions` (a question first: "How much longer
    do I have to wait?"), on one line, cut to size, without its full stop."""
    if context.customer_doc is None or not positions:
        return None
    sentences = [" ".join(s.text.split()) for s in context.customer_doc.sents
                 if any(s.start_char <= p < s.end_char for p in positions)]
    if not sentences:
        return None
    text = next((s for s in sentences if s.endswith("?")), sentences[0]).removesuffix(".")
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


@dataclass(frozen=True)
class _Customer:
    """What the customer's message (and persona) says the reply owes them."""

    feeling: bool  # upset or anxious: an acknowledgement is due
    upset: bool  # a complaint: an apology is due
    fault: bool  # something went wrong for them
    service_failure: bool  # ...and it is the service's own doing
    waiting: bool  # asked when, or waits for something: a time frame is due
    waited: bool  # has waited for the company ("still waiting", "no reply"): an apology is due too
    lasting: bool  # the trouble has lasted ("still", "for a week"): a promise of action owes a when
    repeat: bool  # earlier fixes failed ("every time someone tells me it's fixed"): a fix alone isn't enough
    pleased: bool  # the message sounds happy ("if that works, it's wonderful. Thank you so much!")
    thanks_only: bool  # only thanked, confirmed a fix or said goodbye: nothing more is owed
    requests: tuple[Request, ...]  # what they asked or requested
    quotes: dict[str, str | None]  # "feeling" / "waiting" -> a sentence of theirs to quote
    # feels treated unfairly or put upon ("a rip-off", "no time to learn it") in calm words: an
    # acknowledgement is due unless the reply puts it right ("I've restored your team's access")
    grievance: bool = False


def _read_customer(context: AnalysisContext, config: _Config) -> _Customer:
    settings = config.settings
    mood = context.persona.mood
    if context.customer_doc is None:
        return _Customer(mood in settings.caring_moods, mood == "upset", False, False, False, False, False,
                         False, False, False, (), {"feeling": None, "waiting": None})
    text = context.customer_doc.text.replace("’", "'")
    mood_cues = [m.start for m in compiled_rules("customer", load_nlp()).match(context.customer_doc)
                 if m.rule.id in ("customer.upset", "customer.anxious")]
    fault_cues = [m.start() for m in config.fault_cues.finditer(text)]
    waited_cues = [m.start() for m in config.waited_cues.finditer(text)]
    # "This feels like a rip-off": calm words, but a feeling to acknowledge (no apology is owed for it)
    mood_cues += [m.start() for m in config.grievance_cues.finditer(text)]
    lasting_cues = [m.start() for m in config.lasting_cues.finditer(text)]
    waiting_cues = [m.start() for m in config.waiting_cues.finditer(text)] + waited_cues
    limit = settings.quote_max_chars
    return _Customer(
        feeling=mood in settings.caring_moods,
        upset=mood == "upset",
        fault=bool(fault_cues),
        service_failure=any(_reported(context.customer_doc, m.start()) for m in config.service_failure_cues.finditer(text)),
        waiting=bool(waiting_cues),
        waited=bool(waited_cues),
        lasting=bool(lasting_cues),
        repeat=bool(config.repeat_cues.search(text)),
        pleased=sentiment(context.customer_doc.text) >= request_settings().happy_sentiment,
        thanks_only=only_thanks(context.customer_doc),
        requests=read_requests(context.customer_doc),
        quotes={"feeling": _customer_sentence(context, mood_cues or fault_cues or waited_cues, limit),
                "waiting": _customer_sentence(context, waiting_cues or lasting_cues, limit)},
        grievance=bool(config.grievance_cues.search(text)),
    )


_SUPPOSING = re.compile(r"\b(?:if|in case|whether|once|unless)\b", re.IGNORECASE)
_ASKING_AHEAD = re.compile(r"^\W*(?:will|would|is it going to|are you going to|is there going to)\b", re.IGNORECASE)


def _reported(customer_doc: Doc, at: int) -> bool:
    """Is the cue at `at` something that happened, not a supposition ("Does your webhook retry if
    our endpoint is down?") or a question about what is planned ("Will the portal be down this
    weekend?")? Only what happened can be the service's failure to apologise for."""
    sentence = _sentence_of(customer_doc, at)
    if sentence is None:
        return True
    before = customer_doc.text[sentence.start_char:at]
    asking_ahead = sentence.text.rstrip().endswith("?") and _ASKING_AHEAD.search(sentence.text)
    return not (_SUPPOSING.search(before) or asking_ahead)


def _said_before(context: AnalysisContext, pattern: str) -> bool:
    """Did an earlier agent turn of this conversation already say it (an apology, understanding)?"""
    return any(turn.role == "agent" and re.search(pattern, turn.text, re.IGNORECASE) for turn in context.history)


_APOLOGY = r"\b(?:sorry|apolog)"
_UNDERSTANDING = r"\b(?:sorry|apolog|understand|imagine|frustrat|disappoint|annoying|inconvenien)"


def _due(context: AnalysisContext, customer: _Customer, settings: EmpathySettings, resolved: bool,
         promised: bool) -> set[str]:
    """The elements a lead expects of this reply, at this point of this kind of conversation.

    An apology is owed for what the customer suffered from the company's side (a complaint, a wait,
    the service's own failure), not for a question ("how long will it take?") nor, mid-chat, to a
    pleased customer. A reply that reports the problem fixed owes no next step and no time frame: nothing
    is left to happen, unless earlier fixes failed and the customer needs more than "it's fixed".
    A customer whose trouble has lasted is owed a when with any promise that someone will act
    (`promised`: "They will look at it").
    """
    if customer.thanks_only:
        return set()
    due = set(settings.always_due)
    if customer.feeling and not _said_before(context, _UNDERSTANDING):
        due.add("acknowledgement")
    # mid-chat, a pleased customer ("The mail hasn't arrived yet, but if that works, it's wonderful.
    # Thank you so much!") is reacting to the help under way, not complaining
    owed = customer.upset or ((customer.waited or customer.service_failure)
                              and not (customer.pleased and context.mid_chat))
    if owed and not _said_before(context, _APOLOGY):
        due.add("apology")
    if context.channel == "email" and context.customer_doc is not None and not (resolved and not customer.repeat):
        if customer.fault:
            due.add("next-step")
        if customer.waiting or (customer.lasting and promised):
            due.add("time-frame")
    return due


# ---------------------------------------------------------------- how it is said

def _sentence_of(doc: Doc, start: int) -> Span | None:
    token = doc.char_span(start, start + 1, alignment_mode="expand")
    return token.sent if token is not None and len(token) else None


def _stock_index(sentence: Span, config: _Config) -> int | None:
    """Which stock sentence (its index in config.stock) a sentence of the reply (nearly) is, if any.
    Worked out once per sentence: several checks ask."""
    known = doc_cache(sentence.doc, "empathy.stock_index")
    if sentence.start not in known:
        words = _words(sentence.text)
        overlap = config.settings.quality.stock_overlap
        known[sentence.start] = next((index for index, stock in enumerate(config.stock)
                                      if words and len(words & stock) >= overlap * len(words)), None)
    return known[sentence.start]


def _quality(context: AnalysisContext, span: CharSpan, config: _Config, feeling: bool = True) -> float:
    """How much an element found at `span` counts: a stock sentence little; an acknowledgement,
    apology or warm reaction (`feeling`) more in the agent's own words, and fully when specific to
    this customer; anything else fully."""
    quality = config.settings.quality
    sentence = _sentence_of(context.doc, span[0])
    if sentence is None:
        return quality.own_words if feeling else 1.0
    if _stock_index(sentence, config) is not None:
        return quality.stock
    if not feeling:
        return 1.0
    if context.customer_doc is not None:
        generic = config.settings.personalisation.generic_nouns | config.settings.answer.generic_lemmas
        theirs = {t.lemma_.lower() for t in context.customer_doc
                  if t.is_alpha and not t.is_stop and t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB", "NUM")}
        ours = {t.lemma_.lower() for t in sentence if t.is_alpha and not t.is_stop}
        if (theirs - generic) & ours:
            return quality.specific
    if context.persona.name and context.persona.name in sentence.text:
        return quality.specific
    return quality.own_words


# ---------------------------------------------------------------- does it answer?

def _dates_ahead(doc: Doc, settings: EmpathySettings) -> bool:
    """Does the reply name a day or time that is not in the past ("on Tuesday between 8am and noon"),
    not just a stretch of time ("over recent weeks", "throughout the day")?"""
    return bool(_days_ahead(doc, settings))


def _days_ahead(doc: Doc, settings: EmpathySettings) -> list[Span]:
    """The days and times of _dates_ahead."""
    options = settings.time_frame
    return [e for e in doc.ents if e.label_ in options.entity_labels and not any(t.lower_ in options.past_words for t in e)
            and not all(t.like_num or t.is_punct for t in e)
            and any(t.like_num or t.lower_ in options.day_words for t in e)
            and not _not_ahead(e)]


def _not_ahead(entity: Span) -> bool:
    """"The server was restarted this morning", "Please don't call again today", "Anything else
    today?": the entity's verb is past (with no future auxiliary) or negated, or it is in a question."""
    if entity.sent.text.rstrip().endswith("?"):
        return True
    verb = _governing_verb(entity.root)
    if verb is None:
        return False
    if any(c.dep_ == "neg" for v in (verb, *verb.ancestors) for c in v.children):
        return True  # "Please do not contact us about printing again today"
    tags = {verb.tag_} | {c.tag_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    future = any(c.lower_ in ("will", "'ll", "’ll", "shall", "should", "would", "can") for c in verb.children)
    return bool(tags & {"VBD", "VBN"}) and not future


def _question_sentence(request: Request, context: AnalysisContext) -> Span | None:
    """The customer's sentence the request was read from."""
    if context.customer_doc is None:
        return None
    return next((s for s in context.customer_doc.sents if " ".join(s.text.split()) == request.text), None)


def _core_lemmas(question: Span, settings: AnswerSettings) -> frozenset[str]:
    """What a yes/no question is about: its verb, subject, object and complement, with their
    modifiers ("Can I still use my old licence key after the upgrade?" -> use, key, licence, old),
    not its adjuncts ("after the upgrade")."""
    root = question.root
    core = [root] + [c for c in root.children if c.dep_ in settings.core_deps]
    # "Was my card information taken?" is parsed "Was" <- "taken" <- "information": one level more
    core += [c for verb in core[1:] if verb.pos_ in ("VERB", "AUX") for c in verb.children if c.dep_ in settings.core_deps]
    words = core + [m for t in core[1:] for m in t.children if m.dep_ in ("compound", "amod")]
    lemmas = {t.lemma_.lower() for t in words if t.is_alpha and not t.is_stop}
    lemmas -= settings.generic_lemmas
    for group in settings.equivalents:
        if lemmas & group:
            lemmas |= group
    return frozenset(lemmas)


def _whole(context: AnalysisContext) -> list[CharSpan]:
    """The whole reply as where an answer is: a question taken up in a way no one sentence shows."""
    return [_trimmed(context.text)]


def _polar_answer(request: Request, context: AnalysisContext, settings: AnswerSettings) -> list[CharSpan]:
    """Where the reply says yes or no to this question: plainly ("Yes, ...", "Unfortunately not",
    "You can."), or in a statement about the question's own subject or verb that takes a side: one
    with an auxiliary, a modal or a negation ("Your old key will keep working", "Early settlement is
    permitted", "The plan doesn't include backups")."""
    text = context.text.lower().replace("’", "'")
    found = []
    for clause in re.finditer(r"[^.!?:;,\n—–]+", text):
        words = clause.group(0).split()
        opening = " ".join(words[:3])
        if any(opening == p or opening.startswith(p + " ") for p in settings.polar_openers) and not any(
                opening.startswith(f"{p} {q}") for p in settings.polar_openers for q in settings.not_polar):
            found.append(clause.span())
        # "You can.", "It is, as long as...": the question's own auxiliary, mirrored
        elif 2 <= len(words) <= 3 and words[0] in settings.mirror_subjects and words[1] in request_settings().auxiliaries:
            found.append(clause.span())
    question = _question_sentence(request, context)
    return found + (_whole(context) if question is None else _states_core(question, context, settings))


def _states_core(question: Span, context: AnalysisContext, settings: AnswerSettings) -> list[CharSpan]:
    """The statements of the reply that take a side on what the question is about: its verb stated,
    or its subject or object with an auxiliary, modal or negation ("Your old key will keep working")."""
    core = _core_lemmas(question, settings)
    if not core:
        return _whole(context)  # nothing specific to check the reply against
    verb = question.root.lemma_.lower()
    found = []
    for sentence in context.doc.sents:
        if sentence.text.rstrip().endswith("?"):
            continue
        lemmas = {t.lemma_.lower() for t in sentence if t.is_alpha}
        takes_side = verb in core and verb in lemmas or any(
            t.dep_ in ("aux", "auxpass", "neg") or (t.dep_ == "ROOT" and t.lemma_ == "be") for t in sentence)
        if lemmas & core and takes_side:  # "All Pro plans include backups": the question's verb, stated
            found.append((sentence.start_char, sentence.end_char))
    return found


def _tells_what_happened(question: Span | None, context: AnalysisContext, config: _Config) -> list[CharSpan]:
    """"Why was I charged twice?" is answered by what happened: "The first payment timed out at the
    bank and our system retried it". A why about the past, and the statements in the past tense
    that are not an apology or a stock sentence."""
    if question is None or not any(t.tag_ in ("VBD", "VBN") for t in question):
        return []
    feeling = re.compile(_UNDERSTANDING, re.IGNORECASE)
    return [(sentence.start_char, sentence.end_char) for sentence in context.doc.sents
            if any(t.tag_ == "VBD" for t in sentence) and not sentence.text.rstrip().endswith("?")
            and not feeling.search(sentence.text) and _stock_index(sentence, config) is None]


def _asks_agent(request: Request, context: AnalysisContext, settings: AnswerSettings) -> bool:
    """"Can you move the broadband?", "Could we get a refund?": a request, answered by doing it."""
    question = _question_sentence(request, context)
    subjects = [c for c in question.root.children if c.dep_ in _SUBJECTS] if question is not None else []
    return question is None or any(s.lower_ in settings.agent_subjects for s in subjects)


def _answer_at(request: Request, context: AnalysisContext, spans: dict[str, list[CharSpan]],
               options: EmpathySettings) -> list[CharSpan]:
    """Where the reply takes up this question or request (the passages that do; the whole reply
    when no one passage shows it), or [] when it doesn't. Generous where the kind of answer can't
    be told from the words; strict where it can: a "when" needs a time, a "why" a reason
    (restating the rule is none), a "can I / is it" a yes or a no."""
    settings = options.answer
    text = context.text.lower().replace("’", "'")
    specific = request.lemmas - settings.generic_lemmas
    if not specific and request.kind not in ("when", "how"):
        return _whole(context)  # "But why?": nothing specific to check the reply against
    # taking it away to check, or asking back to narrow it down, is an answer for now
    found = phrase_spans(text, settings.deferral_words) + _asks_back(context.doc, settings)
    substance = options.substance
    words = {t.lower_ for t in context.doc if t.is_alpha}
    if words and words <= substance.done_words and request.text.lower().startswith(
            substance.asks_action + substance.asks_status):
        return _whole(context)  # "Done." to "Can you add Priya?", "Resolved." to "Is my ticket still open?"
    statements = [s for s in context.doc.sents if not s.text.rstrip().endswith("?")]
    shared = [(t.idx, t.idx + len(t)) for s in statements for t in s if t.is_alpha and t.lemma_.lower() in specific]
    if request.kind == "when":
        # a date or time not in the past, for what was asked: "the replacement arrives on Tuesday
        # morning" (not "we start the configuration on Monday" to "when will my laptop arrive?")
        return found + _gives_time_for(request, context, spans, options)
    if request.kind == "how":
        found += [m.span() for m in re.finditer("http", text)] + phrase_spans(text, settings.steps_words)
        if not specific:
            # "What can I do?" asks for a step the customer can take: the agent taking it on ("I'll
            # clear the files tonight") answers it, what a department will do some day doesn't
            return found + _instructions(context.doc, options) + spans[f"{NAME}.ownership"] \
                + _own_or_their_actions(context, options)
        return found + spans[f"{NAME}.next-step"] + shared
    if request.kind == "why":
        # "Why haven't you sent my refund?" is answered by "Your refund was sent on Monday" too
        question = _question_sentence(request, context)
        negated = question is not None and any(t.dep_ == "neg" for t in question)
        found += _gives_reason(text, question, settings)
        found += _states_core(question, context, settings) if negated else []
        return found + _tells_what_happened(question, context, config=_config())
    found += phrase_spans(text, settings.done_words)
    if request.kind == "yes-no" and not _asks_agent(request, context, settings):
        return found + _polar_answer(request, context, settings)
    found += phrase_spans(text, settings.yes_no_words)
    return found + shared + spans[f"{NAME}.next-step"] + spans[f"{NAME}.ownership"]


def _answer_sentences(context: AnalysisContext, found: list[CharSpan]) -> list[CharSpan]:
    """The sentences that hold the passages answering a question, each within its own line (the
    parser may join a greeting line to the sentence after it), in reading order."""
    text = context.text
    sentences = set()
    for start, end in found:
        sentence = _sentence_of(context.doc, start)
        opening, closing = (sentence.start_char, sentence.end_char) if sentence is not None else (start, end)
        opening = max(opening, text.rfind("\n", 0, start) + 1)
        line_end = text.find("\n", end)
        closing = min(closing, len(text) if line_end == -1 else line_end)
        opening, closing = min(opening, start), max(closing, end)
        lead, trail = _trimmed(text[opening:closing])
        sentences.add((opening + lead, opening + trail))
    return sorted(sentences)


# letters two words must share at their start to name one thing ("instal|l", "instal|lation"), and
# the shortest word compared by its start at all ("set" and "service" are not one)
_STEM_LETTERS = 6
_SHORTEST_STEM = 4


def _gives_time_for(request: Request, context: AnalysisContext, spans: dict[str, list[CharSpan]],
                    options: EmpathySettings) -> list[CharSpan]:
    """Where the reply gives a time (a date, a time frame, "today") for what the "when" asks about.
    A time whose clause is about something else answers nothing: "We will start the configuration
    of your laptop on Monday" to "When will my laptop arrive?" (see _about_something_else)."""
    doc, text = context.doc, context.text
    starts = [start for start, _ in spans[f"{NAME}.time-frame"]] + [e.start_char for e in _days_ahead(doc, options)]
    starts += [found.start() for found in _answer_phrases(options.answer.soon_words).finditer(text)]
    if not starts:
        return []
    question = _question_sentence(request, context)
    token_starts = [t.idx for t in doc]
    found = []
    for start in starts:
        token = doc[max(0, bisect.bisect_right(token_starts, start) - 1)]
        if question is None or not _about_something_else(token, question, options):
            found.append((token.idx, token.idx + len(token)))
    return found


def _about_something_else(token: Token, question: Span, options: EmpathySettings) -> bool:
    """Is the clause holding this time about another thing than the question asks? Only a question
    about a specific event ("arrive", "finish", "ship"; not "be back", "get") is checked: the time's
    verb has as subject or object an activity ("the configuration") the question doesn't name, that
    isn't a general word, the agent's side or news to come ("I'll send you a confirmation")."""
    settings = options.answer
    # the question's head word (the parser may tag "arrive" in "When will my new laptop arrive?" a noun)
    if question.root.pos_ not in ("VERB", "NOUN") or question.root.lemma_.lower() in settings.generic_lemmas:
        return False
    verb = _governing_verb(token)
    if verb is None:
        return False
    asked = {t.lemma_.lower() for t in question if t.is_alpha}
    for group in settings.equivalents:
        if asked & group:
            asked |= group
    if verb.lemma_.lower() in asked:
        return False  # "it should arrive on Tuesday"
    # an activity the clause is about ("commence the configuration", "the configuration starts on
    # Monday"); a thing or a place may be the customer's own in other words ("the offer runs until
    # Sunday" to "when does the sale end?", "the shipment leaves our warehouse on Tuesday")
    others = {c.lemma_.lower() for c in verb.children if c.pos_ == "NOUN" and c.dep_ in ("dobj", "nsubj", "nsubjpass")
              and c.lower_.endswith(settings.activity_suffixes)}
    others -= settings.generic_lemmas | options.next_step.agent_nouns | settings.news_nouns
    return any(not any(_same_stem(other, word) for word in asked) for other in others)


def _same_stem(word: str, other: str) -> bool:
    """"repair" and "repaired", "configure" and "configuration", "ship" and "shipment", "arrive" and
    "arrival": one word, by its first letters (all but the shorter one's last, at most six)."""
    shorter = min(len(word), len(other))
    if shorter < _SHORTEST_STEM:
        return word == other
    letters = min(_STEM_LETTERS, shorter - 1)
    return word[:letters] == other[:letters]


def _gives_reason(text: str, question: Span | None, settings: AnswerSettings) -> list[CharSpan]:
    """Where the reply gives a cause for what the "why" asks about. Pointing to the contract or the
    policy explains a charge ("Why are we paying for 50?" - "Your contract covers 50 seats"), but not
    why a rule exists: to "Why do I have to change my password every 90 days?", "The policy applies
    to all staff accounts" (or "because it's policy") restates the rule and gives no reason."""
    if question is None or not has_phrase(question.text.lower().replace("’", "'"), settings.obligation_words):
        return [found.span() for found in _answer_phrases(settings.causal_words + settings.rule_words).finditer(text)]
    rule_words = set(settings.rule_words)
    reasons = []
    for found in _answer_phrases(settings.causal_words).finditer(text):
        rest = re.split(r"[.!?;\n]", text[found.end():], maxsplit=1)[0]
        words = {w for w in re.findall(r"[a-z]{3,}", rest)} - STOP_WORDS - settings.generic_lemmas - rule_words
        if words:  # "because passwords get guessed", not "because that's the policy"
            reasons.append(found.span())
    return reasons


def _asks_back(doc: Doc, settings: AnswerSettings) -> list[CharSpan]:
    """The questions about the customer's situation ("Which device are you using?"), not
    suggestions dressed as one ("Have you tried restarting it?")."""
    found = []
    for sent in doc.sents:
        # the question's own line: "Hi,\n\nHave you tried...?" is one sentence to the parser
        words = sent.text.strip().splitlines()[-1].lower().replace("’", "'").split() if sent.text.strip() else []
        if words and sent.text.rstrip().endswith("?") and " ".join(words[:2]) not in settings.not_asking_back:
            found.append((sent.start_char, sent.end_char))
    return found


_FEELING_ELEMENTS = (f"{NAME}.acknowledgement", f"{NAME}.apology", f"{NAME}.warmth", f"{NAME}.further-help")
_INFORMATIVE_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})


def _frame_lines(text: str) -> list[CharSpan]:
    """The greeting line and the sign-off lines of a reply of several lines ("Hi Sam,", "Best,\nJo")."""
    lines, offset = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            lines.append((offset, offset + len(line), len(line.split())))
        offset += len(line)
    if len(lines) < 3:
        return []
    frame = [lines[0], *lines[-2:]]
    return [(start, end) for start, end, words in frame if words <= 3]


def _informative_words(context: AnalysisContext, evidence: list[Evidence], config: _Config) -> int:
    """Content words that tell the customer something: not in a stock sentence, an acknowledgement,
    apology, warm reaction or offer of more help, the greeting or the sign-off, nor "ok"/"thanks"."""
    said_warmly = [(e.start, e.end) for e in evidence if e.rule in _FEELING_ELEMENTS]
    skipped = said_warmly + _frame_lines(context.text)
    empty = request_settings().closing_words
    count = 0
    for sentence in context.doc.sents:
        if _stock_index(sentence, config) is not None:
            continue
        for token in sentence:
            if (token.is_alpha or token.like_num) and not token.is_stop and token.pos_ in _INFORMATIVE_POS \
                    and token.lower_ not in empty and not _overlaps((token.idx, token.idx + len(token)), skipped):
                count += 1
    return count


def _dismissing_sentences(doc: Doc, settings: EmpathySettings) -> list[CharSpan]:
    """The sentences that brush the customer's concern aside ("that's not up for discussion")."""
    return [(s.start_char, s.end_char) for s in doc.sents
            if has_phrase(s.text.lower().replace("’", "'"), settings.dismissal_cues)]


def _trimmed(text: str) -> CharSpan:
    start = len(text) - len(text.lstrip())
    return start, max(start, len(text.rstrip()))


def _content_words(doc: Doc) -> int:
    """Words that say something: not function words, and not "ok", "thanks", "done"."""
    empty = request_settings().closing_words
    return sum(1 for t in doc if t.is_alpha and not t.is_stop and len(t.text) > 1
               and t.lower_.replace("’", "'") not in empty)


# ---------------------------------------------------------------- the analyser

@dataclass(frozen=True)
class EmpathyReading:
    """What the analyser reads in a reply: its findings, evidence, the score model's features, the
    penalty points of its problems, and whether it says nothing at all."""

    findings: tuple[Finding, ...]
    evidence: tuple[Evidence, ...]
    features: dict[str, float]
    penalty: float
    empty: bool
    metrics: dict


def _only_stock(context: AnalysisContext, config: _Config) -> bool:
    """Whether every sentence of the reply, its greeting and sign-off lines aside, is a stock
    sentence or pleasantries ("Thanks for reaching out, and I am happy to help you with this."), at
    least one of them more than a greeting: "Hi Alex! I hope you're having a good day." opens a
    live chat, and the answer comes in the agent's next message."""
    frame = _frame_lines(context.text)
    said = [s for s in context.doc.sents if s.text.strip()
            and not any(start <= s.start_char and s.end_char <= end for start, end in frame)]
    stock = [s for s in said if _stock_index(s, config) is not None]
    pleasantries = config.pleasantries
    kinds = _pleasantry_tokens(context.doc, pleasantries)
    covered = frozenset(kinds)
    return (bool(said) and all(s in stock or _pleasantry(s, covered, pleasantries) for s in said)
            and (bool(stock) or any(kinds.get(t.i, frozenset()) - pleasantries.greetings for s in said for t in s)))


def _pleasantry_tokens(doc: Doc, pleasantries: Pleasantries) -> dict[int, frozenset[str]]:
    """The tokens inside a pleasantry, each with the kinds of pleasantry it is in (greeting, thanks,
    offer...); matched once per Doc."""
    known = doc_cache(doc, "empathy.pleasantry_tokens")
    if "tokens" not in known:
        kinds: dict[int, set[str]] = {}
        for kind, start, end in pleasantries.matcher(doc):
            for i in range(start, end):
                kinds.setdefault(i, set()).add(kind)
        known["tokens"] = {i: frozenset(found) for i, found in kinds.items()}
    return known["tokens"]


def _pleasantry(sentence: Span, covered: frozenset[int], pleasantries: Pleasantries) -> bool:
    """Does the sentence say nothing: every word inside a pleasantry (`covered`), a filler word
    ("and", "sure"), punctuation or an emoji, or a name set off by punctuation ("Thanks for
    reaching out, Maria!")?"""
    doc = sentence.doc
    for token in sentence:
        if token.i in covered or token.is_punct or token.is_space or token.pos_ == "SYM" \
                or token.lower_ in pleasantries.filler or not any(c.isalnum() for c in token.text):
            continue
        before = doc[token.i - 1] if token.i > sentence.start else None
        after = doc[token.i + 1] if token.i + 1 < sentence.end else None
        if token.pos_ == "PROPN" and (before is None or before.is_punct or before.i in covered) \
                and (after is None or after.is_punct):
            continue  # "Hi Maria,", "Thanks for reaching out, Maria!"
        return False
    return True


def _stock_sentences_in(doc: Doc, config: _Config) -> int:
    """How many different stock sentences the reply holds (the same one twice counts once)."""
    return len({_stock_index(sentence, config) for sentence in doc.sents} - {None})


class EmpathyAnalyzer:
    name = NAME
    version = 2

    def analyze(self, context: AnalysisContext) -> AnalyzerResult:
        reading = self.read(context)
        score = 0.0 if reading.empty else model_score(reading.features, empathy_weights()) - reading.penalty
        return AnalyzerResult(score=round(min(100.0, max(0.0, score)), 1), findings=reading.findings,
                              evidence=reading.evidence, metrics=reading.metrics)

    def read(self, context: AnalysisContext) -> EmpathyReading:
        config = _config()
        settings = config.settings
        doc = context.doc
        spans: dict[str, list[CharSpan]] = {rule.id: [] for rule in config.ruleset.rules}
        rules = {rule.id: rule for rule in config.ruleset.rules}
        for match in compiled_rules(NAME, load_nlp()).match(doc):
            span = _from_first_word(context.text, match.start, match.end)
            if match.rule.extra.get("extend") == "clause":
                span = _extend_to_clause(doc, span, settings.clause_break_words)
            spans[match.rule.id].append(span)
        future_actions = _future_actions(doc, settings)
        spans[f"{NAME}.next-step"] += future_actions + _instructions(doc, settings)
        spans[f"{NAME}.time-frame"] += _time_entities(doc, settings)
        spans[f"{NAME}.acknowledgement"] += _acknowledged_situations(doc, settings)
        spans[f"{NAME}.personalisation"] += _personal_details(context, settings)
        spans[f"{NAME}.acknowledgement"] += _deadline_mentions(context, settings)
        # "I'm sorry you feel that way" is not an apology
        non_apologies = spans[f"{NAME}.non-apology"]
        spans[f"{NAME}.apology"] = [s for s in spans[f"{NAME}.apology"] if not _overlaps(s, non_apologies)]
        # echoing the customer's words ("the new crm is mandatory, thats not up for discussion") or
        # "I understand" inside a sentence that brushes their concern aside earns nothing
        dismissing = _dismissing_sentences(doc, settings)
        for element in _FEELING_ELEMENTS + (f"{NAME}.personalisation",):
            spans[element] = [s for s in spans[element] if not _overlaps(s, dismissing)]

        evidence: list[Evidence] = []
        findings: list[Finding] = []
        for rule_id, found in spans.items():
            rule = rules[rule_id]
            for start, end in _merge(found, context.text):
                if rule.polarity == "strength":
                    evidence.append(Evidence(NAME, rule_id, start, end, context.text[start:end]))
                else:
                    quoted = context.text[start:end]
                    findings.append(context.finding(NAME, rule_id, rule.severity, start, end,
                                                    rule.format_message(quoted), rule.format_suggestion(quoted)))
        present = {e.rule.removeprefix(f"{NAME}.") for e in evidence}
        if "time-frame" in present:
            present.add("next-step")  # "I've booked an engineer for 9am tomorrow" says what happens next
        if "apology" in present or "warmth" in present:
            present.add("acknowledgement")  # "I'm sorry to hear you had trouble", "Take a breath: ..."
        if "exploring-question" in present:
            present.add("next-step")  # "Which folder were they in?": the customer knows what comes next
        if _dates_ahead(doc, settings):
            present |= {"time-frame", "next-step"}  # "the replacement arrives on Tuesday morning"

        customer = _read_customer(context, config)
        resolved = _reports_fix(context, settings)
        if customer.grievance and not resolved:
            customer = replace(customer, feeling=True)
        due = _due(context, customer, settings, resolved, bool(future_actions))
        pressing = {"acknowledgement": customer.feeling, "time-frame": customer.waiting or customer.lasting}
        for element in config.elements:
            if element in due and element not in present and element in config.absences:
                findings.append(self._absence(context, element, config, customer, pressing.get(element, False)))

        # in a chat, short answers ("Yes please", "Via email") are the norm, and only a "when?"
        # can be checked without understanding the answer, or a reply of stock sentences alone,
        # which answers nothing ("Thanks for reaching out! I understand how important this is.")
        only_stock = (context.channel == "chat" and bool(customer.requests) and not customer.thanks_only
                      and _only_stock(context, config))
        asked = [r for r in customer.requests if context.channel == "email" or r.kind == "when" or only_stock]
        answers = {} if customer.thanks_only else {r: _answer_at(r, context, spans, settings) for r in asked}
        unanswered = [r for r in asked if r in answers and not answers[r]]
        answer_rule = rules[f"{NAME}.unanswered-question"]
        for request in unanswered:
            quote = request.text if len(request.text) <= settings.quote_max_chars else (
                request.text[: settings.quote_max_chars - 1].rstrip() + "…")
            findings.append(context.finding(NAME, answer_rule.id, answer_rule.severity, len(context.text),
                                            len(context.text), answer_rule.message.replace("{quote}", quote)))
        if "time-frame" in due and any(r.kind == "when" for r in unanswered):
            # the unanswered "when?" already says it; one finding per gap
            findings = [f for f in findings if f.rule != f"{NAME}.no-time-frame"]
        empty = self._says_nothing(context, customer, settings)
        if empty:
            rule = rules[f"{NAME}.no-substance"]
            start, end = _trimmed(context.text)
            findings.append(context.finding(NAME, rule.id, rule.severity, start, end, rule.message))

        scored, hints = context.split_hints(findings)
        checked = 0 if customer.thanks_only else len(asked)
        # a step or promise inside a put-down ("its not hard, just delete ur temp files") is there,
        # so no finding asks for one, but it earns the score nothing
        scored_evidence = [e for e in evidence if not _overlaps((e.start, e.end), dismissing)]
        features = self._features(context, config, customer, due, scored_evidence, checked, len(unanswered))
        metrics = {"empathy_elements": [e for e in config.elements if e in present],
                   "customer_requests": len(customer.requests), "checked_requests": checked,
                   "unanswered_requests": len(unanswered),
                   # no informative words owed: the customer only thanked, or it is a chat turn (short
                   # by nature: "Let me check that for you"; whether it answers is unanswered-question's
                   # business, as for no-substance)
                   "nothing_owed": customer.thanks_only or context.channel == "chat",
                   # which sentences answer each question the reply takes up, so a rewrite that
                   # takes them out can keep the question answered (coach/feedback/questions.py)
                   "answers": [{"question": r.text, "sentences": [list(s) for s in _answer_sentences(context, found)]}
                               for r, found in answers.items() if found],
                   "informative_words": _informative_words(context, evidence, config)}
        return EmpathyReading(
            findings=tuple(sorted(scored + hints, key=lambda f: (f.start, f.end, f.rule))),
            evidence=tuple(sorted(evidence, key=lambda e: (e.start, e.end, e.rule))),
            features=features, penalty=sum(rules[f.rule].penalty or 0.0 for f in scored), empty=empty,
            metrics=metrics)

    @staticmethod
    def _says_nothing(context: AnalysisContext, customer: _Customer, settings: EmpathySettings) -> bool:
        """"k", "ok thanks", "Done." in an e-mail. Chat turns are short by nature ("Yes please",
        "Via email"): whether they answer is the unanswered-question check's business."""
        if customer.thanks_only or "?" in context.text or context.channel == "chat":
            return False
        if _content_words(context.doc) >= settings.substance.min_content_words:
            return False
        # an instruction ("Give the code to me when you have it.") says something; whether it is
        # safe or kind is for the other checks
        if any(t.dep_ == "ROOT" and t.tag_ == "VB" and not any(c.dep_ == "nsubj" for c in t.children)
               for t in context.doc):
            return False
        # "Done." is a full answer to "Can you add Priya to our calendar?", "Resolved." to "Is my
        # ticket still open?" (curt, which is the tone check's business, but an answer)
        words = {t.lower_ for t in context.doc if t.is_alpha}
        openings = settings.substance.asks_action + settings.substance.asks_status
        if words and words <= settings.substance.done_words and customer.requests and all(
                r.text.lower().startswith(openings) for r in customer.requests):
            return False
        needs = customer.requests or customer.fault
        return bool(needs) or context.customer_doc is None

    @staticmethod
    def _features(context: AnalysisContext, config: _Config, customer: _Customer, due: set[str],
                  evidence: list[Evidence], asked: int, unanswered: int) -> dict[str, float]:
        """The score model's features (FEATURES). Acknowledgement, apology and warmth count by how
        specific the best one is (stock 0.3, own words 0.6, this customer's situation 1.0), once."""
        quality: dict[str, float] = {}
        for item in evidence:
            element = item.rule.removeprefix(f"{NAME}.")
            feeling = element in ("acknowledgement", "apology", "warmth")
            share = _quality(context, (item.start, item.end), config, feeling)
            quality[element] = max(quality.get(element, 0.0), share)
        if "time-frame" in quality:
            quality["next-step"] = 1.0  # a time for what happens next is a next step
        if "apology" in quality:
            quality["acknowledgement"] = max(quality.get("acknowledgement", 0.0), quality["apology"])
        care = max(quality.get("acknowledgement", 0.0), quality.get("warmth", 0.0))
        missing = [e for e in due if quality.get(e, 0.0) == 0.0]
        settings = config.settings
        return {
            "acknowledgement": quality.get("acknowledgement", 0.0),
            "apology": quality.get("apology", 0.0),
            "warmth": quality.get("warmth", 0.0),
            "exploring": quality.get("exploring-question", 0.0),
            "personal": quality.get("personalisation", 0.0),
            "ownership": quality.get("ownership", 0.0),
            "next_step": quality.get("next-step", 0.0),
            "time_frame": quality.get("time-frame", 0.0),
            "further_help": quality.get("further-help", 0.0),
            "answered": (asked - unanswered) / asked if asked else 0.0,
            "unanswered": unanswered / asked if asked else 0.0,
            "care_shown": care if customer.feeling else 0.0,
            "care_missing": 1.0 if customer.feeling and care == 0.0 else 0.0,
            "due_missing": len(missing) / len(due) if due else 0.0,
            "stock": min(_stock_sentences_in(context.doc, config), settings.stock_count_cap) / settings.stock_count_cap,
            # the same sentence twice counts once
            "sentiment": sentiment(" ".join(dict.fromkeys(s.text.strip() for s in context.doc.sents))),
        }

    @staticmethod
    def _absence(context: AnalysisContext, element: str, config: _Config, customer: _Customer,
                 pressing: bool) -> Finding:
        rule, wording = config.absences[element]
        quote = customer.quotes.get(wording.quote) if wording.quote else None
        message = (wording.message_with_customer.replace("{quote}", quote)
                   if quote and wording.message_with_customer else rule.message)
        severity = wording.severity_when_due if pressing and wording.severity_when_due else rule.severity
        suggestion = wording.suggestion_by_mood.get(context.persona.mood, rule.suggestion)
        anchor = 0 if wording.anchor == "start" else len(context.text)
        return context.finding(NAME, rule.id, severity, anchor, anchor, message, suggestion)


analyzer = EmpathyAnalyzer()
