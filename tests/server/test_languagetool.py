"""The LanguageTool protocol mapping on its own: documents with markup, UTF-16 positions, request
fields, and which findings a client is sent."""
from __future__ import annotations

import json
import re

import pytest

import yaml

from coach import analyze
from coach.errors import DataFileError
from coach.findings import Finding
from coach.server.languagetool import (
    PROTOCOL_FILE,
    Document,
    ProtocolError,
    check_response,
    languages,
    load_protocol,
    parse_check_request,
    protocol_settings,
)


def _data(*parts: dict) -> str:
    return json.dumps({"annotation": list(parts)})


@pytest.mark.parametrize(("text", "position", "utf16"), [
    ("abc", 2, 2),
    ("😀abc", 1, 2),
    ("😀abc", 3, 4),
    ("a👩‍💻b", 5, 7),  # woman, zero-width joiner, laptop: 2 + 1 + 2 units
    ("é🇬🇧x", 3, 5),  # a flag is two regional indicators, each outside the BMP
])
def test_utf16_positions(text, position, utf16):
    assert Document.from_text(text).utf16(position) == utf16
    assert len(text[:position].encode("utf-16-le")) // 2 == utf16


@pytest.mark.parametrize(("parts", "plain", "spans"), [
    # (plain start, plain end) -> (original start, original end)
    ([{"text": "Hi "}, {"markup": "<b>"}, {"text": "Sam"}, {"markup": "</b>"}],
     "Hi Sam", {(3, 6): (6, 9), (0, 6): (0, 9)}),
    ([{"markup": "<p>"}, {"text": "One."}, {"markup": "</p><p>", "interpretAs": "\n\n"}, {"text": "Two."}],
     "One.\n\nTwo.", {(0, 4): (3, 7), (6, 10): (14, 18), (4, 6): (7, 14)}),
])
def test_markup_positions_map_to_the_original(parts, plain, spans):
    document = Document.from_data(_data(*parts))
    assert document.plain == plain
    for (start, end), expected in spans.items():
        assert (document.to_original(start, is_end=False), document.to_original(end, is_end=True)) == expected


@pytest.mark.parametrize(("fields", "problem"), [
    ({"language": "en-US"}, "Missing 'text' or 'data'"),
    ({"text": "Hi"}, "Missing 'language'"),
    ({"text": "Hi", "language": "fr"}, "'fr' is not a language Support Coach checks"),
    ({"data": "[1, 2]", "language": "en"}, "needs an 'annotation' list"),
    ({"data": _data({"text": "a", "markup": "<b>"}), "language": "en"}, "either 'text' or 'markup'"),
    ({"data": _data({"markup": "<b>", "interpretAs": 3}), "language": "en"}, "interpretAs must be a string"),
    ({"text": "Hi", "language": "en", "enabledOnly": "true"}, "enabledOnly=true needs"),
    ({"text": "Hi", "language": "en", "mode": "everything"}, "'mode' must be one of"),
    ({"data": '{"annotation": [{"text": "Hi \\ud83d"}]}', "language": "en"}, "lone UTF-16 surrogate"),
])
def test_bad_fields_are_protocol_errors(fields, problem):
    with pytest.raises(ProtocolError, match=problem):
        parse_check_request(fields)


@pytest.mark.parametrize(("code", "long_code"), [("auto", "en-US"), ("en-gb", "en-GB"), ("en", "en")])
def test_language_codes(code, long_code):
    assert parse_check_request({"text": "Hi", "language": code}).language == long_code


def test_unknown_fields_are_ignored():
    request = parse_check_request({"text": "Hi", "language": "en-US", "motherTongue": "de-DE",
                                   "preferredVariants": "en-GB,de-AT", "noopLanguages": "de",
                                   "level": "picky", "textSessionId": "1234", "useragent": "webextension-chrome"})
    assert request.picky and request.document.plain == "Hi"


