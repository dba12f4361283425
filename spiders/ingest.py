"""Bulk ingestion: WARC files -> the same cleaning and the same store as a crawl.

    from spiders.ingest import IngestOptions, ingest_warcs
    result = ingest_warcs(["cc-news-*.warc.gz"], store, IngestOptions(workers=2, languages=("de",)))
    result.stats    # the crawl-summary counters (spiders.pipelines.format_summary reads them)
    result.errors   # one message per file that could not be read to its end

Every HTTP response record becomes a page exactly as the `news` spider would make it: a
4xx/5xx is an `http-error` skip, a non-HTML or binary body `not-html`, a body that no
charset decodes `bad-encoding` (a lying charset is repaired, as in the crawl), a page with
no visible text `empty-after-cleaning`, a listing page `not-article`, and the rest is
cleaned in the crawl's worker pool (`spiders.cleanpool`) and saved through
`Store.save_pages`, which brings dedup, near-dup clustering and the unchanged-page check.
Re-running over the same files therefore writes nothing new. Records that are not HTTP
responses (warcinfo, request, metadata, revisit, dns:) and 3xx redirects (their target is a
record of its own) are counted, not stored.

Reader: FastWARC (resiliparse), measured ~3x faster than warcio on per-record gzip and
~5x on uncompressed WARC (bench/RESULTS.md). It reads WARC 1.0/1.1, per-record or
whole-file gzip, zstd and lz4, and decodes chunked/gzip/deflate/brotli payloads; it does not
read the old ARC format (`warcio recompress` converts ARC to WARC). FastWARC stops silently
at a truncated file, so `read_warc` checks the end of every file itself (`_check_end`).
"""

from __future__ import annotations

import glob
import hashlib
import logging
import time
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType
from sqlalchemy import select

from cleaning.triage import triage
from cleaning.types import CLEANER_VERSION, CleanedArticle
from spiders.cleanpool import DEFAULT_CLEANER, CleanPool, outcome
from storage import PageRecord, SaveResult, Store
from storage.models import Article, Page

logger = logging.getLogger(__name__)

SPIDER_NAME = "ingest-warc"  # crawl_runs.spider of an ingestion run

# Headers whose meaning FastWARC's auto_decode has already applied to the body; dropped from
# the stored headers as Scrapy's HttpCompressionMiddleware does, so pages from a WARC and
# from a crawl look the same.
DECODED_HEADERS = frozenset({"content-encoding", "transfer-encoding"})

_GZIP_MAGIC = b"\x1f\x8b"

# Pages classified before one query asks the store which of them it already holds.
LOOKUP_SIZE = 100

# Payloads longer than this are `too-large` skips, as over the crawler's DOWNLOAD_MAXSIZE.
DEFAULT_MAX_SIZE = 20 * 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class IngestOptions:
    """How to ingest; the `ingest-warc` command and the bench build the same object."""

    workers: int = 0  # cleaning processes, 0 = one per core
    timeout: float = 60.0  # seconds per page in the cleaner before `cleaner-timeout`
    languages: tuple[str, ...] = ()  # keep articles in these languages ("en", "pt-BR" ...)
    domains: tuple[str, ...] = ()  # keep pages of these hosts and their subdomains
    limit: int | None = None  # stop after this many pages (responses passing --domain)
    batch_size: int = 200  # pages per Store.save_pages call (one transaction)
    progress: bool | None = None  # progress bar; None = only when stderr is a terminal
    cleaner: str = DEFAULT_CLEANER  # "module:function" run in the workers (NEWSCLEAN_CLEANER)
    max_size: int = DEFAULT_MAX_SIZE  # bytes of payload; longer is `too-large` (DOWNLOAD_MAXSIZE)


