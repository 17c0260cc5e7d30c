"""The grammar back ends: the LanguageTool adapter against a fake LanguageTool server on 127.0.0.1
(the real language_tool_python path, end to end), a local installation started through a fake
`java`, and the offline spelling check."""
from __future__ import annotations

import dataclasses
import json
import os
import socket
import stat
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from coach import analyze, grammar_checkers
from coach.errors import DataFileError
from coach.grammar_checkers import (
    CheckerUnavailable,
    LanguageToolServer,
    LocalLanguageToolServer,
    grammar_settings,
    languagetool_checker,
    spelling_checker,
)
from coach.rules import load_ruleset

LANGUAGES = [{"name": "English (US)", "code": "en", "longCode": "en-US"},
             {"name": "English", "code": "en", "longCode": "en"}]


def lt_match(text: str, word: str, category: str, rule_id: str, message: str,
             replacements: tuple[str, ...] = ()) -> dict:
    """A /v2/check match for the first `word` in `text`, with offsets in UTF-16 units like the
    real server's (an emoji counts as 2)."""
    index = text.index(word)
    offset = len(text[:index].encode("utf-16-le")) // 2
    length = len(word.encode("utf-16-le")) // 2
    return {
        "message": message, "shortMessage": "", "offset": offset, "length": length,
        "replacements": [{"value": value} for value in replacements],
        "context": {"text": text, "offset": offset, "length": length}, "sentence": text,
        "type": {"typeName": "Other"},
        "rule": {"id": rule_id, "description": message, "issueType": "misspelling",
                 "category": {"id": category, "name": category.title()}},
    }


class FakeLanguageTool:
    """Answers /v2/languages and /v2/check like a LanguageTool server; `respond(text)` gives the
    matches. Records each check's form fields in `checks`."""

    def __init__(self, respond=lambda text: [], delay: float = 0.0, broken: bool = False) -> None:
        self.respond, self.delay, self.broken = respond, delay, broken
        self.checks: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._answer(LANGUAGES if self.path.startswith("/v2/languages") else None)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8")))
                fake.checks.append(form)
                time.sleep(fake.delay)
                self._answer({"matches": fake.respond(form.get("text", ""))})

            def _answer(self, payload):
                if payload is None or (fake.broken and self.command == "POST"):
                    body, status = b"Internal error", 500
                else:
                    body, status = json.dumps(payload).encode("utf-8"), 200
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up waiting (timeout tests)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def typos_and_grammar(text: str) -> list[dict]:
    matches = []
    if "recieve" in text:
        matches.append(lt_match(text, "recieve", "TYPOS", "MORFOLOGIK_RULE_EN_US",
                                "Possible spelling mistake found.", ("receive", "relieve")))
    if "Kubernetes" in text:
        matches.append(lt_match(text, "Kubernetes", "TYPOS", "MORFOLOGIK_RULE_EN_US",
                                "Possible spelling mistake found.", ("Governess",)))
    if "He go" in text:
        matches.append(lt_match(text, "He go", "GRAMMAR", "HE_VERB_AGR",
                                "The pronoun 'He' must be used with a third-person verb.", ("He goes",)))
    if "its" in text:
        matches.append(lt_match(text, "its", "WEIRD_CATEGORY", "ITS_IT_IS", "Did you mean 'it's'?", ("it's",)))
    return matches


@pytest.fixture
def fast_settings():
    return grammar_settings().languagetool.model_copy(
        update={"timeout_seconds": 0.5, "retry_after_seconds": 60, "startup_timeout_seconds": 20})


# ---------------------------------------------------------------- LanguageTool server

@pytest.mark.parametrize(("text", "word"), [
    ("Thanks 😊 for you patience.", "you"),
    ("👋🏽 Hi! 🎉🎉 I will recieve 🚀 it soon.", "recieve"),
    ("No emoji here, you recieve it.", "recieve"),
])
def test_grammar_checkers_languagetool_offsets_are_python_indices(nlp, fast_settings, text, word):
    canned = lt_match(text, word, "GRAMMAR", "SOME_RULE", "Check this.")
    with FakeLanguageTool(lambda posted: [canned]) as fake:
        issues = LanguageToolServer(fake.url, fast_settings).check(nlp(text))
    assert [(text[i.start:i.end], i.start) for i in issues] == [(word, text.index(word))]


