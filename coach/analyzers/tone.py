"""Tone: how the reply treats the customer.

Two parts make the score (details and numbers: coach/data/tone.yaml):
- a politeness model fitted on people's ratings of requests (the Stanford politeness corpus,
  Wikipedia portion): a logistic regression over politeness strategies (Danescu-Niculescu-Mizil
  et al., "A computational approach to politeness", 2013) and VADER sentiment, its weights in
  coach/data/tone_weights.yaml (refitted by eval/fit_tone.py). Run time is plain arithmetic.
- manner problems a support lead would object to: blame, defensiveness, brush-offs, dismissal,
  put-downs, profanity, text-speak, shouting, condescension; each takes points off, and a courtesy
  marker in the same sentence counts for nothing. Some are read against the customer's message
  (already parsed for the context): a stock first step they say they took or that ignores the
  details they reported, their own commitment thrown back at a complaint.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from pydantic import Field
from spacy.tokens import Doc, Span, Token
from wordfreq import zipf_frequency

from coach import placeholders, sentiment
from coach.config import DATA_DIR
from coach.context import AnalysisContext
from coach.datafiles import StrictSettings, load_yaml, validate
from coach.errors import DataFileError
from coach.findings import AnalyzerResult, Evidence, Finding
from coach.nlp import load_nlp
from coach.rules import Rule, RuleMatch, RuleSet, compiled_rules, load_ruleset, to_evidence, to_finding

NAME = "tone"
WEIGHTS_FILE = DATA_DIR / "tone_weights.yaml"

# The model's features, in the order eval/fit_tone.py writes them. Strategy names are the keys of
# settings.strategies; see politeness_features() for what each one means.
FEATURES = ("gratitude", "apology", "please", "please_start", "greeting", "deference", "indirect",
            "direct_question", "direct_start", "counterfactual", "indicative", "first_start",
            "first_plural", "first_person", "second_person", "second_start", "hedge", "factuality",
            "closing", "sentiment", "positive", "negative", "question", "exclamation",
            "imperative_start", "negation")
# problems found by the score-changing manner rules make a sentence hostile
_MANNER_SEVERITIES = ("warning", "error", "critical")
# a reply with any of these is not curt, however many steps it gives
_COURTESIES = ("gratitude", "please", "please_start", "apology", "greeting", "counterfactual", "indicative", "closing")


class ShoutingSettings(StrictSettings):

    min_letters: int = Field(ge=2, description="shorter words in capitals are ignored")
    common_zipf: float = Field(ge=0, description="a capitalised word this frequent is shouting")
    run_words: int = Field(ge=2, description="this many capitalised words in a row are shouting")
    acronyms: frozenset[str] = Field(description="capitalised everyday-looking words that are acronyms")
    glad_compound: float = Field(ge=-1, le=1, description="'!!' in a sentence this glad is not shouting")
    label_before: frozenset[str] = Field(description="words that introduce a button or label in capitals")
    stress_words: frozenset[str] = Field(description="words that shout even as the one capitalised word in a sentence")


class CurtSettings(StrictSettings):

    min_imperatives: int = Field(ge=1, description="fewest bare commands that make a reply curt")
    min_share: float = Field(gt=0, le=1, description="share of sentences that are bare commands")
    max_sentences: int = Field(ge=1, description="a longer reply of commands is instructions")
    softeners: tuple[str, ...] = Field(description="words or phrases that soften a command (lowercase)")
    courtesy_verbs: frozenset[str] = Field(description="imperative lemmas that are courtesies")


class DismissalSettings(StrictSettings):

    contact_verbs: frozenset[str] = Field(description="verbs of getting in touch (lemmas)")
    ticket_words: frozenset[str] = Field(description="objects that make open/raise/submit a contact")
    harmless_objects: frozenset[str] = Field(description="objects of a no-reply notice")


class TextSpeakSettings(StrictSettings):

    you_forms: frozenset[str] = Field(description="lowercase one-letter 'you' forms")


class DefensiveSettings(StrictSettings):

    tell_verbs: frozenset[str] = Field(description="lemmas of saying something (said, explained...)")
    insistent: frozenset[str] = Field(description="adverbs that make 'as ... said' insist (clearly, already)")
    back_pointers: frozenset[str] = Field(description="words that point back in time (ago, earlier, before)")
    earlier: frozenset[str] = Field(description="words that point at an earlier message (last, previous)")
    messages: frozenset[str] = Field(description="nouns for a message (email, reply, ticket)")


class ReadTheDocsSettings(StrictSettings):

    minimisers: frozenset[str] = Field(description="adverbs that make a step sound trivial (just, simply)")
    read_verbs: frozenset[str] = Field(description="lemmas of reading up (read, google)")
    say_verbs: frozenset[str] = Field(description="lemmas of a document saying something (say, explain)")
    documents: frozenset[str] = Field(description="nouns for what the customer could have read")
    max_command_words: int = Field(ge=2, description="a longer 'Read your ...' sentence says more than 'go read it'")
    scolding_tails: tuple[str, ...] = Field(
        description="words after 'Read the notes' that make it a lecture ('next time', 'first'), lowercase")
    ease_words: frozenset[str] = Field(description="adjectives that call a thing easy (easy, easier, simple)")


class StockStepSettings(StrictSettings):

    try_verbs: frozenset[str] = Field(description="lemmas of 'have you tried ...' (try)")
    steps: frozenset[str] = Field(description="lemmas of stock first steps (restart, clear, reinstall)")
    ignore_nouns: frozenset[str] = Field(description="nouns that show no engagement with the message (lowercase lemmas)")
    detail_words: int = Field(ge=1, description="a customer message this long, with a number in it, reports details")


class OwnDoingSettings(StrictSettings):

    verbs: frozenset[str] = Field(description="lemmas of the customer's own commitments (sign, agree, order)")
    acknowledgements: tuple[str, ...] = Field(description="phrases that acknowledge the customer (lowercase)")


class FragmentSettings(StrictSettings):

    max_words: int = Field(ge=1, description="a whole reply this short and bare is a curt fragment")
    tags: frozenset[str] = Field(description="part-of-speech tags of the fragment's head (participles)")
    fine: frozenset[str] = Field(description="short whole replies that are fine (lowercase)")
    in_reply_tags: frozenset[str] = Field(description="tags of a fragment's head that are curt inside a longer reply (work under way)")


class ClarifyingSettings(StrictSettings):

    question_words: frozenset[str] = Field(description="first words of a question for a detail (what, which, when...)")
    auxiliaries: frozenset[str] = Field(description="first words of a yes/no question (is, are, do, did...)")
    blocked: frozenset[str] = Field(description="words that make a question a challenge, not a request for a detail (lowercase)")
    challenging_verbs: frozenset[str] = Field(description="lemmas of questions that test or challenge the customer (know, read, expect)")
    lead_ins: frozenset[str] = Field(description="words before the question word that don't change it (also, ok)")
    ours: frozenset[str] = Field(description="first-person possessives: a question about our message asks if they read it")
    reasons: tuple[str, ...] = Field(description="phrases saying why a question is asked (lowercase)")
    setup_verbs: frozenset[str] = Field(description="lemmas of what a customer uses, has or sees (a yes/no question about them)")
    things: frozenset[str] = Field(description="pronouns for a thing as a yes/no question's subject (it, this)")


class ToneSettings(StrictSettings):
    """`settings:` of coach/data/tone.yaml."""

    rule_penalty_cap: float = Field(gt=0, description="most points one problem rule can take off")
    short_reply_sentences: int = Field(ge=0, description="replies this short need no greeting or closing")
    one_line_message_words: int = Field(ge=1, description="a line this short, channel not given, reads as chat")
    marker_cap: float = Field(ge=0, description="most log-odds the courtesy markers together add")
    neutral_score: float = Field(gt=0, lt=100, description="score of a reply with none of the model's features")
    temperature: float = Field(gt=0, description="log-odds per unit of the 0-100 scale's logit")
    markers: frozenset[str] = Field(description="features that are courtesy markers")
    shouting: ShoutingSettings
    curt: CurtSettings
    dismissal: DismissalSettings
    chat_openers: tuple[str, ...] = Field(description="openers that greet well enough in a chat")
    chat_warm_compound: float = Field(ge=-1, le=1, description="a first chat sentence this glad greets well enough")
    thread_openers: tuple[str, ...] = Field(description="openers of a reply that continues a conversation")
    follow_ups: tuple[str, ...] = Field(description="a chat customer's words that answer an earlier agent turn")
    text_speak: TextSpeakSettings
    defensive: DefensiveSettings
    read_the_docs: ReadTheDocsSettings
    fragment: FragmentSettings
    stock_step: StockStepSettings
    own_doing: OwnDoingSettings
    clarifying: ClarifyingSettings
    strategies: dict[str, tuple[str, ...]] = Field(description="strategy -> lowercase words or phrases")


class ToneWeights(StrictSettings):
    """coach/data/tone_weights.yaml, written by eval/fit_tone.py."""

    intercept: float
    weights: dict[str, float]
    # words and word pairs (lowercase, nouns left out) -> log-odds; their sum is capped
    lexicon: dict[str, float] = {}
    lexicon_cap: float = Field(ge=0, default=0.0)
    fitted_on: str
    cv_accuracy: float
    folds: int
    l2: float
    n: int


@functools.cache
def _ruleset() -> RuleSet:
    ruleset = load_ruleset(NAME)
    for index, rule in enumerate(ruleset.rules):
        where = f"rules[{index}]"
        if rule.polarity == "problem" and rule.penalty is None:
            raise DataFileError(ruleset.path, f"{where}.penalty", "missing (a problem needs a number of points)")
        if rule.severity == "hint" and rule.penalty:
            raise DataFileError(ruleset.path, f"{where}.penalty", "must be 0 for a hint (hints change no score)")
        if not isinstance(rule.extra.get("hostile", True), bool):
            raise DataFileError(ruleset.path, f"{where}.hostile", "must be true or false")
        for key in ("unless_describing", "unless_way_forward"):
            if not isinstance(rule.extra.get(key, False), bool):
                raise DataFileError(ruleset.path, f"{where}.{key}", "must be true or false")
        for key in ("unless_after", "unless_before"):
            unless = rule.extra.get(key, [])
            if not isinstance(unless, list) or not all(isinstance(w, str) and w for w in unless):
                raise DataFileError(ruleset.path, f"{where}.{key}", "must be a list of words or phrases")
    return ruleset


@functools.cache
def tone_settings() -> ToneSettings:
    ruleset = _ruleset()
    settings = validate(ToneSettings, ruleset.settings, ruleset.path, "settings")
    strategy_features = {"gratitude", "apology", "greeting", "cold_greeting", "deference", "indirect",
                         "direct_question", "direct_start", "counterfactual", "indicative",
                         "first_person", "first_plural", "second_person", "hedge", "factuality", "closing"}
    missing = strategy_features - set(settings.strategies)
    if missing:
        raise DataFileError(ruleset.path, "settings.strategies", f"missing {', '.join(sorted(missing))}")
    unknown = settings.markers - set(FEATURES)
    if unknown:
        raise DataFileError(ruleset.path, "settings.markers", f"unknown feature(s) {', '.join(sorted(unknown))}")
    return settings


@functools.cache
def tone_weights() -> ToneWeights:
    weights = validate(ToneWeights, load_yaml(WEIGHTS_FILE), WEIGHTS_FILE, "")
    unknown = set(weights.weights) - set(FEATURES)
    if unknown:
        raise DataFileError(WEIGHTS_FILE, "weights", f"unknown feature(s) {', '.join(sorted(unknown))}")
    return weights


@functools.cache
def _strategy_phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each strategy's phrases as lowercase token tuples, tokenised the way replies are."""
    tokenizer = load_nlp().tokenizer
    return {name: tuple(tuple(t.lower_ for t in tokenizer(phrase)) for phrase in phrases)
            for name, phrases in tone_settings().strategies.items()}


