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

from storage.engine import DATABASE_URL_ENV, DEFAULT_DATABASE_URL, resolve_database_url
from storage.migrate import SchemaTooNewError
from storage.records import SKIP_REASONS, PageRecord
from storage.store import FailedRecord, SaveResult, Store

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
