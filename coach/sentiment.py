"""VADER sentiment, shared by every analyser (its lexicon is loaded once per process).

VADER's valence checks lower-case the whole text's word list for every sentiment word they look
at, so one call takes time quadratic in the text's length (14 ms for a 600-word reply, most of the
tone analyser's time). A word's valence only ever reads the three words before it and the two
after, so it is computed on that window: the scores are the same, in linear time.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# the words a valence check reads before and after the word it scores
_BEFORE, _AFTER = 3, 2


@dataclass(frozen=True)
class _Window:
    """The part of VADER's SentiText that sentiment_valence reads, around one word."""
    words_and_emoticons: list[str]
    is_cap_diff: bool


class _WindowedAnalyzer(SentimentIntensityAnalyzer):
    def sentiment_valence(self, valence, sentitext, item, i, sentiments):  # noqa: D102 - VADER's own signature
        low = max(0, i - _BEFORE)
        window = _Window(sentitext.words_and_emoticons[low:i + _AFTER + 1], sentitext.is_cap_diff)
        return super().sentiment_valence(valence, window, item, i - low, sentiments)


@functools.cache
def analyzer() -> SentimentIntensityAnalyzer:
    return _WindowedAnalyzer()


def polarity_scores(text: str) -> dict[str, float]:
    """VADER's neg/neu/pos/compound scores of `text`."""
    return analyzer().polarity_scores(text)


def sentiment(text: str) -> float:
    """VADER's compound sentiment of `text`, from -1 (negative) to 1 (positive)."""
    return polarity_scores(text)["compound"]
