"""`python -m cleaning FILES... -o out.jsonl` (also installed as `newsclean-clean`).

Cleans pages from disk: `.txt`/`.md` through `clean_text`, `.html`/`.htm` through
`clean_html` (each optionally `.gz`). Writes one JSON object per page
(`CleanedArticle.to_dict()` plus `source`), as JSON Lines or as one JSON array.
A page that cannot be read or cleaned is reported on stderr and in the output as
`{"source": ..., "error": ...}`; the other pages are still cleaned (exit status 1).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    fmt = args.format or ("json" if str(args.output).endswith(".json") else "jsonl")
    records = list(_clean_all(args.files, url=args.url, comments=not args.no_comments))
    failed = sum(1 for r in records if "error" in r)
    if args.output == "-":
        _write(records, sys.stdout, fmt)
    else:
        with open(args.output, "w", encoding="utf-8") as fh:
            _write(records, fh, fmt)
    if failed:
        print(f"{failed} of {len(records)} file(s) failed", file=sys.stderr)
    return 1 if failed else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cleaning",
        description="Clean flattened-text or HTML pages into article body + comments (JSON).",
    )
    parser.add_argument("files", nargs="+", type=Path, help=".txt/.md/.html/.htm, maybe .gz")
    parser.add_argument("-o", "--output", default="-", help="output file, '-' for stdout")
    parser.add_argument("--format", choices=("jsonl", "json"), help="default: from -o suffix")
    parser.add_argument("--url", help="page URL (same for every file; optional)")
    parser.add_argument("--no-comments", action="store_true", help="do not parse comments")
    return parser


def _clean_all(files: list[Path], *, url: str | None, comments: bool) -> Iterator[dict[str, Any]]:
    for path in files:
        try:
            yield {"source": str(path), **_clean_one(path, url=url, comments=comments)}
        except (OSError, UnicodeError, ValueError, ImportError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            yield {"source": str(path), "error": f"{type(exc).__name__}: {exc}"}


def _clean_one(path: Path, *, url: str | None, comments: bool) -> dict[str, Any]:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
        raw = gzip.decompress(path.read_bytes())
    else:
        raw = path.read_bytes()
    kind = suffixes[-1] if suffixes else ""
    if kind in HTML_SUFFIXES:
        from cleaning.html import clean_html  # lazily: pulls in the HTML stack

        return clean_html(raw, url).to_dict()  # bytes: decoded by cleaning.decoding
    content = raw.decode("utf-8", errors="replace")
    if kind in TEXT_SUFFIXES or not kind:
        from cleaning.text import TextOptions, clean_text

        return clean_text(content, url, options=TextOptions(comments=comments)).to_dict()
    raise ValueError(f"unsupported file type {kind!r} (expected text or HTML)")


def _write(records: list[dict[str, Any]], out: TextIO, fmt: str) -> None:
    if fmt == "json":
        json.dump(records, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
