"""The tone suite's labelled sets: the polite version of each rude/polite pair wins on tone and the
rude one is never praised for its tone; the tone score follows a careful rater's politeness
ratings of support replies."""
from __future__ import annotations

import pytest

from coach import analyze
from coach.evaluation.stats import spearman
from coach.evaluation.suites import tone as suite

PAIRS = suite.pairs()
RATED = suite.rated_replies()


def test_tone_sets_are_big_enough_and_ids_unique():
    assert len(PAIRS) >= 30 and len(RATED) >= 60
    assert len({p.id for p in PAIRS}) == len(PAIRS)
    assert len({r.id for r in RATED}) == len(RATED)
    assert {r.rating for r in RATED} == {1, 2, 3, 4, 5}


@pytest.fixture(scope="module")
def pair_reports():
    return {p.id: (analyze(p.rude, channel=p.channel), analyze(p.polite, channel=p.channel)) for p in PAIRS}


def test_tone_polite_version_wins_by_ten_points_in_95_percent_of_pairs(pair_reports):
    wins = [polite.scores["tone"] - rude.scores["tone"] >= suite.MARGIN for rude, polite in pair_reports.values()]
    assert sum(wins) / len(wins) >= 0.95


@pytest.mark.parametrize("pair", PAIRS, ids=[p.id for p in PAIRS])
def test_tone_rude_version_is_never_praised_for_its_tone(pair_reports, pair):
    rude, _polite = pair_reports[pair.id]
    assert suite.tone_praise(rude) == []
    assert not [e for e in rude.evidence if e.analyzer == "tone"]


def test_tone_score_follows_the_politeness_ratings():
    scores = [analyze(r.reply, channel=r.channel).scores["tone"] for r in RATED]
    assert spearman(scores, [r.rating for r in RATED]) >= 0.7
