"""`scrapy migrate [upgrade [REV] | downgrade REV | current]`: manage the database schema.

Crawls migrate by themselves; this is for operators who want to do it ahead of time.
"""

from __future__ import annotations

import argparse

from alembic.util.exc import CommandError as AlembicCommandError

from spiders.storecommand import StoreCommand
from storage.migrate import head_revision


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[upgrade [REV] | downgrade REV | current]"

    def short_desc(self) -> str:
        return "Apply or revert the Alembic migrations on NEWSCLEAN_DATABASE_URL"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        action, *rest = args or ["upgrade"]
        valid = (
            (action == "upgrade" and len(rest) <= 1)
            or (action == "downgrade" and len(rest) == 1)
            or (action == "current" and not rest)
        )
        if not valid:
            self.usage_error(
                f"unknown action {' '.join(args)!r}: use upgrade [REV], downgrade REV or current"
            )
        store = self.open_store()  # a database from a newer newsclean stops here
        try:
            if action == "upgrade":
                store.upgrade(rest[0] if rest else "head")
            elif action == "downgrade":
                store.downgrade(rest[0])
        except AlembicCommandError as exc:  # a revision Alembic does not know
            self.usage_error(f"{exc} (revisions: scrapy migrate current; base = empty)", exc)
        else:
            print(f"{store.safe_url}: at revision {store.current_revision()} "
                  f"(this newsclean's head: {head_revision()})")  # fmt: skip
        finally:
            store.close()
