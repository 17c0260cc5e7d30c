"""LanguageTool's HTTP protocol (v2): reading a /v2/check request and answering a Report as matches.

What LanguageTool's clients (its browser add-on, editor plug-ins, language-tool-python) send and
expect, as LanguageTool's own server does it:

- The text comes as `text`, or as `data`: JSON `{"annotation": [{"text": ...}, {"markup": ...,
  "interpretAs": ...}]}` for text with markup (an editor's HTML). Only the plain text is analysed;
  offsets in the answer point into the whole document, markup included.
- Offsets and lengths count UTF-16 code units, as Java (LanguageTool) and JavaScript (the browser
  add-on) count string length: a character outside the Basic Multilingual Plane (most emoji)
  counts 2. language-tool-python converts them back (its match.py, four_byte_char_positions).
- Parameters that mean nothing here (motherTongue, preferredVariants, mode, username, ...) are
  accepted and ignored, as LanguageTool ignores unknown ones.

This module only maps: the analysis is coach.engine's, the rewrites are coach.feedback's.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from itertools import accumulate
from pathlib import Path
from typing import Any

from pydantic import Field

from coach.config import DATA_DIR
from coach.datafiles import StrictSettings, load_yaml, validate
from coach.errors import DataFileError
from coach.feedback import ranking
from coach.feedback.rewrites import self_contained
from coach.feedback.suggestions import Writer
from coach.feedback.templates import load_templates
from coach.findings import Finding
from coach.report import Report

PROTOCOL_FILE = DATA_DIR / "languagetool_protocol.yaml"
PICKY = "picky"
# LanguageTool's check modes: a client may check the text in two requests, one for the rules that
# read the whole text and one for the rest. Here the whole-text findings are the absences (no
# apology, no next step: empty spans); every other finding marks a passage.
MODES = ("all", "textLevelOnly", "allButTextLevelOnly")
_WORD = re.compile(r"\w[\w'’-]*")
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*\s+|\n\s*\n")


class ProtocolError(Exception):
    """A request LanguageTool would refuse; `status` is the HTTP status LanguageTool gives."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class Category(StrictSettings):
    category: str = Field(pattern=r"^[A-Z_]+$")
    name: str = Field(min_length=1)
    short: str = Field(min_length=1)
    issue_type: str = Field(min_length=1)
    # LanguageTool's own rule id for these matches, {variant} being e.g. EN_US (clients treat some
    # ids specially: MORFOLOGIK_RULE_* is a spelling mistake); else the finding's rule id
    rule_id: str | None = Field(None, pattern=r"^[A-Z_]+(\{variant\})?$")
    # LanguageTool's match type: UnknownWord for a word its dictionary lacks, else Other
    type_name: str = "Other"


class LanguageEntry(StrictSettings):
    name: str = Field(min_length=1)
    code: str = Field(min_length=2)
    long_code: str = Field(min_length=2)


class Software(StrictSettings):
    name: str = Field(min_length=1)
    api_version: int = Field(ge=1)


class ProtocolSettings(StrictSettings):
    software: Software
    languages: tuple[LanguageEntry, ...] = Field(min_length=1)
    auto_language: str
    dimensions: dict[str, Category]
    grammar_categories: dict[str, Category]
    context_characters: int = Field(ge=0)


def load_protocol(path: Path = PROTOCOL_FILE) -> ProtocolSettings:
    """The protocol data file, validated; DataFileError names the file and the field."""
    settings = validate(ProtocolSettings, load_yaml(path), path, "")
    if settings.auto_language not in {entry.long_code for entry in settings.languages}:
        raise DataFileError(path, "auto_language", "must be one of the listed languages' long_code")
    return settings


@functools.cache
def protocol_settings() -> ProtocolSettings:
    return load_protocol()


@functools.cache
def software_version() -> str:
    try:
        return version("support-coach")
    except PackageNotFoundError:
        return "dev"


def languages() -> list[dict[str, str]]:
    """The /v2/languages answer."""
    return [{"name": e.name, "code": e.code, "longCode": e.long_code} for e in protocol_settings().languages]


# --- the request ----------------------------------------------------------------------------------

