"""`overall`: the fitted weighted mean, the points for what a reply tells the customer, and the caps."""
from __future__ import annotations

import pytest

from coach import analyze
from coach.context import Persona
from coach.errors import DataFileError
from coach.findings import Finding
from coach.scoring import OVERALL_WEIGHTS_FILE, OverallWeights, answer_features, overall_score, overall_weights
from coach.datafiles import validate

ALL_GOOD = {"jargon": 100.0, "readability": 100.0, "tone": 100.0, "empathy": 40.0, "grammar": 100.0,
            "security": 100.0}
CALM = Persona(audience="non-technical")


def test_overall_weights_are_fitted_data_and_non_negative():
    model = overall_weights()
    assert model.n >= 120 and model.scale > 0
    assert all(weight >= 0 for weight in model.weights.values())
    with pytest.raises(DataFileError, match="scale"):
        validate(OverallWeights, {**model.model_dump(), "scale": -1}, OVERALL_WEIGHTS_FILE, "")


def test_informative_words_raise_overall_and_unanswered_questions_lower_it():
    told = {"informative_words": 12, "checked_requests": 1, "unanswered_requests": 0}
    said_little = {"informative_words": 1, "checked_requests": 1, "unanswered_requests": 0}
    left_open = {"informative_words": 12, "checked_requests": 1, "unanswered_requests": 1}
    scores = [overall_score(ALL_GOOD, [], CALM, m) for m in (told, said_little, left_open)]
    assert scores[0] > scores[1] and scores[0] > scores[2]


@pytest.mark.parametrize("metrics", [{"nothing_owed": True, "informative_words": 0}])
def test_nothing_owed_counts_as_fully_told(metrics):
    assert answer_features(metrics, overall_weights())["substance"] == 1.0


def test_what_a_reply_tells_counts_as_kindly_as_it_is_told():
    metrics = {"informative_words": 20}
    assert answer_features(metrics, overall_weights(), tone=20.0)["substance"] < answer_features(
        metrics, overall_weights(), tone=90.0)["substance"]


def test_a_low_empathy_score_is_not_a_flaw_that_caps_overall():
    # a plain, correct answer showing no warmth must not be held at its empathy + the weakest margin
    full = {"informative_words": 20, "checked_requests": 0, "unanswered_requests": 0}
    cold = {**ALL_GOOD, "empathy": 5.0}
    assert overall_score(cold, [], CALM, full) > 5.0 + 40


def test_a_critical_finding_still_caps_overall():
    critical = Finding("security", "security.asks-for-password", "critical", 0, 4, "pass", "m")
    assert overall_score(ALL_GOOD, [critical], CALM, {"informative_words": 20}) <= 40


def test_a_plain_answer_beats_a_warm_non_answer_overall():
    customer = "How do I change my password? I can't find the option anywhere."
    plain = analyze("Hi Tom,\n\nGo to Account settings, then Security, then Change password.\n\nLea",
                    customer_message=customer)
    warm = analyze("Hi Tom,\n\nI completely understand your frustration. I'm sorry for any inconvenience this "
                   "has caused. Please let us know if you need anything else.\n\nLea", customer_message=customer)
    assert plain.overall > warm.overall
