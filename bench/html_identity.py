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

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

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
    blob = json.dumps(result, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


def run(limit: int | None = None) -> dict[str, str]:
    return {name: digest(html, url) for name, html, url in pages(limit)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the hashes to this JSON file")
    parser.add_argument("--check", type=Path, help="compare with hashes saved before")
    parser.add_argument("--limit", type=int, help="only the first N pages of each bench set")
    args = parser.parse_args(argv)
    started = time.process_time()
    hashes = run(args.limit)
    seconds = time.process_time() - started
    total = hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()[:16]
    print(f"{len(hashes)} pages, combined hash {total}, {seconds:.1f} s CPU")
    if args.save:
        args.save.write_text(json.dumps(hashes, indent=0, sort_keys=True), encoding="utf-8")
    if args.check:
        before = json.loads(args.check.read_text(encoding="utf-8"))
        changed = sorted(k for k in before.keys() | hashes.keys() if before.get(k) != hashes.get(k))
        for name in changed:
            print(f"differs: {name}")
        print(f"{len(changed)} of {len(before)} pages differ")
        return 1 if changed else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
