"""Alembic environment. The app runs it through coach.store.db.upgrade(), which passes an open
connection inside a transaction; the `alembic` command line (alembic.ini) passes a URL instead."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from coach.store.db import database_url
from coach.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url") or database_url(),
                      target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        # Already in the caller's transaction: the whole upgrade commits or rolls back as one.
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or database_url())
    with engine.begin() as own_connection:
        context.configure(connection=own_connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
