"""WARC ingestion (spiders.ingest) over WARC files written here with warcio from the demo
site's pages, plus the bad records real archives hold: non-HTTP records, binary payloads,
wrong charsets, redirects, errors, encoded payloads, truncated and damaged files."""

from __future__ import annotations

import gzip
import io
import random
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaning import clean_html
from spiders.ingest import (
    IngestOptions,
    WarcReadError,
    WarcResponse,
    classify,
    domain_matches,
    expand_inputs,
    ingest_warcs,
    read_warc,
)
from spiders.localsite import DEMO_SITE
from storage import Store
from storage.models import Article, CrawlRun, Page

HOST = "http://news.example"
GERMAN_ARTICLE = "/opinion/2026/11/warum-der-stadtwald-mehr-ist/"
ENGLISH_ARTICLE = "/world/2026/11/port-averly-dockworkers-strike/"


# --- writing test WARC files --------------------------------------------------------------


def demo_file(path: str) -> Path:
    """The demo-site file served for a root-relative URL path."""
    relative = path.lstrip("/")
    return DEMO_SITE / (relative + "index.html" if path.endswith("/") else relative)


def demo_html_pages() -> list[tuple[str, bytes]]:
    """(URL path, bytes) of every HTML page of the demo site."""
    pages = []
    for file in sorted(DEMO_SITE.rglob("*.html")):
        relative = file.relative_to(DEMO_SITE).as_posix()
        path = "/" + (
            relative.removesuffix("index.html") if file.name == "index.html" else relative
        )
        pages.append((path, file.read_bytes()))
    return pages


Record = Callable[[WARCWriter], None]


def response(
    path: str,
    body: bytes,
    content_type: str | None = "text/html; charset=utf-8",
    status: str = "200 OK",
    extra: list[tuple[str, str]] | None = None,
) -> Record:
    def write(writer: WARCWriter) -> None:
        headers = [("Content-Type", content_type)] if content_type else []
        headers += extra or []
        if not any(name.lower() == "transfer-encoding" for name, _ in headers):
            headers.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                HOST + path, "response", payload=io.BytesIO(body), http_headers=http
            )
        )

    return write


def other_record(rec_type: str, uri: str, content: bytes, content_type: str) -> Record:
    def write(writer: WARCWriter) -> None:
        writer.write_record(
            writer.create_warc_record(
                uri, rec_type, payload=io.BytesIO(content), warc_content_type=content_type
            )
        )

    return write


def warcinfo() -> Record:
    def write(writer: WARCWriter) -> None:
        writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "tests"}))

    return write


def write_warc(path: Path, records: list[Record], *, gzip_records: bool = True) -> Path:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        for record in records:
            record(writer)
    return path


def chunked(body: bytes, size: int = 1000) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size])
             for i in range(0, len(body), size)]  # fmt: skip
    return b"".join(parts) + b"0\r\n\r\n"


def garbage_page() -> bytes:
    """An article page whose text is random high bytes: no charset decodes it to text."""
    rng = random.Random(7)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(4000))
    return (b"<html><head><title>Noise</title><meta property='og:type' content='article'>"
            b"</head><body><article><p>" + noise + b"</p></article></body></html>")  # fmt: skip


