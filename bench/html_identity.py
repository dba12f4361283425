"""Output identity check for speed work on `clean_html`: cleans every page of the four HTML
development sets (bench/html_sets) and every HTML comment fixture (tests/fixtures/comments,
corpus/ included), and records a hash of everything `clean_html` returns (title, body
paragraphs, comments with every field, removals, metadata) per page.

    .venv/bin/python bench/html_identity.py --save /tmp/before.json   # on the reference
    .venv/bin/python bench/html_identity.py --check /tmp/before.json  # after a change

`--check` lists every page whose result changed and exits 1 if any did. A speed change
must leave zero differences. Sets whose data is missing are left out and said so.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import identity  # noqa: E402
from bench.html_sets import SETS, load_set, set_dir  # noqa: E402
from cleaning import clean_html  # noqa: E402

COMMENT_FIXTURES = REPO / "tests" / "fixtures" / "comments"


def _fixture_url(page: Path) -> str | None:
    expected = page.with_name(page.name.removesuffix(".html") + ".expected.json")
    if not expected.exists():
        return None
    return json.loads(expected.read_text(encoding="utf-8")).get("url")


def pages(limit: int | None = None) -> Iterator[tuple[str, bytes, str | None]]:
    """(name, html bytes, url) of every page checked, in a fixed order."""
    for set_name in SETS:
        if not set_dir(set_name).exists():
            print(f"skipped (data missing): {set_name}", file=sys.stderr)
            continue
        for page in load_set(set_name)[:limit]:
            yield f"{set_name}/{page.id}", page.html, page.url
    for path in sorted(COMMENT_FIXTURES.rglob("*.html")):
        yield str(path.relative_to(REPO)), path.read_bytes(), _fixture_url(path)


def digest(html: bytes, url: str | None) -> str:
    result = clean_html(html, url).to_dict()
    return identity.result_hash(result)


def run(limit: int | None = None) -> dict[str, str]:
    return {name: digest(html, url) for name, html, url in pages(limit)}


def main(argv: list[str] | None = None) -> int:
    return identity.main(__doc__, run, "pages", argv)


if __name__ == "__main__":
    raise SystemExit(main())
