"""Crawl throughput and memory on a generated news site served on 127.0.0.1.

In one run, on the same pages (tests/sitegen.py: WordPress-like article pages with nav,
share bar, newsletter and donation boxes, related links, JSON-LD and threaded comments):

1. a bare Scrapy spider that only downloads and follows links (the ceiling);
2. the full `scrapy crawl news` (discovery, cleaning in the process pool, SQLite store);
3. single-process `trafilatura.extract` over the same article HTML (the reference), and
   single-process `cleaning.clean_html` (what each pool worker runs).

A second full crawl, of a 10,000-article site (`--memory-articles`, 0 to skip), samples
the RSS of the crawler (main process, and main + cleaning workers) every half second.
The report replaces the `## Crawl` section of bench/RESULTS.md (`--no-write`: print only).

    .venv/bin/python bench/crawl_bench.py            # what `make bench` runs
    .venv/bin/python bench/crawl_bench.py --articles 200 --memory-articles 0 --no-write
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scrapy import Request, Spider  # noqa: E402
from scrapy.http import Response  # noqa: E402
from scrapy.linkextractors import LinkExtractor  # noqa: E402

from bench.results import write_section  # noqa: E402
from tests.sitegen import GeneratedSite, serve_site  # noqa: E402

# Same profile as the tests: a local server needs no politeness delays.
FAST_LOCAL = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "INFO",
}
RESULTS = REPO / "bench" / "RESULTS.md"
SECTION = "## Crawl"


class BareSpider(Spider):
    """Downloads and follows on-site links; no parsing beyond that, no items."""

    name = "bare"
    custom_settings = {
        "ITEM_PIPELINES": {},
        "DOWNLOADER_MIDDLEWARES": {},
        "SPIDER_MIDDLEWARES": {},
        "EXTENSIONS": {},
    }

    def __init__(self, url: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.start_urls = [url]
        self.host = urlsplit(url).hostname
        self.links = LinkExtractor()

    def parse(self, response: Response):  # type: ignore[override]
        for link in self.links.extract_links(response):
            if urlsplit(link.url).hostname == self.host:
                yield Request(link.url, callback=self.parse)


@dataclass
class CrawlRun:
    pages: int
    seconds: float
    stats: dict[str, float]
    cpu: float = 0.0  # CPU seconds of the crawler and its workers (user + system)
    main_cpu: float = 0.0  # ... of the crawler process alone (last sample before exit)
    workers_cpu: float = 0.0  # ... of the cleaning workers (sampled; replaced ones included)
    rss: list[tuple[float, int, int]] = field(default_factory=list)  # (t, main, total) KiB

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2, help="cleaning worker processes")
    parser.add_argument("--memory-articles", type=int, default=10_000, help="0: no memory run")
    parser.add_argument("--no-write", dest="write", action="store_false", help="print only")
    args = parser.parse_args()

    site = GeneratedSite(args.articles)
    site.prerender()
    with tempfile.TemporaryDirectory(prefix="crawl-bench-") as tmp, serve_site(site) as url:
        bare = run_bare(url)
        print(f"bare spider: {bare.pages} pages in {bare.seconds:.1f} s", flush=True)
        full = run_full(url, f"sqlite:///{tmp}/news.db", args.workers)
        print(f"full crawl: {full.pages} pages in {full.seconds:.1f} s", flush=True)
    pages = [site.article_html(n) for n in range(args.articles)]
    trafilatura_rate = extraction_rate("trafilatura", pages)
    clean_rate = extraction_rate("clean_html", pages[:300])
    print(f"trafilatura {trafilatura_rate}, clean_html {clean_rate}", flush=True)

    memory = None
    if args.memory_articles:
        big = GeneratedSite(args.memory_articles, seed=11)
        big.prerender()
        with tempfile.TemporaryDirectory(prefix="crawl-mem-") as tmp, serve_site(big) as url:
            memory = run_full(url, f"sqlite:///{tmp}/news.db", args.workers)
        print(f"memory crawl: {memory.pages} pages in {memory.seconds:.1f} s", flush=True)

    report = format_report(args, site, bare, full, trafilatura_rate, clean_rate, memory)
    print(report)
    if args.write:
        write_section(report)


# --- runs ------------------------------------------------------------------------------


def run_bare(url: str) -> CrawlRun:
    command = ["runspider", str(Path(__file__).resolve()), "-a", f"url={url}"]
    log, cpu = _scrapy(command, FAST_LOCAL, env={})
    stats = _stats(log)
    pages = int(stats["response_received_count"])
    return CrawlRun(pages, stats["elapsed_time_seconds"], stats, cpu)


def run_full(url: str, database_url: str, workers: int) -> CrawlRun:
    settings = {**FAST_LOCAL, "NEWSCLEAN_CLEAN_WORKERS": str(workers)}
    rss: list[tuple[float, int, int]] = []
    cpu_by_pid: dict[int, float] = {}
    log, _ = _scrapy(
        ["crawl", "news", "-a", f"url={url}"],
        settings,
        env={"NEWSCLEAN_DATABASE_URL": database_url},
        samples=(rss, cpu_by_pid),
    )
    stats = _stats(log)
    # getrusage(RUSAGE_CHILDREN) misses the pool's workers (children of the forkserver,
    # never waited for by us), so the crawl's CPU is summed from the samples instead.
    main_cpu = cpu_by_pid.pop(-1, 0.0)
    workers_cpu = sum(cpu_by_pid.values())
    return CrawlRun(
        int(stats["newsclean/pages"]), stats["elapsed_time_seconds"], stats,
        main_cpu + workers_cpu, main_cpu, workers_cpu, rss,
    )  # fmt: skip


def _scrapy(
    command: list[str],
    settings: dict[str, str],
    env: dict[str, str],
    samples: tuple[list[tuple[float, int, int]], dict[int, float]] | None = None,
) -> tuple[str, float]:
    """Run a scrapy command; its log and the CPU seconds it and its children used."""
    args = [sys.executable, "-m", "scrapy", *command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for name, value in settings.items():
        args += ["-s", f"{name}={value}"]
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            args, cwd=REPO, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        sampler = None
        if samples is not None:
            sampler = threading.Thread(target=_sample, args=(process, *samples), daemon=True)
            sampler.start()
        process.wait()
        if sampler is not None:
            sampler.join()
        log.seek(0)
        text = log.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{text[-4000:]}")
    return text, cpu


def _stats(log: str) -> dict[str, float]:
    dump = log[log.rfind("Dumping Scrapy stats") :]
    return {k: float(v) for k, v in re.findall(r"'([\w/.-]+)': (\d+(?:\.\d+)?)[,}]", dump)}


def _sample(
    process: subprocess.Popen, rss: list[tuple[float, int, int]], cpu_by_pid: dict[int, float]
) -> None:
    """Every 0.5 s: RSS of the crawler and of its process tree; CPU seconds of each
    process (key -1: the crawler itself), last value seen."""
    start = time.monotonic()
    while process.poll() is None:
        children = _descendants(process.pid)
        main = _rss_kib(process.pid)
        total = main + sum(_rss_kib(child) for child in children)
        if main:
            rss.append((time.monotonic() - start, main, total))
        for pid, key in [(process.pid, -1), *((c, c) for c in children)]:
            seconds = _cpu_seconds(pid)
            if seconds is not None:
                cpu_by_pid[key] = seconds
        time.sleep(0.5)


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime+stime
    except (OSError, IndexError, ValueError):
        return None


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        parent = stack.pop()
        try:
            for task in Path(f"/proc/{parent}/task").iterdir():
                children = (task / "children").read_text().split()
                found.extend(int(c) for c in children)
                stack.extend(int(c) for c in children)
        except OSError:
            continue
    return found


@dataclass
class Rate:
    wall: float  # documents per wall-clock second
    cpu: float  # documents per CPU second of this process

    def __str__(self) -> str:
        return f"{self.wall:.1f}/s wall, {self.cpu:.1f}/s CPU"


def extraction_rate(which: str, pages: list[str]) -> Rate:
    """Single-process documents per second, by wall clock (comparable with the crawl,
    measured in the same run) and by CPU time (what the extractor itself costs on a
    shared machine)."""
    if which == "trafilatura":
        import trafilatura

        def extract(html: str) -> object:
            return trafilatura.extract(html)
    else:
        from cleaning.html import clean_html as extract

    extract(pages[0])  # imports and caches outside the timing
    wall, cpu = time.perf_counter(), time.process_time()
    for html in pages:
        extract(html)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Rate(len(pages) / wall, len(pages) / cpu)


# --- report ------------------------------------------------------------------------------


def format_report(
    args: argparse.Namespace,
    site: GeneratedSite,
    bare: CrawlRun,
    full: CrawlRun,
    trafilatura_rate: Rate,
    clean_rate: Rate,
    memory: CrawlRun | None,
) -> str:
    size = sum(len(site.article_html(n).encode()) for n in range(50)) / 50 / 1024
    stats = full.stats
    ratio = full.rate / trafilatura_rate.wall
    lines = [
        SECTION,
        "",
        f"`bench/crawl_bench.py`: generated site (tests/sitegen.py) of {args.articles} "
        f"article pages (mean {size:.1f} KiB of HTML, WordPress-style comments, nav/share/"
        "newsletter/donation/related blocks) plus section fronts, sitemap, feed and robots.txt,"
        f" served pre-rendered on 127.0.0.1. {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end of the run (the machine is shared with other "
        "jobs, so wall-clock rates are low for everything measured). Crawl rates are pages "
        "per second of Scrapy's elapsed time (spider open to close: includes starting the "
        "pool and migrating the database); CPU ms/page is user + system time of the crawler "
        f"and its workers. Command: `.venv/bin/python bench/crawl_bench.py "
        f"--articles {args.articles} --memory-articles {args.memory_articles}`.",
        "",
        "| run | pages | seconds | pages/s (wall) | CPU ms/page |",
        "|---|---:|---:|---:|---:|",
        f"| bare Scrapy spider (download + follow links only) | {bare.pages} | "
        f"{bare.seconds:.1f} | {bare.rate:.1f} | {1000 * bare.cpu / bare.pages:.1f} |",
        f"| `scrapy crawl news` (clean in {args.workers} workers + SQLite) | {full.pages} | "
        f"{full.seconds:.1f} | {full.rate:.1f} | {1000 * full.cpu / full.pages:.1f} |",
        f"| `trafilatura.extract`, 1 process | {args.articles} | | "
        f"{trafilatura_rate.wall:.1f} | {1000 / trafilatura_rate.cpu:.1f} |",
        f"| `cleaning.clean_html`, 1 process | 300 | | {clean_rate.wall:.1f} | "
        f"{1000 / clean_rate.cpu:.1f} |",
        "",
        f"Full crawl / single-process trafilatura (wall clock, same run): **{ratio:.2f}x** "
        f"(target 1.5x). The cleaner alone runs at {clean_rate.wall / trafilatura_rate.wall:.2f}x "
        f"trafilatura's speed, so {args.workers} workers could reach at most "
        f"{args.workers * clean_rate.wall / trafilatura_rate.wall:.2f}x; the crawl reaches "
        f"{full.rate / (args.workers * clean_rate.wall):.0%} of that ceiling. "
        f"Stored: {int(stats.get('newsclean/stored/articles', 0))} articles, "
        f"{int(stats.get('newsclean/stored/comments', 0))} comments.",
    ]
    if full.main_cpu:
        main_ms = 1000 * full.main_cpu / full.pages
        total_ms = 1000 * full.cpu / full.pages
        cores = os.cpu_count() or 1
        idle_rate = min(1000 / main_ms, cores * 1000 / total_ms)
        lines += [
            "",
            f"CPU per page of the full crawl: {main_ms:.1f} ms in the crawler process "
            f"(download, discovery, pool hand-off, store writes; the bare spider's "
            f"{1000 * bare.cpu / bare.pages:.1f} ms is Scrapy's own share), "
            f"{total_ms - main_ms:.1f} ms in the cleaning workers. On an idle {cores}-core "
            "machine that bounds the crawl "
            f"at min(1000/{main_ms:.1f}, {cores} x 1000/{total_ms:.1f}) = {idle_rate:.0f} "
            f"pages/s, against {trafilatura_rate.cpu:.0f} pages/s for single-process "
            f"trafilatura: {idle_rate / trafilatura_rate.cpu:.2f}x by CPU cost.",
        ]
    for title, run in (("full crawl", full), ("memory crawl", memory)):
        if run is not None and run.rss:
            lines += ["", _memory_line(title, run)]
    return "\n".join(lines) + "\n"


def _memory_line(title: str, run: CrawlRun) -> str:
    samples = run.rss
    peak_main = max(m for _, m, _ in samples) / 1024
    peak_total = max(t for _, _, t in samples) / 1024
    quarters = []
    for q in (0.25, 0.5, 0.75, 1.0):
        cut = [m for t, m, _ in samples if t <= q * samples[-1][0]]
        quarters.append(f"{(cut[-1] if cut else samples[0][1]) / 1024:.0f}")
    return (
        f"Memory, {title} ({run.pages} pages, {run.seconds:.0f} s, {run.rate:.1f} pages/s): "
        f"peak RSS {peak_main:.0f} MiB in the crawler process, {peak_total:.0f} MiB with "
        f"the cleaning workers; crawler RSS at 25/50/75/100% of the crawl: "
        f"{' / '.join(quarters)} MiB."
    )


if __name__ == "__main__":
    main()