def mixed_records() -> list[Record]:
    """Every demo HTML page, and one of each kind of bad or unusual record."""
    german = demo_file(GERMAN_ARTICLE).read_text(encoding="utf-8")
    german_cp1252 = german.replace('charset="utf-8"', 'charset="windows-1252"').encode("cp1252")
    english = demo_file(ENGLISH_ARTICLE).read_bytes()
    records: list[Record] = [
        warcinfo(),
        other_record(
            "request",
            HOST + "/",
            b"GET / HTTP/1.1\r\nHost: news.example\r\n\r\n",
            "application/http; msgtype=request",
        ),  # fmt: skip
        other_record("metadata", HOST + "/", b"outlinks: 12", "application/warc-fields"),
        other_record(
            "response", "dns:news.example", b"20261123 news.example. 300 IN A 10.0.0.1", "text/dns"
        ),  # fmt: skip
    ]
    records += [response(path, body) for path, body in demo_html_pages()]
    records += [
        response("/images/chart.png", demo_file("/images/chart.png").read_bytes(), "image/png"),
        response(
            "/files/annual-report.pdf",
            demo_file("/files/annual-report.pdf").read_bytes(),
            "application/pdf",
        ),  # fmt: skip
        response("/mislabelled.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "text/html"),
        response("/feed.xml", demo_file("/feed.xml").read_bytes(), "application/rss+xml"),
        response("/gone/", b"<html><body>Not found</body></html>", status="404 Not Found"),
        response(
            "/old-url/",
            b"",
            status="301 Moved Permanently",
            extra=[("Location", HOST + ENGLISH_ARTICLE)],
        ),  # fmt: skip
        # Charsets: the header says utf-8 but the bytes are cp1252 (repaired, as the crawl
        # does); bytes no charset makes sense of (skipped); the header names the right
        # charset; only the <meta> does; a BOM overrides a wrong header.
        response("/charset/wrong/", german_cp1252, "text/html; charset=utf-8"),
        response("/charset/garbage/", garbage_page(), "text/html; charset=utf-8"),
        response("/charset/header/", german_cp1252, "text/html; charset=windows-1252"),
        response("/charset/meta/", german_cp1252, "text/html"),
        response("/charset/bom/", b"\xef\xbb\xbf" + german.encode(), "text/html; charset=latin-1"),
        # A payload sent gzip-compressed and chunked, as a browser-grade recorder keeps it.
        response(
            "/encoded/",
            chunked(gzip.compress(english)),
            "text/html; charset=utf-8",
            extra=[("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
        ),  # fmt: skip
    ]
    return records


# --- fixtures -----------------------------------------------------------------------------


def snapshot(database_url: str) -> dict[str, Any]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            pages = {p.url.removeprefix(HOST): p for p in session.scalars(select(Page))}
            articles = {a.url.removeprefix(HOST): a for a in session.scalars(select(Article))}
            runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
            return {
                "skips": {path: (p.skip_reason, p.skip_detail) for path, p in pages.items()},
                "fetched_at": {path: p.fetched_at for path, p in pages.items()},
                "headers": {path: p.headers for path, p in pages.items()},
                "articles": {
                    path: {
                        "title": a.title,
                        "body": a.body,
                        "language": a.language,
                        "comments": len(a.comments),
                    }
                    for path, a in articles.items()
                },
                "runs": [
                    (r.spider, r.finished_at is not None, dict(r.stats or {}), r.settings)
                    for r in runs
                ],  # fmt: skip
            }
    finally:
        engine.dispose()


def ingest(paths: list[Path], database_url: str, **options: Any) -> Any:
    store = Store(database_url)
    try:
        store.upgrade()
        return ingest_warcs([str(p) for p in paths], store, IngestOptions(workers=2, **options))
    finally:
        store.close()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The mixed WARC ingested once, then again over the same file."""
    directory = tmp_path_factory.mktemp("warc-mixed")
    warc = write_warc(directory / "mixed.warc.gz", mixed_records())
    url = f"sqlite:///{directory / 'news.db'}"
    first = ingest([warc], url)
    after_first = snapshot(url)
    second = ingest([warc], url)
    return {"first": first, "second": second, "db": after_first, "db2": snapshot(url)}


# --- the mixed file -----------------------------------------------------------------------


def test_every_demo_article_is_stored_with_its_title(mixed, demo_expected) -> None:
    stored = mixed["db"]["articles"]
    for article in demo_expected["articles"]:
        assert stored[article["path"]]["title"] == article["title"], article["path"]


def test_articles_are_cleaned_exactly_as_the_cleaner_cleans_the_page(mixed, demo_expected):
    for article in demo_expected["articles"]:
        path = article["path"]
        html = demo_file(path).read_text(encoding="utf-8")
        expected = clean_html(html, url=HOST + path)
        stored = mixed["db"]["articles"][path]
        assert stored["body"] == expected.body, path
        assert stored["comments"] == len(expected.comments), path
    assert sum(a["comments"] for a in mixed["db"]["articles"].values()) > 0


def test_listing_pages_are_not_article_skips(mixed, demo_expected) -> None:
    skips = mixed["db"]["skips"]
    for path in demo_expected["non_articles"]:
        assert skips[path][0] == "not-article", path


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/images/chart.png", "not-html"),
        ("/files/annual-report.pdf", "not-html"),
        ("/mislabelled.html", "not-html"),
        ("/feed.xml", "not-html"),
        ("/gone/", "http-error"),
        ("/charset/garbage/", "bad-encoding"),
    ],
)
def test_bad_records_become_skips_with_their_reason(mixed, path: str, reason: str) -> None:
    assert mixed["db"]["skips"][path][0] == reason
    assert mixed["db"]["skips"][path][1]  # a detail for the reader of the table


def test_records_that_are_not_http_responses_are_counted_not_stored(mixed) -> None:
    skips, stats = mixed["db"]["skips"], mixed["first"].stats
    assert "/old-url/" not in skips and not any(url.startswith("dns:") for url in skips)
    assert stats["newsclean/warc/ignored/warcinfo"] == 1
    assert stats["newsclean/warc/ignored/request"] == 1
    assert stats["newsclean/warc/ignored/metadata"] == 1
    assert stats["newsclean/warc/ignored/non-http"] == 1
    assert stats["newsclean/warc/ignored/redirect"] == 1
    assert stats["newsclean/warc/records"] == len(mixed_records())


@pytest.mark.parametrize(
    "path", ["/charset/header/", "/charset/meta/", "/charset/bom/", "/charset/wrong/"]
)
def test_declared_charsets_are_honoured(mixed, path: str) -> None:
    article = mixed["db"]["articles"][path]
    assert "ö" in article["body"] or "ä" in article["body"] or "ü" in article["body"]
    assert "\ufffd" not in article["body"]
    assert article["language"] == "de"


def test_a_gzip_chunked_payload_is_decoded_and_stored_without_its_transfer_headers(mixed):
    assert (
        mixed["db"]["articles"]["/encoded/"]["body"]
        == (mixed["db"]["articles"][ENGLISH_ARTICLE]["body"])
    )
    assert not {"content-encoding", "transfer-encoding"} & {
        name.lower() for name in mixed["db"]["headers"]["/encoded/"]
    }


def test_pages_keep_the_warc_capture_date(mixed) -> None:
    fetched = mixed["db"]["fetched_at"][ENGLISH_ARTICLE]
    assert fetched is not None and fetched.year >= 2024


def test_the_run_is_recorded_with_the_crawl_summary_counters(mixed) -> None:
    spider, finished, stats, settings = mixed["db"]["runs"][0]
    assert (spider, finished) == ("ingest-warc", True)
    assert stats["newsclean/pages"] == len(mixed["db"]["skips"])  # one page row per response
    assert stats["newsclean/stored/articles"] == len(mixed["db"]["articles"])
    skipped = Counter(reason for reason, _ in mixed["db"]["skips"].values() if reason)
    assert {k.rsplit("/", 1)[1]: v for k, v in stats.items() if "/skipped/" in k} == skipped
    assert settings["reader"].startswith("fastwarc")
    assert mixed["first"].errors == []


def test_a_second_run_over_the_same_file_writes_nothing(mixed) -> None:
    first, second = mixed["first"].stats, mixed["second"].stats
    assert second["newsclean/stored/pages"] == 0
    assert second["newsclean/stored/articles"] == 0
    assert second["newsclean/stored/comments"] == 0
    assert second["newsclean/stored/unchanged"] == first["newsclean/pages"]
    # Pages stored with an article from this cleaner version are not even cleaned again.
    assert second.get("newsclean/cleaned", 0) == 0
    assert second["newsclean/unchanged/content-hash"] == first["newsclean/stored/articles"]
    db, db2 = mixed["db"], mixed["db2"]
    assert (db["skips"], db["articles"]) == (db2["skips"], db2["articles"])
    assert len(db2["runs"]) == 2


# --- filters ------------------------------------------------------------------------------


def test_lang_keeps_only_articles_in_that_language(tmp_path: Path) -> None:
    records = [response(path, demo_file(path).read_bytes())
               for path in (GERMAN_ARTICLE, ENGLISH_ARTICLE, "/world/")]  # fmt: skip
    warc = write_warc(tmp_path / "lang.warc.gz", records)
    url = f"sqlite:///{tmp_path / 'news.db'}"
    result = ingest([warc], url, languages=("de-DE",))
    db = snapshot(url)
    assert set(db["articles"]) == {GERMAN_ARTICLE}
    assert result.stats["newsclean/warc/filtered/lang"] == 1
    assert ENGLISH_ARTICLE not in db["skips"]  # filtered out, not recorded as a page


def test_domain_and_limit_select_pages_before_cleaning(tmp_path: Path) -> None:
    pages = demo_html_pages()[:6]
    records = [response(path, body) for path, body in pages]
    other = write_warc(tmp_path / "other.warc.gz", records)
    ours = write_warc(tmp_path / "ours.warc", records, gzip_records=False)

    def elsewhere(writer: WARCWriter) -> None:  # same pages under another host
        for path, body in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                "https://www.elsewhere.example" + path, "response", payload=io.BytesIO(body),
                http_headers=http))  # fmt: skip

    mixed_hosts = write_warc(tmp_path / "hosts.warc.gz", [elsewhere])
    url = f"sqlite:///{tmp_path / 'news.db'}"
    result = ingest([mixed_hosts, other], url, domains=("elsewhere.example",))
    assert result.stats["newsclean/pages"] == 6
    assert result.stats["newsclean/warc/filtered/domain"] == 6
    limited = ingest([ours], f"sqlite:///{tmp_path / 'limited.db'}", limit=4)
    assert limited.stats["newsclean/pages"] == 4


def test_domain_matching_covers_subdomains_and_www() -> None:
    assert domain_matches("https://www.example.com/a", ["example.com"])
    assert domain_matches("https://news.example.com/a", ["www.example.com"])
    assert not domain_matches("https://notexample.com/a", ["example.com"])
    assert domain_matches("https://any.host/", [])


# --- damaged and unusual files ------------------------------------------------------------


def five_articles() -> list[Record]:
    paths = [
        ENGLISH_ARTICLE,
        GERMAN_ARTICLE,
        "/science/2026/11/ocean-heat-record/",
        "/science/2026/11/lichen-survey-volunteers/",
        "/opinion/2026/11/the-case-for-slower-streets/",
    ]
    return [response(path, demo_file(path).read_bytes()) for path in paths]


def test_a_truncated_gzip_file_keeps_the_records_before_the_cut_and_reports_it(tmp_path):
    whole = write_warc(tmp_path / "whole.warc.gz", five_articles()).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: len(whole) - 500])  # inside the last record's gzip member
    url = f"sqlite:///{tmp_path / 'news.db'}"
    result = ingest([cut], url)
    assert len(result.errors) == 1 and "truncated" in result.errors[0]
    assert str(cut) in result.errors[0]
    assert result.stats["newsclean/warc/file-errors"] == 1
    assert len(snapshot(url)["articles"]) == 4  # the cut record is not stored half-read


@pytest.mark.parametrize("kind", ["plain", "whole-file-gzip", "per-record-gzip"])
def test_truncation_is_detected_in_every_layout(tmp_path: Path, kind: str) -> None:
    plain = write_warc(tmp_path / "a.warc", five_articles(), gzip_records=False).read_bytes()
    data = {
        "plain": plain,
        "whole-file-gzip": gzip.compress(plain),
        "per-record-gzip": write_warc(tmp_path / "b.warc.gz", five_articles()).read_bytes(),
    }[kind]
    intact, cut = tmp_path / "intact", tmp_path / "cut"
    intact.write_bytes(data)
    cut.write_bytes(data[: len(data) * 9 // 10])
    assert len(list(read_warc(intact))) == 5
    counts: Counter[str] = Counter()
    read: list[str] = []
    with pytest.raises(WarcReadError, match="truncated"):
        read.extend(r.url for r in read_warc(cut, counts))
    assert 1 <= len(read) < 5


def test_payloads_over_the_size_limit_are_too_large_skips_without_their_body(tmp_path):
    bomb = gzip.compress(bytes(25 * 2**20))  # 25 MiB of zeros in ~25 KiB: over 20 MiB
    records = five_articles()[:1] + [
        response("/bomb/", bomb, extra=[("Content-Encoding", "gzip")]),
    ]
    warc = write_warc(tmp_path / "big.warc.gz", records)
    default = list(read_warc(warc))
    assert [r.oversize for r in default] == [False, True] and default[1].body == b""
    assert classify(default[1])[0].skip_reason == "too-large"
    assert all(r.oversize for r in read_warc(warc, max_size=1000))


def test_garbage_is_a_clear_error_for_that_file_only(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"this is not a WARC file\n" * 10)
    good = write_warc(tmp_path / "good.warc.gz", five_articles()[:2])
    url = f"sqlite:///{tmp_path / 'news.db'}"
    result = ingest([junk, good], url)
    assert len(result.errors) == 1 and "junk.warc.gz" in result.errors[0]
    assert len(snapshot(url)["articles"]) == 2


def test_arc_files_are_refused_with_a_conversion_hint(tmp_path: Path) -> None:
    arc = tmp_path / "old.arc.gz"
    arc.write_bytes(gzip.compress(b"filedesc://old.arc 0.0.0.0 20050101000000 text/plain 76\n"))
    with pytest.raises(WarcReadError, match="warcio recompress"):
        list(read_warc(arc))


def test_globs_expand_and_a_pattern_matching_nothing_is_an_error(tmp_path: Path) -> None:
    for name in ("b.warc.gz", "a.warc.gz"):
        write_warc(tmp_path / name, five_articles()[:1])
    assert [p.name for p in expand_inputs([str(tmp_path / "*.warc.gz")])] == [
        "a.warc.gz",
        "b.warc.gz",
    ]
    with pytest.raises(FileNotFoundError, match="no WARC file matches"):
        expand_inputs([str(tmp_path / "*.arc")])


def test_classify_mirrors_the_spider_decisions() -> None:
    def page(body: bytes, content_type: str | None, status: int = 200) -> WarcResponse:
        return WarcResponse(HOST + ENGLISH_ARTICLE, status, {}, body, datetime.now(UTC),
                            content_type)  # fmt: skip

    article = demo_file(ENGLISH_ARTICLE).read_bytes()
    record, html = classify(page(article, "text/html; charset=utf-8"))
    assert record.skip_reason is None and html is not None and "Port Averly" in html
    assert classify(page(article, None))[1] is not None  # no Content-Type: sniffed as HTML
    assert classify(page(article, "text/plain"))[0].skip_reason == "not-html"
    assert classify(page(article, "text/html", 503))[0].skip_reason == "http-error"
