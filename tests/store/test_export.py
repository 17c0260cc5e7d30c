"""Exports: CSV a spreadsheet cannot be tricked by, HTML with every user text escaped."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pandas as pd
import pytest

from coach.store import export, progress


@pytest.mark.parametrize("cell", [
    "=HYPERLINK(\"http://evil\")", "+1+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1",
    # OWASP: a trigger after leading white space, a line break, or invisible characters still runs.
    " =HYPERLINK(\"http://evil\")", "\n=1+1", "\u3000=1+1", "\u200b=1+1", "\ufeff@SUM(A1)", "\u2060 +1",
    # full-width and small forms a spreadsheet reads as the trigger
    "\uff1dHYPERLINK(\"http://evil\")", "\uff0b1", "\uff0d2", "\uff20SUM(A1)", "\ufe66 1+1",
])
def test_export_csv_defuses_formulas(cell):
    data = export.csv_bytes(pd.DataFrame({"reply_text": [cell], "overall": [50.0]})).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(data, newline="")))
    assert row["reply_text"] == "'" + cell and row["overall"] == "50.0"


@pytest.mark.parametrize("cell", ["Hi Sam, = is fine mid-text", "A-1 router", "  spaced text", "email me@x.example",
                                  "\u200bhello", ""])
def test_export_csv_leaves_ordinary_text_alone(cell):
    data = export.csv_bytes(pd.DataFrame({"reply_text": [cell]})).decode("utf-8-sig")
    assert next(csv.DictReader(io.StringIO(data, newline="")))["reply_text"] == cell


def test_export_html_escapes_user_text():
    period = progress.Period(date(2025, 3, 3), date(2025, 3, 17))
    comparison = pd.DataFrame({"this period": [80.0], "previous period": [70.0], "change": [10.0]},
                              index=pd.Index(["overall"], name="dimension"))
    people = pd.DataFrame({"user_id": [1], "name": ["<script>alert(1)</script>"], "overall": [80.0],
                           "change since first two weeks": [12.5]})
    points = pd.DataFrame({"rule": ["tone.blame"], "point": ["Don't <b>blame</b>"], "occurrences": [3],
                           "replies": [2], "people": [1], "examples": [["<img src=x onerror=alert(1)>"]]})
    page = export.html_report("Team <A>", period, comparison, people, points, datetime(2025, 3, 17, 9))
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "Team &lt;A&gt;" in page
    assert "+12.5" in page and "+10.0" in page and "03 Mar 2025 to 16 Mar 2025" in page


def test_export_html_draws_the_trend_as_inline_svg_with_direct_labels():
    period = progress.Period(date(2025, 3, 3), date(2025, 3, 17))
    comparison = pd.DataFrame({"this period": [80.0], "previous period": [70.0], "change": [10.0]},
                              index=pd.Index(["overall"], name="dimension"))
    trend = pd.DataFrame({"week": pd.to_datetime(["2025-03-03", "2025-03-10"] * 2),
                          "dimension": ["overall", "overall", "tone", "tone"], "score": [60.0, 70.0, 80.0, 90.0]})
    page = export.html_report("Team", period, comparison, pd.DataFrame(columns=["name"]),
                              pd.DataFrame(), datetime(2025, 3, 17, 9), trend=trend)
    svg = page[page.index("<svg"): page.index("</svg>")]
    assert svg.count("<polyline") == 2 and ">Overall 70</text>" in svg and ">Tone 90</text>" in svg
    assert "<script" not in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize("values, gap, expected", [([50.0, 51.0, 90.0], 5, [50.0, 55.0, 90.0]),
                                                   ([99.0, 100.0, 98.0], 2, [100.0, 102.0, 98.0]),
                                                   ([], 3, [])])
def test_spread_keeps_labels_apart_in_order(values, gap, expected):
    assert export.spread(values, gap) == expected
