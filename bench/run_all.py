"""Run every benchmark in bench/ (`make bench`); each writes its own section of RESULTS.md.

The benchmarks read data from ../shared beside the clone and serve sites on 127.0.0.1 only.
`python bench/run_all.py text html` runs just the named ones.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# Benchmarks that print only unless told to update RESULTS.md (the others update it unless
# given --no-write); `make bench` is meant to refresh every section.
WRITE_FLAGS = {"text": ["--write"], "scale": ["--write"], "storage": ["--write"]}


def main(argv: list[str]) -> int:
    scripts = sorted(BENCH.glob("*_bench.py"))
    names = [s.stem.removesuffix("_bench") for s in scripts]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", nargs="*", help=f"any of {', '.join(names)} (default: all)")
    wanted = parser.parse_args(argv).bench
    if unknown := sorted(set(wanted) - set(names)):
        # a mistyped name is refused rather than silently running nothing
        parser.error(f"no such benchmark: {', '.join(unknown)}")
    if wanted:
        scripts = [s for s in scripts if s.stem.removesuffix("_bench") in wanted]
    failed = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        flags = WRITE_FLAGS.get(script.stem.removesuffix("_bench"), [])
        code = subprocess.call([sys.executable, str(script), *flags], cwd=BENCH.parent)
        elapsed = time.perf_counter() - started
        print(f"--- {script.name}: exit {code} in {elapsed:.0f} s", flush=True)
        if code:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
