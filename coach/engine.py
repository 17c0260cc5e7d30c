"""analyze(): one text -> one spaCy Doc -> every registered analyser -> Report -> mentor feedback."""
from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc
from wordfreq import zipf_frequency

from coach import feedback, placeholders
from coach.analyzers import REGISTRY
from coach.context import AUDIENCES, CHANNELS, ROLES, AnalysisContext, Persona, TeamSettings, Turn
from coach.customer import infer_persona
from coach.glossary import load_glossary
from coach.config import DATA_DIR
from coach.datafiles import field, load_yaml
from coach.errors import DataFileError, InputError
from coach.findings import Finding
from coach.nlp import load_nlp
from coach.report import Report
from coach.scoring import overall_score, scoring_settings
from coach.textprep import Budget, parse, prepare


def _check_audience(audience: str | None) -> None:
    if audience is not None and (not isinstance(audience, str) or audience not in AUDIENCES):
        raise InputError(f"Unknown audience {audience!r}: use one of {', '.join(AUDIENCES)}.")


def _check_channel(channel: str | None) -> None:
    if channel is not None and (not isinstance(channel, str) or channel not in CHANNELS):
        raise InputError(f"Unknown channel {channel!r}: use one of {', '.join(CHANNELS)}.")


def read_history(history: Iterable[object] | None) -> tuple[Turn, ...]:
    """Earlier turns as given by a caller ([{"role": "customer"|"agent", "text": ...}] or Turns)."""
    if history is None:
        return ()
    if isinstance(history, (str, bytes)) or not isinstance(history, Iterable):
        raise InputError("History must be a list of turns like {\"role\": \"customer\", \"text\": \"...\"}.")
    turns = []
    for number, item in enumerate(history, start=1):
        if isinstance(item, Turn):
            turns.append(item)
            continue
        role = item.get("role") if isinstance(item, dict) else None
        text = item.get("text") if isinstance(item, dict) else None
        if role not in ROLES or not isinstance(text, str):
            raise InputError(f"History turn {number} needs a role ({' or '.join(ROLES)}) and a text.")
        turns.append(Turn(role, text))
    return tuple(turns)


def infer_channel(text: str, history: tuple[Turn, ...]) -> str:
    """A chat turn when the conversation has earlier turns and the reply reads like one (short, one
    paragraph); otherwise an e-mail, the channel where a lead expects the most of a reply."""
    settings = scoring_settings()["channel"]
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    if history and len(paragraphs) == 1 and len(text.split()) <= settings["chat_max_words"]:
        return "chat"
    return "email"


def _check_arguments(customer_message: object, persona: object, dimensions: object, team: object) -> None:
    """InputError for arguments of the wrong kind (a caller's mistake, said plainly, not a traceback)."""
    if customer_message is not None and not isinstance(customer_message, str):
        raise InputError(f"The customer's message must be text, not {type(customer_message).__name__}.")
    if persona is not None and not isinstance(persona, Persona):
        raise InputError(f"persona must be a coach.context.Persona, not {type(persona).__name__}.")
    if team is not None and not isinstance(team, TeamSettings):
        raise InputError(f"team must be a coach.context.TeamSettings, not {type(team).__name__}.")
    if dimensions is not None and (isinstance(dimensions, (str, bytes)) or not isinstance(dimensions, Iterable)):
        raise InputError(f"dimensions must be a list of names such as [\"tone\"], not {dimensions!r}.")


def _prepare_customer(customer_message: str | None) -> str | None:
    if customer_message is not None and not isinstance(customer_message, str):
        raise InputError(f"The customer's message must be text, not {type(customer_message).__name__}.")
    if customer_message is None or not customer_message.strip():
        return None
    try:
        return prepare(customer_message)
    except InputError as exc:
        raise InputError(f"Customer message: {exc}") from None


def _customer_disable(nlp: Language) -> list[str]:
    """Components not run on the customer's message: it is read for mood, name, terms, lemmas and
    sentences, never for entities, and the entity recogniser is about a third of the parse."""
    return [name for name in ("ner",) if name in nlp.pipe_names]


@functools.cache
def _stop_words() -> frozenset[str]:
    return frozenset(load_nlp().Defaults.stop_words)


@functools.cache
def _technical_words() -> frozenset[str]:
    return frozenset(form.lower() for term in load_glossary().terms for form in term.forms if form.isalpha())


