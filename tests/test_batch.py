"""coach.batch: streaming, ordering, resuming after an interruption, and never losing a row of a
careless export (malformed rows, bad bytes, NULs, torn output, a different input, clashing columns)."""
from __future__ import annotations

import csv
import json

import pytest

from coach import batch
from coach.batch import output_names, score_csv
from coach.errors import InputError

TEXTS = ["Hi Sam, thanks for waiting. I've reset the router and I'll call you at 3pm to check.",
         "Obviously you should have restarted it.", "", "Hello, please check the DNS settings."] * 5
GOOD = "Hi Sam, thanks for waiting. I've reset the router and I'll call you at 3pm to check."


def _write(path, texts, header=("id", "reply")):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([(str(i), t) for i, t in enumerate(texts)])


def _read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_batch_resumes_after_last_written_row(tmp_path, monkeypatch):
    _write(tmp_path / "in.csv", TEXTS)
    monkeypatch.setattr(batch, "CHUNK_ROWS", 4)
    out = tmp_path / "out.csv"
    full = score_csv(tmp_path / "in.csv", out, "reply", progress=False)
    rows = _read(out)
    # an interrupted run: only the header and the first 8 rows made it to disk
    lines = out.read_bytes().split(b"\r\n")
    out.write_bytes(b"\r\n".join(lines[:9]) + b"\r\n")
    resumed = score_csv(tmp_path / "in.csv", out, "reply", progress=False)
    assert resumed.resumed_from == 8
    assert resumed.scored + resumed.errors == len(TEXTS) - 8
    assert _read(out) == rows
    assert full.errors == 5


def test_batch_with_two_workers_matches_one(tmp_path, monkeypatch):
    _write(tmp_path / "in.csv", TEXTS)
    monkeypatch.setattr(batch, "CHUNK_ROWS", 3)
    score_csv(tmp_path / "in.csv", tmp_path / "one.csv", "reply", progress=False, workers=1)
    score_csv(tmp_path / "in.csv", tmp_path / "two.csv", "reply", progress=False, workers=2)
    assert _read(tmp_path / "one.csv") == _read(tmp_path / "two.csv")


def test_batch_unquoted_comma_row_is_kept_and_the_run_goes_on(tmp_path):
    """Before: `ValueError: dict contains fields not in fieldnames` after 1 of 4 rows."""
    source = tmp_path / "in.csv"
    source.write_text(f"id,reply\n0,{GOOD.replace(',', '')}\n1,Hi Sam, I'll fix it today, promise.\n"
                      f"2,Thanks for waiting.\n3,\"{GOOD}\"\n", encoding="utf-8")
    summary = score_csv(source, tmp_path / "out.csv", "reply", progress=False)
    rows = _read(tmp_path / "out.csv")
    assert [r["id"] for r in rows] == ["0", "1", "2", "3"]
    assert rows[1]["reply"] == "Hi Sam, I'll fix it today, promise."
    assert "has 4 fields but the header has 2" in rows[1]["coach_error"] and rows[1]["coach_overall"] == ""
    assert rows[3]["coach_overall"] and not rows[3]["coach_error"]
    assert (summary.rows, summary.stats.malformed) == (4, 1)


def test_batch_undecodable_bytes_after_8_kib_are_replaced_and_counted(tmp_path):
    """Before: UnicodeDecodeError and no output at all."""
    head = "".join(f"{i},{GOOD}\n".replace(", ", " ") for i in range(120))
    assert len(head) > 8192
    data = b"id,reply\n" + head.encode() + b"120,Hi Sam I\x92m sorry about the wait. It works now.\n121,Thanks!\n"
    (tmp_path / "in.csv").write_bytes(data)
    summary = score_csv(tmp_path / "in.csv", tmp_path / "out.csv", "reply", progress=False)
    rows = _read(tmp_path / "out.csv")
    assert len(rows) == 122
    bad = rows[120]
    assert bad["reply"] == "Hi Sam I\ufffdm sorry about the wait. It works now."
    assert bad["coach_overall"] and "1 byte(s) were not UTF-8" in bad["coach_error"]
    assert (summary.stats.undecodable_rows, summary.stats.replaced_bytes) == (1, 1)
    assert "1 undecodable byte(s) replaced" in str(summary)


