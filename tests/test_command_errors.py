"""First-day mistakes at the command line get one clear line and exit status 2: no Python
traceback, no 15-minute wait. Real `scrapy` subprocesses, a real SQLite file and a real
Postgres server (wrong port, wrong password, missing database)."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest

from spiders.spiders.news import NewsSpider
from spiders.starturls import StartUrlError, normalize_start_url, read_start_urls
from tests.plugins import free_port
from tests.plugins.postgres import PostgresCluster
from tests.test_commands import DEMO_PAGES, _store_demo_pages, scrapy

USAGE_EXIT = 2


def assert_one_clear_error(result, message: str) -> None:
    """Exit status 2, the message on stderr, no traceback anywhere."""
    output = result.stdout + result.stderr
    assert result.returncode == USAGE_EXIT, output
    assert "Traceback" not in output, output
    assert message in result.stderr, result.stderr


def sqlite_url(tmp_path: Path, name: str = "news.db") -> str:
    return f"sqlite:///{tmp_path / name}"


# --- scrapy crawl news: arguments ------------------------------------------------------


def test_crawl_without_a_url_prints_the_usage_line(tmp_path: Path) -> None:
    result = scrapy("crawl", "news", database_url=sqlite_url(tmp_path))
    assert_one_clear_error(result, "give start URLs: -a url=")
    assert "scrapy crawl [options] <spider>" in result.stderr  # Scrapy's usage line
    assert "INFO" not in result.stderr  # refused before Scrapy starts logging


def test_crawl_refuses_a_string_that_is_no_url(tmp_path: Path) -> None:
    result = scrapy("crawl", "news", "-a", "url=not-a-url", database_url=sqlite_url(tmp_path))
    assert_one_clear_error(result, "'not-a-url' is not a URL")
    assert not (tmp_path / "news.db").exists()  # refused before anything was written


def test_crawl_refuses_a_bad_line_of_the_urls_file_naming_the_line(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("# seeds\nhttps://a.example/\nftp://files.example/\n")
    result = scrapy("crawl", "news", "-a", f"urls_file={urls}", database_url=sqlite_url(tmp_path))
    assert_one_clear_error(result, "only http:// and https:// URLs can be crawled")
    assert f"({urls}, line 3)" in result.stderr


def test_crawl_with_a_missing_urls_file_says_it_cannot_read_it(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    result = scrapy("crawl", "news", "-a", "urls_file=/missing.txt", database_url=url)
    assert_one_clear_error(result, "error: cannot read /missing.txt: No such file or directory")
    assert result.stderr.strip() == "error: cannot read /missing.txt: No such file or directory"


def test_traceback_option_and_debug_log_still_show_the_traceback(tmp_path: Path) -> None:
    for flag in (["--traceback"], ["-L", "DEBUG"]):
        result = scrapy("crawl", "news", "-a", "urls_file=/missing.txt", *flag,
                        database_url=sqlite_url(tmp_path))  # fmt: skip
        assert result.returncode == USAGE_EXIT
        assert "Traceback" in result.stderr and "FileNotFoundError" in result.stderr
        assert "error: cannot read /missing.txt" in result.stderr


def test_crawl_refuses_an_unknown_spider_and_a_bad_setting(tmp_path: Path) -> None:
    result = scrapy("crawl", "nws", "-a", "url=https://a.example/")
    assert_one_clear_error(result, "no spider named 'nws'; this project has: news")
    result = scrapy("crawl", "news", "-a", "url=https://a.example/", "-s",
                    "NEWSCLEAN_CLEAN_TIMEOUT=soon", database_url=sqlite_url(tmp_path))  # fmt: skip
    assert_one_clear_error(result, "NEWSCLEAN_CLEAN_TIMEOUT must be a number, got 'soon'")


def test_start_urls_get_a_scheme_an_ascii_host_and_a_path() -> None:
    assert normalize_start_url("example.com") == "https://example.com/"
    assert normalize_start_url(" www.example.com/news ") == "https://www.example.com/news"
    assert normalize_start_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000/"
    assert normalize_start_url("münchen.de") == "https://xn--mnchen-3ya.de/"
    assert normalize_start_url("https://Bücher.EXAMPLE/a#top") == "https://xn--bcher-kva.example/a"
    assert normalize_start_url("http://intranet/") == "http://intranet/"  # explicit scheme
    for bad in ("not-a-url", "https://", "ftp://a.example/", "http://a.example:port/"):
        with pytest.raises(StartUrlError):
            normalize_start_url(bad)


def test_the_spider_crawls_example_com_as_https_example_com() -> None:
    spider = NewsSpider(url="example.com, münchen.de")
    assert spider.start_site_urls == ["https://example.com/", "https://xn--mnchen-3ya.de/"]
    assert spider.allowed_domains == ["example.com", "xn--mnchen-3ya.de"]
    assert read_start_urls("example.com,https://example.com/", None) == ["https://example.com/"]


# --- the database at crawl start ---------------------------------------------------------


def crawl_into(database_url: str) -> tuple[object, float]:
    started = time.monotonic()
    # 127.0.0.1:9 (discard) is never contacted: the database check comes first.
    result = scrapy("crawl", "news", "-a", "url=http://127.0.0.1:9/", database_url=database_url)
    return result, time.monotonic() - started


@pytest.mark.postgres
def test_crawl_into_a_postgres_port_nobody_listens_on_fails_at_once(
    postgres_cluster: PostgresCluster,
) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/newsclean"
    result, seconds = crawl_into(url)
    assert_one_clear_error(result, "host unreachable: connection refused")
    assert "cannot reach the database server" in result.stderr
    assert seconds < 90  # not NEWSCLEAN_STORE_RETRY_TIMEOUT (900 s); process start-up only


@pytest.mark.postgres
def test_crawl_with_a_wrong_postgres_password_says_authentication_failed(
    postgres_cluster: PostgresCluster,
) -> None:
    url = postgres_cluster.create_password_role().replace(":right-password@", ":wrong@")
    result, seconds = crawl_into(url)
    assert_one_clear_error(result, "authentication failed for user 'newsclean_password_user'")
    assert "wrong" not in result.stderr  # the password is masked
    assert seconds < 90


@pytest.mark.postgres
def test_crawl_into_a_missing_postgres_database_says_it_does_not_exist(
    postgres_cluster: PostgresCluster,
) -> None:
    result, seconds = crawl_into(postgres_cluster.database_url("no_such_db"))
    assert_one_clear_error(result, "database 'no_such_db' does not exist")
    assert "createdb no_such_db" in result.stderr
    assert seconds < 90


def test_crawl_creates_the_folder_of_a_new_sqlite_database(
    tmp_path: Path, demo_site_url: str
) -> None:
    database = tmp_path / "not" / "yet" / "news.db"
    result = scrapy("crawl", "news", "-a", f"url={demo_site_url}", "-s", "CLOSESPIDER_PAGECOUNT=2",
                    "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "NEWSCLEAN_CLEAN_WORKERS=1",
                    database_url=f"sqlite:///{database}")  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert database.is_file()


def test_a_sqlite_folder_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result, _seconds = crawl_into(f"sqlite:///{blocker / 'sub' / 'news.db'}")
    assert_one_clear_error(result, f"error: cannot create the folder for sqlite:///{blocker}")


# --- scrapy export -----------------------------------------------------------------------


@pytest.fixture
def stored(tmp_path: Path) -> str:
    url = sqlite_url(tmp_path, "stored.db")
    _store_demo_pages(url, DEMO_PAGES, cleaner_version=1)
    return url


def test_export_into_a_missing_folder_is_one_line(stored: str) -> None:
    result = scrapy("export", "-o", "/missing-dir/out.jsonl", database_url=stored)
    assert_one_clear_error(
        result, "error: cannot write /missing-dir/out.jsonl: folder /missing-dir does not exist"
    )


def test_export_from_a_database_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    result = scrapy("export", "-o", str(tmp_path / "out.jsonl"), database_url=sqlite_url(tmp_path))
    assert_one_clear_error(result, f"error: no database at {tmp_path / 'news.db'}")
    assert not (tmp_path / "news.db").exists()


def test_export_csv_has_one_row_per_article_and_comments_as_json(
    stored: str, tmp_path: Path
) -> None:
    out = tmp_path / "corpus.csv"
    result = scrapy("export", "-o", str(out), "--with-comments", database_url=stored)
    assert result.returncode == 0, result.stderr
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 3
    commented = next(r for r in rows if "slower-streets" in r["url"])
    comments = json.loads(commented["comments"])
    assert [c["author"] for c in comments][:2] == ["Margit Sørensen", "Sam Whitlock"]
    assert "\n\n" in commented["body"]  # paragraphs survive inside one quoted cell
    assert json.loads(commented["paragraphs"])[0] in commented["body"]


def test_export_csv_with_a_separate_comments_file(stored: str, tmp_path: Path) -> None:
    out, comments_out = tmp_path / "articles.csv", tmp_path / "comments.csv"
    result = scrapy("export", "-o", str(out), "--comments-file", str(comments_out),
                    database_url=stored)  # fmt: skip
    assert result.returncode == 0, result.stderr
    with out.open(newline="", encoding="utf-8") as f:
        articles = list(csv.DictReader(f))
    with comments_out.open(newline="", encoding="utf-8") as f:
        comments = list(csv.DictReader(f))
    assert "comments" not in articles[0]
    commented = next(a for a in articles if "slower-streets" in a["url"])
    thread = [c for c in comments if c["article_id"] == commented["id"]]
    assert [c["author"] for c in thread][:2] == ["Margit Sørensen", "Sam Whitlock"]
    assert thread[1]["parent"] == "0" and thread[0]["parent"] == ""


def test_export_to_stdout_is_json_lines_and_nothing_else(stored: str) -> None:
    result = scrapy("export", "-o", "-", "--with-comments", database_url=stored)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]  # every line is JSON
    assert len(rows) == 3 and all(row["body"] for row in rows)
    assert "exported 3 articles to standard output" in result.stderr


def test_export_refuses_an_unknown_format_and_parquet_on_stdout(
    stored: str, tmp_path: Path
) -> None:
    result = scrapy("export", "-o", str(tmp_path / "corpus.xlsx"), database_url=stored)
    assert_one_clear_error(result, "name the file .jsonl, .csv or .parquet")
    result = scrapy("export", "-o", "-", "--format", "parquet", database_url=stored)
    assert_one_clear_error(result, "Parquet cannot be written to standard output")
    result = scrapy("export", "-o", "-", "--since", "last week", database_url=stored)
    assert_one_clear_error(result, "--since 'last week' is not a date: use YYYY-MM-DD")
    assert result.stdout == ""


# --- ingest-warc, reclean, profiles, migrate, seed, clean ---------------------------------


def test_ingest_warc_bad_arguments(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    result = scrapy("ingest-warc", database_url=url)
    assert_one_clear_error(result, "give one or more WARC files or globs")
    result = scrapy("ingest-warc", "/missing/*.warc.gz", database_url=url)
    assert_one_clear_error(result, "error: no WARC file matches /missing/*.warc.gz")
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(b"")
    result = scrapy("ingest-warc", str(warc), "--workers", "-1", database_url=url)
    assert_one_clear_error(result, "--workers must be >= 0, got -1")
    result = scrapy("ingest-warc", str(warc), "--limit", "many", database_url=url)
    assert_one_clear_error(result, "argument --limit: invalid int value: 'many'")


def test_reclean_bad_arguments(stored: str, tmp_path: Path) -> None:
    result = scrapy("reclean", "--since", "yesterday", database_url=stored)
    assert_one_clear_error(result, "--since 'yesterday' is not a date: use YYYY-MM-DD")
    result = scrapy("reclean", "example.com", database_url=stored)
    assert_one_clear_error(result, "unexpected arguments: example.com (options only)")
    result = scrapy("reclean", database_url=sqlite_url(tmp_path, "nothing-here.db"))
    assert_one_clear_error(result, "error: no database at")


def test_profiles_bad_arguments(stored: str) -> None:
    result = scrapy("profiles", "--workers", "-2", database_url=stored)
    assert_one_clear_error(result, "--workers must be >= 0 (0 = one per core), got -2")
    result = scrapy("profiles", "apply", database_url=stored)
    assert_one_clear_error(result, "unexpected arguments: apply")
    missing = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/newsclean"
    result = scrapy("profiles", database_url=missing)
    assert_one_clear_error(result, "host unreachable: connection refused")


def test_migrate_seed_and_clean_bad_arguments(stored: str, tmp_path: Path) -> None:
    result = scrapy("migrate", "sideways", database_url=stored)
    assert_one_clear_error(result, "unknown action 'sideways'")
    result = scrapy("migrate", "upgrade", "nosuchrev", database_url=stored)
    assert_one_clear_error(result, "Can't locate revision identified by 'nosuchrev'")
    result = scrapy("seed", "news", "-f", "/missing-seeds.txt")
    assert_one_clear_error(result, "error: cannot read /missing-seeds.txt: No such file")
    result = scrapy("seed", "news", "not-a-url")
    assert_one_clear_error(result, "'not-a-url' is not a URL")
    result = scrapy("clean", "/missing.html")
    assert_one_clear_error(result, "error: cannot read /missing.html: no such file")
    page = tmp_path / "page.html"
    page.write_text("<p>text</p>")
    result = scrapy("clean", str(page), "-o", "/missing-dir/out.jsonl")
    assert_one_clear_error(result, "error: cannot write /missing-dir/out.jsonl")
