"""The database: migrations at start, SQLite tuning, transactions, and many writers at once."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from coach.store import repository
from coach.store.db import DatabaseError, current_revision, database_url, head_revision, make_engine, open_store
from coach.store.models import Attempt, Score

from .conftest import report_dict, signed_in

TABLES = {"alembic_version", "teams", "users", "memberships", "attempts", "scores", "finding_counts",
          "practice_sessions", "login_throttle", "team_words", "team_word_changes"}


HERE = str(Path(__file__).parent)  # the writer processes import report_dict from conftest.py


def _count(store, model=Attempt) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def _python(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_db_migrations_create_every_table(store):
    assert TABLES <= set(inspect(store.engine).get_table_names())
    assert current_revision(store.engine) == head_revision()


def test_db_opening_again_is_a_no_op(store, database_url):
    again = open_store(database_url)
    assert current_revision(again.engine) == head_revision()
    again.dispose()


def test_db_default_url_is_a_sqlite_file_in_the_project(monkeypatch):
    monkeypatch.delenv("COACH_DATABASE_URL", raising=False)
    assert database_url().startswith("sqlite:///") and database_url().endswith("/data/coach.db")
    monkeypatch.setenv("COACH_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"


def test_db_sqlite_folder_is_created_and_tuned(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'deep' / 'er' / 'coach.db'}")
    assert (tmp_path / "deep" / "er" / "coach.db").exists()
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.dispose()


@pytest.mark.parametrize("url", ["not a url", "nosuchdialect://x/y"])
def test_db_bad_url_is_a_clear_error(url):
    with pytest.raises(DatabaseError, match="database"):
        open_store(url)


def test_db_unreachable_server_is_a_clear_error():
    with pytest.raises(DatabaseError, match="Cannot open the database"):
        open_store("postgresql+psycopg://coach:coach@127.0.0.1:1/nothing?connect_timeout=2")


def test_db_failed_write_leaves_nothing_behind(store, teams):
    with pytest.raises(RuntimeError), store.write() as session:
        repository.record_check(session, signed_in(store, teams["Al"]), report_dict(), "reply", True)
        raise RuntimeError("the app stopped mid-write")
    assert _count(store) == 0 and _count(store, Score) == 0


def test_db_process_killed_mid_write_loses_only_that_write(store, teams, database_url):
    code = """
        import os, sys
        from coach.store import repository
        from coach.store.db import open_store
        sys.path.insert(0, sys.argv[3])
        from conftest import report_dict, signed_in
        store = open_store(sys.argv[1])
        user_id = signed_in(store, int(sys.argv[2]))
        for _ in range(3):
            with store.write() as session:
                repository.record_check(session, user_id, report_dict(), "kept", False)
        with store.write() as session:
            repository.record_check(session, user_id, report_dict(), "lost", False)
            session.flush()
            os._exit(9)  # killed before the commit
    """
    process = _python(code, database_url, str(teams["Al"]), HERE)
    process.wait(timeout=300)
    assert process.returncode == 9, process.stderr.read()
    assert _count(store) == 3
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


WRITER = """
    import sys, time
    from coach.store import repository
    from coach.store.db import open_store
    sys.path.insert(0, sys.argv[4])
    from conftest import report_dict, signed_in
    store = open_store(sys.argv[1])
    user_id, count = signed_in(store, int(sys.argv[2])), int(sys.argv[3])
    start = float(sys.argv[5])
    while time.time() < start:
        time.sleep(0.01)
    for index in range(count):
        with store.write() as session:
            repository.record_check(session, user_id, report_dict(overall=index), f"process reply {index}", True)
"""


def test_db_threads_and_processes_writing_at_once_all_land(store, teams, database_url):
    threads, processes, per_writer = 6, 3, 15
    start_at = time.time() + 8  # the processes need a few seconds to import; then everyone writes at once
    children = [_python(WRITER, database_url, str(teams["Bea"]), str(per_writer), HERE,
                        str(start_at)) for _ in range(processes)]
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def write(user_id) -> None:
        try:
            barrier.wait()
            while time.time() < start_at:
                time.sleep(0.01)
            for index in range(per_writer):
                with store.write() as session:
                    repository.record_check(session, user_id, report_dict(overall=index), f"thread {index}", True)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    al, tia = signed_in(store, teams["Al"]), signed_in(store, teams["Tia"])
    workers = [threading.Thread(target=write, args=(al if i % 2 else tia,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    for child in children:
        child.wait(timeout=300)
        assert child.returncode == 0, child.stderr.read()
    assert errors == []
    total = (threads + processes) * per_writer
    assert _count(store) == total
    assert _count(store, Score) == total * 6


def test_db_processes_starting_together_on_an_empty_database_migrate_once(database_url):
    code = """
        import sys
        from coach.store.db import current_revision, head_revision, open_store
        store = open_store(sys.argv[1])
        assert current_revision(store.engine) == head_revision()
    """
    children = [_python(code, database_url) for _ in range(3)]
    for child in children:
        child.wait(timeout=300)
        assert child.returncode == 0, child.stderr.read()
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()
