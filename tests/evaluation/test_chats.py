"""The support-chat loader: the corpus's anonymisation masks never reach the analysers."""
from __future__ import annotations

import pytest

from coach.evaluation.chats import unmask


@pytest.mark.parametrize(("raw", "expected"), [
    ("Thanks for contacting #PRS_ORG#.", "Thanks for contacting Nova."),
    ("Open the PRS_ORG# app", "Open the Nova app"),        # a hash lost upstream
    ("the #PRS-ORG# reader", "the Nova reader"),            # a hyphen for the underscore
    ("sent from #PRS_ORG.", "sent from Nova."),
    ("Hello #NAME#, your order #NUMBER#", "Hello Alex, your order 48213"),
    ("Is PRS_ORG available?", "Is Nova available?"),
])
def test_masks_are_replaced_by_realistic_values(raw, expected):
    assert unmask(raw) == expected


@pytest.mark.parametrize("raw", ["#NAME? in a cell", "#CLIENT-04#", "Press C# then NAME", "ticket #4821"])
def test_text_that_is_not_a_mask_stays(raw):
    assert unmask(raw) == raw


def test_a_turn_keeps_its_lines_and_masks(tmp_path, monkeypatch):
    import json

    from coach.evaluation import chats
    (tmp_path / "data").mkdir()
    dialogue = {"turns": [
        {"floor": "inbound", "text_src": ["x"], "text_mt": ["Hello", "My #PRS_ORG# reader froze."]},
        {"floor": "outbound", "text_src": ["Sorry to hear that.", "1", "Hold the power button."], "text_mt": ["x"]},
    ]}
    (tmp_path / "data" / "lines_test.json").write_text(json.dumps([dialogue]), encoding="utf-8")
    monkeypatch.setenv(chats.CHATS_ENV, str(tmp_path))
    chats._dialogues.cache_clear()
    try:
        reply, customer, history = chats.turn_text("data/lines_test.json", 0, 1)
    finally:
        chats._dialogues.cache_clear()
    assert reply == "Sorry to hear that.\n1\nHold the power button."
    assert customer == "Hello\nMy Nova reader froze."
    assert history == ()
