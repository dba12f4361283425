"""Every bench script still imports and parses its arguments.

The benches run by hand, not in CI, so a renamed or moved function they import breaks them
silently (storage_bench imported `body_hash` from storage.store long after it moved to
storage.signatures). `--help` runs every module-level import and builds the parser, and
nothing more.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py") if p.name.endswith("_bench.py")) + [
    "run_all.py",
    "html_identity.py",
    "text_identity.py",
]


@pytest.mark.parametrize("script", SCRIPTS)
def test_bench_script_imports_and_prints_its_usage(script: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BENCH.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("usage:"), done.stdout[:300]