def check_english(doc: Doc) -> None:
    """Raise InputError when the reply is clearly not English (the analysers only know English)."""
    settings = scoring_settings()["language"]
    # Acronyms (NTLM, SPN) and glossary terms (kerberos) are technical, not foreign: they count neither way.
    technical = _technical_words()
    words = [t.lower_ for t in doc if t.is_alpha and not (t.is_upper and len(t) > 1) and t.lower_ not in technical]
    if len(words) < settings["min_words"]:
        return
    english = sum(zipf_frequency(w, "en") >= settings["english_zipf"] for w in words) / len(words)
    stop = sum(w in _stop_words() for w in words) / len(words)
    if english < settings["min_english_share"] and stop < settings["min_stopword_share"]:
        raise InputError(
            "This reply doesn't look like English; Support Coach can only coach English replies for now."
        )


def report_for_doc(text: str, doc: Doc, customer_message: str | None = None,
                   customer_doc: Doc | None = None, audience: str | None = None,
                   persona: Persona | None = None, dimensions: Iterable[str] | None = None,
                   channel: str | None = None, history: Iterable[object] | None = None,
                   team: TeamSettings | None = None, budget: Budget | None = None) -> Report:
    """Run the analysers on an already-parsed reply and build the Report with its feedback.

    `dimensions` limits which analysers run (default: all); the others get score None, status "skipped".
    `channel` ("email" or "chat") is inferred from the reply when not given; `history` is the
    conversation's earlier turns; `team` applies a team's own terms and rule settings.
    `budget` (default: a fresh one) ends the request with an InputError when it runs too long.
    """
    if budget is None:
        warm_up()
        budget = Budget()
    budget.check_tokens(doc)
    _check_arguments(customer_message, persona, dimensions, team)
    check_english(doc)
    _check_channel(channel)
    turns = read_history(history)
    if persona is None:
        persona = infer_persona(customer_doc, load_nlp(), audience)
    context = AnalysisContext(text, doc, persona, customer_message, customer_doc,
                              channel=channel or infer_channel(text, turns), history=turns,
                              team=team or TeamSettings(), channel_inferred=channel is None)
    scores, status, findings, evidence = {}, {}, [], []
    metrics = {"words": sum(1 for t in doc if t.is_alpha or t.like_num),
               "sentences": sum(1 for s in doc.sents if s.text.strip())}
    selected = set(REGISTRY) if dimensions is None else {str(name) for name in dimensions}
    unknown = selected - set(REGISTRY)
    if unknown:
        raise InputError(f"Unknown dimension(s): {', '.join(sorted(unknown))}; use {', '.join(REGISTRY)}.")
    for name, analyzer in REGISTRY.items():
        if name not in selected:
            scores[name], status[name] = None, "skipped"
            continue
        budget.check()
        result = analyzer.analyze(context)
        scores[name] = result.score
        status[name] = result.status
        # the analyser scored without hints; this also applies the team's settings to what is shown
        scored, hints = context.split_hints(result.findings)
        findings.extend(scored + hints)
        evidence.extend(result.evidence)
        metrics.update(result.metrics)
    metrics.setdefault("grade", None)  # the contract's key, even when readability did not run
    # not a seventh dimension: unfilled placeholders only stop the reply being ready to send
    findings.extend(placeholders.check(context))
    findings = said_once(findings)
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    evidence.sort(key=lambda e: (e.start, e.end, e.rule))
    report = Report(text=text, scores=scores, status=status, findings=findings, evidence=evidence,
                    metrics=metrics, overall=overall_score(scores, findings, persona, metrics), persona=persona,
                    customer_message=customer_message, channel=context.channel)
    feedback.attach(report)
    return report


FINDINGS_FILE = DATA_DIR / "findings.yaml"


@functools.cache
def shown_once_rules() -> dict[str, str]:
    raw = field(load_yaml(FINDINGS_FILE), "shown_once", dict, FINDINGS_FILE, "")
    for rule, better in raw.items():
        if not isinstance(better, str) or better == rule:
            raise DataFileError(FINDINGS_FILE, f"shown_once.{rule}", "must name another rule")
    return raw


def said_once(findings: list[Finding]) -> list[Finding]:
    """Leave out a finding when a better-worded one (coach/data/findings.yaml) flags the same passage."""
    shown_once = shown_once_rules()
    flagged = {(f.rule, f.start, f.end) for f in findings}
    return [f for f in findings
            if f.rule not in shown_once or (shown_once[f.rule], f.start, f.end) not in flagged]