@pytest.mark.parametrize("text", ["I'll fix it 🙂, see 🔧🔧 recieve 👍"])
def test_grammar_checkers_languagetool_span_holding_an_emoji(nlp, fast_settings, text):
    canned = lt_match(text, "🔧🔧 recieve", "TYPOS", "X", "Odd.")
    with FakeLanguageTool(lambda posted: [canned]) as fake:
        issues = LanguageToolServer(fake.url, fast_settings).check(nlp(text))
    assert [text[i.start:i.end] for i in issues] == ["🔧🔧 recieve"]


@pytest.mark.parametrize("suffix", ["", "/", "/v2", "/v2/"])
def test_grammar_checkers_languagetool_sends_language_and_disabled_rules(nlp, fast_settings, suffix):
    with FakeLanguageTool(typos_and_grammar) as fake:
        issues = LanguageToolServer(fake.url + suffix, fast_settings).check(nlp("We recieve it."))
    assert [(i.category, i.rule_id, i.replacements[0]) for i in issues] == [
        ("typos", "MORFOLOGIK_RULE_EN_US", "receive")]
    assert fake.checks[0]["language"] == "en-US"
    assert set(fake.checks[0]["disabledRules"].split(",")) == set(fast_settings.disabled_rules)


@pytest.mark.parametrize("text", ["Hi 😊 He go to the office. We recieve its Kubernetes logs."])
def test_grammar_checkers_analyze_through_languagetool(monkeypatch, text):
    """COACH_LANGUAGETOOL_URL -> the adapter -> findings grammar.<category>, LanguageTool's typo
    on a product name dropped, an unknown category reported with its rule id."""
    with FakeLanguageTool(typos_and_grammar) as fake:
        monkeypatch.setenv("COACH_LANGUAGETOOL_URL", fake.url)
        report = analyze(text)
    assert report.status["grammar"] == "ok"
    found = [(f.rule, f.text, f.suggestion) for f in report.findings_of("grammar")]
    assert found == [("grammar.grammar", "He go", "He goes"), ("grammar.typos", "recieve", "receive"),
                     ("grammar.languagetool", "its", "it's")]
    assert "ITS_IT_IS" in report.findings_of("grammar")[2].message
    assert all(text[f.start:f.end] == f.text for f in report.findings)
    assert report.scores["grammar"] < 100


@pytest.mark.parametrize("text", ["Hi Sam, you should recieve it today."])
def test_grammar_checkers_unreachable_server_falls_back_to_harper(monkeypatch, text):
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("COACH_LANGUAGETOOL_URL", url)
    report = analyze(text)
    assert report.status["grammar"] == f"partial: Harper, LanguageTool server at {url} unreachable"
    assert report.metrics["grammar_backend"] == "harper"
    assert [(f.rule, f.text) for f in report.findings_of("grammar")] == [("grammar.spelling", "recieve")]


@pytest.mark.parametrize("text", ["We recieve it."])
def test_grammar_checkers_server_error_falls_back_to_harper(monkeypatch, text):
    with FakeLanguageTool(typos_and_grammar, broken=True) as fake:
        monkeypatch.setenv("COACH_LANGUAGETOOL_URL", fake.url)
        report = analyze(text)
    assert report.status["grammar"].startswith("partial: Harper, LanguageTool server at")
    assert report.has_rule("grammar.spelling")


@pytest.mark.parametrize("text", ["We recieve it."])
def test_grammar_checkers_slow_server_times_out_then_is_skipped(nlp, fast_settings, text):
    with FakeLanguageTool(typos_and_grammar, delay=3) as fake:
        checker = LanguageToolServer(fake.url, fast_settings)
        with pytest.raises(CheckerUnavailable, match="unreachable"):
            checker.check(nlp(text))
        requests_made = len(fake.checks)
        with pytest.raises(CheckerUnavailable, match="unreachable"):
            checker.check(nlp(text))  # within retry_after_seconds: not asked again
        assert len(fake.checks) == requests_made


def test_grammar_checkers_checker_is_cached_per_configuration(monkeypatch):
    monkeypatch.setenv("COACH_LANGUAGETOOL_URL", "http://127.0.0.1:9")
    assert languagetool_checker()[0] is languagetool_checker()[0]


# ---------------------------------------------------------------- a local installation

