"""Page triage (cleaning.triage): are articles kept and listing pages skipped?

Article recall on every page of the four development sets in ../shared/benchmarks, twice:
  * real: the page as captured, under its real URL (the set's URL; for readability-tests,
    which gives none, the page's canonical/og:url; else the neutral one);
  * neutral: URL replaced by http://bench.example/p/N.html and the publisher labels
    (og:type, JSON-LD, article:* meta tags) stripped from the bytes, so only the content
    can decide.
Precision/recall on the labelled fixtures in tests/fixtures/triage/ (listing pages must be
skipped as not-article, article pages kept), with their own URLs and with neutral ones.
Cost per page: triage vs trafilatura.extract on the same pages, in the same process.

    python bench/triage_bench.py            # print and rewrite the ## Triage section
    python bench/triage_bench.py --no-write
    python bench/triage_bench.py --misses   # list every miss with the triage detail
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.html_sets import BENCHMARKS, READABILITY, SETS, load_set  # noqa: E402
from bench.html_sets import Page as SetPage  # noqa: E402
from bench.results import write_section  # noqa: E402
from cleaning.triage import triage  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "triage"
CONTENT_TYPE = "text/html"  # the captures carry no headers; charset comes from the bytes

_LABELS = [
    re.compile(rb"<script\b[^>]*application/ld\+json[^>]*>.*?</script\s*>", re.I | re.S),
    re.compile(rb"<meta\b[^>]*\b(?:property|name)\s*=\s*[\"']?(?:og:type|article:)[^>]*>", re.I),
]
_CANONICAL = re.compile(
    rb"<link\b[^>]*rel=[\"']?canonical[^>]*href=[\"']?(https?://[^\"'\s>]+)"
    rb"|<meta\b[^>]*property=[\"']?og:url[^>]*content=[\"']?(https?://[^\"'\s>]+)",
    re.I,
)


@dataclass(frozen=True)
class Page:
    set: str
    id: str
    url: str | None  # the real URL, when known
    body: bytes
    article: bool = True


def strip_labels(body: bytes) -> bytes:
    """The page without og:type, JSON-LD and article:* meta tags."""
    for pattern in _LABELS:
        body = pattern.sub(b"", body)
    return body


def neutral_url(n: int) -> str:
    return f"http://bench.example/p/{n}.html"


# --- data ---------------------------------------------------------------------------------


def load_sets() -> dict[str, list[Page]]:
    """Every page of the four sets, as bench/html_sets.py loads them for the other benches."""
    return {name: [_as_triage_page(page) for page in load_set(name)] for name in SETS}


def _as_triage_page(page: SetPage) -> Page:
    url = page.url
    if url is None and page.set == READABILITY:
        found = _CANONICAL.search(page.html)
        url = (found.group(1) or found.group(2)).decode("latin-1") if found else None
    return Page(page.set, page.id, url, page.html)


def load_fixtures(root: Path = FIXTURES) -> list[Page]:
    labels = json.loads((root / "LABELS.json").read_text(encoding="utf-8"))["pages"]
    return [
        Page("fixtures", name, label["url"], (root / name).read_bytes(), label["kind"] == "article")
        for name, label in sorted(labels.items())
    ]


# --- runs -----------------------------------------------------------------------------------


@dataclass
class Tally:
    kept: int = 0
    total: int = 0
    misses: list[tuple[str, str]] | None = None

    @property
    def share(self) -> float:
        return self.kept / self.total if self.total else 0.0


def judge_pages(pages: list[Page], neutral: bool) -> list[tuple[Page, bool, str]]:
    """(page, kept as article, triage detail) for each page."""
    out = []
    for n, page in enumerate(pages):
        body = strip_labels(page.body) if neutral else page.body
        url = neutral_url(n) if neutral or page.url is None else page.url
        result = triage(body, url, CONTENT_TYPE)
        out.append((page, result.is_article, result.skip_reason or result.detail))
        if result.skip_reason:
            out[-1] = (page, False, f"{result.skip_reason}: {result.detail}")
    return out


def recall(pages: list[Page], neutral: bool) -> Tally:
    tally = Tally(misses=[])
    for page, kept, detail in judge_pages(pages, neutral):
        tally.total += 1
        tally.kept += kept
        if not kept:
            tally.misses.append((page.id, detail))
    return tally


def cost(pages: list[Page]) -> tuple[float, float, float]:
    """(triage ms/page, trafilatura.extract ms/page, ratio) on the same pages."""
    import trafilatura

    started = time.perf_counter()
    for n, page in enumerate(pages):
        triage(page.body, page.url or neutral_url(n), CONTENT_TYPE)
    ours = (time.perf_counter() - started) / len(pages)
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page.body, url=page.url)
    peer = (time.perf_counter() - started) / len(pages)
    return 1000 * ours, 1000 * peer, ours / peer


def report(sets: dict[str, list[Page]], fixtures: list[Page], misses: bool) -> str:
    lines = [
        "## Triage",
        "",
        "`python bench/triage_bench.py` — cleaning.triage on every page of the four dev sets",
        "(all are article pages: recall = share kept) and on the labelled fixtures in",
        "tests/fixtures/triage/. *neutral*: URL http://bench.example/p/N.html and og:type,",
        "JSON-LD and article:* meta stripped, so the page content alone decides.",
        "",
        "| set | pages | recall, real URL | recall, neutral URL + labels stripped |",
        "|---|---:|---:|---:|",
    ]
    all_real, all_neutral = Tally(), Tally()
    missed: list[str] = []
    for name, pages in sets.items():
        real, neutral = recall(pages, False), recall(pages, True)
        for total, one in ((all_real, real), (all_neutral, neutral)):
            total.kept += one.kept
            total.total += one.total
        lines.append(
            f"| {name} | {len(pages)} | {100 * real.share:.1f} % ({real.kept}) "
            f"| {100 * neutral.share:.1f} % ({neutral.kept}) |"
        )
        missed += [f"{name} real {i}: {d}" for i, d in real.misses or []]
        missed += [f"{name} neutral {i}: {d}" for i, d in neutral.misses or []]
    lines.append(
        f"| **all** | {all_real.total} | **{100 * all_real.share:.1f} %** "
        f"| **{100 * all_neutral.share:.1f} %** |"
    )
    lines += [
        "",
        "| fixtures | pages | correct, own URL | correct, neutral URL |",
        "|---|---:|---:|---:|",
    ]
    for wanted in (True, False):
        group = [p for p in fixtures if p.article is wanted]
        row = []
        for neutral in (False, True):
            right = [kept is wanted for _, kept, _ in judge_pages(group, neutral)]
            row.append(f"{100 * sum(right) / max(1, len(right)):.1f} % ({sum(right)})")
            missed += [
                f"fixture {'neutral' if neutral else 'own-url'} {p.id}: {d}"
                for (p, kept, d) in judge_pages(group, neutral)
                if kept is not wanted
            ]
        label = "articles kept" if wanted else "listings skipped (not-article)"
        lines.append(f"| {label} | {len(group)} | {row[0]} | {row[1]} |")
    if fixtures:
        judged = judge_pages(fixtures, False)
        tp = sum(1 for p, kept, _ in judged if kept and p.article)
        fp = sum(1 for p, kept, _ in judged if kept and not p.article)
        fn = sum(1 for p, kept, _ in judged if not kept and p.article)
        lines.append(
            f"\nFixtures, own URLs, article class: precision {tp / max(1, tp + fp):.3f}, "
            f"recall {tp / max(1, tp + fn):.3f}."
        )
    sample = sets.get("article-extraction-benchmark") or next(iter(sets.values()))
    ours, peer, ratio = cost(sample)
    lines += [
        "",
        f"Cost per page ({len(sample)} article-extraction-benchmark pages, same process): "
        f"triage {ours:.1f} ms (decode, parse, judge) vs trafilatura.extract {peer:.1f} ms "
        f"= **{ratio:.2f}x** trafilatura.",
    ]
    if misses and missed:
        print("\n".join(missed))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    if not BENCHMARKS.exists():
        print(f"shared data missing: {BENCHMARKS}", file=sys.stderr)
        return 1
    fixtures = load_fixtures() if (FIXTURES / "LABELS.json").exists() else []
    text = report(load_sets(), fixtures, args.misses)
    print(text)
    if not args.no_write:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