def analyze(text: str, customer_message: str | None = None, audience: str | None = None,
            persona: Persona | None = None, dimensions: Iterable[str] | None = None,
            channel: str | None = None, history: Iterable[object] | None = None,
            team: TeamSettings | None = None) -> Report:
    """Analyse one reply. Raises InputError (with a message for the user) on unusable input.

    `channel` is "email" or "chat" (inferred when absent); `history` lists the conversation's
    earlier turns, oldest first, as {"role": "customer"|"agent", "text": ...}, not counting
    `customer_message`; `team` carries a team's own terms and rule settings.
    """
    _check_audience(audience)
    _check_channel(channel)
    _check_arguments(customer_message, persona, dimensions, team)
    cleaned = prepare(text)
    customer_clean = _prepare_customer(customer_message)
    nlp = load_nlp()
    warm_up()
    budget = Budget()
    customer_doc = parse(nlp, customer_clean, budget, _customer_disable(nlp)) if customer_clean else None
    return report_for_doc(text, parse(nlp, cleaned, budget), customer_message if customer_clean else None,
                          customer_doc, audience, persona, dimensions, channel, history, team, budget)


WARM_UP_REPLY = "Hi Sam, thanks for waiting. I have reset your router and it works now. Best regards, Alex"


@functools.cache
def warm_up() -> None:
    """Load the pipeline, Harper, word lists and data files, once per process: one analysis of a
    short reply with no time limit. The first analysis of a process loads all of them, which on a
    busy machine can take longer than a request's time budget; so it happens before the first
    budget starts (a server does it before its first request)."""
    nlp = load_nlp()
    budget = Budget(seconds=math.inf)
    report_for_doc(WARM_UP_REPLY, parse(nlp, prepare(WARM_UP_REPLY), budget), budget=budget)


def revise(text: str, customer_message: str | None = None, audience: str | None = None,
           persona: Persona | None = None, channel: str | None = None,
           history: Iterable[object] | None = None, team: TeamSettings | None = None) -> str:
    """The reply with the feedback's rewrites applied."""
    return feedback.apply_suggestions(analyze(text, customer_message, audience, persona,
                                              channel=channel, history=history, team=team))


@dataclass(frozen=True)
class BatchItem:
    """One input row's outcome: a Report, or the reason it could not be analysed."""

    index: int
    report: Report | None
    error: str | None


def analyze_stream(rows: Iterable[tuple[str | None, ...]], audience: str | None = None,
                   batch_size: int = 64) -> Iterator[BatchItem]:
    """Analyse (reply, customer message) pairs, or (reply, customer message, channel) triples, as a
    stream through `nlp.pipe`, in input order. A row's channel ("email" or "chat") is inferred when
    absent or None, as in analyze().

    Memory stays flat: only `batch_size` rows are held at a time. A row with empty or unusable
    text yields an error instead of stopping the stream.
    """
    _check_audience(audience)
    nlp = load_nlp()
    chunk: list[tuple[int, str | None, str | None, str | None]] = []

    def flush() -> Iterator[BatchItem]:
        prepared: list[tuple[int, str, str, str | None, str | None, str | None]] = []
        errors: dict[int, str] = {}
        for index, text, customer, channel in chunk:
            try:
                _check_channel(channel)
                prepared.append((index, text, prepare(text if text is not None else ""),
                                 _prepare_customer(customer), customer, channel))
            except InputError as exc:
                errors[index] = str(exc)
        docs = nlp.pipe([p[2] for p in prepared], batch_size=batch_size)
        customer_texts = [p[3] for p in prepared if p[3]]
        customer_docs = iter(nlp.pipe(customer_texts, batch_size=batch_size, disable=_customer_disable(nlp)))
        results: dict[int, BatchItem] = {}
        for (index, text, _, customer_clean, customer, channel), doc in zip(prepared, docs):
            customer_doc = next(customer_docs) if customer_clean else None
            try:
                report = report_for_doc(text, doc, customer if customer_clean else None, customer_doc, audience,
                                        channel=channel)
                results[index] = BatchItem(index, report, None)
            except InputError as exc:
                results[index] = BatchItem(index, None, str(exc))
        for index, message in errors.items():
            results[index] = BatchItem(index, None, message)
        for index, _, _, _ in chunk:
            yield results[index]

    for index, row in enumerate(rows):
        if isinstance(row, (tuple, list)) and len(row) in (2, 3):
            text, customer, channel = (*row, None)[:3]
        else:
            text, customer, channel = row, None, None
        chunk.append((index, text, customer, channel))
        if len(chunk) >= batch_size:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()
