"""Storage speed: Store.save_pages vs a plain executemany insert of the same rows, the
no-op re-upsert path, and Parquet export (rows/s, peak memory), on SQLite and Postgres.

    .venv/bin/python bench/storage_bench.py            # print the table
    .venv/bin/python bench/storage_bench.py --write    # ... and update `## Storage` in RESULTS.md
    .venv/bin/python bench/storage_bench.py -n 2000    # fewer articles

Articles are synthetic (random words, so no near-duplicates; ~400 words, 3 comments, a
~6 KB raw HTML page each) and made by a fixed seed. Postgres is a throwaway cluster from
the Debian binaries (the test plugin's); it is skipped with a note when they are missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.results import write_section  # noqa: E402
from cleaning.types import CleanedArticle, Comment, Metadata, Removal  # noqa: E402
from storage import PageRecord, Store  # noqa: E402
from storage.models import Article, Page, Site  # noqa: E402
from storage.models import Comment as CommentRow  # noqa: E402
from storage.signatures import body_hash  # noqa: E402
from storage.store import word_count  # noqa: E402
from tests.plugins.postgres import PostgresCluster, find_postgres_bin_dir  # noqa: E402

RESULTS = REPO / "bench" / "RESULTS.md"
BATCH = 500  # records per save_pages call (one transaction), as the crawl pipeline does


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best kept)")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args()

    records = make_records(args.articles)
    rows: list[dict[str, object]] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="storage-bench-") as tmp:
        for name, url_factory in databases(Path(tmp), notes):
            print(f"== {name}", flush=True)
            rows.append(bench_database(name, url_factory, records, Path(tmp), args.repeat))
    text = render(rows, args.articles, args.repeat, notes)
    print(text)
    if args.write:
        write_section(text)
    return 0


def bench_database(
    name: str, new_url: Callable[[str], str], records: list[PageRecord], tmp: Path, repeat: int
) -> dict[str, object]:
    """`repeat` rounds; each round runs plain, save_pages and save_pages without dedup one
    after the other on fresh databases, so the three share the machine's conditions (it
    is shared with other work). Throughputs: best round. Ratios: median over rounds of
    the ratio within the round."""
    n = len(records)
    times: dict[str, list[float]] = {"plain": [], "save": [], "nodedup": [], "noop": []}
    export_url = ""

    def store_run(db: str, dedup: bool) -> float:
        nonlocal export_url
        store = Store(new_url(db), **({} if dedup else {"dedup": None}))
        store.upgrade()
        seconds = timed(lambda: save_all(store, records))
        if dedup:
            times["noop"].append(timed(lambda: save_all(store, records, expect_unchanged=True)))
            export_url = store.engine.url.render_as_string(hide_password=False)
        store.close()
        return seconds

    def plain_run(db: str) -> float:
        store = Store(new_url(db))
        store.upgrade()  # schema set-up is not part of any timing
        seconds = timed(lambda: plain_executemany(store, records))
        store.close()
        return seconds

    for attempt in range(repeat):
        times["plain"].append(plain_run(f"plain_{attempt}"))
        times["save"].append(store_run(f"save_{attempt}", dedup=True))
        times["nodedup"].append(store_run(f"nodedup_{attempt}", dedup=False))
        rates = ", ".join(f"{key} {n / values[-1]:,.0f}/s" for key, values in times.items())
        print(f"  round {attempt + 1}: {rates}", flush=True)

    result: dict[str, object] = {"database": name}
    result["plain executemany (art/s)"] = n / min(times["plain"])
    result["save_pages (art/s)"] = n / min(times["save"])
    result["save_pages no dedup (art/s)"] = n / min(times["nodedup"])
    result["no-op re-upsert (art/s)"] = n / min(times["noop"])
    result["ratio save/plain"] = statistics.median(
        p / s for p, s in zip(times["plain"], times["save"], strict=True)
    )
    result["rounds"] = ", ".join(
        f"{p / s:.2f}" for p, s in zip(times["plain"], times["save"], strict=True)
    )
    result["ratio no-dedup/plain"] = statistics.median(
        p / s for p, s in zip(times["plain"], times["nodedup"], strict=True)
    )
    result.update(export_in_child(export_url, tmp / f"{name}.parquet"))
    return result


def save_all(store: Store, records: list[PageRecord], expect_unchanged: bool = False) -> None:
    for start in range(0, len(records), BATCH):
        outcome = store.save_pages(records[start : start + BATCH])
        assert not outcome.failed, outcome.failed
        if expect_unchanged:
            assert outcome.unchanged == len(records[start : start + BATCH]), outcome


def plain_executemany(store: Store, records: list[PageRecord]) -> None:
    """The baseline: the same rows (compressed body, hashes, word counts, comments) written
    with plain INSERT executemany, one transaction per batch, no upsert and no dedup."""
    with store.engine.begin() as connection:
        site_id = connection.execute(
            Site.__table__.insert().values(domain="bench.example").returning(Site.id)
        ).scalar_one()
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        with store.engine.begin() as connection:
            page_ids = (
                connection.execute(
                    Page.__table__.insert().returning(Page.id, sort_by_parameter_order=True),
                    [page_row(r, site_id) for r in batch],
                )
                .scalars()
                .all()
            )
            article_ids = (
                connection.execute(
                    Article.__table__.insert().returning(Article.id, sort_by_parameter_order=True),
                    [
                        article_row(r, page_id, site_id)
                        for r, page_id in zip(batch, page_ids, strict=True)
                    ],
                )
                .scalars()
                .all()
            )
            connection.execute(
                CommentRow.__table__.insert(),
                [
                    {"article_id": article_id, "position": i, "author": c.author, "text": c.text,
                     "published": c.published, "parent_position": c.parent}
                    for r, article_id in zip(batch, article_ids, strict=True)
                    for i, c in enumerate(r.article.comments)
                ],
            )  # fmt: skip


def page_row(record: PageRecord, site_id: int) -> dict[str, object]:
    return {
        "url": record.url, "final_url": record.final_url, "site_id": site_id,
        "status": record.status, "headers": record.headers, "content_type": record.content_type,
        "fetched_at": record.fetched_at, "raw_body": zlib.compress(record.body, 6),
        "raw_size": len(record.body), "content_hash": hashlib.sha256(record.body).hexdigest(),
    }  # fmt: skip


def article_row(record: PageRecord, page_id: int, site_id: int) -> dict[str, object]:
    article = record.article
    now = datetime.now(UTC)
    return {
        "page_id": page_id, "site_id": site_id, "url": record.url, "title": article.title,
        "canonical_url": article.metadata.canonical_url, "body": article.body,
        "paragraphs": article.paragraphs, "language": article.metadata.language,
        "authors": article.metadata.authors, "published": article.metadata.published,
        "tags": article.metadata.tags, "site_name": article.metadata.site_name,
        "cleaner_version": article.cleaner_version,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "word_count": word_count(article.body), "body_hash": body_hash(article.body),
        "created_at": now, "updated_at": now,
    }  # fmt: skip


EXPORT_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
from storage import Store
from storage.export import export_articles
store = Store({url!r})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
count = export_articles(store, {path!r}, with_comments=True)
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
store.close()
print(json.dumps({{"count": count, "seconds": seconds, "before": before, "after": after}}))
"""


