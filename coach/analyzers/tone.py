"""Tone: does the reply sound polite and respectful, or blaming, condescending, curt or shouty?

Politeness strategies (thanking, "please", hedged requests, apologies, greeting and closing) are
evidence that raises the score; blame, condescension, shouting, bare commands, negative framing and
a missing greeting or closing lower it. A sentiment signal (VADER) nudges the score.

Sources: Brown & Levinson's politeness strategies as used in computational politeness work
(Danescu-Niculescu-Mizil et al., "A computational approach to politeness", 2013); customer-service
writing guides on positive phrasing ("say what you can do"). Phrases, messages, thresholds and
examples: coach/data/tone.yaml.
"""
from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator

from pydantic import Field
from spacy.tokens import Doc, Span, Token
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
from wordfreq import zipf_frequency

from coach.context import AnalysisContext
from coach.datafiles import StrictSettings, validate
from coach.errors import DataFileError
from coach.findings import AnalyzerResult, Evidence, Finding
from coach.nlp import load_nlp
from coach.rules import Rule, RuleMatch, RuleSet, compiled_rules, load_ruleset, to_evidence, to_finding

NAME = "tone"


class ShoutingSettings(StrictSettings):

    min_letters: int = Field(ge=2, description="shorter words in capitals are ignored")
    common_zipf: float = Field(ge=0, description="a capitalised word this frequent is shouting")
    run_words: int = Field(ge=2, description="this many capitalised words in a row are shouting")
    acronyms: frozenset[str] = Field(description="capitalised everyday-looking words that are acronyms")


class CurtSettings(StrictSettings):

    min_imperatives: int = Field(ge=1, description="fewest bare commands that make a reply curt")
    min_share: float = Field(gt=0, le=1, description="share of sentences that are bare commands")
    softeners: tuple[str, ...] = Field(description="words or phrases that soften a command (lowercase)")
    courtesy_verbs: frozenset[str] = Field(description="imperative lemmas that are courtesies")


class ToneSettings(StrictSettings):
    """`settings:` of coach/data/tone.yaml."""


    base: float = Field(ge=0, le=100, description="score before strengths, problems and sentiment")
    max_bonus: float = Field(ge=0, description="most points strengths can add")
    sentiment_points: float = Field(ge=0, description="VADER compound (-1..1) times this")
    rule_penalty_cap: float = Field(gt=0, description="most points one problem rule can take off")
    short_reply_sentences: int = Field(ge=0, description="replies this short need no greeting or closing")
    shouting: ShoutingSettings
    curt: CurtSettings


@functools.cache
def _ruleset() -> RuleSet:
    ruleset = load_ruleset(NAME)
    for index, rule in enumerate(ruleset.rules):
        where = f"rules[{index}]"
        if rule.polarity == "strength" and not isinstance(rule.extra.get("bonus"), (int, float)):
            raise DataFileError(ruleset.path, f"{where}.bonus", "missing (a strength needs a number of points)")
        if rule.polarity == "problem" and rule.penalty is None:
            raise DataFileError(ruleset.path, f"{where}.penalty", "missing (a problem needs a number of points)")
        unless = rule.extra.get("unless_after", [])
        if not isinstance(unless, list) or not all(isinstance(w, str) and w for w in unless):
            raise DataFileError(ruleset.path, f"{where}.unless_after", "must be a list of words or phrases")
    return ruleset


@functools.cache
def tone_settings() -> ToneSettings:
    ruleset = _ruleset()
    return validate(ToneSettings, ruleset.settings, ruleset.path, "settings")


@functools.cache
def _sentiment() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


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


def _after(text: str, start: int, words: list[str]) -> bool:
    """Does the text right before `start` end with one of `words` (as whole words)?"""
    before = text[:start].rstrip().lower()
    return any(before == w or before.endswith((" " + w, "\n" + w, "," + w, "(" + w)) for w in words)


# ---------------------------------------------------------------- custom problems

def _caps_word(token: Token, settings: ShoutingSettings) -> bool:
    letters = [c for c in token.text if c.isalpha()]
    return len(letters) >= settings.min_letters and token.text.isupper()


def _everyday(token: Token, settings: ShoutingSettings) -> bool:
    return (token.text not in settings.acronyms
            and zipf_frequency(token.lower_, "en") >= settings.common_zipf)