def _sentences(doc: Doc) -> list[Span]:
    """Sentences with words, split at line breaks too: "Hi Sam," is its own line, not the start
    of the next sentence."""
    spans = []
    for sent in doc.sents:
        start = sent.start
        for token in [*sent, None]:
            if token is None or (token.is_space and "\n" in token.text):
                end = sent.end if token is None else token.i
                span = doc[start:end]
                if any(t.is_alpha for t in span):
                    spans.append(span)
                if token is not None:
                    start = token.i + 1
    return spans


def _after(text: str, start: int, words: Iterable[str]) -> bool:
    """Does the text right before `start` end with one of `words` (as whole words)?"""
    before = text[:start].rstrip().lower()
    return any(before == w or before.endswith((" " + w, "\n" + w, "," + w, "(" + w)) for w in words)


def _before(text: str, end: int, words: Iterable[str]) -> bool:
    """Does the text right after `end` start with one of `words` (as whole words)?"""
    after = text[end:].lstrip().lower()
    return any(after == w or after.startswith((w + " ", w + ",", w + ".")) for w in words)


def _words(span: Span) -> list[str]:
    return [t.lower_ for t in span if not (t.is_space or t.is_punct)]


def _has_phrase(words: list[str], phrases: Iterable[tuple[str, ...]]) -> bool:
    present = set(words)
    for phrase in phrases:
        if not all(word in present for word in phrase):
            continue  # most phrases have a word the text lacks: no need to slide over the text
        size = len(phrase)
        if any(tuple(words[i:i + size]) == phrase for i in range(len(words) - size + 1)):
            return True
    return False


def _starts_with(words: list[str], phrases: Iterable[tuple[str, ...]]) -> bool:
    return any(tuple(words[:len(phrase)]) == phrase for phrase in phrases)


# ---------------------------------------------------------------- politeness features

def _cold_greeting(words: list[str], phrases: dict[str, tuple[tuple[str, ...], ...]]) -> bool:
    return _starts_with(words, phrases["cold_greeting"])


def politeness_features(doc: Doc, sentences: list[Span], hostile: set[int], closing: bool,
                        curt: CurtSettings, clarifying: frozenset[int] = frozenset()) -> dict[str, float]:
    """The model's features of one text: 1.0/0.0 for each politeness strategy present, VADER
    sentiment. Courtesy markers count only in sentences that are not hostile (`hostile` holds the
    indexes of sentences with a manner problem). The questions asking the customer for a detail
    (`clarifying`, see _clarifying) count as neutral: none of their words or question forms
    enters the features."""
    phrases = _strategy_phrases()
    courteous = [s for i, s in enumerate(sentences) if i not in hostile]
    all_words = [_words(s) for i, s in enumerate(sentences) if i not in clarifying]
    asked = [s for i, s in enumerate(sentences) if i not in clarifying]
    kind_words = [_words(s) for s in courteous]
    flat_kind = [w for words in kind_words for w in words]
    flat_all = [w for words in all_words for w in words]
    lemmas = {t.lemma_.lower() for s in courteous for t in s}
    starts = [words[0] for words in all_words if words]
    first = _words(sentences[0]) if sentences else []

    def present(name: str, words: list[str]) -> float:
        return float(_has_phrase(words, phrases[name]))

    greeting = (0 not in hostile and _starts_with(first, phrases["greeting"])
                and not _cold_greeting(first, phrases))
    text = doc.text  # Doc.text joins every token anew on each access: read it once
    # the clarifying questions' words ("error", "problem") say what is asked about, not how
    said = " ".join(s.text for s in asked) if clarifying else text
    vader = sentiment.polarity_scores(said)
    features = {
        "gratitude": float(_has_phrase(flat_kind, phrases["gratitude"])
                           or bool(lemmas & {"thank", "appreciate"})),
        "apology": present("apology", flat_kind),
        "please": float(any("please" in words[1:] for words in kind_words)),
        "please_start": float(any(words[:1] == ["please"] for words in kind_words)),
        "greeting": float(greeting),
        "deference": float(any(words[:1] and (words[0],) in phrases["deference"] for words in kind_words)),
        "indirect": present("indirect", flat_kind),
        "direct_question": float(any(words and (words[0],) in phrases["direct_question"]
                                     and s.text.rstrip().endswith("?") for words, s in zip(all_words, asked))),
        "direct_start": float(any((w,) in phrases["direct_start"] for w in starts)),
        "counterfactual": float(_modal_request(courteous, phrases["counterfactual"])),
        "indicative": float(_modal_request(courteous, phrases["indicative"])),
        "first_start": float(any((w,) in phrases["first_person"] for w in starts)),
        "first_plural": float(_has_phrase(flat_all, phrases["first_plural"])),
        "first_person": float(_has_phrase(flat_all, phrases["first_person"])),
        "second_person": float(_has_phrase(flat_all, phrases["second_person"])),
        "second_start": float(any((w,) in phrases["second_person"] for w in starts)),
        "hedge": present("hedge", flat_kind),
        "factuality": present("factuality", flat_all),
        "closing": float(closing),
        "sentiment": vader["compound"],
        "positive": vader["pos"],
        "negative": vader["neg"],
        "question": float("?" in said),
        "exclamation": float("!" in text),
        "imperative_start": float(any(_bare_command(s, curt) for s in sentences)),
        "negation": float(any(t.dep_ == "neg" for t in doc)),
    }
    return features


