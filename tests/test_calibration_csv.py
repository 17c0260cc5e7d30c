"""The reviewer-scores CSV that `coach calibrate import` and `coach eval` read."""
from __future__ import annotations

from datetime import datetime

import pytest

from coach.analyzers import REGISTRY
from coach.calibration_csv import DIMENSIONS, parse, read
from coach.errors import InputError

HEADER = "reply,reviewer,scale,jargon,tone,pass,channel,date\n"


def test_dimensions_are_the_coachs():
    assert set(DIMENSIONS) == set(REGISTRY)


@pytest.mark.parametrize("scale, raw, expected", [("1-5", "1", 0.0), ("1-5", "5", 100.0), ("1-5", "3.5", 62.5),
                                                  ("0-100", "80", 80.0), ("", "0", 0.0)])
def test_scores_come_back_on_the_coachs_scale(scale, raw, expected):
    row, = parse(HEADER + f"Hi there,Ann,{scale},{raw},,pass,chat,\n")
    assert row.scores == {"jargon": expected} and row.passed is True and row.channel == "chat"


def test_optional_columns_and_header_case():
    text = ("Reply,Reviewer,Tone,Customer_Message,Agent,Date,ID\n"
            "\"Hi Sam,\nsorry!\",ann@a.example,40,It broke,AL@A.example,2026-11-23T14:05:00+01:00,T-1\n\n")
    row, = parse("\ufeff" + text)
    assert row.reply == "Hi Sam,\nsorry!" and row.customer_message == "It broke" and row.agent == "al@a.example"
    assert row.date == datetime(2026, 11, 23, 13, 5) and row.id == "T-1" and row.passed is None and row.line == 3


@pytest.mark.parametrize("text, problem", [
    ("", "empty"),
    ("reply,tone\nHi,50\n", "no column 'reviewer'"),
    ("reply,reviewer\nHi,Ann\n", "no score column"),
    (HEADER, "no rows"),
    (HEADER + "Hi,Ann,1-5,6,,,,\n", "line 2, column 'jargon': 6 is outside the 1-5 scale"),
    (HEADER + "Hi,Ann,,150,,,,\n", "outside the 0-100 scale"),
    (HEADER + "Hi,Ann,,abc,,,,\n", "not a number"),
    (HEADER + "Hi,Ann,1-10,5,,,,\n", "column 'scale'"),
    (HEADER + "Hi,Ann,,50,,maybe,,\n", "column 'pass'"),
    (HEADER + "Hi,Ann,,50,,,phone,\n", "column 'channel'"),
    (HEADER + "Hi,Ann,,50,,,,yesterday\n", "column 'date'"),
    (HEADER + ",Ann,,50,,,,\n", "the reply is empty"),
    (HEADER + "Hi,,,50,,,,\n", "who reviewed"),
    (HEADER + "Hi,Ann,,,,,,\n", "nothing to compare"),
])
def test_bad_files_name_the_line_and_column(text, problem):
    with pytest.raises(InputError, match=problem):
        parse(text, "scores.csv")


def test_read_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_bytes(b"reply,reviewer,tone\n\xff\xfe,Ann,5\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read(path)
