"""newsclean storage: SQLAlchemy models, Alembic-managed schema, idempotent batched upserts.

Knows nothing of Scrapy. The whole public surface:

    from storage import Store, resolve_database_url
    store = Store(resolve_database_url())   # $NEWSCLEAN_DATABASE_URL or sqlite:///data/news.db
    store.upgrade()                         # migrate to head; SchemaTooNewError if DB is newer
    run_id = store.start_run("news", settings={...})
    result = store.save_pages(records, run_id)   # -> SaveResult
    store.finish_run(run_id, stats={...})
    store.counts()                          # rows per table
    store.close()

More in the submodules (see storage/README.md): `storage.export` (JSONL/Parquet),
`storage.reclean` (newer cleaner over stored raw pages), `storage.profiles` (site
boilerplate), `storage.dedup` (near-duplicate clusters, run by save_pages), `storage.report`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.engine import DATABASE_URL_ENV, DEFAULT_DATABASE_URL, resolve_database_url
    from storage.migrate import SchemaTooNewError
    from storage.records import SKIP_REASONS, PageRecord
    from storage.store import FailedRecord, SaveResult, Store

# Name -> submodule, imported on first use (PEP 562): a process that only needs a pure
# submodule (a crawl's cleaning worker imports storage.records and storage.signatures)
# then does not load SQLAlchemy, Alembic and the models, about a second of CPU per process.
_EXPORTS = {
    "DATABASE_URL_ENV": "storage.engine",
    "DEFAULT_DATABASE_URL": "storage.engine",
    "resolve_database_url": "storage.engine",
    "SchemaTooNewError": "storage.migrate",
    "SKIP_REASONS": "storage.records",
    "PageRecord": "storage.records",
    "FailedRecord": "storage.store",
    "SaveResult": "storage.store",
    "Store": "storage.store",
}

__all__ = [
    "DATABASE_URL_ENV",
    "DEFAULT_DATABASE_URL",
    "SKIP_REASONS",
    "FailedRecord",
    "PageRecord",
    "SaveResult",
    "SchemaTooNewError",
    "Store",
    "resolve_database_url",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'storage' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
