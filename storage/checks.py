"""One look at the database before a command starts working on it.

`check_database(url)` connects once, with a short timeout, and reads the schema revision.
The common first-day failures come back as a DatabaseCheckError whose message says which
one it is and what to do: the server cannot be reached (wrong host or port, not
running), the password or user is wrong, the database does not exist, the schema was
written by a newer newsclean, the SQLite file is missing or not a database. A crawl
then fails in seconds instead of retrying for NEWSCLEAN_STORE_RETRY_TIMEOUT, a retry
that is meant for a database going away *during* a crawl.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from storage.engine import SUPPORTED_DIALECTS, create_store_engine
from storage.migrate import SchemaTooNewError, check_revision_known, current_revision

# Seconds to wait for a server that does not answer (a firewalled port, a wrong host).
CONNECT_TIMEOUT = 10

# SQLSTATE codes Postgres sends while refusing a connection.
_AUTHENTICATION_FAILED = {"28P01", "28000"}  # invalid_password, invalid_authorization
_NO_SUCH_DATABASE = {"3D000"}  # invalid_catalog_name


class DatabaseCheckError(Exception):
    """The database cannot be used; str() is one line: what is wrong and how to fix it."""


def check_database(url: str, *, must_exist: bool = False) -> str | None:
    """Connect to `url` and return its schema revision (None: no newsclean tables yet).

    must_exist: the command only reads (export, reports): a missing SQLite file or an
    empty database is an error rather than something to create. A SQLite file in a
    folder that does not exist is otherwise fine: the folder is created, as for data/.
    """
    parsed = _parse(url)
    safe = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and must_exist:
        _check_sqlite_file_exists(parsed, safe)
    try:
        engine = _engine(parsed)
    except OSError as exc:  # the SQLite folder cannot be created
        raise DatabaseCheckError(
            f"cannot create the folder for {safe}: {exc.strerror or exc} "
            "(set NEWSCLEAN_DATABASE_URL to a writable place)"
        ) from exc
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
            check_revision_known(connection)
    except SchemaTooNewError as exc:
        raise DatabaseCheckError(str(exc)) from exc
    except DBAPIError as exc:
        raise DatabaseCheckError(_explain(exc, parsed, safe)) from exc
    except SQLAlchemyError as exc:
        raise DatabaseCheckError(f"cannot use database {safe}: {_first_line(exc)}") from exc
    finally:
        engine.dispose()
    if revision is None and must_exist:
        raise DatabaseCheckError(
            f"database {safe} has no newsclean tables yet: crawl into it first "
            "(or point NEWSCLEAN_DATABASE_URL at the database your crawls use)"
        )
    return revision


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseCheckError(
            f"{url!r} is not a database URL: use sqlite:///path/news.db or "
            "postgresql+psycopg://user:password@host:5432/dbname"
        ) from exc
    if parsed.get_backend_name() not in SUPPORTED_DIALECTS:
        raise DatabaseCheckError(
            f"unsupported database {parsed.render_as_string(hide_password=True)!r}: "
            f"newsclean supports {', '.join(SUPPORTED_DIALECTS)}"
        )
    return parsed


def _check_sqlite_file_exists(parsed: URL, safe: str) -> None:
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        if not Path(database).expanduser().is_file():
            raise DatabaseCheckError(
                f"no database at {database} ({safe}): crawl into it first, or set "
                "NEWSCLEAN_DATABASE_URL to the database your crawls use"
            )


def _engine(parsed: URL) -> Engine:
    sqlite = parsed.get_backend_name() == "sqlite"
    connect_args = {} if sqlite else {"connect_timeout": CONNECT_TIMEOUT}
    return create_store_engine(
        parsed.render_as_string(hide_password=False), poolclass=NullPool, connect_args=connect_args
    )


def _explain(exc: DBAPIError, parsed: URL, safe: str) -> str:
    """Name the failure from the driver's SQLSTATE, else from libpq's message text (a
    server that was never reached sends no SQLSTATE)."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    message = _first_line(exc.orig or exc)
    lowered = str(exc.orig or exc).lower()
    if sqlstate in _AUTHENTICATION_FAILED or "authentication failed" in lowered:
        return (
            f"authentication failed for user {parsed.username!r} on {safe}: "
            "check the user name and password in NEWSCLEAN_DATABASE_URL"
        )
    if sqlstate in _NO_SUCH_DATABASE or ("database" in lowered and "does not exist" in lowered):
        return (
            f"database {parsed.database!r} does not exist on {parsed.host}:{parsed.port or 5432}: "
            f"create it (createdb {parsed.database}) or fix the name in NEWSCLEAN_DATABASE_URL"
        )
    if any(
        marker in lowered
        for marker in ("connection refused", "could not connect", "timeout expired",
                       "failed to resolve host", "could not translate host name",
                       "no route to host", "network is unreachable", "connection failed")
    ):  # fmt: skip
        return (
            f"cannot reach the database server for {safe} ({_reason(lowered, message)}): "
            "is it running, and are the host and port in NEWSCLEAN_DATABASE_URL right?"
        )
    if parsed.get_backend_name() == "sqlite":
        return f"cannot use SQLite database {parsed.database}: {message}"
    return f"cannot use database {safe}: {message}"


def _reason(lowered: str, first_line: str) -> str:
    for marker, reason in (
        ("connection refused", "host unreachable: connection refused"),
        ("timeout expired", f"host unreachable: no answer within {CONNECT_TIMEOUT} s"),
        ("failed to resolve host", "host unreachable: unknown host name"),
        ("could not translate host name", "host unreachable: unknown host name"),
        ("no route to host", "host unreachable: no route to host"),
        ("network is unreachable", "host unreachable: network is unreachable"),
    ):
        if marker in lowered:
            return reason
    return first_line


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