def _shouting(doc: Doc, settings: ShoutingSettings) -> Iterator[tuple[int, int]]:
    """Runs of capitalised words that are shouting: spans from the first to the last word."""
    run: list[Token] = []

    def flush() -> Iterator[tuple[int, int]]:
        caps = [t for t in run if _caps_word(t, settings)]
        if caps and (len(caps) >= settings.run_words or any(_everyday(t, settings) for t in caps)):
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
    root = sentence.root
    if root.tag_ != "VB" or root.lemma_.lower() in settings.courtesy_verbs:
        return False
    if any(child.dep_ in ("nsubj", "nsubjpass", "expl") for child in root.children):
        return False
    # the verb comes first, after at most an adverb or "do not": "Then restart it", "Don't touch it"
    leading = [t for t in sentence if t.i < root.i and not (t.is_punct or t.is_space)]
    if any(t.dep_ not in ("advmod", "aux", "neg") for t in leading):
        return False
    lower = " " + " ".join(t.lower_ for t in sentence) + " "
    return not any(f" {softener} " in lower for softener in settings.softeners)


class ToneAnalyzer:
    name = NAME
    version = 1

    def analyze(self, context: AnalysisContext) -> AnalyzerResult:
        settings = tone_settings()
        ruleset = _ruleset()
        doc, text = context.doc, context.text
        doc_text = doc.text  # Doc.text joins every token anew on each access: read it once
        sentences = _sentences(doc)
        matches = [m for m in compiled_rules(NAME, load_nlp()).match(doc)
                   if not _after(doc_text, m.start, m.rule.extra.get("unless_after", []))]
        # a greeting counts only in the first sentence (or line): "say hello to the team" greets no one
        first_end = sentences[0].end_char if sentences else 0
        matches = [m for m in matches if m.rule.id != "tone.greeting" or m.start < first_end]

        evidence = [to_evidence(m, text) for m in matches if m.rule.polarity == "strength"]
        findings = [to_finding(m, text) for m in matches if m.rule.polarity == "problem"]
        findings += self._custom_findings(context, sentences, evidence, ruleset, settings)
        findings.sort(key=lambda f: (f.start, f.end, f.rule))

        compound = _sentiment().polarity_scores(doc_text)["compound"]
        score = self._score(evidence, findings, compound, ruleset, settings)
        metrics = {"politeness_strategies": len({e.rule for e in evidence}), "sentiment": round(compound, 2)}
        return AnalyzerResult(score, tuple(findings), tuple(evidence), metrics)

    @staticmethod
    def _custom_findings(context: AnalysisContext, sentences: list[Span], evidence: list[Evidence],
                         ruleset: RuleSet, settings: ToneSettings) -> list[Finding]:
        doc, text = context.doc, context.text
        findings = []
        shouting = ruleset.get("tone.shouting")
        for start, end in _shouting(doc, settings.shouting):
            findings.append(to_finding(RuleMatch(shouting, start, end), text))

        curt = ruleset.get("tone.curt-command")
        commands = [s for s in sentences if _bare_command(s, settings.curt)]
        if (len(commands) >= settings.curt.min_imperatives
                and len(commands) >= settings.curt.min_share * len(sentences)):
            findings += [to_finding(RuleMatch(curt, s.start_char, s.end_char), text) for s in commands]

        if len(sentences) > settings.short_reply_sentences:
            present = {e.rule for e in evidence}
            if "tone.greeting" not in present:
                findings.append(ToneAnalyzer._absence(context, ruleset.get("tone.missing-greeting"), 0))
            if "tone.closing" not in present:
                findings.append(ToneAnalyzer._absence(context, ruleset.get("tone.missing-closing"), len(text)))
        return findings

    @staticmethod
    def _absence(context: AnalysisContext, rule: Rule, at: int) -> Finding:
        return context.finding(NAME, rule.id, rule.severity, at, at, rule.message, rule.suggestion)

    @staticmethod
    def _score(evidence: list[Evidence], findings: list[Finding], compound: float, ruleset: RuleSet,
               settings: ToneSettings) -> float:
        bonus = sum(ruleset.get(rule_id).extra["bonus"] for rule_id in {e.rule for e in evidence})
        score = settings.base + min(bonus, settings.max_bonus)
        for rule_id, count in Counter(f.rule for f in findings).items():
            score -= min((ruleset.get(rule_id).penalty or 0.0) * count, settings.rule_penalty_cap)
        score += settings.sentiment_points * compound
        return round(min(100.0, max(0.0, score)), 1)


analyzer = ToneAnalyzer()
