"""Fixtures of the storage tests: every test that takes `store` runs on each available database.

SQLite (a fresh file under tmp_path) always; PostgreSQL when COACH_TEST_DATABASE_URL is set (e.g.
postgresql+psycopg://coach:coach@127.0.0.1:5432/coach_test, as .ci/run sets it), emptied before each test.
"""
from __future__ import annotations

import os

import pytest
from argon2 import PasswordHasher
from sqlalchemy import MetaData, create_engine

from coach.store import auth, repository
from coach.store.db import Store, open_store
from coach.store.models import User

POSTGRES_URL = os.environ.get("COACH_TEST_DATABASE_URL", "").strip()
PASSWORD = "correct horse battery"


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        metadata.drop_all(connection)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'coach.db'}"
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not tested: set COACH_TEST_DATABASE_URL=postgresql+psycopg://... to run it")
    _empty_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def store(database_url) -> Store:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """argon2 with small costs: the tests hash many passwords; the algorithm (argon2id) is the same."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", lambda: hasher)
    dummy = hasher.hash("not a real password")
    monkeypatch.setattr(auth, "_dummy_hash", lambda: dummy)


@pytest.fixture
def teams(store) -> dict[str, int]:
    """Two teams: A (manager Ann, agent Al, trainee Tia) and B (manager Bob, agent Bea); Zed has no team."""
    people = [("Ann", "ann@a.example", "manager", "A"), ("Al", "al@a.example", "agent", "A"),
              ("Tia", "tia@a.example", "trainee", "A"), ("Bob", "bob@b.example", "manager", "B"),
              ("Bea", "bea@b.example", "agent", "B"), ("Zed", "zed@z.example", "manager", None)]
    with store.write() as session:
        return {name: repository.add_user(session, name, email, role, PASSWORD, team).id
                for name, email, role, team in people}


def signed_in(store: Store, user_id: int):
    """The SignedIn identity of `user_id`, as sign-in gives it (the writes of history need one)."""
    with store.read() as session:
        return auth.identity(session.get(User, user_id))


@pytest.fixture
def me(store, teams):
    """me("Al") -> Al's signed-in identity."""
    return lambda name: signed_in(store, teams[name])


@pytest.fixture
def info(store, teams):
    """info("Ann") -> Ann's UserInfo, as a signed-in front end would hold it."""
    def get(name: str):
        with store.read() as session:
            return repository.user_info(session, teams[name])
    return get


def report_dict(overall: float = 70.0, **scores: float) -> dict:
    """A report.to_dict() as coach.analyze returns it (storage never analyses, so tests need no pipeline)."""
    dims = {"jargon": 60.0, "readability": 80.0, "tone": 90.0, "empathy": 50.0, "grammar": 100.0, "security": 100.0}
    dims.update(scores)
    return {
        "schema": "coach.report/1", "overall": overall, "scores": dims, "status": {},
        "findings": [
            {"analyzer": "jargon", "rule": "jargon.acronym", "severity": "warning", "start": 13, "end": 16,
             "text": "DNS", "message": "'DNS' is jargon for most customers.", "suggestion": None},
            {"analyzer": "jargon", "rule": "jargon.acronym", "severity": "warning", "start": 30, "end": 33,
             "text": "ISP", "message": "'ISP' is jargon for most customers.", "suggestion": None},
            {"analyzer": "empathy", "rule": "empathy.no-apology", "severity": "suggestion", "start": 0, "end": 0,
             "text": "", "message": "Say sorry.", "suggestion": None},
        ],
        "evidence": [], "strengths": [],
        "feedback": [{"priority": 1, "analyzer": "jargon", "rule": "jargon.acronym", "title": "Spell out DNS",
                      "detail": "...", "quote": "DNS", "start": 13, "end": 16, "rewrite": None}],
        "summary": "", "audience": "non-technical", "customer_mood": "calm",
        "metrics": {"words": 12, "sentences": 2, "grade": 6.0},
    }
