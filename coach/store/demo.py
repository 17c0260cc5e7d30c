"""`coach demo`: a demo team with weeks of history, made by really analysing replies.

The people and practice replies are data (coach/data/demo.yaml); the checked replies come from
sample_replies/: for each customer message, a ladder of drafts from the poor reply to the good one
(the poor reply, the poor reply with a greeting and sign-off, the good reply missing a paragraph,
the good reply). Every draft is run through coach.analyze_stream as a reply in the sample's channel
(`channel:` of sample_replies/*.yaml), the ladder is sorted by the overall score the analysis gave,
and each week a person picks the rung that matches their skill that week (skill moves from `start`
to `end`, with some noise). So trends are real analysis results, and people who improve write
measurably better replies, not random numbers.

Practice runs play scenarios through coach.practice when a scenario of that id is available;
otherwise each practice reply is analysed and recorded directly.

Every reply is signed with the name of the person who "wrote" it (the sample's sign-off name is
swapped for theirs), and the signed text is what is analysed and stored.

QA reviews are simulated (the demo has no real reviewers): each week the demo's reviewers score
some of the kept replies as the coach did, shifted by their own bias per dimension (demo.yaml),
plus noise, rounded to a 1-5 scorecard; they pass a reply with an average of at least 70 and no
skill scored 1 or 2.
That gives the "Coach vs reviewers" view something to show; it is labelled as simulated data.

Demo data is refused in a real workspace: if any user was not made by the demo, nothing happens.
"""
from __future__ import annotations

import functools
import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from coach.config import DATA_DIR
from coach.datafiles import field, load_yaml
from coach.engine import analyze, analyze_stream
from coach.errors import CoachError, DataFileError
from coach.samples import SampleCase, load_samples
from coach.store import calibration, repository, rules
from coach.store.auth import identity
from coach.store.db import Store
from coach.store.models import DISMISS_REASONS, ROLES, Attempt, SignedIn, Team, User, utcnow

DEMO_FILE = DATA_DIR / "demo.yaml"
LEVELS = ("weak", "fair", "strong")
# Skill at or above these plays a practice scenario at that level (below the first: weak).
LEVEL_FROM = {"fair": 0.35, "strong": 0.7}
SKILL_NOISE = 0.12
WORKDAY_HOURS = (9, 17)
_PARAGRAPH = re.compile(r"\n\s*\n")


class DemoRefusedError(CoachError):
    """The database holds real accounts: demo data would mix with them."""


@dataclass(frozen=True)
class DemoPerson:
    name: str
    email: str
    role: str
    password: str
    skill_start: float
    skill_end: float
    weak_on: str | None
    checks: int
    practice: float

    def skill(self, week: int, weeks: int) -> float:
        progress = week / (weeks - 1) if weeks > 1 else 1.0
        return self.skill_start + (self.skill_end - self.skill_start) * progress


@dataclass(frozen=True)
class DemoReviewer:
    name: str
    email: str | None  # None: the manager, who reviews too
    password: str | None
    bias: dict[str, float]


@dataclass(frozen=True)
class DemoPushback:
    person: str   # e-mail
    rule: str
    reason: str
    share: float
    note: str | None


@dataclass(frozen=True)
class DemoSpec:
    team: str
    manager: dict[str, str]
    people: tuple[DemoPerson, ...]
    practice: dict[str, dict[str, tuple[str, ...]]]
    reviewers: tuple[DemoReviewer, ...] = ()
    reviews_per_week: int = 0
    review_noise: float = 0.0
    pushback: tuple[DemoPushback, ...] = ()


@dataclass(frozen=True)
class DemoAccount:
    name: str
    email: str
    role: str
    password: str


@dataclass(frozen=True)
class DemoSummary:
    accounts: tuple[DemoAccount, ...]
    checks: int
    practice_sessions: int
    practice_turns: int
    seconds: float
    reviews: int = 0
    dismissals: int = 0

    def __str__(self) -> str:
        lines = [f"Demo team ready: {self.checks} checks and {self.practice_sessions} practice sessions "
                 f"({self.practice_turns} turns), analysed in {self.seconds:.0f} s; {self.reviews} simulated "
                 f"QA reviews and {self.dismissals} flags dismissed.", "Sign in with:"]
        lines += [f"  {a.email:<24} {a.password:<18} {a.role} ({a.name})" for a in self.accounts]
        return "\n".join(lines)


