"""Scale-out speed: pages/s of a distributed crawl with 1 worker vs 2 workers, one Redis and
one Postgres, over the same generated news site served on 127.0.0.1, in one run.

    .venv/bin/python bench/scale_bench.py              # print the table
    .venv/bin/python bench/scale_bench.py --write      # ... and update `## Scale` in RESULTS.md
    .venv/bin/python bench/scale_bench.py -n 400       # fewer articles

Every run is the real thing: `scrapy seed` semantics (start URL pushed to Redis), then N
`scrapy crawl news` processes with NEWSCLEAN_REDIS_URL, storing into a fresh Postgres
database. Throughput = pages / (last page fetched - first page fetched), so process
start-up and the idle timeout at the end are not counted. CPU seconds are read from
/proc for every part (crawler reactors, their cleaning processes, Postgres, Redis, this
process which serves the site) to show where the time goes.

The site (a fixed seed, so every run sees the same one): N article pages of ~15 KB with
the usual chrome (navigation, share bar, related links, footer, a few comments), listing
pages of 20 teasers each, robots.txt and a sitemap of all articles.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from bench.results import write_section  # noqa: E402
from spiders import distributed  # noqa: E402
from spiders.localsite import serve_directory  # noqa: E402
from storage.models import Article, Page  # noqa: E402
from tests.plugins.postgres import PostgresCluster, find_postgres_bin_dir  # noqa: E402
from tests.plugins.redis import RedisServer  # noqa: E402

RESULTS = REPO / "bench" / "RESULTS.md"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WORKER_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "MAX_IDLE_TIME_BEFORE_CLOSE": "3",
    "NEWSCLEAN_REDIS_POLL_INTERVAL": "0.5",
    "LOG_LEVEL": "INFO",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--articles", type=int, default=400)
    parser.add_argument("--workers", default="1,2", help="worker counts to compare")
    parser.add_argument(
        "--clean-workers", type=int, default=0,
        help="NEWSCLEAN_CLEAN_WORKERS per crawl process (0 = one per core, the default)",
    )  # fmt: skip
    parser.add_argument(
        "--repeat", type=int, default=2,
        help="runs per worker count, interleaved (1,2,2,1,...); the fastest is kept",
    )  # fmt: skip
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args()

    bin_dir = find_postgres_bin_dir()
    redis_binary = shutil.which("redis-server")
    if bin_dir is None or redis_binary is None:
        print("needs the Debian postgresql and redis-server packages", file=sys.stderr)
        return 1
    counts = [int(c) for c in args.workers.split(",")]
    load = os.getloadavg()[0]  # other work on the machine skews every figure: say how much
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        base = Path(tmp)
        site = generate_site(base / "site", args.articles)
        # Its own temporary directory: the cluster runs as `postgres`, which cannot enter
        # this (root-only) one.
        pg_dir = Path(tempfile.mkdtemp(prefix="scale-bench-pg-"))
        cluster = PostgresCluster(bin_dir, pg_dir)
        redis_server = RedisServer(redis_binary, _mkdir(base / "redis"))
        cluster.init()
        cluster.start()
        redis_server.start()
        try:
            # Interleaved so a burst of load from elsewhere on the machine does not hit
            # one configuration only.
            order = [
                n for r in range(args.repeat) for n in (counts if r % 2 == 0 else counts[::-1])
            ]
            best: dict[int, Result] = {}
            with serve_directory(site) as site_url:
                for run, n in enumerate(order):
                    result = run_crawl(n, site_url, cluster, redis_server, base,
                                       args.clean_workers, run)  # fmt: skip
                    print(f"{n} worker(s): {result.rate:.1f} pages/s", flush=True)
                    if n not in best or result.rate > best[n].rate:
                        best[n] = result
            results = [best[n] for n in counts]
        finally:
            redis_server.stop()
            cluster.stop()
            shutil.rmtree(pg_dir, ignore_errors=True)
    report = render(results, args.articles, args.clean_workers, args.repeat, load)
    print(report)
    if args.write:
        write_section(report)
    return 0


# --- the generated site ------------------------------------------------------------------

WORDS = (
    "council harbour budget river school market station energy report court minister "
    "village storm bridge rail port union hospital election museum festival farmer price "
    "water season survey police league ferry library research coast tower museum fishing "
    "district mayor contract plan road shop winter summer license grant audit vote"
).split()
FILLER = (
    "the a of to and in that for on with as by at from said after before over new more "
    "than about into which their was were has had will would could also this its"
).split()


def sentence(rng: random.Random, words: int) -> str:
    picks = [rng.choice(WORDS if rng.random() < 0.4 else FILLER) for _ in range(words)]
    return " ".join(picks).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(10, 24)) for _ in range(rng.randint(3, 6)))


def article_path(i: int) -> str:
    return f"/news/2026/{1 + i % 12:02d}/story-{i:05d}/"


def article_page(i: int, n: int, rng: random.Random) -> str:
    title = sentence(rng, 8).rstrip(".")
    related = "".join(
        f'<li><a href="{article_path(rng.randrange(n))}">{sentence(rng, 6)}</a></li>'
        for _ in range(4)
    )
    body = "".join(f"<p>{paragraph(rng)}</p>\n" for _ in range(rng.randint(5, 9)))
    comments = "".join(
        f'<li class="comment" id="comment-{i}-{c}"><article class="comment-body">'
        f'<footer class="comment-meta"><b class="fn">Reader {rng.randrange(500)}</b> '
        f'<time datetime="2026-11-0{1 + c}T10:00:00+00:00">{1 + c} November 2026</time>'
        f'</footer><div class="comment-content"><p>{sentence(rng, 14)}</p></div></article></li>'
        for c in range(rng.randint(0, 4))
    )
    comment_block = (
        f'<section id="comments" class="comments-area"><h2 class="comments-title">Comments</h2>'
        f'<ol class="comment-list">{comments}</ol></section>'
        if comments
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | The Bench Courier</title>
<meta property="og:type" content="article"><meta property="og:title" content="{title}">
<meta property="article:published_time" content="2026-{1 + i % 12:02d}-10T08:00:00+00:00">
<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "headline": title})}
</script>
</head><body>
<header class="site-header"><a href="/">The Bench Courier</a><nav><ul>
{"".join(f'<li><a href="/page/{p}/">Section {p}</a></li>' for p in range(1, 9))}
</ul></nav><form role="search"><input name="q" placeholder="Search"></form></header>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<main><article class="story"><h1>{title}</h1>
<p class="byline">By Staff Reporter</p>
<div class="share">Share on Facebook Share on Twitter Email this article</div>
<div class="article-body">
{body}</div>
<aside class="newsletter">Sign up to our morning newsletter. Subscribe now.</aside>
<aside class="related"><h2>Related</h2><ul>{related}</ul></aside>
</article>{comment_block}</main>
<footer class="site-footer"><p>&copy; 2026 The Bench Courier. All rights reserved.</p>
<ul><li><a href="/page/1/">Latest</a></li></ul></footer>
</body></html>
"""


