"""Alembic migrations for the newsclean schema (the only way the schema changes).

`storage.migrate` builds the Alembic config pointing here, so no alembic.ini or working
directory is needed; `[tool.alembic]` in pyproject.toml serves the `alembic` CLI.
"""
