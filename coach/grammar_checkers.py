"""Back ends of the grammar analyser, behind one Protocol (`GrammarChecker`).

- `LanguageToolServer`: a LanguageTool HTTP server (COACH_LANGUAGETOOL_URL), through
  language_tool_python's `LanguageTool(remote_server=...)`, which never downloads anything.
- `LocalLanguageToolServer`: a LanguageTool installation on this machine (COACH_LANGUAGETOOL_DIR,
  the folder holding languagetool-server.jar): we start its HTTP server on 127.0.0.1 ourselves and
  then talk to it as to any server (see the class for why not through language_tool_python).
- `HarperChecker`: Harper (harper-py), in-process and offline, the default when no LanguageTool is
  configured; one Linter per dialect per process, loaded on first use.
- `SpellingChecker`: the last fallback, pyspellchecker's English dictionary (shipped inside the
  package) plus wordfreq, tuned to stay quiet on names, product names and tech words.
- `CommonSlipsChecker`: our own checks of text-speak ("u", "shud") and word confusions ("its not",
  "should of", "you're tickets"), run with every back end.

Settings and wording live in coach/data/grammar.yaml.
"""
from __future__ import annotations

import atexit
import bisect
import functools
import logging
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import language_tool_python
from language_tool_python.exceptions import LanguageToolError
from pydantic import Field
from spacy.tokens import Doc, Token
from spellchecker import SpellChecker
from wordfreq import zipf_frequency

from coach.config import english_dialect, languagetool_dir, languagetool_url
from coach.datafiles import StrictSettings, validate
from coach.errors import DataFileError
from coach.rules import load_ruleset

logger = logging.getLogger(__name__)

Severity = Literal["suggestion", "warning", "error"]


# ---------------------------------------------------------------- settings (coach/data/grammar.yaml)

class LanguageToolSettings(StrictSettings):

    language: str = Field(description="language code sent with every check, e.g. en-US")
    timeout_seconds: float = Field(gt=0, le=30, description="per request; a check must never hang")
    retry_after_seconds: float = Field(ge=0, description="after a failure, spelling only for this long")
    startup_timeout_seconds: float = Field(gt=0, description="how long a local server may take to start")
    java_options: tuple[str, ...] = Field(default=(), description="extra java options for a local server")
    disabled_rules: tuple[str, ...] = Field(default=(), description="LanguageTool rule ids never reported")
    categories: dict[str, Severity] = Field(description="LanguageTool category id -> severity; "
                                            "these become findings grammar.<category>")
    other_severity: Severity = Field(description="severity of grammar.languagetool (other categories)")


Dialect = Literal["auto", "us", "uk", "ca", "au"]


class HarperSettings(StrictSettings):

    dialect: Dialect = Field(description="English dialect; auto: British when the reply uses British spellings")
    kinds: dict[str, str] = Field(description="Harper lint kind -> our category (grammar.<category>)")
    disabled_rules: tuple[str, ...] = Field(default=(), description="Harper rule names switched off")
    exceptions: dict[str, str] = Field(default_factory=dict, description="Harper rule name -> regex on the "
                                       "text right after a lint that makes it a false alarm")
    unsure_rules: frozenset[str] = Field(default=frozenset(), description="Harper rules whose corrections "
                                         "are never offered as one-click rewrites")
    skip_problem_text: dict[str, str] = Field(default_factory=dict, description="Harper rule name -> regex "
                                              "on the flagged text that makes it a false alarm")
    british_endings: dict[str, str] = Field(description="British ending -> American ending, to spot "
                                            "British spellings from Harper's American suggestions")