def is_unicode(text: str) -> bool:
    """False for a string with a lone surrogate, which JSON's \\ud83d escapes can make: such text
    cannot be encoded, so it cannot be analysed or answered."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class Segment:
    """One run of an annotated document: text (analysed as it is) or markup (analysed as `plain`)."""

    original: str
    plain: str
    is_text: bool


class Document:
    """The text a client sent: the plain text to analyse and the original it maps back to."""

    def __init__(self, segments: list[Segment]) -> None:
        if any(not is_unicode(s.original + s.plain) for s in segments):
            raise ProtocolError("The text has a lone UTF-16 surrogate (half an emoji?): it is not valid Unicode")
        self.segments = segments
        self.plain = "".join(s.plain for s in segments)
        self.original = "".join(s.original for s in segments)
        self._plain_starts = [0, *accumulate(len(s.plain) for s in segments)]
        self._original_starts = [0, *accumulate(len(s.original) for s in segments)]
        # UTF-16 position of every Python position of the original (only when they differ)
        wide = [ord(c) > 0xFFFF for c in self.original]
        self._utf16 = [0, *accumulate(2 if w else 1 for w in wide)] if any(wide) else None

    @classmethod
    def from_text(cls, text: str) -> Document:
        return cls([Segment(text, text, True)])

    @classmethod
    def from_data(cls, data: str) -> Document:
        """`data` as LanguageTool reads it; ProtocolError when it is not what it should be."""
        try:
            parsed = json.loads(data)
        except ValueError:
            raise ProtocolError("'data' is not valid JSON") from None
        annotation = parsed.get("annotation") if isinstance(parsed, dict) else None
        if not isinstance(annotation, list):
            raise ProtocolError("'data' needs an 'annotation' list, e.g. {\"annotation\": [{\"text\": \"Hi\"}]}")
        segments = []
        for index, item in enumerate(annotation):
            if not isinstance(item, dict):
                raise ProtocolError(f"'data' annotation[{index}] must be an object")
            text, markup = item.get("text"), item.get("markup")
            if isinstance(text, str) and markup is None:
                segments.append(Segment(text, text, True))
            elif isinstance(markup, str) and text is None:
                interpret = item.get("interpretAs", "")
                if not isinstance(interpret, str):
                    raise ProtocolError(f"'data' annotation[{index}].interpretAs must be a string")
                segments.append(Segment(markup, interpret, False))
            else:
                raise ProtocolError(f"'data' annotation[{index}] needs either 'text' or 'markup' (a string)")
        return cls(segments)

    def to_original(self, position: int, is_end: bool) -> int:
        """A plain-text position as a position in the original: inside a text run it moves with
        the run; inside a markup's stand-in text it goes to the markup's start (or end, for `is_end`)."""
        for index, segment in enumerate(self.segments):
            start, end = self._plain_starts[index], self._plain_starts[index + 1]
            inside = start < position <= end if is_end else start <= position < end
            if not inside:
                continue
            if segment.is_text:
                return self._original_starts[index] + position - start
            return self._original_starts[index + 1] if is_end else self._original_starts[index]
        return len(self.original) if position >= len(self.plain) else 0

    def utf16(self, position: int) -> int:
        """A Python position in the original as LanguageTool counts it (UTF-16 code units)."""
        return position if self._utf16 is None else self._utf16[position]


@dataclass(frozen=True)
class CheckRequest:
    """A /v2/check request, read as LanguageTool reads it."""

    document: Document
    language: str
    picky: bool
    enabled_rules: frozenset[str]
    disabled_rules: frozenset[str]
    enabled_categories: frozenset[str]
    disabled_categories: frozenset[str]
    enabled_only: bool
    mode: str
    api_key: str | None


def _id_list(fields: Mapping[str, str], key: str) -> frozenset[str]:
    return frozenset(part.strip() for part in fields.get(key, "").split(",") if part.strip())


def _language(code: str) -> str:
    """The long code of a language LanguageTool would accept here, or ProtocolError."""
    settings = protocol_settings()
    if code.lower() == "auto":
        return settings.auto_language
    for entry in settings.languages:
        if code.lower() == entry.long_code.lower():
            return entry.long_code
    raise ProtocolError(f"'{code}' is not a language Support Coach checks: it coaches English replies "
                        f"(use one of {', '.join(e.long_code for e in settings.languages)} or 'auto')")


def parse_check_request(fields: Mapping[str, str]) -> CheckRequest:
    """The form fields (or query parameters) of a /v2/check request."""
    if "data" in fields:
        document = Document.from_data(fields["data"])
    elif "text" in fields:
        document = Document.from_text(fields["text"])
    else:
        raise ProtocolError("Missing 'text' or 'data' parameter")
    if not fields.get("language"):
        raise ProtocolError("Missing 'language' parameter, e.g. language=en-US or language=auto")
    mode = fields.get("mode", MODES[0])
    if mode not in MODES:
        raise ProtocolError(f"'mode' must be one of {', '.join(MODES)}")
    enabled_only = fields.get("enabledOnly", "false").lower() == "true"
    enabled_rules = _id_list(fields, "enabledRules")
    enabled_categories = _id_list(fields, "enabledCategories")
    if enabled_only and not (enabled_rules or enabled_categories):
        raise ProtocolError("enabledOnly=true needs enabledRules or enabledCategories")
    return CheckRequest(
        document=document, language=_language(fields["language"]), picky=fields.get("level") == PICKY,
        enabled_rules=enabled_rules, disabled_rules=_id_list(fields, "disabledRules"),
        enabled_categories=enabled_categories, disabled_categories=_id_list(fields, "disabledCategories"),
        enabled_only=enabled_only, mode=mode, api_key=fields.get("apiKey") or None)


# --- the answer -------------------------------------------------------------------------------------

def category_of(finding: Finding) -> Category:
    settings = protocol_settings()
    return settings.grammar_categories.get(finding.rule) or settings.dimensions[finding.analyzer]


def rule_id(finding: Finding, category: Category, language: str) -> str:
    """The rule id a client sees (and sends back in enabledRules/disabledRules)."""
    if category.rule_id is None:
        return finding.rule
    long_code = language if "-" in language else protocol_settings().auto_language
    return category.rule_id.format(variant=long_code.upper().replace("-", "_"))


def _anchored(text: str, position: int) -> tuple[int, int]:
    """The word a missing-sentence finding is shown on (clients cannot underline nothing): the word
    at or after `position`, else the last word before it."""
    after = _WORD.search(text, position)
    if after:
        return after.start(), after.end()
    before = list(_WORD.finditer(text, 0, position))
    return (before[-1].start(), before[-1].end()) if before else (0, len(text))


def _rewrites(report: Report) -> dict[int, tuple[int, int, str]]:
    """Each finding's rewrite from the mentor feedback, as (start, end, replacement) in the reply,
    keyed by the finding's id(); a finding with no concrete rewrite is absent."""
    writer = Writer(report, load_templates())
    rewrites = {}
    for group in ranking.group_findings(report.findings):
        for index, finding in enumerate(group.findings):
            edit = writer.edit(group, index)
            if edit is not None:
                whole = self_contained(edit, report.text)
                rewrites[id(finding)] = (whole.start, whole.end, whole.text)
    return rewrites