def test_languages_are_the_data_files():
    listed = languages()
    assert {entry["longCode"] for entry in listed} == {e.long_code for e in protocol_settings().languages}
    assert all(set(entry) == {"name", "code", "longCode"} for entry in listed)


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d["dimensions"]["tone"].pop("issue_type"), "dimensions.tone.issue_type"),
    (lambda d: d["dimensions"]["tone"].update(category="tone"), "dimensions.tone.category"),
    (lambda d: d["grammar_categories"]["grammar.typos"].update(rule_id="MORFOLOGIK {x}"),
     "grammar_categories.grammar.typos.rule_id"),
    (lambda d: d.update(auto_language="de-DE"), "auto_language"),
    (lambda d: d.update(colour="red"), "colour"),
])
def test_a_malformed_protocol_file_names_the_field(tmp_path, change, where):
    data = yaml.safe_load(PROTOCOL_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "languagetool_protocol.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError, match=f"languagetool_protocol.yaml: {re.escape(where)}"):
        load_protocol(path)


def test_every_dimension_has_a_category():
    from coach.analyzers import REGISTRY

    assert set(REGISTRY) <= set(protocol_settings().dimensions)


REPLY = "Hi Sam, you should have restarted the routr. Obviously it works now. Best regards, Alex"


def _hinted(report, rule: str):
    """The report with `rule`'s findings turned into hints (as a team's settings or the lead's
    precision review would)."""
    report.findings = [Finding(f.analyzer, f.rule, "hint" if f.rule == rule else f.severity, f.start, f.end,
                               f.text, f.message, f.suggestion) for f in report.findings]
    return report


@pytest.mark.parametrize(("fields", "has_blame"), [
    ({}, False),
    ({"level": "picky"}, True),
    ({"enabledRules": "tone.blame"}, True),
])
def test_hints_are_sent_in_picky_mode_or_when_enabled(fields, has_blame):
    report = _hinted(analyze(REPLY), "tone.blame")
    request = parse_check_request({"text": REPLY, "language": "en-US", **fields})
    matches = check_response(request, report)["matches"]
    assert any(m["rule"]["id"] == "tone.blame" for m in matches) is has_blame
    assert all(m["rule"]["issueType"] == "style" for m in matches if m["rule"]["id"] == "tone.blame")


def test_disabled_category_leaves_out_the_dimension():
    text = "Hi Sam, you should have restarted the routr. Obviously the DNS cache was stale. Best regards, Alex"
    report = analyze(text)
    request = parse_check_request({"text": text, "language": "en-US", "disabledCategories": "COACH_TONE,TYPOS"})
    rules = {m["rule"]["id"] for m in check_response(request, report)["matches"]}
    assert rules == {f.rule for f in report.findings} - {"tone.blame", "tone.condescension", "grammar.spelling"}
    assert not any(rule.startswith("MORFOLOGIK_RULE") for rule in rules)
    assert "jargon.glossary-term" in rules


@pytest.mark.parametrize("text", ["Your refund was sent today.",
                                  "Hi Sam,\n\nYour refund was sent today.\n\nBest regards,\nAlex"])
def test_an_absence_is_marked_on_a_word_with_the_drafted_sentence(text):
    """A missing sentence (empty span) is shown on the nearest word; its replacement keeps that word
    (and a full stop next to it) and puts the drafted sentence in place beside it."""
    report = analyze(text, customer_message="I was charged twice and I am furious!!!")
    absences = [f for f in report.findings if f.start == f.end]
    assert absences
    request = parse_check_request({"text": text, "language": "en-US"})
    matches = {m["rule"]["id"]: m for m in check_response(request, report)["matches"]}
    drafted = 0
    for finding in absences:
        match = matches[finding.rule]
        marked = text[match["offset"]:match["offset"] + match["length"]]
        assert marked.strip() and len(marked.split()) == 1
        for replacement in match["replacements"]:
            value = replacement["value"]
            assert len(value) > len(marked) and (value.startswith(marked) or value.endswith(marked))
            drafted += 1
    assert drafted


def test_modes_split_the_findings_between_two_requests():
    """A client checking in two requests (whole-text rules, then the rest) gets each finding once."""
    text = "Your refund was sent today, you should have asked sooner."
    report = analyze(text, customer_message="I was charged twice and I am furious!!!")

    def rules(mode: str) -> list[str]:
        request = parse_check_request({"text": text, "language": "en-US", "mode": mode})
        return sorted(m["rule"]["id"] for m in check_response(request, report)["matches"])

    whole_text, passages = rules("textLevelOnly"), rules("allButTextLevelOnly")
    assert whole_text and passages
    assert sorted(whole_text + passages) == rules("all")
    assert set(whole_text) == {f.rule for f in report.findings if f.start == f.end}


@pytest.mark.parametrize(("language", "rule"), [("en-US", "MORFOLOGIK_RULE_EN_US"), ("en-GB", "MORFOLOGIK_RULE_EN_GB"),
                                              ("auto", "MORFOLOGIK_RULE_EN_US")])
def test_spelling_matches_look_like_languagetools(language, rule):
    text = "Hi, please restart the routr."
    request = parse_check_request({"text": text, "language": language})
    (match,) = check_response(request, analyze(text))["matches"]
    assert match["rule"]["id"] == rule and match["type"]["typeName"] == "UnknownWord"
    for key in ("disabledRules", "disabledCategories"):
        ids = rule if key == "disabledRules" else "TYPOS"
        quiet = parse_check_request({"text": text, "language": language, key: ids})
        assert check_response(quiet, analyze(text))["matches"] == []


def test_nothing_to_check_is_no_matches_with_the_reason():
    request = parse_check_request({"text": " ", "language": "en-US"})
    answer = check_response(request, None, "The reply is empty.")
    assert answer["matches"] == [] and answer["warnings"]["notChecked"] == "The reply is empty."
    assert answer["software"]["apiVersion"] == 1
