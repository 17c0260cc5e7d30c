"""language-tool-python, a real LanguageTool client, pointed at `coach serve`: Support Coach's
findings come back as its matches, at the right places in text with emoji."""
from __future__ import annotations

import json
import unicodedata

import httpx
import language_tool_python
import pytest
from language_tool_python.exceptions import LanguageToolError
from language_tool_python.utils import correct

from coach import analyze

# LanguageTool's own spelling rule id, which clients draw as a spelling mistake
SPELLING = "MORFOLOGIK_RULE_EN_US"

# Each reply has characters outside the Basic Multilingual Plane (2 UTF-16 units, 1 Python
# character) before, between and inside flagged passages.
EMOJI_REPLIES = [
    "Hi Sam 👋, you should have restarted the routr first. Obviously the DNS was down.",
    "😀😀😀 Please recieve the new password by e-mail. I'm sorry 🙏 for the wait, we will fix it today.",
    "Hello 👩‍💻 Maria, ASAP please send me your password 🔑 so I can log in and check your account.",
    "Thanks 🇬🇧 for writing! YOU MUST REBOOT THE DEVICE. Obviously, you should have read the manual 📖.",
]


@pytest.fixture
def no_download(monkeypatch):
    """Fail loudly if language-tool-python tries to fetch or start a LanguageTool of its own."""
    class Refused:
        def __init__(self, *args, **kwargs):
            raise AssertionError("language-tool-python tried to download/start a local LanguageTool")

    monkeypatch.setattr(language_tool_python.server, "LocalLanguageTool", Refused)
    monkeypatch.setattr(language_tool_python.server.LanguageTool, "_start_local_server",
                        Refused.__init__)


@pytest.fixture
def tool(server, no_download):
    with language_tool_python.LanguageTool("en-US", remote_server=server.url) as client:
        yield client


def _shown(report):
    """Findings a LanguageTool client is sent by default (hints only in picky mode)."""
    return [f for f in report.findings if f.severity != "hint"]


def _python_span(text: str, match) -> tuple[int, int]:
    """The match's span in Python positions: the client converts the offset, not the length
    (still UTF-16 units, as LanguageTool sends it)."""
    units = text[match.offset:].encode("utf-16-le")[:2 * match.error_length]
    return match.offset, match.offset + len(units.decode("utf-16-le"))


@pytest.mark.parametrize("text", EMOJI_REPLIES)
def test_client_lists_findings_as_matches_at_python_offsets(tool, text):
    report = analyze(text)
    matches = tool.check(text)
    flagged = [f for f in _shown(report) if f.start < f.end]
    assert flagged, "each example must raise findings on real passages"
    for finding in flagged:
        # the match marks the finding, or the wider passage its rewrite replaces ("Obviously, you")
        expected_id = SPELLING if finding.rule == "grammar.spelling" else finding.rule
        covering = [m for m in matches if m.rule_id == expected_id
                    and _python_span(text, m)[0] <= finding.start and finding.end <= _python_span(text, m)[1]]
        assert covering, f"{finding.rule} {finding.text!r} at {finding.start} not among the matches"
        assert any(m.message == unicodedata.normalize("NFKC", finding.message) for m in covering)
    assert len(matches) == len(_shown(report))


def test_match_lengths_count_utf16_like_languagetool(server):
    """LanguageTool (Java) counts an emoji as 2 in offsets and lengths; the client fixes offsets only."""
    text = "Hi 👋, you should have restarted it. Obviously 😀😀 it works."
    answer = httpx.post(f"{server.url}/v2/check", data={"text": text, "language": "en-US"}).json()
    utf16 = text.encode("utf-16-le")
    for match in answer["matches"]:
        start, length = match["offset"] * 2, match["length"] * 2
        quoted = utf16[start:start + length].decode("utf-16-le")
        assert quoted.strip(), match
    blame = next(m for m in answer["matches"] if m["rule"]["id"] == "tone.blame")
    assert blame["offset"] == text.index("you should have") + 1  # one emoji before it: one extra unit


@pytest.mark.parametrize(("text", "wrong", "right"), [
    ("Hi 😀 Sam, I will recieve the parts tomorrow 🙂 and call you.", "recieve", "receive"),
    ("🎉🎉 Your order has shipped, and I will definately call you tomorrow.", "definately", "definitely"),
])
def test_client_applies_replacements_in_place(tool, text, wrong, right):
    corrected = correct(text, [m for m in tool.check(text) if m.rule_id == SPELLING])
    assert corrected == text.replace(wrong, right)


