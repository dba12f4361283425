"""Base for the `scrapy` commands that work on the store (export, reclean, profiles,
migrate): project settings, a quiet log, and the database the crawl would use."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from storage import Store, resolve_database_url


class StoreCommand(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def open_store(self) -> Store:
        """A Store on NEWSCLEAN_DATABASE_URL (setting, else environment, else default)."""
        assert self.settings is not None
        return Store(resolve_database_url(self.settings.get("NEWSCLEAN_DATABASE_URL")))
