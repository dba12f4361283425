"""Body-extraction quality and speed of clean_html against its peers, in one run.

Scores every page of ../shared/benchmarks/article-extraction-benchmark/ (181 pages, gold
article bodies) with the benchmark's own metric (cleaning.scoring: 4-token shingles,
corpus P and R as means of per-document values, F1 from the two means) for:
clean_html, trafilatura.extract (default), trafilatura.extract(favor_precision=True),
readability-lxml and jusText. Also times clean_html and trafilatura on the same pages
(docs/s) and scores the hand-labelled comment fixtures (comments P/R/F1 and body F1),
with trafilatura's include_comments=True for comparison.

    .venv/bin/python bench/html_bench.py              # table, and `## HTML` in RESULTS.md
    .venv/bin/python bench/html_bench.py --no-write   # table only
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import results  # noqa: E402
from cleaning import clean_html  # noqa: E402
from cleaning.scoring import (  # noqa: E402
    Score,
    body_score,
    collapse,
    comment_matches,
    corpus_score,
)

BENCHMARK = REPO.parent / "shared" / "benchmarks" / "article-extraction-benchmark"
COMMENT_FIXTURES = REPO / "tests" / "fixtures" / "comments"
RESULTS = REPO / "bench" / "RESULTS.md"


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    truth: str


def load_benchmark(root: Path = BENCHMARK) -> list[Page]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        pages.append(Page(key, truth[key]["url"], html.decode("utf-8"), truth[key]["articleBody"]))
    return pages


# --- extractors: html + url -> body text ---------------------------------------------------


def run_clean_html(html: str, url: str) -> str:
    return clean_html(html, url).body


def run_trafilatura(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def run_trafilatura_precision(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, favor_precision=True) or ""


def run_readability(html: str, url: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html, url=url).summary(html_partial=True)
    return _html_text(lxml.html.fromstring(summary)) if summary.strip() else ""


def run_justext(html: str, url: str) -> str:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _html_text(tree) -> str:
    from cleaning.comments_html import block_text

    return block_text(tree)


EXTRACTORS: dict[str, Callable[[str, str], str]] = {
    "clean_html": run_clean_html,
    "trafilatura": run_trafilatura,
    "trafilatura favor_precision": run_trafilatura_precision,
    "readability-lxml": run_readability,
    "jusText": run_justext,
}


@dataclass
class Run:
    name: str
    scores: list[Score]
    seconds: float

    @property
    def corpus(self) -> Score:
        return corpus_score(self.scores)

    def docs_per_second(self) -> float:
        return len(self.scores) / self.seconds if self.seconds else 0.0


def score_extractors(names: list[str], pages: list[Page]) -> list[Run]:
    """Score and time every extractor on every page. Pages are visited in turn by all
    extractors (interleaved, in rotating order), and time is this process's CPU time, so
    load from other processes on the machine skews every extractor alike."""
    extractors = [EXTRACTORS[name] for name in names]
    for page in pages[:3]:  # warm-up: one-time initialisation is not per-page speed
        for extract in extractors:
            extract(page.html, page.url)
    runs = [Run(name, [], 0.0) for name in names]
    pairs = list(zip(runs, extractors, strict=True))
    for number, page in enumerate(pages):
        # Rotate who goes first on each page: the first extractor to touch a page pays for
        # cold caches (the page's text, allocator), which would otherwise favour the others.
        shift = number % len(pairs)
        for run, extract in pairs[shift:] + pairs[:shift]:
            start = time.process_time()
            try:
                predicted = extract(page.html, page.url)
            except Exception:  # a peer crashing on one page scores as an empty prediction
                predicted = ""
            run.seconds += time.process_time() - start
            run.scores.append(body_score(predicted, page.truth))
    return runs


# --- comment fixtures ------------------------------------------------------------------------


@dataclass
class CommentRun:
    name: str
    precision: float
    recall: float
    body: Score
    texts_found: float  # gold comment texts present in the comment output, authors ignored

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_comment_fixtures() -> list[CommentRun]:
    import trafilatura

    cases = []
    for path in sorted(COMMENT_FIXTURES.glob("*.html")):
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        cases.append((path.read_bytes(), expected))

    def ours(html: bytes, url: str) -> tuple[str, list[tuple[str | None, str]]]:
        article = clean_html(html, url)
        return article.body, [(c.author, c.text) for c in article.comments]

    def theirs(html: bytes, url: str) -> tuple[str, list[tuple[str | None, str]]]:
        doc = trafilatura.bare_extraction(html, url=url, include_comments=True)
        if doc is None:
            return "", []
        # trafilatura returns all comments as one text without authors: score it as one
        # anonymous comment per line, which is the most favourable reading of its output.
        lines = [line for line in (doc.comments or "").splitlines() if line.strip()]
        return doc.text or "", [(None, line) for line in lines]

    runs = []
    for name, extract in (("clean_html", ours), ("trafilatura include_comments", theirs)):
        found = predicted = gold = texts = 0
        body_scores = []
        for html, expected in cases:
            body, comments = extract(html, expected["url"])
            gold_comments = [(c["author"], c["text"]) for c in expected["comments"]]
            found += comment_matches(comments, gold_comments)
            output = collapse(" ".join(text for _, text in comments))
            texts += sum(
                all(collapse(part) in output for part in text.split("\n\n"))
                for _, text in gold_comments
            )
            predicted += len(comments)
            gold += len(gold_comments)
            body_scores.append(body_score(body, "\n\n".join(expected["body_paragraphs"])))
        runs.append(
            CommentRun(
                name,
                found / predicted if predicted else 1.0,
                found / gold if gold else 1.0,
                corpus_score(body_scores),
                texts / gold if gold else 1.0,
            )
        )
    return runs


# --- report ------------------------------------------------------------------------------------


def report(runs: list[Run], comment_runs: list[CommentRun], n_pages: int) -> str:
    ours = next(r for r in runs if r.name == "clean_html")
    trafilatura = next(r for r in runs if r.name == "trafilatura")
    speed_ratio = ours.docs_per_second() / trafilatura.docs_per_second()
    lines = [
        f"Body extraction on article-extraction-benchmark ({n_pages} pages), same run:",
        "",
        "| extractor | F1 | P | R | docs/s (CPU) |",
        "|---|---|---|---|---|",
    ]
    for run in runs:
        s = run.corpus
        lines.append(
            f"| {run.name} | {s.f1:.4f} | {s.precision:.4f} | {s.recall:.4f} "
            f"| {run.docs_per_second():.1f} |"
        )
    margin = ours.corpus.f1 - trafilatura.corpus.f1
    lines += [
        "",
        f"- clean_html F1 - trafilatura F1 = {margin:+.4f} (target >= +0.015, and F1 >= 0.97)",
        f"- speed: clean_html docs/s / trafilatura.extract docs/s = {speed_ratio:.2f} "
        "(target >= 0.8)",
        "",
        "Comment fixtures (tests/fixtures/comments, hand-labelled):",
        "",
        "| extractor | comment P | comment R | comment F1 | comment texts found | body F1 |",
        "|---|---|---|---|---|---|",
    ]
    for run in comment_runs:
        lines.append(
            f"| {run.name} | {run.precision:.3f} | {run.recall:.3f} | {run.f1:.3f} "
            f"| {run.texts_found:.3f} | {run.body.f1:.3f} |"
        )
    lines += [
        "",
        "Comment P/R use the DESIGN.md match rule (same author, text F1 >= 0.9). trafilatura",
        "returns comments as one text without authors or threading, so it cannot match by",
        "that rule; `comment texts found` (every paragraph of a gold comment present in the",
        "comment output, authors ignored) is the fairer comparison for it.",
    ]
    return "\n".join(lines) + "\n"


def write_section(text: str, path: Path = RESULTS) -> None:
    """Replace (or add) the `## HTML` section of RESULTS.md, leaving other sections alone."""
    import platform

    import trafilatura

    section = (
        "## HTML\n\n"
        f"Command: `.venv/bin/python bench/html_bench.py` (also run by `make bench`), "
        f"{time.strftime('%Y-%m-%d %H:%M')}; Python {platform.python_version()}, "
        f"trafilatura {trafilatura.__version__}, {os.cpu_count()} cores. docs/s is CPU time "
        "of this process, extractors interleaved page by page, so load from other processes "
        "affects all of them alike.\n\n" + text
    )
    results.write_section(section, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    parser.add_argument("--only", nargs="*", choices=list(EXTRACTORS), help="extractors to run")
    parser.add_argument("--limit", type=int, default=0, help="first N pages only")
    parser.add_argument("--dump", type=Path, help="write per-page scores as JSON here")
    args = parser.parse_args(argv)
    if not BENCHMARK.exists():
        print(f"benchmark data missing: {BENCHMARK}", file=sys.stderr)
        return 2
    pages = load_benchmark()
    if args.limit:
        pages = pages[: args.limit]
    names = args.only or list(EXTRACTORS)
    for required in ("clean_html", "trafilatura"):
        if required not in names:
            names.insert(0, required)
    runs = score_extractors(names, pages)
    text = report(runs, score_comment_fixtures(), len(pages))
    print(text)
    if args.dump:
        per_page = {
            run.name: {
                p.id: [s.precision, s.recall] for p, s in zip(pages, run.scores, strict=True)
            }
            for run in runs
        }
        args.dump.write_text(json.dumps(per_page, indent=1))
    if not args.no_write and not args.limit and not args.only:
        write_section(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
