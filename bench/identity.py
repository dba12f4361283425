"""What the two output identity checks (bench/html_identity.py, bench/text_identity.py)
share: a short hash of one cleaning result, and the command that saves the hashes of a
run or compares them with hashes saved before."""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def result_hash(result: dict[str, Any]) -> str:
    """A short hash of everything a cleaning result holds (its `to_dict()`)."""
    blob = json.dumps(result, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


def main(
    doc: str, run: Callable[[int | None], dict[str, str]], noun: str, argv: list[str] | None
) -> int:
    """`--save FILE` writes the hashes `run` returns; `--check FILE` lists every `noun`
    whose hash differs from the saved one and returns 1 if any does."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the hashes to this JSON file")
    parser.add_argument("--check", type=Path, help="compare with hashes saved before")
    parser.add_argument("--limit", type=int, help="only the first N pages of each bench set")
    args = parser.parse_args(argv)
    started = time.process_time()
    hashes = run(args.limit)
    seconds = time.process_time() - started
    total = hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()[:16]
    print(f"{len(hashes)} {noun}, combined hash {total}, {seconds:.1f} s CPU")
    if args.save:
        args.save.write_text(json.dumps(hashes, indent=0, sort_keys=True), encoding="utf-8")
    if args.check:
        before = json.loads(args.check.read_text(encoding="utf-8"))
        changed = sorted(k for k in before.keys() | hashes.keys() if before.get(k) != hashes.get(k))
        for name in changed:
            print(f"differs: {name}")
        print(f"{len(changed)} of {len(before)} {noun} differ")
        return 1 if changed else 0
    return 0
