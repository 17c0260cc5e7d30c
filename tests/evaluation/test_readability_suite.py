"""The OneStopEnglish suite: which articles count as aligned, and why the others don't, from the texts alone."""
from __future__ import annotations

import pandas as pd
import pytest

from coach.evaluation.suites.readability import mismatched_articles, ordered_share, version_defects

SHARK = ("Thousands of people protested on beaches against a shark cull that the state government started "
         "after several attacks on swimmers and surfers along the western coastline this summer")
SHARK_EASY = "Thousands of people protested on beaches against a shark cull after attacks on swimmers this summer"
KING = ("Blues guitarist played concerts around the world for sixty years and recorded albums with famous "
        "musicians from other styles of music including rock country and jazz")
KING_EASY = "Blues guitarist played concerts around the world for sixty years and recorded albums with famous musicians"
VAPE = ("Statistics suggest that smokers are using electronic cigarettes less often than before because "
        "people worry about health risks and the price of liquids")
VAPE_EASY = "Statistics suggest that smokers are using electronic cigarettes less often than before"
KING_MID = "Blues guitarist played concerts around the world and recorded albums with musicians from other styles"
VAPE_MID = "Statistics suggest smokers use electronic cigarettes less often because people worry about health risks"


def corpus(articles: dict[str, tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"text_id": text_id, "level_code": level, "text": text}
                         for text_id, texts in articles.items() for level, text in enumerate(texts)])


@pytest.mark.parametrize(("articles", "defective"), [
    # three versions of one story: aligned, whatever their order
    ({"shark": (SHARK_EASY, SHARK, SHARK)}, {}),
    ({"shark": (SHARK, SHARK_EASY, SHARK_EASY)}, {}),
    # an elementary text copied from another article: not this article's version
    ({"shark": (SHARK_EASY, SHARK, SHARK), "king": (SHARK_EASY, KING, KING)},
     {"king": "its elementary text is a copy of the elementary text of 'shark'"}),
    # two articles with each other's intermediate text
    ({"king": (KING_EASY, VAPE_MID, KING), "vape": (VAPE_EASY, KING_MID, VAPE)},
     {"king": "its intermediate text belongs with the", "vape": "its intermediate text belongs with the"}),
])
def test_readability_suite_finds_defective_articles_from_their_texts(articles, defective):
    frame = corpus(articles)
    defects = version_defects(frame)
    assert mismatched_articles(frame) == set(defective)
    assert set(defects) == set(defective)
    for text_id, start in defective.items():
        assert defects[text_id].startswith(start)


@pytest.mark.parametrize(("grades", "share"), [
    ({"a": (5, 8, 11), "b": (6, 9, 12)}, 1.0),
    ({"a": (5, 8, 11), "b": (12, 9, 6)}, 0.5),
    ({"a": (5, 5, 11)}, 0.0),  # a tie is not in order
])
def test_readability_suite_counts_articles_with_levels_strictly_in_order(grades, share):
    frame = pd.DataFrame([{"text_id": text_id, "level_code": level, "grade": grade}
                          for text_id, levels in grades.items() for level, grade in enumerate(levels)])
    assert ordered_share(frame) == share