_SECOND_PERSON_SUBJECTS = {"you", "u", "ya"}


def _clarifying(sentence: Span, settings: ClarifyingSettings) -> bool:
    """A question asking the customer for a detail of their setup or situation: "Which app are you
    using, the desktop one or the phone app?", "What error do you see?", "Does it happen in private
    mode too?". Once the customer has asked for help, that is how help starts, and as polite as any
    statement; in the editors' requests the model was fitted on, a direct question challenges
    (there "which", "are you" and "you" lower the odds). So it costs no tone: the score is the
    better of the model's reading of the reply as it is and with the question read as neutral.
    Only a plain question that asks for a detail (_asks_detail) counts, with no negation, no
    challenge ("even", "seriously", "sure"), no verb that tests the customer ("Do you know how to
    read?", "What did you do?"), no "I"/"we" subject ("How many times do I have to tell you?") and
    no "my email" ("Did you see my email?"). "Why would you do that?", "What are you talking
    about?", "Are you an admin?" keep the model's reading."""
    words = [t for t in sentence if not (t.is_punct or t.is_space)]
    if not words or not sentence.text.rstrip().endswith("?"):
        return False
    if any(t.lower_ in settings.blocked or t.dep_ == "neg" for t in words):
        return False
    if any(t.lemma_.lower() in settings.challenging_verbs and t.pos_ == "VERB" for t in words):
        return False
    # "Did you see my email?", "Have you checked our guide?": whether they read what we sent
    if any(t.lower_ in settings.ours and t.head.pos_ == "NOUN" for t in words):
        return False
    # "And does it happen in private mode too?", "Ok, which browser is it?"
    while len(words) > 1 and (words[0].pos_ in ("CCONJ", "INTJ") or words[0].lower_ in settings.lead_ins):
        words = words[1:]
    opener = words[0]
    # the clause the question word or auxiliary opens ("What error do you see, so I can narrow it
    # down?" asks about "see")
    verb = opener.head if opener.dep_ in ("aux", "auxpass") else opener
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    if subjects and subjects[0].lower_ in ("i", "we"):
        return False
    return _asks_detail(words, opener, verb, subjects[0] if subjects else None, settings)


def _asks_detail(words: list[Token], opener: Token, verb: Token, subject: Token | None,
                 settings: ClarifyingSettings) -> bool:
    """Does the question ask for a detail? A question word on a thing ("Which app", "What error
    message", "Whose account"), a measure ("How long", "How often"), the time or place of an event
    ("When did this start?", "Where do you see the error?"), a choice between options ("Windows or
    Mac?"), a yes/no about a thing doing something ("Does it happen in private mode?") or
    about what the customer uses, has or sees ("Are you using the desktop app?"), or one saying
    why it is asked ("..., so I can narrow it down?")."""
    lower = " ".join(t.lower_ for t in words)
    if any(f" {reason} " in f" {lower} " for reason in settings.reasons):
        return True
    if any(t.lower_ == "or" and t.dep_ == "cc" and t.head.pos_ in ("NOUN", "PROPN", "ADJ", "NUM")
           for t in words) and not lower.endswith(("or not", "or what")):
        return True
    word = opener.lower_
    if word in settings.question_words:
        if opener.dep_ in ("det", "poss") and opener.head.pos_ in ("NOUN", "PROPN"):
            return True
        if word == "how" and opener.head.i == opener.i + 1 and opener.head.pos_ in ("ADJ", "ADV"):
            return True
        return word in ("when", "where") and opener.head.pos_ == "VERB"
    if word not in settings.auxiliaries or subject is None:
        return False
    if subject.lower_ in _SECOND_PERSON_SUBJECTS:
        # "Are you using the desktop app?", "Do you see an error message?" (not "Are you an admin?")
        return verb.lemma_.lower() in settings.setup_verbs and any(
            t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("dobj", "pobj") for t in verb.subtree)
    # "Did it stop after the update?", "Does the printer show an error?"; not a copula, which
    # judges more often than it asks ("Is that clear?", "Was this necessary?")
    return verb.pos_ == "VERB" and (subject.pos_ in ("NOUN", "PROPN") or subject.lower_ in settings.things)


def _modal_request(sentences: list[Span], modals: tuple[tuple[str, ...], ...]) -> bool:
    """A request through a modal put before "you" in the parse: "Could you check...", "Would you
    mind...", "can you please send" (the modal an auxiliary of a verb whose subject is "you", and
    before it). A negated modal is rhetorical, not a request: "Why couldn't you do it?"."""
    words = {phrase[0] for phrase in modals if len(phrase) == 1}
    for sentence in sentences:
        for token in sentence:
            if token.dep_ != "aux" or token.lower_ not in words:
                continue
            verb = token.head
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if (subjects and subjects[0].lower_ in _SECOND_PERSON_SUBJECTS and token.i < subjects[0].i
                    and not any(c.dep_ == "neg" for c in verb.children)):
                return True
    return False


_CONTENT_POS = ("NOUN", "PROPN", "NUM", "X", "SYM", "SPACE", "PUNCT")


def lexicon_grams(sentences: list[Span], clarifying: frozenset[int] = frozenset()) -> list[frozenset[str]]:
    """Each sentence's words and word pairs for the fitted lexicon, leaving out nouns, names and
    numbers so that what a request is about (an article, a printer) does not decide its tone, and
    none for a clarifying question (it counts as neutral)."""
    grams = []
    for index, sentence in enumerate(sentences):
        if index in clarifying:
            grams.append(frozenset())
            continue
        words = [t.lower_ for t in sentence if t.pos_ not in _CONTENT_POS and "<" not in t.text and ">" not in t.text]
        grams.append(frozenset(words) | {f"{a} {b}" for a, b in zip(words, words[1:])})
    return grams


def lexicon_logit(grams: list[frozenset[str]], hostile: set[int], lexicon: dict[str, float], cap: float) -> float:
    """The sum of the lexicon weights of the words present (each once); a word's positive weight
    counts only outside hostile sentences; the total saturates towards +-cap."""
    present: dict[str, float] = {}
    for index, sentence in enumerate(grams):
        for gram in sentence:
            weight = lexicon.get(gram)
            if weight is not None and (weight < 0 or index not in hostile):
                present[gram] = weight
    return _saturate(sum(present.values()), cap)


def _saturate(value: float, cap: float) -> float:
    """`value`, with diminishing returns towards +-cap: each extra bit earns less than the last."""
    return cap * math.tanh(value / cap) if cap > 0 else 0.0


def model_logit(features: dict[str, float], weights: ToneWeights, settings: ToneSettings) -> float:
    """intercept + sum(weight x feature); the courtesy markers' positive part saturates towards
    marker_cap (diminishing returns: a greeting counts, a fifth stock courtesy hardly)."""
    markers = 0.0
    rest = weights.intercept
    for name, weight in weights.weights.items():
        contribution = weight * features.get(name, 0.0)
        if name in settings.markers and contribution > 0:
            markers += contribution
        else:
            rest += contribution
    return rest + _saturate(markers, settings.marker_cap)


def model_score(logit: float, weights: ToneWeights, settings: ToneSettings) -> float:
    """The model's log-odds on the 0-100 scale: a reply with none of the features (log-odds =
    intercept) scores `neutral_score`; `temperature` spreads the rest. The fit is on requests
    between editors, where a plain statement reads as curt; a plain support reply is neutral."""
    neutral = math.log(settings.neutral_score / (100.0 - settings.neutral_score))
    return 100.0 / (1.0 + math.exp(-(neutral + (logit - weights.intercept) / settings.temperature)))


# ---------------------------------------------------------------- manner problems found in the parse

_YOU = {"you", "u", "ya"}
_SHOULD = {"should", "shud", "shld", "shoulda", "ought"}
_PERFECT = {"have", "of", "'ve", "’ve", "ve", "a"}
_NEG = {"not", "n't", "n’t", "never", "nt"}
_EXPECTED = {"receive", "get", "be", "hear"}
_HARD = {"hard", "difficult", "complicated", "complex", "tricky"}
_IT = {"it", "its", "it's", "it’s", "this", "that", "thats", "that's", "that’s", "s", "'s", "’s", "is", "isnt"}
_TELL = {"mention", "say", "tell", "explain", "note", "advise", "warn", "inform", "state"}
_CUSTOMER_CONTACT_OBJECTS = {"us", "me", "support", "helpdesk", "desk", "team", "it", "service",
                             "servicedesk", "anyone", "anybody", "someone"}


