"""Property-based tests: generated hostile and careless input through analyze(), revise(), the CLI and
batch. The contract: a Report that keeps coach.report/1 (offsets into the text as given, scores
0-100) or an InputError with a message; the CLI exits 0 or 2 with one line, never a traceback;
batch writes every input record exactly once, in order. Per run: 1,200 + 250 analyze() calls,
300 revise(), 300 `coach check` runs (in-process), 60 batch files (about 270 rows) and 40 streams
(about 200 rows): some 2,500 inputs.

bench/hostile.py runs the same strategies for 10,000 inputs and counts anything but InputError.
"""
from __future__ import annotations

import csv
import io
import json
import math
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from coach import analyze, analyze_stream, revise
from coach.batch import score_csv
from coach.cli import main
from coach.errors import InputError
from coach.report import Report

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # hostile_strategies, shared with bench/hostile.py
import hostile_strategies as hs  # noqa: E402
BASE = settings(deadline=None, database=DirectoryBasedExampleDatabase(str(ROOT / "test-output" / "hypothesis")),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def examples(count: int) -> settings:
    return settings(BASE, max_examples=count)


@pytest.fixture(scope="module", autouse=True)
def loaded_pipeline():
    """Load the spaCy pipeline and data files once, before Hypothesis starts timing examples."""
    analyze("Hi Sam, thanks for waiting. I reset your router.")


def assert_report_contract(text: str, report: Report) -> None:
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert data["schema"] == "coach.report/1"
    assert report.text == text
    for score in [data["overall"], *data["scores"].values()]:
        assert score is None or (isinstance(score, (int, float)) and not math.isnan(score) and 0 <= score <= 100)
    assert {"words", "sentences", "grade"} <= set(data["metrics"])
    for finding in data["findings"]:
        assert 0 <= finding["start"] <= finding["end"] <= len(text)
        assert text[finding["start"]:finding["end"]] == finding["text"]
    for item in data["feedback"]:
        if item.get("start") is not None:
            assert 0 <= item["start"] <= item["end"] <= len(text)


def analyze_or_input_error(text, **kwargs) -> Report | None:
    try:
        return analyze(text, **kwargs)
    except InputError as exc:
        assert str(exc).strip() and "\n" not in str(exc).strip()
        return None


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"text": "\ud800"}, "invalid character at position 0"),                            # was UnicodeEncodeError
    ({"text": "Hi Sam, it is fixed.", "customer_message": 123}, "must be text, not int"),  # was AttributeError
    ({"text": "Hi Sam, it is fixed.", "dimensions": "tone"}, "list of names"),           # was read as t, o, n, e
    ({"text": "Hi Sam, it is fixed.", "dimensions": ["tone", 7]}, "Unknown dimension"),
    ({"text": "Hi Sam, it is fixed.", "audience": ["technical"]}, "Unknown audience"),
    ({"text": "Hi Sam, it is fixed.", "persona": "technical"}, "must be a coach.context.Persona"),
    ({"text": b"Hi Sam"}, "must be text, not bytes"),
])
def test_analyze_wrong_arguments_named_in_the_issue_are_input_errors(kwargs, message):
    with pytest.raises(InputError, match=message):
        analyze(**kwargs)


@examples(1200)
@given(text=hs.reply_text, customer=hs.customer_text, audience=hs.audience, channel=hs.channel)
def test_analyze_keeps_the_contract_or_says_why_not(text, customer, audience, channel):
    report = analyze_or_input_error(text, customer_message=customer, audience=audience, channel=channel)
    if report is not None:
        assert_report_contract(text, report)


@examples(250)
@given(text=hs.reply_text, customer=st.one_of(hs.customer_text, hs.wrong_kind), dimensions=hs.dimensions,
       history=hs.history, persona=st.one_of(st.none(), hs.wrong_kind), wrong_text=hs.wrong_kind)
def test_analyze_arguments_of_the_wrong_kind_are_input_errors(text, customer, dimensions, history, persona,
                                                              wrong_text):
    with pytest.raises(InputError):
        analyze(wrong_text)
    report = analyze_or_input_error(text, customer_message=customer, dimensions=dimensions, history=history,
                                    persona=persona)
    if report is not None:
        assert_report_contract(text, report)


