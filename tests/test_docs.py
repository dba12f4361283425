"""The README and the manual (docs/, MkDocs) stay true: the site builds with no warning,
the generated reference pages match the code, and every example marked runnable runs
against the demo site on 127.0.0.1 and prints what the page shows (tests/docexamples.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.crawling import REPO, run_crawl
from tests.docexamples import (
    DEMO_URL,
    POSTGRES_URL,
    REDIS_URL,
    Example,
    Outcome,
    Runner,
    console_commands,
    find_examples,
    missing_output,
)
from tests.shared_data import unavailable

EXAMPLES = find_examples()
README_MAX_LINES = 200
MIN_EXAMPLES = 25
# Pages run side by side (each in its own directory); examples within a page in order.
PARALLEL_PAGES = 2
# Debian tools the examples use besides the venv's (.ci/system-deps installs them).
TOOLS = ("sqlite3", "wget", "jq")


def test_readme_is_short() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines (at most {README_MAX_LINES}): the manual is docs/"
    )


def test_mkdocs_builds_without_warnings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},  # Material's banner about MkDocs 2
    )  # fmt: skip
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-6000:]}"
    assert (tmp_path / "site" / "reference" / "settings" / "index.html").is_file()


def test_generated_reference_pages_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "docs/gen_reference.py", "--check"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]


def test_the_manual_has_enough_runnable_examples() -> None:
    assert len(EXAMPLES) >= MIN_EXAMPLES, f"only {len(EXAMPLES)} runnable examples"
    assert sum(len(console_commands(e.code)) for e in EXAMPLES if e.lang == "console") >= 40


def test_shown_output_is_matched_in_order_with_gaps_and_wildcards() -> None:
    real = "log line\npages fetched:     37\narticles stored:   14\nrun 7 done in 2.5 s\n"
    assert missing_output(["pages fetched:     37", "articles stored:   14"], real) is None
    assert missing_output(["pages fetched: ...", "...", "run ... done in ..."], real) is None
    assert missing_output(["articles stored:   14", "pages fetched:     37"], real) is not None
    assert missing_output(["pages fetched:     37", "run 7 done in 2.5 s"], real) is not None
    assert missing_output(["pages fetched:     36"], real) is not None


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, demo_site_url: str
) -> dict[str, Outcome]:
    """Run the runnable examples once (pages in parallel) and keep the outcomes: every
    example of each page that has a selected test (`pytest -k storage` runs one page)."""
    selected = {
        item.callspec.params["example"].page
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_runnable_example"
    }
    examples = [e for e in EXAMPLES if e.page in selected]
    everything = "".join(e.code for e in examples)
    missing = [t for t in TOOLS if t in everything and shutil.which(t) is None]
    if missing:
        tools = " ".join(missing)
        unavailable(f"the examples need {tools}: apt-get install -y {tools}")
    root = tmp_path_factory.mktemp("docs-examples")
    base = demo_site_url.rstrip("/")
    crawled = root / "crawled.db"
    run_crawl(demo_site_url, f"sqlite:///{crawled}")  # one crawl, copied for every page
    substitutions = {DEMO_URL: base}
    if REDIS_URL in everything:
        import redis

        server = request.getfixturevalue("redis_server")
        redis.Redis.from_url(server.url).flushdb()  # other tests' crawl state
        substitutions[REDIS_URL] = server.url
    if POSTGRES_URL in everything:
        cluster = request.getfixturevalue("postgres_cluster")
        substitutions[POSTGRES_URL] = cluster.create_database("docs_examples")
    runner = Runner(root, crawled, substitutions)
    pages: dict[Path, list[Example]] = defaultdict(list)
    for example in examples:
        pages[example.page].append(example)
    with ThreadPoolExecutor(PARALLEL_PAGES) as pool:
        results = pool.map(runner.run_page, pages.values())
        return {o.example.id: o for page in results for o in page}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_runnable_example(example: Example, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[example.id]
    assert outcome.ok, f"{example.id} ({example.lang}) failed:\n{outcome.report}"