def listing_page(page: int, paths: list[str], pages: int) -> str:
    teasers = "".join(
        f'<article class="teaser"><h2><a href="{p}">Story {p.rsplit("-", 1)[-1]}</a></h2></article>'
        for p in paths
    )
    more = f'<a rel="next" href="/page/{page + 1}/">Older</a>' if page < pages else ""
    return (
        f"<!DOCTYPE html><html><head><title>Page {page} | The Bench Courier</title></head>"
        f"<body><h1>Latest news, page {page}</h1>{teasers}{more}</body></html>\n"
    )


def generate_site(root: Path, n: int, seed: int = 8) -> Path:
    rng = random.Random(seed)
    paths = [article_path(i) for i in range(n)]
    for i, path in enumerate(paths):
        _write(root, path + "index.html", article_page(i, n, rng))
    pages = (n + 19) // 20
    for page in range(1, pages + 1):
        chunk = paths[(page - 1) * 20 : page * 20]
        _write(root, f"/page/{page}/index.html", listing_page(page, chunk, pages))
    _write(root, "/index.html", listing_page(0, paths[:20], pages).replace("page 0", "home"))
    _write(root, "/robots.txt", "User-agent: *\nAllow: /\nSitemap: __BASE__/sitemap.xml\n")
    urls = "".join(f"<url><loc>__BASE__{p}</loc></url>" for p in paths)
    sitemap = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    _write(root, "/sitemap.xml", '<?xml version="1.0"?>' + sitemap)
    return root


def _write(root: Path, path: str, content: str) -> None:
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


# --- one measured crawl ----------------------------------------------------------------