def _blame_modal_perfect(doc: Doc) -> Iterator[tuple[int, int]]:
    """"You should have checked", "u shud of done", "You shouldn't have deleted": the customer as
    subject of a modal perfect, i.e. a reproach for something past."""
    tokens = [t for t in doc if not t.is_space]
    for index, token in enumerate(tokens):
        if token.lower_ not in _SHOULD or index == 0 or tokens[index - 1].lower_ not in _YOU:
            continue
        rest = tokens[index + 1:index + 5]
        at = 0
        while at < len(rest) and rest[at].lower_ in _NEG | {"really", "also", "just"}:
            at += 1
        if token.lower_ != "shoulda":
            if at >= len(rest) or rest[at].lower_ not in _PERFECT:
                continue
            at += 1
        while at < len(rest) and rest[at].lower_ in {"really", "also", "just", "already"}:
            at += 1
        # "You should have received an e-mail" expects, it doesn't reproach
        if at < len(rest) and rest[at].lemma_.lower() in _EXPECTED:
            continue
        if at < len(rest) and (rest[at].tag_ in ("VBN", "VBD") or rest[at].lower_.endswith("ed")):
            subject = tokens[index - 1]
            yield subject.idx, rest[at - 1].idx + len(rest[at - 1])


def _defensive_emphatic(doc: Doc) -> Iterator[tuple[int, int]]:
    """"I did mention this", "We did tell you": an emphatic do insisting it was already said."""
    for token in doc:
        if token.lower_ not in ("did", "do") or token.dep_ != "aux":
            continue
        verb = token.head
        if verb.lemma_.lower() not in _TELL or any(c.dep_ == "neg" for c in verb.children):
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subjects or subjects[0].lower_ not in ("i", "we") or subjects[0].i > token.i:
            continue
        if verb.sent.text.rstrip().endswith("?"):
            continue
        yield subjects[0].idx, verb.idx + len(verb)


def _defensive_as_clause(doc: Doc, settings: DefensiveSettings) -> Iterator[tuple[int, int]]:
    """"As I said in my last email", "as was clearly explained": an as-clause of saying that insists
    (an adverb such as "clearly", "already") or names the earlier message ("my last email"). A plain
    "As I mentioned, the update is free." moves the conversation on and is fine."""
    for verb in doc:
        if verb.lemma_.lower() not in settings.tell_verbs or verb.pos_ != "VERB":
            continue
        marks = [c for c in verb.children if c.lower_ == "as" and c.dep_ in ("mark", "advmod") and c.i < verb.i]
        if not marks:
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if subjects and subjects[0].lower_ not in ("i", "we"):
            continue  # "as the guide says", "as you said": not the agent pointing at themselves
        # "as I mentioned to your manager": said to someone else, not pointed at the customer
        if any(c.dep_ in ("prep", "dative") and c.lower_ == "to"
               and any(o.dep_ == "pobj" and o.lower_ not in _YOU for o in c.children) for c in verb.children):
            continue
        insistent = any(c.dep_ == "advmod" and c.lower_ in settings.insistent for c in verb.children)
        # "as I explained a moment ago", "as I said earlier": pointing back at the customer not listening
        # ("as explained earlier in this email", "as I said above" point within the reply itself)
        within = any(t.lower_ in ("above", "below", "this") for t in verb.subtree)
        insistent = insistent or (not within and any(
            c.dep_ in ("advmod", "npadvmod", "prep") and c.lower_ in settings.back_pointers for c in verb.children))
        earlier = any(t.lower_ in settings.messages and t.pos_ == "NOUN"
                      and any(m.lower_ in settings.earlier for m in t.children)
                      for t in verb.subtree)
        if not (insistent or earlier):
            continue
        clause = [t for t in verb.subtree if not (t.is_punct or t.is_space)]
        yield marks[0].idx, clause[-1].idx + len(clause[-1])


def _minimised_reading(doc: Doc, settings: ReadTheDocsSettings) -> Iterator[tuple[int, int]]:
    """"You can just read the guide", "Simply restart it, as the guide says": a step made to sound
    trivial ("just", "simply") when it is reading up, or when the documents already say it. A
    friendly "Simply click Save and you're done." has no pointer to what they should have read."""
    for adverb in doc:
        if adverb.lower_ not in settings.minimisers or adverb.dep_ != "advmod":
            continue
        verb = adverb.head
        if verb.pos_ != "VERB":
            continue
        end = verb.idx + len(verb)
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects and subjects[0].lower_ not in _YOU:
            continue  # "I just read your message": the agent reading, not the customer told to
        if verb.lemma_.lower() in settings.read_verbs and (
                not objects or objects[0].lower_ in settings.documents or objects[0].pos_ == "PRON"):
            yield adverb.idx, end  # "just read", as the data's pattern quotes it
            continue
        # "..., as the guide says", "..., as explained in the FAQ"
        for clause in verb.children:
            if clause.dep_ != "advcl" or clause.lemma_.lower() not in settings.say_verbs:
                continue
            if not any(c.lower_ == "as" for c in clause.children):
                continue
            if any(t.lower_ in settings.documents for t in clause.subtree if t.pos_ in ("NOUN", "PROPN")):
                words = [t for t in clause.subtree if not (t.is_punct or t.is_space)]
                yield adverb.idx, max(end, words[-1].idx + len(words[-1]))
                break


def _go_read_it(doc: Doc, doc_text: str, settings: ToneSettings) -> Iterator[tuple[int, int]]:
    """"Read your agreement.", "Read the FAQ.": a whole sentence that only sends the customer off to
    read, snapped instead of an answer. Not a step of instructions, nor a sentence that says what
    to read for ("Read the guide I attached for the screenshots"), nor one with "please"."""
    read = settings.read_the_docs
    for sentence in _sentences(doc):
        root = sentence.root
        said = [t for t in sentence if not (t.is_punct or t.is_space)]
        words = _without_tail(said, read.scolding_tails)
        lower = {t.lower_ for t in sentence}
        # "Read the FAQ.", or "Just read the guide." (a minimiser before the command)
        lead = 1 if len(words) > 1 and words[0].lower_ in read.minimisers and words[0].head.i == root.i else 0
        if (root.lemma_.lower() not in read.read_verbs or root.tag_ != "VB" or words[lead].i != root.i
                or len(words) > read.max_command_words or "please" in lower
                or any(c.dep_ in ("nsubj", "nsubjpass") and c.i >= sentence.start for c in root.children)
                or _how_to_step(sentence, doc_text)):
            continue
        objects = [c for c in root.children if c.dep_ == "dobj" and c.lower_ in read.documents]
        if not objects or words[-1].i != max(t.i for t in objects[0].subtree):
            continue
        yield words[0].idx, said[-1].idx + len(said[-1])


def _without_tail(words: list[Token], tails: tuple[str, ...]) -> list[Token]:
    """The sentence's words without a scolding tail ("Read the release notes next time"): the tail
    makes the command a lecture, not a longer sentence that says more."""
    lowered = [t.lower_ for t in words]
    for tail in tails:
        parts = tail.split()
        if len(words) > len(parts) and lowered[-len(parts):] == parts:
            return words[:-len(parts)]
    return words


_EXPLAINING = {"than", "because", "since", ":", "for", "to", "as", "so"}


def _easy_claim(doc: Doc, settings: ReadTheDocsSettings) -> Iterator[tuple[int, int]]:
    """"The new app is simply easier.", "It's just simple.": a minimiser on a bare claim that the
    thing is easy, which tells a customer who finds it hard that the trouble is theirs. With what it
    is easier for or than, or why ("simply easier to restore from the copy"), it explains instead."""
    for adverb in doc:
        if adverb.lower_ not in settings.minimisers or adverb.dep_ != "advmod":
            continue
        head = adverb.head
        if head.lower_ in settings.ease_words and head.pos_ == "ADJ":
            adjective = head
        else:
            adjective = next((c for c in head.children if c.dep_ == "acomp" and c.lower_ in settings.ease_words), None)
        if adjective is None:
            continue
        verb = adjective.head if adjective.dep_ == "acomp" else adjective
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects and subjects[0].lower_ in ("i", "we"):
            continue  # "I just find it easier": the agent's own view
        if any(c.dep_ in ("xcomp", "prep", "advcl", "ccomp") for c in adjective.children) \
                or any(c.dep_ == "advcl" for c in verb.children):
            continue
        # "simply quicker here than repairing: the backup has...": compared, or explained after it
        if any(t.lower_ in _EXPLAINING and t.i > adjective.i for t in verb.subtree):
            continue
        start, end = min(adverb.idx, adjective.idx), max(adverb.idx + len(adverb), adjective.idx + len(adjective))
        yield start, end