def _span_and_replacement(finding: Finding, text: str,
                          rewrite: tuple[int, int, str] | None) -> tuple[int, int, list[str]]:
    """The span to mark and its replacements: the finding's own span, widened to its rewrite's when
    the rewrite changes the words around it too ("Obviously, you" -> "You"); an absence is marked on
    the nearest word and its replacement is that word with the drafted sentence put in place."""
    if finding.start == finding.end:
        inserts = rewrite is not None and rewrite[0] == rewrite[1]
        point = rewrite[0] if inserts else finding.start
        word_start, word_end = _anchored(text, point)
        if not inserts:
            return word_start, word_end, []
        # the span reaches the insertion point, so what lies between (a full stop) is kept in place
        start, end = min(point, word_start), max(point, word_end)
        return start, end, [text[start:point] + rewrite[2] + text[point:end]]
    if rewrite is None or rewrite[0] == rewrite[1]:
        # a correction the coach won't apply in one click (the checker is unsure) is still offered,
        # as LanguageTool offers its spelling suggestions: the writer picks it or not
        offered = [finding.suggestion] if finding.analyzer == "grammar" and finding.suggestion else []
        return finding.start, finding.end, offered
    start, end, replacement = rewrite
    if start <= finding.start and finding.end <= end:
        return start, end, [replacement]
    return finding.start, finding.end, []


