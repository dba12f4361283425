"""`scrapy migrate [upgrade [REV] | downgrade REV | current]`: manage the database schema.

Crawls migrate by themselves; this is for operators who want to do it ahead of time.
"""

from __future__ import annotations

import argparse

from scrapy.exceptions import UsageError

from spiders.storecommand import StoreCommand
from storage import SchemaTooNewError
from storage.migrate import head_revision


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[upgrade [REV] | downgrade REV | current]"

    def short_desc(self) -> str:
        return "Apply or revert the Alembic migrations on NEWSCLEAN_DATABASE_URL"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        action, *rest = args or ["upgrade"]
        store = self.open_store()
        try:
            if action == "upgrade":
                store.upgrade(rest[0] if rest else "head")
            elif action == "downgrade" and len(rest) == 1:
                store.downgrade(rest[0])
            elif action != "current":
                raise UsageError(f"unknown action {' '.join(args)!r}; see --help")
            print(f"{store.safe_url}: at revision {store.current_revision()} "
                  f"(this newsclean's head: {head_revision()})")  # fmt: skip
        except SchemaTooNewError as exc:
            print(f"error: {exc}")
            self.exitcode = 2
        finally:
            store.close()
