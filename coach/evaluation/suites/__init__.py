"""Labelled sets `coach eval` measures agreement on. Each suite module has `run() -> dict` mapping a
set name to {"measure": ..., "value": ..., "n": ..., ...}."""
from __future__ import annotations

from coach.evaluation.suites import jargon, readability, security, support_chats, support_replies, tone

SUITES = (support_chats, support_replies, jargon, readability, security, tone)