def _person(raw: Any, path: Path, where: str) -> DemoPerson:
    role = field(raw, "role", str, path, where)
    if role not in ROLES:
        raise DataFileError(path, f"{where}.role", f"must be one of {', '.join(ROLES)}")
    skill = field(raw, "skill", dict, path, where)
    bounds = [field(skill, key, (int, float), path, f"{where}.skill") for key in ("start", "end")]
    if not all(0 <= value <= 1 for value in bounds):
        raise DataFileError(path, f"{where}.skill", "start and end must be between 0 and 1")
    return DemoPerson(field(raw, "name", str, path, where), field(raw, "email", str, path, where), role,
                      field(raw, "password", str, path, where), float(bounds[0]), float(bounds[1]),
                      field(raw, "weak_on", str, path, where, None), field(raw, "checks", int, path, where),
                      float(field(raw, "practice", (int, float), path, where, 0)))


@functools.cache
def load_demo_spec(path: Path = DEMO_FILE) -> DemoSpec:
    raw = load_yaml(path)
    people = tuple(_person(item, path, f"people[{i}]")
                   for i, item in enumerate(field(raw, "people", list, path, "")))
    practice = {}
    for scenario_id, levels in field(raw, "practice", dict, path, "").items():
        where = f"practice.{scenario_id}"
        practice[scenario_id] = {}
        for level in LEVELS:
            replies = field(levels, level, list, path, where)
            if not all(isinstance(r, str) and r.strip() for r in replies):
                raise DataFileError(path, f"{where}.{level}", "must be a list of reply texts")
            practice[scenario_id][level] = tuple(replies)
    manager = field(raw, "manager", dict, path, "")
    for key in ("name", "email", "password"):
        field(manager, key, str, path, "manager")
    reviews = field(raw, "reviews", dict, path, "")
    reviewers = []
    for i, item in enumerate(field(reviews, "reviewers", list, path, "reviews")):
        where = f"reviews.reviewers[{i}]"
        bias = field(item, "bias", dict, path, where, {})
        if not all(isinstance(v, (int, float)) for v in bias.values()):
            raise DataFileError(path, f"{where}.bias", "must map dimensions to numbers")
        reviewers.append(DemoReviewer(field(item, "name", str, path, where), field(item, "email", str, path, where, None),
                                      field(item, "password", str, path, where, None),
                                      {str(k): float(v) for k, v in bias.items()}))
    pushback = []
    for i, item in enumerate(field(raw, "dismissals", list, path, "", [])):
        where = f"dismissals[{i}]"
        reason = field(item, "reason", str, path, where)
        if reason not in DISMISS_REASONS:
            raise DataFileError(path, f"{where}.reason", f"must be one of {', '.join(DISMISS_REASONS)}")
        pushback.append(DemoPushback(field(item, "person", str, path, where), field(item, "rule", str, path, where),
                                     reason, float(field(item, "share", (int, float), path, where)),
                                     field(item, "note", str, path, where, None)))
    return DemoSpec(field(raw, "team", str, path, ""), manager, people, practice, tuple(reviewers),
                    field(reviews, "per_week", int, path, "reviews"),
                    float(field(reviews, "noise", (int, float), path, "reviews")), tuple(pushback))


_SIGNATURE = re.compile(r"(?:(?<=\n)|(?<=[.!?] ))(?!(?:Thanks|Cheers|Regards|Best|Bye)\b)([A-Z][a-z]+)\s*\Z")
# a line that is only a name, as under "Best regards,"
_NAME_LINE = re.compile(r"(?m)(?<=\n)(?!(?:Thanks|Cheers|Regards|Best|Bye|Hi|Hello)\b)([A-Z][a-z]+)[ \t]*$")
_GREETING = re.compile(r"(?:Hi|Hello|Dear|Good (?:morning|afternoon|evening))\b")


def sign_as(text: str, name: str) -> str:
    """`text` signed by `name`: its sign-off names (a name alone on a line, or the word ending the reply)
    replaced by their first name."""
    first = name.split()[0]
    text = _NAME_LINE.sub(first, text)
    match = _SIGNATURE.search(text)
    return text if match is None else text[: match.start(1)] + first + text[match.end(1):]


