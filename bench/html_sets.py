"""The four HTML development sets in ../shared/benchmarks, loaded one way, with their gold.

Used by bench/html_bench.py and by the quality gate (tests/test_html_quality_gate.py).
Pages are handed to extractors as the bytes on disk: decoding is part of what is measured.

- article-extraction-benchmark: 181 pages, gold article body (4-token-shingle P/R/F1);
- fundus-dev: 135 news pages, 32 countries; gold body, title, authors, date;
- readability-tests: 130 pages; gold body (Readability.js output), title, byline, date;
- trafilatura-eval-dev: 491 pages; `with`/`without` snippets (snippet P/R/F1).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BENCHMARKS = SHARED / "benchmarks"

AEB = "article-extraction-benchmark"
FUNDUS = "fundus-dev"
READABILITY = "readability-tests"
TRAFILATURA = "trafilatura-eval-dev"
SETS = (AEB, FUNDUS, READABILITY, TRAFILATURA)


@dataclass(frozen=True)
class Page:
    set: str
    id: str
    url: str | None
    html: bytes
    body: str | None = None  # gold body text (None on the snippet set)
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()
    title: str | None = None
    authors: tuple[str, ...] | None = None  # None: no gold for this page
    date: str | None = None  # YYYY-MM-DD
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def set_dir(name: str) -> Path:
    return BENCHMARKS / name


def load_set(name: str) -> list[Page]:
    return {
        AEB: _load_aeb,
        FUNDUS: _load_fundus,
        READABILITY: _load_readability,
        TRAFILATURA: _load_trafilatura,
    }[name](set_dir(name))


def corpus_hash(pages: list[Page]) -> str:
    """Hash of every page and its gold, so a changed corpus cannot pass silently."""
    digest = hashlib.sha256()
    for page in pages:
        digest.update(page.id.encode())
        digest.update(page.html)
        digest.update(
            json.dumps(
                [page.body, page.with_snippets, page.without_snippets, page.title, page.authors],
                ensure_ascii=False,
            ).encode()
        )
    return digest.hexdigest()


def _gunzip(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def _load_aeb(root: Path) -> list[Page]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Page(
            AEB,
            key,
            truth[key]["url"],
            _gunzip(root / "html" / f"{key}.html.gz"),
            body=truth[key]["articleBody"],
        )
        for key in sorted(truth)
    ]


def _load_fundus(root: Path) -> list[Page]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        record = truth[key]
        date = record.get("publishing_date")
        pages.append(
            Page(
                FUNDUS,
                key,
                record.get("url"),
                _gunzip(root / "pages" / f"{key}.html.gz"),
                body=record["article_body"],
                title=record.get("title"),
                authors=tuple(record["authors"]) if record.get("authors") else None,
                date=date[:10] if date else None,
            )
        )
    return pages


def _load_readability(root: Path) -> list[Page]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        record = truth[key]
        published = record.get("published")
        pages.append(
            Page(
                READABILITY,
                key,
                None,
                _gunzip(root / "pages" / f"{key}.html.gz"),
                body=record["article_body"],
                title=record.get("title"),
                authors=(record["byline"],) if record.get("byline") else None,
                date=published[:10] if published else None,
            )
        )
    return pages


def _load_trafilatura(root: Path) -> list[Page]:
    truth = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url in sorted(truth):
        record = truth[url]
        pages.append(
            Page(
                TRAFILATURA,
                record["file"],
                url if url.startswith("http") else None,
                _gunzip(root / "pages" / record["file"]),
                with_snippets=tuple(record.get("with") or ()),
                without_snippets=tuple(record.get("without") or ()),
            )
        )
    return pages