FAKE_JAVA = """#!{python}
# Stands in for `java -cp languagetool-server.jar org.languagetool.server.HTTPServer --port P`.
import json, os, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer
port = int(sys.argv[sys.argv.index("--port") + 1])
assert sys.argv[sys.argv.index("-cp") + 1].endswith("languagetool-server.jar")
open(os.environ["FAKE_JAVA_PIDFILE"], "w").write(str(os.getpid()))
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.answer([{{"name": "English (US)", "code": "en", "longCode": "en-US"}}])
    def do_POST(self):
        form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        text = form["text"]
        matches = []
        if "He go" in text:
            i = text.index("He go")
            matches.append({{"message": "Agreement.", "offset": i, "length": 5,
                "replacements": [{{"value": "He goes"}}], "context": {{"text": text, "offset": i, "length": 5}},
                "sentence": text, "rule": {{"id": "HE_VERB_AGR", "issueType": "grammar",
                "category": {{"id": "GRAMMAR", "name": "Grammar"}}}}}})
        self.answer({{"matches": matches}})
    def answer(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
HTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


@pytest.fixture
def fake_install(tmp_path, monkeypatch):
    """A LanguageTool folder with languagetool-server.jar and a fake `java` first on PATH."""
    install, bin_dir = tmp_path / "LanguageTool", tmp_path / "bin"
    install.mkdir()
    bin_dir.mkdir()
    (install / "languagetool-server.jar").write_bytes(b"")
    java = bin_dir / "java"
    java.write_text(FAKE_JAVA.format(python=sys.executable))
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_JAVA_PIDFILE", str(tmp_path / "java.pid"))
    monkeypatch.delenv("COACH_LANGUAGETOOL_URL", raising=False)
    monkeypatch.setenv("COACH_LANGUAGETOOL_DIR", str(install))
    return tmp_path


@pytest.mark.parametrize("text", ["He go to the office today."])
def test_grammar_checkers_local_installation_is_started_and_stopped(fake_install, text):
    checker, _ = languagetool_checker()
    assert isinstance(checker, LocalLanguageToolServer)
    try:
        report = analyze(text)
        assert report.status["grammar"] == "ok"
        assert [(f.rule, f.text) for f in report.findings_of("grammar")] == [("grammar.grammar", "He go")]
    finally:
        checker.close()
    pid = int((fake_install / "java.pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.parametrize(("setup", "status"), [
    ("no-jar", "partial: Harper, no LanguageTool (no languagetool-server.jar in {dir})"),
    ("no-java", "partial: Harper, no LanguageTool (java is not on PATH)"),
])
def test_grammar_checkers_local_installation_missing_pieces(tmp_path, monkeypatch, setup, status):
    install = tmp_path / "lt"
    install.mkdir()
    if setup == "no-java":
        (install / "languagetool-server.jar").write_bytes(b"")
        monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("COACH_LANGUAGETOOL_URL", raising=False)
    monkeypatch.setenv("COACH_LANGUAGETOOL_DIR", str(install))
    report = analyze("We recieve it.")
    assert report.status["grammar"] == status.format(dir=install)
    assert report.has_rule("grammar.spelling")


@pytest.mark.parametrize("text", ["We recieve it."])
def test_grammar_checkers_local_installation_that_exits_falls_back(tmp_path, fast_settings, nlp, text):
    install = tmp_path / "lt"
    install.mkdir()
    (install / "languagetool-server.jar").write_bytes(b"")
    checker = LocalLanguageToolServer(install, "/bin/false", fast_settings)
    with pytest.raises(CheckerUnavailable, match="exited at start"):
        checker.check(nlp(text))


# ---------------------------------------------------------------- the spelling fallback

@pytest.mark.parametrize(("word", "correction"), [
    ("recieve", "receive"), ("teh", "the"), ("seperate", "separate"), ("definately", "definitely"),
    ("occured", "occurred"), ("untill", "until"), ("thier", "their"), ("adress", "address"),
    ("happend", "happened"), ("begining", "beginning"), ("pasword", "password"), ("alot", "a lot"),
])
def test_grammar_checkers_spelling_corrects_misspellings(word, correction):
    assert spelling_checker().correction(word) == correction


@pytest.mark.parametrize("word", [
    "kubernetes", "wifi", "json", "googled", "logins", "npm", "ssd", "okta", "screenshot", "dropdown",
    "texted", "admin", "backend", "receive", "email", "grep", "unix", "dict", "stdout", "async",
])
def test_grammar_checkers_spelling_leaves_real_and_tech_words_alone(word):
    assert spelling_checker().correction(word) is None


@pytest.mark.parametrize("text", [
    "See https://example.com/recieve-teh-file or mail jane.recieve@example.com.",
    "Run `kubectl get pods --recieve` and open C:/Users/teh/notes.txt then snake_recieve.",
    "The DNS server, the RECIEVE flag, iPhone, myRecieveApp and Sam's Okta account are fine.",
])
def test_grammar_checkers_spelling_skips_addresses_code_and_names(nlp, text):
    assert spelling_checker().check(nlp(text)) == []


@pytest.mark.parametrize(("change", "where"), [
    ({"timeout_seconds": -1}, "settings.languagetool.timeout_seconds"),
    ({"unknown_option": 1}, "settings.languagetool.unknown_option"),
])
def test_grammar_checkers_bad_settings_name_the_field(monkeypatch, change, where):
    ruleset = load_ruleset("grammar")
    settings = dict(ruleset.settings, languagetool={**ruleset.settings["languagetool"], **change})
    broken = dataclasses.replace(ruleset, settings=settings)
    monkeypatch.setattr(grammar_checkers, "load_ruleset", lambda name: broken)
    with pytest.raises(DataFileError, match=where):
        grammar_checkers.grammar_settings.__wrapped__()


# ---------------------------------------------------------------- Harper and the common-slips checks

@pytest.mark.parametrize(("text", "rule"), [
    ("I'll check back with you tomorrow afternoon.", "PossessiveYour"),   # an exception after the lint
    ("Is this the one? It's correct ?", "ItsPossessive"),
    ("Steps: a. Plug it in. b. Tap Connect.", "SentenceCapitalization"),  # a list marker
    ("Right-click on Walla Walla in the list.", "RepeatedWords"),         # a repeated name
    ("If you wish I can clear the cache.", "WishCould"),                  # switched off
])
def test_grammar_checkers_harper_false_alarms_are_dropped(nlp, text, rule):
    from harper import Linter

    raw = Linter().organized_lints(text)
    assert raw[rule], f"Harper itself no longer raises {rule} here: pick another example"
    issues, _ = grammar_checkers.harper_checker().check_in_dialect(nlp(text))
    assert rule not in [issue.rule_id for issue in issues]


@pytest.mark.parametrize(("text", "word"), [("In you r account it says so.", "you r")])
def test_grammar_checkers_harper_unsure_rules_offer_no_rewrite(text, word):
    finding = next(f for f in analyze(text).findings_of("grammar") if f.text == word)
    assert finding.suggestion is None


@pytest.mark.parametrize(("change", "where"), [
    ({"dialect": "martian"}, "settings.harper.dialect"),
    ({"kinds": "Spelling"}, "settings.harper.kinds"),
])
def test_grammar_checkers_bad_harper_settings_name_the_field(monkeypatch, change, where):
    ruleset = load_ruleset("grammar")
    settings = dict(ruleset.settings, harper={**ruleset.settings["harper"], **change})
    monkeypatch.setattr(grammar_checkers, "load_ruleset", lambda name: dataclasses.replace(ruleset, settings=settings))
    with pytest.raises(DataFileError, match=where):
        grammar_checkers.grammar_settings.__wrapped__()


@pytest.mark.parametrize(("confusion", "where"), [
    ({"id": "x", "regex": "(", "replace": "y", "why": "z"}, "grammar.word-confusion.confusions[0].regex"),
    ({"id": "x", "regex": "its", "replace": "y", "why": "z"}, "grammar.word-confusion.confusions[0].regex"),
    ({"id": "x", "regex": "(?P<flag>its)", "why": "z"}, "grammar.word-confusion.confusions[0].replace"),
])
def test_grammar_checkers_bad_confusion_names_the_field(monkeypatch, confusion, where):
    ruleset = load_ruleset("grammar")
    rules = tuple(dataclasses.replace(rule, extra={**rule.extra, "confusions": [confusion]})
                  if rule.id == "grammar.word-confusion" else rule for rule in ruleset.rules)
    monkeypatch.setattr(grammar_checkers, "load_ruleset", lambda name: dataclasses.replace(ruleset, rules=rules))
    with pytest.raises(DataFileError, match=where.replace("[", r"\[").replace("]", r"\]")):
        grammar_checkers.common_slips_checker.__wrapped__()


@pytest.mark.parametrize("text", ["?" * 19999, "=" * 5000, "Thanks" + "!" * 4990, "a" * 20000])
def test_grammar_checkers_harper_skips_symbol_runs_and_giant_words(nlp, text):
    """Harper takes seconds on these (its spelling suggestions for a 20,000-letter word); they are
    blanked out before it sees the text, so nothing is found and nothing hangs."""
    issues, _ = grammar_checkers.harper_checker().check_in_dialect(nlp.make_doc(text))
    assert issues == []


@pytest.mark.parametrize(("text", "span"), [("Sorry!!!! I checked the the router.", "the the")])
def test_grammar_checkers_harper_keeps_offsets_after_blanking(nlp, text, span):
    issues, _ = grammar_checkers.harper_checker().check_in_dialect(nlp(text))
    assert [text[i.start:i.end] for i in issues] == [span]