def _first_person_did(verb: Token) -> bool:
    """Did the customer say they did this ("I've restarted it twice", "we tried clearing the
    cache")? The verb, or the "try" it depends on, is in the past, has "I"/"we" as subject and no
    negation ("Should I restart it?", "I haven't restarted it" are not done)."""
    if verb.tag_ not in ("VBD", "VBN") and not (verb.tag_ == "VBG" and verb.head.tag_ in ("VBD", "VBN")):
        return False
    token = verb
    for _ in range(3):
        if any(c.dep_ == "neg" for c in token.children):
            return False
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0].lower_ in ("i", "we")
        if token.dep_ not in ("xcomp", "conj") or token.head is token:
            return False
        token = token.head
    return False


def _asked_steps(sentence: Span, settings: StockStepSettings) -> list[Token]:
    """The steps a "Have you tried restarting it?" / "Did you restart it?" question asks about,
    when every one of them is a stock first step; else none."""
    root = sentence.root
    # only words of this line: the parser may hang a greeting line's name on the question's verb
    subjects = [c for c in root.children if c.dep_ == "nsubj" and c.i >= sentence.start]
    auxiliaries = [c for c in root.children if c.dep_ == "aux" and sentence.start <= c.i < root.i]
    if not subjects or subjects[0].lower_ not in _YOU or not auxiliaries \
            or auxiliaries[0].lemma_.lower() not in ("have", "do") or any(c.dep_ == "neg" for c in root.children):
        return []
    if root.lemma_.lower() in settings.try_verbs:
        steps = [c for c in root.children if c.dep_ in ("xcomp", "dobj") and c.tag_ == "VBG"]
    else:
        steps = [root]
    steps += [c for step in steps for c in step.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    return steps if steps and all(s.lemma_.lower() in settings.steps for s in steps) else []


def _stock_step(context: AnalysisContext, sentences: list[Span], settings: StockStepSettings) -> Iterator[tuple[int, int]]:
    """"Have you tried clearing your cache and restarting your computer?" as if the message had
    not been read: a stock first step the customer says they already took, or, to a technical
    customer or one who reported details (a longer message with numbers, codes or times), asked
    in a reply that names nothing from their message (the words the coach's own placeholders
    quote don't count: the agent has still to write that part)."""
    customer = context.customer_doc
    if customer is None:
        return
    asked = [(s, _asked_steps(s, settings)) for s in sentences if s.text.rstrip().endswith("?")]
    asked = [(s, steps) for s, steps in asked if steps]
    if not asked:
        return
    done = {t.lemma_.lower() for t in customer if t.pos_ == "VERB" and _first_person_did(t)}
    name = {w.lower() for w in (context.persona.name or "").split()}
    told = {t.lemma_.lower() for t in customer if t.pos_ in ("NOUN", "PROPN")} - settings.ignore_nouns - name
    unfilled = [(p.start, p.end) for p in placeholders.find(context.text)]
    # the greeting line ("Hi Priya,") names the customer, not what they reported
    first_line = context.text.lstrip().split("\n", 1)[0]
    greeting_end = (len(context.text) - len(context.text.lstrip()) + len(first_line)
                    if len(first_line.split()) <= 4 and first_line.rstrip().endswith((",", "!")) else 0)
    named = {t.lemma_.lower() for t in context.doc if t.pos_ in ("NOUN", "PROPN") and t.idx >= greeting_end
             and not any(a <= t.idx < b for a, b in unfilled)}
    engaged = bool(named & told)
    detailed = (sum(1 for t in customer if t.is_alpha) >= settings.detail_words
                and any(any(c.isdigit() for c in t.text) for t in customer))
    for sentence, steps in asked:
        # "Have you tried restarting it in safe mode?" to someone who restarted: a new variation
        repeated = any(s.lemma_.lower() in done and not any(c.dep_ in ("prep", "advcl") or c.lower_ == "again"
                                                          for c in s.children) for s in steps)
        if repeated or (
                (context.persona.audience == "technical" or detailed) and not engaged):
            # the question from its auxiliary ("Hi Dana, have you tried...?" quotes "have you tried...?")
            first = min(t.i for t in sentence.root.children if t.dep_ in ("aux", "nsubj") and t.i >= sentence.start)
            words = [t for t in sentence if not t.is_space and t.i >= first]
            yield words[0].idx, words[-1].idx + len(words[-1])


_WHEN = {"when", "while", "after", "before", "once"}


@functools.cache
def _acknowledgement_phrases() -> tuple[tuple[str, ...], ...]:
    tokenizer = load_nlp().tokenizer
    return tuple(tuple(t.lower_ for t in tokenizer(a)) for a in tone_settings().own_doing.acknowledgements)


def _own_doing(context: AnalysisContext, sentences: list[Span], settings: OwnDoingSettings) -> Iterator[tuple[int, int]]:
    """"You signed the contract for 50 seats.": the customer's own commitment stated flat, as the
    whole answer to a customer who complains or asks why, in a reply that acknowledges nothing.
    It reads as "your own fault". Said on the way to something else ("You ordered the 16GB model,
    so I've arranged an upgrade") or after an acknowledgement, it is information."""
    customer = context.customer_doc
    if customer is None or not (context.persona.mood == "upset" or any(t.lower_ == "why" for t in customer)):
        return
    phrases = _strategy_phrases()
    acknowledgements = _acknowledgement_phrases()
    for sentence in sentences:
        words = _words(sentence)
        if any(_has_phrase(words, p) for p in (phrases["apology"], phrases["gratitude"], acknowledgements)):
            return
    for sentence in sentences:
        root = sentence.root
        children = list(root.children)
        # "You signed...", "You've agreed to..."
        past = root.tag_ == "VBD" or (root.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in children))
        if root.lemma_.lower() not in settings.verbs or not past or sentence.text.rstrip().endswith("?"):
            continue
        subjects = [c for c in children if c.dep_ == "nsubj"]
        if not subjects or subjects[0].lower_ not in _YOU or any(
                c.dep_ in ("neg", "ccomp", "conj", "mark") for c in children):
            continue
        # "..., so I've refunded it" moves on; "... when you ordered it" only dates the fact
        if any(c.dep_ == "advcl" and not any(m.lower_ in _WHEN for m in c.children) for c in children):
            continue
        words = [t for t in sentence if not (t.is_punct or t.is_space)]
        yield words[0].idx, words[-1].idx + len(words[-1])


def _describing(doc: Doc, doc_text: str, start: int) -> bool:
    """Does the phrase at `start` describe a thing rather than judge the customer: the subject of a
    relative clause ("a share link anyone can open", "a page that anyone can edit"), or a quoted
    setting ("Set it to 'Anyone can view'")?"""
    token = doc.char_span(start, start + 1, alignment_mode="expand")
    if token is None or not len(token):
        return False
    word = token[0]
    if word.dep_ in ("nsubj", "nsubjpass") and word.head.dep_ in ("relcl", "acl"):
        return True
    line_start = doc_text.rfind("\n", 0, start) + 1
    return doc_text[line_start:start].rstrip().endswith(("'", '"', "‘", "“"))


def _way_forward(doc: Doc, after: int) -> bool:
    """Does the rest of the sentence, or the next one, say what can be done ("What I can do is...",
    "you can use your recovery kit", "I'll ask the team")? A "can't" followed by a way forward is
    not a closed door."""
    sentences = [s for s in _sentences(doc) if s.end_char > after]
    tokens = [t for s in sentences[:2] for t in s if t.idx >= after]
    for token in tokens:
        if token.tag_ != "MD" or token.lower_ not in ("can", "could", "will", "'ll", "’ll"):
            continue
        verb = token.head
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if (subjects and subjects[0].lower_ in ("i", "we", "you")
                and not any(c.dep_ == "neg" for c in verb.children)):
            return True
    return False