def test_rule_metadata_tells_dimension_and_issue_type(tool):
    matches = tool.check("Hi, you should have restarted the routr. Obviously the DNS was down. Thanks, Alex")
    by_rule = {m.rule_id: m for m in matches}
    assert by_rule["tone.blame"].category == "COACH_TONE"
    assert by_rule["tone.blame"].rule_issue_type == "register"
    assert by_rule[SPELLING].category == "TYPOS"
    assert by_rule[SPELLING].rule_issue_type == "misspelling"
    assert by_rule[SPELLING].replacements == ["router"]


def test_disabled_rules_are_left_out(tool):
    text = "Hi, you should have restarted the routr. Thanks, Alex"
    tool.disabled_rules.update({"tone.blame"})
    rules = {m.rule_id for m in tool.check(text)}
    assert "tone.blame" not in rules and SPELLING in rules


def test_enabled_only_keeps_just_those_rules(tool):
    tool.enabled_rules.update({SPELLING})
    tool.enabled_rules_only = True
    matches = tool.check("Hi, you should have restarted the routr. Thanks, Alex")
    assert [m.rule_id for m in matches] == [SPELLING]


def test_languages_are_english_variants(tool):
    assert {"en", "en-US", "en-GB", "auto"} <= tool._get_languages()


def test_language_outside_english_is_a_clear_error(server, no_download):
    with pytest.raises(ValueError, match="unsupported language"):
        language_tool_python.LanguageTool("de-DE", remote_server=server.url)
    response = httpx.post(f"{server.url}/v2/check", data={"text": "Hallo", "language": "de-DE"})
    assert response.status_code == 400
    assert response.text.startswith("Error: 'de-DE' is not a language Support Coach checks")


def test_markup_annotations_map_back_to_the_document(server):
    """An editor's HTML sent as `data`: only the text is checked; offsets count the markup too."""
    annotation = [{"markup": "<p>"}, {"text": "Hi 😀 Sam,"}, {"markup": "</p><p>", "interpretAs": "\n\n"},
                  {"text": "you "}, {"markup": "<b>"}, {"text": "should have"}, {"markup": "</b>"},
                  {"text": " restarted the routr."}, {"markup": "</p>"}]
    original = "".join(part.get("text", part.get("markup")) for part in annotation)
    response = httpx.post(f"{server.url}/v2/check",
                          data={"data": json.dumps({"annotation": annotation}), "language": "auto"})
    assert response.status_code == 200
    utf16 = original.encode("utf-16-le")
    found = {m["rule"]["id"]: utf16[2 * m["offset"]:2 * (m["offset"] + m["length"])].decode("utf-16-le")
             for m in response.json()["matches"]}
    assert found[SPELLING] == "routr"
    assert found["tone.blame"] == "you <b>should have"  # from the first word to the last, markup between


@pytest.mark.parametrize(("fields", "message"), [
    ({"language": "en-US"}, "Error: Missing 'text' or 'data' parameter"),
    ({"text": "Hi"}, "Error: Missing 'language' parameter"),
    ({"data": "{not json", "language": "en-US"}, "Error: 'data' is not valid JSON"),
    ({"data": '{"annotation": [{"text": 1}]}', "language": "en-US"}, "Error: 'data' annotation[0] needs"),
])
def test_bad_requests_answer_as_languagetool_does(server, fields, message):
    response = httpx.post(f"{server.url}/v2/check", data=fields)
    assert response.status_code == 400
    assert response.text.startswith(message)
    assert "Traceback" not in response.text


@pytest.mark.parametrize("text", ["", "   ", "Dies ist eine Antwort auf Deutsch, die niemand prüfen kann."])
def test_text_without_anything_to_coach_gets_no_matches(tool, text):
    assert tool.check(text) == []


def test_too_long_text_is_refused_like_languagetool(server):
    response = httpx.post(f"{server.url}/v2/check", data={"text": "word " * 4001, "language": "en-US"})
    assert response.status_code == 413
    assert response.text.startswith("Error: The text is 20,005 characters long")


def test_wrong_token_in_the_address_is_refused(server, no_download):
    with pytest.raises(LanguageToolError, match="Unknown or revoked API token"):
        language_tool_python.LanguageTool("en-US", remote_server=f"{server.url}/t/not-a-real-token/")


def test_team_token_in_the_address_is_accepted(server, team_tokens, no_download):
    url = f"{server.url}/t/{team_tokens['Support EU']}/"
    with language_tool_python.LanguageTool("en-US", remote_server=url) as client:
        assert {m.rule_id for m in client.check("Hi, please restart the routr.")} >= {SPELLING}
    assert team_tokens["Support EU"] not in server.log()


def test_get_with_query_parameters_answers_as_post(server):
    fields = {"text": "Hi 👋, you should have restarted the routr.", "language": "en-US"}
    by_get = httpx.get(f"{server.url}/v2/check", params=fields).json()["matches"]
    by_post = httpx.post(f"{server.url}/v2/check", data=fields).json()["matches"]
    assert by_get == by_post and by_get
