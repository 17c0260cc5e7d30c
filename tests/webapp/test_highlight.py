"""webapp/highlight.py: flagged passages marked in place, and every piece of user text escaped."""
from __future__ import annotations

import html
import re

import pytest

from coach.findings import Finding
from coach.report import Suggestion
from webapp import highlight

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
ATTRIBUTE_BREAKOUT = '" onmouseover="alert(1)'


def finding(text: str, passage: str, analyzer: str = "jargon", rule: str = "jargon.glossary-term",
            message: str = "This is jargon for most customers.", suggestion: str | None = "plain words",
            start: int | None = None) -> dict:
    """A finding dict (the report contract) on the first occurrence of `passage` in `text`."""
    start = text.index(passage) if start is None else start
    return Finding(analyzer, rule, "warning", start, start + len(passage), passage, message, suggestion).to_dict()


def marks(rendered: str) -> list[tuple[str, str, str]]:
    """(data-analyzer, title, inner HTML) of each <mark> in the rendered reply."""
    return re.findall(r'<mark class="coach-mark" data-analyzer="([^"]*)" data-rule="[^"]*" '
                      r'title="([^"]*)" style="[^"]*">(.*?)</mark>', rendered, re.S)


def visible_text(rendered: str) -> str:
    """What a reader sees, minus the "+" badges for missing things."""
    without_badges = re.sub(r'<span class="coach-gap"[^>]*>\+</span>', "", rendered)
    return html.unescape(re.sub(r"<[^>]+>", "", without_badges))


@pytest.mark.parametrize(("text", "passage"), [
    ("Hi Sam, I flushed the DNS cache for you.", "DNS"),
    ("Hi 👋 Zoë, the DNS was reset. Merci !", "DNS"),
    ("日本語のメール 🙂 then the VPN dropped.", "VPN"),
])
def test_highlight_marks_the_flagged_passage_in_place(text, passage):
    rendered = highlight.highlight_html(text, [finding(text, passage)])
    (analyzer, title, inner), = marks(rendered)
    assert (analyzer, inner) == ("jargon", passage)
    assert "This is jargon for most customers." in title and "Try: plain words" in title
    assert f"background:{highlight.DIMENSION_COLOURS['jargon']}" in rendered
    assert visible_text(rendered) == text


@pytest.mark.parametrize("payload", [SCRIPT, IMG, ATTRIBUTE_BREAKOUT, "&amp; <b>bold</b> 'quote'"])
def test_highlight_escapes_the_reply(payload):
    text = f"Hi Sam, {payload} I have reset your DNS settings."
    rendered = highlight.highlight_html(text, [finding(text, "DNS"), finding(text, payload, "tone", "tone.x")])
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert 'onmouseover="' not in rendered
    assert visible_text(rendered) == text
    assert html.escape(payload, quote=True) in rendered


@pytest.mark.parametrize("payload", [SCRIPT, IMG, ATTRIBUTE_BREAKOUT])
def test_highlight_escapes_messages_and_suggestions(payload):
    text = "Please send me your password."
    flagged = finding(text, "send me your password", "security", "security.asks-for-password",
                      message=f"Never ask for '{payload}'.", suggestion=payload)
    rendered = highlight.highlight_html(text, [flagged])
    listed = highlight.findings_list_html([flagged])
    for output in (rendered, listed):
        assert "<script" not in output and "<img" not in output and 'onmouseover="' not in output
    (_, title, _), = marks(rendered)
    assert payload in html.unescape(title)


def test_highlight_nests_a_term_inside_a_long_sentence():
    text = "Hi. The DNS resolver on your router was reset by our team overnight. Thanks."
    sentence = "The DNS resolver on your router was reset by our team overnight."
    rendered = highlight.highlight_html(text, [
        finding(text, sentence, "readability", "readability.long-sentence", "This sentence is long.", None),
        finding(text, "DNS"),
    ])
    found = marks(rendered)
    assert [inner for _, _, inner in found] == ["The ", "DNS", " resolver on your router was reset by our team overnight."]
    assert [analyzer for analyzer, _, _ in found] == ["readability", "jargon", "readability"]
    assert "Readability: This sentence is long." in found[1][1] and "Jargon:" in found[1][1]
    assert visible_text(rendered) == text


@pytest.mark.parametrize(("position", "rule"), [(0, "tone.missing-greeting"), (None, "tone.missing-closing")])
def test_highlight_shows_a_missing_thing_as_a_badge_where_it_belongs(position, rule):
    text = "Your printer is fixed."
    at = len(text) if position is None else position
    missing = Finding("tone", rule, "suggestion", at, at, "", "Add a <greeting>.", None).to_dict()
    rendered = highlight.highlight_html(text, [missing])
    badge = re.search(r'<span class="coach-gap"[^>]*title="([^"]*)"[^>]*>\+</span>', rendered)
    assert badge and html.unescape(badge.group(1)) == "Tone: Add a <greeting>."
    body = re.sub(r"^<div[^>]*>|</div>$", "", rendered)
    assert body.startswith("<span") if at == 0 else body.endswith("</span>")
    assert visible_text(rendered) == text


@pytest.mark.parametrize("text", ["Thanks!", "Line one.\n\nLine two with <tags> & stuff.", "🙂" * 10])
def test_highlight_without_findings_is_the_escaped_text(text):
    rendered = highlight.highlight_html(text, [])
    assert "<mark" not in rendered and visible_text(rendered) == text


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_suggestion_and_lists_escape_quoted_user_text(payload):
    suggestion = Suggestion(1, "tone", "tone.blame", f"Don't blame: {payload}", f"detail {payload}",
                            payload, 0, len(payload), rewrite=payload).to_dict()
    outputs = (highlight.suggestion_html(suggestion), highlight.bullets_html([payload]),
               highlight.paragraph_html(payload))
    for output in outputs:
        assert "<script" not in output and "<img" not in output
        assert html.escape(payload) in output


@pytest.mark.parametrize("name", ["jargon", "readability", "tone", "empathy", "grammar", "security", "brand-voice"])
def test_legend_gives_every_dimension_a_stable_colour(name):
    legend = highlight.legend_html([name])
    assert highlight.colour_for(name) == highlight.colour_for(name)
    assert f"background:{highlight.colour_for(name)}" in legend
    assert highlight.dimension_label(name) in legend