class SpellingSettings(StrictSettings):

    min_gain: float = Field(gt=0, description="a correction must be this much more frequent (zipf)")
    min_suggestion_zipf: float = Field(ge=0, description="a correction must be at least this frequent")
    max_zipf: float = Field(gt=0, description="words at least this frequent on the web are never flagged")
    min_lead: float = Field(ge=0, description="a correction is sure when the runner-up is this much rarer")
    name_entities: frozenset[str] = Field(description="entity labels whose capitalised words are names")
    name_openers: frozenset[str] = Field(description="words a name follows: hi, dear, mr ...")
    allow_words: frozenset[str] = Field(description="tech and support words never flagged (lowercase)")
    corrections: dict[str, str] = Field(description="common misspellings whose fix the dictionary gets wrong")


class GrammarSettings(StrictSettings):

    penalties: dict[Severity, float] = Field(description="score points per issue per 100 words")
    min_words: int = Field(gt=0, description="shorter replies count as this long when scoring")
    languagetool: LanguageToolSettings
    harper: HarperSettings
    spelling: SpellingSettings


@functools.cache
def grammar_settings() -> GrammarSettings:
    ruleset = load_ruleset("grammar")
    return validate(GrammarSettings, ruleset.settings, ruleset.path, "settings")


# ---------------------------------------------------------------- the Protocol

@dataclass(frozen=True)
class GrammarIssue:
    """One problem a back end found: Python offsets into doc.text, a category (LanguageTool's in
    lowercase: `typos`, `grammar`, ...; Harper's mapped through settings.harper.kinds; `spelling`
    for the fallback), the back end's rule id, its message and its corrections, best first.
    `sure` is False when the back end's first correction is a guess (never offered as a rewrite)."""

    start: int
    end: int
    category: str
    rule_id: str
    message: str
    replacements: tuple[str, ...] = ()
    sure: bool = True


class CheckerUnavailable(Exception):
    """A back end cannot check text right now; the message says why (it ends up in the status)."""


class GrammarChecker(Protocol):
    """Checks a reply. Takes the Doc (not just its text) because the spelling fallback reads its
    tokens, tags and entities; LanguageTool back ends check `doc.text`, which has the same
    offsets as the reply (HTML markup blanked out)."""

    def check(self, doc: Doc) -> list[GrammarIssue]: ...


# ---------------------------------------------------------------- LanguageTool

def _utf16_offset(text: str, index: int) -> int:
    """LanguageTool (Java) counts a character outside the BMP, such as an emoji, as 2 units."""
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)


def _python_index(text: str, utf16_offset: int) -> int:
    units = 0
    for index, char in enumerate(text):
        if units >= utf16_offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


class _ShortTimeoutLanguageTool(language_tool_python.LanguageTool):
    """language_tool_python waits up to 300 s per request (`_TIMEOUT`); a reply check must not hang."""

    def __init__(self, url: str, settings: LanguageToolSettings) -> None:
        self._TIMEOUT = settings.timeout_seconds  # read by _query_server, also during __init__
        super().__init__(language=settings.language, remote_server=url)
        self.disabled_rules = set(settings.disabled_rules)


# What a failed request, an unknown language or a malformed answer raises inside language_tool_python.
# (requests' errors are OSErrors)
_LANGUAGETOOL_FAILURES = (LanguageToolError, OSError, ValueError, KeyError, TypeError)


def _base_url(url: str) -> str:
    """language_tool_python appends `v2/` itself; accept the URL with or without it."""
    url = url.strip().rstrip("/")
    return url[: -len("/v2")] if url.endswith("/v2") else url


