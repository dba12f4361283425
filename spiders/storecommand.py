"""Base for the `scrapy` commands that work on the store (export, reclean, profiles,
migrate): project settings, a quiet log, and the database the crawl would use, checked
before any work starts (see storage.checks)."""

from __future__ import annotations

from typing import Any, ClassVar

from spiders.command import NewscleanCommand
from storage import Store, resolve_database_url
from storage.checks import DatabaseCheckError, check_database


class StoreCommand(NewscleanCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def open_store(self, *, must_exist: bool = False) -> Store:
        """A Store on NEWSCLEAN_DATABASE_URL (setting, else environment, else default),
        after a check that it can be reached and its schema is one this newsclean knows.
        must_exist: a command that only reads (no crawl has written there yet = error).
        A failed check ends the command with one line and exit status 2."""
        assert self.settings is not None
        url = resolve_database_url(self.settings.get("NEWSCLEAN_DATABASE_URL"))
        try:
            check_database(url, must_exist=must_exist)
        except DatabaseCheckError as exc:
            self.fail(str(exc), exc)
        return Store(url)
