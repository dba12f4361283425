"""Alembic migrations on SQLite and Postgres: up, down, up with data; models agree with
the migrated schema; unknown newer revisions are refused; the chain is linear."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from storage import SchemaTooNewError, Store
from storage.migrate import head_revision, script_directory
from storage.models import Base
from storage.profiles import ProfileOptions, learn_site_profiles
from tests.test_storage import make_record, make_skip
from tests.test_storage_dedup import BRIDGE, FERRY, record

REPO_ROOT = Path(__file__).resolve().parents[1]


def revisions_oldest_first() -> list[str]:
    return [script.revision for script in reversed(list(script_directory().walk_revisions()))]


def test_revision_chain_is_linear() -> None:
    scripts = list(script_directory().walk_revisions())
    assert len(script_directory().get_heads()) == 1, "several heads: merge or re-parent them"
    assert len(script_directory().get_bases()) == 1
    for newer, older in zip(scripts, scripts[1:], strict=False):
        assert newer.down_revision == older.revision, f"{newer.revision} does not follow"
    assert scripts[0].revision == head_revision()


def test_models_and_migrations_agree(database_url: str) -> None:
    with Store(database_url) as store:
        store.upgrade()
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    assert diff == [], "models differ from migrations: write a new revision (autogenerate)"


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table that exists now (whatever the revision)."""
    names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    with engine.connect() as connection:
        return {
            n: connection.execute(text(f"SELECT count(*) FROM {n}")).scalar_one() for n in names
        }


def test_upgrade_downgrade_upgrade_with_data(database_url: str) -> None:
    with Store(database_url) as store:
        store.upgrade()
        run_id = store.start_run("news")
        shared = "Send your story tips to the Example News desk at any hour of the day."
        records = [make_record(1), make_skip(3)]
        records += [
            record("https://example.com/bridge", [*BRIDGE, shared]),
            record("https://example.com/ferry", [*FERRY, shared]),
        ]
        store.save_pages(records, run_id)
        learn_site_profiles(store, options=ProfileOptions(min_articles=2, min_share=0.5))
        stored = row_counts(store.engine)
        assert all(stored.values()), f"every table should hold data: {stored}"

        # Step down one revision at a time: tables that remain keep all their rows (on
        # SQLite, batch mode recreates tables: no ON DELETE CASCADE may fire meanwhile).
        for revision in reversed(revisions_oldest_first()[1:]):
            store.downgrade(revision + "-1")
            remaining = row_counts(store.engine)
            # article_bands is an index whose rows per article depend on the band scheme
            # (0005 rebuilds it): it must stay filled, not keep its count.
            if remaining.get("article_bands"):
                remaining["article_bands"] = stored["article_bands"]
            assert remaining == {name: stored[name] for name in remaining}, revision
        # Back up to head: the oldest tables still hold everything, later ones come back.
        store.upgrade()
        again = row_counts(store.engine)
        assert set(again) == set(stored)
        assert {name: again[name] for name in remaining} == {n: stored[n] for n in remaining}

        store.downgrade("base")
        assert store.current_revision() is None
        assert row_counts(store.engine) == {}

        store.upgrade()
        assert store.current_revision() == head_revision()
        assert store.save_pages([make_record(1)]).articles == 1


def test_database_at_unknown_newer_revision_is_refused(database_url: str) -> None:
    with Store(database_url) as store:
        store.upgrade()
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'f00dfeedbeef'"))

        with pytest.raises(SchemaTooNewError, match="f00dfeedbeef"):
            store.upgrade()


def test_upgrade_is_a_no_op_at_head(database_url: str) -> None:
    with Store(database_url) as store:
        store.upgrade()
        store.save_pages([make_record(1)])
        store.upgrade()
        assert store.current_revision() == head_revision()
        assert store.counts()["articles"] == 1


def test_migrations_run_from_any_working_directory(tmp_path: Path) -> None:
    # The Alembic config is built in code; nothing depends on the cwd or an alembic.ini.
    database = tmp_path / "elsewhere.db"
    code = (
        "from storage import Store\n"
        f"s = Store('sqlite:///{database}'); s.upgrade(); print(s.current_revision()); s.close()"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert completed.stdout.strip() == head_revision()