@dataclass
class Result:
    workers: int
    pages: int
    articles: int
    seconds: float
    cpu: dict[str, float] = field(default_factory=dict)
    per_worker_pages: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def run_crawl(
    workers: int, site_url: str, cluster: PostgresCluster, redis_server: RedisServer,
    base: Path, clean_workers: int, run: int,
) -> Result:  # fmt: skip
    name = f"scale_{workers}_{run}"
    database_url = cluster.create_database(name)
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushdb()
    distributed.push_seeds(client, distributed.keys_for("news"), [site_url])
    # Migrate once up front so no worker's clock starts with the schema creation.
    from storage import Store

    store = Store(database_url)
    store.upgrade()
    store.close()

    settings = {**WORKER_SETTINGS, "NEWSCLEAN_CLEAN_WORKERS": str(clean_workers)}
    command = [sys.executable, "-m", "scrapy", "crawl", "news",
               "-s", f"NEWSCLEAN_REDIS_URL={redis_server.url}"]  # fmt: skip
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    env = {**os.environ, "NEWSCLEAN_DATABASE_URL": database_url}
    logs = [(base / f"{name}-{w}.log").open("w") for w in range(workers)]
    procs = [
        subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        for log in logs
    ]
    engine = create_engine(database_url)
    # (time, pages stored, CPU seconds so far per part), every 0.25 s.
    samples: list[tuple[float, int, dict[str, float]]] = []
    reactor_cpu = {p.pid: 0.0 for p in procs}  # the crawl process itself (one thread does it all)
    crawler_cpu = {p.pid: 0.0 for p in procs}  # ... plus its cleaning processes
    try:
        while any(p.poll() is None for p in procs):
            for p in procs:
                if p.poll() is None:
                    reactor_cpu[p.pid] = max(reactor_cpu[p.pid], _proc_cpu(p.pid))
                    crawler_cpu[p.pid] = max(crawler_cpu[p.pid], _tree_cpu(p.pid))
            with engine.connect() as connection:
                count = connection.scalar(select(func.count()).select_from(Page))
            cpu = {
                "crawl processes (Scrapy reactor)": sum(reactor_cpu.values()),
                "cleaning processes": sum(crawler_cpu.values()) - sum(reactor_cpu.values()),
                **_service_cpu(cluster, redis_server),
                "site server + bench": _self_cpu(),
            }
            samples.append((time.time(), count or 0, cpu))
            time.sleep(0.25)
        for p, log in zip(procs, logs, strict=True):
            log.close()
            if p.returncode != 0:
                tail = Path(log.name).read_text()[-4000:]
                raise RuntimeError(f"worker exited {p.returncode}:\n{tail}")
        with engine.connect() as connection:
            pages = connection.scalar(select(func.count()).select_from(Page)) or 0
            articles = connection.scalar(select(func.count()).select_from(Article)) or 0
            first, last = connection.execute(
                text(
                    "SELECT extract(epoch FROM min(fetched_at)), "
                    "extract(epoch FROM max(fetched_at)) FROM pages"
                )
            ).one()
            runs = connection.execute(text("SELECT stats FROM crawl_runs ORDER BY id")).all()
    finally:
        engine.dispose()
        client.close()
    # The measured window: first page fetched .. last page fetched (fetched_at is set as
    # the spider parses a response; cleaning and storing follow within a batch). Not "all
    # stored": a worker writes its last partial batch only when it closes, after its idle
    # timeout. CPU is counted over the same window, so start-up and idle waits are left out.
    start, end = float(first), float(last)
    end_sample = next((s for s in samples if s[0] >= end), samples[-1])
    before = [s for s in samples if s[0] <= start] or samples[:1]
    start_sample = before[-1]
    cpu = {k: end_sample[2][k] - start_sample[2][k] for k in end_sample[2]}
    per_worker = [int((stats or {}).get("newsclean/pages", 0)) for (stats,) in runs]
    cluster.drop_database(name)
    return Result(workers, pages, articles, max(end - start, 1e-6), cpu, per_worker)