def ladder(case: SampleCase) -> list[str]:
    """Drafts for one customer message, from poor to good (before analysis sorts them by score)."""
    good = next((r.text.strip() for r in case.replies if r.quality == "good"), None)
    poor = [r.text.strip() for r in case.replies if r.quality == "poor"]
    drafts = list(poor)
    if good:
        paragraphs = _PARAGRAPH.split(good)
        if len(paragraphs) >= 3:
            greeting, sign_off = paragraphs[0], paragraphs[-1]
            # a poor reply with a greeting or a sign-off of its own keeps it, rather than getting two
            drafts += [("" if _GREETING.match(text) else f"{greeting}\n\n") + text
                       + ("" if _SIGNATURE.search(text) else f"\n\n{sign_off}") for text in poor]
        if len(paragraphs) >= 4:
            drafts.append("\n\n".join(paragraphs[:1] + paragraphs[2:]))
        drafts.append(good)
    return list(dict.fromkeys(drafts))


def analysed_ladders(cases: Iterable[SampleCase]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Each case's ladder of drafts with their reports (Report.to_dict()), by overall score from low to
    high. Each draft is judged as what it is, a reply in the case's channel: a one-line e-mail is
    still an e-mail, with its greeting and sign-off missing."""
    cases = list(cases)
    drafts = [(case, text) for case in cases for text in ladder(case)]
    by_case: dict[str, list[tuple[str, dict[str, Any]]]] = {case.id: [] for case in cases}
    rows = ((text, case.customer, case.channel) for case, text in drafts)
    for (case, text), item in zip(drafts, analyze_stream(rows)):
        if item.report is not None:
            by_case[case.id].append((text, item.report.to_dict()))
    for options in by_case.values():
        options.sort(key=lambda option: option[1]["overall"] if option[1]["overall"] is not None else -1.0)
    return by_case


@dataclass(frozen=True)
class _PlannedCheck:
    person: int
    when: datetime
    case: SampleCase
    skill: float


def _moment(rng: random.Random, week_start: datetime, now: datetime) -> datetime:
    """A weekday working-hours moment in the week starting on Monday `week_start`, before `now`."""
    for _ in range(20):
        moment = week_start + timedelta(days=rng.randrange(5), hours=rng.randint(*WORKDAY_HOURS),
                                        minutes=rng.randrange(60))
        if moment < now:
            return moment
    return now - timedelta(minutes=rng.randrange(1, 120))


def _pick(reports: list[dict[str, Any]], skill: float, weak_on: str | None) -> int:
    """The index (into reports sorted by overall) a writer of this skill would produce."""
    index = round(min(max(skill, 0.0), 1.0) * (len(reports) - 1))
    if weak_on is None:
        return index
    nearby = range(max(index - 1, 0), min(index + 2, len(reports)))
    return min(nearby, key=lambda i: ((reports[i]["scores"].get(weak_on) or 0.0), abs(i - index)))


class _Practice:
    """Plays a demo practice run once per (scenario, level): the analysis is deterministic."""

    def __init__(self, spec: DemoSpec) -> None:
        self.spec = spec
        self._runs: dict[tuple[str, str], Any] = {}
        self._library = self._load_library()

    @staticmethod
    def _load_library():
        try:
            from coach.practice import load_library
        except ImportError:
            return None
        return load_library()

    def _scenario(self, scenario_id: str):
        if self._library is None:
            return None
        try:
            return self._library.get(scenario_id)
        except CoachError:
            return None

    def turns(self, scenario_id: str, level: str, previous: list[dict[str, Any]],
              writer: str) -> tuple[list[dict], dict | None]:
        """([{turn, customer, reply, report, outcome}], debrief dict or None) for one run by `writer`."""
        replies = tuple(sign_as(text, writer) for text in self.spec.practice[scenario_id][level])
        key = (scenario_id, level, writer)
        scenario = self._scenario(scenario_id)
        if scenario is None:
            if key not in self._runs:
                self._runs[key] = [{"turn": n, "customer": None, "reply": text,
                                    "report": analyze(text).to_dict(), "outcome": None}
                                   for n, text in enumerate(replies, start=1)]
            return self._runs[key], None
        from coach.practice import run_scripted

        if key not in self._runs:
            self._runs[key] = run_scripted(scenario, list(replies[: len(scenario.turns)]))
        session = self._runs[key]
        turns = [{"turn": t.number, "customer": t.customer, "reply": t.reply, "report": t.report.to_dict(),
                  "outcome": t.outcome} for t in session.turns]
        return turns, session.debrief(previous).to_dict()


def _level(skill: float) -> str:
    level = "weak"
    for name, threshold in LEVEL_FROM.items():
        if skill >= threshold:
            level = name
    return level


def refuse_real_workspace(store: Store) -> None:
    """Raise DemoRefusedError when any account was not made by the demo."""
    with store.read() as session:
        if repository.count_real_users(session):
            raise DemoRefusedError(
                "This database already has real accounts, so no demo data was added. Point "
                "COACH_DATABASE_URL at a new database (e.g. sqlite:///demo.db) to try the demo.")


def create_demo(store: Store, weeks: int = 8, people: int | None = None, now: datetime | None = None,
                seed: int = 7) -> DemoSummary:
    """Fill `store` with the demo team and `weeks` weeks of history up to `now`.

    Replaces an earlier demo; refuses (DemoRefusedError) when the database has real users.
    `people` limits how many of the demo's people are made (the tests use fewer, and fewer weeks).
    """
    began = time.monotonic()
    if weeks < 1:
        raise CoachError("The demo needs at least one week of history.")
    refuse_real_workspace(store)
    spec = load_demo_spec()
    persons = spec.people[:people] if people is not None else spec.people
    now = now or utcnow()
    rng = random.Random(seed)
    cases = load_samples()
    first_monday = (now - timedelta(weeks=weeks - 1, days=now.weekday())).replace(hour=0, minute=0, second=0,
                                                                                  microsecond=0)
    planned: list[_PlannedCheck] = []
    runs: list[tuple[int, datetime, str, str]] = []
    scenario_ids = sorted(spec.practice)
    for index, person in enumerate(persons):
        credit = 0.0
        for week in range(weeks):
            week_start = first_monday + timedelta(weeks=week)
            skill = person.skill(week, weeks)
            for _ in range(person.checks):
                planned.append(_PlannedCheck(index, _moment(rng, week_start, now), rng.choice(cases),
                                             skill + rng.gauss(0, SKILL_NOISE)))
            credit += person.practice
            while credit >= 1 - 1e-9:
                credit -= 1
                runs.append((index, _moment(rng, week_start, now), rng.choice(scenario_ids),
                             _level(skill + rng.gauss(0, SKILL_NOISE / 2))))

    by_case = analysed_ladders({check.case.id: check.case for check in planned}.values())

    practice = _Practice(spec)
    summaries: dict[tuple[int, str], list[dict[str, Any]]] = {}
    played = []
    for person_index, when, scenario_id, level in sorted(runs, key=lambda run: run[1]):
        previous = summaries.setdefault((person_index, scenario_id), [])
        turns, debrief = practice.turns(scenario_id, level, list(previous), persons[person_index].name)
        if debrief is not None:
            previous.append(debrief)
        played.append((person_index, when, scenario_id, turns, debrief))

    # Each person's pick, signed with their name; the signed reply is what is analysed and stored.
    picks = []
    for check in sorted(planned, key=lambda c: c.when):
        options = by_case[check.case.id]
        if options:
            reports = [report for _, report in options]
            text, _ = options[_pick(reports, check.skill, persons[check.person].weak_on)]
            picks.append((check, sign_as(text, persons[check.person].name)))
    signed = list(dict.fromkeys((text, check.case.customer, check.case.channel) for check, text in picks))
    signed_reports = {row: item.report.to_dict() for row, item in zip(signed, analyze_stream(signed))
                      if item.report is not None}

    accounts = [DemoAccount(spec.manager["name"], spec.manager["email"], "manager", spec.manager["password"])]
    accounts += [DemoAccount(p.name, p.email, p.role, p.password) for p in persons]
    accounts += [DemoAccount(r.name, r.email, "agent, QA reviewer", r.password) for r in spec.reviewers
                 if r.email and r.password]
    checks = practice_turns = dismissals = 0
    with store.write() as session:
        if repository.count_real_users(session):  # someone signed up while the replies were analysed
            raise DemoRefusedError("Real accounts appeared in this database; no demo data was added.")
        _remove_demo(session)
        manager = repository.add_user(session, spec.manager["name"], spec.manager["email"], "manager",
                                      spec.manager["password"], spec.team, is_demo=True)
        users = [repository.add_user(session, p.name, p.email, p.role, p.password, spec.team, is_demo=True)
                 for p in persons]
        reviewer_users = [manager if r.email is None else
                          repository.add_user(session, r.name, r.email, "agent", r.password, spec.team, is_demo=True)
                          for r in spec.reviewers]
        for user in reviewer_users:
            user.is_reviewer = user.role != "manager"
        # The operator's tool writes as each demo person (auth.identity: the CLI owns the database).
        identities = [identity(user) for user in users]
        reviewer_identities = [identity(user) for user in reviewer_users]
        kept = []
        for check, text in picks:
            report = signed_reports.get((text, check.case.customer, check.case.channel))
            if report is None:
                continue
            # Some people tick "keep my reply text", so quotes exist and replies can be reviewed.
            store_text = rng.random() < 0.5
            attempt_id = repository.record_check(session, identities[check.person], report, text, store_text,
                                                 check.case.customer if store_text else None, when=check.when)
            if store_text:
                kept.append((check.when, attempt_id))
            checks += 1
            dismissals += _push_back(session, spec, identities[check.person], report, text, attempt_id, check.when,
                                     rng)
        for person_index, when, scenario_id, turns, debrief in played:
            person = identities[person_index]
            practice_id = repository.start_practice(session, person, scenario_id, when=when)
            for turn in turns:
                repository.record_practice_turn(session, person, practice_id, turn["turn"], turn["customer"] or "",
                                                turn["reply"], turn["report"], turn["outcome"],
                                                when=when + timedelta(minutes=3 * turn["turn"]))
                practice_turns += 1
            if debrief is not None:
                repository.finish_practice(session, person, practice_id, debrief,
                                           when=when + timedelta(minutes=3 * len(turns) + 1))
        reviews = _simulate_reviews(session, spec, reviewer_identities, kept, first_monday, weeks, now, rng)
    return DemoSummary(tuple(accounts), checks, len(played), practice_turns, time.monotonic() - began, reviews,
                       dismissals)


def _push_back(session, spec: DemoSpec, user: SignedIn, report: dict[str, Any], text: str, attempt_id: int,
               when: datetime, rng: random.Random) -> int:
    """Some people say some flags are wrong (demo.yaml `dismissals`); returns how many they dismissed."""
    count = 0
    for pushback in (p for p in spec.pushback if p.person == user.email):
        for finding in report.get("findings", []):
            if finding["rule"] == pushback.rule and rng.random() < pushback.share:
                rules.dismiss_finding(session, user, finding, pushback.reason, text, note=pushback.note,
                                      attempt_id=attempt_id, when=min(when + timedelta(minutes=2), utcnow()))
                count += 1
    return count


def _simulate_reviews(session, spec: DemoSpec, reviewers: list[SignedIn], kept: list[tuple[datetime, int]],
                      first_monday: datetime, weeks: int, now: datetime, rng: random.Random) -> int:
    """Each week, `reviews_per_week` kept replies scored by the demo's reviewers in turn (simulated:
    the coach's score + the reviewer's bias + noise, on a 1-5 scorecard). Returns how many."""
    count = 0
    for week in range(weeks):
        start = first_monday + timedelta(weeks=week)
        candidates = [attempt_id for when, attempt_id in kept if start <= when < start + timedelta(weeks=1)]
        for n, attempt_id in enumerate(rng.sample(candidates, min(spec.reviews_per_week, len(candidates)))):
            index = (week + n) % len(reviewers)
            reviewer, habits = reviewers[index], spec.reviewers[index]
            coach = {s.dimension: s.value for s in session.get(Attempt, attempt_id).scores if s.value is not None}
            scores = {}
            for dimension, value in coach.items():
                simulated = value + habits.bias.get(dimension, 0.0) + rng.gauss(0, spec.review_noise)
                scores[dimension] = float(min(4, max(0, round(simulated / 25))) * 25)
            # a scorecard's usual pass: a good average and no skill scored 1 or 2 (0 or 25)
            passed = sum(scores.values()) / len(scores) >= 70 and min(scores.values()) >= 50 if scores else None
            when = min(start + timedelta(days=rng.randrange(5), hours=16), now)
            calibration.record_review(session, reviewer, attempt_id, scores, passed, when=when)
            count += 1
    return count


def _remove_demo(session) -> None:
    """Delete an earlier demo (its users' history goes with them, by cascade) and its empty team."""
    demo_ids = list(session.scalars(select(User.id).where(User.is_demo.is_(True))))
    if demo_ids:
        session.execute(delete(User).where(User.id.in_(demo_ids)))
    spec = load_demo_spec()
    team = session.scalars(select(Team).where(Team.name == spec.team)).one_or_none()
    if team is not None:
        session.delete(team)
    session.flush()