@examples(300)
@given(text=hs.reply_text, customer=hs.customer_text)
def test_revise_returns_text_or_an_input_error(text, customer):
    try:
        revised = revise(text, customer_message=customer)
    except InputError:
        return
    assert isinstance(revised, str) and revised.strip()


@examples(300)
@given(data=hs.file_bytes, as_json=st.booleans())
def test_cli_check_exits_0_with_a_report_or_2_with_one_line(data, as_json, tmp_path_factory, capsys):
    path = tmp_path_factory.mktemp("check") / "reply.txt"
    path.write_bytes(data)
    status = main(["check", *(["--json"] if as_json else []), str(path)])
    out, err = capsys.readouterr()
    if status == 0:
        assert err == ""
        if as_json:
            assert json.loads(out)["schema"] == "coach.report/1"
        else:
            assert out.startswith("Overall: ")
    else:
        assert status == 2, err
        assert err.startswith("coach: ") and err.count("\n") == 1 and "Traceback" not in err


# Placeholders put into a reply before it is written, then swapped for the damaging bytes: a NUL,
# a Windows-1252 apostrophe, bytes that are not UTF-8. Private-use characters need no CSV quoting.
DAMAGE = {"\ue000": b"\x00", "\ue001": b"\x92", "\ue002": b"\xff\xfe"}


@examples(60)
@given(rows=st.lists(st.tuples(hs.csv_field, hs.csv_field), min_size=1, max_size=8),
       style=st.sampled_from(("quoted", "naive")),
       damage=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.sampled_from(sorted(DAMAGE))), max_size=4))
def test_batch_writes_every_record_once_in_order(rows, style, damage, tmp_path_factory):
    rows = [list(row) for row in rows]
    for which_row, where, placeholder in damage:
        row = rows[int(which_row * (len(rows) - 1))]
        at = int(where * len(row[0]))
        row[0] = row[0][:at] + placeholder + row[0][at:]
    folder = tmp_path_factory.mktemp("batch")
    source, out = folder / "in.csv", folder / "out.csv"
    data = _csv_bytes(rows, style)
    for placeholder, damaging in DAMAGE.items():
        data = data.replace(placeholder.encode(), damaging)
    source.write_bytes(data)
    summary = score_csv(source, out, "reply", customer_column="customer" if style == "quoted" else None,
                        progress=False)
    with open(out, encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert [row["id"] for row in written] == [f"r{i}" for i in range(len(rows))]
    assert summary.rows == len(rows) and summary.scored + summary.errors == len(rows)
    assert "\x00" not in "".join(row["reply"] for row in written)
    for row in written:
        if row["coach_overall"]:
            assert 0 <= float(row["coach_overall"]) <= 100
        else:
            assert row["coach_error"]


def _csv_bytes(rows: list[list[str]], style: str) -> bytes:
    if style == "quoted":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["id", "reply", "customer"])
        writer.writerows([(f"r{i}", text, customer) for i, (text, customer) in enumerate(rows)])
        return buffer.getvalue().encode("utf-8", errors="surrogatepass")
    # An export that never quotes: commas split the reply; line breaks and quotes are taken out
    # (no reader can tell where such a record ends).
    lines = ["id,reply"] + [f"r{i},{_unquotable(text)}" for i, (text, _) in enumerate(rows)]
    return "\r\n".join(lines).encode("utf-8", errors="surrogatepass") + b"\r\n"


def _unquotable(text: str) -> str:
    return "".join(" " if ch in "\r\n\"\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" else ch for ch in text)


@examples(40)
@given(rows=st.lists(st.one_of(st.tuples(hs.reply_text, hs.customer_text), hs.wrong_kind, st.none()),
                     max_size=10))
def test_analyze_stream_yields_one_item_per_row(rows):
    items = list(analyze_stream(rows))
    assert [item.index for item in items] == list(range(len(rows)))
    for item, row in zip(items, rows):
        assert (item.report is None) != (item.error is None)
        if item.report is not None:
            assert_report_contract(row[0], item.report)
