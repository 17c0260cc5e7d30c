"""Rule precision on judged findings: matched by rule and quoted text, unjudged ones listed."""
from __future__ import annotations

import pytest

from coach.errors import DataFileError
from coach.evaluation.judged import load_judged, precision

JUDGED = """
items:
  - id: blame
    reply: "You should have restarted the router before contacting us."
    verdicts:
      - {rule: tone.blame, text: "You should have", right: true}
  - id: thanks
    customer: "Thanks, that worked!"
    reply: "You're welcome!"
"""


def test_precision_counts_verdicts_of_the_findings_reported_today(tmp_path):
    (tmp_path / "set.yaml").write_text(JUDGED, encoding="utf-8")
    result = precision(load_judged(tmp_path))
    assert result["replies"] == 2
    assert result["rules"]["tone.blame"] == {"precision": 1.0, "judged": 1, "scored": True}
    assert result["judged"] == 1 and result["overall"] == 1.0


def test_a_wrong_verdict_lowers_the_rule_and_is_listed(tmp_path):
    (tmp_path / "set.yaml").write_text(JUDGED.replace("right: true", "right: false"), encoding="utf-8")
    result = precision(load_judged(tmp_path))
    assert result["rules"]["tone.blame"]["precision"] == 0.0
    assert {"source": "set.yaml#blame", "rule": "tone.blame", "text": "You should have",
            "span": [0, 15]} in result["wrong"]


@pytest.mark.parametrize(("text", "where"), [
    ("items:\n  - reply: hi\n", "items[0].id"),
    ("items:\n  - {id: a, reply: hi, verdicts: [{rule: tone.blame, right: maybe}]}\n", "items[0].verdicts[0].right"),
    ("items:\n  - {id: a, reply: hi}\n  - {id: a, reply: ho}\n", "items[1].id"),
])
def test_bad_judged_files_name_the_field(tmp_path, text, where):
    (tmp_path / "set.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=where.replace("[", r"\[").replace("]", r"\]")):
        load_judged(tmp_path)


CHAT = [{"turns": [
    {"floor": "inbound", "text_src": ["x"], "text_mt": ["My order never came."]},
    {"floor": "outbound", "text_src": ["You should have checked #PRS_ORG# tracking first."], "text_mt": ["x"]},
]}]

REF = """
items:
  - id: chat
    ref: {file: data/judged_span_test.json, dialogue: 0, turn: 1}
    verdicts:
      - {rule: tone.blame, span: [0, 15], right: false, why: "judged on offsets only"}
"""


@pytest.fixture
def chats(tmp_path, monkeypatch):
    import json

    from coach.evaluation import chats as chats_module
    (tmp_path / "chats" / "data").mkdir(parents=True)
    (tmp_path / "chats" / "data" / "judged_span_test.json").write_text(json.dumps(CHAT), encoding="utf-8")
    monkeypatch.setenv(chats_module.CHATS_ENV, str(tmp_path / "chats"))
    chats_module._dialogues.cache_clear()
    yield tmp_path / "judged"
    chats_module._dialogues.cache_clear()


def test_a_verdict_on_a_chat_reference_matches_its_finding_by_span(chats):
    chats.mkdir()
    (chats / "set.yaml").write_text(REF, encoding="utf-8")
    result = precision(load_judged(chats))
    assert result["rules"]["tone.blame"] == {"precision": 0.0, "judged": 1, "scored": True}
    assert result["wrong"][0]["span"] == [0, 15]


@pytest.mark.parametrize(("verdict", "where"), [
    ('{rule: tone.blame, text: "You should have", right: true}', "verdicts[0].text"),
    ("{rule: tone.blame, span: [0, 999], right: true}", "verdicts[0].span"),
    ("{rule: tone.blame, span: [15, 0], right: true}", "verdicts[0].span"),
    ("{rule: tone.blame, span: [0], right: true}", "verdicts[0].span"),
    ("{rule: tone.blame, right: true}", "verdicts[0].span"),
])
def test_chat_verdicts_never_quote_the_chat_and_name_a_valid_span(chats, verdict, where):
    chats.mkdir()
    text = REF.replace('{rule: tone.blame, span: [0, 15], right: false, why: "judged on offsets only"}', verdict)
    (chats / "set.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=where.replace("[", r"\[").replace("]", r"\]")):
        load_judged(chats)


def test_an_empty_span_judges_an_absence(chats):
    chats.mkdir()
    (chats / "set.yaml").write_text(
        "items:\n  - id: own\n    reply: Hi\n    verdicts: [{rule: tone.missing-closing, text: '', right: true}]\n",
        encoding="utf-8")
    assert load_judged(chats)[0].verdicts == {("tone.missing-closing", ""): True}