def _context(plain: str, start: int, end: int, size: int) -> tuple[str, int]:
    """LanguageTool's context: up to `size` characters either side, '...' where cut, line breaks as
    spaces; returns the context and where the match starts in it (Python positions)."""
    left, right = max(0, start - size), min(len(plain), end + size)
    prefix = "..." if left > 0 else ""
    suffix = "..." if right < len(plain) else ""
    context = (prefix + plain[left:right] + suffix).replace("\r", " ").replace("\n", " ")
    return context, len(prefix) + start - left


def _sentence(plain: str, start: int, end: int) -> str:
    opening = 0
    for boundary in _SENTENCE_END.finditer(plain, 0, start):
        opening = boundary.end()
    closing = _SENTENCE_END.search(plain, max(end, opening))
    return plain[opening:closing.end() if closing else len(plain)].strip()


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _wanted(request: CheckRequest, finding: Finding, category: Category) -> bool:
    """LanguageTool's rule selection: disabled rules and categories go, and so do the findings the
    request's mode leaves to another request; with enabledOnly only the enabled ones stay; hints
    (Support Coach's least sure findings) show in picky mode, as LanguageTool's picky rules do, or
    when their rule is enabled by name."""
    ids = {finding.rule, rule_id(finding, category, request.language)}
    if ids & request.disabled_rules or category.category in request.disabled_categories:
        return False
    whole_text = finding.start == finding.end
    if (request.mode == "textLevelOnly" and not whole_text) or (request.mode == "allButTextLevelOnly" and whole_text):
        return False
    enabled = bool(ids & request.enabled_rules) or category.category in request.enabled_categories
    if request.enabled_only:
        return enabled
    return finding.severity != "hint" or request.picky or enabled


def matches(report: Report, request: CheckRequest) -> list[dict[str, Any]]:
    """The report's findings as LanguageTool matches, in text order."""
    document, plain = request.document, request.document.plain
    size = protocol_settings().context_characters
    titles = {s.rule: s.title for s in report.suggestions}
    rewrites = _rewrites(report)
    out = []
    for finding in report.findings:
        category = category_of(finding)
        if not _wanted(request, finding, category):
            continue
        start, end, replacements = _span_and_replacement(finding, plain, rewrites.get(id(finding)))
        original_start = document.to_original(start, is_end=False)
        original_end = max(original_start, document.to_original(end, is_end=True))
        offset = document.utf16(original_start)
        context, context_start = _context(plain, start, end, size)
        out.append({
            "message": finding.message,
            "shortMessage": category.short,
            "replacements": [{"value": value} for value in replacements],
            "offset": offset,
            "length": document.utf16(original_end) - offset,
            "context": {"text": context, "offset": _utf16_length(context[:context_start]),
                        "length": _utf16_length(plain[start:end])},
            "sentence": _sentence(plain, start, end),
            "type": {"typeName": category.type_name},
            "rule": {"id": rule_id(finding, category, request.language),
                     "description": titles.get(finding.rule, category.name),
                     "issueType": "style" if finding.severity == "hint" else category.issue_type,
                     "category": {"id": category.category, "name": category.name}},
            "ignoreForIncompleteSentence": False,
            "contextForSureMatch": 0,
        })
    out.sort(key=lambda match: (match["offset"], match["length"]))
    return out


def check_response(request: CheckRequest, report: Report | None,
                   not_checked: str | None = None) -> dict[str, Any]:
    """The /v2/check answer; `report` None (with the reason in `not_checked`) when nothing could be
    checked, e.g. an empty field or a reply not in English: no matches, as LanguageTool answers."""
    settings = protocol_settings()
    names = {entry.long_code: entry.name for entry in settings.languages}
    language = {"name": names[request.language], "code": request.language,
                "detectedLanguage": {"name": names[request.language], "code": request.language,
                                     "confidence": 1.0 if report is not None else 0.0, "source": "coach"}}
    warnings: dict[str, Any] = {"incompleteResults": False}
    if not_checked:
        warnings["notChecked"] = not_checked
    return {
        "software": {"name": settings.software.name, "version": software_version(), "buildDate": None,
                     "apiVersion": settings.software.api_version, "premium": False, "status": ""},
        "warnings": warnings,
        "language": language,
        "matches": matches(report, request) if report is not None else [],
    }

