"""Generalization bench for `clean_text`: the article-extraction-benchmark pages flattened
to text the way scrapers do, scored against the gold article bodies.

    .venv/bin/python bench/text_bench.py            # full run, prints the table
    .venv/bin/python bench/text_bench.py --write    # ... and updates bench/RESULTS.md (## Text)

Flattenings: `gettext` = BeautifulSoup(lxml).get_text("\\n") with blank-line runs
collapsed; `markdown` = html2text (links kept as `[text](url)`, no wrapping). Baselines on
the same text: raw (no cleaning), trafilatura and jusText on the text with each line
wrapped in `<p>`. Metric: the benchmark's 4-token-shingle F1 (`cleaning.scoring`).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import results  # noqa: E402
from cleaning.scoring import Score, body_score, corpus_score  # noqa: E402
from cleaning.text import clean_text  # noqa: E402

BENCH_DIR = REPO.parent / "shared" / "benchmarks" / "article-extraction-benchmark"
RESULTS = REPO / "bench" / "RESULTS.md"
FLATTENINGS = ("gettext", "markdown")
_BLANKS = re.compile(r"\n\s*\n+")


def flatten_gettext(page_html: str) -> str:
    from bs4 import BeautifulSoup

    text = BeautifulSoup(page_html, "lxml").get_text("\n")
    return _BLANKS.sub("\n\n", text)


def flatten_markdown(page_html: str) -> str:
    import html2text

    converter = html2text.HTML2Text()
    converter.body_width = 0  # one paragraph per line, as markdown dumps usually are
    return converter.handle(page_html)


FLATTEN: dict[str, Callable[[str], str]] = {
    "gettext": flatten_gettext,
    "markdown": flatten_markdown,
}


def load_pages(limit: int | None = None) -> Iterator[tuple[str, str, str, str]]:
    """(id, url, html, gold body) for every benchmark page, in id order."""
    truth = json.loads((BENCH_DIR / "ground-truth.json").read_text(encoding="utf-8"))
    for n, page_id in enumerate(sorted(truth)):
        if limit is not None and n >= limit:
            return
        path = BENCH_DIR / "html" / f"{page_id}.html.gz"
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            page_html = fh.read()
        yield page_id, truth[page_id]["url"], page_html, truth[page_id]["articleBody"]


def wrap_lines_as_html(text: str) -> str:
    """How the baselines get flattened text: one `<p>` per non-blank line."""
    paras = "".join(
        f"<p>{html.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip()
    )
    return f"<html><body>{paras}</body></html>"


def run_clean_text(text: str, url: str) -> str:
    return clean_text(text, url).body


def run_trafilatura(text: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(wrap_lines_as_html(text), url=url, include_comments=False) or ""


def run_justext(text: str, url: str) -> str:
    import justext

    paragraphs = justext.justext(wrap_lines_as_html(text), justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def run_raw(text: str, url: str) -> str:
    return text


EXTRACTORS: dict[str, Callable[[str, str], str]] = {
    "clean_text": run_clean_text,
    "raw": run_raw,
    "trafilatura": run_trafilatura,
    "justext": run_justext,
}


def evaluate(
    pages: list[tuple[str, str, str, str]], extractors: list[str]
) -> dict[tuple[str, str], dict]:
    """Score every extractor on every flattening; CPU-time each (extraction only)."""
    results: dict[tuple[str, str], dict] = {}
    for flattening in FLATTENINGS:
        texts = [
            (pid, url, FLATTEN[flattening](page_html), gold) for pid, url, page_html, gold in pages
        ]
        for name in extractors:
            scores: dict[str, Score] = {}
            elapsed = 0.0
            for pid, url, text, gold in texts:
                # CPU time, not wall time: the bench often shares the machine.
                t0 = time.process_time()
                predicted = EXTRACTORS[name](text, url)
                elapsed += time.process_time() - t0
                scores[pid] = body_score(predicted, gold)
            results[(flattening, name)] = {
                "score": corpus_score(scores.values()),
                "per_page": scores,
                "seconds": elapsed,
                "pages": len(texts),
            }
    return results


def table(results: dict[tuple[str, str], dict], extractors: list[str]) -> str:
    rows = [
        "| flattening | extractor | F1 | precision | recall | pages/s |",
        "|---|---|---|---|---|---|",
    ]
    for flattening in FLATTENINGS:
        for name in extractors:
            r = results[(flattening, name)]
            s: Score = r["score"]
            # "raw" does no work: its rate would only measure the timer.
            rate = "–" if name == "raw" else f"{r['pages'] / r['seconds']:.0f}"
            rows.append(
                f"| {flattening} | {name} | {s.f1:.3f} | {s.precision:.3f} | {s.recall:.3f} "
                f"| {rate} |"
            )
    return "\n".join(rows)


def speed_ratios(results: dict[tuple[str, str], dict]) -> dict[str, float]:
    out = {}
    for flattening in FLATTENINGS:
        mine, theirs = (
            results.get((flattening, "clean_text")),
            results.get((flattening, "trafilatura")),
        )
        if mine and theirs and mine["seconds"]:
            out[flattening] = theirs["seconds"] / mine["seconds"]
    return out


def write_results(text: str) -> None:
    """Replace (or add) the `## Text` section of bench/RESULTS.md, leaving others alone."""
    results.write_section(f"## Text\n\n{text.strip()}\n", RESULTS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N pages (by id)")
    parser.add_argument(
        "--only",
        choices=list(EXTRACTORS),
        action="append",
        help="run only these extractors (repeatable)",
    )
    parser.add_argument(
        "--worst",
        type=int,
        default=0,
        help="list the N lowest-F1 pages of clean_text per flattening",
    )
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args(argv)

    if not BENCH_DIR.exists():
        print(f"benchmark data missing: {BENCH_DIR}", file=sys.stderr)
        return 2
    extractors = args.only or list(EXTRACTORS)
    pages = list(load_pages(args.limit))
    started = time.strftime("%Y-%m-%d %H:%M")
    results = evaluate(pages, extractors)

    report = [table(results, extractors)]
    ratios = speed_ratios(results)
    if ratios:
        report.append(
            "\nSpeed, clean_text pages/s / trafilatura pages/s on the same text: "
            + ", ".join(f"{k} {v:.2f}x" for k, v in ratios.items())
        )
    report.append(
        f"\n{len(pages)} pages of article-extraction-benchmark, run {started}; "
        "metric: 4-token-shingle F1 (mean P, mean R). Command: "
        "`.venv/bin/python bench/text_bench.py --write`."
    )
    text = "\n".join(report)
    print(text)

    if args.worst and "clean_text" in extractors:
        for flattening in FLATTENINGS:
            per_page = results[(flattening, "clean_text")]["per_page"]
            worst = sorted(per_page.items(), key=lambda kv: kv[1].f1)[: args.worst]
            print(f"\nworst {flattening}:")
            for pid, s in worst:
                print(f"  {pid[:12]} F1={s.f1:.3f} P={s.precision:.3f} R={s.recall:.3f}")
    if args.write:
        write_results(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
