"""Cleaning in worker processes, shared by the crawl pipeline and bulk ingestion.

pebble rather than concurrent.futures: it kills and replaces a worker that exceeds the
per-page timeout, so one pathological page costs one worker restart, not a hung pool; a
worker that dies (segfault in a C parser, OOM kill) is reported for that page only.
"""

from __future__ import annotations

import functools
import importlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeoutError

from pebble import ProcessExpired, ProcessPool

from cleaning.types import CleanedArticle
from spiders.pagework import PageJob, PageResult, process_page

logger = logging.getLogger(__name__)

# "module:function" called as function(html, url=url) in the workers. A setting
# (NEWSCLEAN_CLEANER) so tests can put a cleaner that hangs or crashes behind the real pool.
DEFAULT_CLEANER = "cleaning.html:clean_html"


class CleanPool:
    def __init__(
        self, workers: int = 0, timeout: float = 60.0, cleaner: str = DEFAULT_CLEANER
    ) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.timeout = timeout
        self.cleaner = cleaner
        module, _function = _cleaner_parts(cleaner)
        # forkserver, not fork: forking a process that runs a reactor and threads can copy
        # held locks into the child; the server process imports the cleaner once, and
        # builds what the default cleaner would build on each worker's first pages
        # (spiders.poolwarmup), so the workers share it.
        context = multiprocessing.get_context("forkserver")
        preload = [__name__, "spiders.pagework", module]
        if cleaner == DEFAULT_CLEANER:
            preload.append("spiders.poolwarmup_preload")
        context.set_forkserver_preload(preload)
        self._pool = ProcessPool(max_workers=self.workers, context=context)
        # A typo in the setting fails here, at start, not on every page. Checked in a
        # worker: the cleaner (trafilatura, lxml, the rule tables) is only ever imported
        # there, which keeps a second of imports off the calling process (the crawl's
        # reactor); the worker has it already, from the forkserver.
        try:
            self._pool.schedule(check_cleaner, args=(cleaner,)).result(timeout=max(timeout, 60))
        except BaseException:
            self._pool.stop()
            raise

    def submit(
        self, html: str, url: str | None, site_profile: Sequence[str] = ()
    ) -> Future[CleanedArticle]:
        return self._pool.schedule(
            run_cleaner, args=(self.cleaner, html, url, tuple(site_profile)), timeout=self.timeout
        )

    def submit_page(self, job: PageJob) -> Future[PageResult]:
        """Everything the crawl needs of one fetched page (spiders.pagework), in a worker."""
        return self._pool.schedule(run_page, args=(self.cleaner, job), timeout=self.timeout)

    def close(self) -> None:
        self._pool.close()
        self._pool.join(timeout=30)
        self._pool.stop()

    def __enter__(self) -> CleanPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def run_cleaner(
    cleaner: str, html: str, url: str | None, site_profile: Sequence[str] = ()
) -> CleanedArticle:
    """Worker-side entry point: clean one page with the configured cleaner (passing the
    site's learned boilerplate lines only when there are some, so a plain
    `function(html, url=...)` cleaner still fits)."""
    if site_profile:
        return _load_cleaner(cleaner)(html, url=url, site_profile=site_profile)
    return _load_cleaner(cleaner)(html, url=url)


def run_page(cleaner: str, job: PageJob) -> PageResult:
    """Worker-side entry point of `submit_page`."""
    return process_page(functools.partial(run_cleaner, cleaner), job)


def check_cleaner(spec: str) -> None:
    """Worker-side: import the cleaner (ImportError / AttributeError when it is not there)."""
    _load_cleaner(spec)


@functools.cache
def _load_cleaner(spec: str) -> Callable[..., CleanedArticle]:
    module_name, function_name = _cleaner_parts(spec)
    return getattr(importlib.import_module(module_name), function_name)


def _cleaner_parts(spec: str) -> tuple[str, str]:
    module_name, _, function_name = spec.partition(":")
    if not module_name or not function_name:
        raise ValueError(f"cleaner must be 'module:function', got {spec!r}")
    return module_name, function_name


def outcome(article: CleanedArticle | None, error: BaseException | None, url: str, timeout: float
            ) -> tuple[CleanedArticle | None, str | None, str | None]:  # fmt: skip
    """(article, skip_reason, skip_detail) for a finished cleaning job, per the bad-input
    policy: a timeout, a dead worker or a cleaner exception is a recorded skip, and so is a
    page with no article text left."""
    if isinstance(error, (FutureTimeoutError, TimeoutError)):
        return None, "cleaner-timeout", f"cleaning took more than {timeout:g} s"
    if isinstance(error, ProcessExpired):
        return None, "cleaner-crash", f"worker died: {error}"
    if error is not None:  # the cleaner's own bug on this page: record, go on
        logger.error("cleaner failed on %s", url, exc_info=error)
        return None, "cleaner-crash", f"{type(error).__name__}: {error}"
    if article is None or not article.paragraphs:
        return None, "empty-after-cleaning", "no article text found"
    return article, None, None
