"""Engine creation and database URL resolution, shared by the store and the migrations."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_DATABASE_URL = "sqlite:///data/news.db"
DATABASE_URL_ENV = "NEWSCLEAN_DATABASE_URL"

# How long a SQLite writer waits for another process's write lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000

SUPPORTED_DIALECTS = ("sqlite", "postgresql")


def resolve_database_url(explicit: str | None = None) -> str:
    """The database to use: `explicit` if given, else $NEWSCLEAN_DATABASE_URL, else the
    default SQLite file `data/news.db` (relative to the working directory)."""
    return explicit or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL


def create_store_engine(url: str, **engine_kwargs: Any) -> Engine:
    """An engine set up for the store: on SQLite the parent directory of the file is
    created and the connection pragmas below are applied; Postgres needs nothing special."""
    parsed = make_url(url)
    if parsed.get_backend_name() not in SUPPORTED_DIALECTS:
        raise ValueError(
            f"unsupported database {parsed.render_as_string(hide_password=True)!r}: "
            f"newsclean supports {', '.join(SUPPORTED_DIALECTS)}"
        )
    if parsed.get_backend_name() == "sqlite":
        _make_sqlite_parent_dir(parsed.database)
        engine = create_engine(parsed, **engine_kwargs)
        _configure_sqlite(engine)
        return engine
    engine_kwargs.setdefault("pool_pre_ping", True)  # survive a server restart between batches
    return create_engine(parsed, **engine_kwargs)


def _make_sqlite_parent_dir(database: str | None) -> None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets readers (exports, datasette) run while a crawl writes; busy_timeout makes
        # concurrent writers wait instead of failing at once; foreign keys are off by default
        # in SQLite and ON DELETE CASCADE needs them.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough under WAL, much faster
        cursor.close()
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (below).
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def begin_immediate(connection: Any) -> None:
        # A transaction that reads and then writes (every upsert batch) would otherwise take
        # the write lock only at its first write; two such writers then deadlock and one
        # fails with "database is locked" without waiting. BEGIN IMMEDIATE takes the write
        # lock up front, so busy_timeout applies. (SQLAlchemy's documented pysqlite recipe.)
        connection.exec_driver_sql("BEGIN IMMEDIATE")
