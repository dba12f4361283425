"""Output identity check for speed work on `clean_text`: cleans every text the text bench
flattens (four sets x get_text/markdown), the hand-written text and comment fixtures'
flattenings and the golden seeds, and records a hash of everything `clean_text` returns
(title, paragraphs, comments with every field, removals, metadata) per text.

    .venv/bin/python bench/text_identity.py --save /tmp/before.json   # on the reference
    .venv/bin/python bench/text_identity.py --check /tmp/before.json  # after a change

`--check` lists every text whose result changed and exits 1 if any did. A speed change
must leave zero differences. The bench texts come from bench/.cache/text (built by
bench/text_bench.py); sets whose data is missing are left out and said so.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import identity, text_bench  # noqa: E402
from cleaning.text import TextOptions, clean_text  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures"
SEEDS = REPO.parent / "shared" / "golden" / "seeds"
# Besides the defaults, the comment-less path (the comment area only cut) on the fixtures.
_NO_COMMENTS = TextOptions(comments=False)


def texts(limit: int | None = None) -> Iterator[tuple[str, str, str | None]]:
    """(name, text, url) of every text checked, in a fixed order."""
    for set_name in text_bench.SETS:
        if not (text_bench.BENCHMARKS / set_name).exists():
            print(f"skipped (data missing): {set_name}", file=sys.stderr)
            continue
        pages = text_bench.LOADERS[set_name](limit)
        for flattening in text_bench.FLATTENINGS:
            flat = text_bench.cached_map(
                text_bench.cache_file(set_name, flattening, "text"),
                pages,
                lambda p, f=flattening: text_bench.FLATTEN[f](p.html),
                refresh=False,
            )
            for page in pages:
                key = text_bench.page_key(page)
                yield f"{set_name}/{flattening}/{key}", flat[key], page.url or None
    # named the same in every checkout, so that hashes saved in one compare in another
    files = [
        *((p, p.relative_to(REPO)) for p in sorted((FIXTURES / "text").rglob("*.txt"))),
        *((p, p.relative_to(REPO)) for p in sorted((FIXTURES / "comments").rglob("*.txt"))),
        *((p, p.relative_to(REPO)) for p in sorted((FIXTURES / "comments").rglob("*.md"))),
        *(
            (p, Path("shared", p.relative_to(SEEDS.parents[1])))
            for p in sorted(SEEDS.glob("*.txt"))
        ),
    ]
    for path, name in files:
        yield str(name), path.read_text(encoding="utf-8"), None


def digest(text: str, url: str | None, options: TextOptions | None = None) -> str:
    result = clean_text(text, url, options=options).to_dict()
    return identity.result_hash(result)


def run(limit: int | None = None) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for name, text, url in texts(limit):
        hashes[name] = digest(text, url)
        if not name.startswith(tuple(text_bench.SETS)):
            hashes[name + "#no-comments"] = digest(text, url, _NO_COMMENTS)
    return hashes


def main(argv: list[str] | None = None) -> int:
    return identity.main(__doc__, run, "results", argv)


if __name__ == "__main__":
    raise SystemExit(main())
