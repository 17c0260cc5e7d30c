"""coach.batch: streaming, ordering, resuming after an interruption."""
from __future__ import annotations

import csv

from coach import batch
from coach.batch import score_csv


def _write(path, texts):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "reply"])
        writer.writerows([(str(i), t) for i, t in enumerate(texts)])


def _read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


TEXTS = ["Hi Sam, thanks for waiting. I've reset the router and I'll call you at 3pm to check.",
         "Obviously you should have restarted it.", "", "Hello, please check the DNS settings."] * 5


def test_batch_resumes_after_last_written_row(tmp_path, monkeypatch):
    _write(tmp_path / "in.csv", TEXTS)
    out = tmp_path / "out.csv"
    monkeypatch.setattr(batch, "CHUNK_ROWS", 4)
    full = score_csv(tmp_path / "in.csv", tmp_path / "full.csv", "reply", progress=False)
    # an interrupted run: only the first 8 rows made it to disk
    rows = _read(tmp_path / "full.csv")
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows[:8])
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
