"""Back ends of the grammar analyser, behind one Protocol (`GrammarChecker`).

- `LanguageToolServer`: a LanguageTool HTTP server (COACH_LANGUAGETOOL_URL), through
  language_tool_python's `LanguageTool(remote_server=...)`, which never downloads anything.
- `LocalLanguageToolServer`: a LanguageTool installation on this machine (COACH_LANGUAGETOOL_DIR,
  the folder holding languagetool-server.jar): we start its HTTP server on 127.0.0.1 ourselves and
  then talk to it as to any server (see the class for why not through language_tool_python).
- `SpellingChecker`: the offline fallback, pyspellchecker's English dictionary (shipped inside the
  package) plus wordfreq, tuned to stay quiet on names, product names and tech words.

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

from coach.config import languagetool_dir, languagetool_url
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


class SpellingSettings(StrictSettings):

    min_gain: float = Field(gt=0, description="a correction must be this much more frequent (zipf)")
    min_suggestion_zipf: float = Field(ge=0, description="a correction must be at least this frequent")
    max_zipf: float = Field(gt=0, description="words at least this frequent on the web are never flagged")
    name_entities: frozenset[str] = Field(description="entity labels whose capitalised words are names")
    allow_words: frozenset[str] = Field(description="tech and support words never flagged (lowercase)")
    corrections: dict[str, str] = Field(description="common misspellings whose fix the dictionary gets wrong")


class GrammarSettings(StrictSettings):

    penalties: dict[Severity, float] = Field(description="score points per issue per 100 words")
    min_words: int = Field(gt=0, description="shorter replies count as this long when scoring")
    languagetool: LanguageToolSettings
    spelling: SpellingSettings


@functools.cache
def grammar_settings() -> GrammarSettings:
    ruleset = load_ruleset("grammar")
    return validate(GrammarSettings, ruleset.settings, ruleset.path, "settings")


# ---------------------------------------------------------------- the Protocol

@dataclass(frozen=True)
class GrammarIssue:
    """One problem a back end found: Python offsets into doc.text, LanguageTool's category in
    lowercase (`typos`, `grammar`, ... or `spelling` for the fallback) and its rule id."""

    start: int
    end: int
    category: str
    rule_id: str
    message: str
    replacements: tuple[str, ...] = ()


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

    def check(self, doc: Doc) -> list[GrammarIssue]:
        issues = []
        for token, exempt in zip(doc, self.exempt_tokens(doc)):
            if exempt or not token.is_alpha:
                continue
            correction = self.correction(token.lower_)
            if correction is not None:
                issues.append(GrammarIssue(token.idx, token.idx + len(token.text), "spelling", "SPELLING",
                                           "", (_match_case(correction, token.text),)))
        return issues

    def exempt_tokens(self, doc: Doc) -> list[bool]:
        """For each token: is it a word a spelling check should leave alone (a name, acronym,
        tech word, part of a path/address/file name or of a code span)?"""
        text = doc.text
        chunks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        chunk_starts = [start for start, _ in chunks]
        code = [(m.start(), m.end()) for m in _CODE.finditer(text)]
        result = []
        for token in doc:
            start, end = chunks[bisect.bisect_right(chunk_starts, token.idx) - 1] if chunks else (0, 0)
            result.append(self._exempt(token) or bool(_TECH_CHUNK.search(text[start:end].strip(_CHUNK_EDGES)))
                          or any(s <= token.idx < e for s, e in code))
        return result

    def _exempt(self, token: Token) -> bool:
        word = token.text
        if len(word) < 3 or token.lower_ in self._settings.allow_words:
            return True
        if word.isupper() or any(char.isupper() for char in word[1:]):
            return True  # acronyms, ALL CAPS, camelCase and iPhone-style names
        if word[0].isupper():
            # a capitalised word inside a sentence is a name; at its start only when it is an entity
            return not token.is_sent_start or token.ent_type_ in self._settings.name_entities
        return False

    def correction(self, word: str) -> str | None:
        """The likely intended word when `word` (lowercase) is a misspelling, else None."""
        settings = self._settings
        if word in settings.corrections:
            return settings.corrections[word]
        if word in settings.allow_words or self._spell.known([word]):
            return None
        frequency = zipf_frequency(word, "en")
        if frequency >= settings.max_zipf:
            return None
        # three-letter words only by swapping two letters ("teh"): other edits of short words hit
        # abbreviations such as npm, ssd or hdd
        edits = _transpositions(word) if len(word) == 3 else self._spell.edit_distance_1(word)
        candidates = sorted(candidate for candidate in self._spell.known(edits)
                            if candidate != word and _plausible_typo(word, candidate))
        if not candidates:
            return None
        best = max(candidates, key=lambda candidate: zipf_frequency(candidate, "en"))
        best_frequency = zipf_frequency(best, "en")
        if best_frequency >= settings.min_suggestion_zipf and best_frequency - frequency >= settings.min_gain:
            return best
        return None


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
