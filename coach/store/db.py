"""The database: URL, engine, sessions and migrations.

`open_store()` is what front ends call: it creates the SQLite folder if needed, applies the Alembic
migrations (so a new version of the app upgrades the database by itself) and returns a Store.

SQLite is tuned for several people writing at once: WAL (readers never block the writer),
busy_timeout (a writer waits for the lock instead of failing) and `BEGIN IMMEDIATE` for write
transactions (a writer takes the lock before reading, so it can always wait for it; a deferred
transaction that reads first and writes later could fail at once with "database is locked").
Every write runs in one transaction: a crash mid-write leaves the database as it was before.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine, create_engine, event, make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from coach.config import PROJECT_ROOT
from coach.errors import CoachError

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
BUSY_TIMEOUT_MS = 30_000
# Any constant works: it only has to be the same for every process migrating the same database.
_PG_MIGRATION_LOCK = 7_270_113


class DatabaseError(CoachError):
    """The database cannot be used (bad URL, unreachable server, unwritable folder)."""


def database_url() -> str:
    """COACH_DATABASE_URL, or a SQLite file in <project>/data/coach.db."""
    return os.environ.get("COACH_DATABASE_URL", "").strip() or f"sqlite:///{PROJECT_ROOT / 'data' / 'coach.db'}"


def _sqlite_tuning(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # Safe with WAL: a power cut may lose the last commits but never corrupts the file.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("coach_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        raise DatabaseError(f"COACH_DATABASE_URL is not a database URL: {url!r}") from None


def display_url(url: str) -> str:
    """`url` as it may be shown: without its password."""
    return _parse(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine for `url`; for a SQLite file, its folder is created and the connection tuned."""
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"Cannot create the database folder for {parsed.database}: {exc.strerror}") from None
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _sqlite_tuning(engine)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except Exception as exc:  # noqa: BLE001 - e.g. a missing driver; the user needs one line, not a trace
        raise DatabaseError(f"Cannot use the database {parsed.render_as_string(hide_password=True)}: {exc}") from None


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configured in code (no alembic.ini needed): the migrations folder and, if given, a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Apply every pending migration, in one transaction, once even if several processes start together."""
    if current_revision(engine) == head_revision():
        return
    with engine.execution_options(coach_write=True).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        command.upgrade(alembic_config(connection), "head")


class Store:
    """One database: `read()` and `write()` give sessions; a write commits on success, else rolls back."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(engine.execution_options(coach_write=True), expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._writer() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, migrate: bool = True) -> Store:
    """A Store on `url` (default: database_url()), migrated to the latest schema."""
    engine = make_engine(url or database_url())
    if migrate:
        try:
            upgrade(engine)
        except DBAPIError as exc:  # unreachable server, wrong password, a file that is not a database...
            engine.dispose()
            raise DatabaseError(f"Cannot open the database: {exc.orig}") from None
    return Store(engine)


@functools.cache
def shared_store(url: str) -> Store:
    """One migrated Store per URL for the life of the process (the web app's sessions share it)."""
    return open_store(url)