def _proc_cpu(pid: int, children: bool = False) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime (waited-for children)
    return ticks / CLOCK_TICKS


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a live process and all its live descendants (the cleaning pool)."""
    return _proc_cpu(pid, children=True) + sum(_tree_cpu(c) for c in _children(pid))


def _service_cpu(cluster: PostgresCluster, redis_server: RedisServer) -> dict[str, float]:
    postmaster = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
    redis_pid = int(redis_server.pidfile.read_text().strip())
    return {"postgres": _tree_cpu(postmaster), "redis": _proc_cpu(redis_pid)}


def _self_cpu() -> float:
    times = os.times()
    return times.user + times.system


# --- report ------------------------------------------------------------------------------


def render(
    results: list[Result], articles: int, clean_workers: int, repeat: int, load: float
) -> str:
    base = results[0]
    lines = [
        "## Scale",
        "",
        "| workers | pages | articles | seconds | pages/s | speed-up | pages per worker "
        "| pages per CPU-second |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.workers} | {r.pages} | {r.articles} | {r.seconds:.1f} | {r.rate:.1f} | "
            f"{r.rate / base.rate:.2f}x | {' + '.join(map(str, r.per_worker_pages))} | "
            f"{r.pages / max(sum(r.cpu.values()), 1e-6):.1f} |"
        )
    lines += ["", "CPU seconds during the crawl (and share of the 2 cores' capacity):", ""]
    parts = list(results[0].cpu)
    lines.append("| part | " + " | ".join(f"{r.workers} worker(s)" for r in results) + " |")
    lines.append("|---|" + "---|" * len(results))
    for part in parts:
        lines.append(f"| {part} | " + " | ".join(f"{r.cpu[part]:.1f}" for r in results) + " |")
    cores = os.cpu_count() or 1
    lines.append(
        "| **total / (cores x seconds)** | "
        + " | ".join(f"{sum(r.cpu.values()) / (cores * r.seconds):.0%}" for r in results)
        + " |"
    )
    lines += [
        "",
        f"{articles} generated articles (~15 KB each) + listing pages, served on 127.0.0.1; "
        f"one Redis, one Postgres, {cores} cores; NEWSCLEAN_CLEAN_WORKERS={clean_workers} "
        f"per crawl process; best of {repeat} interleaved runs each; load average at the "
        f"start {load:.1f}; run {time.strftime('%Y-%m-%d %H:%M')}. "
        "Command: `.venv/bin/python bench/scale_bench.py --write`.",
        "",
        *bottleneck(results, cores),
    ]
    return "\n".join(lines) + "\n"


REACTOR = "crawl processes (Scrapy reactor)"


def bottleneck(results: list[Result], cores: int) -> list[str]:
    """Where the time goes, and what the same crawl would do on an otherwise idle machine:
    a crawl process is one thread under one GIL (the reactor and the store thread), so it
    can use at most one core; everything together can use at most all cores."""
    base, last = results[0], results[-1]
    per_page = {part: 1000 * cpu / base.pages for part, cpu in base.cpu.items()}
    total_ms = sum(per_page.values())

    def ceiling(r: Result) -> float:
        reactor_ms = 1000 * r.cpu[REACTOR] / r.pages  # crawl-process CPU per page
        all_ms = 1000 * sum(r.cpu.values()) / r.pages
        # Each worker's crawl process can do 1000 / reactor_ms pages/s on one core.
        return min(r.workers * 1000 / reactor_ms, cores * 1000 / all_ms)

    share = [sum(r.cpu.values()) / (cores * r.seconds) for r in results]
    overhead = (sum(last.cpu.values()) / last.pages) / (sum(base.cpu.values()) / base.pages) - 1
    worst = max(per_page, key=per_page.__getitem__)
    return [
        "Bottleneck. CPU per page with 1 worker: "
        + ", ".join(f"{part} {ms:.1f} ms" for part, ms in per_page.items())
        + f" — {total_ms:.1f} ms in all; the largest part is the {worst}. Our processes "
        f"got {min(share):.0%}-{max(share):.0%} of the {cores} cores (the rest went to other "
        f"work on the machine), so the measured pages/s are bounded by that share and the "
        f"measured speed-up is {last.rate / base.rate:.2f}x. On an otherwise idle machine "
        f"the same CPU costs cap 1 worker at {ceiling(base):.0f} pages/s (its single-threaded "
        f"crawl process, or all cores, whichever binds first) and {last.workers} workers at "
        f"{ceiling(last):.0f} pages/s: {ceiling(last) / ceiling(base):.2f}x, below "
        f"{last.workers}x because all workers share the same {cores} cores with the cleaning "
        f"pools, Postgres, Redis and the site, and each extra worker costs "
        f"{overhead:+.0%} CPU per page (another reactor, a Redis round trip per link). "
        "More workers pay off when each brings its own cores; then the shared Redis and "
        "Postgres are the limits (README, Scaling out).",
    ]


if __name__ == "__main__":
    sys.exit(main())