def export_in_child(url: str, path: Path) -> dict[str, object]:
    """Export in a fresh process so its peak RSS is the export's alone."""
    code = EXPORT_CHILD.format(repo=str(REPO), url=url, path=str(path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "parquet export (rows/s)": data["count"] / data["seconds"],
        "export peak RSS (MiB)": data["after"] / 1024,
        "export RSS growth (MiB)": (data["after"] - data["before"]) / 1024,
        "parquet size (MiB)": path.stat().st_size / 2**20,
    }


def databases(tmp: Path, notes: list[str]):
    yield "SQLite", lambda name: f"sqlite:///{tmp / (name + '.db')}"
    bin_dir = find_postgres_bin_dir()
    if bin_dir is None:
        notes.append("Postgres not measured: server binaries not found.")
        return
    base = Path(tempfile.mkdtemp(prefix="storage-bench-pg-"))  # the postgres user must reach it
    cluster = PostgresCluster(bin_dir, base)
    cluster.init()
    cluster.start()
    notes.append(f"Postgres {bin_dir.parent.name}: throwaway local cluster, fsync=off.")
    try:
        yield "Postgres", lambda name: cluster.create_database(f"bench_{name}")
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


WORDS = re.findall(
    r"\w+",
    """council harbour bridge repairs commuters villages ring road transport office journey
    shop owners quay street trade parking market square reopening leader winter contract
    penalties builders completion ferry island passengers bicycles crossings summer tickets
    residents pier lighting shelter weather operators timetable season fuel engineers steel
    beams inspectors spring survey structure minister budget hospital school teachers union
    strike wages talks agreement police officers court judge trial witness evidence verdict
    election voters campaign candidate poll turnout results coalition parliament opposition
    river flood warning rainfall storm damage insurance farmers harvest prices drought""",
)


def make_records(n: int) -> list[PageRecord]:
    rng = random.Random(20261123)
    fetched = datetime(2026, 11, 23, tzinfo=UTC)

    def sentence() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 24))).capitalize() + "."

    records = []
    for i in range(n):
        paragraphs = [" ".join(sentence() for _ in range(3)) for _ in range(7)]
        comments = [
            Comment(author=f"reader{rng.randint(1, 500)}", text=sentence(), parent=parent)
            for parent in (None, 0, None)
        ]
        article = CleanedArticle(
            title=sentence()[:80],
            paragraphs=paragraphs,
            comments=comments,
            removed=[Removal(text="Share this article", reason="share")],
            metadata=Metadata(authors=["Bench Writer"], language="en", tags=["bench"],
                              published="2026-11-20", canonical_url=f"https://bench.example/a/{i}"),
        )  # fmt: skip
        html = "<html><body><nav>Home News Sport</nav><article>" + "".join(
            f"<p>{p}</p>" for p in paragraphs
        ) + "</article><footer>Share this article</footer></body></html>"  # fmt: skip
        records.append(
            PageRecord(
                url=f"https://bench.example/a/{i}",
                status=200,
                fetched_at=fetched,
                headers={"Content-Type": "text/html; charset=utf-8"},
                body=html.encode(),
                content_type="text/html",
                article=article,
            )
        )
    return records


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


