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
