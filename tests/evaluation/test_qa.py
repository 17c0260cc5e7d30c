"""`coach eval --qa FILE.csv`: a team's own QA reviews (the `coach calibrate import` format) as a
labelled set: agreement per skill and pass/fail accuracy, written into the results JSON."""
from __future__ import annotations

import csv
import json

import pytest

from coach.calibration_csv import parse
from coach.cli import main
from coach.evaluation.qa import agreement_entries

CUSTOMER = "My internet keeps dropping every evening and I work from home. This is the third time I've written!"
# (reply, the reviewer's tone and empathy on a 1-5 scorecard, pass/fail)
REVIEWED = [
    ("Hi Dana, I'm really sorry the connection keeps dropping in the evenings, especially when you work from "
     "home. I've booked an engineer for Thursday morning and I'll call you on Wednesday to confirm the time. "
     "Best regards, Sam", 5, 5, "pass"),
    ("Hi Dana, thanks for writing again, and sorry you've had to chase this. I've moved your line to a new "
     "port tonight, which fixes evening drops like yours in most cases; I'll check it tomorrow at noon and "
     "email you what I find. Kind regards, Sam", 5, 4, "pass"),
    ("Hi Dana, sorry about the drops. I've reset your line; it should be stable now. If it drops again, "
     "reply here and I'll book an engineer. Thanks, Sam", 4, 3, "pass"),
    ("Restart the router.", 2, 1, "fail"),
    ("You should have restarted the router before writing to us three times. Obviously it works for "
     "everyone else.", 1, 1, "fail"),
    ("Read the FAQ. We don't handle this here.", 1, 1, "fail"),
]


def _write_csv(path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "reply", "customer_message", "reviewer", "scale", "tone", "empathy", "pass"])
        for index, (reply, tone, empathy, verdict) in enumerate(REVIEWED):
            writer.writerow([f"T-{index}", reply, CUSTOMER, "qa@team.example", "1-5", tone, empathy, verdict])


def test_eval_qa_writes_agreement_per_skill_and_pass_fail_accuracy(tmp_path, capsys):
    reviews, out = tmp_path / "reviews.csv", tmp_path / "latest.json"
    _write_csv(reviews)
    assert main(["eval", "--qa", str(reviews), "--set", "qa", "--out", str(out)]) == 0
    figures = json.loads(out.read_text())
    # only the team's file was measured, and only the skills it scores
    assert set(figures["agreement"]) == {"qa-tone", "qa-empathy", "qa-pass-fail"} and figures["precision"] is None
    for skill in ("tone", "empathy"):
        entry = figures["agreement"][f"qa-{skill}"]
        assert (entry["measure"], entry["n"], entry["path"]) == ("spearman", len(REVIEWED), str(reviews))
        assert entry["value"] > 0.6   # the coach ranks the kind replies above the curt ones, as the reviewer did
        assert isinstance(entry["mean_difference"], float)
        assert figures["sets"][f"qa-{skill}"] == {"path": str(reviews), "size": len(REVIEWED)}
    verdicts = figures["agreement"]["qa-pass-fail"]
    assert verdicts["n"] == len(REVIEWED) and verdicts["reviewer_pass_rate"] == 0.5
    assert verdicts["value"] >= 0.8    # the coach's pass line agrees with the reviewer on 5 of the 6 at least
    shown = capsys.readouterr().out
    assert "qa-tone" in shown and "mean difference" in shown and "qa-pass-fail" in shown


def test_agreement_entries_compute_spearman_mean_difference_and_accuracy():
    header = "reply,reviewer,tone,pass\n"
    reviewer = [0, 25, 50, 75, 100]
    verdicts = ["fail", "fail", "pass", "fail", "pass"]
    rows = parse(header + "".join(f"reply {i},Quinn,{t},{v}\n" for i, (t, v) in enumerate(zip(reviewer, verdicts))))
    coach = [20, 30, 60, 80, 90]                # same order as the reviewer; 6 points more generous on average
    overall = [40, 60, 75, 80, 90]              # passes (>= 70) the last three; the reviewer failed the 4th
    reports = [{"overall": o, "scores": {"tone": c, "empathy": 50.0}} for c, o in zip(coach, overall)]
    entries = agreement_entries(rows, reports, "reviews.csv")
    assert set(entries) == {"qa-tone", "qa-pass-fail"}   # empathy was not scored by the reviewer
    assert entries["qa-tone"] == {"measure": "spearman", "value": 1.0, "n": 5, "mean_difference": 6.0,
                                  "path": "reviews.csv"}
    assert entries["qa-pass-fail"]["value"] == 0.8 and entries["qa-pass-fail"]["n"] == 5
    assert entries["qa-pass-fail"]["coach_pass_rate"] == 0.6


def test_too_few_replies_give_no_correlation_but_still_the_difference():
    rows = parse("reply,reviewer,tone\nfirst,Quinn,40\nsecond,Quinn,60\n")
    entries = agreement_entries(rows, [{"overall": 50, "scores": {"tone": 50}}] * 2, "small.csv")
    assert entries == {"qa-tone": {"measure": "spearman", "value": None, "n": 2, "mean_difference": 0.0,
                                   "path": "small.csv"}}


@pytest.mark.parametrize(("content", "message"), [
    ("reply,reviewer\nHi,Quinn\n", "no score column"),
    ("reply,reviewer,tone\nHi,Quinn,170\n", "outside the 0-100 scale"),
    (None, "Cannot read"),
])
def test_eval_qa_bad_file_is_one_line_and_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "reviews.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["eval", "--qa", str(path), "--set", "qa", "--out", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out.json").exists()
