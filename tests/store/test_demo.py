"""The demo workspace: real analysis results, improving writers, never mixed into a real workspace."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coach import analyze
from coach.samples import load_samples
from coach.store import calibration, demo, repository, rules
from coach.store.auth import sign_in
from coach.store.models import Attempt, PracticeSession, User

from .conftest import PASSWORD

SPEC = demo.load_demo_spec()


def test_demo_refuses_a_workspace_with_real_accounts(store):
    with store.write() as session:
        repository.add_user(session, "Real Person", "real@corp.example", "manager", PASSWORD, "Support")
    with pytest.raises(demo.DemoRefusedError, match="real accounts"):
        demo.create_demo(store, weeks=1, people=1)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(User).where(User.is_demo.is_(True))) == 0


def test_demo_builds_a_team_from_analysed_replies(store):
    summary = demo.create_demo(store, weeks=2, people=3)
    people = SPEC.people[:3]
    reviewers = [r.email for r in SPEC.reviewers if r.email]
    assert [a.email for a in summary.accounts] == [SPEC.manager["email"]] + [p.email for p in people] + reviewers
    assert summary.checks == 2 * sum(p.checks for p in people)
    manager = sign_in(store, SPEC.manager["email"], SPEC.manager["password"])
    assert manager.role == "manager" and manager.team_names == (SPEC.team,)
    with store.read() as session:
        rows = repository.attempt_rows(session, manager)
        assert {r["name"] for r in rows} == {p.name for p in people}
        assert session.scalar(select(func.count()).select_from(PracticeSession)) == summary.practice_sessions
    # Scores are what coach.analyze says about the stored reply, not made-up numbers.
    kept = [r for r in rows if r["source"] == "check" and r["reply_text"] and "[" not in r["reply_text"]]
    assert kept
    channels = {case.customer: case.channel for case in load_samples()}
    for row in kept[:3]:
        customer = row["customer_text"]
        # as `coach check --channel email` scores the reply: the samples are e-mails
        assert analyze(row["reply_text"], customer_message=customer, channel=channels[customer]).overall == row["overall"]
    practice = [r for r in rows if r["source"] == "practice"]
    assert practice and all(r["scenario_id"] in SPEC.practice and r["outcome"] for r in practice)
    assert len({r["overall"] for r in rows}) > 5
    # Each person signs with their own name, in checks and in practice.
    for row in [r for r in rows if r["reply_text"]]:
        first = row["name"].split()[0]
        others = {p.name.split()[0] for p in SPEC.people} - {first}
        assert not any(row["reply_text"].rstrip().endswith(other) for other in others)
    assert any(r["reply_text"].rstrip().endswith(r["name"].split()[0]) for r in rows if r["reply_text"])

    # Simulated QA reviews of kept replies, by the manager and the demo's QA reviewer, on a 1-5 scorecard.
    with store.read() as session:
        reviews = calibration.review_rows(session, manager)
    assert len(reviews) == summary.reviews > 0
    assert {r["reviewer"] for r in reviews} <= {r.name for r in SPEC.reviewers}
    assert all(r["reply_text"] and r["coach_overall"] is not None for r in reviews)
    given = {v for r in reviews for k, v in r.items() if k.startswith("reviewer_") and k != "reviewer"}
    assert given <= {None, 0.0, 25.0, 50.0, 75.0, 100.0}

    # Some flags were dismissed, by the people and for the rules demo.yaml says, on real findings.
    with store.read() as session:
        dismissals = rules.dismissal_rows(session, manager)
    assert len(dismissals) == summary.dismissals > 0
    pushback = {(p.person, p.rule, p.reason) for p in SPEC.pushback}
    emails = {p.name: p.email for p in people}
    assert all((emails[d["name"]], d["rule"], d["reason"]) in pushback for d in dismissals)

    # Running it again replaces the demo rather than doubling it.
    demo.create_demo(store, weeks=1, people=1)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 2 + len(reviewers)
        assert session.scalar(select(func.count()).select_from(Attempt)) == SPEC.people[0].checks


@pytest.mark.parametrize("case", [c for c in load_samples() if c.channel == "email"][:1] + [
    c for c in load_samples() if c.id == "office-outage"], ids=lambda c: c.id)
def test_demo_judges_each_draft_as_a_reply_in_its_samples_channel(case):
    # a manager reading the demo's coaching points sees what an e-mail is judged on: a one-line
    # e-mail reply misses its greeting and sign-off, as `coach check --channel email` says
    ((_, case_options),) = demo.analysed_ladders([case]).items()
    for text, report in case_options:
        expected = analyze(text, customer_message=case.customer, channel=case.channel)
        assert report["channel"] == case.channel
        assert report["overall"] == expected.overall
        assert sorted(f["rule"] for f in report["findings"]) == sorted(f.rule for f in expected.findings)
    overalls = [report["overall"] for _, report in case_options]
    assert overalls == sorted(overalls)


def test_demo_one_line_email_reply_misses_its_greeting_and_sign_off():
    (case,) = [c for c in load_samples() if c.id == "office-outage"]
    poor = next(r.text.strip() for r in case.replies if r.quality == "poor")
    assert case.channel == "email" and "\n" not in poor
    ((_, options),) = demo.analysed_ladders([case]).items()
    report = dict(options)[poor]
    assert {"tone.missing-greeting", "tone.missing-closing"} <= {f["rule"] for f in report["findings"]}


@pytest.mark.parametrize("case", load_samples()[:4], ids=lambda c: c.id)
def test_demo_ladder_runs_from_the_poor_reply_to_the_good_one(case):
    drafts = demo.ladder(case)
    assert drafts[0] == next(r.text.strip() for r in case.replies if r.quality == "poor")
    assert drafts[-1] == next(r.text.strip() for r in case.replies if r.quality == "good")
    assert len(drafts) == len(set(drafts)) >= 3


def test_demo_higher_skill_picks_a_better_reply():
    reports = [{"overall": float(o), "scores": {"jargon": j}} for o, j in [(30, 90), (50, 20), (70, 80), (90, 95)]]
    picks = [demo._pick(reports, skill, None) for skill in (0.0, 0.3, 0.7, 1.0)]
    assert picks == sorted(picks) and picks[0] == 0 and picks[-1] == 3
    assert demo._pick(reports, 0.4, "jargon") == 1  # weak on jargon: the nearby reply with the worst jargon


@pytest.mark.parametrize("person", SPEC.people, ids=lambda p: p.name)
def test_demo_people_follow_their_skill_curve(person):
    assert person.skill(0, 8) == pytest.approx(person.skill_start)
    assert person.skill(7, 8) == pytest.approx(person.skill_end)