COLUMNS = [
    ("plain executemany (art/s)", "{:,.0f}"),
    ("save_pages (art/s)", "{:,.0f}"),
    ("ratio save/plain", "{:.2f}"),
    ("save_pages no dedup (art/s)", "{:,.0f}"),
    ("ratio no-dedup/plain", "{:.2f}"),
    ("no-op re-upsert (art/s)", "{:,.0f}"),
    ("parquet export (rows/s)", "{:,.0f}"),
    ("export peak RSS (MiB)", "{:.0f}"),
    ("export RSS growth (MiB)", "{:.0f}"),
    ("parquet size (MiB)", "{:.1f}"),
]


def render(rows: list[dict[str, object]], n: int, repeat: int, notes: list[str]) -> str:
    lines = [
        "## Storage",
        "",
        f"`bench/storage_bench.py -n {n}`: {n:,} synthetic articles (~400 words, 3 comments, "
        f"~6 KB page each), saved in batches of {BATCH} (one transaction each). *save_pages* "
        "is the real path (site/page/article upserts, comments replaced, MinHash near-dup "
        "clustering: 16 LSH band rows per article, candidates re-checked on the signatures); "
        "*plain executemany* inserts the same rows with plain INSERTs; *no-op "
        "re-upsert* saves the same records again (content hash unchanged: no writes). Export: "
        "all articles with comments to Parquet, in a fresh process (peak RSS includes "
        f"Python + pyarrow imports; growth = during the export). Throughputs: best of {repeat} "
        "rounds, each on fresh databases; ratios: median of the ratios within a round.",
        "",
        "| metric | " + " | ".join(str(r["database"]) for r in rows) + " |",
        "|---|" + "---:|" * len(rows),
    ]
    for key, fmt in COLUMNS:
        lines.append(f"| {key} | " + " | ".join(fmt.format(r[key]) for r in rows) + " |")
    lines += ["", *(f"- {note}" for note in notes)]
    lines.append(
        "- Ratio save/plain in each round: "
        + "; ".join(f"{r['database']} {r['rounds']}" for r in rows)
        + "."
    )
    load = os.getloadavg()
    lines.append(
        f"- Machine: {os.cpu_count()} cores, shared with other work; load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) when the run ended. "
        "Throughputs vary between runs by up to 2x under such load; the paired ratios less."
    )
    lines.append(f"- Measured {datetime.now(UTC):%Y-%m-%d}, Python {sys.version.split()[0]}.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
