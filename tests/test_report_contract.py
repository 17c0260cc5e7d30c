"""The coach.report/1 contract of ../shared/DESIGN.md: keys, types and exact offsets."""
from __future__ import annotations

import json

import pytest

from coach import analyze
from coach.analyzers import REGISTRY
from coach.samples import load_samples

TEXTS = [
    pytest.param(reply.text, case.customer, id=f"{case.id}:{reply.id}")
    for case in load_samples()[:6] for reply in case.replies
] + [
    pytest.param("Hi 👋 Sam, thanks 🙏 for waiting! I've reset the router 🛠️; it works now. 😊 Let me know if not.",
                 None, id="emoji"),
    pytest.param("<p>Hi Sam,</p><p>Your <b>DNS</b> is fine &amp; the router was reset.</p>", None, id="html"),
]


@pytest.mark.parametrize(("text", "customer"), TEXTS)
def test_report_contract_keys_and_types(text, customer):
    data = json.loads(json.dumps(analyze(text, customer_message=customer).to_dict()))
    assert data["schema"] == "coach.report/1"
    assert set(data["scores"]) == set(REGISTRY)
    for score in data["scores"].values():
        assert score is None or 0 <= score <= 100
    assert 0 <= data["overall"] <= 100
    assert {"words", "sentences", "grade"} <= set(data["metrics"])
    assert set(data["status"]) == set(REGISTRY)
    for item in data["feedback"]:
        assert {"priority", "analyzer", "title", "detail", "quote", "start", "end", "rewrite"} <= set(item)
    assert len(data["feedback"]) <= 3


@pytest.mark.parametrize(("text", "customer"), TEXTS)
def test_report_offsets_quote_the_text_exactly(text, customer):
    data = analyze(text, customer_message=customer).to_dict()
    for item in data["findings"] + data["evidence"]:
        assert text[item["start"]:item["end"]] == item["text"], item
    for item in data["feedback"]:
        assert text[item["start"]:item["end"]] == item["quote"], item


def test_report_html_paste_flags_text_not_markup():
    text = "<p>Hi Sam,</p><p>Please check the <b>DNS</b> settings.</p>"
    report = analyze(text)
    assert all("<" not in f.text for f in report.findings if f.analyzer == "jargon")