def test_batch_refuses_to_resume_a_different_input_into_the_same_out(tmp_path):
    """Before: the second file 'resumed after row 300' and its first rows were never scored."""
    _write(tmp_path / "a.csv", [GOOD] * 4)
    _write(tmp_path / "b.csv", ["Obviously you should have restarted it."] * 6)
    out = tmp_path / "out.csv"
    score_csv(tmp_path / "a.csv", out, "reply", progress=False)
    with pytest.raises(InputError, match="holds the results of another input"):
        score_csv(tmp_path / "b.csv", out, "reply", progress=False)
    assert len(_read(out)) == 4  # untouched
    fresh = score_csv(tmp_path / "b.csv", out, "reply", progress=False, restart=True)
    assert (fresh.resumed_from, fresh.rows) == (0, 6)
    assert [r["reply"] for r in _read(out)] == ["Obviously you should have restarted it."] * 6


def test_batch_refuses_an_out_file_it_did_not_write(tmp_path):
    _write(tmp_path / "in.csv", [GOOD])
    (tmp_path / "precious.csv").write_text("my,own\ndata,here\n", encoding="utf-8")
    with pytest.raises(InputError, match="another input"):
        score_csv(tmp_path / "in.csv", tmp_path / "precious.csv", "reply", progress=False)
    assert (tmp_path / "precious.csv").read_text(encoding="utf-8") == "my,own\ndata,here\n"


def test_batch_rerun_of_a_finished_run_scores_nothing_again(tmp_path):
    _write(tmp_path / "in.csv", [GOOD] * 3)
    score_csv(tmp_path / "in.csv", tmp_path / "out.csv", "reply", progress=False)
    again = score_csv(tmp_path / "in.csv", tmp_path / "out.csv", "reply", progress=False)
    assert (again.resumed_from, again.scored, again.errors) == (3, 0, 0)
    assert len(_read(tmp_path / "out.csv")) == 3


def test_batch_input_columns_named_like_results_are_kept(tmp_path):
    """Before: input columns `error` and `overall` were overwritten."""
    with open(tmp_path / "in.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reply", "overall", "error", "coach_tone"])
        writer.writerow([GOOD, "5 stars", "ticket reopened", "theirs"])
    score_csv(tmp_path / "in.csv", tmp_path / "out.csv", "reply", progress=False)
    row, = _read(tmp_path / "out.csv")
    assert (row["overall"], row["error"], row["coach_tone"]) == ("5 stars", "ticket reopened", "theirs")
    assert float(row["coach__overall"]) > 0 and float(row["coach__tone"]) > 0


def test_output_names_never_clash():
    assert output_names(["reply", "overall"])["overall"] == "coach_overall"
    assert output_names(["coach_error"])["error"] == "coach__error"


def test_batch_torn_last_row_is_cut_off_and_scored_again(tmp_path, monkeypatch):
    """Before: a row cut mid-write (crash, full disk) was merged with the next one on resume."""
    _write(tmp_path / "in.csv", TEXTS[:8])
    monkeypatch.setattr(batch, "CHUNK_ROWS", 2)
    out = tmp_path / "out.csv"
    score_csv(tmp_path / "in.csv", out, "reply", progress=False)
    rows = _read(out)
    data = out.read_bytes()
    fifth_row_starts = data.index(b"\r\n4,") + 2
    out.write_bytes(data[:fifth_row_starts + 40])  # the 5th row stops mid-field
    resumed = score_csv(tmp_path / "in.csv", out, "reply", progress=False)
    assert resumed.resumed_from == 4
    assert _read(out) == rows


def test_batch_nul_bytes_are_dropped_and_counted(tmp_path):
    (tmp_path / "in.csv").write_bytes(b"id,reply\n1,Hi Sam,\x00 thanks for waiting.\x00\n".replace(b"Sam,", b"Sam"))
    summary = score_csv(tmp_path / "in.csv", tmp_path / "out.csv", "reply", progress=False)
    assert b"\x00" not in (tmp_path / "out.csv").read_bytes()
    assert _read(tmp_path / "out.csv")[0]["reply"] == "Hi Sam thanks for waiting."
    assert summary.stats.nul_bytes == 2 and "2 NUL byte(s) dropped" in str(summary)