def _dismissal(doc: Doc, settings: DismissalSettings) -> Iterator[tuple[int, int]]:
    """"Please do not contact support about this issue.", "Stop e-mailing us.": a negated (or
    stopped) contact verb addressed to the customer."""
    for verb in doc:
        lemma = verb.lemma_.lower()
        if lemma not in settings.contact_verbs or verb.pos_ != "VERB":
            continue
        children = list(verb.children)
        negated = any(c.dep_ == "neg" for c in children)
        stopped = verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "stop" and verb.tag_ == "VBG"
        subject = [c for c in children if c.dep_ in ("nsubj", "nsubjpass")]
        if not (negated or stopped) or (subject and subject[0].lower_ not in _YOU):
            continue
        if subject and not any(c.lower_ in ("should", "must") for c in children):
            continue  # "you don't need to contact us": a reassurance, not an order
        objects = [t for c in children if c.dep_ in ("dobj", "prep", "dative") for t in c.subtree
                   if t.pos_ in ("NOUN", "PROPN", "PRON")]
        words = {t.lower_ for t in objects}
        if words & settings.harmless_objects:
            continue
        # "never email it to anyone": sending a thing somewhere, not being told to go away
        if any(c.dep_ == "dobj" for c in children) and any(c.dep_ in ("prep", "dative") and c.lower_ == "to"
                                                            for c in children):
            continue
        if lemma in ("open", "raise", "submit", "reopen", "escalate"):
            if not words & settings.ticket_words:
                continue
        elif words and not words & _CUSTOMER_CONTACT_OBJECTS and not any(
                c.lower_ in ("again", "anymore", "further") for c in children):
            continue
        head = verb.head if stopped else verb
        # the clause, within its line ("Hello,\n\nPlease do not..." quotes from "Please")
        line_start = doc.text.rfind("\n", 0, head.idx) + 1
        words = [t for t in head.subtree if not (t.is_punct or t.is_space) and t.idx >= line_start]
        yield words[0].idx, words[-1].idx + len(words[-1])


def _even_question(doc: Doc) -> Iterator[tuple[int, int]]:
    """"Did you even try?", "Have you even read the guide?", "you didn't even read it": a
    rhetorical "even" with the customer as subject."""
    tokens = [t for t in doc if not t.is_space]
    for index, token in enumerate(tokens):
        if token.lower_ != "even" or index == 0:
            continue
        window = tokens[max(0, index - 3):index]
        if not any(t.lower_ in _YOU for t in window):
            continue
        sentence_text = token.sent.text.rstrip()
        negated = any(t.lower_ in _NEG for t in window)
        if not (sentence_text.endswith("?") or negated):
            continue
        start = next(t for t in window if t.lower_ in _YOU or t.lower_ in {"did", "do", "have", "has", "are", "were"})
        verb = tokens[index + 1] if index + 1 < len(tokens) and tokens[index + 1].is_alpha else token
        yield start.idx, verb.idx + len(verb)


def _not_hard(doc: Doc) -> Iterator[tuple[int, int]]:
    """"its not hard", "It isn't difficult.": the task called easy, which tells a stuck customer
    they are slow. "it's not hard to set up: I'll walk you through it" explains, so a following
    "to" or "for" keeps it quiet."""
    tokens = [t for t in doc if not t.is_space]
    for index, token in enumerate(tokens):
        if token.lower_ not in _HARD:
            continue
        following = tokens[index + 1].lower_ if index + 1 < len(tokens) else ""
        if following in ("to", "for", "at", "if", "when"):
            continue
        window = tokens[max(0, index - 4):index]
        if not any(t.lower_ in _NEG or t.lower_ == "isnt" for t in window):
            continue
        subjects = [t for t in window if t.lower_ in _IT]
        if not subjects or any(t.lower_ in ("worry", "worried") for t in tokens[max(0, index - 8):index]):
            continue
        yield subjects[0].idx, token.idx + len(token)


def _you_text_speak(doc: Doc, settings: TextSpeakSettings) -> Iterator[tuple[int, int]]:
    """Lowercase "u" for "you" (not a list letter "(u)" or "u)")."""
    for token in doc:
        if token.text not in settings.you_forms:
            continue
        before = doc[token.i - 1] if token.i > 0 else None
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if (before is not None and before.text in ("(", "-")) or (after is not None and after.text == ")"):
            continue
        yield token.idx, token.idx + len(token)


# ---------------------------------------------------------------- shouting and curt commands

def _caps_word(token: Token, settings: ShoutingSettings) -> bool:
    letters = [c for c in token.text if c.isalpha()]
    return len(letters) >= settings.min_letters and token.text.isupper()


def _everyday(token: Token, settings: ShoutingSettings) -> bool:
    return (token.text not in settings.acronyms
            and zipf_frequency(token.lower_, "en") >= settings.common_zipf)


_QUOTES = ('"', "'", "*", "“", "”", "‘", "’", "[", "«", "»", "`")


def _label(run: list[Token], settings: ShoutingSettings) -> bool:
    """Capitals naming a button or label: quoted, bold, or after "click", "the"..."""
    doc = run[0].doc
    before = doc[run[0].i - 1] if run[0].i > 0 else None
    after = doc[run[-1].i + 1] if run[-1].i + 1 < len(doc) else None
    quoted = (before is not None and before.text[-1:] in _QUOTES) or (after is not None and after.text[:1] in _QUOTES)
    return quoted or (before is not None and before.lower_ in settings.label_before)


def _name(run: list[Token]) -> bool:
    """One capitalised word naming the noun after it ("the VIA app", "the HELP menu"), in a
    sentence that is not all capitals: an acronym or product name, not emphasis ("you are NOT",
    "ALL of them", "for 50 SEATS"). The tagger calls most words in capitals proper nouns, so only
    the word's place in the parse tells."""
    if len(run) != 1 or run[0].dep_ != "compound" or run[0].head.i <= run[0].i:
        return False
    sentence = run[0].sent
    return any(t.is_alpha and not t.is_upper for t in sentence)


def _emphasis(run: list[Token], settings: ShoutingSettings) -> bool:
    """One capitalised word in a sentence written in normal case, stressing a thing ("the laptop
    FAN is loud"): emphasis, not shouting. Capitals on a word that raises the voice at the reader
    (`stress_words`: "do NOT", "NOTHING we can do", "BEFORE contacting us") shout even alone."""
    if len(run) != 1 or run[0].lower_ in settings.stress_words:
        return False
    # "normal case": most of the sentence's words are not in capitals ("YOU SIGNED THE CONTRACT FOR
    # 50 SEATS!!! Read your agreement." shouts throughout, however the parser splits it)
    words = [t for t in run[0].sent if t.is_alpha and len(t) > 1]
    return sum(t.is_upper for t in words) * 2 < len(words)


def _shouting(doc: Doc, settings: ShoutingSettings) -> Iterator[tuple[int, int]]:
    """Runs of capitalised words that are shouting: spans from the first to the last word."""
    run: list[Token] = []

    def flush() -> Iterator[tuple[int, int]]:
        caps = [t for t in run if _caps_word(t, settings)]
        if (caps and (len(caps) >= settings.run_words or any(_everyday(t, settings) for t in caps))
                and not _label(run, settings) and not _name(run) and not _emphasis(run, settings)):
            yield run[0].idx, run[-1].idx + len(run[-1])

    for token in doc:
        # a run goes on over short capitals and contractions: "DO NOT", "DON'T TOUCH"
        if token.text.isupper() and any(c.isalpha() for c in token.text):
            run.append(token)
            continue
        yield from flush()
        run = []
    yield from flush()


def _bare_command(sentence: Span, settings: CurtSettings) -> bool:
    """An imperative sentence with no softener: 'Restart the router.', 'Don't touch it.'"""
    if len(_words(sentence)) < 2 and not sentence.text.rstrip().endswith((".", "!")):
        return False  # a signature line ("Support") is not a command
    root = sentence.root
    if root.tag_ != "VB" or root.lemma_.lower() in settings.courtesy_verbs:
        return False
    if any(child.dep_ in ("nsubj", "nsubjpass", "expl") for child in root.children):
        return False
    # the verb comes first, after at most an adverb or "do not": "Then restart it", "Don't touch it"
    leading = [t for t in sentence if t.i < root.i and not (t.is_punct or t.is_space)]
    if any(t.dep_ not in ("advmod", "aux", "neg") or (t.dep_ == "aux" and t.lower_ not in ("do", "don't"))
           for t in leading):
        return False  # "Just to check..." is not a command
    lower = " " + " ".join(t.lower_ for t in sentence) + " "
    return not any(f" {softener} " in lower for softener in settings.softeners)


_LIST_MARKER = re.compile(r"^\s*(?:\d{1,2}\s*[.):]|[-*•–])\s")


