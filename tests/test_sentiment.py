"""The shared VADER gives exactly VADER's scores (the tone model's weights were fitted on them),
whatever part of the text the checks it windows read: negations, idioms, boosters, "but", capitals."""
from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from coach import sentiment
from coach.samples import load_samples

TEXTS = [
    "no good", "No, it is not good.", "never so good", "never this bad", "without doubt great",
    "kind of good", "sort of helpful", "at least it's bad", "least helpful reply", "the BEST ever!!!",
    "It works, but the wait was awful.", "not bad at all, but GREAT :)", "I am not happy 😡 at all",
    "The fix was the bomb", "cut the mustard", "yeah right, that helped", "no problem, nor worry",
    "Thanks so much!! You really saved my day, it is fantastic.", "ok", "",
    "I hate this. " * 200 + "But thank you, truly wonderful support, very kind.",
]


def _sample_texts() -> list[str]:
    return [text for case in load_samples() for text in (case.customer, *(r.text for r in case.replies))]


@pytest.mark.parametrize("text", TEXTS + _sample_texts())
def test_shared_vader_scores_exactly_like_vader(text):
    assert sentiment.polarity_scores(text) == SentimentIntensityAnalyzer().polarity_scores(text)


@pytest.mark.parametrize("text, positive", [("Thanks, that is great news!", True), ("This is awful and useless.", False)])
def test_sentiment_compound_has_the_right_sign(text, positive):
    assert (sentiment.sentiment(text) > 0) is positive
