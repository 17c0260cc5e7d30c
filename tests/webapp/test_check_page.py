"""The "Check a reply" page, driven through Streamlit's AppTest with the real pipeline.

Expected values come from `coach.analyze` on the same input: the page must show what the
library says, whatever the analysers' current tuning.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

import coach
from coach import feedback
from coach.errors import InputError
from webapp import change_popover, highlight

ROOT = Path(__file__).resolve().parents[2]
# The first run loads the spaCy pipeline and warms the analysers up.
TIMEOUT = 180


def _sample(name: str, reply_id: str) -> tuple[str, str]:
    data = yaml.safe_load((ROOT / "sample_replies" / f"{name}.yaml").read_text(encoding="utf-8"))
    reply = next(r for r in data["replies"] if r["id"] == reply_id)
    return data["customer"], reply["text"]


CUSTOMER, POOR_REPLY = _sample("wifi-third-outage", "cold-jargon")
NOT_ENGLISH = ("Bonjour Madame, nous avons bien reçu votre demande concernant votre imprimante. "
               "Notre technicien viendra demain matin pour la réparer. Cordialement, l'équipe.")
EMOJI_REPLY = "Hi Ana 👋 I've reset your router 🙂 and the wifi is back. Let me know if it drops again! Best, Sam"
INJECTION = "<script>alert(1)</script>"
IMG_INJECTION = "<img src=x onerror=alert(1)>"


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(ROOT / "app.py", default_timeout=TIMEOUT).run()
    assert not at.exception
    return at


def check(at: AppTest, reply: str, customer: str = "", audience: str | None = None) -> AppTest:
    at.text_area(key="check.customer").set_value(customer)
    at.text_area(key="check.reply").set_value(reply)
    if audience is not None:
        at.radio(key="check.audience").set_value(audience)
    return at.button(key="check.run").click().run()


def shown_scores(at: AppTest) -> dict[str, tuple[str, str]]:
    return {metric.label: (metric.value, metric.delta) for metric in at.metric}


def expected_scores(report: coach.Report) -> dict[str, str]:
    scores = {"overall": report.overall, **report.scores}
    return {highlight.dimension_label(name): "n/a" if score is None else f"{score:.0f}"
            for name, score in scores.items()}


def highlighted_reply(at: AppTest) -> str:
    (reply_html,) = [element.value for element in at.html if 'class="coach-reply"' in element.value]
    return reply_html


def test_check_page_is_the_landing_page(app):
    assert [ta.label for ta in app.text_area] == ["The customer's message (optional)", "Your draft reply"]
    assert app.radio(key="check.audience").value == "inferred"
    assert not app.metric and not app.warning


def test_check_page_shows_scores_highlights_and_suggestions(app):
    report = coach.analyze(POOR_REPLY, customer_message=CUSTOMER)
    check(app, POOR_REPLY, CUSTOMER)
    assert not app.exception and not app.warning
    assert {label: value for label, (value, _) in shown_scores(app).items()} == expected_scores(report)
    assert all(delta == "" for _, delta in shown_scores(app).values()), "no delta on a first check"

    reply_html = highlighted_reply(app)
    offered = change_popover.changes_by_rule(report.suggestions, set())
    assert reply_html == highlight.highlight_html(POOR_REPLY, report.to_dict()["findings"], changes=offered)
    assert 'data-changes="' in reply_html, "the passages with a change open the popover"
    flagged = [f for f in report.findings if f.text]
    assert flagged, "the analysers flagged nothing in a cold, jargon-heavy reply"
    marked = {html.unescape(inner) for inner in re.findall(r"<mark [^>]*>(.*?)</mark>", reply_html, re.S)}
    assert any(f.text in marked for f in flagged)
    listed = next(e.value for e in app.html if 'class="coach-findings"' in e.value)
    assert all(html.escape(f.message) in listed for f in report.findings)

    assert report.feedback, "no suggestions for a reply that fails empathy and jargon"
    cards = [e.value for e in app.html if 'class="coach-suggestion"' in e.value]
    assert len(cards) == len(report.suggestions), "every suggestion listed (the top 3 open, the rest below)"
    for card, suggestion in zip(cards, report.suggestions):
        assert html.escape(suggestion.title) in card
    diffs = [e.value for e in app.html if 'class="coach-diff"' in e.value]
    changes = [c for s in report.suggestions for c in s.changes]
    assert len(diffs) == len(changes) > 0
    for diff, change in zip(diffs, changes):
        # the diff as read (its words may be split between marked-up pieces: "<ins>disappear</ins>.")
        assert html.escape(change.after.split()[-1]) in re.sub(r"<[^>]+>", "", diff)
    assert app.download_button(key="check.download")


def _accept_key(suggestion) -> str:
    return f"check.accept.{suggestion.id}" if len(suggestion.changes) == 1 else f"check.accept.{suggestion.changes[0].id}"


def test_check_page_accepting_one_suggestion_changes_only_its_span_and_rechecks(app):
    report = coach.analyze(POOR_REPLY, customer_message=CUSTOMER)
    chosen = next(s for s in report.suggestions if s.changes)
    check(app, POOR_REPLY, CUSTOMER)
    app.button(key=_accept_key(chosen)).click().run()
    assert not app.exception
    change = chosen.changes[0]
    expected = POOR_REPLY[:change.start] + change.text + POOR_REPLY[change.end:]
    assert app.text_area(key="check.reply").value == expected
    assert not app.info, "the new draft is checked at once"
    rechecked = coach.analyze(expected, customer_message=CUSTOMER)
    shown = shown_scores(app)
    assert shown["Overall"] == (f"{rechecked.overall:.0f}", str(round(rechecked.overall - report.overall)))
    assert not any(k.key == _accept_key(chosen) for k in app.button), "the accepted change is gone"


def test_check_page_skipping_a_suggestion_keeps_it_out_of_apply_all(app):
    report = coach.analyze(POOR_REPLY, customer_message=CUSTOMER)
    skipped = next(s for s in report.suggestions if len(s.changes) == 1)
    check(app, POOR_REPLY, CUSTOMER)
    app.button(key=f"check.skip.{skipped.id}").click().run()
    assert not app.exception
    cards = [e.value for e in app.html if 'class="coach-suggestion"' in e.value]
    assert not any(f'data-rule="{skipped.rule}"' in card for card in cards)
    assert app.text_area(key="check.reply").value == POOR_REPLY, "skipping never edits the draft"

    app.button(key="check.skip.undo").click().run()
    cards = [e.value for e in app.html if 'class="coach-suggestion"' in e.value]
    assert any(f'data-rule="{skipped.rule}"' in card for card in cards), "brought back"

    app.button(key=f"check.skip.{skipped.id}").click().run()
    app.button(key="check.apply").click().run()
    assert app.text_area(key="check.reply").value == feedback.apply_suggestions(report, skip={skipped.id})


def test_check_page_fill_in_a_placeholder(app):
    check(app, POOR_REPLY, CUSTOMER)
    app.button(key="check.apply").click().run()
    revised = app.text_area(key="check.reply").value
    assert "[next step]" in revised
    assert any("Not ready to send" in w.value and "[next step]" in w.value for w in app.warning)
    marked = next(e.value for e in app.html if 'class="coach-reply"' in e.value)
    assert 'data-rule="draft.placeholder"' in marked

    (box,) = [t for t in app.text_input if t.label == "What goes in place of [next step]?"]
    box.set_value("call you at 3pm once the engineer has been")
    app.button(key=f"{box.key}.apply").click().run()
    assert not app.exception
    filled = app.text_area(key="check.reply").value
    assert filled == revised.replace("[next step]", "call you at 3pm once the engineer has been")
    assert not any("[next step]" in w.value for w in app.warning)
    left = [f.text for f in coach.analyze(filled, customer_message=CUSTOMER).findings if f.rule == "draft.placeholder"]
    assert bool(left) == any("Not ready to send" in w.value for w in app.warning)


def test_check_page_apply_all_then_shows_score_changes(app):
    report = coach.analyze(POOR_REPLY, customer_message=CUSTOMER)
    revised = feedback.apply_suggestions(report)
    assert revised != POOR_REPLY, "the feedback has no rewrite to apply"
    check(app, POOR_REPLY, CUSTOMER)

    app.button(key="check.apply").click().run()
    assert app.text_area(key="check.reply").value == revised
    assert not app.exception
    rechecked = coach.analyze(revised, customer_message=CUSTOMER)
    before = {"overall": report.overall, **report.scores}
    after = {"overall": rechecked.overall, **rechecked.scores}
    shown = shown_scores(app)
    for name, score in after.items():
        if score is not None and before[name] is not None:
            assert shown[highlight.dimension_label(name)][1] == str(round(score - before[name]))
    assert not app.info


@pytest.mark.parametrize(("reply", "customer"), [
    pytest.param("", "", id="empty"),
    pytest.param("   \n  ", "My printer is broken.", id="blank"),
    pytest.param("Please restart the router. " * 1000, "", id="too-long"),
    pytest.param(NOT_ENGLISH, "", id="not-english"),
    pytest.param(INJECTION, "", id="markup-only"),
])
def test_check_page_warns_on_unusable_input(app, reply, customer):
    with pytest.raises(InputError) as raised:
        coach.analyze(reply, customer_message=customer or None)
    check(app, reply, customer)
    assert not app.exception
    assert [w.value for w in app.warning] == [str(raised.value)]
    assert not app.metric


def test_check_page_hides_the_last_result_after_a_warning(app):
    check(app, EMOJI_REPLY)
    assert app.metric
    check(app, "")
    assert app.warning and not app.metric


def test_check_page_handles_emoji(app):
    check(app, EMOJI_REPLY)
    assert not app.exception and not app.warning
    assert "👋" in html.unescape(highlighted_reply(app))


@pytest.mark.parametrize("payload", [INJECTION, IMG_INJECTION])
def test_check_page_shows_pasted_markup_as_text(app, payload):
    reply = f"Hi Sam, {payload} I have reset your password link. Let me know if it works. Best, Ana"
    check(app, reply)
    assert not app.exception and not app.warning
    rendered = highlighted_reply(app)
    assert "<script" not in rendered and "<img" not in rendered
    assert payload in html.unescape(re.sub(r"<[^>]+>", "", rendered))


@pytest.mark.parametrize(("audience", "customer", "expected"), [
    ("technical", "", "Checked for a technical customer"),
    ("non-technical", CUSTOMER, "Checked for a non-technical customer"),
    ("inferred", CUSTOMER, "(inferred from their message)"),
])
def test_check_page_uses_the_audience_chosen(app, audience, customer, expected):
    check(app, EMOJI_REPLY, customer, audience)
    assert any(expected in caption.value for caption in app.caption)


def test_check_page_explains_missing_languagetool_once(app):
    report = coach.analyze(EMOJI_REPLY)
    check(app, EMOJI_REPLY)
    partial = report.status["grammar"].startswith("partial")
    notes = [c.value for c in app.caption if "COACH_LANGUAGETOOL_URL" in c.value]
    assert len(notes) == (1 if partial else 0)
    if partial:
        (grammar,) = [m for m in app.metric if m.label == "Grammar"]
        assert grammar.value != "n/a" and not grammar.help, "said once, in the note"


def test_check_page_keeps_the_draft_and_result_across_pages(app):
    check(app, EMOJI_REPLY, CUSTOMER, "technical")
    app.switch_page("webapp/pages/practice.py").run()
    app.switch_page("webapp/pages/check.py").run()
    assert not app.exception
    assert app.text_area(key="check.reply").value == EMOJI_REPLY
    assert app.text_area(key="check.customer").value == CUSTOMER
    assert app.radio(key="check.audience").value == "technical"
    assert app.metric


def test_check_page_signs_with_the_signed_in_agent_name(tmp_path, monkeypatch):
    from coach.store import repository
    from coach.store.db import open_store

    url = f"sqlite:///{tmp_path / 'coach.db'}"
    store = open_store(url)
    with store.write() as session:
        repository.add_user(session, "Sam Lee", "sam@example.com", "agent", "a long passphrase 42")
    store.dispose()
    monkeypatch.setenv("COACH_DATABASE_URL", url)
    at = AppTest.from_file(ROOT / "app.py", default_timeout=TIMEOUT).run()
    at.switch_page("webapp/pages/account.py").run()
    at.text_input(key="account.email").set_value("sam@example.com")
    at.text_input(key="account.password").set_value("a long passphrase 42")
    at.button(key="account.sign_in").click().run()
    assert not at.exception
    at.switch_page("webapp/pages/check.py").run()
    report = coach.analyze(POOR_REPLY, customer_message=CUSTOMER)
    assert feedback.apply_suggestions(report).endswith("[your name]\n"), "the drafted sign-off asks for a name"
    check(at, POOR_REPLY, CUSTOMER)
    at.button(key="check.apply").click().run()
    assert not at.exception
    assert at.text_area(key="check.reply").value == feedback.apply_suggestions(report, known={"your name": "Sam Lee"})
    assert "Best regards,\nSam Lee" in at.text_area(key="check.reply").value