def _how_to_step(sentence: Span, text: str) -> bool:
    """A step of instructions: on a numbered or bulleted line, after a colon on its line ("To
    export: click Save."), or in a paragraph after a line ending in ':' ("To export the report:")."""
    line_start = text.rfind("\n", 0, sentence.start_char) + 1
    if _LIST_MARKER.match(text[line_start:]):
        return True
    # a line of its own next to another line: steps written one per line ("Follow the steps on
    # screen.\nSign back in."), as agents type them in a chat
    line_end = text.find("\n", sentence.end_char)
    line_end = len(text) if line_end < 0 else line_end
    own_line = not text[line_start:sentence.start_char].strip() and not text[sentence.end_char:line_end].strip()
    previous_line = text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1:max(line_start - 1, 0)].strip()
    next_line = text[line_end + 1:text.find("\n", line_end + 1) if text.find("\n", line_end + 1) >= 0 else len(text)]
    if own_line and (previous_line or next_line.strip()):
        return True
    paragraph_start = text.rfind("\n\n", 0, sentence.start_char) + 1
    lines = text[paragraph_start:sentence.start_char].splitlines()
    return (any(line.rstrip().endswith(":") for line in lines[:-1] if line.strip())
            or ":" in text[line_start:sentence.end_char])


@dataclass(frozen=True)
class ToneReading:
    """What the analyser reads in one reply, before scoring."""

    findings: list[Finding]
    evidence: list[Evidence]
    features: dict[str, float]
    grams: list[frozenset[str]]  # per sentence (lexicon_grams)
    hostile: set[int]  # indexes of sentences with a manner problem
    # the features and grams with the clarifying questions (_clarifying) read as neutral; None when
    # the reply has none
    neutral_questions: tuple[dict[str, float], list[frozenset[str]]] | None = None


class ToneAnalyzer:
    name = NAME
    version = 2

    def analyze(self, context: AnalysisContext) -> AnalyzerResult:
        settings = tone_settings()
        reading = self.assess(context)
        findings, evidence, features = reading.findings, reading.evidence, reading.features
        weights = tone_weights()
        logit = (model_logit(features, weights, settings)
                 + lexicon_logit(reading.grams, reading.hostile, weights.lexicon, weights.lexicon_cap))
        if reading.neutral_questions is not None:
            # asking the customer for a detail never costs tone; its courtesy ("Could you...",
            # "Is it working?") still counts
            neutral_features, neutral_grams = reading.neutral_questions
            logit = max(logit, model_logit(neutral_features, weights, settings)
                        + lexicon_logit(neutral_grams, reading.hostile, weights.lexicon, weights.lexicon_cap))
        score = model_score(logit, weights, settings)
        ruleset = _ruleset()
        scored, _hints = context.split_hints(findings)
        if reading.hostile:
            # courtesies elsewhere don't buy rudeness back: a reply with a manner problem starts
            # from neutral at best
            score = min(score, settings.neutral_score)
        for rule_id, count in Counter(f.rule for f in scored).items():
            score -= min((ruleset.get(rule_id).penalty or 0.0) * count, settings.rule_penalty_cap)
        metrics = {"politeness_strategies": sum(1 for name in settings.markers if features.get(name)),
                   "sentiment": round(features["sentiment"], 2)}
        return AnalyzerResult(round(min(100.0, max(0.0, score)), 1), tuple(findings), tuple(evidence), metrics)

    def assess(self, context: AnalysisContext) -> ToneReading:
        """The reply's tone findings, the evidence worth praising, and what the model reads."""
        settings = tone_settings()
        ruleset = _ruleset()
        doc, text = context.doc, context.text
        doc_text = doc.text  # Doc.text joins every token anew on each access: read it once
        sentences = _sentences(doc)
        matches = [m for m in compiled_rules(NAME, load_nlp()).match(doc)
                   if not _after(doc_text, m.start, m.rule.extra.get("unless_after", []))
                   and not _before(doc_text, m.end, m.rule.extra.get("unless_before", []))]
        matches = [m for m in matches if not (m.rule.extra.get("unless_way_forward") and _way_forward(doc, m.end))]
        matches = [m for m in matches if not (m.rule.extra.get("unless_describing") and _describing(doc, doc_text, m.start))]
        matches += self._parsed_problems(context, sentences, doc_text, ruleset, settings)
        problems = _dedupe([to_finding(m, text) for m in matches if m.rule.polarity == "problem"])
        problems += self._shouting_findings(context, sentences, ruleset, settings)
        problems = [f for f in problems if not _exuberant(f, sentences, settings.shouting)]
        # "Just read the guide." is a put-down as a whole: its "just" is not told apart
        put_downs = [f for f in problems if f.rule == "tone.put-down"]
        problems = [f for f in problems if not (f.rule == "tone.condescension" and any(
            p.start <= f.start and f.end <= p.end for p in put_downs))]

        manner = [f for f in context.split_hints(problems)[0] if f.severity in _MANNER_SEVERITIES]
        # careless writing (text-speak) costs points but is not hostile: "im stuck, could you help
        # please?" still asks politely
        hostile = {i for i, s in enumerate(sentences)
                   if any(f.start < s.end_char and s.start_char < f.end
                          and ruleset.get(f.rule).extra.get("hostile", True) for f in manner)}
        first_end = sentences[0].end_char if sentences else 0
        phrases = _strategy_phrases()
        cold = bool(sentences) and _cold_greeting(_words(sentences[0]), phrases)
        strengths = [m for m in matches if m.rule.polarity == "strength"
                     and (m.rule.id != "tone.greeting" or (m.start < first_end and not cold))]
        closing = any(m.rule.id == "tone.closing" for m in strengths)
        greeted = cold or any(m.rule.id == "tone.greeting" for m in strengths)
        # a reply with a manner problem is not praised for its courtesies
        evidence = [] if manner else [to_evidence(m, text) for m in strengths]
        problems += self._absences(context, sentences, greeted, closing, ruleset, settings)
        problems.sort(key=lambda f: (f.start, f.end, f.rule))
        # asking for a detail is how help starts once the customer has asked for it: in a reply to
        # their message (in the editors' requests the model is fitted on, the same words challenge)
        answering = context.customer_doc is not None or any(turn.role == "customer" for turn in context.history)
        clarifying = frozenset(i for i, s in enumerate(sentences) if answering and i not in hostile
                               and _clarifying(s, settings.clarifying))
        features = politeness_features(doc, sentences, hostile, closing, settings.curt)
        neutral = (politeness_features(doc, sentences, hostile, closing, settings.curt, clarifying),
                   lexicon_grams(sentences, clarifying)) if clarifying else None
        if not any(features[name] for name in _COURTESIES):
            problems += self._curt(context, sentences, ruleset, settings)
        # "Investigating." is curt beside a "sorry" too
        problems += self._fragment(context, sentences, ruleset, settings.fragment)
        problems.sort(key=lambda f: (f.start, f.end, f.rule))
        return ToneReading(problems, evidence, features, lexicon_grams(sentences), hostile, neutral)

    @staticmethod
    def _parsed_problems(context: AnalysisContext, sentences: list[Span], doc_text: str, ruleset: RuleSet,
                         settings: ToneSettings) -> list[RuleMatch]:
        doc = context.doc
        found = []
        detectors = (("tone.blame", _blame_modal_perfect(doc)),
                     ("tone.blame", _own_doing(context, sentences, settings.own_doing)),
                     ("tone.condescension", _easy_claim(doc, settings.read_the_docs)),
                     ("tone.brush-off", _stock_step(context, sentences, settings.stock_step)),
                     ("tone.defensive", _defensive_emphatic(doc)),
                     ("tone.defensive", _defensive_as_clause(doc, settings.defensive)),
                     ("tone.condescension", _minimised_reading(doc, settings.read_the_docs)),
                     ("tone.put-down", _go_read_it(doc, doc_text, settings)),
                     ("tone.dismissal", _dismissal(doc, settings.dismissal)),
                     ("tone.put-down", _even_question(doc)),
                     ("tone.put-down", _not_hard(doc)),
                     ("tone.text-speak", _you_text_speak(doc, settings.text_speak)))
        for rule_id, spans in detectors:
            rule = ruleset.get(rule_id)
            unless = rule.extra.get("unless_after", [])
            found += [RuleMatch(rule, start, end) for start, end in spans if not _after(doc_text, start, unless)]
        return found

    @staticmethod
    def _shouting_findings(context: AnalysisContext, sentences: list[Span], ruleset: RuleSet,
                           settings: ToneSettings) -> list[Finding]:
        text = context.text
        findings = []
        shouting = ruleset.get("tone.shouting")
        for start, end in _shouting(context.doc, settings.shouting):
            findings.append(to_finding(RuleMatch(shouting, start, end), text))
        return findings

    @staticmethod
    def _curt(context: AnalysisContext, sentences: list[Span], ruleset: RuleSet,
              settings: ToneSettings) -> list[Finding]:
        text = context.text
        findings = []
        curt = ruleset.get("tone.curt-command")
        if len(sentences) > settings.curt.max_sentences:
            return []
        prose = [s for s in sentences if not _how_to_step(s, text)]
        commands = [s for s in prose if _bare_command(s, settings.curt)]
        if (len(commands) >= settings.curt.min_imperatives
                and len(commands) >= settings.curt.min_share * len(prose)):
            findings += [to_finding(RuleMatch(curt, s.start_char, s.end_char), text) for s in commands]
        return findings

    @staticmethod
    def _fragment(context: AnalysisContext, sentences: list[Span], ruleset: RuleSet,
                  settings: FragmentSettings) -> list[Finding]:
        """A whole reply that is one bare participle ("Investigating.", "Noted.", "Escalated."), or
        a bare status of work under way inside a longer reply ("... affecting the WAN link.
        Investigating."): the customer learns neither who is doing what nor when they'll hear
        back. Inside a reply, a done-word before the explanation ("Fixed! The cable was loose.") is
        fine, and so are headings and list lines, and a status next to a sentence saying what the
        agent will do ("I'll call you at 3pm with what I find"). A chat's quick "Checking now"
        beside or between fuller messages is left alone."""
        if not sentences or context.mid_chat:
            return []
        rule = ruleset.get("tone.curt-fragment")
        findings = []
        promised: bool | None = None  # read only when a fragment sits inside a longer e-mail
        for sentence in sentences:
            words = [t for t in sentence if not (t.is_punct or t.is_space)]
            if (not words or len(words) > settings.max_words or words[0].lower_ in settings.fine
                    or " ".join(t.lower_ for t in words) in settings.fine or sentence.root.tag_ not in settings.tags
                    or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in sentence.root.children)):
                continue
            if len(sentences) > 1:
                if context.channel != "email":
                    continue  # in a chat, a quick "checking" beside fuller sentences is how people type
                if promised is None:
                    promised = _promises_next_step(context.text, sentences)
                if promised:
                    continue
                line_start = context.text.rfind("\n", 0, sentence.start_char) + 1
                if (sentence.root.tag_ not in settings.in_reply_tags or sentence.text.rstrip().endswith((":", ","))
                        or _LIST_MARKER.match(context.text[line_start:])):
                    continue
            finding = to_finding(RuleMatch(rule, words[0].idx, words[-1].idx + len(words[-1])), context.text)
            under_way = rule.extra.get("under_way")
            if sentence.root.tag_ == "VBG" and isinstance(under_way, str):
                # "Investigating." -> "We're investigating.": the same news as a sentence, nothing added
                fragment = finding.text[:1].lower() + finding.text[1:]
                finding = replace(finding, suggestion=under_way.replace("{text}", fragment))
            findings.append(finding)
        return findings

    @staticmethod
    def _absences(context: AnalysisContext, sentences: list[Span], greeted: bool, closing: bool,
                  ruleset: RuleSet, settings: ToneSettings) -> list[Finding]:
        if len(sentences) <= settings.short_reply_sentences or _one_line_message(context, settings):
            return []
        findings = []
        # a greeting belongs to an e-mail or the known first turn of a chat (where a warm opener
        # such as "Thanks for the details" or "Sure, I can help" greets well enough); a sign-off
        # belongs to an e-mail only
        if not greeted and not _continues_thread(context, sentences[0], settings) and (
                context.channel == "email" or (_known_first_chat_turn(context)
                                               and not _warm_chat_opening(sentences[0], settings))):
            findings.append(ToneAnalyzer._absence(context, ruleset.get("tone.missing-greeting"), 0))
        if not closing and not _signed_off(context.text) and context.channel == "email":
            findings.append(ToneAnalyzer._absence(context, ruleset.get("tone.missing-closing"), len(context.text)))
        return findings

    @staticmethod
    def _absence(context: AnalysisContext, rule: Rule, at: int) -> Finding:
        return context.finding(NAME, rule.id, rule.severity, at, at, rule.message, rule.suggestion)


