"""Running the Alembic migrations from code, from any working directory.

The Alembic config is built here (script_location = the installed `migrations` package),
so neither alembic.ini nor the current directory matter.
"""

from __future__ import annotations

import atexit
import importlib.resources
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources.abc import Traversable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

import migrations


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer newsclean: its revision is unknown here."""


def _migrations_on_disk() -> Path:
    """The migrations folder as real files. Alembic reads its scripts from the file
    system, but a zipped egg (a Scrapyd deployment) holds them inside the zip: there they
    are copied once per process into a temporary folder, removed at exit."""
    package_dir = Path(migrations.__file__).resolve().parent
    if package_dir.is_dir():
        return package_dir
    target = Path(tempfile.mkdtemp(prefix="newsclean-migrations-")) / "migrations"
    atexit.register(shutil.rmtree, target.parent, ignore_errors=True)

    def copy(source: Traversable, dest: Path) -> None:
        dest.mkdir()
        for entry in source.iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    copy(entry, dest / entry.name)
            elif not entry.name.endswith(".pyc"):
                (dest / entry.name).write_bytes(entry.read_bytes())

    copy(importlib.resources.files(migrations), target)
    return target


MIGRATIONS_DIR = _migrations_on_disk()


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for our migrations; with `connection`, env.py migrates that
    connection instead of opening its own."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()  # raises if the chain has several heads
    assert head is not None, "no migrations found in " + str(MIGRATIONS_DIR)
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None for an empty (never migrated) database."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`; refuse a database at a revision we don't know."""
    with _migration_connection(engine) as connection:
        lock_migrations(connection)
        check_revision_known(connection)
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with _migration_connection(engine) as connection:
        check_revision_known(connection)
        command.downgrade(alembic_config(connection), revision)


# Any constant shared by all newsclean processes; "nwsc" in ASCII.
MIGRATION_LOCK_ID = 0x6E777363


def lock_migrations(connection: Connection) -> None:
    """Serialise concurrent upgrades of one Postgres database: workers of a distributed
    crawl all start with `upgrade head`, and two racing on an empty database would both
    try to create the same tables. The lock is held until the migration transaction ends,
    so the second worker then finds the database at head and does nothing. SQLite takes a
    write lock of its own; other dialects are left as they are."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction for running migrations.

    On SQLite, foreign keys are switched off for the duration: batch mode recreates a
    table (copy, DROP, rename), and with foreign keys on, DROP TABLE first deletes every
    row, firing ON DELETE CASCADE into the child tables, so a migration of `articles`
    would empty `comments`. The pragma only takes effect outside a transaction, hence the
    raw DBAPI connection before BEGIN. Integrity is checked before committing.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if problems:
                        raise RuntimeError(f"migration broke foreign keys: {problems[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def check_revision_known(connection: Connection) -> None:
    revision = current_revision(connection)
    if revision is None:
        return
    known = {script.revision for script in script_directory().walk_revisions()}
    if revision not in known:
        url = connection.engine.url.render_as_string(hide_password=True)
        raise SchemaTooNewError(
            f"database {url} is at schema revision {revision!r}, which this version of "
            f"newsclean does not know (its newest is {head_revision()!r}). It was probably "
            "migrated by a newer newsclean: upgrade newsclean rather than writing to it "
            "with this one."
        )