@dataclass(slots=True)
class WarcResponse:
    """One HTTP response record of a WARC file, payload decoded (chunked, gzip ...)."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    content_type_header: str | None  # the whole header, charset included
    oversize: bool = False  # payload longer than the size limit: body left empty


class WarcReadError(Exception):
    """A file could not be read to its end; the records before the damage were yielded."""

    def __init__(self, path: Path, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass(slots=True)
class IngestResult:
    run_id: int
    stats: dict[str, Any]
    errors: list[str] = field(default_factory=list)  # one line per damaged/unreadable file


def ingest_warcs(
    patterns: Sequence[str | Path], store: Store, options: IngestOptions | None = None
) -> IngestResult:
    """Read, classify, clean and store every HTTP response of the WARC files matching
    `patterns` (paths or globs), recording one crawl_runs row for the whole run."""
    options = options or IngestOptions()
    paths = expand_inputs(patterns)
    run_id = store.start_run(SPIDER_NAME, settings=_run_settings(paths, options))
    run = _Run(store, run_id, options)
    try:
        run.ingest(paths)
    except BaseException as exc:  # Ctrl-C, database gone: the run row says so, then re-raise
        run.stats[f"newsclean/warc/aborted/{type(exc).__name__}"] += 1
        raise
    finally:
        run.close()
        stats = run.summary()
        store.finish_run(run_id, stats)
    return IngestResult(run_id=run_id, stats=stats, errors=run.errors)


def expand_inputs(patterns: Iterable[str | Path]) -> list[Path]:
    """Files named by `patterns`, globs expanded (sorted, each file once). A pattern that
    matches nothing is an error: a typo must not look like an empty archive."""
    paths: dict[Path, None] = {}
    for pattern in patterns:
        text = str(pattern)
        matches = sorted(glob.glob(text)) if glob.has_magic(text) else [text]
        matches = [m for m in matches if Path(m).is_file()]
        if not matches:
            raise FileNotFoundError(f"no WARC file matches {text}")
        paths.update((Path(m), None) for m in matches)
    return list(paths)


def read_warc(
    path: Path, counts: Counter[str] | None = None, max_size: int = DEFAULT_MAX_SIZE
) -> Iterator[WarcResponse]:
    """The HTTP response records of one WARC file, in file order; a payload longer than
    `max_size` bytes comes with an empty body and `oversize` set.

    `counts` (if given) receives one `records` per WARC record read and one
    `ignored/<type>` per record that is not an HTTP response. Raises WarcReadError after
    the last good record when the file is damaged or truncated; a record cut by the
    truncation is not yielded.
    """
    counts = counts if counts is not None else Counter()
    _refuse_arc(path)
    last: WarcRecord | None = None  # the last record read, of any type
    pending: WarcResponse | None = None  # held back until we know it was read whole
    pending_at = -1  # its byte offset in the file
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, auto_decode="all", parse_http=True)
        try:
            for record in records:
                counts["records"] += 1
                last = record
                response = _response(record, counts, max_size)
                if response is None:
                    continue
                if pending is not None:
                    yield pending
                pending, pending_at = response, record.stream_pos
        except OSError as exc:  # FastWARC: "Invalid WARC header" and the like
            if pending is not None:
                yield pending
            where = f"after record at byte {last.stream_pos}" if last else "at the start"
            raise WarcReadError(path, f"unreadable WARC data {where} ({exc})") from exc
    problem = _check_end(path, last)
    if problem is None:
        if pending is not None:
            yield pending
        return
    if pending is not None and last is not None and pending_at != last.stream_pos:
        yield pending  # the damage is in a later non-response record
    elif pending is not None:
        counts["truncated"] += 1
    raise WarcReadError(path, problem)


def classify(response: WarcResponse) -> tuple[PageRecord, str | None]:
    """The page record for a response and, when it is an article to clean, its HTML text;
    (record with a skip reason, None) otherwise.

    The same decisions as `NewsSpider.parse`, by the same module (`cleaning.triage`):
    HTML or not, the shared decoder's charset (with its repair of lying charsets),
    visible text, article or listing."""
    record = PageRecord(
        url=response.url,
        status=response.status,
        fetched_at=response.fetched_at,
        headers=response.headers,
        body=response.body,
        content_type=_media_type(response.content_type_header),
    )
    if response.oversize:  # where the crawler's download is cancelled (DOWNLOAD_MAXSIZE)
        return _skip(record, "too-large", "body larger than the size limit"), None
    if response.status >= 400:
        return _skip(record, "http-error", f"HTTP {response.status}"), None
    result = triage(response.body, response.url, response.content_type_header)
    if result.skip_reason is not None:
        return _skip(record, result.skip_reason, result.detail), None
    return record, result.html


def language_matches(article: CleanedArticle, languages: Sequence[str]) -> bool:
    """True when no languages are asked for, or the article's detected language is one of
    them; "en" matches "en-GB" and the reverse (primary subtags compared)."""
    if not languages:
        return True
    found = (article.metadata.language or "").lower().split("-")[0]
    return bool(found) and found in {lang.lower().split("-")[0] for lang in languages}


def domain_matches(url: str, domains: Sequence[str]) -> bool:
    """True when no domains are asked for, or the URL's host is one of them or below one
    ("example.com" keeps www.example.com and news.example.com)."""
    if not domains:
        return True
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return any(host == d or host.endswith("." + d) for d in _normal_domains(domains))


# --- one ingestion run ------------------------------------------------------------------


class _Run:
    """State of one run: the cleaning pool, the in-flight window, the batch being filled,
    the store thread and the counters."""

    def __init__(self, store: Store, run_id: int, options: IngestOptions):
        self.store = store
        self.run_id = run_id
        self.options = options
        self.stats: Counter[str] = Counter()
        self.errors: list[str] = []
        self.pool = CleanPool(options.workers, options.timeout, options.cleaner)
        # Pages wait here in file order until their cleaning is done. The window bounds
        # memory (a CC-NEWS file holds ~40k pages) and is deeper than one look-up batch, so
        # the workers still have queued pages while this process classifies the next batch.
        self.window: deque[tuple[PageRecord, Future[CleanedArticle] | None]] = deque()
        self.window_size = max(2 * LOOKUP_SIZE, 16 * self.pool.workers)
        # Classified pages waiting for one look-up of the store before cleaning.
        self.lookup: list[tuple[PageRecord, str | None]] = []
        self.batch: list[PageRecord] = []
        # One writer thread: cleaning goes on while a batch is written, batches stay in order.
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-store")
        self.pending_save: Future[SaveResult] | None = None
        self.started = time.monotonic()
        self.progress = _progress_bar(options.progress)
        self.ticked = 0  # records of the current file already shown on the progress bar

    def ingest(self, paths: Sequence[Path]) -> None:
        pages = 0
        for path in paths:
            self.stats["newsclean/warc/files"] += 1
            if self.progress is not None:
                self.progress.set_description_str(path.name)
            counts: Counter[str] = Counter()
            try:
                for response in read_warc(path, counts, self.options.max_size):
                    self._tick(counts["records"])
                    if not domain_matches(response.url, self.options.domains):
                        self.stats["newsclean/warc/filtered/domain"] += 1
                        continue
                    if self.options.limit is not None and pages >= self.options.limit:
                        break
                    pages += 1
                    self._submit(response)
            except WarcReadError as exc:
                self.stats["newsclean/warc/file-errors"] += 1
                self.errors.append(str(exc))
                logger.error("%s", exc)
            finally:
                self._tick(counts["records"])
                self.ticked = 0
                self._count_records(counts)
            if self.options.limit is not None and pages >= self.options.limit:
                break
        self._release_lookup()
        self._drain(0)
        self._flush()
        self._wait_for_save()

    def close(self) -> None:
        self.pool.close()
        self.writer.shutdown(wait=True)
        if self.progress is not None:
            self.progress.close()

    def summary(self) -> dict[str, Any]:
        """The counters plus elapsed time and records/s: the crawl_runs.stats of the run."""
        elapsed = time.monotonic() - self.started
        records = self.stats["newsclean/warc/records"]
        return {
            **dict(sorted(self.stats.items())),
            "elapsed_time_seconds": round(elapsed, 3),
            "newsclean/warc/records_per_second": round(records / elapsed, 1) if elapsed else 0.0,
        }

    def _tick(self, records_read: int) -> None:
        if self.progress is not None:
            self.progress.update(records_read - self.ticked)
        self.ticked = records_read

    def _submit(self, response: WarcResponse) -> None:
        self.lookup.append(classify(response))
        if len(self.lookup) >= LOOKUP_SIZE:
            self._release_lookup()

    def _release_lookup(self) -> None:
        """Send the waiting pages to cleaning, except those the store already holds with
        the same bytes and an article from this cleaner version: a re-run over the same
        files (or a resumed one) costs a hash per page instead of a cleaning."""
        waiting, self.lookup = self.lookup, []
        stored = _stored_hashes(self.store, [r.url for r, html in waiting if html is not None])
        for record, html in waiting:
            if html is not None and stored.get(record.url) == _sha256(record.body):
                self.stats["newsclean/pages"] += 1
                self.stats["newsclean/unchanged/content-hash"] += 1
                self.stats["newsclean/stored/unchanged"] += 1
                continue
            future = self.pool.submit(html, record.url) if html is not None else None
            self.window.append((record, future))
            self._drain(self.window_size)

    def _drain(self, keep: int) -> None:
        """Finish pages from the front of the window until at most `keep` are in flight."""
        while self.window and (len(self.window) > keep or _done(self.window[0][1])):
            record, future = self.window.popleft()
            if future is not None and not self._finish_cleaning(record, future):
                continue
            self._add(record)

    def _finish_cleaning(self, record: PageRecord, future: Future[CleanedArticle]) -> bool:
        """Set the cleaning outcome on `record`; False when --lang filters the page out."""
        article, error = None, None
        try:
            article = future.result()
        except Exception as exc:  # classified by cleanpool.outcome
            error = exc
        if error is None:
            self.stats["newsclean/cleaned"] += 1
        record.article, record.skip_reason, record.skip_detail = outcome(
            article, error, record.url, self.options.timeout
        )
        if record.article is not None and not language_matches(
            record.article, self.options.languages
        ):
            self.stats["newsclean/warc/filtered/lang"] += 1
            return False
        return True

    def _add(self, record: PageRecord) -> None:
        self.stats["newsclean/pages"] += 1
        if record.skip_reason:
            self.stats[f"newsclean/skipped/{record.skip_reason}"] += 1
        self.batch.append(record)
        if len(self.batch) >= self.options.batch_size:
            self._flush()

    def _flush(self) -> None:
        if not self.batch:
            return
        self._wait_for_save()
        batch, self.batch = self.batch, []
        self.pending_save = self.writer.submit(self.store.save_pages, batch, self.run_id)

    def _wait_for_save(self) -> None:
        if self.pending_save is None:
            return
        result, self.pending_save = self.pending_save.result(), None
        self.stats["newsclean/stored/pages"] += result.pages
        self.stats["newsclean/stored/articles"] += result.articles
        self.stats["newsclean/stored/comments"] += result.comments
        self.stats["newsclean/stored/unchanged"] += result.unchanged
        self.stats["newsclean/stored/kept"] += result.kept
        self.stats["newsclean/stored/duplicates"] += result.duplicates
        self.stats["newsclean/store/failed"] += len(result.failed)
        if self.progress is not None:
            self.progress.set_postfix(articles=self.stats["newsclean/stored/articles"])

    def _count_records(self, counts: Counter[str]) -> None:
        for name, count in counts.items():
            self.stats[f"newsclean/warc/{name}"] += count


def _progress_bar(enabled: bool | None) -> Any:
    if enabled is False:
        return None
    from tqdm import tqdm

    # disable=None: tqdm shows the bar only on a terminal, so logs and CI stay clean.
    return tqdm(
        unit=" rec",
        unit_scale=True,
        desc="WARC records",
        disable=None if enabled is None else not enabled,
    )


def _done(future: Future[Any] | None) -> bool:
    return future is None or future.done()


def _stored_hashes(store: Store, urls: list[str]) -> dict[str, str]:
    """URL -> content hash of the stored pages among `urls` whose article was cleaned by
    this cleaner version (the pages a new cleaning could not change)."""
    if not urls:
        return {}
    query = (
        select(Page.url, Page.content_hash)
        .join(Article, Article.page_id == Page.id)
        .where(Page.url.in_(urls), Article.cleaner_version == CLEANER_VERSION)
    )
    with store.engine.connect() as connection:
        return {row.url: row.content_hash for row in connection.execute(query)}


def _sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()  # pages.content_hash (storage.store)


# --- reading records --------------------------------------------------------------------


def _response(record: WarcRecord, counts: Counter[str], max_size: int) -> WarcResponse | None:
    """The record as a WarcResponse, or None (counted) when it is not an HTTP response
    worth a page: other record types, non-HTTP responses (dns:, ftp), redirects."""
    if record.record_type != WarcRecordType.response:
        counts[f"ignored/{(record.headers.get('WARC-Type') or 'unknown').lower()}"] += 1
        return None
    http = record.http_headers if record.is_http else None
    if http is None or http.status_code is None:
        counts["ignored/non-http"] += 1
        return None
    status = int(http.status_code)
    if 300 <= status < 400 or status < 200:
        counts["ignored/redirect" if status >= 300 else "ignored/informational"] += 1
        return None
    url = _target_uri(record)
    if not url:
        counts["ignored/no-target-uri"] += 1
        return None
    # Bounded read: a payload over max_size (or a gzip bomb decoding past it) is not kept.
    body = record.reader.read(max_size + 1)
    oversize = len(body) > max_size
    return WarcResponse(
        url=url,
        status=status,
        headers={k: v for k, v in http.items() if k.lower() not in DECODED_HEADERS},
        body=b"" if oversize else body,
        fetched_at=record.record_date or datetime.now(UTC),
        content_type_header=http.get("Content-Type"),
        oversize=oversize,
    )


def _target_uri(record: WarcRecord) -> str:
    # WARC 1.0 writers (wget among them) put the URI in angle brackets.
    return (record.headers.get("WARC-Target-URI") or "").strip().strip("<>")


def _refuse_arc(path: Path) -> None:
    with path.open("rb") as stream:
        head = stream.read(4096)
    if head[:2] == _GZIP_MAGIC:
        try:
            head = zlib.decompressobj(31).decompress(head, 64)
        except zlib.error:
            return  # FastWARC will say what is wrong with the file
    if head.startswith(b"filedesc://"):
        raise WarcReadError(
            path,
            "ARC file: the FastWARC reader reads WARC only; convert it first with "
            "`warcio recompress FILE.arc.gz FILE.warc.gz`",
        )


def _check_end(path: Path, last: WarcRecord | None) -> str | None:
    """Why the file does not end where its last record does, or None when it does.

    FastWARC ends the iteration quietly on a cut file, so look at the bytes from the last
    record on: in a per-record gzip file its gzip member must be complete and end the file;
    in an uncompressed file its declared length must end at the end of the file. A
    whole-file gzip (one member for all records, not the WARC convention) has no member
    boundary at its last record and is checked from the start: one more decompression.
    """
    size = path.stat().st_size
    if last is None:
        return "no WARC record found" if size else None
    with path.open("rb") as stream:
        if stream.read(2) == _GZIP_MAGIC:
            stream.seek(last.stream_pos)
            start = last.stream_pos if stream.read(2) == _GZIP_MAGIC else 0
            stream.seek(start)
            return _check_gzip_members(stream, last.stream_pos)
        stream.seek(last.stream_pos)
        return _check_plain_record(stream, last.stream_pos, size)


def _check_gzip_members(stream: Any, last_at: int) -> str | None:
    """Decompress (and discard) every gzip member from the stream's position to the end of
    the file; `last_at` (offset of the last record read) is for the message."""
    decompressor = zlib.decompressobj(31)
    in_member = False
    while chunk := stream.read(1 << 20):
        while chunk:
            in_member = True
            try:
                decompressor.decompress(chunk)
            except zlib.error as exc:
                return f"corrupt gzip data after the record at byte {last_at} ({exc})"
            if not decompressor.eof:
                break
            chunk, decompressor = decompressor.unused_data, zlib.decompressobj(31)
            in_member = False
    if in_member:
        return f"gzip data ends inside the record at byte {last_at} (truncated file)"
    return None


def _check_plain_record(stream: Any, start: int, size: int) -> str | None:
    head = stream.read(1 << 16)
    header_end = head.find(b"\r\n\r\n")
    length = None
    for line in head[: max(header_end, 0)].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
    if header_end < 0 or length is None:
        return f"the record at byte {start} has no complete WARC header (truncated file)"
    end = start + header_end + 4 + length + 4  # header, blank line, block, CRLF CRLF
    if end > size:
        return f"the record at byte {start} needs {end - size} more bytes (truncated file)"
    if end < size and head[end - start :].strip():
        return f"unreadable data after the record starting at byte {start}"
    return None


# --- small helpers ----------------------------------------------------------------------


def _skip(record: PageRecord, reason: str, detail: str) -> PageRecord:
    record.skip_reason, record.skip_detail = reason, detail
    return record


def _media_type(content_type_header: str | None) -> str | None:
    if not content_type_header:
        return None
    return content_type_header.split(";")[0].strip().lower() or None


def _normal_domains(domains: Sequence[str]) -> list[str]:
    return [d.strip().lower().removeprefix("www.").strip(".") for d in domains if d.strip()]


def _run_settings(paths: Sequence[Path], options: IngestOptions) -> dict[str, Any]:
    return {
        "files": [str(p) for p in paths],
        "reader": f"fastwarc {version('fastwarc')}",
        "workers": options.workers,
        "timeout": options.timeout,
        "languages": list(options.languages),
        "domains": list(options.domains),
        "limit": options.limit,
        "batch_size": options.batch_size,
        "cleaner": options.cleaner,
        "max_size": options.max_size,
    }