def _promises_next_step(text: str, sentences: list[Span]) -> bool:
    """Does a sentence say what the agent will do ("I'll call you at 3pm with what I find")? One
    with a placeholder the agent has still to fill ("Next, I'll [next step].") doesn't yet."""
    unfilled = [(p.start, p.end) for p in placeholders.find(text)]
    return any(t.tag_ == "MD" and t.lower_ in ("will", "'ll", "’ll", "shall")
               and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in t.head.children)
               and not any(a < s.end_char and s.start_char < b for a, b in unfilled)
               for s in sentences for t in s)


def _signed_off(text: str) -> bool:
    """A sign-off line of the agent's own ("Safe travels,\nBea", "See you Monday,\nLiam\nIT"): a
    short line ending in a comma, then only a name, and perhaps a team (one to three words each)."""
    lines = [line.strip() for line in text.strip().splitlines()]
    for names in (1, 2):
        if len(lines) > names and lines[-names - 1].endswith(",") and len(lines[-names - 1].split()) <= 4 \
                and all(1 <= len(line.split()) <= 3 and not line.endswith((".", "!", "?", ","))
                        for line in lines[-names:]):
            return True
    return False


def _one_line_message(context: AnalysisContext, settings: ToneSettings) -> bool:
    """A reply of one short line whose channel nobody gave, to a customer who didn't write an
    e-mail either: it reads as a chat or instant message, where nobody expects a greeting line or a
    sign-off ("Send me the tracking number and I'll chase the courier."). An e-mail, the
    customer's or the agent's, has at least a greeting or sign-off line of its own."""
    text = context.text.strip()
    customer = (context.customer_message or "").strip()
    return (context.channel_inferred and "\n" not in text and "\n" not in customer
            and not text.lower().startswith("dear ")  # a letter's salutation: an e-mail after all
            and len(text.split()) <= settings.one_line_message_words)


def _known_first_chat_turn(context: AnalysisContext) -> bool:
    """A chat turn known to be the agent's first: no agent turn before it, and a customer message
    or history to show where it stands (a lone chat reply may well be from the middle of a chat)."""
    return context.first_turn and bool(context.history or context.customer_message)


def _continues_thread(context: AnalysisContext, first: Span, settings: ToneSettings) -> bool:
    """A reply that shows it continues a conversation, history given or not: it opens as an update
    or a reaction ("Following up on...", "Update:", "As promised", "That's odd"), its first
    sentence says something is still going on ("I'm still waiting on the network team"), or the
    chat customer answers an earlier agent turn: asks after work under way ("What's the status?",
    "how long will this take") or thanks for what the agent sent. No lead asks for a greeting there."""
    tokenizer = load_nlp().tokenizer
    openers = [tuple(t.lower_ for t in tokenizer(o)) for o in settings.thread_openers]
    if _starts_with(_words(first), openers) and first[0].tag_ != "VB":  # "Update your app" is a command
        return True
    if any(c.lower_ == "still" and c.dep_ == "advmod" for c in first.root.children):
        return True
    customer = " ".join((context.customer_message or "").lower().split())
    return context.channel == "chat" and any(cue in customer for cue in settings.follow_ups)


def _warm_chat_opening(sentence: Span, settings: ToneSettings) -> bool:
    phrases = _strategy_phrases()
    words = _words(sentence)
    tokenizer = load_nlp().tokenizer
    openers = [tuple(t.lower_ for t in tokenizer(o)) for o in settings.chat_openers]
    return (_starts_with(words, openers) or sentence[0].pos_ == "INTJ"
            or sentiment.polarity_scores(sentence.text)["compound"] >= settings.chat_warm_compound
            or any(_has_phrase(words, phrases[name]) for name in ("gratitude", "apology", "greeting"))
            or "please" in words)


def _exuberant(finding: Finding, sentences: list[Span], settings: ShoutingSettings) -> bool:
    """'!!' after something glad ("Great!!", "Stay safe and healthy !!") is not shouting."""
    if finding.rule != "tone.shouting" or any(c.isalpha() for c in finding.text):
        return False
    # the "!!" ends the sentence before it, or sits at its end
    sentence = next((s for s in sentences if s.start_char <= finding.start <= s.end_char), None)
    if sentence is None:
        return False
    glad = sentiment.polarity_scores(sentence.text)["compound"]
    return glad > settings.glad_compound


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per passage: a span found both as data and in the parse, or inside a longer
    finding of the same rule, is reported once."""
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if any(k.rule == finding.rule and k.start <= finding.start and finding.end <= k.end for k in kept):
            continue
        kept.append(finding)
    return kept


analyzer = ToneAnalyzer()