class LanguageToolServer:
    """A LanguageTool HTTP server. After a failure it reports itself unavailable for
    `retry_after_seconds` rather than making every check wait for the timeout again."""

    def __init__(self, url: str, settings: LanguageToolSettings) -> None:
        self.url = _base_url(url)
        self._settings = settings
        self._tool: _ShortTimeoutLanguageTool | None = None
        # one request at a time: language_tool_python's Match keeps per-text state on the class
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._problem = ""

    def check(self, doc: Doc) -> list[GrammarIssue]:
        text = doc.text
        with self._lock:
            if time.monotonic() < self._down_until:
                raise CheckerUnavailable(self._problem)
            try:
                if self._tool is None:
                    self._tool = _ShortTimeoutLanguageTool(self.url, self._settings)
                matches = self._tool.check(text)
                issues = [self._issue(match, text) for match in matches]
            except _LANGUAGETOOL_FAILURES as exc:
                self._tool = None
                self._down_until = time.monotonic() + self._settings.retry_after_seconds
                self._problem = f"LanguageTool server at {self.url} unreachable"
                logger.warning("%s: %s", self._problem, exc)
                raise CheckerUnavailable(self._problem) from exc
        return [issue for issue in issues if issue.end > issue.start]

    @staticmethod
    def _issue(match: language_tool_python.Match, text: str) -> GrammarIssue:
        # language_tool_python has already moved `offset` to a Python index; the end is worked out
        # here the same way, in case the flagged passage itself holds an emoji.
        start = min(match.offset, len(text))
        end = _python_index(text, _utf16_offset(text, start) + match.error_length)
        return GrammarIssue(start, end, match.category.lower(), match.rule_id, match.message,
                            tuple(match.replacements))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalLanguageToolServer:
    """A LanguageTool installation in `directory` (languagetool-server.jar), run with `java`.

    We start `java -cp languagetool-server.jar org.languagetool.server.HTTPServer --port P` on
    127.0.0.1 ourselves instead of going through language_tool_python: that library only finds
    installations in its own download folder (LTP_PATH/LanguageTool-<version>), falls back to
    downloading one, and when a server is slow to start it retries port after port, 15 s each,
    which no caller can bound. Here the start is bounded by `startup_timeout_seconds`.
    """

    def __init__(self, directory: Path, java: str, settings: LanguageToolSettings) -> None:
        self.jar = directory / "languagetool-server.jar"
        self._java = java
        self._settings = settings
        self._process: subprocess.Popen[bytes] | None = None
        self._server: LanguageToolServer | None = None
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._problem = ""
        atexit.register(self.close)

    def check(self, doc: Doc) -> list[GrammarIssue]:
        return self._running_server().check(doc)

    def close(self) -> None:
        """Stop the server process this object started, if it is running."""
        if self._process is not None:
            if self._process.poll() is None:
                self._process.terminate()
                try:
                    self._process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            self._process = None
            self._server = None

    def _running_server(self) -> LanguageToolServer:
        with self._lock:
            if self._process is not None and self._process.poll() is None and self._server is not None:
                return self._server
            self.close()
            if time.monotonic() < self._down_until:
                raise CheckerUnavailable(self._problem)
            try:
                self._server = self._start()
            except CheckerUnavailable as exc:
                self.close()
                self._down_until = time.monotonic() + self._settings.retry_after_seconds
                self._problem = str(exc)
                logger.warning("%s", exc)
                raise
            return self._server

    def _start(self) -> LanguageToolServer:
        port = _free_port()
        command = [self._java, *self._settings.java_options, "-cp", str(self.jar),
                   "org.languagetool.server.HTTPServer", "--port", str(port)]
        try:
            self._process = subprocess.Popen(command, cwd=self.jar.parent, stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise CheckerUnavailable(f"local LanguageTool could not start ({exc.strerror})") from exc
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + self._settings.startup_timeout_seconds
        while time.monotonic() < deadline:
            code = self._process.poll()
            if code is not None:
                raise CheckerUnavailable(f"local LanguageTool exited at start (code {code})")
            try:
                with urllib.request.urlopen(f"{url}/v2/languages", timeout=1):
                    return LanguageToolServer(url, self._settings)
            except (urllib.error.URLError, OSError):
                time.sleep(0.25)
        raise CheckerUnavailable(
            f"local LanguageTool did not start within {self._settings.startup_timeout_seconds:g} s")


@functools.cache
def _languagetool_for(url: str | None, directory: Path | None) -> tuple[GrammarChecker | None, str]:
    settings = grammar_settings().languagetool
    if url:
        return LanguageToolServer(url, settings), ""
    if directory is None:
        return None, "no LanguageTool"
    if not (directory / "languagetool-server.jar").is_file():
        return None, f"no LanguageTool (no languagetool-server.jar in {directory})"
    java = shutil.which("java")
    if java is None:
        return None, "no LanguageTool (java is not on PATH)"
    return LocalLanguageToolServer(directory, java, settings), ""


def languagetool_checker() -> tuple[GrammarChecker | None, str]:
    """The configured LanguageTool back end (one per configuration per process), or None and why not.

    COACH_LANGUAGETOOL_URL wins over COACH_LANGUAGETOOL_DIR.
    """
    return _languagetool_for(languagetool_url(), languagetool_dir())


# ---------------------------------------------------------------- Harper

_HARPER_DIALECTS = {"us": "AMERICAN", "uk": "BRITISH", "ca": "CANADIAN", "au": "AUSTRALIAN"}
# Harper slows down badly on runs of one symbol ('?' * 20000: seconds) and on very long "words"
# (its spelling suggestions for a 20,000-letter word take seconds): neither is prose, so both are
# blanked out (same length, so offsets stay) before Harper sees the text
_NOT_PROSE = re.compile(r"([^\w\s])\1{3,}|\S{60,}")


def _blank_non_prose(text: str) -> str:
    return _NOT_PROSE.sub(lambda m: " " * len(m.group(0)), text)


class HarperChecker:
    """Harper's linter, one per dialect, built on first use (about a second each) and kept for the
    life of the process. In `auto` mode a reply is checked as American English first; when Harper's
    American corrections show British spellings (colour -> color), it is checked again as British.

    A Linter is not thread-safe (it raises RuntimeError when called from two threads at once), so
    calls are serialised; a check takes milliseconds."""

    def __init__(self, settings: HarperSettings, words: frozenset[str]) -> None:
        import harper  # imported here so a missing harper-py only disables this back end

        self._harper = harper
        self._settings = settings
        self._words = sorted(words)
        self._linters: dict[str, object] = {}
        self._exceptions = {rule: re.compile(regex) for rule, regex in settings.exceptions.items()}
        self._skip_text = {rule: re.compile(regex) for rule, regex in settings.skip_problem_text.items()}
        self._lock = threading.Lock()
        self._linter("us")  # load now: a broken installation should fail here, not mid-check

    def _linter(self, dialect: str):
        linter = self._linters.get(dialect)
        if linter is None:
            linter = self._harper.Linter(getattr(self._harper.Dialect, _HARPER_DIALECTS[dialect]))
            config = linter.get_lint_config()
            config.update({rule: False for rule in self._settings.disabled_rules if rule in config})
            linter.set_lint_config(config)
            linter.import_words(self._words)
            self._linters[dialect] = linter
        return linter

    def dialect_setting(self) -> str:
        return english_dialect() or self._settings.dialect

    def check(self, doc: Doc) -> list[GrammarIssue]:
        return self.check_in_dialect(doc)[0]

    def check_in_dialect(self, doc: Doc) -> tuple[list[GrammarIssue], str]:
        """The issues in `doc` and the dialect (us, uk, ca, au) they were checked in."""
        text = doc.text
        dialect = self.dialect_setting()
        if dialect not in ("auto", *_HARPER_DIALECTS):
            raise CheckerUnavailable(f"unknown English dialect {dialect!r} (COACH_ENGLISH_DIALECT: "
                                     f"{', '.join(_HARPER_DIALECTS)} or auto)")
        with self._lock:
            try:
                lints = self._lints(text, "us" if dialect == "auto" else dialect)
                if dialect == "auto":
                    dialect = "uk" if self._british(lints) else "us"
                    if dialect == "uk":
                        lints = self._lints(text, "uk")
            except (RuntimeError, ValueError) as exc:
                raise CheckerUnavailable(f"Harper failed ({exc})") from exc
        issues = []
        for rule_name, lint in lints:
            category = self._settings.kinds.get(lint.lint_kind)
            if category is None or lint.span.end <= lint.span.start:
                continue
            exception = self._exceptions.get(rule_name)
            if exception is not None and exception.match(text, lint.span.end):
                continue
            skip = self._skip_text.get(rule_name)
            if skip is not None and skip.search(text[lint.span.start:lint.span.end]):
                continue
            if lint.lint_kind == "Repetition" and _across_clauses(doc, lint.span.start, lint.span.end):
                continue
            replacements = tuple(dict.fromkeys(
                s.replacement_text for s in lint.suggestions
                if s.kind == self._harper.SuggestionKind.REPLACE and s.replacement_text.strip()))
            issues.append(GrammarIssue(lint.span.start, lint.span.end, category, rule_name, lint.message,
                                       replacements,
                                       sure=category != "spelling" and rule_name not in self._settings.unsure_rules))
        return sorted(issues, key=lambda issue: issue.start), dialect

    def _lints(self, text: str, dialect: str) -> list[tuple[str, object]]:
        # Markdown mode: Harper skips code spans, code blocks and link targets itself
        organized = self._linter(dialect).organized_lints(_blank_non_prose(text))
        return [(rule, lint) for rule, lints in organized.items() for lint in lints]

    def _british(self, lints: list[tuple[str, object]]) -> bool:
        """Do Harper's American corrections show that the reply spells the British way?"""
        endings = self._settings.british_endings
        for _, lint in lints:
            if lint.lint_kind != "Spelling":
                continue
            word = lint.problem_text.lower()
            suggestions = {s.replacement_text.lower() for s in lint.suggestions}
            if any(word.endswith(uk) and word[: len(word) - len(uk)] + us in suggestions
                   for uk, us in endings.items()):
                return True
        return False


@functools.cache
def _harper_checker() -> HarperChecker:
    settings = grammar_settings()
    words = settings.spelling.allow_words
    return HarperChecker(settings.harper, frozenset(words))


def harper_checker() -> HarperChecker:
    """Harper, loaded once per process (and so once per batch worker); CheckerUnavailable if it can't."""
    try:
        return _harper_checker()
    except ImportError as exc:
        raise CheckerUnavailable("no Harper (harper-py is not installed)") from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise CheckerUnavailable(f"no Harper ({exc})") from exc


# ---------------------------------------------------------------- the spelling fallback

# A whitespace-delimited chunk holding one of these is a path, address, identifier or file name.
_TECH_CHUNK = re.compile(r"[/\\_@=#~<>{}\[\]|0-9]|\.\w|\w:\w")
_CHUNK_EDGES = "\"'`()[]{}<>.,;:!?*«»“”‘’"
_CODE = re.compile(r"```.*?```|`[^`\n]+`", re.S)
_VOWELS = "aeiouy"
_INFLECTIONS = ("s", "es", "d", "ed", "ing", "r", "er", "rs", "ers")


class SpellingChecker:
    """Flags a word only when the dictionary doesn't know it and a one-edit correction is much more
    frequent English (wordfreq), so product names and tech words stay quiet: false alarms are what
    lose an agent's trust."""

    def __init__(self, settings: SpellingSettings) -> None:
        self._settings = settings
        self._spell = SpellChecker(language="en", case_sensitive=False)

    def check(self, doc: Doc, names: frozenset[str] = frozenset()) -> list[GrammarIssue]:
        issues = []
        for token, exempt in zip(doc, self.exempt_tokens(doc, names)):
            if exempt or not token.is_alpha:
                continue
            correction, sure = self.suggest(token.lower_)
            if correction is not None:
                replacements = (_match_case(correction, token.text),) if sure else ()
                issues.append(GrammarIssue(token.idx, token.idx + len(token.text), "spelling", "SPELLING",
                                           "", replacements, sure))
        return issues

    def exempt_tokens(self, doc: Doc, names: frozenset[str] = frozenset()) -> list[bool]:
        """For each token: is it a word a spelling check should leave alone (a name, acronym,
        tech word, part of a path/address/file name or of a code span)? `names`: lowercase words
        known to be names (the customer's, the agent's)."""
        text = doc.text
        chunks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        chunk_starts = [start for start, _ in chunks]
        code = [(m.start(), m.end()) for m in _CODE.finditer(text)]
        result = []
        for token in doc:
            start, end = chunks[bisect.bisect_right(chunk_starts, token.idx) - 1] if chunks else (0, 0)
            result.append(token.lower_ in names or self._exempt(token)
                          or bool(_TECH_CHUNK.search(text[start:end].strip(_CHUNK_EDGES)))
                          or any(s <= token.idx < e for s, e in code))
        return result

    def _exempt(self, token: Token) -> bool:
        word = token.text
        if len(word) < 3 or token.lower_ in self._settings.allow_words:
            return True
        if word.isupper() or any(char.isupper() for char in word[1:]):
            return True  # acronyms, ALL CAPS, camelCase and iPhone-style names
        if word[0].isupper():
            if token.ent_type_ in self._settings.name_entities:
                return True
            # a capitalised word inside a sentence is a name, unless it is a sure misspelling of a
            # common word ("open Setings") that spaCy doesn't take for a name either; short words
            # and words after a greeting ("Hi Olu") are names whatever they look like
            after_greeting = token.i > 0 and token.doc[token.i - 1].lower_ in self._settings.name_openers
            return (not token.is_sent_start and (len(word) < 5 or after_greeting
                                                 or not self.suggest(token.lower_)[1]))
        return False

    def likely_typo(self, word: str, candidates: tuple[str, ...]) -> bool:
        """Is `word` (as written) a likely misspelling: we have a correction for it, or one of another
        checker's first `candidates` is a plausible typo of it? Harper flags every word its dictionary
        lacks (dmesg, nginx, Tariq); those have no close, common correction."""
        lower = word.lower()
        if self.suggest(lower)[0] is not None:
            return True
        return any(_plausible_typo(lower, c.lower()) for c in candidates[:3] if " " not in c and c.lower() != lower)

    def correction(self, word: str) -> str | None:
        """The likely intended word when `word` (lowercase) is a misspelling, else None."""
        return self.suggest(word)[0]

    @functools.lru_cache(maxsize=4096)
    def suggest(self, word: str) -> tuple[str | None, bool]:
        """(the likely intended word, or None when `word` is not a misspelling; whether that
        correction is sure: no other candidate comes within `min_lead` of its frequency)."""
        settings = self._settings
        if word in settings.corrections:
            return settings.corrections[word], True
        if word in settings.allow_words or self._spell.known([word]):
            return None, False
        frequency = zipf_frequency(word, "en")
        if frequency >= settings.max_zipf:
            return None, False
        # three-letter words only by swapping two letters ("teh"): other edits of short words hit
        # abbreviations such as npm, ssd or hdd
        edits = _transpositions(word) if len(word) == 3 else self._spell.edit_distance_1(word)
        candidates = sorted(candidate for candidate in self._spell.known(edits)
                            if candidate != word and _plausible_typo(word, candidate))
        if not candidates:
            return None, False
        ranked = sorted(((zipf_frequency(c, "en"), c) for c in candidates), key=lambda fc: (-fc[0], fc[1]))
        best_frequency, best = ranked[0]
        if best_frequency >= settings.min_suggestion_zipf and best_frequency - frequency >= settings.min_gain:
            sure = len(ranked) == 1 or best_frequency - ranked[1][0] >= settings.min_lead
            return best, sure
        return None, False


def _transpositions(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}


def _plausible_typo(word: str, candidate: str) -> bool:
    """Could `word` be a misspelling of `candidate` (one edit away)?

    Tech words sit one edit away from unrelated words (json/jason, dict/dick, grep/grew), while
    real misspellings are mostly swapped letters (recieve), a wrong vowel (seperate), a doubled or
    dropped letter (untill, occured) or a stray vowel (truely). So: no edit on the first letter
    (except swapping the first two), letter-for-letter changes only between vowels, and an extra
    letter only when it is a vowel or doubles its neighbour.
    """
    if any(word == candidate + suffix for suffix in _INFLECTIONS):
        return False  # 'googled' is 'google' + 'd' and 'logins' is 'login' + 's': a form, not a typo
    if len(word) == len(candidate):
        diff = [i for i, (a, b) in enumerate(zip(word, candidate)) if a != b]
        if len(diff) == 2:
            return diff[1] == diff[0] + 1  # swapped neighbours, the first two included
        if len(diff) != 1:
            return False
        return diff[0] > 0 and word[diff[0]] in _VOWELS and candidate[diff[0]] in _VOWELS
    if len(word) == len(candidate) + 1:
        return any(word[:i] + word[i + 1:] == candidate
                   and (word[i] in _VOWELS or word[i] in (word[i - 1], word[i + 1:i + 2]))
                   for i in range(1, len(word)))
    return word[0] == candidate[0]


def _match_case(correction: str, original: str) -> str:
    if original[:1].isupper():
        return correction[:1].upper() + correction[1:]
    return correction


@functools.cache
def _spelling_checker() -> SpellingChecker:
    return SpellingChecker(grammar_settings().spelling)


def spelling_checker() -> SpellingChecker:
    """The spelling fallback, loaded once per process; CheckerUnavailable if its dictionary can't load."""
    try:
        return _spelling_checker()
    except (OSError, ValueError) as exc:
        raise CheckerUnavailable(f"no spelling dictionary ({exc})") from exc


# ---------------------------------------------------------------- common slips (every back end)

TEXT_SPEAK_RULE = "grammar.text-speak"
CONFUSION_RULE = "grammar.word-confusion"


class Confusion(StrictSettings):

    id: str
    regex: str = Field(description="Python regex on the reply with a group `flag` (and optionally `flag2`)")
    replace: str = Field(description="the correction; {name} fills in the regex's named group")
    replace_flag2: str | None = Field(default=None, description="the correction when `flag2` matched")
    why: str = Field(description="the rule of thumb shown to the agent")
    next_tag: frozenset[str] = Field(default=frozenset(), description="tag the next token must have")
    then_not_tag: frozenset[str] = Field(default=frozenset(),
                                         description="tags the token after the next one must not have")
    flag_tag: frozenset[str] = Field(default=frozenset(), description="tag the flag's first token must have")


class TextSpeak(StrictSettings):

    words: dict[str, str] = Field(description="text-speak word (lowercase) -> the word meant")
    ambiguous: dict[str, frozenset[str]] = Field(default_factory=dict,
                                                 description="word -> the POS it must have to be flagged")


class CommonSlipsChecker:
    """Text-speak and word confusions that Harper and the spelling check miss or get wrong
    ("u shud of done", "its not hard", "you're tickets", "keep's"), from grammar.yaml.
    Categories: `text-speak` and `word-confusion`; the correction is always sure."""

    def __init__(self, text_speak: TextSpeak, confusions: list[Confusion], path: Path) -> None:
        self._text_speak = text_speak
        words = "|".join(sorted(map(re.escape, text_speak.words), key=len, reverse=True))
        # whole words, not inside file names, versions or contractions ("u.txt", "ill-fitting")
        self._words = re.compile(r"(?<![\w.'’/@-])(%s)(?![\w'’@/-]|\.\w)" % words, re.I)
        self._confusions = []
        for index, confusion in enumerate(confusions):
            try:
                compiled = re.compile(confusion.regex)
            except re.error as exc:
                raise DataFileError(path, f"{CONFUSION_RULE}.confusions[{index}].regex",
                                    f"invalid regex ({exc})") from None
            if "flag" not in compiled.groupindex:
                raise DataFileError(path, f"{CONFUSION_RULE}.confusions[{index}].regex", "needs a group 'flag'")
            self._confusions.append((confusion, compiled))

    def check(self, doc: Doc) -> list[GrammarIssue]:
        return self._text_speak_issues(doc) + self._confusion_issues(doc)

    def _text_speak_issues(self, doc: Doc) -> list[GrammarIssue]:
        issues = []
        for match in self._words.finditer(doc.text):
            word = match.group(1)
            if word.isupper():
                continue  # "UR", "IM", "the U drive": acronyms and letters more likely than text-speak
            allowed = self._text_speak.ambiguous.get(word.lower())
            if allowed is not None:
                span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
                if span is None or span[0].pos_ not in allowed:
                    continue
            meant = _match_case(self._text_speak.words[word.lower()], word)
            issues.append(GrammarIssue(match.start(1), match.end(1), "text-speak", word.lower(), "", (meant,)))
        return issues

    def _confusion_issues(self, doc: Doc) -> list[GrammarIssue]:
        text, issues = doc.text, []
        for confusion, regex in self._confusions:
            for match in regex.finditer(text):
                group = "flag2" if "flag2" in regex.groupindex and match.group("flag2") else "flag"
                start, end = match.span(group)
                if start < 0 or not self._tags_fit(doc, confusion, start, end):
                    continue
                template = confusion.replace_flag2 if group == "flag2" and confusion.replace_flag2 else confusion.replace
                groups = {k: v or "" for k, v in match.groupdict().items()}
                meant = _match_case(template.format(**groups), match.group(group))
                issues.append(GrammarIssue(start, end, "word-confusion", confusion.id, confusion.why, (meant,)))
        return issues

    @staticmethod
    def _tags_fit(doc: Doc, confusion: Confusion, start: int, end: int) -> bool:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        if confusion.flag_tag and span[0].tag_ not in confusion.flag_tag:
            return False
        if confusion.next_tag:
            following = doc[span.end] if span.end < len(doc) else None
            if following is None or following.tag_ not in confusion.next_tag:
                return False
        if confusion.then_not_tag and span.end + 1 < len(doc) and doc[span.end + 1].tag_ in confusion.then_not_tag:
            return False
        return True


@functools.cache
def common_slips_checker() -> CommonSlipsChecker:
    """The text-speak and word-confusion checks of grammar.yaml, built once per process."""
    ruleset = load_ruleset("grammar")
    speak = ruleset.get(TEXT_SPEAK_RULE).extra
    text_speak = validate(TextSpeak, {"words": speak.get("words"), "ambiguous": speak.get("ambiguous", {})},
                          ruleset.path, TEXT_SPEAK_RULE)
    raw = ruleset.get(CONFUSION_RULE).extra.get("confusions")
    if not isinstance(raw, list) or not raw:
        raise DataFileError(ruleset.path, f"{CONFUSION_RULE}.confusions", "must be a non-empty list")
    confusions = [validate(Confusion, item, ruleset.path, f"{CONFUSION_RULE}.confusions[{index}]")
                  for index, item in enumerate(raw)]
    return CommonSlipsChecker(text_speak, confusions, ruleset.path)


def _across_clauses(doc: Doc, start: int, end: int) -> bool:
    """A repeated word whose second copy starts the next clause ("the options I gave you you choose",
    "if I send it to you you can sign"): a missing comma, not a stutter, and deleting one copy
    would change the meaning."""
    words = [t for t in doc.char_span(start, end, alignment_mode="expand") or () if not t.is_space]
    return (len(words) == 2 and words[1].dep_ in ("nsubj", "nsubjpass")
            and words[0].dep_ not in ("nsubj", "nsubjpass") and words[0].head != words[1].head)