def test_batch_open_quote_does_not_swallow_the_rows_after_it(tmp_path):
    (tmp_path / "in.csv").write_text(f'id,reply\n1,"Hi Sam, the quote never closes\n2,{GOOD.replace(",", "")}\n'
                                     f'3,Thanks\n', encoding="utf-8")
    summary = score_csv(tmp_path / "in.csv", tmp_path / "out.csv", "reply", progress=False)
    rows = _read(tmp_path / "out.csv")
    assert [r["id"] for r in rows] == ['1,"Hi Sam, the quote never closes', "2", "3"]
    assert "not valid CSV" in rows[0]["coach_error"]
    assert rows[1]["coach_overall"] and summary.rows == 3


def test_batch_every_kind_of_malformed_row_gives_every_input_row_once(tmp_path, monkeypatch):
    """The issue's acceptance file: each input record appears once in the output, in order, even
    with an interruption and a torn row in the middle."""
    monkeypatch.setattr(batch, "CHUNK_ROWS", 2)
    lines = [b"id,reply,error,overall",
             b"r0,Hi Sam I reset it.,x,y",
             b"r1,Hi Sam, I'll fix it today, promise.,x,y",         # unquoted comma
             b"r2,Hi Sam I\x92m sorry about that.,x,y",               # Windows-1252 byte
             b"r3,Hi Sam\x00 thanks,x,y",                             # NUL
             b"r4,,x,y",                                             # empty reply
             b"r5,\"multi\nline reply\",x,y",                        # quoted line break
             b"r6,short",                                            # fewer fields
             b"r7,\"x\"oops,x,y",                                    # broken quoting
             b"r8,\"Hi Sam\" fine,x,y",
             b"r9,\"never closed,x,y",                               # open quote
             b"r10,Last one thanks.,x,y"]
    (tmp_path / "in.csv").write_bytes(b"\r\n".join(lines) + b"\r\n")
    out = tmp_path / "out.csv"
    first = score_csv(tmp_path / "in.csv", out, "reply", progress=False)
    ids = [r["id"].split(",")[0].strip('"') for r in _read(out)]
    assert ids == [f"r{i}" for i in range(11)], ids
    assert first.rows == 11 and first.scored + first.errors == 11
    expected = _read(out)
    data = out.read_bytes()
    out.write_bytes(data[:data.index(b"\r\nr6,") + 9])  # interrupted, torn in row r6
    score_csv(tmp_path / "in.csv", out, "reply", progress=False)
    assert _read(out) == expected
    assert all(r["overall"] == "y" for r in expected if r["id"] in ("r0", "r2", "r3"))


def test_batch_out_folder_and_same_file_are_clear_errors(tmp_path):
    _write(tmp_path / "in.csv", [GOOD])
    with pytest.raises(InputError, match="is a folder"):
        score_csv(tmp_path / "in.csv", tmp_path, "reply", progress=False)
    with pytest.raises(InputError, match="is the input file itself"):
        score_csv(tmp_path / "in.csv", tmp_path / "in.csv", "reply", progress=False)


def test_batch_state_records_a_fingerprint_of_the_input(tmp_path):
    _write(tmp_path / "in.csv", [GOOD])
    score_csv(tmp_path / "in.csv", tmp_path / "out.csv", "reply", progress=False)
    state = json.loads((tmp_path / "out.csv.state.json").read_text(encoding="utf-8"))
    assert len(state["input_sha256"]) == 64 and state["text_column"] == "reply"


@pytest.mark.parametrize("ending", [b"\r", b"\n", b"\r\n"])
def test_batch_reads_every_line_ending(tmp_path, ending):
    rows = [b"id,reply", b"1,Thanks for waiting.", b'2,"Two lines' + ending + b'in one reply"', b"3,Fixed now."]
    (tmp_path / "in.csv").write_bytes(ending.join(rows) + ending)
    summary = score_csv(tmp_path / "in.csv", tmp_path / "out.csv", "reply", progress=False)
    written = _read(tmp_path / "out.csv")
    assert [r["id"] for r in written] == ["1", "2", "3"] and summary.stats.malformed == 0
    assert written[1]["reply"] == "Two lines" + ending.decode() + "in one reply"
