"""Alembic environment: migrates the connection handed over by `storage.migrate`, or, when
run from the `alembic` CLI, the database named by $NEWSCLEAN_DATABASE_URL (default
sqlite:///data/news.db)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import JSON, Connection

from storage.engine import create_store_engine, resolve_database_url
from storage.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = create_store_engine(_database_url())
    try:
        with engine.begin() as connection:
            _run_on(connection)
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    url = _database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def _database_url() -> str:
    # An ini file may name the database; the pyproject config (no ini section) does not.
    if config.file_config.has_section(config.config_ini_section):
        url = config.get_main_option("sqlalchemy.url")
        if url:
            return url
    return resolve_database_url()


def _render_item(type_: str, obj: object, autogen_context: Any) -> str | bool:
    # Autogenerate spells model-only types with plain SQLAlchemy ones, so revision files
    # never import storage.models (whose types may change after the revision is written).
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, JSON) and getattr(obj, "_variant_mapping", None):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return 'sa.JSON().with_variant(postgresql.JSONB(), "postgresql")'
    return False


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite has no ALTER COLUMN / ADD CONSTRAINT / DROP CONSTRAINT: batch mode
        # recreates the table with its new shape and copies the rows over. Postgres alters
        # tables in place, so batch mode is only switched on for SQLite.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
